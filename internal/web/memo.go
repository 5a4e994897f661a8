package web

import (
	"sync"
	"time"
)

// memo keeps values read from the store and derived from them (never
// rendered pages), bounded in number, until a change event drops them:
// the whole map or one key. Change events are the same ones that empty
// the page cache. A value read while a change came in may predate it, so
// put keeps it only if no change came in since get reported the
// generation.
type memo[K comparable, V any] struct {
	max int           // entries; when full it starts over
	ttl time.Duration // 0: until an event drops it

	// Read-locked on the hot path: with a plain mutex, 64 renders at once
	// on two cores queued behind it (a holder preempted mid-section
	// stalls all the rest), which put p99 above 150 ms.
	mu  sync.RWMutex
	m   map[K]memoEntry[V]
	gen uint64 // counts changes
}

type memoEntry[V any] struct {
	v  V
	at time.Time
}

// get returns the value kept for k, and the generation to hand to put
// when there is none.
func (c *memo[K, V]) get(k K, now time.Time) (v V, gen uint64, ok bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.m[k]
	if ok && c.ttl > 0 && (now.Sub(e.at) >= c.ttl || now.Before(e.at)) {
		ok = false
	}
	return e.v, c.gen, ok
}

func (c *memo[K, V]) put(k K, v V, gen uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if c.m == nil || len(c.m) >= c.max {
		c.m = make(map[K]memoEntry[V])
	}
	c.m[k] = memoEntry[V]{v: v, at: now}
}

// generation reports the count of changes, for a put of a value derived
// from what is read after this call.
func (c *memo[K, V]) generation() uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.gen
}

// forget drops k's value.
func (c *memo[K, V]) forget(k K) {
	c.mu.Lock()
	c.gen++
	delete(c.m, k)
	c.mu.Unlock()
}

// clear drops every value.
func (c *memo[K, V]) clear() {
	c.mu.Lock()
	c.gen++
	c.m = nil
	c.mu.Unlock()
}
