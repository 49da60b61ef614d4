package neo4j

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"learngraph"
)

// How versions are kept.
//
// A load writes the new curriculum under a generation number of its own
// (v) beside the version being served, then points (:Learngraph
// {key:'current'}) at it in one small transaction. The pointer is the only
// thing readers follow, so they see the old version or the new one, never
// a mix, and a load that dies half way (loader or Neo4j killed) leaves a
// generation nothing points at; the next load deletes it.
//
// Generations, not the curriculum's content hash, tag the nodes: loading
// the hash that is already current is a no-op, but loading a hash that was
// served earlier (a rollback) writes it afresh, so a half-written or
// half-deleted copy of it can never be switched to.
//
// The pointer keeps the previous generation too: snapshots taken before a
// switch keep answering from it until the next load deletes it.

// storeFormat numbers the way a load writes a version: the properties,
// keys and indexes that this release's statements read. A version written
// in another format is not served (the statements would miss what they
// read, and answer wrongly rather than fail), and a load writes it again
// even when the curriculum is unchanged. Versions written before formats
// were recorded are format 1; format 2 added the next-up ranks
// (rank, sourceRank) and left keys without ids; format 3 keeps where each
// requisite relationship was stated (srcFile, srcLine), so a version read
// back whole (Snapshot.Curriculum) gives the findings the documents give.
const storeFormat = 3

// Cypher of the version pointer.
const (
	// cypherCurrent reads the version being served. The info of the
	// version (with its findings, which may be long) comes back only when
	// it is not the one the caller already knows.
	cypherCurrent = `
OPTIONAL MATCH (s:Learngraph {key: 'current'})
OPTIONAL MATCH (c:Curriculum {v: s.generation, id: 'curriculum'})
RETURN s.generation AS generation,
       CASE WHEN s.generation = $known THEN null ELSE properties(c) END AS info`

	// cypherAllocate takes the next generation number for a load and
	// registers the version it will write, in one transaction. Setting
	// _lock first takes the node's write lock before the counter is read,
	// so two loads never get the same number (Cypher would otherwise read
	// the old value and lose an update).
	cypherAllocate = `
MERGE (s:Learngraph {key: 'current'})
SET s._lock = true
WITH s
SET s.lastGeneration = coalesce(s.lastGeneration, 0) + 1
REMOVE s._lock
WITH s, s.lastGeneration AS generation
CREATE (c:Curriculum {v: generation, id: 'curriculum'})
SET c += $info, c.startedAt = datetime()
RETURN generation, s.generation AS current`

	// cypherLockPointer takes the pointer's write lock and reads it; the
	// switch decides under that lock.
	cypherLockPointer = `
MATCH (s:Learngraph {key: 'current'})
SET s._lock = true
REMOVE s._lock
RETURN s.generation AS current, s.version AS version`

	// cypherSwitch points readers at generation: the one write that makes
	// a load visible.
	cypherSwitch = `
MATCH (s:Learngraph {key: 'current'})
SET s.previous = s.generation, s.generation = $generation, s.version = $version, s.switchedAt = datetime()
WITH s
MATCH (c:Curriculum {v: $generation, id: 'curriculum'})
SET c.switchedAt = s.switchedAt`

	// cypherStaleVersions lists the generations a finished load may
	// delete: older than the current one, except the previous one, which
	// readers may still use. Newer ones belong to loads still running.
	cypherStaleVersions = `
MATCH (s:Learngraph {key: 'current'})
MATCH (c:Curriculum)
WHERE c.v < s.generation AND c.v <> coalesce(s.previous, -1)
RETURN c.v AS generation ORDER BY generation`

	// cypherDropCurriculum deletes a version's (:Curriculum) node, after
	// all its other nodes are gone: while it exists, the next cleanup
	// finds the version again.
	cypherDropCurriculum = `MATCH (c:Curriculum {v: $generation, id: 'curriculum'}) DELETE c`
)

// cypherDeleteBatch deletes up to $batch nodes of label of one generation.
// The predicate on id (on key for keys, which have no id) lets the
// planner use the label's (v, id) or (v, key) index with only v known.
func cypherDeleteBatch(label string) string {
	prop := "id"
	if label == labelKey {
		prop = "key"
	}
	return fmt.Sprintf(`
MATCH (n:%s) WHERE n.v = $generation AND n.%s IS NOT NULL
WITH n LIMIT $batch
DETACH DELETE n
RETURN count(*) AS deleted`, label, prop)
}

// versionInfo is what the (:Curriculum) node of a version holds.
func versionInfo(c *learngraph.Curriculum) (map[string]any, error) {
	findings, err := json.Marshal(c.Findings)
	if err != nil {
		return nil, fmt.Errorf("encode findings: %w", err)
	}
	counts := make([]int64, len(learngraph.Kinds))
	for i, k := range learngraph.Kinds {
		counts[i] = int64(len(learngraph.GraphNodes(c.Graph, k)))
	}
	documents := c.Documents
	if documents == nil {
		documents = []string{}
	}
	return map[string]any{
		"format":    int64(storeFormat),
		"version":   c.Version,
		"loadedAt":  c.LoadedAt,
		"documents": documents,
		"counts":    counts,
		"findings":  string(findings),
	}, nil
}

// readCurrent returns the snapshot of the version being served: the
// store's current one when that is still generation known, a new one
// otherwise, nil when no version is current.
func (s *Store) readCurrent(ctx context.Context, known int64) (*snapshot, error) {
	records, err := s.read(ctx, cypherCurrent, map[string]any{"known": known})
	if err != nil {
		return nil, err
	}
	rec, err := single(records)
	if err != nil {
		return nil, translate(err)
	}
	gen, isNull, err := neo4j.GetRecordValue[int64](rec, "generation")
	if err != nil {
		return nil, translate(err)
	}
	if isNull {
		return nil, nil
	}
	if gen == known {
		return s.current.Load(), nil
	}
	info, err := value[map[string]any](rec, "info")
	if err != nil {
		return nil, translate(err)
	}
	if info == nil {
		return nil, translate(fmt.Errorf("version %d has no curriculum node", gen))
	}
	snap, err := s.decodeVersion(gen, info)
	if err != nil {
		return nil, translate(err)
	}
	return snap, nil
}

// decodeVersion builds the snapshot of generation gen from the properties
// of its (:Curriculum) node.
func (s *Store) decodeVersion(gen int64, m map[string]any) (*snapshot, error) {
	format, err := field[int64](m, "format")
	if err != nil {
		return nil, err
	}
	if max(format, 1) != storeFormat {
		return nil, &learngraph.Error{Code: learngraph.EUNAVAILABLE, Message: msgOtherFormat,
			Err: fmt.Errorf("version %d is in format %d, this release reads format %d", gen, max(format, 1), storeFormat)}
	}
	snap := &snapshot{store: s, gen: gen}
	if snap.info.Version, err = field[string](m, "version"); err != nil {
		return nil, err
	}
	if snap.info.LoadedAt, err = field[time.Time](m, "loadedAt"); err != nil {
		return nil, err
	}
	snap.info.LoadedAt = snap.info.LoadedAt.UTC()
	if snap.info.Documents, err = list[string](m["documents"], "documents"); err != nil {
		return nil, err
	}
	counts, err := list[int64](m["counts"], "counts")
	if err != nil {
		return nil, err
	}
	if len(counts) != len(learngraph.Kinds) {
		return nil, fmt.Errorf("counts: want %d, got %d", len(learngraph.Kinds), len(counts))
	}
	for i, k := range learngraph.Kinds {
		snap.info.Counts = append(snap.info.Counts, learngraph.KindCount{Kind: k, Count: int(counts[i])})
	}
	findings, err := field[string](m, "findings")
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(findings), &snap.findings); err != nil {
		return nil, fmt.Errorf("decode findings: %w", err)
	}
	return snap, nil
}

// allocate takes a new generation number and registers its version.
func (s *Store) allocate(ctx context.Context, info map[string]any) (int64, error) {
	records, err := s.write(ctx, cypherAllocate, map[string]any{"info": info})
	if err != nil {
		return 0, err
	}
	rec, err := single(records)
	if err != nil {
		return 0, translate(err)
	}
	gen, err := value[int64](rec, "generation")
	return gen, translate(err)
}

// switchTo points readers at generation gen, unless a newer load has
// switched already. A retried transaction finds the pointer at gen and
// leaves it (and its previous) alone.
func (s *Store) switchTo(ctx context.Context, gen int64, version string) error {
	_, err := s.writeTx(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		res, err := tx.Run(ctx, cypherLockPointer, nil)
		if err != nil {
			return nil, err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return nil, err
		}
		current, isNull, err := neo4j.GetRecordValue[int64](rec, "current")
		if err != nil {
			return nil, err
		}
		switch {
		case !isNull && current == gen:
			return nil, nil
		case !isNull && current > gen:
			return nil, errNewerLoad
		}
		res, err = tx.Run(ctx, cypherSwitch, map[string]any{"generation": gen, "version": version})
		if err != nil {
			return nil, err
		}
		_, err = res.Consume(ctx)
		return nil, err
	})
	return err
}

// cleanup deletes the versions no reader needs any more, batch by batch,
// each version's (:Curriculum) node last.
func (s *Store) cleanup(ctx context.Context, progress func(LoadProgress)) error {
	records, err := s.write(ctx, cypherStaleVersions, nil)
	if err != nil {
		return err
	}
	var labelsToClear []string
	for _, kind := range learngraph.Kinds {
		labelsToClear = append(labelsToClear, labels[kind])
	}
	labelsToClear = append(labelsToClear, labelKey)
	for _, rec := range records {
		gen, err := value[int64](rec, "generation")
		if err != nil {
			return translate(err)
		}
		deleted := 0
		for _, label := range labelsToClear {
			for {
				n, err := s.deleteBatch(ctx, label, gen)
				if err != nil {
					return err
				}
				deleted += n
				if n > 0 {
					progress(LoadProgress{Stage: "cleanup", Done: deleted, Total: deleted})
				}
				if n < s.cfg.BatchSize {
					break
				}
			}
		}
		if _, err := s.write(ctx, cypherDropCurriculum, map[string]any{"generation": gen}); err != nil {
			return err
		}
		s.logger.Debug("deleted an old curriculum version", slog.Int64("generation", gen), slog.Int("nodes", deleted))
	}
	return nil
}

func (s *Store) deleteBatch(ctx context.Context, label string, gen int64) (int, error) {
	records, err := s.write(ctx, cypherDeleteBatch(label), map[string]any{"generation": gen, "batch": s.cfg.BatchSize})
	if err != nil {
		return 0, err
	}
	rec, err := single(records)
	if err != nil {
		return 0, translate(err)
	}
	n, err := value[int64](rec, "deleted")
	return int(n), translate(err)
}
