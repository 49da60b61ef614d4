package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"learngraph"
	"learngraph/graph"
)

// limitHandler returns the handler over store with opts, logging nowhere.
func limitHandler(store learngraph.Store, opts graph.Options) http.Handler {
	opts.Logger = slog.New(slog.DiscardHandler)
	return graph.NewHandler(store, opts)
}

// TestLimits checks that every limit refuses a request before anything
// resolves (no snapshot is taken), with LIMIT_EXCEEDED, extensions.limit
// and a message that names the limit, and without a data entry.
func TestLimits(t *testing.T) {
	deep := `{ concept(ref: "GATs") { prerequisites { prerequisites { prerequisites { prerequisites { prerequisites { prerequisites { prerequisites { prerequisites { prerequisites { id } } } } } } } } } } }`
	tests := []struct {
		name    string
		opts    graph.Options
		query   string
		vars    map[string]any
		limit   float64
		message string
	}{
		{"Depth", graph.Options{}, deep, nil, 10, "query depth 11 exceeds the limit of 10"},
		{"DepthConfigured", graph.Options{MaxDepth: 3}, `{ concept(ref: "GATs") { crates { concepts { id } } } }`, nil, 3,
			"query depth 4 exceeds the limit of 3"},
		{"DepthThroughFragments", graph.Options{MaxDepth: 3},
			`{ concept(ref: "GATs") { ...A } } fragment A on Concept { crates { ...B } } fragment B on Crate { concepts { id } }`, nil, 3,
			"query depth 4 exceeds the limit of 3"},
		{"Aliases", graph.Options{MaxAliases: 2}, `{ a: curriculum { version } b: curriculum { version } c: curriculum { version } }`, nil, 2,
			"3 aliases exceed the limit of 2 per operation"},
		{"AliasesInFragmentsCountEachSpread", graph.Options{MaxAliases: 3},
			`{ x: concept(ref: "GATs") { ...F } y: concept(ref: "HRTBs") { ...F } } fragment F on Concept { a: id b: name }`, nil, 3,
			"6 aliases exceed the limit of 3 per operation"},
		{"Complexity", graph.Options{MaxComplexity: 11}, `{ concepts(first: 10) { nodes { id } } }`, nil, 11,
			"query complexity 12 exceeds the limit of 11"},
		{"ComplexityUsesVariables", graph.Options{MaxComplexity: 500},
			`query($n: Int) { topics(first: $n) { concepts(first: $n) { id } } }`, map[string]any{"n": 30}, 500,
			"query complexity 931 exceeds the limit of 500"},
		{"ComplexityUsesDefaults", graph.Options{MaxComplexity: 100}, `{ topics { concepts { id } } }`, nil, 100,
			"query complexity 5101 exceeds the limit of 100"},
		{"ComplexityDefaultCappedByMaxFirst", graph.Options{MaxComplexity: 30, MaxFirst: 5}, `{ topics { concepts { id } } }`, nil, 30,
			"query complexity 31 exceeds the limit of 30"},
		{"FirstDefault", graph.Options{}, `{ concepts(first: 101) { totalCount } }`, nil, 100, "first must be at most 100, got 101"},
		{"FirstConfigured", graph.Options{MaxFirst: 20}, `{ topics(first: 21) { id } }`, nil, 20, "first must be at most 20, got 21"},
		{"FirstNested", graph.Options{MaxFirst: 20}, `query($n: Int) { topics { concepts(first: $n) { id } } }`, map[string]any{"n": 25}, 20,
			"first must be at most 20, got 25"},
		{"Tokens", graph.Options{ParserTokenLimit: 20}, `{ concept(ref: "GATs") { id name description prerequisites { id name } crates { name } } }`, nil, 20,
			"the query has more than 20 tokens, the limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := &countingStore{inner: seedStore(t), counts: map[string]int{}}
			h := limitHandler(store, tt.opts)
			start := time.Now()
			resp := post(t, h, tt.query, tt.vars)
			if elapsed := time.Since(start); elapsed > time.Second {
				t.Errorf("refused after %s; want it refused at once", elapsed)
			}
			e := onlyError(t, resp)
			if e.Extensions["code"] != "LIMIT_EXCEEDED" || e.Extensions["limit"] != tt.limit {
				t.Errorf("extensions %v, want code LIMIT_EXCEEDED and limit %v", e.Extensions, tt.limit)
			}
			if !strings.Contains(e.Message, tt.message) {
				t.Errorf("message %q, want it to contain %q", e.Message, tt.message)
			}
			if resp.Data != nil {
				t.Errorf("a refused request has data %s", resp.Data)
			}
			if resp.Status != http.StatusOK {
				t.Errorf("status %d, want 200 (application/json)", resp.Status)
			}
			if got := store.snapshot(); len(got) != 0 {
				t.Errorf("the store was called: %v", got)
			}
		})
	}
}

// TestDefaultFirstCapped checks that a list whose first is left out
// returns the schema's default capped at the largest first, rather than
// refusing the query.
func TestDefaultFirstCapped(t *testing.T) {
	h := limitHandler(seedStore(t), graph.Options{MaxFirst: 3})
	resp := post(t, h, `{ topics { concepts { id } } crates { name } }`, nil)
	if len(resp.Errors) > 0 {
		t.Fatalf("errors: %+v", resp.Errors)
	}
	var data struct {
		Topics []struct{ Concepts []any }
		Crates []any
	}
	mustUnmarshal(t, resp.Data, &data)
	if len(data.Topics) != 3 || len(data.Crates) != 3 {
		t.Errorf("%d topics, %d crates; want 3 of each", len(data.Topics), len(data.Crates))
	}
	for _, topic := range data.Topics {
		if len(topic.Concepts) > 3 {
			t.Errorf("a topic lists %d concepts, want at most 3", len(topic.Concepts))
		}
	}
}

// TestLimitsAllow checks that what the README and the playground ask, and
// GraphiQL's introspection query, pass the default limits.
func TestLimitsAllow(t *testing.T) {
	intro, err := os.ReadFile("testdata/introspection.graphql")
	if err != nil {
		t.Fatal(err)
	}
	h := limitHandler(seedStore(t), graph.Options{})
	for name, q := range map[string]string{
		"Introspection": string(intro),
		"Plan":          `{ studyPlan(goal: "GATs") { goal { name } steps { layer reason isGoal concept { name crates { name } } } } }`,
		"PageOfConcepts": `{ concepts(first: 100) { nodes { id topic { id } phase { id }
			prerequisites { id crates { name } } dependents { id } } } }`,
		// Ten deep, and cheap enough with a small first: at the default
		// of 50 each level would multiply the cost by 50.
		"DepthTen": `{ concept(ref: "GATs") { prerequisites(first: 2) { prerequisites(first: 2) { prerequisites(first: 2) { prerequisites(first: 2) {
			prerequisites(first: 2) { prerequisites(first: 2) { prerequisites(first: 2) { prerequisites(first: 2) { id } } } } } } } } } }`,
	} {
		t.Run(name, func(t *testing.T) {
			if resp := post(t, h, q, nil); len(resp.Errors) > 0 {
				t.Errorf("errors: %+v", resp.Errors)
			}
		})
	}
}

// TestComplexityIntrospection checks that introspection is priced by
// what it returns: GraphiQL's query costs what it answers, a query that
// nests the schema inside itself costs more than a default limit allows.
func TestComplexityIntrospection(t *testing.T) {
	intro, err := os.ReadFile("testdata/introspection.graphql")
	if err != nil {
		t.Fatal(err)
	}
	h := limitHandler(seedStore(t), graph.Options{MaxComplexity: 1 << 40})
	ctx, outcome := graph.Observe(context.Background())
	body, _ := json.Marshal(map[string]any{"query": string(intro)})
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	// The cost counts one per field of the answer, so it tracks the
	// number of JSON values in the answer.
	var answer any
	if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil {
		t.Fatal(err)
	}
	values := countFields(answer)
	if c := outcome.Complexity(); c < values/2 || c > values*2 {
		t.Errorf("introspection complexity %d, its answer has %d fields", c, values)
	}

	// Types within types within types: thousands of entries.
	const nested = `{ __schema { types { fields { type { name fields { name type { name fields { name } } } } } } } }`
	resp := post(t, limitHandler(seedStore(t), graph.Options{MaxComplexity: 50000}), nested, nil)
	if len(resp.Errors) == 0 {
		t.Fatal("a self-nested introspection query ran")
	}
	code := resp.Errors[0].Extensions["code"]
	if code != "LIMIT_EXCEEDED" && code != "GRAPHQL_VALIDATION_FAILED" {
		t.Errorf("error %+v, want it refused", resp.Errors[0])
	}
}

func countFields(v any) int {
	switch v := v.(type) {
	case map[string]any:
		n := 0
		for _, x := range v {
			n += 1 + countFields(x)
		}
		return n
	case []any:
		n := 0
		for _, x := range v {
			n += countFields(x)
		}
		return n
	default:
		return 0
	}
}

// TestFragmentExplosion checks that a document whose fragments spread
// each other twice over, level after level, is judged at once: each
// fragment is walked once.
func TestFragmentExplosion(t *testing.T) {
	var b strings.Builder
	b.WriteString("query { concept(ref: \"GATs\") { ...F0 } }\n")
	const levels = 40
	for i := range levels {
		b.WriteString("fragment F")
		b.WriteString(strconv.Itoa(i))
		b.WriteString(" on Concept { id ")
		if i+1 < levels {
			b.WriteString("...F" + strconv.Itoa(i+1) + " ...F" + strconv.Itoa(i+1))
		}
		b.WriteString(" }\n")
	}
	h := limitHandler(seedStore(t), graph.Options{})
	done := make(chan response, 1)
	go func() { done <- post(t, h, b.String(), nil) }()
	select {
	case resp := <-done:
		// The merged selection is small: it runs, or a limit refuses it;
		// either way it is answered.
		if resp.Status != http.StatusOK {
			t.Errorf("status %d", resp.Status)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the limits did not judge a fragment chain in 10 s")
	}
}

// slowStore answers only when its context ends, as a store that hangs.
type slowStore struct{}

func (slowStore) Snapshot(ctx context.Context) (learngraph.Snapshot, error) {
	<-ctx.Done()
	return nil, &learngraph.Error{Code: learngraph.EUNAVAILABLE, Message: "the store did not answer", Err: ctx.Err()}
}

// TestTimeout checks that a request that runs out of time answers
// LIMIT_EXCEEDED naming the timeout, in about the timeout.
func TestTimeout(t *testing.T) {
	h := limitHandler(slowStore{}, graph.Options{Timeout: 50 * time.Millisecond})
	start := time.Now()
	resp := post(t, h, `{ topics { id } }`, nil)
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("answered after %s with a 50ms timeout", elapsed)
	}
	e := onlyError(t, resp)
	if e.Extensions["code"] != "LIMIT_EXCEEDED" || e.Extensions["limit"] != float64(50) {
		t.Errorf("extensions %v, want LIMIT_EXCEEDED with limit 50 (ms)", e.Extensions)
	}
	if !strings.Contains(e.Message, "took longer than the limit of 50ms") {
		t.Errorf("message %q", e.Message)
	}
}

// TestIntrospectionSwitch checks that introspection runs by default and
// is refused with FORBIDDEN when switched off, while __typename stays.
func TestIntrospectionSwitch(t *testing.T) {
	on := limitHandler(seedStore(t), graph.Options{})
	off := limitHandler(seedStore(t), graph.Options{DisableIntrospection: true})
	if resp := post(t, on, `{ __schema { queryType { name } } }`, nil); len(resp.Errors) > 0 {
		t.Errorf("introspection refused by default: %+v", resp.Errors)
	}
	for _, q := range []string{`{ __schema { queryType { name } } }`, `{ __type(name: "Concept") { name } }`,
		`{ ...F } fragment F on Query { __schema { types { name } } }`} {
		resp := post(t, off, q, nil)
		e := onlyError(t, resp)
		if e.Extensions["code"] != "FORBIDDEN" || resp.Status != http.StatusForbidden {
			t.Errorf("%s: status %d, %+v; want 403 FORBIDDEN", q, resp.Status, e)
		}
	}
	if resp := post(t, off, `{ __typename curriculum { version } }`, nil); len(resp.Errors) > 0 {
		t.Errorf("__typename refused: %+v", resp.Errors)
	}
}

// TestTimeoutStopsResolving checks that once a request is out of time no
// further resolver runs, even when the store ignores its context.
func TestTimeoutStopsResolving(t *testing.T) {
	related := make(chan struct{}, 100)
	store := fakeStore{snap: &fakeSnapshot{
		all: func(learngraph.Kind) ([]learngraph.Node, error) {
			time.Sleep(100 * time.Millisecond) // ignores the context
			return []learngraph.Node{&learngraph.Topic{ID: "macros", Name: "Macros"}}, nil
		},
		related: func(learngraph.Relation, []string) ([][]learngraph.Neighbor, error) {
			related <- struct{}{}
			return [][]learngraph.Neighbor{nil}, nil
		},
	}}
	h := limitHandler(store, graph.Options{Timeout: 20 * time.Millisecond})
	resp := post(t, h, `{ topics { id concepts { id } } }`, nil)
	if len(related) > 0 {
		t.Error("a relationship was resolved after the request ran out of time")
	}
	if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "LIMIT_EXCEEDED" {
		t.Errorf("errors %+v, want LIMIT_EXCEEDED", resp.Errors)
	}
}
