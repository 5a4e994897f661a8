package admin

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"warta/internal/httpx"
	"warta/internal/user"
)

// The "forgot password" road: the login page links a form asking for an
// email (/admin/lupa-sandi); the answer is the same whether or not an
// account has it, and a mail holds a one-time link to /admin/atur-sandi,
// a form with a new password. The same form sets the first password of
// an invited account.

type forgotView struct {
	*Base
	Token  string
	Email  string
	Sent   bool
	MailOn bool
	Error  string
}

func (a *Admin) forgotForm(w http.ResponseWriter, q *request) error {
	return a.showForgot(w, q, http.StatusOK, &forgotView{})
}

func (a *Admin) showForgot(w http.ResponseWriter, q *request, code int, v *forgotView) error {
	v.Token = a.loginToken(w, q.Request)
	v.Base = a.base(q, q.L.T("admin.forgot.title"), "")
	v.MailOn = a.opt.Users.MailEnabled()
	a.render(w, q, code, "forgot", v)
	return nil
}

func (a *Admin) forgot(w http.ResponseWriter, q *request) error {
	ctx := q.Context()
	v := &forgotView{Email: strings.TrimSpace(q.PostFormValue("email"))}
	if !a.loginTokenOK(q.Request) {
		v.Error = q.L.T("admin.login.form_expired")
		return a.showForgot(w, q, http.StatusForbidden, v)
	}
	if v.Email == "" || !strings.Contains(v.Email, "@") || len(v.Email) > user.MaxEmail {
		v.Error = q.L.T("admin.forgot.bad_email")
		return a.showForgot(w, q, http.StatusUnprocessableEntity, v)
	}
	err := a.opt.Users.RequestReset(ctx, user.ResetRequest{Email: v.Email, Addr: httpx.ClientIP(ctx), BaseURL: a.baseURL(q)})
	var throttled *user.ThrottledError
	switch {
	case errors.As(err, &throttled):
		v.Error = q.L.T("admin.forgot.throttled", q.L.Time(throttled.Until.In(q.Loc)))
		w.Header().Set("Retry-After", strconv.Itoa(int(throttled.Until.Sub(a.now()).Seconds())+1))
		a.opt.Log.Warn("password reset throttled", "request_id", httpx.RequestID(ctx))
		return a.showForgot(w, q, http.StatusTooManyRequests, v)
	case errors.Is(err, user.ErrMailOff):
		return a.showForgot(w, q, http.StatusServiceUnavailable, v)
	case err != nil:
		return err
	}
	// Neither the address nor whether it has an account is logged.
	a.opt.Log.Info("password reset asked", "request_id", httpx.RequestID(ctx))
	return a.showForgot(w, q, http.StatusOK, &forgotView{Sent: true, Email: v.Email})
}

// baseURL is the site's address for links in mails: the setting, the
// flag, or (when neither is set) the request's own.
func (a *Admin) baseURL(q *request) string {
	if q.Settings.BaseURL != "" {
		return strings.TrimRight(q.Settings.BaseURL, "/")
	}
	if a.opt.BaseURL != "" {
		return a.opt.BaseURL
	}
	return httpx.RequestBaseURL(q.Request)
}

type setPasswordView struct {
	*Base
	Token   string
	Invite  bool
	Name    string
	Errors  FormErrors
	BadLink bool
}

func (a *Admin) setPasswordForm(w http.ResponseWriter, q *request) error {
	// The link's token must not travel on to another site.
	w.Header().Set("Referrer-Policy", "no-referrer")
	tok := q.URL.Query().Get("token")
	u, purpose, err := a.opt.Users.PasswordLink(q.Context(), tok)
	if errors.Is(err, user.ErrBadLink) {
		return a.showSetPassword(w, q, http.StatusGone, &setPasswordView{BadLink: true})
	} else if err != nil {
		return err
	}
	return a.showSetPassword(w, q, http.StatusOK, &setPasswordView{Token: tok, Invite: purpose == "invite", Name: u.Name})
}

func (a *Admin) showSetPassword(w http.ResponseWriter, q *request, code int, v *setPasswordView) error {
	v.Base = a.base(q, q.L.T("admin.setpw.title"), "")
	a.render(w, q, code, "setpassword", v)
	return nil
}

func (a *Admin) setPassword(w http.ResponseWriter, q *request) error {
	w.Header().Set("Referrer-Policy", "no-referrer")
	// No session here: the link's secret token, which another site
	// cannot know, guards the form, with the browser's origin check.
	if a.cop.Check(q.Request) != nil {
		return errCSRF
	}
	tok := q.PostFormValue("token")
	u, err := a.opt.Users.SetPasswordWithLink(q.Context(), tok, q.PostFormValue("password"))
	if errors.Is(err, user.ErrBadLink) {
		return a.showSetPassword(w, q, http.StatusGone, &setPasswordView{BadLink: true})
	}
	if err != nil {
		errs, ok := formErrors(q, err, "password")
		if !ok {
			return err
		}
		v := &setPasswordView{Token: tok, Errors: errs}
		if lu, purpose, err := a.opt.Users.PasswordLink(q.Context(), tok); err == nil {
			v.Name, v.Invite = lu.Name, purpose == "invite"
		}
		return a.showSetPassword(w, q, http.StatusUnprocessableEntity, v)
	}
	a.opt.Log.Info("password set through a link", "request_id", httpx.RequestID(q.Context()), "user_id", u.ID)
	return redirect(w, q, "/admin/login", "password_set")
}
