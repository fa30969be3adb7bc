package fakegraph

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"time"
)

// Option configures a Server.
type Option func(*config)

type config struct {
	trustUnsignedJWT   bool
	faults             Faults
	logger             *slog.Logger
	pageSize           *int                     // WithPageSize; nil means no cap
	latency            time.Duration            // WithLatency
	loseAnswer         func(*http.Request) bool // WithLostAnswers
	responseValidation bool                     // WithResponseValidation
	answers            Answers                  // WithAnswers
}

// WithResponseValidation checks every response to an operation against
// the spec before it is sent, for contract runs: a violation is recorded
// (Server.ResponseViolations) and logged, and the response goes out as
// the fake wrote it. The check is kin-openapi's openapi3filter, as the
// contract suite's is.
func WithResponseValidation() Option {
	return func(c *config) { c.responseValidation = true }
}

// WithTrustUnsignedJWT makes the server accept a JWT that is not in the
// seed, reading its scopes from the `scp` (space-separated) and `roles`
// (array) claims WITHOUT checking its signature, issuer, audience or expiry.
//
// It is off by default because anyone can mint such a token with any scope:
// with it on, the server's 401/403 checks prove nothing. It exists only to
// replay real Graph tokens (or test tokens shaped like them) against the
// fake in tests.
func WithTrustUnsignedJWT() Option {
	return func(c *config) { c.trustUnsignedJWT = true }
}

// Faults makes a share of requests fail the way a busy Graph does, so that
// clients' retry logic can be exercised.
type Faults struct {
	// Rate is the share of requests that fail, from 0 (none) to 1 (all).
	Rate float64
	// Status is 429 (TooManyRequests, the default when zero) or 503
	// (serviceNotAvailable).
	Status int
	// RetryAfter is sent as Retry-After, rounded up to whole seconds. Zero
	// means one second.
	RetryAfter time.Duration
	// Rand returns numbers in [0, 1); a request fails when Rand() < Rate.
	// Nil means math/rand/v2. It must be safe for concurrent use.
	Rand func() float64
}

// WithFaults injects failures into a share of all requests, before routing,
// as Graph's throttling does.
func WithFaults(f Faults) Option {
	return func(c *config) { c.faults = f }
}

// WithLogger logs one line per request (method, path, status, ids,
// duration). By default nothing is logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// WithPageSize caps every page of every list at n items (n ≥ 1), so that
// a test can walk @odata.nextLink over a handful of items. A page holds
// $top items when the request sends it, else graph.DefaultPageSize (100),
// and never more than n.
func WithPageSize(n int) Option {
	return func(c *config) { c.pageSize = &n }
}

// CheckPageSize reports whether n can cap a page, as New checks the value
// of WithPageSize; a front end such as `connectorgroups serve -page-size`
// calls it to report a bad value with its other usage errors.
func CheckPageSize(n int) error {
	if n < 1 {
		return fmt.Errorf("fakegraph: page size %d is less than 1: a page must hold an item", n)
	}
	return nil
}

// validate checks the faults and fills in their defaults. Status and
// RetryAfter are checked even when Rate is 0: a bad setting is a mistake
// whether or not it would take effect.
func (f *Faults) validate() error {
	var errs []error
	if math.IsNaN(f.Rate) || f.Rate < 0 || f.Rate > 1 {
		errs = append(errs, fmt.Errorf("fakegraph: fault rate %v is not between 0 and 1", f.Rate))
	}
	switch f.Status {
	case 0:
		f.Status = http.StatusTooManyRequests
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
	default:
		errs = append(errs, fmt.Errorf("fakegraph: fault status %d is neither 429 nor 503", f.Status))
	}
	if f.RetryAfter < 0 {
		errs = append(errs, fmt.Errorf("fakegraph: fault Retry-After %v is negative", f.RetryAfter))
	}
	return errors.Join(errs...)
}

// RetryAfterSeconds is the Retry-After value the server sends: RetryAfter
// in whole seconds, rounded up, at least 1. A banner should print this, not
// RetryAfter.
func (f Faults) RetryAfterSeconds() int {
	secs := int((f.RetryAfter + time.Second - 1) / time.Second)
	return max(secs, 1)
}

// Check reports every problem with f, exactly as New does, and returns f
// with its defaults filled in (a zero Status is 429). A front end such as
// `connectorgroups serve` calls it to report bad fault settings with its
// other usage errors, before it starts, and to show what will be sent.
func (f Faults) Check() (Faults, error) {
	err := f.validate()
	return f, err
}
