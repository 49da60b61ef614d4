// Command loadtest measures a running learngraph with the widget's queries
// and checks that it refuses hostile ones quickly.
//
//	go run ./loadtest -addr http://127.0.0.1:8080 -duration 10s -workers 8 [-runs 3]
//	go run ./loadtest -addr http://127.0.0.1:8080 -hostile
//
// The first form sends, each for -duration with -workers concurrent
// clients, {__typename} (the ceiling: the cheapest request the server
// answers) and the widget's requests: nextUp as a persisted GET, a domain
// path's crates, and the persisted GET again with If-None-Match, which
// must answer 304; and, not held to the target, the persisted nextUp GET
// made distinct in every request, so that none is answered from the
// server's answer cache. It prints requests per second and p50/p99 latency of
// each, and each widget query's rate as a share of the ceiling's, measured
// in the same run. With -runs N it measures every query N times, in turns,
// and prints the medians.
//
// The second form sends the hostile set (deep nesting, 10k aliases, a
// 10 MB body, 100k tokens, fragment cycles, a huge first, too many known
// refs) and prints for each how it was refused and how fast, and the
// server's memory before and after, read from /metrics.
//
// It talks only to the loopback address it is given, uses only the
// standard library's HTTP client, and every loop is bounded by the
// duration or a count.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"learngraph/server/widget"
)

func main() {
	addr := flag.String("addr", "http://127.0.0.1:8080", "base `URL` of the server; a loopback address only")
	duration := flag.Duration("duration", 10*time.Second, "how long to send each query, per run")
	workers := flag.Int("workers", 8, "concurrent clients")
	runs := flag.Int("runs", 1, "measure each query this many times, in turns, and print the medians")
	hostile := flag.Bool("hostile", false, "send the hostile set instead, and report each refusal")
	repeat := flag.Int("repeat", 20, "with -hostile: how many times to send each hostile request")
	path := flag.String("path", "blockchain", "the domain path whose crates to ask for")
	flag.Parse()

	base, err := loopback(*addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(2)
	}
	if *workers < 1 || *workers > 1024 || *runs < 1 || *runs > 20 || *duration <= 0 || *repeat < 1 || *repeat > 1000 {
		fmt.Fprintln(os.Stderr, "loadtest: want 1 ≤ workers ≤ 1024, 1 ≤ runs ≤ 20, 1 ≤ repeat ≤ 1000 and a positive duration")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	client := &http.Client{
		Transport: &http.Transport{
			MaxIdleConns:        *workers * 2,
			MaxIdleConnsPerHost: *workers * 2,
			IdleConnTimeout:     30 * time.Second,
			DisableCompression:  true,
		},
		Timeout: 30 * time.Second,
	}
	if *hostile {
		err = runHostile(ctx, client, base, *repeat)
	} else {
		err = runLoad(ctx, client, base, *path, *duration, *workers, *runs)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// loopback parses the server's URL and refuses any host that is not a
// loopback address: this tool floods what it is pointed at.
func loopback(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("-addr %s: want http://HOST:PORT", raw)
	}
	host := u.Hostname()
	ip := net.ParseIP(host)
	if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("-addr %s: only a loopback address (127.0.0.1, ::1, localhost) may be load-tested", raw)
	}
	u.Path, u.RawQuery, u.Fragment = "", "", ""
	return u, nil
}

// request is one kind of request, built afresh for each send.
type request struct {
	name   string
	build  func() (*http.Request, error)
	status int // the status every answer must have
	// informational requests are measured and shown but not held to the
	// 50% target.
	informational bool
}

func getQuery(base *url.URL, params url.Values, header ...string) func() (*http.Request, error) {
	u := *base
	u.Path = "/graphql"
	u.RawQuery = params.Encode()
	target := u.String()
	return func() (*http.Request, error) {
		req, err := http.NewRequest(http.MethodGet, target, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", "application/json")
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		return req, nil
	}
}

// widgetParams are the parameters of the widget's persisted GET, with
// the query's text when register is true.
func widgetParams(register bool) url.Values {
	return widgetParamsVars(register, map[string]any{"known": []string{"ownership", "lifetimes", "traits", "async/await"}, "first": 5})
}

// distinctWidgetGET builds the widget's persisted GET with a variable the
// query does not declare (GraphQL ignores it) that differs in every
// request: no two requests share an ETag, so none is answered from the
// server's answer cache and each runs the operation — the cost of a
// widget whose every visitor knows something different.
func distinctWidgetGET(base *url.URL) func() (*http.Request, error) {
	var n atomic.Int64
	return func() (*http.Request, error) {
		vars := map[string]any{"known": []string{"ownership", "lifetimes", "traits", "async/await"}, "first": 5, "nonce": n.Add(1)}
		return getQuery(base, widgetParamsVars(false, vars))()
	}
}

func widgetParamsVars(register bool, variables map[string]any) url.Values {
	vars, _ := json.Marshal(variables)
	ext, _ := json.Marshal(map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": widget.QueryHash}})
	p := url.Values{
		"operationName": {widget.OperationName},
		"variables":     {string(vars)},
		"extensions":    {string(ext)},
	}
	if register {
		p.Set("query", widget.Query)
	}
	return p
}

// result is what one measurement found.
type result struct {
	requests, failures int
	firstFailure       string
	elapsed            time.Duration
	latencies          []time.Duration
}

func (r result) rate() float64 { return float64(r.requests) / r.elapsed.Seconds() }

func (r result) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	s := slices.Clone(r.latencies)
	slices.Sort(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}

// maxSamples bounds the latencies a worker keeps: enough for any rate a
// loopback server reaches in a minute.
const maxSamples = 2_000_000

// measure sends req from workers clients for d and records every answer.
func measure(ctx context.Context, client *http.Client, req request, d time.Duration, workers int) result {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	type tally struct {
		result
	}
	tallies := make([]tally, workers)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Go(func() {
			t := &tallies[w]
			for ctx.Err() == nil && len(t.latencies) < maxSamples {
				r, err := req.build()
				if err != nil {
					t.failures++
					t.firstFailure = err.Error()
					return
				}
				began := time.Now()
				status, body, err := send(client, r.WithContext(ctx))
				took := time.Since(began)
				if ctx.Err() != nil {
					return // cut short by the end of the run; not counted
				}
				t.requests++
				t.latencies = append(t.latencies, took)
				if msg := check(req.status, status, body, err); msg != "" {
					t.failures++
					if t.firstFailure == "" {
						t.firstFailure = msg
					}
				}
			}
		})
	}
	wg.Wait()
	total := result{elapsed: time.Since(start)}
	for _, t := range tallies {
		total.requests += t.requests
		total.failures += t.failures
		total.latencies = append(total.latencies, t.latencies...)
		if total.firstFailure == "" {
			total.firstFailure = t.firstFailure
		}
	}
	return total
}

// send sends one request and reads the whole answer (at most 1 MiB).
func send(client *http.Client, req *http.Request) (int, []byte, error) {
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, body, err
}

// check says what is wrong with an answer, "" when nothing is.
func check(want, status int, body []byte, err error) string {
	switch {
	case err != nil:
		return err.Error()
	case status != want:
		return fmt.Sprintf("status %d, want %d: %.200s", status, want, body)
	case status == http.StatusOK && bytes.Contains(body, []byte(`"errors"`)):
		return fmt.Sprintf("errors: %.200s", body)
	}
	return ""
}

func runLoad(ctx context.Context, client *http.Client, base *url.URL, path string, d time.Duration, workers, runs int) error {
	// Register the widget's query, as the first widget to load does, and
	// take the ETag its answer carries.
	status, body, etag, err := once(client, getQuery(base, widgetParams(true)))
	if err != nil || status != http.StatusOK || bytes.Contains(body, []byte(`"errors"`)) {
		return fmt.Errorf("registering the widget's persisted query: status %d, %v: %.300s", status, err, body)
	}
	if etag == "" {
		return errors.New("the widget's persisted GET answered without an ETag")
	}
	pathQuery := fmt.Sprintf(`query WidgetPathCrates { domainPath(ref: %q) { name crates { name } } }`, path)
	requests := []request{
		{name: "{__typename} (ceiling)", build: getQuery(base, url.Values{"query": {"{__typename}"}}), status: http.StatusOK},
		{name: "nextUp, persisted GET", build: getQuery(base, widgetParams(false)), status: http.StatusOK},
		{name: "domainPath crates, GET", build: getQuery(base, url.Values{"query": {pathQuery}}), status: http.StatusOK},
		{name: "persisted GET, If-None-Match", build: getQuery(base, widgetParams(false), "If-None-Match", etag), status: http.StatusNotModified},
		{name: "nextUp, each GET distinct", build: distinctWidgetGET(base), status: http.StatusOK, informational: true},
	}
	for _, r := range requests {
		// Each must work before it is measured.
		status, body, _, err := once(client, r.build)
		if msg := check(r.status, status, body, err); msg != "" {
			return fmt.Errorf("%s: %s", r.name, msg)
		}
	}

	fmt.Printf("learngraph load: %s, %d workers, %v per query, %d run(s)\n\n", base, workers, d, runs)
	results := make([][]result, len(requests))
	for run := range runs {
		for i, r := range requests {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			res := measure(ctx, client, r, d, workers)
			results[i] = append(results[i], res)
			fmt.Fprintf(os.Stderr, "run %d: %-30s %8.0f req/s  p50 %-9v p99 %-9v %d failed\n",
				run+1, r.name, res.rate(), res.percentile(0.50), res.percentile(0.99), res.failures)
		}
	}

	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "query\trequests\tfailed\treq/s\tp50\tp99\t% of ceiling\t")
	var ceiling float64
	failed := false
	for i, r := range requests {
		rate := median(results[i], func(r result) float64 { return r.rate() })
		p50 := median(results[i], func(r result) float64 { return float64(r.percentile(0.50)) })
		p99 := median(results[i], func(r result) float64 { return float64(r.percentile(0.99)) })
		n, f := 0, 0
		for _, res := range results[i] {
			n += res.requests
			f += res.failures
		}
		share := "100%"
		if i == 0 {
			ceiling = rate
		} else {
			pct := 100 * rate / ceiling
			share = fmt.Sprintf("%.0f%%", pct)
			switch {
			case r.informational:
				share += " (not a target)"
			case pct < 50:
				share += " (< 50%)"
				failed = true
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.0f\t%v\t%v\t%s\t\n", r.name, n, f, rate,
			time.Duration(p50).Round(time.Microsecond), time.Duration(p99).Round(time.Microsecond), share)
		if f > 0 {
			failed = true
			for _, res := range results[i] {
				if res.firstFailure != "" {
					fmt.Fprintf(os.Stderr, "%s: first failure: %s\n", r.name, res.firstFailure)
					break
				}
			}
		}
	}
	_ = tw.Flush()
	if failed {
		return errors.New("a query failed or fell under 50% of the ceiling")
	}
	return nil
}

// once sends one request and returns its status, body and ETag.
func once(client *http.Client, build func() (*http.Request, error)) (int, []byte, string, error) {
	req, err := build()
	if err != nil {
		return 0, nil, "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, body, resp.Header.Get("ETag"), err
}

// median is the median of f over the runs.
func median(rs []result, f func(result) float64) float64 {
	v := make([]float64, len(rs))
	for i, r := range rs {
		v[i] = f(r)
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// hostileCase is a request the server must refuse.
type hostileCase struct {
	name string
	body func() []byte // a POST body; built once, sent repeat times
}

func gqlBody(query string) []byte {
	b, _ := json.Marshal(map[string]any{"query": query})
	return b
}

func hostileSet() []hostileCase {
	return []hostileCase{
		{"deep nesting (60 levels)", func() []byte {
			return gqlBody(`{ concept(ref: "ownership") { ` + strings.Repeat("prerequisites { ", 60) + "id" + strings.Repeat(" }", 60) + " } }")
		}},
		{"10k aliases", func() []byte {
			var b strings.Builder
			b.WriteString("{ ")
			for i := range 10_000 {
				fmt.Fprintf(&b, "a%d: __typename ", i)
			}
			b.WriteString("}")
			return gqlBody(b.String())
		}},
		{"10 MB body", func() []byte {
			return gqlBody("{ __typename }" + strings.Repeat(" ", 10<<20))
		}},
		{"100k tokens", func() []byte {
			return gqlBody("{ " + strings.Repeat("a ", 100_000) + "}")
		}},
		{"1,000 aliases (under the token limit)", func() []byte {
			var b strings.Builder
			b.WriteString("{ ")
			for i := range 1_000 {
				fmt.Fprintf(&b, "a%d: __typename ", i)
			}
			b.WriteString("}")
			return gqlBody(b.String())
		}},
		{"fragment cycle", func() []byte {
			return gqlBody(`query { ...A } fragment A on Query { ...B } fragment B on Query { ...A __typename }`)
		}},
		{"fragment fan-out (2^30 paths)", func() []byte {
			// Each fragment spreads the next twice: walked naively, 2^30
			// fields; the server must walk each fragment once.
			var b strings.Builder
			b.WriteString("query { ...F0 }\n")
			for i := range 30 {
				fmt.Fprintf(&b, "fragment F%d on Query { ...F%d ...F%d }\n", i, i+1, i+1)
			}
			b.WriteString("fragment F30 on Query { __typename }\n")
			return gqlBody(b.String())
		}},
		{"huge first (1,000,000)", func() []byte {
			return gqlBody(`{ concepts(first: 1000000) { nodes { id } } }`)
		}},
		{"huge nested first", func() []byte {
			return gqlBody(`{ concepts(first: 100) { nodes { prerequisites(first: 100) { dependents(first: 100) { crates(first: 100) { id } } } } } }`)
		}},
		{"501 known refs", func() []byte {
			known := make([]string, 501)
			for i := range known {
				known[i] = "ownership"
			}
			b, _ := json.Marshal(map[string]any{"query": `query($k: [String!]!) { nextUp(known: $k) { reason } }`, "variables": map[string]any{"k": known}})
			return b
		}},
	}
}

// refusalLimit is how fast a refusal must come.
const refusalLimit = 50 * time.Millisecond

func runHostile(ctx context.Context, client *http.Client, base *url.URL, repeat int) error {
	metricsURL := base.JoinPath("/metrics").String()
	endpoint := base.JoinPath("/graphql").String()
	set := hostileSet()
	bodies := make([][]byte, len(set))
	for i, c := range set {
		bodies[i] = c.body()
	}
	post := func(body []byte) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/graphql-response+json")
		return req, nil
	}
	// One round first, so that what the server allocates once (buffers,
	// caches, pools) is not counted as growth: memory must then stay flat
	// however many more hostile requests come.
	for i, c := range set {
		req, err := post(bodies[i])
		if err != nil {
			return err
		}
		if _, _, err := send(client, req); err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
	}
	before, err := memory(client, metricsURL)
	if err != nil {
		return err
	}
	fmt.Printf("learngraph hostile set: %s, each sent %d times after one round of warm-up\n\n", base, repeat)
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "request\tbytes\tstatus\tcode\tp50\tmax\trefused < 50 ms\tmessage")
	failed := false
	for i, c := range set {
		body := bodies[i]
		var took []time.Duration
		var status int
		var code, message string
		ok := true
		for range repeat {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			req, err := post(body)
			if err != nil {
				return err
			}
			began := time.Now()
			resp, err := client.Do(req)
			if err != nil {
				return fmt.Errorf("%s: %w", c.name, err)
			}
			took = append(took, time.Since(began))
			data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
			_ = resp.Body.Close()
			status = resp.StatusCode
			code, message = firstError(data)
			// Refused: an error, and no data resolved. (Most refusals are
			// 4xx; an argument a resolver refuses answers 200 with
			// "data": null.)
			if code == "" || bytes.Contains(data, []byte(`"data":{`)) {
				ok = false
			}
		}
		slices.Sort(took)
		p50, worst := took[len(took)/2], took[len(took)-1]
		verdict := "yes"
		if !ok || worst >= refusalLimit {
			verdict, failed = "NO", true
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%v\t%v\t%s\t%.70s\n", c.name, len(body), status, code,
			p50.Round(10*time.Microsecond), worst.Round(10*time.Microsecond), verdict, message)
	}
	_ = tw.Flush()
	after, err := memory(client, metricsURL)
	if err != nil {
		return err
	}
	fmt.Printf("\n%-30s %10s %10s %10s\n", "server memory (/metrics)", "before", "after", "change")
	for _, m := range []string{"go_memstats_heap_inuse_bytes", "process_resident_memory_bytes"} {
		fmt.Printf("%-30s %7.1f MB %7.1f MB %+7.1f MB\n", m, before[m]/1e6, after[m]/1e6, (after[m]-before[m])/1e6)
	}
	// Flat: the resident set grew by less than the largest hostile body.
	if grew := after["process_resident_memory_bytes"] - before["process_resident_memory_bytes"]; grew > 10<<20 {
		fmt.Printf("the resident set grew by %.1f MB\n", grew/1e6)
		failed = true
	}
	if failed {
		return errors.New("a hostile request was not refused in under 50 ms, or memory grew")
	}
	return nil
}

// firstError returns the code and message of an answer's first error.
func firstError(body []byte) (code, message string) {
	var resp struct {
		Errors []struct {
			Message    string
			Extensions struct{ Code string }
		}
	}
	if json.Unmarshal(body, &resp) != nil || len(resp.Errors) == 0 {
		return "", ""
	}
	return resp.Errors[0].Extensions.Code, resp.Errors[0].Message
}

// memory reads the server's memory gauges from /metrics.
func memory(client *http.Client, metricsURL string) (map[string]float64, error) {
	resp, err := client.Get(metricsURL)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for line := range strings.SplitSeq(string(data), "\n") {
		name, value, ok := strings.Cut(line, " ")
		if !ok || (name != "go_memstats_heap_inuse_bytes" && name != "process_resident_memory_bytes") {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err == nil {
			out[name] = v
		}
	}
	if len(out) != 2 {
		return nil, fmt.Errorf("%s has no go_memstats_heap_inuse_bytes or process_resident_memory_bytes", metricsURL)
	}
	return out, nil
}
