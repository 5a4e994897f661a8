package web

import (
	"sync"
	"time"
	"warta/internal/event"
)

// memo keeps values read from the store and derived from them, bounded
// in number, until a change event drops them: the whole map or one key,
// as the memo's drop rule says. Change events are the same ones that empty
// the page cache. A value read while a change came in may predate it, so
// put keeps it only if no change came in since get reported the
// generation.
type memo[K comparable, V any] struct {
	max   int           // entries; when full it starts over
	ttl   time.Duration // 0: until an event drops it
	drops dropRule[K]   // what each change makes stale; nil: everything, always

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

// changed drops what the change e makes stale, by the memo's rule.
func (c *memo[K, V]) changed(e event.Event) {
	if c.drops == nil {
		c.clear()
		return
	}
	switch k, sc := c.drops(e); sc {
	case dropOne:
		c.forget(k)
	case dropAll:
		c.clear()
	}
}

// dropScope is how much of a memo a change makes stale.
type dropScope int

const (
	dropNone dropScope = iota
	dropOne            // the entry of one key
	dropAll
)

// dropRule says, for the memos of one kind, what a change makes stale.
type dropRule[K comparable] func(e event.Event) (K, dropScope)

// The site's drop rules, from the narrowest to the widest. Each memo of
// Site names its own in New.

// siteWide reports a change every page may show: the settings, the
// menus (categories, static pages, a category an article made), the
// names of authors and terms.
func siteWide(e event.Event) bool {
	switch e := e.(type) {
	case event.SettingsChanged, event.TaxonomyChanged, event.PageChanged, event.AuthorChanged:
		return true
	case event.ArticleChanged:
		return e.NewCategory
	}
	return false
}

// byArticle keeps what belongs to one article (its comments): that
// article's entry goes when it or its comments change, everything on a
// site-wide change.
func byArticle(e event.Event) (int64, dropScope) {
	switch e := e.(type) {
	case event.ArticleChanged:
		if e.NewCategory {
			return 0, dropAll
		}
		return e.ID, dropOne
	case event.CommentChanged:
		return e.ArticleID, dropOne
	}
	if siteWide(e) {
		return 0, dropAll
	}
	return 0, dropNone
}

// onArticles keeps what lists or counts articles (listings, related
// lists, counts): any article's change, or a site-wide one, drops it all.
func onArticles[K comparable](e event.Event) (k K, _ dropScope) {
	if _, ok := e.(event.ArticleChanged); ok || siteWide(e) {
		return k, dropAll
	}
	return k, dropNone
}

// onPictures keeps what shows articles' pictures (cards, figures):
// onArticles, and any change of a media item.
func onPictures[K comparable](e event.Event) (k K, sc dropScope) {
	if _, ok := e.(event.MediaChanged); ok {
		return k, dropAll
	}
	return onArticles[K](e)
}

// onAnyChange keeps what any change may alter (an article as its page
// shows it: its text, its categories' and author's names, its comment
// count).
func onAnyChange[K comparable](event.Event) (k K, _ dropScope) { return k, dropAll }
