package sqlstore

import (
	"context"
	"database/sql"

	"warta/internal/model"
	"warta/internal/store"
)

// correctionCols are a correction's columns (c) and the facts of the
// other article of the pair (o), which may be absent.
const correctionCols = `c.id, c.article_id, c.kind, c.body, c.body_html, c.link_article_id, c.author_id, c.published_at,
	o.id, o.title, o.slug, o.status, o.published_at, o.created_at, o.retracted_at`

func scanCorrection(sc interface{ Scan(...any) error }) (model.Correction, error) {
	var c model.Correction
	var link, author, oid sql.NullInt64
	var title, slug, status sql.NullString
	var pub, created, retracted sql.NullTime
	err := sc.Scan(&c.ID, &c.ArticleID, &c.Kind, &c.Body, &c.BodyHTML, &link, &author, &c.PublishedAt,
		&oid, &title, &slug, &status, &pub, &created, &retracted)
	if err != nil {
		return c, mapErr(err)
	}
	c.PublishedAt = c.PublishedAt.UTC()
	if link.Valid {
		c.LinkArticleID = &link.Int64
	}
	if author.Valid {
		c.AuthorID = &author.Int64
	}
	if oid.Valid {
		c.Linked = &model.Article{ID: oid.Int64, Title: title.String, Slug: slug.String, Status: model.Status(status.String),
			PublishedAt: timePtr(pub), CreatedAt: created.Time.UTC(), RetractedAt: timePtr(retracted)}
	}
	return c, nil
}

func (s *Store) corrections(ctx context.Context, query string, args ...any) ([]model.Correction, error) {
	rows, err := s.read().QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.Correction
	for rows.Next() {
		c, err := scanCorrection(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, mapErr(rows.Err())
}

// CreateCorrection stores c.
func (s *Store) CreateCorrection(ctx context.Context, c *model.Correction) error {
	if c.PublishedAt.IsZero() {
		c.PublishedAt = s.now()
	}
	c.PublishedAt = utc(c.PublishedAt)
	return s.tx(ctx, func(q querier) error {
		return q.QueryRowContext(ctx, `INSERT INTO corrections (article_id, kind, body, body_html, link_article_id, author_id, published_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			c.ArticleID, c.Kind, c.Body, c.BodyHTML, c.LinkArticleID, c.AuthorID, c.PublishedAt).Scan(&c.ID)
	})
}

// loadCorrections gives a its corrections (newest first, each with the
// article it links to) and the corrections of other articles that link to
// it (each with the article it corrects).
func (s *Store) loadCorrections(ctx context.Context, a *model.Article) error {
	var err error
	a.Corrections, err = s.corrections(ctx, `SELECT `+correctionCols+` FROM corrections c
		LEFT JOIN articles o ON o.id = c.link_article_id
		WHERE c.article_id = ? ORDER BY c.published_at DESC, c.id DESC`, a.ID)
	if err != nil {
		return err
	}
	a.Cited, err = s.corrections(ctx, `SELECT `+correctionCols+` FROM corrections c
		JOIN articles o ON o.id = c.article_id
		WHERE c.link_article_id = ? ORDER BY c.published_at DESC, c.id DESC`, a.ID)
	return err
}

// ListCorrections returns the corrections of public articles, newest first.
func (s *Store) ListCorrections(ctx context.Context, q store.CorrectionQuery) ([]model.Correction, error) {
	if q.Limit <= 0 {
		q.Limit = 20
	}
	return s.corrections(ctx, `SELECT `+correctionCols+` FROM corrections c
		JOIN articles o ON o.id = c.article_id
		WHERE o.status = 'published' AND o.published_at <= ? AND o.retracted_at IS NULL AND c.published_at <= ?
		ORDER BY c.published_at DESC, c.id DESC LIMIT ? OFFSET ?`, utc(q.PublicAt), utc(q.PublicAt), q.Limit, q.Offset)
}
