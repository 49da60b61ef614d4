// Package neo4j stores curricula in Neo4j and serves them: a
// learngraph.Store over Cypher, and an importer that writes each curriculum
// as a new version beside the one being served and then switches to it in
// one small transaction.
//
// It is the only package that imports the Neo4j driver.
//
// The graph holds, per loaded version v (an integer generation, one per
// load): the curriculum items, labelled by kind, with their properties and
// the graph-wide results computed in Go (metrics, findings); the
// relationships between them, typed by learngraph.Rel; (:Key) nodes naming
// each item by id, name and alias for ref resolution; and one
// (:Curriculum) node with what the version is. A single (:Learngraph
// {key:'current'}) node points at the version being served. Every node of
// a version carries v, and every read filters on the v of its snapshot,
// so readers never see two versions mixed.
package neo4j

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"

	"learngraph"
)

// Config says how to reach Neo4j.
type Config struct {
	URI      string // bolt:// or neo4j:// URI
	Username string // empty for a server without authentication
	Password string
	Database string // empty for the server's default database
	// PollInterval is how often a serving store checks whether another
	// process loaded a new version (default 2 s).
	PollInterval time.Duration
	// BatchSize is how many rows one load transaction writes: nodes
	// (each with its keys) or relationships (default 2,500). Neo4j slows
	// down as a transaction grows: a 100,000-concept curriculum loaded in
	// 28 s in batches of 1,000 or 2,500, 33 s in batches of 5,000 and
	// 31 s in batches of 20,000 (bench/README.md).
	BatchSize int
	// RetryTime bounds how long the driver retries a transaction that
	// failed for a transient reason, such as a lost connection (default
	// 5 s). Kept short so a request fails with UNAVAILABLE in seconds
	// while Neo4j is down instead of hanging.
	RetryTime time.Duration
}

// The defaults of Config.
const (
	DefaultPollInterval = 2 * time.Second
	DefaultBatchSize    = 2_500
	DefaultRetryTime    = 5 * time.Second
)

// Store is a learngraph.Store over Neo4j. It is safe for concurrent use;
// open one per process.
type Store struct {
	driver neo4j.DriverWithContext
	cfg    Config
	logger *slog.Logger

	// roundTrips counts statements and transactions sent to Neo4j.
	roundTrips atomic.Int64

	// current is the version being served, as last seen by the poller or
	// a load; nil until it is first read.
	current atomic.Pointer[snapshot]
	// healthy is false after a failed check of the current version, so
	// the next Snapshot asks Neo4j again instead of serving a stale view
	// of a database that may be down.
	healthy atomic.Bool

	// One refresh at a time; requests that queued behind one take its
	// outcome instead of asking again, so while Neo4j is down they do not
	// each wait out the driver's retries in turn.
	refreshMu      sync.Mutex
	refreshes      atomic.Int64 // refreshes done
	lastRefreshErr error        // guarded by refreshMu

	// whole is the last version read back whole (snapshot.Curriculum).
	whole wholeCache

	pollOnce sync.Once
	stop     context.CancelFunc // stops the poller
	done     chan struct{}      // closed when the poller has returned
}

var _ learngraph.Store = (*Store)(nil)

// Open connects to Neo4j and checks that it answers. Returns UNAVAILABLE,
// wrapping the cause, when it does not (wrong address, server down,
// refused credentials). Nothing is written: a store that only serves needs
// no write access.
func Open(ctx context.Context, cfg Config, logger *slog.Logger) (*Store, error) {
	if cfg.URI == "" {
		return nil, learngraph.Errorf(learngraph.EINVALID, "no Neo4j URI: set NEO4J_URI")
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = DefaultBatchSize
	}
	if cfg.RetryTime <= 0 {
		cfg.RetryTime = DefaultRetryTime
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	auth := neo4j.NoAuth()
	if cfg.Username != "" {
		auth = neo4j.BasicAuth(cfg.Username, cfg.Password, "")
	}
	driver, err := neo4j.NewDriverWithContext(cfg.URI, auth, func(c *config.Config) {
		c.MaxTransactionRetryTime = cfg.RetryTime
		c.SocketConnectTimeout = cfg.RetryTime
		c.ConnectionAcquisitionTimeout = 2 * cfg.RetryTime
	})
	if err != nil {
		return nil, &learngraph.Error{Code: learngraph.EINVALID, Message: "invalid NEO4J_URI", Err: err}
	}
	if err := driver.VerifyConnectivity(ctx); err != nil {
		_ = driver.Close(ctx)
		if e, ok := errors.AsType[*learngraph.Error](translate(err)); ok && e.Code == learngraph.EUNAVAILABLE {
			return nil, e
		}
		// Whatever else went wrong, the store cannot be used.
		return nil, &learngraph.Error{Code: learngraph.EUNAVAILABLE, Message: msgUnreachable, Err: err}
	}
	s := &Store{driver: driver, cfg: cfg, logger: logger, done: make(chan struct{})}
	return s, nil
}

// Close stops the poller and closes the driver.
func (s *Store) Close(ctx context.Context) error {
	s.pollOnce.Do(func() {}) // a poller not started by now never starts
	if s.stop != nil {
		s.stop()
		<-s.done
	}
	return s.driver.Close(ctx)
}

// ServerAgent returns the product and version of the server, such as
// "Neo4j/5.26.19", for logs and benchmark reports.
func (s *Store) ServerAgent(ctx context.Context) (string, error) {
	info, err := s.driver.GetServerInfo(ctx)
	if err != nil {
		return "", translate(err)
	}
	return info.Agent(), nil
}

// Snapshot implements learngraph.Store: the version being served, with
// its info and findings read once. It costs no round trip while the
// poller keeps the version fresh; it asks Neo4j when nothing is known
// yet or the last check failed. Returns UNAVAILABLE when Neo4j cannot be
// reached or holds no curriculum.
func (s *Store) Snapshot(ctx context.Context) (learngraph.Snapshot, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.pollOnce.Do(s.startPolling)
	if snap := s.current.Load(); snap != nil && s.healthy.Load() {
		return snap, nil
	}
	if err := s.refresh(ctx, false); err != nil {
		return nil, err
	}
	if snap := s.current.Load(); snap != nil {
		return snap, nil
	}
	return nil, learngraph.Errorf(learngraph.EUNAVAILABLE, msgNotLoaded)
}

// startPolling starts the goroutine that notices loads made by other
// processes. Only a store that serves needs it, so it starts with the
// first Snapshot, not in Open.
func (s *Store) startPolling() {
	ctx, stop := context.WithCancel(context.Background())
	s.stop = stop
	go func() {
		defer close(s.done)
		ticker := time.NewTicker(s.cfg.PollInterval)
		defer ticker.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
			}
			pctx, cancel := context.WithTimeout(ctx, max(s.cfg.PollInterval, 5*time.Second))
			err := s.refresh(pctx, false)
			cancel()
			if err != nil && ctx.Err() == nil {
				s.logger.Warn("cannot check the curriculum version in Neo4j", slog.Any("err", err))
			}
		}
	}()
}

// refresh reads which version is current and, when it changed, its info
// and findings, and makes it the version new snapshots serve. On failure
// the store is marked unhealthy, so Snapshot asks again rather than
// answer from a database that may be gone. Unless force is set, a caller
// that had to wait for another refresh takes that one's outcome.
func (s *Store) refresh(ctx context.Context, force bool) (err error) {
	seen := s.refreshes.Load()
	s.refreshMu.Lock()
	defer s.refreshMu.Unlock()
	if !force && s.refreshes.Load() != seen {
		return s.lastRefreshErr
	}
	defer func() {
		s.lastRefreshErr = err
		s.refreshes.Add(1)
	}()
	known := int64(-1)
	if snap := s.current.Load(); snap != nil {
		known = snap.gen
	}
	next, err := s.readCurrent(ctx, known)
	if err != nil {
		s.healthy.Store(false)
		return err
	}
	s.healthy.Store(true)
	switch {
	case next == nil:
		// No version is current (an empty database): nothing to serve.
		s.current.Store(nil)
	case next.gen != known:
		old := s.current.Swap(next)
		if old != nil {
			s.logger.Info("switched to a new curriculum version",
				slog.String("from", old.info.Version), slog.String("to", next.info.Version))
		}
	}
	return nil
}
