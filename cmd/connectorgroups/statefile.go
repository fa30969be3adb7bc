package main

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"path/filepath"

	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// writeState writes the server's state as a seed, once every request in
// flight has finished: what a stopped server kept, each answered change
// in it and no refused one. The seed carries its tokens, so the file is
// the owner's alone (0600), whatever mode a file it replaces had.
func writeState(path string, srv *fakegraph.Server) error {
	return writeFileAtomic(path, 0o600, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(srv.StateAsSeed())
	})
}

// writeFileAtomic replaces path with what write writes, or leaves it as
// it was: write goes to a new file in path's directory, created 0600 (so
// the secrets a file may hold are never readable by others, not even for
// a moment), which is synced, given perm and then renamed over path.
// os.WriteFile would truncate an existing file in place, keep its mode
// (0644 lets anyone read the tokens of a state), and leave half a file if
// the write failed. A failure removes the new file. perm is the file's
// mode as given, whatever the umask: 0600 for a file that holds secrets,
// 0644 for one that holds none (an exported desired state).
func writeFileAtomic(path string, perm os.FileMode, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp") // mode 0600
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	buf := bufio.NewWriter(tmp)
	if err := write(buf); err != nil {
		return err
	}
	if err := buf.Flush(); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	// The rename is durable once the directory is synced; a directory
	// that cannot be synced (some file systems) has the file all the same.
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}
