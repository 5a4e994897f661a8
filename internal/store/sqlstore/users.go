package sqlstore

import (
	"context"
	"strings"

	"warta/internal/model"
	"warta/internal/store"
)

const userCols = `id, email, name, slug, role, bio, language, active, password_hash, created_at, notify_held, twitter, totp_secret <> ''`

func (s *Store) usersWhere(ctx context.Context, where string, args ...any) ([]model.User, error) {
	rows, err := s.read().QueryContext(ctx, `SELECT `+userCols+` FROM users `+where, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.User
	for rows.Next() {
		var u model.User
		if err := rows.Scan(&u.ID, &u.Email, &u.Name, &u.Slug, &u.Role, &u.Bio, &u.Language, &u.Active, &u.PasswordHash, &u.CreatedAt, &u.NotifyHeld, &u.Twitter, &u.TwoFactor); err != nil {
			return nil, mapErr(err)
		}
		u.CreatedAt = u.CreatedAt.UTC()
		out = append(out, u)
	}
	return out, mapErr(rows.Err())
}

func (s *Store) oneUser(ctx context.Context, where string, args ...any) (*model.User, error) {
	users, err := s.usersWhere(ctx, where+" LIMIT 1", args...)
	if err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, mapErr(errNoRows)
	}
	return &users[0], nil
}

// CreateUser inserts u; a taken email or slug is ErrConflict.
func (s *Store) CreateUser(ctx context.Context, u *model.User) error {
	if u.CreatedAt.IsZero() {
		u.CreatedAt = s.now()
	}
	u.CreatedAt = utc(u.CreatedAt)
	return s.tx(ctx, func(q querier) error {
		return q.QueryRowContext(ctx, `INSERT INTO users (email, name, slug, role, bio, language, active, password_hash, created_at, twitter)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			u.Email, u.Name, u.Slug, u.Role, u.Bio, u.Language, u.Active, u.PasswordHash, u.CreatedAt, u.Twitter).Scan(&u.ID)
	})
}

// UserByID returns the user with id.
func (s *Store) UserByID(ctx context.Context, id int64) (*model.User, error) {
	return s.oneUser(ctx, `WHERE id = ?`, id)
}

// UserByEmail finds a user by email, ignoring case.
func (s *Store) UserByEmail(ctx context.Context, email string) (*model.User, error) {
	return s.oneUser(ctx, `WHERE lower(email) = ?`, strings.ToLower(strings.TrimSpace(email)))
}

// UserBySlug finds a user by the slug of their public author page.
func (s *Store) UserBySlug(ctx context.Context, slug string) (*model.User, error) {
	return s.oneUser(ctx, `WHERE slug = ?`, slug)
}

// ListUsers returns every account, oldest first.
func (s *Store) ListUsers(ctx context.Context) ([]model.User, error) {
	return s.usersWhere(ctx, `ORDER BY id`)
}

// CountUsers counts accounts (zero means the site still needs its first admin).
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.read().QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n)
	return n, mapErr(err)
}

// CreateToken stores a token's hash.
func (s *Store) CreateToken(ctx context.Context, t *model.Token) error {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = s.now()
	}
	t.CreatedAt = utc(t.CreatedAt)
	return s.tx(ctx, func(q querier) error {
		return q.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, hash, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
			t.UserID, t.Name, t.Hash, t.CreatedAt).Scan(&t.ID)
	})
}

// UserByToken returns the active user owning a live token with this hash.
func (s *Store) UserByToken(ctx context.Context, hash string) (*model.User, error) {
	return s.oneUser(ctx, `WHERE active AND id = (SELECT user_id FROM api_tokens WHERE hash = ? AND NOT revoked)`, hash)
}

// SetUserNotifyHeld records whether the user wants a mail for each
// comment held for moderation.
func (s *Store) SetUserNotifyHeld(ctx context.Context, id int64, on bool) error {
	return s.tx(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, `UPDATE users SET notify_held = ? WHERE id = ?`, on, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
}
