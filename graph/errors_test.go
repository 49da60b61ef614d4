package graph_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"learngraph"
)

// TestErrors checks what clients see when a request cannot be answered:
// domain codes in extensions.code with their details, gqlgen's own
// validation messages, and argument limits.
func TestErrors(t *testing.T) {
	h := newHandler(seedStore(t), nil, 0)
	tests := []struct {
		name     string
		query    string
		vars     map[string]any
		status   int
		code     string
		message  string         // a part of the message
		ext      map[string]any // extensions that must be there, besides code
		contains map[string]string
	}{
		{name: "Ambiguous", query: `{ concept(ref: "Advanced Patterns") { id } }`, status: 200, code: "AMBIGUOUS",
			message: "Advanced Patterns",
			ext: map[string]any{"candidates": []any{
				"advanced-patterns--advanced-trait-system", "advanced-patterns--macros-and-metaprogramming"}}},
		{name: "PlanGoalNotFound", query: `{ studyPlan(goal: "Macroz") { steps { layer } } }`, status: 200, code: "NOT_FOUND",
			message: `"Macroz"`, contains: map[string]string{"suggestions": "Macros"}},
		{name: "NextUpKnownNotFound", query: `{ nextUp(known: ["GATz"]) { reason } }`, status: 200, code: "NOT_FOUND",
			message: `"GATz"`, contains: map[string]string{"suggestions": "GAT"}},
		{name: "WhyRequiredNotFound", query: `{ whyRequired(goal: "GATs", prerequisite: "lifetimez") { layer } }`, status: 200, code: "NOT_FOUND",
			message: "lifetimez", contains: map[string]string{"suggestions": "lifetimes"}},
		{name: "CategoryNotFound", query: `{ crates(category: "Web Developmnt") { name } }`, status: 200, code: "NOT_FOUND",
			message: "did you mean", contains: map[string]string{"suggestions": "Web Development"}},
		{name: "FirstZero", query: `{ concepts(first: 0) { totalCount } }`, status: 200, code: "BAD_USER_INPUT", message: "first must be between 1 and 100"},
		{name: "FirstNegative", query: `{ concept(ref: "traits") { dependents(first: -3) { id } } }`, status: 200, code: "BAD_USER_INPUT", message: "got -3"},
		{name: "FirstTooLarge", query: `{ concepts(first: 101) { totalCount } }`, status: 200, code: "LIMIT_EXCEEDED",
			message: "at most 100", ext: map[string]any{"limit": float64(100)}},
		{name: "NestedFirstTooLarge", query: `{ topics { concepts(first: 1000) { id } } }`, status: 200, code: "LIMIT_EXCEEDED",
			ext: map[string]any{"limit": float64(100)}},
		{name: "NestedFirstVariable", query: `query($n: Int) { topics { concepts(first: $n) { id } } }`, vars: map[string]any{"n": 1000},
			status: 200, code: "LIMIT_EXCEEDED", ext: map[string]any{"limit": float64(100)}},
		{name: "FirstInFragment", query: `{ topics { ...T } } fragment T on Topic { crates(first: -1) { name } }`,
			status: 200, code: "BAD_USER_INPUT", message: "got -1"},
		{name: "BadCursor", query: `{ concepts(after: "not-a-cursor") { totalCount } }`, status: 200, code: "BAD_USER_INPUT", message: "cursor"},
		{name: "EmptySearch", query: `{ search(text: "  ") { score } }`, status: 200, code: "BAD_USER_INPUT", message: "empty"},
		{name: "LongSearch", query: `query($t: String!) { search(text: $t) { score } }`, vars: map[string]any{"t": strings.Repeat("a", 201)},
			status: 200, code: "LIMIT_EXCEEDED", ext: map[string]any{"limit": float64(200)}},
		{name: "TooManyKnown", query: `query($k: [String!]!) { nextUp(known: $k) { reason } }`, vars: map[string]any{"k": make([]string, 501)},
			status: 200, code: "LIMIT_EXCEEDED", ext: map[string]any{"limit": float64(500)}},

		// gqlgen's own errors keep their text; a well-formed request
		// answers 200 with application/json, as GraphQL over HTTP says.
		{name: "UnknownField", query: `{ concept(ref: "GATs") { nope } }`, status: 200,
			code: "GRAPHQL_VALIDATION_FAILED", message: `Cannot query field "nope" on type "Concept".`},
		{name: "MissingArgument", query: `{ concept { id } }`, status: 200,
			code: "GRAPHQL_VALIDATION_FAILED", message: `argument "ref" of type "String!" is required`},
		{name: "WrongArgumentType", query: `{ concepts(first: "ten") { totalCount } }`, status: 200,
			code: "GRAPHQL_VALIDATION_FAILED", message: "Int"},
		{name: "WrongVariableType", query: `query($n: Int) { concepts(first: $n) { totalCount } }`, vars: map[string]any{"n": "ten"},
			status: 200, code: "GRAPHQL_VALIDATION_FAILED", message: "cannot use string as Int"},
		{name: "UnknownEnum", query: `{ challenges(kind: HOMEWORK) { id } }`, status: 200,
			code: "GRAPHQL_VALIDATION_FAILED", message: "HOMEWORK"},
		{name: "Syntax", query: `{ concept(ref: `, status: 200, code: "GRAPHQL_PARSE_FAILED", message: "Unexpected <EOF>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := post(t, h, tt.query, tt.vars)
			if resp.Status != tt.status {
				t.Errorf("status %d, want %d", resp.Status, tt.status)
			}
			e := onlyError(t, resp)
			if got := e.Extensions["code"]; got != tt.code {
				t.Errorf("code %v, want %s (message %q)", got, tt.code, e.Message)
			}
			if !strings.Contains(e.Message, tt.message) {
				t.Errorf("message %q does not contain %q", e.Message, tt.message)
			}
			for k, want := range tt.ext {
				if got := e.Extensions[k]; !reflect.DeepEqual(got, want) {
					t.Errorf("extensions.%s = %#v, want %#v", k, got, want)
				}
			}
			for k, want := range tt.contains {
				if got := strs(e.Extensions[k]); !contains(got, want) {
					t.Errorf("extensions.%s = %q, want it to contain %q", k, got, want)
				}
			}
		})
	}
}

// TestMasking checks that what goes wrong inside the server reaches the
// log, not the client.
func TestMasking(t *testing.T) {
	secret := errors.New("dial tcp 10.1.2.3:7687: connection refused")
	tests := []struct {
		name    string
		store   learngraph.Store
		query   string
		code    string
		message string
		log     string // a part of what must be logged
	}{
		{"RawStoreError", failingStore{err: secret}, `{ topics { id } }`, "INTERNAL", "Internal error.", "10.1.2.3"},
		{"InternalDomainError", failingStore{err: &learngraph.Error{Code: learngraph.EINTERNAL, Message: "query failed", Err: secret}},
			`{ topics { id } }`, "INTERNAL", "Internal error.", "10.1.2.3"},
		{"Unavailable", failingStore{err: learngraph.Errorf(learngraph.EUNAVAILABLE, "the store is not reachable")},
			`{ topics { id } }`, "UNAVAILABLE", "the store is not reachable", ""},
		{"RawErrorInNestedField", fakeStore{snap: &fakeSnapshot{
			all: func(learngraph.Kind) ([]learngraph.Node, error) {
				return []learngraph.Node{&learngraph.Topic{ID: "macros", Name: "Macros"}}, nil
			},
			related: func(learngraph.Relation, []string) ([][]learngraph.Neighbor, error) { return nil, secret },
		}}, `{ topics { id concepts { id } } }`, "INTERNAL", "Internal error.", "10.1.2.3"},
		{"Panic", fakeStore{snap: &fakeSnapshot{
			all: func(learngraph.Kind) ([]learngraph.Node, error) { panic("index out of range [7] with length 7") },
		}}, `{ topics { id } }`, "INTERNAL", "Internal error.", "index out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			h := newHandler(tt.store, &logs, 0)
			resp := post(t, h, tt.query, nil)
			e := onlyError(t, resp)
			if e.Message != tt.message || e.Extensions["code"] != tt.code {
				t.Errorf("error = %q %v, want %q %s", e.Message, e.Extensions["code"], tt.message, tt.code)
			}
			if strings.Contains(e.Message, "10.1.2.3") {
				t.Errorf("the client sees the internal error: %q", e.Message)
			}
			if tt.log != "" && !strings.Contains(logs.String(), tt.log) {
				t.Errorf("log %q does not contain %q", logs.String(), tt.log)
			}
		})
	}

	t.Run("IntrospectionWithoutStore", func(t *testing.T) {
		// The playground documents the schema even while the store is
		// down: introspection never takes a snapshot.
		h := newHandler(failingStore{err: secret}, nil, 0)
		resp := post(t, h, `{ __schema { queryType { name } } }`, nil)
		if len(resp.Errors) > 0 {
			t.Fatalf("errors: %+v", resp.Errors)
		}
		assertJSON(t, resp.Data, `{"__schema": {"queryType": {"name": "Query"}}}`)
	})
}

// TestGET checks the GraphQL-over-HTTP GET transport.
func TestGET(t *testing.T) {
	h := newHandler(seedStore(t), nil, 0)
	resp := get(t, h, `{ concept(ref: "gats") { id } curriculum { documents } }`)
	if resp.Status != http.StatusOK || len(resp.Errors) > 0 {
		t.Fatalf("status %d, errors %+v", resp.Status, resp.Errors)
	}
	assertJSON(t, resp.Data, `{"concept": {"id": "generic-associated-types"}, "curriculum": {"documents": ["rust-phase-4-advanced.md", "links.yaml"]}}`)
}

// TestSnapshotPinned checks that one operation reads one version even when
// the store switches versions between its reads, and that the next
// operation sees the new one.
func TestSnapshotPinned(t *testing.T) {
	c := seedCurriculum(t)
	g2 := *c.Graph
	g2.Version = "second"
	store := &alternatingStore{stores: []learngraph.Store{
		storeOf(t, c),
		storeOf(t, &learngraph.Curriculum{Graph: &g2, Findings: c.Findings, LoadedAt: c.LoadedAt}),
	}}
	h := newHandler(store, nil, 0)
	const q = `{ a: curriculum { version } topics { id } b: curriculum { version } concept(ref: "GATs") { id } c: curriculum { version } }`
	var versions []string
	for range 2 {
		resp := post(t, h, q, nil)
		if len(resp.Errors) > 0 {
			t.Fatalf("errors: %+v", resp.Errors)
		}
		var data map[string]any
		mustUnmarshal(t, resp.Data, &data)
		a, b, cc := version(data["a"]), version(data["b"]), version(data["c"])
		if a != b || b != cc {
			t.Errorf("one response mixes versions %q, %q, %q", a, b, cc)
		}
		versions = append(versions, a)
	}
	if versions[0] == versions[1] {
		t.Errorf("both operations read version %q; the second should see the new one", versions[0])
	}
	if got := store.calls(); got != 2 {
		t.Errorf("Snapshot called %d times for 2 operations, want 2", got)
	}
}

// TestBatching checks that the n items of a list cost one store call per
// relationship, not n.
func TestBatching(t *testing.T) {
	inner := seedStore(t)
	store := &countingStore{inner: inner, counts: map[string]int{}}
	// A wide window, so a slow machine still batches the whole level.
	h := newHandler(store, nil, 50*time.Millisecond)
	resp := post(t, h, `{ concepts(first: 100) { nodes { id topic { id } phase { id }
		prerequisites { id crates { name } } dependents { id } } } }`, nil)
	if len(resp.Errors) > 0 {
		t.Fatalf("errors: %+v", resp.Errors)
	}
	want := map[string]int{
		"Concepts":                1,
		"Nodes Topic":             1,
		"Nodes Phase":             1,
		"Related Prerequisites":   1,
		"Related Dependents":      1,
		"Related Crates(concept)": 1, // one call for all the prerequisites of all concepts
		"Snapshot":                1,
	}
	if got := store.snapshot(); !reflect.DeepEqual(got, want) {
		t.Errorf("store calls = %v, want %v", got, want)
	}
}

func version(v any) string {
	m, _ := v.(map[string]any)
	s, _ := m["version"].(string)
	return s
}

// failingStore cannot give a snapshot.
type failingStore struct{ err error }

func (s failingStore) Snapshot(context.Context) (learngraph.Snapshot, error) { return nil, s.err }

// fakeStore serves one fake snapshot.
type fakeStore struct{ snap learngraph.Snapshot }

func (s fakeStore) Snapshot(context.Context) (learngraph.Snapshot, error) { return s.snap, nil }

// fakeSnapshot answers with its function fields; any other method panics
// on the nil embedded interface, so an unexpected call fails loudly.
type fakeSnapshot struct {
	learngraph.Snapshot
	all     func(learngraph.Kind) ([]learngraph.Node, error)
	related func(learngraph.Relation, []string) ([][]learngraph.Neighbor, error)
}

func (s *fakeSnapshot) All(_ context.Context, kind learngraph.Kind) ([]learngraph.Node, error) {
	return s.all(kind)
}

func (s *fakeSnapshot) Related(_ context.Context, r learngraph.Relation, from []string) ([][]learngraph.Neighbor, error) {
	return s.related(r, from)
}

// alternatingStore serves its stores in turn, one per Snapshot call, as a
// store does whose curriculum is replaced after every read.
type alternatingStore struct {
	mu     sync.Mutex
	stores []learngraph.Store
	n      int
}

func (s *alternatingStore) Snapshot(ctx context.Context) (learngraph.Snapshot, error) {
	s.mu.Lock()
	st := s.stores[s.n%len(s.stores)]
	s.n++
	s.mu.Unlock()
	return st.Snapshot(ctx)
}

func (s *alternatingStore) calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// countingStore counts the calls its snapshots receive.
type countingStore struct {
	inner  learngraph.Store
	mu     sync.Mutex
	counts map[string]int
}

func (s *countingStore) count(key string) {
	s.mu.Lock()
	s.counts[key]++
	s.mu.Unlock()
}

func (s *countingStore) snapshot() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for k, v := range s.counts {
		out[k] = v
	}
	return out
}

func (s *countingStore) Snapshot(ctx context.Context) (learngraph.Snapshot, error) {
	s.count("Snapshot")
	snap, err := s.inner.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	return &countingSnapshot{Snapshot: snap, s: s}, nil
}

type countingSnapshot struct {
	learngraph.Snapshot
	s *countingStore
}

var relationNames = map[learngraph.Relation]string{
	learngraph.ConceptPrerequisites: "Prerequisites",
	learngraph.ConceptDependents:    "Dependents",
	learngraph.ConceptCrates:        "Crates(concept)",
}

func (c *countingSnapshot) Related(ctx context.Context, r learngraph.Relation, from []string) ([][]learngraph.Neighbor, error) {
	name, ok := relationNames[r]
	if !ok {
		name = "other"
	}
	c.s.count("Related " + name)
	return c.Snapshot.Related(ctx, r, from)
}

func (c *countingSnapshot) Nodes(ctx context.Context, kind learngraph.Kind, ids []string) ([]learngraph.Node, error) {
	c.s.count("Nodes " + string(kind))
	return c.Snapshot.Nodes(ctx, kind, ids)
}

func (c *countingSnapshot) Concepts(ctx context.Context, first int, after string) (learngraph.ConceptPage, error) {
	c.s.count("Concepts")
	return c.Snapshot.Concepts(ctx, first, after)
}
