package neo4j

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"learngraph"
)

// Search in Neo4j only picks candidates; learngraph.RankSearch decides
// which of them match and in what order, as it does for the embedded
// store. The candidates must therefore include every item RankSearch
// would return.
//
// Every match tier of RankSearch implies that each word of the query
// (letters and digits, as learngraph splits them) starts a word of the
// item's id, names or prose, case-insensitively; a query with no word at
// all can only match as the whole or the start of a name or id. So an
// item is a candidate when its search text, the case-folded id, names and
// prose, contains each word of the query (or the whole query when it has
// no word). Case folding maps every rune to the smallest rune of its
// Unicode simple-fold orbit, which equates exactly what strings.EqualFold
// equates; Cypher's toLower would not (the Kelvin sign, the long s).

// searchText is the text a search looks in for item: its id, names and
// prose, folded, one per line.
func searchText(item learngraph.SearchItem) string {
	parts := append([]string{item.ID}, item.Names...)
	parts = append(parts, item.Prose...)
	return fold(strings.Join(parts, "\n"))
}

// searchNeedles returns what a candidate's search text must contain for
// the query text: the folded words of the query as RankSearch splits them
// (lowercased, then cut at anything but letters and digits), longest first
// since the first is the one the text index is asked for; or the whole
// folded query when it has no word. Nil for an empty query.
func searchNeedles(text string) []string {
	query := strings.TrimSpace(text)
	if query == "" {
		return nil
	}
	var needles []string
	for _, w := range strings.FieldsFunc(strings.ToLower(query), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		if f := fold(w); !slices.Contains(needles, f) {
			needles = append(needles, f)
		}
	}
	if len(needles) == 0 {
		return []string{fold(query)}
	}
	slices.SortStableFunc(needles, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	return needles
}

// fold maps each rune of s to the smallest rune of its simple-fold orbit.
func fold(s string) string {
	return strings.Map(func(r rune) rune {
		smallest := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			smallest = min(smallest, f)
		}
		return smallest
	}, s)
}
