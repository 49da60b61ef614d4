package neo4j_test

import (
	"context"
	"os"
	"testing"
	"time"

	"learngraph"
	"learngraph/neo4j"
	"learngraph/storetest"
)

// The tests of this package are the only writers of the Neo4j instance at
// NEO4J_URI: they wipe it, load into it and run one after another (no
// t.Parallel), since every load moves the one version pointer.

// neo4jRequired says whether a missing Neo4j fails the tests (CI) instead
// of skipping them (a laptop without Neo4j).
func neo4jRequired() bool { return os.Getenv("LEARNGRAPH_REQUIRE_NEO4J") == "1" }

// noNeo4j skips or fails t, as LEARNGRAPH_REQUIRE_NEO4J says.
func noNeo4j(t testing.TB, format string, args ...any) {
	t.Helper()
	if neo4jRequired() {
		t.Fatalf(format, args...)
	}
	t.Skipf(format+" (set LEARNGRAPH_REQUIRE_NEO4J=1 to make this a failure)", args...)
}

// testConfig is the configuration of the test instance, from NEO4J_URI.
func testConfig(t testing.TB) neo4j.Config {
	t.Helper()
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		noNeo4j(t, "NEO4J_URI is not set: no Neo4j to test against")
	}
	return neo4j.Config{
		URI: uri, Username: os.Getenv("NEO4J_USERNAME"), Password: os.Getenv("NEO4J_PASSWORD"),
		Database: os.Getenv("NEO4J_DATABASE"), PollInterval: 100 * time.Millisecond,
	}
}

// openStore opens a store on the test instance, closed when t ends.
func openStore(t testing.TB, cfg neo4j.Config) *neo4j.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := neo4j.Open(ctx, cfg, nil)
	if err != nil {
		noNeo4j(t, "Neo4j at %s does not answer: %v", cfg.URI, err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

// freshStore opens a store on an empty test database.
func freshStore(t testing.TB) *neo4j.Store {
	t.Helper()
	return freshStoreWith(t, testConfig(t))
}

// quietConfig is the test configuration with a poller that never runs
// during a test, so round-trip counts count only the question asked.
func quietConfig(t testing.TB) neo4j.Config {
	cfg := testConfig(t)
	cfg.PollInterval = time.Hour
	return cfg
}

// freshStoreWith opens a store with cfg on an empty test database.
func freshStoreWith(t testing.TB, cfg neo4j.Config) *neo4j.Store {
	t.Helper()
	s := openStore(t, cfg)
	if err := s.Wipe(t.Context()); err != nil {
		t.Fatalf("wipe the test database: %v", err)
	}
	return s
}

// mustLoad loads c into s and returns the summary.
func mustLoad(t testing.TB, s *neo4j.Store, c *learngraph.Curriculum) neo4j.LoadSummary {
	t.Helper()
	sum, err := s.Load(t.Context(), c, nil)
	if err != nil {
		t.Fatalf("Load(%s): %v", c.Version, err)
	}
	return sum
}

// mustSnapshot returns a snapshot of s.
func mustSnapshot(t testing.TB, s learngraph.Store) learngraph.Snapshot {
	t.Helper()
	snap, err := s.Snapshot(t.Context())
	if err != nil {
		t.Fatalf("Snapshot: %v", err)
	}
	return snap
}

// The contract every store fulfils, against Neo4j: each curriculum the
// suite opens is loaded as a new version; replacing loads another and
// returns once the store serves it.
func TestConformance(t *testing.T) {
	freshStore(t)
	cfg := testConfig(t)
	storetest.Run(t, func(t *testing.T, c *learngraph.Curriculum) (learngraph.Store, storetest.Replacer) {
		s := openStore(t, cfg)
		mustLoad(t, s, c)
		return s, func(t *testing.T, c *learngraph.Curriculum) {
			mustLoad(t, s, c)
			if v := mustSnapshot(t, s).Info().Version; v != c.Version {
				t.Fatalf("after loading %s the store serves %s", c.Version, v)
			}
		}
	})
}
