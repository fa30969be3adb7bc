package fakegraph

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readBody must read what io.ReadAll reads, whatever the declared length
// says; only the buffer's size may differ.
func TestReadBodyReadsWhatReadAllReads(t *testing.T) {
	body := `{"@odata.id":"https://graph.microsoft.com/beta/connectors/x"}`
	for _, declared := range []int64{-1, 0, 1, int64(len(body)) - 1, int64(len(body)), int64(len(body)) + 1, 4096} {
		got, err := readBody(strings.NewReader(body), declared)
		require.NoError(t, err, "declared %d", declared)
		assert.Equal(t, body, string(got), "declared %d", declared)
	}
	_, err := readBody(iotestErr{}, 10)
	assert.ErrorIs(t, err, errBroken)

	// The limit still holds when a body runs past its declared length.
	w := httptest.NewRecorder()
	long := strings.Repeat("x", MaxBodyBytes+1)
	_, err = readBody(http.MaxBytesReader(w, io.NopCloser(strings.NewReader(long)), MaxBodyBytes), 10)
	_, tooLarge := errors.AsType[*http.MaxBytesError](err)
	assert.True(t, tooLarge, "error %v", err)
}

var errBroken = errors.New("broken")

type iotestErr struct{}

func (iotestErr) Read([]byte) (int, error) { return 0, errBroken }
