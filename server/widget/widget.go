// Package widget serves /widget.js, the <learngraph-next-up> web component
// that another site embeds with one script tag to show what a reader should
// study next. The script has no dependencies and is embedded in the binary;
// it calls the GraphQL endpoint with an automatic persisted query, whose
// text and hash are the constants below (a test checks that widget.js
// carries the same).
package widget

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"net/http"
	"strings"
	"time"
)

// Path is where the script is served.
const Path = "/widget.js"

// Element is the custom element's tag name.
const Element = "learngraph-next-up"

// OperationName names the widget's query, so metrics and logs count it.
const OperationName = "LearngraphNextUp"

// Query is the one query the widget sends, exactly as widget.js holds it:
// its SHA-256 is the persisted query's id, so a single changed byte is
// another query.
const Query = `query LearngraphNextUp($known: [String!]!, $path: String, $first: Int = 5) { nextUp(known: $known, path: $path, first: $first) { concept { id name } reason crates(first: 8) { id name } } }`

// QueryHash is the hex SHA-256 of Query, as widget.js sends it in
// extensions.persistedQuery.sha256Hash.
const QueryHash = "1720f248aa0aaa0ac0b4c948353e19e4ca75a1307bcf91384c496ba10fd4253b"

//go:embed widget.js
var script []byte

// Script returns the widget's JavaScript.
func Script() []byte { return bytes.Clone(script) }

// maxAge is how long, in seconds, a browser or proxy may use the script
// without asking again: a day. Sites embed the unversioned URL, so a new
// release must reach them within a day; after that a revalidation costs a
// 304 thanks to the ETag. A URL with ?v= and the current version is
// immutable and may be kept a year.
const (
	maxAge          = "public, max-age=86400, stale-while-revalidate=604800"
	maxAgeVersioned = "public, max-age=31536000, immutable"
)

// handler serves the script, gzipped when the client takes it.
type handler struct {
	data, gz []byte
	version  string // a prefix of the SHA-256 of data
	etag     string
}

// Handler returns the handler of GET (and HEAD) Path. It is safe for
// concurrent use.
func Handler() http.Handler {
	h := &handler{data: script, version: Version()}
	h.etag = `"` + h.version + `"`
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // the level is valid
	_, _ = zw.Write(script)                                  // writes to memory do not fail
	if zw.Close() == nil && buf.Len() < len(script) {
		h.gz = buf.Bytes()
	}
	return h
}

// Version is the content version of the script: Path+"?v="+Version() is a
// URL that may be cached for a year.
func Version() string {
	sum := sha256.Sum256(script)
	return hex.EncodeToString(sum[:8])
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	header := w.Header()
	header.Set("Content-Type", "text/javascript; charset=utf-8")
	header.Set("X-Content-Type-Options", "nosniff")
	// Pages of any origin load the script, also those that isolate
	// themselves (Cross-Origin-Embedder-Policy) or check it with
	// Subresource Integrity, which needs a CORS read. It carries no
	// secrets and is the same for everybody.
	header.Set("Cross-Origin-Resource-Policy", "cross-origin")
	header.Set("Access-Control-Allow-Origin", "*")
	header.Add("Vary", "Accept-Encoding")
	if r.URL.Query().Get("v") == h.version {
		header.Set("Cache-Control", maxAgeVersioned)
	} else {
		header.Set("Cache-Control", maxAge)
	}
	// One ETag for both encodings would let a cache hand a gzipped body
	// to a client that did not ask for it; a weak suffix tells them apart.
	body, etag := h.data, h.etag
	if h.gz != nil && acceptsGzip(r.Header.Get("Accept-Encoding")) {
		body, etag = h.gz, `"`+h.version+`-gzip"`
		header.Set("Content-Encoding", "gzip")
	}
	header.Set("ETag", etag)
	if match := r.Header.Get("If-None-Match"); match != "" && etagMatches(match, etag) {
		header.Del("Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// acceptsGzip reports whether an Accept-Encoding header takes gzip (and
// does not refuse it with q=0).
func acceptsGzip(ae string) bool {
	for part := range strings.SplitSeq(ae, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

// etagMatches reports whether If-None-Match names etag (weak comparison,
// as RFC 9110 asks for If-None-Match) or is "*".
func etagMatches(header, etag string) bool {
	for tag := range strings.SplitSeq(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == etag {
			return true
		}
	}
	return false
}
