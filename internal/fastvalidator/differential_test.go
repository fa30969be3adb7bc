package fastvalidator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/internal/fastvalidator"
	"github.com/connectorgroups/connectorgroups/internal/patterngen"
	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
)

// The compiled validator must give kin-openapi's verdict on every request:
// accepted, 400, 415, or, for an id the spec's router reads as two
// segments (a%2Fb), no route (404 in the fake). Both are fed the same
// requests, generated from the spec and then mutated.

// verdict is what a validator made of one request.
type verdict string

const (
	accepted verdict = "accepted"
	rejected verdict = "400"
	media    verdict = "415"
	noRoute  verdict = "no route"
)

// diffOp is an operation with what the generator needs of it.
type diffOp struct {
	id, method, path string // path as the spec writes it, with {id}
	doc              *openapi3.Operation
}

type harness struct {
	kin      *specvalidator.Validator
	compiled *fastvalidator.Validator
	ops      []diffOp
	mux      *http.ServeMux
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	kin, err := specvalidator.Load()
	require.NoError(t, err)
	compiled, err := fastvalidator.Compile(kin.Doc())
	require.NoError(t, err)
	h := &harness{kin: kin, compiled: compiled, mux: http.NewServeMux()}
	paths := kin.Doc().Paths.Map()
	for _, p := range slices.Sorted(func(yield func(string) bool) {
		for k := range paths {
			if !yield(k) {
				return
			}
		}
	}) {
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete} {
			if op := paths[p].GetOperation(m); op != nil {
				h.ops = append(h.ops, diffOp{id: op.OperationID, method: m, path: p, doc: op})
				// The fake's mux serves the spec's paths under /beta.
				h.mux.HandleFunc(m+" /beta"+p, func(http.ResponseWriter, *http.Request) {})
			}
		}
	}
	return h
}

// diffCase is one request.
type diffCase struct {
	op              int
	id              string // the path's {id}, escaped as sent
	rawQuery        string
	clientRequestID []string
	contentType     []string
	body            []byte
}

func (h *harness) request(c diffCase) (*http.Request, error) {
	op := h.ops[c.op]
	target := "http://graph.test/beta" + strings.ReplaceAll(op.path, "{id}", c.id)
	if c.rawQuery != "" {
		target += "?" + c.rawQuery
	}
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	r, err := http.NewRequest(op.method, u.String(), nil)
	if err != nil {
		return nil, err
	}
	for _, v := range c.clientRequestID {
		r.Header.Add("client-request-id", v)
	}
	for _, v := range c.contentType {
		r.Header.Add("Content-Type", v)
	}
	return r, nil
}

// kinVerdict is the fake's reference path: an id with a slash is no
// route, as on the compiled path (kin-openapi's router reads 0%2F as a
// trailing slash and routes it); then kin-openapi routes the request and
// checks it (security aside, as the fake authenticates first).
func (h *harness) kinVerdict(r *http.Request, op diffOp, body []byte) verdict {
	r = r.Clone(context.Background())
	h.mux.ServeHTTP(nopWriter{}, r) // sets the path values
	if strings.Contains(r.PathValue("id"), "/") {
		return noRoute
	}
	r.Body = readCloser(body)
	route, _, err := h.kin.Route(r)
	if err != nil || route.Operation.OperationID != op.id {
		return noRoute
	}
	if _, err := h.kin.CheckRequest(context.Background(), r, specvalidator.Options{SkipSecurity: true}); err != nil {
		if specvalidator.IsUnsupportedMediaType(err) {
			return media
		}
		return rejected
	}
	return accepted
}

// compiledVerdict is the fast path: the mux matched, an id with a / in it
// is no route, then the compiled operation checks the request.
func (h *harness) compiledVerdict(r *http.Request, op diffOp, body []byte) (verdict, *fastvalidator.Error) {
	r = r.Clone(context.Background())
	_, pattern := h.mux.Handler(r)
	if pattern != op.method+" /beta"+op.path {
		return noRoute, nil
	}
	// Handler does not set the path values; ServeHTTP does.
	var matched *http.Request
	h.mux.ServeHTTP(nopWriter{}, r)
	matched = r
	if strings.Contains(matched.PathValue("id"), "/") {
		return noRoute, nil
	}
	_, verr := h.compiled.Operation(op.id).Check(matched, matched.URL.Query(), matched.Header, body)
	switch {
	case verr == nil:
		return accepted, nil
	case verr.Status == http.StatusUnsupportedMediaType:
		return media, verr
	default:
		return rejected, verr
	}
}

func (h *harness) compare(t testing.TB, c diffCase) (verdict, bool) {
	t.Helper()
	r, err := h.request(c)
	if err != nil {
		return "", false // not a request a client could send
	}
	op := h.ops[c.op]
	// The fake answers a path with an empty or dot segment (an id "/0"
	// makes connectorGroups//0) with 400 before routing, where ServeMux
	// would redirect it (fakegraph's rejectUncleanPaths): neither
	// validator is asked. (The fuzz target found this case.)
	if !isCleanPath(r.URL.Path) {
		return "", false
	}
	// The mux must serve the operation for both to be asked.
	if _, pattern := h.mux.Handler(r.Clone(context.Background())); pattern != op.method+" /beta"+op.path {
		return "", false
	}
	want := h.kinVerdict(r, op, c.body)
	got, verr := h.compiledVerdict(r, op, c.body)
	if got != want {
		t.Errorf("%s %s\n  client-request-id %q, Content-Type %q\n  body %q\n  kin-openapi: %s; compiled: %s (%v)",
			op.method, r.URL.RequestURI(), c.clientRequestID, c.contentType, c.body, want, got, verr)
	}
	return want, true
}

// isCleanPath is fakegraph's rule for a path it routes: path.Clean
// leaves it as it is, but for a trailing slash.
func isCleanPath(p string) bool {
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	return strings.HasPrefix(p, "/") && clean == p
}

func readCloser(b []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(b)) }

type nopWriter struct{}

func (nopWriter) Header() http.Header         { return http.Header{} }
func (nopWriter) Write(b []byte) (int, error) { return len(b), nil }
func (nopWriter) WriteHeader(int)             {}

func TestCompiledValidatorAgreesWithKin(t *testing.T) {
	h := newHarness(t)
	n := 6000
	if testing.Short() {
		n = 1500
	}
	g := &caseGen{r: rand.New(rand.NewPCG(10, 2026)), h: h}
	counts := map[verdict]int{}
	perOp := map[string]int{}
	for range n {
		c := g.next()
		if v, ok := h.compare(t, c); ok {
			counts[v]++
			perOp[h.ops[c.op].id]++
		}
		if t.Failed() {
			break
		}
	}
	t.Logf("verdicts: %v; per operation: %v", counts, perOp)
	// Bounded but not vacuous: every kind of verdict came up.
	for _, v := range []verdict{accepted, rejected, media, noRoute} {
		require.Positive(t, counts[v], "no case was %s", v)
	}
	require.Len(t, perOp, len(h.ops), "every operation was exercised")
}

// FuzzCompiledValidatorAgreesWithKin feeds any request to both validators.
// Its corpus under testdata/fuzz replays in every go test.
func FuzzCompiledValidatorAgreesWithKin(f *testing.F) {
	h := newHarness(f)
	g := &caseGen{r: rand.New(rand.NewPCG(1, 1)), h: h}
	for range 40 {
		c := g.next()
		f.Add(uint8(c.op), c.id, c.rawQuery, strings.Join(c.clientRequestID, "\n"), strings.Join(c.contentType, "\n"), c.body)
	}
	f.Fuzz(func(t *testing.T, op uint8, id, rawQuery, clientRequestID, contentType string, body []byte) {
		c := diffCase{op: int(op) % len(h.ops), id: id, rawQuery: rawQuery, body: body}
		if clientRequestID != "" {
			c.clientRequestID = strings.Split(clientRequestID, "\n")
		}
		if contentType != "" {
			c.contentType = strings.Split(contentType, "\n")
		}
		if len(c.contentType) > 1 {
			return // the fake refuses two Content-Types before validation
		}
		h.compare(t, c)
	})
}

// caseGen makes requests: valid ones from the spec's patterns and enums,
// then each part mutated with some chance.
type caseGen struct {
	r *rand.Rand
	h *harness
}

func (g *caseGen) chance(p float64) bool { return g.r.Float64() < p }

func pick[T any](g *caseGen, xs ...T) T { return xs[g.r.IntN(len(xs))] }

func (g *caseGen) gen(pattern string) string {
	s, err := patterngen.Generate(g.r, pattern, 8)
	if err != nil {
		panic(err)
	}
	return s
}

const (
	idPattern   = `^([^.]|[^.][\s\S]|[\s\S][^.]|[\s\S]{3,})$`
	crIDPattern = `^([!-~]([ -~]*[!-~])?)?$`
)

func (g *caseGen) next() diffCase {
	c := diffCase{op: g.r.IntN(len(g.h.ops))}
	op := g.h.ops[c.op]
	c.id = url.PathEscape(pick(g, "4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21", "x", g.gen(`^[a-z0-9-]{1,12}$`)))
	if g.chance(0.25) {
		c.id = pick(g, "a%2Fb", "%2E", "%2E%2E", ".x", "..a", "%24ref", "%C3%A9", "%FF", "%20", "a%3Fb", url.PathEscape(g.gen(idPattern)))
	}
	if slices.ContainsFunc(op.doc.Parameters, func(p *openapi3.ParameterRef) bool { return p.Value.In == "query" }) || g.chance(0.1) {
		c.rawQuery = g.query()
	}
	switch {
	case g.chance(0.6):
	case g.chance(0.6):
		c.clientRequestID = []string{g.gen(crIDPattern)}
	default:
		c.clientRequestID = []string{pick(g, "", " a", "a ", "é", "\x7f", "a\tb", "ok"), "second"}[:1+g.r.IntN(2)]
	}
	if op.doc.RequestBody != nil {
		c.contentType = []string{"application/json"}
		if g.chance(0.3) {
			c.contentType = []string{pick(g, "", "APPLICATION/JSON", "application/json; charset=utf-8", "application/json; charset=UTF-8",
				"application/json; charset=latin1", "application/json;", "application/json; charset=\"", " application/json ",
				"text/plain", "application/*", "*/*", "application/json, text/plain", "application/merge-patch+json",
				"application/problem+json", "application/jsonx", "json", "application/json; foo=bar", "application/json ;charset=utf-8")}
			if c.contentType[0] == "" {
				c.contentType = nil
			}
		}
		c.body = g.body(op)
	} else if g.chance(0.1) {
		c.contentType = []string{pick(g, "text/plain", "application/json")}
		c.body = []byte(pick(g, "{}", "x"))
	}
	return c
}

func (g *caseGen) query() string {
	var parts []string
	for range g.r.IntN(3) {
		switch g.r.IntN(4) {
		case 0, 1:
			parts = append(parts, "%24top="+url.QueryEscape(pick(g, "1", "2", "999", "100", "0", "1000", "-1", "+5", "05", "1.5", "1e2", "abc", "", " 5",
				"9223372036854775807", "9223372036854775808", "0x10", "٣", fmt.Sprint(g.r.IntN(1200)))))
		case 2:
			parts = append(parts, "$skiptoken="+url.QueryEscape(pick(g, "", "abc", "%", g.gen(`^[A-Za-z0-9]{0,6}$`))))
		default:
			parts = append(parts, pick(g, "$filter=x", "foo=bar", "$top", "$skiptoken", "$select=id"))
		}
	}
	return strings.Join(parts, "&")
}

// body is a valid body for op, or a mutation of one.
func (g *caseGen) body(op diffOp) []byte {
	obj := map[string]any{}
	switch op.id {
	case "addConnectorToConnectorGroup", "addConnectorGroupMember":
		obj["@odata.id"] = g.gen(`^https?://[A-Za-z0-9.-]{1,8}(:[0-9]{1,5})?/(beta|v1\.0)/(connector|connectors|onPremisesPublishingProfiles/applicationProxy/connectors)/(([A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})+)$`)
	case "addConnectorMemberOf":
		obj["@odata.id"] = g.gen(`^https?://[A-Za-z0-9.-]{1,8}(:[0-9]{1,5})?/(beta|v1\.0)/onPremisesPublishingProfiles/applicationProxy/connectorGroups/(([A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})+)$`)
	default: // create and update
		if op.id == "createConnectorGroup" || g.chance(0.7) {
			obj["name"] = g.gen(`^[ -~]{1,10}$`)
			if g.chance(0.2) {
				// at the spec's maxLength or one past it, in code points
				// of 1, 2 and 4 bytes
				obj["name"] = strings.Repeat(pick(g, "n", "é", "😀"), 256+g.r.IntN(2))
			}
		}
		if g.chance(0.5) {
			obj["region"] = pick[any](g, "nam", "eur", "aus", "asia", "ind", "unknownFutureValue", nil)
		}
		if g.chance(0.2) {
			obj["@odata.type"] = "#microsoft.graph.connectorGroup"
		}
	}
	for g.chance(0.5) {
		g.mutate(obj)
	}
	b, _ := json.Marshal(obj)
	if g.chance(0.15) {
		b = g.mutateText(b)
	}
	return b
}

func (g *caseGen) mutate(obj map[string]any) {
	keys := []string{"@odata.id", "name", "region", "@odata.type", "id", "isDefault", "connectorGroupType", "@odata.context", "@ODATA.ID", "Name", "extra"}
	key := pick(g, keys...)
	switch g.r.IntN(4) {
	case 0:
		delete(obj, key)
	case 1:
		obj[key] = pick[any](g, nil, "", " ", true, 1.5, json.Number("2"), []any{}, map[string]any{}, "nam", "japan",
			"#microsoft.graph.connector", "https://graph.microsoft.com/beta/connector/{id}", "https://graph.microsoft.com/beta/connector/a b",
			"https://graph.microsoft.com/beta/connector/x?y", "https://graph.microsoft.com/beta/connectors/x", "é",
			// names at the spec's maxLength and one past it, counted in code points
			strings.Repeat("n", 256), strings.Repeat("é", 257), strings.Repeat("😀", 256), strings.Repeat("😀", 257))
	case 2:
		if link, ok := obj["@odata.id"].(string); ok {
			i := g.r.IntN(len(link) + 1)
			obj["@odata.id"] = link[:i] + pick(g, "", " ", "%", "%zz", "{", "é", "#", "/", "\x00") + link[i:]
		}
	default:
		for k, v := range obj {
			delete(obj, k)
			obj[strings.ToUpper(k[:1])+k[1:]] = v
			break
		}
	}
}

func (g *caseGen) mutateText(b []byte) []byte {
	s := string(b)
	switch g.r.IntN(9) {
	case 0:
		return []byte(s[:g.r.IntN(len(s)+1)])
	case 1:
		return []byte(s + pick(g, " ", "x", "{}", "\n"))
	case 2:
		return []byte(pick(g, "null", "[]", `"x"`, "1", "true", "", " ", "{}", `{"a":1,"a":2}`))
	case 3:
		if strings.HasPrefix(s, "{") && len(s) > 2 {
			return []byte(`{"name":"a",` + s[1:]) // may repeat a key
		}
	case 4:
		return []byte(strings.Repeat("[", 70) + strings.Repeat("]", 70))
	case 5:
		return []byte(strings.Replace(s, "\"", "\"\xff", 1))
	case 6:
		return []byte(strings.Replace(s, "\"", pick(g, `"\ud800`, `"\udc00`, `"\ud83d\ude00`), 1))
	case 7:
		if i := strings.Index(s, `":"`); i >= 0 {
			return []byte(s[:i+2] + pick(g, "1e999999", "-1e999999", "1e-999999", "123456789012345678901234567890") + `,"z":` + s[i+2:])
		}
	}
	return []byte(strings.Replace(s, "{", "{ ", 1))
}
