package app

import (
	"context"
	"strings"
	"time"

	"warta/internal/cache"
	"warta/internal/event"
	"warta/internal/httpx"
)

// newPageCache builds the cache for anonymous readers and subscribes it to
// change events, so every page that shows a change is dropped before the
// change is acknowledged (the bus delivers synchronously).
func (a *App) newPageCache() *cache.Cache {
	if a.Cfg.PageCacheMB == 0 {
		return nil
	}
	c := cache.New(cache.Options{
		MaxBytes: int64(a.Cfg.PageCacheMB) << 20,
		// Below the comment form's 24-hour token life, and short enough
		// that "Terpopuler" lists follow the readers.
		MaxAge:       10 * time.Minute,
		SMaxAge:      60 * time.Second,
		Now:          a.Now,
		ServerHeader: httpx.SecurityHeaders,
		Bypass:       personal,
		Params:       pageParams,
		HTTPS:        httpx.IsHTTPS,
		OnPurge: func(paths []string) {
			a.Log.Debug("page cache purged", "paths", strings.Join(paths, " "))
		},
	})
	a.Events.Subscribe(func(ctx context.Context, e event.Event) {
		paths := invalidate(c, e)
		// The CDN hears of a change once: from the instance it was made on.
		if a.purgeHook != nil && len(paths) > 0 && !event.IsRemote(ctx) {
			a.purgeHook.add(paths)
		}
	})
	return c
}

// invalidate maps a change to the cached pages that show it. A change no
// reader can see drops nothing: an article that was not public and still
// is not (a draft saved or autosaved, a scheduled one edited), a media
// upload no page uses yet. An article appears on many pages (home, its
// categories, tags, author, archives, feeds, sitemaps, search results,
// other articles' related lists), so a public change to one drops every
// page; a comment only changes its article's page and the comment feeds.
// It returns what it dropped: paths, a prefix ending in "*", "*" for
// everything, or nothing.
func invalidate(c *cache.Cache, e event.Event) []string {
	switch e := e.(type) {
	case event.ArticleChanged:
		if e.OldURL == "" && e.NewURL == "" && !e.NewCategory {
			return nil
		}
		if e.PageOnly && e.NewURL != "" {
			return articleOnly(c, e)
		}
		c.Purge()
		return []string{"*"}
	case event.MediaChanged:
		if e.New {
			return nil
		}
		c.Purge()
		return []string{"*"}
	case event.CommentChanged:
		if e.URL == "" {
			// Without the article's path, be safe rather than stale.
			c.Purge()
			return []string{"*"}
		}
		paths := articlePaths(e.URL)
		c.Invalidate(paths...)
		c.InvalidatePrefix("/komentar/")
		return append(paths, "/komentar/*")
	case event.CorrectionChanged:
		if e.URL == "" {
			c.Purge()
			return []string{"*"}
		}
		paths := articlePaths(e.URL)
		if e.LinkedURL != "" {
			paths = append(paths, e.LinkedURL)
		}
		paths = append(paths, "/ralat", "/ralat/feed.xml", "/ralat/atom.xml", "/ralat/feed.json")
		c.Invalidate(paths...)
		return paths
	default:
		c.Purge()
		return []string{"*"}
	}
}

// articleOnly drops what shows a public article's own text when nothing
// other pages show of it changed (event.ArticleChanged.PageOnly): its
// page and comment feeds, the site's feeds and those of its categories,
// tags and author (they carry its text), the sitemaps (their dates) and
// search results (their snippets). Lists and other articles stay cached.
func articleOnly(c *cache.Cache, e event.ArticleChanged) []string {
	paths := articlePaths(e.NewURL)
	feeds := []string{""}
	for _, s := range e.Categories {
		feeds = append(feeds, "/kategori/"+s)
	}
	for _, s := range e.Tags {
		feeds = append(feeds, "/tag/"+s)
	}
	if e.Author != "" {
		feeds = append(feeds, "/penulis/"+e.Author)
	}
	for _, f := range feeds {
		paths = append(paths, f+"/feed.xml", f+"/atom.xml", f+"/feed.json")
	}
	c.Invalidate(paths...)
	c.InvalidatePrefix("/sitemap")
	c.InvalidatePrefix("/cari")
	return append(paths, "/sitemap*", "/cari*")
}

// articlePaths are an article's page and its feeds.
func articlePaths(url string) []string {
	return []string{url, url + "/feed.xml", url + "/atom.xml", url + "/feed.json"}
}
