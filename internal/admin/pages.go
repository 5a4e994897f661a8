package admin

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"warta/internal/article"
	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/slug"
	"warta/internal/store"
)

// reservedPageSlugs are first path segments the public site or the other
// surfaces already answer, so a page there would never be reached.
var reservedPageSlugs = map[string]bool{
	"admin": true, "api": true, "media": true, "static": true, "cari": true, "kategori": true, "tag": true,
	"penulis": true, "avatar": true,
}

type pageForm struct {
	ID        int64
	UpdatedAt int64
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

func (a *Admin) newPage(w http.ResponseWriter, q *request) error {
	return a.showPageEditor(w, q, http.StatusOK, pageForm{Status: model.StatusDraft, Position: "0"}, nil, nil)
}

func readPageForm(q *request) pageForm {
	p := q.PostFormValue
	f := pageForm{Title: strings.TrimSpace(p("title")), Slug: strings.TrimSpace(p("slug")), Body: strings.ReplaceAll(p("body"), "\r\n", "\n"),
		Status: model.Status(p("status")), Position: strings.TrimSpace(p("position")), Overwrite: p("overwrite") != ""}
	f.UpdatedAt, _ = strconv.ParseInt(p("updated_at"), 10, 64)
	return f
}

// applyPage validates f and copies it onto pg. Static pages have no
// domain package of their own: their only rules are these.
func (a *Admin) applyPage(ctx context.Context, q *request, f pageForm, pg *model.Page) (FormErrors, error) {
	errs := FormErrors{}
	if f.Title == "" {
		errs["title"] = q.L.T("validation.required", q.L.T("field.title"))
	} else if utf8.RuneCountInString(f.Title) > article.MaxTitle {
		errs["title"] = q.L.T("validation.too_long", q.L.T("field.title"), q.L.Int(article.MaxTitle))
	}
	if len(f.Body) > article.MaxBody {
		errs["body"] = q.L.T("validation.too_long", q.L.T("field.body"), q.L.Int(article.MaxBody))
	}
	if f.Status != model.StatusDraft && f.Status != model.StatusPublished {
		errs["status"] = q.L.T("validation.invalid", q.L.T("field.status"))
	}
	pos := 0
	if f.Position != "" {
		n, err := strconv.Atoi(f.Position)
		if err != nil || n < 0 || n > 10000 {
			errs["position"] = q.L.T("validation.invalid", q.L.T("admin.field.position"))
		}
		pos = n
	}
	want := slug.Make(f.Slug)
	if want == "" {
		want = slug.Make(f.Title)
	}
	if want == "" {
		want = "halaman"
	}
	if reservedPageSlugs[want] {
		errs["slug"] = q.L.T("admin.page.slug_reserved")
	}
	if len(errs) > 0 {
		return errs, nil
	}
	if want != pg.Slug {
		uniq, err := slug.Unique(ctx, want, func(ctx context.Context, c string) (bool, error) {
			return a.st.SlugTaken(ctx, "pages", c, pg.ID)
		})
		if err != nil {
			return nil, err
		}
		pg.Slug = uniq
	}
	html, err := a.opt.Renderer.HTML(f.Body)
	if err != nil {
		return nil, err
	}
	pg.Title, pg.Body, pg.BodyHTML, pg.Status, pg.Position = f.Title, f.Body, html, f.Status, pos
	return nil, nil
}

func (a *Admin) createPage(w http.ResponseWriter, q *request) error {
	f := readPageForm(q)
	pg := &model.Page{}
	errs, err := a.applyPage(q.Context(), q, f, pg)
	if err != nil {
		return err
	}
	if errs != nil {
		return a.showPageEditor(w, q, http.StatusUnprocessableEntity, f, nil, errs)
	}
	if err := a.st.CreatePage(q.Context(), pg); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return a.showPageEditor(w, q, http.StatusUnprocessableEntity, f, nil, FormErrors{"slug": q.L.T("admin.page.slug_taken")})
		}
		return err
	}
	a.opt.Events.Publish(q.Context(), event.PageChanged{Slug: pg.Slug})
	return redirect(w, q, "/admin/pages/"+itoa64(pg.ID), "saved")
}

func (a *Admin) editPage(w http.ResponseWriter, q *request) error {
	pg, err := a.pageParam(q)
	if err != nil {
		return err
	}
	f := pageForm{ID: pg.ID, UpdatedAt: pg.UpdatedAt.Unix(), Title: pg.Title, Slug: pg.Slug, Body: pg.Body, Status: pg.Status,
		Position: strconv.Itoa(pg.Position)}
	return a.showPageEditor(w, q, http.StatusOK, f, pg, nil)
}

func (a *Admin) updatePage(w http.ResponseWriter, q *request) error {
	pg, err := a.pageParam(q)
	if err != nil {
		return err
	}
	f := readPageForm(q)
	f.ID = pg.ID
	readAt := time.Unix(f.UpdatedAt, 0)
	if f.Overwrite {
		readAt = pg.UpdatedAt
		f.Overwrite = false
	}
	oldSlug := pg.Slug
	errs, err := a.applyPage(q.Context(), q, f, pg)
	if err != nil {
		return err
	}
	if errs != nil {
		return a.showPageEditor(w, q, http.StatusUnprocessableEntity, f, pg, errs)
	}
	if err := a.st.SavePage(q.Context(), pg, readAt); err != nil {
		if !errors.Is(err, store.ErrConflict) {
			return err
		}
		if !errors.Is(err, store.ErrStale) {
			return a.showPageEditor(w, q, http.StatusUnprocessableEntity, f, pg, FormErrors{"slug": q.L.T("admin.page.slug_taken")})
		}
		return a.showPageEditor(w, q, http.StatusConflict, f, pg, FormErrors{"conflict": q.L.T("admin.editor.conflict")})
	}
	a.opt.Events.Publish(q.Context(), event.PageChanged{Slug: oldSlug})
	if pg.Slug != oldSlug {
		a.opt.Events.Publish(q.Context(), event.PageChanged{Slug: pg.Slug})
	}
	return redirect(w, q, "/admin/pages/"+itoa64(pg.ID), "saved")
}

func (a *Admin) deletePage(w http.ResponseWriter, q *request) error {
	pg, err := a.pageParam(q)
	if err != nil {
		return err
	}
	if err := a.st.DeletePage(q.Context(), pg.ID); err != nil {
		return err
	}
	a.opt.Events.Publish(q.Context(), event.PageChanged{Slug: pg.Slug})
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
