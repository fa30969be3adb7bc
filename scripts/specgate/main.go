// Command specgate is `make breaking`: it compares openapi/connectorgroups.yaml
// with the last released spec (openapi/released/v<version>.yaml) through the
// pinned oasdiff, and applies the project's versioning rules: info.version
// is semver, a released version never changes, and a breaking change needs
// a major bump (under 1.0.0, the minor). With -release it also cuts the
// release: it copies the spec to openapi/released/ once the gate passes and
// CHANGELOG.md has the version's section.
//
// Exit status: 0 the gate passes; 1 it fails (each problem and each breaking
// change on a line); 2 it could not judge (a file it cannot read, oasdiff
// failing).
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("specgate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	g := gate{oasdiff: oasdiff{goCmd: "go"}}
	fs.StringVar(&g.spec, "spec", "openapi/connectorgroups.yaml", "the spec under edit")
	fs.StringVar(&g.released, "released", "openapi/released", "the directory of released specs, v<version>.yaml each")
	fs.StringVar(&g.oasdiff.repo, "repo", ".", "the main module's root, where go tool runs")
	fs.StringVar(&g.oasdiff.modfile, "modfile", "tools/oasdiff/go.mod", "the go.mod that pins oasdiff")
	fs.StringVar(&g.oasdiff.levels, "levels", "tools/oasdiff/severity-levels.txt", "oasdiff's --severity-levels file")
	changelog := fs.String("changelog", "CHANGELOG.md", "the changelog a release needs a section in (-release)")
	cut := fs.Bool("release", false, "cut a release: copy the spec to -released as v<info.version>.yaml")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	v, err := g.run()
	if err != nil {
		fmt.Fprintf(stderr, "specgate: %v\n", err)
		return 2
	}
	v.write(stdout, g.spec)
	if !v.ok() {
		return 1
	}
	if !*cut {
		return 0
	}
	dst, err := g.cut(v, *changelog)
	if err != nil {
		fmt.Fprintf(stderr, "specgate: release: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "released %s as %s; commit it with the changelog, then tag spec-v%s\n", g.spec, dst, v.current)
	return 0
}

// cut copies the spec to the released directory, once: a version already
// released is refused, as is one CHANGELOG.md has no section for.
func (g gate) cut(v verdict, changelog string) (string, error) {
	dst := filepath.Join(g.released, "v"+v.current.String()+".yaml")
	if _, err := os.Stat(dst); err == nil {
		return "", fmt.Errorf("%s exists: %s is released already; bump info.version for the next one", dst, v.current)
	}
	ok, err := hasSection(changelog, v.current)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", fmt.Errorf("%s has no \"## %s\" section: write it first (the gate's draft above helps)", changelog, v.current)
	}
	data, err := os.ReadFile(g.spec)
	if err != nil {
		return "", err
	}
	return dst, os.WriteFile(dst, data, 0o644)
}

// hasSection reports whether changelog has a "## <version>" heading (text
// after the version, such as a date, is allowed).
func hasSection(changelog string, v version) (bool, error) {
	data, err := os.ReadFile(changelog)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "## "+v.String())
		if ok && (rest == "" || rest[0] == ' ') {
			return true, nil
		}
	}
	return false, sc.Err()
}
