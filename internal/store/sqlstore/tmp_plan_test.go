package sqlstore

import (
	"context"
	"testing"
	"time"

	"warta/internal/search"
	"warta/internal/store"
)

func TestTmpPlan(t *testing.T) {
	s, err := Open(context.Background(), "/tmp/wbench/articles-10000", "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	for _, text := range []string{"dalam", "tarif kereta", "mitra", "Kupang nelayan"} {
		q := search.Parse(text)
		p := s.plan(q)
		w, wargs := s.where(store.ArticleQuery{PublicAt: time.Now()})
		query, args := p.page(w, wargs, 10, 0)
		var tPage, tCount, tFTS, tHits time.Duration
		for i := 0; i < 20; i++ {
			st := time.Now()
			rows, _ := s.read().QueryContext(ctx, query, args...)
			var ids []any
			rank := map[int64]float64{}
			for rows.Next() {
				var id int64
				var sc float64
				var tot int
				rows.Scan(&id, &sc, &tot)
				ids = append(ids, id)
				rank[id] = sc
			}
			rows.Close()
			tPage += time.Since(st)
			st = time.Now()
			var n int
			s.read().QueryRowContext(ctx, `SELECT count(*) FROM article_fts WHERE article_fts MATCH ?`, p.match).Scan(&n)
			tFTS += time.Since(st)
			st = time.Now()
			if err := s.read().QueryRowContext(ctx, `WITH hits AS MATERIALIZED (SELECT rowid AS id, warta_title(article_fts, ?) AS score FROM article_fts WHERE article_fts MATCH ?) SELECT sum(score) FROM hits`, p.scores[0], p.match).Scan(&n); err != nil {
				t.Fatal(err)
			}
			tCount += time.Since(st)
			st = time.Now()
			if err := s.read().QueryRowContext(ctx, `WITH hits AS MATERIALIZED (SELECT rowid AS id, 0 AS score FROM article_fts WHERE article_fts MATCH ?) SELECT count(*) FROM hits h CROSS JOIN articles a INDEXED BY articles_search_filter ON a.id = h.id`+w, append([]any{p.match}, wargs...)...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			tHits += time.Since(st)
		}
		t.Logf("%-16s page %6.2fms  fts-only %6.2fms  fts+title %6.2fms  join %6.2fms", text, ms(tPage/20), ms(tFTS/20), ms(tCount/20), ms(tHits/20))
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
