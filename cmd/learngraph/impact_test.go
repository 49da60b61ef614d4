package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"learngraph"
	"learngraph/loader"
	"learngraph/seeds"
)

// Edits to the seed's links file, each an old text and its replacement.
var (
	// GATs no longer list lifetimes among their prerequisites.
	dropGATsLifetimes = [2]string{
		"      - ref: lifetimes\n        reason: Lending iterators return items that borrow from the iterator, which needs a lifetime parameter on the associated type.\n",
		"",
	}
	// Associated Types come to require Closures.
	associatedTypesNeedClosures = [2]string{
		"        reason: An associated type is a type placeholder declared in a trait and fixed by each impl, as Iterator::Item is.\n",
		"        reason: An associated type is a type placeholder declared in a trait and fixed by each impl, as Iterator::Item is.\n" +
			"      - ref: closures\n        reason: Iterator-like traits take closures.\n",
	}
	// lifetimes come to require GATs, which require lifetimes.
	lifetimesNeedGATs = [2]string{
		"        reason: A lifetime is the span for which a borrow is valid, so it presupposes references and borrowing.\n",
		"        reason: A lifetime is the span for which a borrow is valid, so it presupposes references and borrowing.\n" +
			"      - ref: GATs\n        reason: Circular on purpose.\n",
	}
	// A new concept between GATs and Iterators.
	lendingIterators = [2]string{
		"\n  - name: no_std\n",
		"\n  - name: Lending Iterators\n    description: Iterators whose items borrow from the iterator itself.\n    topic: Advanced Trait Usage\n    requires:\n" +
			"      - ref: GATs\n        reason: The item type is a GAT with the iterator's lifetime.\n" +
			"      - ref: Iterators\n        reason: A lending iterator is an iterator that lends.\n" +
			"\n  - name: no_std\n",
	}
)

// editedSeeds copies the seed curriculum into a temporary directory and
// applies edits to its links file.
func editedSeeds(t *testing.T, edits ...[2]string) string {
	t.Helper()
	dir := t.TempDir()
	copySeeds(t, dir)
	for _, e := range edits {
		edit(t, filepath.Join(dir, "links.yaml"), e[0], e[1])
	}
	return dir
}

// lineOf returns the 1-based line of file where text starts.
func lineOf(t *testing.T, file, text string) int {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	at := strings.Index(string(b), text)
	if at < 0 {
		t.Fatalf("%s does not contain %q", file, text)
	}
	return 1 + strings.Count(string(b[:at]), "\n")
}

// seedMetrics returns the seed's metrics of a concept, as published.
func seedMetrics(t *testing.T, id string) learngraph.Metrics {
	t.Helper()
	g, err := loader.Load(seeds.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := learngraph.Analyze(g); err != nil {
		t.Fatal(err)
	}
	for _, c := range g.Concepts {
		if c.ID == id {
			return c.Metrics
		}
	}
	t.Fatalf("no concept %s in the seed", id)
	return learngraph.Metrics{}
}

func TestCheckAgainst(t *testing.T) {
	edited := editedSeeds(t, dropGATsLifetimes, associatedTypesNeedClosures)
	cyclic := editedSeeds(t, lifetimesNeedGATs)
	grown := editedSeeds(t, lendingIterators)
	published := filepath.Join(seedsDir, "links.yaml")
	closures := seedMetrics(t, "closures")

	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string // lines the output must hold, in this order
		stderr string
	}{
		{name: "Unchanged", args: []string{"check", seedsDir, "--against", seedsDir}, code: 0,
			stdout: []string{
				"Impact of going from ../../seeds to ../../seeds:",
				"  no requisite edge, concept, finding, study plan or metric changes",
			}},
		{name: "AddAndRemoveEdges", args: []string{"check", edited, "--against", seedsDir}, code: 0,
			stdout: []string{
				"0 errors, ",
				fmt.Sprintf("Impact of going from %s to %s:", seedsDir, edited),
				"  Requisite edges: 1 added, 1 removed",
				fmt.Sprintf(`    + "Associated Types" REQUIRES "Closures" (%s:%d)`, filepath.Join(edited, "links.yaml"), lineOf(t, filepath.Join(edited, "links.yaml"), "      - ref: closures\n        reason: Iterator-like")),
				fmt.Sprintf(`    - "Generic Associated Types" REQUIRES "lifetimes" (%s:%d)`, published, lineOf(t, published, dropGATsLifetimes[0])),
				"  Findings added (3):",
				`INFO REDUNDANT_EDGE: "Associated Types" requires "traits" directly, and also through "Closures" (Associated Types → Closures → traits); the direct edge is implied and can go`,
				"  Findings cleared (2):",
				"  Study plans that change (4):",
				`    "Advanced Patterns" (advanced-patterns--advanced-trait-system): gains "ownership", "Closures"; moves "Associated Types" 1→2, "Advanced Patterns" (advanced-patterns--advanced-trait-system) 2→3 (layers)`,
				`    "Generic Associated Types": gains "Closures"; loses "lifetimes"; moves "Associated Types" 1→2, "Generic Associated Types" 2→3 (layers)`,
				`    "Associated Types": gains "ownership", "Closures"; moves "Associated Types" 1→2 (layers)`,
				`    "Hardware abstraction layers": gains "Closures"; moves "Associated Types" 1→2, "Advanced Patterns" (advanced-patterns--advanced-trait-system) 2→3 (layers)`,
				"  Largest metric changes (6):",
				// Closures now blocks Associated Types and the three
				// concepts that require it.
				fmt.Sprintf(`    "Closures": complexity %d→%d (+4), blocking %d→%d (+4), delay %d, centrality`,
					closures.Complexity, closures.Complexity+4, closures.BlockingFactor, closures.BlockingFactor+4, closures.DelayFactor),
				"  Totals: complexity ",
			}},
		{name: "NewConcept", args: []string{"check", grown, "--against", seedsDir}, code: 0,
			stdout: []string{
				"  Requisite edges: 2 added, 0 removed",
				`    + "Lending Iterators" REQUIRES "Generic Associated Types" (`,
				`    + "Lending Iterators" REQUIRES "Iterators" (`,
				"  Concepts: 1 added, 0 removed",
				`    + "Lending Iterators"`,
			}},
		{name: "ClosesCycle", args: []string{"check", cyclic, "--against", seedsDir}, code: 1,
			stdout: []string{
				"1 error, ",
				fmt.Sprintf("Impact of going from %s to %s:", seedsDir, cyclic),
				"  The change closes a REQUIRES cycle; study plans and metrics are undefined until it is broken:",
				fmt.Sprintf(`    %s:%d: ERROR CYCLE: REQUIRES edges form a cycle: "Generic Associated Types" → "lifetimes" → "Generic Associated Types" (each requires the next); remove one of them`,
					filepath.Join(cyclic, "links.yaml"), lineOf(t, filepath.Join(cyclic, "links.yaml"), "      - ref: lifetimes\n        reason: Lending")),
			}},
		{name: "EditedBroken", args: []string{"check", "testdata/broken", "--against", seedsDir}, code: 1,
			stdout: []string{"  not computed: testdata/broken does not load; fix the errors above first"}},
		{name: "PublishedBroken", args: []string{"check", seedsDir, "--against", "testdata/broken"}, code: 1,
			stdout: []string{"0 errors, ", "  not computed: the published curriculum in testdata/broken does not load; learngraph check testdata/broken says why"}},
		{name: "AgainstNotADirectory", args: []string{"check", seedsDir, "--against", "testdata/nope"}, code: 2,
			stderr: "learngraph check: --against testdata/nope is not a directory"},
		{name: "GitHubFormatLeavesItOut", args: []string{"check", "--format", "github", edited, "--against", seedsDir}, code: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, nil, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout, stderr)
			}
			rest := stdout
			for _, want := range tt.stdout {
				at := strings.Index(rest, want)
				if at < 0 {
					t.Errorf("stdout does not contain %q after the lines before it:\n%s", want, stdout)
					break
				}
				rest = rest[at+len(want):]
			}
			if tt.stdout == nil && strings.Contains(stdout, "Impact") {
				t.Errorf("stdout has an impact section:\n%s", stdout)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr %q does not contain %q", stderr, tt.stderr)
			}
		})
	}
}

type jsonImpactReport struct {
	Impact *struct {
		Against     string
		Error       string
		ClosesCycle bool
		EdgesAdded  []struct {
			From, To, Rel, Reason, File string
			Line                        int
		}
		EdgesRemoved []struct {
			From, To, Rel, File string
			Line                int
		}
		ConceptsAdded, ConceptsRemoved []string
		FindingsAdded                  []struct{ Kind, File string }
		FindingsCleared                []struct{ Kind, File string }
		PlanChanges                    []struct {
			Concept        string
			Added, Removed []string
			Moved          []struct {
				Concept       string
				Before, After int
			}
		}
		PlanChangeCount int
		MetricChanges   []struct {
			Concept       string
			Before, After struct{ BlockingFactor, DelayFactor, Complexity int }
		}
		MetricChangeCount int
		Totals            *struct {
			Before, After struct {
				Concepts, Complexity int
				LongestChain         []string
			}
		}
	}
}

func TestCheckAgainstJSON(t *testing.T) {
	checkJSON := func(t *testing.T, args ...string) jsonImpactReport {
		t.Helper()
		_, stdout, stderr := run(t, nil, append([]string{"check", "--json"}, args...)...)
		var r jsonImpactReport
		if err := json.Unmarshal([]byte(stdout), &r); err != nil {
			t.Fatalf("not JSON: %v\n%s\n%s", err, stdout, stderr)
		}
		return r
	}
	t.Run("Edges", func(t *testing.T) {
		edited := editedSeeds(t, dropGATsLifetimes, associatedTypesNeedClosures)
		r := checkJSON(t, edited, "--against", seedsDir)
		im := r.Impact
		if im == nil {
			t.Fatal("no impact object")
		}
		if im.Against != seedsDir || im.Error != "" || im.ClosesCycle {
			t.Errorf("against %q, error %q, closes cycle %v", im.Against, im.Error, im.ClosesCycle)
		}
		if len(im.EdgesAdded) != 1 || im.EdgesAdded[0].From != "associated-types" || im.EdgesAdded[0].To != "closures" ||
			im.EdgesAdded[0].Rel != "REQUIRES" || im.EdgesAdded[0].Reason != "Iterator-like traits take closures." ||
			im.EdgesAdded[0].File != filepath.Join(edited, "links.yaml") || im.EdgesAdded[0].Line == 0 {
			t.Errorf("edges added %+v", im.EdgesAdded)
		}
		if len(im.EdgesRemoved) != 1 || im.EdgesRemoved[0].From != "generic-associated-types" || im.EdgesRemoved[0].To != "lifetimes" ||
			im.EdgesRemoved[0].File != filepath.Join(seedsDir, "links.yaml") {
			t.Errorf("edges removed %+v", im.EdgesRemoved)
		}
		if len(im.ConceptsAdded) != 0 || len(im.ConceptsRemoved) != 0 || len(im.FindingsAdded) != 3 || len(im.FindingsCleared) != 2 {
			t.Errorf("concepts +%v -%v, findings +%d -%d", im.ConceptsAdded, im.ConceptsRemoved, len(im.FindingsAdded), len(im.FindingsCleared))
		}
		if im.PlanChangeCount != 4 || len(im.PlanChanges) != 4 {
			t.Fatalf("%d plan changes, %d listed; want 4", im.PlanChangeCount, len(im.PlanChanges))
		}
		gats := im.PlanChanges[1]
		if gats.Concept != "generic-associated-types" || strings.Join(gats.Added, ",") != "closures" || strings.Join(gats.Removed, ",") != "lifetimes" ||
			len(gats.Moved) != 2 || gats.Moved[0].Concept != "associated-types" || gats.Moved[0].Before != 1 || gats.Moved[0].After != 2 {
			t.Errorf("GATs' plan change %+v", gats)
		}
		if im.MetricChangeCount != 6 || im.MetricChanges[0].Concept != "closures" ||
			im.MetricChanges[0].After.BlockingFactor-im.MetricChanges[0].Before.BlockingFactor != 4 {
			t.Errorf("metric changes (%d) %+v", im.MetricChangeCount, im.MetricChanges)
		}
		if tot := im.Totals; tot == nil || tot.Before.Concepts != 74 || tot.After.Complexity-tot.Before.Complexity != 8 || len(tot.After.LongestChain) == 0 {
			t.Errorf("totals %+v", im.Totals)
		}
	})
	t.Run("ClosesCycle", func(t *testing.T) {
		r := checkJSON(t, editedSeeds(t, lifetimesNeedGATs), "--against", seedsDir)
		im := r.Impact
		if im == nil || !im.ClosesCycle || len(im.FindingsAdded) != 1 || im.FindingsAdded[0].Kind != "CYCLE" ||
			!strings.Contains(im.Error, "not compared") || im.PlanChanges == nil || len(im.PlanChanges) != 0 || im.Totals != nil {
			t.Errorf("impact %+v", im)
		}
	})
	t.Run("WithoutAgainst", func(t *testing.T) {
		if r := checkJSON(t, seedsDir); r.Impact != nil {
			t.Errorf("impact %+v without --against", r.Impact)
		}
	})
}
