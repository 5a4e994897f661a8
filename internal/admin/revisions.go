package admin

import (
	"errors"
	"net/http"
	"strconv"

	"warta/internal/article"
	"warta/internal/model"
	"warta/internal/revision"
	"warta/internal/store"
	"warta/internal/valid"
)

// diffContext is how many unchanged body lines stay around each change.
const diffContext = 3

// RevisionRow is one revision in the history list.
type RevisionRow struct {
	R        store.Revision
	Latest   bool
	From, To bool // preselected for comparing
}

type revisionListView struct {
	*Base
	A          *model.Article
	Rows       []RevisionRow
	CanRestore bool
	Version    int // the article's version the restore buttons were offered on
	Error      string
}

// revisions returns the history service, or 404 when there is none.
func (a *Admin) revisions() (*revision.Service, error) {
	if a.opt.Revisions == nil {
		return nil, errNotFound
	}
	return a.opt.Revisions, nil
}

// historyOf loads the article of the path and its revisions, newest
// first. The revision service decides who may read them.
func (a *Admin) historyOf(q *request) (*model.Article, []store.Revision, error) {
	svc, err := a.revisions()
	if err != nil {
		return nil, nil, err
	}
	id, err := idParam(q, "id")
	if err != nil {
		return nil, nil, err
	}
	revs, err := svc.List(q.Context(), q.User, id)
	if err != nil {
		return nil, nil, err
	}
	art, err := a.st.ArticleByID(q.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	return art, revs, nil
}

func (a *Admin) revisionList(w http.ResponseWriter, q *request) error {
	art, revs, err := a.historyOf(q)
	if err != nil {
		return err
	}
	return a.showRevisions(w, q, http.StatusOK, art, revs, "")
}

func (a *Admin) showRevisions(w http.ResponseWriter, q *request, code int, art *model.Article, revs []store.Revision, msg string) error {
	v := &revisionListView{Base: a.base(q, q.L.T("admin.revisions.title", art.Title), "articles"), A: art,
		CanRestore: article.CanEdit(q.User, art), Version: art.Version, Error: msg}
	for i, r := range revs {
		v.Rows = append(v.Rows, RevisionRow{R: r, Latest: i == 0, To: i == 0, From: i == 1 || len(revs) == 1})
	}
	a.render(w, q, code, "revisions", v)
	return nil
}

// DiffPart is a run of a diff line's text; Mark is "del" or "ins" for
// the words that changed within a line.
type DiffPart struct{ Text, Mark string }

// DiffRow is a line of a comparison ready for the template.
type DiffRow struct {
	Class    string // same, del, ins or skip
	Old, New int
	Parts    []DiffPart
	Skipped  int
}

// DiffField is one changed field of a comparison.
type DiffField struct {
	Label    string
	Numbered bool // line numbers help in the body only
	Rows     []DiffRow
}

type revisionCompareView struct {
	*Base
	A             *model.Article
	From, To      *store.Revision
	Fields        []DiffField
	Unchanged     []string
	FromOpts      []Option
	ToOpts        []Option
	CanRestore    bool
	Latest        int
	Version       int
	RestoreNumber []int // the compared revisions that are not the latest
}

// fieldLabels names the compared fields with the editor's words.
var fieldLabels = map[string]string{
	"title": "field.title", "dateline": "field.dateline", "excerpt": "field.excerpt", "body": "field.body",
	"status": "field.status", "image_url": "admin.field.image_url", "image_alt": "admin.field.image_alt",
	"image_caption": "admin.field.image_caption",
}

// queryNumber reads a positive revision number from the query, or 0.
func queryNumber(q *request, name string) int {
	n, err := strconv.Atoi(q.URL.Query().Get(name))
	if err != nil || n < 1 {
		return 0
	}
	return n
}

func (a *Admin) revisionCompare(w http.ResponseWriter, q *request) error {
	art, revs, err := a.historyOf(q)
	if err != nil {
		return err
	}
	if len(revs) == 0 {
		return a.showRevisions(w, q, http.StatusOK, art, revs, "")
	}
	// Without a choice, the newest save is compared with the one before.
	from, to := queryNumber(q, "from"), queryNumber(q, "to")
	if to == 0 {
		to = revs[0].Number
	}
	if from == 0 {
		from = revs[min(1, len(revs)-1)].Number
	}
	c, err := a.opt.Revisions.Compare(q.Context(), q.User, art.ID, from, to)
	if err != nil {
		return err
	}
	v := &revisionCompareView{Base: a.base(q, q.L.T("admin.revisions.diff_title", q.L.Int(from), q.L.Int(to)), "articles"),
		A: art, From: c.From, To: c.To, CanRestore: article.CanEdit(q.User, art), Latest: revs[0].Number,
		Version: art.Version}
	for _, r := range revs {
		label := "#" + strconv.Itoa(r.Number) + " · " + v.When(r.CreatedAt)
		v.FromOpts = append(v.FromOpts, Option{Value: strconv.Itoa(r.Number), Label: label, Selected: r.Number == from})
		v.ToOpts = append(v.ToOpts, Option{Value: strconv.Itoa(r.Number), Label: label, Selected: r.Number == to})
	}
	for _, n := range []int{from, to} {
		if n != v.Latest && (len(v.RestoreNumber) == 0 || v.RestoreNumber[0] != n) {
			v.RestoreNumber = append(v.RestoreNumber, n)
		}
	}
	for _, f := range c.Fields {
		label := q.L.T(fieldLabels[f.Field])
		if !f.Changed {
			v.Unchanged = append(v.Unchanged, label)
			continue
		}
		lines := f.Lines
		if f.Field == "body" {
			lines = revision.Trim(lines, diffContext)
		}
		df := DiffField{Label: label, Numbered: f.Field == "body"}
		for _, l := range lines {
			if f.Field == "status" && l.Text != "" {
				l.Text, l.Spans = v.StatusName(model.Status(l.Text)), nil
			}
			df.Rows = append(df.Rows, diffRow(l))
		}
		v.Fields = append(v.Fields, df)
	}
	a.render(w, q, http.StatusOK, "revisions_compare", v)
	return nil
}

// diffRow turns a diff line into parts: words that changed within the
// line are marked, the rest is plain text. Everything stays text; the
// template escapes it.
func diffRow(l revision.DiffLine) DiffRow {
	r := DiffRow{Old: l.Old, New: l.New, Skipped: l.Skipped}
	mark := ""
	switch l.Op {
	case "=":
		r.Class = "same"
	case "-":
		r.Class, mark = "del", "del"
	case "+":
		r.Class, mark = "ins", "ins"
	default:
		r.Class = "skip"
		return r
	}
	if len(l.Spans) == 0 {
		r.Parts = []DiffPart{{Text: l.Text}}
		return r
	}
	for _, s := range l.Spans {
		p := DiffPart{Text: s.Text}
		if s.Changed {
			p.Mark = mark
		}
		r.Parts = append(r.Parts, p)
	}
	return r
}

// revisionRestore puts an old revision's words back. The form carries
// the version of the article it was offered on: if someone saved since,
// the restore is refused rather than undoing their save unseen.
func (a *Admin) revisionRestore(w http.ResponseWriter, q *request) error {
	svc, err := a.revisions()
	if err != nil {
		return err
	}
	stored, err := a.editable(q)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(q.PostFormValue("revision"))
	if err != nil || n < 1 {
		return errBadInput
	}
	refuse := func(code int, msg string) error {
		revs, err := svc.List(q.Context(), q.User, stored.ID)
		if err != nil {
			return err
		}
		return a.showRevisions(w, q, code, stored, revs, msg)
	}
	version, err := strconv.Atoi(q.PostFormValue("version"))
	if err != nil || version < 1 {
		return refuse(http.StatusConflict, q.L.T("admin.revisions.conflict"))
	}
	_, err = svc.Restore(q.Context(), q.User, stored.ID, n, version)
	switch {
	case err == nil:
		return redirect(w, q, "/admin/articles/"+itoa64(stored.ID), "restored", n)
	case errors.Is(err, store.ErrConflict):
		return refuse(http.StatusConflict, q.L.T("admin.revisions.conflict"))
	case errors.Is(err, valid.ErrForbidden), errors.Is(err, store.ErrNotFound):
		return err
	}
	errs, ok := formErrors(q, err)
	if !ok {
		return err
	}
	// An old revision can break today's rules (a featured image address
	// no longer allowed); say which.
	for _, msg := range errs {
		return refuse(http.StatusUnprocessableEntity, msg)
	}
	return err
}
