#!/usr/bin/env bash
# make footprint: what the typed client costs a program that uses it.
#
# Builds two one-call programs, each with a cold build cache (a fresh
# GOCACHE, so the standard library is compiled too; the module cache is
# shared, and go list fills it first if it lacks a module):
#   bare    the POST with net/http and encoding/json only
#   client  the same call through github.com/connectorgroups/connectorgroups/client
# and prints, for each, the build's wall time, its peak memory (the largest
# RSS of any one process of the build, from GNU time's %M) and the binary's
# size, as ratios against bare. Each is built RUNS times (default 2),
# alternating which goes first; the table shows the best run of each, the
# least disturbed by other load on the machine, and the slowest time. It
# then runs both binaries against the reference server, to show that they
# make the same call.
#
# Goal (the client's issue): under 1.2x bare's build time and under +1 MB
# of binary.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-2}
work=.footprint # gitignored; inside the module, so it builds with its go.mod
rm -rf "$work"
mkdir -p "$work/bare" "$work/client" "$work/bin"

cat >"$work/bare/main.go" <<'EOF'
// Command bare adds a connector to a connector group with net/http alone.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"os"
)

type connector struct {
	ID          string `json:"id"`
	MachineName string `json:"machineName,omitempty"`
	ExternalIP  string `json:"externalIp,omitempty"`
	Status      string `json:"status,omitempty"`
}

func main() {
	base, group, conn := os.Args[1], os.Args[2], os.Args[3]
	// Today's path and link form, as the client sends them by default.
	body, err := json.Marshal(map[string]string{"@odata.id": "https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectors/" + url.PathEscape(conn)})
	if err != nil {
		log.Fatal(err)
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost,
		base+"/onPremisesPublishingProfiles/applicationProxy/connectorGroups/"+url.PathEscape(group)+"/members/$ref", bytes.NewReader(body))
	if err != nil {
		log.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+os.Getenv("GRAPH_TOKEN"))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusNoContent {
		log.Fatalf("%s (request-id %s)", resp.Status, resp.Header.Get("request-id"))
	}
	c := connector{ID: conn}
	if resp.StatusCode == http.StatusCreated {
		if err := json.NewDecoder(resp.Body).Decode(&c); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println(c.ID, c.MachineName)
}
EOF

cat >"$work/client/main.go" <<'EOF'
// Command client adds a connector to a connector group with the typed client.
package main

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/connectorgroups/connectorgroups/client"
)

func main() {
	base, group, conn := os.Args[1], os.Args[2], os.Args[3]
	c, err := client.NewClient(
		client.WithBaseURL(base),
		client.WithTokenSource(client.StaticToken(os.Getenv("GRAPH_TOKEN"))),
	)
	if err != nil {
		log.Fatal(err)
	}
	added, err := c.AddConnector(context.Background(), group, conn)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(added.ID, added.MachineName)
}
EOF

if [ ! -x /usr/bin/time ]; then
	echo "footprint: installing GNU time for peak memory" >&2
	apt-get install -y -qq time >/dev/null
fi

# The client program must not pull in the spec or its validator.
go list -deps -f '{{if not .Standard}}{{.ImportPath}}{{end}}' "./$work/client" | grep -v "/$work/" >"$work/client.deps"
if grep -q '^github.com/getkin/kin-openapi' "$work/client.deps"; then
	echo "footprint: the client program depends on kin-openapi:" >&2
	grep '^github.com/getkin/kin-openapi' "$work/client.deps" >&2
	exit 1
fi
nonstd=$(paste -sd ' ' "$work/client.deps")

# build NAME RUN: one cold-cache build; appends "name seconds kb bytes".
build() {
	local name=$1 cache
	cache=$(mktemp -d)
	GOCACHE=$cache GOPROXY=off GOFLAGS="-mod=readonly -buildvcs=false" \
		/usr/bin/time -f '%e %M' -o "$work/time.out" go build -o "$work/bin/$name" "./$work/$name"
	read -r secs kb <"$work/time.out"
	echo "$name $secs $kb $(stat -c %s "$work/bin/$name")" >>"$work/results"
	chmod -R u+w "$cache" && rm -rf "$cache"
}

: >"$work/results"
start=$SECONDS
for run in $(seq "$RUNS"); do
	order="bare client"
	[ $((run % 2)) -eq 0 ] && order="client bare" # neither always goes first
	for name in $order; do
		echo "footprint: cold build $run/$RUNS of $name ..." >&2
		build "$name"
	done
done
elapsed=$((SECONDS - start))

# Best (lowest) time and memory per program, and the slowest run to show
# the noise; the size is the same each run.
awk -v runs="$RUNS" -v goversion="$(go env GOVERSION) $(go env GOOS)/$(go env GOARCH)" -v cpus="$(nproc)" -v nonstd="$nonstd" '
	{
		if (!($1 in t) || $2 < t[$1]) t[$1] = $2
		if (!($1 in slow) || $2 > slow[$1]) slow[$1] = $2
		if (!($1 in m) || $3 < m[$1]) m[$1] = $3
		s[$1] = $4
	}
	END {
		printf "footprint: cold-cache builds, %s, %d CPUs, best of %d runs each\n\n", goversion, cpus, runs
		fmt = "| %-7s | %10s | %12s | %7s | %14s | %7s | %9s | %9s |\n"
		printf fmt, "program", "build time", "(slowest)", "vs bare", "peak build RSS", "vs bare", "binary", "vs bare"
		printf fmt, "-------", "---------:", "-----------:", "------:", "-------------:", "------:", "--------:", "--------:"
		n = split("bare client", order, " ")
		for (i = 1; i <= n; i++) {
			p = order[i]
			printf fmt, p, sprintf("%.1f s", t[p]), sprintf("(%.1f s)", slow[p]), sprintf("%.2fx", t[p] / t["bare"]), \
				sprintf("%.0f MB", m[p] / 1024), sprintf("%.2fx", m[p] / m["bare"]), \
				sprintf("%.2f MB", s[p] / 1e6), sprintf("%+.2f MB", (s[p] - s["bare"]) / 1e6)
		}
		tr = t["client"] / t["bare"]; dmb = (s["client"] - s["bare"]) / 1e6
		printf "\ngoal: build time under 1.20x bare: %.2fx %s; binary under +1 MB: %+.2f MB %s\n", \
			tr, (tr < 1.2 ? "PASS" : "FAIL"), dmb, (dmb < 1 ? "PASS" : "FAIL")
		printf "client program deps (go list -deps): github.com/getkin/kin-openapi absent; outside std: %s\n", nonstd
	}' "$work/results"

# Smoke test: both binaries make the call against the reference server.
go build -o "$work/bin/connectorgroups" ./cmd/connectorgroups
"$work/bin/connectorgroups" serve -addr 127.0.0.1:0 -quiet >"$work/serve.out" 2>&1 &
serve=$!
trap 'kill "$serve" 2>/dev/null || true' EXIT
url=""
for _ in $(seq 50); do
	url=$(sed -n 's/^URL: \(http[^ ]*\).*/\1/p' "$work/serve.out")
	[ -n "$url" ] && break
	sleep 0.1
done
[ -n "$url" ] || { echo "footprint: the reference server did not start:" >&2; cat "$work/serve.out" >&2; exit 1; }
group=4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21
echo
echo "smoke test against $url:"
bare_out=$(GRAPH_TOKEN=dev-token "$work/bin/bare" "$url" "$group" d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30)
client_out=$(GRAPH_TOKEN=dev-token "$work/bin/client" "$url" "$group" 0b9d4e21-5a7c-4c86-9e3f-d1a2b6c8f057)
echo "  bare:   $bare_out"
echo "  client: $client_out"
echo "(measured in ${elapsed}s; command: make footprint, RUNS=$RUNS)"
