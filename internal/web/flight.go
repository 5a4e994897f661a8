package web

import (
	"context"
	"sync"
)

// flights runs a piece of work once for all the callers that ask for the
// same key while it runs: the thundering herd of one search (everyone
// typing the same word after an earthquake) costs one search, not one per
// reader. Nothing is kept once the work is done, so a caller never gets a
// result older than the moment it asked, give or take the run it joined.
type flights[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]*flight[V]
}

type flight[V any] struct {
	done   chan struct{}
	v      V
	err    error
	joined int // callers waiting for this run (under flights.mu)
}

// do returns fn's result for k, from the run in flight if there is one.
// A caller whose ctx ends while it waits gets ctx's error; the run goes on
// for the others.
func (g *flights[K, V]) do(ctx context.Context, k K, fn func() (V, error)) (V, error) {
	g.mu.Lock()
	if f, ok := g.m[k]; ok {
		f.joined++
		g.mu.Unlock()
		select {
		case <-f.done:
			return f.v, f.err
		case <-ctx.Done():
			var zero V
			return zero, ctx.Err()
		}
	}
	f := &flight[V]{done: make(chan struct{})}
	if g.m == nil {
		g.m = map[K]*flight[V]{}
	}
	g.m[k] = f
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		delete(g.m, k)
		g.mu.Unlock()
		close(f.done)
	}()
	f.v, f.err = fn()
	return f.v, f.err
}
