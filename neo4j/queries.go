package neo4j

import (
	"fmt"

	"learngraph"
)

// The Cypher of the read side. Every statement filters on $v, the
// generation of the snapshot asking, and takes everything else as
// parameters; labels and relationship types come from the tables in
// model.go.
//
// Questions that take refs (StudyPlan, NextUp, WhyRequired, Challenges,
// Resolve) resolve them in the same statement: cypherResolve finds, for
// each lowercased ref in $keys, every node one of its (:Key) nodes names
// among the kinds $kinds[i] (the candidates, which Go resolves with
// learngraph.Resolver to give the exact answer and errors of the embedded
// store), and picks the node the ref means the way Resolver.Lookup does
// (an id first, in the order of the kinds, then a name that exactly one
// node has), so the traversal that follows can start from it. Go checks
// that both picked the same node.
//
// Closures (every concept a set of concepts requires) are collected into
// lists and tested with IN (TestLargeCurriculum times it on 20,000
// concepts with closures of 15,000). A closure list must never be a grouping or DISTINCT key,
// nor be imported into a subquery with UNION or DISTINCT: Neo4j would
// then hash and account the whole list for every row, which runs out of
// transaction memory on a curriculum of 20,000 concepts.

// cypherResolve resolves $keys; it leaves one row per key with i, cands
// (maps of kind and node) and resolved (zero or one node).
const cypherResolve = `
UNWIND range(0, size($keys) - 1) AS i
CALL (i) {
  MATCH (k:Key {v: $v, key: $keys[i]})-[:NAMES]->(n)
  WHERE k.kind IN $kinds[i]
  RETURN collect(DISTINCT {kind: k.kind, isId: k.isId, node: n}) AS cands
}
WITH i, cands,
     [kind IN $kinds[i] | [c IN cands WHERE c.isId AND c.kind = kind | c.node]] AS idHits,
     [kind IN $kinds[i] | [c IN cands WHERE NOT c.isId AND c.kind = kind | c.node]] AS nameHits
WITH i, cands,
     head([hits IN idHits WHERE size(hits) > 0]) AS byId,
     head([hits IN nameHits WHERE size(hits) > 0]) AS byName
WITH i, cands, CASE
       WHEN byId IS NOT NULL THEN byId[0..1]
       WHEN size(byName) = 1 THEN byName
       ELSE [] END AS resolved`

// cypherExpand follows cypherResolve: the concepts each resolved node
// stands for, as the embedded store's conceptsOf says (a concept itself,
// the concepts a topic covers, those a path includes directly or through
// its topics).
const cypherExpand = `
CALL (resolved) {
  UNWIND resolved AS n
  CALL (n) {
    WITH n WHERE n:Concept RETURN n AS c
    UNION
    MATCH (n:Topic)-[:COVERS]->(c:Concept) RETURN c
    UNION
    MATCH (n:DomainPath)-[:INCLUDES]->(c:Concept) RETURN c
    UNION
    MATCH (n:DomainPath)-[:INCLUDES]->(:Topic)-[:COVERS]->(c:Concept) RETURN c
  }
  RETURN collect(DISTINCT c) AS concepts
}
WITH collect({i: i, cands: cands, resolved: [n IN resolved | n.id], concepts: [c IN concepts | c.id]}) AS refs,
     collect({i: i, concepts: concepts}) AS expanded`

// cypherLookup resolves one or more refs and returns only that (Resolve,
// Crate).
const cypherLookup = cypherResolve + `
RETURN collect({i: i, cands: cands, resolved: [n IN resolved | n.id]}) AS refs`

// cypherStudyPlan answers StudyPlan in one round trip: $keys[0] is the
// goal, the rest what the learner knows. It returns the goal's
// prerequisite closure without the known closure (every concept the plan
// may hold, with their REQUIRES edges and reasons) and the ids of the
// known closure, which learngraph.OrderPlan takes as what is known (the
// closure of a closure is itself).
//
// The var-length patterns return DISTINCT end nodes and use no path, so
// the planner runs them as a pruning expand (VarLengthExpand(Pruning,BFS))
// that visits each node once, not as path enumeration, which explodes on
// deep graphs.
const cypherStudyPlan = cypherResolve + cypherExpand + `
WITH refs,
     reduce(acc = [], e IN expanded | CASE WHEN e.i = 0 THEN acc + e.concepts ELSE acc END) AS goals,
     reduce(acc = [], e IN expanded | CASE WHEN e.i > 0 THEN acc + e.concepts ELSE acc END) AS knowns
CALL (knowns) {
  UNWIND knowns AS k
  MATCH (k)-[:` + requisites + `*0..]->(p)
  RETURN collect(DISTINCT p) AS known
}
CALL (goals) {
  UNWIND goals AS g
  MATCH (g)-[:` + requisites + `*0..]->(p)
  RETURN collect(DISTINCT p) AS needed
}
WITH refs, known, [p IN needed WHERE NOT p IN known] AS plan
RETURN refs, plan,
       [p IN plan | [(p)-[r:` + requisites + `]->(q) | [p.id, q.id, coalesce(r.minReason, r.reason), type(r)]]] AS planEdges,
       [k IN known | k.id] AS closure`

// cypherNextUp answers NextUp in one round trip: $keys are what the
// learner knows, and the path at $pathAt (-1 for none). It returns the
// ids of the known closure, the best $first ready candidates (not in the
// closure, every prerequisite in it) in next-up order, and what
// learngraph.RankNextUp needs to explain them: their prerequisites and
// dependents, and the dependents' edges.
//
// Without a path the candidates are, as in the embedded store, the
// concepts that require nothing and the dependents of the closure, and
// each is found without testing prerequisites one by one against the
// closure list (IN on a list is a linear scan):
//
//   - the concepts that require nothing are read in next-up order from
//     the (v, sourceRank) index, and only until $first of them are not
//     known;
//   - a dependent of the closure is ready when all of its prerequisites
//     are in the closure: each closure node counts once for each of its
//     dependents, and marks itself as known, so a dependent is ready when
//     its count reaches its prereqCount and it is not marked.
//
// With a path, its concepts are the candidates, checked one by one (a
// path has tens of concepts). Ranks order everything by one integer, in
// the order RankNextUp sorts in again.
const cypherNextUp = cypherResolve + cypherExpand + `
WITH refs,
     reduce(acc = [], e IN expanded | CASE WHEN e.i <> $pathAt THEN acc + e.concepts ELSE acc END) AS knowns,
     reduce(acc = [], e IN expanded | CASE WHEN e.i = $pathAt THEN acc + e.concepts ELSE acc END) AS pathConcepts
CALL (knowns) {
  UNWIND knowns AS k
  MATCH (k)-[:` + requisites + `*0..]->(p)
  RETURN collect(DISTINCT p) AS known
}
CALL (known) {
  UNWIND CASE WHEN $pathAt < 0 THEN [true] ELSE [] END AS withoutPath
  MATCH (c:Concept)
  WHERE c.v = $v AND c.sourceRank >= 0
  WITH c ORDER BY c.sourceRank
  WITH c WHERE NOT c IN known
  WITH c LIMIT $first
  RETURN collect(c) AS sources
}
CALL (known) {
  CALL (known) {
    UNWIND CASE WHEN $pathAt < 0 THEN known ELSE [] END AS k
    MATCH (k)<-[:` + requisites + `]-(c)
    RETURN c, 1 AS met, 0 AS isKnown
    UNION ALL
    UNWIND CASE WHEN $pathAt < 0 THEN known ELSE [] END AS c
    RETURN c, 0 AS met, 1 AS isKnown
  }
  WITH c, sum(met) AS met, sum(isKnown) AS isKnown
  WHERE isKnown = 0 AND met = c.prereqCount
  WITH c ORDER BY c.rank LIMIT $first
  RETURN collect(c) AS ready
}
CALL (known, pathConcepts) {
  UNWIND CASE WHEN $pathAt >= 0 THEN pathConcepts ELSE [] END AS c
  WITH c WHERE NOT c IN known AND all(p IN [(c)-[:` + requisites + `]->(p) | p] WHERE p IN known)
  WITH c ORDER BY c.rank LIMIT $first
  RETURN collect(c) AS onPath
}
CALL (sources, ready, onPath) {
  UNWIND sources + ready + onPath AS c
  WITH c ORDER BY c.rank LIMIT $first
  RETURN collect(c) AS top
}
RETURN refs, top,
       [c IN top | [(c)-[:` + requisites + `]->(p) | p]] AS prerequisites,
       [c IN top | [(c)<-[:` + requisites + `]-(d) | d]] AS dependents,
       [c IN top | [(c)-[r:` + requisites + `]->(p) | [c.id, p.id, null, type(r)]]] AS topEdges,
       [c IN top | [(c)<-[:` + requisites + `]-(d) | [(d)-[r:` + requisites + `]->(q) | [d.id, q.id, null, type(r)]]]] AS dependentEdges,
       [k IN known | k.id] AS closure`

// cypherWhyRequired answers WhyRequired in one round trip: $keys[0] is the
// goal, $keys[1] the prerequisite. It returns the concepts that lie on
// some chain from one to the other (required by the goal, directly or
// not, and requiring the prerequisite) with the edges among them: all
// that learngraph.WhyChain looks at to find the shortest chain.
const cypherWhyRequired = cypherResolve + `
WITH collect({i: i, cands: cands, resolved: [n IN resolved | n.id]}) AS refs,
     collect({i: i, nodes: resolved}) AS picked
WITH refs,
     reduce(acc = [], e IN picked | CASE WHEN e.i = 0 THEN acc + e.nodes ELSE acc END) AS goals,
     reduce(acc = [], e IN picked | CASE WHEN e.i = 1 THEN acc + e.nodes ELSE acc END) AS prerequisites
CALL (goals) {
  UNWIND goals AS g
  MATCH (g)-[:` + requisites + `*0..]->(x)
  RETURN collect(DISTINCT x) AS below
}
CALL (prerequisites) {
  UNWIND prerequisites AS p
  MATCH (p)<-[:` + requisites + `*0..]-(x)
  RETURN collect(DISTINCT x) AS above
}
WITH refs, [x IN above WHERE x IN below] AS between
RETURN refs, between,
       [x IN between | [(x)-[r:` + requisites + `]->(y) WHERE y IN between | [x.id, y.id, coalesce(r.minReason, r.reason), type(r)]]] AS edges`

// cypherChallenges resolves the concept or topic $keys[0] and returns the
// challenges that practise the node it resolves to.
const cypherChallenges = cypherResolve + `
CALL (resolved) {
  UNWIND resolved AS n
  MATCH (n)<-[:PRACTICES]-(ch:Challenge)
  RETURN collect(DISTINCT ch) AS challenges
}
RETURN collect({i: i, cands: cands, resolved: [n IN resolved | n.id]}) AS refs, collect(challenges) AS challenges`

// cypherSuggestKeys returns the keys of kinds $kinds a did-you-mean may
// offer for a ref that matched nothing: those within $limit runes of the
// ref's length, or containing it, which is exactly the keys
// learngraph.Suggest considers. Only the error path runs it. An id key's
// text is the id of its node, and a key's lowercased text is its key
// unless it says otherwise (see keyRows). The predicate on key lets the
// planner use the (v, key) index with only v known.
const cypherSuggestKeys = `
MATCH (k:Key)-[:NAMES]->(n)
WHERE k.v = $v AND k.key IS NOT NULL AND k.kind IN $kinds
  AND ((k.runes >= $minRunes AND k.runes <= $maxRunes) OR ($containing AND coalesce(k.lower, k.key) CONTAINS $ref))
RETURN coalesce(k.text, n.id) AS text, k.kind AS kind, n.id AS id`

// cypherSearch returns the search candidates: searchable nodes whose
// folded text contains every needle. The first needle goes through the
// text index.
const cypherSearch = `
MATCH (n:Searchable)
WHERE n.search CONTAINS $needle AND n.v = $v AND all(w IN $more WHERE n.search CONTAINS w)
RETURN n`

// cypherConcepts returns one page of concepts in document order after the
// concept $after ("" for the first page), and whether that concept
// exists.
const cypherConcepts = `
OPTIONAL MATCH (a:Concept {v: $v, id: $after})
RETURN a IS NOT NULL AS found, COLLECT {
  MATCH (c:Concept)
  WHERE c.v = $v AND c.ord > coalesce(a.ord, -1)
  RETURN c ORDER BY c.ord LIMIT $limit
} AS page`

// cypherNodes returns the nodes of label with the ids $ids.
func cypherNodes(label string) string {
	return fmt.Sprintf(`
UNWIND $ids AS id
MATCH (n:%s {v: $v, id: id})
RETURN id, n`, label)
}

// cypherAll returns every node of label.
func cypherAll(label string) string {
	return fmt.Sprintf(`
MATCH (n:%s)
WHERE n.v = $v AND n.id IS NOT NULL
RETURN n`, label)
}

// cypherRelated returns, for each id in $ids, the neighbours over r with
// the relationship's reason: one statement for the whole batch.
func cypherRelated(r learngraph.Relation) (string, error) {
	spec := r.Spec()
	from, err1 := labelOf(spec.From)
	to, err2 := labelOf(spec.To)
	typ, ok := relTypes[spec.Rel]
	if err1 != nil || err2 != nil || !ok {
		return "", fmt.Errorf("relation %d has no Cypher", r)
	}
	arrow := fmt.Sprintf("-[r:%s]->", typ)
	if spec.Reverse {
		arrow = fmt.Sprintf("<-[r:%s]-", typ)
	}
	return fmt.Sprintf(`
UNWIND range(0, size($ids) - 1) AS i
MATCH (a:%s {v: $v, id: $ids[i]})%s(b:%s)
RETURN i, b, r.reason AS reason`, from, arrow, to), nil
}
