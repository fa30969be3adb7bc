package fakegraph

import (
	"bytes"
	"log/slog"
	"net/http"
	"sync"

	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
)

// responseChecker holds every response to an operation, checks it against
// the spec and only then sends it, as it was: a violation is recorded and
// logged, never turned into another answer. A path that names no operation
// has no declared response to check. It is WithResponseValidation, for
// contract runs. The check is kin-openapi's openapi3filter
// (specvalidator.ValidateRoutedResponse), as the contract suite's is.
type responseChecker struct {
	v   *specvalidator.Validator
	log *slog.Logger

	mu         sync.Mutex
	violations []specvalidator.Violation
}

func (c *responseChecker) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		held := heldResponses.Get().(*heldResponse)
		held.header, held.status = w.Header(), 0
		held.body.Reset()
		defer func() {
			held.header = nil
			if held.body.Cap() <= maxPooledBody {
				heldResponses.Put(held)
			}
		}()
		// withRequestIDs fills in this info, and resolveOperation names
		// the operation in it.
		r, info := withRequestInfo(r)
		next.ServeHTTP(held, r)
		if held.status == 0 {
			held.status = http.StatusOK
		}
		if found := c.check(r, info.operationID, held); len(found) > 0 {
			c.mu.Lock()
			c.violations = append(c.violations, found...)
			c.mu.Unlock()
			for _, v := range found {
				c.log.LogAttrs(r.Context(), slog.LevelWarn, "response violates the spec", slog.String("violation", v.String()))
			}
		}
		w.WriteHeader(held.status)
		_, _ = w.Write(held.body.Bytes())
	})
}

// check returns the ways held breaks the spec as an answer to r. op is
// the operation the fake's router named, or "" when the request did not
// get that far (a fault, a body over the limit, an unknown path): then
// the spec's router names it, as the contract suite's check would.
func (c *responseChecker) check(r *http.Request, op string, held *heldResponse) []specvalidator.Violation {
	var params map[string]string
	route := c.v.OperationRoute(op)
	if route == nil {
		var err error
		if route, params, err = c.v.Route(r); err != nil {
			return nil
		}
	}
	err := c.v.ValidateRoutedResponse(r.Context(), r, route, params, held.status, held.header, held.body.Bytes())
	return specvalidator.Violations(route.Operation.OperationID, specvalidator.DirectionResponse, err)
}

// all returns a copy of the violations recorded so far.
func (c *responseChecker) all() []specvalidator.Violation {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]specvalidator.Violation(nil), c.violations...)
}

// heldResponses are reused: a page's 15 KB held for its check is
// otherwise allocated anew for every request (see bodybuffers.go).
var heldResponses = sync.Pool{New: func() any { return new(heldResponse) }}

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
