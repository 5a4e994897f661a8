package wxr_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
	"warta/internal/wxr"
)

func load(t *testing.T, name string) *wxr.Document {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := wxr.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

var opts = wxr.Options{}

// jan2026 is s on a clock fixed at the start of 2026, the time an import
// stamps on what it makes now (drafts without a date, new authors).
func jan2026(s *sqlstore.Store) *sqlstore.Store {
	return s.WithClock(func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) })
}

func counts(t *testing.T, s *sqlstore.Store) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"articles", "pages", "comments", "categories", "tags", "users", "kv", "article_revisions", "article_search"} {
		var n int
		if err := s.DB().QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

// The theme unit test data: WordPress's own export of a test site
// (testdata/README.md names its source).
func TestImportThemeUnitTest(t *testing.T) {
	doc := load(t, "wp-themeunittestdata.wordpress.xml")
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		res, err := wxr.Import(ctx, jan2026(s), doc, opts)
		if err != nil {
			t.Fatal(err)
		}
		if res.Articles != 58 || res.Pages != 21 || res.Categories != 68 || res.Pings != 4 || res.Protected != 1 {
			t.Errorf("counts: %+v", res)
		}
		c := counts(t, s)
		if c["articles"] != 58 || c["pages"] != 21 || c["comments"] != res.Comments || res.Comments < 20 {
			t.Errorf("rows: %v, result %+v", c, res)
		}
		// A scheduled post.
		sched, err := s.ArticleBySlug(ctx, "scheduled")
		if err != nil || sched.Status != model.StatusScheduled || sched.PublishedAt.Year() != 2030 {
			t.Errorf("scheduled post: %+v %v", sched, err)
		}
		// A [caption] shortcode becomes a figure with its caption.
		img, err := s.ArticleBySlug(ctx, "markup-image-alignment")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(img.BodyHTML, "<figcaption>Look at 580x300 getting some caption love.</figcaption></figure>") {
			t.Errorf("caption not a figure:\n%s", img.BodyHTML)
		}
		// Hierarchical categories.
		child, err := s.CategoryBySlug(ctx, "child-category-01")
		if err != nil || child.ParentID == nil {
			t.Fatalf("child category: %+v %v", child, err)
		}
		// A page.
		if p, err := s.PageBySlug(ctx, "about"); err != nil || p.Status != model.StatusPublished || p.BodyHTML == "" {
			t.Errorf("page about: %+v %v", p, err)
		}
		// Threaded comments: replies keep their parent.
		threaded, err := s.ArticleBySlug(ctx, "template-comments")
		if err != nil {
			t.Fatal(err)
		}
		cs, _ := s.ArticleComments(ctx, threaded.ID, model.CommentApproved, model.CommentPending)
		replies := 0
		for _, c := range cs {
			if c.ParentID != nil {
				replies++
			}
		}
		if len(cs) < 10 || replies < 5 {
			t.Errorf("threaded comments: %d comments, %d replies", len(cs), replies)
		}
		// Nothing of WordPress's markup stays in a body.
		all, _ := s.ListArticles(ctx, store.ArticleQuery{Limit: 500})
		for _, a := range all {
			body := fences.ReplaceAllString(a.Body, "") // code shows markup on purpose
			if strings.Contains(body, "[caption") || strings.Contains(body, "[gallery") || strings.Contains(body, "<!--") {
				t.Errorf("%s: WordPress markup left in the body:\n%s", a.Slug, a.Body)
			}
		}
		// Authors are inactive accounts without a password.
		users, _ := s.ListUsers(ctx)
		for _, u := range users {
			if u.Active || u.PasswordHash != "" {
				t.Errorf("imported author %s is active or has a password", u.Slug)
			}
		}

		// Running it again adds nothing.
		before := counts(t, s)
		again, err := wxr.Import(ctx, jan2026(s), doc, opts)
		if err != nil {
			t.Fatal(err)
		}
		if again.Articles+again.Pages+again.Comments+again.Categories+again.Tags+again.Authors != 0 || again.Already != 79 {
			t.Errorf("second import: %+v", again)
		}
		if after := counts(t, s); !equal(before, after) {
			t.Errorf("second import changed rows: %v → %v", before, after)
		}
	})
}

func TestImportBlockEditorData(t *testing.T) {
	doc := load(t, "wp-64-block-test-data.xml")
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		res, err := wxr.Import(ctx, jan2026(s), doc, opts)
		if err != nil {
			t.Fatal(err)
		}
		if res.Articles < 50 {
			t.Errorf("result: %+v", res)
		}
		all, _ := s.ListArticles(ctx, store.ArticleQuery{Limit: 500})
		for _, a := range all {
			if body := fences.ReplaceAllString(a.Body, ""); strings.Contains(body, "<!--") {
				t.Errorf("%s: block comments left:\n%s", a.Slug, a.Body)
			}
		}
	})
}

func TestImportSmallSanitisedAndMapped(t *testing.T) {
	doc := load(t, "small.xml")
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		res, err := wxr.Import(ctx, jan2026(s), doc, opts)
		if err != nil {
			t.Fatal(err)
		}
		if res.Articles != 4 || res.Pages != 1 || res.Comments != 4 || res.Trashed != 2 || res.Pings != 1 || res.Authors != 1 {
			t.Errorf("result: %+v", res)
		}
		if strings.Contains(res.Summary(), "@") {
			t.Errorf("summary shows an email: %s", res.Summary())
		}
		a, err := s.ArticleBySlug(ctx, "panen-raya")
		if err != nil {
			t.Fatal(err)
		}
		if a.Title != "Panen raya di desa & sekitarnya" || a.Status != model.StatusPublished ||
			!a.PublishedAt.Equal(time.Date(2024, 7, 24, 14, 30, 0, 0, time.UTC)) || a.Excerpt != "Panen raya dimulai." {
			t.Errorf("article: %+v", a)
		}
		if a.Image.URL != "https://kabar.example/wp-content/uploads/sawah.jpg" || a.Image.Alt != "Sawah menguning" {
			t.Errorf("featured image: %+v", a.Image)
		}
		if len(a.Categories) != 1 || a.Categories[0].Slug != "desa" || len(a.Tags) != 1 || a.Tags[0].Slug != "panen" {
			t.Errorf("terms: %+v %+v", a.Categories, a.Tags)
		}
		for _, bad := range []string{"<script", "onerror", "onclick", "javascript:", "[tombol", "[gallery"} {
			if strings.Contains(a.BodyHTML, bad) {
				t.Errorf("body keeps %q:\n%s", bad, a.BodyHTML)
			}
		}
		if !strings.Contains(a.BodyHTML, "<p>Petani memulai panen pagi ini.<br>\nHasilnya") {
			t.Errorf("wpautop line break lost:\n%s", a.BodyHTML)
		}
		cs, _ := s.ArticleComments(ctx, a.ID, model.CommentApproved, model.CommentPending, model.CommentSpam)
		if len(cs) != 4 || cs[1].ParentID == nil || *cs[1].ParentID != cs[0].ID || cs[1].Body != "Terima kasih, Budi." ||
			cs[0].AuthorEmail != "budi@pembaca.example" || cs[2].Status != model.CommentPending || cs[3].Status != model.CommentSpam {
			t.Errorf("comments: %+v", cs)
		}
		if a.CommentCount != 2 {
			t.Errorf("approved count %d", a.CommentCount)
		}
		if d, err := s.ArticleBySlug(ctx, "catatan-belum-selesai"); err != nil || d.Status != model.StatusDraft {
			t.Errorf("draft: %+v %v", d, err)
		}
		if p, err := s.ArticleBySlug(ctx, "pribadi"); err != nil || p.Status != model.StatusDraft {
			t.Errorf("private post: %+v %v", p, err)
		}
		if _, err := s.ArticleBySlug(ctx, "dibuang"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("trashed post imported")
		}

		// The public page shows the article without any of the injected script.
		site := testutil.StartSite(t, s, testutil.SiteOptions{})
		page := site.Get("/2024/07/panen-raya")
		if page.Status != 200 || !strings.Contains(page.Body, "Sawah di tepi desa saat panen.") {
			t.Fatalf("article page: %d", page.Status)
		}
		for _, bad := range []string{"alert(", "onerror", "javascript:", "pembaca.example"} {
			if strings.Contains(page.Body, bad) {
				t.Errorf("public page contains %q", bad)
			}
		}
	})
}

// A failure halfway leaves the database exactly as it was.
func TestImportFailureRollsBack(t *testing.T) {
	doc := load(t, "small.xml")
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		before := counts(t, s)
		_, err := wxr.Import(ctx, failing{jan2026(s)}, doc, opts)
		if err == nil || !strings.Contains(err.Error(), "disk on fire") {
			t.Fatalf("err = %v", err)
		}
		if after := counts(t, s); !equal(before, after) {
			t.Errorf("rows changed: %v → %v", before, after)
		}
	})
	if _, err := wxr.Parse(strings.NewReader(`<rss><channel><item><title>x</title></channel></rss>`)); err == nil {
		t.Errorf("malformed XML accepted")
	}
	if _, err := wxr.Parse(strings.NewReader(`<html><body/></html>`)); err == nil {
		t.Errorf("not RSS accepted")
	}
}

// failing breaks the transaction at the third comment.
type failing struct{ s *sqlstore.Store }

func (f failing) InTx(ctx context.Context, fn func(store.Tx) error) error {
	return f.s.InTx(ctx, func(tx store.Tx) error { return fn(&failTx{Tx: tx}) })
}

type failTx struct {
	store.Tx
	n int
}

func (f *failTx) CreateComment(ctx context.Context, c *model.Comment, h string) error {
	if f.n++; f.n == 3 {
		return errors.New("disk on fire")
	}
	return f.Tx.CreateComment(ctx, c, h)
}

// Exporting and importing into an empty site gives the same articles,
// pages and comments.
func TestExportImportRoundTrip(t *testing.T) {
	doc := load(t, "wp-themeunittestdata.wordpress.xml")
	small := load(t, "small.xml")
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		if _, err := wxr.Import(ctx, jan2026(s), doc, opts); err != nil {
			t.Fatal(err)
		}
		if _, err := wxr.Import(ctx, jan2026(s), small, opts); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := wxr.Export(ctx, s, &out, wxr.ExportOptions{BaseURL: "https://warta.example"}); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out.String(), "<!-- wp:") {
			t.Errorf("export holds block comments")
		}
		back, err := wxr.Parse(bytes.NewReader(out.Bytes()))
		if err != nil {
			t.Fatalf("export does not parse: %v", err)
		}
		var t2 *sqlstore.Store
		if s.Dialect() == "sqlite" {
			t2 = testutil.NewSQLite(t)
		} else {
			t2 = testutil.NewPostgres(t)
		}
		res, err := wxr.Import(ctx, jan2026(t2), back, opts)
		if err != nil {
			t.Fatal(err)
		}
		a1, _ := s.ListArticles(ctx, store.ArticleQuery{Limit: 1000})
		a2, _ := t2.ListArticles(ctx, store.ArticleQuery{Limit: 1000})
		if len(a1) != len(a2) || res.Articles != len(a1) {
			t.Fatalf("articles: %d then %d", len(a1), len(a2))
		}
		// Known gaps (a few of WordPress's test posts nest figures in
		// list items or quotes, which Markdown cannot say the same way):
		// at most four bodies may differ after the round trip.
		var bodyDiffs []string
		defer func() {
			if len(bodyDiffs) > 4 {
				t.Errorf("%d bodies differ after the round trip: %v", len(bodyDiffs), bodyDiffs)
			} else if len(bodyDiffs) > 0 {
				t.Logf("bodies that differ after the round trip: %v", bodyDiffs)
			}
		}()
		bySlug := map[string]*model.Article{}
		for _, a := range a2 {
			bySlug[a.Slug] = a
		}
		for _, a := range a1 {
			b := bySlug[a.Slug]
			if b == nil {
				t.Errorf("%s: missing after the round trip", a.Slug)
				continue
			}
			if a.Title != b.Title || a.Status != b.Status || !sameTime(a.PublishedAt, b.PublishedAt) || a.Excerpt != b.Excerpt ||
				a.Image != b.Image || a.CommentsOpen != b.CommentsOpen {
				t.Errorf("%s differs:\n%+v\n%+v", a.Slug, a, b)
			}
			if norm(a.BodyHTML) != norm(b.BodyHTML) {
				bodyDiffs = append(bodyDiffs, a.Slug)
			}
			if terms(a) != terms(b) {
				t.Errorf("%s: terms %s vs %s", a.Slug, terms(a), terms(b))
			}
			c1, _ := s.ArticleComments(ctx, a.ID, model.CommentApproved, model.CommentPending, model.CommentSpam)
			c2, _ := t2.ArticleComments(ctx, b.ID, model.CommentApproved, model.CommentPending, model.CommentSpam)
			if thread(c1) != thread(c2) {
				t.Errorf("%s: comments differ:\n%s\n---\n%s", a.Slug, thread(c1), thread(c2))
			}
		}
		p1, _ := s.ListPages(ctx)
		p2, _ := t2.ListPages(ctx)
		if len(p1) != len(p2) {
			t.Errorf("pages: %d then %d", len(p1), len(p2))
		}
	})
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

var fences = regexp.MustCompile("(?s)```.*?```")

var ws = regexp.MustCompile(`\s+`)

// imgTitle: an image's tooltip inside a tight list item is not kept (WordPress
// titles are mostly file names, so inline image titles are not imported).
var imgTitle = regexp.MustCompile(` title="[^"]*"`)

func norm(s string) string {
	return strings.TrimSpace(ws.ReplaceAllString(imgTitle.ReplaceAllString(s, ""), " "))
}

func terms(a *model.Article) string {
	var b strings.Builder
	for _, c := range a.Categories {
		b.WriteString("c:" + c.Slug + " ")
	}
	for _, t := range a.Tags {
		b.WriteString("t:" + t.Slug + " ")
	}
	return b.String()
}

// thread describes comments by content and position, not by id.
func thread(cs []*model.Comment) string {
	idx := map[int64]int{}
	var b strings.Builder
	for i, c := range cs {
		idx[c.ID] = i
		parent := -1
		if c.ParentID != nil {
			parent = idx[*c.ParentID]
		}
		b.WriteString(strings.Join([]string{c.AuthorName, c.AuthorEmail, c.AuthorURL, string(c.Status), c.CreatedAt.UTC().Format(time.RFC3339), c.Body}, "|"))
		b.WriteString("|" + string(rune('0'+parent+1)) + "\n")
	}
	return b.String()
}

func equal(a, b map[string]int) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return len(a) == len(b)
}
