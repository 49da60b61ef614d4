// Package seeds embeds the bundled curriculum: the Markdown documents of the
// Rust roadmap and the curated links file that states what their prose only
// implies (prerequisites with reasons, aliases, path contents). Embedding
// them lets the binary serve and check a curriculum with no directory on
// disk; a directory given on the command line replaces them.
package seeds

import "embed"

// FS holds every document (*.md) and links file (*.yaml) of this directory,
// at its root. An embed.FS is immutable, so a package variable is safe to
// share between goroutines and tests.
//
//go:embed *.md *.yaml
var FS embed.FS
