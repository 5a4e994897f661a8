// Package user owns the rules of staff accounts: who they are, what they
// may do, their passwords, API tokens and newsroom sessions. Each change
// runs in one store transaction; one that readers can see (a byline, an
// author page) ends with one event.
package user

import (
	"context"
	"errors"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"warta/internal/auth"
	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/slug"
	"warta/internal/store"
	"warta/internal/valid"
)

// Limits on account fields.
const (
	MaxName  = 100
	MaxBio   = 1000
	MaxEmail = 200
	MaxLabel = 100
)

// Operator is the person at the server's command line (warta user add):
// they may do what an admin may, and are nobody's account.
var Operator = &model.User{Name: "operator", Role: model.RoleAdmin, Active: true}

// Store is what accounts need from storage.
type Store interface {
	store.Transactor
	UserByID(ctx context.Context, id int64) (*model.User, error)
	UserByEmail(ctx context.Context, email string) (*model.User, error)
	SessionByID(ctx context.Context, id string) (*store.Session, error)
	ReserveLoginAttempt(ctx context.Context, attempt string, limits []store.LoginLimit, at, prune time.Time) (int, time.Time, error)
	ForgetLoginAttempt(ctx context.Context, attempt string) error
	LoginDeviceUser(ctx context.Context, id string, since time.Time) (int64, error)
	Settings(ctx context.Context) (model.Settings, error)
	PasswordTokenByHash(ctx context.Context, hash string) (*model.PasswordToken, error)
	UnusedRecoveryCodes(ctx context.Context, userID int64) (int, error)
	UserSessions(ctx context.Context, userID int64, now time.Time) ([]store.Session, error)
}

// Service applies the rules.
type Service struct {
	st     Store
	events *event.Bus
	now    func() time.Time
	langs  []string
	gate   *auth.Gate
	mail   Mailer // nil: no account mails
}

// New builds the service on the program's clock; langs are the languages
// the newsroom speaks.
func New(st Store, bus *event.Bus, now func() time.Time, langs []string) *Service {
	if now == nil {
		panic("user: no clock")
	}
	return &Service{st: st, events: bus, now: now, langs: langs, gate: auth.DefaultGate()}
}

// SetGate replaces the gate that bounds the service's password hashing
// (auth.DefaultGate). Every instance of the program should share one.
func (s *Service) SetGate(g *auth.Gate) { s.gate = g }

// Gate is the gate that bounds the service's password hashing.
func (s *Service) Gate() *auth.Gate { return s.gate }

func isAdmin(actor *model.User) bool {
	return actor != nil && actor.Role == model.RoleAdmin && actor.Active
}

// Input is an account as an admin fills it in.
type Input struct {
	Email    string
	Name     string
	Role     model.Role
	Language string // "" follows the site
	Bio      string
	// Twitter is the X (Twitter) handle, with or without "@".
	Twitter string
	Active  bool
}

// Profile is what users change of their own account.
type Profile struct {
	Name, Bio, Language string
	// Twitter is the X (Twitter) handle, with or without "@" ("": none).
	Twitter string
}

// check validates in, normalising it in place.
func (s *Service) check(in *Input) valid.Errors {
	var errs valid.Errors
	in.Email, in.Name, in.Bio = strings.TrimSpace(in.Email), strings.TrimSpace(in.Name), strings.TrimSpace(in.Bio)
	if !ValidEmail(in.Email) {
		errs.Add("email", "invalid", "validation.invalid", "email")
	}
	s.checkProfile(&errs, in.Name, in.Bio, in.Language)
	in.Twitter = valid.TwitterHandle(&errs, "twitter", in.Twitter)
	if !in.Role.Valid() {
		errs.Add("role", "invalid", "validation.invalid", "role")
	}
	return errs
}

func (s *Service) checkProfile(errs *valid.Errors, name, bio, lang string) {
	if name == "" {
		errs.Add("name", "required", "validation.required", "name")
	} else if utf8.RuneCountInString(name) > MaxName {
		errs.Add("name", "too_long", "validation.too_long", "name", MaxName)
	}
	if !s.validLang(lang) {
		errs.Add("language", "invalid", "validation.invalid", "language")
	}
	if utf8.RuneCountInString(bio) > MaxBio {
		errs.Add("bio", "too_long", "validation.too_long", "bio", MaxBio)
	}
}

// ValidEmail accepts a plain address (no display name) with a dot in its domain.
func ValidEmail(e string) bool {
	addr, err := mail.ParseAddress(e)
	return err == nil && addr.Address == e && len(e) <= MaxEmail &&
		strings.Contains(e[strings.LastIndexByte(e, '@')+1:], ".")
}

func (s *Service) validLang(code string) bool {
	if code == "" {
		return true
	}
	for _, l := range s.langs {
		if l == code {
			return true
		}
	}
	return false
}

// checkNewPassword is checkPassword, then errs as one error: what the
// caller found wrong before, with the password's problems.
func (s *Service) checkNewPassword(ctx context.Context, errs *valid.Errors, pw, confirm, email string) error {
	if err := s.checkPassword(ctx, errs, pw, confirm, email); err != nil {
		return err
	}
	return errs.Err()
}

// checkPassword adds what is wrong with a new password for the account
// with email to errs: the rules of auth.CheckNewPassword (length, the
// common list, the email or the site's name inside it), then whether it
// was typed the same twice.
func (s *Service) checkPassword(ctx context.Context, errs *valid.Errors, pw, confirm, email string) error {
	st, err := s.st.Settings(ctx)
	if err != nil {
		return err
	}
	if err := auth.CheckNewPassword(pw, email, st.SiteName); err != nil {
		ve, ok := valid.As(err)
		if !ok {
			return err
		}
		*errs = append(*errs, ve...)
	} else if pw != confirm {
		errs.Add("password", "mismatch", "admin.password.mismatch")
	}
	return nil
}

// emailTaken is the field error for an address another account has.
var emailTaken = &valid.Error{Field: "email", Code: "conflict", Key: "admin.user.email_taken"}

// Create adds an account (admins, and the operator).
func (s *Service) Create(ctx context.Context, actor *model.User, in Input, password, confirm string) (*model.User, error) {
	if !isAdmin(actor) {
		return nil, valid.ErrForbidden
	}
	errs := s.check(&in)
	if err := s.checkNewPassword(ctx, &errs, password, confirm, in.Email); err != nil {
		return nil, err
	}
	hash, err := s.gate.Hash(ctx, password)
	if err != nil {
		return nil, err
	}
	u := &model.User{Email: in.Email, Name: in.Name, Role: in.Role, Language: in.Language, Bio: in.Bio, Twitter: in.Twitter, Active: true,
		PasswordHash: hash, CreatedAt: s.now()}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.UserByEmail(ctx, u.Email); err == nil {
			return emailTaken
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if u.Slug, err = uniqueSlug(ctx, tx, u.Name, 0); err != nil {
			return err
		}
		return tx.CreateUser(ctx, u)
	})
	if errors.Is(err, store.ErrConflict) {
		err = emailTaken
	}
	if err != nil {
		return nil, err
	}
	return u, nil
}

// uniqueSlug is the address of the user's public author page.
func uniqueSlug(ctx context.Context, tx store.Tx, name string, id int64) (string, error) {
	base := slug.Make(name)
	if base == "" {
		base = "penulis"
	}
	return slug.Unique(ctx, base, func(ctx context.Context, c string) (bool, error) { return tx.SlugTaken(ctx, "users", c, id) })
}

// Update changes an account's profile, role or state (admins). An admin
// cannot demote or deactivate themselves, so the site never loses its
// last way in by a slip of the mouse. Deactivating ends the user's
// sessions at once. The slug stays: it is the address of the author's
// public page, and a rename must not break links to it.
func (s *Service) Update(ctx context.Context, actor *model.User, id int64, in Input) (*model.User, error) {
	if !isAdmin(actor) {
		return nil, valid.ErrForbidden
	}
	errs := s.check(&in)
	var u *model.User
	var public bool
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		var err error
		if u, err = tx.UserByID(ctx, id); err != nil {
			return err
		}
		if u.ID == actor.ID && (in.Role != u.Role || !in.Active) {
			errs.Add("role", "not_self", "admin.user.not_self")
		}
		if err := errs.Err(); err != nil {
			return err
		}
		if other, err := tx.UserByEmail(ctx, in.Email); err == nil && other.ID != u.ID {
			return emailTaken
		} else if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		public = u.Name != in.Name || u.Bio != in.Bio || u.Active != in.Active || u.Twitter != in.Twitter
		u.Email, u.Name, u.Role, u.Language, u.Bio, u.Active = in.Email, in.Name, in.Role, in.Language, in.Bio, in.Active
		u.Twitter = in.Twitter
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		if !u.Active {
			return tx.DeleteUserSessions(ctx, u.ID, "")
		}
		return nil
	})
	if errors.Is(err, store.ErrConflict) {
		err = emailTaken
	}
	if err != nil {
		return nil, err
	}
	if public {
		// Bylines and the author page show them.
		s.events.Publish(ctx, event.AuthorChanged{ID: u.ID})
	}
	return u, nil
}

// UpdateProfile changes the actor's own name, bio, newsroom language and
// X (Twitter) handle.
func (s *Service) UpdateProfile(ctx context.Context, actor *model.User, p Profile) (*model.User, error) {
	name, bio, lang := strings.TrimSpace(p.Name), strings.TrimSpace(p.Bio), p.Language
	var errs valid.Errors
	s.checkProfile(&errs, name, bio, lang)
	twitter := valid.TwitterHandle(&errs, "twitter", p.Twitter)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	var u *model.User
	var public bool
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		var err error
		if u, err = tx.UserByID(ctx, actor.ID); err != nil {
			return err
		}
		public = u.Name != name || u.Bio != bio || u.Twitter != twitter
		u.Name, u.Bio, u.Language, u.Twitter = name, bio, lang, twitter
		return tx.UpdateUser(ctx, u)
	})
	if err != nil {
		return nil, err
	}
	if public {
		s.events.Publish(ctx, event.AuthorChanged{ID: u.ID})
	}
	return u, nil
}

// ChangePassword sets the actor's own password. It needs the current one,
// so a session left open on a shared computer cannot be turned into a
// stolen account; every other session of the user ends (keep is the
// session that asked).
func (s *Service) ChangePassword(ctx context.Context, actor *model.User, keep, current, next, confirm string) error {
	var errs valid.Errors
	if err := s.gate.Check(ctx, actor.PasswordHash, current); errors.Is(err, auth.ErrMismatch) {
		errs.Add("current", "mismatch", "admin.password.wrong_current")
	} else if err != nil {
		return err
	}
	if err := s.checkNewPassword(ctx, &errs, next, confirm, actor.Email); err != nil {
		return err
	}
	return s.setPassword(ctx, actor.ID, actor.Email, keep, next)
}

// ResetPassword sets a new password chosen by an admin, ends the user's
// sessions (but keep, the admin's own when they reset their own) and
// lifts a login block on the account.
func (s *Service) ResetPassword(ctx context.Context, actor *model.User, id int64, keep, pw, confirm string) error {
	if !isAdmin(actor) {
		return valid.ErrForbidden
	}
	u, err := s.st.UserByID(ctx, id)
	if err != nil {
		return err
	}
	var errs valid.Errors
	if err := s.checkNewPassword(ctx, &errs, pw, confirm, u.Email); err != nil {
		return err
	}
	if u.ID != actor.ID {
		keep = ""
	}
	return s.setPassword(ctx, u.ID, u.Email, keep, pw)
}

func (s *Service) setPassword(ctx context.Context, id int64, email, keep, pw string) error {
	hash, err := s.gate.Hash(ctx, pw)
	if err != nil {
		return err
	}
	return s.st.InTx(ctx, func(tx store.Tx) error { return s.setPasswordTx(ctx, tx, id, email, keep, hash) })
}

// setPasswordTx stores a new password hash in tx and ends what the old
// password opened: sessions (but keep), API tokens, a login block.
func (s *Service) setPasswordTx(ctx context.Context, tx store.Tx, id int64, email, keep, hash string) error {
	if err := tx.SetPassword(ctx, id, hash); err != nil {
		return err
	}
	if err := tx.DeleteUserSessions(ctx, id, keep); err != nil {
		return err
	}
	// A token made under the old password is as suspect as a session.
	if err := tx.RevokeUserTokens(ctx, id); err != nil {
		return err
	}
	return tx.ClearLoginFailures(ctx, accountKey(email))
}

// CreateToken makes an API token acting for user userID (admins, and the
// operator). The token is returned once; only its hash is stored.
func (s *Service) CreateToken(ctx context.Context, actor *model.User, userID int64, label string) (string, error) {
	if !isAdmin(actor) {
		return "", valid.ErrForbidden
	}
	label = strings.TrimSpace(label)
	var errs valid.Errors
	if utf8.RuneCountInString(label) > MaxLabel {
		errs.Add("name", "too_long", "validation.too_long", "label", MaxLabel)
	}
	tok, err := auth.NewToken()
	if err != nil {
		return "", err
	}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		u, err := tx.UserByID(ctx, userID)
		if errors.Is(err, store.ErrNotFound) || err == nil && !u.Active {
			errs.Add("user", "invalid", "validation.invalid", "user")
		} else if err != nil {
			return err
		}
		if err := errs.Err(); err != nil {
			return err
		}
		return tx.CreateToken(ctx, &model.Token{UserID: userID, Name: label, Hash: auth.HashToken(tok), CreatedAt: s.now()})
	})
	if err != nil {
		return "", err
	}
	return tok, nil
}

// RevokeToken ends an API token at once (admins).
func (s *Service) RevokeToken(ctx context.Context, actor *model.User, id int64) error {
	if !isAdmin(actor) {
		return valid.ErrForbidden
	}
	return s.st.InTx(ctx, func(tx store.Tx) error { return tx.RevokeToken(ctx, id) })
}
