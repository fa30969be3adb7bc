package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// RetryPolicy bounds how a call is retried. Retries are on by default
// (DefaultRetryPolicy); pass WithoutRetry, or MaxAttempts 1, to turn them
// off. A zero field takes its default.
//
// 429 and 503 are retried after the Retry-After the service sent, in
// seconds or as an HTTP date. Other 5xx (but 501 and 505) and transport
// errors (but TLS certificate errors) are retried after a capped
// exponential backoff with jitter; so are a 429 or 503 without
// Retry-After. Nothing else is retried: 4xx answers do not change by
// asking again, nor does a request the client cannot send (an unusable
// token, say), nor a 3xx, which the client never follows (see
// [Error.Location]).
//
// Every attempt of one request sends the same client-request-id, so that
// Microsoft support can find them all, and a freshly built request body.
// Each page of a list is one request, with an id of its own.
//
// Whether a failed attempt may be repeated also depends on the
// operation: reads, updates, deletes and membership adds are retried
// after any of the failures above, and an *Error after a retry says
// whether an earlier attempt may have been carried out
// ([Error.AfterAmbiguousAttempt]). CreateConnectorGroup is not retried
// after an attempt that may have created the group: a repeat would make a
// second one.
type RetryPolicy struct {
	// MaxAttempts is the most requests one call sends, the first one
	// included. Default 4.
	MaxAttempts int
	// MinBackoff is the backoff after the first failed attempt; it doubles
	// for each further one, up to MaxBackoff. Defaults 500ms and 8s.
	MinBackoff time.Duration
	MaxBackoff time.Duration
	// MaxRetryAfter is the longest Retry-After the client waits out. A
	// longer one ends the call with the *Error, whose RetryAfter tells the
	// caller when to come back. Default 1m.
	MaxRetryAfter time.Duration
}

// DefaultRetryPolicy is the policy a Client uses unless told otherwise.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{
		MaxAttempts:   4,
		MinBackoff:    500 * time.Millisecond,
		MaxBackoff:    8 * time.Second,
		MaxRetryAfter: time.Minute,
	}
}

// WithRetry sets the retry policy. Zero fields take their defaults;
// negative ones are an error.
func WithRetry(p RetryPolicy) Option {
	return func(c *config) error {
		if p.MaxAttempts < 0 || p.MinBackoff < 0 || p.MaxBackoff < 0 || p.MaxRetryAfter < 0 {
			return fmt.Errorf("client: WithRetry: negative values in %+v", p)
		}
		d := DefaultRetryPolicy()
		if p.MaxAttempts == 0 {
			p.MaxAttempts = d.MaxAttempts
		}
		if p.MinBackoff == 0 {
			p.MinBackoff = d.MinBackoff
		}
		if p.MaxBackoff == 0 {
			p.MaxBackoff = max(d.MaxBackoff, p.MinBackoff)
		}
		if p.MaxBackoff < p.MinBackoff {
			return fmt.Errorf("client: WithRetry: MaxBackoff %v is less than MinBackoff %v", p.MaxBackoff, p.MinBackoff)
		}
		if p.MaxRetryAfter == 0 {
			p.MaxRetryAfter = d.MaxRetryAfter
		}
		c.retry = p
		return nil
	}
}

// WithoutRetry makes every call send exactly one request.
func WithoutRetry() Option {
	return func(c *config) error {
		c.retry.MaxAttempts = 1
		return nil
	}
}

// clock is time as the retry loop sees it; tests swap it so that waits
// take no time.
type clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// permanentError marks a failure that no retry can fix: one before the
// request was handed to the HTTP client, such as a token source's error or
// an unusable token, or an answer too large to read (readResponse). The
// loop unwraps it before returning.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// unsentError marks a transport error from an attempt that never got a
// connection, so that not a byte of the request was written: retrying it
// is safe, and it is not ambiguous. The loop unwraps it before returning.
type unsentError struct{ err error }

func (e *unsentError) Error() string { return e.err.Error() }
func (e *unsentError) Unwrap() error { return e.err }

// replayRule says whether the loop may repeat a request after an attempt
// that may have been carried out (isAmbiguous).
type replayRule int

const (
	// replayAndFlag retries, and marks any later *Error with
	// AfterAmbiguousAttempt. It suits requests that are idempotent (GET,
	// PATCH, DELETE) and $ref adds, whose repeat the service answers
	// "already a member" rather than acting twice.
	replayAndFlag replayRule = iota
	// replayNever does not retry after an ambiguous attempt: a repeat could
	// act twice (create makes a second group). Attempts the service
	// answered without acting (429, 503) and attempts that never left are
	// still retried.
	replayNever
)

// errNotReplayed explains why a call ended after an ambiguous attempt
// although the policy had attempts left.
const errNotReplayed = "client: not retried: the request may have reached the service, and repeating it could act twice"

// do sends one call's attempts: it calls send, which must build a fresh
// request each time, until an attempt succeeds (2xx), fails in a way not
// worth retrying, or the policy runs out. Non-2xx responses become *Error
// here. sentID is the call's client-request-id.
func (c *Client) do(ctx context.Context, sentID string, replay replayRule, send func(context.Context) (*http.Response, error)) (*http.Response, []byte, error) {
	ambiguous := false
	for attempt := 1; ; attempt++ {
		resp, body, err := readResponse(sendOnce(ctx, send))
		var failure error
		switch {
		case err != nil:
			failure = err
		case resp.StatusCode < 200 || resp.StatusCode > 299:
			e := newError(resp, body, sentID, c.clock.Now())
			e.Attempts = attempt
			e.AfterAmbiguousAttempt = ambiguous
			failure = e
		default:
			return resp, body, nil
		}

		if attempt >= c.retry.MaxAttempts || !shouldRetry(resp, err) {
			return nil, nil, giveUp(failure, attempt)
		}
		if replay == replayNever && isAmbiguous(resp, err) {
			return nil, nil, fmt.Errorf("%s: %w", errNotReplayed, giveUp(failure, attempt))
		}
		if ctx.Err() != nil {
			return nil, nil, fmt.Errorf("client: not retrying: %w; last attempt: %w", ctx.Err(), giveUp(failure, attempt))
		}
		wait, ok := c.retry.delay(attempt, resp, c.clock.Now(), c.jitter())
		if !ok {
			return nil, nil, giveUp(failure, attempt) // Retry-After is longer than the policy accepts
		}
		if deadline, ok := ctx.Deadline(); ok && c.clock.Now().Add(wait).After(deadline) {
			return nil, nil, giveUp(failure, attempt) // waiting would only run into the deadline
		}
		ambiguous = ambiguous || isAmbiguous(resp, err)
		select {
		case <-ctx.Done():
			return nil, nil, fmt.Errorf("client: waiting %v to retry: %w; last attempt: %w", wait, ctx.Err(), giveUp(failure, attempt))
		case <-c.clock.After(wait):
		}
	}
}

// sendOnce is one attempt, followed with net/http/httptrace: when the
// transport asked for a connection (GetConn) and never got one (GotConn),
// it failed connecting (refused, DNS, proxy, TLS handshake) and wrote
// nothing, and its error is marked unsent. Transports that report no
// trace events leave the error as it is, for isAmbiguous to judge.
func sendOnce(ctx context.Context, send func(context.Context) (*http.Response, error)) (*http.Response, error) {
	var asked, got atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GetConn: func(string) { asked.Store(true) },
		GotConn: func(httptrace.GotConnInfo) { got.Store(true) },
	})
	resp, err := send(ctx)
	if err != nil && asked.Load() && !got.Load() {
		return nil, &unsentError{err}
	}
	return resp, err
}

// readResponse reads and closes the body, so that the connection can be
// reused and a failed read counts as a failed attempt. It holds at most
// graph.MaxResponseBytes of it, counted after any decompression (net/http
// inflates gzip before the client sees a byte): a longer body ends the call
// with an error that wraps a *graph.TooLargeError naming the request, and
// is not retried, since a retry would read the same. The body is not read
// past the bound; closing it early drops the connection.
func readResponse(resp *http.Response, err error) (*http.Response, []byte, error) {
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := graph.ReadAtMost(resp.Body, graph.MaxResponseBytes, responseName(resp))
	var tooLarge *graph.TooLargeError
	switch {
	case errors.As(err, &tooLarge):
		return nil, nil, &permanentError{fmt.Errorf("client: %w; not retried, since a retry would read the same", err)}
	case err != nil:
		return nil, nil, fmt.Errorf("client: reading the body of a %s response: %w", resp.Status, err)
	}
	return resp, body, nil
}

// responseName names a response in errors by its request: "the 200 OK
// response to GET https://graph.microsoft.com/beta/…". The query is left
// out: a nextLink's skip token says nothing to a reader, and only makes
// the line long.
func responseName(resp *http.Response) string {
	if resp.Request == nil || resp.Request.URL == nil {
		return "the " + resp.Status + " response"
	}
	u := *resp.Request.URL
	u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = "", false, "", ""
	return fmt.Sprintf("the %s response to %s %s", resp.Status, resp.Request.Method, graph.OneLine(u.Redacted(), maxMessage))
}

// giveUp is the error a call ends with: an *Error as it is (it counts its
// attempts), a transport error with the number of attempts.
func giveUp(failure error, attempts int) error {
	if perm, ok := failure.(*permanentError); ok {
		return perm.err
	}
	if unsent, ok := failure.(*unsentError); ok {
		failure = unsent.err
	}
	var e *Error
	if attempts <= 1 || errors.As(failure, &e) {
		return failure
	}
	return fmt.Errorf("client: %d attempts: %w", attempts, failure)
}

// shouldRetry reports whether an attempt's outcome is worth another try.
func shouldRetry(resp *http.Response, err error) bool {
	if err != nil {
		var (
			perm     *permanentError
			verify   *tls.CertificateVerificationError
			unknown  x509.UnknownAuthorityError
			hostname x509.HostnameError
		)
		switch {
		case errors.As(err, &perm),
			errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded),
			errors.As(err, &verify), errors.As(err, &unknown), errors.As(err, &hostname):
			return false
		}
		return true
	}
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests:
		return true
	case code == http.StatusNotImplemented, code == http.StatusHTTPVersionNotSupported:
		return false
	case code >= 500 && code <= 599:
		return true
	}
	return false
}

// isAmbiguous reports whether a failed attempt may nonetheless have been
// carried out, so that a later "already a member" may be its own doing.
// The rule: a transport error is ambiguous unless the request surely never
// left, because the attempt
//   - failed before the request reached the HTTP client (permanentError:
//     a token source's error, an unusable token, a request that cannot be
//     built);
//   - never got a connection, as httptrace showed (unsentError);
//   - or, with transports that report no trace events, failed dialing (a
//     *net.OpError "dial" or "proxyconnect", a *net.DNSError).
//
// Any other transport error may come after some of the request was
// written. An answer is ambiguous when it is a 5xx other than 503: the
// service may have failed after acting. 503 is, with 429, the answer with
// which Graph tells a caller to come back later (ErrThrottled; its
// throttling guidance sends both with Retry-After): it says the request
// was not carried out. Other answers say it was not, or say what was done.
func isAmbiguous(resp *http.Response, err error) bool {
	if err == nil {
		return resp.StatusCode >= 500 && resp.StatusCode != http.StatusServiceUnavailable
	}
	var (
		perm   *permanentError
		unsent *unsentError
		op     *net.OpError
		dns    *net.DNSError
	)
	switch {
	case errors.As(err, &perm), errors.As(err, &unsent), errors.As(err, &dns):
		return false
	case errors.As(err, &op):
		return op.Op != "dial" && op.Op != "proxyconnect"
	}
	return true
}

// delay is the wait before the attempt after attempt (1-based). ok is
// false when the service asked for a longer wait than MaxRetryAfter.
func (p RetryPolicy) delay(attempt int, resp *http.Response, now time.Time, jitter float64) (wait time.Duration, ok bool) {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := retryAfter(resp.Header, now); ok {
			return d, d <= p.MaxRetryAfter
		}
	}
	return backoff(attempt, p.MinBackoff, p.MaxBackoff, jitter), true
}

// backoff is first·2^(attempt-1), capped at ceiling, with "equal jitter": half
// of it fixed, half scaled by r in [0,1), so that clients that failed
// together do not all come back together.
func backoff(attempt int, first, ceiling time.Duration, r float64) time.Duration {
	d := first
	for i := 1; i < attempt && d < ceiling; i++ {
		d *= 2
	}
	d = min(d, ceiling)
	half := d / 2
	return half + time.Duration(r*float64(d-half))
}

// retryAfter parses a Retry-After header: delay-seconds or an HTTP date
// (RFC 9110, section 10.2.3). A negative value or a date in the past means
// no wait. ok is false when the header is absent or unreadable.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		const maxSecs = math.MaxInt64 / int64(time.Second)
		return time.Duration(min(max(secs, 0), maxSecs)) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
