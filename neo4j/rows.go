package neo4j

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"learngraph"
)

// rows is a curriculum cut into the parameter rows of the load
// statements: per kind, its nodes; per kind, the keys that name them; per
// (type, from kind, to kind), the relationships.
type rows struct {
	nodes map[learngraph.Kind][]map[string]any
	keys  map[learngraph.Kind][]map[string]any
	links []linkGroup
	// hashes are the content hashes of the nodes by kind and id, for
	// telling created, updated and unchanged nodes apart.
	hashes map[learngraph.NodeRef]string
	total  int // rows in all
}

// linkGroup is the relationships of one type between two kinds: one
// statement writes them, with its labels and type fixed.
type linkGroup struct {
	rel      learngraph.Rel
	from, to learngraph.Kind
	rows     []map[string]any
}

// Properties the loader adds to item nodes, beside itemProps.
const (
	// propOrd is the node's rank among its kind in document order
	// (Position, then id), computed in Go: Cypher orders by this one
	// integer wherever it must pick a page or a top-k, so it agrees with
	// Go's order exactly, string collation included.
	propOrd = "ord"
	// propHash is a hash of itemProps, to tell which nodes a load changes.
	propHash = "hash"
	// propSearch is the folded text search looks in (see searchText).
	propSearch = "search"
	// propPrereqs is how many concepts a concept requires, so next-up
	// finds the concepts that require nothing through an index.
	propPrereqs = "prereqCount"
)

// buildRows cuts c into rows. Duplicate links (same type and ends) become
// one relationship carrying the reason of the first, the one the embedded
// store shows, and, when another duplicate's reason sorts before it,
// that reason as minReason, the one plans quote (learngraph.OrderPlan
// takes the smallest).
func buildRows(c *learngraph.Curriculum) (*rows, error) {
	r := &rows{
		nodes:  map[learngraph.Kind][]map[string]any{},
		keys:   map[learngraph.Kind][]map[string]any{},
		hashes: map[learngraph.NodeRef]string{},
	}
	prereqs := map[string]map[string]bool{}
	for _, l := range c.Links {
		if l.Rel == learngraph.Requires && l.From.Kind == learngraph.KindConcept && l.To.Kind == learngraph.KindConcept {
			if prereqs[l.From.ID] == nil {
				prereqs[l.From.ID] = map[string]bool{}
			}
			prereqs[l.From.ID][l.To.ID] = true
		}
	}
	for _, kind := range learngraph.Kinds {
		nodes := learngraph.GraphNodes(c.Graph, kind)
		slices.SortStableFunc(nodes, learngraph.CompareNodes)
		for ord, n := range nodes {
			p := itemProps(n)
			hash, err := propsHash(p)
			if err != nil {
				return nil, err
			}
			r.hashes[n.Ref()] = hash
			p[propOrd], p[propHash] = int64(ord), hash
			if item, ok := learngraph.SearchItemOf(n); ok {
				p[propSearch] = searchText(item)
			}
			if kind == learngraph.KindConcept {
				p[propPrereqs] = int64(len(prereqs[n.Ref().ID]))
			}
			r.nodes[kind] = append(r.nodes[kind], map[string]any{"id": n.Ref().ID, "props": p})
			r.keys[kind] = append(r.keys[kind], keyRows(n)...)
		}
		r.total += len(r.nodes[kind]) + len(r.keys[kind])
	}
	links, err := linkRows(c.Links)
	if err != nil {
		return nil, err
	}
	r.links = links
	for _, g := range links {
		r.total += len(g.rows)
	}
	return r, nil
}

// propsHash hashes a node's properties; encoding/json sorts map keys, so
// equal properties give equal hashes.
func propsHash(p map[string]any) (string, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return "", fmt.Errorf("hash properties of %v: %w", p[propID], err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16]), nil
}

// keyRows returns the (:Key) rows of n: its id, and each distinct name or
// alias as written (learngraph.NodeKeys). Each key keeps the text as
// written for did-you-mean suggestions, its lowercased form and length for
// picking suggestion candidates, and the form a ref is matched against:
// lowercased, and trimmed for names, as learngraph.Resolver does.
func keyRows(n learngraph.Node) []map[string]any {
	id, names := learngraph.NodeKeys(n)
	type key struct {
		text string
		isID bool
	}
	keys := []key{{id, true}}
	for _, name := range names {
		if strings.TrimSpace(name) != "" && !slices.Contains(keys, key{name, false}) {
			keys = append(keys, key{name, false})
		}
	}
	out := make([]map[string]any, len(keys))
	for i, k := range keys {
		match := strings.ToLower(k.text)
		if !k.isID {
			match = strings.ToLower(strings.TrimSpace(k.text))
		}
		lower := strings.ToLower(k.text)
		out[i] = map[string]any{
			"id":   fmt.Sprintf("%s/%s/%d", n.Ref().Kind, id, i),
			"node": id,
			"props": map[string]any{
				"key":   match,
				"text":  k.text,
				"lower": lower,
				"runes": int64(utf8.RuneCountInString(lower)),
				"kind":  string(n.Ref().Kind),
				"isId":  k.isID,
				"node":  id,
			},
		}
	}
	return out
}

// linkRows groups links by type and end kinds, one row per distinct
// relationship, in a fixed order.
func linkRows(links []learngraph.Link) ([]linkGroup, error) {
	type groupKey struct {
		rel      learngraph.Rel
		from, to learngraph.Kind
	}
	type end struct{ from, to string }
	groups := map[groupKey]*linkGroup{}
	seen := map[groupKey]map[end]map[string]any{}
	var order []groupKey
	for _, l := range links {
		if _, ok := relTypes[l.Rel]; !ok {
			return nil, learngraph.Errorf(learngraph.EINVALID, "unknown relationship type %q", l.Rel)
		}
		gk := groupKey{l.Rel, l.From.Kind, l.To.Kind}
		g := groups[gk]
		if g == nil {
			g = &linkGroup{rel: l.Rel, from: l.From.Kind, to: l.To.Kind}
			groups[gk], seen[gk] = g, map[end]map[string]any{}
			order = append(order, gk)
		}
		e := end{l.From.ID, l.To.ID}
		if row, dup := seen[gk][e]; dup {
			props := row["props"].(map[string]any)
			min, _ := props["minReason"].(string)
			if _, has := props["minReason"]; !has {
				min = props["reason"].(string)
			}
			if l.Reason < min {
				props["minReason"] = l.Reason
			}
			continue
		}
		row := map[string]any{"from": l.From.ID, "to": l.To.ID, "props": map[string]any{"reason": l.Reason}}
		seen[gk][e] = row
		g.rows = append(g.rows, row)
	}
	slices.SortFunc(order, func(a, b groupKey) int {
		return cmp.Or(cmp.Compare(a.rel, b.rel), cmp.Compare(a.from, b.from), cmp.Compare(a.to, b.to))
	})
	out := make([]linkGroup, len(order))
	for i, gk := range order {
		out[i] = *groups[gk]
	}
	return out, nil
}
