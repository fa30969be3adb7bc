package fakegraph

import (
	"fmt"
	"net/http"
	"time"
)

// Two ways the fake imitates a slow service or a lossy network, for tests
// of what a client and a shutdown do then. Both are off by default.

// WithLatency makes every request that has passed authentication and
// validation wait d before its handler runs, as a slow service does: a
// change is made, and answered, d after the request arrived. The wait is
// not cut short when the client goes away. It keeps requests in flight
// long enough for a test to stop the server under them (`serve -latency`).
func WithLatency(d time.Duration) Option {
	return func(c *config) { c.latency = d }
}

// CheckLatency reports whether d can be a latency, as New checks the value
// of WithLatency.
func CheckLatency(d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("fakegraph: latency %v is negative", d)
	}
	return nil
}

// delay is the step that waits out WithLatency.
func delay(d time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(d)
			next.ServeHTTP(w, r)
		})
	}
}

// WithLostAnswers makes the fake carry out in full every request for which
// lose returns true, then drop the connection without sending a byte of the
// answer: the change is made, and the client never learns it. That is the
// ambiguous failure a client's retry must survive (a retried add then
// hears "already a member"). lose is called once per request, before it is
// handled, and must be safe for concurrent use.
func WithLostAnswers(lose func(*http.Request) bool) Option {
	return func(c *config) { c.loseAnswer = lose }
}

// loseAnswers runs next into a writer that keeps nothing for the requests
// lose picks, then aborts the connection (net/http closes it and logs
// nothing for http.ErrAbortHandler).
func loseAnswers(next http.Handler, lose func(*http.Request) bool) http.Handler {
	if lose == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !lose(r) {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(&discardWriter{header: http.Header{}}, r)
		panic(http.ErrAbortHandler)
	})
}

// discardWriter is a ResponseWriter whose answer goes nowhere.
type discardWriter struct {
	header http.Header
}

func (d *discardWriter) Header() http.Header         { return d.header }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}
