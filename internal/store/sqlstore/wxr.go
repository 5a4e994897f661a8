package sqlstore

import (
	"context"

	"warta/internal/model"
)

// CreateTag inserts a tag with exactly this name and slug; a taken slug
// is ErrConflict (EnsureTag is the forgiving kind).
func (s *Store) CreateTag(ctx context.Context, g *model.Tag) error {
	return s.tx(ctx, func(q querier) error {
		return q.QueryRowContext(ctx, `INSERT INTO tags (name, slug) VALUES (?, ?) RETURNING id`, g.Name, g.Slug).Scan(&g.ID)
	})
}
