package learngraph

import (
	"strings"
	"unicode"
)

// Slug turns a name into a stable kebab-case id: lowercase letters and
// digits, every run of anything else collapsed into one "-", no "-" at
// either end. "Declarative Macros" → "declarative-macros", "async/await" →
// "async-await", "ink!" → "ink", "serde_json" → "serde-json".
func Slug(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	pendingDash := false
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			// Remember the gap; it only becomes a dash between two words.
			pendingDash = b.Len() > 0
			continue
		}
		if pendingDash {
			b.WriteByte('-')
			pendingDash = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
