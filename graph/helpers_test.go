package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	"learngraph"
	"learngraph/graph"
	"learngraph/inmem"
	"learngraph/loader"
	"learngraph/seeds"
)

// seedCurriculum loads the bundled seed curriculum, as serve does.
func seedCurriculum(tb testing.TB) *learngraph.Curriculum {
	tb.Helper()
	g, err := loader.Load(seeds.FS)
	if err != nil {
		tb.Fatalf("load seeds: %v", err)
	}
	c, err := learngraph.Analyze(g)
	if err != nil {
		tb.Fatalf("analyze seeds: %v", err)
	}
	return c
}

// seedStore returns an in-memory store serving the seed curriculum.
func seedStore(tb testing.TB) *inmem.Store {
	tb.Helper()
	return inmem.New(seedCurriculum(tb))
}

// newHandler returns the GraphQL handler over store, logging into logs
// when it is not nil.
func newHandler(store learngraph.Store, logs *bytes.Buffer, wait time.Duration) http.Handler {
	w := &syncWriter{w: &bytes.Buffer{}}
	if logs != nil {
		w.w = logs
	}
	return graph.NewHandler(store, graph.Options{
		Logger:    slog.New(slog.NewTextHandler(w, nil)),
		BatchWait: wait,
	})
}

// syncWriter serialises writes: resolvers log from many goroutines.
type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// newClient returns a gqlgen test client over the seed curriculum.
func newClient(tb testing.TB) *client.Client {
	tb.Helper()
	return client.New(newHandler(seedStore(tb), nil, 0))
}

// gqlError is one error of a GraphQL response.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// response is a GraphQL response as it travels.
type response struct {
	Status int             `json:"-"`
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

// post sends query with variables to h as a JSON POST, and returns the
// response whatever its status (client.Client refuses 4xx).
func post(tb testing.TB, h http.Handler, query string, vars map[string]any) response {
	tb.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		tb.Fatal(err)
	}
	req := httptest.NewRequestWithContext(context.Background(), http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return serve(tb, h, req)
}

// get sends query as a GraphQL-over-HTTP GET.
func get(tb testing.TB, h http.Handler, query string) response {
	tb.Helper()
	req := httptest.NewRequestWithContext(context.Background(), http.MethodGet, "/graphql?query="+url.QueryEscape(query), nil)
	req.Header.Set("Accept", "application/json")
	return serve(tb, h, req)
}

func serve(tb testing.TB, h http.Handler, req *http.Request) response {
	tb.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var resp response
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		tb.Fatalf("decode %q: %v", rec.Body.String(), err)
	}
	resp.Status = rec.Code
	return resp
}

// onlyError returns the single error of resp, failing otherwise.
func onlyError(tb testing.TB, resp response) gqlError {
	tb.Helper()
	if len(resp.Errors) != 1 {
		tb.Fatalf("want exactly one error, got %d: %+v (data %s)", len(resp.Errors), resp.Errors, resp.Data)
	}
	return resp.Errors[0]
}

// strs converts a JSON list of strings decoded as []any.
func strs(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

func contains(list []string, want string) bool {
	for _, s := range list {
		if strings.EqualFold(s, want) {
			return true
		}
	}
	return false
}

// storeOf returns an in-memory store serving c.
func storeOf(tb testing.TB, c *learngraph.Curriculum) learngraph.Store {
	tb.Helper()
	return inmem.New(c)
}

func mustUnmarshal(tb testing.TB, data []byte, v any) {
	tb.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		tb.Fatalf("decode %s: %v", data, err)
	}
}
