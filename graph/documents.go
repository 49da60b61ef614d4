package graph

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"learngraph"
)

// TrustedDocuments are the operations a deployment allows, by the
// SHA-256 of their text: the persisted-documents manifest that GraphQL
// Codegen's client preset, Relay and others write, a JSON object
// {"<sha256 hex>": "<document text>", …}. A client sends the hash in
// extensions.persistedQuery.sha256Hash, as for automatic persisted
// queries, or the document's exact text.
type TrustedDocuments struct {
	byHash map[string]string
	digest string // identifies the set, for ETags
}

// ParseTrustedDocuments reads a manifest and checks every document
// against the schema, so a typo stops the server at start rather than
// failing one request at a time. A key that is not the SHA-256 of its
// document is an error: clients compute the hash from the text.
func ParseTrustedDocuments(r io.Reader) (*TrustedDocuments, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("trusted documents: %w", err)
	}
	var manifest map[string]string
	if err := json.Unmarshal(data, &manifest); err != nil {
		return nil, fmt.Errorf("trusted documents: want a JSON object of sha256 hash to document text: %w", err)
	}
	if len(manifest) == 0 {
		return nil, fmt.Errorf("trusted documents: the manifest holds no document")
	}
	schema := NewExecutableSchema(Config{Resolvers: &Resolver{}}).Schema()
	docs := &TrustedDocuments{byHash: map[string]string{}}
	hashes := make([]string, 0, len(manifest))
	for key, text := range manifest {
		hash := queryHash(text)
		if strings.ToLower(key) != hash {
			return nil, fmt.Errorf("trusted documents: key %s is not the SHA-256 of its document (%s)", key, hash)
		}
		doc, err := parser.ParseQuery(&ast.Source{Name: key, Input: text})
		if err != nil {
			return nil, fmt.Errorf("trusted documents: document %s: %w", key, err)
		}
		if errs := validator.ValidateWithRules(schema, doc, nil); len(errs) > 0 {
			return nil, fmt.Errorf("trusted documents: document %s: %w", key, errs)
		}
		docs.byHash[hash] = text
		hashes = append(hashes, hash)
	}
	slices.Sort(hashes)
	sum := sha256.Sum256([]byte(strings.Join(hashes, ",")))
	docs.digest = hex.EncodeToString(sum[:8])
	return docs, nil
}

// Len returns how many documents there are.
func (d *TrustedDocuments) Len() int { return len(d.byHash) }

// queryHash is the hash persisted queries and trusted documents go by.
func queryHash(query string) string {
	sum := sha256.Sum256([]byte(query))
	return hex.EncodeToString(sum[:])
}

// persistedHash returns extensions.persistedQuery.sha256Hash, "" when the
// request has none.
func persistedHash(ext map[string]any) string {
	pq, _ := ext["persistedQuery"].(map[string]any)
	h, _ := pq["sha256Hash"].(string)
	return h
}

// trustedStat marks, in the operation's stats, a request whose document
// is trusted.
const trustedStat = "TrustedDocument"

func isTrusted(opCtx *graphql.OperationContext) bool {
	ok, _ := opCtx.Stats.GetExtension(trustedStat).(bool)
	return ok
}

// trustedDocuments finds the text of a request that sends only a hash,
// and marks the requests whose document is trusted. It refuses nothing
// itself but unknown hashes: the limits refuse untrusted documents once
// the document is parsed, since introspection may still run (the
// playground documents the schema with it).
type trustedDocuments struct {
	docs *TrustedDocuments
}

var _ graphql.OperationParameterMutator = trustedDocuments{}

func (trustedDocuments) ExtensionName() string                          { return "TrustedDocuments" }
func (trustedDocuments) Validate(schema graphql.ExecutableSchema) error { return nil }

func (t trustedDocuments) MutateOperationParameters(ctx context.Context, params *graphql.RawParams) *gqlerror.Error {
	hash := strings.ToLower(persistedHash(params.Extensions))
	if params.Query == "" {
		if hash == "" {
			return nil // the transport refuses a request without a query
		}
		text, ok := t.docs.byHash[hash]
		if !ok {
			return codedError(nil, string(learngraph.EPERSISTED), nil, "no trusted document has the hash %s", hash)
		}
		params.Query = text
	} else {
		sum := queryHash(params.Query)
		if hash != "" && hash != sum {
			return codedError(nil, string(learngraph.EINVALID), nil, "extensions.persistedQuery.sha256Hash is not the SHA-256 of the query")
		}
		if _, ok := t.docs.byHash[sum]; !ok {
			return nil
		}
	}
	graphql.GetOperationContext(ctx).Stats.SetExtension(trustedStat, true)
	return nil
}

// maxPersistedLabels bounds the operation names that automatic persisted
// queries add to the metrics labels. Any client can register a persisted
// query under any name; past this many names they all count as "other".
const maxPersistedLabels = 50

// operationLabels names each operation for the metrics: a trusted
// document's operation by its name, an automatic persisted query's by its
// name while fewer than maxPersistedLabels names are taken, anything else
// "other".
type operationLabels struct {
	mu        sync.Mutex
	persisted map[string]bool
}

func newOperationLabels() *operationLabels {
	return &operationLabels{persisted: map[string]bool{}}
}

var _ graphql.OperationContextMutator = (*operationLabels)(nil)

func (*operationLabels) ExtensionName() string                          { return "OperationLabels" }
func (*operationLabels) Validate(schema graphql.ExecutableSchema) error { return nil }

func (l *operationLabels) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if opCtx.Operation == nil {
		return nil
	}
	name := opCtx.Operation.Name
	label := OtherOperation
	switch {
	case name == "":
	case isTrusted(opCtx):
		label = name
	case extension.GetApqStats(ctx) != nil && l.admit(name):
		label = name
	}
	outcomeFrom(ctx).setOperation(label, name)
	return nil
}

func (l *operationLabels) admit(name string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.persisted[name] {
		return true
	}
	if len(l.persisted) >= maxPersistedLabels {
		return false
	}
	l.persisted[name] = true
	return true
}
