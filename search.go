package learngraph

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SearchItem is a node with the texts search looks at: its names (name or
// title, then aliases) and its prose (description, and a challenge's
// solution and tip).
type SearchItem struct {
	Node  Node
	ID    string
	Names []string
	Prose []string
}

// SearchItemOf returns the search texts of a concept, topic, crate,
// challenge or path; ok is false for the kinds search does not return.
func SearchItemOf(n Node) (item SearchItem, ok bool) {
	item = SearchItem{Node: n, ID: n.Ref().ID}
	switch n := n.(type) {
	case *Concept:
		item.Names, item.Prose = append([]string{n.Name}, n.Aliases...), []string{n.Description}
	case *Topic:
		item.Names, item.Prose = append([]string{n.Name}, n.Aliases...), []string{n.Description}
	case *DomainPath:
		item.Names, item.Prose = append([]string{n.Name}, n.Aliases...), []string{n.Description}
	case *Crate:
		item.Names, item.Prose = []string{n.Name}, append([]string{n.Description}, n.Categories...)
	case *Challenge:
		item.Names, item.Prose = []string{n.Title}, []string{n.Description, n.Solution, n.Tip}
	default:
		return SearchItem{}, false
	}
	return item, true
}

// SearchKinds are the kinds search returns.
var SearchKinds = []Kind{KindConcept, KindTopic, KindPath, KindCrate, KindChallenge}

// The scores of the match tiers, best first.
const (
	scoreExact      = 1.0  // the whole text is the id, the name or an alias
	scorePrefix     = 0.75 // the name or an alias starts with the text
	scoreNameWords  = 0.5  // every word of the text is a word of the names
	scoreProseWords = 0.25 // every word is a word of the names or the prose
)

// RankSearch returns the items text matches, best first, case-insensitive:
// an exact id, name or alias; then a name or alias that starts with text;
// then names that hold every word of text; then names and prose that do.
// A word matches a word of the item that equals it or, for words of three
// letters or more, starts with it ("macro" finds "Macros"). Ties go by id,
// then by the order of Kinds. A full-text index may pick the items; this
// decides their order.
func RankSearch(text string, items []SearchItem) []SearchHit {
	query := strings.TrimSpace(text)
	if query == "" {
		return nil
	}
	words := searchWords(query)
	type scored struct {
		item  *SearchItem
		score float64
	}
	var hits []scored
	for i := range items {
		if s := matchScore(query, words, &items[i]); s > 0 {
			hits = append(hits, scored{&items[i], s})
		}
	}
	slices.SortFunc(hits, func(a, b scored) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		if c := cmp.Compare(a.item.ID, b.item.ID); c != 0 {
			return c
		}
		return cmp.Compare(kindRank(a.item.Node.Ref().Kind), kindRank(b.item.Node.Ref().Kind))
	})
	out := make([]SearchHit, len(hits))
	for i, h := range hits {
		out[i] = SearchHit{Score: h.score, Node: h.item.Node}
	}
	return out
}

func matchScore(query string, words []string, item *SearchItem) float64 {
	if strings.EqualFold(item.ID, query) {
		return scoreExact
	}
	best := 0.0
	for _, name := range item.Names {
		switch {
		case strings.EqualFold(strings.TrimSpace(name), query):
			return scoreExact
		case hasPrefixFold(name, query):
			best = scorePrefix
		}
	}
	if best > 0 || len(words) == 0 {
		return best
	}
	if allWordsIn(words, item.Names) {
		return scoreNameWords
	}
	if allWordsIn(words, item.Names, item.Prose) {
		return scoreProseWords
	}
	return 0
}

// searchWords splits text into lowercase words of letters and digits.
func searchWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// allWordsIn reports whether each word occurs in one of the texts.
func allWordsIn(words []string, texts ...[]string) bool {
	for _, w := range words {
		found := false
		for _, group := range texts {
			for _, t := range group {
				if containsWord(t, w) {
					found = true
					break
				}
			}
			if found {
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// containsWord reports whether text has a word equal to w (lowercase) or,
// when w has three letters or more, a word starting with it. It scans
// without allocating: search runs over every item of a curriculum.
func containsWord(text, w string) bool {
	prefixOK := utf8.RuneCountInString(w) >= 3
	atWordStart := true
	for i, r := range text {
		isWordRune := unicode.IsLetter(r) || unicode.IsDigit(r)
		if isWordRune && atWordStart && hasPrefixFold(text[i:], w) {
			rest := text[i+len(w):]
			next, _ := utf8.DecodeRuneInString(rest)
			if prefixOK || rest == "" || !(unicode.IsLetter(next) || unicode.IsDigit(next)) {
				return true
			}
		}
		atWordStart = !isWordRune
	}
	return false
}

// hasPrefixFold is strings.HasPrefix, case-insensitive.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
