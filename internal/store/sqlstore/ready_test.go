package sqlstore_test

import (
	"context"
	"testing"

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
