package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// gate holds what the breaking-change gate compares: the spec under edit
// and the directory of released specs, one file v<version>.yaml each.
type gate struct {
	spec     string
	released string
	oasdiff  oasdiff
}

// release is one released spec.
type release struct {
	file    string
	version version
}

// verdict is the gate's result. The gate passes when problems is empty.
type verdict struct {
	current  version
	last     release
	breaking []change // what oasdiff breaking --fail-on WARN reports
	other    []change // the rest of oasdiff's changelog, for the changelog
	problems []string
}

func (v verdict) ok() bool { return len(v.problems) == 0 }

// run applies every rule: the spec's version is semver; each released file
// is named after its own version; a released version is never reused with
// other content; the version never goes back; and a breaking change since
// the last release comes with a major bump (allowsBreaking). An error is
// returned only when the gate cannot judge (a file it cannot read, oasdiff
// failing), never for a rule broken.
func (g gate) run() (verdict, error) {
	var v verdict
	specBytes, cur, err := readVersion(g.spec)
	if err != nil {
		return v, err
	}
	if v.current, err = parseVersion(cur); err != nil {
		v.problems = append(v.problems, fmt.Sprintf("%s: info.version %v", g.spec, err))
		return v, nil
	}
	releases, problems, err := g.releases()
	if err != nil {
		return v, err
	}
	v.problems = append(v.problems, problems...)
	if len(releases) == 0 {
		v.problems = append(v.problems, fmt.Sprintf("no released spec in %s: cut the first release (docs/spec-releases.md, \"Releasing\")", g.released))
		return v, nil
	}
	for _, r := range releases {
		if r.version != v.current {
			continue
		}
		data, err := os.ReadFile(r.file)
		if err != nil {
			return v, err
		}
		if !bytes.Equal(data, specBytes) {
			v.problems = append(v.problems, fmt.Sprintf("info.version %s is already released as %s, with a different spec: a released version never changes; bump info.version", v.current, r.file))
		}
	}
	v.last = releases[len(releases)-1]
	if v.current.compare(v.last.version) < 0 {
		v.problems = append(v.problems, fmt.Sprintf("info.version %s is older than the last release, %s", v.current, v.last.version))
	}

	if v.breaking, err = g.oasdiff.breaking(v.last.file, g.spec); err != nil {
		return v, err
	}
	all, err := g.oasdiff.changelog(v.last.file, g.spec)
	if err != nil {
		return v, err
	}
	v.other = notBreaking(all, v.breaking)
	if len(v.breaking) > 0 && !allowsBreaking(v.last.version, v.current) {
		v.problems = append(v.problems, fmt.Sprintf("%d breaking change(s) since %s, but info.version goes from %s to %s: a breaking change needs a major bump, at least %s (under 1.0.0 the minor number is the major one)",
			len(v.breaking), v.last.file, v.last.version, v.current, nextMajor(v.last.version)))
	}
	return v, nil
}

// releases reads every released spec, sorted by version, and reports a file
// whose name is not v<its info.version>.yaml.
func (g gate) releases() ([]release, []string, error) {
	files, err := filepath.Glob(filepath.Join(g.released, "*.yaml"))
	if err != nil {
		return nil, nil, err
	}
	var out []release
	var problems []string
	for _, f := range files {
		_, s, err := readVersion(f)
		if err != nil {
			return nil, nil, err
		}
		ver, err := parseVersion(s)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: info.version %v", f, err))
			continue
		}
		if want := "v" + ver.String() + ".yaml"; filepath.Base(f) != want {
			problems = append(problems, fmt.Sprintf("%s has info.version %s, so it must be named %s", f, ver, want))
			continue
		}
		out = append(out, release{file: f, version: ver})
	}
	slices.SortFunc(out, func(a, b release) int { return a.version.compare(b.version) })
	return out, problems, nil
}

// readVersion returns a spec's bytes and its info.version.
func readVersion(path string) ([]byte, string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", path, err)
	}
	if doc.Info == nil {
		return data, "", nil
	}
	return data, doc.Info.Version, nil
}

// notBreaking is all without the changes in breaking and without oasdiff's
// own versioning notes (api-version-*, api-major-version-*), which the
// gate's rules replace.
func notBreaking(all, breaking []change) []change {
	seen := map[string]bool{}
	for _, c := range breaking {
		seen[c.Fingerprint] = true
	}
	var out []change
	for _, c := range all {
		if seen[c.Fingerprint] || strings.HasPrefix(c.ID, "api-version-") || strings.HasPrefix(c.ID, "api-major-version-") {
			continue
		}
		out = append(out, c)
	}
	return out
}
