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
	"warta/internal/httpx"
	"warta/internal/web"
)

// Front wraps srv (whose handler is a.Handler()) in the front server: page
// cache hits are written straight from memory, other readers' pages are
// rendered on the same connection, everything else goes to srv.
func (a *App) Front(srv *http.Server) *front.Server {
	f := &front.Server{
		HTTP:      srv,
		Fast:      a.fast,
		RequestID: httpx.AppendRequestID,
		Served:    a.served,
		Log:       a.Log,
		// As many renders at once as there are cores to run them (twice
		// that on PostgreSQL, where a render also waits on the network);
		// searches wait for their own slots instead.
		InlineSlots: a.renderSlots(),
		Queued:      func(r *front.Request) bool { return r.Path != "/cari" },
		// Pages are rendered on the front connection; files that may be
		// large (theme files, sitemaps) go to net/http when not cached.
		Inline: func(r *front.Request) bool { return rendersInline(r.Path) },
	}
	a.ops.front.Store(f)
	return f
}

func (a *App) renderSlots() int {
	n := runtime.GOMAXPROCS(0)
	if a.Cfg.DatabaseURL != "" {
		n *= 2
	}
	return n
}

// fast answers what the page cache middleware would answer from memory:
// the same route (areaOf) and the same bypass rules (applied by Serve).
func (a *App) fast(r *front.Request) (front.Response, bool) {
	if a.PageCache == nil || areaOf(r.Path) != areaSite {
		return front.Response{}, false
	}
	hit, ok := a.PageCache.Serve(&cache.Request{Host: r.Host, Path: r.Path, RawQuery: r.RawQuery, Head: r.Head,
		AcceptEncoding: r.AcceptEncoding, IfNoneMatch: r.IfNoneMatch, IfModifiedSince: r.IfModifiedSince,
		Cookie: r.Cookie, Authorization: r.Authorization, HTTPS: r.TLS || httpx.ForwardedHTTPS(r.Peer, r.XForwardedProto, a.Cfg.Trusted)})
	if !ok {
		return front.Response{}, false
	}
	return front.Response{Status: hit.Status, Head: hit.Head, Body: hit.Body}, true
}

// served does for a fast response what the view counter and the access
// log do for the others.
func (a *App) served(r *front.Request, status, size int, id []byte, start time.Time) {
	a.ops.observe(areaSite, status, time.Since(start))
	if !r.Head && a.Site.CountsViews(r.Path) {
		var xff []string
		if r.XForwardedFor != "" {
			xff = []string{r.XForwardedFor}
		}
		a.Site.NoteView(r.Path, httpx.ClientAddr(r.Peer, xff, a.Cfg.Trusted),
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
