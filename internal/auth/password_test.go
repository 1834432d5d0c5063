package auth

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestHashVerify(t *testing.T) {
	h := NewHasher(2)
	ctx := context.Background()
	enc, err := h.Hash(ctx, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not in PHC form with the chosen parameters", enc)
	}
	enc2, _ := h.Hash(ctx, "correct horse battery")
	if enc == enc2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{
		{"correct horse battery", true},
		{"correct horse batterY", false},
		{"", false},
	} {
		ok, err := h.Verify(ctx, tc.pw, enc)
		if err != nil || ok != tc.want {
			t.Errorf("Verify(%q) = %v, %v; want %v", tc.pw, ok, err, tc.want)
		}
	}
	if ok, err := h.Verify(ctx, "anything at all", DummyHash); ok || err != nil {
		t.Errorf("Verify against the dummy hash = %v, %v; want false, nil", ok, err)
	}
}

func TestVerifyRefusesBadHashes(t *testing.T) {
	h := NewHasher(1)
	for _, enc := range []string{
		"", "plain", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdA$a2V5",
		"$argon2id$v=18$m=19456,t=2,p=1$c2FsdA$a2V5",
		"$argon2id$v=19$m=99999999,t=2,p=1$c2FsdA$a2V5", // would allocate 95 GiB
		"$argon2id$v=19$m=19456,t=2,p=1$!!$a2V5",
		"$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$",
	} {
		if ok, err := h.Verify(context.Background(), "pw", enc); ok || err == nil {
			t.Errorf("Verify(%q) = %v, %v; want an error", enc, ok, err)
		}
	}
}

func TestHasherBoundsConcurrency(t *testing.T) {
	h := NewHasher(1)
	h.slots <- struct{}{} // the one slot is taken
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := h.Hash(ctx, "some long password"); err == nil {
		t.Error("Hash ran with no free slot")
	}
}

func TestCheckPassword(t *testing.T) {
	for _, tc := range []struct {
		pw, email string
		ok        bool
	}{
		// The email rule compares the local part, once it is long enough
		// to mean something, and the whole address.
		{"a-sturdy-lantern", "a@example.com", true},
		{"kim-sturdy-lantern", "kim@example.com", true},
		{"my-kim@example.com", "kim@example.com", false},
		{"my-KIM@Example.com", "kim@example.com", false},
		{"minji-sturdy-lantern", "minji@example.com", false},
		{"MINJI-sturdy-lantern", "minji@example.com", false},
		{"mink-sturdy-lantern", "mink@example.com", false},
		{"min-sturdy-lantern", "mink@example.com", true},
		{"short", "", false},
		{"          ", "", false},
		{"password123", "", false},
		{"minji.kim-rocks", "minji.kim@example.com", false},
		{strings.Repeat("x", 300), "", false},
		{"sturdy-lantern-41", "minji.kim@example.com", true},
		{"서울에서라스베이거스까지", "", true},
	} {
		err := CheckPassword(tc.pw, tc.email)
		if (err == nil) != tc.ok {
			t.Errorf("CheckPassword(%q, %q) = %v; want ok=%v", tc.pw, tc.email, err, tc.ok)
		}
	}
}
