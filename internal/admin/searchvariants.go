package admin

import (
	"net/http"

	"warta/internal/model"
)

// searchVariantsView is the synonyms screen: the groups editors added
// and a form for another.
type searchVariantsView struct {
	*Base
	Rows   []model.SearchVariant
	Forms  string // the form's text, kept when it was refused
	Errors FormErrors
}

func (a *Admin) showSearchVariants(w http.ResponseWriter, q *request, code int, forms string, errs FormErrors) error {
	rows, err := a.st.ListSearchVariants(q.Context())
	if err != nil {
		return err
	}
	v := &searchVariantsView{Base: a.base(q, q.L.T("admin.nav.search_variants"), "search_variants"), Rows: rows, Forms: forms, Errors: errs}
	a.render(w, q, code, "searchvariants", v)
	return nil
}

func (a *Admin) searchVariantList(w http.ResponseWriter, q *request) error {
	return a.showSearchVariants(w, q, http.StatusOK, "", nil)
}

func (a *Admin) addSearchVariant(w http.ResponseWriter, q *request) error {
	forms := q.PostFormValue("forms")
	if _, err := a.opt.SearchVariants.Add(q.Context(), q.User, forms); err != nil {
		errs, ok := formErrors(q, err, "forms")
		if !ok {
			return err
		}
		return a.showSearchVariants(w, q, http.StatusUnprocessableEntity, forms, errs)
	}
	return redirect(w, q, "/admin/search-variants", "created")
}

func (a *Admin) deleteSearchVariant(w http.ResponseWriter, q *request) error {
	id, err := idParam(q, "id")
	if err != nil {
		return err
	}
	if err := a.opt.SearchVariants.Delete(q.Context(), q.User, id); err != nil {
		return err
	}
	return redirect(w, q, "/admin/search-variants", "deleted")
}
