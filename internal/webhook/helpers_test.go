package webhook_test

import "net/netip"

func netipMust(s string) netip.Addr { return netip.MustParseAddr(s) }
