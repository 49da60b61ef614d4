package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"learngraph"
	"learngraph/graph"
	"learngraph/inmem"
	"learngraph/loader"
	"learngraph/seeds"
	"learngraph/server"
)

// seedInmem returns the embedded store over the seed curriculum, and the
// curriculum, for tests that replace it.
func seedInmem(t *testing.T) (*inmem.Store, *learngraph.Curriculum) {
	t.Helper()
	g, err := loader.Load(seeds.FS)
	if err != nil {
		t.Fatal(err)
	}
	c, err := learngraph.Analyze(g)
	if err != nil {
		t.Fatal(err)
	}
	return inmem.New(c), c
}

// call serves one request; headers are "Name: value" pairs.
func call(t *testing.T, h http.Handler, method, target, body string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequestWithContext(t.Context(), method, target, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, hv := range headers {
		name, value, _ := strings.Cut(hv, ": ")
		if name == "RemoteAddr" {
			req.RemoteAddr = value
			continue
		}
		req.Header.Add(name, value)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func errorCode(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var resp struct {
		Errors []struct {
			Extensions map[string]any
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || len(resp.Errors) == 0 {
		t.Fatalf("want an error, got %q", rec.Body)
	}
	code, _ := resp.Errors[0].Extensions["code"].(string)
	return code
}

const query = `{"query":"{ curriculum { version } }"}`

// TestCORS checks cross-origin access: allowed origins get CORS headers
// (never credentials), others none, and preflights are answered.
func TestCORS(t *testing.T) {
	const app = "https://app.example.com"
	h := server.New(server.Config{CORSOrigins: []string{app}}, seedStore(t), slog.New(slog.DiscardHandler))
	none := server.New(server.Config{}, seedStore(t), slog.New(slog.DiscardHandler))
	anyOrigin := server.New(server.Config{CORSOrigins: []string{"*"}}, seedStore(t), slog.New(slog.DiscardHandler))
	preflight := []string{"Access-Control-Request-Method: POST", "Access-Control-Request-Headers: content-type"}

	tests := []struct {
		name        string
		h           http.Handler
		method      string
		body        string
		headers     []string
		status      int
		allowOrigin string // "" for no CORS headers at all
	}{
		{"Allowed", h, "POST", query, []string{"Origin: " + app}, 200, app},
		{"AllowedGET", h, "GET", "", []string{"Origin: " + app}, 200, app},
		{"Refused", h, "POST", query, []string{"Origin: https://evil.example.com"}, 200, ""},
		{"SameOrigin", h, "POST", query, nil, 200, ""},
		{"Preflight", h, "OPTIONS", "", append([]string{"Origin: " + app}, preflight...), 204, app},
		{"PreflightRefused", h, "OPTIONS", "", append([]string{"Origin: https://evil.example.com"}, preflight...), 403, ""},
		{"NotConfigured", none, "POST", query, []string{"Origin: " + app}, 200, ""},
		{"NotConfiguredPreflight", none, "OPTIONS", "", append([]string{"Origin: " + app}, preflight...), 200, ""},
		{"AnyOrigin", anyOrigin, "POST", query, []string{"Origin: https://anywhere.example.org"}, 200, "*"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := "/graphql"
			if tt.method == "GET" {
				target += "?query=" + url.QueryEscape("{ curriculum { version } }")
			}
			rec := call(t, tt.h, tt.method, target, tt.body, tt.headers...)
			hdr := rec.Header()
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d", rec.Code, tt.status)
			}
			if got := hdr.Get("Access-Control-Allow-Origin"); got != tt.allowOrigin {
				t.Errorf("Access-Control-Allow-Origin %q, want %q", got, tt.allowOrigin)
			}
			if got := hdr.Get("Access-Control-Allow-Credentials"); got != "" {
				t.Errorf("Access-Control-Allow-Credentials %q: credentials are never allowed", got)
			}
			if tt.allowOrigin == "" {
				for name := range hdr {
					if strings.HasPrefix(name, "Access-Control-") {
						t.Errorf("CORS header %s on a refused or same-origin request", name)
					}
				}
			}
			if !strings.HasPrefix(tt.name, "NotConfigured") && !slices.Contains(hdr.Values("Vary"), "Origin") {
				t.Errorf("Vary %q, want Origin", hdr.Values("Vary"))
			}
			switch tt.name {
			case "Preflight":
				if got := hdr.Get("Access-Control-Allow-Methods"); got != "GET, POST" {
					t.Errorf("Allow-Methods %q", got)
				}
				if got := strings.ToLower(hdr.Get("Access-Control-Allow-Headers")); !strings.Contains(got, "content-type") || !strings.Contains(got, "if-none-match") {
					t.Errorf("Allow-Headers %q", got)
				}
				if hdr.Get("Access-Control-Max-Age") == "" {
					t.Error("no Access-Control-Max-Age")
				}
			case "Allowed":
				if got := hdr.Get("Access-Control-Expose-Headers"); !strings.Contains(got, "ETag") || !strings.Contains(got, "X-Request-Id") {
					t.Errorf("Expose-Headers %q", got)
				}
			}
		})
	}
}

func TestParseOrigins(t *testing.T) {
	got, err := server.ParseOrigins([]string{" https://App.Example.com/ ", "http://localhost:5173", "https://x.example:443", "", "*"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"https://app.example.com", "http://localhost:5173", "https://x.example", "*"}
	if !slices.Equal(got, want) {
		t.Errorf("ParseOrigins = %q, want %q", got, want)
	}
	for _, bad := range []string{"app.example.com", "ftp://x.example", "https://x.example/path", "https://user@x.example"} {
		if _, err := server.ParseOrigins([]string{bad}); err == nil {
			t.Errorf("ParseOrigins(%q) accepted it", bad)
		}
	}
}

// TestRateLimit checks the per-client token bucket: off by default; on,
// a client over its budget gets 429 with Retry-After and LIMIT_EXCEEDED,
// and other clients are not affected.
func TestRateLimit(t *testing.T) {
	off := server.New(server.Config{}, seedStore(t), slog.New(slog.DiscardHandler))
	for i := range 50 {
		if rec := call(t, off, "POST", "/graphql", query); rec.Code != 200 {
			t.Fatalf("request %d without a rate limit: status %d", i, rec.Code)
		}
	}

	h := server.New(server.Config{RateLimit: 0.5, RateBurst: 2}, seedStore(t), slog.New(slog.DiscardHandler))
	alice, bob := "RemoteAddr: 192.0.2.1:1234", "RemoteAddr: 192.0.2.2:1234"
	for i := range 2 {
		if rec := call(t, h, "POST", "/graphql", query, alice); rec.Code != 200 {
			t.Fatalf("request %d within the burst: status %d", i, rec.Code)
		}
	}
	rec := call(t, h, "POST", "/graphql", query, alice, "Accept: application/graphql-response+json")
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("over the burst: status %d, want 429", rec.Code)
	}
	if secs, err := strconv.Atoi(rec.Header().Get("Retry-After")); err != nil || secs < 1 || secs > 2 {
		t.Errorf("Retry-After %q, want 1 or 2 seconds at half a request a second", rec.Header().Get("Retry-After"))
	}
	if code := errorCode(t, rec); code != "LIMIT_EXCEEDED" {
		t.Errorf("code %s", code)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/graphql-response+json") {
		t.Errorf("Content-Type %q", ct)
	}
	// Pictures draw from the same bucket: no way around the limit.
	if rec := call(t, h, "GET", "/graph.svg?goal=GATs", "", alice); rec.Code != http.StatusTooManyRequests {
		t.Errorf("a picture over the burst: status %d, want 429", rec.Code)
	}
	// Another port of the same address is the same client.
	if rec := call(t, h, "POST", "/graphql", query, "RemoteAddr: 192.0.2.1:999"); rec.Code != http.StatusTooManyRequests {
		t.Errorf("same address, other port: status %d", rec.Code)
	}
	if rec := call(t, h, "POST", "/graphql", query, bob); rec.Code != 200 {
		t.Errorf("another client: status %d", rec.Code)
	}
	// X-Forwarded-For counts only behind a trusted proxy.
	if rec := call(t, h, "POST", "/graphql", query, alice, "X-Forwarded-For: 198.51.100.7"); rec.Code != http.StatusTooManyRequests {
		t.Errorf("X-Forwarded-For without --trust-proxy changed the client: status %d", rec.Code)
	}
	// Other routes are not limited.
	if rec := call(t, h, "GET", "/healthz", "", alice); rec.Code != 200 {
		t.Errorf("healthz: status %d", rec.Code)
	}

	proxied := server.New(server.Config{RateLimit: 0.5, RateBurst: 1, TrustProxy: true}, seedStore(t), slog.New(slog.DiscardHandler))
	const proxy = "RemoteAddr: 10.0.0.1:80"
	if rec := call(t, proxied, "POST", "/graphql", query, proxy, "X-Forwarded-For: 203.0.113.9, 198.51.100.7"); rec.Code != 200 {
		t.Fatalf("first proxied request: %d", rec.Code)
	}
	if rec := call(t, proxied, "POST", "/graphql", query, proxy, "X-Forwarded-For: 198.51.100.7"); rec.Code != http.StatusTooManyRequests {
		t.Errorf("same forwarded client: status %d, want 429", rec.Code)
	}
	if rec := call(t, proxied, "POST", "/graphql", query, proxy, "X-Forwarded-For: 198.51.100.7, 198.51.100.8"); rec.Code != 200 {
		t.Errorf("another forwarded client behind the same proxy: status %d", rec.Code)
	}
}

// TestRequestIDAndLog checks that every response carries a request id,
// and that the request's log line carries it with the operation name, the
// status, the duration and the error codes.
func TestRequestIDAndLog(t *testing.T) {
	var logs syncBuffer
	h := server.New(server.Config{}, seedStore(t), slog.New(slog.NewTextHandler(&logs, nil)))

	rec := call(t, h, "POST", "/graphql", `{"query":"query WhatNext { nextUp(known: [\"GATz\"]) { reason } }"}`)
	id := rec.Header().Get("X-Request-Id")
	if len(id) < 16 {
		t.Fatalf("X-Request-Id %q", id)
	}
	line := ""
	for l := range strings.Lines(logs.String()) {
		if strings.Contains(l, "request_id="+id) {
			line = l
		}
	}
	for _, want := range []string{`msg="http request"`, "method=POST", "path=/graphql", "status=200", "operation=WhatNext", "errors=[NOT_FOUND]", "duration="} {
		if !strings.Contains(line, want) {
			t.Errorf("log line %q does not contain %q", line, want)
		}
	}

	if got := call(t, h, "GET", "/healthz", "", "X-Request-Id: edge-7f3a.1").Header().Get("X-Request-Id"); got != "edge-7f3a.1" {
		t.Errorf("a plausible client id is not echoed: %q", got)
	}
	if got := call(t, h, "GET", "/healthz", "", "X-Request-Id: bad id\" injected=1").Header().Get("X-Request-Id"); got == "" || strings.ContainsAny(got, " \"=") {
		t.Errorf("an implausible client id is kept: %q", got)
	}
	if a, b := call(t, h, "GET", "/healthz", "").Header().Get("X-Request-Id"), call(t, h, "GET", "/healthz", "").Header().Get("X-Request-Id"); a == b {
		t.Errorf("two requests share the id %q", a)
	}
}

// TestInternalErrorLogCarriesRequestID checks that what the GraphQL
// handler logs while serving a request carries the request's id.
func TestInternalErrorLogCarriesRequestID(t *testing.T) {
	var logs syncBuffer
	h := server.New(server.Config{}, panicStore{}, slog.New(slog.NewTextHandler(&logs, nil)))
	rec := call(t, h, "POST", "/graphql", query)
	id := rec.Header().Get("X-Request-Id")
	if !regexp.MustCompile(`msg="graphql panic".*request_id=` + id).MatchString(logs.String()) {
		t.Errorf("the panic is not logged with request_id=%s:\n%s", id, logs.String())
	}
}

// panicStore panics when asked for a snapshot, as a buggy backend.
type panicStore struct{}

func (panicStore) Snapshot(ctx context.Context) (learngraph.Snapshot, error) { panic("boom") }

// metricValue returns the value of the sample name{labels} in a scrape,
// and whether there is one.
func metricValue(scrape, name string, labels map[string]string) (float64, bool) {
	for line := range strings.Lines(scrape) {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, name+"{") && !strings.HasPrefix(line, name+" ") {
			continue
		}
		match := true
		for k, v := range labels {
			if !strings.Contains(line, k+`="`+v+`"`) {
				match = false
			}
		}
		if !match {
			continue
		}
		f, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64)
		return f, err == nil
	}
	return 0, false
}

// TestMetrics scrapes /metrics after a few requests and checks the
// operation labels (trusted names, "other"), error codes, store calls and
// the curriculum version, and that a new load shows a new version.
func TestMetrics(t *testing.T) {
	const trusted = `query Widget { curriculum { version } }`
	sum := sha256.Sum256([]byte(trusted))
	hash := hex.EncodeToString(sum[:])
	manifest, _ := json.Marshal(map[string]string{hash: trusted})
	docs, err := graph.ParseTrustedDocuments(strings.NewReader(string(manifest)))
	if err != nil {
		t.Fatal(err)
	}
	store, c := seedInmem(t)
	h := server.New(server.Config{GraphQL: graph.Options{TrustedDocuments: docs}}, store, slog.New(slog.DiscardHandler))

	persisted := `{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"` + hash + `"}}}`
	for range 2 {
		call(t, h, "POST", "/graphql", persisted)
	}
	// The same as GETs: the second is answered from the answer cache, and
	// counts as the first does.
	persistedGET := "/graphql?extensions=" + url.QueryEscape(`{"persistedQuery":{"version":1,"sha256Hash":"`+hash+`"}}`)
	for range 2 {
		if rec := call(t, h, "GET", persistedGET, ""); rec.Code != 200 {
			t.Fatalf("persisted GET: %d %s", rec.Code, rec.Body)
		}
	}
	call(t, h, "POST", "/graphql", `{"query":"query Sneaky { __schema { queryType { name } } }"}`) // introspection: allowed, "other"
	call(t, h, "POST", "/graphql", `{"query":"{ curriculum { version } }"}`)                       // FORBIDDEN, "other"
	call(t, h, "POST", "/graphql", `{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"`+strings.Repeat("0", 64)+`"}}}`)

	scrape := call(t, h, "GET", "/metrics", "").Body.String()
	snap, err := store.Snapshot(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	version := snap.Info().Version
	checks := []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"learngraph_graphql_requests_total", map[string]string{"operation": "Widget", "status": "200"}, 4},
		{"learngraph_graphql_cached_answers_total", nil, 1},
		{"learngraph_graphql_requests_total", map[string]string{"operation": "other", "status": "200"}, 2},
		{"learngraph_graphql_requests_total", map[string]string{"operation": "other", "status": "403"}, 1},
		{"learngraph_graphql_request_duration_seconds_count", map[string]string{"operation": "Widget"}, 4},
		{"learngraph_graphql_errors_total", map[string]string{"code": "FORBIDDEN"}, 1},
		{"learngraph_graphql_errors_total", map[string]string{"code": "PERSISTED_QUERY_NOT_FOUND"}, 1},
		{"learngraph_store_calls_total", map[string]string{"method": "Snapshot", "code": "OK"}, 4},
		{"learngraph_store_call_duration_seconds_count", map[string]string{"method": "Snapshot"}, 4},
		{"learngraph_curriculum_info", map[string]string{"version": version}, 1},
		{"learngraph_store_up", nil, 1},
	}
	for _, c := range checks {
		if got, ok := metricValue(scrape, c.name, c.labels); !ok || got != c.want {
			t.Errorf("%s%v = %v (found %v), want %v", c.name, c.labels, got, ok, c.want)
		}
	}
	if strings.Contains(scrape, `operation="Sneaky"`) {
		t.Error("an untrusted operation's name became a label")
	}
	if _, ok := metricValue(scrape, "go_goroutines", nil); !ok {
		t.Error("no Go runtime metrics")
	}

	// Store calls of a question, and a new load.
	call(t, h, "POST", "/graphql", persisted)
	g2 := *c.Graph
	g2.Version = "next-load"
	store.Replace(&learngraph.Curriculum{Graph: &g2, Findings: c.Findings, LoadedAt: c.LoadedAt})
	scrape = call(t, h, "GET", "/metrics", "").Body.String()
	if _, ok := metricValue(scrape, "learngraph_curriculum_info", map[string]string{"version": "next-load"}); !ok {
		t.Error("the new version is not reported")
	}
	if _, ok := metricValue(scrape, "learngraph_curriculum_info", map[string]string{"version": version}); ok {
		t.Error("the old version is still reported")
	}

	down := server.New(server.Config{}, downStore{}, slog.New(slog.DiscardHandler))
	call(t, down, "POST", "/graphql", query)
	scrape = call(t, down, "GET", "/metrics", "").Body.String()
	if got, _ := metricValue(scrape, "learngraph_store_up", nil); got != 0 {
		t.Errorf("learngraph_store_up %v with the store down", got)
	}
	if got, _ := metricValue(scrape, "learngraph_store_calls_total", map[string]string{"method": "Snapshot", "code": "UNAVAILABLE"}); got != 1 {
		t.Errorf("store calls that failed: %v, want 1", got)
	}
	if got, _ := metricValue(scrape, "learngraph_graphql_errors_total", map[string]string{"code": "UNAVAILABLE"}); got != 1 {
		t.Errorf("UNAVAILABLE errors: %v, want 1", got)
	}
}

// TestStoreMetricsByMethod checks that each snapshot method is counted
// under its own name.
func TestStoreMetricsByMethod(t *testing.T) {
	h := server.New(server.Config{}, seedStore(t), slog.New(slog.DiscardHandler))
	call(t, h, "POST", "/graphql", `{"query":"{ studyPlan(goal: \"GATs\") { steps { layer } } search(text: \"macro\") { score } concept(ref: \"GATs\") { crates { name } } }"}`)
	scrape := call(t, h, "GET", "/metrics", "").Body.String()
	for _, method := range []string{"StudyPlan", "Search", "Resolve", "Related"} {
		if got, _ := metricValue(scrape, "learngraph_store_calls_total", map[string]string{"method": method, "code": "OK"}); got < 1 {
			t.Errorf("store calls of %s: %v", method, got)
		}
	}
}
