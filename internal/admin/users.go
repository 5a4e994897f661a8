package admin

import (
	"context"
	"errors"
	"net/http"
	"net/mail"
	"strconv"
	"strings"
	"unicode/utf8"

	"warta/internal/auth"
	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/slug"
	"warta/internal/store"
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
	Active   bool
}

type userView struct {
	*Base
	F      userForm
	IsNew  bool
	IsSelf bool
	Roles  []Option
	Langs  []LangOption
	Errors FormErrors
}

func (a *Admin) showUser(w http.ResponseWriter, q *request, code int, f userForm, isNew bool, errs FormErrors) error {
	title := q.L.T("admin.user.new_title")
	if !isNew {
		title = q.L.T("admin.user.edit_title", f.Name)
	}
	v := &userView{Base: a.base(q, title, "users"), F: f, IsNew: isNew, IsSelf: f.ID == q.User.ID, Errors: errs}
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
		Active: q.PostFormValue("active") != ""}
}

func (a *Admin) checkUser(q *request, f userForm) FormErrors {
	errs := FormErrors{}
	if addr, err := mail.ParseAddress(f.Email); err != nil || addr.Address != f.Email || len(f.Email) > 200 ||
		!strings.Contains(f.Email[strings.LastIndexByte(f.Email, '@')+1:], ".") {
		errs["email"] = q.L.T("validation.invalid", q.L.T("field.email"))
	}
	if f.Name == "" {
		errs["name"] = q.L.T("validation.required", q.L.T("field.name"))
	} else if utf8.RuneCountInString(f.Name) > 100 {
		errs["name"] = q.L.T("validation.too_long", q.L.T("field.name"), q.L.Int(100))
	}
	if !f.Role.Valid() {
		errs["role"] = q.L.T("validation.invalid", q.L.T("admin.field.role"))
	}
	if !a.validLang(f.Language, true) {
		errs["language"] = q.L.T("validation.invalid", q.L.T("field.language"))
	}
	if utf8.RuneCountInString(f.Bio) > 1000 {
		errs["bio"] = q.L.T("validation.too_long", q.L.T("admin.field.bio"), q.L.Int(1000))
	}
	return errs
}

func (a *Admin) createUser(w http.ResponseWriter, q *request) error {
	f := readUserForm(q)
	f.Active = true
	errs := a.checkUser(q, f)
	pw := q.PostFormValue("password")
	if msg := passwordProblem(q, pw, q.PostFormValue("confirm"), f.Email); msg != "" {
		errs["password"] = msg
	}
	if len(errs) > 0 {
		return a.showUser(w, q, http.StatusUnprocessableEntity, f, true, errs)
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	u := &model.User{Email: f.Email, Name: f.Name, Role: f.Role, Language: f.Language, Bio: f.Bio, Active: true, PasswordHash: hash}
	if u.Slug, err = a.userSlug(q.Context(), u.Name, 0); err != nil {
		return err
	}
	if err := a.st.CreateUser(q.Context(), u); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return a.showUser(w, q, http.StatusUnprocessableEntity, f, true, FormErrors{"email": q.L.T("admin.user.email_taken")})
		}
		return err
	}
	return redirect(w, q, "/admin/users", "created")
}

// userSlug is the address of the user's public author page.
func (a *Admin) userSlug(ctx context.Context, name string, id int64) (string, error) {
	base := slug.Make(name)
	if base == "" {
		base = "penulis"
	}
	return slug.Unique(ctx, base, func(ctx context.Context, s string) (bool, error) { return a.st.SlugTaken(ctx, "users", s, id) })
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
	f := userForm{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, Language: u.Language, Bio: u.Bio, Active: u.Active}
	return a.showUser(w, q, http.StatusOK, f, false, nil)
}

// updateUser changes a profile, role or state. An admin cannot demote or
// deactivate themselves, so the site never loses its last way in by a
// slip of the mouse. Deactivating ends the user's sessions at once.
func (a *Admin) updateUser(w http.ResponseWriter, q *request) error {
	u, err := a.userByPath(q)
	if err != nil {
		return err
	}
	f := readUserForm(q)
	f.ID = u.ID
	errs := a.checkUser(q, f)
	if u.ID == q.User.ID && (f.Role != u.Role || !f.Active) {
		errs["role"] = q.L.T("admin.user.not_self")
	}
	if len(errs) > 0 {
		return a.showUser(w, q, http.StatusUnprocessableEntity, f, false, errs)
	}
	// The slug stays: it is the address of the author's public page, and
	// a rename must not break links to it.
	public := u.Name != f.Name || u.Bio != f.Bio || u.Active != f.Active
	u.Email, u.Name, u.Role, u.Language, u.Bio, u.Active = f.Email, f.Name, f.Role, f.Language, f.Bio, f.Active
	if err := a.st.UpdateUser(q.Context(), u); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return a.showUser(w, q, http.StatusUnprocessableEntity, f, false, FormErrors{"email": q.L.T("admin.user.email_taken")})
		}
		return err
	}
	if public {
		// Bylines and the author page show them.
		a.opt.Events.Publish(q.Context(), event.AuthorChanged{ID: u.ID})
	}
	if !u.Active {
		if err := a.st.DeleteUserSessions(q.Context(), u.ID, ""); err != nil {
			return err
		}
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
	pw := q.PostFormValue("password")
	if msg := passwordProblem(q, pw, q.PostFormValue("confirm"), u.Email); msg != "" {
		f := userForm{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, Language: u.Language, Bio: u.Bio, Active: u.Active}
		return a.showUser(w, q, http.StatusUnprocessableEntity, f, false, FormErrors{"password": msg})
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	if err := a.st.SetPassword(q.Context(), u.ID, hash); err != nil {
		return err
	}
	keep := ""
	if u.ID == q.User.ID {
		keep = q.Session.ID
	}
	if err := a.st.DeleteUserSessions(q.Context(), u.ID, keep); err != nil {
		return err
	}
	if err := a.st.ClearLoginFailures(q.Context(), "account:"+strings.ToLower(u.Email)); err != nil {
		return err
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
	v := &tokenListView{Label: label, Errors: FormErrors{}}
	u, err := a.st.UserByID(q.Context(), uid)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !u.Active) {
		v.Errors["user"] = q.L.T("validation.invalid", q.L.T("admin.field.user"))
	} else if err != nil {
		return err
	}
	if utf8.RuneCountInString(label) > 100 {
		v.Errors["name"] = q.L.T("validation.too_long", q.L.T("admin.field.label"), q.L.Int(100))
	}
	if len(v.Errors) > 0 {
		return a.showTokens(w, q, http.StatusUnprocessableEntity, v)
	}
	tok, err := auth.NewToken()
	if err != nil {
		return err
	}
	if err := a.st.CreateToken(q.Context(), &model.Token{UserID: u.ID, Name: label, Hash: auth.HashToken(tok), CreatedAt: a.now()}); err != nil {
		return err
	}
	v.NewToken, v.Label = tok, ""
	return a.showTokens(w, q, http.StatusOK, v)
}

func (a *Admin) revokeToken(w http.ResponseWriter, q *request) error {
	id, err := idParam(q, "id")
	if err != nil {
		return err
	}
	if err := a.st.RevokeToken(q.Context(), id); err != nil {
		return err
	}
	return redirect(w, q, "/admin/tokens", "revoked")
}
