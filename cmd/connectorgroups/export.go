package main

import (
	"context"
	"flag"
	"io"

	"github.com/connectorgroups/connectorgroups/client"
	"github.com/connectorgroups/connectorgroups/desired"
)

var exportCommand = clientCommand{
	name:     "export",
	synopsis: "[-o FILE]",
	timeout:  desiredTimeout,
	about: []string{
		"Reads the service's connector groups and writes them as a desired-state file (YAML): every group",
		"with its region, connectors and applications, the default group first. plan on that file prints",
		"no change. The file holds no secret, so -o writes it readable by all (0644).",
	},
	flags: func(fs *flag.FlagSet) clientCall {
		out := fs.String("o", "", "write to `FILE` instead of stdout, replacing it whole or leaving it as it was")
		toStdout := func() bool { return *out == "" || *out == "-" }
		check := func() []string {
			if toStdout() {
				return nil
			}
			if err := checkOutputDir("o", *out); err != nil {
				return []string{err.Error()}
			}
			return nil
		}
		return clientCall{check: check, run: func(ctx context.Context, c *client.Client, stdout io.Writer) error {
			f, err := desired.Export(ctx, c)
			if err != nil {
				return err
			}
			if toStdout() {
				return f.Encode(stdout)
			}
			return writeFileAtomic(*out, 0o644, f.Encode)
		}}
	},
}
