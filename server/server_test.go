package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"learngraph"
	"learngraph/inmem"
	"learngraph/loader"
	"learngraph/seeds"
	"learngraph/server"
)

func seedStore(t *testing.T) learngraph.Store {
	t.Helper()
	g, err := loader.Load(seeds.FS)
	if err != nil {
		t.Fatal(err)
	}
	c, err := learngraph.Analyze(g)
	if err != nil {
		t.Fatal(err)
	}
	return inmem.New(c)
}

// downStore cannot give a snapshot, as a store whose database is down.
type downStore struct{}

func (downStore) Snapshot(context.Context) (learngraph.Snapshot, error) {
	return nil, &learngraph.Error{Code: learngraph.EUNAVAILABLE, Message: "the store is not reachable",
		Err: errors.New("dial tcp 10.1.2.3:7687: connection refused")}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRoutes(t *testing.T) {
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	up := server.New(server.Config{MaxBodyBytes: 4096}, seedStore(t), logger)
	down := server.New(server.Config{}, downStore{}, logger)

	query := `{"query": "{ concept(ref: \"GATs\") { id } }"}`
	tests := []struct {
		name    string
		h       http.Handler
		method  string
		target  string
		body    string
		status  int
		inBody  string // a part of the body
		notBody string // must not appear
	}{
		{"Playground", up, "GET", "/", "", 200, "graphiql", ""},
		{"NotFound", up, "GET", "/nope", "", 404, "", ""},
		{"Healthz", up, "GET", "/healthz", "", 200, `"status":"ok"`, ""},
		{"HealthzWhileStoreDown", down, "GET", "/healthz", "", 200, `"status":"ok"`, ""},
		{"Readyz", up, "GET", "/readyz", "", 200, `"status":"ready"`, ""},
		{"ReadyzStoreDown", down, "GET", "/readyz", "", 503, "the store is not reachable", "10.1.2.3"},
		{"POST", up, "POST", "/graphql", query, 200, `"generic-associated-types"`, ""},
		{"GET", up, "GET", "/graphql?query=%7Bconcept(ref%3A%22gats%22)%7Bid%7D%7D", "", 200, `"generic-associated-types"`, ""},
		{"OPTIONS", up, "OPTIONS", "/graphql", "", 200, "", ""},
		{"MethodNotAllowed", up, "DELETE", "/graphql", "", 405, "", ""},
		{"BodyTooLarge", up, "POST", "/graphql", `{"query": "{ topics { id } }", "x": "` + strings.Repeat("a", 5000) + `"}`, 413, `"LIMIT_EXCEEDED"`, "topics"},
		{"QueryWhileStoreDown", down, "POST", "/graphql", query, 200, `"UNAVAILABLE"`, "10.1.2.3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.target, strings.NewReader(tt.body))
			if tt.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			rec := httptest.NewRecorder()
			tt.h.ServeHTTP(rec, req)
			body, _ := io.ReadAll(rec.Body)
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d: %s", rec.Code, tt.status, body)
			}
			if !strings.Contains(string(body), tt.inBody) {
				t.Errorf("body %s does not contain %q", body, tt.inBody)
			}
			if tt.notBody != "" && strings.Contains(string(body), tt.notBody) {
				t.Errorf("body %s contains %q", body, tt.notBody)
			}
		})
	}
	if !strings.Contains(logs.String(), `msg="http request" method=POST path=/graphql status=200`) {
		t.Errorf("requests are not logged:\n%s", logs.String())
	}
}

func TestReadyzVersion(t *testing.T) {
	store := seedStore(t)
	h := server.New(server.Config{}, store, slog.New(slog.DiscardHandler))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	var got struct{ Status, Version string }
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	snap, err := store.Snapshot(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != "ready" || got.Version != snap.Info().Version || got.Version == "" {
		t.Errorf("readyz = %+v, want ready with version %q", got, snap.Info().Version)
	}
}
