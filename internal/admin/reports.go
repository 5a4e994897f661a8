package admin

import (
	"net/http"
	"time"

	"warta/internal/article"
	"warta/internal/comment"
	"warta/internal/model"
)

// reportRow is an open report with its clock.
type reportRow struct {
	R          model.CommentReport
	Due        time.Time
	Overdue    bool
	ArticleURL string // the comment on its public page, when public
}

type reportListView struct {
	*Base
	Rows []reportRow
}

// maxReports is how many open reports the queue shows at once.
const maxReports = 200

// reportList is the complaints queue: readers' reports, oldest first,
// each with its 2 × 24-hour deadline, overdue ones marked.
func (a *Admin) reportList(w http.ResponseWriter, q *request) error {
	list, err := a.st.OpenCommentReports(q.Context(), maxReports)
	if err != nil {
		return err
	}
	v := &reportListView{Base: a.base(q, q.L.T("admin.reports.title"), "reports")}
	now := a.now()
	var ids []int64
	for _, r := range list {
		ids = append(ids, r.Comment.ArticleID)
	}
	arts, err := a.st.ArticlesByIDs(q.Context(), ids)
	if err != nil {
		return err
	}
	for _, r := range list {
		due := r.CreatedAt.Add(comment.ReportDeadline)
		row := reportRow{R: r, Due: due, Overdue: now.After(due)}
		if x := arts[r.Comment.ArticleID]; x != nil {
			if p := article.PublicPath(x, now); p != "" {
				row.ArticleURL = p + "#comment-" + itoa64(r.CommentID)
			}
		}
		v.Rows = append(v.Rows, row)
	}
	a.render(w, q, http.StatusOK, "reports", v)
	return nil
}

// resolveReport closes a report once an editor has dealt with it.
func (a *Admin) resolveReport(w http.ResponseWriter, q *request) error {
	id, err := idParam(q, "id")
	if err != nil {
		return err
	}
	if err := a.opt.Comments.ResolveReport(q.Context(), q.User, id); err != nil {
		return err
	}
	return redirect(w, q, "/admin/laporan", "report_resolved")
}
