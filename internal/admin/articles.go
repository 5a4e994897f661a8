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
}

func queryID(q *request, name string) int64 {
	n, err := strconv.ParseInt(q.URL.Query().Get(name), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// articleList shows articles with filters. Editors see every article;
// authors and contributors see published ones and their own.
func (a *Admin) articleList(w http.ResponseWriter, q *request) error {
	ctx := q.Context()
	f := store.ArticleQuery{
		Status:     model.Status(q.URL.Query().Get("status")),
		AuthorID:   queryID(q, "author"),
		CategoryID: queryID(q, "category"),
		TagID:      queryID(q, "tag"),
		Text:       strings.TrimSpace(q.URL.Query().Get("q")),
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
	page := pageNum(q)
	total, err := a.st.CountArticles(ctx, f)
	if err != nil {
		return err
	}
	f.Limit, f.Offset = articlesPerPage, (page-1)*articlesPerPage
	list, err := a.st.ListArticles(ctx, f)
	if err != nil {
		return err
	}
	v := &articleListView{Base: a.base(q, q.L.T("admin.nav.articles"), "articles"), Total: total, Query: f.Text,
		Back: q.URL.RequestURI()}
	now := a.now()
	for _, x := range list {
		row := ArticleRow{A: x, CanEdit: article.CanEdit(q.User, x), Public: article.PublicPath(x, now), Date: x.UpdatedAt}
		if x.PublishedAt != nil {
			row.Date = *x.PublishedAt
		}
		v.Rows = append(v.Rows, row)
	}
	v.Pager = pager(q, page, total, articlesPerPage)
	v.Statuses = []Option{{Value: "", Label: q.L.T("admin.filter.all_statuses")}}
	for _, s := range []model.Status{model.StatusDraft, model.StatusPending, model.StatusScheduled, model.StatusPublished} {
		v.Statuses = append(v.Statuses, Option{Value: string(s), Label: v.StatusName(s), Selected: f.Status == s})
	}
	users, err := a.st.ListUsers(ctx)
	if err != nil {
		return err
	}
	v.Authors = []Option{{Value: "", Label: q.L.T("admin.filter.all_authors")}}
	for _, u := range users {
		v.Authors = append(v.Authors, Option{Value: itoa64(u.ID), Label: u.Name, Selected: f.AuthorID == u.ID})
	}
	cats, err := a.st.Categories(ctx)
	if err != nil {
		return err
	}
	v.Cats = []Option{{Value: "", Label: q.L.T("admin.filter.all_categories")}}
	for _, c := range treeOrder(cats) {
		v.Cats = append(v.Cats, Option{Value: itoa64(c.ID), Label: strings.Repeat("— ", c.Depth) + c.Name, Selected: f.CategoryID == c.ID})
	}
	tags, err := a.st.Tags(ctx)
	if err != nil {
		return err
	}
	v.Tags = []Option{{Value: "", Label: q.L.T("admin.filter.all_tags")}}
	for _, t := range tags {
		v.Tags = append(v.Tags, Option{Value: itoa64(t.ID), Label: t.Name, Selected: f.TagID == t.ID})
	}
	for _, act := range []string{"publish", "pending", "draft", "delete"} {
		v.Actions = append(v.Actions, Option{Value: act, Label: q.L.T("admin.bulk." + act)})
	}
	a.render(w, q, http.StatusOK, "articles", v)
	return nil
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
	if u, err := url.Parse(back); err != nil || u.Path != "/admin/articles" || u.Host != "" {
		back = "/admin/articles"
	}
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
	default:
		return errBadInput
	}
	ok, failed := 0, 0
	for _, id := range formIDs(q) {
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
		case errors.Is(err, valid.Forbidden), errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrConflict):
			failed++
		default:
			if _, isValid := valid.As(err); !isValid {
				return err
			}
			failed++
		}
	}
	if failed > 0 {
		return redirect(w, q, back, "bulk_failed", failed)
	}
	return redirect(w, q, back, "bulk", ok)
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
