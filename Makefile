# Resync — developer commands. `make run` and `make test` work on a fresh machine of this kind.
SWIFT ?= swift
BUILD_FLAGS ?=
PORT ?= 8000

.PHONY: run build test test-unit fmt lint bench reliability docker deps clean

deps:
	@scripts/install-deps

build: deps
	$(SWIFT) build $(BUILD_FLAGS)

# Start Resync in mock mode: embedded HWA simulator, SQLite, the sample knowledge base, no LLM.
run: build
	TWS_MOCK_MODE=true HTTP_PORT=$(PORT) $(SWIFT) run $(BUILD_FLAGS) resync serve

# Build everything once, then run the tests. Starts a throwaway PostgreSQL on loopback for the
# PostgreSQL half of the storage suites unless RESYNC_TEST_POSTGRES_URL is already set.
test: deps
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	@scripts/run-tests $(BUILD_FLAGS)

fmt:
	$(SWIFT) format --in-place --recursive Sources Tests Package.swift

lint:
	$(SWIFT) format lint --recursive Sources Tests Package.swift

bench: deps
	@scripts/bench

reliability: deps
	@scripts/reliability

docker:
	docker build -t resync:latest .

clean:
	rm -rf .build
