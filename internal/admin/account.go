package admin

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"warta/internal/auth"
	"warta/internal/event"
)

// LangOption is a language a user may pick for the newsroom.
type LangOption struct {
	Code, Name string
	Selected   bool
}

func (a *Admin) langOptions(current string, withDefault bool, q *request) []LangOption {
	var out []LangOption
	if withDefault {
		out = append(out, LangOption{Code: "", Name: q.L.T("admin.account.language_site"), Selected: current == ""})
	}
	for _, code := range a.opt.Locales.Langs() {
		out = append(out, LangOption{Code: code, Name: a.opt.Locales.Get(code).Name(), Selected: current == code})
	}
	return out
}

func (a *Admin) validLang(code string, allowEmpty bool) bool {
	if code == "" {
		return allowEmpty
	}
	for _, l := range a.opt.Locales.Langs() {
		if l == code {
			return true
		}
	}
	return false
}

type accountView struct {
	*Base
	Name, Bio, Language string
	Langs               []LangOption
	Errors              FormErrors
}

func (a *Admin) accountForm(w http.ResponseWriter, q *request) error {
	u := q.User
	v := &accountView{Name: u.Name, Bio: u.Bio, Language: u.Language}
	return a.showAccount(w, q, http.StatusOK, v)
}

func (a *Admin) showAccount(w http.ResponseWriter, q *request, code int, v *accountView) error {
	v.Base = a.base(q, q.L.T("admin.account.title"), "account")
	v.Langs = a.langOptions(v.Language, true, q)
	a.render(w, q, code, "account", v)
	return nil
}

func (a *Admin) saveAccount(w http.ResponseWriter, q *request) error {
	v := &accountView{Name: strings.TrimSpace(q.PostFormValue("name")), Bio: strings.TrimSpace(q.PostFormValue("bio")),
		Language: q.PostFormValue("language"), Errors: FormErrors{}}
	if v.Name == "" {
		v.Errors["name"] = q.L.T("validation.required", q.L.T("field.name"))
	} else if utf8.RuneCountInString(v.Name) > 100 {
		v.Errors["name"] = q.L.T("validation.too_long", q.L.T("field.name"), q.L.Int(100))
	}
	if utf8.RuneCountInString(v.Bio) > 1000 {
		v.Errors["bio"] = q.L.T("validation.too_long", q.L.T("admin.field.bio"), q.L.Int(1000))
	}
	if !a.validLang(v.Language, true) {
		v.Errors["language"] = q.L.T("validation.invalid", q.L.T("field.language"))
	}
	if len(v.Errors) > 0 {
		return a.showAccount(w, q, http.StatusUnprocessableEntity, v)
	}
	u := *q.User
	u.Name, u.Bio, u.Language = v.Name, v.Bio, v.Language
	if err := a.st.UpdateUser(q.Context(), &u); err != nil {
		return err
	}
	if u.Name != q.User.Name || u.Bio != q.User.Bio {
		// Bylines and the author page show them.
		a.opt.Events.Publish(q.Context(), event.AuthorChanged{ID: u.ID})
	}
	return redirect(w, q, "/admin/account", "saved")
}

type passwordView struct {
	*Base
	Errors FormErrors
}

func (a *Admin) passwordForm(w http.ResponseWriter, q *request) error {
	a.render(w, q, http.StatusOK, "password", &passwordView{Base: a.base(q, q.L.T("admin.password.title"), "account")})
	return nil
}

// changePassword needs the current password, so a session left open on a
// shared computer cannot be turned into a stolen account. Every other
// session of the user ends.
func (a *Admin) changePassword(w http.ResponseWriter, q *request) error {
	errs := FormErrors{}
	current, next, confirm := q.PostFormValue("current"), q.PostFormValue("password"), q.PostFormValue("confirm")
	if auth.CheckPassword(q.User.PasswordHash, current) != nil {
		errs["current"] = q.L.T("admin.password.wrong_current")
	}
	if msg := passwordProblem(q, next, confirm, q.User.Email); msg != "" {
		errs["password"] = msg
	}
	if len(errs) > 0 {
		a.render(w, q, http.StatusUnprocessableEntity, "password",
			&passwordView{Base: a.base(q, q.L.T("admin.password.title"), "account"), Errors: errs})
		return nil
	}
	hash, err := auth.HashPassword(next)
	if err != nil {
		return err
	}
	if err := a.st.SetPassword(q.Context(), q.User.ID, hash); err != nil {
		return err
	}
	if err := a.st.DeleteUserSessions(q.Context(), q.User.ID, q.Session.ID); err != nil {
		return err
	}
	return redirect(w, q, "/admin/account", "password_changed")
}

// passwordProblem explains what is wrong with a new password for the
// account with email, or "".
func passwordProblem(q *request, pw, confirm, email string) string {
	if err := auth.CheckNewPassword(pw, email, q.Settings.SiteName); err != nil {
		if errs, ok := formErrors(q, err, "password"); ok {
			return errs["password"]
		}
		return err.Error()
	}
	if pw != confirm {
		return q.L.T("admin.password.mismatch")
	}
	return ""
}
