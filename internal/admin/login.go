package admin

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"warta/internal/auth"
	"warta/internal/store"
	"warta/internal/web"
)

// Login throttling: after this many failures within ThrottleWindow the
// account (or the address) must wait until the oldest failure is older
// than the window. An address gets more tries than an account because a
// whole newsroom often shares one address.
const (
	ThrottleWindow     = 15 * time.Minute
	MaxAccountFailures = 5
	MaxAddressFailures = 20
)

// The login form has no session yet, so its CSRF token is a random value
// kept in a short-lived cookie and repeated in the form (double submit):
// another site can make a browser send the cookie but cannot read it.
const loginCookie = "warta_login"

// dummyHash is checked when the email is unknown, so that a wrong email
// and a wrong password take the same time. It is made on first use: a
// hash costs most of a second, which no other command should pay.
var dummyHash = sync.OnceValue(func() string {
	h, _ := auth.HashPassword("warta-no-such-user")
	return h
})

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
	now := a.now()
	addrKey := "addr:" + web.ClientIP(ctx).String()
	accountKey := "account:" + strings.ToLower(email)
	for _, lim := range []struct {
		key string
		max int
	}{{accountKey, MaxAccountFailures}, {addrKey, MaxAddressFailures}} {
		n, first, err := a.st.LoginFailures(ctx, lim.key, now.Add(-ThrottleWindow))
		if err != nil {
			return err
		}
		if n >= lim.max {
			// The wait ends when the oldest counted failure leaves the window.
			until := first.Add(ThrottleWindow)
			v.Error = q.L.T("admin.login.throttled", q.L.Time(until.In(q.Loc)))
			w.Header().Set("Retry-After", strconv.Itoa(int(until.Sub(now).Seconds())+1))
			// The key holds an email or an address: only its kind is logged.
			a.opt.Log.Warn("login throttled", "request_id", web.RequestID(ctx), "by", strings.SplitN(lim.key, ":", 2)[0])
			return a.showLogin(w, q, http.StatusTooManyRequests, v)
		}
	}
	password := q.PostFormValue("password")
	if email == "" || password == "" {
		v.Error = q.L.T("admin.login.missing")
		return a.showLogin(w, q, http.StatusUnprocessableEntity, v)
	}
	u, err := a.st.UserByEmail(ctx, email)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	known := err == nil && u.Active && u.PasswordHash != ""
	hash := dummyHash()
	if known {
		hash = u.PasswordHash
	}
	if auth.CheckPassword(hash, password) != nil || !known {
		if err := a.st.RecordLoginFailure(ctx, []string{accountKey, addrKey}, now, now.Add(-24*time.Hour)); err != nil {
			return err
		}
		a.opt.Log.Info("login failed", "request_id", web.RequestID(ctx))
		v.Error = q.L.T("admin.login.bad")
		return a.showLogin(w, q, http.StatusUnauthorized, v)
	}
	if err := a.st.ClearLoginFailures(ctx, accountKey); err != nil {
		return err
	}
	if err := a.startSession(w, q.Request, u, v.Remember); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: "", Path: "/admin/", MaxAge: -1, HttpOnly: true})
	a.opt.Log.Info("login", "request_id", web.RequestID(ctx), "user_id", u.ID)
	http.Redirect(w, q.Request, safeNext(v.Next), http.StatusSeeOther)
	return nil
}

func (a *Admin) logout(w http.ResponseWriter, q *request) error {
	if err := a.endSession(w, q); err != nil {
		return err
	}
	return redirect(w, q, "/admin/login", "logged_out")
}
