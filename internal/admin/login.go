package admin

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"warta/internal/httpx"
	"warta/internal/user"
)

// The login form has no session yet, so its CSRF token is bound to a
// random value kept in a short-lived cookie: the form carries the time it
// was issued and an HMAC, under the site's secret, of that time and the
// cookie (a signed double submit). Another site can make a browser send
// the cookie but cannot read it, and a cookie planted by a neighbouring
// host cannot come with a matching token, since minting one takes the
// secret. The token is checked before anything costs.
const (
	loginCookie  = "warta_login"
	deviceCookie = "warta_device"
	// loginTokenLife is how long a login form stays good.
	loginTokenLife = 24 * time.Hour
)

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

// loginNonce returns the browser's login cookie, or "".
func loginNonce(r *http.Request) string {
	if c, err := r.Cookie(loginCookie); err == nil && len(c.Value) >= 20 && len(c.Value) <= 64 {
		return c.Value
	}
	return ""
}

// loginToken returns a form token for the browser's login cookie,
// setting a new cookie when it has none.
func (a *Admin) loginToken(w http.ResponseWriter, r *http.Request) string {
	nonce := loginNonce(r)
	if nonce == "" {
		nonce = randomToken(18)
		http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: nonce, Path: "/admin/", MaxAge: int(loginTokenLife / time.Second),
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: a.isHTTPS(r)})
	}
	issued := strconv.FormatInt(a.now().Unix(), 36)
	return issued + "." + a.signLogin(nonce, issued)
}

func (a *Admin) signLogin(nonce, issued string) string {
	m := hmac.New(sha256.New, a.opt.Secret)
	m.Write([]byte("login\x00" + nonce + "\x00" + issued))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// loginTokenOK checks the form's token against the browser's cookie and
// the token's age.
func (a *Admin) loginTokenOK(r *http.Request) bool {
	nonce := loginNonce(r)
	issued, mac, ok := strings.Cut(r.PostFormValue("csrf"), ".")
	if nonce == "" || !ok || a.cop.Check(r) != nil {
		return false
	}
	sec, err := strconv.ParseInt(issued, 36, 64)
	if err != nil {
		return false
	}
	age := a.now().Sub(time.Unix(sec, 0))
	return age > -time.Minute && age < loginTokenLife && hmac.Equal([]byte(mac), []byte(a.signLogin(nonce, issued)))
}

func (a *Admin) login(w http.ResponseWriter, q *request) error {
	ctx := q.Context()
	email := strings.TrimSpace(q.PostFormValue("email"))
	v := &loginView{Email: email, Remember: q.PostFormValue("remember") != "", Next: q.PostFormValue("next")}
	if !a.loginTokenOK(q.Request) {
		v.Error = q.L.T("admin.login.form_expired")
		return a.showLogin(w, q, http.StatusForbidden, v)
	}
	in := user.LoginInput{Email: email, Password: q.PostFormValue("password"), Addr: httpx.ClientIP(ctx), Remember: v.Remember,
		UserAgent: q.UserAgent()}
	if c, err := q.Cookie(deviceCookie); err == nil {
		in.Device = c.Value
	}
	res, err := a.opt.Users.Login(ctx, in)
	var throttled *user.ThrottledError
	switch {
	case errors.As(err, &throttled):
		v.Error = q.L.T("admin.login.throttled", q.L.Time(throttled.Until.In(q.Loc)))
		w.Header().Set("Retry-After", strconv.Itoa(int(throttled.Until.Sub(a.now()).Seconds())+1))
		// Only the kind of limit is logged, never the email or address.
		a.opt.Log.Warn("login throttled", "request_id", httpx.RequestID(ctx), "by", throttled.By)
		return a.showLogin(w, q, http.StatusTooManyRequests, v)
	case errors.Is(err, user.ErrBusy):
		v.Error = q.L.T("admin.login.busy")
		w.Header().Set("Retry-After", "5")
		a.opt.Log.Warn("login refused: password checks saturated", "request_id", httpx.RequestID(ctx))
		return a.showLogin(w, q, http.StatusServiceUnavailable, v)
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
	if res.NeedCode {
		a.setCodeCookie(w, q.Request, res.User.ID, res.User.PasswordHash, v.Remember)
		return a.showLoginCode(w, q, http.StatusOK, &loginCodeView{Next: v.Next})
	}
	return a.finishLogin(w, q, res, v.Next)
}

// finishLogin gives the browser its session and sends it on.
func (a *Admin) finishLogin(w http.ResponseWriter, q *request, res *user.LoginResult, next string) error {
	ctx := q.Context()
	a.setSessionCookie(w, q.Request, res.Session, res.Token)
	// The device cookie only exempts this browser from other people's
	// failures on this account; it signs nobody in.
	http.SetCookie(w, &http.Cookie{Name: deviceCookie, Value: res.Device, Path: "/admin/login", MaxAge: int(user.DeviceLifetime / time.Second),
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: a.isHTTPS(q.Request)})
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: "", Path: "/admin/", MaxAge: -1, HttpOnly: true, Secure: a.isHTTPS(q.Request)})
	a.opt.Log.Info("login", "request_id", httpx.RequestID(ctx), "user_id", res.User.ID)
	http.Redirect(w, q.Request, safeNext(next), http.StatusSeeOther)
	return nil
}

func (a *Admin) logout(w http.ResponseWriter, q *request) error {
	if err := a.endSession(w, q); err != nil {
		return err
	}
	return redirect(w, q, "/admin/login", "logged_out")
}
