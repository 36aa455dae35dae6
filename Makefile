# The two commands a new user and CI need: `make run` and `make test`.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
BUILD_DIR ?= build
TEST_BUILD_DIR ?= build-test

.PHONY: all deps web build run test test-build format clean bench

all: build

deps:
	@./scripts/install-deps.sh

web: deps
	@if [ -f web/package.json ]; then cd web && npm run --silent build; fi

build: deps web
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DGC_BUILD_TESTS=OFF -DGC_BUILD_BENCH=ON >/dev/null
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target connector
	@echo "built $(BUILD_DIR)/connector"

run: build
	@mkdir -p data
	./$(BUILD_DIR)/connector serve

test-build: deps web
	@cmake -S . -B $(TEST_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DGC_SANITIZE=ON -DGC_BUILD_BENCH=OFF >/dev/null
	@cmake --build $(TEST_BUILD_DIR) -j $(JOBS)

test: test-build
	@if [ -f web/package.json ]; then cd web && npm run --silent test; fi
	@cd $(TEST_BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

bench: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DGC_BUILD_TESTS=OFF -DGC_BUILD_BENCH=ON >/dev/null
	@cmake --build $(BUILD_DIR) -j $(JOBS)

format:
	@find src tests bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) $(TEST_BUILD_DIR)
