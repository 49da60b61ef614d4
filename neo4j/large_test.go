package neo4j_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"learngraph"
	"learngraph/inmem"
	"learngraph/storetest"
)

// largeSize is the size of the synthetic curriculum the large-graph tests
// load: 20,000 concepts, about 100,000 REQUIRES edges, chains 40 deep.
const largeSize = 20_000

// On a large, deep curriculum Neo4j answers exactly as the embedded store
// does, each question in one round trip and in interactive time; the load
// reports its throughput.
func TestLargeCurriculum(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a large curriculum")
	}
	s := freshStoreWith(t, quietConfig(t))
	c := storetest.Analyzed(t, storetest.Synthetic(largeSize, 1))
	edges := 0
	for _, l := range c.Links {
		if l.Rel == learngraph.Requires {
			edges++
		}
	}
	sum := mustLoad(t, s, c)
	t.Logf("loaded %d concepts, %d relationships (%d REQUIRES) in %v: %.0f relationships/s, %.0f REQUIRES edges/s",
		len(c.Concepts), sum.Links, edges, sum.Duration.Round(time.Millisecond),
		float64(sum.Links)/sum.Duration.Seconds(), float64(edges)/sum.Duration.Seconds())

	want := mustSnapshot(t, inmem.New(c))
	got := mustSnapshot(t, s)
	known := []string{"concept-000000", "concept-002600", "concept-005100"}
	questions := []struct {
		name string
		ask  func(learngraph.Snapshot) (any, error)
	}{
		{"StudyPlan deep", func(snap learngraph.Snapshot) (any, error) {
			return describePlan(snap.StudyPlan(t.Context(), "concept-019999", nil))
		}},
		{"StudyPlan known", func(snap learngraph.Snapshot) (any, error) {
			return describePlan(snap.StudyPlan(t.Context(), "concept-010000", known))
		}},
		{"StudyPlan topic", func(snap learngraph.Snapshot) (any, error) {
			return describePlan(snap.StudyPlan(t.Context(), "Topic 300", known))
		}},
		{"NextUp nothing known", func(snap learngraph.Snapshot) (any, error) {
			return describeRecs(snap.NextUp(t.Context(), nil, 5, ""))
		}},
		{"NextUp known", func(snap learngraph.Snapshot) (any, error) {
			return describeRecs(snap.NextUp(t.Context(), known, 5, ""))
		}},
		{"NextUp deep known", func(snap learngraph.Snapshot) (any, error) {
			return describeRecs(snap.NextUp(t.Context(), []string{"concept-015000", "concept-019000"}, 10, ""))
		}},
		{"NextUp path", func(snap learngraph.Snapshot) (any, error) {
			return describeRecs(snap.NextUp(t.Context(), known, 5, "path-003"))
		}},
		{"WhyRequired far", func(snap learngraph.Snapshot) (any, error) {
			return describeChain(snap.WhyRequired(t.Context(), "concept-019999", "concept-000001"))
		}},
		{"WhyRequired none", func(snap learngraph.Snapshot) (any, error) {
			return describeChain(snap.WhyRequired(t.Context(), "concept-000001", "concept-019999"))
		}},
		{"Search", func(snap learngraph.Snapshot) (any, error) {
			return describeHits(snap.Search(t.Context(), "concept 4242", 10))
		}},
		{"Search broad", func(snap learngraph.Snapshot) (any, error) {
			return describeHits(snap.Search(t.Context(), "synthetic", 10))
		}},
		{"Related", func(snap learngraph.Snapshot) (any, error) {
			return snap.Related(t.Context(), learngraph.ConceptDependents, []string{"concept-000001", "concept-010000"})
		}},
	}
	for _, q := range questions {
		t.Run(strings.ReplaceAll(q.name, " ", "_"), func(t *testing.T) {
			wantAnswer, wantErr := q.ask(want)
			before := s.RoundTrips()
			start := time.Now()
			gotAnswer, gotErr := q.ask(got)
			took := time.Since(start)
			trips := s.RoundTrips() - before
			t.Logf("%v, %d round trip(s)", took.Round(time.Millisecond), trips)
			if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
				t.Fatalf("error %v, want %v", gotErr, wantErr)
			}
			if !reflect.DeepEqual(gotAnswer, wantAnswer) {
				t.Errorf("answer differs from the embedded store's\n got %.2000v\nwant %.2000v", gotAnswer, wantAnswer)
			}
			if trips != 1 {
				t.Errorf("%d round trips, want 1", trips)
			}
		})
	}
}

func describePlan(p *learngraph.StudyPlan, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	var out []string
	for _, s := range p.Steps {
		out = append(out, fmt.Sprintf("%s/%d/%v/%s/%v", s.Concept.ID, s.Layer, s.Goal, s.Reason, s.RequiredBy))
	}
	return out, nil
}

func describeRecs(rs []learngraph.Recommendation, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range rs {
		var unlocks []string
		for _, u := range r.Unlocks {
			unlocks = append(unlocks, u.ID)
		}
		out = append(out, fmt.Sprintf("%s %v %s", r.Concept.ID, unlocks, r.Reason))
	}
	return out, nil
}

func describeChain(steps []learngraph.PlanStep, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return describePlan(&learngraph.StudyPlan{Steps: steps}, nil)
}

func describeHits(hits []learngraph.SearchHit, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	var out []string
	for _, h := range hits {
		out = append(out, fmt.Sprintf("%s:%s %.2f", h.Node.Ref().Kind, h.Node.Ref().ID, h.Score))
	}
	return out, nil
}
