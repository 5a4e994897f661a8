// Package store names what Warta keeps and the errors its storage returns.
// The one implementation lives in sqlstore; domain packages depend on the
// narrow interfaces here, never on SQL.
package store

import (
	"context"
	"errors"
	"time"

	"warta/internal/model"
)

var (
	// ErrNotFound: the thing asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict: a unique value (slug, email) is taken, or a stale write.
	ErrConflict = errors.New("conflict")
)

// ArticleQuery selects articles. Zero fields do not filter.
type ArticleQuery struct {
	Status     model.Status
	PublicAt   time.Time // when set: only articles published at or before this instant
	CategoryID int64     // includes sub-categories
	TagID      int64
	AuthorID   int64
	From, To   time.Time // published_at in [From, To)
	Text       string    // plain substring match on title and body (search proper comes later)
	VisibleTo  int64     // when set: published articles plus this user's own
	BeforeID   int64     // keyset cursor for the API: id < BeforeID, ordered by id desc
	Limit      int
	Offset     int
}

// Articles keeps news stories with their categories and tags.
type Articles interface {
	CreateArticle(ctx context.Context, a *model.Article) error
	UpdateArticle(ctx context.Context, a *model.Article) error
	DeleteArticle(ctx context.Context, id int64) error
	ArticleByID(ctx context.Context, id int64) (*model.Article, error)
	ArticleBySlug(ctx context.Context, slug string) (*model.Article, error)
	ListArticles(ctx context.Context, q ArticleQuery) ([]*model.Article, error)
	CountArticles(ctx context.Context, q ArticleQuery) (int, error)
	SlugTaken(ctx context.Context, table, slug string, exceptID int64) (bool, error)
}

// Taxonomy keeps categories and tags.
type Taxonomy interface {
	CreateCategory(ctx context.Context, c *model.Category) error
	UpdateCategory(ctx context.Context, c *model.Category) error
	Categories(ctx context.Context) ([]model.Category, error)
	CategoryBySlug(ctx context.Context, slug string) (*model.Category, error)
	EnsureTag(ctx context.Context, name, slug string) (*model.Tag, error)
	TagBySlug(ctx context.Context, slug string) (*model.Tag, error)
	Tags(ctx context.Context) ([]model.Tag, error)
}

// Pages keeps static pages.
type Pages interface {
	CreatePage(ctx context.Context, p *model.Page) error
	UpdatePage(ctx context.Context, p *model.Page) error
	PageBySlug(ctx context.Context, slug string) (*model.Page, error)
	ListPages(ctx context.Context) ([]model.Page, error)
}

// Users keeps accounts and API tokens.
type Users interface {
	CreateUser(ctx context.Context, u *model.User) error
	UserByID(ctx context.Context, id int64) (*model.User, error)
	UserByEmail(ctx context.Context, email string) (*model.User, error)
	UserBySlug(ctx context.Context, slug string) (*model.User, error)
	ListUsers(ctx context.Context) ([]model.User, error)
	CountUsers(ctx context.Context) (int, error)
	CreateToken(ctx context.Context, t *model.Token) error
	UserByToken(ctx context.Context, hash string) (*model.User, error)
}

// Settings keeps site-wide options.
type Settings interface {
	Settings(ctx context.Context) (model.Settings, error)
	SaveSettings(ctx context.Context, s model.Settings) error
}

// Media keeps the media library's records (the bytes live in media storage).
type Media interface {
	CreateMedia(ctx context.Context, m *model.Media) error
	MediaByPath(ctx context.Context, path string) (*model.Media, error)
}

// CommentQuery selects comments for moderators. Zero fields do not filter.
type CommentQuery struct {
	Status    model.CommentStatus
	ArticleID int64
	BeforeID  int64 // keyset cursor: id < BeforeID, newest first
	Limit     int
}

// Comments keeps reader comments and their moderation state.
type Comments interface {
	// CreateComment stores c; BodyHash lets duplicates be found cheaply.
	CreateComment(ctx context.Context, c *model.Comment, bodyHash string) error
	CommentByID(ctx context.Context, id int64) (*model.Comment, error)
	ListComments(ctx context.Context, q CommentQuery) ([]*model.Comment, error)
	// ArticleComments returns an article's comments with the given
	// statuses, oldest first.
	ArticleComments(ctx context.Context, articleID int64, statuses ...model.CommentStatus) ([]*model.Comment, error)
	// SetCommentStatus moves comments to status and refreshes the approved
	// counts of their articles; it returns the comments as they were before.
	SetCommentStatus(ctx context.Context, ids []int64, status model.CommentStatus) ([]*model.Comment, error)
	LastCommentFrom(ctx context.Context, ip string) (time.Time, error)
	DuplicateComment(ctx context.Context, articleID int64, bodyHash string) (bool, error)
	HasApprovedComment(ctx context.Context, name, email string) (bool, error)
	PurgeCommentIPs(ctx context.Context, before time.Time) (int64, error)
	CountComments(ctx context.Context, status model.CommentStatus) (int, error)
}

// KV keeps small named blobs (the spam model, the site's secret).
type KV interface {
	GetKV(ctx context.Context, key string) (string, error)
	PutKV(ctx context.Context, key, value string) error
	// PutKVIfAbsent stores value unless key exists, and returns the stored value.
	PutKVIfAbsent(ctx context.Context, key, value string) (string, error)
}
