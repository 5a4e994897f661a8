package admin

import (
	"net/http"
	"strings"

	"warta/internal/model"
	"warta/internal/user"
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

type accountView struct {
	*Base
	Name, Bio, Language string
	Twitter             string
	Langs               []LangOption
	Errors              FormErrors
	CanModerate         bool // editors and admins choose held-comment mails
}

func (a *Admin) accountForm(w http.ResponseWriter, q *request) error {
	u := q.User
	v := &accountView{Name: u.Name, Bio: u.Bio, Language: u.Language, Twitter: u.Twitter}
	return a.showAccount(w, q, http.StatusOK, v)
}

func (a *Admin) showAccount(w http.ResponseWriter, q *request, code int, v *accountView) error {
	v.Base = a.base(q, q.L.T("admin.account.title"), "account")
	v.Langs = a.langOptions(v.Language, true, q)
	v.CanModerate = q.User.Role.AtLeast(model.RoleEditor)
	a.render(w, q, code, "account", v)
	return nil
}

func (a *Admin) saveAccount(w http.ResponseWriter, q *request) error {
	v := &accountView{Name: strings.TrimSpace(q.PostFormValue("name")), Bio: strings.TrimSpace(q.PostFormValue("bio")),
		Language: q.PostFormValue("language"), Twitter: strings.TrimSpace(q.PostFormValue("twitter"))}
	p := user.Profile{Name: v.Name, Bio: v.Bio, Language: v.Language, Twitter: v.Twitter}
	if _, err := a.opt.Users.UpdateProfile(q.Context(), q.User, p); err != nil {
		errs, ok := formErrors(q, err, "name", "bio", "language", "twitter")
		if !ok {
			return err
		}
		v.Errors = errs
		return a.showAccount(w, q, http.StatusUnprocessableEntity, v)
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
	err := a.opt.Users.ChangePassword(q.Context(), q.User, q.Session.ID, q.PostFormValue("current"),
		q.PostFormValue("password"), q.PostFormValue("confirm"))
	if err != nil {
		errs, ok := formErrors(q, err, "current", "password")
		if !ok {
			return err
		}
		a.render(w, q, http.StatusUnprocessableEntity, "password",
			&passwordView{Base: a.base(q, q.L.T("admin.password.title"), "account"), Errors: errs})
		return nil
	}
	return redirect(w, q, "/admin/account", "password_changed")
}

// saveMailChoices records whether the editor wants held-comment mails.
func (a *Admin) saveMailChoices(w http.ResponseWriter, q *request) error {
	if err := a.opt.Users.SetNotifyHeld(q.Context(), q.User, q.PostFormValue("notify_held") != ""); err != nil {
		return err
	}
	return redirect(w, q, "/admin/account", "saved")
}
