package neo4j

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// read runs one read-only statement on a reader and returns all of its
// records. It is the only way snapshots reach Neo4j, so it counts round
// trips (the tests assert how many each question costs) and translates
// the driver's errors.
func (s *Store) read(ctx context.Context, query string, params map[string]any) ([]*neo4j.Record, error) {
	s.roundTrips.Add(1)
	res, err := neo4j.ExecuteQuery(ctx, s.driver, query, params, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(s.cfg.Database), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return nil, translate(err)
	}
	return res.Records, nil
}

// write runs one statement in its own transaction on the writer. The
// driver retries the transaction on transient failures, so every
// statement given to it must be idempotent: MERGE on our own ids, or a
// load's batch that claims its number first (see cypherClaimBatch).
func (s *Store) write(ctx context.Context, query string, params map[string]any) ([]*neo4j.Record, error) {
	s.roundTrips.Add(1)
	res, err := neo4j.ExecuteQuery(ctx, s.driver, query, params, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(s.cfg.Database), neo4j.ExecuteQueryWithWritersRouting())
	if err != nil {
		return nil, translate(err)
	}
	return res.Records, nil
}

// writeTx runs work in one write transaction, for the steps that must read
// and write under one lock (allocating a version, switching to it).
func (s *Store) writeTx(ctx context.Context, work func(tx neo4j.ManagedTransaction) (any, error)) (any, error) {
	session := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.cfg.Database, AccessMode: neo4j.AccessModeWrite})
	defer session.Close(ctx)
	s.roundTrips.Add(1)
	out, err := session.ExecuteWrite(ctx, work)
	return out, translate(err)
}

// single returns the only record of records, for statements that always
// return one row.
func single(records []*neo4j.Record) (*neo4j.Record, error) {
	if len(records) != 1 {
		return nil, fmt.Errorf("want one record, got %d", len(records))
	}
	return records[0], nil
}

// value returns the value of key in rec as a T, failing on a missing key
// or a value of another type; null gives the zero T.
func value[T neo4j.RecordValue](rec *neo4j.Record, key string) (T, error) {
	v, _, err := neo4j.GetRecordValue[T](rec, key)
	if err != nil {
		return v, fmt.Errorf("record %s: %w", key, err)
	}
	return v, nil
}

// list converts a value that must be a list (or null) into its items as Ts.
func list[T any](v any, what string) ([]T, error) {
	if v == nil {
		return nil, nil
	}
	items, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%s: want a list, got %T", what, v)
	}
	out := make([]T, len(items))
	for i, item := range items {
		t, ok := item.(T)
		if !ok {
			return nil, fmt.Errorf("%s[%d]: want %T, got %T", what, i, *new(T), item)
		}
		out[i] = t
	}
	return out, nil
}

// field returns m[key] as a T; a missing or null value gives the zero T.
func field[T any](m map[string]any, key string) (T, error) {
	v, ok := m[key]
	if !ok || v == nil {
		return *new(T), nil
	}
	t, ok := v.(T)
	if !ok {
		return t, fmt.Errorf("field %s: want %T, got %T", key, t, v)
	}
	return t, nil
}
