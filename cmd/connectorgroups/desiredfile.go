package main

import (
	"errors"
	"flag"
	"io"
	"os"
	"strings"

	"github.com/connectorgroups/connectorgroups/desired"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// desiredInput is what plan and apply share: -f, the desired-state file,
// and -prune. The file is read and parsed with the other flags' checks, so
// that a file with problems is bad usage, reported before anything is
// sent.
type desiredInput struct {
	path  *string
	prune *bool
	file  *desired.File // set by read
}

func desiredFlags(fs *flag.FlagSet) *desiredInput {
	return &desiredInput{
		path:  fs.String("f", "", "the desired-state `FILE`, YAML or JSON; - reads stdin (required)"),
		prune: fs.Bool("prune", false, "also delete the groups the file omits, after moving what they hold into the default group"),
	}
}

// read reads and parses the file, for clientCall.check: its problems, each
// as FILE:LINE: message.
func (in *desiredInput) read() []string {
	if *in.path == "" {
		return required("f", "")
	}
	f, err := parseDesiredFile(*in.path)
	if err != nil {
		var fileErr *desired.FileError
		if errors.As(err, &fileErr) {
			return fileProblems(fileErr)
		}
		return []string{graph.OneLine(err.Error(), 2000)}
	}
	in.file = f
	return nil
}

// options are NewPlan's options, from the flags.
func (in *desiredInput) options() desired.Options {
	return desired.Options{Prune: *in.prune}
}

// parseDesiredFile reads path, or stdin for "-", with desired.Parse, which
// names the file as it was given in its messages.
func parseDesiredFile(path string) (*desired.File, error) {
	var r io.Reader = os.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	return desired.Parse(path, r)
}

// fileProblems is a file's problems, one line each (FILE:LINE: message),
// made safe for a terminal: a message may quote the file or the service.
func fileProblems(e *desired.FileError) []string {
	var lines []string
	for line := range strings.SplitSeq(e.Error(), "\n") {
		lines = append(lines, graph.OneLine(line, 2000))
	}
	return lines
}

// inSyncLine is what plan and apply print when there is nothing to change.
func inSyncLine(path string) string {
	if path == "-" {
		return "No changes: the service matches the file on stdin."
	}
	return "No changes: the service matches " + path + "."
}
