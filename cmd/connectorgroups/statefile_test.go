package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// The state file holds the seed's tokens: serve replaces a file that was
// there, readable by all (0644), with one for its owner only (0600), whole.
func TestServeStateOutReplacesAReadableFileWithAPrivateOne(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	require.NoError(t, os.WriteFile(path, []byte("an older state, readable by all\n"), 0o644))
	require.NoError(t, os.Chmod(path, 0o644)) // whatever the umask

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	exited, stdout, stderr := startServe(t, ctx, "-addr", "127.0.0.1:0", "-quiet", "-state-out", path)
	waitFor(t, stdout, exited, regexp.MustCompile(`URL: http://127\.0\.0\.1:\d+/beta\s`))
	cancel()
	require.Equal(t, exitOK, waitExit(t, exited), "stderr:\n%s", stderr.String())

	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "the file's mode")
	seed, err := fakegraph.LoadSeedFile(path)
	require.NoError(t, err, "the file is the state, whole")
	untouched, err := fakegraph.New(nil)
	require.NoError(t, err)
	assert.Equal(t, untouched.StateAsSeed(), seed, "the default seed's state, as nothing changed it")
	assertOnlyFile(t, path)
}

func TestWriteFileAtomic(t *testing.T) {
	const old = "the old state\n"
	newFile := func(t *testing.T) string {
		t.Helper()
		path := filepath.Join(t.TempDir(), "state.json")
		require.NoError(t, os.WriteFile(path, []byte(old), 0o644))
		require.NoError(t, os.Chmod(path, 0o644))
		return path
	}

	t.Run("a new file is written 0600", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "state.json")
		require.NoError(t, writeFileAtomic(path, 0o600, func(w io.Writer) error {
			_, err := io.WriteString(w, "new\n")
			return err
		}))
		assertFile(t, path, "new\n", 0o600)
		assertOnlyFile(t, path)
	})
	t.Run("an existing file is replaced, 0600", func(t *testing.T) {
		path := newFile(t)
		require.NoError(t, writeFileAtomic(path, 0o600, func(w io.Writer) error {
			_, err := io.WriteString(w, "new\n")
			return err
		}))
		assertFile(t, path, "new\n", 0o600)
		assertOnlyFile(t, path)
	})
	t.Run("a file without secrets is written as asked, 0644, over a 0600 one", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "groups.yaml")
		require.NoError(t, os.WriteFile(path, []byte(old), 0o600))
		require.NoError(t, writeFileAtomic(path, 0o644, func(w io.Writer) error {
			_, err := io.WriteString(w, "new\n")
			return err
		}))
		assertFile(t, path, "new\n", 0o644)
		assertOnlyFile(t, path)
	})
	t.Run("a write that fails half way leaves the old file whole", func(t *testing.T) {
		path := newFile(t)
		broken := errors.New("disk full")
		err := writeFileAtomic(path, 0o600, func(w io.Writer) error {
			// More than bufio's buffer, so that part of it reached the file.
			if _, err := w.Write(make([]byte, 64<<10)); err != nil {
				return err
			}
			return broken
		})
		require.ErrorIs(t, err, broken)
		assertFile(t, path, old, 0o644)
		assertOnlyFile(t, path)
	})
	t.Run("a rename that fails leaves what was there", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "state.json")
		require.NoError(t, os.Mkdir(path, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(path, "inside"), []byte("x"), 0o600))
		err := writeFileAtomic(path, 0o600, func(w io.Writer) error {
			_, err := io.WriteString(w, "new\n")
			return err
		})
		require.Error(t, err, "a file cannot replace a directory that holds files")
		info, statErr := os.Stat(path)
		require.NoError(t, statErr)
		assert.True(t, info.IsDir())
		assertOnlyFile(t, path)
	})
}

func assertFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, content, string(data))
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, mode, info.Mode().Perm())
}

// assertOnlyFile checks that path is all its directory holds: no
// temporary file was left behind.
func assertOnlyFile(t *testing.T, path string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(path))
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.Equal(t, []string{filepath.Base(path)}, names, "the directory holds the file alone")
}
