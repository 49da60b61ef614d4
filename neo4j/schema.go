package neo4j

import (
	"context"
	"fmt"
	"strings"

	"learngraph"
)

// schemaSeconds is how long a load waits for new indexes to come online
// (they are built once, on an empty or small database).
const schemaSeconds = 300

// schemaStatements returns the constraints and indexes the store relies
// on, each created only if it does not exist yet:
//
//   - uniqueness of (v, id) per item label, and for (:Curriculum):
//     the loader finds relationships' ends by it, every read looks items
//     up by it, and its index also serves lookups by v alone (with id IS
//     NOT NULL);
//   - uniqueness of the pointer's key, so there is one pointer;
//   - (:Key)(v, key), for resolving refs, and for finding a version's
//     keys (which have no id);
//   - (:Concept)(v, ord) for paging concepts in document order, and
//     (:Concept)(v, sourceRank) for reading the concepts that require
//     nothing in next-up order (only they have a sourceRank);
//   - a text index on (:Searchable)(search), whose trigrams answer the
//     CONTAINS that picks search candidates.
//
// It also drops what earlier releases created and nothing reads any more:
// an index on (:Concept)(v, prereqCount), which cost every load an entry
// per concept. (Their uniqueness constraint on (:Key)(v, id) stays: keys
// no longer have an id, so it indexes nothing new and costs nothing.)
//
// Neo4j Community supports all of them.
func schemaStatements() []string {
	var out []string
	unique := func(label string) {
		out = append(out, fmt.Sprintf(
			"CREATE CONSTRAINT learngraph_%s_v_id IF NOT EXISTS FOR (n:%s) REQUIRE (n.v, n.id) IS UNIQUE",
			strings.ToLower(label), label))
	}
	for _, kind := range learngraph.Kinds {
		unique(labels[kind])
	}
	unique(labelCurriculum)
	return append(out,
		"CREATE CONSTRAINT learngraph_pointer_key IF NOT EXISTS FOR (s:Learngraph) REQUIRE s.key IS UNIQUE",
		"CREATE INDEX learngraph_key_v_key IF NOT EXISTS FOR (k:Key) ON (k.v, k.key)",
		"CREATE INDEX learngraph_concept_v_ord IF NOT EXISTS FOR (c:Concept) ON (c.v, c.ord)",
		"CREATE INDEX learngraph_concept_v_source IF NOT EXISTS FOR (c:Concept) ON (c.v, c.sourceRank)",
		"CREATE TEXT INDEX learngraph_search IF NOT EXISTS FOR (n:Searchable) ON (n.search)",
		"DROP INDEX learngraph_concept_v_prereqs IF EXISTS",
	)
}

// ensureSchema creates what schemaStatements lists and waits until every
// index is online, so the first load does not run on label scans.
func (s *Store) ensureSchema(ctx context.Context) error {
	for _, stmt := range schemaStatements() {
		if _, err := s.write(ctx, stmt, nil); err != nil {
			return fmt.Errorf("create schema: %w", err)
		}
	}
	if _, err := s.write(ctx, "CALL db.awaitIndexes($seconds)", map[string]any{"seconds": schemaSeconds}); err != nil {
		return fmt.Errorf("wait for indexes: %w", err)
	}
	return nil
}
