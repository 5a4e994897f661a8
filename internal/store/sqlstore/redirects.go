package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"warta/internal/model"
	"warta/internal/store"
)

const redirectCols = `id, from_path, to_path, article_id, page_id, source, created_at, updated_at`

// PutRedirect adds r, or changes the redirect from r.From (keeping its
// creation time).
func (s *Store) PutRedirect(ctx context.Context, r *model.Redirect) error {
	now := utc(s.now())
	return s.tx(ctx, func(q querier) error {
		return q.QueryRowContext(ctx, `INSERT INTO url_redirects (from_path, to_path, article_id, page_id, source, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (from_path) DO UPDATE SET to_path = excluded.to_path, article_id = excluded.article_id,
				page_id = excluded.page_id, source = excluded.source, updated_at = excluded.updated_at
			RETURNING id, created_at, updated_at`,
			r.From, r.To, nullID(r.ArticleID), nullID(r.PageID), r.Source, now, now).Scan(&r.ID, &r.CreatedAt, &r.UpdatedAt)
	})
}

// UpdateRedirect changes redirect r.ID (keeping its creation time).
func (s *Store) UpdateRedirect(ctx context.Context, r *model.Redirect) error {
	now := utc(s.now())
	return s.tx(ctx, func(q querier) error {
		err := q.QueryRowContext(ctx, `UPDATE url_redirects SET from_path = ?, to_path = ?, article_id = ?, page_id = ?, source = ?,
			updated_at = ? WHERE id = ? RETURNING created_at, updated_at`,
			r.From, r.To, nullID(r.ArticleID), nullID(r.PageID), r.Source, now, r.ID).Scan(&r.CreatedAt, &r.UpdatedAt)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		return err
	})
}

// RedirectByID returns redirect id.
func (s *Store) RedirectByID(ctx context.Context, id int64) (*model.Redirect, error) {
	return scanRedirect(s.read().QueryRowContext(ctx, `SELECT `+redirectCols+` FROM url_redirects WHERE id = ?`, id))
}

// RedirectFrom returns the redirect from the old address from.
func (s *Store) RedirectFrom(ctx context.Context, from string) (*model.Redirect, error) {
	return scanRedirect(s.read().QueryRowContext(ctx, `SELECT `+redirectCols+` FROM url_redirects WHERE from_path = ?`, from))
}

func redirectWhere(q store.RedirectQuery) (string, []any) {
	if q.Text == "" {
		return "", nil
	}
	like := "%" + likeEscape(strings.ToLower(q.Text)) + "%"
	return ` WHERE lower(from_path) LIKE ? ESCAPE '\' OR lower(to_path) LIKE ? ESCAPE '\'`, []any{like, like}
}

// ListRedirects returns one page of redirects, by old address.
func (s *Store) ListRedirects(ctx context.Context, q store.RedirectQuery) ([]model.Redirect, error) {
	w, args := redirectWhere(q)
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	rows, err := s.read().QueryContext(ctx, `SELECT `+redirectCols+` FROM url_redirects`+w+
		` ORDER BY `+s.d.bytewise("from_path")+` LIMIT ? OFFSET ?`, append(args, limit, max(q.Offset, 0))...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.Redirect
	for rows.Next() {
		r, err := scanRedirect(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, mapErr(rows.Err())
}

// CountRedirects counts the redirects q selects.
func (s *Store) CountRedirects(ctx context.Context, q store.RedirectQuery) (int, error) {
	w, args := redirectWhere(q)
	var n int
	err := s.read().QueryRowContext(ctx, `SELECT count(*) FROM url_redirects`+w, args...).Scan(&n)
	return n, mapErr(err)
}

// DeleteRedirect removes redirect id.
func (s *Store) DeleteRedirect(ctx context.Context, id int64) error {
	return s.deleteByID(ctx, "url_redirects", id)
}

type rowScanner interface{ Scan(dest ...any) error }

func scanRedirect(row rowScanner) (*model.Redirect, error) {
	var r model.Redirect
	var article, page sql.NullInt64
	if err := row.Scan(&r.ID, &r.From, &r.To, &article, &page, &r.Source, &r.CreatedAt, &r.UpdatedAt); err != nil {
		return nil, mapErr(err)
	}
	if article.Valid {
		r.ArticleID = &article.Int64
	}
	if page.Valid {
		r.PageID = &page.Int64
	}
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	return &r, nil
}

func nullID(id *int64) any {
	if id == nil {
		return nil
	}
	return *id
}
