# Everyday commands. The README explains each.
.PHONY: run test build generate fuzz

run:            ## serve the bundled seed curriculum with the playground on 127.0.0.1:8080
	go run ./cmd/learngraph serve

test:           ## every check and test (what CI runs)
	scripts/test

build:
	go build -o bin/learngraph ./cmd/learngraph

generate:       ## regenerate gqlgen code after editing schema.graphqls or gqlgen.yml
	go generate ./...

fuzz:           ## run each fuzz target for a while
	go test ./loader -run '^$$' -fuzz FuzzLoadMarkdown -fuzztime 60s
	go test ./loader -run '^$$' -fuzz FuzzLoadLinks -fuzztime 60s
