package main

import (
	"fmt"
	"net"
	"strings"
)

// checkUnsignedJWTAddr refuses -trust-unsigned-jwt on an address other
// hosts can reach, unless -allow-remote-unsigned-jwt says that is meant:
// with it on, anyone who can reach the port can mint a token with any
// scope, so the fake's 401/403 answers protect nothing. On loopback only
// this machine's own processes can. addr is HOST:PORT, as checked by
// checkListenAddr.
func checkUnsignedJWTAddr(addr string, trust, allowRemote bool) error {
	switch {
	case allowRemote && !trust:
		return fmt.Errorf("-allow-remote-unsigned-jwt only applies with -trust-unsigned-jwt")
	case !trust || allowRemote || listensOnLoopbackOnly(addr):
		return nil
	}
	return fmt.Errorf("-trust-unsigned-jwt on -addr %q, which is not a loopback address: anyone who can reach it could mint a token with any scope; "+
		"listen on 127.0.0.1, [::1] or localhost, or add -allow-remote-unsigned-jwt to mean it", addr)
}

// listensOnLoopbackOnly reports whether a listener on addr (HOST:PORT) is
// reachable from this machine only: its host is localhost or a loopback
// IP (127.0.0.0/8, ::1). An empty host, 0.0.0.0 and :: listen on every
// interface; a host name other than localhost may resolve anywhere, and
// so counts as remote.
func listensOnLoopbackOnly(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
