// Command gendata fills a Warta database with N generated articles of
// Indonesian text (recombined from the demo articles, which are original
// writing), with categories, tags and comments, for the benchmarks.
//
//	go run ./bench/cmd/gendata --articles 10000 --data /tmp/warta-bench
//	go run ./bench/cmd/gendata --articles 10000 --db postgres://…
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"warta/internal/app"
	"warta/internal/config"
	"warta/internal/demo"
	"warta/internal/model"
	"warta/internal/render"
	"warta/internal/slug"
	"warta/internal/store"
)

func main() {
	n := flag.Int("articles", 10000, "how many articles to generate")
	comments := flag.Int("comments", 5, "approved comments on every 10th article")
	dataDir := flag.String("data", "/tmp/warta-bench", "data folder (SQLite)")
	dbURL := flag.String("db", "", "postgres:// URL instead of SQLite")
	flag.Parse()
	if err := run(*n, *comments, *dataDir, *dbURL); err != nil {
		fmt.Fprintln(os.Stderr, "gendata:", err)
		os.Exit(1)
	}
}

func run(n, perArticle int, dataDir, dbURL string) error {
	ctx := context.Background()
	cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: dataDir, DatabaseURL: dbURL, LogFormat: "text", LogLevel: "warn"}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a, err := app.Open(ctx, cfg, log, app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	if _, err := a.FirstStart(ctx, true); err != nil {
		return err
	}
	existing, err := a.Store.CountArticles(ctx, store.ArticleQuery{})
	if err != nil {
		return err
	}
	if existing >= n {
		fmt.Printf("already %d articles; nothing to do\n", existing)
		return nil
	}
	content, err := demo.Load()
	if err != nil {
		return err
	}
	var paragraphs, titles []string
	var words []string
	for _, d := range content.Articles {
		titles = append(titles, d.Title)
		for _, p := range strings.Split(d.Body, "\n\n") {
			p = strings.TrimSpace(p)
			if p == "" || strings.HasPrefix(p, "!") || strings.HasPrefix(p, "|") || strings.HasPrefix(p, "#") || strings.HasPrefix(p, "-") {
				continue
			}
			paragraphs = append(paragraphs, p)
			words = append(words, strings.Fields(render.PlainText(p))...)
		}
	}
	editor, err := a.Store.UserBySlug(ctx, "redaksi")
	if err != nil {
		return err
	}
	cats, err := a.Store.Categories(ctx)
	if err != nil {
		return err
	}
	tagNames := []string{"Banjir", "Pasar", "Kereta", "Sekolah", "Kesehatan", "Pemilu", "Anggaran", "Nelayan", "Petani", "Pariwisata",
		"Sepak Bola", "Budaya", "Kuliner", "Cuaca", "Jalan Tol", "UMKM", "Harga Pangan", "Energi", "Air Bersih", "Pendidikan"}
	var tags []model.Tag
	for _, name := range tagNames {
		t, err := a.Store.EnsureTag(ctx, name, slug.Make(name))
		if err != nil {
			return err
		}
		tags = append(tags, *t)
	}
	md := render.New()
	rng := rand.New(rand.NewPCG(7, uint64(existing)))
	cities := []string{"Jakarta", "Bandung", "Surabaya", "Medan", "Makassar", "Yogyakarta", "Semarang", "Denpasar", "Palembang", "Pontianak", "Ambon", "Kupang"}
	start := time.Now()
	base := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	for i := existing; i < n; i++ {
		title := fmt.Sprintf("%s %s di %s", pick(rng, words), strings.ToLower(pick(rng, titles)), pick(rng, cities))
		var body strings.Builder
		for p := 0; p < 5+rng.IntN(6); p++ {
			body.WriteString(pick(rng, paragraphs))
			body.WriteString("\n\n")
		}
		html, err := md.HTML(body.String())
		if err != nil {
			return err
		}
		pub := base.Add(-time.Duration(i) * 17 * time.Minute)
		art := &model.Article{Title: title, Slug: fmt.Sprintf("%s-%d", slug.Make(title), i), Dateline: pick(rng, cities),
			Body: body.String(), BodyHTML: html, Excerpt: render.Excerpt(body.String(), 200), Status: model.StatusPublished,
			AuthorID: editor.ID, PublishedAt: &pub, CreatedAt: pub, UpdatedAt: pub, CommentsOpen: true,
			Categories: []model.Category{cats[rng.IntN(len(cats))]}}
		for _, k := range rng.Perm(len(tags))[:2+rng.IntN(3)] {
			art.Tags = append(art.Tags, tags[k])
		}
		if err := a.Store.CreateArticle(ctx, art); err != nil {
			return fmt.Errorf("article %d: %w", i, err)
		}
		if i%10 == 0 {
			for c := 0; c < perArticle; c++ {
				cm := &model.Comment{ArticleID: art.ID, AuthorName: "Pembaca " + pick(rng, cities), AuthorEmail: fmt.Sprintf("pembaca%d@example.com", c),
					Body: pick(rng, paragraphs), Status: model.CommentApproved, CreatedAt: pub.Add(time.Duration(c+1) * time.Hour)}
				if err := a.Store.CreateComment(ctx, cm, fmt.Sprintf("gen-%d-%d", i, c)); err != nil {
					return err
				}
			}
		}
		if (i+1)%5000 == 0 {
			fmt.Printf("%d articles (%.0f/s)\n", i+1, float64(i+1-existing)/time.Since(start).Seconds())
		}
	}
	fmt.Printf("done: %d articles in %s\n", n, time.Since(start).Round(time.Second))
	return nil
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }
