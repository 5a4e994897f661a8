package comment

import (
	"context"
	"crypto/hmac"
	"errors"
	"strconv"
	"strings"
	"time"

	"warta/internal/article"
	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/valid"
)

// Reply notifications. A reader who ticks "beri tahu saya" gets a mail
// when a reply to that comment is published, once they have confirmed
// their address through a one-time link; every such mail carries a
// one-click unsubscribe link (List-Unsubscribe). The links are signed
// with the site's secret, so nothing secret is stored.

// ReplyMailer queues the mails of reader notifications (package mail).
type ReplyMailer interface {
	Enabled() bool
	// ConfirmEmail asks a commenter to confirm their address: for reply
	// mails, or (strict) before their comment may be published.
	ConfirmEmail(ctx context.Context, tx store.Tx, to, name, link string, strict bool) error
	CommentReply(ctx context.Context, tx store.Tx, to string, parent, reply *model.Comment, a *model.Article, link, unsubscribe string) error
}

// ConfirmLife is how long a confirmation link works; ConfirmResend is how
// soon another confirmation may be mailed to one address.
const (
	ConfirmLife   = 48 * time.Hour
	ConfirmResend = time.Hour
)

// ErrBadLink: a confirmation or unsubscribe link is forged or expired.
var ErrBadLink = errors.New("comment: the link is not valid")

func (s *Service) replyMailer() ReplyMailer {
	if rm, ok := s.mail.(ReplyMailer); ok && rm.Enabled() {
		return rm
	}
	return nil
}

// NotifyOn reports whether the comment form offers reply notifications.
func (s *Service) NotifyOn() bool { return s.replyMailer() != nil }

// confirmKey signs a confirmation link: the address's record, the
// address itself (a record reused for another address fails) and the
// link's end.
func (s *Service) confirmKey(r *model.ReaderEmail, exp int64) string {
	return s.sign("confirm", strconv.FormatInt(r.ID, 10)+"\x00"+r.Email+"\x00"+strconv.FormatInt(exp, 10))[:32]
}

func (s *Service) unsubscribeKey(r *model.ReaderEmail) string {
	return s.sign("unsubscribe", strconv.FormatInt(r.ID, 10)+"\x00"+r.Email)[:32]
}

// The links carry "kunci" so that the page cache never keeps their pages
// (internal/app's personal rule).
func confirmPath(id, exp int64, key string) string {
	return "/komentar/konfirmasi?id=" + strconv.FormatInt(id, 10) + "&exp=" + strconv.FormatInt(exp, 10) + "&kunci=" + key
}

func unsubscribePath(id int64, key string) string {
	return "/komentar/berhenti?id=" + strconv.FormatInt(id, 10) + "&kunci=" + key
}

// absBase is the site's address for links in mails: the request's (or
// the setting's), else --base-url; "" when none is known.
func (s *Service) absBase(ctx context.Context, tx store.Tx, given string) (string, error) {
	set, err := tx.Settings(ctx)
	if err != nil {
		return "", err
	}
	switch {
	case set.BaseURL != "":
		return strings.TrimRight(set.BaseURL, "/"), nil
	case given != "":
		return strings.TrimRight(given, "/"), nil
	}
	return s.baseURL, nil
}

// subscribe records, in tx, that the author of c wants mail about
// replies, and mails a confirmation link when the address is not
// confirmed (at most one an hour). It reports whether it queued mail.
func (s *Service) subscribe(ctx context.Context, tx store.Tx, c *model.Comment, base string) (bool, error) {
	rm := s.replyMailer()
	if rm == nil {
		return false, nil
	}
	if err := tx.SetCommentNotify(ctx, c.ID); err != nil {
		return false, err
	}
	return s.askConfirmation(ctx, tx, c, base)
}

// askConfirmation mails the author of c, in tx, a link to confirm their
// address, unless it is confirmed or one was sent within ConfirmResend.
func (s *Service) askConfirmation(ctx context.Context, tx store.Tx, c *model.Comment, base string) (bool, error) {
	rm := s.replyMailer()
	if rm == nil {
		return false, nil
	}
	now := s.now()
	r, err := tx.EnsureReaderEmail(ctx, c.AuthorEmail, now)
	if err != nil {
		return false, err
	}
	if r.UnsubscribedAt != nil || base != "" && r.BaseURL != base {
		// Ticking the box again is asking again.
		r.UnsubscribedAt = nil
		if base != "" {
			r.BaseURL = strings.TrimRight(base, "/")
		}
		if err := tx.UpdateReaderEmail(ctx, r); err != nil {
			return false, err
		}
	}
	if r.ConfirmedAt != nil || r.ConfirmSentAt != nil && now.Sub(*r.ConfirmSentAt) < ConfirmResend {
		return false, nil
	}
	if base, err = s.absBase(ctx, tx, base); err != nil || base == "" {
		return false, err
	}
	exp := now.Add(ConfirmLife).Unix()
	r.ConfirmSentAt = &now
	if err := tx.UpdateReaderEmail(ctx, r); err != nil {
		return false, err
	}
	set, err := tx.Settings(ctx)
	if err != nil {
		return false, err
	}
	return true, rm.ConfirmEmail(ctx, tx, c.AuthorEmail, c.AuthorName, base+confirmPath(r.ID, exp, s.confirmKey(r, exp)), set.ConfirmCommenterEmail)
}

// replyPublished queues, in tx, the mail telling the author of reply's
// parent about it, when they asked and confirmed. It reports whether it
// queued mail.
func (s *Service) replyPublished(ctx context.Context, tx store.Tx, reply *model.Comment, base string) (bool, error) {
	rm := s.replyMailer()
	if rm == nil || reply.ParentID == nil || reply.Status != model.CommentApproved {
		return false, nil
	}
	to, err := tx.ReplyRecipient(ctx, *reply.ParentID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	if strings.EqualFold(strings.TrimSpace(reply.AuthorEmail), to.Email) {
		return false, nil // nobody is told of their own answer
	}
	parent, err := tx.CommentByID(ctx, *reply.ParentID)
	if err != nil {
		return false, err
	}
	a, err := tx.ArticleByID(ctx, reply.ArticleID)
	if err != nil {
		return false, err
	}
	if !a.IsPublic(s.now()) {
		return false, nil
	}
	if base == "" {
		base = to.BaseURL
	}
	if base, err = s.absBase(ctx, tx, base); err != nil || base == "" {
		return false, err
	}
	link := base + article.Path(a) + "#comment-" + strconv.FormatInt(reply.ID, 10)
	return true, rm.CommentReply(ctx, tx, to.Email, parent, reply, a, link, base+unsubscribePath(to.ID, s.unsubscribeKey(to)))
}

// repliesPublished is replyPublished for comments approved by moderation.
func (s *Service) repliesPublished(ctx context.Context, tx store.Tx, before []*model.Comment) (bool, error) {
	any := false
	for _, c := range before {
		if c.Status == model.CommentApproved {
			continue // it was public already: its reply mail went then
		}
		approved := *c
		approved.Status = model.CommentApproved
		q, err := s.replyPublished(ctx, tx, &approved, "")
		if err != nil {
			return false, err
		}
		any = any || q
	}
	return any, nil
}

// mailQueued wakes the sender after a commit that queued mail.
func (s *Service) mailQueued(queued bool) {
	if queued && s.mail != nil {
		s.mail.Queued()
	}
}

// ReaderLink is a confirmation or unsubscribe link as it arrived.
type ReaderLink struct {
	ID  int64
	Exp int64 // confirmation links only
	Key string
}

// CheckConfirm reports whether a confirmation link is genuine and current.
func (s *Service) CheckConfirm(ctx context.Context, l ReaderLink) (*model.ReaderEmail, error) {
	r, err := s.st.ReaderEmailByID(ctx, l.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrBadLink
	} else if err != nil {
		return nil, err
	}
	if !hmac.Equal([]byte(l.Key), []byte(s.confirmKey(r, l.Exp))) || s.now().Unix() >= l.Exp {
		return nil, ErrBadLink
	}
	return r, nil
}

// ConfirmEmail confirms the address a genuine, current link names.
func (s *Service) ConfirmEmail(ctx context.Context, l ReaderLink) error {
	if _, err := s.CheckConfirm(ctx, l); err != nil {
		return err
	}
	return s.st.InTx(ctx, func(tx store.Tx) error {
		r, err := tx.ReaderEmailByID(ctx, l.ID)
		if err != nil {
			return err
		}
		if r.ConfirmedAt != nil {
			return nil
		}
		now := s.now()
		r.ConfirmedAt = &now
		return tx.UpdateReaderEmail(ctx, r)
	})
}

// CheckUnsubscribe reports whether an unsubscribe link is genuine.
func (s *Service) CheckUnsubscribe(ctx context.Context, l ReaderLink) error {
	r, err := s.st.ReaderEmailByID(ctx, l.ID)
	if errors.Is(err, store.ErrNotFound) {
		return ErrBadLink
	} else if err != nil {
		return err
	}
	if !hmac.Equal([]byte(l.Key), []byte(s.unsubscribeKey(r))) {
		return ErrBadLink
	}
	return nil
}

// Unsubscribe stops every reply mail to the address a genuine link names.
func (s *Service) Unsubscribe(ctx context.Context, l ReaderLink) error {
	if err := s.CheckUnsubscribe(ctx, l); err != nil {
		return err
	}
	return s.st.InTx(ctx, func(tx store.Tx) error {
		r, err := tx.ReaderEmailByID(ctx, l.ID)
		if err != nil {
			return err
		}
		if r.UnsubscribedAt != nil {
			return nil
		}
		now := s.now()
		r.UnsubscribedAt = &now
		return tx.UpdateReaderEmail(ctx, r)
	})
}

// emailConfirmed reports whether a commenter's address was confirmed.
func (s *Service) emailConfirmed(ctx context.Context, email string) (bool, error) {
	r, err := s.st.ReaderEmailFor(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return r.ConfirmedAt != nil, nil
}

// ErrUnconfirmed: strict mode is on and a comment's writer has not
// confirmed their address, so it cannot be approved.
var errUnconfirmed = &valid.Error{Field: "status", Code: "unconfirmed_email", Key: "comment.error.unconfirmed_email"}

// checkConfirmed refuses, in strict mode, to approve a comment whose
// writer has not confirmed their address (newsroom staff need not).
func (s *Service) checkConfirmed(ctx context.Context, tx store.Tx, before []*model.Comment) error {
	set, err := tx.Settings(ctx)
	if err != nil || !set.ConfirmCommenterEmail {
		return err
	}
	for _, c := range before {
		if c.Status == model.CommentApproved || c.UserID != nil {
			continue
		}
		r, err := tx.ReaderEmailFor(ctx, c.AuthorEmail)
		if errors.Is(err, store.ErrNotFound) || err == nil && r.ConfirmedAt == nil {
			return errUnconfirmed
		} else if err != nil {
			return err
		}
	}
	return nil
}
