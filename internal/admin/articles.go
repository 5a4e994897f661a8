package admin

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"warta/internal/article"
	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/valid"
)

const articlesPerPage = 20

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// ArticleRow is an article in the newsroom list.
type ArticleRow struct {
	A        *model.Article
	CanEdit  bool
	Public   string // the public path when readers can see it
	Date     time.Time
	Selected bool
}

// Option is one choice of a select box.
type Option struct {
	Value, Label string
	Selected     bool
}

type articleListView struct {
	*Base
	Rows                          []ArticleRow
	Total                         int
	Pager                         *Pager
	Statuses, Authors, Cats, Tags []Option
	Query                         string
	Back                          string // this list's URL, to come back to after a bulk action
	Actions                       []Option
	// Sort links each sortable column's heading; SortBy and SortDir are
	// the list's sort when the URL names one (kept by the filter form).
	Sort            map[string]SortColumn
	SortBy, SortDir string
	BulkError       string // why a bulk action was refused
}

// SortHeading is the column heading named label that sorts by key.
func (v *articleListView) SortHeading(key, label string) SortHeading {
	return SortHeading{SortColumn: v.Sort[key], Label: label}
}

// SortHeading is what the sort_th template draws.
type SortHeading struct {
	SortColumn
	Label string
}

// SortColumn is a sortable column heading of a list: its link sorts by
// the column (the other way round when the list is sorted by it already),
// and Aria is its aria-sort value when the list is sorted by it.
type SortColumn struct {
	URL  string
	Aria string
}

func queryID(q *request, name string) int64 { return valuesID(q.URL.Query(), name) }

// valuesID reads a non-negative id from v (0 when absent or nonsense).
func valuesID(v url.Values, name string) int64 {
	n, err := strconv.ParseInt(v.Get(name), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// articleSorts are the columns the list sorts by, with the direction a
// first click gives: the newest date first, names from A.
var articleSorts = []struct {
	by  store.ArticleSort
	asc bool
}{{store.SortTitle, true}, {store.SortAuthor, true}, {store.SortStatus, true}, {store.SortDate, false}}

// listOrder reads ?sort= and ?dir=. Without them (or with nonsense) the
// list shows the newest date first; a column without a direction gets its
// first-click direction.
func listOrder(v url.Values) (o store.ArticleOrder, explicit bool) {
	o = store.ArticleOrder{By: store.ArticleSort(v.Get("sort"))}
	if !o.By.Valid() {
		return store.ArticleOrder{By: store.SortDate}, false
	}
	for _, c := range articleSorts {
		if c.by == o.By {
			o.Asc = c.asc
		}
	}
	switch v.Get("dir") {
	case "asc":
		o.Asc = true
	case "desc":
		o.Asc = false
	}
	return o, true
}

func dirName(asc bool) string {
	if asc {
		return "asc"
	}
	return "desc"
}

// articleList shows articles with filters. Editors see every article;
// authors and contributors see published ones and their own.
func (a *Admin) articleList(w http.ResponseWriter, q *request) error {
	v, err := a.articleListView(q, q.URL.Query(), nil)
	if err != nil {
		return err
	}
	a.render(w, q, http.StatusOK, "articles", v)
	return nil
}

// articleListView builds the list that the query values vals ask for,
// with the articles of selected ticked.
func (a *Admin) articleListView(q *request, vals url.Values, selected []int64) (*articleListView, error) {
	ctx := q.Context()
	// The list's own address, without a message shown once.
	vals.Del("ok")
	vals.Del("n")
	f := store.ArticleQuery{
		Status:     model.Status(vals.Get("status")),
		AuthorID:   valuesID(vals, "author"),
		CategoryID: valuesID(vals, "category"),
		TagID:      valuesID(vals, "tag"),
		Text:       strings.TrimSpace(vals.Get("q")),
	}
	if f.Status != "" && !f.Status.Valid() {
		f.Status = ""
	}
	if len(f.Text) > 200 {
		f.Text = f.Text[:200]
	}
	if !q.User.Role.AtLeast(model.RoleEditor) {
		f.VisibleTo = q.User.ID
	}
	order, explicit := listOrder(vals)
	f.Order = order
	page := 1
	if n, err := strconv.Atoi(vals.Get("page")); err == nil && n >= 1 && n <= 100000 {
		page = n
	}
	total, err := a.st.CountArticles(ctx, f)
	if err != nil {
		return nil, err
	}
	f.Limit, f.Offset = articlesPerPage, (page-1)*articlesPerPage
	list, err := a.st.ListArticles(ctx, f)
	if err != nil {
		return nil, err
	}
	self := &url.URL{Path: "/admin/articles", RawQuery: vals.Encode()}
	v := &articleListView{Base: a.base(q, q.L.T("admin.nav.articles"), "articles"), Total: total, Query: f.Text,
		Back: self.RequestURI(), Sort: map[string]SortColumn{}}
	if explicit {
		v.SortBy, v.SortDir = string(order.By), dirName(order.Asc)
	}
	for _, c := range articleSorts {
		col := SortColumn{}
		next := c.asc
		if c.by == order.By {
			col.Aria = "descending"
			if order.Asc {
				col.Aria = "ascending"
			}
			next = !order.Asc
		}
		// A new sort starts on the first page; the filters stay.
		link := url.Values{}
		for k, x := range vals {
			link[k] = x
		}
		link.Del("page")
		link.Set("sort", string(c.by))
		link.Set("dir", dirName(next))
		col.URL = (&url.URL{Path: "/admin/articles", RawQuery: link.Encode()}).String()
		v.Sort[string(c.by)] = col
	}
	ticked := map[int64]bool{}
	for _, id := range selected {
		ticked[id] = true
	}
	now := a.now()
	for _, x := range list {
		row := ArticleRow{A: x, CanEdit: article.CanEdit(q.User, x), Public: article.PublicPath(x, now), Date: x.UpdatedAt}
		if x.PublishedAt != nil {
			row.Date = *x.PublishedAt
		}
		row.Selected = row.CanEdit && ticked[x.ID]
		v.Rows = append(v.Rows, row)
	}
	v.Pager = listPager(q, self, page, total, articlesPerPage)
	v.Statuses = []Option{{Value: "", Label: q.L.T("admin.filter.all_statuses")}}
	for _, s := range []model.Status{model.StatusDraft, model.StatusPending, model.StatusScheduled, model.StatusPublished} {
		v.Statuses = append(v.Statuses, Option{Value: string(s), Label: v.StatusName(s), Selected: f.Status == s})
	}
	users, err := a.st.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	v.Authors = []Option{{Value: "", Label: q.L.T("admin.filter.all_authors")}}
	for _, u := range users {
		v.Authors = append(v.Authors, Option{Value: itoa64(u.ID), Label: u.Name, Selected: f.AuthorID == u.ID})
	}
	cats, err := a.st.Categories(ctx)
	if err != nil {
		return nil, err
	}
	v.Cats = []Option{{Value: "", Label: q.L.T("admin.filter.all_categories")}}
	for _, c := range treeOrder(cats) {
		v.Cats = append(v.Cats, Option{Value: itoa64(c.ID), Label: strings.Repeat("— ", c.Depth) + c.Name, Selected: f.CategoryID == c.ID})
	}
	tags, err := a.st.Tags(ctx)
	if err != nil {
		return nil, err
	}
	v.Tags = []Option{{Value: "", Label: q.L.T("admin.filter.all_tags")}}
	for _, t := range tags {
		v.Tags = append(v.Tags, Option{Value: itoa64(t.ID), Label: t.Name, Selected: f.TagID == t.ID})
	}
	// The menu starts on no action, so that pressing Apply by mistake
	// changes nothing.
	v.Actions = []Option{{Value: "", Label: q.L.T("admin.bulk.choose")}}
	for _, act := range []string{"publish", "pending", "draft", "delete"} {
		v.Actions = append(v.Actions, Option{Value: act, Label: q.L.T("admin.bulk." + act)})
	}
	return v, nil
}

// listPager is pager for the list at self (its query is the list's).
func listPager(q *request, self *url.URL, page, total, per int) *Pager {
	r := *q.Request
	r.URL = self
	lq := *q
	lq.Request = &r
	return pager(&lq, page, total, per)
}

// formIDs reads the checked ids of a bulk form.
func formIDs(q *request) []int64 {
	var ids []int64
	for _, s := range q.PostForm["ids"] {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 && len(ids) < 500 {
			ids = append(ids, n)
		}
	}
	return ids
}

// articleBulk applies one action to the checked articles through the
// article service, which checks the user's right on each of them.
func (a *Admin) articleBulk(w http.ResponseWriter, q *request) error {
	back := q.PostFormValue("back")
	u, err := url.Parse(back)
	if err != nil || u.Path != "/admin/articles" || u.Host != "" || u.Scheme != "" {
		u = &url.URL{Path: "/admin/articles"}
	}
	ids := formIDs(q)
	action := q.PostFormValue("action")
	var status model.Status
	switch action {
	case "publish":
		status = model.StatusPublished
	case "pending":
		status = model.StatusPending
	case "draft":
		status = model.StatusDraft
	case "delete":
	case "":
		return a.bulkRefused(w, q, u, ids, "admin.bulk.no_action")
	default:
		return errBadInput
	}
	if len(ids) == 0 {
		return a.bulkRefused(w, q, u, ids, "admin.bulk.none_selected")
	}
	ok, failed := 0, 0
	for _, id := range ids {
		var err error
		if action == "delete" {
			err = a.opt.Articles.Delete(q.Context(), q.User, id)
		} else {
			st := status
			_, err = a.opt.Articles.Update(q.Context(), q.User, id, 0, article.Input{Status: &st})
		}
		switch {
		case err == nil:
			ok++
		case errors.Is(err, valid.ErrForbidden), errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrConflict):
			failed++
		default:
			if _, isValid := valid.As(err); !isValid {
				return err
			}
			failed++
		}
	}
	vals := u.Query()
	vals.Del("ok")
	vals.Del("n")
	to := (&url.URL{Path: "/admin/articles", RawQuery: vals.Encode()}).String()
	if failed > 0 {
		return redirect(w, q, to, "bulk_failed", failed)
	}
	return redirect(w, q, to, "bulk", ok)
}

// bulkRefused shows the list the bulk form came from again, with the
// articles still ticked and the reason (a locale key) beside the menu.
func (a *Admin) bulkRefused(w http.ResponseWriter, q *request, back *url.URL, ids []int64, key string) error {
	v, err := a.articleListView(q, back.Query(), ids)
	if err != nil {
		return err
	}
	v.BulkError = q.L.T(key)
	a.render(w, q, http.StatusUnprocessableEntity, "articles", v)
	return nil
}

// CategoryNode is a category with its depth in the tree.
type CategoryNode struct {
	model.Category
	Depth int
}

// treeOrder lists categories parents first, each followed by its
// children, so a flat list reads as a tree.
func treeOrder(cats []model.Category) []CategoryNode {
	children := map[int64][]model.Category{}
	ids := map[int64]bool{}
	for _, c := range cats {
		ids[c.ID] = true
	}
	var roots []model.Category
	for _, c := range cats {
		if c.ParentID == nil || !ids[*c.ParentID] {
			roots = append(roots, c)
		} else {
			children[*c.ParentID] = append(children[*c.ParentID], c)
		}
	}
	var out []CategoryNode
	seen := map[int64]bool{}
	var walk func(c model.Category, depth int)
	walk = func(c model.Category, depth int) {
		if seen[c.ID] {
			return // a cycle in stored data must not hang the page
		}
		seen[c.ID] = true
		out = append(out, CategoryNode{Category: c, Depth: depth})
		for _, k := range children[c.ID] {
			walk(k, depth+1)
		}
	}
	for _, c := range roots {
		walk(c, 0)
	}
	return out
}
