package main

import (
	"bytes"
	"fmt"
	"os"

	"learngraph/loader"
)

// export writes the curriculum of a directory in another tool's format:
// today CurricularAnalytics' curriculum CSV, so its metrics, plans and
// visualisations can be run on a curriculum written in Markdown.
func (m *Main) export(args []string) int {
	fset := m.newFlagSet("export", "[DIR] [--format ca-csv] [-o FILE]")
	format := fset.String("format", "ca-csv", "output `format`: ca-csv (a CurricularAnalytics curriculum CSV)")
	out := fset.String("o", "", "write to `FILE` instead of standard output")
	positional, code, ok := parseArgs(fset, args)
	if !ok {
		return code
	}
	if *format != "ca-csv" {
		fmt.Fprintf(m.Stderr, "learngraph export: unknown format %q: want ca-csv\n", *format)
		return exitUsage
	}
	dir, ok := m.curriculumDir("export", positional)
	if !ok {
		return exitUsage
	}

	// Export only what check accepts: a curriculum with errors would be
	// written without what the errors drop.
	g, _, err := load(os.DirFS(dir))
	if err != nil {
		fmt.Fprintf(m.Stderr, "learngraph export: %s does not form a curriculum (learngraph check %s says more):\n", dir, dir)
		findings := findingsIn(err)
		if findings == nil {
			fmt.Fprintf(m.Stderr, "  %v\n", err)
		}
		for _, f := range findings {
			fmt.Fprintf(m.Stderr, "  %s\n", located(f, dir))
		}
		return exitFailure
	}
	// Written whole before any byte goes out, so a failure leaves no
	// half-written file.
	var buf bytes.Buffer
	if err := loader.WriteCA(&buf, g); err != nil {
		fmt.Fprintf(m.Stderr, "learngraph export: %v\n", err)
		return exitFailure
	}
	if *out == "" {
		if _, err := m.Stdout.Write(buf.Bytes()); err != nil {
			fmt.Fprintf(m.Stderr, "learngraph export: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintf(m.Stderr, "learngraph export: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(m.Stderr, "learngraph export: wrote %d concepts of %s to %s\n", len(g.Concepts), dir, *out)
	return exitOK
}
