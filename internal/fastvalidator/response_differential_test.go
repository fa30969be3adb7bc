package fastvalidator_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/internal/fastvalidator"
	"github.com/connectorgroups/connectorgroups/internal/graph"
	"github.com/connectorgroups/connectorgroups/internal/patterngen"
	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
	"github.com/connectorgroups/connectorgroups/internal/wirecorpus"
)

// The compiled response checker must give specvalidator's verdict
// (ValidateRoutedResponse: kin-openapi) on every response: a violation or
// none. Both are fed the same responses: generated from each operation's
// declared responses, the real Graph corpus, and mutations of either.

// RespCase is one response to an operation.
type RespCase struct {
	Op     string // operationId
	Method string
	Path   string // a request path that routes to Op
	Status int
	Header http.Header
	Body   []byte
}

func (c RespCase) String() string {
	return fmt.Sprintf("%s %d %v %q", c.Op, c.Status, c.Header, c.Body)
}

type respHarness struct {
	kin      *specvalidator.Validator
	compiled *fastvalidator.Responses
	ops      []diffOp
}

func newRespHarness(t testing.TB) *respHarness {
	t.Helper()
	h := newHarness(t)
	compiled, err := fastvalidator.CompileResponses(h.kin.Doc())
	require.NoError(t, err)
	return &respHarness{kin: h.kin, compiled: compiled, ops: h.ops}
}

// compare checks c with both; it returns kin's verdict and whether they agree.
func (h *respHarness) compare(t testing.TB, c RespCase) (bool, bool) {
	t.Helper()
	req := httptest.NewRequest(c.Method, c.Path, http.NoBody)
	route, params, err := h.kin.Route(req)
	require.NoError(t, err, c.Path)
	require.Equal(t, c.Op, route.Operation.OperationID)
	kinErr := h.kin.ValidateRoutedResponse(t.Context(), req, route, params, c.Status, c.Header.Clone(), slices.Clone(c.Body))
	got := h.compiled.Check(c.Op, c.Method, c.Status, c.Header, c.Body)
	kinBad := kinErr != nil
	if kinBad != (len(got) > 0) {
		t.Errorf("disagree on %v:\n  kin:      %v\n  compiled: %v", c, specvalidator.Violations(c.Op, specvalidator.DirectionResponse, kinErr), got)
		return kinBad, false
	}
	return kinBad, true
}

func TestCompiledResponsesAgreeWithKin(t *testing.T) {
	h := newRespHarness(t)
	n := 3000
	if testing.Short() {
		n = 300
	}
	for i, op := range h.ops {
		t.Run(op.id, func(t *testing.T) {
			g := &respGen{h: h, r: rand.New(rand.NewPCG(uint64(i)+1, 42))}
			var bad, good int
			for range n {
				kinBad, ok := h.compare(t, g.next(op))
				if !ok {
					return
				}
				if kinBad {
					bad++
				} else {
					good++
				}
			}
			// Both verdicts must be well represented, or the test proves little.
			assert.Greater(t, good, n/10, "valid responses")
			assert.Greater(t, bad, n/10, "invalid responses")
		})
	}
}

// Every real Graph response in the corpus, taken as every operation's
// answer at its status, mutated or not.
func TestCompiledResponsesAgreeWithKinOnTheCorpus(t *testing.T) {
	h := newRespHarness(t)
	corpus, err := wirecorpus.Load("../../testdata/graph-responses")
	require.NoError(t, err)
	g := &respGen{h: h, r: rand.New(rand.NewPCG(7, 7))}
	for _, r := range corpus {
		for _, op := range h.ops {
			c := RespCase{Op: op.id, Method: op.method, Path: respPath(op), Status: r.Status, Header: r.Header, Body: r.Body}
			h.compare(t, c)
			for range 20 {
				m := c
				m.Header, m.Body = c.Header.Clone(), slices.Clone(c.Body)
				g.mutate(&m)
				h.compare(t, m)
			}
		}
	}
}

func respPath(op diffOp) string {
	return "/beta" + strings.ReplaceAll(op.path, "{id}", "x-1")
}

type respGen struct {
	h *respHarness
	r *rand.Rand
}

func (g *respGen) chance(p float64) bool { return g.r.Float64() < p }

func rpick[T any](g *respGen, xs ...T) T { return xs[g.r.IntN(len(xs))] }

var undeclared = []int{200, 202, 302, 304, 307, 418, 422, 499, 600, 99, 0}

func (g *respGen) next(op diffOp) RespCase {
	codes := slices.Sorted(func(yield func(string) bool) {
		for k := range op.doc.Responses.Map() {
			if !yield(k) {
				return
			}
		}
	})
	key := rpick(g, codes...)
	status, _ := strconv.Atoi(key)
	if key == "5XX" {
		status = rpick(g, 500, 503, 504, 599)
	}
	resp := op.doc.Responses.Value(key).Value
	c := RespCase{Op: op.id, Method: op.method, Path: respPath(op), Status: status, Header: http.Header{}}
	for name, ref := range resp.Headers {
		if !ref.Value.Required && g.chance(0.5) {
			continue
		}
		c.Header.Set(name, g.headerValue(ref.Value.Schema.Value))
	}
	if mt := resp.Content.Get("application/json"); mt != nil {
		c.Header.Set("Content-Type", rpick(g, graph.ContentTypeEntity, graph.ContentTypeError, "application/json; charset=utf-8", " Application/JSON "))
		c.Body, _ = json.Marshal(g.value(mt.Schema.Value, 0))
	} else if g.chance(0.3) {
		c.Body = []byte(`{"ignored":true}`) // no content declared: never read
	}
	if g.chance(0.55) {
		g.mutate(&c)
	}
	return c
}

func (g *respGen) headerValue(s *openapi3.Schema) string {
	switch {
	case len(s.Enum) > 0:
		return s.Enum[g.r.IntN(len(s.Enum))].(string)
	case s.Type.Is(openapi3.TypeInteger):
		return strconv.Itoa(g.r.IntN(120))
	}
	return fmt.Sprintf("%08x-id", g.r.Uint32())
}

// value generates a value that keeps to s.
func (g *respGen) value(s *openapi3.Schema, depth int) any {
	if s.Nullable && g.chance(0.2) {
		return nil
	}
	switch {
	case len(s.Enum) > 0:
		return s.Enum[g.r.IntN(len(s.Enum))]
	case s.Type.Is(openapi3.TypeBoolean):
		return g.chance(0.5)
	case s.Type.Is(openapi3.TypeString):
		if s.Pattern != "" {
			v, err := patterngen.Generate(g.r, s.Pattern, 6)
			if err != nil {
				panic(err)
			}
			return v
		}
		if s.Format == "uri" {
			return rpick(g, "https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectors?$skiptoken=abc", "http://127.0.0.1:8080/beta/x")
		}
		return rpick(g, "x", "Europe", "name with spaces", "é ü", "a<b>&c", "", "2023-07-07T11:13:19")
	case s.Type.Is(openapi3.TypeArray):
		var out []any
		if depth < 4 {
			for range g.r.IntN(4) {
				out = append(out, g.value(s.Items.Value, depth+1))
			}
		}
		if out == nil {
			return []any{}
		}
		return out
	case s.Type.Is(openapi3.TypeObject):
		obj := map[string]any{}
		for _, name := range slices.Sorted(func(yield func(string) bool) {
			for k := range s.Properties {
				if !yield(k) {
					return
				}
			}
		}) {
			if slices.Contains(s.Required, name) || (depth < 4 && g.chance(0.6)) {
				obj[name] = g.value(s.Properties[name].Value, depth+1)
			}
		}
		if g.chance(0.2) {
			obj["extra"+strconv.Itoa(g.r.IntN(3))] = rpick[any](g, 1, "s", nil, []any{1}, map[string]any{"k": true})
		}
		return obj
	}
	return "?"
}

// mutate breaks c in one or more ways, some of which the spec allows.
func (g *respGen) mutate(c *RespCase) {
	for range 1 + g.r.IntN(2) {
		switch g.r.IntN(6) {
		case 0: // the status
			c.Status = rpick(g, undeclared...)
		case 1: // a header
			g.mutateHeader(c.Header)
		case 2: // the Content-Type
			cts := []string{"", "text/plain", "application/jsonx", `application/json; charset="`, "application/json;odata.metadata=full", "application/*", "APPLICATION/JSON", "application/json; charset=latin1", "json"}
			if g.chance(0.2) {
				c.Header["Content-Type"] = nil
			} else {
				c.Header.Set("Content-Type", rpick(g, cts...))
			}
		default: // the body
			g.mutateBody(c)
		}
	}
}

func (g *respGen) mutateHeader(h http.Header) {
	name := rpick(g, "request-id", "client-request-id", "OData-Version", "Retry-After")
	key := http.CanonicalHeaderKey(name)
	switch g.r.IntN(7) {
	case 0:
		delete(h, key)
	case 1:
		h[key] = []string{""}
	case 2:
		h[key] = nil // present, without a value
	case 3:
		h[key] = []string{rpick(g, "4.01", "4.0 ", "-1", "abc", "1.5", "0", "99999999999999999999", "4.0")}
	case 4:
		delete(h, key)
		h[name] = []string{"4.0"} // a key net/http would not have written
	case 5:
		h[key] = []string{rpick(g, "", "4.0", "x"), rpick(g, "4.0", "x", "7")}
	default:
		h.Set(key, fmt.Sprintf("%d", g.r.IntN(10)-2))
	}
}

func (g *respGen) mutateBody(c *RespCase) {
	var v any
	if err := json.Unmarshal(c.Body, &v); err != nil || g.chance(0.25) {
		c.Body = g.mutateText(c.Body)
		return
	}
	c.Body, _ = json.Marshal(g.mutateValue(v, 0))
}

// mutateValue changes one place in v.
func (g *respGen) mutateValue(v any, depth int) any {
	switch x := v.(type) {
	case map[string]any:
		keys := slices.Sorted(func(yield func(string) bool) {
			for k := range x {
				if !yield(k) {
					return
				}
			}
		})
		if len(keys) == 0 || g.chance(0.25) {
			switch g.r.IntN(3) {
			case 0:
				x[rpick(g, "extra", "status", "region", "id", "value", "error", "code", "message", "innerError", "@odata.nextLink")] = rpick[any](g, "japan", 1, nil, true, []any{}, map[string]any{})
			case 1:
				if len(keys) > 0 {
					delete(x, rpick(g, keys...))
				}
			default:
				return rpick[any](g, nil, "s", 1, []any{x})
			}
			return x
		}
		k := rpick(g, keys...)
		x[k] = g.mutateValue(x[k], depth+1)
		return x
	case []any:
		if len(x) == 0 || g.chance(0.3) {
			return append(x, rpick[any](g, nil, "s", map[string]any{}))
		}
		i := g.r.IntN(len(x))
		x[i] = g.mutateValue(x[i], depth+1)
		return x
	case string:
		return rpick[any](g, "japan", "", "unknownFutureValue", "Inactive", "syncFabric", "not a uri", "https://x/{ver}", nil, 1, true, "active", "eur", x+" ")
	case bool:
		return rpick[any](g, "true", nil, !x, 0)
	default:
		return rpick[any](g, "x", nil, false, map[string]any{})
	}
}

func (g *respGen) mutateText(b []byte) []byte {
	switch g.r.IntN(6) {
	case 0:
		return nil
	case 1:
		if len(b) > 1 {
			return b[:g.r.IntN(len(b))]
		}
		return b
	case 2:
		return append(b, rpick(g, " ", " x", "{}", "\n")...)
	case 3: // a key twice
		if i := slices.Index(b, '{'); i >= 0 {
			return append(append(slices.Clone(b[:i+1]), `"dup":1,"dup":2,`...), b[i+1:]...)
		}
		return b
	case 4:
		return []byte(strings.Repeat("[", 70) + strings.Repeat("]", 70))
	default: // invalid UTF-8 or an escape
		return []byte(strings.Replace(string(b), `"`, rpick(g, "\"\xff", `"\u0061`, `"\"`), 3))
	}
}
