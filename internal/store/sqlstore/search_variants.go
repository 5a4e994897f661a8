package sqlstore

import (
	"context"

	"warta/internal/model"
)

// ListSearchVariants returns every group editors added, oldest first.
func (s *Store) ListSearchVariants(ctx context.Context) ([]model.SearchVariant, error) {
	rows, err := s.read().QueryContext(ctx, `SELECT id, forms, created_at FROM search_variants ORDER BY id`)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.SearchVariant
	for rows.Next() {
		var v model.SearchVariant
		if err := rows.Scan(&v.ID, &v.Forms, &v.CreatedAt); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, v)
	}
	return out, mapErr(rows.Err())
}

// AddSearchVariant stores v, stamping its creation time.
func (s *Store) AddSearchVariant(ctx context.Context, v *model.SearchVariant) error {
	now := utc(s.now())
	return s.tx(ctx, func(q querier) error {
		return mapErr(q.QueryRowContext(ctx, `INSERT INTO search_variants (forms, created_at) VALUES (?, ?) RETURNING id, created_at`,
			v.Forms, now).Scan(&v.ID, &v.CreatedAt))
	})
}

// SearchVariantByID returns group id.
func (s *Store) SearchVariantByID(ctx context.Context, id int64) (*model.SearchVariant, error) {
	var v model.SearchVariant
	err := s.read().QueryRowContext(ctx, `SELECT id, forms, created_at FROM search_variants WHERE id = ?`, id).Scan(&v.ID, &v.Forms, &v.CreatedAt)
	if err != nil {
		return nil, mapErr(err)
	}
	return &v, nil
}

// DeleteSearchVariant removes group id.
func (s *Store) DeleteSearchVariant(ctx context.Context, id int64) error {
	return s.deleteByID(ctx, "search_variants", id)
}
