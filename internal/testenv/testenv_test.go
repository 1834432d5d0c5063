package testenv

import (
	"os/exec"
	"strings"
	"testing"
)

// fakeTB records how a helper ended a test instead of ending it.
type fakeTB struct {
	testing.TB
	skipped, failed string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Skipf(format string, args ...any) {
	f.skipped = format
	panic(f)
}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.failed = format
	panic(f)
}

// run calls fn with a fakeTB and returns it once fn has ended the test.
func run(fn func(tb testing.TB)) (f *fakeTB) {
	f = &fakeTB{}
	defer func() {
		if r := recover(); r != nil && r != any(f) {
			panic(r)
		}
	}()
	fn(f)
	return f
}

func TestMissing(t *testing.T) {
	tests := []struct {
		name, ci   string
		skip, fail bool
	}{
		{"local", "", true, false},
		{"ci", "1", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("CI", tt.ci)
			t.Setenv("PATH", t.TempDir())
			f := run(func(tb testing.TB) { LookPath(tb, "xmllint", "apt-get install libxml2-utils") })
			if got, want := f.skipped != "", tt.skip; got != want {
				t.Errorf("skipped=%v, want %v", got, want)
			}
			if got, want := f.failed != "", tt.fail; got != want {
				t.Errorf("failed=%v, want %v", got, want)
			}
			f = run(func(tb testing.TB) { Getenv(tb, "LANYARD_TEST_NOTHING", "set it") })
			if got, want := f.skipped != "" || f.failed != "", true; got != want {
				t.Errorf("Getenv of an unset variable ended the test=%v, want %v", got, want)
			}
		})
	}
}

func TestLookPathFound(t *testing.T) {
	want, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go on PATH")
	}
	f := &fakeTB{}
	if got := LookPath(f, "go", "install Go"); got != want || f.skipped != "" || f.failed != "" {
		t.Errorf("LookPath(go)=%q (skipped %q, failed %q), want %q", got, f.skipped, f.failed, want)
	}
	if !strings.Contains(want, "go") {
		t.Errorf("path %q", want)
	}
}
