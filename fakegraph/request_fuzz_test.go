package fakegraph

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/connectorgroups/connectorgroups/internal/graph"
	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
)

// FuzzRequestPath sends any request through the fake's whole handler, in
// process: a method, a path built from the spec's paths with any id, a raw
// query, Authorization, Content-Type, client-request-id,
// ConsistencyLevel and Content-Encoding headers, and a body, sent
// gzip-compressed or not. Invariants, with faults off:
//
//   - no panic, and never a 5xx;
//   - every response is Graph's: an error is application/json with an
//     ODataError whose code and message are set and whose request-id is
//     the header's; a success is Graph's entity JSON, or nothing for 204;
//   - every response to an operation validates against the spec
//     (WithResponseValidation records none);
//   - a Content-Encoding that names another coding than gzip is 415 (or
//     the 400 of a bad client-request-id, which is judged first);
//   - the state changes only on a 2xx, and then exactly as the model
//     says (expectedState) of the body as the fake reads it (inflated
//     when it is sent compressed and says so): reads change nothing, create adds the one
//     group it answered, update changes only the named group's given
//     fields, delete removes one empty non-default group, and an add or
//     move moves exactly the named connector into the named group.
//
// Its corpus under testdata/fuzz replays in every go test.
func FuzzRequestPath(f *testing.F) {
	h := newRequestFuzzer(f)
	for _, s := range requestFuzzSeeds() {
		f.Add(s.methodSel, s.method, h.templateIndex(s.template), s.idSel, s.id, s.rawQuery, s.authSel, s.auth, s.contentType, s.clientRequestID, s.consistency, []byte(s.body), s.encoding, s.gzip)
	}
	f.Fuzz(func(t *testing.T, methodSel uint8, method string, pathSel uint8, idSel uint8, id, rawQuery string,
		authSel uint8, auth, contentType, clientRequestID, consistency string, body []byte, encoding string, gzipBody bool) {
		req, ok := h.request(methodSel, method, pathSel, idSel, id, rawQuery, authSel, auth, contentType, clientRequestID, consistency, body, encoding, gzipBody)
		if !ok {
			return // net/http would refuse it before any handler
		}
		h.check(t, req, body, gzipBody)
	})
}

// requestFuzzer holds one fake, reset before each request, and the spec's
// paths to build requests from.
type requestFuzzer struct {
	srv       *Server
	templates []pathTemplate
}

// pathTemplate is a path with {id} in it, and the operation each method
// has there ("" for a path the spec does not declare).
type pathTemplate struct {
	path string
	ops  map[string]string // method → operation id
}

var (
	fuzzMethods = []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete, http.MethodPut, http.MethodHead, http.MethodOptions}
	fuzzTokens  = []string{"dev-token", "admin-token", "reader-token", ""}
	fuzzIDs     = []string{defaultGroupID, emptyGroupID, europeGroupID, docConnectorID, europeMember, inactiveConnID}
)

func newRequestFuzzer(tb testing.TB) *requestFuzzer {
	tb.Helper()
	srv, err := New(nil, WithResponseValidation())
	if err != nil {
		tb.Fatal(err)
	}
	v, err := specvalidator.Load()
	if err != nil {
		tb.Fatal(err)
	}
	h := &requestFuzzer{srv: srv}
	paths := v.Doc().Paths.Map()
	for _, p := range slices.Sorted(maps.Keys(paths)) {
		tpl := pathTemplate{path: basePath + p, ops: map[string]string{}}
		for m, op := range paths[p].Operations() {
			tpl.ops[m] = op.OperationID
		}
		h.templates = append(h.templates, tpl)
	}
	// Paths that name no operation: another version, none, the root, the
	// SDK's member delete, a segment Graph lacks.
	for _, p := range []string{"/v1.0" + graph.ConnectorGroupsPath(), "/", basePath, basePath + "/", basePath + graph.ConnectorGroupsPath() + "/{id}/members/{id}/$ref", basePath + "/me"} {
		h.templates = append(h.templates, pathTemplate{path: p})
	}
	return h
}

// templateIndex is the pathSel that picks path.
func (h *requestFuzzer) templateIndex(path string) uint8 {
	for i, tpl := range h.templates {
		if tpl.path == path {
			return uint8(i)
		}
	}
	panic("no template " + path)
}

// request builds the request as net/http's server would hand it to the
// handler, or returns false for one the server refuses itself (a method
// that is no token, a request-target that does not parse, a header value
// with control characters).
func (h *requestFuzzer) request(methodSel uint8, method string, pathSel uint8, idSel uint8, id, rawQuery string,
	authSel uint8, auth, contentType, clientRequestID, consistency string, body []byte, encoding string, gzipBody bool) (*http.Request, bool) {
	if method == "" {
		method = fuzzMethods[int(methodSel)%len(fuzzMethods)]
	}
	if !isToken(method) {
		return nil, false
	}
	if id == "" {
		id = fuzzIDs[int(idSel)%len(fuzzIDs)]
	}
	target := strings.ReplaceAll(h.templates[int(pathSel)%len(h.templates)].path, "{id}", id)
	if rawQuery != "" {
		target += "?" + rawQuery
	}
	u, err := url.ParseRequestURI(target)
	if err != nil {
		return nil, false
	}
	header := http.Header{}
	if auth == "" {
		if tok := fuzzTokens[int(authSel)%len(fuzzTokens)]; tok != "" {
			header.Set("Authorization", "Bearer "+tok)
		}
	} else {
		header.Set("Authorization", auth)
	}
	for name, v := range map[string]string{"Content-Type": contentType, graph.HeaderClientRequestID: clientRequestID, "ConsistencyLevel": consistency, graph.HeaderContentEncoding: encoding} {
		if v != "" {
			header.Set(name, v)
		}
	}
	for name, vs := range header {
		for i, v := range vs {
			if strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f }) {
				return nil, false
			}
			vs[i] = strings.Trim(v, " \t") // as textproto reads a header line
		}
		header[name] = vs
	}
	req := &http.Request{
		Method: method, URL: u, RequestURI: target, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: header, Host: "127.0.0.1:8080", RemoteAddr: "192.0.2.1:50000", Body: http.NoBody,
	}
	if gzipBody {
		body = gzipCompressed(body)
	}
	if len(body) > 0 {
		req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	}
	return req.WithContext(context.Background()), true
}

// gzipCompressed is b as Microsoft's SDKs send a body (gzip.NewWriter).
func gzipCompressed(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(b) // a bytes.Buffer takes every write
	_ = zw.Close()
	return buf.Bytes()
}

// isToken reports whether s is an HTTP token (RFC 9110), as a method must
// be.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r > 0x7e || r <= ' ' || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return false
		}
	}
	return true
}

// check serves req from the seed's state and asserts the invariants;
// body is the body before any compression, gzipBody whether it went
// compressed.
func (h *requestFuzzer) check(t *testing.T, req *http.Request, body []byte, gzipBody bool) {
	t.Helper()
	headerGzip, codingErr := graph.RequestGzipped(req.Header)
	clientRequestIDValid := graph.ValidClientRequestID(req.Header.Get(graph.HeaderClientRequestID))
	h.srv.Reset()
	before := h.srv.Snapshot()
	violations := len(h.srv.ResponseViolations())
	rec := httptest.NewRecorder()
	h.srv.ServeHTTP(rec, req)
	after := h.srv.Snapshot()
	status, respBody := rec.Code, rec.Body.Bytes()
	what := fmt.Sprintf("%s %s (body %q, Content-Encoding %q, compressed %t) answered %d %s", req.Method, req.RequestURI, body, req.Header.Values(graph.HeaderContentEncoding), gzipBody, status, respBody)

	if status >= 500 {
		t.Fatalf("a 5xx: %s", what)
	}
	if found := h.srv.ResponseViolations(); len(found) > violations {
		t.Fatalf("the response breaks the spec: %v\n%s", found[violations:], what)
	}
	requireGraphResponse(t, rec, what)
	if codingErr != nil && clientRequestIDValid && status != http.StatusUnsupportedMediaType {
		t.Fatalf("a content coding other than gzip, not 415: %s", what)
	}
	if status < 200 || status > 299 {
		if !reflect.DeepEqual(before, after) {
			t.Fatalf("a refusal changed the state: %s", what)
		}
		return
	}
	want, err := expectedState(before, req, bodyAsRead(body, gzipBody, headerGzip), respBody)
	if err != nil {
		t.Fatalf("%v: %s", err, what)
	}
	if !reflect.DeepEqual(normalized(want), normalized(after)) {
		t.Fatalf("the state after %s\n is  %+v\nwant %+v", what, after, want)
	}
}

// bodyAsRead is the body the fake must have read, from the one before
// compression: what went on the wire, inflated when Content-Encoding said
// gzip. Bytes said to be gzip that do not inflate read as text that is no
// JSON, so that a write that succeeds with them is a defect.
func bodyAsRead(body []byte, gzipBody, headerGzip bool) []byte {
	sent := body
	if gzipBody {
		sent = gzipCompressed(body)
	}
	if !headerGzip || len(sent) == 0 {
		return sent
	}
	zr, err := gzip.NewReader(bytes.NewReader(sent))
	if err != nil {
		return []byte("(no gzip stream)")
	}
	read, err := io.ReadAll(io.LimitReader(zr, MaxBodyBytes+1))
	if err != nil {
		return []byte("(no gzip stream)")
	}
	return read
}

// requireGraphResponse checks the shape of any answer: Graph's error, or
// Graph's success.
func requireGraphResponse(t *testing.T, rec *httptest.ResponseRecorder, what string) {
	t.Helper()
	ct, body := rec.Header().Get("Content-Type"), rec.Body.Bytes()
	if rec.Header().Get(graph.HeaderRequestID) == "" {
		t.Fatalf("no request-id: %s", what)
	}
	switch {
	case rec.Code == http.StatusNoContent:
		if len(body) != 0 || ct != "" {
			t.Fatalf("a 204 with Content-Type %q and a body: %s", ct, what)
		}
	case rec.Code >= 200 && rec.Code <= 299:
		if ct != graph.ContentTypeEntity || !json.Valid(body) || !bytes.HasPrefix(body, []byte("{")) {
			t.Fatalf("a success that is not Graph's entity JSON (Content-Type %q): %s", ct, what)
		}
	default:
		ge, ok := graph.DecodeError(body)
		if ct != "application/json" || !ok || ge.Code == "" || ge.Message == "" {
			t.Fatalf("an error that is not Graph's ODataError (Content-Type %q): %s", ct, what)
		}
		if got, want := ge.RequestID(), rec.Header().Get(graph.HeaderRequestID); got != want {
			t.Fatalf("innerError.request-id %q, header %q: %s", got, want, what)
		}
	}
}

// expectedState is the state the model says a successful req leaves,
// from the state before it: the one home of "what each operation does"
// for the fuzz target, written apart from the store.
func expectedState(before Snapshot, req *http.Request, body, respBody []byte) (Snapshot, error) {
	op, pathID, err := operationOf(req)
	if err != nil {
		return Snapshot{}, err
	}
	var fields map[string]any // the body, for an operation that takes one
	switch op {
	case graph.OpCreateConnectorGroup, graph.OpUpdateConnectorGroup, graph.OpAddConnectorDoc, graph.OpAddConnectorGroupMember, graph.OpAddConnectorMemberOf:
		if err := json.Unmarshal(body, &fields); err != nil {
			return Snapshot{}, fmt.Errorf("a success for a body that is no JSON object: %w", err)
		}
		// encoding/json reads text that is not UTF-8, or a lone surrogate,
		// as U+FFFD: a success for such a body stored something else than
		// what was sent.
		if sent := bytes.Contains(body, []byte("\uFFFD")) || bytes.Contains(bytes.ToLower(body), []byte(`\ufffd`)); !sent && holdsFFFD(fields) {
			return Snapshot{}, fmt.Errorf("a success for a body whose text is not Unicode: %q", body)
		}
		if name, _ := fields["name"].(string); utf8.RuneCountInString(name) > graph.MaxNameLength {
			return Snapshot{}, fmt.Errorf("a success for a name of %d characters, over graph.MaxNameLength", utf8.RuneCountInString(name))
		}
	}
	want := cloneSnapshot(before)
	switch op {
	case graph.OpListConnectorGroups, graph.OpGetConnectorGroup, graph.OpListConnectorGroupMembers,
		graph.OpListConnectors, graph.OpGetConnector, graph.OpListConnectorMemberOf:
		return want, nil
	case graph.OpCreateConnectorGroup:
		var created struct{ ID string }
		if err := json.Unmarshal(respBody, &created); err != nil || created.ID == "" {
			return Snapshot{}, fmt.Errorf("a create answered without the group's id")
		}
		if slices.ContainsFunc(before.Groups, func(g ConnectorGroup) bool { return g.ID == created.ID }) {
			return Snapshot{}, fmt.Errorf("a create answered an id that exists: %s", created.ID)
		}
		g := ConnectorGroup{ID: created.ID, ConnectorGroupType: "applicationProxy"}
		g.Name, _ = fields["name"].(string)
		g.Region, _ = fields["region"].(string)
		want.Groups = append(want.Groups, g)
	case graph.OpUpdateConnectorGroup:
		g := groupIn(&want, pathID)
		if g == nil {
			return Snapshot{}, fmt.Errorf("an update of a group that does not exist")
		}
		if name, ok := fields["name"]; ok {
			g.Name, _ = name.(string)
		}
		if region, ok := fields["region"]; ok {
			g.Region, _ = region.(string) // null clears it
		}
	case graph.OpDeleteConnectorGroup:
		g := groupIn(&want, pathID)
		if g == nil || g.IsDefault || len(g.Members) > 0 {
			return Snapshot{}, fmt.Errorf("a delete of a group that is missing, the default or not empty: %+v", g)
		}
		want.Groups = slices.DeleteFunc(want.Groups, func(g ConnectorGroup) bool { return g.ID == pathID })
	case graph.OpAddConnectorDoc, graph.OpAddConnectorGroupMember:
		ref, _ := fields["@odata.id"].(string)
		connectorID, err := graph.ParseConnectorLink(ref)
		if err != nil {
			return Snapshot{}, fmt.Errorf("an add with a link that names no connector: %q", ref)
		}
		return moved(want, pathID, connectorID)
	case graph.OpAddConnectorMemberOf:
		ref, _ := fields["@odata.id"].(string)
		groupID, err := graph.ParseConnectorGroupLink(ref)
		if err != nil {
			return Snapshot{}, fmt.Errorf("a move with a link that names no group: %q", ref)
		}
		return moved(want, groupID, pathID)
	default:
		return Snapshot{}, fmt.Errorf("a success for operation %q, which the model does not know", op)
	}
	return want, nil
}

// operationOf names the operation a request's path and method are, as the
// fake's router matches them: each segment decoded on its own, {id} any
// one non-empty segment. A success for anything else is a defect.
func operationOf(req *http.Request) (op, id string, err error) {
	segs := strings.Split(req.URL.EscapedPath(), "/")
	for i, s := range segs {
		if segs[i], err = url.PathUnescape(s); err != nil {
			return "", "", fmt.Errorf("a success for a path that does not decode")
		}
	}
	v, err := specvalidator.Load()
	if err != nil {
		return "", "", err
	}
	for p, item := range v.Doc().Paths.Map() {
		tpl := strings.Split(basePath+p, "/")
		if len(tpl) != len(segs) {
			continue
		}
		id, match := "", true
		for i := range tpl {
			switch {
			case tpl[i] == "{id}" && segs[i] != "":
				id = segs[i]
			case tpl[i] != segs[i]:
				match = false
			}
		}
		if o := item.GetOperation(req.Method); match && o != nil {
			return o.OperationID, id, nil
		}
	}
	return "", "", fmt.Errorf("a success for a request that names no operation")
}

// moved is want with connectorID moved into groupID, out of the one group
// it was in, which must be another.
func moved(want Snapshot, groupID, connectorID string) (Snapshot, error) {
	to := groupIn(&want, groupID)
	if to == nil {
		return Snapshot{}, fmt.Errorf("a move into group %q, which does not exist", groupID)
	}
	if slices.Contains(to.Members, connectorID) {
		return Snapshot{}, fmt.Errorf("a move of %q into the group it is in", connectorID)
	}
	from := -1
	for i, g := range want.Groups {
		if slices.Contains(g.Members, connectorID) {
			from = i
		}
	}
	if from < 0 {
		return Snapshot{}, fmt.Errorf("a move of %q, which is in no group", connectorID)
	}
	want.Groups[from].Members = slices.DeleteFunc(want.Groups[from].Members, func(m string) bool { return m == connectorID })
	to.Members = append(to.Members, connectorID)
	slices.Sort(to.Members)
	return want, nil
}

func groupIn(s *Snapshot, id string) *ConnectorGroup {
	for i := range s.Groups {
		if s.Groups[i].ID == id {
			return &s.Groups[i]
		}
	}
	return nil
}

func cloneSnapshot(s Snapshot) Snapshot {
	out := Snapshot{Groups: slices.Clone(s.Groups), Connectors: slices.Clone(s.Connectors)}
	for i := range out.Groups {
		out.Groups[i].Members = slices.Clone(out.Groups[i].Members)
	}
	return out
}

// normalized sorts the groups by id and makes every empty member list
// the same, so that two states compare equal when they are.
func normalized(s Snapshot) Snapshot {
	s = cloneSnapshot(s)
	slices.SortFunc(s.Groups, func(a, b ConnectorGroup) int { return strings.Compare(a.ID, b.ID) })
	for i := range s.Groups {
		if len(s.Groups[i].Members) == 0 {
			s.Groups[i].Members = nil
		}
	}
	return s
}

// holdsFFFD reports whether any string or key in v holds U+FFFD.
func holdsFFFD(v any) bool {
	switch v := v.(type) {
	case string:
		return strings.ContainsRune(v, '\uFFFD')
	case []any:
		return slices.ContainsFunc(v, holdsFFFD)
	case map[string]any:
		for k, e := range v {
			if strings.ContainsRune(k, '\uFFFD') || holdsFFFD(e) {
				return true
			}
		}
	}
	return false
}

// requestFuzzSeed is one seed request, its path named by template.
type requestFuzzSeed struct {
	methodSel                                       uint8
	method, template                                string
	idSel                                           uint8
	id, rawQuery                                    string
	authSel                                         uint8
	auth, contentType, clientRequestID, consistency string
	body                                            string
	encoding                                        string // Content-Encoding
	gzip                                            bool   // the body goes gzip-compressed
	want                                            int    // the status it gets from the seed's state
}

// The seeds get the answers they were written for, so the corpus keeps
// covering every operation's success (whose state change the fuzz target
// checks against the model) and its refusals.
func TestRequestFuzzSeedsGetTheirAnswers(t *testing.T) {
	h := newRequestFuzzer(t)
	for _, s := range requestFuzzSeeds() {
		req, ok := h.request(s.methodSel, s.method, h.templateIndex(s.template), s.idSel, s.id, s.rawQuery, s.authSel, s.auth, s.contentType, s.clientRequestID, s.consistency, []byte(s.body), s.encoding, s.gzip)
		if !ok {
			t.Fatalf("seed %+v builds no request", s)
		}
		h.srv.Reset()
		rec := httptest.NewRecorder()
		h.srv.ServeHTTP(rec, req)
		if rec.Code != s.want {
			t.Errorf("%s %s: %d, want %d: %s", req.Method, req.RequestURI, rec.Code, s.want, rec.Body)
		}
	}
}

// requestFuzzSeeds is a success and a refusal or two of every operation.
func requestFuzzSeeds() []requestFuzzSeed {
	const (
		get, post, patch, del = 0, 1, 2, 3
		dev, admin, reader    = 0, 1, 2
		jsonType              = "application/json"
	)
	groups := basePath + graph.ConnectorGroupsPath()
	connectors := basePath + graph.ConnectorsPath()
	todayLink := graph.ConnectorLinkAt("http://127.0.0.1:8080/beta", docConnectorID)
	groupLink := graph.ConnectorGroupLinkAt("http://127.0.0.1:8080/beta", emptyGroupID)
	return []requestFuzzSeed{
		{methodSel: post, template: basePath + "/connectorGroups/{id}/members/$ref", idSel: 1, authSel: admin, contentType: jsonType, body: refBody(docRef(docConnectorID)), want: 201},
		{methodSel: post, template: basePath + "/connectorGroups/{id}/members/$ref", idSel: 0, authSel: dev, contentType: jsonType, body: refBody(docRef(docConnectorID)), want: 400},
		{methodSel: get, template: groups, rawQuery: "$top=1", authSel: dev, clientRequestID: "my-id", consistency: "eventual", want: 200},
		{methodSel: get, template: groups, rawQuery: "$skiptoken=forged", authSel: dev, want: 400},
		{methodSel: get, template: groups, rawQuery: "$filter=name eq 'x'", authSel: reader, want: 403},
		{methodSel: post, template: groups, authSel: dev, contentType: jsonType, body: `{"name":"Tokyo pilot","region":"asia"}`, want: 200},
		{methodSel: post, template: groups, authSel: dev, contentType: "application/json; charset=latin1", body: `{"name":"x"}`, want: 415},
		// The system-set isDefault and connectorGroupType are accepted and
		// ignored (the model keeps the system's values); a wrong type is not.
		{methodSel: post, template: groups, authSel: dev, contentType: jsonType, body: `{"name":"x","isDefault":true,"connectorGroupType":"syncFabric"}`, want: 200},
		{methodSel: post, template: groups, authSel: dev, contentType: jsonType, body: `{"name":"x","isDefault":"true"}`, want: 400},
		{methodSel: patch, template: groups + "/{id}", idSel: 1, authSel: dev, contentType: jsonType, body: `{"isDefault":true,"connectorGroupType":"applicationProxy"}`, want: 204},
		{methodSel: get, template: groups + "/{id}", idSel: 2, authSel: dev, want: 200},
		{methodSel: patch, template: groups + "/{id}", idSel: 1, authSel: dev, contentType: jsonType, body: `{"name":"Renamed","region":null}`, want: 204},
		{methodSel: patch, template: groups + "/{id}", idSel: 2, authSel: dev, contentType: jsonType, body: `{"region":"aus"}`, want: 400},
		// A refusal after a change that could have been applied: the name
		// must not change when the region is refused.
		{methodSel: patch, template: groups + "/{id}", idSel: 2, authSel: dev, contentType: jsonType, body: `{"name":"Half","region":"aus"}`, want: 400},
		{methodSel: del, template: groups + "/{id}", idSel: 2, authSel: dev, want: 400},
		{methodSel: del, template: groups + "/{id}", idSel: 1, authSel: dev, want: 204},
		{methodSel: del, template: groups + "/{id}", idSel: 0, authSel: dev, want: 400},
		{methodSel: get, template: groups + "/{id}/members", idSel: 0, rawQuery: "$top=1", authSel: dev, want: 200},
		{methodSel: post, template: groups + "/{id}/members/$ref", idSel: 2, authSel: dev, contentType: jsonType, body: refBody(todayLink), want: 204},
		{methodSel: post, template: groups + "/{id}/members/$ref", id: "%24ref", authSel: dev, contentType: jsonType, body: refBody(todayLink), want: 404},
		{methodSel: post, template: groups + "/{id}/members/$ref", idSel: 2, authSel: dev, contentType: jsonType, body: refBody(graph.ConnectorLink(graph.Beta, "no-such-connector")), want: 404},
		{methodSel: post, template: connectors + "/{id}/memberOf/$ref", idSel: 3, authSel: dev, contentType: jsonType, body: refBody(graph.ConnectorGroupLinkAt("http://127.0.0.1:8080/beta", "no-such-group")), want: 404},
		{methodSel: get, template: connectors, authSel: dev, want: 200},
		{methodSel: get, template: connectors + "/{id}", idSel: 3, authSel: dev, want: 200},
		{methodSel: get, template: connectors + "/{id}/memberOf", idSel: 4, authSel: dev, want: 200},
		{methodSel: post, template: connectors + "/{id}/memberOf/$ref", idSel: 4, authSel: dev, contentType: jsonType, body: refBody(groupLink), want: 204},
		{methodSel: post, template: connectors + "/{id}/memberOf/$ref", idSel: 3, authSel: dev, contentType: jsonType, body: refBody(todayLink), want: 400},
		{method: "BREW", template: groups, authSel: dev, want: 405},
		{methodSel: get, template: "/v1.0" + graph.ConnectorGroupsPath(), auth: "Bearer dev-token, Bearer x", want: 400},
		{methodSel: del, template: basePath + graph.ConnectorGroupsPath() + "/{id}/members/{id}/$ref", idSel: 3, authSel: dev, want: 400},
		{methodSel: get, template: groups + "/{id}", id: "a%2Fb", authSel: dev, clientRequestID: " padded ", want: 404},
		// What the fake cannot store as it was sent, or would not take
		// back: text that is not Unicode, a name over the spec's maxLength,
		// a number no float64 holds.
		{methodSel: post, template: groups, authSel: dev, contentType: jsonType, body: `{"name":"a\ud800b"}`, want: 400},
		{methodSel: patch, template: groups + "/{id}", idSel: 1, authSel: dev, contentType: jsonType, body: "{\"name\":\"a\xffb\"}", want: 400},
		{methodSel: post, template: groups + "/{id}/members/$ref", idSel: 2, authSel: dev, contentType: jsonType, body: `{"@odata.id":"` + todayLink + `","x":"\udc00"}`, want: 400},
		{methodSel: post, template: groups, authSel: dev, contentType: jsonType, body: `{"name":"` + strings.Repeat("😀", graph.MaxNameLength+1) + `"}`, want: 400},
		{methodSel: post, template: groups, authSel: dev, contentType: jsonType, body: `{"name":"` + strings.Repeat("😀", graph.MaxNameLength) + `"}`, want: 200},
		{methodSel: post, template: groups, authSel: dev, contentType: jsonType, body: `{"name":1e999999}`, want: 400},
		// Bodies as Microsoft's SDKs send them, gzip-compressed, and
		// content codings the fake cannot undo.
		{methodSel: post, template: groups, authSel: dev, contentType: jsonType, body: `{"name":"Gzipped"}`, encoding: "gzip", gzip: true, want: 200},
		{methodSel: post, template: groups + "/{id}/members/$ref", idSel: 2, authSel: dev, contentType: jsonType, body: refBody(todayLink), encoding: "x-gzip", gzip: true, want: 204},
		{methodSel: patch, template: groups + "/{id}", idSel: 1, authSel: dev, contentType: jsonType, body: `{"name":"Gzipped"}`, encoding: "gzip", want: 400},
		{methodSel: post, template: groups, authSel: dev, contentType: jsonType, body: `{"name":"Gzipped"}`, gzip: true, want: 400},
		{methodSel: post, template: groups, authSel: dev, contentType: jsonType, body: `{"name":"Brotli"}`, encoding: "br", want: 415},
		{methodSel: get, template: groups, authSel: dev, encoding: "gzip, gzip", want: 415},
	}
}
