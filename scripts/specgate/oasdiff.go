package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// change is one entry of oasdiff's JSON output.
type change struct {
	ID          string `json:"id"`
	Text        string `json:"text"`
	Level       int    `json:"level"` // 1 INFO, 2 WARN, 3 ERR
	Operation   string `json:"operation"`
	OperationID string `json:"operationId"`
	Path        string `json:"path"`
	Section     string `json:"section"`
	Fingerprint string `json:"fingerprint"`
}

// oasdiff levels, as its JSON writes them.
const (
	levelInfo = 1
	levelWarn = 2
	levelErr  = 3
)

func (c change) levelName() string {
	switch c.Level {
	case levelErr:
		return "ERR"
	case levelWarn:
		return "WARN"
	default:
		return "INFO"
	}
}

// where names the operation a change is about, or its section.
func (c change) where() string {
	switch {
	case c.OperationID != "":
		return fmt.Sprintf("%s (%s %s)", c.OperationID, c.Operation, c.Path)
	case c.Path != "":
		return strings.TrimSpace(c.Operation + " " + c.Path)
	default:
		return c.Section
	}
}

// oasdiff runs the pinned oasdiff through the Go toolchain. The tool
// module (tools/oasdiff/go.mod) pins it and its go.sum holds the
// checksums; -modfile keeps it out of the main module, whose kin-openapi
// and go-openapi versions it would otherwise move.
type oasdiff struct {
	goCmd   string // "go"
	repo    string // the main module's root: -modfile needs a main module
	modfile string // tools/oasdiff/go.mod, relative to repo or absolute
	levels  string // the --severity-levels file
}

// breaking lists what `oasdiff breaking --fail-on WARN` reports between
// base and revision, with the project's severity levels. Its exit status
// must agree with the list: 1 when it names a change, 0 when it names
// none; anything else is an error, so that a crash never reads as a pass.
func (o oasdiff) breaking(base, revision string) ([]change, error) {
	out, code, err := o.run("breaking", base, revision, "--fail-on", "WARN", "--severity-levels", o.levels)
	if err != nil {
		return nil, err
	}
	changes, err := decode(out)
	if err != nil {
		return nil, err
	}
	switch {
	case code == 0 && len(changes) == 0, code == 1 && len(changes) > 0:
		return changes, nil
	default:
		return nil, fmt.Errorf("oasdiff breaking exited %d and reported %d changes", code, len(changes))
	}
}

// changelog lists every change between base and revision, INFO included,
// for the changelog.
func (o oasdiff) changelog(base, revision string) ([]change, error) {
	out, code, err := o.run("changelog", base, revision, "--level", "INFO", "--severity-levels", o.levels)
	if err != nil {
		return nil, err
	}
	if code != 0 {
		return nil, fmt.Errorf("oasdiff changelog exited %d", code)
	}
	return decode(out)
}

func (o oasdiff) run(args ...string) (stdout []byte, code int, err error) {
	if err := o.download(); err != nil {
		return nil, 0, err
	}
	full := append([]string{"tool", "-modfile=" + o.modfile, "oasdiff"}, args...)
	full = append(full, "--format", "json")
	cmd := exec.Command(o.goCmd, full...)
	cmd.Dir = o.repo
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return out.Bytes(), 0, nil
	case errors.As(err, &exit) && exit.ExitCode() == 1 && errOut.Len() == 0:
		return out.Bytes(), 1, nil
	default:
		return nil, 0, fmt.Errorf("%s %s: %v: %s", o.goCmd, strings.Join(full, " "), err, strings.TrimSpace(errOut.String()))
	}
}

func decode(out []byte) ([]change, error) {
	var changes []change
	if len(bytes.TrimSpace(out)) == 0 {
		return nil, nil
	}
	if err := json.Unmarshal(out, &changes); err != nil {
		return nil, fmt.Errorf("reading oasdiff's JSON: %w", err)
	}
	return changes, nil
}

// download fetches the tool module's dependencies first, on their own:
// with an empty module cache, `go tool` would print its "go: downloading"
// lines on the same stderr as oasdiff's, and a breaking change (exit 1)
// could then not be told from a failure of the tool.
func (o oasdiff) download() error {
	cmd := exec.Command(o.goCmd, "mod", "download", "-modfile="+o.modfile)
	cmd.Dir = o.repo
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s mod download -modfile=%s: %v: %s", o.goCmd, o.modfile, err, strings.TrimSpace(string(out)))
	}
	return nil
}
