// Package playground serves the GraphiQL playground from the binary: a
// small page of our own, and GraphiQL, React and ReactDOM vendored in dist/
// and embedded, so the playground works with no network at all. The
// vendored files are exactly the ones npm publishes; scripts/vendor-graphiql
// rebuilds them and records where each came from in dist/manifest.json.
//
// The page loads nothing from elsewhere, and its Content-Security-Policy
// says so: scripts, styles, fonts, images and requests from this server
// only (fonts and images also as data: URIs, which GraphiQL's CSS inlines).
package playground

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// AssetPath is where the playground's scripts, styles and licences are
// served; mount Assets under it.
const AssetPath = "/playground/"

//go:embed page.html static dist
var files embed.FS

// Playground serves the page and its assets. Build one with New; it is
// safe for concurrent use.
type Playground struct {
	title    string
	endpoint string
	page     *template.Template
	styles   []string // URLs, with the content version
	scripts  []string
	credits  []credit
	notices  string            // URL of the licences inside GraphiQL's bundle
	assets   map[string]*asset // by name under AssetPath
}

// asset is one embedded file, with its gzipped form made on first demand
// and kept: the vendored files come to 1.6 MB, 0.66 MB gzipped, and the playground
// should load fast without costing every server start a compression.
type asset struct {
	data        []byte
	contentType string
	version     string // a prefix of the SHA-256 of data; the URLs carry it
	etag        string

	gzipOnce sync.Once
	gz       []byte // nil when gzip does not make it smaller
}

// New returns the playground for the GraphQL endpoint at the URL path
// endpoint (on this server: the page's policy allows requests to its own
// origin only). title names the browser tab.
func New(title, endpoint string) *Playground {
	p := &Playground{
		title:    title,
		endpoint: endpoint,
		page:     template.Must(template.ParseFS(files, "page.html")),
		assets:   make(map[string]*asset),
	}
	add := func(name, file string) {
		data, err := fs.ReadFile(files, file)
		if err != nil {
			panic(fmt.Sprintf("playground: embedded %s: %v", file, err)) // the build embeds it; cannot happen
		}
		sum := sha256.Sum256(data)
		version := hex.EncodeToString(sum[:8])
		p.assets[name] = &asset{
			data:        data,
			contentType: contentType(name),
			version:     version,
			etag:        `"` + version + `"`,
		}
	}
	for _, name := range []string{"playground.js", "playground.css"} {
		add(name, "static/"+name)
	}
	err := fs.WalkDir(files, "dist", func(file string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Base(file) == "manifest.json" {
			return err
		}
		add(strings.TrimPrefix(file, "dist/"), file)
		return nil
	})
	if err != nil {
		panic(fmt.Sprintf("playground: embedded dist: %v", err))
	}
	for _, name := range []string{"graphiql.min.css", "playground.css"} {
		p.styles = append(p.styles, p.url(name))
	}
	// In load order: React before ReactDOM before GraphiQL (each UMD build
	// finds the ones before it as globals), and our own script last.
	for _, name := range []string{"react.production.min.js", "react-dom.production.min.js", "graphiql.min.js", "playground.js"} {
		p.scripts = append(p.scripts, p.url(name))
	}
	var manifest struct {
		Packages []struct{ Name, Version string }
	}
	data, err := fs.ReadFile(files, "dist/manifest.json")
	if err == nil {
		err = json.Unmarshal(data, &manifest)
	}
	if err != nil {
		panic(fmt.Sprintf("playground: embedded dist/manifest.json: %v", err))
	}
	for _, pkg := range manifest.Packages {
		p.credits = append(p.credits, credit{
			Name: pkg.Name, Version: pkg.Version,
			License: p.url("licenses/" + pkg.Name + ".LICENSE"),
		})
	}
	p.notices = p.url("licenses/graphiql-bundled.txt")
	return p
}

// url is the versioned URL of an embedded asset.
func (p *Playground) url(name string) string {
	a, ok := p.assets[name]
	if !ok {
		panic("playground: no embedded " + name + ": run scripts/vendor-graphiql")
	}
	return AssetPath + name + "?v=" + a.version
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	default: // the licences
		return "text/plain; charset=utf-8"
	}
}

// config is what the page hands our script, as JSON.
type config struct {
	Endpoint string    `json:"endpoint"`
	Examples []Example `json:"examples"`
	// StyleNonce lets GraphiQL's dialogs add their one <style> element
	// (react-remove-scroll reads it from __webpack_nonce__) under a policy
	// that refuses every other inline style.
	StyleNonce string `json:"styleNonce"`
	// Packages are the vendored packages, for the credits line.
	Packages []credit `json:"packages"`
	// Notices is the URL of the licences of what GraphiQL's bundle contains.
	Notices string `json:"notices"`
}

// credit names a vendored package and the URL of its licence.
type credit struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	License string `json:"license"`
}

// Page serves the HTML page. Each response has a fresh style nonce, so the
// page is never stored; the assets it names are.
func (p *Playground) Page() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		nonce := newNonce()
		var buf bytes.Buffer
		err := p.page.Execute(&buf, map[string]any{
			"Title":   p.title,
			"Styles":  p.styles,
			"Scripts": p.scripts,
			"Config": config{
				Endpoint:   p.endpoint,
				Examples:   Examples(),
				StyleNonce: nonce,
				Packages:   p.credits,
				Notices:    p.notices,
			},
		})
		if err != nil {
			http.Error(w, "the playground page could not be rendered", http.StatusInternalServerError)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		h.Set("Content-Security-Policy", policy(nonce))
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		_, _ = w.Write(buf.Bytes()) // the client went away; nothing to do
	})
}

// policy is the page's Content-Security-Policy: everything from this
// server only. GraphiQL needs no eval and no inline script; its CSS inlines
// its fonts and icons as data: URIs.
func policy(nonce string) string {
	return strings.Join([]string{
		"default-src 'none'",
		"script-src 'self'",
		"style-src 'self' 'nonce-" + nonce + "'",
		"img-src 'self' data:",
		"font-src 'self' data:",
		"connect-src 'self'",
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors 'none'",
	}, "; ")
}

func newNonce() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Assets serves the files under AssetPath. A request that names the
// current version (?v=, as the page's URLs do) may be cached for a year;
// any other is revalidated by ETag. Clients that accept gzip get it.
func (p *Playground) Assets() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := p.assets[strings.TrimPrefix(r.URL.Path, AssetPath)]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", a.contentType)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Add("Vary", "Accept-Encoding")
		if r.URL.Query().Get("v") == a.version {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		body, etag := a.data, a.etag
		if gz := a.gzipped(); gz != nil && acceptsGzip(r.Header.Get("Accept-Encoding")) {
			body, etag = gz, `"`+a.version+`-gzip"`
			h.Set("Content-Encoding", "gzip")
		}
		h.Set("ETag", etag)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
	})
}

func (a *asset) gzipped() []byte {
	a.gzipOnce.Do(func() {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // a valid level: no error
		_, _ = zw.Write(a.data)                                  // writes to memory cannot fail
		_ = zw.Close()
		if buf.Len() < len(a.data) {
			a.gz = buf.Bytes()
		}
	})
	return a.gz
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip: named
// with a q-value above zero, or not named and allowed by "*".
func acceptsGzip(header string) bool {
	gzipQ, starQ := -1.0, -1.0
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		q := 1.0
		for param := range strings.SplitSeq(params, ";") {
			k, v, _ := strings.Cut(param, "=")
			if strings.EqualFold(strings.TrimSpace(k), "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil {
					f = 0 // a q-value we cannot read allows nothing
				}
				q = f
			}
		}
		switch strings.ToLower(strings.TrimSpace(coding)) {
		case "gzip", "x-gzip":
			gzipQ = max(gzipQ, q)
		case "*":
			starQ = max(starQ, q)
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}
