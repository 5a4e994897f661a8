package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"warta/internal/model"
	"warta/internal/store"
)

const mediaCols = `id, path, content_type, size, width, height, alt, caption, credit, uploader_id, created_at, filename, variants`

func scanMediaItem(sc interface{ Scan(...any) error }) (*store.MediaItem, error) {
	var it store.MediaItem
	var up sql.NullInt64
	var variants string
	m := &it.Media
	err := sc.Scan(&m.ID, &m.Path, &m.ContentType, &m.Size, &m.Width, &m.Height, &m.Alt, &m.Caption, &m.Credit, &up, &m.CreatedAt,
		&it.Filename, &variants)
	if err != nil {
		return nil, mapErr(err)
	}
	if up.Valid {
		m.UploaderID = &up.Int64
	}
	m.CreatedAt = m.CreatedAt.UTC()
	if err := json.Unmarshal([]byte(variants), &it.Variants); err != nil {
		return nil, fmt.Errorf("media %d: variants: %w", m.ID, err)
	}
	return &it, nil
}

// CreateMedia records an item of the media library that has no variants.
func (s *Store) CreateMedia(ctx context.Context, m *model.Media) error {
	it := store.MediaItem{Media: *m}
	if err := s.CreateMediaItem(ctx, &it); err != nil {
		return err
	}
	*m = it.Media
	return nil
}

// MediaByPath finds a media item by its storage path.
func (s *Store) MediaByPath(ctx context.Context, path string) (*model.Media, error) {
	it, err := s.MediaItemByPath(ctx, path)
	if err != nil {
		return nil, err
	}
	return &it.Media, nil
}

// CreateMediaItem records an item with its variants. A taken path is
// ErrConflict, which is how an upload claims its path before writing files.
func (s *Store) CreateMediaItem(ctx context.Context, it *store.MediaItem) error {
	if it.CreatedAt.IsZero() {
		it.CreatedAt = s.now()
	}
	it.CreatedAt = utc(it.CreatedAt)
	if it.Variants == nil {
		it.Variants = []store.MediaVariant{}
	}
	variants, err := json.Marshal(it.Variants)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(q querier) error {
		// A path a deleted item used is taken for good (media_retired).
		paths := []any{it.Path}
		for _, v := range it.Variants {
			paths = append(paths, v.Path)
		}
		var retired int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM media_retired WHERE path IN (?`+strings.Repeat(", ?", len(paths)-1)+`)`,
			paths...).Scan(&retired); err != nil {
			return err
		}
		if retired > 0 {
			return store.ErrConflict
		}
		return q.QueryRowContext(ctx, `INSERT INTO media (path, content_type, size, width, height, alt, caption, credit, uploader_id,
			created_at, filename, variants) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			it.Path, it.ContentType, it.Size, it.Width, it.Height, it.Alt, it.Caption, it.Credit, it.UploaderID,
			it.CreatedAt, it.Filename, string(variants)).Scan(&it.ID)
	})
}

// MediaItemByID finds one item.
func (s *Store) MediaItemByID(ctx context.Context, id int64) (*store.MediaItem, error) {
	return scanMediaItem(s.read().QueryRowContext(ctx, `SELECT `+mediaCols+` FROM media WHERE id = ?`, id))
}

// MediaItemByPath finds one item by its storage path.
func (s *Store) MediaItemByPath(ctx context.Context, path string) (*store.MediaItem, error) {
	return scanMediaItem(s.read().QueryRowContext(ctx, `SELECT `+mediaCols+` FROM media WHERE path = ?`, path))
}

// MediaItemsByPaths returns the items stored under paths, by path, in one
// query.
func (s *Store) MediaItemsByPaths(ctx context.Context, paths []string) (map[string]*store.MediaItem, error) {
	out := map[string]*store.MediaItem{}
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
	rows, err := s.read().QueryContext(ctx, `SELECT `+mediaCols+` FROM media WHERE path IN (`+placeholders(len(args))+`)`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		it, err := scanMediaItem(rows)
		if err != nil {
			return nil, err
		}
		out[it.Path] = it
	}
	return out, mapErr(rows.Err())
}

// likeEscape makes s match literally inside a LIKE pattern with ESCAPE '\'.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func mediaWhere(q store.MediaQuery) (string, []any) {
	if q.Text == "" {
		return "", nil
	}
	like := "%" + likeEscape(strings.ToLower(q.Text)) + "%"
	return ` WHERE lower(filename) LIKE ? ESCAPE '\' OR lower(path) LIKE ? ESCAPE '\' OR lower(alt) LIKE ? ESCAPE '\'
		OR lower(caption) LIKE ? ESCAPE '\'`, []any{like, like, like, like}
}

// ListMediaItems returns one page of items, newest first.
func (s *Store) ListMediaItems(ctx context.Context, q store.MediaQuery) ([]*store.MediaItem, error) {
	w, args := mediaWhere(q)
	limit := q.Limit
	if limit <= 0 {
		limit = 30
	}
	args = append(args, limit, max(q.Offset, 0))
	rows, err := s.read().QueryContext(ctx, `SELECT `+mediaCols+` FROM media`+w+` ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []*store.MediaItem
	for rows.Next() {
		it, err := scanMediaItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, mapErr(rows.Err())
}

// CountMediaItems counts matching items.
func (s *Store) CountMediaItems(ctx context.Context, q store.MediaQuery) (int, error) {
	w, args := mediaWhere(q)
	var n int
	err := s.read().QueryRowContext(ctx, `SELECT count(*) FROM media`+w, args...).Scan(&n)
	return n, mapErr(err)
}

// UpdateMediaText changes the words that go with an item.
func (s *Store) UpdateMediaText(ctx context.Context, id int64, alt, caption, credit string) error {
	return s.tx(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, `UPDATE media SET alt = ?, caption = ?, credit = ? WHERE id = ?`, alt, caption, credit, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
}

// DeleteMediaItem removes an item's record (not its files) and retires
// its paths: no later upload takes them (see CreateMediaItem).
func (s *Store) DeleteMediaItem(ctx context.Context, id int64) error {
	return s.tx(ctx, func(q querier) error {
		it, err := scanMediaItem(q.QueryRowContext(ctx, `SELECT `+mediaCols+` FROM media WHERE id = ?`, id))
		if err != nil {
			return err
		}
		paths := []string{it.Path}
		for _, v := range it.Variants {
			paths = append(paths, v.Path)
		}
		for _, p := range paths {
			if _, err := q.ExecContext(ctx, `INSERT INTO media_retired (path) VALUES (?) ON CONFLICT (path) DO NOTHING`, p); err != nil {
				return err
			}
		}
		res, err := q.ExecContext(ctx, `DELETE FROM media WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
}

// MediaUsage lists the articles and pages that refer to any of paths in
// their body or featured image. A reference is the path under /media/,
// so absolute and relative links both count.
func (s *Store) MediaUsage(ctx context.Context, paths []string) ([]store.MediaUse, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	var conds, imgConds []string
	var args, imgArgs []any
	for _, p := range paths {
		like := "%/media/" + likeEscape(p) + "%"
		conds = append(conds, `body LIKE ? ESCAPE '\'`)
		args = append(args, like)
		imgConds = append(imgConds, `image_url LIKE ? ESCAPE '\'`)
		imgArgs = append(imgArgs, like)
	}
	articleWhere := strings.Join(append(conds, imgConds...), " OR ")
	query := `SELECT 'article', id, title, status FROM articles WHERE ` + articleWhere + `
		UNION ALL SELECT 'page', id, title, status FROM pages WHERE ` + strings.Join(conds, " OR ") + `
		ORDER BY 1, 2`
	all := append(append(append([]any{}, args...), imgArgs...), args...)
	rows, err := s.read().QueryContext(ctx, query, all...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []store.MediaUse
	for rows.Next() {
		var u store.MediaUse
		if err := rows.Scan(&u.Kind, &u.ID, &u.Title, &u.Status); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, u)
	}
	return out, mapErr(rows.Err())
}
