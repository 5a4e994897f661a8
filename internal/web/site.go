// Package web serves the public news site: server-rendered pages that read
// without JavaScript, in the site's language.
package web

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"warta/internal/article"
	"warta/internal/assets"
	"warta/internal/comment"
	"warta/internal/event"
	"warta/internal/httpx"
	"warta/internal/locale"
	"warta/internal/model"
	"warta/internal/preview"
	"warta/internal/search"
	"warta/internal/store"
	"warta/internal/theme"
	"warta/internal/views"
)

// Store is what the public site reads. It writes nothing itself: a
// reader's comment goes through the comment service, a view through the
// view counter.
type Store interface {
	ArticleBySlug(ctx context.Context, slug string) (*model.Article, error)
	ListArticles(ctx context.Context, q store.ArticleQuery) ([]*model.Article, error)
	CountArticles(ctx context.Context, q store.ArticleQuery) (int, error)
	Categories(ctx context.Context) ([]model.Category, error)
	CategoryBySlug(ctx context.Context, slug string) (*model.Category, error)
	Tags(ctx context.Context) ([]model.Tag, error)
	TagBySlug(ctx context.Context, slug string) (*model.Tag, error)
	UserBySlug(ctx context.Context, slug string) (*model.User, error)
	ListPages(ctx context.Context) ([]model.Page, error)
	PageBySlug(ctx context.Context, slug string) (*model.Page, error)
	Settings(ctx context.Context) (model.Settings, error)
	ArticleComments(ctx context.Context, articleID int64, statuses ...model.CommentStatus) ([]*model.Comment, error)
	CommentByID(ctx context.Context, id int64) (*model.Comment, error)
	ArticleByID(ctx context.Context, id int64) (*model.Article, error)
	ListCorrections(ctx context.Context, q store.CorrectionQuery) ([]model.Correction, error)
	store.Discovery
	store.Search
	ListSearchVariants(ctx context.Context) ([]model.SearchVariant, error)
}

// Options configure the site.
type Options struct {
	Store    Store
	Articles *article.Service
	Comments *comment.Service // nil: no comment section
	Views    *views.Counter   // nil: views are not counted, no most-read list
	Locales  *locale.Bundle
	Events   *event.Bus
	Log      *slog.Logger
	ThemeDir string
	BaseURL  string // from configuration; the settings' base_url wins, then the request's host
	Now      func() time.Time
	// Redirect, when set, names where a request that found nothing (a
	// path, decoded, and the raw query) should go instead, or "": an
	// article that moved, an old WordPress address, the address without
	// its trailing slash. The reader is sent there with 301 Moved
	// Permanently. The home page asks it too when its query is not its own
	// (WordPress's /?p=358).
	Redirect func(ctx context.Context, path, rawQuery string) string
	// Previews opens signed preview links (nil: none open).
	Previews *preview.Service
}

// Site is the public web site.
type Site struct {
	opt    Options
	theme  *theme.Theme
	assets *assets.Set

	searchSlots chan struct{} // searches running at once (see search)
	searchRuns  flights[searchKey, store.SearchResult]
	changes     atomic.Uint64 // counts change events: a search started before one is not joined after it

	mu    sync.RWMutex
	state *siteState // nil until loaded; dropped on change events

	viewIDs      sync.Map            // public article path → id, so views of cached pages count too
	served       servedLog           // when each address last loaded each article (comment timing)
	relatedLists memo[int64, []Card] // related, by article
	counts       countCache
	comments     memo[int64, []renderedComment] // approvedComments
	media        memo[int64, *articleMedia]     // addMedia
	lists        memo[listKey, []Card]          // listing
	articles     memo[string, *model.Article]   // findArticle, by slug; read-only once kept
	cards        memo[cardKey, template.HTML]   // an article's card, rendered (fragment.go)
	commentFrags memo[int64, commentFrag]       // an article's comment threads, rendered
	logoFile     func() logoFacts
	mux          *http.ServeMux // the routes, once Handler made them
	// kept are the memos above, each dropping what a change makes stale
	// by its own rule (memo.drops).
	kept []interface{ changed(event.Event) }
}

// SearchesRunning counts the searches running now (for /metrics).
func (s *Site) SearchesRunning() int { return len(s.searchSlots) }

// siteState is what every page needs and rarely changes: read once, then
// kept until a settings, taxonomy or page event drops it.
type siteState struct {
	settings   model.Settings
	loc        *time.Location
	categories []model.Category
	pages      []model.Page
	lexicon    *search.Lexicon // the shipped one and the editors' variants
}

// New parses the theme and prepares the site.
func New(opt Options) (*Site, error) {
	if opt.Now == nil {
		return nil, errors.New("web: no clock")
	}
	th, err := theme.Load(opt.ThemeDir, opt.Locales)
	if err != nil {
		return nil, err
	}
	s := &Site{opt: opt, theme: th, assets: th.Assets(), searchSlots: make(chan struct{}, max(2, runtime.NumCPU()))}
	s.comments.max, s.media.max, s.lists.max = maxComments, maxMedia, maxLists
	// A minute at most, whatever the events say: another process may
	// change the database without telling this one (an import on SQLite).
	s.lists.ttl, s.comments.ttl, s.media.ttl, s.relatedLists.ttl = listTTL, listTTL, listTTL, listTTL
	s.relatedLists.max = maxRelated
	s.articles.max, s.articles.ttl = maxArticles, articleTTL
	s.cards.max, s.cards.ttl = maxCards, fragmentTTL
	s.commentFrags.max, s.commentFrags.ttl = maxCommentFrags, fragmentTTL
	s.articles.drops = onAnyChange[string]
	s.comments.drops, s.commentFrags.drops = byArticle, byArticle
	s.relatedLists.drops, s.lists.drops = onArticles[int64], onArticles[listKey]
	s.media.drops, s.cards.drops = onPictures[int64], onPictures[cardKey]
	s.kept = []interface{ changed(event.Event) }{&s.articles, &s.comments, &s.commentFrags, &s.relatedLists, &s.lists,
		&s.media, &s.cards, &s.counts}
	s.logoFile = sync.OnceValue(s.readLogo)
	if opt.Events != nil {
		opt.Events.Subscribe(func(_ context.Context, e event.Event) {
			s.changes.Add(1)
			if _, variants := e.(event.SearchVariantsChanged); variants || siteWide(e) {
				s.mu.Lock()
				s.state = nil
				s.mu.Unlock()
			}
			if e, ok := e.(event.ArticleChanged); ok {
				s.viewIDs.Delete(e.OldURL)
				s.viewIDs.Delete(e.NewURL)
			}
			for _, m := range s.kept {
				m.changed(e)
			}
		})
	}
	return s, nil
}

func (s *Site) loadState(ctx context.Context) (*siteState, error) {
	s.mu.RLock()
	st := s.state
	s.mu.RUnlock()
	if st != nil {
		return st, nil
	}
	settings, err := s.opt.Store.Settings(ctx)
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(settings.Timezone)
	if err != nil {
		loc = time.FixedZone("WIB", 7*3600)
	}
	cats, err := s.opt.Store.Categories(ctx)
	if err != nil {
		return nil, err
	}
	pages, err := s.opt.Store.ListPages(ctx)
	if err != nil {
		return nil, err
	}
	variants, err := s.opt.Store.ListSearchVariants(ctx)
	if err != nil {
		return nil, err
	}
	lines := make([]string, len(variants))
	for i, v := range variants {
		lines[i] = v.Forms
	}
	st = &siteState{settings: settings, loc: loc, categories: cats, lexicon: search.DefaultLexicon().WithVariants(lines)}
	for _, p := range pages {
		if p.Status == model.StatusPublished {
			st.pages = append(st.pages, p)
		}
	}
	s.mu.Lock()
	s.state = st
	s.mu.Unlock()
	return st, nil
}

// Handler returns the public site's routes.
func (s *Site) Handler() http.Handler {
	mux := http.NewServeMux()
	h := func(pattern string, fn func(http.ResponseWriter, *http.Request) error) {
		mux.Handle(pattern, s.wrap(fn))
	}
	h("GET /{$}", s.home)
	h("GET /{year}/{$}", s.archive)
	h("GET /{year}/{month}/{$}", s.archive)
	h("GET /{year}/{month}/{slug}", s.article)
	h(commentRoute, s.postComment)
	h("GET /avatar/{key}", s.avatar)
	h("GET /kategori/{slug}", s.category)
	h("GET /tag/{slug}", s.tag)
	h("GET /penulis/{slug}", s.author)
	h("GET /cari", s.search)
	h("GET "+preview.Prefix+"{id}", s.preview)
	h("GET /ralat", s.corrections)
	h("POST /komentar/{id}/laporkan", s.reportComment)
	h("GET /komentar/konfirmasi", s.confirmEmail)
	h("POST /komentar/konfirmasi", s.confirmEmail)
	h("GET /komentar/berhenti", s.unsubscribe)
	h("POST /komentar/berhenti", s.unsubscribe)
	s.feedRoutes(h)
	h("GET /{slug}", s.page)
	h("GET /", func(http.ResponseWriter, *http.Request) error { return notFound() })
	mux.Handle("GET /static/{hash}/{name}", s.assets)
	s.mux = mux
	return mux
}

// wrap turns a handler that returns an error into an http.Handler that
// shows the localised error page.
func (s *Site) wrap(fn func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// fail renders the error page for err, logging the cause of a 5xx.
func (s *Site) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		return // the reader left; there is no one to answer
	}
	code := statusOf(err)
	if code == http.StatusNotFound && s.redirect(w, r) {
		return
	}
	if code >= 500 {
		s.opt.Log.Error("page failed", "request_id", httpx.RequestID(r.Context()), "path", r.URL.Path, "err", err)
	}
	key := "error." + strconv.Itoa(code)
	if he := (*httpError)(nil); errors.As(err, &he) && he.key != "" {
		key = he.key
	}
	if httpx.Unavailable(err) {
		key = "error.unavailable"
		w.Header().Set("Retry-After", httpx.RetryAfter)
	}
	resend := unsentComment(r, code)
	b, berr := s.base(r, "")
	if berr != nil {
		// The site's settings are out of reach too: a bare page in the
		// default language.
		l := s.opt.Locales.Get("")
		if !l.Has(key + ".body") {
			key = "error.500"
		}
		if resend != nil {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(code)
			bareResend.Execute(w, map[string]any{"L": l, "Heading": l.T(key + ".title"), "Body": l.T(key + ".body"), "Resend": resend})
			return
		}
		http.Error(w, l.T(key+".title")+". "+l.T(key+".body"), code)
		return
	}
	if !b.L.Has(key + ".title") {
		key = "error.500"
	}
	b.Title = b.L.T(key+".title") + " – " + b.Site.SiteName
	b.NoIndex = true
	if resend != nil {
		w.Header().Set("Cache-Control", "no-store")
	}
	view := &errorView{Base: b, Heading: b.L.T(key + ".title"), Body: b.L.T(key + ".body"), Code: code}
	if resend != nil {
		var form strings.Builder
		if err := bareResend.ExecuteTemplate(&form, "resend", map[string]any{"L": b.L, "Resend": resend}); err == nil {
			view.Resend = template.HTML(form.String())
		}
	}
	s.render(w, r, code, "error", view)
}

// commentRoute is the comment form's address.
const commentRoute = "POST /{year}/{month}/{slug}"

// unsentComment is the comment a reader sent when the server failed to
// take it (its database did not answer in time, say), so that the error
// page gives it back in a form that sends it again: what was typed is
// never lost. Nil for anything else.
func unsentComment(r *http.Request, code int) *CommentForm {
	if code < 500 || r.Method != http.MethodPost || r.Pattern != commentRoute || r.PostForm == nil {
		return nil
	}
	p := r.PostForm.Get
	if strings.TrimSpace(p("body")) == "" {
		return nil
	}
	parent, _ := strconv.ParseInt(p("parent"), 10, 64)
	return &CommentForm{Action: r.URL.Path, Name: p("name"), Email: p("email"), URL: p("url"), Body: p("body"),
		Parent: parent, Token: p("token"), Consent: p("consent") != ""}
}

// bareResend is the error page with the unsent comment for when even the
// site's settings are out of reach: no theme, the default language.
var bareResend = template.Must(template.New("bare").Parse(`<!doctype html>
<html lang="{{.L.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>{{.Heading}}</title></head>
<body><main><h1>{{.Heading}}</h1><p>{{.Body}}</p>{{template "resend" .}}</main></body></html>
{{define "resend"}}{{with .Resend}}<form method="post" action="{{.Action}}#balas" class="comment-form resend">
<h2>{{$.L.T "comment.resend.heading"}}</h2>
<p>{{$.L.T "comment.resend.intro"}}</p>
<p class="field"><label for="resend-body">{{$.L.T "comment.form.body"}}</label>
<textarea id="resend-body" name="body" rows="8">{{.Body}}</textarea></p>
<p class="field"><label for="resend-name">{{$.L.T "comment.form.name"}}</label>
<input id="resend-name" name="name" type="text" value="{{.Name}}" autocomplete="name"></p>
<p class="field"><label for="resend-email">{{$.L.T "comment.form.email"}}</label>
<input id="resend-email" name="email" type="email" value="{{.Email}}" autocomplete="email"></p>
<p class="field"><label for="resend-url">{{$.L.T "comment.form.url"}}</label>
<input id="resend-url" name="url" type="url" value="{{.URL}}" autocomplete="url"></p>
<input type="hidden" name="parent" value="{{if .Parent}}{{.Parent}}{{end}}"><input type="hidden" name="token" value="{{.Token}}">{{if .Consent}}<input type="hidden" name="consent" value="yes">{{end}}
<p class="form-submit"><button type="submit">{{$.L.T "comment.resend.submit"}}</button></p>
</form>{{end}}{{end}}`))

// redirect answers a GET or HEAD with 301 to where Options.Redirect
// sends it, and reports whether it did.
func (s *Site) redirect(w http.ResponseWriter, r *http.Request) bool {
	if s.opt.Redirect == nil || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		return false
	}
	to := s.opt.Redirect(r.Context(), r.URL.Path, r.URL.RawQuery)
	if to == "" {
		return false
	}
	if slashless(r, to) && !s.answers(r, to) {
		return false // /abcd/ is not found, not sent on to /abcd
	}
	http.Redirect(w, r, to, http.StatusMovedPermanently)
	return true
}

// slashless reports whether to is the request's address without the
// trailing slash.
func slashless(r *http.Request, to string) bool {
	want := strings.TrimRight(r.URL.Path, "/")
	if r.URL.RawQuery != "" {
		want += "?" + r.URL.RawQuery
	}
	return to == want && strings.HasSuffix(r.URL.Path, "/")
}

// answers reports whether the site shows a page at to (a path and query
// without a trailing slash), by rendering it and throwing the page away.
// Only a not-found address with a trailing slash costs this.
func (s *Site) answers(r *http.Request, to string) bool {
	if s.mux == nil {
		return false
	}
	u, err := url.Parse(to)
	if err != nil {
		return false
	}
	r2 := r.Clone(r.Context())
	r2.URL, r2.RequestURI = u, to
	r2.Method = http.MethodHead
	var w statusOnly
	s.mux.ServeHTTP(&w, r2)
	return w.code == 0 || w.code == http.StatusOK
}

// statusOnly is a ResponseWriter that keeps only the status.
type statusOnly struct {
	h    http.Header
	code int
}

func (w *statusOnly) Header() http.Header {
	if w.h == nil {
		w.h = http.Header{}
	}
	return w.h
}

func (w *statusOnly) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}

func (w *statusOnly) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return len(b), nil
}

type errorView struct {
	*Base
	Heading, Body string
	Code          int
	Resend        template.HTML // the form giving back a comment the failure did not take
}

// render executes a page template into a buffer, then writes it, so a
// template failure never sends half a page.
func (s *Site) render(w http.ResponseWriter, r *http.Request, code int, name string, data any) {
	var l *locale.Locale
	if p, ok := data.(interface{ locale() *locale.Locale }); ok {
		l = p.locale()
	}
	httpx.Render(w, r, s.opt.Log, code, func(buf *bytes.Buffer) error { return s.theme.Execute(buf, l, name, "layout", data) })
}

// baseURL is the site's absolute URL without a trailing slash.
func (s *Site) baseURL(r *http.Request, st *siteState) string {
	if st.settings.BaseURL != "" {
		return strings.TrimRight(st.settings.BaseURL, "/")
	}
	if s.opt.BaseURL != "" {
		return s.opt.BaseURL
	}
	return httpx.RequestBaseURL(r)
}

// page number from ?page=N (1 when absent or nonsense).
func pageNum(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 || n > 100000 {
		return 1
	}
	return n
}

// articleRef is a public article found from its URL, with its canonical path.
type articleRef struct {
	a    *model.Article
	path string
}

// CountViews counts readers' views of article pages. It sits in front of
// the page cache, so a page served from the cache is counted like one
// rendered afresh.
func (s *Site) CountViews(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		// Looked up after serving: the first view of a page is the one
		// that registers its path.
		if r.Method == http.MethodGet {
			if id, ok := s.viewIDs.Load(r.URL.Path); ok {
				s.served.note(httpx.ClientIP(r.Context()).String()+" "+r.URL.Path, s.opt.Now())
				if st, err := s.loadState(r.Context()); err == nil {
					s.countView(r, id.(int64), st.loc)
				}
			}
		}
	})
}

// servedLog remembers when an address last loaded an article page. It
// lives in front of the page cache: a cached page carries an old form
// token, so the token alone cannot tell how fast a reader answered.
type servedLog struct {
	mu sync.Mutex
	m  map[string]time.Time
}

// maxServed bounds the log; a flood of addresses only makes it forget.
const maxServed = 100_000

func (l *servedLog) note(key string, t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil || len(l.m) >= maxServed {
		l.m = make(map[string]time.Time)
	}
	l.m[key] = t
}

func (l *servedLog) last(key string) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.m[key]
}
