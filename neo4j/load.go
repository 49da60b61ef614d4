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
	Stage string // what is being written: a kind, "names of <kind>", a relationship type, "cleanup"
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
	// cypherPointer reads the version being served, if any.
	cypherPointer = `
OPTIONAL MATCH (s:Learngraph {key: 'current'})
RETURN s.generation AS generation, s.version AS version`
)

// cypherMergeNodes writes one batch of nodes of label into generation
// $v; searchable kinds get the label the search index covers.
func cypherMergeNodes(label string, searchable bool) string {
	extra := ""
	if searchable {
		extra = "\nSET n:" + labelSearchable
	}
	return fmt.Sprintf(`
UNWIND $rows AS row
MERGE (n:%s {v: $v, id: row.id})
SET n += row.props%s`, label, extra)
}

// cypherMergeKeys writes one batch of the keys that name nodes of label.
func cypherMergeKeys(label string) string {
	return fmt.Sprintf(`
UNWIND $rows AS row
MATCH (n:%s {v: $v, id: row.node})
MERGE (k:%s {v: $v, id: row.id})
SET k += row.props
MERGE (k)-[:NAMES]->(n)`, label, labelKey)
}

// cypherMergeLinks writes one batch of relationships of type typ from
// nodes of label from to nodes of label to.
func cypherMergeLinks(from, typ, to string) string {
	return fmt.Sprintf(`
UNWIND $rows AS row
MATCH (a:%s {v: $v, id: row.from})
MATCH (b:%s {v: $v, id: row.to})
MERGE (a)-[r:%s]->(b)
SET r += row.props`, from, to, typ)
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

	current, currentVersion, err := s.pointer(ctx)
	if err != nil {
		return summary, err
	}
	if current >= 0 && currentVersion == c.Version {
		summary.Unchanged = true
		summary.Duration = time.Since(start)
		return summary, nil
	}

	r, err := buildRows(c)
	if err != nil {
		return summary, translate(err)
	}
	info, err := versionInfo(c)
	if err != nil {
		return summary, translate(err)
	}
	if err := s.ensureSchema(ctx); err != nil {
		return summary, err
	}
	var old map[learngraph.NodeRef]string
	if current >= 0 {
		if old, err = s.readHashes(ctx, current); err != nil {
			return summary, err
		}
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
		summary.Links += len(g.rows)
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

// pointer returns the current generation (-1 when none) and its version.
func (s *Store) pointer(ctx context.Context) (int64, string, error) {
	records, err := s.write(ctx, cypherPointer, nil) // on the writer: a load must see the latest switch
	if err != nil {
		return 0, "", err
	}
	rec, err := single(records)
	if err != nil {
		return 0, "", translate(err)
	}
	gen, isNull, err := neo4j.GetRecordValue[int64](rec, "generation")
	if err != nil {
		return 0, "", translate(err)
	}
	if isNull {
		return -1, "", nil
	}
	version, err := value[string](rec, "version")
	return gen, version, translate(err)
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
	done     int
	total    int
}

// writeAll writes nodes first, then the keys that name them, then the
// relationships, whose statements MATCH both ends.
func (w *batchWriter) writeAll(ctx context.Context, r *rows) error {
	for _, kind := range learngraph.Kinds {
		query := cypherMergeNodes(labels[kind], isSearchable(kind))
		if err := w.write(ctx, string(kind), query, r.nodes[kind]); err != nil {
			return err
		}
	}
	for _, kind := range learngraph.Kinds {
		if err := w.write(ctx, "names of "+string(kind), cypherMergeKeys(labels[kind]), r.keys[kind]); err != nil {
			return err
		}
	}
	for _, g := range r.links {
		from, okFrom := labels[g.from]
		to, okTo := labels[g.to]
		if !okFrom || !okTo {
			return learngraph.Errorf(learngraph.EINVALID, "%s link between unknown kinds %q and %q", g.rel, g.from, g.to)
		}
		stage := fmt.Sprintf("%s %s→%s", g.rel, g.from, g.to)
		if err := w.write(ctx, stage, cypherMergeLinks(from, relTypes[g.rel], to), g.rows); err != nil {
			return err
		}
	}
	return nil
}

func (w *batchWriter) write(ctx context.Context, stage, query string, rows []map[string]any) error {
	size := w.store.cfg.BatchSize
	for len(rows) > 0 {
		batch := rows[:min(size, len(rows))]
		rows = rows[len(batch):]
		if _, err := w.store.write(ctx, query, map[string]any{"v": w.gen, "rows": batch}); err != nil {
			return err
		}
		w.done += len(batch)
		w.progress(LoadProgress{Stage: stage, Done: w.done, Total: w.total})
	}
	return nil
}
