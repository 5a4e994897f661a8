package wxr_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the export writes dates in the site's zone, Asia/Jakarta

	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
	"warta/internal/wxr"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// wib is the WordPress site's zone in the golden test: dates WordPress
// gives only in local time (drafts) are read in it.
var wib = time.FixedZone("WIB", 7*3600)

// TestImportExportGolden pins what an import makes of each test export and
// what an export then writes, on a clock fixed at the start of 2026: the
// import's results, every row it made (testdata/golden/*.import.txt) and
// the whole export (testdata/golden/*.export.xml). Both databases must give
// the same files. small.xml is imported twice, the second time with new
// comments, posts, a page and an author added to it, as a later export of
// the same site would have them. go test -update rewrites the files.
func TestImportExportGolden(t *testing.T) {
	cases := []struct {
		name string
		docs []*wxr.Document
	}{
		{"themeunittest", []*wxr.Document{load(t, "wp-themeunittestdata.wordpress.xml")}},
		{"blocks", []*wxr.Document{load(t, "wp-64-block-test-data.xml")}},
		{"small", []*wxr.Document{load(t, "small.xml"), smallLater(t)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
				ctx := context.Background()
				st := jan2026(s)
				var rows strings.Builder
				for i, doc := range c.docs {
					res, err := wxr.Import(ctx, st, doc, wxr.Options{Location: wib})
					if err != nil {
						t.Fatal(err)
					}
					fmt.Fprintf(&rows, "import %d: %+v\n  %s\n", i+1, *res, res.Summary())
				}
				dumpRows(t, st, &rows)
				var out bytes.Buffer
				if err := wxr.Export(ctx, byID{st}, &out, wxr.ExportOptions{BaseURL: "https://warta.example"}); err != nil {
					t.Fatal(err)
				}
				// The first database writes the files on -update; the
				// second must match them.
				write := *update && s.Dialect() == "sqlite"
				golden(t, c.name+".import.txt", []byte(rows.String()), write)
				golden(t, c.name+".export.xml", out.Bytes(), write)
			})
		})
	}
}

// byID lists categories, tags and pages in id order. The store orders
// them by name, which SQLite and PostgreSQL collate differently; the
// export must be the same on both.
type byID struct{ *sqlstore.Store }

func (s byID) Categories(ctx context.Context) ([]model.Category, error) {
	cs, err := s.Store.Categories(ctx)
	sort.Slice(cs, func(i, j int) bool { return cs[i].ID < cs[j].ID })
	return cs, err
}

func (s byID) Tags(ctx context.Context) ([]model.Tag, error) {
	gs, err := s.Store.Tags(ctx)
	sort.Slice(gs, func(i, j int) bool { return gs[i].ID < gs[j].ID })
	return gs, err
}

func (s byID) ListPages(ctx context.Context) ([]model.Page, error) {
	ps, err := s.Store.ListPages(ctx)
	sort.Slice(ps, func(i, j int) bool { return ps[i].ID < ps[j].ID })
	return ps, err
}

// smallLater is small.xml as a later export of the same site: a reply to
// an earlier comment and a held comment on the first post, a
// password-protected post without a title whose slug is taken, a page whose
// slug the site reserves, with comments, and a pending post by an author
// without an email address.
func smallLater(t *testing.T) *wxr.Document {
	doc := load(t, "small.xml")
	doc.Authors = append(doc.Authors, wxr.Author{Login: "tamu", DisplayName: "Penulis Tamu"})
	doc.Tags = append(doc.Tags, wxr.Tag{Slug: "musim%20hujan", Name: "Musim hujan"})
	first := &doc.Items[0]
	first.CommentsOf = append(first.CommentsOf,
		wxr.Comment{ID: 7, Author: "Sari Wulan", AuthorEmail: "sari@kabar.example", DateGMT: "2024-07-26 01:00:00",
			Content: "Sama-sama, <i>Budi</i>.", Approved: "1", Parent: 1},
		wxr.Comment{ID: 8, Author: "", AuthorURL: "javascript:alert(1)", Date: "2024-07-26 09:00:00",
			Content: "Tanpa nama.", Approved: "hold"},
		wxr.Comment{ID: 9, Author: "Kosong", Content: "<p> </p>", Approved: "1"},
	)
	doc.Items = append(doc.Items,
		wxr.Item{Creator: "sari", PostID: 15, Type: "post", Status: "publish", Password: "rahasia", Name: "panen-raya",
			Comments: "closed", DateGMT: "2024-08-01 03:00:00", Modified: "2024-08-02 04:00:00",
			Terms: []wxr.Term{
				{Domain: "category", Nicename: "desa", Name: "Desa"},
				{Domain: "category", Nicename: "desa", Name: "Desa"},
				{Domain: "post_tag", Nicename: "musim%20hujan", Name: "Musim hujan"},
				{Domain: "post_tag", Nicename: "", Name: "Hujan Deras"},
				{Domain: "post_format", Nicename: "post-format-aside", Name: "Aside"},
			},
			Meta: []wxr.Meta{{Key: "_thumbnail_id", Value: "30"}}},
		wxr.Item{Title: "Admin", Creator: "sari", PostID: 16, Type: "page", Status: "publish", Name: "admin", MenuOrder: -3,
			DateGMT:    "2024-08-03 00:00:00",
			CommentsOf: []wxr.Comment{{ID: 10, Author: "Budi", Content: "Halaman bagus.", Approved: "1"}}},
		wxr.Item{Title: "Usulan liputan", Creator: "tamu", PostID: 17, Type: "post", Status: "pending", Name: "usulan",
			Date: "2024-08-04 08:00:00"},
		wxr.Item{Title: "Menu", PostID: 18, Type: "nav_menu_item", Status: "publish"},
	)
	return doc
}

// dumpRows writes every row an import makes, in a stable order.
func dumpRows(t *testing.T, s *sqlstore.Store, b *strings.Builder) {
	t.Helper()
	ctx := context.Background()
	stamp := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	users, err := s.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	slugOf := map[int64]string{}
	for _, u := range users {
		slugOf[u.ID] = u.Slug
		fmt.Fprintf(b, "user %d %s email=%q name=%q role=%s active=%t password=%t created=%s\n",
			u.ID, u.Slug, u.Email, u.Name, u.Role, u.Active, u.PasswordHash != "", stamp(u.CreatedAt))
	}
	cats, err := s.Categories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(cats, func(i, j int) bool { return cats[i].ID < cats[j].ID })
	for _, c := range cats {
		parent := int64(0)
		if c.ParentID != nil {
			parent = *c.ParentID
		}
		fmt.Fprintf(b, "category %d %s name=%q parent=%d position=%d description=%q\n", c.ID, c.Slug, c.Name, parent, c.Position, c.Description)
	}
	tags, err := s.Tags(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(tags, func(i, j int) bool { return tags[i].ID < tags[j].ID })
	for _, g := range tags {
		fmt.Fprintf(b, "tag %d %s name=%q\n", g.ID, g.Slug, g.Name)
	}
	articles, err := s.ListArticles(ctx, store.ArticleQuery{Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(articles, func(i, j int) bool { return articles[i].ID < articles[j].ID })
	for _, a := range articles {
		published := "-"
		if a.PublishedAt != nil {
			published = stamp(*a.PublishedAt)
		}
		var terms []string
		for _, c := range a.Categories {
			terms = append(terms, "c:"+c.Slug)
		}
		for _, g := range a.Tags {
			terms = append(terms, "t:"+g.Slug)
		}
		fmt.Fprintf(b, "article %d %s\n  title=%q\n  status=%s author=%s published=%s created=%s updated=%s comments_open=%t comment_count=%d\n",
			a.ID, a.Slug, a.Title, a.Status, slugOf[a.AuthorID], published, stamp(a.CreatedAt), stamp(a.UpdatedAt), a.CommentsOpen, a.CommentCount)
		fmt.Fprintf(b, "  terms=%s\n  image=%q alt=%q caption=%q\n  excerpt=%q\n", strings.Join(terms, " "), a.Image.URL, a.Image.Alt, a.Image.Caption, a.Excerpt)
		guid := a.GUID
		if strings.HasPrefix(guid, "urn:uuid:") {
			guid = "urn:uuid:(new)" // random
		}
		fmt.Fprintf(b, "  guid=%q\n", guid)
		b.WriteString(indent("  body| ", a.Body))
		comments, err := s.ArticleComments(ctx, a.ID, model.CommentApproved, model.CommentPending, model.CommentSpam, model.CommentTrash)
		if err != nil {
			t.Fatal(err)
		}
		sort.Slice(comments, func(i, j int) bool { return comments[i].ID < comments[j].ID })
		for _, c := range comments {
			parent := int64(0)
			if c.ParentID != nil {
				parent = *c.ParentID
			}
			fmt.Fprintf(b, "  comment %d parent=%d status=%s created=%s author=%q email=%q url=%q\n", c.ID, parent, c.Status, stamp(c.CreatedAt), c.AuthorName, c.AuthorEmail, c.AuthorURL)
			b.WriteString(indent("    text| ", c.Body))
		}
	}
	pages, err := s.ListPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].ID < pages[j].ID })
	for _, p := range pages {
		fmt.Fprintf(b, "page %d %s\n  title=%q\n  status=%s position=%d created=%s updated=%s\n", p.ID, p.Slug, p.Title, p.Status, p.Position, stamp(p.CreatedAt), stamp(p.UpdatedAt))
		b.WriteString(indent("  body| ", p.Body))
	}
	rows, err := s.DB().QueryContext(ctx, `SELECT key, value FROM kv WHERE key LIKE 'wxr:%'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var kv []string
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		kv = append(kv, "kv "+k+" = "+v+"\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(kv)
	b.WriteString(strings.Join(kv, ""))
	redirects, err := s.ListRedirects(ctx, store.RedirectQuery{Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range redirects {
		target := r.To
		if r.ArticleID != nil {
			target = fmt.Sprintf("article %d (%s)", *r.ArticleID, r.To)
		}
		if r.PageID != nil {
			target = fmt.Sprintf("page %d (%s)", *r.PageID, r.To)
		}
		fmt.Fprintf(b, "redirect %s -> %s [%s]\n", r.From, target, r.Source)
	}
}

// indent writes each line of s after prefix.
func indent(prefix, s string) string {
	if s == "" {
		return prefix + "\n"
	}
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix) + "\n"
}

// golden compares got with testdata/golden/name, or writes it there. A
// difference shows the first line that differs.
func golden(t *testing.T, name string, got []byte, write bool) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if write {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl || i >= len(g) || i >= len(w) {
			t.Fatalf("%s differs from the golden file (go test -update rewrites it) at line %d:\n got: %q\nwant: %q", name, i+1, gl, wl)
		}
	}
}

// An export that fails on the way writes nothing: the document is built
// in memory and written whole.
func TestExportFailureWritesNothing(t *testing.T) {
	doc := load(t, "small.xml")
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		if _, err := wxr.Import(ctx, jan2026(s), doc, opts); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		err := wxr.Export(ctx, commentsFail{s}, &out, wxr.ExportOptions{})
		if err == nil || err.Error() != "disk on fire" || out.Len() != 0 {
			t.Errorf("err = %v, %d bytes written", err, out.Len())
		}
	})
}

// commentsFail fails to read the comments of the last article.
type commentsFail struct{ *sqlstore.Store }

func (s commentsFail) ArticleComments(ctx context.Context, articleID int64, statuses ...model.CommentStatus) ([]*model.Comment, error) {
	if articleID == 4 {
		return nil, errors.New("disk on fire")
	}
	return s.Store.ArticleComments(ctx, articleID, statuses...)
}
