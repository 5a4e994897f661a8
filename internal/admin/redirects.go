package admin

import (
	"errors"
	"net/http"
	"strings"

	"warta/internal/model"
	redirects "warta/internal/redirect"
	"warta/internal/store"
)

// redirectsPerPage is how many redirects one page of the list shows.
const redirectsPerPage = 50

// RedirectRow is a redirect with the message of a failed change.
type RedirectRow struct {
	model.Redirect
	Error string
}

// redirectForm is the add form as submitted.
type redirectForm struct{ From, To string }

type redirectListView struct {
	*Base
	Rows   []RedirectRow
	Total  int
	Query  string
	F      redirectForm
	Errors FormErrors
	Pager  *Pager
}

func (a *Admin) redirectService() (*redirects.Service, error) {
	if a.opt.Redirects == nil {
		return nil, errNotFound
	}
	return a.opt.Redirects, nil
}

// showRedirects lists the redirects (searched, a page at a time) with the
// add form; errID and msg put a failed change beside its row.
func (a *Admin) showRedirects(w http.ResponseWriter, q *request, code int, f redirectForm, errs FormErrors, errID int64, msg string) error {
	if _, err := a.redirectService(); err != nil {
		return err
	}
	text := strings.TrimSpace(q.URL.Query().Get("q"))
	if len(text) > 200 {
		text = text[:200]
	}
	page := pageNum(q)
	sq := store.RedirectQuery{Text: text, Limit: redirectsPerPage, Offset: (page - 1) * redirectsPerPage}
	list, err := a.st.ListRedirects(q.Context(), sq)
	if err != nil {
		return err
	}
	total, err := a.st.CountRedirects(q.Context(), sq)
	if err != nil {
		return err
	}
	v := &redirectListView{Base: a.base(q, q.L.T("admin.nav.redirects"), "redirects"), Total: total, Query: text, F: f, Errors: errs}
	for _, r := range list {
		row := RedirectRow{Redirect: r}
		if r.ID == errID {
			row.Error = msg
		}
		v.Rows = append(v.Rows, row)
	}
	v.Pager = pager(q, page, total, redirectsPerPage)
	a.render(w, q, code, "redirects", v)
	return nil
}

func (a *Admin) redirectList(w http.ResponseWriter, q *request) error {
	return a.showRedirects(w, q, http.StatusOK, redirectForm{}, nil, 0, "")
}

// addRedirect adds a redirect, or changes the one from the same old
// address; a refused one comes back in the form with the reason.
func (a *Admin) addRedirect(w http.ResponseWriter, q *request) error {
	svc, err := a.redirectService()
	if err != nil {
		return err
	}
	f := redirectForm{From: strings.TrimSpace(q.PostFormValue("from")), To: strings.TrimSpace(q.PostFormValue("to"))}
	if _, err := svc.Put(q.Context(), q.User, 0, redirects.Input{From: f.From, To: f.To}); err != nil {
		errs, ok := formErrors(q, err)
		if !ok {
			return err
		}
		return a.showRedirects(w, q, http.StatusUnprocessableEntity, f, errs, 0, "")
	}
	return redirect(w, q, "/admin/redirects", "saved")
}

// changeRedirect changes one redirect's old address or destination.
func (a *Admin) changeRedirect(w http.ResponseWriter, q *request) error {
	svc, err := a.redirectService()
	if err != nil {
		return err
	}
	id, err := idParam(q, "id")
	if err != nil {
		return err
	}
	_, err = svc.Put(q.Context(), q.User, id, redirects.Input{From: q.PostFormValue("from"), To: q.PostFormValue("to")})
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return errNotFound
		}
		errs, ok := formErrors(q, err)
		if !ok {
			return err
		}
		for _, field := range []string{"from", "to"} {
			if msg := errs[field]; msg != "" {
				return a.showRedirects(w, q, http.StatusUnprocessableEntity, redirectForm{}, nil, id, msg)
			}
		}
		return err
	}
	return redirect(w, q, "/admin/redirects", "saved")
}

func (a *Admin) deleteRedirect(w http.ResponseWriter, q *request) error {
	svc, err := a.redirectService()
	if err != nil {
		return err
	}
	id, err := idParam(q, "id")
	if err != nil {
		return err
	}
	if err := svc.Delete(q.Context(), q.User, id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return errNotFound
		}
		return err
	}
	return redirect(w, q, "/admin/redirects", "deleted")
}
