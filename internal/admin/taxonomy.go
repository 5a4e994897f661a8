package admin

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/slug"
	"warta/internal/store"
)

type categoryForm struct {
	ID          int64
	Name        string
	Slug        string
	Parent      int64
	Description string
}

type categoryView struct {
	*Base
	Tree    []CategoryNode
	F       categoryForm
	Parents []Option
	Errors  FormErrors
	IsNew   bool
}

func (a *Admin) categoryView(q *request, f categoryForm, isNew bool) (*categoryView, error) {
	cats, err := a.st.Categories(q.Context())
	if err != nil {
		return nil, err
	}
	title := q.L.T("admin.nav.categories")
	if !isNew {
		title = q.L.T("admin.category.edit_title", f.Name)
	}
	v := &categoryView{Base: a.base(q, title, "categories"), Tree: treeOrder(cats), F: f, IsNew: isNew}
	banned := descendants(cats, f.ID)
	v.Parents = []Option{{Value: "", Label: q.L.T("admin.category.no_parent")}}
	for _, c := range v.Tree {
		if !isNew && banned[c.ID] {
			continue
		}
		v.Parents = append(v.Parents, Option{Value: itoa64(c.ID), Label: strings.Repeat("— ", c.Depth) + c.Name, Selected: f.Parent == c.ID})
	}
	return v, nil
}

// descendants returns id and every category below it: none of them may
// become its parent, or the tree would loop.
func descendants(cats []model.Category, id int64) map[int64]bool {
	out := map[int64]bool{id: true}
	for changed := true; changed; {
		changed = false
		for _, c := range cats {
			if c.ParentID != nil && out[*c.ParentID] && !out[c.ID] {
				out[c.ID] = true
				changed = true
			}
		}
	}
	return out
}

func (a *Admin) categoryList(w http.ResponseWriter, q *request) error {
	v, err := a.categoryView(q, categoryForm{}, true)
	if err != nil {
		return err
	}
	a.render(w, q, http.StatusOK, "categories", v)
	return nil
}

func readCategoryForm(q *request) categoryForm {
	f := categoryForm{Name: strings.TrimSpace(q.PostFormValue("name")), Slug: strings.TrimSpace(q.PostFormValue("slug")),
		Description: strings.TrimSpace(q.PostFormValue("description"))}
	f.Parent, _ = strconv.ParseInt(q.PostFormValue("parent"), 10, 64)
	return f
}

// applyCategory validates f onto c; it returns field errors, or an error
// that is not the user's.
func (a *Admin) applyCategory(ctx context.Context, q *request, f categoryForm, c *model.Category) (FormErrors, error) {
	errs := FormErrors{}
	if f.Name == "" {
		errs["name"] = q.L.T("validation.required", q.L.T("field.name"))
	} else if utf8.RuneCountInString(f.Name) > 100 {
		errs["name"] = q.L.T("validation.too_long", q.L.T("field.name"), q.L.Int(100))
	}
	if utf8.RuneCountInString(f.Description) > 1000 {
		errs["description"] = q.L.T("validation.too_long", q.L.T("admin.field.description"), q.L.Int(1000))
	}
	cats, err := a.st.Categories(ctx)
	if err != nil {
		return nil, err
	}
	if f.Parent != 0 {
		found := false
		for _, x := range cats {
			found = found || x.ID == f.Parent
		}
		if !found || (c.ID != 0 && descendants(cats, c.ID)[f.Parent]) {
			errs["parent"] = q.L.T("admin.category.bad_parent")
		}
	}
	want := slug.Make(f.Slug)
	if want == "" {
		want = slug.Make(f.Name)
	}
	if want == "" && errs["name"] == "" {
		errs["slug"] = q.L.T("validation.invalid", q.L.T("field.slug"))
	}
	if len(errs) > 0 {
		return errs, nil
	}
	if want != c.Slug {
		taken, err := a.st.SlugTaken(ctx, "categories", want, c.ID)
		if err != nil {
			return nil, err
		}
		if taken {
			// A category's slug is its public address: a clash is
			// explained rather than silently renamed.
			return FormErrors{"slug": q.L.T("admin.category.slug_taken")}, nil
		}
	}
	c.Name, c.Slug, c.Description = f.Name, want, f.Description
	c.ParentID = nil
	if f.Parent != 0 {
		p := f.Parent
		c.ParentID = &p
	}
	return nil, nil
}

func (a *Admin) createCategory(w http.ResponseWriter, q *request) error {
	f := readCategoryForm(q)
	c := &model.Category{}
	errs, err := a.applyCategory(q.Context(), q, f, c)
	if err == nil && errs == nil {
		err = a.st.CreateCategory(q.Context(), c)
		if errors.Is(err, store.ErrConflict) {
			errs, err = FormErrors{"slug": q.L.T("admin.category.slug_taken")}, nil
		}
	}
	if err != nil {
		return err
	}
	if errs != nil {
		v, err := a.categoryView(q, f, true)
		if err != nil {
			return err
		}
		v.Errors = errs
		a.render(w, q, http.StatusUnprocessableEntity, "categories", v)
		return nil
	}
	a.opt.Events.Publish(q.Context(), event.TaxonomyChanged{})
	return redirect(w, q, "/admin/categories", "created")
}

func (a *Admin) categoryByID(q *request) (*model.Category, error) {
	id, err := idParam(q, "id")
	if err != nil {
		return nil, err
	}
	cats, err := a.st.Categories(q.Context())
	if err != nil {
		return nil, err
	}
	for _, c := range cats {
		if c.ID == id {
			return &c, nil
		}
	}
	return nil, errNotFound
}

func (a *Admin) editCategory(w http.ResponseWriter, q *request) error {
	c, err := a.categoryByID(q)
	if err != nil {
		return err
	}
	f := categoryForm{ID: c.ID, Name: c.Name, Slug: c.Slug, Description: c.Description}
	if c.ParentID != nil {
		f.Parent = *c.ParentID
	}
	v, err := a.categoryView(q, f, false)
	if err != nil {
		return err
	}
	a.render(w, q, http.StatusOK, "category", v)
	return nil
}

func (a *Admin) updateCategory(w http.ResponseWriter, q *request) error {
	c, err := a.categoryByID(q)
	if err != nil {
		return err
	}
	f := readCategoryForm(q)
	f.ID = c.ID
	errs, err := a.applyCategory(q.Context(), q, f, c)
	if err == nil && errs == nil {
		err = a.st.UpdateCategory(q.Context(), c)
		if errors.Is(err, store.ErrConflict) {
			errs, err = FormErrors{"slug": q.L.T("admin.category.slug_taken")}, nil
		}
	}
	if err != nil {
		return err
	}
	if errs != nil {
		v, err := a.categoryView(q, f, false)
		if err != nil {
			return err
		}
		v.Errors = errs
		a.render(w, q, http.StatusUnprocessableEntity, "category", v)
		return nil
	}
	a.opt.Events.Publish(q.Context(), event.TaxonomyChanged{})
	return redirect(w, q, "/admin/categories", "saved")
}

func (a *Admin) deleteCategory(w http.ResponseWriter, q *request) error {
	id, err := idParam(q, "id")
	if err != nil {
		return err
	}
	if err := a.st.DeleteCategory(q.Context(), id); err != nil {
		return err
	}
	a.opt.Events.Publish(q.Context(), event.TaxonomyChanged{})
	return redirect(w, q, "/admin/categories", "deleted")
}

// TagRow is a tag with its number of articles.
type TagRow struct {
	model.Tag
	Count int
	Error string
}

type tagListView struct {
	*Base
	Rows []TagRow
}

func (a *Admin) showTags(w http.ResponseWriter, q *request, code int, errID int64, msg string) error {
	tags, err := a.st.Tags(q.Context())
	if err != nil {
		return err
	}
	counts, err := a.st.TagCounts(q.Context())
	if err != nil {
		return err
	}
	v := &tagListView{Base: a.base(q, q.L.T("admin.nav.tags"), "tags")}
	for _, t := range tags {
		row := TagRow{Tag: t, Count: counts[t.ID]}
		if t.ID == errID {
			row.Error = msg
		}
		v.Rows = append(v.Rows, row)
	}
	a.render(w, q, code, "tags", v)
	return nil
}

func (a *Admin) tagList(w http.ResponseWriter, q *request) error {
	return a.showTags(w, q, http.StatusOK, 0, "")
}

func (a *Admin) renameTag(w http.ResponseWriter, q *request) error {
	id, err := idParam(q, "id")
	if err != nil {
		return err
	}
	name := strings.TrimSpace(q.PostFormValue("name"))
	sl := slug.Make(q.PostFormValue("slug"))
	if sl == "" {
		sl = slug.Make(name)
	}
	switch {
	case name == "" || sl == "":
		return a.showTags(w, q, http.StatusUnprocessableEntity, id, q.L.T("validation.required", q.L.T("field.name")))
	case utf8.RuneCountInString(name) > 100:
		return a.showTags(w, q, http.StatusUnprocessableEntity, id, q.L.T("validation.too_long", q.L.T("field.name"), q.L.Int(100)))
	}
	err = a.st.UpdateTag(q.Context(), &model.Tag{ID: id, Name: name, Slug: sl})
	if errors.Is(err, store.ErrConflict) {
		return a.showTags(w, q, http.StatusUnprocessableEntity, id, q.L.T("admin.tag.slug_taken"))
	} else if err != nil {
		return err
	}
	a.opt.Events.Publish(q.Context(), event.TaxonomyChanged{})
	return redirect(w, q, "/admin/tags", "saved")
}

func (a *Admin) deleteTag(w http.ResponseWriter, q *request) error {
	id, err := idParam(q, "id")
	if err != nil {
		return err
	}
	if err := a.st.DeleteTag(q.Context(), id); err != nil {
		return err
	}
	a.opt.Events.Publish(q.Context(), event.TaxonomyChanged{})
	return redirect(w, q, "/admin/tags", "deleted")
}
