package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// TestReadyNeedsEveryMigration: a migrated store is ready; one whose
// database lacks a migration this program carries is not, and says which;
// a closed one is not.
func TestReadyNeedsEveryMigration(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		ctx := context.Background()
		if err := st.Ready(ctx); err != nil {
			t.Fatalf("fresh store not ready: %v", err)
		}
		var name string
		if err := st.DB().QueryRowContext(ctx, `SELECT name FROM schema_migrations ORDER BY version DESC LIMIT 1`).Scan(&name); err != nil {
			t.Fatal(err)
		}
		if err := st.ExecWrite(ctx, `DELETE FROM schema_migrations WHERE name = '`+name+`'`); err != nil {
			t.Fatal(err)
		}
		if err := st.Ready(ctx); err == nil || err.Error() != "migration "+name+" not applied" {
			t.Errorf("without %s: %v", name, err)
		}
		if err := st.ExecWrite(ctx, `INSERT INTO schema_migrations (version, name) VALUES (99999, 'from_a_newer_warta.sql')`); err != nil {
			t.Fatal(err)
		}
		st.Close()
		if err := st.Ready(ctx); err == nil {
			t.Error("closed store ready")
		}
	})
}

// TestPostgresSessionsCarryServerTimeouts: every session Warta opens has a
// statement timeout and an idle-in-transaction timeout, unless the URL
// chose its own.
func TestPostgresSessionsCarryServerTimeouts(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct{ extra, statement, idle string }{
		{"", "2min", "1min"},
		{"&statement_timeout=5000", "5s", "1min"},
	} {
		st, err := sqlstore.Open(ctx, t.TempDir(), testutil.PostgresURL(t)+c.extra, testutil.NewClock(time.Date(2024, 7, 24, 9, 0, 0, 0, time.UTC)).Now)
		if err != nil {
			t.Fatal(err)
		}
		var statement, idle string
		if err := st.DB().QueryRowContext(ctx, `SELECT current_setting('statement_timeout'), current_setting('idle_in_transaction_session_timeout')`).Scan(&statement, &idle); err != nil {
			t.Fatal(err)
		}
		st.Close()
		if statement != c.statement || idle != c.idle {
			t.Errorf("URL extra %q: statement_timeout %s, idle_in_transaction_session_timeout %s; want %s, %s", c.extra, statement, idle, c.statement, c.idle)
		}
	}
}
