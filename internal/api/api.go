// Package api is Warta's JSON API v1 (/api/v1): bearer tokens, role
// checks, list responses with cursors, and errors that name the field.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"warta/internal/article"
	"warta/internal/auth"
	"warta/internal/comment"
	"warta/internal/correction"
	"warta/internal/httpx"
	"warta/internal/locale"
	"warta/internal/model"
	"warta/internal/settings"
	"warta/internal/store"
	"warta/internal/valid"
)

// Store is what the API reads directly; every change goes through a
// domain service.
type Store interface {
	ArticleByID(ctx context.Context, id int64) (*model.Article, error)
	ListArticles(ctx context.Context, q store.ArticleQuery) ([]*model.Article, error)
	CategoryBySlug(ctx context.Context, slug string) (*model.Category, error)
	TagBySlug(ctx context.Context, slug string) (*model.Tag, error)
	UserByToken(ctx context.Context, hash string) (*model.User, error)
	Settings(ctx context.Context) (model.Settings, error)
	CommentByID(ctx context.Context, id int64) (*model.Comment, error)
	ListComments(ctx context.Context, q store.CommentQuery) ([]*model.Comment, error)
}

// Options configure the API.
type Options struct {
	Store    Store
	Articles *article.Service
	Comments *comment.Service
	// Corrections publishes corrections and replies.
	Corrections *correction.Service
	Settings    *settings.Service
	Locales     *locale.Bundle
	Log         *slog.Logger
	BaseURL     func(r *http.Request) string
}

// API serves /api/v1.
type API struct{ opt Options }

// New builds the API.
func New(opt Options) *API { return &API{opt: opt} }

// handler is an API endpoint: it gets the authenticated user and returns
// the status and body to send, or an error to turn into a JSON error.
type handler func(w http.ResponseWriter, r *http.Request, u *model.User) (int, any, error)

// Route is one endpoint: its method, its path pattern (net/http's
// ServeMux syntax) and the least role that may call it.
type Route struct {
	Method, Pattern string
	Min             model.Role
	fn              handler
}

// Routes lists every endpoint, in the order docs/api.md describes them.
func (a *API) Routes() []Route {
	return []Route{
		{"GET", "/api/v1/me", model.RoleContributor, func(_ http.ResponseWriter, _ *http.Request, u *model.User) (int, any, error) {
			return http.StatusOK, u, nil
		}},
		{"GET", "/api/v1/articles", model.RoleContributor, a.listArticles},
		{"POST", "/api/v1/articles", model.RoleContributor, a.createArticle},
		{"GET", "/api/v1/articles/{id}", model.RoleContributor, a.getArticle},
		{"PATCH", "/api/v1/articles/{id}", model.RoleContributor, a.patchArticle},
		{"DELETE", "/api/v1/articles/{id}", model.RoleContributor, a.deleteArticle},
		{"POST", "/api/v1/articles/{id}/retract", model.RoleEditor, a.retractArticle},
		{"POST", "/api/v1/articles/{id}/corrections", model.RoleAuthor, a.createCorrection},
		{"GET", "/api/v1/settings", model.RoleContributor, a.getSettings},
		{"PATCH", "/api/v1/settings", model.RoleAdmin, a.patchSettings},
		{"GET", "/api/v1/comments", model.RoleEditor, a.listComments},
		{"GET", "/api/v1/comments/{id}", model.RoleEditor, a.getComment},
		{"POST", "/api/v1/comments/{id}/{action}", model.RoleEditor, a.moderateComment},
		{"POST", "/api/v1/comments/bulk", model.RoleEditor, a.bulkComments},
	}
}

// Handler returns the routes; any other path under /api/ is a JSON 404
// (after authentication, so it reveals nothing to a caller without a
// token).
func (a *API) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range a.Routes() {
		mux.Handle(rt.Method+" "+rt.Pattern, a.wrap(rt.Min, rt.fn))
	}
	mux.Handle("/api/", a.wrap(model.RoleContributor, func(http.ResponseWriter, *http.Request, *model.User) (int, any, error) {
		return 0, nil, errNotFound
	}))
	return mux
}

// apiError is an error with its status and code for the JSON body.
type apiError struct {
	status int
	code   string
	key    string
	args   []any
	field  string
}

func (e *apiError) Error() string { return e.code }

var (
	errNotFound     = &apiError{status: 404, code: "not_found", key: "notfound"}
	errUnauthorized = &apiError{status: 401, code: "unauthorized", key: "auth.unauthorized"}
	errForbidden    = &apiError{status: 403, code: "forbidden", key: "auth.forbidden"}
)

func (a *API) wrap(min model.Role, fn handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		u, err := a.authenticate(r)
		if err == nil && !u.Role.AtLeast(min) {
			err = errForbidden
		}
		status, body := 0, any(nil)
		if err == nil {
			status, body, err = fn(w, r, u)
		}
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		if status == http.StatusNoContent {
			w.WriteHeader(status)
			return
		}
		writeJSON(w, status, body)
	})
}

func (a *API) authenticate(r *http.Request) (*model.User, error) {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(tok) == "" {
		return nil, errUnauthorized
	}
	u, err := a.opt.Store.UserByToken(r.Context(), auth.HashToken(strings.TrimSpace(tok)))
	if errors.Is(err, store.ErrNotFound) {
		return nil, errUnauthorized
	}
	return u, err
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(body)
}

// locale picks the message language: the client's if it asks for one we
// have (Accept-Language), else the site's.
func (a *API) locale(r *http.Request) *locale.Locale {
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag := strings.TrimSpace(strings.SplitN(part, ";", 2)[0])
		base := strings.ToLower(strings.SplitN(tag, "-", 2)[0])
		for _, l := range a.opt.Locales.Langs() {
			if l == base {
				return a.opt.Locales.Get(l)
			}
		}
	}
	st, err := a.opt.Store.Settings(r.Context())
	if err != nil {
		return a.opt.Locales.Get("")
	}
	return a.opt.Locales.Get(st.Language)
}

func (a *API) writeError(w http.ResponseWriter, r *http.Request, err error) {
	l := a.locale(r)
	var ae *apiError
	if es, ok := valid.As(err); ok {
		e := es[0]
		status, code := http.StatusUnprocessableEntity, "invalid"
		if e.Code == "forbidden" {
			status, code = http.StatusForbidden, "forbidden"
		} else if e.Code == "conflict" {
			status, code = http.StatusConflict, "conflict"
		}
		ae = &apiError{status: status, code: code, key: e.Key, args: e.Args, field: e.Field}
	} else if errors.Is(err, valid.ErrForbidden) {
		ae = errForbidden
	} else if errors.Is(err, store.ErrNotFound) {
		ae = errNotFound
	} else if errors.Is(err, store.ErrConflict) {
		ae = &apiError{status: http.StatusConflict, code: "conflict", key: "conflict"}
	} else if httpx.Unavailable(err) {
		a.opt.Log.Error("api: database unavailable", "path", r.URL.Path, "err", err)
		ae = &apiError{status: http.StatusServiceUnavailable, code: "unavailable", key: "error.unavailable.body"}
		w.Header().Set("Retry-After", httpx.RetryAfter)
	} else if !errors.As(err, &ae) {
		a.opt.Log.Error("api failed", "path", r.URL.Path, "err", err)
		ae = &apiError{status: 500, code: "internal", key: "error.500.body"}
	}
	args := make([]any, len(ae.args))
	for i, x := range ae.args {
		switch v := x.(type) {
		case string:
			if l.Has("field." + v) {
				x = l.T("field." + v)
			}
		case int:
			x = l.Int(v)
		}
		args[i] = x
	}
	body := map[string]any{"code": ae.code, "message": l.T(ae.key, args...)}
	if ae.field != "" {
		body["field"] = ae.field
	}
	writeJSON(w, ae.status, map[string]any{"error": body})
}

// decode reads a JSON object into dst. Malformed JSON is 400; a field of
// the wrong type or an unknown field is 422 naming the field.
func decode(r *http.Request, dst any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	if err == nil {
		if dec.More() {
			return &apiError{status: 400, code: "invalid_json", key: "validation.invalid_json"}
		}
		return nil
	}
	var te *json.UnmarshalTypeError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return &apiError{status: http.StatusRequestEntityTooLarge, code: "too_large", key: "validation.too_large"}
	case errors.As(err, &te) && te.Field == "":
		// Not an object at all ([] or "text"): there is no field to name.
		return &apiError{status: 400, code: "invalid_json", key: "validation.invalid_json"}
	case errors.As(err, &te):
		f := te.Field
		if i := strings.IndexByte(f, '.'); i >= 0 {
			f = f[:i]
		}
		return &apiError{status: 422, code: "invalid", key: "validation.invalid", args: []any{f}, field: f}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		if f == "" { // {"": …}: no name to give back
			return &apiError{status: 400, code: "invalid_json", key: "validation.invalid_json"}
		}
		return &apiError{status: 422, code: "invalid", key: "validation.unknown_field", args: []any{f}, field: f}
	case errors.Is(err, io.EOF):
		return &apiError{status: 400, code: "invalid_json", key: "validation.invalid_json"}
	}
	return &apiError{status: 400, code: "invalid_json", key: "validation.invalid_json"}
}

// list is the shape of every list response.
type list struct {
	Items any     `json:"items"`
	Next  *string `json:"next"`
}

func limitOf(r *http.Request) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return 20, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 100 {
		return 0, &apiError{status: 422, code: "invalid", key: "validation.invalid", args: []any{"limit"}, field: "limit"}
	}
	return n, nil
}

func cursorOf(r *http.Request) (int64, error) {
	v := r.URL.Query().Get("cursor")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, &apiError{status: 422, code: "invalid", key: "validation.invalid", args: []any{"cursor"}, field: "cursor"}
	}
	return n, nil
}

func idOf(r *http.Request) (int64, error) {
	n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || n < 1 {
		return 0, errNotFound
	}
	return n, nil
}

func nextCursor(n int, limit int, lastID int64) *string {
	if n < limit {
		return nil
	}
	s := strconv.FormatInt(lastID, 10)
	return &s
}
