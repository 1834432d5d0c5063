package webhook

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// ErrPrivate is returned when an endpoint resolves to an address lanyard
// does not deliver to (loopback, link-local, private, unspecified).
var ErrPrivate = errors.New("webhook: the address is loopback, link-local or private")

// Public reports whether ip is an address webhooks may reach when private
// ones are not allowed.
func Public(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsValid() && !ip.IsLoopback() && !ip.IsPrivate() && !ip.IsLinkLocalUnicast() &&
		!ip.IsLinkLocalMulticast() && !ip.IsUnspecified() && !ip.IsMulticast() && !ip.IsInterfaceLocalMulticast() &&
		!cgnat.Contains(ip)
}

// cgnat is the shared address space (RFC 6598), private in all but name.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// control refuses, at dial time, a connection to a non-public address: the
// check is on the address actually dialled, after DNS, so a name that
// resolves to a public address when checked and to 127.0.0.1 when used (DNS
// rebinding) gains nothing.
func control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("webhook: dial %s: %w", address, err)
	}
	if !Public(ap.Addr()) {
		return fmt.Errorf("%w: %s", ErrPrivate, ap.Addr())
	}
	return nil
}

// Timeout is how long one delivery may take, connection to last byte.
const Timeout = 10 * time.Second

// NewClient returns the HTTP client deliveries use: a 10 s timeout, no
// redirects followed (a redirect could lead to a private address and a
// receiver should be configured with its final URL), no proxy, and, unless
// allowPrivate, no connection to a non-public address.
func NewClient(allowPrivate bool) *http.Client {
	d := &net.Dialer{Timeout: Timeout}
	if !allowPrivate {
		d.Control = control
	}
	tr := &http.Transport{
		DialContext:           d.DialContext,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   Timeout,
		ResponseHeaderTimeout: Timeout,
	}
	return &http.Client{
		Transport:     tr,
		Timeout:       Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
