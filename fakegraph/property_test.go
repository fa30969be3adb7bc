package fakegraph

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/connectorgroups/connectorgroups/internal/graph"
	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
	"github.com/connectorgroups/connectorgroups/internal/testkit/patterngen"
)

// The property: schema-valid means accepted, and schema-invalid means
// refused. Requests are built from the spec itself (its patterns, types,
// required properties, media types, parameters and examples), then
// mutated; each is judged by the spec (specvalidator) and sent to a
// fresh-state fake, and the two must agree:
//
//   - spec-valid: 201 and the connector is now a member of that group and
//     of no other (an add moves it), 404
//     Request_ResourceNotFound (the group or the link's id names nothing),
//     or 400 Request_BadRequest "already exist"; never another 400, nor 415;
//   - spec-invalid: 400 or 415, and the state is unchanged;
//   - every response validates against the spec.
//
// A share of the bodies goes gzip-compressed (Content-Encoding: gzip), as
// Microsoft's SDKs send every body; the spec judges the JSON inside, and
// the fake must agree as it does on the plain body.
//
// The run is seeded: -property.seed=N or FAKEGRAPH_PROPERTY_SEED=N picks
// another seed, -property.cases=N another number of requests.

var (
	propertySeed  = flag.Uint64("property.seed", 0, "seed of TestPropertySpecAndFakeAgree; 0 means $FAKEGRAPH_PROPERTY_SEED, else the fixed default")
	propertyCases = flag.Int("property.cases", 1500, "how many requests TestPropertySpecAndFakeAgree sends")
)

const (
	defaultPropertySeed = 20261126
	propertyEnvSeed     = "FAKEGRAPH_PROPERTY_SEED"
	propertyOperationID = "addConnectorToConnectorGroup"
	propertyToken       = "dev-token"
	// maxFailures bounds the report: past it the run stops.
	maxFailures = 15
)

func TestPropertySpecAndFakeAgree(t *testing.T) {
	seed := propertySeedValue(t)
	t.Logf("seed %d: rerun with -property.seed=%d or %s=%d", seed, seed, propertyEnvSeed, seed)

	v, err := specvalidator.Load()
	if err != nil {
		t.Fatal(err)
	}
	op := loadSpecOperation(t, v.Doc(), propertyOperationID)
	t.Logf("from the spec: %s %s%s; %s pattern %q format %q; %s pattern %q; media types %v; %d example bodies",
		op.method, op.basePath, op.path, op.linkName, op.link.Pattern, op.link.Format, op.header.Name, op.headerSchema.Pattern, op.mediaTypes, len(op.exampleBodies))

	world := newPropertyWorld(DefaultSeed())
	s, err := New(DefaultSeed())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	client := *srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	g := &caseGen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), op: op, world: world}
	start := time.Now()
	st := newPropertyStats()
	var failures []string
	for i := range *propertyCases {
		c := g.next()
		s.Reset()
		before := s.Groups()
		res := runCase(t, v, op, s, srv, &client, c)
		after := s.Groups()
		problems := append(judge(op, world, c, res, before, after), checkRules(op, c)...)
		for _, p := range settle(op, c, res, problems, st) {
			failures = append(failures, fmt.Sprintf("case %d (%s): %s: %s\n%s", i, c.kind, p.kind, p.text, describe(op, c, res)))
		}
		st.add(c, res)
		if len(failures) >= maxFailures {
			failures = append(failures, fmt.Sprintf("stopping after case %d of %d", i, *propertyCases))
			break
		}
	}
	elapsed := time.Since(start)
	st.log(t, elapsed)
	for _, f := range failures {
		t.Error(f)
	}
	for _, class := range propertyClasses {
		if st.classes[class] == 0 {
			t.Errorf("no case fell in the class %q: the property would pass vacuously there", class)
		}
	}
	for _, class := range gzipPropertyClasses {
		if st.gzipClasses[class] == 0 {
			t.Errorf("no gzip-compressed body fell in the class %q", class)
		}
	}
	for _, category := range mutationCategories {
		if st.invalidByCategory[category] == 0 {
			t.Errorf("no mutation of the category %q made a spec-invalid request", category)
		}
	}
	if len(failures) > 0 {
		t.Logf("reproduce with -property.seed=%d", seed)
	}
}

func propertySeedValue(t *testing.T) uint64 {
	t.Helper()
	if *propertySeed != 0 {
		return *propertySeed
	}
	if env := os.Getenv(propertyEnvSeed); env != "" {
		n, err := strconv.ParseUint(env, 10, 64)
		if err != nil || n == 0 {
			t.Fatalf("%s=%q: want a positive integer", propertyEnvSeed, env)
		}
		return n
	}
	return defaultPropertySeed
}

// specOperation is what the property reads from the spec. The rules a
// verdict depends on come from here, never from this file; the mutations
// know the link's layout (scheme://host/version/entity set/id) only to
// break it, and every request they make is judged by the spec.
type specOperation struct {
	method, basePath, path string
	pathParam              *openapi3.Parameter
	pathSchema             *openapi3.Schema
	header                 *openapi3.Parameter // the optional header with a pattern
	headerSchema           *openapi3.Schema
	headerPattern          *regexp.Regexp
	bodyRequired           bool
	mediaTypes             []string // the request body's, sorted
	body                   *openapi3.Schema
	extrasAllowed          bool // additionalProperties allows any other property
	linkName               string
	link                   *openapi3.Schema
	linkPattern            *regexp.Regexp
	exampleBodies          []any
}

// loadSpecOperation finds the operation and reads its request's rules.
func loadSpecOperation(t *testing.T, doc *openapi3.T, operationID string) specOperation {
	t.Helper()
	var op specOperation
	var found *openapi3.Operation
	var item *openapi3.PathItem
	for p, pi := range doc.Paths.Map() {
		for m, o := range pi.Operations() {
			if o.OperationID == operationID {
				op.path, op.method, found, item = p, m, o, pi
			}
		}
	}
	if found == nil {
		t.Fatalf("the spec has no operation %s", operationID)
	}
	if len(doc.Servers) == 0 {
		t.Fatal("the spec names no server")
	}
	server, err := url.Parse(doc.Servers[0].URL)
	if err != nil {
		t.Fatalf("server URL: %v", err)
	}
	op.basePath = strings.TrimSuffix(server.Path, "/")

	params := map[string]*openapi3.Parameter{}
	for _, refs := range []openapi3.Parameters{item.Parameters, found.Parameters} {
		for _, ref := range refs {
			params[ref.Value.In+"/"+ref.Value.Name] = ref.Value // the operation's win
		}
	}
	for _, key := range slices.Sorted(maps.Keys(params)) {
		p := params[key]
		schema := p.Schema.Value
		switch {
		case p.In == openapi3.ParameterInPath:
			if op.pathParam != nil {
				t.Fatalf("the property handles one path parameter; %s has more", op.path)
			}
			op.pathParam, op.pathSchema = p, schema
		case p.In == openapi3.ParameterInHeader && schema.Pattern != "":
			if op.header != nil {
				t.Fatalf("the property handles one patterned header; %s has more", op.path)
			}
			if p.Required {
				t.Fatalf("header %s is required; the property sends it only sometimes", p.Name)
			}
			if !schema.Type.Is(openapi3.TypeString) {
				t.Fatalf("header %s has type %v, want string", p.Name, schema.Type)
			}
			op.header, op.headerSchema = p, schema
			op.headerPattern = regexp.MustCompile(schema.Pattern)
		}
	}
	if op.pathParam == nil || op.header == nil || !op.pathSchema.Type.Is(openapi3.TypeString) {
		t.Fatalf("want one string path parameter and one patterned header in %s", op.path)
	}
	if !strings.Contains(op.path, "{"+op.pathParam.Name+"}") {
		t.Fatalf("path %s lacks {%s}", op.path, op.pathParam.Name)
	}

	if found.RequestBody == nil || found.RequestBody.Value == nil {
		t.Fatalf("%s has no request body", operationID)
	}
	rb := found.RequestBody.Value
	op.bodyRequired = rb.Required
	op.mediaTypes = slices.Sorted(maps.Keys(rb.Content))
	if len(op.mediaTypes) != 1 {
		t.Fatalf("the property handles one request media type, the spec has %v", op.mediaTypes)
	}
	mt := rb.Content[op.mediaTypes[0]]
	op.body = mt.Schema.Value
	if !op.body.Type.Is(openapi3.TypeObject) {
		t.Fatalf("the request body has type %v, want object", op.body.Type)
	}
	ap := op.body.AdditionalProperties
	op.extrasAllowed = (ap.Has == nil || *ap.Has) && ap.Schema == nil
	for _, name := range slices.Sorted(maps.Keys(op.body.Properties)) {
		prop := op.body.Properties[name].Value
		if prop.Type.Is(openapi3.TypeString) && prop.Pattern != "" {
			if op.link != nil {
				t.Fatalf("the property handles one patterned property; %s and %s have patterns", op.linkName, name)
			}
			op.linkName, op.link = name, prop
		}
	}
	if op.link == nil || !slices.Contains(op.body.Required, op.linkName) {
		t.Fatalf("want one required string property with a pattern in the request body, got %q (required %v)", op.linkName, op.body.Required)
	}
	op.linkPattern = regexp.MustCompile(op.link.Pattern)
	for _, name := range slices.Sorted(maps.Keys(mt.Examples)) {
		op.exampleBodies = append(op.exampleBodies, mt.Examples[name].Value.Value)
	}
	if mt.Example != nil {
		op.exampleBodies = append(op.exampleBodies, mt.Example)
	}
	if op.link.Example != nil {
		op.exampleBodies = append(op.exampleBodies, map[string]any{op.linkName: op.link.Example})
	}
	return op
}

// propertyWorld is the seed, read independently of the fake: what a
// spec-valid request should get follows from it, by Graph's rule that a
// connector no group lists is in the default group.
type propertyWorld struct {
	groups     []string
	connectors []string
	members    map[string]map[string]bool
}

func newPropertyWorld(seed *Seed) propertyWorld {
	w := propertyWorld{members: map[string]map[string]bool{}}
	listed := map[string]bool{}
	defaultGroup := ""
	for _, g := range seed.ConnectorGroups {
		w.groups = append(w.groups, g.ID)
		w.members[g.ID] = map[string]bool{}
		for _, m := range g.Members {
			w.members[g.ID][m] = true
			listed[m] = true
		}
		if g.IsDefault {
			defaultGroup = g.ID
		}
	}
	for _, c := range seed.Connectors {
		w.connectors = append(w.connectors, c.ID)
		if !listed[c.ID] {
			w.members[defaultGroup][c.ID] = true
		}
	}
	return w
}

// expect is the answer to a spec-valid request: 201, 404 or 400 "already
// exist".
func (w propertyWorld) expect(groupID, connectorID string) int {
	members, ok := w.members[groupID]
	switch {
	case !ok, !slices.Contains(w.connectors, connectorID):
		return http.StatusNotFound
	case members[connectorID]:
		return http.StatusBadRequest
	default:
		return http.StatusCreated
	}
}

// propertyCase is one request.
type propertyCase struct {
	kind        string // the generator and the mutation that made it
	category    string // for a mutation: its category; "" for valid candidates
	intendValid bool
	groupID     string
	contentType string // "" sends none
	sendHeader  bool
	headerValue string
	body        []byte // nil sends none
	link        string // the link the body carries, when it carries one as a string
	gzip        bool   // the body goes gzip-compressed, with Content-Encoding: gzip
}

type caseGen struct {
	r     *rand.Rand
	op    specOperation
	world propertyWorld
}

func (g *caseGen) pick(n int) int { return g.r.IntN(n) }

func (g *caseGen) chance(p float64) bool { return g.r.Float64() < p }

func oneOf[T any](g *caseGen, xs ...T) T { return xs[g.pick(len(xs))] }

// next makes a valid candidate (45%) or a mutation of one; a third of
// those with a body send it gzip-compressed.
func (g *caseGen) next() propertyCase {
	c := g.valid()
	if !g.chance(0.45) {
		g.mutate(&c)
		c.intendValid = false
	}
	c.gzip = c.body != nil && g.chance(1.0/3)
	return c
}

// generate draws a string from a spec pattern, within the schema's length
// bounds.
func (g *caseGen) generate(schema *openapi3.Schema, maxRepeat int) string {
	for range 100 {
		s, err := patterngen.Generate(g.r, schema.Pattern, maxRepeat)
		if err != nil {
			panic(fmt.Sprintf("the spec's pattern %q: %v", schema.Pattern, err))
		}
		n := uint64(utf8.RuneCountInString(s))
		if n >= schema.MinLength && (schema.MaxLength == nil || n <= *schema.MaxLength) {
			return s
		}
	}
	panic(fmt.Sprintf("no string of %q within the length bounds in 100 draws", schema.Pattern))
}

// valid makes a request that every rule of the spec allows.
func (g *caseGen) valid() propertyCase {
	c := propertyCase{intendValid: true}
	var kinds []string

	switch n := g.pick(20); {
	case n < 13:
		c.groupID = oneOf(g, g.world.groups...)
		kinds = append(kinds, "seeded group")
	case n < 15 && g.op.pathParam.Example != nil:
		c.groupID = fmt.Sprint(g.op.pathParam.Example)
		kinds = append(kinds, "example group")
	case n < 18:
		c.groupID = g.unknownGroupID()
		kinds = append(kinds, "unknown group")
	default:
		// Any string the path parameter's schema allows, path-escaped
		// when sent: segment names of the path, dot-segments, slashes.
		c.groupID = g.oddGroupID()
		kinds = append(kinds, "odd group id")
		// The spec's router cannot route an escaped slash (see
		// knownDisagreements); everything else here is valid.
		c.intendValid = !strings.Contains(c.groupID, "/")
	}

	var body map[string]any
	switch n := g.pick(20); {
	case n < 3 && len(g.op.exampleBodies) > 0:
		ex, _ := oneOf(g, g.op.exampleBodies...).(map[string]any)
		body = maps.Clone(ex)
		kinds = append(kinds, "example body")
	case n < 10:
		body = map[string]any{g.op.linkName: g.generate(g.op.link, 8)}
		kinds = append(kinds, "generated link")
	default:
		link := g.generate(g.op.link, 8)
		body = map[string]any{g.op.linkName: g.withID(link, oneOf(g, g.world.connectors...))}
		kinds = append(kinds, "generated link, seeded id")
	}
	c.link, _ = body[g.op.linkName].(string)
	if g.op.extrasAllowed && g.chance(0.3) {
		for range 1 + g.pick(3) {
			key := g.extraKey()
			if _, taken := body[key]; !taken {
				body[key] = g.randomJSON(2)
			}
		}
		kinds = append(kinds, "extra properties")
	}
	fancy := g.chance(0.3)
	if fancy {
		kinds = append(kinds, "fancy JSON")
	}
	c.body = []byte(g.encode(body, fancy))

	switch n := g.pick(10); {
	case n < 3:
		kinds = append(kinds, "no "+g.op.header.Name)
	case n < 4 && g.op.header.Example != nil:
		c.sendHeader, c.headerValue = true, fmt.Sprint(g.op.header.Example)
		kinds = append(kinds, "example "+g.op.header.Name)
	case n < 5:
		c.sendHeader = true
		kinds = append(kinds, "empty "+g.op.header.Name)
	default:
		c.sendHeader, c.headerValue = true, g.generate(g.op.headerSchema, 40)
		kinds = append(kinds, "generated "+g.op.header.Name)
	}

	mt := g.op.mediaTypes[0]
	c.contentType = oneOf(g, mt, mt, mt+"; charset=utf-8", mt+";charset=UTF-8", graph.ContentTypeEntity, strings.ToUpper(mt), mt+" ; odata.metadata=minimal")
	c.kind = strings.Join(kinds, ", ")
	return c
}

// unknownGroupID is an id no seeded group has, within the path
// parameter's bounds.
func (g *caseGen) unknownGroupID() string {
	for {
		var id string
		if g.chance(0.7) {
			id = mustGenerate(g.r, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, 0)
		} else {
			id = mustGenerate(g.r, `^[A-Za-z0-9_~-]{1,12}$`, 12)
		}
		n := uint64(len(id))
		if !slices.Contains(g.world.groups, id) && n >= g.op.pathSchema.MinLength && (g.op.pathSchema.MaxLength == nil || n <= *g.op.pathSchema.MaxLength) {
			return id
		}
	}
}

// oddGroupID is a string the path parameter's schema allows that no
// seeded group has, of the kinds that paths get wrong.
func (g *caseGen) oddGroupID() string {
	for {
		id := oneOf(g,
			func() string {
				return oneOf(g, ".", "..", "beta", "v1.0", "$ref", "members", "connectorGroups", "%", "%2F", " ")
			},
			func() string { return mustGenerate(g.r, `^[ -~]{1,10}$`, 10) },
			func() string { return mustGenerate(g.r, `^[a-z]{1,3}/[a-z]{1,3}$`, 3) },
			func() string { return mustGenerate(g.r, `^[é中😀a-z]{1,4}$`, 4) },
		)()
		n := uint64(utf8.RuneCountInString(id))
		if !slices.Contains(g.world.groups, id) && n >= g.op.pathSchema.MinLength && (g.op.pathSchema.MaxLength == nil || n <= *g.op.pathSchema.MaxLength) &&
			(g.op.pathSchema.Pattern == "" || regexp.MustCompile(g.op.pathSchema.Pattern).MatchString(id)) {
			return id
		}
	}
}

func mustGenerate(r *rand.Rand, pattern string, maxRepeat int) string {
	s, err := patterngen.Generate(r, pattern, maxRepeat)
	if err != nil {
		panic(err)
	}
	return s
}

// withID puts id in place of the link's last path segment, which is the
// id in every link form the spec's pattern allows, percent-escaping some
// of its characters. judge checks the result against the spec.
func (g *caseGen) withID(link, id string) string {
	var b strings.Builder
	for _, c := range []byte(id) {
		if g.chance(0.1) {
			fmt.Fprintf(&b, oneOf(g, "%%%02X", "%%%02x"), c)
		} else {
			b.WriteByte(c)
		}
	}
	i := strings.LastIndexByte(link, '/')
	return link[:i+1] + b.String()
}

// linkID is the id a link names, by the same reading as withID.
func linkID(link string) string {
	id, err := url.PathUnescape(link[strings.LastIndexByte(link, '/')+1:])
	if err != nil {
		return ""
	}
	return id
}

func (g *caseGen) extraKey() string {
	name := g.op.linkName
	return oneOf(g, strings.ToUpper(name), strings.ToTitle(name[:2])+name[2:], "@odata.type", "@odata.context", "id", "displayName",
		name+" ", " "+name, "", "é", "members@delta", "x-"+mustGenerate(g.r, `^[a-z]{1,8}$`, 8))
}

func (g *caseGen) randomJSON(depth int) any {
	n := g.pick(7)
	if depth <= 0 {
		n %= 5
	}
	switch n {
	case 0:
		return mustGenerate(g.r, `^[ -~]{0,12}$`, 12)
	case 1:
		return json.Number(oneOf(g, "0", "-1", "3.5", "1e400", "12345678901234567890"))
	case 2:
		return g.chance(0.5)
	case 3:
		return nil
	case 4:
		return g.generate(g.op.link, 4)
	case 5:
		out := []any{}
		for range g.pick(3) {
			out = append(out, g.randomJSON(depth-1))
		}
		return out
	default:
		out := map[string]any{}
		for range g.pick(3) {
			out[g.extraKey()] = g.randomJSON(depth - 1)
		}
		return out
	}
}

// encode writes v as JSON; fancy adds white space, shuffles keys and
// escapes characters that need none.
func (g *caseGen) encode(v any, fancy bool) string {
	var b strings.Builder
	g.encodeTo(&b, v, fancy)
	return b.String()
}

func (g *caseGen) encodeTo(b *strings.Builder, v any, fancy bool) {
	ws := func() {
		if fancy && g.chance(0.5) {
			b.WriteString(oneOf(g, " ", "\n", "\t", "\r\n  "))
		}
	}
	switch x := v.(type) {
	case map[string]any:
		keys := slices.Sorted(maps.Keys(x))
		if fancy {
			g.r.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
		}
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			ws()
			g.encodeTo(b, k, fancy)
			ws()
			b.WriteByte(':')
			ws()
			g.encodeTo(b, x[k], fancy)
			ws()
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			ws()
			g.encodeTo(b, e, fancy)
		}
		b.WriteByte(']')
	case string:
		enc, _ := json.Marshal(x)
		s := string(enc)
		if fancy {
			// Escapes JSON allows anywhere: \/ and \u00XX for a letter.
			s = strings.ReplaceAll(s, "/", oneOf(g, "/", `\/`, `\u002F`))
			if i := strings.IndexFunc(s, func(r rune) bool { return r >= 'a' && r <= 'z' }); i >= 0 && g.chance(0.5) {
				s = s[:i] + fmt.Sprintf(`\u%04x`, s[i]) + s[i+1:]
			}
		}
		b.WriteString(s)
	default:
		enc, err := json.Marshal(x)
		if err != nil {
			panic(err)
		}
		b.Write(enc)
	}
}

// The categories of mutations; each must make at least one spec-invalid
// request in a run.
var mutationCategories = []string{"link type", "link pattern", "link missing", "body not an object", "header", "media type"}

// mutate breaks c in one way.
func (g *caseGen) mutate(c *propertyCase) {
	link := c.link
	if link == "" {
		link = g.generate(g.op.link, 8)
	}
	setLink := func(v any) {
		body := map[string]any{g.op.linkName: v}
		c.body = []byte(g.encode(body, g.chance(0.3)))
		c.link, _ = v.(string)
	}
	var kind string
	switch category := oneOf(g, mutationCategories...); category {
	case "link type":
		c.category = category
		var v any
		kind, v = oneOfPair(g,
			pair[any]("a number", json.Number(oneOf(g, "1", "0", "-2.5e3"))),
			pair[any]("a boolean", g.chance(0.5)),
			pair[any]("null", nil),
			pair[any]("an array", []any{link}),
			pair[any]("an object", map[string]any{g.op.linkName: link}))
		setLink(v)
	case "link pattern":
		c.category = category
		var broken string
		kind, broken = g.breakLink(link)
		setLink(broken)
	case "link missing":
		c.category = category
		var body any
		kind, body = oneOfPair(g,
			pair[any]("an empty object", map[string]any{}),
			pair[any]("other properties only", map[string]any{"id": linkID(link), "@odata.type": "#microsoft.graph.connector"}),
			pair[any]("the key in other case", map[string]any{strings.ToUpper(g.op.linkName): link}),
			pair[any]("the key with a space", map[string]any{g.op.linkName + " ": link}))
		c.body, c.link = []byte(g.encode(body, g.chance(0.3))), ""
	case "body not an object":
		c.category = category
		obj := g.encode(map[string]any{g.op.linkName: link}, false)
		name, _ := json.Marshal(g.op.linkName)
		quoted, _ := json.Marshal(link)
		broken := []kv[string]{
			pair("an array", "["+obj+"]"),
			pair("a string", string(quoted)),
			pair("a number", "42"),
			pair("null", "null"),
			pair("true", "true"),
			pair("white space only", " \n"),
			pair("truncated", obj[:len(obj)-1]),
			pair("no value", "{"+string(name)+":}"),
			pair("a repeated key", "{"+string(name)+":"+string(quoted)+","+string(name)+":"+string(quoted)+"}"),
			pair("trailing garbage", obj+" x"),
			pair("two objects", obj+obj),
			pair("a byte-order mark", "\ufeff"+obj),
			pair("single quotes", strings.ReplaceAll(obj, `"`, `'`)),
		}
		if g.op.bodyRequired {
			broken = append(broken, pair("no body", ""))
		}
		var body string
		kind, body = oneOfPair(g, broken...)
		if body == "" {
			c.body = nil
		} else {
			c.body = []byte(body)
		}
		c.link = ""
	case "header":
		c.category = category
		// Inside the value: HTTP drops white space at either end of a
		// field value (RFC 9110 5.5), so a tab there never reaches the
		// fake, while the spec, judging the value as sent, refuses it.
		base := strings.Trim(c.headerValue, " \t")
		if len(base) < 2 {
			base = "a" + base + "z"
		}
		var bad string
		kind, bad = oneOfPair(g,
			pair("a control character", string(rune(g.pick(0x20)))),
			pair("a tab", "\t"),
			pair("DEL", "\x7f"),
			pair("a line break", oneOf(g, "\n", "\r", "\r\n")),
			pair("a non-ASCII character", oneOf(g, "é", "ü", "中", "\u00a0", "\u2028", "😀", "ｃ")),
			pair("a byte that is not UTF-8", "\xff"))
		i := 1 + g.pick(len(base)-1)
		c.sendHeader, c.headerValue = true, base[:i]+bad+base[i:]
		kind = g.op.header.Name + " with " + kind
	case "media type":
		c.category = category
		mt := g.op.mediaTypes[0]
		kind, c.contentType = oneOfPair(g,
			pair("none", ""),
			pair("text/plain", "text/plain"),
			pair("application/xml", "application/xml"),
			pair("a +json type", "application/merge-patch+json"),
			pair("text/json", "text/json"),
			pair("form data", "application/x-www-form-urlencoded"),
			pair("a wildcard", "*/*"),
			pair("no subtype", strings.Split(mt, "/")[0]),
			pair("an open quote", mt+`; charset="`),
			pair("an empty parameter", mt+";;"),
			pair("a list", mt+", text/plain"),
			pair("a parameter without value", mt+"; charset"))
		kind = "Content-Type " + kind
	}
	c.kind = kind + " (mutating: " + c.kind + ")"
}

type kv[V any] struct {
	k string
	v V
}

func pair[V any](k string, v V) kv[V] { return kv[V]{k, v} }

// oneOfPair picks one of ps and returns both halves.
func oneOfPair[V any](g *caseGen, ps ...kv[V]) (string, V) {
	p := oneOf(g, ps...)
	return p.k, p.v
}

// breakLink changes a valid link so that, mostly, it no longer matches.
func (g *caseGen) breakLink(link string) (string, string) {
	runes := []rune(link)
	at := g.pick(len(runes))
	pool := []rune(" !\"#%&'()*+,-./:;<=>?@[\\]^_`{|}~azAZ09éü中\u00a0")
	segs := strings.Split(link, "/") // scheme:, "", host, version, entity set..., id
	scheme, rest, _ := strings.Cut(link, "://")
	switch n := g.pick(20); n {
	case 0:
		return "drop a character", string(slices.Delete(slices.Clone(runes), at, at+1))
	case 1:
		return "insert a character", string(slices.Insert(slices.Clone(runes), at, oneOf(g, pool...)))
	case 2:
		r := slices.Clone(runes)
		r[at] = oneOf(g, pool...)
		return "replace a character", string(r)
	case 3:
		i := g.pick(len(segs))
		s := slices.Clone(segs)
		if strings.ToUpper(s[i]) != s[i] {
			s[i] = strings.ToUpper(s[i])
		} else {
			s[i] = strings.ToLower(s[i])
		}
		return "change case of a segment", strings.Join(s, "/")
	case 4:
		return "a query", link + oneOf(g, "?$select=id", "?x=1", "?")
	case 5:
		return "a fragment", link + oneOf(g, "#f", "#")
	case 6:
		return "user info", scheme + "://" + oneOf(g, "user@", "user:pass@", "@") + rest
	case 7:
		entity := oneOf(g, "users", "directoryObjects", "groups", "connectorGroups", "applicationProxy/connectors", "onPremisesPublishingProfiles/connectors", "connector/x")
		return "another entity set", strings.Join(append(append(slices.Clone(segs[:4]), entity), segs[len(segs)-1]), "/")
	case 8:
		return "a space", string(slices.Insert(slices.Clone(runes), at, ' '))
	case 9:
		return "a non-ASCII character", string(slices.Insert(slices.Clone(runes), at, oneOf(g, []rune("éü中\u00a0\u2028😀ｃ")...)))
	case 10:
		return "a trailing slash", link + "/"
	case 11:
		return "no id", strings.Join(segs[:len(segs)-1], "/") + "/"
	case 12:
		return "a bad percent-escape", link + oneOf(g, "%zz", "%4", "%", "%g0")
	case 13:
		s := slices.Clone(segs)
		s[3] = oneOf(g, "v2", "BETA", "V1.0", "1.0", "", "beta ", "v1.0.0")
		return "another version", strings.Join(s, "/")
	case 14:
		return "another scheme", oneOf(g, "ftp", "HTTPS", "ws", "", "file", "https:") + "://" + rest
	case 15:
		return "no scheme or host", "/" + strings.Join(segs[3:], "/")
	case 16:
		return oneOf(g, "a bare id", "an empty string"), oneOf(g, linkID(link), "")
	case 17:
		return "another segment after the id", link + "/" + oneOf(g, "x", "$ref", "..")
	case 18:
		return "white space around", oneOf(g, " "+link, link+" ", link+"\n", "\t"+link)
	default:
		return "a placeholder", strings.Replace(link, segs[3], "{ver}", 1)
	}
}

// propertyResult is what happened to a case.
type propertyResult struct {
	specErr        error
	violations     []specvalidator.Violation
	specValid      bool
	transport      string // "loopback HTTP", or "in-process" for a header Go's client will not send
	status         int
	header         http.Header
	body           []byte
	respViolations []specvalidator.Violation
	err            error // the request could not be sent
}

func (c propertyCase) target(op specOperation) string {
	return op.basePath + strings.Replace(op.path, "{"+op.pathParam.Name+"}", url.PathEscape(c.groupID), 1)
}

func (c propertyCase) fill(req *http.Request, op specOperation) {
	if c.contentType != "" {
		req.Header.Set("Content-Type", c.contentType)
	}
	if c.gzip && req.Body != http.NoBody {
		req.Header.Set("Content-Encoding", "gzip")
	}
	if c.sendHeader {
		req.Header.Set(op.header.Name, c.headerValue)
	}
	req.Header.Set("Authorization", "Bearer "+propertyToken)
}

func (c propertyCase) bodyReader() *bytes.Reader { return bytes.NewReader(c.body) }

// sentBodyReader is the body as it goes to the fake: compressed when the
// case says gzip.
func (c propertyCase) sentBodyReader(t *testing.T) *bytes.Reader {
	if !c.gzip {
		return c.bodyReader()
	}
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write(c.body); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(b.Bytes())
}

// runCase gets the spec's verdict on c and the fake's answer to it.
func runCase(t *testing.T, v *specvalidator.Validator, op specOperation, s *Server, srv *httptest.Server, client *http.Client, c propertyCase) propertyResult {
	t.Helper()
	ctx := t.Context()
	var res propertyResult

	judged := httptest.NewRequestWithContext(ctx, op.method, c.target(op), c.bodyReader())
	if c.body == nil {
		judged.Body, judged.ContentLength = http.NoBody, 0
	}
	c.fill(judged, op)
	res.specErr = v.ValidateRequest(ctx, judged, specvalidator.Options{})
	res.specValid = res.specErr == nil
	res.violations = specvalidator.Violations(propertyOperationID, specvalidator.DirectionRequest, res.specErr)

	if sendable(c.headerValue) {
		res.transport = "loopback HTTP"
		req, err := http.NewRequestWithContext(ctx, op.method, srv.URL+c.target(op), c.sentBodyReader(t))
		if err != nil {
			res.err = err
			return res
		}
		if c.body == nil {
			req.Body, req.ContentLength = http.NoBody, 0
		}
		c.fill(req, op)
		resp, err := client.Do(req)
		if err != nil {
			res.err = err
			return res
		}
		defer resp.Body.Close()
		var buf bytes.Buffer
		if _, err := buf.ReadFrom(resp.Body); err != nil {
			res.err = err
			return res
		}
		res.status, res.header, res.body = resp.StatusCode, resp.Header, buf.Bytes()
	} else {
		res.transport = "in-process"
		req := httptest.NewRequestWithContext(ctx, op.method, c.target(op), c.sentBodyReader(t))
		if c.body == nil {
			req.Body, req.ContentLength = http.NoBody, 0
		}
		c.fill(req, op)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		res.status, res.header, res.body = rec.Code, rec.Result().Header, rec.Body.Bytes()
	}
	// The response is checked against the operation (the request only
	// routes it); a group id the spec's router cannot route (an escaped
	// slash) stands in as another, as requireSpecValidAs does.
	respReq := httptest.NewRequestWithContext(ctx, op.method, c.target(op), http.NoBody)
	if _, _, err := v.Route(respReq); err != nil {
		standIn := c
		standIn.groupID = "stand-in"
		respReq = httptest.NewRequestWithContext(ctx, op.method, standIn.target(op), http.NoBody)
	}
	res.respViolations = specvalidator.Violations(propertyOperationID, specvalidator.DirectionResponse,
		v.ValidateResponse(ctx, respReq, res.status, res.header, res.body))
	return res
}

// sendable reports whether Go's HTTP client puts a header value on the
// wire: it refuses control characters other than a tab, as RFC 9110 does.
// Those values go to the fake in-process, so that its own check is what
// answers; over the wire, net/http's server refuses them before the fake
// runs, with a plain-text 400 that carries no request-id.
func sendable(value string) bool {
	for i := range len(value) {
		if b := value[i]; (b < ' ' && b != '\t') || b == 0x7f {
			return false
		}
	}
	return true
}

// problem is one way a case broke the property; kind names the rule.
type problem struct {
	kind string
	text string
}

// The kinds of problem.
const (
	problemNotSent        = "not sent"
	problemResponse       = "response breaks the spec"
	problemPatternGap     = "the pattern admits it, the spec refuses it"
	problemRefusedValid   = "spec-valid, refused"
	problemAcceptedBad    = "spec-invalid, not refused"
	problemStateChanged   = "state"
	problemWrongAnswer    = "spec-valid, wrong answer"
	problemUncheckedLinks = "the spec accepts what its pattern does not match"
	problemRule           = "the fake's own rule disagrees with the spec's pattern"
)

// checkRules compares the rules the fake applies after validation
// (internal/graph's link parser and client-request-id check) with the
// spec's patterns, on the strings of this case. Through HTTP the
// validator runs first, so a parser that accepts more than the pattern
// would never show; here it does.
func checkRules(op specOperation, c propertyCase) []problem {
	var problems []problem
	if c.link != "" || c.category == "link pattern" {
		id, err := graph.ParseConnectorLink(c.link)
		if matches := op.linkPattern.MatchString(c.link); matches != (err == nil) || (matches && id != linkID(c.link)) {
			problems = append(problems, problem{problemRule, fmt.Sprintf("graph.ParseConnectorLink(%q) = %q, %v; the spec's pattern matches: %v (id %q)", c.link, id, err, matches, linkID(c.link))})
		}
	}
	if c.sendHeader {
		if got, want := graph.ValidClientRequestID(c.headerValue), op.headerPattern.MatchString(c.headerValue); got != want {
			problems = append(problems, problem{problemRule, fmt.Sprintf("graph.ValidClientRequestID(%q) = %v; the spec's pattern matches: %v", c.headerValue, got, want)})
		}
	}
	return problems
}

// judge applies the property to one case and returns what went wrong.
func judge(op specOperation, w propertyWorld, c propertyCase, res propertyResult, before, after []ConnectorGroup) []problem {
	var problems []problem
	add := func(kind, format string, args ...any) {
		problems = append(problems, problem{kind, fmt.Sprintf(format, args...)})
	}
	if res.err != nil {
		add(problemNotSent, "the request was not sent: %v", res.err)
		return problems
	}
	if len(res.respViolations) > 0 {
		add(problemResponse, "the response breaks the spec: %v", res.respViolations)
	}
	if c.intendValid && !res.specValid {
		add(problemPatternGap, "built from the spec's rules, yet the spec refuses it: %v", res.violations)
	}
	odata := readODataError(res.body)
	if !res.specValid {
		if res.status != http.StatusBadRequest && res.status != http.StatusUnsupportedMediaType {
			add(problemAcceptedBad, "the spec refuses it (%v), the fake answered %d", res.violations, res.status)
		}
		if !reflect.DeepEqual(before, after) {
			add(problemStateChanged, "the spec refuses it, yet the state changed: %v -> %v", before, after)
		}
		return problems
	}

	connectorID := linkID(c.link)
	if !op.linkPattern.MatchString(c.link) {
		add(problemUncheckedLinks, "the spec accepts %q, which its pattern does not match", c.link)
	}
	switch res.status {
	case http.StatusCreated:
		var got struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(res.body, &got)
		if got.ID != connectorID {
			add(problemWrongAnswer, "201 with connector %q, want %q", got.ID, connectorID)
		}
	case http.StatusNotFound:
		if odata.Code != graph.CodeResourceNotFound {
			add(problemWrongAnswer, "404 with code %q, want %s", odata.Code, graph.CodeResourceNotFound)
		}
	case http.StatusBadRequest:
		if odata.Code != graph.CodeRequestBadRequest || !graph.IsAlreadyExists(res.status, odata.Message) {
			add(problemRefusedValid, "the spec accepts it, the fake refused it for its shape: 400 %s %q", odata.Code, odata.Message)
		}
	default:
		add(problemRefusedValid, "the spec accepts it, the fake answered %d", res.status)
	}
	if want := w.expect(c.groupID, connectorID); res.status != want && len(problems) == 0 {
		add(problemWrongAnswer, "the seed says %d (group %q, connector %q), the fake answered %d", want, c.groupID, connectorID, res.status)
	}
	wantAfter := before
	if res.status == http.StatusCreated {
		wantAfter = withMoved(before, c.groupID, connectorID)
	}
	if !reflect.DeepEqual(after, wantAfter) {
		add(problemStateChanged, "the state after %d is %v, want %v", res.status, after, wantAfter)
	}
	return problems
}

// knownDisagreement is a place where the property fails today: found by
// this test and reported, not fixed here (the spec and the fake belong to
// others). A case it matches may break the property in exactly the way it
// names and no other; and if such a case no longer breaks it, the test
// fails, so that the entry is removed once the fake or the spec is fixed.
type knownDisagreement struct {
	name string
	// kind is the one problem tolerated.
	kind string
	// matches picks the requests it is about, from the request alone.
	matches func(op specOperation, c propertyCase, res propertyResult) bool
	// answer recognises the fake's (or the spec's) answer to them today.
	answer func(res propertyResult) bool
}

var knownDisagreements = []knownDisagreement{
	{
		// By design, not a defect (inferred: Graph's answer is unknown). A
		// group id with a slash, escaped as %2F, is one segment of the
		// path the fake's mux matches, but two for the spec's router, which
		// reads the decoded path: no operation. The spec says nothing
		// matches; the fake says what it says of any id that names no
		// group, 404 Request_ResourceNotFound (see validateRequests),
		// whatever the body and media type, once the client-request-id
		// (checked before routing) is good. The request is refused and
		// the state unchanged, so the property's spirit holds.
		name: "a group id with an escaped slash: the spec routes it nowhere, the fake answers 404",
		kind: problemAcceptedBad,
		matches: func(op specOperation, c propertyCase, res propertyResult) bool {
			if res.specValid || !strings.Contains(c.groupID, "/") || !cleanSegments(c.groupID) {
				return false
			}
			if c.sendHeader && !op.headerPattern.MatchString(c.headerValue) {
				return false
			}
			for _, v := range res.violations {
				if v.Field != "route" {
					return false
				}
			}
			return len(res.violations) > 0
		},
		answer: func(res propertyResult) bool {
			return res.status == http.StatusNotFound && readODataError(res.body).Code == graph.CodeResourceNotFound
		},
	},
}

// settle drops the problems a known disagreement explains, counting them,
// and turns a known disagreement that did not happen into a problem,
// unless another one explains the case (the fake answers one of them
// first).
func settle(op specOperation, c propertyCase, res propertyResult, problems []problem, st *propertyStats) []problem {
	var matched, explained []knownDisagreement
	for _, kd := range knownDisagreements {
		if !kd.matches(op, c, res) {
			continue
		}
		matched = append(matched, kd)
		n := len(problems)
		problems = slices.DeleteFunc(problems, func(p problem) bool { return p.kind == kd.kind && kd.answer(res) })
		if len(problems) < n {
			explained = append(explained, kd)
			st.known[kd.name]++
			if _, ok := st.knownExample[kd.name]; !ok {
				st.knownExample[kd.name] = describe(op, c, res)
			}
		}
	}
	if len(explained) == 0 {
		for _, kd := range matched {
			problems = append(problems, problem{"known disagreement gone", fmt.Sprintf("the known disagreement %q did not happen here: if the fake or the spec was fixed, remove it from knownDisagreements", kd.name)})
		}
	}
	return problems
}

// cleanSegments reports whether id, split at its slashes, has no empty
// or dot segment: the fake's mux then routes it (see rejectUncleanPaths).
func cleanSegments(id string) bool {
	for _, seg := range strings.Split(id, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

// withMoved is groups after connectorID moved into groupID: a member of
// it, and of no other group.
func withMoved(groups []ConnectorGroup, groupID, connectorID string) []ConnectorGroup {
	out := make([]ConnectorGroup, len(groups))
	for i, g := range groups {
		g.Members = slices.DeleteFunc(slices.Clone(g.Members), func(m string) bool { return m == connectorID })
		if g.ID == groupID {
			g.Members = append(g.Members, connectorID)
			slices.Sort(g.Members)
		}
		out[i] = g
	}
	return out
}

type odataError struct{ Code, Message string }

func readODataError(body []byte) odataError {
	var e struct {
		Error odataError `json:"error"`
	}
	_ = json.Unmarshal(body, &e)
	return e.Error
}

// describe prints a case so that it can be replayed by hand.
func describe(op specOperation, c propertyCase, res propertyResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "  request (%s): %s %s\n", res.transport, op.method, c.target(op))
	fmt.Fprintf(&b, "    Content-Type: %q\n", c.contentType)
	if c.gzip {
		b.WriteString("    Content-Encoding: gzip (the body below goes compressed)\n")
	}
	if c.sendHeader {
		fmt.Fprintf(&b, "    client-request-id: %q\n", c.headerValue)
	}
	if c.body == nil {
		b.WriteString("    (no body)\n")
	} else {
		fmt.Fprintf(&b, "    body: %s\n", strconv.Quote(string(c.body)))
	}
	verdict := "valid"
	if !res.specValid {
		verdict = fmt.Sprintf("invalid: %v", res.violations)
	}
	fmt.Fprintf(&b, "  spec: %s\n", verdict)
	fmt.Fprintf(&b, "  fake: %d %s", res.status, res.body)
	return b.String()
}

// The classes a run must fill, lest the property pass vacuously.
var propertyClasses = []string{
	"spec-valid, 201",
	"spec-valid, 404",
	"spec-valid, 400 already exist",
	"spec-invalid, 400",
	"spec-invalid, 415",
}

// The classes a run must fill with gzip-compressed bodies too.
var gzipPropertyClasses = []string{
	"spec-valid, 201",
	"spec-invalid, 400",
	"spec-invalid, 415",
}

type propertyStats struct {
	classes           map[string]int
	gzipClasses       map[string]int
	kinds             map[string]int
	invalidByCategory map[string]int
	transports        map[string]int
	known             map[string]int
	knownExample      map[string]string
}

func newPropertyStats() *propertyStats {
	return &propertyStats{classes: map[string]int{}, gzipClasses: map[string]int{}, kinds: map[string]int{}, invalidByCategory: map[string]int{}, transports: map[string]int{}, known: map[string]int{}, knownExample: map[string]string{}}
}

func (st *propertyStats) add(c propertyCase, res propertyResult) {
	class := "spec-invalid, "
	if res.specValid {
		class = "spec-valid, "
	}
	class += strconv.Itoa(res.status)
	if res.specValid && res.status == http.StatusBadRequest {
		if graph.IsAlreadyExists(res.status, readODataError(res.body).Message) {
			class += " already exist"
		} else {
			class += " refused (a known disagreement)"
		}
	}
	st.classes[class]++
	if c.gzip {
		st.gzipClasses[class]++
	}
	if c.category == "" {
		for _, part := range strings.Split(c.kind, ", ") {
			st.kinds["valid candidate: "+part]++
		}
	} else {
		kind, _, _ := strings.Cut(c.kind, " (mutating")
		st.kinds[c.category+": "+kind]++
	}
	if c.category != "" && !res.specValid {
		st.invalidByCategory[c.category]++
	}
	st.transports[res.transport]++
}

func (st *propertyStats) log(t *testing.T, elapsed time.Duration) {
	t.Helper()
	total := 0
	for _, n := range st.classes {
		total += n
	}
	t.Logf("%d requests in %v", total, elapsed.Round(time.Millisecond))
	for _, class := range slices.Sorted(maps.Keys(st.classes)) {
		t.Logf("  %-46s %5d", class, st.classes[class])
	}
	t.Logf("gzip-compressed bodies: %v", st.gzipClasses)
	t.Logf("spec-invalid by mutation category: %v", st.invalidByCategory)
	t.Logf("transports: %v", st.transports)
	for _, name := range slices.Sorted(maps.Keys(st.known)) {
		t.Logf("KNOWN DISAGREEMENT, %d cases: %s; the first:\n%s", st.known[name], name, st.knownExample[name])
	}
	if testing.Verbose() {
		for _, k := range slices.Sorted(maps.Keys(st.kinds)) {
			t.Logf("  %-60s %4d", k, st.kinds[k])
		}
	}
}
