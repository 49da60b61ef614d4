package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeFlagsRefused checks that serve refuses, before it loads
// anything, flags and variables it cannot use, naming them.
func TestServeFlagsRefused(t *testing.T) {
	tests := []struct {
		name   string
		env    map[string]string
		args   []string
		stderr string
	}{
		{"ZeroDepth", nil, []string{"--max-depth", "0"}, "--max-depth must be at least 1"},
		{"NegativeComplexity", nil, []string{"--max-complexity=-5"}, "--max-complexity must be at least 1"},
		{"BadEnvInt", map[string]string{"LEARNGRAPH_MAX_FIRST": "many"}, nil, `LEARNGRAPH_MAX_FIRST="many"`},
		{"BadEnvDuration", map[string]string{"LEARNGRAPH_TIMEOUT": "10"}, nil, "LEARNGRAPH_TIMEOUT"},
		{"BadEnvBool", map[string]string{"LEARNGRAPH_INTROSPECTION": "maybe"}, nil, "LEARNGRAPH_INTROSPECTION"},
		{"ZeroTimeout", nil, []string{"--timeout", "0s"}, "--timeout must be positive"},
		{"NegativeRate", nil, []string{"--rate-limit", "-1"}, "must not be negative"},
		{"BadOrigin", nil, []string{"--cors-origins", "https://ok.example,app.example.com"}, `CORS origin "app.example.com"`},
		{"MissingTrustedDocuments", nil, []string{"--trusted-documents", "testdata/nope.json"}, "--trusted-documents"},
		{"BadTrustedDocuments", map[string]string{"LEARNGRAPH_TRUSTED_DOCUMENTS": writeFile(t, "bad.json", `{"abc": "{ curriculum { version } }"}`)}, nil,
			"is not the SHA-256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, tt.env, append([]string{"serve", "--addr", "127.0.0.1:0"}, tt.args...)...)
			if code != exitUsage || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, exitUsage, tt.stderr)
			}
		})
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestServeFlagsApplied starts serve with limits, CORS and trusted
// documents set by flags and variables, and checks that the server
// applies them.
func TestServeFlagsApplied(t *testing.T) {
	const widget = `query Widget { curriculum { version } }`
	sum := sha256.Sum256([]byte(widget))
	hash := hex.EncodeToString(sum[:])
	manifest, _ := json.Marshal(map[string]string{hash: widget})
	s := startServe(t, map[string]string{
		"LEARNGRAPH_ADDR":              "127.0.0.1:0",
		"LEARNGRAPH_CORS_ORIGINS":      "https://app.example.com",
		"LEARNGRAPH_TRUSTED_DOCUMENTS": writeFile(t, "trusted.json", string(manifest)),
	}, "--cache-max-age", "2m")

	get := func(params url.Values, headers ...string) *http.Response {
		t.Helper()
		req, _ := http.NewRequestWithContext(t.Context(), "GET", s.url+"/graphql?"+params.Encode(), nil)
		for _, h := range headers {
			name, value, _ := strings.Cut(h, ": ")
			req.Header.Set(name, value)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	ok := get(url.Values{"extensions": {`{"persistedQuery":{"version":1,"sha256Hash":"` + hash + `"}}`}}, "Origin: https://app.example.com")
	if ok.StatusCode != 200 || ok.Header.Get("Cache-Control") != "public, max-age=120" ||
		ok.Header.Get("Access-Control-Allow-Origin") != "https://app.example.com" || ok.Header.Get("X-Request-Id") == "" {
		t.Errorf("trusted document by GET: status %d, headers %v", ok.StatusCode, ok.Header)
	}
	if refused := get(url.Values{"query": {`{ curriculum { version } }`}}); refused.StatusCode != http.StatusForbidden {
		t.Errorf("an untrusted document: status %d, want 403", refused.StatusCode)
	}
	if code, body := s.get(t, "/metrics"); code != 200 || !strings.Contains(body, `learngraph_graphql_requests_total{operation="Widget",status="200"} 1`) {
		t.Errorf("/metrics %d:\n%s", code, body)
	}
}
