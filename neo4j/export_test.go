package neo4j

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"learngraph"
)

// RoundTrips returns how many statements and transactions s has sent.
func (s *Store) RoundTrips() int64 { return s.roundTrips.Load() }

// Generation returns the generation a snapshot of this package reads.
func Generation(snap learngraph.Snapshot) int64 { return snap.(*snapshot).gen }

// Wipe deletes everything in the database, in batches.
func (s *Store) Wipe(ctx context.Context) error {
	for {
		records, err := s.write(ctx, "MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS deleted", nil)
		if err != nil {
			return err
		}
		n, err := value[int64](records[0], "deleted")
		if err != nil || n == 0 {
			return err
		}
	}
}

// CountGeneration returns how many nodes carry v = gen (a full scan; for
// tests only).
func (s *Store) CountGeneration(ctx context.Context, gen int64) (int64, error) {
	records, err := s.read(ctx, "MATCH (n) WHERE n.v = $gen RETURN count(n) AS n", map[string]any{"gen": gen})
	if err != nil {
		return 0, err
	}
	return value[int64](records[0], "n")
}

// SetFormat records format as the one generation gen was written in, to
// play a load by another release.
func (s *Store) SetFormat(ctx context.Context, gen, format int64) error {
	_, err := s.write(ctx, "MATCH (c:Curriculum {v: $gen, id: 'curriculum'}) SET c.format = $format",
		map[string]any{"gen": gen, "format": format})
	return err
}

// The read statements whose plans the tests inspect.
var Statements = map[string]string{
	"StudyPlan":   cypherStudyPlan,
	"NextUp":      cypherNextUp,
	"WhyRequired": cypherWhyRequired,
	"Search":      cypherSearch,
	"Resolve":     cypherLookup,
}

// Profile runs cypher under PROFILE with params and returns the operators
// of its plan, as "Operator@details" strings, depth first.
func (s *Store) Profile(ctx context.Context, cypher string, params map[string]any) ([]string, error) {
	res, err := neo4j.ExecuteQuery(ctx, s.driver, "PROFILE "+cypher, params, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(s.cfg.Database), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return nil, err
	}
	var out []string
	var walk func(p neo4j.ProfiledPlan, depth int)
	walk = func(p neo4j.ProfiledPlan, depth int) {
		details, _ := p.Arguments()["Details"].(string)
		out = append(out, fmt.Sprintf("%s%s rows=%d hits=%d %s", strings.Repeat("  ", depth), p.Operator(), p.Records(), p.DbHits(), details))
		for _, c := range p.Children() {
			walk(c, depth+1)
		}
	}
	if plan := res.Summary.Profile(); plan != nil {
		walk(plan, 0)
	}
	return out, nil
}
