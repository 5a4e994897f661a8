package app_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

const story = "/2024/07/pekerja-migran-hongkong-berburu-kos-antar-kontrak"

// hit fetches path twice and reports whether the second answer came from
// the page cache.
func cached(s *testutil.Site, path string) bool {
	s.Get(path)
	return s.Get(path).Header.Get("X-Cache") == "HIT"
}

// TestEveryChangeRefreshesCachedPages proves no page stays stale after an
// edit, a comment approval, a scheduled article going live, a settings or
// a taxonomy change; and that personal answers are never cached.
func TestEveryChangeRefreshesCachedPages(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		clock := testutil.NewClock(time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC))
		s := testutil.StartSite(t, st, testutil.SiteOptions{Demo: true, Now: clock.Now})
		admin := s.Token(model.RoleAdmin)
		pages := []string{"/", story, "/kategori/info-kosan", "/tag/hongkong", "/feed.xml", "/sitemap.xml", "/2024/07/"}
		for _, p := range pages {
			if !cached(s, p) {
				t.Fatalf("%s is not served from the cache", p)
			}
		}
		id := articleID(t, s, admin, "Hongkong Berburu")
		// Another story whose related list shows this one: its card is
		// kept rendered, and must change too.
		var other string
		for _, m := range regexp.MustCompile(`href="(/20\d\d/\d\d/[^"#?]+)"`).FindAllStringSubmatch(s.Get("/").Body, -1) {
			if m[1] == story {
				continue
			}
			if body := s.Get(m[1]).Body; strings.Contains(body, `class="related"`) && strings.Contains(body, `href="`+story+`"`) {
				other = m[1]
				break
			}
		}
		if other == "" {
			t.Fatal("no story lists the edited one among its related stories")
		}
		cached(s, other)

		// An edit shows everywhere at once.
		s.Do("PATCH", "/api/v1/articles/"+id, admin, map[string]any{"title": "Judul Baru Soal Kos di Hongkong"})
		for _, p := range []string{"/", story, other, "/kategori/info-kosan", "/tag/hongkong", "/feed.xml", "/2024/07/"} {
			if !strings.Contains(s.Get(p).Body, "Judul Baru Soal Kos di Hongkong") {
				t.Errorf("%s is stale after an edit", p)
			}
		}

		// A comment approval shows on the article page.
		cached(s, story)
		tok := regexp.MustCompile(`name="token" value="([^"]+)"`).FindStringSubmatch(s.Get(story).Body)[1]
		clock.Advance(10 * time.Second)
		r := s.Do("POST", story, "", url.Values{"name": {"Rina"}, "email": {"rina@example.com"}, "body": {"Semoga cepat ada solusi."}, "token": {tok}})
		if r.Status != 303 {
			t.Fatalf("comment: %d", r.Status)
		}
		// The author's own view of the pending comment is never cached.
		own := strings.SplitN(r.Header.Get("Location"), "#", 2)[0]
		if cached(s, own) {
			t.Error("a page with the reader's own pending comment was cached")
		}
		if strings.Contains(s.Get(story).Body, "Semoga cepat ada solusi") {
			t.Fatal("a pending comment is on the public page")
		}
		var list struct{ Items []model.Comment }
		s.Do("GET", "/api/v1/comments?status=pending", admin, nil).JSON(t, &list)
		s.Do("POST", "/api/v1/comments/"+strconv.FormatInt(list.Items[0].ID, 10)+"/approve", admin, nil)
		if !strings.Contains(s.Get(story).Body, "Semoga cepat ada solusi") {
			t.Error("the article page is stale after a comment approval")
		}

		// A scheduled article appears when its time comes.
		when := clock.Now().Add(time.Hour)
		s.Do("POST", "/api/v1/articles", admin, map[string]any{"title": "Terbit Nanti Siang", "body": "Isi.", "status": "scheduled",
			"published_at": when.Format(time.RFC3339), "categories": []string{"Info Kosan"}})
		cached(s, "/")
		clock.Advance(61 * time.Minute)
		if _, err := s.App.Articles.PublishDue(context.Background()); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"/", "/kategori/info-kosan", "/feed.xml"} {
			if !strings.Contains(s.Get(p).Body, "Terbit Nanti Siang") {
				t.Errorf("%s is stale after a scheduled article went live", p)
			}
		}

		// Settings change every page.
		cached(s, story)
		s.Do("PATCH", "/api/v1/settings", admin, map[string]any{"site_name": "Kabar Kos"})
		for _, p := range pages {
			if p == "/sitemap.xml" {
				continue // names no site
			}
			if !strings.Contains(s.Get(p).Body, "Kabar Kos") {
				t.Errorf("%s is stale after a settings change", p)
			}
		}

		// An author renamed in the newsroom: every byline changes at once.
		ctx := context.Background()
		a, err := st.ArticleBySlug(ctx, strings.TrimPrefix(story, "/2024/07/"))
		if err != nil || a.Author == nil {
			t.Fatalf("the story's author: %v", err)
		}
		author, err := st.UserByID(ctx, a.Author.ID)
		if err != nil {
			t.Fatal(err)
		}
		s.User(model.RoleAdmin, "pemimpin-redaksi@example.com")
		nr := s.Login(t, "pemimpin-redaksi@example.com", "rahasia-sekali")
		cached(s, story)
		cached(s, "/penulis/"+author.Slug)
		r = nr.Post("/admin/users/"+strconv.FormatInt(author.ID, 10), url.Values{"email": {author.Email}, "name": {"Dewi Nama Baru"},
			"role": {string(author.Role)}, "language": {author.Language}, "bio": {author.Bio}, "active": {"1"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("renaming the author: %d", r.Status)
		}
		for _, p := range []string{story, "/penulis/" + author.Slug} {
			if !strings.Contains(s.Get(p).Body, "Dewi Nama Baru") {
				t.Errorf("%s is stale after its author was renamed", p)
			}
		}

		// A form that came back with errors is not cached.
		clock.Advance(20 * time.Second)
		bad := s.Do("POST", story, "", url.Values{"name": {""}, "email": {"x"}, "body": {"x"}, "token": {tok}})
		if bad.Status != 422 || bad.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("error form: %d, Cache-Control %q", bad.Status, bad.Header.Get("Cache-Control"))
		}
		// A logged-in editor's requests bypass the cache.
		s.Client.Jar.SetCookies(mustURL(s.URL), []*http.Cookie{{Name: "warta_session", Value: "x"}})
		if r := s.Get("/"); r.Header.Get("X-Cache") == "HIT" {
			t.Error("a request with a session cookie was answered from the cache")
		}
	})
}

// TestInvalidationReachesOtherInstances runs two instances on one
// PostgreSQL: a change made on one refreshes the other's cached pages.
func TestInvalidationReachesOtherInstances(t *testing.T) {
	dbURL := testutil.PostgresURL(t)
	open := func() *sqlstore.Store {
		st, err := sqlstore.Open(context.Background(), "", dbURL, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	a := testutil.StartSite(t, open(), testutil.SiteOptions{Demo: true, DatabaseURL: dbURL})
	b := testutil.StartSite(t, open(), testutil.SiteOptions{DatabaseURL: dbURL})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	for _, s := range []*testutil.Site{a, b} {
		if err := testutil.JoinCluster(ctx, s.App); err != nil {
			t.Fatal(err)
		}
	}
	if !cached(b, "/") || !cached(b, story) {
		t.Fatal("instance b does not cache")
	}
	admin := a.Token(model.RoleAdmin)
	id := articleID(t, a, admin, "Hongkong Berburu")
	a.Do("PATCH", "/api/v1/articles/"+id, admin, map[string]any{"title": "Kabar dari Instansi Lain"})
	// NOTIFY is delivered asynchronously: allow it a moment to arrive.
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(b.Get("/").Body, "Kabar dari Instansi Lain") {
		if time.Now().After(deadline) {
			t.Fatal("instance b still serves the old home page")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(b.Get(story).Body, "Kabar dari Instansi Lain") {
		t.Error("instance b's article page is stale")
	}
}

func articleID(t *testing.T, s *testutil.Site, tok, q string) string {
	var l struct{ Items []struct{ ID int64 } }
	s.Do("GET", "/api/v1/articles?q="+url.QueryEscape(q), tok, nil).JSON(t, &l)
	if len(l.Items) != 1 {
		t.Fatalf("article %q: %d found", q, len(l.Items))
	}
	return strconv.FormatInt(l.Items[0].ID, 10)
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// TestThemeFolderOverrides: a theme folder replaces a template, a static
// file and a translation, without touching the rest.
func TestThemeFolderOverrides(t *testing.T) {
	theme := t.TempDir()
	for name, body := range map[string]string{
		"templates/page.html":  `{{define "main"}}<article class="custom">TEMA KHUSUS {{.Page.Title}}</article>{{end}}`,
		"static/style.css":     `body { color: rebeccapurple; }`,
		"translations/id.json": `{"home.latest": "Kabar Paling Baru"}`,
	} {
		p := theme + "/" + name
		if err := os.MkdirAll(p[:strings.LastIndex(p, "/")], 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s := testutil.StartSite(t, testutil.NewSQLite(t), testutil.SiteOptions{Demo: true, Theme: theme})
	if !strings.Contains(s.Get("/tentang-kami").Body, "TEMA KHUSUS Tentang Kami") {
		t.Error("theme template not used")
	}
	home := s.Get("/").Body
	if !strings.Contains(home, "Kabar Paling Baru") {
		t.Error("theme translation not used")
	}
	css := regexp.MustCompile(`href="(/static/[0-9a-f]+/style\.css)"`).FindStringSubmatch(home)
	if css == nil || !strings.Contains(s.Get(css[1]).Body, "rebeccapurple") {
		t.Error("theme stylesheet not used")
	}
}
