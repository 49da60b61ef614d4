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
// statements: per kind, its nodes, each with the keys that name it; per
// (type, from kind, to kind), the relationships.
type rows struct {
	// nodes holds per kind one row per node: {"props": the node's
	// properties, "keys": the properties of its (:Key) nodes}. One
	// statement creates a node and its keys, so a key costs no lookup of
	// its node.
	nodes map[learngraph.Kind][]map[string]any
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
	// rows hold the relationships by their from end, so a statement looks
	// each from node up once rather than once per relationship (a concept
	// requires about five others): [from id, ends], each end [to id] or,
	// with reasons, [to id, reason, minReason], null for a missing one.
	// Lists rather than maps, which the driver encodes and Neo4j decodes
	// faster.
	rows  []any
	edges int // relationships in all
	// reasons is set when some relationship of the group has a reason;
	// the others store no reason property, which reads back as "".
	reasons bool
	// sources is set for requisite relationships, which keep where they
	// were stated (findings about an edge point there): each end is then
	// [to id, reason, minReason, file, line].
	sources bool
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
	// propPrereqs is how many requisite relationships (REQUIRES and
	// co-requisites) leave a concept: next-up counts how many of them
	// lead to what a learner knows against it.
	propPrereqs = "prereqCount"
	// propRank is the concept's rank in next-up order (blocking factor
	// descending, then document order), so Cypher picks next-up's top
	// candidates by one integer, in Go's order.
	propRank = "rank"
	// propSourceRank is the rank of a concept that requires nothing, and
	// missing on the others: its index lists the sources in next-up order,
	// so next-up reads only as many as it recommends.
	propSourceRank = "sourceRank"
)

// buildRows cuts c into rows. Duplicate links (same type and ends) become
// one relationship carrying the reason of the first, the one the embedded
// store shows, and, when another duplicate's reason sorts before it,
// that reason as minReason, the one plans quote (learngraph.OrderPlan
// takes the smallest).
func buildRows(c *learngraph.Curriculum) (*rows, error) {
	r := &rows{
		nodes:  map[learngraph.Kind][]map[string]any{},
		hashes: map[learngraph.NodeRef]string{},
	}
	// prereqs counts each concept's requisite relationships as they are
	// stored, one per type and end (next-up matches them one by one).
	type requisite struct {
		rel learngraph.Rel
		to  string
	}
	prereqs := map[string]map[requisite]bool{}
	for _, l := range c.Links {
		if l.Rel.IsRequisite() && l.From.Kind == learngraph.KindConcept && l.To.Kind == learngraph.KindConcept {
			if prereqs[l.From.ID] == nil {
				prereqs[l.From.ID] = map[requisite]bool{}
			}
			prereqs[l.From.ID][requisite{l.Rel, l.To.ID}] = true
		}
	}
	rank := nextUpRanks(c.Concepts)
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
				count := len(prereqs[n.Ref().ID])
				p[propPrereqs], p[propRank] = int64(count), int64(rank[n.Ref().ID])
				if count == 0 {
					p[propSourceRank] = p[propRank]
				}
			}
			keys := keyRows(n)
			r.nodes[kind] = append(r.nodes[kind], map[string]any{"props": p, "keys": keys})
			r.total += 1 + len(keys)
		}
	}
	links, err := linkRows(c.Links)
	if err != nil {
		return nil, err
	}
	r.links = links
	for _, g := range links {
		r.total += g.edges
	}
	return r, nil
}

// nextUpRanks returns each concept's rank in the order next-up
// recommends in: blocking factor descending, then document order.
func nextUpRanks(concepts []*learngraph.Concept) map[string]int {
	sorted := slices.Clone(concepts)
	slices.SortStableFunc(sorted, func(a, b *learngraph.Concept) int {
		if c := cmp.Compare(b.Metrics.BlockingFactor, a.Metrics.BlockingFactor); c != 0 {
			return c
		}
		return learngraph.CompareNodes(a, b)
	})
	rank := make(map[string]int, len(sorted))
	for i, c := range sorted {
		if _, dup := rank[c.ID]; !dup {
			rank[c.ID] = i
		}
	}
	return rank
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
// alias as written (learngraph.NodeKeys). Each key holds the form a ref is
// matched against (key: lowercased, and trimmed for names, as
// learngraph.Resolver does), its kind, whether it is the id, and what
// did-you-mean suggestions look at: the text as written, lowercased, and
// its length in runes.
//
// Keys are most of what a load writes (two or more per item), so each
// carries only what cannot be had otherwise: the text of an id key is the
// id of the node it names, and the lowercased text is stored only where it
// differs from key (a name with surrounding spaces); readers take them
// from there (see cypherSuggestKeys). Keys have no id of their own: they
// are only ever found by (v, key).
func keyRows(n learngraph.Node) []any {
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
	out := make([]any, len(keys))
	for i, k := range keys {
		lower := strings.ToLower(k.text)
		match := lower
		if !k.isID {
			match = strings.ToLower(strings.TrimSpace(k.text))
		}
		row := map[string]any{
			"key":   match,
			"runes": int64(utf8.RuneCountInString(lower)),
			"kind":  string(n.Ref().Kind),
			"isId":  k.isID,
		}
		if !k.isID {
			row["text"] = k.text
		}
		if lower != match {
			row["lower"] = lower
		}
		out[i] = row
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
	type link struct {
		from, to          string
		reason, minReason string
		hasMin            bool
		source            learngraph.Source
	}
	groups := map[groupKey][]*link{}
	seen := map[groupKey]map[end]*link{}
	var order []groupKey
	for _, l := range links {
		if _, ok := relTypes[l.Rel]; !ok {
			return nil, learngraph.Errorf(learngraph.EINVALID, "unknown relationship type %q", l.Rel)
		}
		gk := groupKey{l.Rel, l.From.Kind, l.To.Kind}
		if seen[gk] == nil {
			seen[gk] = map[end]*link{}
			order = append(order, gk)
		}
		e := end{l.From.ID, l.To.ID}
		if first, dup := seen[gk][e]; dup {
			min := first.reason
			if first.hasMin {
				min = first.minReason
			}
			if l.Reason < min {
				first.minReason, first.hasMin = l.Reason, true
			}
			continue
		}
		seen[gk][e] = &link{from: l.From.ID, to: l.To.ID, reason: l.Reason, source: l.Source}
		groups[gk] = append(groups[gk], seen[gk][e])
	}
	slices.SortFunc(order, func(a, b groupKey) int {
		return cmp.Or(cmp.Compare(a.rel, b.rel), cmp.Compare(a.from, b.from), cmp.Compare(a.to, b.to))
	})
	out := make([]linkGroup, len(order))
	for i, gk := range order {
		g := linkGroup{rel: gk.rel, from: gk.from, to: gk.to, edges: len(groups[gk]), sources: gk.rel.IsRequisite()}
		for _, l := range groups[gk] {
			g.reasons = g.reasons || l.reason != "" || l.hasMin
		}
		at := map[string]int{} // from id → its row
		for _, l := range groups[gk] {
			end := []any{l.to}
			if g.reasons || g.sources {
				end = append(end, nil, nil)
				if l.reason != "" {
					end[1] = l.reason
				}
				if l.hasMin {
					end[2] = l.minReason
				}
			}
			if g.sources {
				end = append(end, l.source.File, int64(l.source.Line))
			}
			j, ok := at[l.from]
			if !ok {
				j = len(g.rows)
				at[l.from] = j
				g.rows = append(g.rows, []any{l.from, []any{}})
			}
			row := g.rows[j].([]any)
			row[1] = append(row[1].([]any), end)
		}
		out[i] = g
	}
	return out, nil
}
