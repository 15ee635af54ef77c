# Entry points: `make demo` shows Sealift end to end, `make test` runs every test.
# Both install what is missing first (Debian bookworm, as root), so each works alone on a fresh machine.
BUILD_DIR ?= build
SEALIFT := $(abspath $(BUILD_DIR))/sealift
export SEALIFT

# Steps run in the order written; the build itself is parallel inside cmake.
.NOTPARALLEL:
.PHONY: deps configure build install test demo bench clean

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

demo: deps build
	scripts/demo.sh

bench: deps build
	bench/run.sh

clean:
	rm -rf $(BUILD_DIR) demo-out bench/out
