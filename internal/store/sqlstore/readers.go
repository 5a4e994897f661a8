package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"warta/internal/model"
	"warta/internal/store"
)

const readerCols = `id, email, base_url, created_at, confirm_sent_at, confirmed_at, unsubscribed_at`

func (s *Store) oneReader(ctx context.Context, where string, arg any) (*model.ReaderEmail, error) {
	var r model.ReaderEmail
	var sent, conf, unsub sql.NullTime
	err := s.read().QueryRowContext(ctx, `SELECT `+readerCols+` FROM reader_emails WHERE `+where, arg).
		Scan(&r.ID, &r.Email, &r.BaseURL, &r.CreatedAt, &sent, &conf, &unsub)
	if err != nil {
		return nil, mapErr(err)
	}
	r.CreatedAt, r.ConfirmSentAt, r.ConfirmedAt, r.UnsubscribedAt = r.CreatedAt.UTC(), timePtr(sent), timePtr(conf), timePtr(unsub)
	return &r, nil
}

// ReaderEmailByID returns the reader address with id.
func (s *Store) ReaderEmailByID(ctx context.Context, id int64) (*model.ReaderEmail, error) {
	return s.oneReader(ctx, `id = ?`, id)
}

// ReaderEmailFor returns the record of an address (any case).
func (s *Store) ReaderEmailFor(ctx context.Context, email string) (*model.ReaderEmail, error) {
	return s.oneReader(ctx, `email = ?`, strings.ToLower(strings.TrimSpace(email)))
}

// EnsureReaderEmail returns the record of an address, made at at when new.
func (s *Store) EnsureReaderEmail(ctx context.Context, email string, at time.Time) (*model.ReaderEmail, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	err := s.tx(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `INSERT INTO reader_emails (email, created_at) VALUES (?, ?) ON CONFLICT (email) DO NOTHING`, email, utc(at))
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.ReaderEmailFor(ctx, email)
}

// UpdateReaderEmail stores the times of r.
func (s *Store) UpdateReaderEmail(ctx context.Context, r *model.ReaderEmail) error {
	return s.tx(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, `UPDATE reader_emails SET base_url = ?, confirm_sent_at = ?, confirmed_at = ?, unsubscribed_at = ? WHERE id = ?`,
			r.BaseURL, nullTime(r.ConfirmSentAt), nullTime(r.ConfirmedAt), nullTime(r.UnsubscribedAt), r.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
}

// SetCommentNotify records that the comment's author wants mail about replies.
func (s *Store) SetCommentNotify(ctx context.Context, commentID int64) error {
	return s.tx(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `UPDATE comments SET notify_replies = TRUE WHERE id = ?`, commentID)
		return err
	})
}

// ReplyRecipient returns the address to tell about a reply to parentID:
// its author's, when they asked for it on that comment, confirmed the
// address and did not unsubscribe; ErrNotFound otherwise.
func (s *Store) ReplyRecipient(ctx context.Context, parentID int64) (*model.ReaderEmail, error) {
	var r model.ReaderEmail
	err := s.read().QueryRowContext(ctx, `SELECT r.id, r.email, r.base_url FROM comments c JOIN reader_emails r ON r.email = lower(c.author_email)
		WHERE c.id = ? AND c.notify_replies AND r.confirmed_at IS NOT NULL AND r.unsubscribed_at IS NULL`, parentID).Scan(&r.ID, &r.Email, &r.BaseURL)
	if err != nil {
		return nil, mapErr(err)
	}
	return &r, nil
}
