package sqlstore

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"

	"warta/internal/store/migrations"
)

// Ready reports whether the store can serve: both pools answer and every
// migration this program carries is recorded (another instance of a newer
// version may have recorded more; that does not make this one unready).
func (s *Store) Ready(ctx context.Context) error {
	if err := s.w.PingContext(ctx); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	if s.r != s.w {
		if err := s.r.PingContext(ctx); err != nil {
			return fmt.Errorf("database (reads): %w", err)
		}
	}
	names, err := fs.Glob(migrations.FS, s.d.name+"/*.sql")
	if err != nil {
		return err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	done := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		done[v] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, name := range names {
		base := filepath.Base(name)
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err == nil && !done[v] {
			return fmt.Errorf("migration %s not applied", base)
		}
	}
	return nil
}

// PoolStats are the connection pools' figures, for the metrics: reads and
// writes (the same pool on PostgreSQL).
func (s *Store) PoolStats() (reads, writes PoolStat) {
	r, w := s.r.Stats(), s.w.Stats()
	return PoolStat{Open: r.OpenConnections, InUse: r.InUse, WaitCount: r.WaitCount, WaitSeconds: r.WaitDuration.Seconds()},
		PoolStat{Open: w.OpenConnections, InUse: w.InUse, WaitCount: w.WaitCount, WaitSeconds: w.WaitDuration.Seconds()}
}

// PoolStat is one pool's figures.
type PoolStat struct {
	Open, InUse int
	WaitCount   int64   // waits for a free connection, ever
	WaitSeconds float64 // time spent in those waits, ever
}
