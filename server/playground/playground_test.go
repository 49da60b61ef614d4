package playground_test

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"learngraph"
	"learngraph/inmem"
	"learngraph/loader"
	"learngraph/seeds"
	"learngraph/server"
	"learngraph/server/playground"
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

func get(t *testing.T, h http.Handler, target string, header ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest("GET", target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// pageConfig is what the page hands the playground's script.
type pageConfig struct {
	Endpoint   string
	Examples   []playground.Example
	StyleNonce string
	Packages   []struct{ Name, Version, License string }
	Notices    string
}

func loadPage(t *testing.T, h http.Handler) (*http.Response, string, pageConfig) {
	t.Helper()
	resp := get(t, h, "/")
	html := body(t, resp)
	m := regexp.MustCompile(`(?s)<script id="learngraph-config" type="application/json">(.*?)</script>`).FindStringSubmatch(html)
	if m == nil {
		t.Fatalf("no config in the page:\n%s", html)
	}
	var cfg pageConfig
	if err := json.Unmarshal([]byte(m[1]), &cfg); err != nil {
		t.Fatalf("config %s: %v", m[1], err)
	}
	return resp, html, cfg
}

func TestPage(t *testing.T) {
	h := server.New(server.Config{}, seedStore(t), slog.New(slog.DiscardHandler))
	resp, html, cfg := loadPage(t, h)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for k, want := range map[string]string{
		"Content-Type":           "text/html; charset=utf-8",
		"Cache-Control":          "no-store",
		"X-Content-Type-Options": "nosniff",
	} {
		if got := resp.Header.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}

	// The policy allows this server only, no eval and no inline script.
	csp := resp.Header.Get("Content-Security-Policy")
	directives := map[string]string{}
	for d := range strings.SplitSeq(csp, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		directives[name] = value
	}
	for name, want := range map[string]string{
		"default-src":     "'none'",
		"script-src":      "'self'",
		"style-src":       "'self' 'nonce-" + cfg.StyleNonce + "'",
		"connect-src":     "'self'",
		"img-src":         "'self' data:",
		"font-src":        "'self' data:",
		"base-uri":        "'none'",
		"frame-ancestors": "'none'",
	} {
		if got := directives[name]; got != want {
			t.Errorf("Content-Security-Policy %s %q, want %q (policy %q)", name, got, want, csp)
		}
	}
	for _, bad := range []string{"http:", "https:", "*", "unsafe-eval", "unsafe-inline"} {
		if strings.Contains(csp, bad) {
			t.Errorf("Content-Security-Policy allows %s: %q", bad, csp)
		}
	}
	if len(cfg.StyleNonce) < 16 {
		t.Errorf("style nonce %q is too short", cfg.StyleNonce)
	}
	if _, _, again := loadPage(t, h); again.StyleNonce == cfg.StyleNonce {
		t.Error("two pages got the same style nonce")
	}

	// Every URL of the page is on this server, under /playground/, with
	// its content version; and each one answers.
	urls := regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(html, -1)
	if len(urls) < 6 {
		t.Fatalf("the page names %d URLs, want the 4 scripts and 2 styles:\n%s", len(urls), html)
	}
	for _, u := range urls {
		link := strings.ReplaceAll(u[1], "&amp;", "&")
		if link == "data:," { // the empty favicon, so the browser asks for none
			continue
		}
		if !strings.HasPrefix(link, playground.AssetPath) || !strings.Contains(link, "?v=") {
			t.Errorf("the page loads %q, want a versioned URL under %s", link, playground.AssetPath)
			continue
		}
		if resp := get(t, h, link); resp.StatusCode != 200 {
			t.Errorf("GET %s: %d", link, resp.StatusCode)
		}
	}
	for _, name := range []string{"react.production.min.js", "react-dom.production.min.js", "graphiql.min.js", "graphiql.min.css", "playground.js", "playground.css"} {
		if !strings.Contains(html, playground.AssetPath+name+"?v=") {
			t.Errorf("the page does not load %s", name)
		}
	}

	if cfg.Endpoint != "/graphql" {
		t.Errorf("endpoint %q, want /graphql", cfg.Endpoint)
	}
	if !slices.Equal(cfg.Examples, playground.Examples()) {
		t.Errorf("the page's examples differ from Examples()")
	}
	var names []string
	for _, p := range cfg.Packages {
		names = append(names, p.Name+"@"+p.Version)
		if resp := get(t, h, p.License); resp.StatusCode != 200 || !strings.Contains(body(t, resp), "MIT License") {
			t.Errorf("licence of %s at %s: %d", p.Name, p.License, resp.StatusCode)
		}
	}
	if got, want := strings.Join(names, " "), "graphiql@4.1.2 react@18.3.1 react-dom@18.3.1"; got != want {
		t.Errorf("credits %q, want %q", got, want)
	}
	if resp := get(t, h, cfg.Notices); resp.StatusCode != 200 || !strings.Contains(body(t, resp), "codemirror@") {
		t.Errorf("bundled licences at %s: %d", cfg.Notices, resp.StatusCode)
	}
}

func TestAssets(t *testing.T) {
	pg := playground.New("test", "/graphql")
	h := pg.Assets()
	raw, err := os.ReadFile("dist/react.production.min.js")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(raw)
	version := hex.EncodeToString(sum[:8])
	versioned := playground.AssetPath + "react.production.min.js?v=" + version
	unversioned := playground.AssetPath + "react.production.min.js"

	tests := []struct {
		name     string
		target   string
		header   []string
		status   int
		encoding string // Content-Encoding
		cache    string // Cache-Control
	}{
		{"Versioned", versioned, nil, 200, "", "public, max-age=31536000, immutable"},
		{"OldVersion", unversioned + "?v=0123456789abcdef", nil, 200, "", "no-cache"},
		{"Unversioned", unversioned, nil, 200, "", "no-cache"},
		{"Gzip", versioned, []string{"Accept-Encoding", "gzip, deflate, br"}, 200, "gzip", "public, max-age=31536000, immutable"},
		{"GzipRefused", versioned, []string{"Accept-Encoding", "gzip;q=0, deflate"}, 200, "", "public, max-age=31536000, immutable"},
		{"NotModified", versioned, []string{"If-None-Match", `"` + version + `"`}, 304, "", "public, max-age=31536000, immutable"},
		{"NotModifiedGzip", versioned, []string{"Accept-Encoding", "gzip", "If-None-Match", `"` + version + `-gzip"`}, 304, "", "public, max-age=31536000, immutable"},
		{"StaleETag", versioned, []string{"If-None-Match", `"0123456789abcdef"`}, 200, "", "public, max-age=31536000, immutable"},
		{"NotFound", playground.AssetPath + "nope.js", nil, 404, "", ""},
		{"Manifest", playground.AssetPath + "manifest.json", nil, 404, "", ""},
		{"Traversal", playground.AssetPath + "../page.html", nil, 404, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := get(t, h, tt.target, tt.header...)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if got := resp.Header.Get("Content-Encoding"); got != tt.encoding {
				t.Errorf("Content-Encoding %q, want %q", got, tt.encoding)
			}
			if tt.status == 404 {
				return
			}
			if got := resp.Header.Get("Cache-Control"); got != tt.cache {
				t.Errorf("Cache-Control %q, want %q", got, tt.cache)
			}
			if got := resp.Header.Get("Vary"); got != "Accept-Encoding" {
				t.Errorf("Vary %q", got)
			}
			if tt.status != 200 {
				return
			}
			if got := resp.Header.Get("Content-Type"); got != "text/javascript; charset=utf-8" {
				t.Errorf("Content-Type %q", got)
			}
			b := []byte(body(t, resp))
			if tt.encoding == "gzip" {
				zr, err := gzip.NewReader(bytes.NewReader(b))
				if err != nil {
					t.Fatal(err)
				}
				if b, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Equal(b, raw) {
				t.Errorf("served %d bytes that differ from the vendored file", len(b))
			}
		})
	}
}

// TestManifest checks the served files against the manifest that
// scripts/vendor-graphiql wrote, so a hand-edited or truncated vendored
// file fails here.
func TestManifest(t *testing.T) {
	data, err := os.ReadFile("dist/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var manifest struct {
		Files []struct {
			File   string
			Bytes  int
			SHA256 string
		}
	}
	if err := json.Unmarshal(data, &manifest); err != nil {
		t.Fatal(err)
	}
	h := playground.New("test", "/graphql").Assets()
	listed := map[string]bool{}
	for _, f := range manifest.Files {
		listed[f.File] = true
		resp := get(t, h, playground.AssetPath+f.File)
		b := []byte(body(t, resp))
		sum := sha256.Sum256(b)
		if resp.StatusCode != 200 || len(b) != f.Bytes || hex.EncodeToString(sum[:]) != f.SHA256 {
			t.Errorf("%s: status %d, %d bytes, sha256 %x; the manifest says %d bytes, %s",
				f.File, resp.StatusCode, len(b), sum, f.Bytes, f.SHA256)
		}
	}
	for _, want := range []string{"graphiql.min.js", "graphiql.min.css", "react.production.min.js", "react-dom.production.min.js",
		"licenses/graphiql.LICENSE", "licenses/react.LICENSE", "licenses/react-dom.LICENSE", "licenses/graphiql-bundled.txt"} {
		if !listed[want] {
			t.Errorf("the manifest does not list %s", want)
		}
	}
}

// normalize drops GraphQL comments and runs of white space, so a query
// laid out for the editor compares equal to the README's.
func normalize(q string) string {
	var lines []string
	for line := range strings.SplitSeq(q, "\n") {
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		lines = append(lines, line)
	}
	return strings.Join(strings.Fields(strings.Join(lines, " ")), " ")
}

// TestExamples keeps the playground's examples the README's questions, and
// runs each against the seed through the server.
func TestExamples(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var inReadme []string
	for _, m := range regexp.MustCompile("(?s)```graphql\n(.*?)```").FindAllStringSubmatch(string(readme), -1) {
		inReadme = append(inReadme, normalize(m[1]))
	}
	examples := playground.Examples()
	var inPlayground []string
	for _, e := range examples {
		inPlayground = append(inPlayground, normalize(e.Query))
	}
	if !slices.Equal(inPlayground, inReadme) {
		t.Errorf("the playground's examples are not the README's questions:\nplayground:\n%s\nREADME:\n%s",
			strings.Join(inPlayground, "\n"), strings.Join(inReadme, "\n"))
	}
	if !strings.Contains(examples[0].Query, `studyPlan(goal: "GATs")`) {
		t.Errorf("the first example, the playground's default query, is not the GATs plan:\n%s", examples[0].Query)
	}

	h := server.New(server.Config{}, seedStore(t), slog.New(slog.DiscardHandler))
	for _, e := range examples {
		t.Run(e.Title, func(t *testing.T) {
			if e.Title == "" || !strings.HasSuffix(e.Title, "?") {
				t.Errorf("title %q is not a question", e.Title)
			}
			reqBody, _ := json.Marshal(map[string]string{"query": e.Query})
			req := httptest.NewRequest("POST", "/graphql", bytes.NewReader(reqBody))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			var resp struct {
				Data   map[string]any
				Errors []any
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || rec.Code != 200 || len(resp.Errors) > 0 || len(resp.Data) == 0 {
				t.Errorf("status %d: %s", rec.Code, rec.Body)
			}
		})
	}
}

func TestAcceptsGzip(t *testing.T) {
	// Through the handler: acceptsGzip is unexported, and what matters is
	// whether the answer is gzipped.
	h := playground.New("test", "/graphql").Assets()
	tests := []struct {
		header string
		gzip   bool
	}{
		{"", false},
		{"gzip", true},
		{"GZIP", true},
		{"deflate, gzip;q=0.5", true},
		{"gzip;q=0", false},
		{"gzip; q=0.000", false},
		{"*", true},
		{"*;q=0", false},
		{"*, gzip;q=0", false},
		{"*;q=0, gzip", true},
		{"br, deflate", false},
		{"x-gzip", true},
		{"gzip;q=oops", false},
	}
	for _, tt := range tests {
		resp := get(t, h, playground.AssetPath+"graphiql.min.css", "Accept-Encoding", tt.header)
		if got := resp.Header.Get("Content-Encoding") == "gzip"; got != tt.gzip {
			t.Errorf("Accept-Encoding %q: gzipped %v, want %v", tt.header, got, tt.gzip)
		}
	}
}
