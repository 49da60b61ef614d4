package graph

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"learngraph"
	"learngraph/inmem"
	"learngraph/loader"
	"learngraph/seeds"
)

// countingStore counts the queries its snapshots answer (Snapshot itself
// is not counted: every GET takes one to name its ETag).
type countingStore struct {
	mu      sync.Mutex
	store   learngraph.Store
	queries atomic.Int64
}

func (s *countingStore) Snapshot(ctx context.Context) (learngraph.Snapshot, error) {
	s.mu.Lock()
	st := s.store
	s.mu.Unlock()
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	return countingSnapshot{Snapshot: snap, n: &s.queries}, nil
}

func (s *countingStore) replace(st learngraph.Store) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.store = st
}

type countingSnapshot struct {
	learngraph.Snapshot
	n *atomic.Int64
}

func (c countingSnapshot) Resolve(ctx context.Context, ref string, kinds ...learngraph.Kind) (learngraph.Node, error) {
	c.n.Add(1)
	return c.Snapshot.Resolve(ctx, ref, kinds...)
}

func (c countingSnapshot) Nodes(ctx context.Context, kind learngraph.Kind, ids []string) ([]learngraph.Node, error) {
	c.n.Add(1)
	return c.Snapshot.Nodes(ctx, kind, ids)
}

func (c countingSnapshot) Related(ctx context.Context, r learngraph.Relation, from []string) ([][]learngraph.Neighbor, error) {
	c.n.Add(1)
	return c.Snapshot.Related(ctx, r, from)
}

func (c countingSnapshot) NextUp(ctx context.Context, known []string, first int, path string) ([]learngraph.Recommendation, error) {
	c.n.Add(1)
	return c.Snapshot.NextUp(ctx, known, first, path)
}

func seedFor(t *testing.T, version string) learngraph.Store {
	t.Helper()
	g, err := loader.Load(seeds.FS)
	if err != nil {
		t.Fatal(err)
	}
	if version != "" {
		g.Version = version
	}
	c, err := learngraph.Analyze(g)
	if err != nil {
		t.Fatal(err)
	}
	return inmem.New(c)
}

func nextUpURL(known string) string {
	q := `query Next($known: [String!]!) { curriculum { version } nextUp(known: $known, first: 3) { concept { id } crates(first: 2) { name } } }`
	return "/graphql?" + url.Values{"query": {q}, "variables": {fmt.Sprintf(`{"known":[%q]}`, known)}}.Encode()
}

func serveGET(t *testing.T, h http.Handler, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	ctx, _ := Observe(req.Context())
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req.WithContext(ctx))
	return rec
}

// TestAnswerCache checks that an answer kept under its ETag is sent again,
// byte for byte and with the same headers, without the store being asked
// anything; that a new curriculum version is never answered from the old
// one's answers; and that what may not be cached is not.
func TestAnswerCache(t *testing.T) {
	store := &countingStore{store: seedFor(t, "")}
	h := NewHandler(store, Options{})

	first := serveGET(t, h, nextUpURL("ownership"))
	ran := store.queries.Load()
	if first.Code != 200 || ran == 0 || strings.Contains(first.Body.String(), `"errors"`) {
		t.Fatalf("first answer: %d after %d store queries: %s", first.Code, ran, first.Body)
	}
	second := serveGET(t, h, nextUpURL("ownership"))
	if got := store.queries.Load(); got != ran {
		t.Errorf("the repeated GET asked the store %d more times, want 0", got-ran)
	}
	if second.Body.String() != first.Body.String() {
		t.Errorf("cached answer differs:\n%s\n%s", first.Body, second.Body)
	}
	for _, name := range []string{"ETag", "Cache-Control", "Content-Type"} {
		if a, b := first.Header().Get(name), second.Header().Get(name); a != b {
			t.Errorf("%s %q, then %q from the cache", name, a, b)
		}
	}

	t.Run("OtherVariables", func(t *testing.T) {
		before := store.queries.Load()
		rec := serveGET(t, h, nextUpURL("traits"))
		if store.queries.Load() == before || rec.Body.String() == first.Body.String() {
			t.Errorf("other variables answered from the cache: %s", rec.Body)
		}
	})
	t.Run("OtherMediaType", func(t *testing.T) {
		before := store.queries.Load()
		rec := serveGET(t, h, nextUpURL("ownership"), "Accept", mediaGraphQLResponse)
		if store.queries.Load() == before {
			t.Error("another media type was answered from the cache")
		}
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, mediaGraphQLResponse) {
			t.Errorf("Content-Type %q", ct)
		}
	})
	t.Run("POSTRuns", func(t *testing.T) {
		before := store.queries.Load()
		body := `{"query":"{ nextUp(known: [\"ownership\"], first: 3) { concept { id } } }"}`
		for range 2 {
			req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			h.ServeHTTP(httptest.NewRecorder(), req)
		}
		if got := store.queries.Load() - before; got < 2 {
			t.Errorf("two POSTs asked the store %d times, want each to run", got)
		}
	})
	t.Run("NewVersion", func(t *testing.T) {
		store.replace(seedFor(t, "after-a-new-load"))
		before := store.queries.Load()
		rec := serveGET(t, h, nextUpURL("ownership"))
		if store.queries.Load() == before || !strings.Contains(rec.Body.String(), "after-a-new-load") {
			t.Errorf("after a new load: %s", rec.Body)
		}
		if rec.Header().Get("ETag") == first.Header().Get("ETag") {
			t.Error("same ETag after a new load")
		}
	})
	t.Run("ErrorsNotKept", func(t *testing.T) {
		// An unknown ref (NOT_FOUND) follows from the curriculum and is
		// kept; a timeout does not and is not.
		st := &countingStore{store: seedFor(t, "")}
		h := NewHandler(st, Options{})
		notFound := nextUpURL("no such concept")
		serveGET(t, h, notFound)
		n := st.queries.Load()
		if rec := serveGET(t, h, notFound); st.queries.Load() != n || !strings.Contains(rec.Body.String(), "NOT_FOUND") {
			t.Errorf("NOT_FOUND answer not kept: %s", rec.Body)
		}

		slow := &countingStore{store: slowStore{}}
		h = NewHandler(slow, Options{Timeout: 20 * time.Millisecond})
		for range 2 {
			if rec := serveGET(t, h, nextUpURL("ownership")); rec.Header().Get("Cache-Control") != "no-store" {
				t.Errorf("timed-out answer: Cache-Control %q", rec.Header().Get("Cache-Control"))
			}
		}
		if got := slow.queries.Load(); got < 2 {
			t.Errorf("a timed-out answer was kept: %d store queries for two GETs", got)
		}
	})
	t.Run("Off", func(t *testing.T) {
		st := &countingStore{store: seedFor(t, "")}
		h := NewHandler(st, Options{AnswerCacheBytes: -1})
		serveGET(t, h, nextUpURL("ownership"))
		n := st.queries.Load()
		serveGET(t, h, nextUpURL("ownership"))
		if st.queries.Load() == n {
			t.Error("answered from the cache while it is off")
		}
	})
	t.Run("Outcome", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodGet, nextUpURL("ownership"), nil)
		ctx, o := Observe(req.Context())
		h.ServeHTTP(httptest.NewRecorder(), req.WithContext(ctx))
		if !o.Cached() || o.Name() != "Next" || o.Version() != "after-a-new-load" || o.Complexity() == 0 {
			t.Errorf("outcome of a hit: cached %t, name %q, version %q, complexity %d", o.Cached(), o.Name(), o.Version(), o.Complexity())
		}
	})
}

// slowStore's snapshot answers nothing before its context ends.
type slowStore struct{}

func (slowStore) Snapshot(ctx context.Context) (learngraph.Snapshot, error) {
	return slowSnapshot{}, nil
}

type slowSnapshot struct{ learngraph.Snapshot }

func (slowSnapshot) Info() learngraph.CurriculumInfo {
	return learngraph.CurriculumInfo{Version: "slow"}
}

func (slowSnapshot) NextUp(ctx context.Context, _ []string, _ int, _ string) ([]learngraph.Recommendation, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func (slowSnapshot) Resolve(ctx context.Context, _ string, _ ...learngraph.Kind) (learngraph.Node, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestAnswerCacheBudget checks the byte budget: usage never exceeds it,
// the least recently used answer leaves first, and an answer over a
// sixteenth of the budget is not kept.
func TestAnswerCacheBudget(t *testing.T) {
	c := newAnswerCache(64 << 10)
	body := make([]byte, 1000)
	for i := range 500 {
		c.put(fmt.Sprint(i), &cachedAnswer{body: body})
		if _, b := c.usage(); b > 64<<10 {
			t.Fatalf("after %d answers: %d bytes held, budget %d", i+1, b, 64<<10)
		}
	}
	if _, ok := c.get("0"); ok {
		t.Error("the oldest answer is still held")
	}
	if _, ok := c.get("499"); !ok {
		t.Error("the newest answer is gone")
	}
	n, b := c.usage()
	if want := (64 << 10) / (1000 + 256); n != want || b != n*(1000+256) {
		t.Errorf("%d answers, %d bytes; want %d answers", n, b, want)
	}
	c.put("big", &cachedAnswer{body: make([]byte, 5000)})
	if _, ok := c.get("big"); ok {
		t.Error("an answer over a sixteenth of the budget was kept")
	}
	if newAnswerCache(0) != nil || newAnswerCache(-1) != nil {
		t.Error("a cache with no budget")
	}
	var off *answerCache
	off.put("x", &cachedAnswer{})
	if _, ok := off.get("x"); ok {
		t.Error("a nil cache returned an answer")
	}
}
