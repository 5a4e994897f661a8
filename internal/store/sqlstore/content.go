package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"warta/internal/model"
	"warta/internal/store"
)

var errNoRows = sql.ErrNoRows

// CreateCategory inserts c; a taken slug is ErrConflict.
func (s *Store) CreateCategory(ctx context.Context, c *model.Category) error {
	return s.tx(ctx, func(q querier) error {
		return q.QueryRowContext(ctx, `INSERT INTO categories (parent_id, name, slug, description, position) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			c.ParentID, c.Name, c.Slug, c.Description, c.Position).Scan(&c.ID)
	})
}

// UpdateCategory changes c's fields.
func (s *Store) UpdateCategory(ctx context.Context, c *model.Category) error {
	return s.tx(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, `UPDATE categories SET parent_id = ?, name = ?, slug = ?, description = ?, position = ? WHERE id = ?`,
			c.ParentID, c.Name, c.Slug, c.Description, c.Position, c.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
}

// Categories returns the whole tree, ordered by position then name.
func (s *Store) Categories(ctx context.Context) ([]model.Category, error) {
	rows, err := s.read().QueryContext(ctx, `SELECT id, parent_id, name, slug, description, position FROM categories ORDER BY position, name`)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.Category
	for rows.Next() {
		var c model.Category
		var parent sql.NullInt64
		if err := rows.Scan(&c.ID, &parent, &c.Name, &c.Slug, &c.Description, &c.Position); err != nil {
			return nil, mapErr(err)
		}
		if parent.Valid {
			c.ParentID = &parent.Int64
		}
		out = append(out, c)
	}
	return out, mapErr(rows.Err())
}

// CategoryBySlug finds one category.
func (s *Store) CategoryBySlug(ctx context.Context, slug string) (*model.Category, error) {
	var c model.Category
	var parent sql.NullInt64
	err := s.read().QueryRowContext(ctx, `SELECT id, parent_id, name, slug, description, position FROM categories WHERE slug = ?`, slug).
		Scan(&c.ID, &parent, &c.Name, &c.Slug, &c.Description, &c.Position)
	if err != nil {
		return nil, mapErr(err)
	}
	if parent.Valid {
		c.ParentID = &parent.Int64
	}
	return &c, nil
}

// EnsureTag returns the tag with slug, creating it with name when missing.
func (s *Store) EnsureTag(ctx context.Context, name, slug string) (*model.Tag, error) {
	t := model.Tag{Name: name, Slug: slug}
	err := s.tx(ctx, func(q querier) error {
		if _, err := q.ExecContext(ctx, `INSERT INTO tags (name, slug) VALUES (?, ?) ON CONFLICT (slug) DO NOTHING`, name, slug); err != nil {
			return err
		}
		return q.QueryRowContext(ctx, `SELECT id, name FROM tags WHERE slug = ?`, slug).Scan(&t.ID, &t.Name)
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// TagBySlug finds one tag.
func (s *Store) TagBySlug(ctx context.Context, slug string) (*model.Tag, error) {
	var t model.Tag
	err := s.read().QueryRowContext(ctx, `SELECT id, name, slug FROM tags WHERE slug = ?`, slug).Scan(&t.ID, &t.Name, &t.Slug)
	if err != nil {
		return nil, mapErr(err)
	}
	return &t, nil
}

// Tags lists every tag by name.
func (s *Store) Tags(ctx context.Context) ([]model.Tag, error) {
	rows, err := s.read().QueryContext(ctx, `SELECT id, name, slug FROM tags ORDER BY name`)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.Tag
	for rows.Next() {
		var t model.Tag
		if err := rows.Scan(&t.ID, &t.Name, &t.Slug); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, t)
	}
	return out, mapErr(rows.Err())
}

const pageCols = `id, title, slug, body, body_html, status, position, created_at, updated_at, version`

func scanPage(sc interface{ Scan(...any) error }) (model.Page, error) {
	var p model.Page
	err := sc.Scan(&p.ID, &p.Title, &p.Slug, &p.Body, &p.BodyHTML, &p.Status, &p.Position, &p.CreatedAt, &p.UpdatedAt, &p.Version)
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return p, mapErr(err)
}

// CreatePage inserts a static page.
func (s *Store) CreatePage(ctx context.Context, p *model.Page) error {
	return s.tx(ctx, func(q querier) error { return insertPage(ctx, q, p, s.now()) })
}

// insertPage inserts p on q, keeping the times it carries (an import's).
func insertPage(ctx context.Context, q querier, p *model.Page, now time.Time) error {
	stampTimes(now, &p.CreatedAt, &p.UpdatedAt)
	err := q.QueryRowContext(ctx, `INSERT INTO pages (title, slug, body, body_html, status, position, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, p.Title, p.Slug, p.Body, p.BodyHTML, p.Status, p.Position, p.CreatedAt, p.UpdatedAt).Scan(&p.ID)
	p.Version = 1
	return err
}

// UpdatePage saves a static page unless it changed since p.Version (the
// version the editor opened): then it returns ErrStale. On success p
// carries its new version and time of change.
func (s *Store) UpdatePage(ctx context.Context, p *model.Page) error {
	now := utc(s.now())
	err := s.tx(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, `UPDATE pages SET title = ?, slug = ?, body = ?, body_html = ?, status = ?, position = ?, updated_at = ?,
			version = version + 1 WHERE id = ? AND version = ?`, p.Title, p.Slug, p.Body, p.BodyHTML, p.Status, p.Position, now, p.ID, p.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var one int
			if err := q.QueryRowContext(ctx, `SELECT 1 FROM pages WHERE id = ?`, p.ID).Scan(&one); err != nil {
				return err
			}
			return fmt.Errorf("page %d: %w", p.ID, store.ErrStale)
		}
		return nil
	})
	if err == nil {
		p.UpdatedAt = now
		p.Version++
	}
	return err
}

// PageBySlug finds one static page.
func (s *Store) PageBySlug(ctx context.Context, slug string) (*model.Page, error) {
	p, err := scanPage(s.read().QueryRowContext(ctx, `SELECT `+pageCols+` FROM pages WHERE slug = ?`, slug))
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// ListPages returns every static page in menu order.
func (s *Store) ListPages(ctx context.Context) ([]model.Page, error) {
	rows, err := s.read().QueryContext(ctx, `SELECT `+pageCols+` FROM pages ORDER BY position, title`)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.Page
	for rows.Next() {
		p, err := scanPage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, mapErr(rows.Err())
}

// Settings reads the stored options over the defaults, so a new option
// added in a later version has its default until an admin changes it.
func (s *Store) Settings(ctx context.Context) (model.Settings, error) {
	st := model.DefaultSettings()
	rows, err := s.read().QueryContext(ctx, `SELECT key, value FROM settings`)
	if err != nil {
		return st, mapErr(err)
	}
	defer rows.Close()
	kv := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return st, mapErr(err)
		}
		kv[k] = v
	}
	if err := rows.Err(); err != nil {
		return st, mapErr(err)
	}
	settingsFields(&st, func(key string, str *string, num *int, flag *bool) {
		v, ok := kv[key]
		if !ok {
			return
		}
		switch {
		case str != nil:
			*str = v
		case num != nil:
			if n, err := strconv.Atoi(v); err == nil {
				*num = n
			}
		case flag != nil:
			*flag = v == "true"
		}
	})
	return st, nil
}

// SaveSettings stores every option in one transaction.
func (s *Store) SaveSettings(ctx context.Context, st model.Settings) error {
	return s.tx(ctx, func(q querier) error {
		var err error
		settingsFields(&st, func(key string, str *string, num *int, flag *bool) {
			if err != nil {
				return
			}
			var v string
			switch {
			case str != nil:
				v = *str
			case num != nil:
				v = strconv.Itoa(*num)
			case flag != nil:
				v = strconv.FormatBool(*flag)
			}
			_, err = q.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, v)
		})
		return err
	})
}

// settingsFields visits every stored option with its key. One list, so
// reading and writing can never disagree.
func settingsFields(st *model.Settings, f func(key string, str *string, num *int, flag *bool)) {
	f("site_name", &st.SiteName, nil, nil)
	f("tagline", &st.Tagline, nil, nil)
	f("language", &st.Language, nil, nil)
	f("timezone", &st.Timezone, nil, nil)
	f("base_url", &st.BaseURL, nil, nil)
	f("posts_per_page", nil, &st.PostsPerPage, nil)
	f("feed_full_text", nil, nil, &st.FeedFullText)
	f("comments_per_page", nil, &st.CommentsPerPage, nil)
	f("thread_depth", nil, &st.ThreadDepth, nil)
	f("hold_first_comment", nil, nil, &st.HoldFirstComment)
	f("confirm_commenter_email", nil, nil, &st.ConfirmCommenterEmail)
	f("hold_link_count", nil, &st.HoldLinkCount, nil)
	f("moderation_words", &st.ModerationWords, nil, nil)
	f("block_words", &st.BlockWords, nil, nil)
	f("close_comments_days", nil, &st.CloseCommentsDays, nil)
	f("comment_max_length", nil, &st.CommentMaxLength, nil)
	f("comment_flood_seconds", nil, &st.CommentFloodSeconds, nil)
	f("purge_ip_days", nil, &st.PurgeIPDays, nil)
	f("spam_threshold", nil, &st.SpamThreshold, nil)
	f("backup_time", &st.BackupTime, nil, nil)
	f("backup_keep", nil, &st.BackupKeep, nil)
	f("backup_dir", &st.BackupDir, nil, nil)
	f("twitter_site", &st.TwitterSite, nil, nil)
	f("comment_terms", &st.CommentTerms, nil, nil)
	f("two_factor_admin", nil, nil, &st.TwoFactorAdmin)
	f("two_factor_editor", nil, nil, &st.TwoFactorEditor)
	f("two_factor_author", nil, nil, &st.TwoFactorAuthor)
	f("two_factor_contributor", nil, nil, &st.TwoFactorContributor)
}
