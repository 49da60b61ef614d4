package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"learngraph/server"
)

// auditDir holds the pinned graphql-http and the script that runs its
// audit; scripts/test installs it with npm ci.
var auditDir = filepath.Join("..", "testenv", "http-audit")

// TestGraphQLOverHTTPAudit runs graphql-http's server audit (the
// reference implementation's conformance checks for the GraphQL-over-HTTP
// spec) against the real handler on 127.0.0.1. Every MUST and every
// SHOULD must pass; the MAYs are logged. The README states the score, and
// this test checks that it still does.
//
// It needs node and `npm ci` in testenv/http-audit. Without them it skips,
// saying why, unless LEARNGRAPH_REQUIRE_NODE_AUDIT=1 (scripts/test sets
// it), which makes it fail.
func TestGraphQLOverHTTPAudit(t *testing.T) {
	missing := func(format string, args ...any) {
		t.Helper()
		if os.Getenv("LEARNGRAPH_REQUIRE_NODE_AUDIT") == "1" {
			t.Fatalf(format+" (LEARNGRAPH_REQUIRE_NODE_AUDIT=1)", args...)
		}
		t.Skipf(format, args...)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node is not installed: the GraphQL-over-HTTP audit needs it")
	}
	pkg, err := os.ReadFile(filepath.Join(auditDir, "node_modules", "graphql-http", "package.json"))
	if err != nil {
		missing("graphql-http is not installed: run `npm ci` in %s", auditDir)
	}
	var meta struct{ Version string }
	if err := json.Unmarshal(pkg, &meta); err != nil {
		t.Fatal(err)
	}

	srv := httptest.NewServer(server.New(server.Config{}, seedStore(t), slog.New(slog.DiscardHandler)))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "audit.mjs", srv.URL+"/graphql")
	cmd.Dir = auditDir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("audit.mjs: %v\n%s", err, stderr.String())
	}
	var results []struct {
		ID, Name, Status, Reason, Body string
		HTTPStatus                     int
	}
	if err := json.Unmarshal(out, &results); err != nil {
		t.Fatalf("audit output: %v\n%s", err, out)
	}
	if len(results) == 0 {
		t.Fatal("the audit ran no checks")
	}

	type tally struct{ passed, total int }
	score := map[string]*tally{"MUST": {}, "SHOULD": {}, "MAY": {}}
	for _, r := range results {
		level, _, _ := strings.Cut(r.Name, " ")
		s := score[level]
		if s == nil {
			t.Errorf("audit %s has no MUST, SHOULD or MAY: %q", r.ID, r.Name)
			continue
		}
		s.total++
		if r.Status == "ok" {
			s.passed++
			continue
		}
		msg := fmt.Sprintf("%s %s: %s (status %d, body %s)", r.ID, r.Name, r.Reason, r.HTTPStatus, r.Body)
		if level == "MAY" {
			t.Logf("optional: %s", msg)
		} else {
			t.Errorf("%s", msg)
		}
	}
	line := fmt.Sprintf("%d/%d MUST, %d/%d SHOULD and %d/%d MAY", score["MUST"].passed, score["MUST"].total,
		score["SHOULD"].passed, score["SHOULD"].total, score["MAY"].passed, score["MAY"].total)
	t.Logf("graphql-http %s audit: %s", meta.Version, line)

	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("graphql-http %s: %s", meta.Version, line); !strings.Contains(string(readme), want) {
		t.Errorf("the README does not state the audit's score; want it to say %q", want)
	}
}
