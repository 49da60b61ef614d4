package loader_test

import (
	"slices"
	"strings"
	"testing"

	"learngraph"
)

const phase3Doc = "series-phase-3.md"

// seriesFS is the seed document, a phase-3 sibling of another shape and
// the tests' links file. The sibling's name sorts after the seed's, so the
// test also shows that documents load in phase order, not name order.
func seriesFS(t *testing.T) map[string]string {
	t.Helper()
	return map[string]string{phase3Doc: string(readFile(t, "testdata/series/"+phase3Doc))}
}

func TestLoadSeries(t *testing.T) {
	g := mustLoad(t, seedFS(t, seriesFS(t)))

	t.Run("LoadOrder", func(t *testing.T) {
		if want := []string{phase3Doc, seedDoc, "links.yaml"}; !slices.Equal(g.Documents, want) {
			t.Errorf("documents = %q, want %q", g.Documents, want)
		}
		p3 := byID(t, g.Phases, "phase-3")
		if p3.Title != "Phase 3: Advanced Beginner (Months 3-6)" || p3.Name != "Advanced Beginner" || p3.File != phase3Doc {
			t.Errorf("phase-3 = %q %q from %q; want the loaded document's", p3.Title, p3.Name, p3.File)
		}
		for _, l := range []struct{ from, to string }{{"phase-4", "phase-3"}, {"phase-3", "phase-1"}, {"phase-3", "phase-2"}} {
			if _, ok := findLink(g, learngraph.BuildsOn, phase(l.from), phase(l.to)); !ok {
				t.Errorf("%s does not BUILD_ON %s", l.from, l.to)
			}
		}
		if ids := ids(g.Phases); !slices.Equal(ids, []string{"phase-1", "phase-2", "phase-3", "phase-4"}) {
			t.Errorf("phases = %v", ids)
		}
	})

	t.Run("TaughtWhereFirstAppears", func(t *testing.T) {
		// Phase 3 teaches async/await; phase 4's Prerequisites name it.
		aa := byID(t, g.Concepts, "async-await")
		if !aa.Taught || aa.Phase != "phase-3" || aa.File != phase3Doc || aa.Line != 16 || aa.Pos.Phase != 3 || aa.Pos.File != 0 {
			t.Errorf("async/await = taught %v phase %q at %s:%d pos %+v", aa.Taught, aa.Phase, aa.File, aa.Line, aa.Pos)
		}
		if aa.Topic != "async-basics" || aa.Description != "Writing asynchronous functions and awaiting futures" {
			t.Errorf("async/await topic %q description %q", aa.Topic, aa.Description)
		}
		if _, ok := findLink(g, learngraph.Assumes, phase("phase-4"), concept("async-await")); !ok {
			t.Error("phase-4 no longer ASSUMES async-await")
		}
		// Both phases list Declarative Macros: one concept, phase 3's.
		dm := byID(t, g.Concepts, "declarative-macros")
		if dm.Phase != "phase-3" || dm.File != phase3Doc || dm.Description != "First macro_rules! macros" || dm.Topic != "macro-basics" {
			t.Errorf("declarative macros = phase %q %s %q topic %q", dm.Phase, dm.File, dm.Description, dm.Topic)
		}
		n := 0
		for _, c := range g.Concepts {
			if strings.EqualFold(c.Name, "async/await") || strings.EqualFold(c.Name, "declarative macros") {
				n++
			}
		}
		if n != 2 {
			t.Errorf("%d concepts named async/await or Declarative Macros, want one each", n)
		}
		// Phase 3's own prerequisites create what no document teaches.
		if b := byID(t, g.Concepts, "borrowing"); b.Taught || b.Phase != "" {
			t.Errorf("borrowing = taught %v phase %q", b.Taught, b.Phase)
		}
	})

	t.Run("OtherShapes", func(t *testing.T) {
		for _, tc := range []struct {
			id                  string
			kind                learngraph.ChallengeKind
			desc, solution, tip string
			line                int
		}{
			{"async-web-scraper", learngraph.Project, "Fetch pages concurrently with reqwest\nRespect a rate limit", "", "", 28},
			{"tiny-macro-library", learngraph.Project, "Write three small declarative macros.\na vec-like constructor\na hashmap! literal", "", "", 32},
			{"blocking-in-async-code", learngraph.Pitfall, "Calling blocking functions inside async tasks stalls the runtime", "Use spawn_blocking for blocking work", "Keep async tasks short", 41},
			{"fighting-the-borrow-checker", learngraph.Pitfall, "Cloning everything to make errors go away", "", "", 44},
		} {
			c := byID(t, g.Challenges, tc.id)
			if c.Kind != tc.kind || c.Description != tc.desc || c.Solution != tc.solution || c.Tip != tc.tip || c.Line != tc.line || c.File != phase3Doc || c.Phase != "phase-3" {
				t.Errorf("challenge %s = %s %q %q %q at %s:%d phase %q", tc.id, c.Kind, c.Description, c.Solution, c.Tip, c.File, c.Line, c.Phase)
			}
		}
		// Both phases have a project of this title: two projects, the later
		// phase's id suffixed with its phase.
		cli3 := byID(t, g.Challenges, "build-a-cli-tool-with-database-integration")
		cli4 := byID(t, g.Challenges, "build-a-cli-tool-with-database-integration--phase-4")
		if cli3.Phase != "phase-3" || cli3.Description != "A first command-line tool over SQLite." || cli4.Phase != "phase-4" || cli4.File != seedDoc {
			t.Errorf("CLI projects = %s %q, %s %s", cli3.Phase, cli3.Description, cli4.Phase, cli4.File)
		}
		// tokio, listed by both phases, is one crate; phase 3 named it first.
		tokio := byID(t, g.Crates, "tokio")
		if tokio.Category != "Async" || !slices.Equal(tokio.Categories, []string{"Async", "Core Language"}) || tokio.File != phase3Doc {
			t.Errorf("tokio = %q %q from %s", tokio.Category, tokio.Categories, tokio.File)
		}
		if tp := byID(t, g.Topics, "smart-pointers"); tp.Phase != "phase-3" || tp.Group != "Core Topics" {
			t.Errorf("smart pointers = phase %q group %q", tp.Phase, tp.Group)
		}
	})

	t.Run("UnknownSectionWarns", func(t *testing.T) {
		if len(g.Warnings) != 1 {
			t.Fatalf("warnings = %v, want one", g.Warnings)
		}
		w := g.Warnings[0]
		if w.File != phase3Doc || w.Line != 52 || w.Kind != learngraph.UnrecognizedContent || !strings.Contains(w.Message, `"Community Resources"`) {
			t.Errorf("warning = %v", w)
		}
	})
}

// TestLoadUntitledDocument: a document without a "Phase N: Name" title
// loads as the phase after the highest one named, with a warning.
func TestLoadUntitledDocument(t *testing.T) {
	g := mustLoad(t, seedFS(t, map[string]string{
		"extras.md":  "# Rust Odds and Ends\n\n## Key Concepts Covered\n- **Unsafe Rust**: raw pointers\n",
		"notitle.md": "## Key Concepts Covered\n- **FFI**: calling C\n",
	}))
	for _, tc := range []struct {
		phase, name, title, file, concept string
	}{
		{"phase-5", "Rust Odds and Ends", "Rust Odds and Ends", "extras.md", "unsafe-rust"},
		{"phase-6", "notitle", "", "notitle.md", "ffi"},
	} {
		p := byID(t, g.Phases, tc.phase)
		if p.Name != tc.name || p.Title != tc.title {
			t.Errorf("%s = %q %q", tc.phase, p.Name, p.Title)
		}
		if c := byID(t, g.Concepts, tc.concept); c.Phase != tc.phase || c.File != tc.file {
			t.Errorf("%s = phase %q file %s", tc.concept, c.Phase, c.File)
		}
		found := false
		for _, w := range g.Warnings {
			found = found || (w.File == tc.file && w.Line == 1 && strings.Contains(w.Message, "loaded as "+strings.Replace(tc.phase, "-", " ", 1)))
		}
		if !found {
			t.Errorf("no warning for %s in %v", tc.file, g.Warnings)
		}
	}
}
