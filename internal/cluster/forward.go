package cluster

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/respond"
)

// forwardedHeader marks a request one node sent another, so that a node
// which just lost the lease answers 503 instead of forwarding it again.
const forwardedHeader = "X-Lanyard-Forwarded"

// errUnavailable answers when the lease is changing hands for too long.
var errUnavailable = lanyard.Errorf(lanyard.EUNAVAILABLE, "The reservation service is changing hands; try again in a moment.")

// Forward wraps the handler of a route that needs the ledger (route.Table
// calls it for each such route). On the lease holder it runs next with the
// holder's engine in the request's context (reserve.NewContext); elsewhere
// it sends the request to the holder and copies its answer back, retrying
// while the lease changes hands (up to 15 s). A write without an
// Idempotency-Key gets one, so a retry of a command that committed before
// its answer was lost gets that answer, not a second seat.
func (n *Node) Forward(next http.Handler) http.Handler {
	// One client for every route, so they share the holder's connections.
	n.relayOnce.Do(func() {
		// No overall timeout: a long answer (a PDF) may stream for a while;
		// the holder must start answering within 10 s.
		n.relayClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256, ResponseHeaderTimeout: 10 * time.Second},
			// A page's redirect (post/redirect/get) is the browser's to follow.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	})
	client := n.relayClient
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if e := n.Local(); e != nil {
			// The common case: no body to keep for a retry, no key to add.
			next.ServeHTTP(w, r.WithContext(reserve.NewContext(r.Context(), e)))
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxForwardBody+1))
		if err != nil {
			respond.Error(w, r, n.Log, lanyard.Errorf(lanyard.EINVALID, "The request body could not be read."))
			return
		}
		if len(body) > maxForwardBody {
			// Never cut a body short: the handler would read a different request.
			w.Header().Set("Connection", "close")
			http.Error(w, `{"error":{"code":"invalid","message":"The request body is over 1 MB."}}`, http.StatusRequestEntityTooLarge)
			return
		}
		if r.Method != http.MethodGet && r.Header.Get("Idempotency-Key") == "" {
			b := make([]byte, 16)
			rand.Read(b)
			r.Header.Set("Idempotency-Key", "fwd-"+hex.EncodeToString(b))
		}
		deadline := time.Now().Add(15 * time.Second)
		for {
			// The engine is taken once per try and handed down, so a lease
			// lost meanwhile cannot leave the handler without one.
			if e := n.Local(); e != nil {
				r.Body = io.NopCloser(bytes.NewReader(body))
				next.ServeHTTP(w, r.WithContext(reserve.NewContext(r.Context(), e)))
				return
			}
			url, _ := n.Leader()
			if url != "" && r.Header.Get(forwardedHeader) == "" && n.relay(client, url, w, r, body) {
				return
			}
			if r.Context().Err() != nil {
				return // the client has gone
			}
			if r.Header.Get(forwardedHeader) != "" || time.Now().After(deadline) {
				respond.Error(w, r, n.Log, errUnavailable)
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
}

// relay sends the request to the holder at base and copies its answer,
// reporting false (nothing written) when the holder could not answer.
func (n *Node) relay(client *http.Client, base string, w http.ResponseWriter, r *http.Request, body []byte) bool {
	req, err := http.NewRequestWithContext(r.Context(), r.Method, base+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		return false
	}
	for k, v := range r.Header {
		if !hopByHop[k] {
			req.Header[k] = v
		}
	}
	req.Header.Set(forwardedHeader, "1")
	req.Host = r.Host // the holder sees the address the browser used (same-origin checks, links)
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusServiceUnavailable {
		io.Copy(io.Discard, resp.Body)
		return false
	}
	for k, v := range resp.Header {
		if !hopByHop[k] {
			w.Header()[k] = v
		}
	}
	w.WriteHeader(resp.StatusCode)
	if _, err := io.Copy(w, resp.Body); err != nil {
		// Cut the client's connection too, so a truncated answer cannot pass for a whole one.
		panic(http.ErrAbortHandler)
	}
	return true
}

// hopByHop are the headers that concern one connection, not the request
// (RFC 9110, section 7.6.1): a relay must not pass them on.
var hopByHop = map[string]bool{
	"Connection": true, "Keep-Alive": true, "Proxy-Authenticate": true, "Proxy-Authorization": true,
	"Proxy-Connection": true, "Te": true, "Trailer": true, "Transfer-Encoding": true, "Upgrade": true,
}

// maxForwardBody bounds a forwarded request's body: seat commands are small.
const maxForwardBody = 1 << 20
