package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/connectorgroups/connectorgroups/client"
)

// runVersion prints what this binary is, one fact a line: its own version,
// the spec version it speaks, and the Go that built it.
func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("version")
	usage := func(w io.Writer) {
		writeUsage(w, fs, "",
			"Prints this program's version (the module version 'go install' recorded, or the",
			"commit 'go build' did), the version of openapi/connectorgroups.yaml its client",
			"speaks (client.Version, also sent in the User-Agent), and the Go that built it.")
	}
	if code, done := parseFlags(fs, args, usage, stdout, stderr); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(stderr, "version", "unexpected arguments: "+strings.Join(fs.Args(), " "))
	}
	fmt.Fprintf(stdout, "connectorgroups %s\n", buildVersion())
	fmt.Fprintf(stdout, "spec %s\n", client.Version)
	fmt.Fprintf(stdout, "%s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return exitOK
}

// buildVersion is the main module's version as the go command recorded
// it: a release (v0.3.0) after `go install ...@v0.3.0`, a pseudo-version
// after `go build` in a clone, or "(devel)" when it recorded none, with
// the commit when it is known.
func buildVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var revision, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if revision != "" && !strings.Contains(v, revision[:min(12, len(revision))]) {
		v += " (commit " + revision[:min(12, len(revision))]
		if modified == "true" {
			v += ", modified"
		}
		v += ")"
	}
	return v
}
