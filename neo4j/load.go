package neo4j

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"learngraph"
)

// LoadProgress says how far a load has come, after each batch.
type LoadProgress struct {
	Stage string // what is being written: a kind (its nodes and their keys), a relationship type, "cleanup"
	Done  int    // rows written so far, over all stages
	Total int    // rows to write in all
}

// LoadSummary says what a load did.
type LoadSummary struct {
	Version string
	// Unchanged is true when the curriculum was already the current
	// version: nothing was written.
	Unchanged bool
	// Kinds has one entry per kind, in the order of learngraph.Kinds:
	// how many nodes the curriculum has, and how many of them the load
	// created or changed and how many of the previous version's it
	// dropped, by kind and id.
	Kinds    []KindChanges
	Links    int // relationships written
	Duration time.Duration
}

// KindChanges counts the nodes of one kind and what a load changed.
type KindChanges struct {
	Kind                      learngraph.Kind
	Count                     int
	Created, Updated, Deleted int
}

// Changes returns the created, updated and deleted counts over all kinds.
func (s LoadSummary) Changes() (created, updated, deleted int) {
	for _, k := range s.Kinds {
		created, updated, deleted = created+k.Created, updated+k.Updated, deleted+k.Deleted
	}
	return created, updated, deleted
}

// Cypher of loading.
const (
	// cypherPointer reads the version being served, if any, and the
	// format it was written in (1 before formats were recorded).
	cypherPointer = `
OPTIONAL MATCH (s:Learngraph {key: 'current'})
OPTIONAL MATCH (c:Curriculum {v: s.generation, id: 'curriculum'})
RETURN s.generation AS generation, s.version AS version, coalesce(c.format, 1) AS format`
)

// How a load writes.
//
// Each load writes a generation of its own that nobody reads until the
// switch, so every node and relationship it writes is new: the statements
// CREATE rather than MERGE, which spares Neo4j a lookup and a lock per
// row. Relationships find their ends by the (v, id) uniqueness index.
// bench/README.md has what each change of the load gained.
//
// CREATE alone is not idempotent, and the driver retries a transaction
// whose outcome it did not learn (a connection lost during the commit):
// a retried batch of relationships would then be written twice. So every
// batch first claims its number on the version's (:Curriculum) node, in
// the same transaction: batch b runs only while the node says b batches
// are done, and leaves it at b+1. A retry of a batch that did commit
// finds b+1, matches nothing and writes nothing. Batches run one after
// another, so the counter is never contended.

// cypherClaimBatch starts every write statement of a load: it passes one
// row on when batch $batch is the next one of generation $v, none when it
// was written already.
const cypherClaimBatch = `
MATCH (cur:Curriculum {v: $v, id: 'curriculum'})
WHERE coalesce(cur.batches, 0) = $batch
SET cur.batches = $batch + 1
WITH cur
`

// cypherCreateNodes writes one batch of nodes of label, each with the
// (:Key) nodes that name it; searchable kinds get the label the search
// index covers. Rows carry v already.
func cypherCreateNodes(label string, searchable bool) string {
	if searchable {
		label += ":" + labelSearchable
	}
	return cypherClaimBatch + fmt.Sprintf(`UNWIND $rows AS row
CREATE (n:%s)
SET n = row.props
FOREACH (key IN row.keys | CREATE (k:%s)-[:NAMES]->(n) SET k = key)`, label, labelKey)
}

// cypherCreateLinks writes one batch of relationships of type typ from
// nodes of label from to nodes of label to; rows are [from id, ends], each
// end [to id] or, when withReasons, [to id, reason, minReason], and when
// withSources [to id, reason, minReason, file, line].
func cypherCreateLinks(from, typ, to string, withReasons, withSources bool) string {
	set := ""
	if withReasons || withSources {
		set = "\nSET r.reason = target[1], r.minReason = target[2]"
	}
	if withSources {
		set += fmt.Sprintf(", r.%s = target[3], r.%s = target[4]", propSrcFile, propSrcLine)
	}
	return cypherClaimBatch + fmt.Sprintf(`UNWIND $rows AS row
MATCH (a:%s {v: $v, id: row[0]})
UNWIND row[1] AS target
MATCH (b:%s {v: $v, id: target[0]})
CREATE (a)-[r:%s]->(b)%s`, from, to, typ, set)
}

// cypherHashes returns, for generation $generation, each node's kind, id
// and content hash, one UNION branch per label.
func cypherHashes() string {
	var branches []string
	for _, kind := range learngraph.Kinds {
		branches = append(branches, fmt.Sprintf(
			"MATCH (n:%s) WHERE n.v = $generation AND n.id IS NOT NULL RETURN '%s' AS kind, n.id AS id, n.%s AS hash",
			labels[kind], kind, propHash))
	}
	return strings.Join(branches, "\nUNION ALL\n")
}

// errNewerLoad reports a load that finished after a newer one had
// switched: its version is left for cleanup rather than served.
var errNewerLoad = learngraph.Errorf(learngraph.EINVALID, "another load finished first with a newer version; this one was not switched to")

// Load writes c into Neo4j as a new version and makes it the one served,
// atomically for readers: until the switch they read the previous
// version, after it the new one. Loading the version that is already
// current writes nothing and says Unchanged. progress, when not nil, is
// called after each batch.
//
// After the switch, versions older than the previous one (and any a
// failed load left behind) are deleted in batches; a failure there is
// logged, not returned, since the load itself succeeded.
//
// Returns BAD_USER_INPUT for a curriculum that cannot be stored,
// UNAVAILABLE when Neo4j cannot be reached, INTERNAL otherwise.
func (s *Store) Load(ctx context.Context, c *learngraph.Curriculum, progress func(LoadProgress)) (LoadSummary, error) {
	start := time.Now()
	if c == nil || c.Graph == nil {
		return LoadSummary{}, learngraph.Errorf(learngraph.EINVALID, "no curriculum to load")
	}
	if c.Version == "" {
		return LoadSummary{}, learngraph.Errorf(learngraph.EINVALID, "the curriculum has no version")
	}
	if progress == nil {
		progress = func(LoadProgress) {}
	}
	summary := LoadSummary{Version: c.Version}
	for _, k := range learngraph.Kinds {
		summary.Kinds = append(summary.Kinds, KindChanges{Kind: k, Count: len(learngraph.GraphNodes(c.Graph, k))})
	}

	current, currentVersion, format, err := s.pointer(ctx)
	if err != nil {
		return summary, err
	}
	// A version written in another format is written again, even when
	// the curriculum is the same: readers of this release cannot use it.
	if current >= 0 && currentVersion == c.Version && format == storeFormat {
		summary.Unchanged = true
		summary.Duration = time.Since(start)
		return summary, nil
	}

	// Cut the curriculum into rows while Neo4j checks its schema and
	// reads the previous version's hashes: the two overlap, and on a
	// large curriculum each takes a second or so. buildRows only reads c.
	built := make(chan error, 1)
	var r *rows
	go func() {
		var err error
		r, err = buildRows(c)
		built <- err
	}()
	info, err := versionInfo(c)
	if err == nil {
		err = s.ensureSchema(ctx)
	}
	var old map[learngraph.NodeRef]string
	if err == nil && current >= 0 {
		old, err = s.readHashes(ctx, current)
	}
	if buildErr := <-built; err == nil {
		err = buildErr
	}
	if err != nil {
		return summary, translate(err)
	}
	gen, err := s.allocate(ctx, info)
	if err != nil {
		return summary, err
	}
	s.logger.Debug("loading", slog.String("version", c.Version), slog.Int64("generation", gen), slog.Int("rows", r.total))

	w := &batchWriter{store: s, gen: gen, progress: progress, total: r.total}
	if err := w.writeAll(ctx, r); err != nil {
		return summary, fmt.Errorf("load version %s: %w", c.Version, err)
	}
	if err := s.switchTo(ctx, gen, c.Version); err != nil {
		return summary, err
	}
	for _, g := range r.links {
		summary.Links += g.edges
	}
	countChanges(summary.Kinds, old, r.hashes)
	summary.Duration = time.Since(start)

	// Serve the new version from this process at once, not at the next
	// poll.
	if err := s.refresh(ctx, true); err != nil {
		s.logger.Warn("cannot read the version just loaded", slog.Any("err", err))
	}
	if err := s.cleanup(ctx, progress); err != nil {
		s.logger.Warn("cannot delete old versions; the next load will try again", slog.Any("err", err))
	}
	return summary, nil
}

// pointer returns the current generation (-1 when none), its version and
// the format it was written in.
func (s *Store) pointer(ctx context.Context) (gen int64, version string, format int64, err error) {
	records, err := s.write(ctx, cypherPointer, nil) // on the writer: a load must see the latest switch
	if err != nil {
		return 0, "", 0, err
	}
	rec, err := single(records)
	if err != nil {
		return 0, "", 0, translate(err)
	}
	gen, isNull, err := neo4j.GetRecordValue[int64](rec, "generation")
	if err != nil {
		return 0, "", 0, translate(err)
	}
	if isNull {
		return -1, "", 0, nil
	}
	version, err1 := value[string](rec, "version")
	format, err2 := value[int64](rec, "format")
	return gen, version, format, translate(firstError(err1, err2))
}

// readHashes returns the content hash of every node of generation gen.
func (s *Store) readHashes(ctx context.Context, gen int64) (map[learngraph.NodeRef]string, error) {
	records, err := s.write(ctx, cypherHashes(), map[string]any{"generation": gen})
	if err != nil {
		return nil, err
	}
	out := make(map[learngraph.NodeRef]string, len(records))
	for _, rec := range records {
		kind, err1 := value[string](rec, "kind")
		id, err2 := value[string](rec, "id")
		hash, err3 := value[string](rec, "hash")
		if err := errors.Join(err1, err2, err3); err != nil {
			return nil, translate(err)
		}
		out[learngraph.NodeRef{Kind: learngraph.Kind(kind), ID: id}] = hash
	}
	return out, nil
}

// countChanges fills in created, updated and deleted per kind, comparing
// the hashes of the previous version with the new ones.
func countChanges(kinds []KindChanges, old, next map[learngraph.NodeRef]string) {
	at := map[learngraph.Kind]*KindChanges{}
	for i := range kinds {
		at[kinds[i].Kind] = &kinds[i]
	}
	for ref, hash := range next {
		switch was, ok := old[ref]; {
		case !ok:
			at[ref.Kind].Created++
		case was != hash:
			at[ref.Kind].Updated++
		}
	}
	for ref := range old {
		if _, ok := next[ref]; !ok && at[ref.Kind] != nil {
			at[ref.Kind].Deleted++
		}
	}
}

// batchWriter writes the rows of one load in transactions of at most
// BatchSize rows, reporting progress after each.
type batchWriter struct {
	store    *Store
	gen      int64
	progress func(LoadProgress)
	batch    int64 // batches written, the number the next one claims
	done     int
	total    int
}

// writeAll writes the nodes with their keys first, then the
// relationships, whose statements MATCH both ends.
func (w *batchWriter) writeAll(ctx context.Context, r *rows) error {
	for _, kind := range learngraph.Kinds {
		nodes := r.nodes[kind]
		batch := make([]any, 0, min(len(nodes), w.store.cfg.BatchSize))
		written := 0 // rows in batch: nodes and their keys
		query := cypherCreateNodes(labels[kind], isSearchable(kind))
		for i, row := range nodes {
			// The generation is known only now; setting it here spares
			// Neo4j a property write per node.
			row["props"].(map[string]any)["v"] = w.gen
			keys := row["keys"].([]any)
			for _, k := range keys {
				k.(map[string]any)["v"] = w.gen
			}
			batch = append(batch, row)
			written += 1 + len(keys)
			if len(batch) == cap(batch) || i == len(nodes)-1 {
				if err := w.write(ctx, string(kind), query, batch, written); err != nil {
					return err
				}
				batch, written = batch[:0], 0
			}
		}
	}
	for _, g := range r.links {
		from, okFrom := labels[g.from]
		to, okTo := labels[g.to]
		if !okFrom || !okTo {
			return learngraph.Errorf(learngraph.EINVALID, "%s link between unknown kinds %q and %q", g.rel, g.from, g.to)
		}
		stage := fmt.Sprintf("%s %s→%s", g.rel, g.from, g.to)
		query := cypherCreateLinks(from, relTypes[g.rel], to, g.reasons, g.sources)
		// A batch holds whole rows, as many as make BatchSize
		// relationships or just more.
		for rows := g.rows; len(rows) > 0; {
			n, edges := 0, 0
			for n < len(rows) && edges < w.store.cfg.BatchSize {
				edges += len(rows[n].([]any)[1].([]any))
				n++
			}
			if err := w.write(ctx, stage, query, rows[:n], edges); err != nil {
				return err
			}
			rows = rows[n:]
		}
	}
	return nil
}

// write runs one batch, claiming the next batch number, and reports
// progress by rows written (a node with its keys counts one row each).
func (w *batchWriter) write(ctx context.Context, stage, query string, batch []any, rows int) error {
	if _, err := w.store.write(ctx, query, map[string]any{"v": w.gen, "batch": w.batch, "rows": batch}); err != nil {
		return err
	}
	w.batch++
	w.done += rows
	w.progress(LoadProgress{Stage: stage, Done: w.done, Total: w.total})
	return nil
}
