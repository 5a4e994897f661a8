package web

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"strings"
	"time"

	"warta/internal/search"
	"warta/internal/store"
)

// searchView is the search page ("Cari"): the query, its filters and one
// page of hits.
type searchView struct {
	*Base
	Heading    string
	Query      string
	Searched   bool // a query was given: show the count, or that nothing matched
	Total      int
	More       bool   // the store stopped counting: more than Total hits
	Partial    bool   // no article holds every word: these hold the most
	Corrected  string // the query as searched after typo correction, or ""
	Hits       []searchHit
	Pager      *Pager
	Empty      string
	Categories []categoryOption
	From, To   string // the date filters as YYYY-MM-DD, when valid
	Filtered   bool
}

// searchHit is a found article: its card, with the title and a fragment
// of the body as HTML in which the matched words are marked. The store
// escapes both, so they may go into the page as they are.
type searchHit struct {
	Card
	TitleHTML template.HTML
	Snippet   template.HTML
}

// categoryOption is an entry of the category filter.
type categoryOption struct {
	Slug, Label string
	Selected    bool
}

// search serves /cari?q=…&kategori=slug&dari=YYYY-MM-DD&sampai=YYYY-MM-DD&page=N.
// Unknown categories and malformed dates are ignored rather than refused:
// a reader who mistyped one still gets results.
func (s *Site) search(w http.ResponseWriter, r *http.Request) error {
	st, err := s.loadState(r.Context())
	if err != nil {
		return err
	}
	b, err := s.base(r, "")
	if err != nil {
		return err
	}
	params := r.URL.Query()
	q := strings.TrimSpace(search.Truncate(params.Get("q"), 4*search.MaxQueryRunes))
	if runes := []rune(q); len(runes) > search.MaxQueryRunes {
		q = strings.TrimSpace(string(runes[:search.MaxQueryRunes]))
	}
	b.Query = q
	b.NoIndex = true
	b.Title = b.L.T("nav.search") + " – " + b.Site.SiteName
	v := &searchView{Base: b, Heading: b.L.T("nav.search"), Query: q, Empty: b.L.T("search.prompt")}

	sq := store.SearchQuery{Text: q, PublicAt: s.opt.Now(), Lexicon: st.lexicon}
	slug := params.Get("kategori")
	for _, c := range st.categories {
		label := c.Name
		if c.ParentID != nil {
			label = "– " + c.Name
		}
		opt := categoryOption{Slug: c.Slug, Label: label, Selected: c.Slug == slug}
		if opt.Selected {
			sq.CategoryID = c.ID
		}
		v.Categories = append(v.Categories, opt)
	}
	if d, ok := parseDay(params.Get("dari"), st.loc); ok {
		sq.From, v.From = d, d.Format(time.DateOnly)
	}
	if d, ok := parseDay(params.Get("sampai"), st.loc); ok {
		// The whole day named is included.
		sq.To, v.To = d.AddDate(0, 0, 1), d.Format(time.DateOnly)
	}
	v.Filtered = sq.CategoryID != 0 || v.From != "" || v.To != ""
	if q == "" {
		s.render(w, r, http.StatusOK, "search", v)
		return nil
	}

	per := max(1, st.settings.PostsPerPage)
	page := pageNum(r)
	sq.Limit, sq.Offset = per, (page-1)*per
	res, err := s.runSearch(r.Context(), sq)
	if errors.Is(err, errSearchBusy) {
		w.Header().Set("Retry-After", "5")
		return &httpError{status: http.StatusServiceUnavailable}
	}
	if err != nil {
		return err
	}
	if page > 1 && len(res.Hits) == 0 {
		return notFound()
	}
	v.Searched, v.Total, v.More, v.Partial, v.Corrected = true, res.Total, res.More, res.Partial, res.Corrected
	v.Heading = b.L.T("search.heading", headingQuery(q))
	v.Empty = b.L.T("search.none")
	b.Title = v.Heading + " – " + b.Site.SiteName
	for _, h := range res.Hits {
		v.Hits = append(v.Hits, searchHit{
			Card:      s.card(b, st.loc, h.Article),
			TitleHTML: template.HTML(h.TitleHTML), // escaped by the store, <mark> added
			Snippet:   template.HTML(h.Snippet),   // likewise
		})
	}
	v.Pager = searchPager(b, r, page, per, res)
	if page > 1 {
		b.Title = v.Heading + " – " + v.Pager.Label + " – " + b.Site.SiteName
	}
	s.render(w, r, http.StatusOK, "search", v)
	return nil
}

// headingQuery prepares the reader's query for the heading, which puts it
// in quotation marks itself (“…”). A query that is one quoted phrase loses
// its own quotes, so "harga pasar" is shown once, as “harga pasar”; quotes
// inside a longer query become the single quotes of a quotation within a
// quotation (‘…’), and one the reader left open is closed at the end, as
// the search reads it.
func headingQuery(q string) string {
	var b strings.Builder
	open, pairs := false, 0
	for _, r := range q {
		switch {
		case !search.IsQuote(r):
			b.WriteRune(r)
		case open:
			b.WriteRune('’')
			open = false
		default:
			b.WriteRune('‘')
			open = true
			pairs++
		}
	}
	if open {
		b.WriteRune('’')
	}
	s := b.String()
	if pairs == 1 && strings.HasPrefix(s, "‘") && strings.HasSuffix(s, "’") {
		s = strings.TrimSuffix(strings.TrimPrefix(s, "‘"), "’")
	}
	return s
}

// searchPager links the pages of a search. When the store stopped
// counting, the number of pages is unknown, and the pager only says which
// page this is and links the next one, which holds at least one hit.
func searchPager(b *Base, r *http.Request, page, per int, res store.SearchResult) *Pager {
	if !res.More {
		return pager(b, r, page, res.Total, per)
	}
	p := pager(b, r, page, (page+1)*per, per)
	p.Pages = 0
	p.Label = b.L.T("search.page", b.L.Int(page))
	return p
}

// searchKey is what makes two searches the same, and the count of
// changes when it started.
type searchKey struct {
	text          string
	category      int64
	from, to      int64 // UnixNano, 0 for none
	limit, offset int
	changes       uint64
}

var errSearchBusy = errors.New("web: every search slot taken")

// runSearch runs sq, once for all the identical searches that arrive
// while it runs (flight.go); a search begun before a change is not joined
// after it.
//
// A search for words half the archive holds takes long; a flood of them
// must not take every core from the readers' pages. Beyond the slots, a
// search waits a little, then the reader is asked to try again.
func (s *Site) runSearch(ctx context.Context, sq store.SearchQuery) (store.SearchResult, error) {
	k := searchKey{text: sq.Text, category: sq.CategoryID, limit: sq.Limit, offset: sq.Offset, changes: s.changes.Load()}
	if !sq.From.IsZero() {
		k.from = sq.From.UnixNano()
	}
	if !sq.To.IsZero() {
		k.to = sq.To.UnixNano()
	}
	return s.searchRuns.do(ctx, k, func() (store.SearchResult, error) {
		select {
		case s.searchSlots <- struct{}{}:
			defer func() { <-s.searchSlots }()
		case <-time.After(searchWait):
			return store.SearchResult{}, errSearchBusy
		}
		// The run serves every reader who joined it: the one who started
		// it leaving does not end it for the others.
		return s.opt.Store.SearchArticles(context.WithoutCancel(ctx), sq)
	})
}

// searchWait is how long a search waits for one of Site.searchSlots.
const searchWait = 3 * time.Second

// parseDay reads a YYYY-MM-DD date as the start of that day in loc.
func parseDay(s string, loc *time.Location) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	d, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil || d.Year() < 1900 || d.Year() > 9999 {
		return time.Time{}, false
	}
	return d, true
}
