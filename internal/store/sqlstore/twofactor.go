package sqlstore

import (
	"context"
	"time"

	"warta/internal/store"
)

// UserTOTP returns the user's two-factor state.
func (s *Store) UserTOTP(ctx context.Context, userID int64) (store.TOTP, error) {
	var t store.TOTP
	err := s.read().QueryRowContext(ctx, `SELECT totp_secret, totp_pending, totp_last_step FROM users WHERE id = ?`, userID).
		Scan(&t.Secret, &t.Pending, &t.LastStep)
	return t, mapErr(err)
}

// SetTOTP stores the user's two-factor state.
func (s *Store) SetTOTP(ctx context.Context, userID int64, t store.TOTP) error {
	return s.tx(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, `UPDATE users SET totp_secret = ?, totp_pending = ?, totp_last_step = ? WHERE id = ?`,
			t.Secret, t.Pending, t.LastStep, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
}

// TakeTOTPStep moves the user's last step forward to step, in one
// statement, so two requests with one code cannot both pass.
func (s *Store) TakeTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	var taken bool
	err := s.tx(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, `UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`, step, userID, step)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		taken = n == 1
		return nil
	})
	return taken, err
}

// ReplaceRecoveryCodes forgets the user's recovery codes and keeps hashes.
func (s *Store) ReplaceRecoveryCodes(ctx context.Context, userID int64, hashes []string, now time.Time) error {
	return s.tx(ctx, func(q querier) error {
		if _, err := q.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, userID); err != nil {
			return err
		}
		for _, h := range hashes {
			if _, err := q.ExecContext(ctx, `INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)`,
				userID, h, utc(now)); err != nil {
				return err
			}
		}
		return nil
	})
}

// UseRecoveryCode marks one unused code with hash as used.
func (s *Store) UseRecoveryCode(ctx context.Context, userID int64, hash string, now time.Time) (bool, error) {
	var used bool
	err := s.tx(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, `UPDATE recovery_codes SET used_at = ? WHERE id = (SELECT id FROM recovery_codes
			WHERE user_id = ? AND code_hash = ? AND used_at IS NULL LIMIT 1)`, utc(now), userID, hash)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		used = n == 1
		return nil
	})
	return used, err
}

// UnusedRecoveryCodes counts the user's codes not used yet.
func (s *Store) UnusedRecoveryCodes(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.read().QueryRowContext(ctx, `SELECT count(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL`, userID).Scan(&n)
	return n, mapErr(err)
}
