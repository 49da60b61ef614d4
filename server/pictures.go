package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/golang-lru/v2/simplelru"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"learngraph"
	"learngraph/graph"
	"learngraph/picture"
)

// PicturePath is where the server draws the curriculum as SVG.
const PicturePath = "/graph.svg"

// Limits of a picture request: the GraphQL API's for the same inputs, so a
// request the API takes draws too.
const (
	maxPictureRefRunes = graph.MaxTextRunes // the longest goal, path, topic or known ref
	maxPictureKnown    = graph.MaxKnown     // the most refs known may list
)

// The picture cache's bounds by default: 64 pictures of the seed
// curriculum's size (tens of KiB each) fit many times over; the byte
// budget keeps a few large folded pictures from using more.
const (
	pictureCacheEntries      = 64
	defaultPictureCacheBytes = 32 << 20
)

// pictureCSP is the Content-Security-Policy of a picture. Opened directly
// (not through an <img>, which runs nothing anyway) an SVG is a document
// that could run script; Graphviz writes none, and the names in it are
// escaped, but the policy makes sure: nothing loads and nothing runs, and
// only the picture's own <style> and style attributes apply.
const pictureCSP = "default-src 'none'; style-src 'unsafe-inline'"

// pictures serves GET (and HEAD) /graph.svg: a picture of the curriculum
// the store serves, or of a part of it, laid out by Graphviz in process.
//
// Query parameters: goal (with known, comma-separated), path or topic, at
// most one of the three; none draws the whole curriculum, folded into
// topics or phases above picture.DefaultMaxNodes concepts. Anything else,
// a parameter given twice or an empty one is refused with 400.
//
// Laying a picture out is the expensive part, and Graphviz works one
// picture at a time in the whole process, so each picture is laid out once
// per curriculum version: the SVGs are kept by their ETag (the version and
// the normalised parameters) in an LRU cache, and requests for a picture
// that is being laid out wait for that layout instead of queueing another.
// A new load changes the version and so every key.
//
// Time: each request has the GraphQL timeout (graph.Options.Timeout). A
// request that runs out of it answers 503 with LIMIT_EXCEEDED naming the
// timeout — 503 rather than 504, because this server is the origin, not a
// gateway, and because the usual reason is a wait behind other layouts
// for the process's one Graphviz: a temporary state, which 503 says.
// A layout is detached from the request that started it, so that a
// client who leaves does not fail the others waiting for the picture; it
// has the timeout of its own, and a picture done within it is kept.
// Graphviz cannot be interrupted: a layout past its time finishes in the
// background, unused, before the next one may start (picture.Renderer).
//
// The Renderer is made on the first picture that needs one and lives as
// long as the handler. server.New hands out a plain http.Handler and the
// command stops the HTTP server only, so nothing closes it: it is one
// Graphviz context in the WebAssembly instance that go-graphviz keeps for
// the whole process anyway.
type pictures struct {
	store   learngraph.Store
	logger  *slog.Logger
	timeout time.Duration
	maxAge  time.Duration
	cache   *pictureCache // nil when turned off

	renders prometheus.Counter
	hits    prometheus.Counter

	// rendererTurn guards renderer. It is a channel, not a mutex, so
	// that waiting for it ends with the request's time.
	rendererTurn chan struct{}
	renderer     *picture.Renderer

	mu      sync.Mutex
	flights map[string]*pictureFlight // by ETag: the layouts under way
}

// newPictures returns the /graph.svg handler; its metrics go to registry.
// store should be the instrumented one, so its calls are counted as the
// GraphQL endpoint's are.
func newPictures(cfg Config, store learngraph.Store, registry *prometheus.Registry, logger *slog.Logger) *pictures {
	defaults := graph.DefaultOptions()
	p := &pictures{
		store:   store,
		logger:  logger,
		timeout: orDefault(cfg.GraphQL.Timeout, defaults.Timeout),
		maxAge:  orDefault(cfg.GraphQL.CacheMaxAge, defaults.CacheMaxAge),
		renders: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "learngraph_picture_renders_total",
			Help: "Pictures laid out by Graphviz for " + PicturePath + ".",
		}),
		hits: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "learngraph_picture_cache_hits_total",
			Help: "Pictures sent without a layout of their own: from the picture cache, or from a layout another request had started.",
		}),
		rendererTurn: make(chan struct{}, 1),
		flights:      map[string]*pictureFlight{},
	}
	switch {
	case cfg.PictureCacheBytes == 0:
		p.cache = newPictureCache(pictureCacheEntries, defaultPictureCacheBytes)
	case cfg.PictureCacheBytes > 0:
		p.cache = newPictureCache(pictureCacheEntries, cfg.PictureCacheBytes)
	}
	registry.MustRegister(p.renders, p.hits)
	return p
}

// orDefault returns v, or def when v is not positive.
func orDefault(v, def time.Duration) time.Duration {
	if v <= 0 {
		return def
	}
	return v
}

func (p *pictures) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q, bad := parsePictureQuery(r.URL.RawQuery)
	if bad != nil {
		p.fail(w, r, bad)
		return
	}
	ctx, cancel := context.WithTimeoutCause(r.Context(), p.timeout, errPictureTimeout)
	defer cancel()

	snap, err := p.store.Snapshot(ctx)
	if err != nil {
		p.fail(w, r, p.outOfTime(ctx, err))
		return
	}
	etag := q.etag(snap.Info().Version)
	matched, anyTag := ifNoneMatch(r.Header.Values("If-None-Match"), etag)
	if matched {
		p.cacheHeaders(w, etag)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	svg, err := p.svg(ctx, snap, etag, q)
	if err != nil {
		p.fail(w, r, p.outOfTime(ctx, err))
		return
	}
	if anyTag {
		// "If-None-Match: *" asks for nothing when a picture exists, and
		// only now is it known that one does.
		p.cacheHeaders(w, etag)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "image/svg+xml; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", pictureCSP)
	// Pages with Cross-Origin-Embedder-Policy may show it in an <img>.
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
	h.Set("Content-Length", strconv.Itoa(len(svg)))
	p.cacheHeaders(w, etag)
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(svg) // the client went away; nothing to do
	}
}

func (p *pictures) cacheHeaders(w http.ResponseWriter, etag string) {
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", fmt.Sprintf("public, max-age=%d", int(p.maxAge.Seconds())))
}

// svg returns the picture q names over snap, from the cache, from a layout
// under way for the same key, or from a layout it starts. It waits no
// longer than ctx.
func (p *pictures) svg(ctx context.Context, snap learngraph.Snapshot, key string, q pictureQuery) ([]byte, error) {
	p.mu.Lock()
	// Looked up under the lock: a layout stores its picture before it
	// leaves flights, so a picture is always in one or the other.
	if svg, ok := p.cache.get(key); ok {
		p.mu.Unlock()
		p.hits.Inc()
		return svg, nil
	}
	f, joined := p.flights[key]
	if !joined {
		f = &pictureFlight{done: make(chan struct{})}
		p.flights[key] = f
		// Detached from the request, so that a client who leaves does
		// not fail the others waiting for the same picture; bounded by
		// the timeout all the same.
		go p.fly(context.WithoutCancel(ctx), snap, key, q, f)
	}
	p.mu.Unlock()
	select {
	case <-f.done:
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
	if f.err != nil {
		return nil, f.err
	}
	if joined {
		p.hits.Inc()
	}
	return f.svg, nil
}

// pictureFlight is one layout under way; svg and err are set before done
// closes.
type pictureFlight struct {
	done chan struct{}
	svg  []byte
	err  error
}

// fly draws q into f within the timeout, keeps a picture it draws in the
// cache, and lets the waiting requests go.
func (p *pictures) fly(ctx context.Context, snap learngraph.Snapshot, key string, q pictureQuery, f *pictureFlight) {
	ctx, cancel := context.WithTimeoutCause(ctx, p.timeout, errPictureTimeout)
	defer cancel()
	defer func() {
		if v := recover(); v != nil {
			// Outside the request's goroutine net/http would not catch
			// it, and the whole process would go down.
			p.logger.ErrorContext(ctx, "picture panic", slog.Any("panic", v), slog.String("stack", string(debug.Stack())))
			f.svg, f.err = nil, fmt.Errorf("panic: %v: %w", v, errPictureLogged)
		}
		if f.err == nil {
			p.cache.put(key, f.svg)
		}
		p.mu.Lock()
		delete(p.flights, key)
		p.mu.Unlock()
		close(f.done)
	}()
	f.svg, f.err = p.draw(ctx, snap, q)
	if f.err != nil {
		f.err = p.outOfTime(ctx, f.err)
	}
}

// draw selects and lays out the picture.
func (p *pictures) draw(ctx context.Context, snap learngraph.Snapshot, q pictureQuery) ([]byte, error) {
	c, err := snap.Curriculum(ctx)
	if err != nil {
		return nil, err
	}
	pic, err := picture.FromCurriculum(c, q.scope(), picture.Options{})
	if err != nil {
		return nil, err
	}
	r, err := p.rendererFor(ctx)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := r.SVG(ctx, pic, &buf); err != nil {
		return nil, err
	}
	p.renders.Inc()
	return buf.Bytes(), nil
}

// rendererFor returns the Renderer, starting Graphviz on the first call.
// A start that fails is tried again on the next picture.
func (p *pictures) rendererFor(ctx context.Context) (*picture.Renderer, error) {
	select {
	case p.rendererTurn <- struct{}{}:
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
	defer func() { <-p.rendererTurn }()
	if p.renderer == nil {
		r, err := picture.NewRenderer(ctx)
		if err != nil {
			return nil, err
		}
		p.renderer = r
	}
	return p.renderer, nil
}

// errPictureTimeout is the cause of a context that ran out of the serving
// timeout, as opposed to one whose client went away.
var errPictureTimeout = errors.New("the picture ran out of time")

// errPictureLogged marks an error logged where it happened, with more
// than fail would log.
var errPictureLogged = errors.New("already logged")

// pictureTimeout is the error of a request that ran out of its time.
type pictureTimeout struct{ limit time.Duration }

func (e pictureTimeout) Error() string {
	return fmt.Sprintf("the request took longer than the limit of %s", e.limit)
}

// outOfTime turns err into a pictureTimeout when it follows from ctx
// running out of the timeout: a context error, or a store's UNAVAILABLE
// or INTERNAL (Neo4j reports a cancelled query as unavailable). An answer
// such as NOT_FOUND stays what it is.
func (p *pictures) outOfTime(ctx context.Context, err error) error {
	if ctx.Err() == nil || !errors.Is(context.Cause(ctx), errPictureTimeout) {
		return err
	}
	if errors.Is(err, errPictureTimeout) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return pictureTimeout{p.timeout}
	}
	if _, ok := errors.AsType[pictureTimeout](err); ok {
		return err
	}
	switch learngraph.ErrorCode(err) {
	case learngraph.EUNAVAILABLE, learngraph.EINTERNAL:
		return pictureTimeout{p.timeout}
	}
	return err
}

// fail answers r with err as a GraphQL error, the way the GraphQL endpoint
// presents it: a domain error keeps its message and code (with
// suggestions, candidates or limit), a timeout is LIMIT_EXCEEDED, and
// anything else is logged and masked as INTERNAL.
func (p *pictures) fail(w http.ResponseWriter, r *http.Request, err error) {
	if timeout, ok := errors.AsType[pictureTimeout](err); ok {
		p.logger.WarnContext(r.Context(), "picture request timed out",
			slog.String("query", truncate(r.URL.RawQuery, 400)), slog.Duration("timeout", timeout.limit))
		graph.WriteError(w, r, http.StatusServiceUnavailable, graph.LimitExceeded(int(timeout.limit.Milliseconds()), timeout.Error()))
		return
	}
	if errors.Is(err, context.Canceled) {
		// The client went away: nobody reads this, and nothing failed.
		graph.WriteError(w, r, http.StatusServiceUnavailable, codedError(learngraph.EUNAVAILABLE, nil, "the request was cancelled"))
		return
	}
	status := 0
	domain, ok := errors.AsType[*learngraph.Error](err)
	if ok {
		switch domain.Code {
		case learngraph.ENOTFOUND:
			status = http.StatusNotFound
		case learngraph.EAMBIGUOUS, learngraph.EINVALID, learngraph.ELIMIT:
			status = http.StatusBadRequest
		case learngraph.EUNAVAILABLE:
			status = http.StatusServiceUnavailable
		}
	}
	if status == 0 {
		if !errors.Is(err, errPictureLogged) {
			p.logger.ErrorContext(r.Context(), "picture internal error",
				slog.String("query", truncate(r.URL.RawQuery, 400)), slog.Any("err", err))
		}
		graph.WriteError(w, r, http.StatusInternalServerError, codedError(learngraph.EINTERNAL, nil, "Internal error."))
		return
	}
	graph.WriteError(w, r, status, codedError(domain.Code, domainExtensions(domain), "%s", domain.Message))
}

// domainExtensions are the extensions the GraphQL API gives a domain
// error (graph's presenter): suggestions for NOT_FOUND, candidates for
// AMBIGUOUS, the limit for LIMIT_EXCEEDED; lists are [] rather than null.
func domainExtensions(e *learngraph.Error) map[string]any {
	list := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	switch e.Code {
	case learngraph.ENOTFOUND:
		return map[string]any{"suggestions": list(e.Suggestions)}
	case learngraph.EAMBIGUOUS:
		return map[string]any{"candidates": list(e.Candidates)}
	case learngraph.ELIMIT:
		return map[string]any{"limit": e.Limit}
	}
	return nil
}

func codedError(code learngraph.Code, ext map[string]any, format string, args ...any) *gqlerror.Error {
	e := &gqlerror.Error{Message: fmt.Sprintf(format, args...), Extensions: map[string]any{"code": string(code)}}
	for k, v := range ext {
		e.Extensions[k] = v
	}
	return e
}

// pictureQuery is what a picture request asks for, normalised: values
// trimmed, known sorted with its duplicates dropped, so requests that
// ask for the same picture share its ETag and its cache entry.
type pictureQuery struct {
	Goal  string   `json:"goal,omitempty"`
	Known []string `json:"known,omitempty"`
	Path  string   `json:"path,omitempty"`
	Topic string   `json:"topic,omitempty"`
}

func (q pictureQuery) scope() picture.Scope {
	return picture.Scope{Goal: q.Goal, Known: q.Known, Path: q.Path, Topic: q.Topic}
}

// etag names the picture of q over the curriculum version: the version,
// the parameters and the picture's node limit, hashed.
func (q pictureQuery) etag(version string) string {
	params, _ := json.Marshal(q) // strings and a list of strings: cannot fail
	h := sha256.New()
	fmt.Fprintf(h, "graph.svg\x00max-nodes=%d\x00%s\x00", picture.DefaultMaxNodes, version)
	h.Write(params)
	return `"` + base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:18]) + `"`
}

// parsePictureQuery reads and checks a picture request's query string.
// Returns BAD_USER_INPUT for a query string that cannot be parsed, an
// unknown, repeated or empty parameter, or parameters that do not go
// together; LIMIT_EXCEEDED for a value over its limit.
func parsePictureQuery(raw string) (pictureQuery, error) {
	var q pictureQuery
	values, err := url.ParseQuery(raw)
	if err != nil {
		return q, learngraph.Errorf(learngraph.EINVALID, "the query string cannot be parsed: encode it as a URL query (goal=…&known=…)")
	}
	// In a fixed order, so the error for a bad request is always the same.
	names := make([]string, 0, len(values))
	for name := range values {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		switch name {
		case "goal", "known", "path", "topic":
		default:
			return q, learngraph.Errorf(learngraph.EINVALID, "unknown parameter %q: %s takes goal (with known), path or topic",
				truncate(strings.ToValidUTF8(name, "\uFFFD"), 40), PicturePath)
		}
		if len(values[name]) > 1 {
			return q, learngraph.Errorf(learngraph.EINVALID, "%s is given %d times: give it once", name, len(values[name]))
		}
	}
	ref := func(name string) (string, error) {
		if !values.Has(name) {
			return "", nil
		}
		v := strings.TrimSpace(values.Get(name))
		if err := checkPictureRef(name, v); err != nil {
			return "", err
		}
		if v == "" {
			return "", learngraph.Errorf(learngraph.EINVALID, "%s is empty: give a concept, topic or path id, name or alias", name)
		}
		return v, nil
	}
	if q.Goal, err = ref("goal"); err != nil {
		return q, err
	}
	if q.Path, err = ref("path"); err != nil {
		return q, err
	}
	if q.Topic, err = ref("topic"); err != nil {
		return q, err
	}
	if values.Has("known") {
		raw := values.Get("known")
		if n := strings.Count(raw, ",") + 1; n > maxPictureKnown {
			return q, &learngraph.Error{Code: learngraph.ELIMIT, Limit: maxPictureKnown,
				Message: fmt.Sprintf("known lists at most %d refs, got %d", maxPictureKnown, n)}
		}
		for part := range strings.SplitSeq(raw, ",") {
			part = strings.TrimSpace(part)
			if err := checkPictureRef("a ref in known", part); err != nil {
				return q, err
			}
			if part != "" {
				q.Known = append(q.Known, part)
			}
		}
		if len(q.Known) == 0 {
			return q, learngraph.Errorf(learngraph.EINVALID, "known lists no refs: give comma-separated ids, names or aliases, or leave it out")
		}
		slices.Sort(q.Known)
		q.Known = slices.Compact(q.Known)
	}
	named := 0
	for _, v := range []string{q.Goal, q.Path, q.Topic} {
		if v != "" {
			named++
		}
	}
	if named > 1 {
		return q, learngraph.Errorf(learngraph.EINVALID, "draw one of a goal, a path or a topic, not several")
	}
	if q.Known != nil && q.Goal == "" {
		return q, learngraph.Errorf(learngraph.EINVALID, "known concepts only shorten a goal's study plan; give a goal too")
	}
	return q, nil
}

// checkPictureRef checks a ref's encoding and length; what says which
// parameter it comes from.
func checkPictureRef(what, v string) error {
	if !utf8.ValidString(v) {
		return learngraph.Errorf(learngraph.EINVALID, "%s is not valid UTF-8", what)
	}
	if n := utf8.RuneCountInString(v); n > maxPictureRefRunes {
		return &learngraph.Error{Code: learngraph.ELIMIT, Limit: maxPictureRefRunes,
			Message: fmt.Sprintf("%s is at most %d characters, got %d", what, maxPictureRefRunes, n)}
	}
	return nil
}

// ifNoneMatch says whether If-None-Match names etag (weak comparison, as
// RFC 9110 says for If-None-Match), and whether it holds "*", which
// matches any picture there is.
func ifNoneMatch(headers []string, etag string) (matched, anyTag bool) {
	for _, header := range headers {
		for tag := range strings.SplitSeq(header, ",") {
			tag = strings.TrimSpace(tag)
			switch {
			case tag == "*":
				anyTag = true
			case strings.TrimPrefix(tag, "W/") == etag:
				matched = true
			}
		}
	}
	return matched, anyTag
}

// pictureCache keeps rendered pictures by their ETag, least recently used
// first out, within a count and a budget of bytes.
type pictureCache struct {
	mu       sync.Mutex
	entries  *simplelru.LRU[string, []byte]
	bytes    int // the sum of the entries' sizes
	maxBytes int
}

// pictureEntrySize counts what an entry holds, near enough to bound
// memory: the SVG and an allowance for the key and the list element.
func pictureEntrySize(svg []byte) int { return len(svg) + 256 }

func newPictureCache(maxEntries, maxBytes int) *pictureCache {
	c := &pictureCache{maxBytes: maxBytes}
	entries, err := simplelru.NewLRU(maxEntries, func(_ string, svg []byte) {
		c.bytes -= pictureEntrySize(svg)
	})
	if err != nil {
		panic(err) // only for a count ≤ 0, which is a constant here
	}
	c.entries = entries
	return c
}

// get returns the picture kept under etag; a nil cache keeps none.
func (c *pictureCache) get(etag string) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.entries.Get(etag)
}

// put keeps svg under etag, dropping the least recently used pictures
// until the budget holds. A picture over a quarter of the budget is not
// kept: one huge picture must not flush the many it would displace.
func (c *pictureCache) put(etag string, svg []byte) {
	if c == nil || pictureEntrySize(svg) > c.maxBytes/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries.Contains(etag) {
		return // Add would replace it without counting the bytes out
	}
	c.entries.Add(etag, svg)
	c.bytes += pictureEntrySize(svg)
	for c.bytes > c.maxBytes {
		if _, _, ok := c.entries.RemoveOldest(); !ok {
			break
		}
	}
}
