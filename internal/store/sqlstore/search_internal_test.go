package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"warta/internal/model"
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

// ExplainSearch returns the query plan of the statement that ranks every
// hit for text (on PostgreSQL, of its full-text lookup).
func ExplainSearch(ctx context.Context, s *Store, text string, settings ...string) (string, error) {
	p := s.plan(search.Parse(text))
	w, wargs := s.where(store.ArticleQuery{PublicAt: time.Now(), CategoryID: 1}, forAll)
	query, args := p.page(w, wargs, 20, 0)
	if p.postgres {
		// Whether the planner picks the GIN index depends on the table's
		// statistics; the probe shows that it can.
		query, args = `SELECT s.article_id FROM article_search s WHERE s.doc @@ CAST(? AS tsquery)`, []any{p.match}
	}
	return s.explain(ctx, query, args, settings)
}

// ExplainSearchWindow returns the query plan of the statement that puts a
// first page of hits for text together from a window of new articles.
func ExplainSearchWindow(ctx context.Context, s *Store, text string, settings ...string) (string, error) {
	p := s.plan(search.Parse(text))
	lim := p.limits()
	q := s.windowStatement(p, store.ArticleQuery{PublicAt: time.Now(), CategoryID: 1}, lim.perHit*20, 20, lim.maxTitles)
	return s.explain(ctx, q.String(), q.args, settings)
}

func (s *Store) explain(ctx context.Context, query string, args []any, settings []string) (string, error) {
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
	explain := "EXPLAIN QUERY PLAN "
	if s.d.name == "postgres" {
		explain = "EXPLAIN "
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

// RankLimits bounds the window a search page is put together from (see
// rankLimits). The zero value stands for the store's own bounds;
// RankLimits{PerHit: 1} allows no window: every page ranks every hit.
type RankLimits struct{ PerHit, MaxWindow, MaxTitles, Few int }

// SearchRanking ranks the page sq asks for as SearchArticles does, within
// lim. It returns the page's ids, best first, the count, and whether a
// window put the page together.
func SearchRanking(ctx context.Context, s *Store, sq store.SearchQuery, lim RankLimits) (ids []int64, total int, more, byWindow bool, err error) {
	page, err := s.rankSearch(ctx, search.Parse(sq.Text), sq, rankLimits{perHit: lim.PerHit, maxWindow: lim.MaxWindow, maxTitles: lim.MaxTitles, few: lim.Few}, allClauses)
	for _, h := range page.hits {
		ids = append(ids, h.id)
	}
	return ids, page.total, page.more, page.byWindow, err
}

// BulkArticles saves n published articles with one title, body and
// publication time, straight into the tables: for tests that need more
// hits than the count limit, faster than n saves would be.
func BulkArticles(t testing.TB, s *Store, author int64, n int, title, body string, pub time.Time) {
	t.Helper()
	ctx := context.Background()
	err := s.tx(ctx, func(q querier) error {
		for i := range n {
			a := &model.Article{Title: title, Body: body}
			err := q.QueryRowContext(ctx, `INSERT INTO articles (title, slug, body, body_html, excerpt, status, author_id, published_at, created_at, updated_at)
				VALUES (?, ?, ?, '', '', 'published', ?, ?, ?, ?) RETURNING id`, title, fmt.Sprintf("bulk-%d", i), body, author, pub, pub, pub).Scan(&a.ID)
			if err != nil {
				return err
			}
			if err := indexArticle(ctx, q, a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("bulk articles: %v", err)
	}
}

// CheckSearchRewrites fails when the shortcuts the store takes for text
// change what it finds: the full-text query without the lexemes a prefix
// finds anyway must match the same articles as with them; a title that
// matches every clause and no exclusion must be a hit; and on PostgreSQL
// each ranking clause must match the same titles in the titles' index as
// in doc's weight A, and as in doc's weight-A lexemes alone (ts_filter).
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
	p := s.plan(search.Parse(text))
	titled, notHits := `SELECT rowid FROM article_title_fts WHERE article_title_fts MATCH ?`, ` EXCEPT `+find
	if p.postgres {
		titled = `SELECT article_id FROM article_search WHERE warta_tsvector(title) @@ CAST(? AS tsquery)`
	}
	args := []any{p.atLeast(len(p.scores))}
	if p.excluded != "" {
		titled += ` EXCEPT ` + strings.TrimSuffix(find, " ORDER BY 1")
		args = append(args, p.excluded)
	}
	stray, err := s.ids(ctx, titled+notHits, append(args, p.match)...)
	if err != nil {
		return err
	}
	if len(stray) > 0 {
		return fmt.Errorf("%q: titles %v match every clause and no exclusion, but are not hits", text, stray)
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
		got, err = s.ids(ctx, `SELECT article_id FROM article_search WHERE ts_filter(doc, '{a}') @@ CAST(? AS tsquery) ORDER BY 1`, pgClause(c, ""))
		if err != nil {
			return err
		}
		if !slices.Equal(got, want) {
			return fmt.Errorf("%q: doc's weight-A lexemes matching %s: %v, doc's weight A: %v", text, pgClause(c, ""), got, want)
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
	// kemit is a k- root: its meN-/peN- forms drop the k (mengemit,
	// pengemit), as TestLexemes in internal/search has it.
	want := `(((("kemit" OR "perkemit" OR "mengemit" OR "mengemitkan" OR "mengemitan" OR "mengemiti" OR "mengemitnya" OR "pengemit" OR "pengemitkan" OR "pengemitan" OR "pengemiti" OR "pengemitnya") AND ("dalam" OR "perdalam") AND ("menteri uang") AND ("permitra" OR "mitra"*)) NOT ("pasar induk")) NOT ("x"))`
	if lite.match != want {
		t.Errorf("sqlite match\n got %s\nwant %s", lite.match, want)
	}
	if len(lite.scores) != 4 || lite.scores[3] != `("permitra" OR "mitra"*)` {
		t.Errorf("sqlite clauses: %q", lite.scores)
	}
	pg := postgresPlan(q)
	want = `('kemit' | 'perkemit' | 'mengemit' | 'mengemitkan' | 'mengemitan' | 'mengemiti' | 'mengemitnya' | 'pengemit' | 'pengemitkan' | 'pengemitan' | 'pengemiti' | 'pengemitnya') & ('dalam' | 'perdalam') & (('menteri' | 'menteri0') <-> 'uang') & ('permitra' | 'mitra':*) & !('pasar' <-> 'induk') & !('x')`
	if pg.match != want {
		t.Errorf("postgres match\n got %s\nwant %s", pg.match, want)
	}
	if len(pg.scores) != 4 || pg.scores[2] != `(('menteri' | 'menteri0') <-> 'uang')` || pg.scores[3] != `('permitra' | 'mitra':*)` {
		t.Errorf("postgres clauses: %q", pg.scores)
	}
	if p := sqlitePlan(search.Parse("-x")); p.match != "" {
		t.Errorf("exclusions alone: %q", p.match)
	}
	if lite.excluded != `("pasar induk") OR ("x")` || pg.excluded != `('pasar' <-> 'induk') | ('x')` {
		t.Errorf("excluded: %s / %s", lite.excluded, pg.excluded)
	}
}

// A title matching at least j of the clauses is every j of them together,
// or any clause when those combinations would be too many.
func TestTitlesMatchingAtLeast(t *testing.T) {
	p := postgresPlan(search.Parse(`banjir jalan "macet total"`))
	b, j, m := `('banjir' | 'perbanjir')`, `('jalan' | 'perjalan')`, `('macet' <-> 'total')`
	tests := []struct {
		j    int
		want string
	}{
		{1, "(" + b + ") | (" + j + ") | (" + m + ")"},
		{2, "(" + b + " & " + j + ") | (" + b + " & " + m + ") | (" + j + " & " + m + ")"},
		{3, "(" + b + " & " + j + " & " + m + ")"},
	}
	for _, tt := range tests {
		if got := p.atLeast(tt.j); got != tt.want {
			t.Errorf("at least %d:\n got %s\nwant %s", tt.j, got, tt.want)
		}
	}
	lite := sqlitePlan(search.Parse("banjir jalan"))
	if got, want := lite.atLeast(2), `(("banjir" OR "perbanjir") AND ("perjalan" OR "jalan"*))`; got != want {
		t.Errorf("sqlite, at least 2:\n got %s\nwant %s", got, want)
	}
	many := sqlitePlan(search.Parse("a1 b1 c1 d1 e1 f1 g1 h1"))
	if got := many.atLeast(4); strings.Count(got, " AND ") != 0 || strings.Count(got, " OR ") != 7 {
		t.Errorf("70 combinations are not any clause: %s", got)
	}
}
