package sqlstore

import (
	"context"
	"strings"
	"testing"
	"time"

	"warta/internal/search"
	"warta/internal/store"
)

// CheckFTSIntegrity runs FTS5's integrity check (a write, so on the writer):
// it fails when the index and article_search disagree.
func CheckFTSIntegrity(t testing.TB, s *Store) {
	t.Helper()
	for _, table := range []string{"article_fts", "article_title_fts"} {
		if _, err := s.w.Exec(`INSERT INTO ` + table + ` (` + table + `, rank) VALUES ('integrity-check', 1)`); err != nil {
			t.Fatalf("%s integrity: %v", table, err)
		}
	}
}

// ExplainSearch returns the query plan of the page statement for text.
func ExplainSearch(ctx context.Context, s *Store, text string, settings ...string) (string, error) {
	conn, err := s.r.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	for _, set := range settings {
		if _, err := conn.ExecContext(ctx, set); err != nil {
			return "", err
		}
	}
	p := s.plan(search.Parse(text))
	w, wargs := s.where(store.ArticleQuery{PublicAt: time.Now(), CategoryID: 1})
	query, args := p.page(w, wargs, 20, 0)
	explain := "EXPLAIN QUERY PLAN "
	if p.postgres {
		// Whether the planner picks the GIN index depends on the table's
		// statistics; the probe shows that it can.
		explain = "EXPLAIN "
		query, args = `SELECT s.article_id FROM article_search s WHERE s.doc @@ CAST(? AS tsquery)`, []any{p.match}
	}
	rows, err := conn.QueryContext(ctx, s.rebind(explain+query), args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return "", err
		}
		out = append(out, toString(vals[len(vals)-1]))
	}
	return strings.Join(out, "\n"), rows.Err()
}

func toString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	}
	return ""
}

func TestPlans(t *testing.T) {
	q := search.Parse(`kemit "menteri keuangan" dalam -"pasar induk" -x mitra`)
	lite := sqlitePlan(q)
	want := `(((("kemit" OR "perkemit") AND ("dalam" OR "perdalam") AND ("menteri uang") AND ("mitra" OR "permitra" OR "mitra"*)) NOT ("pasar induk")) NOT ("x"))`
	if lite.match != want {
		t.Errorf("sqlite match\n got %s\nwant %s", lite.match, want)
	}
	if len(lite.scores) != 4 || lite.scores[3] != `("mitra" OR "permitra" OR "mitra"*)` {
		t.Errorf("sqlite clauses: %q", lite.scores)
	}
	pg := postgresPlan(q)
	want = `('kemit' | 'perkemit') & ('dalam' | 'perdalam') & (('menteri' | 'menteri0') <-> 'uang') & ('mitra' | 'permitra' | 'mitra':*) & !('pasar' <-> 'induk') & !('x')`
	if pg.match != want {
		t.Errorf("postgres match\n got %s\nwant %s", pg.match, want)
	}
	if len(pg.scores) != 4 || pg.scores[2] != `(('menteri':A | 'menteri0':A) <-> 'uang':A)` || pg.scores[3] != `('mitra':A | 'permitra':A | 'mitra':*A)` {
		t.Errorf("postgres clauses: %q", pg.scores)
	}
	if p := sqlitePlan(search.Parse("-x")); p.match != "" {
		t.Errorf("exclusions alone: %q", p.match)
	}
}
