package sqlstore

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/search"
	"warta/internal/store"
)

func TestTmpPG(t *testing.T) {
	base := os.Getenv("TMP_PG")
	if base == "" {
		t.Skip()
	}
	ctx := context.Background()
	n := 10000
	reuse := os.Getenv("TMP_REUSE") != ""
	if !reuse {
		db, _ := sql.Open("pgx", base)
		db.Exec(`DROP SCHEMA IF EXISTS dbg CASCADE`)
		db.Exec(`CREATE SCHEMA dbg`)
		db.Close()
	}
	s, err := Open(ctx, "", base+"&search_path=dbg")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !reuse {
		u := &model.User{Email: "bench@example.id", Name: "Bench", Slug: "bench", Role: model.RoleEditor, Active: true}
		s.CreateUser(ctx, u)
		r := rand.New(rand.NewPCG(1, uint64(n)))
		bt := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := 0; i < n; i += 500 {
			err := s.tx(ctx, func(q querier) error {
				for j := i; j < min(i+500, n); j++ {
					pub := bt.Add(-time.Duration(j) * 37 * time.Minute)
					w := newBenchWriter(r, r.IntN(len(benchTopics)))
					a := &model.Article{Title: strings.TrimSuffix(w.text(6+r.IntN(6)), "."), Slug: "artikel-" + strconv.Itoa(j), Body: w.text(250 + r.IntN(500)), Status: model.StatusPublished, AuthorID: u.ID}
					if err := q.QueryRowContext(ctx, `INSERT INTO articles (title, slug, body, body_html, excerpt, status, author_id, published_at, created_at, updated_at) VALUES (?, ?, ?, '', '', ?, ?, ?, ?, ?) RETURNING id`, a.Title, a.Slug, a.Body, a.Status, a.AuthorID, pub, pub, pub).Scan(&a.ID); err != nil {
						return err
					}
					if err := indexArticle(ctx, q, a); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		s.w.Exec(`ANALYZE`)
	}
	for _, text := range []string{"dalam", "mitra", "kemit", `"harga beras"`, "pemerintah -banjir", "tarif kereta", "Kupang nelayan"} {
		var ds []time.Duration
		var total int
		for i := 0; i < 10; i++ {
			st := time.Now()
			_, tot, err := s.SearchArticles(ctx, store.SearchQuery{Text: text, Limit: 10, PublicAt: time.Now()})
			if err != nil {
				t.Fatal(err)
			}
			total = tot
			ds = append(ds, time.Since(st))
		}
		t.Logf("%-22q hits %5d p50 %v", text, total, percentile(ds, 50).Round(time.Microsecond*100))
	}
	_ = search.Parse
}
