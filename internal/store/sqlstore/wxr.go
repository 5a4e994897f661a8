package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"warta/internal/model"
	"warta/internal/store"
)

// Import runs fn in one write transaction (store.Importer): a WordPress
// import either lands whole or leaves the database as it was.
func (s *Store) Import(ctx context.Context, fn func(tx store.ImportTx) error) error {
	return s.tx(ctx, func(q querier) error { return fn(importTx{q: q}) })
}

// importTx writes through the import's transaction. Each method maps
// driver errors itself, so the importer can tell "not found" apart.
type importTx struct{ q querier }

func (t importTx) UserByEmail(ctx context.Context, email string) (*model.User, error) {
	var u model.User
	err := t.q.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE lower(email) = lower(?) LIMIT 1`, email).
		Scan(&u.ID, &u.Email, &u.Name, &u.Slug, &u.Role, &u.Bio, &u.Language, &u.Active, &u.PasswordHash, &u.CreatedAt)
	if err != nil {
		return nil, mapErr(err)
	}
	u.CreatedAt = u.CreatedAt.UTC()
	return &u, nil
}

func (t importTx) CreateUser(ctx context.Context, u *model.User) error {
	if u.CreatedAt.IsZero() {
		u.CreatedAt = time.Now()
	}
	u.CreatedAt = utc(u.CreatedAt)
	return mapErr(t.q.QueryRowContext(ctx, `INSERT INTO users (email, name, slug, role, bio, language, active, password_hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		u.Email, u.Name, u.Slug, u.Role, u.Bio, u.Language, u.Active, u.PasswordHash, u.CreatedAt).Scan(&u.ID))
}

func (t importTx) SlugTaken(ctx context.Context, table, slug string) (bool, error) {
	switch table {
	case "articles", "pages", "categories", "tags", "users":
	default:
		return false, fmt.Errorf("slug check: unknown table %q", table)
	}
	var n int
	err := t.q.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE slug = ?`, slug).Scan(&n)
	return n > 0, mapErr(err)
}

func (t importTx) CategoryBySlug(ctx context.Context, slug string) (*model.Category, error) {
	var c model.Category
	var parent sql.NullInt64
	err := t.q.QueryRowContext(ctx, `SELECT id, parent_id, name, slug, description, position FROM categories WHERE slug = ?`, slug).
		Scan(&c.ID, &parent, &c.Name, &c.Slug, &c.Description, &c.Position)
	if err != nil {
		return nil, mapErr(err)
	}
	if parent.Valid {
		c.ParentID = &parent.Int64
	}
	return &c, nil
}

func (t importTx) CreateCategory(ctx context.Context, c *model.Category) error {
	return mapErr(t.q.QueryRowContext(ctx, `INSERT INTO categories (parent_id, name, slug, description, position) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		c.ParentID, c.Name, c.Slug, c.Description, c.Position).Scan(&c.ID))
}

func (t importTx) TagBySlug(ctx context.Context, slug string) (*model.Tag, error) {
	var g model.Tag
	err := t.q.QueryRowContext(ctx, `SELECT id, name, slug FROM tags WHERE slug = ?`, slug).Scan(&g.ID, &g.Name, &g.Slug)
	if err != nil {
		return nil, mapErr(err)
	}
	return &g, nil
}

func (t importTx) CreateTag(ctx context.Context, g *model.Tag) error {
	return mapErr(t.q.QueryRowContext(ctx, `INSERT INTO tags (name, slug) VALUES (?, ?) RETURNING id`, g.Name, g.Slug).Scan(&g.ID))
}

func (t importTx) CreateArticle(ctx context.Context, a *model.Article) error {
	return mapErr(insertArticle(ctx, t.q, a))
}

func (t importTx) CreatePage(ctx context.Context, p *model.Page) error {
	return mapErr(insertPage(ctx, t.q, p))
}

func (t importTx) CreateComment(ctx context.Context, c *model.Comment, bodyHash string) error {
	if c.CreatedAt.IsZero() {
		c.CreatedAt = time.Now()
	}
	c.CreatedAt = utc(c.CreatedAt)
	err := t.q.QueryRowContext(ctx, `INSERT INTO comments (article_id, parent_id, author_name, author_email, author_url, body, status,
		created_at, ip, user_agent, spam_score, reasons, user_id, body_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.ArticleID, c.ParentID, c.AuthorName, c.AuthorEmail, c.AuthorURL, c.Body, c.Status, c.CreatedAt,
		c.IP, c.UserAgent, c.SpamScore, c.Reasons, c.UserID, bodyHash).Scan(&c.ID)
	if err != nil {
		return mapErr(err)
	}
	if c.Status == model.CommentApproved {
		return mapErr(refreshCount(ctx, t.q, c.ArticleID))
	}
	return nil
}

func (t importTx) GetKV(ctx context.Context, key string) (string, error) {
	var v string
	err := t.q.QueryRowContext(ctx, `SELECT value FROM kv WHERE key = ?`, key).Scan(&v)
	return v, mapErr(err)
}

func (t importTx) PutKV(ctx context.Context, key, value string) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, key, value, utc(time.Now()))
	return mapErr(err)
}
