package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"learngraph"
	"learngraph/picture"
	htmlreport "learngraph/report"
)

// pictureTimeout bounds the layout of the page's picture. The picture
// folds a curriculum of more than a few hundred concepts into topics or
// phases, which Graphviz lays out in seconds; a layout that takes a
// minute is stuck, and the report is worth more without it than never.
const pictureTimeout = 60 * time.Second

// htmlOutput is check's --html: a page for curriculum designers, written
// to a file next to whatever --format prints.
type htmlOutput struct {
	file string
	rows rowLimit
	// pictureTimeout bounds the layout of the picture.
	pictureTimeout time.Duration
}

// addHTMLFlags defines --html and --html-rows on check's flag set.
func addHTMLFlags(fset *flag.FlagSet) *htmlOutput {
	h := &htmlOutput{rows: htmlreport.DefaultMaxRows, pictureTimeout: pictureTimeout}
	fset.StringVar(&h.file, "html", "", "also write the report as one self-contained HTML page to `FILE`")
	fset.Var(&h.rows, "html-rows", "at most `N` rows in each table of the --html page (the most complex concepts first); 0 shows every row")
	return h
}

// write writes the page when --html asked for one. It says on stderr why
// it could not, and returns false then, so check exits non-zero. A
// picture that cannot be made is not a reason: the page says why it has
// none, and stderr too.
func (h *htmlOutput) write(ctx context.Context, m *Main, rep report, c *learngraph.Curriculum) bool {
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
	if c == nil {
		in.NoPicture = "No picture was made: the graph is drawn only for a curriculum without errors. Fix the errors above and check again."
	} else {
		svg, err := drawWhole(ctx, c, h.pictureTimeout)
		if err != nil {
			in.NoPicture = fmt.Sprintf("The picture could not be made: %s.", strings.TrimSuffix(err.Error(), "."))
			fmt.Fprintf(m.Stderr, "learngraph check: --html: the report has no picture: %v\n", err)
		}
		in.Picture = svg
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

// drawWhole draws the whole curriculum (folded when it is large) as SVG
// that the report accepts, within timeout.
func drawWhole(ctx context.Context, c *learngraph.Curriculum, timeout time.Duration) ([]byte, error) {
	p, err := picture.FromCurriculum(c, picture.Scope{}, picture.Options{})
	if err != nil {
		return nil, err
	}
	// Our own deadline says so; one the caller set, or an interrupt,
	// speaks for itself.
	tooLong := fmt.Errorf("laying it out took longer than %v", timeout)
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, tooLong)
	defer cancel()
	svg, err := renderWithin(ctx, p)
	if err != nil {
		if errors.Is(context.Cause(ctx), tooLong) {
			return nil, tooLong
		}
		return nil, err
	}
	// WriteHTML would refuse the whole page for a picture its check
	// refuses; here that costs the picture only.
	if _, err := htmlreport.SafeSVG(svg); err != nil {
		return nil, err
	}
	return svg, nil
}

// renderWithin lays p out as SVG with a Graphviz of its own, and returns
// as soon as ctx ends.
func renderWithin(ctx context.Context, p *picture.Picture) ([]byte, error) {
	r, err := picture.NewRenderer(ctx)
	if err != nil {
		return nil, err
	}
	var svg bytes.Buffer
	err = r.SVG(ctx, p, &svg)
	if ctx.Err() != nil {
		// Graphviz cannot be stopped: a layout that overran still runs,
		// and Close would wait for it. It is freed when the layout ends,
		// or with the process.
		go r.Close()
	} else {
		_ = r.Close() // frees memory; the picture is made
	}
	return svg.Bytes(), err
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
