package learngraph

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"
)

// SuggestKey is one text a ref could have meant: an id, a name or an alias
// of a node.
type SuggestKey struct {
	Text string
	Node NodeRef
}

// maxSuggestions is how many did-you-mean suggestions an error carries.
const maxSuggestions = 5

// Suggest returns up to five texts among keys that ref plausibly misspells,
// closest first: by edit distance on lowercased text, then by node id, then
// by kind. Each node is suggested once, by its closest key. Plausible means
// within an edit distance of a third of ref's length (at least 1): "GAT"
// suggests "GATs". Only when nothing is that close do keys that contain
// ref (from three characters on) count, so "proc" suggests "Procedural
// Macros" but "trait" suggests only "traits".
func Suggest(ref string, keys []SuggestKey) []string {
	ref = strings.ToLower(strings.TrimSpace(ref))
	refLen := utf8.RuneCountInString(ref)
	if refLen == 0 {
		return nil
	}
	limit := max(1, refLen/3)

	near, containing := map[NodeRef]suggestion{}, map[NodeRef]suggestion{}
	for _, k := range keys {
		text := strings.ToLower(k.Text)
		dist, isClose, contains := plausibleDistance(ref, refLen, text, limit)
		s := suggestion{text: k.Text, node: k.Node, dist: dist}
		switch {
		case isClose:
			keepBest(near, s)
		case contains:
			keepBest(containing, s)
		}
	}
	best := near
	if len(best) == 0 {
		best = containing
	}

	ranked := make([]suggestion, 0, len(best))
	for _, s := range best {
		ranked = append(ranked, s)
	}
	slices.SortFunc(ranked, suggestion.compare)

	var out []string
	shown := map[string]bool{}
	for _, s := range ranked {
		if len(out) == maxSuggestions {
			break
		}
		// Two nodes may share a text (a topic and a concept of one
		// name); the text is what the user types, so say it once.
		if lower := strings.ToLower(s.text); !shown[lower] {
			shown[lower] = true
			out = append(out, s.text)
		}
	}
	return out
}

type suggestion struct {
	text string
	node NodeRef
	dist int
}

// less picks the key a node is suggested by: the closest, then the
// smallest text, so the choice does not depend on the order of keys.
func (s suggestion) less(t suggestion) bool {
	if s.dist != t.dist {
		return s.dist < t.dist
	}
	return s.text < t.text
}

func (s suggestion) compare(t suggestion) int {
	if c := cmp.Compare(s.dist, t.dist); c != 0 {
		return c
	}
	if c := cmp.Compare(s.node.ID, t.node.ID); c != 0 {
		return c
	}
	if c := cmp.Compare(kindRank(s.node.Kind), kindRank(t.node.Kind)); c != 0 {
		return c
	}
	return cmp.Compare(s.text, t.text)
}

// keepBest records s as its node's suggestion unless the node already has
// a better one.
func keepBest(best map[NodeRef]suggestion, s suggestion) {
	if old, seen := best[s.node]; !seen || s.less(old) {
		best[s.node] = s
	}
}

// plausibleDistance returns the edit distance between ref and text,
// whether that is within limit, and whether text contains ref.
func plausibleDistance(ref string, refLen int, text string, limit int) (dist int, isClose, contains bool) {
	contains = refLen >= 3 && strings.Contains(text, ref)
	textLen := utf8.RuneCountInString(text)
	if !contains && abs(textLen-refLen) > limit {
		// The distance is at least the difference in length: skip the
		// quadratic work for the many keys that cannot qualify.
		return 0, false, false
	}
	dist = levenshtein(ref, text)
	return dist, dist <= limit, contains
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// levenshtein is the edit distance between a and b, in runes.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
