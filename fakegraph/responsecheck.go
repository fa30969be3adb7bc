package fakegraph

import (
	"bytes"
	"log/slog"
	"net/http"
	"sync"

	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
)

// responseChecker holds every response to an operation, checks it against
// the spec (kin-openapi's ValidateResponse) and only then sends it, as it
// was: a violation is recorded and logged, never turned into another
// answer. A path that names no operation has no declared response to
// check. It is WithResponseValidation, for contract runs.
type responseChecker struct {
	v   *specvalidator.Validator
	log *slog.Logger

	mu         sync.Mutex
	violations []specvalidator.Violation
}

func (c *responseChecker) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		held := &heldResponse{header: w.Header()}
		next.ServeHTTP(held, r)
		if held.status == 0 {
			held.status = http.StatusOK
		}
		if route, params, err := c.v.Route(r); err == nil {
			if err := c.v.ValidateRoutedResponse(r.Context(), r, route, params, held.status, held.header, held.body.Bytes()); err != nil {
				found := specvalidator.Violations(route.Operation.OperationID, specvalidator.DirectionResponse, err)
				c.mu.Lock()
				c.violations = append(c.violations, found...)
				c.mu.Unlock()
				for _, v := range found {
					c.log.LogAttrs(r.Context(), slog.LevelWarn, "response violates the spec", slog.String("violation", v.String()))
				}
			}
		}
		w.WriteHeader(held.status)
		_, _ = w.Write(held.body.Bytes())
	})
}

// all returns a copy of the violations recorded so far.
func (c *responseChecker) all() []specvalidator.Violation {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]specvalidator.Violation(nil), c.violations...)
}

// heldResponse keeps a response back until it is checked; its headers are
// the real writer's, which are not sent before WriteHeader.
type heldResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (h *heldResponse) Header() http.Header { return h.header }

func (h *heldResponse) WriteHeader(code int) {
	if h.status == 0 {
		h.status = code
	}
}

func (h *heldResponse) Write(b []byte) (int, error) {
	if h.status == 0 {
		h.status = http.StatusOK
	}
	return h.body.Write(b)
}
