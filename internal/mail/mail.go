// Package mail is how Warta writes and sends mail: letters composed from
// the locale files (plain text plus HTML), a queue kept in the database
// and filled inside the transaction of the change that causes each mail,
// and a worker on every instance that sends what is due through SMTP,
// retrying with backoff. A request never waits on the mail server.
package mail

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"warta/internal/locale"
	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/valid"
)

// Store is what the mail service needs from storage.
type Store interface {
	store.Transactor
	MailByID(ctx context.Context, id int64) (*model.Mail, error)
}

// Service queues mail. Its Put runs inside other services' transactions;
// its own changes (a retry, a test mail) are one transaction each.
type Service struct {
	st      Store
	locales *locale.Bundle
	now     func() time.Time
	enabled bool
	wake    func()
}

// New builds the service. enabled says whether a mail server is set up
// (--smtp); without one nothing is queued. wake (may be nil) tells the
// local worker that mail was queued.
func New(st Store, locales *locale.Bundle, now func() time.Time, enabled bool, wake func()) *Service {
	if now == nil {
		panic("mail: no clock")
	}
	if wake == nil {
		wake = func() {}
	}
	return &Service{st: st, locales: locales, now: now, enabled: enabled, wake: wake}
}

// Enabled reports whether mail can be sent at all.
func (s *Service) Enabled() bool { return s != nil && s.enabled }

// ErrDisabled: no mail server is set up.
var ErrDisabled = errors.New("mail: no mail server is set up (--smtp)")

// Put queues the letter in tx, the transaction of the change that causes
// it. The caller calls Queued after the commit.
func (s *Service) Put(ctx context.Context, tx store.Tx, l Letter) error {
	if !s.Enabled() {
		return ErrDisabled
	}
	m, err := l.Mail()
	if err != nil {
		return err
	}
	m.CreatedAt = s.now()
	return tx.EnqueueMail(ctx, m)
}

// Queued wakes this instance's worker after a commit that queued mail.
func (s *Service) Queued() {
	if s != nil {
		s.wake()
	}
}

// Locale returns the texts of lang ("" or unknown: the site's default).
func (s *Service) Locale(lang string) *locale.Locale { return s.locales.Get(lang) }

func isAdmin(u *model.User) bool { return u != nil && u.Active && u.Role == model.RoleAdmin }

// Retry sends a failed (or still waiting) mail again at once, with its
// tries counted afresh (admins).
func (s *Service) Retry(ctx context.Context, actor *model.User, id int64) error {
	if !isAdmin(actor) {
		return valid.ErrForbidden
	}
	if err := s.st.InTx(ctx, func(tx store.Tx) error { return tx.RequeueMail(ctx, id, s.now()) }); err != nil {
		return err
	}
	s.Queued()
	return nil
}

// SendTest queues a short mail to the admin who asked, in their language,
// to check the server settings end to end.
func (s *Service) SendTest(ctx context.Context, actor *model.User) error {
	if !isAdmin(actor) {
		return valid.ErrForbidden
	}
	if !s.Enabled() {
		return ErrDisabled
	}
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		set, err := tx.Settings(ctx)
		if err != nil {
			return err
		}
		lang := langOf(actor, set)
		L := s.Locale(lang)
		return s.Put(ctx, tx, Letter{Kind: "test", To: actor.Email, Lang: L.HTMLLang(), Site: set.SiteName,
			Subject:  L.T("mail.test.subject", set.SiteName),
			Greeting: L.T("mail.greeting", actor.Name),
			Paras:    []string{L.T("mail.test.body")}})
	})
	if err != nil {
		return err
	}
	s.Queued()
	return nil
}

// langOf is the language to write to a staff member in: theirs, else the site's.
func langOf(u *model.User, set model.Settings) string {
	if u.Language != "" {
		return u.Language
	}
	return set.Language
}

// PasswordReset queues the mail holding a reset link (user.Mailer).
func (s *Service) PasswordReset(ctx context.Context, tx store.Tx, u *model.User, link string) error {
	set, err := tx.Settings(ctx)
	if err != nil {
		return err
	}
	L := s.Locale(langOf(u, set))
	return s.Put(ctx, tx, Letter{Kind: "password_reset", To: u.Email, Lang: L.HTMLLang(), Site: set.SiteName,
		Subject:  L.T("mail.reset.subject", set.SiteName),
		Greeting: L.T("mail.greeting", u.Name),
		Paras:    []string{L.T("mail.reset.body", set.SiteName)},
		Action:   &Link{Label: L.T("mail.reset.action"), URL: link},
		After:    []string{L.T("mail.reset.after")}})
}

// Invitation queues the mail inviting a new staff member to choose a
// password (user.Mailer).
func (s *Service) Invitation(ctx context.Context, tx store.Tx, u *model.User, inviter, link string) error {
	set, err := tx.Settings(ctx)
	if err != nil {
		return err
	}
	L := s.Locale(langOf(u, set))
	return s.Put(ctx, tx, Letter{Kind: "invitation", To: u.Email, Lang: L.HTMLLang(), Site: set.SiteName,
		Subject:  L.T("mail.invite.subject", set.SiteName),
		Greeting: L.T("mail.greeting", u.Name),
		Paras:    []string{L.T("mail.invite.body", inviter, set.SiteName, L.T("admin.role."+string(u.Role)))},
		Action:   &Link{Label: L.T("mail.invite.action"), URL: link},
		After:    []string{L.T("mail.invite.after")}})
}

// CommentHeld queues, to each active editor or admin who asked for it, a
// mail saying that a comment waits for moderation (comment.Mailer). The
// commenter's address is not in it.
func (s *Service) CommentHeld(ctx context.Context, tx store.Tx, c *model.Comment, a *model.Article, baseURL string) (bool, error) {
	if !s.Enabled() {
		return false, nil
	}
	users, err := tx.ListUsers(ctx)
	if err != nil {
		return false, err
	}
	set, err := tx.Settings(ctx)
	if err != nil {
		return false, err
	}
	if set.BaseURL != "" {
		baseURL = strings.TrimRight(set.BaseURL, "/")
	}
	queued := false
	for i := range users {
		u := &users[i]
		if !u.Active || !u.NotifyHeld || !u.Role.AtLeast(model.RoleEditor) {
			continue
		}
		L := s.Locale(langOf(u, set))
		err := s.Put(ctx, tx, Letter{Kind: "comment_held", To: u.Email, Lang: L.HTMLLang(), Site: set.SiteName,
			Subject:  L.T("mail.held.subject", a.Title),
			Greeting: L.T("mail.greeting", u.Name),
			Paras:    []string{L.T("mail.held.body", c.AuthorName, a.Title), excerpt(c.Body, 600)},
			Action:   &Link{Label: L.T("mail.held.action"), URL: baseURL + "/admin/comments/" + strconv.FormatInt(c.ID, 10)},
			After:    []string{L.T("mail.held.after")}})
		if err != nil {
			return false, err
		}
		queued = true
	}
	return queued, nil
}

// excerpt cuts text to about n characters at a space.
func excerpt(text string, n int) string {
	r := []rune(strings.TrimSpace(text))
	if len(r) <= n {
		return string(r)
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return cut + " …"
}

// ConfirmEmail queues the mail asking a commenter to confirm their
// address before Warta mails them about replies (comment.ReplyMailer).
func (s *Service) ConfirmEmail(ctx context.Context, tx store.Tx, to, name, link string, strict bool) error {
	set, err := tx.Settings(ctx)
	if err != nil {
		return err
	}
	L := s.Locale(set.Language)
	body := L.T("mail.confirm.body", set.SiteName)
	if strict {
		body = L.T("mail.confirm.body_strict", set.SiteName)
	}
	return s.Put(ctx, tx, Letter{Kind: "confirm_email", To: to, Lang: L.HTMLLang(), Site: set.SiteName,
		Subject:  L.T("mail.confirm.subject", set.SiteName),
		Greeting: L.T("mail.greeting", name),
		Paras:    []string{body},
		Action:   &Link{Label: L.T("mail.confirm.action"), URL: link},
		After:    []string{L.T("mail.confirm.after")}})
}

// CommentReply queues the mail telling a commenter that someone replied
// to them, with a one-click unsubscribe link (comment.ReplyMailer). The
// replier's address is not in it.
func (s *Service) CommentReply(ctx context.Context, tx store.Tx, to string, parent, reply *model.Comment, a *model.Article, link, unsubscribe string) error {
	set, err := tx.Settings(ctx)
	if err != nil {
		return err
	}
	L := s.Locale(set.Language)
	return s.Put(ctx, tx, Letter{Kind: "comment_reply", To: to, Lang: L.HTMLLang(), Site: set.SiteName,
		Subject:     L.T("mail.reply.subject", a.Title),
		Greeting:    L.T("mail.greeting", parent.AuthorName),
		Paras:       []string{L.T("mail.reply.body", reply.AuthorName, a.Title), excerpt(reply.Body, 600)},
		Action:      &Link{Label: L.T("mail.reply.action"), URL: link},
		After:       []string{L.T("mail.reply.after")},
		Unsubscribe: unsubscribe, UnsubscribeLabel: L.T("mail.reply.unsubscribe")})
}

// KeepMail is how long the queue keeps a mail once it was sent or given up.
const KeepMail = 30 * 24 * time.Hour

// PurgeOld deletes mails sent or given up more than KeepMail ago.
func (s *Service) PurgeOld(ctx context.Context) (int64, error) {
	var n int64
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		var err error
		n, err = tx.PurgeMail(ctx, s.now().Add(-KeepMail))
		return err
	})
	return n, err
}
