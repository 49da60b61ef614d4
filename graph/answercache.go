package graph

import (
	"sync"

	"github.com/hashicorp/golang-lru/v2/simplelru"
)

// answerCache keeps the encoded answers of successful GET requests by
// their ETag, least recently used first out, within a budget of bytes.
//
// Why: a widget's request is set by the page that embeds it (its known
// and path attributes), so every visitor of that page sends the same GET,
// and the answer only changes with the curriculum. The ETag already
// names exactly that — the curriculum version the answer was read from,
// the options that shape answers, the media type and the request — so an
// answer stored under it is the answer the operation would give again.
// Running the operation costs gqlgen's executor a goroutine per list item
// and a middleware call per field; a hit costs a hash and a copy.
//
// A new load changes the version, and so every key: old answers are never
// served again and leave as newer ones arrive.
type answerCache struct {
	mu       sync.Mutex
	entries  *simplelru.LRU[string, *cachedAnswer]
	bytes    int // the sum of the entries' sizes
	maxBytes int
}

// cachedAnswer is one encoded answer and what the request's Outcome
// learned when it ran, so that metrics and logs read the same for a hit.
type cachedAnswer struct {
	body       []byte
	media      string
	label      string
	name       string
	codes      []string
	complexity int
}

// size counts what an entry holds, near enough to bound memory: its body
// and a fixed allowance for the key, the strings and the list element.
func (a *cachedAnswer) size() int { return len(a.body) + 256 }

// newAnswerCache returns a cache of at most maxBytes; nil (no cache) when
// maxBytes is not positive.
func newAnswerCache(maxBytes int) *answerCache {
	if maxBytes <= 0 {
		return nil
	}
	c := &answerCache{maxBytes: maxBytes}
	// The entry count is bounded by the bytes; simplelru wants a count
	// too, so give it one it cannot reach first.
	entries, err := simplelru.NewLRU(maxBytes/256+1, func(_ string, a *cachedAnswer) {
		c.bytes -= a.size()
	})
	if err != nil {
		panic(err) // only for a size ≤ 0, excluded above
	}
	c.entries = entries
	return c
}

// get returns the answer stored under etag, if any. A nil cache has none.
func (c *answerCache) get(etag string) (*cachedAnswer, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.entries.Get(etag)
}

// put stores a under etag, evicting the least recently used answers until
// the budget holds. An answer larger than a sixteenth of the budget is
// not stored: one big answer must not flush many small ones.
func (c *answerCache) put(etag string, a *cachedAnswer) {
	if c == nil || a.size() > c.maxBytes/16 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries.Peek(etag); ok {
		return // a concurrent request stored the same answer first
	}
	c.entries.Add(etag, a)
	c.bytes += a.size()
	for c.bytes > c.maxBytes {
		if _, _, ok := c.entries.RemoveOldest(); !ok {
			break
		}
	}
}

// usage returns the entries and bytes held, for tests.
func (c *answerCache) usage() (entries, bytes int) {
	if c == nil {
		return 0, 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.entries.Len(), c.bytes
}
