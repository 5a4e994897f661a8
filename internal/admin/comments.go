package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"warta/internal/valid"

	"warta/internal/article"
	"warta/internal/model"
	"warta/internal/render"
	"warta/internal/store"
)

const commentsPerPage = 30

// commentRow is a comment in context: its article and what it answers.
type commentRow struct {
	C             *model.Comment
	Article       *model.Article
	ArticleURL    string // public path, when readers can see the article
	ParentAuthor  string
	ParentExcerpt string
	Notes         []string // the filter's reasons, in the moderator's language
}

// commentRows loads the articles and parents of a page of comments in two
// queries.
func (a *Admin) commentRows(q *request, list []*model.Comment) ([]commentRow, error) {
	var aids, pids []int64
	for _, c := range list {
		aids = append(aids, c.ArticleID)
		if c.ParentID != nil {
			pids = append(pids, *c.ParentID)
		}
	}
	arts, err := a.st.ArticlesByIDs(q.Context(), aids)
	if err != nil {
		return nil, err
	}
	parents, err := a.st.CommentsByIDs(q.Context(), pids)
	if err != nil {
		return nil, err
	}
	now := a.now()
	out := make([]commentRow, 0, len(list))
	for _, c := range list {
		row := commentRow{C: c, Article: arts[c.ArticleID], Notes: reasonNotes(q.L, c.Reasons)}
		if row.Article != nil {
			row.ArticleURL = article.PublicPath(row.Article, now)
		}
		if c.ParentID != nil {
			if p := parents[*c.ParentID]; p != nil {
				row.ParentAuthor, row.ParentExcerpt = p.AuthorName, render.Excerpt(p.Body, 160)
			}
		}
		out = append(out, row)
	}
	return out, nil
}

// StatusTab is a comment status with its count, for the queue's tabs.
type StatusTab struct {
	Status  model.CommentStatus
	Count   int
	URL     string
	Current bool
}

type commentListView struct {
	*Base
	Rows    []commentRow
	Tabs    []StatusTab
	Status  model.CommentStatus
	Article *model.Article
	Older   string
	Back    string
	Actions []Option
}

func (a *Admin) commentList(w http.ResponseWriter, q *request) error {
	ctx := q.Context()
	status := model.CommentStatus(q.URL.Query().Get("status"))
	if !status.Valid() {
		status = model.CommentPending
	}
	cq := store.CommentQuery{Status: status, ArticleID: queryID(q, "article"), BeforeID: queryID(q, "before"), Limit: commentsPerPage}
	list, err := a.st.ListComments(ctx, cq)
	if err != nil {
		return err
	}
	v := &commentListView{Base: a.base(q, q.L.T("admin.nav.comments"), "comments"), Status: status, Back: q.URL.RequestURI()}
	if v.Rows, err = a.commentRows(q, list); err != nil {
		return err
	}
	if cq.ArticleID != 0 {
		if v.Article, err = a.st.ArticleByID(ctx, cq.ArticleID); err != nil {
			return err
		}
	}
	for _, s := range []model.CommentStatus{model.CommentPending, model.CommentApproved, model.CommentSpam, model.CommentTrash} {
		n, err := a.st.CountComments(ctx, s)
		if err != nil {
			return err
		}
		u := "/admin/comments?status=" + string(s)
		if cq.ArticleID != 0 {
			u += "&article=" + itoa64(cq.ArticleID)
		}
		v.Tabs = append(v.Tabs, StatusTab{Status: s, Count: n, URL: u, Current: s == status})
	}
	if len(list) == commentsPerPage {
		qs := q.URL.Query()
		qs.Del("ok")
		qs.Del("n")
		qs.Set("before", itoa64(list[len(list)-1].ID))
		v.Older = "/admin/comments?" + qs.Encode()
	}
	for _, act := range []string{"approve", "unapprove", "spam", "trash"} {
		v.Actions = append(v.Actions, Option{Value: act, Label: q.L.T("admin.comment.action." + act)})
	}
	a.render(w, q, http.StatusOK, "comments", v)
	return nil
}

// commentAction moderates the checked comments (or one, from its row)
// through the comment service, which also teaches the spam filter.
func (a *Admin) commentAction(w http.ResponseWriter, q *request) error {
	back := q.PostFormValue("back")
	if u, err := url.Parse(back); err != nil || u.Host != "" || !strings.HasPrefix(u.Path, "/admin/") || strings.HasPrefix(back, "//") {
		back = "/admin/comments"
	}
	action, ids := q.PostFormValue("action"), formIDs(q)
	// A row's own button ("approve:42") acts on that comment alone, so
	// one form serves both the bulk bar and the buttons beside each comment.
	if row := q.PostFormValue("row"); row != "" {
		act, id, _ := strings.Cut(row, ":")
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || n < 1 {
			return errBadInput
		}
		action, ids = act, []int64{n}
	}
	var status model.CommentStatus
	switch action {
	case "approve":
		status = model.CommentApproved
	case "unapprove":
		status = model.CommentPending
	case "spam":
		status = model.CommentSpam
	case "trash":
		status = model.CommentTrash
	default:
		return errBadInput
	}
	if len(ids) == 0 {
		return redirect(w, q, back, "none_selected")
	}
	done, err := a.opt.Comments.Moderate(q.Context(), ids, status)
	if es, ok := valid.As(err); ok && es[0].Code == "unconfirmed_email" {
		// Strict mode: nothing was approved; say why.
		return redirect(w, q, back, "unconfirmed_email")
	}
	if err != nil {
		return err
	}
	return redirect(w, q, back, "moderated", len(done))
}

type commentEditView struct {
	*Base
	Row    commentRow
	Body   string // the edit form's text
	Reply  string // the reply form's text
	Errors FormErrors
}

func (a *Admin) commentByPath(q *request) (commentRow, error) {
	id, err := idParam(q, "id")
	if err != nil {
		return commentRow{}, err
	}
	c, err := a.st.CommentByID(q.Context(), id)
	if err != nil {
		return commentRow{}, err
	}
	rows, err := a.commentRows(q, []*model.Comment{c})
	if err != nil {
		return commentRow{}, err
	}
	return rows[0], nil
}

func (a *Admin) editComment(w http.ResponseWriter, q *request) error {
	row, err := a.commentByPath(q)
	if err != nil {
		return err
	}
	a.render(w, q, http.StatusOK, "comment", &commentEditView{Base: a.base(q, q.L.T("admin.comment.edit_title"), "comments"),
		Row: row, Body: row.C.Body})
	return nil
}

// saveComment hands a moderator's correction to the comment service.
func (a *Admin) saveComment(w http.ResponseWriter, q *request) error {
	row, err := a.commentByPath(q)
	if err != nil {
		return err
	}
	body := q.PostFormValue("body")
	if _, err := a.opt.Comments.Edit(q.Context(), q.User, row.C.ID, body); err != nil {
		v := &commentEditView{Base: a.base(q, q.L.T("admin.comment.edit_title"), "comments"), Row: row, Body: body}
		return a.commentFormError(w, q, v, "body", err)
	}
	return redirect(w, q, "/admin/comments?status="+string(row.C.Status), "saved")
}

// replyComment answers a comment as the logged-in user, through the
// comment service (which approves a held comment first).
func (a *Admin) replyComment(w http.ResponseWriter, q *request) error {
	row, err := a.commentByPath(q)
	if err != nil {
		return err
	}
	body := q.PostFormValue("body")
	if _, err := a.opt.Comments.Reply(q.Context(), q.User, row.C.ID, body); err != nil {
		v := &commentEditView{Base: a.base(q, q.L.T("admin.comment.reply_title"), "comments"), Row: row, Body: row.C.Body, Reply: body}
		return a.commentFormError(w, q, v, "reply", err)
	}
	back := "/admin/comments?status=" + string(row.C.Status)
	if q.PostFormValue("back") != "" {
		if u, err := url.Parse(q.PostFormValue("back")); err == nil && u.Host == "" && strings.HasPrefix(u.Path, "/admin/") {
			back = q.PostFormValue("back")
		}
	}
	return redirect(w, q, back, "replied")
}

// commentFormError shows the comment's page again, with what was typed and
// the service's objection in q's language beside the form that sent it
// (field); errors other than invalid input go to the error page.
func (a *Admin) commentFormError(w http.ResponseWriter, q *request, v *commentEditView, field string, err error) error {
	fe, ok := formErrors(q, err, "body")
	if !ok {
		return err
	}
	msg := fe["body"]
	if msg == "" {
		msg = fe["form"]
	}
	v.Errors = FormErrors{field: msg}
	a.render(w, q, http.StatusUnprocessableEntity, "comment", v)
	return nil
}
