// Package event carries "something readers can see has changed" from the
// domain operation that changed it to every listener (page cache, search
// index, other instances). Publish runs listeners synchronously, so when a
// change is acknowledged every cache has already dropped its stale pages.
package event

import (
	"context"
	"sync"
)

// Event is one of the change types below.
type Event interface{ isEvent() }

// ArticleChanged: an article was created, edited, published, unpublished,
// deleted, or its scheduled time came.
type ArticleChanged struct {
	ID         int64
	OldURL     string // path before the change ("" if it had none)
	NewURL     string // path after ("" when it is no longer public)
	Categories []string
	Tags       []string
	Author     string
	// NewCategory: the change created a category (menus and category
	// lists change too).
	NewCategory bool
	// PageOnly: a public article stayed public at the same address and
	// nothing other pages show of it changed (its card: title, excerpt,
	// picture, date, dateline, categories, tags, author, labels): only
	// its own page, the feeds that carry its text, the sitemaps and
	// search results show the change. A typo fixed in the body of a story
	// with a written excerpt is the common case.
	PageOnly bool `json:",omitempty"`
}

// CommentChanged: a comment of an article was added, approved or removed.
type CommentChanged struct {
	ArticleID int64
	URL       string
}

// CorrectionChanged: a correction or reply was published on an article.
// It changes that article's page and feeds, the page of the article it
// links to (LinkedURL), and the corrections page and feeds; no listing.
type CorrectionChanged struct {
	ArticleID int64
	URL       string // the corrected article's path ("" when not public)
	LinkedURL string `json:",omitempty"` // the linked article's path, when there is one
}

// SettingsChanged: site settings or the theme changed; every page may differ.
type SettingsChanged struct{}

// TaxonomyChanged: categories or tags changed.
type TaxonomyChanged struct{}

// PageChanged: a static page changed. OldSlug is its slug before, when
// the change moved it.
type PageChanged struct {
	Slug    string
	OldSlug string `json:",omitempty"`
}

// MediaChanged: a media item changed. New marks an upload: no page
// shows it yet.
type MediaChanged struct {
	Path string
	New  bool `json:",omitempty"`
}

// AuthorChanged: an account's public face changed (its name or bio, shown
// in bylines and on its author page, or whether it is active).
type AuthorChanged struct{ ID int64 }

func (ArticleChanged) isEvent()    {}
func (CommentChanged) isEvent()    {}
func (CorrectionChanged) isEvent() {}
func (SettingsChanged) isEvent()   {}
func (TaxonomyChanged) isEvent()   {}
func (PageChanged) isEvent()       {}
func (MediaChanged) isEvent()      {}
func (AuthorChanged) isEvent()     {}

// Bus delivers events to listeners in the order they subscribed.
type Bus struct {
	mu        sync.RWMutex
	listeners []func(context.Context, Event)
}

// Subscribe adds a listener. Listeners must be quick and must not publish.
func (b *Bus) Subscribe(fn func(context.Context, Event)) {
	b.mu.Lock()
	b.listeners = append(b.listeners, fn)
	b.mu.Unlock()
}

// Publish hands e to every listener before returning. A nil Bus drops it.
func (b *Bus) Publish(ctx context.Context, e Event) {
	if b == nil {
		return
	}
	b.mu.RLock()
	ls := b.listeners
	b.mu.RUnlock()
	for _, fn := range ls {
		fn(ctx, e)
	}
}

type remoteKey struct{}

// WithRemote marks ctx as carrying an event that came from another
// instance, so forwarders do not send it back out.
func WithRemote(ctx context.Context) context.Context {
	return context.WithValue(ctx, remoteKey{}, true)
}

// IsRemote reports whether the event being delivered came from another instance.
func IsRemote(ctx context.Context) bool { v, _ := ctx.Value(remoteKey{}).(bool); return v }

// RedirectChanged: a redirect from an old address was added, changed or
// removed.
type RedirectChanged struct{ From string }

func (RedirectChanged) isEvent() {}

// SearchVariantsChanged: editors added or removed a group of search
// variants.
type SearchVariantsChanged struct{}

func (SearchVariantsChanged) isEvent() {}
