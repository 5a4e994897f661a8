package store

import (
	"context"

	"warta/internal/model"
)

// ImportTx is one write transaction of a bulk import (a WordPress export):
// everything done through it is kept together or not at all. Lookups see
// the transaction's own writes.
type ImportTx interface {
	UserByEmail(ctx context.Context, email string) (*model.User, error)
	CreateUser(ctx context.Context, u *model.User) error
	// SlugTaken reports whether slug is used in table ("articles",
	// "pages", "categories", "tags" or "users").
	SlugTaken(ctx context.Context, table, slug string) (bool, error)
	CategoryBySlug(ctx context.Context, slug string) (*model.Category, error)
	CreateCategory(ctx context.Context, c *model.Category) error
	TagBySlug(ctx context.Context, slug string) (*model.Tag, error)
	CreateTag(ctx context.Context, t *model.Tag) error
	// CreateArticle inserts a with its links, search entry and first revision.
	CreateArticle(ctx context.Context, a *model.Article) error
	// CreatePage inserts p keeping its CreatedAt and UpdatedAt.
	CreatePage(ctx context.Context, p *model.Page) error
	// CreateComment inserts c and keeps its article's approved count right.
	CreateComment(ctx context.Context, c *model.Comment, bodyHash string) error
	GetKV(ctx context.Context, key string) (string, error)
	PutKV(ctx context.Context, key, value string) error
}

// Importer runs a bulk import in one transaction: when fn returns an
// error, nothing it wrote stays.
type Importer interface {
	Import(ctx context.Context, fn func(tx ImportTx) error) error
}
