# Entry points: `make demo` shows Sealift end to end, `make test` runs every test.
# Both install what is missing first (Debian bookworm, as root), so each works alone on a fresh machine.
BUILD_DIR ?= build
SEALIFT := $(abspath $(BUILD_DIR))/sealift
export SEALIFT

# Steps run in the order written; the build itself is parallel inside cmake.
.NOTPARALLEL:
.PHONY: deps build test demo bench clean

deps:
	@scripts/deps.sh

build:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD_DIR) -j$$(nproc)

# ctest's summary ("100% tests passed, 0 tests failed out of N") is the last thing printed.
test: deps build
	ctest --test-dir $(BUILD_DIR) --output-on-failure

demo: deps build
	scripts/demo.sh

bench: deps build
	bench/run.sh

clean:
	rm -rf $(BUILD_DIR) demo-out bench/out
