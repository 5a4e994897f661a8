package admin

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"warta/internal/model"
)

// Route is one newsroom endpoint and the least role it needs; Min ""
// means anyone, logged in or not.
type Route struct {
	Method, Pattern string
	Min             model.Role
	fn              handler
}

// Routes lists every newsroom endpoint, so a test can prove that each one
// enforces its role.
func (a *Admin) Routes() []Route {
	if a.routes != nil {
		return a.routes
	}
	const (
		anyone      = model.Role("")
		contributor = model.RoleContributor
		author      = model.RoleAuthor
		editor      = model.RoleEditor
		admin       = model.RoleAdmin
	)
	a.routes = []Route{
		{"GET", "/admin/login", anyone, a.loginForm},
		{"POST", "/admin/login", anyone, a.login},
		{"GET", "/admin/lupa-sandi", anyone, a.forgotForm},
		{"POST", "/admin/lupa-sandi", anyone, a.forgot},
		{"GET", "/admin/atur-sandi", anyone, a.setPasswordForm},
		{"POST", "/admin/atur-sandi", anyone, a.setPassword},
		{"POST", "/admin/login/code", anyone, a.loginCode},
		{"POST", "/admin/logout", contributor, a.logout},
		{"GET", "/admin/{$}", contributor, a.dashboard},
		{"GET", "/admin/account", contributor, a.accountForm},
		{"POST", "/admin/account", contributor, a.saveAccount},
		{"POST", "/admin/account/mail", editor, a.saveMailChoices},
		{"GET", "/admin/account/password", contributor, a.passwordForm},
		{"POST", "/admin/account/password", contributor, a.changePassword},
		{"GET", "/admin/account/2fa", contributor, a.twoFactorForm},
		{"POST", "/admin/account/2fa", contributor, a.confirmTwoFactor},
		{"POST", "/admin/account/2fa/codes", contributor, a.newRecoveryCodes},
		{"POST", "/admin/account/2fa/disable", contributor, a.disableTwoFactor},
		{"GET", "/admin/account/sessions", contributor, a.mySessions},
		{"POST", "/admin/account/sessions/end", contributor, a.endMySession},
		{"POST", "/admin/account/sessions/others", contributor, a.endMyOtherSessions},

		{"GET", "/admin/articles", contributor, a.articleList},
		{"POST", "/admin/articles/bulk", contributor, a.articleBulk},
		{"GET", "/admin/articles/new", contributor, a.newArticle},
		{"POST", "/admin/articles/new", contributor, a.createArticle},
		{"POST", "/admin/articles/autosave", contributor, a.autosave},
		{"GET", "/admin/articles/{id}", contributor, a.editArticle},
		{"POST", "/admin/articles/{id}", contributor, a.updateArticle},
		// Object rules (who may see or restore this article's history)
		// are the revision service's.
		{"GET", "/admin/articles/{id}/revisions", contributor, a.revisionList},
		{"GET", "/admin/articles/{id}/revisions/compare", contributor, a.revisionCompare},
		{"POST", "/admin/articles/{id}/revisions/restore", contributor, a.revisionRestore},
		{"POST", "/admin/articles/{id}/delete", contributor, a.deleteArticle},
		{"POST", "/admin/articles/{id}/retract", editor, a.retractArticle},
		{"POST", "/admin/articles/{id}/preview", contributor, a.sharePreview},
		{"POST", "/admin/articles/{id}/preview/stop", contributor, a.stopPreview},
		{"POST", "/admin/preview", contributor, a.preview},

		// As in WordPress, contributors have no media library: they cannot
		// upload. Authors manage their own uploads, editors everyone's.
		{"GET", "/admin/media", author, a.mediaList},
		{"POST", "/admin/media", author, a.mediaUpload},
		{"GET", "/admin/media/picker", author, a.mediaPicker},
		{"GET", "/admin/media/{id}", author, a.mediaItem},
		{"POST", "/admin/media/{id}", author, a.mediaSave},
		{"POST", "/admin/media/{id}/delete", author, a.mediaDelete},

		{"GET", "/admin/pages", editor, a.pageList},
		{"GET", "/admin/pages/new", editor, a.newPage},
		{"POST", "/admin/pages/new", editor, a.createPage},
		{"GET", "/admin/pages/{id}", editor, a.editPage},
		{"POST", "/admin/pages/{id}", editor, a.updatePage},
		{"POST", "/admin/pages/{id}/delete", editor, a.deletePage},

		{"GET", "/admin/laporan", editor, a.reportList},
		{"POST", "/admin/laporan/{id}/selesai", editor, a.resolveReport},

		{"GET", "/admin/categories", editor, a.categoryList},
		{"POST", "/admin/categories", editor, a.createCategory},
		{"GET", "/admin/categories/{id}", editor, a.editCategory},
		{"POST", "/admin/categories/{id}", editor, a.updateCategory},
		{"POST", "/admin/categories/{id}/delete", editor, a.deleteCategory},
		{"GET", "/admin/search-variants", editor, a.searchVariantList},
		{"POST", "/admin/search-variants", editor, a.addSearchVariant},
		{"POST", "/admin/search-variants/{id}/delete", editor, a.deleteSearchVariant},

		{"GET", "/admin/tags", editor, a.tagList},
		{"POST", "/admin/tags/{id}", editor, a.renameTag},
		{"POST", "/admin/tags/{id}/delete", editor, a.deleteTag},
		{"GET", "/admin/redirects", editor, a.redirectList},
		{"POST", "/admin/redirects", editor, a.addRedirect},
		{"POST", "/admin/redirects/{id}", editor, a.changeRedirect},
		{"POST", "/admin/redirects/{id}/delete", editor, a.deleteRedirect},

		{"GET", "/admin/comments", editor, a.commentList},
		{"POST", "/admin/comments/action", editor, a.commentAction},
		{"GET", "/admin/comments/{id}", editor, a.editComment},
		{"POST", "/admin/comments/{id}", editor, a.saveComment},
		{"POST", "/admin/comments/{id}/reply", editor, a.replyComment},

		{"GET", "/admin/settings", admin, a.settingsForm},
		{"POST", "/admin/settings", admin, a.saveSettings},
		{"POST", "/admin/settings/test-mail", admin, a.testMail},
		{"GET", "/admin/mail", admin, a.mailList},
		{"POST", "/admin/mail/{id}/retry", admin, a.retryMail},
		{"GET", "/admin/users", admin, a.userList},
		{"GET", "/admin/users/new", admin, a.newUser},
		{"POST", "/admin/users/new", admin, a.createUser},
		{"GET", "/admin/users/{id}", admin, a.editUser},
		{"POST", "/admin/users/{id}", admin, a.updateUser},
		{"POST", "/admin/users/{id}/password", admin, a.resetPassword},
		{"GET", "/admin/users/{id}/sessions", admin, a.userSessions},
		{"POST", "/admin/users/{id}/sessions/end", admin, a.endUserSession},
		{"POST", "/admin/users/{id}/sessions/all", admin, a.endUserSessions},
		{"POST", "/admin/users/{id}/2fa/reset", admin, a.resetUserTwoFactor},
		{"GET", "/admin/tokens", admin, a.tokenList},
		{"POST", "/admin/tokens", admin, a.createToken},
		{"POST", "/admin/tokens/{id}/revoke", admin, a.revokeToken},
	}
	return a.routes
}

// Handler returns the newsroom's routes, all under /admin/.
func (a *Admin) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range a.Routes() {
		mux.Handle(rt.Method+" "+rt.Pattern, a.wrap(rt.Min, rt.fn))
	}
	mux.Handle("GET /admin/static/{hash}/{name}", a.assets)
	mux.Handle("GET /admin", http.RedirectHandler("/admin/", http.StatusMovedPermanently))
	mux.Handle("/admin/", a.wrap(model.RoleContributor, func(http.ResponseWriter, *request) error { return errNotFound }))
	return mux
}

// wrap checks who is asking before fn runs: anonymous visitors go to the
// login form, a role below min gets 403, and every POST must pass the
// CSRF check. Newsroom pages are personal, so nothing may cache them.
func (a *Admin) wrap(min model.Role, fn handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if limit := a.UploadLimit(r); limit > 0 {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		q, err := a.newRequest(r)
		if err != nil {
			a.fail(w, q, err)
			return
		}
		if min != "" {
			if q.User == nil {
				next := ""
				if r.Method == http.MethodGet && r.URL.Path != "/admin/" {
					next = "?next=" + url.QueryEscape(r.URL.RequestURI())
				}
				http.Redirect(w, r, "/admin/login"+next, http.StatusSeeOther)
				return
			}
			if !q.User.Role.AtLeast(min) {
				a.fail(w, q, errForbidden)
				return
			}
			if mustEnrol(q) && !enrolPaths[r.URL.Path] {
				// The role requires two-factor: nothing else until it is set up.
				http.Redirect(w, r, "/admin/account/2fa", http.StatusSeeOther)
				return
			}
			if r.Method == http.MethodPost {
				// The form is read here, before the CSRF check reads it, so
				// that a body over the limit is reported as too large, not
				// as a forged form.
				err := parseForm(r)
				if r.MultipartForm != nil {
					defer r.MultipartForm.RemoveAll()
				}
				var tooBig *http.MaxBytesError
				if errors.As(err, &tooBig) {
					a.fail(w, q, err)
					return
				}
				if !a.csrfOK(r, q.Session.CSRF) {
					a.fail(w, q, errCSRF)
					return
				}
			}
		}
		if err := fn(w, q); err != nil {
			a.fail(w, q, err)
		}
	})
}

// uploadMemory is how much of a multipart form is kept in memory; the
// rest of the files wait in temporary files until the handler reads them.
const uploadMemory = 8 << 20

// parseForm reads a posted form, multipart or not.
func parseForm(r *http.Request) error {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return r.ParseMultipartForm(uploadMemory)
	}
	return r.ParseForm()
}

// UploadLimit is the most a request to the upload form may send, and 0
// for every other request, which the caller limits as it limits any form.
func (a *Admin) UploadLimit(r *http.Request) int64 {
	if r.Method != http.MethodPost || r.URL.Path != "/admin/media" || a.opt.Library == nil {
		return 0
	}
	return maxUploadFiles*uploadMax(a.opt.Library) + 1<<20
}

// newRequest loads the settings and the session, and picks the language:
// the user's own choice, else the site's.
func (a *Admin) newRequest(r *http.Request) (*request, error) {
	q := &request{Request: r, L: a.opt.Locales.Get(""), Loc: time.UTC}
	st, err := a.st.Settings(r.Context())
	if err != nil {
		return q, err
	}
	q.Settings = st
	q.L = a.opt.Locales.Get(st.Language)
	if loc, err := time.LoadLocation(st.Timezone); err == nil {
		q.Loc = loc
	}
	q.Session, q.User, err = a.loadSession(r)
	if err != nil {
		return q, err
	}
	if q.User != nil && q.User.Language != "" {
		q.L = a.opt.Locales.Get(q.User.Language)
	}
	return q, nil
}

// safeNext accepts only a newsroom path as the place to go after login,
// so the login form cannot be used to send someone elsewhere.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/admin/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") ||
		strings.HasPrefix(next, "/admin/login") {
		return "/admin/"
	}
	return next
}
