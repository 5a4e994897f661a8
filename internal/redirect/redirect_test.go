package redirect_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/redirect"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
	"warta/internal/valid"
)

var july = time.Date(2024, 7, 24, 7, 30, 0, 0, time.UTC)

func setup(t *testing.T, s *sqlstore.Store) (*redirect.Service, *sqlstore.Store, *[]event.Event) {
	t.Helper()
	now := func() time.Time { return july }
	st := s.WithClock(now)
	var got []event.Event
	bus := &event.Bus{}
	bus.Subscribe(func(_ context.Context, e event.Event) { got = append(got, e) })
	return redirect.New(st, bus, now), st, &got
}

// TestKey pins the form old addresses are kept and looked up under.
func TestKey(t *testing.T) {
	for in, want := range map[string]string{
		"https://old.example/2010/10/05/hello-world/": "/2010/10/05/hello-world",
		"https://old.example/?p=358":                  "/?p=358",
		"/?page_id=2&preview=true":                    "/?page_id=2",
		"/?utm_source=x&cat=7":                        "/?cat=7",
		"/about/":                                     "/about",
		"/":                                           "/",
		"":                                            "/",
		"https://old.example//greek/%ce%b5%cf%80%ce%af/":  "/greek/επί",
		"/category/parent/child///":                       "/category/parent/child",
		"/?s=banjir":                                      "/",
		"https://old.example/2010/10/slug/#comment-3":     "/2010/10/slug",
		"https://old.example/?p=12#respond":               "/?p=12",
		"/tag/musim%20hujan/":                             "/tag/musim hujan",
		"https://old.example/blog/2010/10/05/hello-world": "/blog/2010/10/05/hello-world",
	} {
		if got := redirect.Key(in); got != want {
			t.Errorf("Key(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPutResolveDelete: an editor's redirect answers its old address
// (with or without a trailing slash), a chain that would loop is refused,
// and bad addresses are refused field by field.
func TestPutResolveDelete(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		svc, st, events := setup(t, s)
		editor := &model.User{ID: 1, Role: model.RoleEditor}
		r, err := svc.Put(ctx, editor, 0, redirect.Input{From: "/lama/", To: "/baru"})
		if err != nil {
			t.Fatal(err)
		}
		if r.From != "/lama" || r.To != "/baru" || r.Source != model.RedirectManual || !r.CreatedAt.Equal(july) {
			t.Fatalf("stored %+v", r)
		}
		if len(*events) != 1 || (*events)[0] != (event.RedirectChanged{From: "/lama"}) {
			t.Fatalf("events %v", *events)
		}
		for _, c := range []struct{ path, query, want string }{
			{"/lama", "", "/baru"},
			{"/lama/", "", "/baru"},
			{"/tidak-ada", "", ""},
			{"/tidak-ada/", "x=1", "/tidak-ada?x=1"},
			{"/", "s=banjir+bandang", "/cari?q=banjir+bandang"},
			{"/", "feed=rss2", "/feed.xml"},
			{"/", "feed=atom", "/atom.xml"},
			{"/", "feed=comments-rss2", "/komentar/feed.xml"},
			{"/", "paged=3", "/?page=3"},
			{"/", "p=999", ""},
			{"/", "tag=banjir", "/tag/banjir"},
			{"/", "page=2", ""},
			{"/feed/", "", "/feed.xml"},
			{"/feed/atom/", "", "/atom.xml"},
			{"/comments/feed/", "", "/komentar/feed.xml"},
			{"/lama/feed/", "", "/baru/feed.xml"},
			{"/page/2/", "", "/?page=2"},
			{"/lama/page/3", "", "/baru?page=3"},
		} {
			if got := svc.Resolve(ctx, c.path, c.query); got != c.want {
				t.Errorf("Resolve(%q, %q) = %q, want %q", c.path, c.query, got, c.want)
			}
		}
		// Changing the redirect keeps its old address; a loop is refused.
		if _, err := svc.Put(ctx, editor, 0, redirect.Input{From: "/baru", To: "/lama"}); !hasField(err, "to", "loop") {
			t.Errorf("loop: %v", err)
		}
		if _, err := svc.Put(ctx, editor, 0, redirect.Input{From: "/sendiri", To: "/sendiri/"}); !hasField(err, "to", "loop") {
			t.Errorf("self loop: %v", err)
		}
		if _, err := svc.Put(ctx, editor, 0, redirect.Input{From: "/tengah", To: "/lama"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Put(ctx, editor, 0, redirect.Input{From: "/baru", To: "/tengah"}); !hasField(err, "to", "loop") {
			t.Errorf("loop over two hops: %v", err)
		}
		for _, c := range []struct {
			in          redirect.Input
			field, code string
		}{
			{redirect.Input{From: "", To: "/x"}, "from", "required"},
			{redirect.Input{From: "/x", To: ""}, "to", "required"},
			{redirect.Input{From: "/", To: "/x"}, "from", "invalid"},
			{redirect.Input{From: "/admin/login", To: "/x"}, "from", "invalid"},
			{redirect.Input{From: "/x", To: "javascript:alert(1)"}, "to", "invalid"},
			{redirect.Input{From: "/x", To: "//evil.example/"}, "to", "invalid"},
			{redirect.Input{From: "/x", To: "/a b"}, "to", "invalid"},
		} {
			if _, err := svc.Put(ctx, editor, 0, c.in); !hasField(err, c.field, c.code) {
				t.Errorf("%+v: %v, want %s %s", c.in, err, c.field, c.code)
			}
		}
		if _, err := svc.Put(ctx, &model.User{ID: 2, Role: model.RoleAuthor}, 0, redirect.Input{From: "/x", To: "/y"}); !errors.Is(err, valid.ErrForbidden) {
			t.Errorf("author: %v", err)
		}
		if _, err := svc.Put(ctx, editor, r.ID, redirect.Input{From: "/tengah", To: "/x"}); !hasField(err, "from", "conflict") {
			t.Errorf("another redirect's old address: %v", err)
		}
		// Changing redirect r's old address moves it, under the same id.
		moved, err := svc.Put(ctx, editor, r.ID, redirect.Input{From: "/lebih-lama", To: "https://arsip.example/baru"})
		if err != nil || moved.ID != r.ID {
			t.Fatalf("moved %+v %v", moved, err)
		}
		if _, err := st.RedirectFrom(ctx, "/lama"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("old address kept: %v", err)
		}
		if got := svc.Resolve(ctx, "/lebih-lama", ""); got != "https://arsip.example/baru" {
			t.Errorf("moved redirect: %q", got)
		}
		if err := svc.Delete(ctx, editor, moved.ID); err != nil {
			t.Fatal(err)
		}
		if got := svc.Resolve(ctx, "/lebih-lama", ""); got != "" {
			t.Errorf("deleted redirect still answers %q", got)
		}
		if n, err := st.CountRedirects(ctx, store.RedirectQuery{}); err != nil || n != 1 {
			t.Errorf("count %d %v", n, err)
		}
	})
}

// TestRedirectFollowsArticle: a redirect to an article goes to where the
// article lives now, and to nothing once readers cannot see it.
func TestRedirectFollowsArticle(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		svc, st, _ := setup(t, s)
		u := &model.User{Email: "a@example.com", Name: "A", Slug: "a", Role: model.RoleAuthor}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		pub := july.Add(-time.Hour)
		a := &model.Article{Title: "Judul", Slug: "judul", Body: "Isi", BodyHTML: "<p>Isi</p>", Status: model.StatusPublished,
			PublishedAt: &pub, AuthorID: u.ID}
		if err := st.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		if n, err := svc.Imported(ctx, []model.Redirect{
			{From: "/2024/07/24/judul", To: "/2024/07/judul", ArticleID: &a.ID},
			{From: "/2024/07/judul", To: "/2024/07/judul", ArticleID: &a.ID}, // the new address itself
			{From: "/", To: "/2024/07/judul", ArticleID: &a.ID},
		}); err != nil || n != 1 {
			t.Fatalf("imported %d, %v", n, err)
		}
		if got := svc.Resolve(ctx, "/2024/07/24/judul/", ""); got != "/2024/07/judul" {
			t.Errorf("old address: %q", got)
		}
		a.Slug = "judul-baru"
		if err := st.UpdateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		if got := svc.Resolve(ctx, "/2024/07/24/judul/", ""); got != "/2024/07/judul-baru" {
			t.Errorf("after the slug changed: %q", got)
		}
		if got := svc.Resolve(ctx, "/2024/07/judul", ""); got != "/2024/07/judul-baru" {
			t.Errorf("the article's own old address: %q", got)
		}
		a.Status, a.PublishedAt = model.StatusDraft, nil
		if err := st.UpdateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		if got := svc.Resolve(ctx, "/2024/07/24/judul", ""); got != "" {
			t.Errorf("a draft: %q", got)
		}
	})
}

func hasField(err error, field, code string) bool {
	es, ok := valid.As(err)
	if !ok {
		return false
	}
	e := es.Field(field)
	return e != nil && e.Code == code
}
