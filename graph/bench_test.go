package graph_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"learngraph/graph"
	"learngraph/server/widget"
)

// The widget's requests, as the load script sends them, measured through
// the real handler in process, so that each query's cost relative to
// {__typename} (the ceiling) can be read without a server. Run with
//
//	go test ./graph/ -run '^$' -bench 'Widget|Typename' -cpu 2
//
// Each benchmark sends from many goroutines at once, as the load script's
// workers do: the loaders' batch window only shows under concurrency.

// widgetURL is the widget's persisted GET; with register, its query text
// too, as the first widget to load sends it.
func widgetURL(register bool) string {
	vars, _ := json.Marshal(map[string]any{"known": []string{"ownership", "lifetimes", "traits", "async/await"}, "first": 5})
	ext, _ := json.Marshal(map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": widget.QueryHash}})
	p := url.Values{
		"operationName": {widget.OperationName},
		"variables":     {string(vars)},
		"extensions":    {string(ext)},
	}
	if register {
		p.Set("query", widget.Query)
	}
	return "/graphql?" + p.Encode()
}

const pathCratesQuery = `query WidgetPathCrates { domainPath(ref: "blockchain") { name crates { name } } }`

// benchGET sends target to h from parallel goroutines and checks every
// answer has want status and no errors.
func benchGET(b *testing.B, h http.Handler, target string, want int, header ...string) {
	b.Helper()
	b.ReportAllocs()
	b.SetParallelism(8) // with -cpu 2: 16 concurrent requests
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodGet, target, nil)
			req.Header.Set("Accept", "application/json")
			for i := 0; i+1 < len(header); i += 2 {
				req.Header.Set(header[i], header[i+1])
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != want || bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
				b.Errorf("status %d, want %d: %.300s", rec.Code, want, rec.Body.Bytes())
				return
			}
		}
	})
}

func benchHandler(b *testing.B) http.Handler {
	b.Helper()
	h := graph.NewHandler(seedStore(b), graph.Options{})
	// Register the widget's persisted query, as the load script does.
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, widgetURL(true), nil)
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
		b.Fatalf("registering the widget's query: %d %s", rec.Code, rec.Body.Bytes())
	}
	return h
}

func BenchmarkTypename(b *testing.B) {
	benchGET(b, benchHandler(b), "/graphql?"+url.Values{"query": {"{__typename}"}}.Encode(), http.StatusOK)
}

func BenchmarkWidgetNextUp(b *testing.B) {
	benchGET(b, benchHandler(b), widgetURL(false), http.StatusOK)
}

func BenchmarkWidgetPathCrates(b *testing.B) {
	benchGET(b, benchHandler(b), "/graphql?"+url.Values{"query": {pathCratesQuery}}.Encode(), http.StatusOK)
}
