package app

import (
	"context"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"time"

	"warta/internal/cache"
	"warta/internal/front"
	"warta/internal/web"
)

// Front wraps srv (whose handler is a.Handler()) in the front server: page
// cache hits are written straight from memory, other readers' pages are
// rendered on the same connection, everything else goes to srv.
func (a *App) Front(srv *http.Server) *front.Server {
	return &front.Server{
		HTTP:      srv,
		Fast:      a.fast,
		RequestID: web.AppendRequestID,
		Served:    a.served,
		Log:       a.Log,
		// As many renders at once as there are cores to run them (twice
		// that on PostgreSQL, where a render also waits on the network);
		// searches wait for their own slots instead.
		InlineSlots: a.renderSlots(),
		Queued:      func(r *front.Request) bool { return r.Path != "/cari" },
		// Pages are rendered on the front connection; files that may be
		// large (theme files, sitemaps) go to net/http when not cached.
		Inline: func(r *front.Request) bool {
			return readersPage(r.Path) && !strings.HasPrefix(r.Path, "/static/") && !strings.HasPrefix(r.Path, "/sitemap")
		},
	}
}

func (a *App) renderSlots() int {
	n := runtime.GOMAXPROCS(0)
	if a.Cfg.DatabaseURL != "" {
		n *= 2
	}
	return n
}

// readersPage reports whether a path belongs to the public site (pages,
// feeds, sitemaps, theme files), the part the page cache serves, rather
// than the API, the newsroom or media downloads.
func readersPage(p string) bool {
	return !strings.HasPrefix(p, "/api/") && !strings.HasPrefix(p, "/media/") && !strings.HasPrefix(p, "/admin/") && p != "/admin"
}

// fast answers what the page cache middleware would answer from memory,
// under the same rules: readers' pages only, no newsroom session, no
// pending-comment key.
func (a *App) fast(r *front.Request) (front.Response, bool) {
	if a.PageCache == nil {
		return front.Response{}, false
	}
	p := r.Path
	if !readersPage(p) || strings.Contains(r.Cookie, "warta_session=") || strings.Contains(r.RawQuery, "kunci") {
		return front.Response{}, false
	}
	hit, ok := a.PageCache.Serve(&cache.Request{Host: r.Host, Path: p, RawQuery: r.RawQuery, Head: r.Head,
		AcceptEncoding: r.AcceptEncoding, IfNoneMatch: r.IfNoneMatch, IfModifiedSince: r.IfModifiedSince})
	if !ok {
		return front.Response{}, false
	}
	return front.Response{Status: hit.Status, Head: hit.Head, Body: hit.Body}, true
}

// served does for a fast response what the view counter and the access
// log do for the others.
func (a *App) served(r *front.Request, status, size int, id []byte, start time.Time) {
	if !r.Head && a.Site.CountsViews(r.Path) {
		var xff []string
		if r.XForwardedFor != "" {
			xff = []string{r.XForwardedFor}
		}
		a.Site.NoteView(r.Path, web.ClientAddr(r.Peer, xff, a.Cfg.Trusted),
			web.ReaderAgent(r.UserAgent, r.SecPurpose+r.Purpose+r.XMoz))
	}
	if a.Log.Enabled(context.Background(), slog.LevelInfo) {
		method := "GET"
		if r.Head {
			method = "HEAD"
		}
		a.Log.Info("request", "request_id", string(id), "method", method, "path", strings.Clone(r.Path),
			"status", status, "bytes", size, "duration_ms", float64(time.Since(start).Microseconds())/1000)
	}
}
