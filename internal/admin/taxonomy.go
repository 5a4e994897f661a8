package admin

import (
	"net/http"
	"strconv"
	"strings"

	"warta/internal/model"
	"warta/internal/taxonomy"
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
	banned := taxonomy.Descendants(cats, f.ID)
	v.Parents = []Option{{Value: "", Label: q.L.T("admin.category.no_parent")}}
	for _, c := range v.Tree {
		if !isNew && banned[c.ID] {
			continue
		}
		v.Parents = append(v.Parents, Option{Value: itoa64(c.ID), Label: strings.Repeat("— ", c.Depth) + c.Name, Selected: f.Parent == c.ID})
	}
	return v, nil
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

func (f categoryForm) input() taxonomy.CategoryInput {
	return taxonomy.CategoryInput{Name: f.Name, Slug: f.Slug, Description: f.Description, Parent: f.Parent}
}

// categoryFailed shows the form again with the field errors of err, or
// returns err when it is not the editor's to fix.
func (a *Admin) categoryFailed(w http.ResponseWriter, q *request, err error, f categoryForm, isNew bool) error {
	errs, ok := formErrors(q, err)
	if !ok {
		return err
	}
	v, err := a.categoryView(q, f, isNew)
	if err != nil {
		return err
	}
	v.Errors = errs
	tpl := "category"
	if isNew {
		tpl = "categories"
	}
	a.render(w, q, http.StatusUnprocessableEntity, tpl, v)
	return nil
}

func (a *Admin) createCategory(w http.ResponseWriter, q *request) error {
	f := readCategoryForm(q)
	if _, err := a.opt.Taxonomy.CreateCategory(q.Context(), q.User, f.input()); err != nil {
		return a.categoryFailed(w, q, err, f, true)
	}
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
	if _, err := a.opt.Taxonomy.UpdateCategory(q.Context(), q.User, c.ID, f.input()); err != nil {
		return a.categoryFailed(w, q, err, f, false)
	}
	return redirect(w, q, "/admin/categories", "saved")
}

func (a *Admin) deleteCategory(w http.ResponseWriter, q *request) error {
	id, err := idParam(q, "id")
	if err != nil {
		return err
	}
	if err := a.opt.Taxonomy.DeleteCategory(q.Context(), q.User, id); err != nil {
		return err
	}
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
	err = a.opt.Taxonomy.RenameTag(q.Context(), q.User, id, q.PostFormValue("name"), q.PostFormValue("slug"))
	if err != nil {
		errs, ok := formErrors(q, err)
		if !ok {
			return err
		}
		for _, msg := range errs {
			return a.showTags(w, q, http.StatusUnprocessableEntity, id, msg)
		}
	}
	return redirect(w, q, "/admin/tags", "saved")
}

func (a *Admin) deleteTag(w http.ResponseWriter, q *request) error {
	id, err := idParam(q, "id")
	if err != nil {
		return err
	}
	if err := a.opt.Taxonomy.DeleteTag(q.Context(), q.User, id); err != nil {
		return err
	}
	return redirect(w, q, "/admin/tags", "deleted")
}
