package server_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"learngraph"
	"learngraph/graph"
	"learngraph/loader"
	"learngraph/picture"
	"learngraph/seeds"
	"learngraph/server"
)

// svgNodes returns the id of every concept node in an SVG, as the
// picture package writes them (<g class="node concept …" id="concept-…">),
// in document order, and the ids of the other nodes (topics, phases).
func svgNodes(t *testing.T, svg []byte) (concepts, others []string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(string(svg)))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		start, ok := tok.(xml.StartElement)
		if !ok || start.Name.Local != "g" {
			continue
		}
		var class, id string
		for _, a := range start.Attr {
			switch a.Name.Local {
			case "class":
				class = a.Value
			case "id":
				id = a.Value
			}
		}
		fields := strings.Fields(class)
		if len(fields) < 2 || fields[0] != "node" || fields[1] == "legend" {
			continue
		}
		if fields[1] == "concept" && strings.HasPrefix(id, "concept-") {
			concepts = append(concepts, id)
		} else {
			others = append(others, id)
		}
	}
	return concepts, others
}

// pictureKeys returns the node keys of the picture scope gives over c.
func pictureKeys(t *testing.T, c *learngraph.Curriculum, scope picture.Scope) []string {
	t.Helper()
	p, err := picture.FromCurriculum(c, scope, picture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, n := range p.Nodes {
		keys = append(keys, n.Key)
	}
	return keys
}

// pictureError is the JSON error a refused picture request answers.
type pictureError struct {
	Errors []struct {
		Message    string
		Extensions map[string]any
	}
}

func decodePictureError(t *testing.T, rec *httptest.ResponseRecorder) (message string, ext map[string]any) {
	t.Helper()
	var resp pictureError
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || len(resp.Errors) != 1 {
		t.Fatalf("want one JSON error, got %q (%v)", rec.Body, err)
	}
	return resp.Errors[0].Message, resp.Errors[0].Extensions
}

// TestPicture draws the parts of the seed curriculum and refuses bad
// requests with coded errors.
func TestPicture(t *testing.T) {
	store, c := seedInmem(t)
	h := server.New(server.Config{}, store, slog.New(slog.DiscardHandler))
	gats := []string{"concept-ownership", "concept-generics", "concept-traits", "concept-lifetimes",
		"concept-associated-types", "concept-generic-associated-types"}
	manyKnown := strings.TrimSuffix(strings.Repeat("ownership,", 501), ",")

	tests := []struct {
		name   string
		method string
		target string
		status int
		// For a picture: the concept nodes it must hold, each once (in any
		// order); nil takes them from the picture package's own selection.
		want  []string
		scope picture.Scope
		// For an error: its code, a part of its message, and extensions
		// it must carry.
		code    string
		message string
		ext     map[string]any
	}{
		{name: "Goal", target: "/graph.svg?goal=GATs", status: 200, want: gats},
		{name: "GoalHEAD", method: "HEAD", target: "/graph.svg?goal=GATs", status: 200},
		{name: "GoalKnown", target: "/graph.svg?goal=GATs&known=generics,+ownership,generics", status: 200,
			want: []string{"concept-traits", "concept-lifetimes", "concept-associated-types", "concept-generic-associated-types"}},
		{name: "Path", target: "/graph.svg?path=blockchain", status: 200, scope: picture.Scope{Path: "blockchain"}},
		{name: "Topic", target: "/graph.svg?topic=Macros", status: 200, scope: picture.Scope{Topic: "Macros"}},
		{name: "Whole", target: "/graph.svg", status: 200, scope: picture.Scope{}},

		{name: "UnknownGoal", target: "/graph.svg?goal=GATz", status: 404, code: "NOT_FOUND", message: `"GATz"`,
			ext: map[string]any{"suggestions": []any{"GAT"}}},
		{name: "UnknownKnown", target: "/graph.svg?goal=GATs&known=ownershp", status: 404, code: "NOT_FOUND", message: `"ownershp"`},
		{name: "TwoGoals", target: "/graph.svg?goal=GATs&goal=traits", status: 400, code: "BAD_USER_INPUT", message: "goal is given 2 times"},
		{name: "GoalAndPath", target: "/graph.svg?goal=GATs&path=blockchain", status: 400, code: "BAD_USER_INPUT", message: "not several"},
		{name: "KnownWithoutGoal", target: "/graph.svg?path=blockchain&known=ownership", status: 400, code: "BAD_USER_INPUT", message: "give a goal too"},
		{name: "UnknownParameter", target: "/graph.svg?gaol=GATs", status: 400, code: "BAD_USER_INPUT", message: `unknown parameter "gaol"`},
		{name: "EmptyGoal", target: "/graph.svg?goal=+", status: 400, code: "BAD_USER_INPUT", message: "goal is empty"},
		{name: "EmptyKnown", target: "/graph.svg?goal=GATs&known=,", status: 400, code: "BAD_USER_INPUT", message: "known lists no refs"},
		{name: "BadQueryString", target: "/graph.svg?goal=%zz", status: 400, code: "BAD_USER_INPUT", message: "cannot be parsed"},
		{name: "BadUTF8", target: "/graph.svg?topic=%ff", status: 400, code: "BAD_USER_INPUT", message: "UTF-8"},
		{name: "LongGoal", target: "/graph.svg?goal=" + strings.Repeat("é", 201), status: 400, code: "LIMIT_EXCEEDED",
			message: "goal is at most 200 characters, got 201", ext: map[string]any{"limit": float64(200)}},
		{name: "LongKnownRef", target: "/graph.svg?goal=GATs&known=traits," + strings.Repeat("x", 201), status: 400, code: "LIMIT_EXCEEDED",
			message: "a ref in known is at most 200 characters", ext: map[string]any{"limit": float64(200)}},
		{name: "ManyKnown", target: "/graph.svg?goal=GATs&known=" + manyKnown, status: 400, code: "LIMIT_EXCEEDED",
			message: "known lists at most 500 refs, got 501", ext: map[string]any{"limit": float64(500)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = "GET"
			}
			rec := call(t, h, method, tt.target, "")
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if tt.code != "" {
				if got := rec.Header().Get("Content-Type"); !strings.HasPrefix(got, "application/json") {
					t.Errorf("Content-Type %q", got)
				}
				if got := rec.Header().Get("Cache-Control"); got != "no-store" {
					t.Errorf("Cache-Control %q on an error", got)
				}
				if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
					t.Errorf("X-Content-Type-Options %q on an error", got)
				}
				message, ext := decodePictureError(t, rec)
				if ext["code"] != tt.code {
					t.Errorf("code %v, want %s", ext["code"], tt.code)
				}
				if !strings.Contains(message, tt.message) {
					t.Errorf("message %q does not contain %q", message, tt.message)
				}
				for k, v := range tt.ext {
					got, _ := json.Marshal(ext[k])
					want, _ := json.Marshal(v)
					if string(got) != string(want) {
						t.Errorf("extensions.%s = %s, want %s", k, got, want)
					}
				}
				return
			}

			for name, want := range map[string]string{
				"Content-Type":            "image/svg+xml; charset=utf-8",
				"X-Content-Type-Options":  "nosniff",
				"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
				"Cache-Control":           "public, max-age=60",
			} {
				if got := rec.Header().Get(name); got != want {
					t.Errorf("%s: %q, want %q", name, got, want)
				}
			}
			if etag := rec.Header().Get("ETag"); !regexp.MustCompile(`^"[A-Za-z0-9_-]{24}"$`).MatchString(etag) {
				t.Errorf("ETag %q", etag)
			}
			if method == "HEAD" {
				if rec.Body.Len() != 0 || rec.Header().Get("Content-Length") == "" || rec.Header().Get("Content-Length") == "0" {
					t.Errorf("HEAD: body of %d bytes, Content-Length %q", rec.Body.Len(), rec.Header().Get("Content-Length"))
				}
				return
			}
			if got := rec.Header().Get("Content-Length"); got != fmt.Sprint(rec.Body.Len()) {
				t.Errorf("Content-Length %s for %d bytes", got, rec.Body.Len())
			}
			want := tt.want
			if want == nil {
				want = pictureKeys(t, c, tt.scope)
				if len(want) == 0 {
					t.Fatal("the scope draws nothing; the test needs another")
				}
			}
			concepts, others := svgNodes(t, rec.Body.Bytes())
			if len(others) != 0 {
				t.Errorf("nodes that are no concepts: %v", others)
			}
			slices.Sort(concepts)
			want = slices.Clone(want)
			slices.Sort(want)
			if !slices.Equal(concepts, want) {
				t.Errorf("concept nodes\n%v\nwant one each of\n%v", concepts, want)
			}
		})
	}
}

// TestPictureCaching checks the ETag and 304, that a picture is laid out
// once and then served from the cache, and that a new load changes the
// ETag and the picture.
func TestPictureCaching(t *testing.T) {
	store, _ := seedInmem(t)
	h := server.New(server.Config{}, store, slog.New(slog.DiscardHandler))
	metric := func(name string) float64 {
		t.Helper()
		v, _ := metricValue(call(t, h, "GET", "/metrics", "").Body.String(), name, nil)
		return v
	}
	curriculumCalls := func() float64 {
		t.Helper()
		v, _ := metricValue(call(t, h, "GET", "/metrics", "").Body.String(), "learngraph_store_calls_total",
			map[string]string{"method": "Curriculum", "code": "OK"})
		return v
	}

	first := call(t, h, "GET", "/graph.svg?goal=GATs&known=generics,ownership", "")
	etag := first.Header().Get("ETag")
	if first.Code != 200 || etag == "" {
		t.Fatalf("%d, ETag %q: %s", first.Code, etag, first.Body)
	}
	if got := metric("learngraph_picture_renders_total"); got != 1 {
		t.Errorf("renders %v after one picture, want 1", got)
	}

	// The same picture asked for in other words: the same ETag, and sent
	// from the cache.
	second := call(t, h, "GET", "/graph.svg?known=ownership,+generics,ownership&goal=+GATs", "")
	if second.Code != 200 || second.Header().Get("ETag") != etag || second.Body.String() != first.Body.String() {
		t.Errorf("the same picture differs: %d, ETag %q (first %q)", second.Code, second.Header().Get("ETag"), etag)
	}
	if got := metric("learngraph_picture_renders_total"); got != 1 {
		t.Errorf("renders %v after the same picture twice, want 1", got)
	}
	if got := metric("learngraph_picture_cache_hits_total"); got != 1 {
		t.Errorf("cache hits %v, want 1", got)
	}
	if got := curriculumCalls(); got != 1 {
		t.Errorf("the curriculum was read %v times, want once", got)
	}

	for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
		rec := call(t, h, "GET", "/graph.svg?goal=GATs&known=generics,ownership", "", "If-None-Match: "+inm)
		if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 || rec.Header().Get("ETag") != etag {
			t.Errorf("If-None-Match %s: %d, ETag %q, %d bytes", inm, rec.Code, rec.Header().Get("ETag"), rec.Body.Len())
		}
	}
	if rec := call(t, h, "GET", "/graph.svg?goal=GATs&known=generics,ownership", "", `If-None-Match: "other"`); rec.Code != 200 {
		t.Errorf("If-None-Match with another ETag: %d", rec.Code)
	}
	// "*" on a request that has no picture is no match.
	if rec := call(t, h, "GET", "/graph.svg?goal=GATz", "", "If-None-Match: *"); rec.Code != 404 {
		t.Errorf("If-None-Match: * for an unknown goal: %d", rec.Code)
	}
	if got := metric("learngraph_picture_renders_total"); got != 1 {
		t.Errorf("renders %v after 304s and hits, want 1", got)
	}

	// Other parameters, another picture.
	other := call(t, h, "GET", "/graph.svg?goal=GATs", "")
	if other.Header().Get("ETag") == etag {
		t.Error("two pictures share an ETag")
	}

	// A new load: a concept renamed, a new version.
	g, err := loader.Load(seeds.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, concept := range g.Concepts {
		if concept.ID == "traits" {
			concept.Name = "Traits, renamed in the next load"
		}
	}
	g.Version = "next-load"
	next, err := learngraph.Analyze(g)
	if err != nil {
		t.Fatal(err)
	}
	store.Replace(next)
	rec := call(t, h, "GET", "/graph.svg?goal=GATs&known=generics,ownership", "", "If-None-Match: "+etag)
	if rec.Code != 200 {
		t.Fatalf("after a new load, the old ETag answers %d", rec.Code)
	}
	if got := rec.Header().Get("ETag"); got == etag || got == "" {
		t.Errorf("after a new load, ETag %q (was %q)", got, etag)
	}
	if rec.Body.String() == first.Body.String() || !strings.Contains(rec.Body.String(), "Traits, renamed in the next load") {
		t.Error("after a new load, the picture is the old one")
	}
	if got := metric("learngraph_picture_renders_total"); got != 3 {
		t.Errorf("renders %v after a new load, want 3", got)
	}
}

// TestPictureConcurrent checks that requests for one picture at once
// share one layout.
func TestPictureConcurrent(t *testing.T) {
	h := server.New(server.Config{}, seedStore(t), slog.New(slog.DiscardHandler))
	const n = 8
	var wg sync.WaitGroup
	bodies := make([]string, n)
	codes := make([]int, n)
	for i := range n {
		wg.Go(func() {
			rec := call(t, h, "GET", "/graph.svg?path=blockchain", "")
			codes[i], bodies[i] = rec.Code, rec.Body.String()
		})
	}
	wg.Wait()
	for i := range n {
		if codes[i] != 200 || bodies[i] != bodies[0] {
			t.Errorf("request %d: %d, the same picture %v", i, codes[i], bodies[i] == bodies[0])
		}
	}
	scrape := call(t, h, "GET", "/metrics", "").Body.String()
	if got, _ := metricValue(scrape, "learngraph_picture_renders_total", nil); got != 1 {
		t.Errorf("renders %v for %d requests of one picture, want 1", got, n)
	}
	if got, _ := metricValue(scrape, "learngraph_picture_cache_hits_total", nil); got != n-1 {
		t.Errorf("hits %v, want %d", got, n-1)
	}
}

// curriculumStore is a store whose snapshots read their curriculum
// through curriculum, to make it fail or take long.
type curriculumStore struct {
	learngraph.Store
	curriculum func(ctx context.Context, snap learngraph.Snapshot) (*learngraph.Curriculum, error)
}

func (s curriculumStore) Snapshot(ctx context.Context) (learngraph.Snapshot, error) {
	snap, err := s.Store.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	return curriculumSnapshot{Snapshot: snap, curriculum: s.curriculum}, nil
}

type curriculumSnapshot struct {
	learngraph.Snapshot
	curriculum func(ctx context.Context, snap learngraph.Snapshot) (*learngraph.Curriculum, error)
}

func (s curriculumSnapshot) Curriculum(ctx context.Context) (*learngraph.Curriculum, error) {
	return s.curriculum(ctx, s.Snapshot)
}

// TestPictureFailures checks what a picture request answers when the
// store fails or the time runs out: a code, no internal text, and the
// cause in the log with the request id.
func TestPictureFailures(t *testing.T) {
	seed := seedStore(t)
	internal := curriculumStore{Store: seed, curriculum: func(context.Context, learngraph.Snapshot) (*learngraph.Curriculum, error) {
		return nil, errors.New("bolt: connection reset by 10.9.8.7")
	}}
	unavailable := curriculumStore{Store: seed, curriculum: func(context.Context, learngraph.Snapshot) (*learngraph.Curriculum, error) {
		return nil, &learngraph.Error{Code: learngraph.EUNAVAILABLE, Message: "the store is not reachable", Err: errors.New("dial 10.9.8.7")}
	}}
	// Reads the curriculum only when the request's time is up, as a slow
	// database would, and says so the way Neo4j does.
	slow := curriculumStore{Store: seed, curriculum: func(ctx context.Context, _ learngraph.Snapshot) (*learngraph.Curriculum, error) {
		<-ctx.Done()
		return nil, &learngraph.Error{Code: learngraph.EUNAVAILABLE, Message: "the store is not reachable", Err: ctx.Err()}
	}}
	tests := []struct {
		name    string
		store   learngraph.Store
		timeout time.Duration
		status  int
		code    string
		message string
		limit   any
		logged  string // a part of the request's log
	}{
		{"StoreDown", downStore{}, 0, 503, "UNAVAILABLE", "the store is not reachable", nil, ""},
		{"CurriculumUnavailable", unavailable, 0, 503, "UNAVAILABLE", "the store is not reachable", nil, ""},
		{"Internal", internal, 0, 500, "INTERNAL", "Internal error.", nil, `msg="picture internal error"`},
		{"TimeoutBeforeSnapshot", seed, time.Nanosecond, 503, "LIMIT_EXCEEDED", "the request took longer than the limit of 1ns", float64(0), `msg="picture request timed out"`},
		{"TimeoutWhileDrawing", slow, 30 * time.Millisecond, 503, "LIMIT_EXCEEDED", "the request took longer than the limit of 30ms", float64(30), `msg="picture request timed out"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs syncBuffer
			h := server.New(server.Config{GraphQL: graph.Options{Timeout: tt.timeout}}, tt.store, slog.New(slog.NewTextHandler(&logs, nil)))
			rec := call(t, h, "GET", "/graph.svg?goal=GATs", "")
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			message, ext := decodePictureError(t, rec)
			if ext["code"] != tt.code || message != tt.message {
				t.Errorf("%v %q, want %s %q", ext["code"], message, tt.code, tt.message)
			}
			if tt.limit != nil && ext["limit"] != tt.limit {
				t.Errorf("extensions.limit %v, want %v", ext["limit"], tt.limit)
			}
			if strings.Contains(rec.Body.String(), "10.") || strings.Contains(rec.Body.String(), "bolt") {
				t.Errorf("internal text reaches the client: %s", rec.Body)
			}
			if got := rec.Header().Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control %q", got)
			}
			id := rec.Header().Get("X-Request-Id")
			requestLine := regexp.MustCompile(`msg="http request" method=GET path=/graph.svg status=` + fmt.Sprint(tt.status) + `.*errors=\[` + tt.code + `\].*request_id=` + regexp.QuoteMeta(id))
			if !requestLine.MatchString(logs.String()) {
				t.Errorf("no request line with the status, the code and the id:\n%s", logs.String())
			}
			if tt.logged != "" && !regexp.MustCompile(regexp.QuoteMeta(tt.logged)+`.*request_id=`+regexp.QuoteMeta(id)).MatchString(logs.String()) {
				t.Errorf("the log does not say %s with the request id:\n%s", tt.logged, logs.String())
			}
			if tt.name == "Internal" && !strings.Contains(logs.String(), "bolt: connection reset by 10.9.8.7") {
				t.Errorf("the cause is not logged:\n%s", logs.String())
			}
		})
	}
}
