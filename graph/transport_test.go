package graph_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"learngraph"
	"learngraph/graph"
)

// exchange is one HTTP request and what came back.
type exchange struct {
	rec  *httptest.ResponseRecorder
	resp response
	raw  map[string]json.RawMessage // the top-level entries of the body
}

// send serves one request; body is sent as is, headers are "Name: value"
// pairs.
func send(t *testing.T, h http.Handler, method, target, body string, headers ...string) exchange {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequestWithContext(context.Background(), method, target, r)
	for _, hv := range headers {
		name, value, _ := strings.Cut(hv, ": ")
		req.Header.Add(name, value)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	ex := exchange{rec: rec}
	if rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &ex.resp); err != nil {
			t.Fatalf("decode %q: %v", rec.Body.String(), err)
		}
		mustUnmarshal(t, rec.Body.Bytes(), &ex.raw)
	}
	ex.resp.Status = rec.Code
	return ex
}

func getURL(query string, extra ...string) string {
	v := url.Values{}
	if query != "" {
		v.Set("query", query)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return "/graphql?" + v.Encode()
}

const ctJSON = "Content-Type: application/json"

// TestTransport checks status codes and media types as the
// GraphQL-over-HTTP spec says them.
func TestTransport(t *testing.T) {
	h := limitHandler(seedStore(t), graph.Options{})
	const ok = `{"query":"{ curriculum { version } }"}`
	tests := []struct {
		name    string
		method  string
		target  string
		body    string
		headers []string
		status  int
		media   string // Content-Type without parameters
		code    string // extensions.code of the only error; "" for none
		hasData bool
	}{
		{"NoAccept", "POST", "/graphql", ok, []string{ctJSON}, 200, "application/json", "", true},
		{"AcceptJSON", "POST", "/graphql", ok, []string{ctJSON, "Accept: application/json"}, 200, "application/json", "", true},
		{"AcceptGraphQLResponse", "POST", "/graphql", ok, []string{ctJSON, "Accept: application/graphql-response+json"}, 200, "application/graphql-response+json", "", true},
		{"AcceptBothPrefersGraphQLResponse", "POST", "/graphql", ok, []string{ctJSON, "Accept: application/json, application/graphql-response+json"}, 200, "application/graphql-response+json", "", true},
		{"AcceptByQuality", "POST", "/graphql", ok, []string{ctJSON, "Accept: application/graphql-response+json;q=0.5, application/json"}, 200, "application/json", "", true},
		{"AcceptWildcard", "POST", "/graphql", ok, []string{ctJSON, "Accept: */*"}, 200, "application/json", "", true},
		{"AcceptBrowser", "GET", getURL("{ curriculum { version } }"), "", []string{"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}, 200, "application/json", "", true},
		{"NotAcceptable", "POST", "/graphql", ok, []string{ctJSON, "Accept: text/html"}, 406, "application/json", "BAD_USER_INPUT", false},
		{"NoContentType", "POST", "/graphql", ok, nil, 415, "application/json", "BAD_USER_INPUT", false},
		{"FormContentType", "POST", "/graphql", "query=%7B%7D", []string{"Content-Type: application/x-www-form-urlencoded"}, 415, "application/json", "BAD_USER_INPUT", false},
		{"OtherCharset", "POST", "/graphql", ok, []string{"Content-Type: application/json; charset=latin1"}, 415, "application/json", "BAD_USER_INPUT", false},
		{"UTF8Charset", "POST", "/graphql", ok, []string{"Content-Type: application/json; charset=utf-8"}, 200, "application/json", "", true},
		{"EmptyBody", "POST", "/graphql", "", []string{ctJSON}, 400, "application/json", "BAD_USER_INPUT", false},
		{"NotJSON", "POST", "/graphql", `{ "not a JSON`, []string{ctJSON, "Accept: application/graphql-response+json"}, 400, "application/graphql-response+json", "BAD_USER_INPUT", false},
		{"NotAnObject", "POST", "/graphql", `["query"]`, []string{ctJSON}, 400, "application/json", "BAD_USER_INPUT", false},
		{"TwoObjects", "POST", "/graphql", ok + ok, []string{ctJSON}, 400, "application/json", "BAD_USER_INPUT", false},
		{"NoQuery", "POST", "/graphql", `{"qeury":"{ __typename }"}`, []string{ctJSON}, 400, "application/json", "BAD_USER_INPUT", false},
		{"QueryNotString", "POST", "/graphql", `{"query":{"obj":"ect"}}`, []string{ctJSON}, 400, "application/json", "BAD_USER_INPUT", false},
		{"OperationNameNotString", "POST", "/graphql", `{"query":"{ __typename }","operationName":0}`, []string{ctJSON}, 400, "application/json", "BAD_USER_INPUT", false},
		{"VariablesNotObject", "POST", "/graphql", `{"query":"{ __typename }","variables":"x"}`, []string{ctJSON}, 400, "application/json", "BAD_USER_INPUT", false},
		{"ExtensionsNotObject", "POST", "/graphql", `{"query":"{ __typename }","extensions":[1]}`, []string{ctJSON}, 400, "application/json", "BAD_USER_INPUT", false},
		{"NullParameters", "POST", "/graphql", `{"query":"{ __typename }","operationName":null,"variables":null,"extensions":null}`, []string{ctJSON}, 200, "application/json", "", true},
		{"ParseErrorJSON", "POST", "/graphql", `{"query":"{"}`, []string{ctJSON, "Accept: application/json"}, 200, "application/json", "GRAPHQL_PARSE_FAILED", false},
		{"ParseErrorGraphQLResponse", "POST", "/graphql", `{"query":"{"}`, []string{ctJSON, "Accept: application/graphql-response+json"}, 400, "application/graphql-response+json", "GRAPHQL_PARSE_FAILED", false},
		{"ValidationErrorGraphQLResponse", "POST", "/graphql", `{"query":"{ nope }"}`, []string{ctJSON, "Accept: application/graphql-response+json"}, 400, "application/graphql-response+json", "GRAPHQL_VALIDATION_FAILED", false},
		{"VariableCoercionGraphQLResponse", "POST", "/graphql", `{"query":"query($n: Int!) { concepts(first: $n) { totalCount } }","variables":{"n":null}}`, []string{ctJSON, "Accept: application/graphql-response+json"}, 400, "application/graphql-response+json", "GRAPHQL_VALIDATION_FAILED", false},
		{"FieldErrorKeepsData", "POST", "/graphql", `{"query":"{ studyPlan(goal: \"nope-nope\") { goal { id } } curriculum { version } }"}`, []string{ctJSON, "Accept: application/graphql-response+json"}, 200, "application/graphql-response+json", "NOT_FOUND", true},
		{"GET", "GET", getURL("{ curriculum { version } }"), "", nil, 200, "application/json", "", true},
		{"GETVariables", "GET", getURL("query($r: String!) { concept(ref: $r) { id } }", "variables", `{"r":"GATs"}`), "", nil, 200, "application/json", "", true},
		{"GETBadVariables", "GET", getURL("{ __typename }", "variables", `{"r":`), "", nil, 400, "application/json", "BAD_USER_INPUT", false},
		{"GETNoQuery", "GET", "/graphql", "", nil, 400, "application/json", "BAD_USER_INPUT", false},
		{"HEAD", "HEAD", getURL("{ curriculum { version } }"), "", nil, 200, "application/json", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := send(t, h, tt.method, tt.target, tt.body, tt.headers...)
			if ex.rec.Code != tt.status {
				t.Errorf("status %d, want %d: %s", ex.rec.Code, tt.status, ex.rec.Body)
			}
			ct := ex.rec.Header().Get("Content-Type")
			if !strings.HasPrefix(ct, tt.media+";") || !strings.Contains(ct, "charset=utf-8") {
				t.Errorf("Content-Type %q, want %s; charset=utf-8", ct, tt.media)
			}
			if tt.method == "HEAD" {
				return
			}
			var codes []any
			for _, e := range ex.resp.Errors {
				codes = append(codes, e.Extensions["code"])
			}
			switch {
			case tt.code == "" && len(codes) > 0:
				t.Errorf("errors %+v", ex.resp.Errors)
			case tt.code != "" && (len(codes) == 0 || codes[0] != tt.code):
				t.Errorf("codes %v, want %s", codes, tt.code)
			}
			if _, has := ex.raw["data"]; has != tt.hasData {
				t.Errorf("data entry present %v, want %v: %s", has, tt.hasData, ex.rec.Body)
			}
			for _, e := range ex.resp.Errors {
				if strings.Contains(e.Message, "not a JSON") && strings.Contains(e.Message, `{ "`) {
					t.Errorf("the error echoes the body: %q", e.Message)
				}
			}
		})
	}
}

// TestBodyTooLarge checks that a body cut short by http.MaxBytesHandler
// (a chunked body, whose length nobody declared) answers 413.
func TestBodyTooLarge(t *testing.T) {
	h := http.MaxBytesHandler(limitHandler(seedStore(t), graph.Options{}), 64)
	body := `{"query":"{ curriculum { version } }","x":"` + strings.Repeat("a", 100) + `"}`
	req := httptest.NewRequestWithContext(context.Background(), "POST", "/graphql", io.MultiReader(strings.NewReader(body)))
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var resp response
	mustUnmarshal(t, rec.Body.Bytes(), &resp)
	e := onlyError(t, resp)
	if rec.Code != http.StatusRequestEntityTooLarge || e.Extensions["code"] != "LIMIT_EXCEEDED" || e.Extensions["limit"] != float64(64) {
		t.Errorf("status %d, error %+v; want 413 LIMIT_EXCEEDED with limit 64", rec.Code, e)
	}
}

// TestCaching checks HTTP caching of GET answers: an ETag tied to the
// curriculum version and the request, Cache-Control, 304 on
// If-None-Match, and a new ETag once a new curriculum is served.
func TestCaching(t *testing.T) {
	c := seedCurriculum(t)
	store := seedStore(t)
	h := limitHandler(store, graph.Options{CacheMaxAge: 90_000_000_000}) // 90 s
	const q = `{ curriculum { version } concept(ref: "GATs") { id } }`

	first := send(t, h, "GET", getURL(q), "")
	etag := first.rec.Header().Get("ETag")
	if first.rec.Code != 200 || etag == "" || !strings.HasPrefix(etag, `"`) {
		t.Fatalf("status %d, ETag %q", first.rec.Code, etag)
	}
	if got := first.rec.Header().Get("Cache-Control"); got != "public, max-age=90" {
		t.Errorf("Cache-Control %q", got)
	}
	if got := first.rec.Header().Values("Vary"); !contains(got, "Accept") {
		t.Errorf("Vary %q, want Accept", got)
	}

	t.Run("Stable", func(t *testing.T) {
		if again := send(t, h, "GET", getURL(q), "").rec.Header().Get("ETag"); again != etag {
			t.Errorf("ETag %s then %s for the same request", etag, again)
		}
	})
	t.Run("NotModified", func(t *testing.T) {
		for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
			ex := send(t, h, "GET", getURL(q), "", "If-None-Match: "+inm)
			if ex.rec.Code != http.StatusNotModified || ex.rec.Body.Len() != 0 || ex.rec.Header().Get("ETag") != etag {
				t.Errorf("If-None-Match %s: status %d, ETag %q, body %q", inm, ex.rec.Code, ex.rec.Header().Get("ETag"), ex.rec.Body)
			}
		}
		if ex := send(t, h, "GET", getURL(q), "", `If-None-Match: "other"`); ex.rec.Code != 200 {
			t.Errorf("another ETag: status %d", ex.rec.Code)
		}
	})
	t.Run("DiffersByRequest", func(t *testing.T) {
		for name, target := range map[string]string{
			"Query":         getURL(`{ curriculum { version } }`),
			"Variables":     getURL(`query($r: String!) { concept(ref: $r) { id } }`, "variables", `{"r":"GATs"}`),
			"OtherVariable": getURL(`query($r: String!) { concept(ref: $r) { id } }`, "variables", `{"r":"HRTBs"}`),
		} {
			if got := send(t, h, "GET", target, "").rec.Header().Get("ETag"); got == etag || got == "" {
				t.Errorf("%s: ETag %q", name, got)
			}
		}
		if got := send(t, h, "GET", getURL(q), "", "Accept: application/graphql-response+json").rec.Header().Get("ETag"); got == etag {
			t.Error("the ETag does not depend on the media type")
		}
	})
	t.Run("NotCached", func(t *testing.T) {
		for name, ex := range map[string]exchange{
			"POST":         send(t, h, "POST", "/graphql", `{"query":"{ curriculum { version } }"}`, ctJSON),
			"RequestError": send(t, h, "GET", getURL(`{ nope }`), ""),
			"StoreDown":    send(t, limitHandler(failingStore{err: learngraph.Errorf(learngraph.EUNAVAILABLE, "down")}, graph.Options{}), "GET", getURL(q), ""),
		} {
			if ex.rec.Header().Get("ETag") != "" || ex.rec.Header().Get("Cache-Control") != "no-store" {
				t.Errorf("%s: ETag %q, Cache-Control %q; want no ETag, no-store", name, ex.rec.Header().Get("ETag"), ex.rec.Header().Get("Cache-Control"))
			}
		}
	})
	t.Run("NewVersion", func(t *testing.T) {
		g2 := *c.Graph
		g2.Version = "a-new-load"
		store.Replace(&learngraph.Curriculum{Graph: &g2, Findings: c.Findings, LoadedAt: c.LoadedAt})
		ex := send(t, h, "GET", getURL(q), "", "If-None-Match: "+etag)
		if ex.rec.Code != 200 {
			t.Fatalf("status %d after a new load, want 200", ex.rec.Code)
		}
		if got := ex.rec.Header().Get("ETag"); got == etag || got == "" {
			t.Errorf("ETag %q after a new load, was %q", got, etag)
		}
		if !strings.Contains(string(ex.resp.Data), "a-new-load") {
			t.Errorf("answer %s, want the new version", ex.resp.Data)
		}
	})
}

// TestETagMatchesAnswer checks that a GET reads the snapshot its ETag was
// made from: with a store that switches versions at every snapshot, each
// answer's version still belongs with its ETag.
func TestETagMatchesAnswer(t *testing.T) {
	c := seedCurriculum(t)
	g2 := *c.Graph
	g2.Version = "second"
	store := &alternatingStore{stores: []learngraph.Store{
		storeOf(t, c),
		storeOf(t, &learngraph.Curriculum{Graph: &g2, Findings: c.Findings, LoadedAt: c.LoadedAt}),
	}}
	h := limitHandler(store, graph.Options{})
	etags := map[string]string{} // version → ETag
	for range 4 {
		ex := send(t, h, "GET", getURL(`{ curriculum { version } }`), "")
		var data struct{ Curriculum struct{ Version string } }
		mustUnmarshal(t, ex.resp.Data, &data)
		v, etag := data.Curriculum.Version, ex.rec.Header().Get("ETag")
		if prev, ok := etags[v]; ok && prev != etag {
			t.Errorf("version %s answered with ETags %s and %s", v, prev, etag)
		}
		etags[v] = etag
	}
	if len(etags) != 2 || etags["second"] == etags[c.Version] {
		t.Errorf("ETags by version %v, want two different ones", etags)
	}
	if got := store.calls(); got != 4 {
		t.Errorf("Snapshot called %d times for 4 GETs, want 4 (one each)", got)
	}
}

func sha(query string) string {
	sum := sha256.Sum256([]byte(query))
	return hex.EncodeToString(sum[:])
}

func persisted(hash string) string {
	return `{"persistedQuery":{"version":1,"sha256Hash":"` + hash + `"}}`
}

// TestPersistedQueries checks automatic persisted queries: an unknown
// hash answers PERSISTED_QUERY_NOT_FOUND, hash and query register it,
// then the hash alone runs it, by POST and by GET.
func TestPersistedQueries(t *testing.T) {
	h := limitHandler(seedStore(t), graph.Options{})
	const q = `query Widget { concept(ref: "GATs") { id } }`
	hash := sha(q)

	miss := send(t, h, "POST", "/graphql", `{"extensions":`+persisted(hash)+`}`, ctJSON)
	if e := onlyError(t, miss.resp); e.Extensions["code"] != "PERSISTED_QUERY_NOT_FOUND" || miss.rec.Code != 200 {
		t.Errorf("miss: status %d, %+v", miss.rec.Code, e)
	}
	miss = send(t, h, "GET", getURL("", "extensions", persisted(hash)), "", "Accept: application/graphql-response+json")
	if e := onlyError(t, miss.resp); e.Extensions["code"] != "PERSISTED_QUERY_NOT_FOUND" || miss.rec.Code != 400 {
		t.Errorf("miss (graphql-response+json): status %d, %+v", miss.rec.Code, e)
	}

	wrong := send(t, h, "POST", "/graphql", `{"query":"{ __typename }","extensions":`+persisted(hash)+`}`, ctJSON)
	if len(wrong.resp.Errors) != 1 {
		t.Errorf("a hash that does not match its query: %s", wrong.rec.Body)
	}

	register, _ := json.Marshal(map[string]any{"query": q, "extensions": json.RawMessage(persisted(hash))})
	if reg := send(t, h, "POST", "/graphql", string(register), ctJSON); len(reg.resp.Errors) > 0 {
		t.Fatalf("register: %+v", reg.resp.Errors)
	}
	for name, ex := range map[string]exchange{
		"POST": send(t, h, "POST", "/graphql", `{"extensions":`+persisted(hash)+`}`, ctJSON),
		"GET":  send(t, h, "GET", getURL("", "extensions", persisted(hash)), ""),
	} {
		if len(ex.resp.Errors) > 0 || !strings.Contains(string(ex.resp.Data), "generic-associated-types") {
			t.Errorf("%s hit: status %d, %s", name, ex.rec.Code, ex.rec.Body)
		}
	}
	// The hash and the full text are one request, and share an ETag.
	byHash := send(t, h, "GET", getURL("", "extensions", persisted(hash)), "").rec.Header().Get("ETag")
	byText := send(t, h, "GET", getURL(q), "").rec.Header().Get("ETag")
	if byHash == "" || byHash != byText {
		t.Errorf("ETag by hash %q, by text %q; want them equal", byHash, byText)
	}
}

// trustedManifest returns a trusted-documents manifest of docs.
func trustedManifest(t *testing.T, docs ...string) *graph.TrustedDocuments {
	t.Helper()
	m := map[string]string{}
	for _, d := range docs {
		m[sha(d)] = d
	}
	b, _ := json.Marshal(m)
	td, err := graph.ParseTrustedDocuments(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return td
}

// TestTrustedDocuments checks trusted-documents mode: the documents of
// the manifest run, by hash or by text; nothing else does, not even by
// registering it as a persisted query; introspection still does (the
// playground's docs), unless it is switched off.
func TestTrustedDocuments(t *testing.T) {
	const widget = `query NextUp($known: [String!]!) { nextUp(known: $known, first: 3) { concept { id } } }`
	docs := trustedManifest(t, widget)
	h := limitHandler(seedStore(t), graph.Options{TrustedDocuments: docs})
	vars := `"variables":{"known":["ownership"]}`
	untrusted := `{ curriculum { version } }`

	tests := []struct {
		name   string
		body   string
		status int
		code   string
	}{
		{"ByHash", `{"extensions":` + persisted(sha(widget)) + `,` + vars + `}`, 200, ""},
		{"ByText", `{"query":` + jsonString(widget) + `,` + vars + `}`, 200, ""},
		{"UnknownHash", `{"extensions":` + persisted(sha(untrusted)) + `}`, 200, "PERSISTED_QUERY_NOT_FOUND"},
		{"Untrusted", `{"query":` + jsonString(untrusted) + `}`, 403, "FORBIDDEN"},
		{"RegisterUntrusted", `{"query":` + jsonString(untrusted) + `,"extensions":` + persisted(sha(untrusted)) + `}`, 403, "FORBIDDEN"},
		{"Introspection", `{"query":"{ __schema { queryType { name } } }"}`, 200, ""},
		{"IntrospectionAndData", `{"query":"{ __schema { queryType { name } } curriculum { version } }"}`, 403, "FORBIDDEN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := send(t, h, "POST", "/graphql", tt.body, ctJSON)
			if ex.rec.Code != tt.status {
				t.Errorf("status %d, want %d: %s", ex.rec.Code, tt.status, ex.rec.Body)
			}
			if tt.code == "" {
				if len(ex.resp.Errors) > 0 {
					t.Errorf("errors: %+v", ex.resp.Errors)
				}
				return
			}
			if e := onlyError(t, ex.resp); e.Extensions["code"] != tt.code {
				t.Errorf("error %+v, want %s", e, tt.code)
			}
		})
	}

	t.Run("IntrospectionOff", func(t *testing.T) {
		off := limitHandler(seedStore(t), graph.Options{TrustedDocuments: docs, DisableIntrospection: true})
		ex := send(t, off, "POST", "/graphql", `{"query":"{ __schema { queryType { name } } }"}`, ctJSON)
		if e := onlyError(t, ex.resp); e.Extensions["code"] != "FORBIDDEN" {
			t.Errorf("error %+v, want FORBIDDEN", e)
		}
	})
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestParseTrustedDocuments checks that a manifest is refused at start
// when it cannot be trusted.
func TestParseTrustedDocuments(t *testing.T) {
	good := `{ curriculum { version } }`
	tests := []struct {
		name, manifest, want string
	}{
		{"NotJSON", `nope`, "JSON object"},
		{"Empty", `{}`, "no document"},
		{"WrongHash", `{"` + sha("other") + `": ` + jsonString(good) + `}`, "is not the SHA-256"},
		{"Unparsable", `{"` + sha("{") + `": "{"}`, "document"},
		{"Invalid", `{"` + sha("{ nope }") + `": "{ nope }"}`, "nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := graph.ParseTrustedDocuments(strings.NewReader(tt.manifest))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one mentioning %q", err, tt.want)
			}
		})
	}
	docs, err := graph.ParseTrustedDocuments(strings.NewReader(`{"` + strings.ToUpper(sha(good)) + `": ` + jsonString(good) + `}`))
	if err != nil || docs.Len() != 1 {
		t.Errorf("a good manifest (upper-case hash): %v", err)
	}
}

// TestOperationLabels checks the metrics label of an operation: the name
// of a trusted or persisted operation, "other" for anything else, and
// "other" for persisted names past the cap.
func TestOperationLabels(t *testing.T) {
	label := func(h http.Handler, body string) (string, string) {
		ctx, outcome := graph.Observe(context.Background())
		req := httptest.NewRequestWithContext(ctx, "POST", "/graphql", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(httptest.NewRecorder(), req)
		return outcome.Operation(), outcome.Name()
	}
	const trusted = `query Trusted { curriculum { version } }`
	th := limitHandler(seedStore(t), graph.Options{TrustedDocuments: trustedManifest(t, trusted)})
	if op, name := label(th, `{"query":`+jsonString(trusted)+`}`); op != "Trusted" || name != "Trusted" {
		t.Errorf("trusted: label %q, name %q", op, name)
	}

	h := limitHandler(seedStore(t), graph.Options{})
	if op, name := label(h, `{"query":"query Mine { curriculum { version } }"}`); op != graph.OtherOperation || name != "Mine" {
		t.Errorf("plain: label %q, name %q; want other, Mine", op, name)
	}
	apq := func(name string) string {
		q := "query " + name + " { curriculum { version } }"
		op, _ := label(h, `{"query":`+jsonString(q)+`,"extensions":`+persisted(sha(q))+`}`)
		return op
	}
	if got := apq("Widget"); got != "Widget" {
		t.Errorf("persisted: label %q", got)
	}
	for i := range 60 {
		apq("Spam" + strings.Repeat("x", i))
	}
	if got := apq("OneTooMany"); got != graph.OtherOperation {
		t.Errorf("persisted past the cap: label %q, want other", got)
	}
	if got := apq("Widget"); got != "Widget" {
		t.Errorf("a name admitted before the cap: label %q", got)
	}
	if op, _ := label(h, `{"query":"{ nope }"}`); op != graph.OtherOperation {
		t.Errorf("a refused request: label %q", op)
	}
}
