// Package views counts readers' views of articles and answers the
// most-read list. A view costs a map increment: counts wait in memory a
// few seconds, then one transaction per day stores them all, added to
// what every instance counted (the database sums them). Nothing about the
// reader is kept: no address, no cookie, only the article and the day.
package views

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"warta/internal/store"
)

// FlushEvery is how long reads wait in memory before one write stores
// them all; a crash loses at most this much counting.
const FlushEvery = 5 * time.Second

// popularTTL is how long the most-read list is reused: it sums a week of
// rows, and every article page shows it.
const popularTTL = time.Minute

// Store is what counting needs from storage.
type Store interface {
	store.Transactor
	PopularArticles(ctx context.Context, since, now time.Time, limit int) ([]store.PopularArticle, error)
}

type key struct {
	article int64
	day     time.Time
}

// Counter buffers views and keeps the most-read list.
type Counter struct {
	st  Store
	log *slog.Logger

	mu    sync.Mutex
	n     map[key]int64
	timer *time.Timer
	done  bool

	popMu    sync.Mutex
	popAt    time.Time
	popSince time.Time
	pop      []store.PopularArticle
}

// New builds a counter on st.
func New(st Store, log *slog.Logger) *Counter {
	return &Counter{st: st, log: log, n: map[key]int64{}}
}

// Day is the calendar date of t in loc as midnight UTC, the key the
// counts are kept under.
func Day(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Add counts one view of an article on day (see Day).
func (c *Counter) Add(article int64, day time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done {
		return
	}
	c.n[key{article, day}]++
	if c.timer == nil {
		c.timer = time.AfterFunc(FlushEvery, func() { c.Flush(context.Background()) })
	}
}

// Popular returns the articles public at now with the most views from
// day since on, reusing the list for a minute.
func (c *Counter) Popular(ctx context.Context, since, now time.Time, limit int) ([]store.PopularArticle, error) {
	c.popMu.Lock()
	if !c.popAt.IsZero() && c.popSince.Equal(since) && now.Sub(c.popAt) < popularTTL && !now.Before(c.popAt) {
		list := c.pop
		c.popMu.Unlock()
		return list, nil
	}
	c.popMu.Unlock()
	list, err := c.st.PopularArticles(ctx, since, now, limit)
	if err != nil {
		return nil, err
	}
	c.popMu.Lock()
	c.popAt, c.popSince, c.pop = now, since, list
	c.popMu.Unlock()
	return list, nil
}

// Flush stores the buffered counts now, one transaction per day. Counts
// that fail to save go back into the buffer for the next attempt.
func (c *Counter) Flush(ctx context.Context) error {
	c.mu.Lock()
	pending := c.n
	c.n = map[key]int64{}
	if c.timer != nil {
		c.timer.Stop()
		c.timer = nil
	}
	c.mu.Unlock()
	if len(pending) == 0 {
		return nil
	}
	byDay := map[time.Time]map[int64]int64{}
	for k, n := range pending {
		if byDay[k.day] == nil {
			byDay[k.day] = map[int64]int64{}
		}
		byDay[k.day][k.article] += n
	}
	c.popMu.Lock()
	c.popAt = time.Time{}
	c.popMu.Unlock()
	var firstErr error
	for d, counts := range byDay {
		err := c.st.InTx(ctx, func(tx store.Tx) error { return tx.RecordViews(ctx, d, counts) })
		if err == nil {
			continue
		}
		c.log.Error("saving view counts failed", "day", d.Format(time.DateOnly), "err", err)
		if firstErr == nil {
			firstErr = err
		}
		c.mu.Lock()
		for id, n := range counts {
			c.n[key{id, d}] += n
		}
		if c.timer == nil && !c.done {
			c.timer = time.AfterFunc(FlushEvery, func() { c.Flush(context.Background()) })
		}
		c.mu.Unlock()
	}
	return firstErr
}

// Close stops counting and stores what is buffered. Call it before the
// store closes.
func (c *Counter) Close(ctx context.Context) error {
	c.mu.Lock()
	c.done = true
	c.mu.Unlock()
	return c.Flush(ctx)
}
