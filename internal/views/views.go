// Package views counts readers' views of articles and answers the
// most-read list. A view costs a map increment: counts wait in memory a
// few seconds, then one transaction per day stores them all, added to
// what every instance counted (the database sums them). Nothing about the
// reader is kept: no address, no cookie, only the article and the day.
package views

import (
	"context"
	"encoding/binary"
	"hash/maphash"
	"log/slog"
	"net/netip"
	"sync"
	"time"

	"warta/internal/store"
)

// FlushEvery is how long reads wait in memory before one write stores
// them all; a crash loses at most this much counting.
const FlushEvery = 5 * time.Second

// OncePer is how often one address counts a view of one article: a
// reader who reloads, or a script hammering a page to rig the most-read
// list, counts once an hour.
const OncePer = time.Hour

// maxSeen bounds the memory that remembers who was counted (some 40
// bytes an entry). When it is full of recent entries it starts afresh:
// an attacker must send this many distinct address–article pairs for
// each extra view.
const maxSeen = 500_000

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
	// seen: when each address–article pair (hashed) last counted.
	seen  map[uint64]time.Time
	swept time.Time

	popMu    sync.Mutex
	popAt    time.Time
	popSince time.Time
	pop      []store.PopularArticle
}

// New builds a counter on st.
func New(st Store, log *slog.Logger) *Counter {
	return &Counter{st: st, log: log, n: map[key]int64{}, seen: map[uint64]time.Time{}}
}

// Day is the calendar date of t in loc as midnight UTC, the key the
// counts are kept under.
func Day(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// seed keys the hash of address–article pairs (per process).
var seed = maphash.MakeSeed()

// Add counts one view of an article on day (see Day) by a reader at addr
// at now, unless that address counted one of this article within
// OncePer. It reports whether the view counted.
func (c *Counter) Add(article int64, day time.Time, addr netip.Addr, now time.Time) bool {
	var h maphash.Hash
	h.SetSeed(seed)
	b := addr.As16()
	h.Write(b[:])
	var a [8]byte
	binary.LittleEndian.PutUint64(a[:], uint64(article))
	h.Write(a[:])
	pair := h.Sum64()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done {
		return false
	}
	if last, ok := c.seen[pair]; ok && now.Sub(last) < OncePer && !now.Before(last) {
		return false
	}
	c.remember(pair, now)
	c.n[key{article, day}]++
	if c.timer == nil {
		c.timer = time.AfterFunc(FlushEvery, func() { c.Flush(context.Background()) })
	}
	return true
}

// remember notes that pair counted at now, forgetting pairs older than
// OncePer every so often, and everything when that is not enough.
func (c *Counter) remember(pair uint64, now time.Time) {
	if len(c.seen) >= maxSeen || now.Sub(c.swept) >= OncePer {
		for p, t := range c.seen {
			if now.Sub(t) >= OncePer || now.Before(t) {
				delete(c.seen, p)
			}
		}
		c.swept = now
		if len(c.seen) >= maxSeen {
			c.seen = map[uint64]time.Time{}
		}
	}
	c.seen[pair] = now
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
