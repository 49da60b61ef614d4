package graph

// The generator finds ../gqlgen.yml by walking up from this directory.
//go:generate go tool gqlgen generate
