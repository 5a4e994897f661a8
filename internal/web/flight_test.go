package web

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Callers asking for the same key while it runs share one run; a later
// caller, or another key, runs again; a caller that gives up does not stop
// the run for the others.
func TestFlightsShareOneRun(t *testing.T) {
	var g flights[string, int]
	var runs atomic.Int32
	release := make(chan struct{})
	work := func() (int, error) {
		runs.Add(1)
		<-release
		return 42, nil
	}
	var wg sync.WaitGroup
	got := make(chan int, 10)
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := g.do(context.Background(), "harga pasar", work)
			if err != nil {
				t.Error(err)
			}
			got <- v
		}()
	}
	for runs.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.do(ctx, "harga pasar", work); !errors.Is(err, context.Canceled) {
		t.Errorf("a caller that gave up: %v", err)
	}
	for joined := 0; joined < 10; { // nine callers and the one that gave up
		time.Sleep(time.Millisecond)
		g.mu.Lock()
		joined = g.m["harga pasar"].joined
		g.mu.Unlock()
	}
	close(release)
	wg.Wait()
	close(got)
	for v := range got {
		if v != 42 {
			t.Errorf("a caller got %d", v)
		}
	}
	if n := runs.Load(); n != 1 {
		t.Errorf("%d runs for one key at once, want 1", n)
	}
	if v, _ := g.do(context.Background(), "harga pasar", func() (int, error) { return 7, nil }); v != 7 {
		t.Errorf("a later call got %d from a finished run", v)
	}
	if v, _ := g.do(context.Background(), "banjir", func() (int, error) { return 8, nil }); v != 8 {
		t.Errorf("another key got %d", v)
	}
}
