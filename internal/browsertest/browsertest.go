// Package browsertest starts a headless Chromium for the project's browser
// tests and keeps their screenshots, so every such test finds the browser,
// skips or fails, and saves artifacts the same way.
//
// LEARNGRAPH_CHROMIUM names the browser (scripts/chromium installs
// Debian's and prints its path). Without it a test skips, unless
// LEARNGRAPH_REQUIRE_BROWSER=1 (as scripts/test sets), which makes a
// missing browser a failure. Screenshots go to LEARNGRAPH_ARTIFACTS, or to
// learngraph-test-artifacts in the temporary directory.
package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Browser is one headless Chromium for one test.
type Browser struct {
	t *testing.T
	// Ctx is the browser's context: chromedp.Run on it (or on a context
	// derived with a deadline) drives the browser's first tab.
	Ctx       context.Context
	artifacts string
}

// Start finds the browser (skipping or failing t as the package comment
// says), starts it with a window of width×height, and stops it when t
// ends. failureShot names the screenshot Fail takes; an old one is removed
// first, since a failure screenshot left by an earlier run would mislead.
func Start(t *testing.T, width, height int, failureShot string) *Browser {
	t.Helper()
	path := chromiumPath(t)
	dir := os.Getenv("LEARNGRAPH_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "learngraph-test-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	_ = os.Remove(filepath.Join(dir, failureShot))

	// Not t.Context(): it ends before cleanups run, and the failure
	// screenshot is taken in one. The cleanup below stops the browser.
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.WithoutCancel(t.Context()),
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		// Nothing but the test's own servers: no background traffic.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	b := &Browser{t: t, Ctx: browserCtx, artifacts: dir}
	t.Cleanup(func() {
		if t.Failed() {
			b.Screenshot(failureShot)
		}
		cancelBrowser()
		cancelAlloc()
	})
	return b
}

func chromiumPath(t *testing.T) string {
	t.Helper()
	path := os.Getenv("LEARNGRAPH_CHROMIUM")
	if path == "" {
		if os.Getenv("LEARNGRAPH_REQUIRE_BROWSER") == "1" {
			t.Fatal("LEARNGRAPH_REQUIRE_BROWSER=1 but LEARNGRAPH_CHROMIUM is not set: run scripts/chromium and set LEARNGRAPH_CHROMIUM to the path it prints")
		}
		t.Skip("browser test skipped: set LEARNGRAPH_CHROMIUM to a Chromium executable (scripts/chromium installs one and prints its path)")
	}
	if st, err := os.Stat(path); err != nil || st.IsDir() {
		t.Fatalf("LEARNGRAPH_CHROMIUM=%s is not an executable file (run scripts/chromium)", path)
	}
	return path
}

// Artifact returns the path of an artifact file named name.
func (b *Browser) Artifact(name string) string { return filepath.Join(b.artifacts, name) }

// Screenshot saves what the first tab shows as the artifact name (a .png),
// with a deadline of its own so that it works after a step timed out. A
// screenshot that cannot be taken is logged, not fatal: it is evidence,
// not the test.
func (b *Browser) Screenshot(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Logf("no screenshot %s: %v", name, err)
		return
	}
	file := b.Artifact(name)
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	b.t.Logf("screenshot: %s", file)
}
