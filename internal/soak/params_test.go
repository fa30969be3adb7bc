package soak

import (
	"flag"
	"os"
	"strconv"
	"time"
)

// The soak's size. Flags win over the SOAK_* environment variables, which
// win over the defaults: the small size that `go test -race ./...` runs in
// CI, a few seconds on two cores.
var (
	flagWorkers    = flag.Int("soak.workers", envInt("SOAK_WORKERS", 8), "workers, each with its own connectors and groups")
	flagOps        = flag.Int("soak.ops", envInt("SOAK_OPS", 2000), "operations in all, across the workers")
	flagConnectors = flag.Int("soak.connectors", envInt("SOAK_CONNECTORS", 96), "connectors in the seed, shared out among the workers")
	flagShared     = flag.Int("soak.shared-groups", envInt("SOAK_SHARED_GROUPS", 4), "long-lived groups every worker moves into, the default group among them")
	flagPageSize   = flag.Int("soak.page-size", envInt("SOAK_PAGE_SIZE", 3), "the fake's page cap, so that lists span pages")
	flagDuration   = flag.Duration("soak.duration", envDuration("SOAK_DURATION", 2*time.Minute), "stop starting operations after this long; the checks still run")
	flagSeed       = flag.Uint64("soak.seed", uint64(envInt("SOAK_SEED", 0)), "the workload's random seed; 0 picks one (logged, to replay a failure)")
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return v
	}
	return def
}
