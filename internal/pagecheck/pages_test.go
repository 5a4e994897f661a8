package pagecheck_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"warta/internal/article"
	"warta/internal/model"
	"warta/internal/pagecheck"
	"warta/internal/testutil"
	"warta/internal/testutil/browser"
)

const (
	storySlug = "pekerja-migran-hongkong-berburu-kos-antar-kontrak"
	storyPath = "/2024/07/" + storySlug
	password  = "rahasia-sekali"
)

// widths are the two layouts every page is checked in: a common phone
// (touch, meta viewport honoured) and a common laptop.
var widths = []struct {
	name  string
	w, h  int
	phone bool
}{{"1366", 1366, 900, false}, {"390", 390, 844, true}}

// pageCase is one page type: where it is, whether it needs the newsroom
// login, and the status it answers with.
type pageCase struct {
	name, path string
	newsroom   bool
	status     int
}

// TestEveryPage visits every page type of the reader's site and of the
// newsroom in a real headless Chromium, at 1366 and 390 px, and asks
// axe-core (WCAG 2.2 AA and best practices) and the Nu HTML Checker for
// their verdict: no violation and no error anywhere. At 390 px no page may
// be wider than the screen. Screenshots of every page at both widths go
// to the artifacts (artifacts/pages/NAME-WIDTH.png).
//
// One database is enough here: what is checked is the markup, which the
// store tests prove the same on both.
func TestEveryPage(t *testing.T) {
	tools := pagecheck.Find(t)
	b := browser.New(t)
	clock := testutil.NewClock(time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC))
	site := testutil.StartSite(t, testutil.NewSQLite(t), testutil.SiteOptions{Demo: true, Now: clock.Now})
	ctx := context.Background()
	st := site.App.Store

	// An article with a conversation on it, and a comment waiting in the
	// moderation queue.
	story, err := st.ArticleBySlug(ctx, storySlug)
	if err != nil {
		t.Fatal(err)
	}
	first := &model.Comment{ArticleID: story.ID, AuthorName: "Lestari", AuthorEmail: "lestari@example.com",
		Body: "Di Tsuen Wan harga kamar juga naik sejak musim panas.", Status: model.CommentApproved, CreatedAt: clock.Now().Add(-3 * time.Hour)}
	if err := st.CreateComment(ctx, first, ""); err != nil {
		t.Fatal(err)
	}
	reply := &model.Comment{ArticleID: story.ID, ParentID: &first.ID, AuthorName: "Yuni", AuthorEmail: "yuni@example.com",
		AuthorURL: "https://yuni.example/", Body: "Betul, teman saya pindah ke Yuen Long karena itu.", Status: model.CommentApproved,
		CreatedAt: clock.Now().Add(-2 * time.Hour)}
	if err := st.CreateComment(ctx, reply, ""); err != nil {
		t.Fatal(err)
	}
	waiting := &model.Comment{ArticleID: story.ID, AuthorName: "Dimas", AuthorEmail: "dimas@example.com",
		Body: "Apakah ada daftar agen yang terpercaya?", Status: model.CommentPending, CreatedAt: clock.Now().Add(-time.Hour)}
	if err := st.CreateComment(ctx, waiting, ""); err != nil {
		t.Fatal(err)
	}
	admin := site.User(model.RoleAdmin, "admin@example.com")

	// An article as imported from WordPress often is: headings that start
	// at level three and skip one, and a table whose corner cell is empty.
	r := site.Do("POST", "/api/v1/articles", site.Token(model.RoleEditor), map[string]any{
		"title": "Harga Beras di Tiga Pasar", "status": "published", "categories": []string{"Ekonomi"},
		"body": "Harga beras medium pekan ini:\n\n### Pasar\n\n| | Senin | Kamis |\n|---|--:|--:|\n| Terong | 12.500 | 12.800 |\n| Pabaeng-baeng | 12.400 | 12.400 |\n\n" +
			"##### Catatan\n\nHarga per kilogram, dicatat pagi hari.",
	})
	var imported struct {
		URL string `json:"url"`
	}
	r.JSON(t, &imported)
	if r.Status != http.StatusCreated {
		t.Fatalf("create the table article: %d %s", r.Status, r.Body)
	}

	// A draft shared through a signed preview link.
	draft := "Rencana Relokasi Pasar Lama"
	draftBody := "Draf yang masih diperiksa."
	drafted, err := site.App.Articles.Create(ctx, admin, article.Input{Title: &draft, Body: &draftBody})
	if err != nil {
		t.Fatal(err)
	}
	link, err := site.App.Previews.Create(ctx, admin, drafted.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}

	// Addresses of single items in the newsroom, as its lists link them.
	nr := site.Login(t, admin.Email, password)
	firstLink := func(list, pattern string) string {
		t.Helper()
		m := regexp.MustCompile(pattern).FindString(nr.Get(list).Body)
		if m == "" {
			t.Fatalf("%s links no %s", list, pattern)
		}
		return m
	}

	pages := []pageCase{
		{name: "home", path: "/"},
		{name: "article", path: storyPath},
		{name: "article-table", path: strings.TrimPrefix(imported.URL, site.URL)},
		{name: "category", path: "/kategori/info-kosan"},
		{name: "tag", path: "/tag/kos"},
		{name: "author", path: "/penulis/redaksi"},
		{name: "archive", path: "/2026/11/"},
		{name: "search", path: "/cari?q=kos"},
		{name: "search-empty", path: "/cari?q=zeppelin"},
		{name: "not-found", path: "/tidak-ada-halaman-ini", status: http.StatusNotFound},
		{name: "static-page", path: "/tentang-kami"},
		{name: "corrections", path: "/ralat"},
		{name: "login", path: "/admin/login"},
		{name: "forgot-password", path: "/admin/lupa-sandi"},
		{name: "dashboard", path: "/admin/", newsroom: true},
		{name: "articles", path: "/admin/articles", newsroom: true},
		{name: "editor", path: fmt.Sprintf("/admin/articles/%d", story.ID), newsroom: true},
		{name: "editor-new", path: "/admin/articles/new", newsroom: true},
		{name: "media", path: "/admin/media", newsroom: true},
		{name: "moderation", path: "/admin/comments", newsroom: true},
		{name: "settings", path: "/admin/settings", newsroom: true},
		{name: "users", path: "/admin/users", newsroom: true},
		{name: "user", path: fmt.Sprintf("/admin/users/%d", admin.ID), newsroom: true},
		{name: "user-new", path: "/admin/users/new", newsroom: true},
		{name: "media-item", path: firstLink("/admin/media", `/admin/media/[0-9]+`), newsroom: true},
		{name: "comment-edit", path: fmt.Sprintf("/admin/comments/%d", waiting.ID), newsroom: true},
		{name: "revisions", path: fmt.Sprintf("/admin/articles/%d/revisions", story.ID), newsroom: true},
		{name: "pages", path: "/admin/pages", newsroom: true},
		{name: "page-editor", path: firstLink("/admin/pages", `/admin/pages/[0-9]+`), newsroom: true},
		{name: "categories", path: "/admin/categories", newsroom: true},
		{name: "category-edit", path: firstLink("/admin/categories", `/admin/categories/[0-9]+`), newsroom: true},
		{name: "tags", path: "/admin/tags", newsroom: true},
		{name: "redirects", path: "/admin/redirects", newsroom: true},
		{name: "search-variants", path: "/admin/search-variants", newsroom: true},
		{name: "reports", path: "/admin/laporan", newsroom: true},
		{name: "tokens", path: "/admin/tokens", newsroom: true},
		{name: "account", path: "/admin/account", newsroom: true},
		{name: "password", path: "/admin/account/password", newsroom: true},
		{name: "two-factor", path: "/admin/account/2fa", newsroom: true},
		{name: "sessions", path: "/admin/account/sessions", newsroom: true},
		{name: "user-sessions", path: fmt.Sprintf("/admin/users/%d/sessions", admin.ID), newsroom: true},
		{name: "preview-link", path: link.Path},
		{name: "page-new", path: "/admin/pages/new", newsroom: true},
		{name: "mail", path: "/admin/mail", newsroom: true},
	}

	type result struct {
		name string
		vnu  int
		axe  map[string]int
	}
	var results []*result
	docs := map[string][]byte{}
	loggedIn := false
	for _, pc := range pages {
		if pc.newsroom && !loggedIn {
			p := b.Open(t, site.URL+"/admin/login")
			p.Fill("#email", admin.Email)
			p.Fill("#password", password)
			p.Submit("form.stack")
			if !strings.HasSuffix(p.URL(), "/admin/") {
				t.Fatalf("login ended at %s", p.URL())
			}
			loggedIn = true
		}
		want := pc.status
		if want == 0 {
			want = http.StatusOK
		}
		p := b.Open(t, site.URL+pc.path)
		if p.Status() != want {
			t.Errorf("%s (%s): status %d, want %d", pc.name, pc.path, p.Status(), want)
		}
		if errs := p.ConsoleErrors(); len(errs) > 0 && want == http.StatusOK {
			t.Errorf("%s: console errors: %q", pc.name, errs)
		}
		// The bytes the server sends, for the HTML checker: fetched by the
		// page itself, so with the newsroom's cookies.
		docs[pc.name] = []byte(p.Eval("fetching the page's HTML", `fetch(location.href, {credentials: "same-origin"}).then(r => r.text())`))
		r := &result{name: pc.name, axe: map[string]int{}}
		results = append(results, r)
		for _, w := range widths {
			if w.phone {
				p.SetMobileViewport(w.w, w.h)
			} else {
				p.SetViewport(w.w, w.h)
			}
			for _, v := range tools.Axe(p) {
				r.axe[w.name] += len(v.Nodes)
				t.Errorf("%s at %s px: axe: %s", pc.name, w.name, v)
			}
			if w.phone {
				if sw := p.Int("document.documentElement.scrollWidth"); sw > w.w {
					t.Errorf("%s at %d px is %d px wide; sticking out: %s", pc.name, w.w, sw, p.Eval("what sticks out", overflowJS))
				}
			}
			p.Screenshot(t, "pages/"+pc.name+"-"+w.name)
		}
	}

	// Rules of html-validate that vnu does not enforce: every input says
	// its type, and every option is closed.
	for name, doc := range docs {
		for _, m := range untypedInputs(doc) {
			t.Errorf("%s: an input without a type: %s", name, m)
		}
		for _, m := range openOption.FindAllString(string(doc), -1) {
			t.Errorf("%s: an option closed implicitly: %s", name, m)
		}
	}

	for name, msgs := range tools.VNU(t, docs) {
		for _, r := range results {
			if r.name == name {
				r.vnu = len(msgs)
			}
		}
		for _, m := range msgs {
			t.Errorf("%s: vnu: %s", name, m)
		}
	}

	var table strings.Builder
	fmt.Fprintf(&table, "%-14s %5s %9s %8s\n", "page", "vnu", "axe@1366", "axe@390")
	for _, r := range results {
		fmt.Fprintf(&table, "%-14s %5d %9d %8d\n", r.name, r.vnu, r.axe["1366"], r.axe["390"])
	}
	t.Logf("errors and violations per page (axe counts elements):\n%s", table.String())
}

var (
	openOption = regexp.MustCompile(`<option\b[^>]*>[^<]*<(?:option|/select|/datalist|/optgroup)\b`)
)

// untypedInputs names the inputs of doc that have no type attribute.
func untypedInputs(doc []byte) []string {
	root, err := html.Parse(bytes.NewReader(doc))
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	for n := range root.Descendants() {
		if n.Type != html.ElementNode || n.DataAtom != atom.Input {
			continue
		}
		typed, name := false, ""
		for _, a := range n.Attr {
			typed = typed || a.Key == "type"
			if a.Key == "name" || (a.Key == "id" && name == "") {
				name = a.Key + "=" + a.Val
			}
		}
		if !typed {
			out = append(out, name)
		}
	}
	return out
}

// overflowJS names the elements that reach past the right edge of the
// viewport while their parent does not: where a too-wide page starts.
const overflowJS = `(() => {
	const w = document.documentElement.clientWidth, out = [];
	for (const e of document.body.querySelectorAll("*")) {
		const r = e.getBoundingClientRect(), pr = e.parentElement.getBoundingClientRect();
		if (r.right > w + 1 && pr.right <= w + 1) {
			out.push(e.localName + (e.id ? "#" + e.id : "") + (e.className && typeof e.className == "string" ? "." + e.className.trim().split(/\s+/).join(".") : "") + " (" + Math.round(r.right) + " px)");
		}
	}
	return out.slice(0, 5).join(", ") || "nothing visible";
})()`

// TestMarkupRules proves the two html-validate rules above find what they
// look for, and only that.
func TestMarkupRules(t *testing.T) {
	doc := []byte(`<!DOCTYPE html><title>x</title><input id="a" name="q" value="type"><input type="text" name="b">` +
		`<select><option value="1">Satu<option value="2">Dua</option></select><datalist id="z"><option value="Asia/Jakarta"></datalist>`)
	if got := untypedInputs(doc); len(got) != 1 || got[0] != "name=q" {
		t.Errorf("untypedInputs = %q, want [name=q]", got)
	}
	got := openOption.FindAllString(string(doc), -1)
	want := []string{`<option value="1">Satu<option`, `<option value="Asia/Jakarta"></datalist`}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("openOption found %q, want %q", got, want)
	}
}
