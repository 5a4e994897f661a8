package admin_test

import (
	"cmp"
	"context"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"warta/internal/article"
	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/testutil"
)

var (
	rowLink     = regexp.MustCompile(`<td class="title"><a href="/admin/articles/(\d+)">`)
	sortHeading = regexp.MustCompile(`<th scope="col" class="sortable"[^>]*>.*?</th>`)
)

// rows lists the ids of the articles a list page shows, in its order.
func rows(t *testing.T, r *testutil.Response) []int64 {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Fatalf("list: %d\n%s", r.Status, r.Body)
	}
	var ids []int64
	for _, m := range rowLink.FindAllStringSubmatch(r.Body, -1) {
		ids = append(ids, atoi(m[1]))
	}
	return ids
}

func ids(list []*model.Article) []int64 {
	var out []int64
	for _, a := range list {
		out = append(out, a.ID)
	}
	return out
}

// listDate is the date the list shows and sorts by.
func listDate(a *model.Article) time.Time {
	if a.PublishedAt != nil {
		return *a.PublishedAt
	}
	return a.UpdatedAt
}

// newestFirst is the list's default order, and its tie-break.
func newestFirst(a, b *model.Article) int {
	if c := listDate(b).Compare(listDate(a)); c != 0 {
		return c
	}
	return cmp.Compare(b.ID, a.ID)
}

// The article list is in date order, newest first, by the date that
// matters (publication or schedule, else the last change), and sorts by
// title, author, status or date either way through plain links that keep
// the filters, with aria-sort on the sorted column and pages that follow
// the sort.
func TestArticleListSort(t *testing.T) {
	t.Parallel()
	st := testutil.NewSQLite(t)
	n := start(t, st)
	ctx := context.Background()
	// Articles written over a few hours, some at the same minute; the
	// oldest-written is scheduled for next week, so it comes first.
	sched := time.Date(2026, 12, 7, 7, 30, 0, 0, time.UTC) // 14.30 in Jakarta
	title, body, status := "Pelabuhan Dibuka Pekan Depan", "Isi.", model.StatusScheduled
	if _, err := n.App.Articles.Create(ctx, n.users[model.RoleEditor], article.Input{Title: &title, Body: &body, Status: &status, PublishedAt: &sched}); err != nil {
		t.Fatal(err)
	}
	authors := []*model.User{n.users[model.RoleAuthor], n.users[model.RoleEditor], n.users[model.RoleContributor]}
	statuses := []model.Status{model.StatusDraft, model.StatusPublished, model.StatusPending}
	for i := range 24 {
		if i%3 != 2 {
			n.clock.Advance(7 * time.Minute)
		}
		au := authors[i%3]
		st := statuses[(i/3)%3]
		if au.Role == model.RoleContributor && st == model.StatusPublished {
			st = model.StatusDraft
		}
		n.article(t, au, []string{"Zona Merah", "banjir Rob", "Apel Pagi", "Jalan Tol"}[i%4]+" "+strconv.Itoa(i), st)
	}
	all, err := st.ListArticles(ctx, store.ArticleQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) <= 20 {
		t.Fatalf("only %d articles: too few for two pages", len(all))
	}
	ed := n.login(t, model.RoleEditor)

	// The default: newest first, on every page.
	want := slices.Clone(all)
	slices.SortFunc(want, newestFirst)
	if want[0].Title != "Pelabuhan Dibuka Pekan Depan" {
		t.Fatalf("the scheduled article is not the newest: %s", want[0].Title)
	}
	first := ed.Get("/admin/articles")
	if got := rows(t, first); !slices.Equal(got, ids(want[:20])) {
		t.Errorf("default order, page 1:\n got %v\nwant %v", got, ids(want[:20]))
	}
	if got := rows(t, ed.Get("/admin/articles?page=2")); !slices.Equal(got, ids(want[20:])) {
		t.Errorf("default order, page 2:\n got %v\nwant %v", got, ids(want[20:]))
	}
	headings := func(r *testutil.Response) []string { return sortHeading.FindAllString(r.Body, -1) }
	if got, exp := headings(first), []string{
		`<th scope="col" class="sortable"><a href="/admin/articles?dir=asc&amp;sort=title">Judul</a></th>`,
		`<th scope="col" class="sortable"><a href="/admin/articles?dir=asc&amp;sort=author">Penulis</a></th>`,
		`<th scope="col" class="sortable"><a href="/admin/articles?dir=asc&amp;sort=status">Status</a></th>`,
		`<th scope="col" class="sortable" aria-sort="descending"><a href="/admin/articles?dir=asc&amp;sort=date">Tanggal <span aria-hidden="true">▼</span></a></th>`,
	}; !slices.Equal(got, exp) {
		t.Errorf("default headings:\n got %q\nwant %q", got, exp)
	}
	if strings.Contains(first.Body, `name="sort"`) {
		t.Errorf("the filter form carries a sort nobody chose")
	}
	// The scheduled article says when it goes live.
	if !strings.Contains(first.Body, `<td><span class="status status-scheduled">Terjadwal</span><br><small class="when">terbit Senin, 7 Desember 2026 pukul 14.30 WIB</small></td>`) {
		t.Errorf("the status column does not say when the scheduled article goes live")
	}

	// Each sort, both ways, worked out here.
	rank := map[model.Status]int{model.StatusDraft: 0, model.StatusPending: 1, model.StatusScheduled: 2, model.StatusPublished: 3}
	keys := map[string]func(a, b *model.Article) int{
		"date": func(a, b *model.Article) int {
			return cmp.Or(listDate(a).Compare(listDate(b)), cmp.Compare(a.ID, b.ID))
		},
		"title": func(a, b *model.Article) int {
			return strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title))
		},
		"author": func(a, b *model.Article) int {
			return strings.Compare(strings.ToLower(a.Author.Name), strings.ToLower(b.Author.Name))
		},
		"status": func(a, b *model.Article) int { return cmp.Compare(rank[a.Status], rank[b.Status]) },
	}
	for key, by := range keys {
		for _, dir := range []string{"asc", "desc"} {
			want := slices.Clone(all)
			slices.SortFunc(want, func(a, b *model.Article) int {
				c := by(a, b)
				if dir == "desc" {
					c = -c
				}
				return cmp.Or(c, newestFirst(a, b))
			})
			base := "/admin/articles?sort=" + key + "&dir=" + dir
			got := append(rows(t, ed.Get(base)), rows(t, ed.Get(base+"&page=2"))...)
			if !slices.Equal(got, ids(want)) {
				t.Errorf("sort %s %s:\n got %v\nwant %v", key, dir, got, ids(want))
			}
		}
	}

	// A sort with a filter: the links keep the filter, the pages the sort.
	au := n.users[model.RoleAuthor]
	mine := itoa(au.ID)
	var byAuthor []*model.Article
	for _, a := range all {
		if a.AuthorID == au.ID {
			byAuthor = append(byAuthor, a)
		}
	}
	slices.SortFunc(byAuthor, func(a, b *model.Article) int { return cmp.Or(keys["title"](a, b), newestFirst(a, b)) })
	r := ed.Get("/admin/articles?author=" + mine + "&sort=title&dir=asc")
	if got := rows(t, r); !slices.Equal(got, ids(byAuthor)) {
		t.Errorf("title A–Z of one author:\n got %v\nwant %v", got, ids(byAuthor))
	}
	if got, exp := headings(r), []string{
		`<th scope="col" class="sortable" aria-sort="ascending"><a href="/admin/articles?author=` + mine + `&amp;dir=desc&amp;sort=title">Judul <span aria-hidden="true">▲</span></a></th>`,
		`<th scope="col" class="sortable"><a href="/admin/articles?author=` + mine + `&amp;dir=asc&amp;sort=author">Penulis</a></th>`,
		`<th scope="col" class="sortable"><a href="/admin/articles?author=` + mine + `&amp;dir=asc&amp;sort=status">Status</a></th>`,
		`<th scope="col" class="sortable"><a href="/admin/articles?author=` + mine + `&amp;dir=desc&amp;sort=date">Tanggal</a></th>`,
	}; !slices.Equal(got, exp) {
		t.Errorf("headings of a sorted, filtered list:\n got %q\nwant %q", got, exp)
	}
	for _, want := range []string{
		// The filter form keeps the sort, the bulk form comes back to it.
		`<input type="hidden" name="sort" value="title"><input type="hidden" name="dir" value="asc">`,
		`<input type="hidden" name="back" value="/admin/articles?author=` + mine + `&amp;dir=asc&amp;sort=title">`,
	} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("sorted list lacks %s", want)
		}
	}

	// The pager keeps the sort, and a new sort starts on page 1.
	slices.SortFunc(want, func(a, b *model.Article) int { return cmp.Or(-keys["author"](a, b), newestFirst(a, b)) })
	p1 := ed.Get("/admin/articles?sort=author&dir=desc")
	next := regexp.MustCompile(`<a href="([^"]+)" rel="next">`).FindStringSubmatch(p1.Body)
	if next == nil || next[1] != "/admin/articles?dir=desc&amp;page=2&amp;sort=author" {
		t.Fatalf("next page link: %v", next)
	}
	p2 := ed.Get("/admin/articles?dir=desc&page=2&sort=author")
	if got := append(rows(t, p1), rows(t, p2)...); !slices.Equal(got, ids(want)) {
		t.Errorf("author Z–A through the pager:\n got %v\nwant %v", got, ids(want))
	}
	if h := headings(p2); len(h) != 4 || h[0] != `<th scope="col" class="sortable"><a href="/admin/articles?dir=asc&amp;sort=title">Judul</a></th>` {
		t.Errorf("a sort link on page 2 keeps the page: %q", h)
	}

	// Nonsense in the address gives the default order.
	if got := rows(t, ed.Get("/admin/articles?sort=id%3BDROP+TABLE+articles&dir=up")); !slices.Equal(got, rows(t, first)) {
		t.Errorf("unknown sort: %v", got)
	}
}

// The bulk menu starts on no action; applying no action, or an action to
// nothing, is refused with a message and the ticked articles stay ticked.
func TestBulkActionNeedsAChoice(t *testing.T) {
	t.Parallel()
	st := testutil.NewSQLite(t)
	n := start(t, st)
	a := n.article(t, n.users[model.RoleAuthor], "Draf Pertama", model.StatusDraft)
	b := n.article(t, n.users[model.RoleAuthor], "Draf Kedua", model.StatusDraft)
	c := n.article(t, n.users[model.RoleAuthor], "Draf Ketiga", model.StatusDraft)
	ed := n.login(t, model.RoleEditor)
	menu := `<select id="bulk-action" name="action"><option value="">— Pilih tindakan —</option><option value="publish">Terbitkan</option>` +
		`<option value="pending">Ajukan untuk ditinjau</option><option value="draft">Jadikan draf</option><option value="delete">Hapus</option></select>`
	if r := ed.Get("/admin/articles"); !strings.Contains(r.Body, menu) {
		t.Errorf("the bulk menu is not\n%s", menu)
	}
	box := func(x *model.Article, checked bool) string {
		s := `<input type="checkbox" name="ids" value="` + itoa(x.ID) + `" aria-label="` + x.Title + `"`
		if checked {
			s += " checked"
		}
		return s + ">"
	}

	// A stale message in the address the form came from is not shown again.
	r := ed.Post("/admin/articles/bulk", form("action", "", "ids", itoa(a.ID), "ids", itoa(b.ID), "back", "/admin/articles?status=draft&ok=bulk&n=3"))
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("empty action: %d", r.Status)
	}
	for _, want := range []string{
		`<select id="bulk-action" name="action" aria-invalid="true" aria-describedby="bulk-error"><option value="">— Pilih tindakan —</option>`,
		`<p id="bulk-error" class="field-error" role="alert">Pilih tindakan dulu: artikel yang dicentang belum diubah.</p>`,
		box(a, true), box(b, true), box(c, false),
		`<option value="draft" selected>Draf</option>`,
		`<input type="hidden" name="back" value="/admin/articles?status=draft">`,
	} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the refused bulk action lacks %s", want)
		}
	}
	if strings.Contains(r.Body, `class="flash"`) {
		t.Errorf("the refused bulk action shows a message of success")
	}
	for _, x := range []*model.Article{a, b} {
		if got, _ := st.ArticleByID(context.Background(), x.ID); got.Status != model.StatusDraft {
			t.Errorf("%s became %s", x.Title, got.Status)
		}
	}

	r = ed.Post("/admin/articles/bulk", form("action", "publish", "back", "/admin/articles"))
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `<p id="bulk-error" class="field-error" role="alert">Centang dulu artikel yang akan diubah.</p>`) {
		t.Errorf("nothing ticked: %d", r.Status)
	}

	// A real action comes back to the list as it was, sort included.
	r = ed.Post("/admin/articles/bulk", form("action", "publish", "ids", itoa(a.ID), "back", "/admin/articles?status=draft&sort=title&dir=asc&ok=bulk&n=3"))
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/admin/articles?dir=asc&sort=title&status=draft&ok=bulk&n=1" {
		t.Errorf("publish: %d %q", r.Status, r.Header.Get("Location"))
	}
	// Forged actions stay errors.
	if r := ed.Post("/admin/articles/bulk", form("action", "explode", "ids", itoa(b.ID))); r.Status != http.StatusBadRequest {
		t.Errorf("unknown action: %d", r.Status)
	}
}
