package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

type seatView struct {
	Left int `json:"left"`
	Wait int `json:"wait"`
}

// seatStream reads the server-sent events of /live/seats.
type seatStream struct {
	res    *http.Response
	events chan map[string]seatView
	errs   chan error
}

func openSeatStream(t *testing.T, e *env, ctx context.Context, codes string) *seatStream {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, "GET", e.srv.URL+"/live/seats?codes="+url.QueryEscape(codes), nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("seat stream: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	s := &seatStream{res: res, events: make(chan map[string]seatView, 16), errs: make(chan error, 1)}
	go func() {
		defer close(s.events)
		sc := bufio.NewScanner(res.Body)
		event := ""
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: ") && event == "seats":
				var m map[string]seatView
				if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &m); err != nil {
					s.errs <- err
					return
				}
				select {
				case s.events <- m:
				case <-ctx.Done():
					return
				}
			case line == "":
				event = ""
			}
		}
	}()
	return s
}

// next returns the next seats event, or fails at ctx's deadline.
func (s *seatStream) next(t *testing.T, ctx context.Context) (map[string]seatView, bool) {
	t.Helper()
	select {
	case m, ok := <-s.events:
		return m, ok
	case err := <-s.errs:
		t.Fatalf("seat stream: %v", err)
	case <-ctx.Done():
		t.Fatal("no seats event before the deadline")
	}
	return nil, false
}

func TestLiveSeats(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.attendee("Yan", "yan@example.com")
	runCtx, stop := context.WithCancel(t.Context())
	defer stop()
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		e.h.Run(runCtx)
	}()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()

	s := openSeatStream(t, e, ctx, "D,NOPE")
	first, _ := s.next(t, ctx)
	if want := (map[string]seatView{"D": {Left: 20}}); len(first) != 1 || first["D"] != want["D"] {
		t.Fatalf("first event %v, want %v", first, want)
	}

	// Another attendee reserves D: the page hears of it within the deadline.
	c := e.signIn("yan@example.com")
	c.postOK("/reserve/D", url.Values{"back": {"/"}}, "/")
	for {
		m, ok := s.next(t, ctx)
		if !ok {
			t.Fatal("the stream ended")
		}
		for code := range m {
			if code != "D" {
				t.Fatalf("an event about %s, which the page does not watch: %v", code, m)
			}
		}
		if m["D"] == (seatView{Left: 19}) {
			break
		}
	}

	// Shutting down ends the stream and refuses new ones.
	stop()
	for {
		if _, ok := s.next(t, ctx); !ok {
			break
		}
	}
	<-ran
	if r := e.client().get("/live/seats?codes=D"); r.status != http.StatusServiceUnavailable {
		t.Errorf("seat stream after shutdown: %d", r.status)
	}
}
