package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"time"

	"learngraph"
	"learngraph/graph"
)

// question is one thing the benchmark asks each store, through the
// Snapshot API and through GraphQL. Iteration i of a measurement asks
// ask(…, i) and sends vars(i), so a question may change from one call to
// the next (see newLearners); every store is asked the same sequence.
type question struct {
	query string
	goal  Goal // zero for questions without a goal
	ask   func(ctx context.Context, snap learngraph.Snapshot, i int) (answer, error)
	// The same question in GraphQL.
	gql  string
	vars func(i int) map[string]any
}

// answer is what a question returned, in a form two stores' answers can
// be compared in, and its size.
type answer struct {
	text string
	size int
}

// questions are the widget's and the playground's questions: a study plan
// towards each goal; next-up for a learner who knows each goal, asked
// again and again as a widget does, and for a new learner each time; the
// crates of a path; and one ref lookup as the baseline.
//
// The embedded store keeps recent next-up rankings per snapshot, so a
// repeated next-up costs it a cache hit; "nextUp, new learner" asks with
// a known set it has not seen (the goal and a pair of concepts that
// require nothing, a different pair each call), which costs the ranking
// itself. sources are the concepts that require nothing.
func questions(goals []Goal, path string, sources []string) []question {
	middle := goals[len(goals)/2]
	same := func(v map[string]any) func(int) map[string]any { return func(int) map[string]any { return v } }
	qs := []question{{
		query: "resolve", goal: middle,
		ask: func(ctx context.Context, snap learngraph.Snapshot, _ int) (answer, error) {
			n, err := snap.Resolve(ctx, middle.ID)
			if err != nil {
				return answer{}, err
			}
			return answer{text: fmt.Sprint(n.Ref()), size: 1}, nil
		},
		gql:  `query($ref: String!) { concept(ref: $ref) { id name } }`,
		vars: same(map[string]any{"ref": middle.ID}),
	}}
	for _, g := range goals {
		qs = append(qs, question{
			query: "studyPlan", goal: g,
			ask: func(ctx context.Context, snap learngraph.Snapshot, _ int) (answer, error) {
				plan, err := snap.StudyPlan(ctx, g.ID, nil)
				if err != nil {
					return answer{}, err
				}
				return describeSteps(plan.Steps), nil
			},
			gql:  `query($goal: String!) { studyPlan(goal: $goal) { steps { layer reason isGoal concept { id name } } } }`,
			vars: same(map[string]any{"goal": g.ID}),
		})
	}
	const nextUpGQL = `query($known: [String!]!) { nextUp(known: $known, first: 5) { reason concept { id name } unlocks { id } } }`
	sets := sourceSets(sources)
	for _, repeated := range []bool{true, false} {
		for _, g := range goals {
			known := func(i int) []string {
				if repeated || len(sets) == 0 {
					return []string{g.ID}
				}
				return append([]string{g.ID}, sets[i%len(sets)]...)
			}
			query := "nextUp"
			if !repeated {
				query = "nextUp, new learner"
			}
			qs = append(qs, question{
				query: query, goal: g,
				ask: func(ctx context.Context, snap learngraph.Snapshot, i int) (answer, error) {
					recs, err := snap.NextUp(ctx, known(i), 5, "")
					if err != nil {
						return answer{}, err
					}
					return describeRecs(recs), nil
				},
				gql:  nextUpGQL,
				vars: func(i int) map[string]any { return map[string]any{"known": known(i)} },
			})
		}
	}
	qs = append(qs, question{
		query: "path crates",
		ask: func(ctx context.Context, snap learngraph.Snapshot, _ int) (answer, error) {
			related, err := snap.Related(ctx, learngraph.PathCrates, []string{path})
			if err != nil {
				return answer{}, err
			}
			var ids []string
			for _, n := range related[0] {
				ids = append(ids, n.Node.Ref().ID)
			}
			return answer{text: strings.Join(ids, " "), size: len(ids)}, nil
		},
		gql:  `query($path: String!) { domainPath(ref: $path) { crates { name description } } }`,
		vars: same(map[string]any{"path": path}),
	})
	return qs
}

// sourceSets returns up to 2000 distinct pairs, then triples, of sources
// in a fixed order: more than the calls of the two measurements of a
// question (the GraphQL one starts at set 1000, see measureStore), and
// more than the embedded store's cache of rankings holds.
func sourceSets(sources []string) [][]string {
	const most = 2000
	var sets [][]string
	for i := range sources {
		for j := i + 1; j < len(sources) && len(sets) < most; j++ {
			sets = append(sets, []string{sources[i], sources[j]})
		}
	}
	for i := range sources {
		for j := i + 1; j < len(sources); j++ {
			for k := j + 1; k < len(sources) && len(sets) < most; k++ {
				sets = append(sets, []string{sources[i], sources[j], sources[k]})
			}
		}
	}
	return sets
}

func describeSteps(steps []learngraph.PlanStep) answer {
	lines := make([]string, len(steps))
	for i, s := range steps {
		lines[i] = fmt.Sprintf("%s/%d/%v/%s/%v", s.Concept.ID, s.Layer, s.Goal, s.Reason, s.RequiredBy)
	}
	return answer{text: strings.Join(lines, "\n"), size: len(steps)}
}

func describeRecs(recs []learngraph.Recommendation) answer {
	lines := make([]string, len(recs))
	for i, r := range recs {
		var unlocks []string
		for _, u := range r.Unlocks {
			unlocks = append(unlocks, u.ID)
		}
		lines[i] = fmt.Sprintf("%s %v %s", r.Concept.ID, unlocks, r.Reason)
	}
	return answer{text: strings.Join(lines, "\n"), size: len(recs)}
}

// askStore returns a function that asks q of store, taking a snapshot
// first as every request does.
func askStore(store learngraph.Store, q question) func(context.Context, int) (answer, error) {
	return func(ctx context.Context, i int) (answer, error) {
		snap, err := store.Snapshot(ctx)
		if err != nil {
			return answer{}, err
		}
		return q.ask(ctx, snap, i)
	}
}

// askGraphQL returns a function that posts q to the GraphQL handler over
// store, in process: the serving cost without the network. The answer's
// size is the response's, in bytes.
func askGraphQL(store learngraph.Store, q question) func(context.Context, int) (answer, error) {
	h := graph.NewHandler(store, graph.Options{Logger: slog.New(slog.DiscardHandler)})
	return func(ctx context.Context, i int) (answer, error) {
		body, err := json.Marshal(map[string]any{"query": q.gql, "variables": q.vars(i)})
		if err != nil {
			return answer{}, err
		}
		req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		out := rec.Body.Bytes()
		if rec.Code != http.StatusOK || bytes.Contains(out, []byte(`"errors"`)) {
			return answer{}, fmt.Errorf("GraphQL %s: status %d: %.500s", q.query, rec.Code, out)
		}
		return answer{size: len(out)}, nil
	}
}

// measure calls f warmup times, then up to iterations times while maxTime
// lasts (but at least minSamples times), and summarises the durations.
func measure(ctx context.Context, o *options, f func(context.Context, int) (answer, error)) (Stats, error) {
	const minSamples = 20
	var last answer
	for i := range o.warmup {
		a, err := f(ctx, i)
		if err != nil {
			return Stats{}, err
		}
		last = a
	}
	samples := make([]time.Duration, 0, o.iterations)
	deadline := time.Now().Add(o.maxTime)
	for len(samples) < o.iterations && (len(samples) < minSamples || time.Now().Before(deadline)) {
		if err := ctx.Err(); err != nil {
			return Stats{}, err
		}
		start := time.Now()
		a, err := f(ctx, o.warmup+len(samples))
		took := time.Since(start)
		if err != nil {
			return Stats{}, err
		}
		samples = append(samples, took)
		last = a
	}
	slices.Sort(samples)
	return Stats{
		N:      len(samples),
		P50Ms:  ms(percentile(samples, 0.50)),
		P99Ms:  ms(percentile(samples, 0.99)),
		MinMs:  ms(samples[0]),
		MaxMs:  ms(samples[len(samples)-1]),
		Answer: last.size,
	}, nil
}

// percentile returns the nearest-rank q-quantile of sorted durations.
func percentile(sorted []time.Duration, q float64) time.Duration {
	rank := int(q*float64(len(sorted)) + 0.999999)
	return sorted[min(len(sorted), max(1, rank))-1]
}
