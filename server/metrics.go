package server

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"learngraph"
	"learngraph/graph"
)

// metrics are the Prometheus metrics of one server, in a registry of its
// own (no global state: two servers in one process, as in tests, do not
// share counters). Every label has a bounded set of values: operation
// names come from graph.Outcome, which names only trusted and persisted
// operations; codes are the server's own; methods are the store's.
type metrics struct {
	registry *prometheus.Registry

	requests      *prometheus.CounterVec
	duration      *prometheus.HistogramVec
	errors        *prometheus.CounterVec
	cached        prometheus.Counter
	storeCalls    *prometheus.CounterVec
	storeDuration *prometheus.HistogramVec
	// storeMethods caches the children of storeCalls (code OK) and
	// storeDuration by method: a method name → *storeMethod.
	storeMethods sync.Map
}

func newMetrics(store learngraph.Store) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "learngraph_graphql_requests_total",
			Help: "GraphQL requests by operation (the name of a trusted or persisted operation, else \"other\") and HTTP status.",
		}, []string{"operation", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "learngraph_graphql_request_duration_seconds",
			Help:    "Time to answer a GraphQL request, by operation.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"operation"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "learngraph_graphql_errors_total",
			Help: "Errors in GraphQL responses, by extensions.code.",
		}, []string{"code"}),
		cached: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "learngraph_graphql_cached_answers_total",
			Help: "GraphQL requests answered from the answer cache, without running the operation (also counted in requests_total).",
		}),
		storeCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "learngraph_store_calls_total",
			Help: "Calls to the store, by method and outcome (OK or the error code).",
		}, []string{"method", "code"}),
		storeDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "learngraph_store_call_duration_seconds",
			Help:    "Time a store call takes, by method.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"method"}),
	}
	m.registry.MustRegister(
		m.requests, m.duration, m.errors, m.cached, m.storeCalls, m.storeDuration,
		curriculumCollector{store: store},
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// meter counts and times the requests h answers, and the error codes of
// their responses.
func (m *metrics) meter(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ctx, outcome := r.Context(), graph.OutcomeOf(r.Context())
		if outcome == nil {
			ctx, outcome = graph.Observe(ctx)
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r.WithContext(ctx))
		op := outcome.Operation()
		m.requests.WithLabelValues(op, strconv.Itoa(rec.status)).Inc()
		m.duration.WithLabelValues(op).Observe(time.Since(start).Seconds())
		for _, code := range outcome.Codes() {
			m.errors.WithLabelValues(labelCode(code)).Inc()
		}
		if outcome.Cached() {
			m.cached.Inc()
		}
	})
}

// labelCode keeps a code fit for a label: codes are upper-case words
// made by this server and gqlgen, so anything else is a bug, not a
// client's doing; count it, under one value.
func labelCode(code string) string {
	if code == "" || len(code) > 40 {
		return "UNKNOWN"
	}
	for _, c := range code {
		if (c < 'A' || c > 'Z') && c != '_' {
			return "UNKNOWN"
		}
	}
	return code
}

// storeMethod is the metrics of one store method's successful calls.
type storeMethod struct {
	ok       prometheus.Counter
	duration prometheus.Observer
}

// storeChildren returns method's metrics, creating them on its first
// call (so /metrics lists only methods that were called, as before).
func (m *metrics) storeChildren(method string) *storeMethod {
	if c, ok := m.storeMethods.Load(method); ok {
		return c.(*storeMethod)
	}
	c, _ := m.storeMethods.LoadOrStore(method, &storeMethod{
		ok:       m.storeCalls.WithLabelValues(method, "OK"),
		duration: m.storeDuration.WithLabelValues(method),
	})
	return c.(*storeMethod)
}

func (m *metrics) observeStore(method string, start time.Time, err error) {
	code := "OK"
	if err != nil {
		code = string(learngraph.ErrorCode(err))
	}
	if code == "OK" {
		// The common case, several times a request: the children are
		// looked up once per method, not by their labels on every call.
		c := m.storeChildren(method)
		c.ok.Inc()
		c.duration.Observe(time.Since(start).Seconds())
		return
	}
	m.storeCalls.WithLabelValues(method, code).Inc()
	m.storeDuration.WithLabelValues(method).Observe(time.Since(start).Seconds())
}

// curriculumCollector reports, at each scrape, the curriculum the store
// serves: learngraph_curriculum_info{version} and its load time, and
// whether the store answers at all.
type curriculumCollector struct {
	store learngraph.Store
}

var (
	curriculumInfoDesc = prometheus.NewDesc("learngraph_curriculum_info",
		"The curriculum being served: always 1, with its version as a label.", []string{"version"}, nil)
	curriculumLoadedDesc = prometheus.NewDesc("learngraph_curriculum_loaded_timestamp_seconds",
		"When the curriculum being served was loaded, in seconds since the epoch.", nil, nil)
	storeUpDesc = prometheus.NewDesc("learngraph_store_up",
		"1 when the store can serve a curriculum, 0 when it cannot.", nil, nil)
)

func (curriculumCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- curriculumInfoDesc
	ch <- curriculumLoadedDesc
	ch <- storeUpDesc
}

func (c curriculumCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	snap, err := c.store.Snapshot(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(storeUpDesc, prometheus.GaugeValue, 0)
		return
	}
	info := snap.Info()
	ch <- prometheus.MustNewConstMetric(storeUpDesc, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(curriculumInfoDesc, prometheus.GaugeValue, 1, info.Version)
	if !info.LoadedAt.IsZero() {
		ch <- prometheus.MustNewConstMetric(curriculumLoadedDesc, prometheus.GaugeValue, float64(info.LoadedAt.UnixNano())/1e9)
	}
}

// instrument wraps store so that every call it and its snapshots answer
// is counted and timed.
func instrument(store learngraph.Store, m *metrics) learngraph.Store {
	return instrumentedStore{store: store, m: m}
}

type instrumentedStore struct {
	store learngraph.Store
	m     *metrics
}

func (s instrumentedStore) Snapshot(ctx context.Context) (learngraph.Snapshot, error) {
	start := time.Now()
	snap, err := s.store.Snapshot(ctx)
	s.m.observeStore("Snapshot", start, err)
	if err != nil || snap == nil {
		return snap, err
	}
	return instrumentedSnapshot{snap: snap, m: s.m}, nil
}

// instrumentedSnapshot forwards every method of learngraph.Snapshot,
// spelled out rather than embedded, so a method added to the interface
// does not go uncounted without a compile error here.
type instrumentedSnapshot struct {
	snap learngraph.Snapshot
	m    *metrics
}

var _ learngraph.Snapshot = instrumentedSnapshot{}

func (s instrumentedSnapshot) Info() learngraph.CurriculumInfo { return s.snap.Info() }

func (s instrumentedSnapshot) Curriculum(ctx context.Context) (*learngraph.Curriculum, error) {
	start := time.Now()
	c, err := s.snap.Curriculum(ctx)
	s.m.observeStore("Curriculum", start, err)
	return c, err
}

// Local passes on whether the wrapped snapshot reads from memory, so the
// GraphQL layer skips batching for it here as it would unwrapped.
func (s instrumentedSnapshot) Local() bool { return learngraph.IsLocal(s.snap) }

func (s instrumentedSnapshot) Resolve(ctx context.Context, ref string, kinds ...learngraph.Kind) (learngraph.Node, error) {
	start := time.Now()
	n, err := s.snap.Resolve(ctx, ref, kinds...)
	s.m.observeStore("Resolve", start, err)
	return n, err
}

func (s instrumentedSnapshot) Nodes(ctx context.Context, kind learngraph.Kind, ids []string) ([]learngraph.Node, error) {
	start := time.Now()
	out, err := s.snap.Nodes(ctx, kind, ids)
	s.m.observeStore("Nodes", start, err)
	return out, err
}

func (s instrumentedSnapshot) All(ctx context.Context, kind learngraph.Kind) ([]learngraph.Node, error) {
	start := time.Now()
	out, err := s.snap.All(ctx, kind)
	s.m.observeStore("All", start, err)
	return out, err
}

func (s instrumentedSnapshot) Concepts(ctx context.Context, first int, after string) (learngraph.ConceptPage, error) {
	start := time.Now()
	out, err := s.snap.Concepts(ctx, first, after)
	s.m.observeStore("Concepts", start, err)
	return out, err
}

func (s instrumentedSnapshot) Crate(ctx context.Context, name string) (*learngraph.Crate, error) {
	start := time.Now()
	out, err := s.snap.Crate(ctx, name)
	s.m.observeStore("Crate", start, err)
	return out, err
}

func (s instrumentedSnapshot) Related(ctx context.Context, relation learngraph.Relation, from []string) ([][]learngraph.Neighbor, error) {
	start := time.Now()
	out, err := s.snap.Related(ctx, relation, from)
	s.m.observeStore("Related", start, err)
	return out, err
}

func (s instrumentedSnapshot) Challenges(ctx context.Context, concept string, kind learngraph.ChallengeKind) ([]*learngraph.Challenge, error) {
	start := time.Now()
	out, err := s.snap.Challenges(ctx, concept, kind)
	s.m.observeStore("Challenges", start, err)
	return out, err
}

func (s instrumentedSnapshot) StudyPlan(ctx context.Context, goal string, known []string) (*learngraph.StudyPlan, error) {
	start := time.Now()
	out, err := s.snap.StudyPlan(ctx, goal, known)
	s.m.observeStore("StudyPlan", start, err)
	return out, err
}

func (s instrumentedSnapshot) NextUp(ctx context.Context, known []string, first int, path string) ([]learngraph.Recommendation, error) {
	start := time.Now()
	out, err := s.snap.NextUp(ctx, known, first, path)
	s.m.observeStore("NextUp", start, err)
	return out, err
}

func (s instrumentedSnapshot) WhyRequired(ctx context.Context, goal, prerequisite string) ([]learngraph.PlanStep, error) {
	start := time.Now()
	out, err := s.snap.WhyRequired(ctx, goal, prerequisite)
	s.m.observeStore("WhyRequired", start, err)
	return out, err
}

func (s instrumentedSnapshot) Search(ctx context.Context, text string, first int) ([]learngraph.SearchHit, error) {
	start := time.Now()
	out, err := s.snap.Search(ctx, text, first)
	s.m.observeStore("Search", start, err)
	return out, err
}

func (s instrumentedSnapshot) Findings(ctx context.Context) ([]learngraph.Finding, error) {
	start := time.Now()
	out, err := s.snap.Findings(ctx)
	s.m.observeStore("Findings", start, err)
	return out, err
}
