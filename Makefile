# Everyday commands. The README explains each.
.PHONY: run test build generate fuzz neo4j neo4j-stop load

run:            ## serve the bundled seed curriculum with the playground on 127.0.0.1:8080
	go run ./cmd/learngraph serve

test:           ## every check and test (what CI runs)
	scripts/test

build:
	go build -o bin/learngraph ./cmd/learngraph

generate:       ## regenerate gqlgen code after editing schema.graphqls or gqlgen.yml
	go generate ./...

neo4j:          ## start a local Neo4j (instance "dev") and print the variables that point learngraph at it
	scripts/neo4j start dev
	@scripts/neo4j env dev

neo4j-stop:     ## stop every local Neo4j that scripts/neo4j started
	scripts/neo4j stop-all

fuzz:           ## run each fuzz target for a while
	go test ./loader -run '^$$' -fuzz FuzzLoadMarkdown -fuzztime 60s
	go test ./loader -run '^$$' -fuzz FuzzLoadLinks -fuzztime 60s
	go test ./loader -run '^$$' -fuzz FuzzReadCA -fuzztime 60s

load:           ## measure a server already running on 127.0.0.1:8080 (`make run`): widget queries, then the hostile set
	go run ./loadtest -addr http://127.0.0.1:8080 -duration 10s -workers 32 -runs 3
	go run ./loadtest -addr http://127.0.0.1:8080 -hostile

.PHONY: bench
BENCH_SIZES ?= 1k,20k

bench:          ## load, latency and memory on synthetic curricula, both stores, with a Neo4j of its own (bench/README.md); BENCH_SIZES=1k,20k,100k for every size
	@go run ./bench -sizes $(BENCH_SIZES) -neo4j-instance bench $(BENCH_FLAGS)

.PHONY: bench-designer
BENCH_DESIGNER_SIZES ?= 1k,20k,100k

bench-designer: ## time learngraph check and graph, each a process, on synthetic curricula written as CSV (bench/README.md, "Designers' commands"; about 2 minutes)
	@go run ./bench -designer -sizes $(BENCH_DESIGNER_SIZES) $(BENCH_FLAGS)
