// Package realdata finds the real conference files that tests import: public
// catalogs and schedules kept beside the project in ../shared/data (relative
// to the module root), never copied into it.
package realdata

import (
	"os"
	"path/filepath"
	"testing"
)

// Path returns the path of a file in ../shared/data, failing the test when
// it is missing: the tests that use it must run, not skip.
func Path(tb testing.TB, name string) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("realdata: no go.mod above the working directory")
		}
		dir = parent
	}
	p := filepath.Join(dir, "..", "shared", "data", name)
	if _, err := os.Stat(p); err != nil {
		tb.Fatalf("realdata: %v (the repository must sit beside shared/)", err)
	}
	return p
}

// Read returns the contents of a file in ../shared/data.
func Read(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(Path(tb, name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
