# connectorgroups: run `make` to list the targets.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO               ?= go
SPEC             := openapi/connectorgroups.yaml
SPECTRAL_VERSION := 6.16.3
SPECTRAL         := npx --yes @stoplight/spectral-cli@$(SPECTRAL_VERSION)
# staticcheck is built by the go command at this version (go run pkg@version):
# nothing is installed globally, and the module's go.mod is left alone.
STATICCHECK_VERSION := v0.8.2
STATICCHECK         := $(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
ADDR             ?= 127.0.0.1:8080
REDOCLY_VERSION  := 2.77.0
REDOCLY          := REDOCLY_TELEMETRY=off npx --yes @redocly/cli@$(REDOCLY_VERSION)

.PHONY: help generate check-generated lint lint-spec lint-go-static lint-mod-tidy fuzz test compat check serve footprint bench bench-scale soak breaking release-spec docs check-serve

help: ## List the targets
	@awk -v addr='$(ADDR)' -v steps='$(CHECK_STEPS)' 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {gsub(/\$$\(ADDR\)/, addr, $$2); gsub(/\$$\(CHECK_STEPS\)/, steps, $$2); printf "  %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

generate: ## Regenerate gen/ from the spec with the pinned oapi-codegen
	$(GO) generate ./gen/...

check-generated: ## Regenerate gen/ and fail, naming the files, if it changed
	@before=$$(mktemp -d); trap 'rm -rf "$$before"' EXIT; \
	cp -R gen/. "$$before"; \
	$(GO) generate ./gen/...; \
	if ! changed=$$(diff -rq "$$before" gen); then \
	  echo "gen/ is not what $(SPEC) generates; these files changed:"; \
	  echo "$$changed" | sed -E \
	    -e "s|^Files $$before/(.*) and gen/.* differ$$|  changed: gen/\1|" \
	    -e "s|^Only in $$before/?(.*): (.*)$$|  removed: gen/\1/\2|" \
	    -e "s|^Only in gen/?(.*): (.*)$$|  added:   gen/\1/\2|" -e 's|//|/|g'; \
	  echo "Run 'make generate' and commit gen/."; \
	  exit 1; \
	fi; \
	echo "gen/ matches $(SPEC)"

lint: lint-spec lint-go-static lint-mod-tidy ## go vet, gofmt, staticcheck, go mod tidy -diff and the spec linter
	$(GO) vet ./...
	@unformatted=$$(gofmt -l $$(find . -name '*.go' -not -path './.git/*')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi

# Static analysis, at a pinned version.
lint-go-static: ## staticcheck at the pinned STATICCHECK_VERSION, built by the go command (no global install)
	$(STATICCHECK) ./...

# The compat module's too: tidy only loads its packages, it never builds
# the SDK.
lint-mod-tidy: ## Fail, showing the diff, when go.mod or go.sum (the main module's or the compat module's) is not what go mod tidy makes
	$(GO) mod tidy -diff
	cd $(COMPAT_DIR) && $(GO) mod tidy -diff

lint-spec: ## Lint the spec with Spectral and the committed ruleset
	$(SPECTRAL) lint --fail-severity=warn --ruleset openapi/.spectral.yaml $(SPEC)

# Fuzzing: each target runs for FUZZTIME, one after another (scripts/fuzz.sh
# lists them); every go test replays the committed corpora under
# testdata/fuzz.
FUZZTIME           ?= 30s
FUZZ_MINIMIZE_TIME ?= 5s
FUZZ_PARALLEL      ?= 1

fuzz: ## Run each fuzz target for FUZZTIME (30s), one after another, and print the executions each reached
	@GO='$(GO)' FUZZTIME='$(FUZZTIME)' FUZZ_MINIMIZE_TIME='$(FUZZ_MINIMIZE_TIME)' FUZZ_PARALLEL='$(FUZZ_PARALLEL)' bash scripts/fuzz.sh

test: ## Run every test with the race detector
	$(GO) test -race -count=1 ./...

# The official Go SDK against the fake, in a module of its own, so that the
# main module never depends on the SDK. Its first build is heavy (about 11
# CPU-minutes and 10 GB of memory at its peak, on 2 cores with an empty
# cache); once cached, a run takes about 15 s and 2.4 GB. No -race: the race detector
# would multiply that build, and the suite's concurrency is the SDK's own.
COMPAT_DIR := compat/msgraph-beta-sdk-go

compat: ## Run the official Go SDK (msgraph-beta-sdk-go, pinned in compat/msgraph-beta-sdk-go/go.mod) through the lifecycle against the fake; its first build takes minutes and 10 GB
	cd $(COMPAT_DIR) && $(GO) test -count=1 ./...

# check is what CI runs, in CI's order, but the short fuzz. docs is in it:
# CI runs it, lint needs npx already, and it takes seconds. help prints
# CHECK_STEPS itself, so its line cannot drift from the prerequisites.
CHECK_STEPS := check-generated breaking check-serve docs lint test compat

check: $(CHECK_STEPS) ## Run $(CHECK_STEPS), in that order: what CI runs, but its short fuzz

# serve builds, then execs the binary, rather than `go run`: on Ctrl-C the
# terminal signals the whole process group, and `go run` exits 1 when it is
# interrupted itself, whatever its program returns, so make reported an
# error. The server exits 0 on Ctrl-C and make prints no error (make's own
# status is then 130, as for any interrupted command). gen/ is committed
# and left alone: run `make generate` after changing the spec.
serve: ## Build bin/connectorgroups, then start the reference server on $(ADDR) with the default seed (ADDR=HOST:PORT to change)
	@$(GO) build -o bin/connectorgroups ./cmd/connectorgroups
	@exec bin/connectorgroups serve -addr $(ADDR)

# --- Spec releases -----------------------------------------------------------
# oasdiff is pinned by its own module, tools/oasdiff/go.mod (+ go.sum), and
# run through the Go toolchain: never a global install, and never in the
# main go.mod, whose kin-openapi and go-openapi versions it would move.
breaking: ## Compare the spec with the last release in openapi/released/; fail on a breaking change without a major bump, or a released version reused
	@$(GO) run ./scripts/specgate

check-serve: ## Start make serve on a free port, stop it, and fail if the tree changed (serve never regenerates gen/)
	@bash scripts/servetree.sh

# The page is generated (2.5 MB), so it goes under build/, which is not
# committed; docs/ holds the written pages. --inlineBundle embeds Redoc's
# scripts, so the page works offline and from file://, and
# REDOCLY_TELEMETRY=off keeps readers' browsers from reporting.
DOCS_OUT := build/docs

docs: ## Render the spec to build/docs/index.html with Redocly's CLI (npx, pinned), check its text and that it names every operation, and load it in headless Chromium when installed (screenshot build/docs/screenshot.png)
	@mkdir -p $(DOCS_OUT)
	$(REDOCLY) build-docs $(SPEC) --inlineBundle --output $(DOCS_OUT)/index.html
	@$(GO) run ./scripts/docscheck -spec $(SPEC) -html $(DOCS_OUT)/index.html -screenshot $(DOCS_OUT)/screenshot.png

release-spec: ## Cut a release: the gate, then copy the spec to openapi/released/v<info.version>.yaml (CHANGELOG.md needs its section)
	@$(GO) run ./scripts/specgate -release

footprint: ## Build a one-call client program and a bare net/http one with cold caches; print the ratios
	bash scripts/footprint.sh

# The performance numbers; never part of test or check (slow, and timings
# are measurements, not pass/fail). Variables bound the run (defaults:
# about 4 minutes on 2 cores); see scripts/bench.sh.
BENCH_DURATION   ?= 2s
BENCH_ROUNDS     ?= 3
BENCH_CONNECTORS ?= 100000
BENCH_TIME       ?= 200ms
SCALE_SIZES      ?= 10000,100000,1000000

bench: ## Go benchmarks, startup scale, and the loopback load test (wrk: bare, the fake, Prism via npx), one table of medians and ratios; about 4 min (BENCH_DURATION, BENCH_ROUNDS)
	@GO='$(GO)' BENCH_DURATION='$(BENCH_DURATION)' BENCH_ROUNDS='$(BENCH_ROUNDS)' BENCH_CONNECTORS='$(BENCH_CONNECTORS)' \
	  BENCH_TIME='$(BENCH_TIME)' SCALE_SIZES='$(SCALE_SIZES)' bash scripts/bench.sh

bench-scale: ## Startup time and RSS of serve for seeds of 10k, 100k and 1M connectors (SCALE_SIZES), with per-connector ratios
	@$(GO) build -o bin/connectorgroups ./cmd/connectorgroups
	@$(GO) run ./scripts/benchscale -bin bin/connectorgroups -sizes '$(SCALE_SIZES)' -cpu 0

# --- soak ------------------------------------------------------------------
# The soak of internal/soak at a large size; `make test` runs it small (8
# workers, 2000 operations). It stops starting operations after
# SOAK_DURATION, whatever SOAK_OPS says, and still checks everything.
SOAK_WORKERS    ?= 32
SOAK_OPS        ?= 200000
SOAK_CONNECTORS ?= 256
SOAK_SHARED     ?= 6
SOAK_PAGE_SIZE  ?= 5
SOAK_DURATION   ?= 2m
SOAK_SEED       ?= 0
SOAK_RACE       ?= -race

soak: ## Soak the client and the fake against a model: SOAK_WORKERS (32) workers, SOAK_OPS (200000) operations, at most SOAK_DURATION (2m); SOAK_RACE= to run without -race
	$(GO) test $(SOAK_RACE) -count=1 -timeout 30m -run '^TestSoak$$' -v ./internal/soak \
	  -soak.workers=$(SOAK_WORKERS) -soak.ops=$(SOAK_OPS) -soak.connectors=$(SOAK_CONNECTORS) \
	  -soak.shared-groups=$(SOAK_SHARED) -soak.page-size=$(SOAK_PAGE_SIZE) -soak.duration=$(SOAK_DURATION) -soak.seed=$(SOAK_SEED)
