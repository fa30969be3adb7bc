#!/usr/bin/env bash
# make bench: the performance numbers, bounded in time, on 127.0.0.1 only.
#
#  1. Go benchmarks (ns/op, B/op, allocs/op) of every package that has
#     any, -benchtime $BENCH_TIME each;
#  2. startup time and RSS for seeds of $SCALE_SIZES connectors
#     (scripts/benchscale, as make bench-scale);
#  3. the loopback load test (scripts/loadtest): bare, the fake, the fake
#     logging, the fake validating responses (when serve offers it) and
#     Prism, alternating, $BENCH_ROUNDS rounds of $BENCH_DURATION, medians;
#     wrk pinned to CPU 1, the servers to CPU 0.
#
# wrk is Debian's package (apt-get install -y wrk, installed here when
# missing and possible); Prism is @stoplight/prism-cli@$PRISM_VERSION
# through npx. Raw outputs go to a temporary directory, never the repo.
# Nothing here is pass/fail on a timing.
set -euo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
BENCH_DURATION=${BENCH_DURATION:-2s}
BENCH_ROUNDS=${BENCH_ROUNDS:-3}
BENCH_CONNECTORS=${BENCH_CONNECTORS:-100000}
BENCH_WORKLOADS=${BENCH_WORKLOADS:-}
BENCH_PRISM=${BENCH_PRISM:-true}
BENCH_TIME=${BENCH_TIME:-200ms}
SCALE_SIZES=${SCALE_SIZES:-10000,100000,1000000}
PRISM_VERSION=${PRISM_VERSION:-5.14.2}
COMMAND=${BENCH_COMMAND:-make bench BENCH_DURATION=$BENCH_DURATION BENCH_ROUNDS=$BENCH_ROUNDS BENCH_CONNECTORS=$BENCH_CONNECTORS BENCH_TIME=$BENCH_TIME}

out=$(mktemp -d "${TMPDIR:-/tmp}/connectorgroups-bench-XXXXXX")
echo "make bench: raw outputs in $out" >&2

# wrk: Debian's, installed if missing and we may.
if ! command -v wrk >/dev/null; then
	echo "make bench: wrk is missing; installing Debian's package (apt-get install -y wrk)" >&2
	if [ "$(id -u)" = 0 ]; then
		apt-get install -y wrk >&2 || { apt-get update >&2 && apt-get install -y wrk >&2; } || true
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
		sudo -n apt-get install -y wrk >&2 || true
	fi
fi
have_wrk=true
if ! command -v wrk >/dev/null; then
	have_wrk=false
	echo "make bench: wrk is NOT installed and could not be (apt-get install -y wrk needs root and Debian's archive): the load test is skipped" >&2
fi

mkdir -p bin
$GO build -o bin/connectorgroups ./cmd/connectorgroups
$GO build -o bin/bare ./scripts/bench/bare

# 1. Go benchmarks, of the packages that have any.
pkgs=$( (grep -rl --exclude-dir=.git --exclude-dir=node_modules --include='*_test.go' '^func Benchmark' . || true) | xargs -r -n1 dirname | sort -u)
if [ -n "$pkgs" ]; then
	echo "make bench: go test -run '^\$' -bench . -benchmem -benchtime $BENCH_TIME $(echo $pkgs)" >&2
	# shellcheck disable=SC2086
	$GO test -run '^$' -bench . -benchmem -benchtime "$BENCH_TIME" $pkgs | tee "$out/gobench.txt" >&2
else
	echo "(no package has Go benchmarks yet)" >"$out/gobench.txt"
fi

# 2. Scale.
$GO run ./scripts/benchscale -bin bin/connectorgroups -sizes "$SCALE_SIZES" -cpu 0 >"$out/scale.md"

# 3. The load test.
status=0
if $have_wrk; then
	$GO run ./scripts/loadtest -fake bin/connectorgroups -bare bin/bare -duration "$BENCH_DURATION" -rounds "$BENCH_ROUNDS" \
		-connectors "$BENCH_CONNECTORS" -workloads "$BENCH_WORKLOADS" -prism="$BENCH_PRISM" -prism-version "$PRISM_VERSION" \
		-out "$out/load" -command "$COMMAND" >"$out/load.md"
else
	echo "Not run: wrk is not installed, and could not be installed here (apt-get install -y wrk)." >"$out/load.md"
	status=1
fi

# The servers' request logs are the bulk of the raw outputs (about 135 MB a
# run) and are needed by nobody once the run is over; wrk's outputs stay.
find "$out" -name '*.log' -size +1M -print -delete | sed 's/^/make bench: removed the request log /' >&2 || true

echo
echo "## Go benchmarks (-benchtime $BENCH_TIME)"
echo
echo '```'
grep -E '^(Benchmark|goos|goarch|cpu|pkg|ok|PASS|FAIL)|no package' "$out/gobench.txt" || true
echo '```'
echo
echo "## Startup by seed size (exec to the first 200 of a GET; VmRSS then, 2 s later, and VmHWM)"
echo
cat "$out/scale.md"
cat "$out/load.md"
exit $status
