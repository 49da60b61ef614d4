package neo4j_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"learngraph"
	"learngraph/neo4j"
	"learngraph/storetest"
)

// edited is the fixture after an edit: closures dropped, traits reworded,
// typestate added.
func edited(t testing.TB) *learngraph.Curriculum {
	g := storetest.Fixture()
	g.Version = "fixture-edited"
	var kept []*learngraph.Concept
	for _, c := range g.Concepts {
		switch c.ID {
		case "closures":
			continue
		case "traits":
			c.Description = "Shared behaviour, reworded."
		}
		kept = append(kept, c)
	}
	g.Concepts = append(kept, &learngraph.Concept{
		ID: "typestate", Name: "Typestate", Description: "States as types.", Taught: true, Phase: "phase-4",
		Pos: learngraph.Position{Phase: 4, File: 1, Index: 9},
	})
	return storetest.Analyzed(t, g)
}

func kindChanges(sum neo4j.LoadSummary, kind learngraph.Kind) neo4j.KindChanges {
	for _, k := range sum.Kinds {
		if k.Kind == kind {
			return k
		}
	}
	return neo4j.KindChanges{}
}

// Loading what is already current writes nothing and says so.
func TestLoadTwiceIsUnchanged(t *testing.T) {
	s := freshStoreWith(t, quietConfig(t))
	c := storetest.Analyzed(t, storetest.Fixture())
	first := mustLoad(t, s, c)
	if first.Unchanged {
		t.Fatal("first load: Unchanged")
	}
	if created, updated, deleted := first.Changes(); created != 36 || updated != 0 || deleted != 0 {
		t.Errorf("first load: created %d, updated %d, deleted %d; want 36, 0, 0", created, updated, deleted)
	}
	gen := neo4j.Generation(mustSnapshot(t, s))

	before := s.RoundTrips()
	second := mustLoad(t, s, storetest.Analyzed(t, storetest.Fixture()))
	if !second.Unchanged || second.Version != storetest.FixtureVersion {
		t.Errorf("second load: %+v, want Unchanged", second)
	}
	if trips := s.RoundTrips() - before; trips != 1 {
		t.Errorf("second load: %d round trips, want 1 (reading the version pointer)", trips)
	}
	if created, updated, deleted := second.Changes(); created+updated+deleted != 0 {
		t.Errorf("second load changed %d, %d, %d nodes", created, updated, deleted)
	}
	for i, k := range second.Kinds {
		if k.Count != first.Kinds[i].Count {
			t.Errorf("%s: count %d, first load %d", k.Kind, k.Count, first.Kinds[i].Count)
		}
	}
	if got := neo4j.Generation(mustSnapshot(t, s)); got != gen {
		t.Errorf("serving generation %d after an unchanged load, want %d", got, gen)
	}
}

// A new version replaces the old one for new snapshots; the previous one
// stays for snapshots taken before, until the next load deletes it.
func TestLoadReplaces(t *testing.T) {
	s := freshStoreWith(t, quietConfig(t))
	ctx := t.Context()
	mustLoad(t, s, storetest.Analyzed(t, storetest.Fixture()))
	old := mustSnapshot(t, s)

	sum := mustLoad(t, s, edited(t))
	if got := kindChanges(sum, learngraph.KindConcept); got.Created != 1 || got.Updated != 1 || got.Deleted != 1 || got.Count != 15 {
		t.Errorf("concept changes %+v; want 15 concepts, 1 created (typestate), 1 updated (traits), 1 deleted (closures)", got)
	}
	if got := kindChanges(sum, learngraph.KindTopic); got.Created+got.Updated+got.Deleted != 0 {
		t.Errorf("topic changes %+v, want none", got)
	}

	snap := mustSnapshot(t, s)
	if v := snap.Info().Version; v != "fixture-edited" {
		t.Fatalf("serving %s, want fixture-edited", v)
	}
	if _, err := snap.Resolve(ctx, "closures"); learngraph.ErrorCode(err) != learngraph.ENOTFOUND {
		t.Errorf("new version resolves closures: %v", err)
	}
	if n, err := snap.Resolve(ctx, "traits"); err != nil || n.(*learngraph.Concept).Description != "Shared behaviour, reworded." {
		t.Errorf("new version: traits = %+v, %v", n, err)
	}
	if _, err := old.Resolve(ctx, "closures"); err != nil {
		t.Errorf("the previous version, still in use, lost closures: %v", err)
	}

	// A third load deletes the first version, keeps the second as the
	// previous one.
	third := storetest.Analyzed(t, storetest.Fixture())
	third.Version = "fixture-3"
	mustLoad(t, s, third)
	if n, err := s.CountGeneration(ctx, neo4j.Generation(old)); err != nil || n != 0 {
		t.Errorf("the first version still has %d nodes (%v) after two more loads", n, err)
	}
	if n, err := s.CountGeneration(ctx, neo4j.Generation(snap)); err != nil || n == 0 {
		t.Errorf("the previous version has %d nodes (%v), want it kept", n, err)
	}
	if _, err := snap.Resolve(ctx, "typestate"); err != nil {
		t.Errorf("the previous version, still in use, lost typestate: %v", err)
	}
}

// A snapshot keeps answering from its version, unchanged, while a load
// writes the next one.
func TestSnapshotDuringLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a large curriculum")
	}
	s := freshStoreWith(t, quietConfig(t))
	ctx := t.Context()
	mustLoad(t, s, storetest.Analyzed(t, storetest.Fixture()))
	pinned := mustSnapshot(t, s)
	wantPlan := planIDs(t, pinned)

	large := storetest.Analyzed(t, storetest.Synthetic(5000, 3))
	var wg sync.WaitGroup
	var loadErr error
	wg.Go(func() { _, loadErr = s.Load(ctx, large, nil) })
	reads := 0
	for done := false; !done; reads++ {
		done = waitTimeout(&wg, 0)
		if got := planIDs(t, pinned); strings.Join(got, " ") != strings.Join(wantPlan, " ") {
			t.Fatalf("read %d during the load: plan %q, want %q", reads, got, wantPlan)
		}
		page, err := pinned.Concepts(ctx, 1, "")
		if err != nil || page.Total != 15 {
			t.Fatalf("read %d during the load: %d concepts, %v", reads, page.Total, err)
		}
	}
	if loadErr != nil {
		t.Fatalf("Load: %v", loadErr)
	}
	t.Logf("%d consistent reads from the pinned snapshot during the load", reads)
	if v := mustSnapshot(t, s).Info().Version; v != large.Version {
		t.Errorf("after the load: serving %s, want %s", v, large.Version)
	}
}

func planIDs(t *testing.T, snap learngraph.Snapshot) []string {
	t.Helper()
	plan, err := snap.StudyPlan(t.Context(), "advanced-patterns--advanced-trait-system", []string{"lifetimes"})
	if err != nil {
		t.Fatalf("StudyPlan: %v", err)
	}
	var ids []string
	for _, s := range plan.Steps {
		ids = append(ids, s.Concept.ID)
	}
	return ids
}

// waitTimeout reports whether wg is done within d.
func waitTimeout(wg *sync.WaitGroup, d time.Duration) bool {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}

// A serving store notices, within a few poll intervals, a load made by
// another process (another store on the same database), and switches.
func TestNoticesLoadByAnotherProcess(t *testing.T) {
	cfg := testConfig(t) // polls every 100 ms
	loader := freshStoreWith(t, cfg)
	mustLoad(t, loader, storetest.Analyzed(t, storetest.Fixture()))

	server := openStore(t, cfg)
	if v := mustSnapshot(t, server).Info().Version; v != storetest.FixtureVersion {
		t.Fatalf("server serves %s, want %s", v, storetest.FixtureVersion)
	}
	mustLoad(t, loader, edited(t))
	start := time.Now()
	for {
		snap := mustSnapshot(t, server)
		if snap.Info().Version == "fixture-edited" {
			if _, err := snap.Resolve(t.Context(), "typestate"); err != nil {
				t.Fatalf("switched snapshot: %v", err)
			}
			t.Logf("switched %v after the load", time.Since(start).Round(time.Millisecond))
			return
		}
		if time.Since(start) > 5*time.Second {
			t.Fatalf("still serving %s 5 s after another process loaded fixture-edited", snap.Info().Version)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// An empty database has nothing to serve: UNAVAILABLE, until a load.
func TestEmptyDatabaseIsUnavailable(t *testing.T) {
	s := freshStore(t)
	_, err := s.Snapshot(t.Context())
	if learngraph.ErrorCode(err) != learngraph.EUNAVAILABLE || !strings.Contains(learngraph.ErrorMessage(err), "learngraph load") {
		t.Errorf("Snapshot of an empty database: %v, want UNAVAILABLE saying to load", err)
	}
	mustLoad(t, s, storetest.Analyzed(t, storetest.Fixture()))
	mustSnapshot(t, s)
}

// Loading refuses what it cannot store, before writing anything.
func TestLoadRefuses(t *testing.T) {
	s := openStore(t, testConfig(t))
	noVersion := storetest.Analyzed(t, storetest.Fixture())
	noVersion.Version = ""
	for name, c := range map[string]*learngraph.Curriculum{"nil": nil, "no version": noVersion, "no graph": {}} {
		if _, err := s.Load(t.Context(), c, nil); learngraph.ErrorCode(err) != learngraph.EINVALID {
			t.Errorf("%s: %v, want BAD_USER_INPUT", name, err)
		}
	}
}

// Progress is reported after each batch, up to the total.
func TestLoadProgress(t *testing.T) {
	cfg := quietConfig(t)
	cfg.BatchSize = 10
	s := freshStoreWith(t, cfg)
	var got []neo4j.LoadProgress
	if _, err := s.Load(t.Context(), storetest.Analyzed(t, storetest.Fixture()), func(p neo4j.LoadProgress) {
		got = append(got, p)
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) < 10 {
		t.Fatalf("%d progress reports, want one per batch of 10 rows", len(got))
	}
	last := got[len(got)-1]
	if last.Done != last.Total || last.Total < 100 {
		t.Errorf("last progress %+v, want all rows done", last)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Done <= got[i-1].Done {
			t.Errorf("progress went from %+v to %+v", got[i-1], got[i])
		}
	}
}

// Opening a store where no Neo4j listens fails fast with UNAVAILABLE, and
// no driver text reaches the message.
func TestOpenUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	_, err := neo4j.Open(ctx, neo4j.Config{URI: "bolt://127.0.0.1:1"}, nil)
	if learngraph.ErrorCode(err) != learngraph.EUNAVAILABLE {
		t.Fatalf("Open: %v, want UNAVAILABLE", err)
	}
	if msg := learngraph.ErrorMessage(err); msg != "Neo4j cannot be reached" {
		t.Errorf("message %q", msg)
	}
	for _, bad := range []neo4j.Config{{URI: ""}, {URI: "http://127.0.0.1:1"}} {
		if _, err := neo4j.Open(ctx, bad, nil); learngraph.ErrorCode(err) != learngraph.EINVALID {
			t.Errorf("Open(%q): %v, want BAD_USER_INPUT", bad.URI, err)
		}
	}
}

// A version written in another format (by another release) is not
// served, since this release's statements would miss what they read; the
// next load writes it again although the curriculum is the same, and the
// store serves again.
func TestLoadRewritesOtherFormat(t *testing.T) {
	cfg := quietConfig(t)
	s := freshStoreWith(t, cfg)
	mustLoad(t, s, storetest.Analyzed(t, storetest.Fixture()))
	gen := neo4j.Generation(mustSnapshot(t, s))
	if err := s.SetFormat(t.Context(), gen, 1); err != nil {
		t.Fatal(err)
	}

	server := openStore(t, cfg) // reads the version afresh, as a server started now does
	_, err := server.Snapshot(t.Context())
	if learngraph.ErrorCode(err) != learngraph.EUNAVAILABLE || !strings.Contains(learngraph.ErrorMessage(err), "learngraph load") {
		t.Fatalf("Snapshot of a version in another format: %v, want UNAVAILABLE saying to load again", err)
	}

	sum := mustLoad(t, s, storetest.Analyzed(t, storetest.Fixture()))
	if sum.Unchanged {
		t.Fatal("the load left a version in another format as it was")
	}
	if created, updated, deleted := sum.Changes(); created+updated+deleted != 0 {
		t.Errorf("rewriting the same curriculum changed %d, %d, %d nodes; want none", created, updated, deleted)
	}
	if got := neo4j.Generation(mustSnapshot(t, server)); got == gen {
		t.Errorf("the server still reads generation %d", gen)
	}
	if again := mustLoad(t, s, storetest.Analyzed(t, storetest.Fixture())); !again.Unchanged {
		t.Error("loading the same curriculum again, in this format, wrote it again")
	}
}
