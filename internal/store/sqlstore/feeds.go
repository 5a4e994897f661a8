package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"

	"warta/internal/model"
	"warta/internal/store"
)

// monthKey is the SQL expression for the UTC month ("2024-07") of a
// timestamp column. SQLite keeps timestamps as RFC 3339 text in UTC, so the
// first seven characters are the month; PostgreSQL formats it.
func (s *Store) monthKey(col string) string {
	if s.d.name == "postgres" {
		return "to_char(" + col + " AT TIME ZONE 'UTC', 'YYYY-MM')"
	}
	return "substr(" + col + ", 1, 7)"
}

// ArticleMonths lists the months with articles public at now, newest first.
func (s *Store) ArticleMonths(ctx context.Context, now time.Time) ([]store.ArticleMonth, error) {
	key := s.monthKey("a.published_at")
	rows, err := s.read().QueryContext(ctx, `SELECT `+key+` AS ym, count(*), max(a.updated_at) FROM articles a
		WHERE a.status = 'published' AND a.published_at <= ? AND a.retracted_at IS NULL GROUP BY ym ORDER BY ym DESC`, utc(now))
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []store.ArticleMonth
	for rows.Next() {
		var ym string
		var m store.ArticleMonth
		var last any
		if err := rows.Scan(&ym, &m.Count, &last); err != nil {
			return nil, mapErr(err)
		}
		t, err := time.Parse("2006-01", ym)
		if err != nil {
			return nil, fmt.Errorf("article month %q: %w", ym, err)
		}
		m.Year, m.Month = t.Year(), t.Month()
		if m.LastMod, err = anyTime(last); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, mapErr(rows.Err())
}

// anyTime reads an aggregate over a timestamp column, which SQLite may
// hand back as text because an aggregate has no declared type.
func anyTime(v any) (time.Time, error) {
	switch t := v.(type) {
	case time.Time:
		return t.UTC(), nil
	case nil:
		return time.Time{}, nil
	case string:
		return parseTime(t)
	case []byte:
		return parseTime(string(t))
	}
	return time.Time{}, fmt.Errorf("unexpected timestamp %T", v)
}

func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("unparsable timestamp %q", s)
}

// relatedPool bounds how many of the newest articles sharing each tag, and
// each category, are scored: every one of those lists is a covering index
// range (article_tags.public_at, migration 0008), so a story in a desk of
// tens of thousands costs the same as one in a desk of ten. Each row read
// costs a few microseconds, and a story sharing two tags with the one being
// read is among the newest few of both.
const relatedPool = 25

// RelatedArticles scores the newest articles sharing tags or categories
// with the given one: a shared tag counts twice a shared category, since
// tags name the story (a person, a place) while categories only name the
// desk. Ties go to the newest; when too few share anything, the newest
// stories fill the list.
func (s *Store) RelatedArticles(ctx context.Context, articleID int64, now time.Time, limit int) ([]*model.Article, error) {
	if limit <= 0 {
		return nil, nil
	}
	at := utc(now)
	// The article's own tags and categories, then one bounded range each
	// over a covering index, scored here: two kept statements serve every
	// article, where one query joining the ranges (UNION ALL, GROUP BY)
	// was a new statement for each count of tags and categories.
	rows, err := s.read().QueryContext(ctx, `SELECT 2, tag_id FROM article_tags WHERE article_id = ?
		UNION ALL SELECT 1, category_id FROM article_categories WHERE article_id = ?`, articleID, articleID)
	if err != nil {
		return nil, mapErr(err)
	}
	type part struct{ w, id int64 }
	var parts []part
	for rows.Next() {
		var p part
		if err := rows.Scan(&p.w, &p.id); err != nil {
			rows.Close()
			return nil, mapErr(err)
		}
		parts = append(parts, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	type scored struct {
		id, score int64
		pub       time.Time
	}
	byID := map[int64]*scored{}
	for _, p := range parts {
		// The limit is written into the SQL, not bound: SQLite plans a
		// LIMIT by its value, so a bound one made it prepare the kept
		// statement again on every run.
		q := `SELECT article_id, public_at FROM article_tags WHERE tag_id = ? AND public_at <= ? AND article_id <> ?
			ORDER BY public_at DESC LIMIT ` + strconv.Itoa(relatedPool)
		if p.w == 1 {
			q = `SELECT article_id, public_at FROM article_categories WHERE category_id = ? AND public_at <= ? AND article_id <> ?
			ORDER BY public_at DESC LIMIT ` + strconv.Itoa(relatedPool)
		}
		rows, err := s.read().QueryContext(ctx, q, p.id, at, articleID)
		if err != nil {
			return nil, mapErr(err)
		}
		for rows.Next() {
			var id int64
			var pub time.Time
			if err := rows.Scan(&id, &pub); err != nil {
				rows.Close()
				return nil, mapErr(err)
			}
			sc := byID[id]
			if sc == nil {
				sc = &scored{id: id, pub: pub}
				byID[id] = sc
			}
			sc.score += p.w
			if pub.After(sc.pub) {
				sc.pub = pub
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, mapErr(err)
		}
	}
	ranked := make([]*scored, 0, len(byID))
	for _, sc := range byID {
		ranked = append(ranked, sc)
	}
	sort.Slice(ranked, func(i, j int) bool {
		a, b := ranked[i], ranked[j]
		if a.score != b.score {
			return a.score > b.score
		}
		if !a.pub.Equal(b.pub) {
			return a.pub.After(b.pub)
		}
		return a.id > b.id
	})
	var ids []int64
	seen := map[int64]bool{articleID: true}
	for _, sc := range ranked[:min(len(ranked), limit)] {
		ids = append(ids, sc.id)
		seen[sc.id] = true
	}
	related, err := s.articlesInOrder(ctx, ids)
	if err != nil {
		return nil, err
	}
	// The relation tables' public_at does not know of retraction.
	related = slices.DeleteFunc(related, (*model.Article).Retracted)
	if len(related) >= limit {
		return related, nil
	}
	newest, err := s.ListArticles(ctx, store.ArticleQuery{PublicAt: now, Limit: limit + len(seen), WithoutBody: true})
	if err != nil {
		return nil, err
	}
	for _, a := range newest {
		if len(related) < limit && !seen[a.ID] {
			related = append(related, a)
		}
	}
	return related, nil
}

// articlesInOrder loads articles, without their bodies, with their
// relations, and returns them in
// the order of ids, skipping any that vanished meanwhile.
func (s *Store) articlesInOrder(ctx context.Context, ids []int64) ([]*model.Article, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.read().QueryContext(ctx, `SELECT `+cardCols+` FROM articles a WHERE a.id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	byID := map[int64]*model.Article{}
	var list []*model.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		byID[a.ID] = a
		list = append(list, a)
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	if err := s.loadRelations(ctx, list); err != nil {
		return nil, err
	}
	out := make([]*model.Article, 0, len(ids))
	for _, id := range ids {
		if a := byID[id]; a != nil {
			out = append(out, a)
		}
	}
	return out, nil
}

// RecentComments returns the newest approved comments on public articles.
// The query names its columns so that the commenter's email, address and
// browser never leave the database on this path.
func (s *Store) RecentComments(ctx context.Context, now time.Time, limit int) ([]store.ArticleComment, error) {
	if limit <= 0 {
		limit = 20
	}
	rows, err := s.read().QueryContext(ctx, `SELECT c.id, c.article_id, c.parent_id, c.author_name, c.author_url, c.body, c.created_at,
			a.title, a.slug, a.status, a.published_at, a.created_at, a.updated_at
		FROM comments c JOIN articles a ON a.id = c.article_id
		WHERE c.status = 'approved' AND a.status = 'published' AND a.published_at <= ? AND a.retracted_at IS NULL
		ORDER BY c.created_at DESC, c.id DESC LIMIT ?`, utc(now), limit)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []store.ArticleComment
	for rows.Next() {
		c := &model.Comment{Status: model.CommentApproved}
		a := &model.Article{}
		var parent sql.NullInt64
		var pub sql.NullTime
		if err := rows.Scan(&c.ID, &c.ArticleID, &parent, &c.AuthorName, &c.AuthorURL, &c.Body, &c.CreatedAt,
			&a.Title, &a.Slug, &a.Status, &pub, &a.CreatedAt, &a.UpdatedAt); err != nil {
			return nil, mapErr(err)
		}
		if parent.Valid {
			c.ParentID = &parent.Int64
		}
		c.CreatedAt = c.CreatedAt.UTC()
		a.ID = c.ArticleID
		a.PublishedAt = timePtr(pub)
		a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
		out = append(out, store.ArticleComment{Comment: c, Article: a})
	}
	return out, mapErr(rows.Err())
}

// MediaByPaths returns the media items stored under paths, by path.
func (s *Store) MediaByPaths(ctx context.Context, paths []string) (map[string]*model.Media, error) {
	out := map[string]*model.Media{}
	seen := map[string]bool{}
	var args []any
	for _, p := range paths {
		if p != "" && !seen[p] {
			seen[p] = true
			args = append(args, p)
		}
	}
	if len(args) == 0 {
		return out, nil
	}
	rows, err := s.read().QueryContext(ctx, `SELECT id, path, content_type, size, width, height, alt, caption, credit
		FROM media WHERE path IN (`+placeholders(len(args))+`)`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var m model.Media
		if err := rows.Scan(&m.ID, &m.Path, &m.ContentType, &m.Size, &m.Width, &m.Height, &m.Alt, &m.Caption, &m.Credit); err != nil {
			return nil, mapErr(err)
		}
		out[m.Path] = &m
	}
	return out, mapErr(rows.Err())
}

// dayKey is how a day is written to article_views: a DATE on PostgreSQL
// (which parses the text) and sortable text on SQLite.
func dayKey(day time.Time) string { return day.Format(time.DateOnly) }

// RecordViews adds counts to day's totals in one transaction. The insert
// selects from articles so that a view of an article deleted since it was
// counted is dropped instead of failing the whole batch on the foreign key.
func (s *Store) RecordViews(ctx context.Context, day time.Time, counts map[int64]int64) error {
	if len(counts) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(counts))
	for id := range counts {
		ids = append(ids, id)
	}
	// A fixed order keeps two instances flushing at once from deadlocking
	// on PostgreSQL's row locks.
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	d := dayKey(day)
	return s.tx(ctx, func(q querier) error {
		for _, id := range ids {
			n := counts[id]
			if n <= 0 {
				continue
			}
			if _, err := q.ExecContext(ctx, `INSERT INTO article_views (article_id, day, views)
				SELECT id, `+s.dayParam()+`, ? FROM articles WHERE id = ?
				ON CONFLICT (article_id, day) DO UPDATE SET views = article_views.views + excluded.views`, d, n, id); err != nil {
				return fmt.Errorf("record views of article %d: %w", id, err)
			}
		}
		return nil
	})
}

// dayParam is a placeholder for a day written as text, cast where the
// column is a DATE: in INSERT … SELECT PostgreSQL cannot infer the
// placeholder's type from the column.
func (s *Store) dayParam() string {
	if s.d.name == "postgres" {
		return "CAST(? AS DATE)"
	}
	return "?"
}

// PopularArticles returns the articles public at now with the most reads
// from day since onwards; ties go to the newest.
func (s *Store) PopularArticles(ctx context.Context, since, now time.Time, limit int) ([]store.PopularArticle, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := s.read().QueryContext(ctx, `SELECT v.article_id, sum(v.views) AS total
		FROM article_views v JOIN articles a ON a.id = v.article_id
		WHERE v.day >= `+s.dayParam()+` AND a.status = 'published' AND a.published_at <= ? AND a.retracted_at IS NULL
		GROUP BY v.article_id, a.published_at
		ORDER BY total DESC, a.published_at DESC, v.article_id DESC LIMIT ?`, dayKey(since), utc(now), limit)
	if err != nil {
		return nil, mapErr(err)
	}
	var ids []int64
	views := map[int64]int64{}
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return nil, mapErr(err)
		}
		ids = append(ids, id)
		views[id] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	list, err := s.articlesInOrder(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]store.PopularArticle, 0, len(list))
	for _, a := range list {
		out = append(out, store.PopularArticle{Article: a, Views: views[a.ID]})
	}
	return out, nil
}

var (
	_ store.Discovery = (*Store)(nil)
	_ store.Views     = (*Store)(nil)
)
