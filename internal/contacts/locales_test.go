package contacts

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestLocales: English and Korean have the same keys, every one under
// "contacts.", in sorted order, and every key a template names exists.
func TestLocales(t *testing.T) {
	keys := map[string][]string{}
	for _, lang := range []string{"en", "ko"} {
		b, err := localeFiles.ReadFile("locales/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		// Order as written: keys appear in the file sorted.
		var order []string
		for _, line := range strings.Split(string(b), "\n") {
			if k, _, ok := strings.Cut(strings.TrimSpace(line), `":`); ok && strings.HasPrefix(k, `"`) {
				order = append(order, strings.TrimPrefix(k, `"`))
			}
		}
		if !slices.IsSorted(order) || len(order) != len(m) {
			t.Errorf("%s.json: keys not sorted", lang)
		}
		for _, k := range order {
			if !strings.HasPrefix(k, "contacts.") {
				t.Errorf("%s.json: key %q outside contacts.", lang, k)
			}
			if m[k] == "" {
				t.Errorf("%s.json: %q is empty", lang, k)
			}
		}
		keys[lang] = order
	}
	if !slices.Equal(keys["en"], keys["ko"]) {
		t.Errorf("en and ko keys differ")
	}
	names, _ := templateFiles.ReadDir("templates")
	for _, n := range names {
		b, _ := templateFiles.ReadFile("templates/" + n.Name())
		for _, part := range strings.Split(string(b), `.T "`)[1:] {
			k, _, _ := strings.Cut(part, `"`)
			if !slices.Contains(keys["en"], k) {
				t.Errorf("%s names %q, which no locale has", n.Name(), k)
			}
		}
	}
}
