package neo4j

import (
	"slices"
	"strings"
	"testing"
)

// The Cypher of plans, next-up and why-chains follows the requisites
// alternation: it must name exactly the relationship types of the
// domain's requisite relationships, or a kind of edge would silently drop
// out of the answers.
func TestRequisitesMatchDomain(t *testing.T) {
	var want []string
	for rel, typ := range relTypes {
		if rel.IsRequisite() {
			want = append(want, typ)
		}
	}
	got := strings.Split(requisites, "|")
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("requisites %q, want the types %q", got, want)
	}
	for _, typ := range got {
		if r, ok := relOfType(typ); !ok || relTypes[r] != typ {
			t.Errorf("relOfType(%q) = %q, %t", typ, r, ok)
		}
	}
}
