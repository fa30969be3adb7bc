package main

import (
	"flag"
	"fmt"
	"os"
)

// fromEnv returns a flag's value, or when the flag was not given, the
// environment variable's. A flag given empty (-token "") is kept empty, so
// that the command can refuse it: falling back to the environment then
// would send a token the user just tried to leave out.
func fromEnv(fs *flag.FlagSet, name, value, env string) string {
	if value != "" || given(fs, name) {
		return value
	}
	return os.Getenv(env)
}

// emptyGiven returns a problem for each of the named flags that was given
// with an empty value: each falls back to its environment variable only
// when it is left out.
func emptyGiven(fs *flag.FlagSet, envs map[string]string) []string {
	var problems []string
	fs.Visit(func(f *flag.Flag) {
		if env, ok := envs[f.Name]; ok && f.Value.String() == "" {
			problems = append(problems, fmt.Sprintf("-%s is empty: pass a value, or leave -%s out to use $%s", f.Name, f.Name, env))
		}
	})
	return problems
}

// given reports whether the flag was set on the command line.
func given(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
