//go:build unix

package fakegraph

import "syscall"

// fileLimit is the most files the process may have open: the soft
// RLIMIT_NOFILE, which Go raises to the hard one as it starts. Unlimited
// reads as a very large number, and false means it cannot be read.
func fileLimit() (uint64, bool) {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r); err != nil {
		return 0, false
	}
	return uint64(r.Cur), true // an int64 on some systems
}
