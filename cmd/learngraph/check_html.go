package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"

	"learngraph"
	htmlreport "learngraph/report"
)

// htmlOutput is check's --html: a page for curriculum designers, written
// to a file next to whatever --format prints.
type htmlOutput struct {
	file string
	rows rowLimit
}

// addHTMLFlags defines --html and --html-rows on check's flag set.
func addHTMLFlags(fset *flag.FlagSet) *htmlOutput {
	h := &htmlOutput{rows: htmlreport.DefaultMaxRows}
	fset.StringVar(&h.file, "html", "", "also write the report as one self-contained HTML page to `FILE`")
	fset.Var(&h.rows, "html-rows", "at most `N` rows in each table of the --html page (the most complex concepts first); 0 shows every row")
	return h
}

// write writes the page when --html asked for one. It says on stderr why
// it could not, and returns false then, so check exits non-zero.
func (h *htmlOutput) write(m *Main, rep report, c *learngraph.Curriculum) bool {
	if h.file == "" {
		return true
	}
	in := htmlreport.Input{
		Curriculum: c,
		Version:    rep.Version,
		Documents:  rep.Documents,
		Counts:     rep.Counts,
		Findings:   rep.findings,
		MaxRows:    int(h.rows),
	}
	if h.rows == 0 {
		in.MaxRows = -1 // every row; the report's 0 means its default
	}
	// Rendered in memory first, so a refused page leaves no file behind.
	var page bytes.Buffer
	if err := htmlreport.WriteHTML(&page, in); err != nil {
		fmt.Fprintf(m.Stderr, "learngraph check: --html: %v\n", err)
		return false
	}
	if err := os.WriteFile(h.file, page.Bytes(), 0o644); err != nil {
		fmt.Fprintf(m.Stderr, "learngraph check: --html: cannot write the report: %v\n", err)
		return false
	}
	return true
}

// rowLimit is a row count that cannot be negative.
type rowLimit int

func (r *rowLimit) String() string { return strconv.Itoa(int(*r)) }

func (r *rowLimit) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return errors.New("want a number of rows, 0 or more")
	}
	*r = rowLimit(n)
	return nil
}
