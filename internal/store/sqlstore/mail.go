package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"warta/internal/model"
	"warta/internal/store"
)

const mailCols = `id, kind, to_addr, subject, body_text, body_html, headers, status, attempts, next_at, last_error, created_at, sent_at`

func scanMail(sc interface{ Scan(...any) error }) (model.Mail, error) {
	var m model.Mail
	var headers string
	var sent sql.NullTime
	if err := sc.Scan(&m.ID, &m.Kind, &m.To, &m.Subject, &m.Text, &m.HTML, &headers, &m.Status, &m.Attempts, &m.NextAt,
		&m.LastError, &m.CreatedAt, &sent); err != nil {
		return m, mapErr(err)
	}
	if headers != "" {
		if err := json.Unmarshal([]byte(headers), &m.Headers); err != nil {
			return m, err
		}
	}
	m.NextAt, m.CreatedAt, m.SentAt = m.NextAt.UTC(), m.CreatedAt.UTC(), timePtr(sent)
	return m, nil
}

func scanMails(rows *sql.Rows, err error) ([]model.Mail, error) {
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.Mail
	for rows.Next() {
		m, err := scanMail(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, mapErr(rows.Err())
}

// EnqueueMail stores m as pending, due at m.NextAt (now when zero).
func (s *Store) EnqueueMail(ctx context.Context, m *model.Mail) error {
	if m.CreatedAt.IsZero() {
		m.CreatedAt = s.now()
	}
	if m.NextAt.IsZero() {
		m.NextAt = m.CreatedAt
	}
	m.CreatedAt, m.NextAt, m.Status = utc(m.CreatedAt), utc(m.NextAt), model.MailPending
	headers := ""
	if len(m.Headers) > 0 {
		b, err := json.Marshal(m.Headers)
		if err != nil {
			return err
		}
		headers = string(b)
	}
	return s.tx(ctx, func(q querier) error {
		return q.QueryRowContext(ctx, `INSERT INTO mail_queue (kind, to_addr, subject, body_text, body_html, headers, status, next_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			m.Kind, m.To, m.Subject, m.Text, m.HTML, headers, m.Status, m.NextAt, m.CreatedAt).Scan(&m.ID)
	})
}

// ClaimMail leases due mails to owner. On PostgreSQL the rows are picked
// with FOR UPDATE SKIP LOCKED, once (an array, not a join the planner
// could run again and so pick more than limit rows), so workers on several instances take
// different rows without waiting on each other; the outer WHERE is checked
// again on the locked row, so a row another worker leased meanwhile is
// never taken twice. SQLite has one writer at a time.
func (s *Store) ClaimMail(ctx context.Context, owner string, now, leaseUntil time.Time, limit int) ([]model.Mail, error) {
	var out []model.Mail
	err := s.tx(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `UPDATE mail_queue SET lease_owner = ?, lease_until = ?, attempts = attempts + 1
			WHERE `+s.d.inSmallSet("id", `SELECT id FROM mail_queue WHERE status = 'pending' AND next_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
				ORDER BY next_at, id LIMIT ?`+s.d.skipLocked())+`
			AND status = 'pending' AND (lease_until IS NULL OR lease_until <= ?)
			RETURNING `+mailCols, owner, utc(leaseUntil), utc(now), utc(now), limit, utc(now))
		out, err = scanMails(rows, err)
		return err
	})
	return out, err
}

// skipLocked makes a SELECT inside an UPDATE pass over rows another
// transaction holds (PostgreSQL); SQLite has no row locks.
func (d dialect) skipLocked() string {
	if d.name == "postgres" {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}

// FinishMail records the outcome of a send by the lease's owner.
func (s *Store) FinishMail(ctx context.Context, id int64, owner string, o store.MailOutcome) error {
	return s.tx(ctx, func(q querier) error {
		var res sql.Result
		var err error
		switch {
		case o.Sent:
			res, err = q.ExecContext(ctx, `UPDATE mail_queue SET status = 'sent', sent_at = ?, last_error = '', lease_owner = '', lease_until = NULL
				WHERE id = ? AND lease_owner = ? AND status = 'pending'`, utc(o.At), id, owner)
		case o.Retry.IsZero():
			res, err = q.ExecContext(ctx, `UPDATE mail_queue SET status = 'failed', last_error = ?, lease_owner = '', lease_until = NULL
				WHERE id = ? AND lease_owner = ? AND status = 'pending'`, o.Error, id, owner)
		default:
			res, err = q.ExecContext(ctx, `UPDATE mail_queue SET next_at = ?, last_error = ?, lease_owner = '', lease_until = NULL
				WHERE id = ? AND lease_owner = ? AND status = 'pending'`, utc(o.Retry), o.Error, id, owner)
		}
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrConflict
		}
		return nil
	})
}

// NextMailDue is when the earliest pending mail is due (or, when a
// worker holds it, when that lease ends).
func (s *Store) NextMailDue(ctx context.Context) (time.Time, error) {
	var t sql.NullTime
	if err := s.read().QueryRowContext(ctx, `SELECT min(CASE WHEN lease_until > next_at THEN lease_until ELSE next_at END) FROM mail_queue WHERE status = 'pending'`).Scan(&t); err != nil {
		return time.Time{}, mapErr(err)
	}
	if !t.Valid {
		return time.Time{}, nil
	}
	return t.Time.UTC(), nil
}

// ListMail returns queued mails, newest first.
func (s *Store) ListMail(ctx context.Context, q store.MailQuery) ([]model.Mail, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	where, args := "", []any{}
	if q.Status != "" {
		where, args = `WHERE status = ? `, append(args, q.Status)
	}
	return scanMails(s.read().QueryContext(ctx, `SELECT `+mailCols+` FROM mail_queue `+where+`ORDER BY id DESC LIMIT ? OFFSET ?`,
		append(args, q.Limit, q.Offset)...))
}

// CountMail counts queued mails with status ("" for all).
func (s *Store) CountMail(ctx context.Context, status model.MailStatus) (int, error) {
	var n int
	var err error
	if status == "" {
		err = s.read().QueryRowContext(ctx, `SELECT count(*) FROM mail_queue`).Scan(&n)
	} else {
		err = s.read().QueryRowContext(ctx, `SELECT count(*) FROM mail_queue WHERE status = ?`, status).Scan(&n)
	}
	return n, mapErr(err)
}

// MailByID returns one queued mail.
func (s *Store) MailByID(ctx context.Context, id int64) (*model.Mail, error) {
	m, err := scanMail(s.read().QueryRowContext(ctx, `SELECT `+mailCols+` FROM mail_queue WHERE id = ?`, id))
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// RequeueMail makes a mail not yet sent due again at at.
func (s *Store) RequeueMail(ctx context.Context, id int64, at time.Time) error {
	return s.tx(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, `UPDATE mail_queue SET status = 'pending', next_at = ?, attempts = 0
			WHERE id = ? AND status IN ('pending', 'failed')`, utc(at), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
}

// CreatePasswordToken stores t.
func (s *Store) CreatePasswordToken(ctx context.Context, t *model.PasswordToken) error {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = s.now()
	}
	return s.tx(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `INSERT INTO password_tokens (hash, purpose, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
			t.Hash, t.Purpose, t.UserID, utc(t.CreatedAt), utc(t.ExpiresAt))
		return err
	})
}

// PasswordTokenByHash returns the token with hash.
func (s *Store) PasswordTokenByHash(ctx context.Context, hash string) (*model.PasswordToken, error) {
	var t model.PasswordToken
	var used sql.NullTime
	err := s.read().QueryRowContext(ctx, `SELECT hash, purpose, user_id, created_at, expires_at, used_at FROM password_tokens WHERE hash = ?`, hash).
		Scan(&t.Hash, &t.Purpose, &t.UserID, &t.CreatedAt, &t.ExpiresAt, &used)
	if err != nil {
		return nil, mapErr(err)
	}
	t.CreatedAt, t.ExpiresAt, t.UsedAt = t.CreatedAt.UTC(), t.ExpiresAt.UTC(), timePtr(used)
	return &t, nil
}

// UsePasswordTokens marks the user's unused tokens used.
func (s *Store) UsePasswordTokens(ctx context.Context, userID int64, at time.Time) error {
	return s.tx(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `UPDATE password_tokens SET used_at = ? WHERE user_id = ? AND used_at IS NULL`, utc(at), userID)
		return err
	})
}

// ConsumePasswordToken marks the token used and returns it, when it is
// unused and still good at at; otherwise ErrNotFound. Of two uses at
// once, one wins: the second's UPDATE finds it used.
func (s *Store) ConsumePasswordToken(ctx context.Context, hash string, at time.Time) (*model.PasswordToken, error) {
	var t model.PasswordToken
	err := s.tx(ctx, func(q querier) error {
		return q.QueryRowContext(ctx, `UPDATE password_tokens SET used_at = ? WHERE hash = ? AND used_at IS NULL AND expires_at > ?
			RETURNING hash, purpose, user_id, created_at, expires_at`, utc(at), hash, utc(at)).
			Scan(&t.Hash, &t.Purpose, &t.UserID, &t.CreatedAt, &t.ExpiresAt)
	})
	if err != nil {
		return nil, err
	}
	used := utc(at)
	t.CreatedAt, t.ExpiresAt, t.UsedAt = t.CreatedAt.UTC(), t.ExpiresAt.UTC(), &used
	return &t, nil
}

// PurgeMail deletes mails sent or given up before before: their text
// holds addresses and links nobody needs once they are out.
func (s *Store) PurgeMail(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.tx(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, `DELETE FROM mail_queue WHERE status IN ('sent', 'failed') AND created_at < ?`, utc(before))
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n, err
}
