package admin

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"warta/internal/model"
	"warta/internal/page"
	"warta/internal/store"
)

type pageForm struct {
	ID        int64
	Version   int
	Title     string
	Slug      string
	Body      string
	Status    model.Status
	Position  string
	Overwrite bool
}

type pageEditorView struct {
	*Base
	F        pageForm
	IsNew    bool
	Errors   FormErrors
	Conflict bool
	Statuses []Option
	Public   string
}

type pageListView struct {
	*Base
	Pages []model.Page
}

func (a *Admin) pageList(w http.ResponseWriter, q *request) error {
	pages, err := a.st.ListPages(q.Context())
	if err != nil {
		return err
	}
	a.render(w, q, http.StatusOK, "pages", &pageListView{Base: a.base(q, q.L.T("admin.nav.pages"), "pages"), Pages: pages})
	return nil
}

func (a *Admin) showPageEditor(w http.ResponseWriter, q *request, code int, f pageForm, stored *model.Page, errs FormErrors) error {
	title := q.L.T("admin.page.new_title")
	if stored != nil {
		title = q.L.T("admin.page.edit_title", stored.Title)
	}
	v := &pageEditorView{Base: a.base(q, title, "pages"), F: f, IsNew: stored == nil, Errors: errs, Conflict: errs["conflict"] != ""}
	if stored != nil && stored.Status == model.StatusPublished {
		v.Public = "/" + stored.Slug
	}
	for _, s := range []model.Status{model.StatusDraft, model.StatusPublished} {
		v.Statuses = append(v.Statuses, Option{Value: string(s), Label: v.StatusName(s), Selected: f.Status == s})
	}
	a.render(w, q, code, "page_editor", v)
	return nil
}

// newPage opens the editor empty, or filled from a ready page
// (?templat=redaksi) in the site's language.
func (a *Admin) newPage(w http.ResponseWriter, q *request) error {
	f := pageForm{Status: model.StatusDraft, Position: "0"}
	if name := q.URL.Query().Get("templat"); name != "" {
		var ok bool
		if f, ok = pageTemplate(name, q.Settings.Language, q.Settings.SiteName); !ok {
			return errNotFound
		}
	}
	return a.showPageEditor(w, q, http.StatusOK, f, nil, nil)
}

func readPageForm(q *request) pageForm {
	p := q.PostFormValue
	f := pageForm{Title: strings.TrimSpace(p("title")), Slug: strings.TrimSpace(p("slug")), Body: strings.ReplaceAll(p("body"), "\r\n", "\n"),
		Status: model.Status(p("status")), Position: strings.TrimSpace(p("position")), Overwrite: p("overwrite") != ""}
	f.Version, _ = strconv.Atoi(p("version"))
	return f
}

// input turns the form into the page service's input; a position that is
// not a number is a field error.
func (f pageForm) input(q *request) (page.Input, FormErrors) {
	in := page.Input{Title: f.Title, Slug: f.Slug, Body: f.Body, Status: f.Status}
	if f.Position != "" {
		n, err := strconv.Atoi(f.Position)
		if err != nil {
			return in, FormErrors{"position": q.L.T("validation.invalid", q.L.T("admin.field.position"))}
		}
		in.Position = n
	}
	return in, nil
}

// pageSaveFailed shows the editor again with what went wrong, or returns
// an error that is not the editor's to fix.
func (a *Admin) pageSaveFailed(w http.ResponseWriter, q *request, err error, f pageForm, stored *model.Page) error {
	if errors.Is(err, store.ErrStale) {
		return a.showPageEditor(w, q, http.StatusConflict, f, stored, FormErrors{"conflict": q.L.T("admin.editor.conflict")})
	}
	if errors.Is(err, store.ErrConflict) {
		return a.showPageEditor(w, q, http.StatusUnprocessableEntity, f, stored, FormErrors{"slug": q.L.T("admin.page.slug_taken")})
	}
	errs, ok := formErrors(q, err)
	if !ok {
		return err
	}
	return a.showPageEditor(w, q, http.StatusUnprocessableEntity, f, stored, errs)
}

func (a *Admin) createPage(w http.ResponseWriter, q *request) error {
	f := readPageForm(q)
	in, errs := f.input(q)
	if errs != nil {
		return a.showPageEditor(w, q, http.StatusUnprocessableEntity, f, nil, errs)
	}
	pg, err := a.opt.Pages.Create(q.Context(), q.User, in)
	if err != nil {
		return a.pageSaveFailed(w, q, err, f, nil)
	}
	return redirect(w, q, "/admin/pages/"+itoa64(pg.ID), "saved")
}

func (a *Admin) editPage(w http.ResponseWriter, q *request) error {
	pg, err := a.pageParam(q)
	if err != nil {
		return err
	}
	f := pageForm{ID: pg.ID, Version: pg.Version, Title: pg.Title, Slug: pg.Slug, Body: pg.Body, Status: pg.Status,
		Position: strconv.Itoa(pg.Position)}
	return a.showPageEditor(w, q, http.StatusOK, f, pg, nil)
}

func (a *Admin) updatePage(w http.ResponseWriter, q *request) error {
	stored, err := a.pageParam(q)
	if err != nil {
		return err
	}
	f := readPageForm(q)
	f.ID = stored.ID
	version := f.Version
	if f.Overwrite {
		// The editor saw the newer version and chose to replace it.
		version, f.Overwrite = 0, false
	}
	in, errs := f.input(q)
	if errs != nil {
		return a.showPageEditor(w, q, http.StatusUnprocessableEntity, f, stored, errs)
	}
	pg, err := a.opt.Pages.Update(q.Context(), q.User, stored.ID, version, in)
	if err != nil {
		if errors.Is(err, store.ErrStale) {
			// Offer to overwrite the version that is stored now.
			f.Version = stored.Version
		}
		return a.pageSaveFailed(w, q, err, f, stored)
	}
	return redirect(w, q, "/admin/pages/"+itoa64(pg.ID), "saved")
}

func (a *Admin) deletePage(w http.ResponseWriter, q *request) error {
	id, err := idParam(q, "id")
	if err != nil {
		return err
	}
	if err := a.opt.Pages.Delete(q.Context(), q.User, id); err != nil {
		return err
	}
	return redirect(w, q, "/admin/pages", "deleted")
}

// pageParam loads the static page named by the {id} in the path.
func (a *Admin) pageParam(q *request) (*model.Page, error) {
	id, err := idParam(q, "id")
	if err != nil {
		return nil, err
	}
	return a.st.PageByID(q.Context(), id)
}
