package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"warta/internal/model"
	"warta/internal/store"
)

const articleCols = `a.id, a.title, a.slug, a.dateline, a.body, a.body_html, a.excerpt, a.status, a.author_id,
	a.published_at, a.created_at, a.updated_at, a.image_url, a.image_alt, a.image_caption, a.comments_open, a.comment_count, a.version, a.guid,
	a.retracted_at, a.retraction_reason, a.sponsored, a.verification_note, a.verifies_id,
	a.seo_title, a.meta_description, a.social_image, a.canonical_url, a.noindex`

// cardCols are articleCols without the bodies, for lists that show a
// title, a summary and an image: two bodies are most of an article's
// bytes. An article without an excerpt brings the opening of its text
// (store.CardOpening characters) to derive its summary from.
var cardCols = `a.id, a.title, a.slug, a.dateline, CASE WHEN a.excerpt = '' THEN substr(a.body, 1, ` +
	strconv.Itoa(store.CardOpening) + `) ELSE '' END, '', a.excerpt, a.status, a.author_id,
	a.published_at, a.created_at, a.updated_at, a.image_url, a.image_alt, a.image_caption, a.comments_open, a.comment_count, a.version, a.guid,
	a.retracted_at, a.retraction_reason, a.sponsored, a.verification_note, a.verifies_id,
	a.seo_title, a.meta_description, a.social_image, a.canonical_url, a.noindex`

func scanArticle(sc interface{ Scan(...any) error }) (*model.Article, error) {
	var a model.Article
	var pub, retracted sql.NullTime
	var verifies sql.NullInt64
	err := sc.Scan(&a.ID, &a.Title, &a.Slug, &a.Dateline, &a.Body, &a.BodyHTML, &a.Excerpt, &a.Status, &a.AuthorID,
		&pub, &a.CreatedAt, &a.UpdatedAt, &a.Image.URL, &a.Image.Alt, &a.Image.Caption, &a.CommentsOpen, &a.CommentCount, &a.Version, &a.GUID,
		&retracted, &a.RetractionReason, &a.Sponsored, &a.VerificationNote, &verifies,
		&a.SEOTitle, &a.MetaDescription, &a.SocialImage, &a.CanonicalURL, &a.NoIndex)
	if err != nil {
		return nil, mapErr(err)
	}
	a.PublishedAt = timePtr(pub)
	a.RetractedAt = timePtr(retracted)
	if verifies.Valid {
		a.VerifiesID = &verifies.Int64
	}
	a.CreatedAt = a.CreatedAt.UTC()
	a.UpdatedAt = a.UpdatedAt.UTC()
	return &a, nil
}

// CreateArticle inserts a and its category and tag links in one transaction.
// Categories and tags must already exist (their IDs are used).
func (s *Store) CreateArticle(ctx context.Context, a *model.Article) error {
	return s.tx(ctx, func(q querier) error { return insertArticle(ctx, q, a, s.now()) })
}

// stampTimes fills in a new row's creation time (now) and last change
// (its creation) where they are unset, in UTC.
func stampTimes(now time.Time, created, updated *time.Time) {
	if created.IsZero() {
		*created = now
	}
	if updated.IsZero() {
		*updated = *created
	}
	*created, *updated = utc(*created), utc(*updated)
}

// insertArticle inserts a with its search entry, first revision and
// category and tag links, on q (a transaction's).
func insertArticle(ctx context.Context, q querier, a *model.Article, now time.Time) error {
	stampTimes(now, &a.CreatedAt, &a.UpdatedAt)
	if a.GUID == "" {
		a.GUID = newGUID()
	}
	err := q.QueryRowContext(ctx, `INSERT INTO articles (title, slug, dateline, body, body_html, excerpt, status, author_id,
		published_at, created_at, updated_at, image_url, image_alt, image_caption, comments_open, guid, sponsored,
		verification_note, verifies_id, seo_title, meta_description, social_image, canonical_url, noindex)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		a.Title, a.Slug, a.Dateline, a.Body, a.BodyHTML, a.Excerpt, a.Status, a.AuthorID,
		nullTime(a.PublishedAt), a.CreatedAt, a.UpdatedAt, a.Image.URL, a.Image.Alt, a.Image.Caption, a.CommentsOpen, a.GUID, a.Sponsored,
		a.VerificationNote, a.VerifiesID, a.SEOTitle, a.MetaDescription, a.SocialImage, a.CanonicalURL, a.NoIndex).Scan(&a.ID)
	if err != nil {
		return err
	}
	a.Version = 1
	if err := indexArticle(ctx, q, a); err != nil {
		return err
	}
	if err := addRevision(ctx, q, a, now); err != nil {
		return err
	}
	return linkTaxonomy(ctx, q, a)
}

// UpdateArticle replaces a's fields and links. It refuses a stale write:
// when the stored version is not a.Version (the one the edit was made on)
// it returns ErrStale, so one editor never silently overwrites another.
// On success a carries its new version and time of change.
func (s *Store) UpdateArticle(ctx context.Context, a *model.Article) error {
	now := utc(s.now())
	err := s.tx(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, `UPDATE articles SET title = ?, slug = ?, dateline = ?, body = ?, body_html = ?, excerpt = ?,
			status = ?, author_id = ?, published_at = ?, updated_at = ?, image_url = ?, image_alt = ?, image_caption = ?, comments_open = ?,
			sponsored = ?, verification_note = ?, verifies_id = ?,
			seo_title = ?, meta_description = ?, social_image = ?, canonical_url = ?, noindex = ?, version = version + 1
			WHERE id = ? AND version = ?`,
			a.Title, a.Slug, a.Dateline, a.Body, a.BodyHTML, a.Excerpt, a.Status, a.AuthorID, nullTime(a.PublishedAt),
			now, a.Image.URL, a.Image.Alt, a.Image.Caption, a.CommentsOpen, a.Sponsored,
			a.VerificationNote, a.VerifiesID, a.SEOTitle, a.MetaDescription, a.SocialImage, a.CanonicalURL, a.NoIndex, a.ID, a.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var one int
			if err := q.QueryRowContext(ctx, `SELECT 1 FROM articles WHERE id = ?`, a.ID).Scan(&one); err != nil {
				return err
			}
			return fmt.Errorf("article %d: %w", a.ID, store.ErrStale)
		}
		if _, err := q.ExecContext(ctx, `DELETE FROM article_categories WHERE article_id = ?`, a.ID); err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx, `DELETE FROM article_tags WHERE article_id = ?`, a.ID); err != nil {
			return err
		}
		if err := indexArticle(ctx, q, a); err != nil {
			return err
		}
		if err := addRevision(ctx, q, a, now); err != nil {
			return err
		}
		return linkTaxonomy(ctx, q, a)
	})
	if err == nil {
		a.UpdatedAt = now
		a.Version++
	}
	return err
}

func linkTaxonomy(ctx context.Context, q querier, a *model.Article) error {
	for i, c := range a.Categories {
		if _, err := q.ExecContext(ctx, `INSERT INTO article_categories (article_id, category_id, position) VALUES (?, ?, ?)`, a.ID, c.ID, i); err != nil {
			return err
		}
	}
	for i, t := range a.Tags {
		if _, err := q.ExecContext(ctx, `INSERT INTO article_tags (article_id, tag_id, position) VALUES (?, ?, ?)`, a.ID, t.ID, i); err != nil {
			return err
		}
	}
	return nil
}

// DeleteArticle removes an article and its links.
func (s *Store) DeleteArticle(ctx context.Context, id int64) error {
	return s.tx(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, `DELETE FROM articles WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
}

// ArticleByID returns one article with its categories and tags.
func (s *Store) ArticleByID(ctx context.Context, id int64) (*model.Article, error) {
	return s.oneArticle(ctx, `SELECT `+articleCols+` FROM articles a WHERE a.id = ?`, id)
}

// ArticleBySlug returns one article with its categories and tags.
func (s *Store) ArticleBySlug(ctx context.Context, slug string) (*model.Article, error) {
	return s.oneArticle(ctx, `SELECT `+articleCols+` FROM articles a WHERE a.slug = ?`, slug)
}

func (s *Store) oneArticle(ctx context.Context, query string, arg any) (*model.Article, error) {
	a, err := scanArticle(s.read().QueryRowContext(ctx, query, arg))
	if err != nil {
		return nil, err
	}
	if err := s.loadRelations(ctx, []*model.Article{a}); err != nil {
		return nil, err
	}
	if err := s.loadCorrections(ctx, a); err != nil {
		return nil, err
	}
	if err := s.loadVerifies(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

// filterShape says how a filter on a large set of articles (a category's
// or a tag's) is written: for a page that walks the public articles newest
// first and stops after a page, or for a statement that visits every match
// anyway (a count, a search).
type filterShape int

const (
	forPage filterShape = iota
	forAll
)

// deepOffset is where a listing stops walking articles newest first and
// checking each one's links (forPage) and collects the category's or tag's
// ids instead (forAll). On 10,000 articles in five categories (SQLite) the
// walk is six times faster on the first page, about even at offset 100,
// and three times slower at offset 1,000.
const deepOffset = 100

// categoryCond selects the articles of a category and its descendants,
// found through a recursive walk that both databases understand. A page
// asks each article it walks whether it is linked, by primary key
// (correlated EXISTS), so it reads about a page of links; collecting every
// article id of the category first ("a.id IN (…)") costs as much as the
// category is large, on every request. A count or a search visits every
// match anyway, and there the collected set is the cheaper test. The
// sub-tree itself is a handful of ids (see dialect.inSmallSet).
func (s *Store) categoryCond(shape filterShape) string {
	const sub = `WITH RECURSIVE sub(id) AS (SELECT CAST(? AS BIGINT) UNION SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id)
			SELECT id FROM sub`
	if shape == forPage {
		return `EXISTS (SELECT 1 FROM article_categories ac WHERE ac.article_id = a.id AND ` + s.d.inSmallSet("ac.category_id", sub) + `)`
	}
	return `a.id IN (SELECT ac.article_id FROM article_categories ac WHERE ac.category_id IN (` + sub + `))`
}

// where builds the filter shared by ListArticles, CountArticles and
// SearchArticles.
func (s *Store) where(q store.ArticleQuery, shape filterShape) (string, []any) {
	var conds []string
	var args []any
	if q.Status != "" {
		conds = append(conds, "a.status = ?")
		args = append(args, q.Status)
	}
	if !q.PublicAt.IsZero() {
		conds = append(conds, "a.status = 'published' AND a.published_at <= ? AND a.retracted_at IS NULL")
		args = append(args, utc(q.PublicAt))
	}
	if q.CategoryID != 0 {
		conds = append(conds, s.categoryCond(shape))
		args = append(args, q.CategoryID)
	}
	if q.TagID != 0 {
		// As for categories (categoryCond).
		if shape == forPage {
			conds = append(conds, "EXISTS (SELECT 1 FROM article_tags at WHERE at.article_id = a.id AND at.tag_id = ?)")
		} else {
			conds = append(conds, "a.id IN (SELECT at.article_id FROM article_tags at WHERE at.tag_id = ?)")
		}
		args = append(args, q.TagID)
	}
	if q.AuthorID != 0 {
		conds = append(conds, "a.author_id = ?")
		args = append(args, q.AuthorID)
	}
	if !q.From.IsZero() {
		conds = append(conds, "a.published_at >= ?")
		args = append(args, utc(q.From))
	}
	if !q.To.IsZero() {
		conds = append(conds, "a.published_at < ?")
		args = append(args, utc(q.To))
	}
	if q.Text != "" {
		conds = append(conds, `(lower(a.title) LIKE ? ESCAPE '\' OR lower(a.body) LIKE ? ESCAPE '\')`)
		like := "%" + likeEscape(strings.ToLower(q.Text)) + "%"
		args = append(args, like, like)
	}
	if q.VisibleTo != 0 {
		conds = append(conds, "(a.status = 'published' OR a.author_id = ?)")
		args = append(args, q.VisibleTo)
	}
	if q.BeforeID != 0 {
		conds = append(conds, "a.id < ?")
		args = append(args, q.BeforeID)
	}
	if len(conds) == 0 {
		return "", args
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// ListArticles returns matching articles, newest first, with relations
// loaded in a fixed number of queries whatever the page size.
func (s *Store) ListArticles(ctx context.Context, q store.ArticleQuery) ([]*model.Article, error) {
	// Deep pages skip thousands of rows, and each skipped row would be
	// one more link lookup: past the first pages, collecting the
	// category's (or tag's) ids once is cheaper.
	shape := forPage
	if q.Offset >= deepOffset {
		shape = forAll
	}
	w, args := s.where(q, shape)
	// Readers see the newest publication first; the API pages by id so
	// its keyset cursor stays stable while articles are edited.
	order := " ORDER BY a.id DESC"
	switch {
	case q.BeforeID != 0:
	case q.Order.By != "":
		o, err := s.articleOrder(q.Order)
		if err != nil {
			return nil, err
		}
		order = o
	case !q.PublicAt.IsZero():
		order = " ORDER BY a.published_at DESC, a.id DESC"
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	cols := articleCols
	if q.WithoutBody {
		cols = cardCols
	}
	query := `SELECT ` + cols + ` FROM articles a` + w + order + ` LIMIT ? OFFSET ?`
	args = append(args, limit, q.Offset)
	rows, err := s.read().QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []*model.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	if err := s.loadRelations(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// articleSortKeys are the SQL expressions of the sorts the newsroom's
// list offers. Only these texts ever reach the statement: the caller's
// choice selects one of them, it is never written into the SQL.
var articleSortKeys = map[store.ArticleSort]string{
	store.SortDate:   "COALESCE(a.published_at, a.updated_at)",
	store.SortTitle:  "lower(a.title)",
	store.SortAuthor: "(SELECT lower(u.name) FROM users u WHERE u.id = a.author_id)",
	store.SortStatus: "CASE a.status WHEN 'draft' THEN 0 WHEN 'pending' THEN 1 WHEN 'scheduled' THEN 2 WHEN 'published' THEN 3 ELSE 4 END",
}

// articleOrder is the ORDER BY clause of o: the column in o's direction,
// then the newest first, then the id, so that equal rows keep one order
// and pages neither repeat nor skip an article.
func (s *Store) articleOrder(o store.ArticleOrder) (string, error) {
	key, ok := articleSortKeys[o.By]
	if !ok {
		return "", fmt.Errorf("article order: unknown sort %q", o.By)
	}
	dir := " DESC"
	if o.Asc {
		dir = " ASC"
	}
	switch o.By {
	case store.SortDate:
		return " ORDER BY " + key + dir + ", a.id" + dir, nil
	case store.SortTitle, store.SortAuthor:
		// Byte order of the lowered text on both databases, so that
		// PostgreSQL's collation (which may skip spaces and punctuation)
		// sorts as SQLite does.
		key = s.d.bytewise(key)
	}
	return " ORDER BY " + key + dir + ", " + articleSortKeys[store.SortDate] + " DESC, a.id DESC", nil
}

// CountArticles counts matching articles (for "page 2 of 5").
func (s *Store) CountArticles(ctx context.Context, q store.ArticleQuery) (int, error) {
	q.BeforeID = 0
	w, args := s.where(q, forAll)
	var n int
	err := s.read().QueryRowContext(ctx, `SELECT count(*) FROM articles a`+w, args...).Scan(&n)
	return n, mapErr(err)
}

// loadRelations fills categories, tags and authors for a page of articles
// with three queries.
func (s *Store) loadRelations(ctx context.Context, list []*model.Article) error {
	if len(list) == 0 {
		return nil
	}
	byID := make(map[int64]*model.Article, len(list))
	ids := make([]any, 0, len(list))
	authorIDs := map[int64]bool{}
	for _, a := range list {
		byID[a.ID] = a
		ids = append(ids, a.ID)
		authorIDs[a.AuthorID] = true
		a.Categories, a.Tags = nil, nil
	}
	// Categories and tags in one statement (kind 0 and 1), each in the
	// order the editor gave them.
	in := placeholders(len(ids))
	rows, err := s.read().QueryContext(ctx, `SELECT 0, ac.article_id, ac.position, c.id, c.parent_id, c.name, c.slug, c.description, c.position
		FROM article_categories ac JOIN categories c ON c.id = ac.category_id WHERE ac.article_id IN (`+in+`)
		UNION ALL
		SELECT 1, at.article_id, at.position, t.id, NULL, t.name, t.slug, '', 0
		FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id IN (`+in+`)
		ORDER BY 1, 2, 3`, append(ids, ids...)...)
	if err != nil {
		return mapErr(err)
	}
	for rows.Next() {
		var kind, aid, pos, id, position int64
		var parent sql.NullInt64
		var name, slug, description string
		if err := rows.Scan(&kind, &aid, &pos, &id, &parent, &name, &slug, &description, &position); err != nil {
			rows.Close()
			return mapErr(err)
		}
		a := byID[aid]
		if kind == 1 {
			a.Tags = append(a.Tags, model.Tag{ID: id, Name: name, Slug: slug})
			continue
		}
		c := model.Category{ID: id, Name: name, Slug: slug, Description: description, Position: int(position)}
		if parent.Valid {
			c.ParentID = &parent.Int64
		}
		a.Categories = append(a.Categories, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return mapErr(err)
	}
	uids := make([]any, 0, len(authorIDs))
	for id := range authorIDs {
		uids = append(uids, id)
	}
	users, err := s.usersWhere(ctx, `WHERE id IN (`+placeholders(len(uids))+`)`, uids...)
	if err != nil {
		return err
	}
	byUser := map[int64]*model.User{}
	for i := range users {
		byUser[users[i].ID] = &users[i]
	}
	for _, a := range list {
		a.Author = byUser[a.AuthorID]
	}
	return s.loadVerifiedBy(ctx, list)
}

// verifyCols are what a page shows of the other story of a verification
// pair: enough for a link and to tell whether readers can see it.
const verifyCols = `v.id, v.title, v.slug, v.status, v.published_at, v.created_at, v.retracted_at, v.verifies_id`

func scanVerifyLink(sc interface{ Scan(...any) error }) (*model.Article, int64, error) {
	var a model.Article
	var pub, retracted sql.NullTime
	var verifies sql.NullInt64
	if err := sc.Scan(&a.ID, &a.Title, &a.Slug, &a.Status, &pub, &a.CreatedAt, &retracted, &verifies); err != nil {
		return nil, 0, mapErr(err)
	}
	a.PublishedAt, a.RetractedAt, a.CreatedAt = timePtr(pub), timePtr(retracted), a.CreatedAt.UTC()
	return &a, verifies.Int64, nil
}

// loadVerifiedBy gives each story of list that carries a verification
// note its first published follow-up, in one query (none when no story
// has a note, the usual case).
func (s *Store) loadVerifiedBy(ctx context.Context, list []*model.Article) error {
	byID := map[int64]*model.Article{}
	var ids []any
	for _, a := range list {
		a.VerifiedBy = nil
		if a.VerificationNote != "" {
			byID[a.ID] = a
			ids = append(ids, a.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	rows, err := s.read().QueryContext(ctx, `SELECT `+verifyCols+` FROM articles v
		WHERE v.verifies_id IN (`+placeholders(len(ids))+`) AND v.status = 'published' AND v.retracted_at IS NULL
		ORDER BY v.published_at, v.id`, ids...)
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		v, of, err := scanVerifyLink(rows)
		if err != nil {
			return err
		}
		if a := byID[of]; a != nil && a.VerifiedBy == nil {
			a.VerifiedBy = v
		}
	}
	return mapErr(rows.Err())
}

// loadVerifies gives a follow-up the story it verifies.
func (s *Store) loadVerifies(ctx context.Context, a *model.Article) error {
	a.Verifies = nil
	if a.VerifiesID == nil {
		return nil
	}
	v, _, err := scanVerifyLink(s.read().QueryRowContext(ctx, `SELECT `+verifyCols+` FROM articles v WHERE v.id = ?`, *a.VerifiesID))
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	a.Verifies = v
	return err
}

// SlugTaken reports whether slug is used in table ("articles", "pages",
// "categories", "tags" or "users") by a row other than exceptID.
func (s *Store) SlugTaken(ctx context.Context, table, slug string, exceptID int64) (bool, error) {
	switch table {
	case "articles", "pages", "categories", "tags", "users":
	default:
		return false, fmt.Errorf("slug check: unknown table %q", table)
	}
	var n int
	err := s.read().QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE slug = ? AND id <> ?`, slug, exceptID).Scan(&n)
	return n > 0, mapErr(err)
}

// PublishDue flips every scheduled article whose time has come to
// published and returns their ids. One UPDATE … RETURNING, so with several
// instances each article is published by exactly one of them.
func (s *Store) PublishDue(ctx context.Context, now time.Time) ([]int64, error) {
	var ids []int64
	err := s.tx(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `UPDATE articles SET status = 'published', updated_at = ?, version = version + 1
			WHERE status = 'scheduled' AND published_at <= ? RETURNING id`, utc(now), utc(now))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	return ids, err
}

// NextScheduled returns the earliest time a scheduled article is due, or
// the zero time when none is waiting.
func (s *Store) NextScheduled(ctx context.Context) (time.Time, error) {
	var t sql.NullTime
	err := s.read().QueryRowContext(ctx, `SELECT min(published_at) FROM articles WHERE status = 'scheduled'`).Scan(&t)
	if err != nil || !t.Valid {
		return time.Time{}, mapErr(err)
	}
	return t.Time.UTC(), nil
}

// RetractArticle marks a published story retracted at at with reason,
// and counts it as a save (version, time of change). Its text stays.
func (s *Store) RetractArticle(ctx context.Context, id int64, reason string, at time.Time) error {
	at = utc(at)
	return s.tx(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, `UPDATE articles SET retracted_at = ?, retraction_reason = ?, updated_at = ?, version = version + 1
			WHERE id = ? AND retracted_at IS NULL`, at, reason, at, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrConflict
		}
		return nil
	})
}

// newGUID is a new article's feed id: a random (version 4) UUID as a URN,
// which names the article wherever the site lives.
func newGUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("sqlstore: no randomness: " + err.Error())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return "urn:uuid:" + h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
