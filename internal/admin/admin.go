// Package admin is the newsroom at /admin/: login and sessions, the
// dashboard, the article and page editors, taxonomy, moderation, users,
// tokens and site settings. Pages are server-rendered forms that work
// without JavaScript; a little script adds live preview and autosave.
//
// Handlers parse and check the form, call one domain operation (article,
// comment) or store write, and render. Every route names the least role
// it needs; object rules (may this author edit that article) stay in the
// domain packages.
package admin

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"time"

	"warta/internal/article"
	"warta/internal/assets"
	"warta/internal/comment"
	"warta/internal/httpx"
	"warta/internal/locale"
	"warta/internal/mail"
	"warta/internal/media"
	"warta/internal/model"
	"warta/internal/page"
	"warta/internal/preview"
	redirects "warta/internal/redirect"
	"warta/internal/render"
	"warta/internal/revision"
	"warta/internal/searchvariant"
	"warta/internal/settings"
	"warta/internal/store"
	"warta/internal/taxonomy"
	"warta/internal/user"
	"warta/internal/valid"
)

// Store is what the newsroom reads. Every change goes through a domain
// service (articles, pages, taxonomy, comments, users, settings, media).
type Store interface {
	ArticleByID(ctx context.Context, id int64) (*model.Article, error)
	OpenCommentReports(ctx context.Context, limit int) ([]model.CommentReport, error)
	ArticlesByIDs(ctx context.Context, ids []int64) (map[int64]*model.Article, error)
	ListArticles(ctx context.Context, q store.ArticleQuery) ([]*model.Article, error)
	CountArticles(ctx context.Context, q store.ArticleQuery) (int, error)
	Categories(ctx context.Context) ([]model.Category, error)
	Tags(ctx context.Context) ([]model.Tag, error)
	TagCounts(ctx context.Context) (map[int64]int, error)
	PageByID(ctx context.Context, id int64) (*model.Page, error)
	ListPages(ctx context.Context) ([]model.Page, error)
	CommentByID(ctx context.Context, id int64) (*model.Comment, error)
	CommentsByIDs(ctx context.Context, ids []int64) (map[int64]*model.Comment, error)
	ListComments(ctx context.Context, q store.CommentQuery) ([]*model.Comment, error)
	CountComments(ctx context.Context, status model.CommentStatus) (int, error)
	UserByID(ctx context.Context, id int64) (*model.User, error)
	ListUsers(ctx context.Context) ([]model.User, error)
	ListTokens(ctx context.Context) ([]store.TokenInfo, error)
	Settings(ctx context.Context) (model.Settings, error)
	ListSearchVariants(ctx context.Context) ([]model.SearchVariant, error)
	ListRedirects(ctx context.Context, q store.RedirectQuery) ([]model.Redirect, error)
	CountRedirects(ctx context.Context, q store.RedirectQuery) (int, error)
	ListMail(ctx context.Context, q store.MailQuery) ([]model.Mail, error)
	CountMail(ctx context.Context, status model.MailStatus) (int, error)
	BackupRuns(ctx context.Context, limit int) ([]model.BackupRun, error)
}

// Options configure the newsroom.
type Options struct {
	Store    Store
	Articles *article.Service
	Comments *comment.Service
	Pages    *page.Service
	Taxonomy *taxonomy.Service
	Settings *settings.Service
	// SearchVariants serves the synonyms screen.
	SearchVariants *searchvariant.Service
	Users          *user.Service
	// Mail queues mail (the mail screen, test mails).
	Mail *mail.Service
	// MailFrom is --mail-from, shown in the settings.
	MailFrom string
	Locales  *locale.Bundle
	Renderer *render.Renderer
	// Library and Revisions serve the media and history screens; without
	// them those screens answer 404.
	Library   *media.Library
	Revisions *revision.Service
	// Redirects serves the redirects screen; without it that screen
	// answers 404.
	Redirects *redirects.Service
	Log       *slog.Logger
	Now       func() time.Time
	// Trusted reports whether a peer is a proxy whose X-Forwarded-Proto
	// may be believed (for the Secure cookie flag).
	Trusted func(netip.Addr) bool
	// Secret signs the login form's token (the site's secret).
	Secret []byte
	// BaseURL is --base-url; when it (or the base URL setting) is https,
	// cookies are Secure whatever the proxy says.
	BaseURL string
	// Previews makes the editor's signed preview links (nil: the editor
	// offers none).
	Previews *preview.Service
}

// Admin serves /admin/.
type Admin struct {
	opt    Options
	st     Store
	now    func() time.Time
	tpl    map[string]*template.Template
	assets *assets.Set
	cop    *http.CrossOriginProtection
	routes []Route
}

// New parses the templates (failing fast on a broken one) and prepares
// the routes.
func New(opt Options) (*Admin, error) {
	if opt.Now == nil {
		return nil, errors.New("admin: no clock")
	}
	if len(opt.Secret) == 0 {
		return nil, errors.New("admin: no secret")
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.Renderer == nil {
		opt.Renderer = render.New()
	}
	a := &Admin{opt: opt, st: opt.Store, now: opt.Now, cop: http.NewCrossOriginProtection()}
	var err error
	if a.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if a.tpl, err = parseTemplates(a.assets); err != nil {
		return nil, err
	}
	return a, nil
}

// request is one newsroom request with what every handler needs.
type request struct {
	*http.Request
	User     *model.User    // nil when nobody is logged in
	Session  *store.Session // nil when nobody is logged in
	L        *locale.Locale
	Settings model.Settings
	Loc      *time.Location
}

// handler is a newsroom screen or action.
type handler func(w http.ResponseWriter, q *request) error

// httpError is an error the user should see with a status. The cause is
// logged, never shown; the message is a locale key.
type httpError struct {
	status int
	key    string
	cause  error
}

func (e *httpError) Error() string {
	if e.cause != nil {
		return e.cause.Error()
	}
	return http.StatusText(e.status)
}

func (e *httpError) Unwrap() error { return e.cause }

var (
	errForbidden = &httpError{status: http.StatusForbidden, key: "admin.error.403"}
	errCSRF      = &httpError{status: http.StatusForbidden, key: "admin.error.csrf"}
	errNotFound  = &httpError{status: http.StatusNotFound, key: "admin.error.404"}
	errBadInput  = &httpError{status: http.StatusBadRequest, key: "admin.error.400"}
)

// fail renders the localised error page for err.
func (a *Admin) fail(w http.ResponseWriter, q *request, err error) {
	var he *httpError
	switch {
	case errors.As(err, &he):
	case errors.Is(err, valid.ErrForbidden):
		he = errForbidden
	case errors.Is(err, store.ErrNotFound):
		he = errNotFound
	case httpx.Unavailable(err):
		he = &httpError{status: http.StatusServiceUnavailable, key: "admin.error.unavailable", cause: err}
		w.Header().Set("Retry-After", httpx.RetryAfter)
	default:
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			he = &httpError{status: http.StatusRequestEntityTooLarge, key: "admin.error.413"}
			break
		}
		he = &httpError{status: http.StatusInternalServerError, key: "admin.error.500", cause: err}
	}
	if he.status >= 500 {
		a.opt.Log.Error("newsroom failed", "request_id", httpx.RequestID(q.Context()), "path", q.URL.Path, "err", err)
	}
	b := a.base(q, q.L.T(he.key+".title"), "")
	a.render(w, q, he.status, "error", &errorView{Base: b, Heading: q.L.T(he.key + ".title"), Body: q.L.T(he.key + ".body"), Code: he.status})
}

type errorView struct {
	*Base
	Heading, Body string
	Code          int
}

// render executes a page into a buffer, then writes it, so a template
// failure never sends half a page.
func (a *Admin) render(w http.ResponseWriter, q *request, code int, name string, data any) {
	t, ok := a.tpl[name]
	if !ok {
		a.opt.Log.Error("missing newsroom template", "name", name)
		http.Error(w, http.StatusText(500), 500)
		return
	}
	httpx.Render(w, q.Request, a.opt.Log, code, func(buf *bytes.Buffer) error { return t.ExecuteTemplate(buf, "layout", data) })
}

// redirect answers a form post with 303 See Other, so reloading the next
// page never posts twice. flash names an admin.flash.* message.
func redirect(w http.ResponseWriter, q *request, to, flash string, args ...int) error {
	if flash != "" {
		sep := "?"
		if bytes.ContainsRune([]byte(to), '?') {
			sep = "&"
		}
		to += sep + "ok=" + flash
		if len(args) > 0 {
			to += "&n=" + strconv.Itoa(args[0])
		}
	}
	http.Redirect(w, q.Request, to, http.StatusSeeOther)
	return nil
}

// idParam reads a positive numeric path value or answers 404.
func idParam(q *request, name string) (int64, error) {
	n, err := strconv.ParseInt(q.PathValue(name), 10, 64)
	if err != nil || n < 1 {
		return 0, errNotFound
	}
	return n, nil
}

// FormErrors maps field names to messages shown beside the fields.
type FormErrors map[string]string

// formErrors turns validation failures into messages in q's language.
// Failures not tied to a field of the form land under "form".
func formErrors(q *request, err error, fields ...string) (FormErrors, bool) {
	es, ok := valid.As(err)
	if !ok {
		return nil, false
	}
	known := map[string]bool{}
	for _, f := range fields {
		known[f] = true
	}
	out := FormErrors{}
	for _, e := range es {
		args := make([]any, len(e.Args))
		for i, x := range e.Args {
			switch v := x.(type) {
			case string:
				if q.L.Has("admin.field." + v) {
					x = q.L.T("admin.field." + v)
				} else if q.L.Has("field." + v) {
					x = q.L.T("field." + v)
				}
			case int:
				// Messages take every argument as %s.
				x = q.L.Int(v)
			}
			args[i] = x
		}
		field := e.Field
		if len(known) > 0 && !known[field] {
			field = "form"
		}
		msg := q.L.T(e.Key, args...)
		if out[field] == "" {
			out[field] = msg
		}
	}
	return out, true
}
