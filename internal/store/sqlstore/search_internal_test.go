package sqlstore

import (
	"context"
	"fmt"
	"slices"
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
	w, wargs := s.where(store.ArticleQuery{PublicAt: time.Now(), CategoryID: 1}, forAll)
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

// CheckSearchRewrites fails when the shortcuts the store takes for text
// change what it finds: the full-text query without the lexemes a prefix
// finds anyway must match the same articles as with them, and on
// PostgreSQL each ranking clause must match the same titles in the titles'
// index as in doc's weight A.
func CheckSearchRewrites(ctx context.Context, s *Store, text string) error {
	must, mustNot := clauses(search.Parse(text))
	if len(must) == 0 {
		return nil
	}
	render, find := sqliteRender, `SELECT rowid FROM article_fts WHERE article_fts MATCH ? ORDER BY 1`
	if s.d.name == "postgres" {
		render, find = postgresRender, `SELECT article_id FROM article_search WHERE doc @@ CAST(? AS tsquery) ORDER BY 1`
	}
	full, short := render(must, mustNot).match, s.plan(search.Parse(text)).match
	want, err := s.ids(ctx, find, full)
	if err != nil {
		return err
	}
	got, err := s.ids(ctx, find, short)
	if err != nil {
		return err
	}
	if !slices.Equal(got, want) {
		return fmt.Errorf("%q: %s finds %v, %s finds %v", text, short, got, full, want)
	}
	if s.d.name != "postgres" {
		return nil
	}
	for _, c := range withoutSubsumed(must) {
		want, err := s.ids(ctx, `SELECT article_id FROM article_search WHERE doc @@ CAST(? AS tsquery) ORDER BY 1`, pgClause(c, "A"))
		if err != nil {
			return err
		}
		got, err := s.ids(ctx, `SELECT article_id FROM article_search WHERE warta_tsvector(title) @@ CAST(? AS tsquery) ORDER BY 1`, pgClause(c, ""))
		if err != nil {
			return err
		}
		if !slices.Equal(got, want) {
			return fmt.Errorf("%q: titles matching %s: %v, doc's weight A: %v", text, pgClause(c, ""), got, want)
		}
	}
	return nil
}

func (s *Store) ids(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := s.read().QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
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

// The prefix clause drops the lexemes the prefix finds anyway (mitra is
// found by mitra*), and PostgreSQL's ranking clauses are asked of the
// titles' own tsvectors, so they carry no weight.
func TestPlans(t *testing.T) {
	q := search.Parse(`kemit "menteri keuangan" dalam -"pasar induk" -x mitra`)
	lite := sqlitePlan(q)
	want := `(((("kemit" OR "perkemit") AND ("dalam" OR "perdalam") AND ("menteri uang") AND ("permitra" OR "mitra"*)) NOT ("pasar induk")) NOT ("x"))`
	if lite.match != want {
		t.Errorf("sqlite match\n got %s\nwant %s", lite.match, want)
	}
	if len(lite.scores) != 4 || lite.scores[3] != `("permitra" OR "mitra"*)` {
		t.Errorf("sqlite clauses: %q", lite.scores)
	}
	pg := postgresPlan(q)
	want = `('kemit' | 'perkemit') & ('dalam' | 'perdalam') & (('menteri' | 'menteri0') <-> 'uang') & ('permitra' | 'mitra':*) & !('pasar' <-> 'induk') & !('x')`
	if pg.match != want {
		t.Errorf("postgres match\n got %s\nwant %s", pg.match, want)
	}
	if len(pg.scores) != 4 || pg.scores[2] != `(('menteri' | 'menteri0') <-> 'uang')` || pg.scores[3] != `('permitra' | 'mitra':*)` {
		t.Errorf("postgres clauses: %q", pg.scores)
	}
	if p := sqlitePlan(search.Parse("-x")); p.match != "" {
		t.Errorf("exclusions alone: %q", p.match)
	}
}
