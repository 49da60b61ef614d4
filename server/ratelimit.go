package server

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/time/rate"

	"learngraph/graph"
)

// rateLimiter gives each client a token bucket: rate requests a second,
// burst at once. It remembers a bounded number of clients, forgetting the
// least recently seen first; a forgotten client starts again with a full
// bucket, which costs an attacker with many addresses nothing it could
// not have had anyway.
type rateLimiter struct {
	rate       rate.Limit
	burst      int
	trustProxy bool
	now        func() time.Time

	mu      sync.Mutex
	clients *lru.Cache[string, *rate.Limiter]
}

func newRateLimiter(perSecond float64, burst, clients int, trustProxy bool) *rateLimiter {
	cache, err := lru.New[string, *rate.Limiter](clients)
	if err != nil {
		panic(err) // only for a size below 1, which withDefaults rules out
	}
	return &rateLimiter{rate: rate.Limit(perSecond), burst: burst, trustProxy: trustProxy, now: time.Now, clients: cache}
}

// wrap refuses a request over its client's budget with 429, a
// Retry-After in seconds and a LIMIT_EXCEEDED error, before it is read.
func (l *rateLimiter) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if wait, ok := l.allow(l.client(r)); !ok {
			secs := max(1, int(math.Ceil(wait.Seconds())))
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			graph.WriteError(w, r, http.StatusTooManyRequests, graph.LimitExceeded(int(math.Ceil(float64(l.rate))),
				fmt.Sprintf("too many requests: the limit is %g a second per client (bursts of %d); retry after %d s", float64(l.rate), l.burst, secs)))
			return
		}
		h.ServeHTTP(w, r)
	})
}

// allow takes a token from client's bucket, or says how long until one is
// there.
func (l *rateLimiter) allow(client string) (time.Duration, bool) {
	l.mu.Lock()
	lim, ok := l.clients.Get(client)
	if !ok {
		lim = rate.NewLimiter(l.rate, l.burst)
		l.clients.Add(client, lim)
	}
	l.mu.Unlock()
	now := l.now()
	res := lim.ReserveN(now, 1)
	if !res.OK() {
		return time.Second, false
	}
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return d, false
	}
	return 0, true
}

// client returns the address a request counts against: the connection's
// IP, or with trustProxy the last X-Forwarded-For entry, which the proxy
// in front appended (the entries before it are whatever the client
// sent).
func (l *rateLimiter) client(r *http.Request) string {
	if l.trustProxy {
		if fwd := r.Header.Values("X-Forwarded-For"); len(fwd) > 0 {
			last := fwd[len(fwd)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			if ip := net.ParseIP(strings.TrimSpace(last)); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
