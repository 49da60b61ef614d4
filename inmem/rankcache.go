package inmem

import (
	"container/list"
	"slices"
	"strconv"
	"strings"
	"sync"

	"learngraph"
)

// The next-up ranking depends only on the snapshot, the set of known
// concepts, first and the path, and a widget asks the same question over
// and over: a snapshot keeps the rankings it computed for recent
// questions. The cache lives and dies with its snapshot, so a reload never
// serves an old answer.
const (
	// rankCacheSize bounds the questions kept per snapshot.
	rankCacheSize = 256
	// rankKeyMax bounds one question's key; larger known sets (hundreds
	// of concepts) are ranked afresh rather than held in memory.
	rankKeyMax = 4096
)

// rankCache is a small LRU of next-up rankings, safe for concurrent use.
type rankCache struct {
	mu      sync.Mutex
	entries map[string]*list.Element
	order   list.List // front: most recently used; values are *rankEntry
}

type rankEntry struct {
	key  string
	recs []learngraph.Recommendation
}

// rankKey identifies a next-up question by what its answer depends on:
// the known concept ids as a set (RankNextUp does not depend on their
// order or repeats), first and the path's id. It returns false when the
// key would be over rankKeyMax.
func rankKey(knownIDs []string, first int, path string) (string, bool) {
	ids := slices.Clone(knownIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	var b strings.Builder
	b.WriteString(strconv.Itoa(first))
	b.WriteByte(0)
	b.WriteString(path)
	for _, id := range ids {
		b.WriteByte(0)
		b.WriteString(id)
		if b.Len() > rankKeyMax {
			return "", false
		}
	}
	return b.String(), true
}

// get returns a copy of the ranking kept for key, if any. The
// recommendations themselves are shared: nobody writes to them.
func (c *rankCache) get(key string) ([]learngraph.Recommendation, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return slices.Clone(e.Value.(*rankEntry).recs), true
}

// put keeps recs for key, dropping the least recently used ranking when
// the cache is full.
func (c *rankCache) put(key string, recs []learngraph.Recommendation) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]*list.Element{}
	}
	if e, ok := c.entries[key]; ok {
		c.order.MoveToFront(e)
		return
	}
	c.entries[key] = c.order.PushFront(&rankEntry{key: key, recs: slices.Clone(recs)})
	if c.order.Len() > rankCacheSize {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.entries, last.Value.(*rankEntry).key)
	}
}
