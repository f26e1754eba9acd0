# enigma — build, test and run the data marketplace.
# Everything a target needs is installed by the project itself (Go modules,
# tools pinned in go.mod).

GO        ?= go
BIN       := bin
GOFILES    = $(shell git ls-files '*.go')
# Fuzz time per target for `make fuzz`.
FUZZTIME  ?= 30s

.PHONY: build test lint bench fuzz clean demo contracts contracts-check

## build: compile the enigma binary into bin/enigma
build:
	$(GO) build -ldflags "-X main.version=$$(git describe --tags --always --dirty 2>/dev/null || echo dev) -X main.commit=$$(git rev-parse HEAD 2>/dev/null)" -o $(BIN)/enigma ./cmd/enigma

## demo: the end-to-end marketplace story on a local devnet (the README's first command)
demo: build
	bash scripts/demo.sh

## test: lint, check the committed contract artifacts, then every test (the README's test command; CI runs it)
test: lint contracts-check
	$(GO) test -count=1 -timeout 20m ./...

## lint: gofmt check, go vet, staticcheck (pinned in go.mod's tool directive)
lint:
	@bad=$$(gofmt -l $(GOFILES)); if [ -n "$$bad" ]; then echo "gofmt needed on:"; echo "$$bad"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

## bench: run the Go benchmarks
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## fuzz: run every fuzz target for FUZZTIME each, growing the kept corpus
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

## contracts: compile the Solidity with the pinned solc (npm) and regenerate the Go bindings
contracts:
	cd contracts && npm ci --no-audit --no-fund --loglevel=error && node build.js
	$(GO) generate ./chain/...

## contracts-check: fail if the committed artifacts differ from a fresh compile (the
## bindings are checked against the artifacts by go test ./chain/contracts)
contracts-check:
	cd contracts && npm ci --no-audit --no-fund --loglevel=error && node build.js --check

clean:
	rm -rf $(BIN)
