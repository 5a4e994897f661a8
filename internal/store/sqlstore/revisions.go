package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"warta/internal/model"
	"warta/internal/store"
)

// addRevision records a's state as its next revision, inside the caller's
// transaction (so a save and its revision stand or fall together). The
// saver is the user set with store.WithEditor, else the author. A save
// that changed nothing a revision holds (an autosave of an untouched
// draft, a change of tags) adds no revision.
//
// Numbers cannot clash: UpdateArticle has already locked the article's
// row with its UPDATE, so concurrent saves of one article take turns.
func addRevision(ctx context.Context, q querier, a *model.Article, now time.Time) error {
	var last store.Revision
	err := q.QueryRowContext(ctx, `SELECT number, title, dateline, excerpt, body, status, image_url, image_alt, image_caption
		FROM article_revisions WHERE article_id = ? ORDER BY number DESC LIMIT 1`, a.ID).
		Scan(&last.Number, &last.Title, &last.Dateline, &last.Excerpt, &last.Body, &last.Status,
			&last.Image.URL, &last.Image.Alt, &last.Image.Caption)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return err
	case last.Title == a.Title && last.Dateline == a.Dateline && last.Excerpt == a.Excerpt && last.Body == a.Body &&
		last.Status == a.Status && last.Image == a.Image:
		return nil
	}
	user := a.AuthorID
	if id, ok := store.EditorFrom(ctx); ok {
		user = id
	}
	_, err = q.ExecContext(ctx, `INSERT INTO article_revisions (article_id, number, title, dateline, excerpt, body, status,
		image_url, image_alt, image_caption, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, last.Number+1, a.Title, a.Dateline, a.Excerpt, a.Body, a.Status, a.Image.URL, a.Image.Alt, a.Image.Caption,
		user, utc(now))
	return err
}

// ArticleRevisions lists an article's revisions, newest first, without
// their bodies.
func (s *Store) ArticleRevisions(ctx context.Context, articleID int64) ([]store.Revision, error) {
	rows, err := s.read().QueryContext(ctx, `SELECT r.article_id, r.number, r.title, r.dateline, r.excerpt, '', r.status,
		r.image_url, r.image_alt, r.image_caption, r.user_id, COALESCE(u.name, ''), r.created_at
		FROM article_revisions r LEFT JOIN users u ON u.id = r.user_id
		WHERE r.article_id = ? ORDER BY r.number DESC`, articleID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []store.Revision
	for rows.Next() {
		r, err := scanRevision(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, mapErr(rows.Err())
}

// ArticleRevision returns one revision in full.
func (s *Store) ArticleRevision(ctx context.Context, articleID int64, number int) (*store.Revision, error) {
	return scanRevision(s.read().QueryRowContext(ctx, `SELECT r.article_id, r.number, r.title, r.dateline, r.excerpt, r.body, r.status,
		r.image_url, r.image_alt, r.image_caption, r.user_id, COALESCE(u.name, ''), r.created_at
		FROM article_revisions r LEFT JOIN users u ON u.id = r.user_id
		WHERE r.article_id = ? AND r.number = ?`, articleID, number))
}

func scanRevision(sc interface{ Scan(...any) error }) (*store.Revision, error) {
	var r store.Revision
	var user sql.NullInt64
	err := sc.Scan(&r.ArticleID, &r.Number, &r.Title, &r.Dateline, &r.Excerpt, &r.Body, &r.Status,
		&r.Image.URL, &r.Image.Alt, &r.Image.Caption, &user, &r.UserName, &r.CreatedAt)
	if err != nil {
		return nil, mapErr(err)
	}
	if user.Valid {
		r.UserID = &user.Int64
	}
	r.CreatedAt = r.CreatedAt.UTC()
	return &r, nil
}
