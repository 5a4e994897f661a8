package user

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"warta/internal/auth"
	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/valid"
)

// Mailer queues the account mails, inside the transaction that makes the
// link they carry (package mail).
type Mailer interface {
	Enabled() bool
	PasswordReset(ctx context.Context, tx store.Tx, u *model.User, link string) error
	Invitation(ctx context.Context, tx store.Tx, u *model.User, inviter, link string) error
	// Queued wakes the sender after the commit.
	Queued()
}

// SetMailer lets the service send account mails (resets, invitations).
func (s *Service) SetMailer(m Mailer) { s.mail = m }

// MailEnabled reports whether account mails can be sent.
func (s *Service) MailEnabled() bool { return s.mail != nil && s.mail.Enabled() }

// Password links.
const (
	// ResetLife is how long a reset link works.
	ResetLife = time.Hour
	// InviteLife is how long an invitation link works.
	InviteLife = 7 * 24 * time.Hour
	// Reset requests are limited per client address and per address
	// asked for (whether or not an account has it, so the limit tells
	// nothing), each within ResetWindow.
	ResetWindow          = time.Hour
	MaxResetsPerAddress  = 10
	MaxResetsPerAccount  = 3
	passwordLinkPath     = "/admin/atur-sandi?token="
	resetAddrKeyPrefix   = "reset-addr:"
	resetAcctKeyPrefix   = "reset-acct:"
	passwordTokenPrefix  = "wps_"
	passwordTokenMinSize = 20
)

// ErrBadLink: the password link is unknown, used or expired.
var ErrBadLink = errors.New("user: the password link is not valid")

// ErrMailOff: no mail server is set up, so no link can be sent.
var ErrMailOff = errors.New("user: mail is not set up")

// ResetRequest is a "forgot password" form as posted.
type ResetRequest struct {
	Email   string
	Addr    netip.Addr // the client's address
	BaseURL string     // the site's address, for the link
}

// RequestReset mails a reset link to the account with the email, if
// there is an active one. The answer is the same either way: nil, or a
// *ThrottledError when the client's address asked too often (which says
// nothing about the account). Asking too often for one address sends
// nothing more, silently.
func (s *Service) RequestReset(ctx context.Context, in ResetRequest) error {
	if !s.MailEnabled() {
		return ErrMailOff
	}
	email := strings.ToLower(strings.TrimSpace(in.Email))
	now := s.now()
	limits := []store.LoginLimit{
		{Key: resetAddrKeyPrefix + in.Addr.String(), Max: MaxResetsPerAddress, Since: now.Add(-ResetWindow)},
		{Key: resetAcctKeyPrefix + auth.HashToken(email), Max: MaxResetsPerAccount, Since: now.Add(-ResetWindow)},
	}
	tok, err := newPasswordToken()
	if err != nil {
		return err
	}
	queued := false
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		// Each limit on its own, so that every request counts against the
		// client's address, also one the address asked for too often.
		for i, l := range limits {
			full, oldest, err := tx.ReserveLoginAttempt(ctx, tok[:12], []store.LoginLimit{l}, now, now.Add(-AccountWindow))
			switch {
			case err != nil:
				return err
			case full == 0 && i == 0:
				return &ThrottledError{Until: oldest.Add(ResetWindow), By: "reset-addr"}
			case full == 0:
				return nil
			}
		}
		u, err := tx.UserByEmail(ctx, email)
		if errors.Is(err, store.ErrNotFound) || err == nil && !u.Active {
			return nil
		} else if err != nil {
			return err
		}
		if err := tx.CreatePasswordToken(ctx, &model.PasswordToken{Hash: hashLink(tok), Purpose: model.TokenReset, UserID: u.ID,
			CreatedAt: now, ExpiresAt: now.Add(ResetLife)}); err != nil {
			return err
		}
		queued = true
		return s.mail.PasswordReset(ctx, tx, u, passwordLink(in.BaseURL, tok))
	})
	if err == nil && queued {
		s.mail.Queued()
	}
	return err
}

// newPasswordToken is a fresh random link token.
func newPasswordToken() (string, error) {
	t, err := auth.NewToken()
	if err != nil {
		return "", err
	}
	return passwordTokenPrefix + strings.TrimPrefix(t, "wrt_"), nil
}

func hashLink(tok string) string {
	sum := sha256.Sum256([]byte("password-link\x00" + tok))
	return hex.EncodeToString(sum[:])
}

func passwordLink(base, tok string) string {
	return strings.TrimRight(base, "/") + passwordLinkPath + url.QueryEscape(tok)
}

// PasswordLink returns the account a password link is good for now, and
// the link's purpose; ErrBadLink when it is unknown, used or expired.
func (s *Service) PasswordLink(ctx context.Context, tok string) (*model.User, string, error) {
	if len(tok) < passwordTokenMinSize || len(tok) > 100 {
		return nil, "", ErrBadLink
	}
	t, err := s.st.PasswordTokenByHash(ctx, hashLink(tok))
	if errors.Is(err, store.ErrNotFound) {
		return nil, "", ErrBadLink
	} else if err != nil {
		return nil, "", err
	}
	if t.UsedAt != nil || !s.now().Before(t.ExpiresAt) {
		return nil, "", ErrBadLink
	}
	u, err := s.st.UserByID(ctx, t.UserID)
	if errors.Is(err, store.ErrNotFound) || err == nil && !u.Active {
		return nil, "", ErrBadLink
	}
	return u, t.Purpose, err
}

// SetPasswordWithLink sets the password of the account the link is for.
// The link then works no more, nor does any other password link of the
// account; every session and API token of the account ends, and a login
// block on it is lifted.
func (s *Service) SetPasswordWithLink(ctx context.Context, tok, pw string) (*model.User, error) {
	u, _, err := s.PasswordLink(ctx, tok)
	if err != nil {
		return nil, err
	}
	var errs valid.Errors
	if err := s.checkNewPassword(ctx, &errs, pw, pw, u.Email); err != nil {
		return nil, err
	}
	hash, err := s.gate.Hash(ctx, pw)
	if err != nil {
		return nil, err
	}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		now := s.now()
		t, err := tx.ConsumePasswordToken(ctx, hashLink(tok), now)
		if errors.Is(err, store.ErrNotFound) || err == nil && t.UserID != u.ID {
			return ErrBadLink
		} else if err != nil {
			return err
		}
		if err := tx.UsePasswordTokens(ctx, u.ID, now); err != nil {
			return err
		}
		return s.setPasswordTx(ctx, tx, u.ID, u.Email, "", hash)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// SetNotifyHeld turns the actor's mails about held comments on or off
// (editors and admins, who moderate).
func (s *Service) SetNotifyHeld(ctx context.Context, actor *model.User, on bool) error {
	if actor == nil || !actor.Active || !actor.Role.AtLeast(model.RoleEditor) {
		return valid.ErrForbidden
	}
	return s.st.InTx(ctx, func(tx store.Tx) error { return tx.SetUserNotifyHeld(ctx, actor.ID, on) })
}

// Invite adds an account without a password (admins) and mails its owner
// a link, good for InviteLife, to choose one. The account, the link and
// the mail are one transaction: no account is left without its mail.
func (s *Service) Invite(ctx context.Context, actor *model.User, in Input, baseURL string) (*model.User, error) {
	if !isAdmin(actor) {
		return nil, valid.ErrForbidden
	}
	if !s.MailEnabled() {
		return nil, ErrMailOff
	}
	errs := s.check(&in)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	tok, err := newPasswordToken()
	if err != nil {
		return nil, err
	}
	now := s.now()
	u := &model.User{Email: in.Email, Name: in.Name, Role: in.Role, Language: in.Language, Bio: in.Bio, Active: true, CreatedAt: now}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.UserByEmail(ctx, u.Email); err == nil {
			return emailTaken
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if u.Slug, err = uniqueSlug(ctx, tx, u.Name, 0); err != nil {
			return err
		}
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		if err := tx.CreatePasswordToken(ctx, &model.PasswordToken{Hash: hashLink(tok), Purpose: model.TokenInvite, UserID: u.ID,
			CreatedAt: now, ExpiresAt: now.Add(InviteLife)}); err != nil {
			return err
		}
		return s.mail.Invitation(ctx, tx, u, actor.Name, passwordLink(baseURL, tok))
	})
	if errors.Is(err, store.ErrConflict) {
		err = emailTaken
	}
	if err != nil {
		return nil, err
	}
	s.mail.Queued()
	return u, nil
}
