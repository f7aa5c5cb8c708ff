# svp: the two commands a newcomer needs are `make run` and `make test`.
# Both install missing Debian packages first (scripts/bootstrap), then build.

BUILD ?= build
DB ?= svp.db

.PHONY: all bootstrap build run test bench clean format fuzz coverage

all: build

bootstrap:
	@scripts/bootstrap

build: bootstrap
	@[ -f $(BUILD)/build.ninja ] || meson setup $(BUILD) --buildtype=release -Dtests=false >/dev/null
	@ninja -C $(BUILD) > $(BUILD)/build-output.txt 2>&1 || { grep -v '^\[' $(BUILD)/build-output.txt | head -60; exit 1; }
	@echo "built $(BUILD)/svp"

# The main job on the embedded default (SQLite). Later rooms extend scripts/run until it
# builds a synthetic county, imports, links, scores and serves the web application.
run: build
	@BUILD=$(BUILD) DB=$(DB) scripts/run

test:
	@scripts/bootstrap test
	@scripts/test

# Each libFuzzer target for SECONDS (default 60) on a clang build whose library is
# instrumented too; prints edges, executions and crashes per target. Never part of `make test`
# (which replays fuzz/corpus only).
SECONDS ?= 60
fuzz:
	@scripts/bootstrap test
	@scripts/fuzz $(SECONDS)

# Line and branch coverage per room from the whole test suite (gcovr).
coverage:
	@scripts/bootstrap test
	@scripts/coverage

bench: build
	@BUILD=$(BUILD) scripts/bench

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) build-test build-fuzz build-cov
