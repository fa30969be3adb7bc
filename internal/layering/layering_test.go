package layering

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/connectorgroups/connectorgroups/"

// forbidden lists, per package, what its product code (not its tests) must
// never reach, directly or through other packages of this module.
var forbidden = map[string][]string{
	"gen/api":                {"github.com/getkin/kin-openapi", module + "internal/", module + "fakegraph", module + "client", module + "contract", module + "cmd"},
	"client":                 {"github.com/getkin/kin-openapi", module + "gen/spec", module + "internal/specvalidator", module + "internal/harcheck", module + "fakegraph", module + "contract", module + "cmd", module + "internal/testkit"},
	"desired":                {"github.com/getkin/kin-openapi", module + "gen/spec", module + "internal/specvalidator", module + "internal/harcheck", module + "fakegraph", module + "contract", module + "cmd", module + "internal/testkit"},
	"fakegraph":              {module + "client", module + "contract", module + "cmd", module + "internal/testkit"},
	"contract":               {module + "client", module + "fakegraph", module + "cmd", module + "internal/testkit"},
	"cmd/connectorgroups":    {module + "internal/testkit"},
	"internal/harcheck":      {module + "client", module + "fakegraph", module + "contract", module + "cmd", module + "internal/testkit"},
	"internal/specvalidator": {module + "client", module + "fakegraph", module + "contract", module + "cmd", module + "internal/testkit"},
}

// stdlibOnly lists packages whose product code reaches the standard
// library alone: internal/graph is the one home of Graph's conventions,
// and every other package may ask it; internal/har is the HAR format the
// client writes; the test kit's helpers serve every package's tests. One
// of them may import another, never anything else.
var stdlibOnly = []string{"internal/graph", "internal/har", "internal/testkit/docquote", "internal/testkit/patterngen", "internal/testkit/wirecorpus"}

func TestStdlibOnly(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range stdlibOnly {
		imps := imports(t, filepath.Join(root, pkg))
		if len(imps) == 0 {
			t.Fatalf("%s: found no imports; is the package still there?", pkg)
		}
		for _, imp := range imps {
			// Standard library paths have no dot in their first element.
			if slices.Contains(stdlibOnly, strings.TrimPrefix(imp, module)) {
				continue
			}
			if first, _, _ := strings.Cut(imp, "/"); strings.Contains(first, ".") {
				t.Errorf("%s imports %s; it must use the standard library only", pkg, imp)
			}
		}
	}
}

func TestImportsFlowOneWay(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for pkg, banned := range forbidden {
		reached := reach(t, root, pkg)
		if len(reached) == 0 {
			t.Fatalf("%s: found no imports; is the package still there?", pkg)
		}
		for imp, via := range reached {
			for _, b := range banned {
				if imp == strings.TrimSuffix(b, "/") || strings.HasPrefix(imp, b) {
					t.Errorf("%s reaches %s (via %s)", pkg, imp, via)
				}
			}
		}
	}
}

// reach returns every import reachable from pkg's non-test files through
// this module's packages, each with the module package that imports it.
func reach(t *testing.T, root, pkg string) map[string]string {
	t.Helper()
	seen := map[string]string{}
	queue := []string{pkg}
	for len(queue) > 0 {
		dir := queue[0]
		queue = queue[1:]
		for _, imp := range imports(t, filepath.Join(root, dir)) {
			if _, ok := seen[imp]; ok {
				continue
			}
			seen[imp] = dir
			if rest, ok := strings.CutPrefix(imp, module); ok {
				queue = append(queue, rest)
			}
		}
	}
	return seen
}

// imports lists the imports of the non-test Go files in dir.
func imports(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	fset := token.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, spec := range f.Imports {
			path, _ := strconv.Unquote(spec.Path.Value)
			if !slices.Contains(out, path) {
				out = append(out, path)
			}
		}
	}
	return out
}
