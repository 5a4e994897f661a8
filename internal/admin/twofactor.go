package admin

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"warta/internal/httpx"
	"warta/internal/user"
)

// The code step of a two-factor login. After a right password the browser
// holds a short-lived cookie naming the account, signed with the site's
// secret and the account's password hash (a new password voids it); the
// code form posts back with the login form's token.
const (
	codeCookie = "warta_2fa"
	codeLife   = 5 * time.Minute
)

func (a *Admin) signCode(uid int64, remember string, exp int64, hash string) string {
	m := hmac.New(sha256.New, a.opt.Secret)
	m.Write([]byte("2fa\x00" + strconv.FormatInt(uid, 10) + "\x00" + remember + "\x00" + strconv.FormatInt(exp, 10) + "\x00" + hash))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// setCodeCookie starts the code step for u.
func (a *Admin) setCodeCookie(w http.ResponseWriter, r *http.Request, u int64, hash string, remember bool) {
	rem := "0"
	if remember {
		rem = "1"
	}
	exp := a.now().Add(codeLife).Unix()
	v := strconv.FormatInt(u, 10) + "." + rem + "." + strconv.FormatInt(exp, 10) + "." + a.signCode(u, rem, exp, hash)
	http.SetCookie(w, &http.Cookie{Name: codeCookie, Value: v, Path: "/admin/login", MaxAge: int(codeLife / time.Second),
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: a.isHTTPS(r)})
}

// codeChallenge reads the code step's cookie: the account and whether to
// remember the session (0 when the cookie is missing, altered or old).
func (a *Admin) codeChallenge(q *request) (int64, bool) {
	c, err := q.Cookie(codeCookie)
	if err != nil {
		return 0, false
	}
	parts := strings.Split(c.Value, ".")
	if len(parts) != 4 {
		return 0, false
	}
	uid, err1 := strconv.ParseInt(parts[0], 10, 64)
	exp, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || !a.now().Before(time.Unix(exp, 0)) {
		return 0, false
	}
	u, err := a.st.UserByID(q.Context(), uid)
	if err != nil || !hmac.Equal([]byte(parts[3]), []byte(a.signCode(uid, parts[1], exp, u.PasswordHash))) {
		return 0, false
	}
	return uid, parts[1] == "1"
}

type loginCodeView struct {
	*Base
	Next, Token, Error string
}

func (a *Admin) showLoginCode(w http.ResponseWriter, q *request, code int, v *loginCodeView) error {
	v.Token = a.loginToken(w, q.Request)
	v.Base = a.base(q, q.L.T("admin.2fa.login_title"), "")
	a.render(w, q, code, "login_code", v)
	return nil
}

// loginCode is the second step of a two-factor login.
func (a *Admin) loginCode(w http.ResponseWriter, q *request) error {
	ctx := q.Context()
	v := &loginCodeView{Next: q.PostFormValue("next")}
	if !a.loginTokenOK(q.Request) {
		return a.showLogin(w, q, http.StatusForbidden, &loginView{Next: v.Next, Error: q.L.T("admin.login.form_expired")})
	}
	uid, remember := a.codeChallenge(q)
	if uid == 0 {
		return a.showLogin(w, q, http.StatusForbidden, &loginView{Next: v.Next, Error: q.L.T("admin.2fa.start_again")})
	}
	in := user.CodeInput{UserID: uid, Code: q.PostFormValue("code"), Addr: httpx.ClientIP(ctx), Remember: remember,
		UserAgent: q.UserAgent()}
	if c, err := q.Cookie(deviceCookie); err == nil {
		in.Device = c.Value
	}
	res, err := a.opt.Users.LoginCode(ctx, in)
	var throttled *user.ThrottledError
	switch {
	case errors.As(err, &throttled):
		v.Error = q.L.T("admin.login.throttled", q.L.Time(throttled.Until.In(q.Loc)))
		w.Header().Set("Retry-After", strconv.Itoa(int(throttled.Until.Sub(a.now()).Seconds())+1))
		a.opt.Log.Warn("login throttled", "request_id", httpx.RequestID(ctx), "by", throttled.By)
		return a.showLoginCode(w, q, http.StatusTooManyRequests, v)
	case errors.Is(err, user.ErrBadCode):
		a.opt.Log.Info("login code failed", "request_id", httpx.RequestID(ctx))
		v.Error = q.L.T("admin.2fa.bad_code")
		return a.showLoginCode(w, q, http.StatusUnauthorized, v)
	case err != nil:
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: codeCookie, Value: "", Path: "/admin/login", MaxAge: -1, HttpOnly: true, Secure: a.isHTTPS(q.Request)})
	return a.finishLogin(w, q, res, v.Next)
}

// twoFactorView is the account's two-factor screen.
type twoFactorView struct {
	*Base
	Enabled  bool
	Required bool
	// Enrolment (off): the QR code, the secret and the URI.
	QR          template.HTML
	Secret, URI string
	// Codes are new recovery codes, shown once; Left how many are unused.
	Codes  []string
	Left   int
	Errors FormErrors
	// Failed names the form whose password was refused ("codes" or
	// "disable"), so the message shows beside it.
	Failed string
}

func (a *Admin) showTwoFactor(w http.ResponseWriter, q *request, code int, v *twoFactorView) error {
	v.Base = a.base(q, q.L.T("admin.2fa.title"), "account")
	v.Enabled = q.User.TwoFactor || len(v.Codes) > 0
	v.Required = q.Settings.TwoFactorRequired(q.User.Role)
	if !v.Enabled {
		e, err := a.opt.Users.Enrolment(q.Context(), q.User)
		if err != nil {
			return err
		}
		v.Secret, v.URI = e.Secret, e.URI
		if v.QR, err = qrSVG(e.URI, q.L.T("admin.2fa.qr_label")); err != nil {
			return err
		}
	} else if v.Codes == nil {
		n, err := a.opt.Users.RecoveryCodesLeft(q.Context(), q.User)
		if err != nil {
			return err
		}
		v.Left = n
	}
	a.render(w, q, code, "twofactor", v)
	return nil
}

func (a *Admin) twoFactorForm(w http.ResponseWriter, q *request) error {
	return a.showTwoFactor(w, q, http.StatusOK, &twoFactorView{})
}

// confirmTwoFactor turns two-factor on with a code from the app, and
// shows the recovery codes once.
func (a *Admin) confirmTwoFactor(w http.ResponseWriter, q *request) error {
	codes, err := a.opt.Users.ConfirmTOTP(q.Context(), q.User, q.PostFormValue("code"))
	if err != nil {
		errs, ok := formErrors(q, err, "code")
		if !ok {
			return err
		}
		return a.showTwoFactor(w, q, http.StatusUnprocessableEntity, &twoFactorView{Errors: errs})
	}
	return a.showTwoFactor(w, q, http.StatusOK, &twoFactorView{Codes: codes})
}

// newRecoveryCodes replaces the recovery codes (password required).
func (a *Admin) newRecoveryCodes(w http.ResponseWriter, q *request) error {
	codes, err := a.opt.Users.NewRecoveryCodes(q.Context(), q.User, q.PostFormValue("password"))
	if err != nil {
		errs, ok := formErrors(q, err, "password")
		if !ok {
			return err
		}
		return a.showTwoFactor(w, q, http.StatusUnprocessableEntity, &twoFactorView{Errors: errs, Failed: "codes"})
	}
	return a.showTwoFactor(w, q, http.StatusOK, &twoFactorView{Codes: codes})
}

// disableTwoFactor turns two-factor off (password required).
func (a *Admin) disableTwoFactor(w http.ResponseWriter, q *request) error {
	if err := a.opt.Users.DisableTOTP(q.Context(), q.User, q.PostFormValue("password")); err != nil {
		errs, ok := formErrors(q, err, "password")
		if !ok {
			return err
		}
		return a.showTwoFactor(w, q, http.StatusUnprocessableEntity, &twoFactorView{Errors: errs, Failed: "disable"})
	}
	return redirect(w, q, "/admin/account/2fa", "2fa_off")
}

// mustEnrol reports whether the user must set up two-factor before using
// the newsroom: their role requires it and they have not.
func mustEnrol(q *request) bool {
	return q.User != nil && !q.User.TwoFactor && q.Settings.TwoFactorRequired(q.User.Role)
}

// enrolPaths are what a user who must enrol may still reach.
var enrolPaths = map[string]bool{"/admin/account/2fa": true, "/admin/logout": true}
