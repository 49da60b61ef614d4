package learngraph

import (
	"encoding/base64"
	"strings"
)

// cursorPrefix marks cursors this package issues, so that a random string
// is told apart from a cursor whose concept has since disappeared.
const cursorPrefix = "concept:"

// ConceptCursor returns the opaque paging cursor that points just past the
// concept with the id. Cursors name ids rather than offsets, so every store
// issues the same ones and a cursor stays meaningful across versions.
func ConceptCursor(id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + id))
}

// ParseConceptCursor returns the concept id of a cursor ConceptCursor
// issued. Returns BAD_USER_INPUT for anything else.
func ParseConceptCursor(cursor string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	id, ok := strings.CutPrefix(string(raw), cursorPrefix)
	if err != nil || !ok || id == "" {
		return "", Errorf(EINVALID, "invalid cursor %q: pass the endCursor of a previous page", cursor)
	}
	return id, nil
}
