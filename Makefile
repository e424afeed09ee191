# Thin front door over CMake/ctest. The README's two commands are `make demo` and `make test`.
BUILD      ?= build
PRESET     ?= release
JOBS       ?= $(shell nproc)
CTEST_ARGS ?=
TESSERA     = $(BUILD)/src/cli/tessera
MPIRUN      = mpirun --oversubscribe --allow-run-as-root --bind-to none

.PHONY: all deps configure build test demo format format-check clean asan

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja: | deps
	cmake --preset $(PRESET) -B $(BUILD)

configure: deps $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure --no-tests=error -j $(JOBS) $(CTEST_ARGS)

demo: build
	@scripts/demo.sh $(BUILD)

# Unit tests under AddressSanitizer + UndefinedBehaviorSanitizer (its own build folder), except
# those labelled `long` (whole sample guests proven end to end: minutes in Release, many more under
# the sanitizers; `make test` runs them).
asan: deps
	cmake --preset asan -B build-asan
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure --no-tests=error -L unit -LE long -j $(JOBS)

FORMAT_FILES = $(shell git ls-files '*.cpp' '*.hpp' '*.cu' '*.cuh' '*.c' '*.h')
format:
	clang-format -i $(FORMAT_FILES)

format-check:
	clang-format --dry-run --Werror $(FORMAT_FILES)

clean:
	rm -rf $(BUILD) build-asan build-debug
