package webtest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
	"github.com/lanyardhq/lanyard/internal/web/webtest"
)

// server signs in anyone whose password is webtest.Password and echoes a
// request back to a signed-in client.
func server(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /signin", func(w http.ResponseWriter, r *http.Request) {
		if r.PostFormValue("password") != webtest.Password {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "s", Value: r.PostFormValue("email"), Path: "/", Secure: true})
		http.Redirect(w, r, "/home", http.StatusSeeOther)
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie("s")
		if err != nil {
			w.Header().Set("X-Lanyard-Code", lanyard.EUNAUTHORIZED)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		b, _ := io.ReadAll(r.Body)
		json.NewEncoder(w).Encode(map[string]string{"who": c.Value, "method": r.Method, "type": r.Header.Get("Content-Type"),
			"lang": r.Header.Get("Accept-Language"), "body": string(b)})
	})
	srv := httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestClient(t *testing.T) {
	srv := server(t)
	c := webtest.NewClient(t, srv)
	r := c.Get("/echo")
	r.Expect(t, http.StatusUnauthorized, lanyard.EUNAUTHORIZED)
	if got, want := r.Code(), lanyard.EUNAUTHORIZED; got != want {
		t.Fatalf("Code()=%q, want %q", got, want)
	}

	// A redirect comes back as it is, not followed.
	r = c.Post("/signin", map[string][]string{"email": {"ana@example.com"}, "password": {"wrong"}})
	if got, want := r.Status, http.StatusUnauthorized; got != want {
		t.Fatalf("wrong password: Status=%d, want %d", got, want)
	}
	c.SignIn("ana@example.com", webtest.Password)
	c.Lang = "ko"

	for _, tt := range []struct {
		name string
		r    *webtest.Resp
		want map[string]string
	}{
		{"get", c.Get("/echo"), map[string]string{"who": "ana@example.com", "method": "GET", "type": "", "lang": "ko", "body": ""}},
		{"post", c.Post("/echo", map[string][]string{"a": {"1 2"}}),
			map[string]string{"who": "ana@example.com", "method": "POST", "type": "application/x-www-form-urlencoded", "lang": "ko", "body": "a=1+2"}},
		{"json", c.PostJSON("/echo", map[string]int{"n": 1}),
			map[string]string{"who": "ana@example.com", "method": "POST", "type": "application/json", "lang": "ko", "body": `{"n":1}`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.r.Expect(t, http.StatusOK, "")
			var got map[string]string
			if err := json.Unmarshal([]byte(tt.r.Body), &got); err != nil {
				t.Fatal(err)
			}
			for k, want := range tt.want {
				if got[k] != want {
					t.Errorf("%s=%q, want %q", k, got[k], want)
				}
			}
		})
	}

	// Another client has its own cookies.
	if got, want := webtest.NewClient(t, srv).Get("/echo").Status, http.StatusUnauthorized; got != want {
		t.Fatalf("second client: Status=%d, want %d", got, want)
	}
}

func TestSignUp(t *testing.T) {
	db := storetest.OpenSQLite(t)
	ctx := context.Background()
	if _, err := db.ImportCatalog(ctx, &lanyard.Catalog{Event: lanyard.Event{Slug: "w", Name: "W", TimeZone: "UTC", StartDate: "2026-12-01", Days: 1}}); err != nil {
		t.Fatal(err)
	}
	ev, err := db.FindEventBySlug(ctx, "w")
	if err != nil {
		t.Fatal(err)
	}
	a := &lanyard.Attendee{Name: "Ana", Email: "ana@example.com", Role: lanyard.RoleAttendee}
	webtest.SignUp(t, db, ev.ID, a)
	if a.ID == 0 {
		t.Fatal("SignUp left ID 0")
	}
}
