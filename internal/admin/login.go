package admin

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"warta/internal/httpx"
	"warta/internal/user"
)

// The login form has no session yet, so its CSRF token is a random value
// kept in a short-lived cookie and repeated in the form (double submit):
// another site can make a browser send the cookie but cannot read it.
const loginCookie = "warta_login"

type loginView struct {
	*Base
	Email    string
	Remember bool
	Next     string
	Token    string
	Error    string
}

func (a *Admin) loginForm(w http.ResponseWriter, q *request) error {
	if q.User != nil {
		http.Redirect(w, q.Request, safeNext(q.URL.Query().Get("next")), http.StatusSeeOther)
		return nil
	}
	return a.showLogin(w, q, http.StatusOK, &loginView{Next: q.URL.Query().Get("next")})
}

func (a *Admin) showLogin(w http.ResponseWriter, q *request, code int, v *loginView) error {
	v.Token = a.loginToken(w, q.Request)
	v.Base = a.base(q, q.L.T("admin.login.title"), "")
	if q.URL.Query().Get("expired") != "" && v.Error == "" {
		v.Error = q.L.T("admin.login.expired")
	}
	a.render(w, q, code, "login", v)
	return nil
}

// loginToken returns the browser's login token, setting a new one when
// it has none.
func (a *Admin) loginToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(loginCookie); err == nil && len(c.Value) >= 20 && len(c.Value) <= 64 {
		return c.Value
	}
	tok := randomToken(18)
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: tok, Path: "/admin/", MaxAge: 24 * 3600, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: a.isHTTPS(r)})
	return tok
}

func (a *Admin) login(w http.ResponseWriter, q *request) error {
	ctx := q.Context()
	email := strings.TrimSpace(q.PostFormValue("email"))
	v := &loginView{Email: email, Remember: q.PostFormValue("remember") != "", Next: q.PostFormValue("next")}
	c, err := q.Cookie(loginCookie)
	if a.cop.Check(q.Request) != nil || err != nil ||
		subtle.ConstantTimeCompare([]byte(c.Value), []byte(q.PostFormValue("csrf"))) != 1 {
		v.Error = q.L.T("admin.login.form_expired")
		return a.showLogin(w, q, http.StatusForbidden, v)
	}
	u, ss, token, err := a.opt.Users.Login(ctx, email, q.PostFormValue("password"), httpx.ClientIP(ctx), v.Remember)
	var throttled *user.ThrottledError
	switch {
	case errors.As(err, &throttled):
		v.Error = q.L.T("admin.login.throttled", q.L.Time(throttled.Until.In(q.Loc)))
		w.Header().Set("Retry-After", strconv.Itoa(int(throttled.Until.Sub(a.now()).Seconds())+1))
		// Only the kind of limit is logged, never the email or address.
		a.opt.Log.Warn("login throttled", "request_id", httpx.RequestID(ctx), "by", throttled.By)
		return a.showLogin(w, q, http.StatusTooManyRequests, v)
	case errors.Is(err, user.ErrMissingLogin):
		v.Error = q.L.T("admin.login.missing")
		return a.showLogin(w, q, http.StatusUnprocessableEntity, v)
	case errors.Is(err, user.ErrBadLogin):
		a.opt.Log.Info("login failed", "request_id", httpx.RequestID(ctx))
		v.Error = q.L.T("admin.login.bad")
		return a.showLogin(w, q, http.StatusUnauthorized, v)
	case err != nil:
		return err
	}
	a.setSessionCookie(w, q.Request, ss, token)
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: "", Path: "/admin/", MaxAge: -1, HttpOnly: true})
	a.opt.Log.Info("login", "request_id", httpx.RequestID(ctx), "user_id", u.ID)
	http.Redirect(w, q.Request, safeNext(v.Next), http.StatusSeeOther)
	return nil
}

func (a *Admin) logout(w http.ResponseWriter, q *request) error {
	if err := a.endSession(w, q); err != nil {
		return err
	}
	return redirect(w, q, "/admin/login", "logged_out")
}
