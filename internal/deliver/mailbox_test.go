package deliver_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/deliver"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

func TestMailboxShowsMailWithLinks(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := setup(t, db, 2, lanyard.KindWaveReleased)
		reset := lanyard.Message{EventID: ev, Kind: lanyard.KindPasswordReset, Mail: true, Recipient: "new@example.com",
			Subject: "Reset <your> password", Body: "Follow https://demo.example/reset?t=abc&x=1 within an hour.", CreatedAt: time.Now()}
		if err := db.AddMessages(ctx, []lanyard.Message{reset}); err != nil {
			t.Fatal(err)
		}
		mux := http.NewServeMux()
		(&deliver.Mailbox{Store: db, EventID: ev}).Routes(&route.Table{Mux: mux})
		srv := httptest.NewServer(mux)
		defer srv.Close()
		get := func(path, lang string) (int, string) {
			req, _ := http.NewRequest("GET", srv.URL+path, nil)
			req.Header.Set("Accept-Language", lang)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
		code, body := get("/mailbox?to=new@example.com", "en")
		if code != 200 || !strings.Contains(body, "Reset &lt;your&gt; password") || strings.Contains(body, "a0@example.com") {
			t.Fatalf("filtered list: %d %s", code, body)
		}
		msgs, _ := db.Messages(ctx, ev)
		id := msgs[len(msgs)-1].ID
		code, body = get("/mailbox/"+itoa(id), "ko")
		if code != 200 || !strings.Contains(body, `<a href="https://demo.example/reset?t=abc&amp;x=1">`) || !strings.Contains(body, "데모 메일함") {
			t.Errorf("one mail: %d %s", code, body)
		}
		for path, want := range map[string]int{"/mailbox/x": 400, "/mailbox/999999": 404} {
			if code, _ := get(path, "en"); code != want {
				t.Errorf("GET %s = %d, want %d", path, code, want)
			}
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Both languages have every word of the mailbox page.
func TestMailboxTextInBothLanguages(t *testing.T) {
	en, ko := deliver.MailboxText("en"), deliver.MailboxText("ko")
	for k, v := range en {
		if ko[k] == "" || ko[k] == v {
			t.Errorf("key %q: ko %q, en %q", k, ko[k], v)
		}
	}
	if len(en) != len(ko) {
		t.Errorf("%d English words, %d Korean", len(en), len(ko))
	}
}
