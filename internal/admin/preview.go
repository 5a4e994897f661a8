package admin

import (
	"net/http"
	"time"

	"warta/internal/preview"
)

// PreviewShare is the editor's "share a preview" panel.
type PreviewShare struct {
	// URL is the working link ("" when there is none) and Until when it
	// stops working, in words.
	URL, Until string
	TTLs       []Option
	Error      string
}

// previewShare builds the panel for article id ("" error: none).
func (a *Admin) previewShare(q *request, id int64, chosen, errMsg string) (*PreviewShare, error) {
	if a.opt.Previews == nil {
		return nil, nil
	}
	p := &PreviewShare{Error: errMsg}
	cur, err := a.opt.Previews.Current(q.Context(), id)
	if err != nil {
		return nil, err
	}
	if cur != nil {
		p.URL = a.siteBase(q) + cur.Path
		p.Until = q.L.DateTime(cur.Expires.In(q.Loc))
	}
	if chosen == "" {
		chosen = preview.Lifetimes[1].String()
	}
	for _, d := range preview.Lifetimes {
		p.TTLs = append(p.TTLs, Option{Value: d.String(), Label: q.L.T("admin.preview.ttl." + d.String()), Selected: d.String() == chosen})
	}
	return p, nil
}

// sharePreview makes a new preview link for the article (ending the one
// before) and shows it in the editor.
func (a *Admin) sharePreview(w http.ResponseWriter, q *request) error {
	stored, err := a.editable(q)
	if err != nil {
		return err
	}
	if a.opt.Previews == nil {
		return errNotFound
	}
	ttl, perr := time.ParseDuration(q.PostFormValue("ttl"))
	if perr == nil {
		_, err = a.opt.Previews.Create(q.Context(), q.User, stored.ID, ttl)
		if err == nil {
			return toPanel(w, q, stored.ID, "preview_shared")
		}
	}
	msg := q.L.T("validation.invalid", q.L.T("admin.field.ttl"))
	if err != nil {
		errs, ok := formErrors(q, err, "ttl")
		if !ok {
			return err
		}
		msg = errs["ttl"]
	}
	v, err := a.editorView(q, fromArticle(stored, q.Loc), stored)
	if err != nil {
		return err
	}
	if v.PreviewShare, err = a.previewShare(q, stored.ID, q.PostFormValue("ttl"), msg); err != nil {
		return err
	}
	a.render(w, q, http.StatusUnprocessableEntity, "editor", v)
	return nil
}

// stopPreview ends the article's preview link.
func (a *Admin) stopPreview(w http.ResponseWriter, q *request) error {
	stored, err := a.editable(q)
	if err != nil {
		return err
	}
	if a.opt.Previews == nil {
		return errNotFound
	}
	if err := a.opt.Previews.Revoke(q.Context(), q.User, stored.ID); err != nil {
		return err
	}
	return toPanel(w, q, stored.ID, "preview_stopped")
}

// toPanel sends the user back to the editor's preview panel with a flash.
func toPanel(w http.ResponseWriter, q *request, id int64, flash string) error {
	http.Redirect(w, q.Request, "/admin/articles/"+itoa64(id)+"?ok="+flash+"#pratinjau", http.StatusSeeOther)
	return nil
}
