package widget_test

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"learngraph/server/widget"
)

// jsString finds `var NAME = "…";` in widget.js and returns its value as
// JavaScript reads it.
func jsString(t *testing.T, src, name string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^\s*var ` + name + ` = ("(?:[^"\\]|\\.)*");$`).FindStringSubmatch(src)
	if m == nil {
		t.Fatalf("widget.js has no `var %s = \"…\";`", name)
	}
	// The widget's strings use no escapes beyond Go's; Unquote reads them.
	s, err := strconv.Unquote(m[1])
	if err != nil {
		t.Fatalf("%s in widget.js: %v", name, err)
	}
	return s
}

func TestQueryHash(t *testing.T) {
	src := string(widget.Script())
	sum := sha256.Sum256([]byte(widget.Query))
	if got := hex.EncodeToString(sum[:]); got != widget.QueryHash {
		t.Errorf("sha256(widget.Query) = %s, QueryHash is %s", got, widget.QueryHash)
	}
	if got := jsString(t, src, "QUERY"); got != widget.Query {
		t.Errorf("widget.js QUERY is\n%s\nwant widget.Query\n%s", got, widget.Query)
	}
	if got := jsString(t, src, "QUERY_HASH"); got != widget.QueryHash {
		t.Errorf("widget.js QUERY_HASH is %s, want %s (the SHA-256 of its QUERY)", got, widget.QueryHash)
	}
	if got := jsString(t, src, "OPERATION"); got != widget.OperationName {
		t.Errorf("widget.js OPERATION is %s, want %s", got, widget.OperationName)
	}
	if got := jsString(t, src, "TAG"); got != widget.Element {
		t.Errorf("widget.js TAG is %s, want %s", got, widget.Element)
	}
	if !strings.Contains(widget.Query, "query "+widget.OperationName+"(") {
		t.Errorf("the query is not named %s", widget.OperationName)
	}
}

// TestScriptIsCSPSafe guards what a strict Content-Security-Policy on the
// host page would refuse, and what would let API text become markup.
func TestScriptIsCSPSafe(t *testing.T) {
	src := string(widget.Script())
	for _, bad := range []string{"eval(", "new Function", "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", ".style.", "setAttribute(\"style\"", "import("} {
		if strings.Contains(src, bad) {
			t.Errorf("widget.js uses %q", bad)
		}
	}
	if !strings.Contains(src, "adoptedStyleSheets") {
		t.Error("widget.js no longer adopts a constructed stylesheet")
	}
}

func serve(t *testing.T, target string, header ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest("GET", target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	widget.Handler().ServeHTTP(rec, req)
	return rec.Result()
}

func TestHandler(t *testing.T) {
	want := widget.Script()
	tests := []struct {
		name       string
		target     string
		header     []string
		status     int
		encoding   string
		cache      string
		etagSuffix string
	}{
		{name: "Plain", target: "/widget.js", status: 200, cache: "public, max-age=86400, stale-while-revalidate=604800", etagSuffix: `"`},
		{name: "Gzip", target: "/widget.js", header: []string{"Accept-Encoding", "br, gzip"}, status: 200, encoding: "gzip", cache: "public, max-age=86400", etagSuffix: `-gzip"`},
		{name: "GzipRefused", target: "/widget.js", header: []string{"Accept-Encoding", "gzip;q=0"}, status: 200, cache: "public, max-age=86400", etagSuffix: `"`},
		{name: "Versioned", target: "/widget.js?v=" + widget.Version(), status: 200, cache: "public, max-age=31536000, immutable", etagSuffix: `"`},
		{name: "OtherVersion", target: "/widget.js?v=0000", status: 200, cache: "public, max-age=86400", etagSuffix: `"`},
		{name: "NotModified", target: "/widget.js", header: []string{"If-None-Match", `W/"x", "` + widget.Version() + `"`}, status: 304, cache: "public, max-age=86400", etagSuffix: `"`},
		{name: "NotModifiedGzip", target: "/widget.js", header: []string{"If-None-Match", `"` + widget.Version() + `-gzip"`, "Accept-Encoding", "gzip"}, status: 304, cache: "public, max-age=86400", etagSuffix: `-gzip"`},
		{name: "StaleETag", target: "/widget.js", header: []string{"If-None-Match", `"old"`}, status: 200, cache: "public, max-age=86400", etagSuffix: `"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := serve(t, tt.target, tt.header...)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			h := resp.Header
			if got := h.Get("Cache-Control"); !strings.HasPrefix(got, tt.cache) {
				t.Errorf("Cache-Control %q, want %q", got, tt.cache)
			}
			if got, want := h.Get("ETag"), `"`+widget.Version(); !strings.HasPrefix(got, want) || !strings.HasSuffix(got, tt.etagSuffix) || len(got) != len(want)+len(tt.etagSuffix) {
				t.Errorf("ETag %q, want %s…%s", got, want, tt.etagSuffix)
			}
			if tt.status == 304 {
				return
			}
			if got := h.Get("Content-Type"); got != "text/javascript; charset=utf-8" {
				t.Errorf("Content-Type %q", got)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Cross-Origin-Resource-Policy") != "cross-origin" {
				t.Errorf("headers %v", h)
			}
			if got := h.Get("Content-Encoding"); got != tt.encoding {
				t.Fatalf("Content-Encoding %q, want %q", got, tt.encoding)
			}
			var r io.Reader = resp.Body
			if tt.encoding == "gzip" {
				zr, err := gzip.NewReader(resp.Body)
				if err != nil {
					t.Fatal(err)
				}
				r = zr
			}
			got, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Errorf("body is %d bytes, want the %d of widget.js", len(got), len(want))
			}
		})
	}
}
