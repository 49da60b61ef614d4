package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"learngraph"
	"learngraph/seeds"
)

// run runs the command line in process and returns its exit code and
// output.
func run(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errOut, Getenv: envFunc(env), Seeds: seeds.FS}
	code = m.Run(t.Context(), args)
	return code, out.String(), errOut.String()
}

func envFunc(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}

// seedsDir is the bundled curriculum on disk.
const seedsDir = "../../seeds"

func TestCheck(t *testing.T) {
	tests := []struct {
		name   string
		env    map[string]string
		args   []string
		code   int
		stdout []string // parts the output must contain
		absent []string // parts it must not
		stderr []string
	}{
		{name: "Seeds", args: []string{"check", seedsDir}, code: 0,
			stdout: []string{"2 documents", "74 Concept", "Gap report:", "  INFO (",
				`seeds/rust-phase-4-advanced.md:89: UNTAUGHT_PREREQUISITE: "ownership"`, "\n0 errors, ",
				// The totals follow the counts.
				"6 Competency\n  Totals: complexity 1179, blocking 611, delay 568, centrality 7122\n" +
					"  Longest chain (12 concepts): ownership → Closures → Threads → Send and Sync → concurrency → async/await → " +
					"Futures and Pin → Stream Processing → P2P networking → Consensus algorithms → Cryptocurrency protocols → Smart contract platforms\n"}},
		{name: "SeedsFromEnv", env: map[string]string{"LEARNGRAPH_SEEDS": seedsDir}, args: []string{"check"}, code: 0,
			stdout: []string{"0 errors"}},
		{name: "Broken", args: []string{"check", "testdata/broken"}, code: 1,
			stdout: []string{
				"testdata/broken/links.yaml:5: ERROR CYCLE:",
				"testdata/broken/links.yaml:11: ERROR DANGLING_REFERENCE: no concept \"Lifetimez\"",
				"2 errors, 0 warnings, 0 infos"},
			// Totals are of an analysed curriculum only.
			absent: []string{"Totals:", "Longest chain"}},
		{name: "BrokenGitHub", args: []string{"check", "--format", "github", "testdata/broken"}, code: 1,
			stdout: []string{"::error file=testdata/broken/links.yaml,line=11,title=DANGLING_REFERENCE::no concept \"Lifetimez\""}},
		{name: "FormatFromEnv", env: map[string]string{"LEARNGRAPH_FORMAT": "github"}, args: []string{"check", "testdata/broken"}, code: 1,
			stdout: []string{"::error file="}},
		{name: "FlagWinsOverEnv", env: map[string]string{"LEARNGRAPH_FORMAT": "github"}, args: []string{"check", "testdata/broken", "--format=text"}, code: 1,
			stdout: []string{"2 errors"}},
		{name: "NotADirectory", args: []string{"check", "testdata/nope"}, code: 2, stderr: []string{"testdata/nope is not a directory"}},
		{name: "TwoDirectories", args: []string{"check", "a", "b"}, code: 2, stderr: []string{"one directory at most"}},
		{name: "UnknownFormat", args: []string{"check", "--format", "xml", seedsDir}, code: 2, stderr: []string{`unknown format "xml"`}},
		{name: "UnknownFlag", args: []string{"check", "--frob"}, code: 2, stderr: []string{"flag provided but not defined: -frob"}},
		{name: "Help", args: []string{"check", "-h"}, code: 0, stderr: []string{"Usage: learngraph check"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, tt.env, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout, stderr)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout does not contain %q:\n%s", want, stdout)
				}
			}
			for _, unwanted := range tt.absent {
				if strings.Contains(stdout, unwanted) {
					t.Errorf("stdout contains %q:\n%s", unwanted, stdout)
				}
			}
			for _, want := range tt.stderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr does not contain %q:\n%s", want, stderr)
				}
			}
		})
	}
}

func TestChainNames(t *testing.T) {
	concepts := []*learngraph.Concept{{ID: "a", Name: "A"}, {ID: "b", Name: "B"}, {ID: "a", Name: "Second A"}}
	ids := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("c%d", i+1)
		}
		return out
	}
	tests := []struct {
		name string
		ids  []string
		ends int
		want string
	}{
		{"Empty", nil, 2, ""},
		{"One", []string{"a"}, 2, "A"},
		// A duplicated id keeps the first concept's name; an id without
		// a concept shows as it is.
		{"Names", []string{"a", "b", "ghost"}, 2, "A → B → ghost"},
		// Eliding one concept would save nothing.
		{"FitsWithOneToSpare", ids(5), 2, "c1 → c2 → c3 → c4 → c5"},
		{"Elided", ids(6), 2, "c1 → c2 → … 2 more … → c5 → c6"},
		{"Long", ids(1000), 6, "c1 → c2 → c3 → c4 → c5 → c6 → … 988 more … → c995 → c996 → c997 → c998 → c999 → c1000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := chainNames(concepts, tt.ids, tt.ends); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

type jsonReport struct {
	Version   string
	Documents []string
	Counts    []struct {
		Kind  string
		Count int
	}
	Findings []struct {
		Kind     string
		Severity string
		Message  string
		Subjects []string
		File     string
		Line     int
	}
	Summary map[string]int
	Totals  *struct {
		Concepts       int
		BlockingFactor int
		DelayFactor    int
		Centrality     float64
		Complexity     int
		LongestChain   []string
	}
}

func TestCheckJSON(t *testing.T) {
	t.Run("Seeds", func(t *testing.T) {
		code, stdout, _ := run(t, nil, "check", "--json", seedsDir)
		if code != 0 {
			t.Fatalf("exit code %d", code)
		}
		var r jsonReport
		if err := json.Unmarshal([]byte(stdout), &r); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, stdout)
		}
		if len(r.Version) != 64 {
			t.Errorf("version %q is not a SHA-256 hex digest", r.Version)
		}
		wantDocs := []string{filepath.Join(seedsDir, "rust-phase-4-advanced.md"), filepath.Join(seedsDir, "links.yaml")}
		if strings.Join(r.Documents, ",") != strings.Join(wantDocs, ",") {
			t.Errorf("documents %v, want %v", r.Documents, wantDocs)
		}
		if len(r.Counts) != 7 || r.Counts[0].Kind != "Concept" || r.Counts[0].Count != 74 {
			t.Errorf("counts %+v, want 7 kinds starting with 74 concepts", r.Counts)
		}
		if r.Summary["errors"] != 0 || r.Summary["errors"]+r.Summary["warnings"]+r.Summary["infos"] != len(r.Findings) {
			t.Errorf("summary %v for %d findings", r.Summary, len(r.Findings))
		}
		ownership := false
		for _, f := range r.Findings {
			if f.Kind == "" || f.Severity == "" || f.Message == "" || f.Subjects == nil {
				t.Errorf("incomplete finding %+v", f)
			}
			// The Prerequisites bullet names ownership, which the
			// links file marks taught elsewhere.
			if f.Kind == "UNTAUGHT_PREREQUISITE" && len(f.Subjects) > 0 && f.Subjects[0] == "ownership" {
				ownership = true
				if f.Severity != "INFO" || f.File != filepath.Join(seedsDir, "rust-phase-4-advanced.md") || f.Line != 89 {
					t.Errorf("ownership finding %+v", f)
				}
			}
		}
		if !ownership {
			t.Error("no UNTAUGHT_PREREQUISITE finding for ownership")
		}
		if tot := r.Totals; tot == nil {
			t.Error("no totals")
		} else {
			chain := []string{"ownership", "closures", "threads", "send-and-sync", "concurrency", "async-await", "futures-and-pin",
				"stream-processing", "p2p-networking", "consensus-algorithms", "cryptocurrency-protocols", "smart-contract-platforms"}
			if tot.Concepts != 74 || tot.BlockingFactor != 611 || tot.DelayFactor != 568 || tot.Centrality != 7122 || tot.Complexity != 1179 ||
				!slices.Equal(tot.LongestChain, chain) {
				t.Errorf("totals %+v", *tot)
			}
		}
		if !strings.Contains(stdout, `"totals": {`+"\n"+`    "concepts": 74,`+"\n"+`    "blockingFactor": 611,`) {
			t.Errorf("totals are not written as documented:\n%s", stdout)
		}
	})
	t.Run("Broken", func(t *testing.T) {
		code, stdout, _ := run(t, map[string]string{"LEARNGRAPH_FORMAT": "json"}, "check", "testdata/broken")
		if code != 1 {
			t.Fatalf("exit code %d, want 1", code)
		}
		var r jsonReport
		if err := json.Unmarshal([]byte(stdout), &r); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, stdout)
		}
		got := map[string]int{}
		for _, f := range r.Findings {
			if f.Severity != "ERROR" || f.File != "testdata/broken/links.yaml" {
				t.Errorf("unexpected finding %+v", f)
			}
			got[f.Kind] = f.Line
		}
		if got["CYCLE"] != 5 || got["DANGLING_REFERENCE"] != 11 || len(got) != 2 {
			t.Errorf("findings at %v, want CYCLE at line 5 and DANGLING_REFERENCE at line 11", got)
		}
		if r.Totals != nil || strings.Contains(stdout, `"totals"`) {
			t.Errorf("totals for a curriculum that did not analyse: %+v", r.Totals)
		}
	})
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{nil, 2, "", "Usage:"},
		{[]string{"help"}, 0, "learngraph serve [--addr HOST:PORT] [--seeds DIR]", ""},
		{[]string{"help"}, 0, "learngraph load [DIR]", ""},
		{[]string{"help"}, 0, "NEO4J_PASSWORD", ""},
		{[]string{"-h"}, 0, "LEARNGRAPH_ADDR", ""},
		{[]string{"frob"}, 2, "", `unknown command "frob"`},
		{[]string{"serve", "extra"}, 2, "", `unexpected arguments ["extra"]`},
		{[]string{"serve", "--seeds", "testdata/nope"}, 2, "", "testdata/nope is not a directory"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, stdout, stderr := run(t, nil, tt.args...)
			if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d (want %d)\nstdout %q (want %q)\nstderr %q (want %q)", code, tt.code, stdout, tt.stdout, stderr, tt.stderr)
			}
		})
	}
}

func TestServeRefuses(t *testing.T) {
	tests := []struct {
		name   string
		env    map[string]string
		args   []string
		stderr []string
	}{
		{"BrokenCurriculum", nil, []string{"serve", "--addr", "127.0.0.1:0", "--seeds", "testdata/broken"},
			[]string{"cannot be served", "testdata/broken/links.yaml:5: ERROR CYCLE", "testdata/broken/links.yaml:11: ERROR DANGLING_REFERENCE"}},
		{"Neo4jDown", map[string]string{"NEO4J_URI": "bolt://127.0.0.1:1"}, []string{"serve", "--addr", "127.0.0.1:0"},
			[]string{"Neo4j cannot be reached"}},
		{"BadLogLevel", map[string]string{"LEARNGRAPH_LOG_LEVEL": "loud"}, []string{"serve", "--addr", "127.0.0.1:0"},
			[]string{"LEARNGRAPH_LOG_LEVEL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, tt.env, tt.args...)
			if code == 0 {
				t.Errorf("serve started")
			}
			for _, want := range tt.stderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr does not contain %q:\n%s", want, stderr)
				}
			}
		})
	}
}

// running is a `learngraph serve` running in process.
type running struct {
	url   string
	store learngraph.Store
	logs  *syncBuffer
	stop  context.CancelFunc
	done  chan int
}

// startServe runs serve with args until the test ends.
func startServe(t *testing.T, env map[string]string, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	s := &running{logs: &syncBuffer{}, stop: cancel, done: make(chan int, 1)}
	listening := make(chan struct{})
	m := &Main{
		Stdout: io.Discard, Stderr: s.logs, Getenv: envFunc(env), Seeds: seeds.FS,
		OnListen: func(addr string, store learngraph.Store) {
			s.url, s.store = "http://"+addr, store
			close(listening)
		},
	}
	go func() { s.done <- m.Run(ctx, append([]string{"serve"}, args...)) }()
	select {
	case <-listening:
	case code := <-s.done:
		t.Fatalf("serve exited with %d:\n%s", code, s.logs)
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not start")
	}
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(15 * time.Second):
			t.Error("serve did not stop")
		}
	})
	return s
}

// shutdown stops the server and returns its exit code.
func (s *running) shutdown(t *testing.T) int {
	t.Helper()
	s.stop()
	select {
	case code := <-s.done:
		s.done <- code // for the cleanup
		return code
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
		return -1
	}
}

func (s *running) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(s.url + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func (s *running) query(t *testing.T, query string) map[string]any {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	resp, err := http.Post(s.url+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data   map[string]any
		Errors []any
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || len(out.Errors) > 0 {
		t.Fatalf("status %d, errors %v", resp.StatusCode, out.Errors)
	}
	return out.Data
}

// version returns the version /readyz reports.
func (s *running) version(t *testing.T) string {
	t.Helper()
	code, body := s.get(t, "/readyz")
	if code != http.StatusOK {
		t.Fatalf("readyz %d: %s", code, body)
	}
	var r struct{ Status, Version string }
	if err := json.Unmarshal([]byte(body), &r); err != nil || r.Status != "ready" {
		t.Fatalf("readyz body %q", body)
	}
	return r.Version
}

func TestServeEmbedded(t *testing.T) {
	s := startServe(t, map[string]string{"LEARNGRAPH_ADDR": "127.0.0.1:0"})
	if code, body := s.get(t, "/healthz"); code != http.StatusOK || !strings.Contains(body, "ok") {
		t.Errorf("healthz %d %q", code, body)
	}
	if code, body := s.get(t, "/"); code != http.StatusOK || !strings.Contains(body, "graphiql") {
		t.Errorf("playground %d", code)
	}
	data := s.query(t, `{ curriculum { version documents } domainPath(ref: "blockchain") { crates { name } } }`)
	info := data["curriculum"].(map[string]any)
	if got := info["version"]; got != s.version(t) {
		t.Errorf("GraphQL version %v, readyz version %s", got, s.version(t))
	}
	if docs, _ := json.Marshal(info["documents"]); string(docs) != `["rust-phase-4-advanced.md","links.yaml"]` {
		t.Errorf("documents %s", docs)
	}
	if code := s.shutdown(t); code != 0 {
		t.Errorf("exit code %d after shutdown, want 0", code)
	}
}

// TestServeReload replaces the documents of the served directory and
// sends SIGHUP: the new curriculum is served, a snapshot taken before
// keeps answering from the old one, and a broken edit leaves the last good
// curriculum in service.
func TestServeReload(t *testing.T) {
	dir := t.TempDir()
	copySeeds(t, dir)
	s := startServe(t, nil, "--addr", "127.0.0.1:0", "--seeds", dir)

	before := s.version(t)
	old, err := s.store.Snapshot(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got := s.query(t, `{ concept(ref: "closures") { description } }`); !strings.HasPrefix(desc(got), "Anonymous functions") {
		t.Fatalf("closures before the edit: %v", got)
	}

	// A new description for Closures.
	links := filepath.Join(dir, "links.yaml")
	edit(t, links, "Anonymous functions that capture", "Nameless functions that capture")
	hangup(t)
	after := waitVersion(t, s, before)
	if got := s.query(t, `{ concept(ref: "closures") { description } }`); !strings.HasPrefix(desc(got), "Nameless functions") {
		t.Errorf("closures after the reload: %v", got)
	}
	// The snapshot taken before the reload still answers from its version.
	if got := old.Info().Version; got != before {
		t.Errorf("old snapshot now serves version %s, want %s", got, before)
	}
	n, err := old.Resolve(t.Context(), "closures")
	if err != nil {
		t.Fatal(err)
	}
	if c := n.(*learngraph.Concept); !strings.HasPrefix(c.Description, "Anonymous functions") {
		t.Errorf("old snapshot's closures: %q", c.Description)
	}

	// A broken edit: the server keeps the last good curriculum and says why.
	edit(t, links, "version: 1\n", "version: 1\nbogus: [\n")
	hangup(t)
	waitLog(t, s.logs, "reload failed")
	if got := s.version(t); got != after {
		t.Errorf("after a failed reload the version is %s, want %s", got, after)
	}
	if !strings.Contains(s.logs.String(), "links.yaml:") {
		t.Errorf("the log does not say where the problem is:\n%s", s.logs)
	}
	if code := s.shutdown(t); code != 0 {
		t.Errorf("exit code %d after shutdown, want 0", code)
	}
}

func desc(data map[string]any) string {
	c, _ := data["concept"].(map[string]any)
	s, _ := c["description"].(string)
	return s
}

func copySeeds(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(seedsDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if ext := filepath.Ext(e.Name()); ext != ".md" && ext != ".yaml" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(seedsDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func edit(t *testing.T, file, old, new string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s does not contain %q", file, old)
	}
	if err := os.WriteFile(file, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

// hangup sends SIGHUP to this process, which serve (running in it) has
// asked to be told about.
func hangup(t *testing.T) {
	t.Helper()
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
}

func waitVersion(t *testing.T, s *running, old string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if v := s.version(t); v != old {
			return v
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the version is still %s:\n%s", old, s.logs)
	return ""
}

func waitLog(t *testing.T, logs *syncBuffer, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(logs.String(), want) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the log never says %q:\n%s", want, logs)
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
