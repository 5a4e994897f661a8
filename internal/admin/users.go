package admin

import (
	"net/http"
	"strconv"
	"strings"

	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/user"
)

type userListView struct {
	*Base
	Users []model.User
}

func (a *Admin) userList(w http.ResponseWriter, q *request) error {
	users, err := a.st.ListUsers(q.Context())
	if err != nil {
		return err
	}
	a.render(w, q, http.StatusOK, "users", &userListView{Base: a.base(q, q.L.T("admin.nav.users"), "users"), Users: users})
	return nil
}

type userForm struct {
	ID       int64
	Email    string
	Name     string
	Role     model.Role
	Language string
	Bio      string
	Twitter  string
	Active   bool
}

type userView struct {
	*Base
	F userForm
	// TwoFactor: the account signs in with two-step verification.
	TwoFactor bool
	IsNew     bool
	IsSelf    bool
	Roles     []Option
	Langs     []LangOption
	Errors    FormErrors
	// MailOn: a new account may be invited by mail instead of given a password.
	MailOn bool
	Invite bool
}

func (a *Admin) showUser(w http.ResponseWriter, q *request, code int, f userForm, isNew bool, errs FormErrors) error {
	title := q.L.T("admin.user.new_title")
	if !isNew {
		title = q.L.T("admin.user.edit_title", f.Name)
	}
	v := &userView{Base: a.base(q, title, "users"), F: f, IsNew: isNew, IsSelf: f.ID == q.User.ID, Errors: errs,
		MailOn: a.opt.Users.MailEnabled(), Invite: q.PostFormValue("invite") != ""}
	if !isNew {
		if u, err := a.st.UserByID(q.Context(), f.ID); err == nil {
			v.TwoFactor = u.TwoFactor
		}
	}
	for _, r := range model.Roles {
		v.Roles = append(v.Roles, Option{Value: string(r), Label: v.RoleName(r), Selected: f.Role == r})
	}
	v.Langs = a.langOptions(f.Language, true, q)
	a.render(w, q, code, "user", v)
	return nil
}

func (a *Admin) newUser(w http.ResponseWriter, q *request) error {
	return a.showUser(w, q, http.StatusOK, userForm{Role: model.RoleAuthor, Active: true}, true, nil)
}

func readUserForm(q *request) userForm {
	return userForm{Email: strings.TrimSpace(q.PostFormValue("email")), Name: strings.TrimSpace(q.PostFormValue("name")),
		Role: model.Role(q.PostFormValue("role")), Language: q.PostFormValue("language"), Bio: strings.TrimSpace(q.PostFormValue("bio")),
		Twitter: strings.TrimSpace(q.PostFormValue("twitter")), Active: q.PostFormValue("active") != ""}
}

func (f userForm) input() user.Input {
	return user.Input{Email: f.Email, Name: f.Name, Role: f.Role, Language: f.Language, Bio: f.Bio, Twitter: f.Twitter, Active: f.Active}
}

var userFields = []string{"email", "name", "role", "language", "bio", "twitter", "password"}

func (a *Admin) createUser(w http.ResponseWriter, q *request) error {
	f := readUserForm(q)
	f.Active = true
	var err error
	invite := q.PostFormValue("invite") != "" && a.opt.Users.MailEnabled()
	if invite {
		_, err = a.opt.Users.Invite(q.Context(), q.User, f.input(), a.baseURL(q))
	} else {
		_, err = a.opt.Users.Create(q.Context(), q.User, f.input(), q.PostFormValue("password"), q.PostFormValue("confirm"))
	}
	if err != nil {
		errs, ok := formErrors(q, err, userFields...)
		if !ok {
			return err
		}
		return a.showUser(w, q, http.StatusUnprocessableEntity, f, true, errs)
	}
	if invite {
		return redirect(w, q, "/admin/users", "invited")
	}
	return redirect(w, q, "/admin/users", "created")
}

func (a *Admin) userByPath(q *request) (*model.User, error) {
	id, err := idParam(q, "id")
	if err != nil {
		return nil, err
	}
	return a.st.UserByID(q.Context(), id)
}

func (a *Admin) editUser(w http.ResponseWriter, q *request) error {
	u, err := a.userByPath(q)
	if err != nil {
		return err
	}
	f := userForm{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, Language: u.Language, Bio: u.Bio, Twitter: u.Twitter, Active: u.Active}
	return a.showUser(w, q, http.StatusOK, f, false, nil)
}

// updateUser changes a profile, role or state (the rules, such as an
// admin not demoting themselves, are the user service's).
func (a *Admin) updateUser(w http.ResponseWriter, q *request) error {
	u, err := a.userByPath(q)
	if err != nil {
		return err
	}
	f := readUserForm(q)
	f.ID = u.ID
	if _, err := a.opt.Users.Update(q.Context(), q.User, u.ID, f.input()); err != nil {
		errs, ok := formErrors(q, err, userFields...)
		if !ok {
			return err
		}
		return a.showUser(w, q, http.StatusUnprocessableEntity, f, false, errs)
	}
	return redirect(w, q, "/admin/users/"+itoa64(u.ID), "saved")
}

// resetPassword sets a new password chosen by the admin, ends the user's
// sessions and lifts a login block on the account.
func (a *Admin) resetPassword(w http.ResponseWriter, q *request) error {
	u, err := a.userByPath(q)
	if err != nil {
		return err
	}
	err = a.opt.Users.ResetPassword(q.Context(), q.User, u.ID, q.Session.ID, q.PostFormValue("password"), q.PostFormValue("confirm"))
	if err != nil {
		errs, ok := formErrors(q, err, "password")
		if !ok {
			return err
		}
		f := userForm{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, Language: u.Language, Bio: u.Bio, Twitter: u.Twitter, Active: u.Active}
		return a.showUser(w, q, http.StatusUnprocessableEntity, f, false, errs)
	}
	return redirect(w, q, "/admin/users/"+itoa64(u.ID), "password_reset")
}

type tokenListView struct {
	*Base
	Tokens   []store.TokenInfo
	Users    []Option
	NewToken string // shown once, right after creation
	Label    string
	Errors   FormErrors
}

func (a *Admin) showTokens(w http.ResponseWriter, q *request, code int, v *tokenListView) error {
	ctx := q.Context()
	tokens, err := a.st.ListTokens(ctx)
	if err != nil {
		return err
	}
	users, err := a.st.ListUsers(ctx)
	if err != nil {
		return err
	}
	v.Base = a.base(q, q.L.T("admin.nav.tokens"), "tokens")
	v.Tokens = tokens
	for _, u := range users {
		if u.Active {
			v.Users = append(v.Users, Option{Value: itoa64(u.ID), Label: u.Name + " <" + u.Email + ">", Selected: u.ID == q.User.ID})
		}
	}
	a.render(w, q, code, "tokens", v)
	return nil
}

func (a *Admin) tokenList(w http.ResponseWriter, q *request) error {
	return a.showTokens(w, q, http.StatusOK, &tokenListView{})
}

// createToken shows the new token once, in the response to the POST; only
// its hash is stored, so it can never be shown again.
func (a *Admin) createToken(w http.ResponseWriter, q *request) error {
	label := strings.TrimSpace(q.PostFormValue("name"))
	uid, _ := strconv.ParseInt(q.PostFormValue("user"), 10, 64)
	v := &tokenListView{Label: label}
	tok, err := a.opt.Users.CreateToken(q.Context(), q.User, uid, label)
	if err != nil {
		errs, ok := formErrors(q, err, "user", "name")
		if !ok {
			return err
		}
		v.Errors = errs
		return a.showTokens(w, q, http.StatusUnprocessableEntity, v)
	}
	v.NewToken, v.Label = tok, ""
	return a.showTokens(w, q, http.StatusOK, v)
}

func (a *Admin) revokeToken(w http.ResponseWriter, q *request) error {
	id, err := idParam(q, "id")
	if err != nil {
		return err
	}
	if err := a.opt.Users.RevokeToken(q.Context(), q.User, id); err != nil {
		return err
	}
	return redirect(w, q, "/admin/tokens", "revoked")
}
