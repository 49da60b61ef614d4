package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The Neo4j instance with authentication these tests load into: only
// this package's tests write to it.
func authEnv(t *testing.T) map[string]string {
	t.Helper()
	env := map[string]string{
		"NEO4J_URI":      os.Getenv("LEARNGRAPH_NEO4J_AUTH_URI"),
		"NEO4J_USERNAME": os.Getenv("LEARNGRAPH_NEO4J_AUTH_USER"),
		"NEO4J_PASSWORD": os.Getenv("LEARNGRAPH_NEO4J_AUTH_PASSWORD"),
	}
	if env["NEO4J_URI"] == "" || env["NEO4J_USERNAME"] == "" {
		msg := "LEARNGRAPH_NEO4J_AUTH_URI and LEARNGRAPH_NEO4J_AUTH_USER are not set: no Neo4j with authentication to test against"
		if os.Getenv("LEARNGRAPH_REQUIRE_NEO4J") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg + " (set LEARNGRAPH_REQUIRE_NEO4J=1 to make this a failure)")
	}
	return env
}

// seedsCopy copies the seed curriculum into a new directory, its links
// file marked with note so that the copy has a version of its own.
func seedsCopy(t *testing.T, note string) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir(seedsDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(seedsDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(e.Name(), ".yaml") {
			data = append(data, []byte("\n# "+note+"\n")...)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func with(env map[string]string, key, value string) map[string]string {
	out := map[string]string{key: value}
	for k, v := range env {
		if k != key {
			out[k] = v
		}
	}
	return out
}

// learngraph load against Neo4j with authentication, end to end: a load,
// the same load again, a wrong password, and a server that switches to a
// load made while it serves.
func TestLoadNeo4j(t *testing.T) {
	env := authEnv(t)
	first := seedsCopy(t, fmt.Sprintf("load test %d", time.Now().UnixNano()))

	code, stdout, stderr := run(t, env, "load", first)
	if code != 0 {
		t.Fatalf("load: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"loaded version ", "Concept           74", "links", " created"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("load output does not contain %q:\n%s", want, stdout)
		}
	}

	code, stdout, _ = run(t, env, "load", first)
	if code != 0 || !strings.HasPrefix(stdout, "unchanged: version ") {
		t.Errorf("second load: exit %d, output %q; want unchanged", code, stdout)
	}

	code, stdout, stderr = run(t, with(env, "NEO4J_PASSWORD", "wrong-password"), "load", first)
	if code != 1 || stdout != "" || strings.Count(stderr, "\n") != 1 ||
		!strings.Contains(stderr, "learngraph load: Neo4j refused the credentials: check NEO4J_USERNAME and NEO4J_PASSWORD") {
		t.Errorf("wrong password: exit %d, stdout %q, stderr %q; want exit 1 and one clear line", code, stdout, stderr)
	}

	s := startServe(t, with(env, "LEARNGRAPH_ADDR", "127.0.0.1:0"))
	served := s.version(t)
	data := s.query(t, `{ concept(ref: "GATs") { id prerequisites { id } } curriculum { version } }`)
	if got := data["curriculum"].(map[string]any)["version"]; got != served {
		t.Errorf("GraphQL version %v, readyz %s", got, served)
	}
	if id := data["concept"].(map[string]any)["id"]; id != "generic-associated-types" {
		t.Errorf("concept(GATs) = %v", id)
	}

	second := seedsCopy(t, fmt.Sprintf("load test %d", time.Now().UnixNano()))
	if code, stdout, stderr := run(t, env, "load", second); code != 0 || !strings.Contains(stdout, " 0 created") {
		t.Fatalf("load of an edited copy: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	deadline := time.Now().Add(10 * time.Second)
	for s.version(t) == served {
		if time.Now().After(deadline) {
			t.Fatal("the server still serves the old version 10 s after a load")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Without a reachable Neo4j, or without NEO4J_URI, load and serve say so
// in one line and exit non-zero; broken documents are refused before
// Neo4j is asked anything.
func TestNeo4jUnavailable(t *testing.T) {
	down := map[string]string{"NEO4J_URI": "bolt://127.0.0.1:1"}
	tests := []struct {
		name   string
		env    map[string]string
		args   []string
		code   int
		stderr string
	}{
		{"LoadDown", down, []string{"load", seedsDir}, 1, "learngraph load: Neo4j cannot be reached (NEO4J_URI bolt://127.0.0.1:1)\n"},
		{"ServeDown", down, []string{"serve", "--addr", "127.0.0.1:0"}, 1, "learngraph serve: Neo4j cannot be reached (NEO4J_URI bolt://127.0.0.1:1)\n"},
		{"LoadNoURI", nil, []string{"load", seedsDir}, 2, "learngraph load: NEO4J_URI is not set"},
		{"LoadBroken", down, []string{"load", "testdata/broken"}, 1, "testdata/broken/links.yaml:5: ERROR CYCLE"},
		{"LoadNotADirectory", down, []string{"load", "testdata/nope"}, 2, "testdata/nope is not a directory"},
		{"LoadTwoDirectories", down, []string{"load", "a", "b"}, 2, "one directory at most"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, tt.env, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d (want %d)\nstderr %q\nwant it to contain %q\nstdout %q", code, tt.code, stderr, tt.stderr, stdout)
			}
		})
	}
}
