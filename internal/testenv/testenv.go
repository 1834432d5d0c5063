// Package testenv holds the one rule for tests that need something outside
// Go (a program such as xmllint, Chromium or poppler, or a service such as
// PostgreSQL): on a developer's machine a missing dependency skips the test
// with a message that says how to enable it, and in CI (the variable CI is
// non-empty) it fails the test, because CI must run everything.
//
// Programs are found on PATH only, never by an absolute path, so .ci/run can
// check the skip path by running the tests with PATH narrowed to the Go
// toolchain.
package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// Missing skips the test, or fails it when CI is set, saying what is missing
// and how to enable the tests that need it.
func Missing(tb testing.TB, what, enable string) {
	tb.Helper()
	if os.Getenv("CI") != "" {
		tb.Fatalf("%s is missing and CI must run every test: %s", what, enable)
	}
	tb.Skipf("%s is missing, so this test is skipped: %s", what, enable)
}

// LookPath returns the path of the program name found on PATH, or calls
// Missing with install (for example "apt-get install libxml2-utils").
func LookPath(tb testing.TB, name, install string) string {
	tb.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(tb, name+" (not on PATH)", install)
	}
	return p
}

// Getenv returns the value of the environment variable key, or calls
// Missing with enable (for example "set LANYARD_TEST_POSTGRES=postgres://…")
// when it is unset or empty.
func Getenv(tb testing.TB, key, enable string) string {
	tb.Helper()
	v := os.Getenv(key)
	if v == "" {
		Missing(tb, key+" (not set)", enable)
	}
	return v
}
