package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The repository root, seen from this package.
const repoRoot = "../.."

// A breaking edit of each kind the issue names, each a text edit of the
// real spec. The gate runs the real, pinned oasdiff on each.
var breakingEdits = []struct {
	name   string
	wantID string // the oasdiff rule that must report it
	edit   func(t *testing.T, spec string) string
}{
	{"a response property removed", "response-optional-property-removed", func(t *testing.T, s string) string {
		return replaceOnce(t, s, "        version:\n          type: string\n          readOnly: true\n          description: The connector's version.\n", "")
	}},
	{"201 changed to 200", "response-success-status-removed", func(t *testing.T, s string) string {
		// The doc's add: 201 with the connector, or today's 204.
		at := strings.Index(s, "operationId: addConnectorToConnectorGroup")
		require.Positive(t, at, "the doc's add is not where the test expects it")
		return s[:at] + strings.Replace(s[at:], "      responses:\n        '201':\n", "      responses:\n        '200':\n", 1)
	}},
	{"a required request property added", "new-required-request-property", func(t *testing.T, s string) string {
		return replaceOnce(t, s, "      required:\n        - name\n      additionalProperties: false\n      properties:\n",
			"      required:\n        - name\n        - description\n      additionalProperties: false\n      properties:\n        description:\n          type: string\n          description: A note.\n")
	}},
	{"a value added to a response enum", "response-property-enum-value-added", func(t *testing.T, s string) string {
		return replaceOnce(t, s, "        - active\n        - inactive\n", "        - active\n        - inactive\n        - degraded\n")
	}},
	{"an operation removed", "api-removed-without-deprecation", func(t *testing.T, s string) string {
		start := strings.Index(s, "    delete:\n      operationId: deleteConnectorGroup")
		end := strings.Index(s, "  /onPremisesPublishingProfiles/applicationProxy/connectorGroups/{id}/members:")
		require.True(t, start > 0 && end > start, "the delete operation is not where the test expects it")
		return s[:start] + s[end:]
	}},
}

// The spec under edit passes: any breaking change since the release comes
// with the bump it needs.
func TestGatePassesOnTheRealSpec(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "openapi/connectorgroups.yaml"))
	require.NoError(t, err)
	v := runGate(t, newGate(t, string(data)))
	assert.Empty(t, v.problems)
	assert.Equal(t, "0.2.0", v.last.version.String())
}

// Each breaking edit, with the released version kept, fails the gate,
// which lists the change: both because the version is reused with another
// spec and because a breaking change needs a major bump.
func TestGateFailsOnEachKindOfBreakingChange(t *testing.T) {
	for _, tc := range breakingEdits {
		t.Run(tc.name, func(t *testing.T) {
			v := runGate(t, newGate(t, tc.edit(t, realSpec(t))))
			assert.False(t, v.ok())
			assertReports(t, v, tc.wantID)
			assertProblem(t, v, "already released")
			assertProblem(t, v, "needs a major bump, at least 0.3.0")
		})
	}
}

func TestGateVersionRules(t *testing.T) {
	enumAdded, opRemoved := breakingEdits[3].edit, breakingEdits[4].edit
	for _, tc := range []struct {
		name    string
		spec    func(t *testing.T) string
		wantOK  bool
		problem string // a part of the one problem expected
	}{
		{"a breaking change with a patch bump", func(t *testing.T) string { return withVersion(t, enumAdded(t, realSpec(t)), "0.2.1") }, false, "needs a major bump"},
		{"a breaking change with a minor bump under 1.0.0", func(t *testing.T) string { return withVersion(t, opRemoved(t, realSpec(t)), "0.3.0") }, true, ""},
		{"a breaking change with 1.0.0", func(t *testing.T) string { return withVersion(t, enumAdded(t, realSpec(t)), "1.0.0") }, true, ""},
		{"a compatible change with the released version", func(t *testing.T) string { return describeMore(t, realSpec(t)) }, false, "already released"},
		{"a compatible change with a patch bump", func(t *testing.T) string { return withVersion(t, describeMore(t, realSpec(t)), "0.2.1") }, true, ""},
		{"a version older than the release", func(t *testing.T) string { return withVersion(t, describeMore(t, realSpec(t)), "0.1.9") }, false, "older than the last release"},
		{"a version that is not semver", func(t *testing.T) string { return withVersion(t, realSpec(t), "v0.3.0") }, false, "not a semantic version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := runGate(t, newGate(t, tc.spec(t)))
			if tc.wantOK {
				assert.Empty(t, v.problems)
				return
			}
			require.Len(t, v.problems, 1, "problems: %q", v.problems)
			assert.Contains(t, v.problems[0], tc.problem)
		})
	}
}

// A released file must be named after its own version, so that the last
// release is the file with the highest version in its name.
func TestGateRefusesAMisnamedRelease(t *testing.T) {
	g := newGate(t, realSpec(t))
	require.NoError(t, os.WriteFile(filepath.Join(g.released, "v0.1.0.yaml"), []byte(realSpec(t)), 0o644))
	v := runGate(t, g)
	assertProblem(t, v, "must be named v0.2.0.yaml")
}

// The report lists each breaking change on its own line with its rule, and
// drafts the changelog section.
func TestReportListsEachBreakingChange(t *testing.T) {
	g := newGate(t, breakingEdits[2].edit(t, realSpec(t)))
	var out bytes.Buffer
	runGate(t, g).write(&out, "spec.yaml")
	text := out.String()
	assert.Contains(t, text, "breaking changes (1):\n  ERR  createConnectorGroup (POST /onPremisesPublishingProfiles/applicationProxy/connectorGroups): added the new required request property `description` [new-required-request-property]\n")
	assert.Contains(t, text, "## 0.2.0\n\n### Breaking\n- createConnectorGroup")
	assert.Contains(t, text, "FAIL (2):")
}

func TestReleaseCopiesTheSpecOnce(t *testing.T) {
	spec := withVersion(t, describeMore(t, realSpec(t)), "0.2.1")
	g := newGate(t, spec)
	changelog := filepath.Join(t.TempDir(), "CHANGELOG.md")
	v := runGate(t, g)
	require.True(t, v.ok(), "problems: %q", v.problems)

	_, err := g.cut(v, changelog)
	assert.ErrorContains(t, err, `no "## 0.2.1" section`, "no changelog yet")
	require.NoError(t, os.WriteFile(changelog, []byte("# Changelog\n\n## 0.2.10\n\n## 0.2.1 (2026-12-02)\n\n- more words\n"), 0o644))
	dst, err := g.cut(v, changelog)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(g.released, "v0.2.1.yaml"), dst)
	got, err := os.ReadFile(dst)
	require.NoError(t, err)
	assert.Equal(t, spec, string(got))

	_, err = g.cut(v, changelog)
	assert.ErrorContains(t, err, "is released already")
	assert.True(t, runGate(t, g).ok(), "after the release the spec is the release")
}

func TestHasSection(t *testing.T) {
	path := filepath.Join(t.TempDir(), "CHANGELOG.md")
	require.NoError(t, os.WriteFile(path, []byte("## 0.2.10\n## 1.0.0 - 2026-12-02\n"), 0o644))
	for _, tc := range []struct {
		v    version
		want bool
	}{{version{0, 2, 1}, false}, {version{0, 2, 10}, true}, {version{1, 0, 0}, true}} {
		got, err := hasSection(path, tc.v)
		require.NoError(t, err)
		assert.Equal(t, tc.want, got, tc.v.String())
	}
}

// newGate writes spec to a temporary directory, next to a released
// directory holding the real v0.2.0 release, and points the gate at the
// pinned oasdiff.
func newGate(t *testing.T, spec string) gate {
	t.Helper()
	dir := t.TempDir()
	released := filepath.Join(dir, "released")
	require.NoError(t, os.Mkdir(released, 0o755))
	data, err := os.ReadFile(filepath.Join(repoRoot, "openapi/released/v0.2.0.yaml"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(released, "v0.2.0.yaml"), data, 0o644))
	path := filepath.Join(dir, "connectorgroups.yaml")
	require.NoError(t, os.WriteFile(path, []byte(spec), 0o644))
	root, err := filepath.Abs(repoRoot)
	require.NoError(t, err)
	return gate{spec: path, released: released, oasdiff: oasdiff{
		goCmd: "go", repo: root,
		modfile: filepath.Join(root, "tools/oasdiff/go.mod"),
		levels:  filepath.Join(root, "tools/oasdiff/severity-levels.txt"),
	}}
}

func runGate(t *testing.T, g gate) verdict {
	t.Helper()
	v, err := g.run()
	require.NoError(t, err)
	return v
}

// realSpec is the last release, the one spec the edits below are made
// against whatever the spec under edit has become since.
func realSpec(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "openapi/released/v0.2.0.yaml"))
	require.NoError(t, err)
	return string(data)
}

func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	require.Equal(t, 1, strings.Count(s, old), "the text to replace must occur once: %q", old)
	return strings.Replace(s, old, new, 1)
}

func withVersion(t *testing.T, s, v string) string {
	t.Helper()
	return replaceOnce(t, s, "\n  version: 0.2.0\n", "\n  version: "+v+"\n")
}

// describeMore is a compatible edit: one more word in a description.
func describeMore(t *testing.T, s string) string {
	t.Helper()
	return replaceOnce(t, s, "description: The connector's id.", "description: The connector's id, set by the service.")
}

func assertReports(t *testing.T, v verdict, id string) {
	t.Helper()
	for _, c := range v.breaking {
		if c.ID == id {
			return
		}
	}
	t.Errorf("no breaking change %s among %+v", id, v.breaking)
}

func assertProblem(t *testing.T, v verdict, part string) {
	t.Helper()
	for _, p := range v.problems {
		if strings.Contains(p, part) {
			return
		}
	}
	t.Errorf("no problem says %q; problems: %q", part, v.problems)
}
