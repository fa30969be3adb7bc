package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A misspelled command or subcommand is bad usage (exit 2) and gets the
// nearest names; a name near nothing gets no guess.
func TestMisspelledNamesGetASuggestion(t *testing.T) {
	for _, tt := range []struct {
		args    []string
		cmd     string // whose usage error it is
		problem string
	}{
		{[]string{"gruops"}, "", `unknown command "gruops"; did you mean groups?`},
		{[]string{"verfy"}, "", `unknown command "verfy"; did you mean verify?`},
		{[]string{"membrs"}, "", `unknown command "membrs"; did you mean members?`},
		{[]string{"Connectors"}, "", `unknown command "Connectors"; did you mean connectors?`},
		{[]string{"hlep"}, "", `unknown command "hlep"; did you mean help?`},
		{[]string{"versoin"}, "", `unknown command "versoin"; did you mean version?`},
		{[]string{"help", "gruops"}, "", `unknown command "gruops"; did you mean groups?`},
		{[]string{"zzzzzz"}, "", `unknown command "zzzzzz"`},
		{[]string{"group", "craete"}, "group", `unknown subcommand "craete"; did you mean create?`},
		{[]string{"group", "list"}, "group", `unknown subcommand "list"; the subcommands are get, create, update, delete`},
		{[]string{"connector", "gte"}, "connector", `unknown subcommand "gte"; did you mean get?`},
	} {
		t.Run(tt.args[len(tt.args)-1], func(t *testing.T) {
			code, stdout, stderr := runCmd(t, cancelled(), tt.args...)
			assertUsageError(t, tt.cmd, code, stdout, stderr, tt.problem)
			if tt.problem == `unknown command "zzzzzz"` {
				assert.NotContains(t, stderr, "did you mean")
			}
		})
	}
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"groups", "groups", 0}, {"group", "groups", 1}, {"gruops", "groups", 1},
		{"grups", "groups", 1}, {"gorups", "groups", 1}, {"xyz", "add", 3}, {"", "add", 3},
	} {
		assert.Equal(t, tt.want, editDistance(tt.a, tt.b), "%q %q", tt.a, tt.b)
	}
}

// help has usage of its own, as every command does.
func TestHelpHelp(t *testing.T) {
	for _, args := range [][]string{{"help", "help"}, {"help", "-h"}} {
		code, stdout, stderr := runCmd(t, cancelled(), args...)
		assert.Equal(t, exitOK, code, "%v: stderr:\n%s", args, stderr)
		assert.Empty(t, stderr)
		assert.Regexp(t, `^usage: connectorgroups help \[COMMAND \[SUBCOMMAND\]\]\n`, stdout, "%v", args)
	}
	code, stdout, stderr := runCmd(t, cancelled(), "help", "help", "get")
	assertUsageError(t, "", code, stdout, stderr, "help has no subcommands")
}
