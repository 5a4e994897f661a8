package web

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"warta/internal/store"
)

// maxQuery bounds a search so a hostile query cannot cost much.
const maxQuery = 200

func (s *Site) search(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if utf8.RuneCountInString(q) > maxQuery {
		q = string([]rune(q)[:maxQuery])
	}
	b, err := s.base(r, "")
	if err != nil {
		return err
	}
	b.Query = q
	b.NoIndex = true
	b.Title = b.L.T("nav.search") + " – " + b.Site.SiteName
	v := &listView{Heading: b.L.T("nav.search"), SearchQuery: q}
	if q == "" {
		v.Empty = b.L.T("search.prompt")
		v.Base = b
		s.render(w, r, http.StatusOK, "list", v)
		return nil
	}
	v.Heading = b.L.T("search.heading", q)
	v.Empty = b.L.T("search.none")
	return s.listing(w, r, b, store.ArticleQuery{Text: q}, v)
}
