package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"warta/internal/model"
	"warta/internal/store"
)

const commentCols = `id, article_id, parent_id, author_name, author_email, author_url, body, status, created_at,
	ip, user_agent, spam_score, reasons, user_id`

func scanComment(sc interface{ Scan(...any) error }) (*model.Comment, error) {
	var c model.Comment
	var parent, user sql.NullInt64
	err := sc.Scan(&c.ID, &c.ArticleID, &parent, &c.AuthorName, &c.AuthorEmail, &c.AuthorURL, &c.Body, &c.Status, &c.CreatedAt,
		&c.IP, &c.UserAgent, &c.SpamScore, &c.Reasons, &user)
	if err != nil {
		return nil, mapErr(err)
	}
	if parent.Valid {
		c.ParentID = &parent.Int64
	}
	if user.Valid {
		c.UserID = &user.Int64
	}
	c.CreatedAt = c.CreatedAt.UTC()
	return &c, nil
}

func (s *Store) comments(ctx context.Context, q querier, query string, args ...any) ([]*model.Comment, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []*model.Comment
	for rows.Next() {
		c, err := scanComment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, mapErr(rows.Err())
}

// refreshCount recomputes an article's approved comment count.
func refreshCount(ctx context.Context, q querier, articleID int64) error {
	_, err := q.ExecContext(ctx, `UPDATE articles SET comment_count =
		(SELECT count(*) FROM comments WHERE article_id = ? AND status = 'approved') WHERE id = ?`, articleID, articleID)
	return err
}

// CreateComment stores c and keeps the article's count right.
func (s *Store) CreateComment(ctx context.Context, c *model.Comment, bodyHash string) error {
	if c.CreatedAt.IsZero() {
		c.CreatedAt = s.now()
	}
	c.CreatedAt = utc(c.CreatedAt)
	return s.tx(ctx, func(q querier) error {
		err := q.QueryRowContext(ctx, `INSERT INTO comments (article_id, parent_id, author_name, author_email, author_url, body, status,
			created_at, ip, user_agent, spam_score, reasons, user_id, body_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			c.ArticleID, c.ParentID, c.AuthorName, c.AuthorEmail, c.AuthorURL, c.Body, c.Status, c.CreatedAt,
			c.IP, c.UserAgent, c.SpamScore, c.Reasons, c.UserID, bodyHash).Scan(&c.ID)
		if err != nil {
			return err
		}
		if c.Status == model.CommentApproved {
			return refreshCount(ctx, q, c.ArticleID)
		}
		return nil
	})
}

// CommentByID returns one comment.
func (s *Store) CommentByID(ctx context.Context, id int64) (*model.Comment, error) {
	return scanComment(s.read().QueryRowContext(ctx, `SELECT `+commentCols+` FROM comments WHERE id = ?`, id))
}

// ListComments lists comments for moderators, newest first.
func (s *Store) ListComments(ctx context.Context, cq store.CommentQuery) ([]*model.Comment, error) {
	var conds []string
	var args []any
	if cq.Status != "" {
		conds = append(conds, "status = ?")
		args = append(args, cq.Status)
	}
	if cq.ArticleID != 0 {
		conds = append(conds, "article_id = ?")
		args = append(args, cq.ArticleID)
	}
	if cq.BeforeID != 0 {
		conds = append(conds, "id < ?")
		args = append(args, cq.BeforeID)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	limit := cq.Limit
	if limit <= 0 {
		limit = 50
	}
	args = append(args, limit)
	return s.comments(ctx, s.read(), `SELECT `+commentCols+` FROM comments`+where+` ORDER BY id DESC LIMIT ?`, args...)
}

// ArticleComments returns an article's comments with the given statuses,
// oldest first.
func (s *Store) ArticleComments(ctx context.Context, articleID int64, statuses ...model.CommentStatus) ([]*model.Comment, error) {
	args := []any{articleID}
	for _, st := range statuses {
		args = append(args, st)
	}
	return s.comments(ctx, s.read(), `SELECT `+commentCols+` FROM comments WHERE article_id = ? AND status IN (`+
		placeholders(len(statuses))+`) ORDER BY created_at, id`, args...)
}

// SetCommentStatus moves comments to status in one transaction (the
// caller's, inside InTx).
func (s *Store) SetCommentStatus(ctx context.Context, ids []int64, status model.CommentStatus) ([]*model.Comment, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	var before []*model.Comment
	err := s.tx(ctx, func(q querier) error {
		var err error
		// On PostgreSQL the rows are locked as they are read: a second
		// moderation of the same comment waits, then reads the status this
		// one left, so the spam filter learns each decision once. (SQLite
		// runs one write transaction at a time.)
		lock := ""
		if s.d.name == "postgres" {
			lock = " ORDER BY id FOR UPDATE"
		}
		before, err = s.comments(ctx, q, `SELECT `+commentCols+` FROM comments WHERE id IN (`+placeholders(len(ids))+`)`+lock, args...)
		if err != nil {
			return err
		}
		if len(before) == 0 {
			return store.ErrNotFound
		}
		if _, err := q.ExecContext(ctx, `UPDATE comments SET status = ? WHERE id IN (`+placeholders(len(ids))+`)`,
			append([]any{status}, args...)...); err != nil {
			return err
		}
		// Articles in the order of their ids, as every moderation takes
		// their rows, so two moderations never wait for each other's.
		var articles []int64
		for _, c := range before {
			articles = append(articles, c.ArticleID)
		}
		slices.Sort(articles)
		for _, id := range slices.Compact(articles) {
			if err := refreshCount(ctx, q, id); err != nil {
				return err
			}
		}
		return nil
	})
	return before, err
}

// LastCommentFrom returns when ip last commented (zero if never).
func (s *Store) LastCommentFrom(ctx context.Context, ip string) (time.Time, error) {
	var t sql.NullTime
	err := s.read().QueryRowContext(ctx, `SELECT max(created_at) FROM comments WHERE ip = ?`, ip).Scan(&t)
	if err != nil || !t.Valid {
		return time.Time{}, mapErr(err)
	}
	return t.Time.UTC(), nil
}

// DuplicateComment reports whether the same text was already left on the
// article (in any state but trash).
func (s *Store) DuplicateComment(ctx context.Context, articleID int64, bodyHash string) (bool, error) {
	var n int
	err := s.read().QueryRowContext(ctx, `SELECT count(*) FROM comments WHERE article_id = ? AND body_hash = ? AND status <> 'trash'`,
		articleID, bodyHash).Scan(&n)
	return n > 0, mapErr(err)
}

// HasApprovedComment reports whether this name and email pair has an
// approved comment already (WordPress's "previously approved" rule).
func (s *Store) HasApprovedComment(ctx context.Context, name, email string) (bool, error) {
	var n int
	err := s.read().QueryRowContext(ctx, `SELECT count(*) FROM comments WHERE lower(author_email) = ? AND author_name = ? AND status = 'approved'`,
		strings.ToLower(email), name).Scan(&n)
	return n > 0, mapErr(err)
}

// PurgeCommentIPs forgets the address and browser of comments older than before.
func (s *Store) PurgeCommentIPs(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.tx(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, `UPDATE comments SET ip = '', user_agent = '' WHERE created_at < ? AND (ip <> '' OR user_agent <> '')`, utc(before))
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		// Readers' reports keep an address only for their rate limit.
		_, err = q.ExecContext(ctx, `UPDATE comment_reports SET ip = '' WHERE created_at < ? AND ip <> ''`, utc(before))
		return err
	})
	return n, err
}

// CountComments counts comments in a status (for the moderation badge).
func (s *Store) CountComments(ctx context.Context, status model.CommentStatus) (int, error) {
	var n int
	err := s.read().QueryRowContext(ctx, `SELECT count(*) FROM comments WHERE status = ?`, status).Scan(&n)
	return n, mapErr(err)
}

// GetKV reads a named blob.
func (s *Store) GetKV(ctx context.Context, key string) (string, error) {
	var v string
	err := s.read().QueryRowContext(ctx, `SELECT value FROM kv WHERE key = ?`, key).Scan(&v)
	return v, mapErr(err)
}

// PutKV writes a named blob.
func (s *Store) PutKV(ctx context.Context, key, value string) error {
	return s.tx(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, key, value, utc(s.now()))
		return err
	})
}

// PutKVIfAbsent stores value unless key exists; it returns what is stored,
// so two instances starting together agree on one value.
func (s *Store) PutKVIfAbsent(ctx context.Context, key, value string) (string, error) {
	var v string
	err := s.tx(ctx, func(q querier) error {
		if _, err := q.ExecContext(ctx, `INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING`,
			key, value, utc(s.now())); err != nil {
			return err
		}
		return q.QueryRowContext(ctx, `SELECT value FROM kv WHERE key = ?`, key).Scan(&v)
	})
	return v, err
}

// DeleteKV forgets a named blob.
func (s *Store) DeleteKV(ctx context.Context, key string) error {
	return s.tx(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `DELETE FROM kv WHERE key = ?`, key)
		return err
	})
}
