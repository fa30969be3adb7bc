// Command genseed writes a seed for `connectorgroups serve -seed FILE` with
// many connectors, for load tests and scale measurements (make bench,
// make bench-scale). It is deterministic: the same flags give the same
// bytes.
//
//	go run ./scripts/genseed -connectors 1000000 -groups 10 > seed.json
//
// Connector i has the id seedgen.ConnectorID(i); group 0 is the default
// and holds every connector, unless
// -spread places connector i in group i mod groups. Group j's id is
// seedgen.GroupID(j). Tokens: dev-token with Directory.ReadWrite.All.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"

	"github.com/connectorgroups/connectorgroups/scripts/internal/seedgen"
)

func main() {
	n := flag.Int("connectors", 10000, "how many connectors")
	g := flag.Int("groups", 2, "how many connector groups (at least 1); group 0 is the default")
	spread := flag.Bool("spread", false, "list connector i as a member of group i mod groups (default: no group lists any, so all start in the default group)")
	flag.Parse()
	if *n < 0 || *g < 1 || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: genseed [-connectors N] [-groups G] [-spread] > seed.json")
		os.Exit(2)
	}
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	if err := seedgen.Write(w, *n, *g, *spread); err != nil {
		fmt.Fprintln(os.Stderr, "genseed:", err)
		os.Exit(1)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "genseed:", err)
		os.Exit(1)
	}
}
