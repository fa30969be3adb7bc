package main

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

// lockedBuffer is a bytes.Buffer safe for the flusher and the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Every line written, from many goroutines, is out after Close, whole and
// once; Close twice is harmless.
func TestBufferedLogLosesNoLineOnClose(t *testing.T) {
	var out lockedBuffer
	l := newBufferedLog(&out)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				fmt.Fprintf(l, "g%d line %d\n", g, i)
			}
		}()
	}
	wg.Wait()
	l.Close()
	l.Close()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	assert.Len(t, lines, 2000)
	seen := map[string]bool{}
	for _, line := range lines {
		assert.False(t, seen[line], "%q twice", line)
		seen[line] = true
	}
}
