package sqlstore

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"warta/internal/model"
	"warta/internal/store"
)

// The newsroom's interfaces are implemented here.
var (
	_ store.Sessions = (*Store)(nil)
	_ store.Newsroom = (*Store)(nil)
)

// CreateSession stores a new newsroom login.
func (s *Store) CreateSession(ctx context.Context, ss *store.Session) error {
	return s.tx(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `INSERT INTO sessions (id, user_id, csrf, created_at, expires_at, last_seen_at, remember, user_agent, ip)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, ss.ID, ss.UserID, ss.CSRF, utc(ss.CreatedAt), utc(ss.ExpiresAt), utc(ss.LastSeenAt), ss.Remember,
			ss.UserAgent, ss.IP)
		return err
	})
}

// SessionByID returns a session whatever its expiry; the caller decides,
// with its own clock, whether it still holds.
func (s *Store) SessionByID(ctx context.Context, id string) (*store.Session, error) {
	return scanSession(s.read().QueryRowContext(ctx, `SELECT `+sessionCols+` FROM sessions WHERE id = ?`, id))
}

const sessionCols = `id, user_id, csrf, created_at, expires_at, last_seen_at, remember, user_agent, ip`

func scanSession(sc interface{ Scan(...any) error }) (*store.Session, error) {
	var ss store.Session
	err := sc.Scan(&ss.ID, &ss.UserID, &ss.CSRF, &ss.CreatedAt, &ss.ExpiresAt, &ss.LastSeenAt, &ss.Remember, &ss.UserAgent, &ss.IP)
	if err != nil {
		return nil, mapErr(err)
	}
	ss.CreatedAt, ss.ExpiresAt, ss.LastSeenAt = ss.CreatedAt.UTC(), ss.ExpiresAt.UTC(), ss.LastSeenAt.UTC()
	return &ss, nil
}

// UserSessions lists a user's sessions that have not expired at now,
// the most recently used first.
func (s *Store) UserSessions(ctx context.Context, userID int64, now time.Time) ([]store.Session, error) {
	rows, err := s.read().QueryContext(ctx, `SELECT `+sessionCols+` FROM sessions WHERE user_id = ? AND expires_at > ?
		ORDER BY last_seen_at DESC, created_at DESC`, userID, utc(now))
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []store.Session
	for rows.Next() {
		ss, err := scanSession(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *ss)
	}
	return out, mapErr(rows.Err())
}

// TouchSession records activity and moves the expiry.
func (s *Store) TouchSession(ctx context.Context, id string, seen, expires time.Time) error {
	return s.tx(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?`, utc(seen), utc(expires), id)
		return err
	})
}

// DeleteSession ends one login.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	return s.tx(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, id)
		return err
	})
}

// DeleteUserSessions ends every login of a user except keep.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64, keep string) error {
	return s.tx(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND id <> ?`, userID, keep)
		return err
	})
}

// DeleteExpiredSessions forgets logins that ended before now.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := s.tx(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < ?`, utc(now))
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n, err
}

// RecordLoginFailure notes a failed attempt under each key and prunes
// attempts older than prune, so the table never grows without bound.
func (s *Store) RecordLoginFailure(ctx context.Context, keys []string, at, prune time.Time) error {
	return s.tx(ctx, func(q querier) error {
		if _, err := q.ExecContext(ctx, `DELETE FROM login_failures WHERE failed_at < ?`, utc(prune)); err != nil {
			return err
		}
		for _, k := range keys {
			if _, err := q.ExecContext(ctx, `INSERT INTO login_failures (key, failed_at) VALUES (?, ?)`, k, utc(at)); err != nil {
				return err
			}
		}
		return nil
	})
}

// LoginFailures counts failures under key since since and returns the
// oldest of them (zero when there are none).
func (s *Store) LoginFailures(ctx context.Context, key string, since time.Time) (int, time.Time, error) {
	var n int
	var first sql.NullTime
	err := s.read().QueryRowContext(ctx, `SELECT count(*), min(failed_at) FROM login_failures WHERE key = ? AND failed_at >= ?`,
		key, utc(since)).Scan(&n, &first)
	if err != nil {
		return 0, time.Time{}, mapErr(err)
	}
	if !first.Valid {
		return n, time.Time{}, nil
	}
	return n, first.Time.UTC(), nil
}

// ClearLoginFailures forgets the failures under key and under the keys
// key + "|…" (after a good login, or a new password).
func (s *Store) ClearLoginFailures(ctx context.Context, key string) error {
	prefix := key + "|"
	return s.tx(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `DELETE FROM login_failures WHERE key = ? OR substr(key, 1, ?) = ?`,
			key, utf8.RuneCountInString(prefix), prefix)
		return err
	})
}

// ReserveLoginAttempt checks the limits and records the attempt in one
// transaction. SQLite has one writer, so its transactions never overlap;
// PostgreSQL takes a transaction lock on each key (in a fixed order, so
// two attempts never wait on each other) before counting.
func (s *Store) ReserveLoginAttempt(ctx context.Context, attempt string, limits []store.LoginLimit, at, prune time.Time) (int, time.Time, error) {
	full, oldest := -1, time.Time{}
	err := s.tx(ctx, func(q querier) error {
		full, oldest = -1, time.Time{}
		if s.d.name == "postgres" {
			keys := make([]string, len(limits))
			for i, l := range limits {
				keys[i] = l.Key
			}
			sort.Strings(keys)
			for _, k := range keys {
				if _, err := q.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended(?, 7212030))`, k); err != nil {
					return err
				}
			}
		}
		for i, l := range limits {
			var n int
			var first sql.NullTime
			if err := q.QueryRowContext(ctx, `SELECT count(*), min(failed_at) FROM login_failures WHERE key = ? AND failed_at >= ?`,
				l.Key, utc(l.Since)).Scan(&n, &first); err != nil {
				return err
			}
			if n >= l.Max {
				full, oldest = i, first.Time.UTC()
				return nil
			}
		}
		if _, err := q.ExecContext(ctx, `DELETE FROM login_failures WHERE failed_at < ?`, utc(prune)); err != nil {
			return err
		}
		for _, l := range limits {
			if _, err := q.ExecContext(ctx, `INSERT INTO login_failures (key, failed_at, attempt) VALUES (?, ?, ?)`,
				l.Key, utc(at), attempt); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return -1, time.Time{}, err
	}
	return full, oldest, nil
}

// ForgetLoginAttempt deletes the rows of one attempt.
func (s *Store) ForgetLoginAttempt(ctx context.Context, attempt string) error {
	if attempt == "" {
		return nil
	}
	return s.tx(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `DELETE FROM login_failures WHERE attempt = ?`, attempt)
		return err
	})
}

// RememberLoginDevice records a browser that signed in, or refreshes it.
func (s *Store) RememberLoginDevice(ctx context.Context, id string, userID int64, at time.Time) error {
	return s.tx(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `INSERT INTO login_devices (id, user_id, created_at, last_used_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET last_used_at = excluded.last_used_at`, id, userID, utc(at), utc(at))
		return err
	})
}

// LoginDeviceUser returns the account a device signed in to.
func (s *Store) LoginDeviceUser(ctx context.Context, id string, since time.Time) (int64, error) {
	var uid int64
	err := s.read().QueryRowContext(ctx, `SELECT user_id FROM login_devices WHERE id = ? AND last_used_at >= ?`, id, utc(since)).Scan(&uid)
	return uid, mapErr(err)
}

// DeleteStaleLoginDevices forgets devices unused since before.
func (s *Store) DeleteStaleLoginDevices(ctx context.Context, before time.Time) error {
	return s.tx(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `DELETE FROM login_devices WHERE last_used_at < ?`, utc(before))
		return err
	})
}

// RedirectFor returns the article that used to be at path.
func (s *Store) RedirectFor(ctx context.Context, path string) (int64, error) {
	var id int64
	err := s.read().QueryRowContext(ctx, `SELECT article_id FROM redirects WHERE old_path = ?`, path).Scan(&id)
	return id, mapErr(err)
}

// UpdateUser changes an account's profile, role and state (not its password).
func (s *Store) UpdateUser(ctx context.Context, u *model.User) error {
	return s.tx(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, `UPDATE users SET email = ?, name = ?, slug = ?, role = ?, bio = ?, language = ?, active = ?, twitter = ? WHERE id = ?`,
			u.Email, u.Name, u.Slug, u.Role, u.Bio, u.Language, u.Active, u.Twitter, u.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
}

// SetPassword replaces an account's password hash.
func (s *Store) SetPassword(ctx context.Context, userID int64, hash string) error {
	return s.tx(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
}

// ListTokens returns every API token, newest first, with its account's email.
func (s *Store) ListTokens(ctx context.Context) ([]store.TokenInfo, error) {
	rows, err := s.read().QueryContext(ctx, `SELECT t.id, t.user_id, t.name, t.created_at, t.last_used_at, t.revoked, u.email
		FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.id DESC`)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []store.TokenInfo
	for rows.Next() {
		var t store.TokenInfo
		var used sql.NullTime
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.CreatedAt, &used, &t.Revoked, &t.UserEmail); err != nil {
			return nil, mapErr(err)
		}
		t.CreatedAt = t.CreatedAt.UTC()
		t.LastUsedAt = timePtr(used)
		out = append(out, t)
	}
	return out, mapErr(rows.Err())
}

// RevokeUserTokens ends every API token acting for userID (a new password).
func (s *Store) RevokeUserTokens(ctx context.Context, userID int64) error {
	return s.tx(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `UPDATE api_tokens SET revoked = TRUE WHERE user_id = ?`, userID)
		return err
	})
}

// RevokeToken stops a token from working; the row stays for the record.
func (s *Store) RevokeToken(ctx context.Context, id int64) error {
	return s.tx(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, `UPDATE api_tokens SET revoked = TRUE WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
}

// PageByID finds one static page.
func (s *Store) PageByID(ctx context.Context, id int64) (*model.Page, error) {
	p, err := scanPage(s.read().QueryRowContext(ctx, `SELECT `+pageCols+` FROM pages WHERE id = ?`, id))
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// DeletePage removes a static page.
func (s *Store) DeletePage(ctx context.Context, id int64) error {
	return s.deleteByID(ctx, "pages", id)
}

// DeleteCategory removes a category; its children move to the top level
// and its articles simply lose it (foreign keys do both).
func (s *Store) DeleteCategory(ctx context.Context, id int64) error {
	return s.deleteByID(ctx, "categories", id)
}

// DeleteTag removes a tag from every article.
func (s *Store) DeleteTag(ctx context.Context, id int64) error {
	return s.deleteByID(ctx, "tags", id)
}

// deleteByID deletes one row of a fixed table (never a caller's string).
func (s *Store) deleteByID(ctx context.Context, table string, id int64) error {
	return s.tx(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, `DELETE FROM `+table+` WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
}

// UpdateTag renames a tag; a taken slug is ErrConflict.
func (s *Store) UpdateTag(ctx context.Context, t *model.Tag) error {
	return s.tx(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, `UPDATE tags SET name = ?, slug = ? WHERE id = ?`, t.Name, t.Slug, t.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
}

// TagCounts maps tag ids to their number of articles.
func (s *Store) TagCounts(ctx context.Context) (map[int64]int, error) {
	rows, err := s.read().QueryContext(ctx, `SELECT tag_id, count(*) FROM article_tags GROUP BY tag_id`)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, mapErr(err)
		}
		out[id] = n
	}
	return out, mapErr(rows.Err())
}

func idArgs(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

// ArticlesByIDs returns articles (without categories, tags or author) by id.
func (s *Store) ArticlesByIDs(ctx context.Context, ids []int64) (map[int64]*model.Article, error) {
	out := map[int64]*model.Article{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.read().QueryContext(ctx, `SELECT `+articleCols+` FROM articles a WHERE a.id IN (`+placeholders(len(ids))+`)`, idArgs(ids)...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		out[a.ID] = a
	}
	return out, mapErr(rows.Err())
}

// CommentsByIDs returns comments by id.
func (s *Store) CommentsByIDs(ctx context.Context, ids []int64) (map[int64]*model.Comment, error) {
	out := map[int64]*model.Comment{}
	if len(ids) == 0 {
		return out, nil
	}
	list, err := s.comments(ctx, s.read(), `SELECT `+commentCols+` FROM comments WHERE id IN (`+placeholders(len(ids))+`)`, idArgs(ids)...)
	if err != nil {
		return nil, err
	}
	for _, c := range list {
		out[c.ID] = c
	}
	return out, nil
}

// UpdateCommentBody replaces a comment's text (a moderator's edit). The
// duplicate-detection hash keeps the original text's value on purpose: it
// stands for what the reader sent.
func (s *Store) UpdateCommentBody(ctx context.Context, id int64, body string) error {
	return s.tx(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, `UPDATE comments SET body = ? WHERE id = ?`, strings.TrimSpace(body), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
}
