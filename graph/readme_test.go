package graph_test

import (
	"os"
	"regexp"
	"testing"
)

// TestReadmeQueries runs every GraphQL example of the README against the
// seed, so the examples people paste into the playground keep working
// when the schema or the seed changes.
func TestReadmeQueries(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```graphql\n(.*?)```").FindAllSubmatch(readme, -1)
	if len(blocks) < 5 {
		t.Fatalf("README has %d GraphQL examples, want at least the five questions", len(blocks))
	}
	c := newClient(t)
	for _, b := range blocks {
		query := string(b[1])
		var resp map[string]any
		if err := c.Post(query, &resp); err != nil {
			t.Errorf("README example fails:\n%s\n%v", query, err)
			continue
		}
		if len(resp) == 0 {
			t.Errorf("README example answered nothing:\n%s", query)
		}
	}
}
