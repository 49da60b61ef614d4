package playground_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"learngraph/internal/browsertest"
	"learngraph/server"
)

// The browser tests drive the playground in a real, headless Chromium.
// LEARNGRAPH_CHROMIUM names its executable (scripts/chromium installs
// Debian's and prints the path); without it they skip, unless
// LEARNGRAPH_REQUIRE_BROWSER=1 (as scripts/test sets), which makes a
// missing browser a failure. Screenshots go to LEARNGRAPH_ARTIFACTS, or to
// learngraph-test-artifacts in the temporary directory.

// browserTimeout bounds the whole scenario: Chromium starts in about a
// second and the playground loads in a few, even under -race on a small
// machine.
const browserTimeout = 60 * time.Second

// offsite records the requests the page tried to make to any other origin
// than the server's. The test blocks them all; there must be none.
type offsite struct {
	mu   sync.Mutex
	urls []string
}

func (o *offsite) add(u string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.urls = append(o.urls, u)
}

func (o *offsite) list() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.urls...)
}

// TestPlaygroundInBrowser loads the playground from the real server
// handler with every other origin blocked, runs the default query with the
// run button, checks that the GATs plan shows, and that another example is
// a click away.
func TestPlaygroundInBrowser(t *testing.T) {
	start := time.Now()

	srv := httptest.NewServer(server.New(server.Config{}, seedStore(t), slog.New(slog.DiscardHandler)))
	defer srv.Close()
	origin := srv.URL // http://127.0.0.1:PORT

	b := browsertest.Start(t, 1400, 900, "playground-failure.png")
	// The browser lives as long as the test; each step gets a deadline
	// of its own from ctx, so a failure can still take a screenshot.
	browserCtx := b.Ctx
	ctx, cancel := context.WithTimeout(browserCtx, browserTimeout)
	defer cancel()
	shoot := b.Screenshot

	// Start the browser and the tab, then intercept every request before
	// anything loads: the server's own go on, any other is recorded and
	// failed. Network events are a second record, which also sees what
	// interception would not (WebSockets).
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	var blocked, seen offsite
	paused := chromedp.Events(ctx, fetch.RequestPaused)
	requests := chromedp.Events(ctx, network.RequestWillBeSent)
	sockets := chromedp.Events(ctx, network.WebSocketCreated)
	sameOrigin := func(raw string) bool {
		u, err := url.Parse(raw)
		return err == nil && u.Scheme+"://"+u.Host == origin
	}
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			if sameOrigin(ev.Request.URL) {
				_, _ = chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
				continue
			}
			blocked.add(ev.Request.URL)
			_, _ = chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{
				RequestID: ev.RequestID, ErrorReason: network.ErrorReasonBlockedByClient,
			})
		}
	}()
	go func() {
		for ev, err := range requests {
			if err != nil {
				return
			}
			if u := ev.Request.URL; !sameOrigin(u) && !strings.HasPrefix(u, "data:") {
				seen.add(u)
			}
		}
	}()
	go func() {
		for ev, err := range sockets {
			if err != nil {
				return
			}
			seen.add(ev.URL)
		}
	}()
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{
		Patterns: []*fetch.RequestPattern{{URLPattern: "*"}},
	}); err != nil {
		t.Fatal(err)
	}
	// The policy must not refuse anything the playground does: collect
	// every violation the page reports.
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " refused " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
});`,
	}); err != nil {
		t.Fatal(err)
	}
	console := chromedp.Console(ctx)
	var consoleErrors offsite
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				consoleErrors.add(string(m.Type) + ": " + m.Text + " (" + m.URL + ")")
			}
		}
	}()

	// Load the page and wait for GraphiQL to show the default query.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(origin+"/"),
		chromedp.WaitVisible(chromedp.CSS(".graphiql-execute-button")),
	); err != nil {
		t.Fatalf("the playground did not render: %v", err)
	}
	query, err := chromedp.Run(ctx, chromedp.Poll[string](editorValue("query")))
	if err != nil {
		t.Fatalf("reading the query editor: %v", err)
	}
	if !strings.Contains(query, `studyPlan(goal: "GATs")`) {
		t.Fatalf("the playground opened with\n%s\nwant the GATs study plan", query)
	}
	// GraphiQL makes its editors after its first render, and its run button
	// does nothing until the result editor exists too.
	if err := chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS(".graphiql-response .CodeMirror"))); err != nil {
		t.Fatalf("the result pane did not appear: %v", err)
	}

	// Run it with the run button and wait for the plan.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".graphiql-execute-button"))); err != nil {
		t.Fatalf("clicking run: %v", err)
	}
	resp := waitResponse(ctx, t, "studyPlan")
	var plan struct {
		Data struct {
			StudyPlan struct {
				Goal  struct{ Name string }
				Steps []struct {
					Layer   int
					IsGoal  bool
					Reason  string
					Concept struct{ Name string }
				}
			}
		}
		Errors []any
	}
	if err := json.Unmarshal([]byte(resp), &plan); err != nil || len(plan.Errors) > 0 {
		t.Fatalf("the result pane shows\n%s\nwant the study plan (%v)", resp, err)
	}
	if got := plan.Data.StudyPlan.Goal.Name; got != "Generic Associated Types" {
		t.Errorf("plan goal %q, want Generic Associated Types", got)
	}
	steps := map[string]bool{}
	for _, s := range plan.Data.StudyPlan.Steps {
		steps[strings.ToLower(s.Concept.Name)] = true
	}
	for _, want := range []string{"associated types", "lifetimes", "generic associated types"} {
		if !steps[want] {
			t.Errorf("the plan in the result pane has no step %q: %s", want, resp)
		}
	}
	// What a person sees, not only what the editor holds.
	shown, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".graphiql-response")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(shown, "Generic Associated Types") {
		t.Errorf("the result pane shows %q, want the GATs plan", shown)
	}
	shoot("playground-gats-plan.png")

	// Another question is one click away, in the Examples panel.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.learngraph-examples button[data-example="1"]`))); err != nil {
		t.Fatalf("clicking the blockchain example: %v", err)
	}
	resp = waitResponse(ctx, t, "domainPath")
	var path struct {
		Data struct {
			DomainPath struct {
				Name   string
				Crates []struct{ Name string }
			}
		}
	}
	if err := json.Unmarshal([]byte(resp), &path); err != nil || len(path.Data.DomainPath.Crates) == 0 {
		t.Errorf("after the blockchain example the result pane shows\n%s\nwant the path's crates (%v)", resp, err)
	}
	query, err = chromedp.Run(ctx, chromedp.Evaluate[string](editorValue("query")))
	if err != nil || !strings.Contains(query, `domainPath(ref: "blockchain")`) {
		t.Errorf("after the blockchain example the query editor holds\n%s\n(%v)", query, err)
	}
	shoot("playground-example.png")

	// Nothing went elsewhere, nothing was refused, nothing broke.
	var violations []string
	violations, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__cspViolations`))
	if err != nil {
		t.Fatal(err)
	}
	if len(violations) > 0 {
		t.Errorf("the page's Content-Security-Policy refused:\n%s", strings.Join(violations, "\n"))
	}
	if got := blocked.list(); len(got) > 0 {
		t.Errorf("the playground tried to load from other origins:\n%s", strings.Join(got, "\n"))
	}
	if got := seen.list(); len(got) > 0 {
		t.Errorf("the playground sent requests to other origins:\n%s", strings.Join(got, "\n"))
	}
	if got := consoleErrors.list(); len(got) > 0 {
		t.Errorf("the browser console has errors:\n%s", strings.Join(got, "\n"))
	}

	// The blocker itself works, so "nothing blocked" above means something:
	// the same server under another name is another origin, and a
	// navigation there is caught and refused before it leaves the browser.
	canary := strings.Replace(origin, "127.0.0.1", "localhost", 1) + "/healthz"
	_ = chromedp.Do(ctx, chromedp.Navigate(canary)) // fails: blocked by client
	if got := blocked.list(); !slices.Contains(got, canary) {
		t.Errorf("a navigation to %s was not caught by the blocker (caught: %q)", canary, got)
	}
	t.Logf("browser scenario took %v", time.Since(start).Round(time.Millisecond))
}

// editorValue is JavaScript that reads a GraphiQL editor's whole text from
// its CodeMirror instance (the DOM holds only the lines in view); "" until
// the editor exists.
func editorValue(editor string) string {
	return fmt.Sprintf(`(function () {
  var el = document.querySelector(".graphiql-%s-editor .CodeMirror, .graphiql-%s .CodeMirror");
  return el && el.CodeMirror ? el.CodeMirror.getValue() : "";
})()`, editor, editor)
}

// waitResponse waits until the result pane holds a complete JSON answer
// that mentions field, and returns it.
func waitResponse(ctx context.Context, t *testing.T, field string) string {
	t.Helper()
	js := fmt.Sprintf(`(function () {
  var v = %s;
  if (v.indexOf(%q) < 0) return "";
  try { JSON.parse(v); return v; } catch (e) { return ""; }
})()`, editorValue("response"), `"`+field+`"`)
	resp, err := chromedp.Run(ctx, chromedp.Poll[string](js, chromedp.WithPollingInterval(100*time.Millisecond)))
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("no answer with %q in the result pane within %v", field, browserTimeout)
		}
		t.Fatalf("waiting for the result: %v", err)
	}
	return resp
}
