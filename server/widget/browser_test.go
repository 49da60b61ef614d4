package widget_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"learngraph"
	"learngraph/inmem"
	"learngraph/internal/browsertest"
	"learngraph/loader"
	"learngraph/seeds"
	"learngraph/server"
	"learngraph/server/widget"
)

// The browser test embeds the widget in pages of two other origins, as a
// site would, and drives them in a real headless Chromium. It follows the
// playground's browser test: LEARNGRAPH_CHROMIUM names the browser (the
// test skips without it unless LEARNGRAPH_REQUIRE_BROWSER=1), and
// screenshots go to LEARNGRAPH_ARTIFACTS, or to learngraph-test-artifacts
// in the temporary directory.

const browserTimeout = 60 * time.Second

// known is what the pages say the reader knows.
var known = []string{"ownership", "lifetimes", "traits", "async/await"}

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

// hostPage serves the page a site would write: the two lines of the
// README (and a second widget when down is a server's origin), under a strict Content-Security-Policy that allows scripts and
// requests to the learngraph server only and no inline style or script,
// so the test also shows the widget needs nothing more.
func hostPage(api, down string) http.Handler {
	extra, connect := "", api
	if down != "" {
		// A second widget, pointed at a server that is down; the page
		// allows requests to it, as a site allows its configured server.
		extra = fmt.Sprintf(`<learngraph-next-up known="ownership" endpoint="%s/graphql"></learngraph-next-up>`, down)
		connect += " " + down
	}
	page := fmt.Sprintf(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>A course site</title></head>
<body>
<h1>My Rust course</h1>
<script src="%s/widget.js"></script>
<learngraph-next-up known="%s"></learngraph-next-up>
%s
</body>
</html>`, api, html.EscapeString(strings.Join(known, ",")), extra)
	csp := fmt.Sprintf("default-src 'none'; script-src %s; connect-src %s; style-src 'self'; img-src 'self'", api, connect)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			w.WriteHeader(http.StatusNoContent) // the favicon
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", csp)
		_, _ = w.Write([]byte(page))
	})
}

// nextUpNames asks the server, in process, the widget's own query for the
// pages' known list, and returns the names of the concepts it recommends.
func nextUpNames(t *testing.T, h http.Handler) []string {
	t.Helper()
	body, _ := json.Marshal(map[string]any{
		"query":     widget.Query,
		"variables": map[string]any{"known": known},
	})
	req := httptest.NewRequest("POST", "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var resp struct {
		Data struct {
			NextUp []struct {
				Concept struct{ Name string }
			}
		}
		Errors []any
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || len(resp.Errors) > 0 || len(resp.Data.NextUp) == 0 {
		t.Fatalf("nextUp in process: %v\n%s", err, rec.Body.String())
	}
	var names []string
	for _, r := range resp.Data.NextUp {
		names = append(names, r.Concept.Name)
	}
	return names
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

// shown is what a widget on the page shows, read through its shadow root.
type shown struct {
	State   string
	Status  string
	Names   []string
	Reasons []string
	Crates  []string
}

// readWidget is JavaScript that returns the shown of the n-th widget on
// the page, with State "" until it has one.
func readWidget(n int) string {
	return fmt.Sprintf(`(function () {
  var w = document.querySelectorAll(%q)[%d];
  if (!w || !w.shadowRoot) return {State: ""};
  var all = function (sel) { return Array.from(w.shadowRoot.querySelectorAll(sel)).map(function (e) { return e.textContent; }); };
  return {
    State: w.getAttribute("data-state") || "",
    Status: (w.shadowRoot.querySelector(".status") || {}).textContent || "",
    Names: all(".rec .name"), Reasons: all(".rec .reason"), Crates: all(".rec .crate")
  };
})()`, widget.Element, n)
}

// lines collects strings from event goroutines.
type lines struct {
	mu sync.Mutex
	l  []string
}

func (l *lines) add(s string) { l.mu.Lock(); l.l = append(l.l, s); l.mu.Unlock() }
func (l *lines) list() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.l)
}
func (l *lines) reset() { l.mu.Lock(); l.l = nil; l.mu.Unlock() }

// TestWidgetInBrowser embeds the widget in a page of an allowed origin,
// which shows the server's recommendations, and of an origin the server
// does not allow, whose widget shows none and says why; a widget pointed
// at a server that is down says that instead.
func TestWidgetInBrowser(t *testing.T) {
	start := time.Now()

	// Origins A and B are two page servers on 127.0.0.1 (another port is
	// another origin); the API allows A only.
	// The API's address is known before it starts, the pages need it;
	// its handler needs origin A's.
	api := httptest.NewUnstartedServer(nil)
	defer api.Close()
	apiURL := "http://" + api.Listener.Addr().String()
	a := httptest.NewServer(hostPage(apiURL, "http://"+closedPort(t)))
	defer a.Close()
	b := httptest.NewServer(hostPage(apiURL, ""))
	defer b.Close()
	handler := server.New(server.Config{CORSOrigins: []string{a.URL}}, seedStore(t), slog.New(slog.DiscardHandler))
	api.Config.Handler = handler
	api.Start()
	want := nextUpNames(t, handler)

	browser := browsertest.Start(t, 900, 1000, "widget-failure.png")
	// The browser lives as long as the test; each step gets a deadline
	// of its own from ctx, so a failure can still take a screenshot.
	browserCtx := browser.Ctx
	ctx, cancel := context.WithTimeout(browserCtx, browserTimeout)
	defer cancel()
	shoot := browser.Screenshot

	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	// The host pages' policy must not refuse anything the widget does.
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " refused " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
});`,
	}); err != nil {
		t.Fatal(err)
	}
	var consoleErrors lines
	console := chromedp.Console(ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				consoleErrors.add(string(m.Type) + ": " + m.Text)
			}
		}
	}()

	// wait waits until the n-th widget on the page has left loading.
	wait := func(n int) shown {
		t.Helper()
		js := fmt.Sprintf(`(function () { var s = %s; return s.State && s.State !== "loading" ? s : null; })()`, readWidget(n))
		got, err := chromedp.Run(ctx, chromedp.Poll[shown](js, chromedp.WithPollingInterval(50*time.Millisecond)))
		if err != nil {
			t.Fatalf("widget %d did not finish loading: %v", n, err)
		}
		return got
	}
	noViolations := func(where string) {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__cspViolations`))
		if err != nil {
			t.Fatal(err)
		}
		if len(v) > 0 {
			t.Errorf("%s: the host page's Content-Security-Policy refused:\n%s", where, strings.Join(v, "\n"))
		}
	}

	// Origin A: the recommendations, as the API gives them.
	if err := chromedp.Do(ctx, chromedp.Navigate(a.URL+"/")); err != nil {
		t.Fatal(err)
	}
	got := wait(0)
	if got.State != "ready" {
		t.Fatalf("on the allowed origin the widget is %q: %q", got.State, got.Status)
	}
	if !slices.Equal(got.Names, want) {
		t.Errorf("on the allowed origin the widget shows\n%q\nwant nextUp's\n%q", got.Names, want)
	}
	if len(got.Reasons) != len(want) || slices.Contains(got.Reasons, "") {
		t.Errorf("the widget shows reasons %q, want one for each recommendation", got.Reasons)
	}
	if !slices.Contains(got.Crates, "tokio") {
		t.Errorf("the widget shows crates %q, want tokio (basic Tokio usage uses it)", got.Crates)
	}
	if got.Status != "" {
		t.Errorf("the widget shows the message %q beside its recommendations", got.Status)
	}
	// Styled by its adopted stylesheet, which the page's policy allows.
	color, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("learngraph-next-up").shadowRoot.querySelector(".name")).color`))
	if err != nil || color != "rgb(11, 92, 173)" {
		t.Errorf("a concept name's colour is %q (%v), want the widget's accent rgb(11, 92, 173)", color, err)
	}
	// The second widget's server is down.
	down := wait(1)
	if down.State != "unavailable" || len(down.Names) > 0 || !strings.Contains(down.Status, "could not be reached") {
		t.Errorf("with its server down the widget is %q and shows %q and %q", down.State, down.Names, down.Status)
	}
	noViolations("origin A")
	shoot("widget-allowed.png")
	for _, e := range consoleErrors.list() {
		// The browser logs the refused connection of the second widget.
		if !strings.Contains(e, "ERR_CONNECTION_REFUSED") {
			t.Errorf("the browser console on the allowed origin has errors: %s", e)
		}
	}
	consoleErrors.reset()

	// Origin B: refused by the API's CORS policy. The widget shows no
	// recommendations and says the site is not allowed.
	if err := chromedp.Do(ctx, chromedp.Navigate(b.URL+"/")); err != nil {
		t.Fatal(err)
	}
	got = wait(0)
	if got.State != "refused" {
		t.Errorf("on an origin the server does not allow the widget is %q, want refused (%q)", got.State, got.Status)
	}
	if len(got.Names) > 0 {
		t.Errorf("on an origin the server does not allow the widget shows %q", got.Names)
	}
	if !strings.Contains(got.Status, "does not allow this site") {
		t.Errorf("on an origin the server does not allow the widget says %q", got.Status)
	}
	noViolations("origin B")
	shoot("widget-refused.png")
	// The browser's own report of the refusal shows the test saw CORS at
	// work rather than some other failure.
	if errs := consoleErrors.list(); !slices.ContainsFunc(errs, func(s string) bool { return strings.Contains(s, "CORS") }) {
		t.Errorf("no CORS refusal in the browser console on origin B: %q", errs)
	}
	// The widget sent its query's hash first; only the very first request
	// found it unknown and registered the text, later ones (origin B's)
	// ran by hash.
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	metrics := rec.Body.String()
	if want := `learngraph_graphql_errors_total{code="PERSISTED_QUERY_NOT_FOUND"} 1` + "\n"; !strings.Contains(metrics, want) {
		t.Errorf("/metrics has no %q: the widget did not use the persisted query as it should", strings.TrimSpace(want))
	}
	if !strings.Contains(metrics, `operation="`+widget.OperationName+`"`) {
		t.Errorf("/metrics counts no %s operation", widget.OperationName)
	}
	t.Logf("browser scenario took %v", time.Since(start).Round(time.Millisecond))
}
