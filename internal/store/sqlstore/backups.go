package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"warta/internal/model"
)

// BackupDone reports whether the scheduled backup of slot has finished.
func (s *Store) BackupDone(ctx context.Context, slot string) (bool, error) {
	var n int
	err := s.read().QueryRowContext(ctx, `SELECT count(*) FROM backup_runs WHERE slot = ? AND finished_at IS NOT NULL`, slot).Scan(&n)
	return n > 0, mapErr(err)
}

// ClaimBackup takes the lease on slot for instance until until, unless
// the slot is finished or another instance's lease still runs at now. One
// statement, so of instances claiming at once exactly one gets it.
func (s *Store) ClaimBackup(ctx context.Context, slot, instance string, now, until time.Time) (bool, error) {
	var claimed bool
	err := s.tx(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, `INSERT INTO backup_runs (slot, instance, started_at, lease_until) VALUES (?, ?, ?, ?)
			ON CONFLICT (slot) DO UPDATE SET instance = excluded.instance, started_at = excluded.started_at,
				lease_until = excluded.lease_until, error = ''
			WHERE backup_runs.finished_at IS NULL AND backup_runs.lease_until <= ?`,
			slot, instance, utc(now), utc(until), utc(now))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		claimed = n == 1
		return err
	})
	return claimed, err
}

// FinishBackup records how instance's run of slot ended: done (finished_at
// set), or failed with run.Error, its lease cut to retryAt so that any
// instance may try again from then.
func (s *Store) FinishBackup(ctx context.Context, run model.BackupRun, retryAt time.Time) error {
	return s.tx(ctx, func(q querier) error {
		var finished any
		if run.FinishedAt != nil {
			finished = utc(*run.FinishedAt)
		}
		_, err := q.ExecContext(ctx, `UPDATE backup_runs SET finished_at = ?, file = ?, bytes = ?, error = ?,
			lease_until = CASE WHEN ? THEN lease_until ELSE ? END
			WHERE slot = ? AND instance = ?`,
			finished, run.File, run.Bytes, run.Error, run.FinishedAt != nil, utc(retryAt), run.Slot, run.Instance)
		return err
	})
}

// BackupRuns lists the latest scheduled backups, newest first.
func (s *Store) BackupRuns(ctx context.Context, limit int) ([]model.BackupRun, error) {
	rows, err := s.read().QueryContext(ctx, `SELECT slot, instance, started_at, finished_at, file, bytes, error
		FROM backup_runs ORDER BY slot DESC LIMIT ?`, limit)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.BackupRun
	for rows.Next() {
		var r model.BackupRun
		var fin sql.NullTime
		if err := rows.Scan(&r.Slot, &r.Instance, &r.StartedAt, &fin, &r.File, &r.Bytes, &r.Error); err != nil {
			return nil, mapErr(err)
		}
		r.StartedAt = r.StartedAt.UTC()
		if fin.Valid {
			t := fin.Time.UTC()
			r.FinishedAt = &t
		}
		out = append(out, r)
	}
	return out, mapErr(rows.Err())
}
