package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Which -addr values count as loopback, and so may trust unsigned JWTs
// without -allow-remote-unsigned-jwt.
func TestListensOnLoopbackOnly(t *testing.T) {
	tests := []struct {
		addr     string
		loopback bool
	}{
		{"127.0.0.1:8080", true},
		{"127.0.0.1:0", true},
		{"127.255.0.9:8080", true}, // all of 127.0.0.0/8
		{"[::1]:8080", true},
		{"localhost:8080", true},
		{"LocalHost:8080", true},
		{"[::ffff:127.0.0.1]:8080", true}, // IPv4-mapped loopback
		{":8080", false},                  // every interface
		{"0.0.0.0:8080", false},
		{"[::]:8080", false},
		{"192.0.2.10:8080", false},
		{"10.0.0.1:8080", false},
		{"[2001:db8::1]:8080", false},
		{"[fe80::1%lo]:8080", false}, // a zone: not parsed as loopback, so refused
		{"example.com:8080", false},  // a name may resolve anywhere
		{"localhost.evil.example:8080", false},
		{"128.0.0.1:8080", false},
		{"8080", false}, // not HOST:PORT
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			assert.Equal(t, tt.loopback, listensOnLoopbackOnly(tt.addr))
		})
	}
}

func TestCheckUnsignedJWTAddr(t *testing.T) {
	tests := []struct {
		name               string
		addr               string
		trust, allowRemote bool
		wantErr            string // "" for no error
	}{
		{"off, anywhere", "0.0.0.0:8080", false, false, ""},
		{"on, loopback", "127.0.0.1:8080", true, false, ""},
		{"on, localhost", "localhost:0", true, false, ""},
		{"on, every interface", ":8080", true, false, `-trust-unsigned-jwt on -addr ":8080", which is not a loopback address`},
		{"on, 0.0.0.0", "0.0.0.0:8080", true, false, "-allow-remote-unsigned-jwt to mean it"},
		{"on, ::", "[::]:8080", true, false, "not a loopback address"},
		{"on, a LAN address", "192.0.2.10:8080", true, false, "not a loopback address"},
		{"on, remote, allowed", "0.0.0.0:8080", true, true, ""},
		{"on, loopback, allowed", "127.0.0.1:8080", true, true, ""},
		{"allowed without trust", "127.0.0.1:8080", false, true, "-allow-remote-unsigned-jwt only applies with -trust-unsigned-jwt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkUnsignedJWTAddr(tt.addr, tt.trust, tt.allowRemote)
			if tt.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			if assert.Error(t, err) {
				assert.Contains(t, err.Error(), tt.wantErr)
			}
		})
	}
}

// serve itself: trusting unsigned JWTs on a non-loopback address is a
// usage error (exit 2, nothing served); on loopback it serves.
func TestServeRefusesUnsignedJWTOffLoopback(t *testing.T) {
	for _, addr := range []string{":0", "0.0.0.0:0", "[::]:0"} {
		t.Run(addr, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, cancelled(), "serve", "-trust-unsigned-jwt", "-addr", addr)
			assertUsageError(t, "serve", code, stdout, stderr, "-trust-unsigned-jwt on -addr")
		})
	}
	t.Run("loopback serves", func(t *testing.T) {
		code, stdout, stderr := runCmd(t, cancelled(), "serve", "-trust-unsigned-jwt", "-addr", "127.0.0.1:0", "-quiet")
		assert.Equal(t, exitOK, code, stderr)
		assert.Contains(t, stdout, "Unsigned JWTs are TRUSTED")
	})
}
