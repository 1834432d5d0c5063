package swag_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// A booth event is 부스 이벤트 in Korean, as the expo, the agenda and the
// console call it: the swag pages said 부스 행사, so one thing had two names.
func TestKoreanBoothEventTerm(t *testing.T) {
	raw, err := os.ReadFile("locales/ko.json")
	if err != nil {
		t.Fatal(err)
	}
	var msgs map[string]any
	if err := json.Unmarshal(raw, &msgs); err != nil {
		t.Fatal(err)
	}
	if got, want := msgs["swag.kind.event"], "부스 이벤트"; got != want {
		t.Errorf("swag.kind.event = %q, want %q", got, want)
	}
	for id, m := range msgs {
		if s, ok := m.(string); ok && strings.Contains(s, "부스 행사") {
			t.Errorf("%s says 부스 행사: %q", id, s)
		}
	}
}
