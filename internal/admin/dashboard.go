package admin

import (
	"net/http"

	"warta/internal/model"
	"warta/internal/store"
)

// StatusCount is how many articles are in one status.
type StatusCount struct {
	Status model.Status
	Count  int
	URL    string
}

type dashboardView struct {
	*Base
	Counts          []StatusCount
	Pending         []*model.Article
	Scheduled       []*model.Article
	Drafts          []*model.Article
	Comments        []commentRow
	PendingComments int
	Everyone        bool // the lists cover every author, not only the user
}

// dashboard shows what needs attention. Editors see the whole newsroom;
// authors and contributors see their own work.
func (a *Admin) dashboard(w http.ResponseWriter, q *request) error {
	ctx := q.Context()
	v := &dashboardView{Base: a.base(q, q.L.T("admin.nav.dashboard"), "dashboard")}
	v.Everyone = q.User.Role.AtLeast(model.RoleEditor)
	mine := int64(0)
	if !v.Everyone {
		mine = q.User.ID
	}
	for _, s := range []model.Status{model.StatusDraft, model.StatusPending, model.StatusScheduled, model.StatusPublished} {
		n, err := a.st.CountArticles(ctx, store.ArticleQuery{Status: s, AuthorID: mine})
		if err != nil {
			return err
		}
		u := "/admin/articles?status=" + string(s)
		if mine != 0 {
			u += "&author=" + itoa64(mine)
		}
		v.Counts = append(v.Counts, StatusCount{Status: s, Count: n, URL: u})
	}
	var err error
	if v.Pending, err = a.st.ListArticles(ctx, store.ArticleQuery{Status: model.StatusPending, AuthorID: mine, Limit: 10}); err != nil {
		return err
	}
	if v.Scheduled, err = a.st.ListArticles(ctx, store.ArticleQuery{Status: model.StatusScheduled, AuthorID: mine, Limit: 10}); err != nil {
		return err
	}
	// Drafts are personal: everyone sees their own.
	if v.Drafts, err = a.st.ListArticles(ctx, store.ArticleQuery{Status: model.StatusDraft, AuthorID: q.User.ID, Limit: 10}); err != nil {
		return err
	}
	if v.Everyone {
		if v.PendingComments, err = a.st.CountComments(ctx, model.CommentPending); err != nil {
			return err
		}
		list, err := a.st.ListComments(ctx, store.CommentQuery{Status: model.CommentPending, Limit: 5})
		if err != nil {
			return err
		}
		if v.Comments, err = a.commentRows(q, list); err != nil {
			return err
		}
	}
	a.render(w, q, http.StatusOK, "dashboard", v)
	return nil
}
