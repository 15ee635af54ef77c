# Entry points: `make demo` shows Sealift end to end, `make test` runs every test.
# Both install what is missing first (Debian bookworm, as root), so each works alone on a fresh machine.
BUILD_DIR ?= build
SEALIFT := $(abspath $(BUILD_DIR))/sealift
export SEALIFT

# Steps run in the order written; the build itself is parallel inside cmake.
.NOTPARALLEL:
.PHONY: deps configure build install test test-sanitize demo bench clean

deps:
	@scripts/deps.sh

configure:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo

# The sealift binary only: the demo and the benchmarks need nothing else.
build: configure
	cmake --build $(BUILD_DIR) -j$$(nproc) --target sealift

# Puts the binary on PATH: $(PREFIX)/bin/sealift, and the mirror's systemd unit beside it.
PREFIX ?= /usr/local
install: build
	cmake --install $(BUILD_DIR) --prefix $(PREFIX)

# Every test program too. ctest's summary ("100% tests passed, 0 tests failed out of N") is the last thing printed.
test: deps configure
	cmake --build $(BUILD_DIR) -j$$(nproc)
	ctest --test-dir $(BUILD_DIR) --output-on-failure

# The same suite built with AddressSanitizer, UBSan (fatal) and libstdc++'s assertions, in its
# own folder: a read out of bounds or undefined behaviour a test reaches fails it.
# The e2e tests (real tools on a generated corpus) are left out by default to keep CI within its
# time: they exercise the same code the other tests reach. SANITIZE_CTEST_ARGS= runs them too.
SANITIZE_DIR ?= build-sanitize
SANITIZE_CTEST_ARGS ?= -E '^e2e_tests$$'
# SANITIZE_TESTS="core_tests manifests_tests": build and run only these test programs.
SANITIZE_TESTS ?=
test-sanitize: deps
	cmake -S . -B $(SANITIZE_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSEALIFT_SANITIZE=ON
	cmake --build $(SANITIZE_DIR) -j$$(nproc) $(if $(SANITIZE_TESTS),--target sealift $(SANITIZE_TESTS))
	SEALIFT=$(abspath $(SANITIZE_DIR))/sealift ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --test-dir $(SANITIZE_DIR) --output-on-failure \
	  $(if $(SANITIZE_TESTS),-R '^($(subst $(eval) ,|,$(strip $(SANITIZE_TESTS))))$$',$(SANITIZE_CTEST_ARGS))

demo: deps build
	scripts/demo.sh

bench: deps build
	bench/run.sh

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_DIR) demo-out bench/out
