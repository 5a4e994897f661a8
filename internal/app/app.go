// Package app wires Warta's parts together: the store, the domain
// services, the public site, the API and the background jobs. The serve
// command and the black-box tests both start Warta through it.
package app

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"warta/internal/admin"
	"warta/internal/api"
	"warta/internal/article"
	"warta/internal/backup"
	"warta/internal/cache"
	"warta/internal/clock"
	"warta/internal/cluster"
	"warta/internal/comment"
	"warta/internal/config"
	"warta/internal/correction"
	"warta/internal/event"
	"warta/internal/httpx"
	"warta/internal/locale"
	"warta/internal/mail"
	"warta/internal/media"
	"warta/internal/page"
	"warta/internal/preview"
	"warta/internal/redirect"
	"warta/internal/render"
	"warta/internal/revision"
	"warta/internal/searchvariant"
	"warta/internal/settings"
	"warta/internal/store/sqlstore"
	"warta/internal/taxonomy"
	"warta/internal/user"
	"warta/internal/views"
	"warta/internal/web"
)

// App is a running Warta minus its listener.
type App struct {
	Cfg       *config.Config
	Log       *slog.Logger
	Store     *sqlstore.Store
	Events    *event.Bus
	Locales   *locale.Bundle
	Articles  *article.Service
	Comments  *comment.Service
	Pages     *page.Service
	Taxonomy  *taxonomy.Service
	Settings  *settings.Service
	Users     *user.Service
	Views     *views.Counter
	Media     media.Storage
	Library   *media.Library
	Revisions *revision.Service
	// Corrections publishes corrections and right-of-reply records.
	Corrections *correction.Service
	Redirects   *redirect.Service
	// Backups takes the scheduled backups the settings ask for.
	Backups *backup.Service
	// Previews makes and opens signed preview links of unpublished stories.
	Previews *preview.Service
	// SearchVariants are the synonyms editors add to search.
	SearchVariants *searchvariant.Service
	// Mail queues mail; MailWorker (nil without --smtp) sends it.
	Mail       *mail.Service
	MailWorker *mail.Worker
	Site       *web.Site
	API        *api.API
	Admin      *admin.Admin
	Now        func() time.Time
	PageCache  *cache.Cache     // nil when turned off
	Cluster    *cluster.Cluster // nil on SQLite
	handler    http.Handler
	purgeHook  *purgeHook  // nil without --purge-url
	ops        *opsMetrics // /metrics (ops.go)
}

// Options are what tests may change.
type Options struct {
	Notifier comment.Notifier
	// Now is the program's clock (clock.Wall when nil): the store and
	// every service read the time from it and nothing else.
	Now func() time.Time
	// DBDeadline bounds how long a request waits on the database
	// (DefaultDBDeadline when 0).
	DBDeadline time.Duration
}

// How long a request may wait on the database before it is answered 503:
// well inside the server's 60 s write timeout, so a hung database never
// leaves a client without an answer. Uploads get longer, since their
// images are processed inside the request.
const (
	DefaultDBDeadline = 10 * time.Second
	UploadDBDeadline  = 45 * time.Second
)

// Open opens the store (creating and migrating it) and builds every part.
func Open(ctx context.Context, cfg *config.Config, log *slog.Logger, opt Options) (*App, error) {
	if opt.Now == nil {
		opt.Now = clock.Wall
	}
	st, err := sqlstore.Open(ctx, cfg.DataDir, cfg.DatabaseURL, opt.Now)
	if err != nil {
		return nil, err
	}
	a, err := New(ctx, cfg, log, st, opt)
	if err != nil {
		st.Close()
		return nil, err
	}
	return a, nil
}

// New builds Warta on an open store. With opt.Now set, the store is used
// through a handle on that clock, so there is one clock for everything;
// otherwise everything uses the store's.
func New(ctx context.Context, cfg *config.Config, log *slog.Logger, st *sqlstore.Store, opt Options) (*App, error) {
	now := opt.Now
	if now == nil {
		now = st.Now
	} else {
		st = st.WithClock(now)
	}
	a := &App{Cfg: cfg, Log: log, Store: st, Events: &event.Bus{}, Now: now}
	var err error
	if a.Locales, err = locale.Load(); err != nil {
		return nil, err
	}
	if cfg.ThemeDir != "" {
		// A theme may reword any text: <theme>/translations/<lang>.json.
		tr := filepath.Join(cfg.ThemeDir, "translations")
		if _, err := os.Stat(tr); err == nil {
			if a.Locales, err = a.Locales.Overlay(os.DirFS(tr)); err != nil {
				return nil, fmt.Errorf("theme translations: %w", err)
			}
		}
	}
	secret, err := siteSecret(ctx, st)
	if err != nil {
		return nil, err
	}
	if cfg.DatabaseURL != "" {
		// Several instances may share this database: tell them every change.
		a.Cluster = cluster.New(cfg.DatabaseURL, a.Events, st.Notify, log)
	}
	if cfg.SMTPURL != "" {
		sender, err := mail.NewSMTP(cfg.SMTPURL, cfg.MailFrom, now)
		if err != nil {
			return nil, fmt.Errorf("--smtp: %w", err)
		}
		a.MailWorker = mail.NewWorker(st, sender, now, log)
		a.Mail = mail.New(st, a.Locales, now, true, a.MailWorker.Wake)
	} else {
		a.Mail = mail.New(st, a.Locales, now, false, nil)
	}
	md := render.New()
	a.Articles = article.New(st, md, a.Events, now)
	a.Pages = page.New(st, md, a.Events, now)
	a.Corrections = correction.New(st, md, a.Events, now)
	a.Taxonomy = taxonomy.New(st, a.Events)
	a.Settings = settings.New(st, a.Events, a.Locales.Langs())
	a.Users = user.New(st, a.Events, now, a.Locales.Langs())
	a.Users.SetMailer(a.Mail)
	a.Comments, err = comment.NewService(ctx, comment.Options{Store: st, Events: a.Events, Notifier: opt.Notifier, Mail: a.Mail, BaseURL: cfg.BaseURL, Log: log, Now: now, Secret: secret})
	if err != nil {
		return nil, err
	}
	if cfg.MediaStore == "db" {
		a.Media = st.MediaStorage()
	} else {
		a.Media = media.Dir{Root: filepath.Join(cfg.DataDir, "media")}
	}
	a.Views = views.New(st, log)
	a.Redirects = redirect.New(st, a.Events, now)
	a.Backups = backup.New(backup.Options{Store: st, Now: now, DataDir: cfg.DataDir, DatabaseURL: cfg.DatabaseURL, Log: log})
	a.SearchVariants = searchvariant.New(st, a.Events)
	a.Previews = preview.New(st, secret, now)
	a.Site, err = web.New(web.Options{Store: st, Articles: a.Articles, Comments: a.Comments, Views: a.Views, Locales: a.Locales, Events: a.Events,
		Log: log, ThemeDir: cfg.ThemeDir, BaseURL: cfg.BaseURL, Now: now,
		Redirect: a.Redirects.Resolve, Previews: a.Previews})
	if err != nil {
		return nil, err
	}
	a.API = api.New(api.Options{Store: st, Articles: a.Articles, Comments: a.Comments, Corrections: a.Corrections, Settings: a.Settings, Locales: a.Locales, Log: log,
		BaseURL: a.BaseURL})
	a.Library = &media.Library{Store: st, Storage: a.Media, MaxBytes: int64(cfg.MediaMaxMB) << 20, Events: a.Events, Now: now}
	a.Revisions = revision.New(st, a.Articles)
	if a.Admin, err = admin.New(admin.Options{Store: st, Articles: a.Articles, Comments: a.Comments, Pages: a.Pages,
		Taxonomy: a.Taxonomy, Settings: a.Settings, SearchVariants: a.SearchVariants, Users: a.Users, Locales: a.Locales,
		Log: log, Now: now, Trusted: cfg.Trusted, Library: a.Library, Revisions: a.Revisions, Redirects: a.Redirects, Secret: secret,
		BaseURL: cfg.BaseURL, Mail: a.Mail, MailFrom: cfg.MailFrom, Previews: a.Previews}); err != nil {
		return nil, err
	}
	site, apiH, mediaH, adminH := a.Site.Handler(), a.API.Handler(), media.Handler(a.Media), a.Admin.Handler()
	// Readers' pages go through the page cache (when on); the view counter
	// sits in front of it so cached pages count as read.
	var siteH http.Handler = site
	if cfg.PurgeURL != "" {
		a.purgeHook = newPurgeHook(cfg.PurgeURL, log)
	}
	if pc := a.newPageCache(); pc != nil {
		a.PageCache = pc
		siteH = pc.Middleware(httpx.WithHSTS(siteH))
	}
	siteH = a.Site.CountViews(siteH)
	a.ops = a.newOpsMetrics()
	opsH := a.opsHandler(fromThisMachine)
	// The body limit is set here rather than in the middleware because
	// media uploads need far more than a form: the newsroom sets their
	// limit itself.
	dbDeadline := cmp.Or(opt.DBDeadline, DefaultDBDeadline)
	mw := &httpx.Middleware{Log: log, Trusted: cfg.Trusted, Deadline: func(r *http.Request) time.Duration {
		if a.Admin.UploadLimit(r) != 0 {
			return max(dbDeadline, UploadDBDeadline)
		}
		return dbDeadline
	}}
	a.handler = mw.Wrap(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		where := areaOf(r.URL.Path)
		w := &statusRecorder{ResponseWriter: rw}
		defer func() { a.ops.observe(where, w.status, time.Since(start)) }()
		if r.Body != nil && a.Admin.UploadLimit(r) == 0 {
			r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		}
		switch where {
		case areaOps:
			opsH.ServeHTTP(w, r)
		case areaAPI:
			apiH.ServeHTTP(w, r)
		case areaMedia:
			mediaH.ServeHTTP(w, r)
		case areaAdmin:
			adminH.ServeHTTP(w, r)
		default:
			siteH.ServeHTTP(w, r)
		}
	}))
	return a, nil
}

// siteSecret is the key that signs comment forms and links; it lives in
// the database so every instance shares it.
func siteSecret(ctx context.Context, st *sqlstore.Store) ([]byte, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	v, err := st.PutKVIfAbsent(ctx, "site_secret", hex.EncodeToString(b))
	if err != nil {
		return nil, err
	}
	return hex.DecodeString(v)
}

// BaseURL is the site's absolute URL: the setting, the flag, or the request.
func (a *App) BaseURL(r *http.Request) string {
	if st, err := a.Store.Settings(r.Context()); err == nil && st.BaseURL != "" {
		return strings.TrimRight(st.BaseURL, "/")
	}
	if a.Cfg.BaseURL != "" {
		return a.Cfg.BaseURL
	}
	return httpx.RequestBaseURL(r)
}

// Handler is the whole site: pages, API and media.
func (a *App) Handler() http.Handler { return a.handler }

// Close writes what the site still buffers (page views), then closes the store.
func (a *App) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := a.Views.Close(ctx)
	if a.purgeHook != nil {
		a.purgeHook.flush(ctx)
	}
	return errors.Join(err, a.Store.Close())
}

// RunBackground runs the scheduler (publishing due articles) and the
// daily purge of commenters' addresses until ctx ends.
func (a *App) RunBackground(ctx context.Context) {
	if a.Cluster != nil {
		go a.Cluster.Run(ctx, nil)
	}
	if a.MailWorker != nil {
		go a.MailWorker.Run(ctx)
	}
	purge := time.NewTicker(6 * time.Hour)
	defer purge.Stop()
	a.purge(ctx)
	// A backup in progress finishes (or records its failure) before this
	// returns, so the store is not closed under it.
	var backups sync.WaitGroup
	defer backups.Wait()
	for {
		wait := 30 * time.Second
		if next, err := a.Store.NextScheduled(ctx); err == nil && !next.IsZero() {
			wait = min(wait, max(next.Sub(a.Now()), 0)+50*time.Millisecond)
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-purge.C:
			timer.Stop()
			a.purge(ctx)
		case <-timer.C:
			backups.Go(func() { a.backupDue(ctx) })
			if n, err := a.Articles.PublishDue(ctx); err != nil {
				a.Log.Error("scheduled publishing failed", "err", err)
			} else if n > 0 {
				a.Log.Info("scheduled articles published", "count", n)
			}
		}
	}
}

// backupDue takes the scheduled backup if it is due and no instance took
// it yet (it runs beside publishing, which must not wait for it).
func (a *App) backupDue(ctx context.Context) {
	run, err := a.Backups.RunDue(ctx)
	switch {
	case err != nil:
		a.Log.Error("scheduled backup failed", "err", err)
	case run != nil:
		a.Log.Info("scheduled backup written", "file", run.File, "bytes", run.Bytes)
	}
}

func (a *App) purge(ctx context.Context) {
	if n, err := a.Mail.PurgeOld(ctx); err != nil {
		a.Log.Error("purging old mail failed", "err", err)
	} else if n > 0 {
		a.Log.Info("old mail purged", "count", n)
	}
	if n, err := a.Comments.PurgeOld(ctx); err != nil {
		a.Log.Error("purging commenter addresses failed", "err", err)
	} else if n > 0 {
		a.Log.Info("commenter addresses purged", "count", n)
	}
}
