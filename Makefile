# The two commands a newcomer needs — `make demo` and `make test` — and the
# few others that CI and benchmarks use. Each installs its Debian packages on
# first use (scripts/install-deps.sh) and builds only what it runs.

JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
export JOBS

.PHONY: all deps build demo test bench fuzz coverage install clean

all: build

deps:
	@bash scripts/install-deps.sh test

build: deps
	cmake -S . -B build/boringssl -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	cmake --build build/boringssl -j $(JOBS)

demo: build
	@bash scripts/demo.sh build/boringssl

# Release tests on both crypto backends, then ASan+UBSan and TSan suites and a
# short run of every fuzz target. FUZZ_SECONDS sets the time per target.
test:
	@bash scripts/install-deps.sh test
	@bash scripts/test.sh

bench:
	@bash scripts/install-deps.sh bench
	@bash scripts/bench.sh

fuzz:
	@bash scripts/install-deps.sh test
	@EDGEKIT_TEST_STEPS=fuzz bash scripts/test.sh

# Line coverage of lib/ by the tests (gcovr); COVERAGE_FAIL_UNDER=90 enforces the goal.
coverage:
	@bash scripts/install-deps.sh test
	@bash scripts/coverage.sh

install: build
	cmake --install build/boringssl

clean:
	rm -rf build
