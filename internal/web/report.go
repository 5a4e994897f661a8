package web

import (
	"net/http"
	"strconv"

	"warta/internal/article"
	"warta/internal/httpx"
	"warta/internal/valid"
)

// reportPage answers a reader's report of a comment: thanks, or the form
// again with what was wrong.
type reportPage struct {
	*Base
	CommentID int64
	Reason    string
	Error     string
	Done      bool
	Back      string // the comment on its article's page
}

// reportComment takes a reader's report of a published comment (the
// form under each comment, which needs no JavaScript). The comment
// service checks it and limits how often an address may report.
func (s *Site) reportComment(w http.ResponseWriter, r *http.Request) error {
	if s.opt.Comments == nil {
		return notFound()
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return notFound()
	}
	if err := r.ParseForm(); err != nil {
		return &httpError{status: http.StatusBadRequest, cause: err}
	}
	c, err := s.opt.Store.CommentByID(r.Context(), id)
	if err != nil {
		return err
	}
	reason := r.PostForm.Get("reason")
	err = s.opt.Comments.Report(r.Context(), id, reason, httpx.ClientIP(r.Context()).String())
	es, invalid := valid.As(err)
	if err != nil && !invalid {
		return err
	}
	b, berr := s.base(r, "")
	if berr != nil {
		return berr
	}
	b.Title = b.L.T("report.heading") + " – " + b.Site.SiteName
	b.NoIndex = true
	p := &reportPage{Base: b, CommentID: id, Reason: reason, Done: err == nil}
	if a, aerr := s.opt.Store.ArticleByID(r.Context(), c.ArticleID); aerr == nil && a.IsPublic(s.opt.Now()) {
		p.Back = article.Path(a) + "#comment-" + strconv.FormatInt(id, 10)
	}
	code := http.StatusOK
	if invalid {
		e := es[0]
		code = http.StatusUnprocessableEntity
		if e.Code == "throttled" {
			code = http.StatusTooManyRequests
		}
		args := make([]any, len(e.Args))
		for i, x := range e.Args {
			if n, ok := x.(int); ok {
				x = b.L.Int(n)
			} else if f, ok := x.(string); ok && b.L.Has("field."+f) {
				x = b.L.T("field." + f)
			}
			args[i] = x
		}
		p.Error = b.L.T(e.Key, args...)
	}
	// A reader's own answer: never a cache's.
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, code, "report", p)
	return nil
}
