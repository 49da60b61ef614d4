package graph

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"learngraph"
)

// The media types of a GraphQL response.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// httpTransport serves POST (application/json) and GET requests as the
// GraphQL-over-HTTP spec says. gqlgen's own POST and GET transports are
// not used: they echo an undecodable body back to the client, answer
// errors without a code that bypass the presenter, and use 422 where the
// spec wants 200 (application/json) or 400 (graphql-response+json).
//
// Media type: application/graphql-response+json when the client's Accept
// prefers it, application/json otherwise (and when Accept is missing or
// a wildcard), 406 when Accept allows neither.
//
// Status codes: 400 for a request that is not well formed (not JSON, not
// an object, a parameter of the wrong type, no query); 413 for a body
// over the limit; 415 for a POST that is not application/json; 405 for a
// mutation sent by GET. A well-formed request that GraphQL refuses
// (parse, validation, variables, a limit, an unknown persisted query)
// answers 200 with application/json and 400 with graphql-response+json,
// with no data entry; FORBIDDEN answers 403 with either. An operation
// that ran answers 200, with its data and any field errors.
//
// Caching: a successful GET answers Cache-Control: public with the
// configured max-age and an ETag made of the curriculum version of the
// snapshot the answer is read from and the request (query or its hash,
// variables, operation name, media type); If-None-Match with that ETag
// answers 304 without running anything, and an answer kept under that
// ETag (see answerCache) is sent again without running anything either.
// Everything else is no-store.
type httpTransport struct {
	store      learngraph.Store
	opts       Options
	generation string
	answers    *answerCache // nil when turned off
}

var _ graphql.Transport = (*httpTransport)(nil)

// Supports takes every GET, HEAD and POST, whatever its headers, so that
// each is answered here, with a coded error if need be, rather than by
// gqlgen's uncoded "transport not supported".
func (t *httpTransport) Supports(r *http.Request) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodPost:
		return true
	default:
		return false
	}
}

func (t *httpTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	start := graphql.Now()
	ctx := r.Context()
	if outcomeFrom(ctx) == nil {
		ctx, _ = Observe(ctx)
	}
	ctx, cancel := withRequestTimeout(ctx, t.opts.Timeout)
	defer cancel()
	w.Header().Add("Vary", "Accept")

	media, ok := negotiate(r.Header.Values("Accept"))
	if !ok {
		t.refuse(ctx, w, exec, mediaJSON, http.StatusNotAcceptable, badRequest(
			"the Accept header allows no media type this server answers with: accept %s or %s", mediaGraphQLResponse, mediaJSON))
		return
	}
	var (
		params *graphql.RawParams
		status int
		err    *gqlerror.Error
	)
	if r.Method == http.MethodPost {
		params, status, err = readPOST(r)
	} else {
		params, status, err = readGET(r)
	}
	if err != nil {
		t.refuse(ctx, w, exec, media, status, err)
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}

	etag := ""
	if r.Method != http.MethodPost {
		// Take the snapshot now, so the ETag names the version the
		// answer will be read from; without one (the store is down) the
		// answer is not cached.
		if snap, err := t.store.Snapshot(ctx); err == nil {
			etag = t.etag(snap.Info().Version, media, params)
			ctx = withPinnedSnapshot(ctx, snap)
			outcomeFrom(ctx).setSnapshot(snap)
			if matchesETag(r.Header.Values("If-None-Match"), etag) {
				t.cacheHeaders(w, etag)
				w.WriteHeader(http.StatusNotModified)
				return
			}
			if a, ok := t.answers.get(etag); ok && a.media == media {
				outcomeFrom(ctx).replay(a)
				t.cacheHeaders(w, etag)
				writeBody(w, a.media, http.StatusOK, a.body)
				return
			}
		}
	}

	opCtx, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		errs = tokenLimitError(errs, t.opts.ParserTokenLimit)
		t.refuse(graphql.WithOperationContext(ctx, opCtx), w, exec, media, requestErrorStatus(media, errs), errs...)
		return
	}
	if r.Method != http.MethodPost && opCtx.Operation.Operation != ast.Query {
		w.Header().Set("Allow", http.MethodPost)
		t.refuse(ctx, w, exec, media, http.StatusMethodNotAllowed, badRequest(
			"a %s request runs queries only: send a %s as POST", r.Method, opCtx.Operation.Operation))
		return
	}

	responses, rctx := exec.DispatchOperation(ctx, opCtx)
	resp := responses(rctx)
	if resp == nil {
		// The context ended before the operation ran.
		e := codedError(nil, string(learngraph.EUNAVAILABLE), nil, "the request was cancelled before it ran")
		if d, ok := timedOut(rctx); ok {
			e = timeoutError(d)
		}
		resp = exec.DispatchError(rctx, gqlerror.List{e})
	}
	body, status := encode(resp, true)
	if etag != "" && status == http.StatusOK && cacheable(resp) {
		t.cacheHeaders(w, etag)
		t.answers.put(etag, outcomeFrom(ctx).answer(body, media))
	} else {
		w.Header().Set("Cache-Control", "no-store")
	}
	writeBody(w, media, status, body)
}

// refuse answers a request that runs nothing, with errs passed through
// the error presenter.
func (t *httpTransport) refuse(ctx context.Context, w http.ResponseWriter, exec graphql.GraphExecutor, media string, status int, errs ...*gqlerror.Error) {
	w.Header().Set("Cache-Control", "no-store")
	write(w, media, status, exec.DispatchError(ctx, errs), false)
}

// requestErrorStatus is the status of a well-formed request that GraphQL
// refuses before running it.
func requestErrorStatus(media string, errs gqlerror.List) int {
	for _, e := range errs {
		if e.Extensions["code"] == codeForbidden {
			return http.StatusForbidden
		}
	}
	if media == mediaGraphQLResponse {
		return http.StatusBadRequest
	}
	return http.StatusOK
}

// wireResponse is a response as it travels: a request refused before it
// ran has no data entry at all (graphql-response+json requires that), an
// operation that ran has one, null or not.
type wireResponse struct {
	Errors     gqlerror.List   `json:"errors,omitempty"`
	Data       json.RawMessage `json:"data,omitempty"`
	Extensions map[string]any  `json:"extensions,omitempty"`
}

func write(w http.ResponseWriter, media string, status int, resp *graphql.Response, ran bool) {
	body, encStatus := encode(resp, ran)
	if encStatus != http.StatusOK {
		status = encStatus
	}
	writeBody(w, media, status, body)
}

// encode returns resp as the body of an answer; status 500 with a coded
// error when resp cannot be encoded, which only a resolver result that
// JSON cannot hold would cause.
func encode(resp *graphql.Response, ran bool) ([]byte, int) {
	out := wireResponse{Errors: resp.Errors, Extensions: resp.Extensions}
	if ran {
		out.Data = resp.Data
		if out.Data == nil {
			out.Data = json.RawMessage("null")
		}
	}
	body, err := json.Marshal(out)
	if err != nil {
		return []byte(`{"errors":[{"message":"Internal error.","extensions":{"code":"INTERNAL"}}]}`), http.StatusInternalServerError
	}
	return body, http.StatusOK
}

func writeBody(w http.ResponseWriter, media string, status int, body []byte) {
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(body) // the client went away; nothing to do
}

// badRequest is an error about the HTTP request itself.
func badRequest(format string, args ...any) *gqlerror.Error {
	return codedError(nil, string(learngraph.EINVALID), nil, format, args...)
}

// readPOST reads the parameters of a POST: an application/json body
// holding an object with query, operationName, variables and extensions.
func readPOST(r *http.Request) (*graphql.RawParams, int, *gqlerror.Error) {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return nil, http.StatusUnsupportedMediaType, badRequest("a POST needs Content-Type: %s", mediaJSON)
	}
	mt, mtParams, err := mime.ParseMediaType(ct)
	if err != nil || mt != mediaJSON {
		return nil, http.StatusUnsupportedMediaType, badRequest("Content-Type %q is not supported: send %s", ct, mediaJSON)
	}
	if cs, ok := mtParams["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return nil, http.StatusUnsupportedMediaType, badRequest("charset %q is not supported: send utf-8", cs)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		if tooLarge, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, http.StatusRequestEntityTooLarge, BodyTooLarge(tooLarge.Limit)
		}
		return nil, http.StatusBadRequest, badRequest("the request body could not be read")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, http.StatusBadRequest, badRequest("the request body is empty: send a JSON object with a query")
	}
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&fields); err != nil || fields == nil {
		return nil, http.StatusBadRequest, badRequest("the request body is not a JSON object%s", jsonErrorAt(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, http.StatusBadRequest, badRequest("the request body holds more than one JSON value")
	}
	params := &graphql.RawParams{}
	if msg := decodeParams(params, func(name string) (json.RawMessage, bool) {
		v, ok := fields[name]
		return v, ok
	}, false); msg != "" {
		return nil, http.StatusBadRequest, badRequest("%s", msg)
	}
	return params, 0, nil
}

// readGET reads the parameters of a GET from its query string; variables
// and extensions are URL-encoded JSON.
func readGET(r *http.Request) (*graphql.RawParams, int, *gqlerror.Error) {
	values, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, http.StatusBadRequest, badRequest("the query string cannot be parsed")
	}
	params := &graphql.RawParams{}
	if msg := decodeParams(params, func(name string) (json.RawMessage, bool) {
		if !values.Has(name) {
			return nil, false
		}
		v := values.Get(name)
		switch name {
		case "query", "operationName":
			b, _ := json.Marshal(v) // a string, as in a JSON body
			return b, true
		default:
			return json.RawMessage(v), true
		}
	}, true); msg != "" {
		return nil, http.StatusBadRequest, badRequest("%s", msg)
	}
	return params, 0, nil
}

// decodeParams fills params from the request's parameters, which get
// returns as JSON. It returns what is wrong with them, "" when nothing
// is.
func decodeParams(params *graphql.RawParams, get func(string) (json.RawMessage, bool), inURL bool) string {
	str := func(name string, dst *string) string {
		raw, ok := get(name)
		if !ok || isNull(raw) {
			return ""
		}
		if err := json.Unmarshal(raw, dst); err != nil {
			return fmt.Sprintf("%s must be a string", name)
		}
		return ""
	}
	object := func(name string, dst *map[string]any) string {
		raw, ok := get(name)
		if !ok || isNull(raw) || (inURL && len(raw) == 0) {
			return ""
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber() // keeps Int variables exact
		if err := dec.Decode(dst); err != nil || *dst == nil {
			if inURL {
				return fmt.Sprintf("%s must be a URL-encoded JSON object", name)
			}
			return fmt.Sprintf("%s must be an object", name)
		}
		if _, err := dec.Token(); err != io.EOF {
			return fmt.Sprintf("%s must be one JSON object", name)
		}
		return ""
	}
	for _, msg := range []string{
		str("query", &params.Query),
		str("operationName", &params.OperationName),
		object("variables", &params.Variables),
		object("extensions", &params.Extensions),
	} {
		if msg != "" {
			return msg
		}
	}
	if strings.TrimSpace(params.Query) == "" && persistedHash(params.Extensions) == "" {
		return "the request has no query"
	}
	return ""
}

func isNull(raw json.RawMessage) bool {
	return string(bytes.TrimSpace(raw)) == "null"
}

func jsonErrorAt(err error) string {
	if syntax, ok := errors.AsType[*json.SyntaxError](err); ok {
		return fmt.Sprintf(" (invalid JSON at byte %d)", syntax.Offset)
	}
	return ""
}

// BodyTooLarge is the error of a request whose body is over limit bytes.
func BodyTooLarge(limit int64) *gqlerror.Error {
	return limitError(nil, int(limit), "the request body is larger than the limit of %d bytes", limit)
}

// LimitExceeded is a LIMIT_EXCEEDED error whose message names the limit
// and whose extensions.limit is its value, for limits the HTTP edge
// enforces itself.
func LimitExceeded(limit int, message string) *gqlerror.Error {
	return limitError(nil, limit, "%s", message)
}

// WriteError answers r with err alone, for a request the HTTP edge
// refuses before the GraphQL handler sees it (a body over the limit, too
// many requests): in the media type the endpoint would answer with, with
// no data entry and Cache-Control: no-store, and with err's code recorded
// in the request's Outcome, as the presenter records the handler's own.
func WriteError(w http.ResponseWriter, r *http.Request, status int, err *gqlerror.Error) {
	media, ok := negotiate(r.Header.Values("Accept"))
	if !ok {
		media = mediaJSON
	}
	code, _ := err.Extensions["code"].(string)
	outcomeFrom(r.Context()).addCode(code)
	w.Header().Add("Vary", "Accept")
	w.Header().Set("Cache-Control", "no-store")
	write(w, media, status, &graphql.Response{Errors: gqlerror.List{err}}, false)
}

// negotiate picks the response media type from Accept headers: the
// higher quality wins; at equal quality a type named outright beats one a
// wildcard stands for, and graphql-response+json beats application/json
// when both are named. No Accept at all means application/json.
func negotiate(accept []string) (string, bool) {
	explicit := map[string]float64{}
	wildcard := -1.0
	seen := false
	for _, header := range accept {
		for part := range strings.SplitSeq(header, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			seen = true
			mt, params, err := mime.ParseMediaType(part)
			if err != nil {
				continue
			}
			q := 1.0
			if s, ok := params["q"]; ok {
				if q, err = strconv.ParseFloat(s, 64); err != nil || q < 0 || q > 1 {
					continue
				}
			}
			switch mt {
			case mediaJSON, mediaGraphQLResponse:
				explicit[mt] = max(explicit[mt], q)
			case "*/*", "application/*":
				wildcard = max(wildcard, q)
			}
		}
	}
	if !seen {
		return mediaJSON, true
	}
	type pref struct {
		q     float64
		named bool
	}
	of := func(mt string) pref {
		if q, ok := explicit[mt]; ok {
			return pref{q, true}
		}
		return pref{max(wildcard, 0), false}
	}
	g, j := of(mediaGraphQLResponse), of(mediaJSON)
	switch {
	case g.q <= 0 && j.q <= 0:
		return "", false
	case g.q > j.q, g.q == j.q && g.named:
		return mediaGraphQLResponse, true
	default:
		return mediaJSON, true
	}
}

// etag identifies an answer: the options that shape answers, the
// curriculum version, the media type and the request. The query counts by
// its hash, so a persisted query sent by hash and the same query sent in
// full share their ETag.
func (t *httpTransport) etag(version, media string, p *graphql.RawParams) string {
	query := persistedHash(p.Extensions)
	if p.Query != "" {
		query = queryHash(p.Query)
	}
	vars, _ := json.Marshal(p.Variables) // map keys come out sorted
	h := sha256.New()
	for _, part := range []string{t.generation, version, media, strings.ToLower(query), p.OperationName, string(vars)} {
		_, _ = io.WriteString(h, part)
		_, _ = h.Write([]byte{0})
	}
	return `"` + base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:18]) + `"`
}

func (t *httpTransport) cacheHeaders(w http.ResponseWriter, etag string) {
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", fmt.Sprintf("public, max-age=%d", int(t.opts.CacheMaxAge.Seconds())))
}

// matchesETag says whether If-None-Match names etag (weak comparison, as
// RFC 9110 says for If-None-Match), or is "*".
func matchesETag(ifNoneMatch []string, etag string) bool {
	for _, header := range ifNoneMatch {
		for tag := range strings.SplitSeq(header, ",") {
			tag = strings.TrimSpace(tag)
			if tag == "*" || strings.TrimPrefix(tag, "W/") == etag {
				return true
			}
		}
	}
	return false
}

// cacheable says whether an answer may be cached: it has data and no
// error but the ones that follow from the curriculum and the request
// alone, and so recur for the same ETag.
func cacheable(resp *graphql.Response) bool {
	if resp.Data == nil {
		return false
	}
	for _, e := range resp.Errors {
		switch e.Extensions["code"] {
		case string(learngraph.ENOTFOUND), string(learngraph.EAMBIGUOUS), string(learngraph.EINVALID):
		default:
			return false
		}
	}
	return true
}
