package web

import (
	"errors"
	"net/http"

	"warta/internal/article"
	"warta/internal/preview"
)

// preview shows a draft or scheduled story through a signed link
// (internal/preview) in the site's own design, for the people an editor
// chose to show it to: never cached (no-store, and the page cache's
// bypass rule), never indexed, without comments or view counting. An
// altered or ended link is 404 and an expired one 410, each with its own
// words.
func (s *Site) preview(w http.ResponseWriter, r *http.Request) error {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Robots-Tag", "noindex, nofollow")
	h.Set("Referrer-Policy", "no-referrer") // the link is the key: it must not leak to linked sites
	if s.opt.Previews == nil {
		return notFound()
	}
	a, until, err := s.opt.Previews.Open(r.Context(), r.PathValue("id"), r.URL.Query().Get("k"))
	switch {
	case errors.Is(err, preview.ErrInvalid):
		return &httpError{status: http.StatusNotFound, key: "preview.invalid"}
	case errors.Is(err, preview.ErrExpired):
		return &httpError{status: http.StatusGone, key: "preview.expired"}
	case err != nil:
		return err
	}
	if a.Retracted() {
		return &httpError{status: http.StatusGone}
	}
	st, b, v, meta, err := s.story(r, a, article.Path(a))
	if err != nil {
		return err
	}
	b.NoIndex = true
	b.Canonical = b.BaseURL + r.URL.RequestURI()
	page := &articlePage{Base: b, A: v, Meta: meta,
		Preview: b.L.T("preview.banner", b.L.DateTime(until.In(st.loc)))}
	s.render(w, r, http.StatusOK, "article", page)
	return nil
}
