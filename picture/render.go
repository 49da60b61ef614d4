package picture

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/goccy/go-graphviz"
)

// graphvizTurn serialises every call into Graphviz in the process. The
// library runs Graphviz as one WebAssembly module instance per process,
// shared by every graphviz.Graphviz value, and Graphviz itself keeps
// global state, so two calls at once corrupt each other even through
// different Renderers. This lock guards the library's process-wide
// instance; it holds no state of ours.
var graphvizTurn = make(chan struct{}, 1)

// Renderer lays pictures out with Graphviz (dot) and renders them as SVG,
// in process: Graphviz 12 compiled to WebAssembly, no cgo, no dot binary.
// It is safe for concurrent use; renderings take turns. Make one and reuse
// it: each holds a Graphviz context.
//
// The library compiles the WebAssembly module when the program starts (in
// its package initialisation, whether or not a Renderer is ever made) and
// caches the compiled code in the temporary directory, so the first
// program run on a machine pays for the compilation, later ones little.
type Renderer struct {
	gv *graphviz.Graphviz
}

// NewRenderer starts Graphviz.
func NewRenderer(ctx context.Context) (*Renderer, error) {
	if err := take(ctx); err != nil {
		return nil, err
	}
	defer release()
	gv, err := graphviz.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("start graphviz: %w", err)
	}
	return &Renderer{gv: gv}, nil
}

// Close frees the Graphviz context. The Renderer must not be used after.
func (r *Renderer) Close() error {
	_ = take(context.Background()) // a background context never ends
	defer release()
	return r.gv.Close()
}

// SVG lays p out and writes it to w as SVG. Each node is a <g> whose id
// is the node's key and whose class lists "node", its kind and its marks;
// its <a xlink:title> holds the full name.
//
// ctx bounds the wait for Graphviz and the rendering. Graphviz cannot be
// interrupted once it runs: when ctx ends first, SVG returns ctx's error
// at once and writes nothing, and the layout finishes in the background
// before the next rendering may start.
func (r *Renderer) SVG(ctx context.Context, p *Picture, w io.Writer) error {
	var dot bytes.Buffer
	if err := p.WriteDOT(&dot); err != nil {
		return err
	}
	svg, err := r.renderDOT(ctx, dot.Bytes())
	if err != nil {
		return err
	}
	_, err = w.Write(svg)
	return err
}

// renderDOT renders DOT text as SVG.
func (r *Renderer) renderDOT(ctx context.Context, dot []byte) ([]byte, error) {
	if err := take(ctx); err != nil {
		return nil, err
	}
	type result struct {
		svg []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer release()
		svg, err := r.layout(ctx, dot)
		done <- result{svg, err}
	}()
	select {
	case res := <-done:
		return res.svg, res.err
	case <-ctx.Done():
		return nil, fmt.Errorf("render picture: %w", ctx.Err())
	}
}

// layout runs Graphviz; the caller holds the turn.
func (r *Renderer) layout(ctx context.Context, dot []byte) ([]byte, error) {
	graph, err := graphviz.ParseBytes(dot)
	if err != nil {
		return nil, fmt.Errorf("graphviz cannot read the picture: %w", err)
	}
	defer graph.Close()
	var svg bytes.Buffer
	// The layout gets its own context: cancelling it half-way would leave
	// Graphviz's global state to the next caller in an unknown shape.
	if err := r.gv.Render(context.WithoutCancel(ctx), graph, graphviz.SVG, &svg); err != nil {
		return nil, fmt.Errorf("graphviz: %w", err)
	}
	return svg.Bytes(), nil
}

// take waits for the Graphviz turn, or for ctx to end.
func take(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("render picture: %w", err)
	}
	select {
	case graphvizTurn <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wait for graphviz: %w", ctx.Err())
	}
}

func release() { <-graphvizTurn }
