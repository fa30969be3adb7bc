#!/usr/bin/env bash
# `make check-serve`: starting the server never changes the tree. It runs
# `make serve` on a free port, waits for the banner's last line, stops it
# with Ctrl-C's signal, and fails, naming the files, if anything git sees
# (tracked or not ignored) differs from before. bin/ is ignored: that is
# where serve's binary goes.
set -euo pipefail
cd "$(dirname "$0")/.."

snapshot() {
  git status --porcelain=v1 --untracked-files=all
  git ls-files -s | git hash-object --stdin
  git diff | git hash-object --stdin
}
before=$(snapshot)
log=$(mktemp)
trap 'rm -f "$log"' EXIT

make --no-print-directory serve ADDR=127.0.0.1:0 >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do # up to 60 s: the first build may be cold
  grep -q 'Press Ctrl-C to stop.' "$log" && break
  kill -0 "$pid" 2>/dev/null || { echo "check-serve: make serve exited early:"; cat "$log"; exit 1; }
  sleep 0.1
done
grep -q 'Press Ctrl-C to stop.' "$log" || { echo "check-serve: no banner in 60 s:"; cat "$log"; kill "$pid"; exit 1; }
# The recipe execs the binary, so the server is make's one child. A
# background job ignores SIGINT, but serve's handler takes it back, so
# Ctrl-C's signal is what stops it, as in a terminal.
server=$(pgrep -P "$pid")
kill -INT "$server"
status=0
wait "$pid" || status=$?
if [ "$status" != 0 ]; then
  echo "check-serve: make serve exited $status on Ctrl-C's signal, not 0:"
  cat "$log"
  exit 1
fi

after=$(snapshot)
if [ "$before" != "$after" ]; then
  echo "check-serve: make serve changed the tree:"
  diff <(echo "$before") <(echo "$after") || true
  exit 1
fi
echo "check-serve: make serve started, answered its banner and stopped; the tree is unchanged"
