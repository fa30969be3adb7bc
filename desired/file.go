package desired

import (
	"fmt"
	"strings"
)

// File is a desired state: the connector groups that should exist, and
// the connectors and applications each should hold.
type File struct {
	ConnectorGroups []Group

	name string // the file's name in messages; "" when built in Go
}

// Group is one connector group of a File.
type Group struct {
	// Name is the group's name. A group other than the default one is
	// matched to the service's group of that name; names are unique in a
	// file.
	Name string
	// Default marks the tenant's default group, matched whatever its
	// name: a different Name renames it. At most one group is the default.
	Default bool
	// Region is nil to leave the region as it is, a pointer to "" for no
	// region (null in the file), and else the region: nam, eur, aus, asia
	// or ind. A group keeps a value Graph sends but takes no more (such
	// as japan) only if it has it already.
	Region *string
	// Connectors are the group's connectors, each by its id or its
	// machineName.
	Connectors []string
	// Applications are the ids (object ids) of the group's applications.
	Applications []string

	lines lines // where Parse found each part; zero when built in Go
	notes notes // what Export knows of each listed item, for Encode
}

// notes are the names Export writes beside the ids it lists, as comments:
// an application's display name, a connector's machineName.
type notes struct {
	connectors, applications []string
}

// lines are the line numbers of a group's parts, for messages.
type lines struct {
	group, name, def, region int
	connectors, applications []int
}

// at is the line of the i-th item of a list (0 when unknown).
func at(ls []int, i int) int {
	if i < len(ls) {
		return ls[i]
	}
	return 0
}

// Problem is one thing wrong with a file: what, and the line it is on.
type Problem struct {
	Line    int // 0 when the file was built in Go
	Message string
}

// FileError lists every problem found with a file, by line.
type FileError struct {
	File     string // the file's name, "" when built in Go
	Problems []Problem
}

func (e *FileError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		switch {
		case e.File != "" && p.Line > 0:
			fmt.Fprintf(&b, "%s:%d: %s", e.File, p.Line, p.Message)
		case p.Line > 0:
			fmt.Fprintf(&b, "line %d: %s", p.Line, p.Message)
		case e.File != "":
			fmt.Fprintf(&b, "%s: %s", e.File, p.Message)
		default:
			b.WriteString(p.Message)
		}
	}
	return b.String()
}

// maxProblems bounds what a FileError lists: a generated file can be wrong
// on every one of its lines, and a reader needs the first few.
const maxProblems = 50

// fileError lists at most maxProblems, and how many more there are.
func fileError(name string, problems []Problem) *FileError {
	if len(problems) > maxProblems {
		more := len(problems) - maxProblems
		problems = append(problems[:maxProblems:maxProblems], Problem{Message: fmt.Sprintf("and %d more problems", more)})
	}
	return &FileError{File: name, Problems: problems}
}
