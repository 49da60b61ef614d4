package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Report is everything one run measured; -json writes it as it is, and
// writeMarkdown prints the tables bench/README.md publishes.
type Report struct {
	Date     string       `json:"date"`
	Machine  Machine      `json:"machine"`
	Versions Versions     `json:"versions"`
	Settings Settings     `json:"settings"`
	Sizes    []SizeReport `json:"sizes"`
}

// Machine describes where the run happened.
type Machine struct {
	CPU       string  `json:"cpu"`
	Cores     int     `json:"cores"`
	MemoryGiB float64 `json:"memoryGiB"`
	OS        string  `json:"os"`
}

// Versions of what was measured.
type Versions struct {
	Go    string `json:"go"`
	Neo4j string `json:"neo4j,omitempty"`
}

// Settings of the run.
type Settings struct {
	Seed             int64  `json:"seed"`
	Iterations       int    `json:"iterations"`
	Warmup           int    `json:"warmup"`
	MaxTime          string `json:"maxTime"`
	Reloads          int    `json:"reloads"`
	Neo4jBatchSize   int    `json:"neo4jBatchSize,omitempty"`
	Neo4jHeap        string `json:"neo4jHeap,omitempty"`
	Neo4jPageCacheMB int    `json:"neo4jPageCacheMB,omitempty"`
}

// SizeReport is what one curriculum size measured.
type SizeReport struct {
	Concepts int        `json:"concepts"`
	Graph    GraphStats `json:"graph"`
	Goals    []Goal     `json:"goals"`
	Path     string     `json:"path"`
	// Embedded is the embedded store's start-up and the memory of a
	// process serving from it; Neo4jClient the memory of a process
	// serving from Neo4j; both measured in a process of their own.
	Embedded    *ProcessMemory `json:"embedded,omitempty"`
	Neo4jClient *ProcessMemory `json:"neo4jClient,omitempty"`
	Load        *Load          `json:"load,omitempty"`
	Latency     []Latency      `json:"latency"`
	// Noise is what other processes used of the machine meanwhile.
	Noise *Noise `json:"noise,omitempty"`
}

// GraphStats describes a synthetic curriculum.
type GraphStats struct {
	Concepts      int `json:"concepts"`
	Requires      int `json:"requires"`      // REQUIRES edges
	Relationships int `json:"relationships"` // links of every type
	Depth         int `json:"depth"`         // concepts on the longest REQUIRES chain
	Topics        int `json:"topics"`
	Crates        int `json:"crates"`
	Challenges    int `json:"challenges"`
	Paths         int `json:"paths"`
}

// Goal is a concept picked for its number of transitive prerequisites.
type Goal struct {
	Target  int    `json:"target"`
	ID      string `json:"id"`
	Prereqs int    `json:"prereqs"`
}

// Load is what loading one size into Neo4j measured.
type Load struct {
	Requires int `json:"requires"` // REQUIRES edges of the curriculum
	// First is the first load, into an empty database on a Neo4j just
	// started; Reloads are the loads of the same curriculum under new
	// versions that follow it, each written in full beside the version
	// served, on a Neo4j warmed up by the loads before; Reload is their
	// median.
	First        LoadRun   `json:"first"`
	Reloads      []LoadRun `json:"reloads,omitempty"`
	Reload       *LoadRun  `json:"reload,omitempty"`
	NoopReloadMs float64   `json:"noopReloadMs"`
	// Neo4jRSS is the resident memory of the Neo4j process after the loads
	// and the queries, when its process id is known.
	Neo4jRSS int64 `json:"neo4jRSS,omitempty"`
}

// LoadRun is one load. Seconds is the time until the new version was
// served (LoadSummary.Duration), which the rates divide by; WallSeconds
// the whole call, with the deletion of versions no longer needed.
type LoadRun struct {
	Seconds             float64 `json:"seconds"`
	WallSeconds         float64 `json:"wallSeconds"`
	Relationships       int     `json:"relationships"`
	RequiresPerSec      float64 `json:"requiresPerSec"`
	RelationshipsPerSec float64 `json:"relationshipsPerSec"`
}

// Latency is one question on one store.
type Latency struct {
	Query   string `json:"query"`
	Target  int    `json:"target,omitempty"` // the prerequisite count the goal was picked for
	Goal    string `json:"goal,omitempty"`
	Prereqs int    `json:"prereqs,omitempty"`
	Store   string `json:"store"`
	Stats
}

// Stats summarise the measured iterations of one question.
type Stats struct {
	N      int     `json:"n"`
	P50Ms  float64 `json:"p50Ms"`
	P99Ms  float64 `json:"p99Ms"`
	MinMs  float64 `json:"minMs"`
	MaxMs  float64 `json:"maxMs"`
	Answer int     `json:"answer"` // steps, recommendations or crates in the answer
}

// ProcessMemory is what a process serving one size holds, measured by
// the process itself.
type ProcessMemory struct {
	// HeapInuse is runtime.MemStats.HeapInuse after a GC: the live heap
	// and its fragmentation.
	HeapInuse int64 `json:"heapInuse"`
	HeapAlloc int64 `json:"heapAlloc"`
	// RSS is the resident set after the heap was returned to the OS;
	// PeakRSS the highest it was (start-up included).
	RSS     int64 `json:"rss"`
	PeakRSS int64 `json:"peakRSS"`
	// The start-up of the embedded store: generating the curriculum (a
	// server parses documents instead), Analyze, inmem.New.
	GenerateMs float64 `json:"generateMs,omitempty"`
	AnalyzeMs  float64 `json:"analyzeMs,omitempty"`
	NewMs      float64 `json:"newMs,omitempty"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// The stores as the tables name them.
const (
	storeEmbedded     = "embedded"
	storeEmbeddedHTTP = "embedded, GraphQL"
	storeNeo4j        = "Neo4j"
	storeNeo4jHTTP    = "Neo4j, GraphQL"
)

var storeColumns = []string{storeEmbedded, storeEmbeddedHTTP, storeNeo4j, storeNeo4jHTTP}

func writeMarkdown(w io.Writer, r *Report) error {
	b := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	neo := ""
	if r.Versions.Neo4j != "" {
		neo = ", " + r.Versions.Neo4j
		if r.Settings.Neo4jHeap != "" {
			neo += fmt.Sprintf(" (heap %s, page cache %d MiB)", r.Settings.Neo4jHeap, r.Settings.Neo4jPageCacheMB)
		}
	}
	p("Run of %s on %s, %d cores, %.0f GiB, %s; %s%s. Seed %d; per query %d iterations after %d warm-ups, at most %s.\n\n",
		r.Date, r.Machine.CPU, r.Machine.Cores, r.Machine.MemoryGiB, r.Machine.OS, r.Versions.Go, neo,
		r.Settings.Seed, r.Settings.Iterations, r.Settings.Warmup, r.Settings.MaxTime)

	noises := make([]sizeNoise, len(r.Sizes))
	for i, s := range r.Sizes {
		noises[i] = sizeNoise{s.Concepts, s.Noise}
	}
	b.WriteString(noiseNote(noises))

	p("#### Curricula and the embedded store's start-up\n\n")
	p("| concepts | REQUIRES edges | relationships | depth | topics | crates | challenges | paths | generate | Analyze | inmem.New |\n")
	p("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, s := range r.Sizes {
		g := s.Graph
		p("| %s | %s | %s | %d | %s | %s | %s | %s |", count(g.Concepts), count(g.Requires), count(g.Relationships), g.Depth,
			count(g.Topics), count(g.Crates), count(g.Challenges), count(g.Paths))
		if e := s.Embedded; e != nil {
			p(" %s | %s | %s |\n", msText(e.GenerateMs), msText(e.AnalyzeMs), msText(e.NewMs))
		} else {
			p(" | | |\n")
		}
	}

	if hasLoad(r) {
		p("\n#### Loading into Neo4j\n\n")
		p("First load: into an empty database, on a Neo4j just started. Reload: the same curriculum as a new version, written in full beside the one served (what any change costs), on a Neo4j warmed up by the loads before; the median of %d. ", r.Settings.Reloads)
		p("Times run until the new version is served; edges/s = REQUIRES edges / s, relationships/s = all relationships / s.\n\n")
		p("| concepts | first load | REQUIRES edges/s | relationships/s | reload | REQUIRES edges/s | relationships/s | no-op reload |\n")
		p("|---:|---:|---:|---:|---:|---:|---:|---:|\n")
		for _, s := range r.Sizes {
			l := s.Load
			if l == nil {
				continue
			}
			p("| %s | %.1f s | %s | %s |", count(s.Concepts), l.First.Seconds, count(int(l.First.RequiresPerSec)), count(int(l.First.RelationshipsPerSec)))
			if l.Reload != nil {
				p(" %.1f s | %s | %s |", l.Reload.Seconds, count(int(l.Reload.RequiresPerSec)), count(int(l.Reload.RelationshipsPerSec)))
			} else {
				p(" | | |")
			}
			p(" %s ms |\n", msText(l.NoopReloadMs))
		}
	}

	p("\n#### Latency, p50 / p99 in ms\n\n")
	p("Goals are the concepts whose number of transitive prerequisites is closest to 10, 100 and 1000. ")
	p("studyPlan(goal); nextUp(known: [goal], first: 5); path crates = the crates of one path (Related(PathCrates)); ")
	p("resolve = one ref lookup, the baseline. GraphQL columns send the same question through the GraphQL handler in process.\n\n")
	var cols []string
	for _, c := range storeColumns {
		if hasStore(r, c) {
			cols = append(cols, c)
		}
	}
	p("| concepts | query | goal (prerequisites) | %s |\n", strings.Join(cols, " | "))
	p("|---:|---|---|%s\n", strings.Repeat("---:|", len(cols)))
	for _, s := range r.Sizes {
		type rowKey struct {
			query  string
			target int
		}
		var rows []rowKey
		cells := map[rowKey]map[string]Latency{}
		for _, l := range s.Latency {
			k := rowKey{l.Query, l.Target}
			if cells[k] == nil {
				cells[k] = map[string]Latency{}
				rows = append(rows, k)
			}
			cells[k][l.Store] = l
		}
		for _, k := range rows {
			goal := ""
			for _, l := range cells[k] {
				switch {
				case l.Target > 0:
					goal = fmt.Sprintf("%s (%d)", l.Goal, l.Prereqs)
				case l.Goal != "":
					goal = l.Goal
				}
			}
			p("| %s | %s | %s |", count(s.Concepts), k.query, goal)
			for _, c := range cols {
				if l, ok := cells[k][c]; ok {
					p(" %s / %s |", msText(l.P50Ms), msText(l.P99Ms))
				} else {
					p(" |")
				}
			}
			p("\n")
		}
	}

	p("\n#### Memory\n\n")
	p("A process of its own serves each size: heap in use after a GC, and resident memory (RSS) after the heap is returned to the OS, with the peak RSS of its start-up in brackets. ")
	p("Neo4j's own RSS is read from /proc after the load and the queries.\n\n")
	p("| concepts | embedded: heap | embedded: RSS (peak) | Neo4j-backed: heap | Neo4j-backed: RSS (peak) | Neo4j process RSS |\n")
	p("|---:|---:|---:|---:|---:|---:|\n")
	for _, s := range r.Sizes {
		p("| %s |", count(s.Concepts))
		for _, m := range []*ProcessMemory{s.Embedded, s.Neo4jClient} {
			if m == nil {
				p(" | |")
				continue
			}
			p(" %s | %s (%s) |", mib(m.HeapInuse), mib(m.RSS), mib(m.PeakRSS))
		}
		if s.Load != nil && s.Load.Neo4jRSS > 0 {
			p(" %s |\n", mib(s.Load.Neo4jRSS))
		} else {
			p(" |\n")
		}
	}
	return b.Flush()
}

func hasLoad(r *Report) bool {
	for _, s := range r.Sizes {
		if s.Load != nil {
			return true
		}
	}
	return false
}

func hasStore(r *Report, store string) bool {
	for _, s := range r.Sizes {
		for _, l := range s.Latency {
			if l.Store == store {
				return true
			}
		}
	}
	return false
}

// count writes 12345 as 12,345.
func count(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// msText writes milliseconds with two significant decimals below 10 ms.
func msText(v float64) string {
	switch {
	case v >= 1000:
		return fmt.Sprintf("%s ms", count(int(v+0.5)))
	case v >= 10:
		return fmt.Sprintf("%.0f", v)
	case v >= 1:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

func durationText(seconds float64) string {
	if seconds < 10 {
		return fmt.Sprintf("%.1f s", seconds)
	}
	return time.Duration(seconds * float64(time.Second)).Round(time.Second).String()
}

func mib(b int64) string { return fmt.Sprintf("%s MiB", count(int(b>>20))) }

// describeMachine reads the CPU model and memory size from /proc where
// it exists.
func describeMachine() Machine {
	m := Machine{Cores: runtime.NumCPU(), OS: runtime.GOOS + "/" + runtime.GOARCH, CPU: "unknown CPU"}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	if kb := procField("/proc/meminfo", "MemTotal"); kb > 0 {
		m.MemoryGiB = float64(kb) / (1 << 20)
	}
	return m
}

// procField returns a "Name:   123 kB" field of a /proc file in kB, 0 when
// it cannot be read.
func procField(file, name string) int64 {
	f, err := os.Open(file)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || k != name {
			continue
		}
		fields := strings.Fields(v)
		if len(fields) == 0 {
			return 0
		}
		n, _ := strconv.ParseInt(fields[0], 10, 64)
		return n
	}
	return 0
}
