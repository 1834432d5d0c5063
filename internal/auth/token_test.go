package auth

import (
	"bytes"
	"strings"
	"testing"
)

func TestNewToken(t *testing.T) {
	a, ha := NewToken()
	b, hb := NewToken()
	if a == b || bytes.Equal(ha, hb) {
		t.Fatal("two tokens are equal")
	}
	if !strings.HasPrefix(a, TokenPrefix) {
		t.Fatalf("token %q lacks prefix %q", a, TokenPrefix)
	}
	if !bytes.Equal(HashToken(a), ha) {
		t.Fatal("HashToken disagrees with NewToken's hash")
	}
	if got, want := len(a), len(TokenPrefix)+43; got != want {
		t.Fatalf("token length %d, want %d", got, want)
	}
}

func TestBearerToken(t *testing.T) {
	tests := []struct{ header, want string }{
		{"Bearer lyd_abc", "lyd_abc"},
		{"bearer  lyd_abc ", "lyd_abc"},
		{"Basic dXNlcjpwYXNz", ""},
		{"lyd_abc", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			if got := BearerToken(tt.header); got != tt.want {
				t.Fatalf("BearerToken(%q)=%q, want %q", tt.header, got, tt.want)
			}
		})
	}
}
