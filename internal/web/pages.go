package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/store"
)

// listView is every page that shows article cards: home, category, tag,
// author, archive, search.
type listView struct {
	*Base
	Heading     string
	Intro       string
	Cards       []Card
	Lead        *Card // the home page's headline story
	Pager       *Pager
	Empty       string
	Subcats     []Link
	Total       int
	SearchQuery string
	home        bool // the front page: Open Graph image and site JSON-LD
}

// listing runs q for the current page and renders the list template.
func (s *Site) listing(w http.ResponseWriter, r *http.Request, b *Base, q store.ArticleQuery, v *listView) error {
	st, err := s.loadState(r.Context())
	if err != nil {
		return err
	}
	per := max(1, st.settings.PostsPerPage)
	page := pageNum(r)
	q.PublicAt = s.opt.Now()
	q.Limit, q.Offset = per, (page-1)*per
	total, err := s.countArticles(r.Context(), q)
	if err != nil {
		return err
	}
	if page > 1 && q.Offset >= total {
		return notFound()
	}
	key := listKey{query: countKey(q), limit: q.Limit, offset: q.Offset}
	cards, gen, ok := s.lists.get(key, q.PublicAt)
	if !ok {
		cardGen := s.cards.generation()
		lq := q
		lq.WithoutBody = true // cards show no body
		list, err := s.opt.Store.ListArticles(r.Context(), lq)
		if err != nil {
			return err
		}
		cards = make([]Card, 0, len(list))
		ids := make([]int64, 0, len(list))
		for _, a := range list {
			cards = append(cards, s.card(b, st.loc, a))
			ids = append(ids, a.ID)
		}
		if len(cards) > 0 {
			// The first card spans the page: its picture is the largest
			// a reader sees first.
			cards[0].Eager = true
		}
		s.addCardSrcsets(r.Context(), cards)
		s.withCardHTML(b, "list", cardGen, ids, cards)
		if s.opt.Events != nil { // without events nothing would say when the list changes
			s.lists.put(key, cards, gen, q.PublicAt)
		}
	}
	v.Base = b
	v.Total = total
	v.Cards = cards
	if v.home {
		s.homeMeta(b, cards)
	}
	v.Pager = pager(b, r, page, total, per)
	if page > 1 {
		b.Title = b.Title + " – " + v.Pager.Label
	}
	s.render(w, r, http.StatusOK, "list", v)
	return nil
}

func (s *Site) home(w http.ResponseWriter, r *http.Request) error {
	if r.URL.RawQuery != "" && s.redirect(w, r) {
		return nil // WordPress's /?p=358, /?s=word, /?feed=rss2 …
	}
	b, err := s.base(r, "")
	if err != nil {
		return err
	}
	b.Title = b.Site.SiteName
	if b.Site.Tagline != "" {
		b.Title += " – " + b.Site.Tagline
	}
	v := &listView{Heading: b.L.T("home.latest"), Empty: b.L.T("home.empty"), home: true}
	b.Canonical = b.BaseURL + "/"
	return s.listing(w, r, b, store.ArticleQuery{}, v)
}

func (s *Site) category(w http.ResponseWriter, r *http.Request) error {
	c, err := s.opt.Store.CategoryBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	b, err := s.base(r, c.Name)
	if err != nil {
		return err
	}
	st, _ := s.loadState(r.Context())
	v := &listView{Heading: b.L.T("category.heading", c.Name), Intro: c.Description, Empty: b.L.T("category.empty")}
	for _, sub := range st.categories {
		if sub.ParentID != nil && *sub.ParentID == c.ID {
			v.Subcats = append(v.Subcats, Link{Label: sub.Name, URL: "/kategori/" + sub.Slug})
		}
	}
	if c.Description != "" {
		b.Description = c.Description
	}
	b.Feeds = append(s.feedLinks(b, "/kategori/"+c.Slug, c.Name), b.Feeds...)
	return s.listing(w, r, b, store.ArticleQuery{CategoryID: c.ID}, v)
}

func (s *Site) tag(w http.ResponseWriter, r *http.Request) error {
	t, err := s.opt.Store.TagBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	b, err := s.base(r, t.Name)
	if err != nil {
		return err
	}
	b.Feeds = append(s.feedLinks(b, "/tag/"+t.Slug, t.Name), b.Feeds...)
	v := &listView{Heading: b.L.T("tag.heading", t.Name), Empty: b.L.T("tag.empty")}
	return s.listing(w, r, b, store.ArticleQuery{TagID: t.ID}, v)
}

func (s *Site) author(w http.ResponseWriter, r *http.Request) error {
	u, err := s.opt.Store.UserBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	b, err := s.base(r, u.Name)
	if err != nil {
		return err
	}
	b.Feeds = append(s.feedLinks(b, "/penulis/"+u.Slug, u.Name), b.Feeds...)
	v := &listView{Heading: b.L.T("author.heading", u.Name), Intro: u.Bio, Empty: b.L.T("author.empty")}
	return s.listing(w, r, b, store.ArticleQuery{AuthorID: u.ID}, v)
}

// archive lists a year (/2024/) or a month (/2024/07/) in the site's zone.
func (s *Site) archive(w http.ResponseWriter, r *http.Request) error {
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || year < 1900 || year > 9999 || len(r.PathValue("year")) != 4 {
		return notFound()
	}
	st, err := s.loadState(r.Context())
	if err != nil {
		return err
	}
	month := 0
	if m := r.PathValue("month"); m != "" {
		month, err = strconv.Atoi(m)
		if err != nil || month < 1 || month > 12 || len(m) != 2 {
			return notFound()
		}
	}
	var from, to time.Time
	var label string
	b, err := s.base(r, "")
	if err != nil {
		return err
	}
	if month == 0 {
		from = time.Date(year, 1, 1, 0, 0, 0, 0, st.loc)
		to = from.AddDate(1, 0, 0)
		label = strconv.Itoa(year)
	} else {
		from = time.Date(year, time.Month(month), 1, 0, 0, 0, 0, st.loc)
		to = from.AddDate(0, 1, 0)
		label = b.L.MonthYear(from)
	}
	heading := b.L.T("archive.heading", label)
	b.Title = heading + " – " + b.Site.SiteName
	v := &listView{Heading: heading, Empty: b.L.T("archive.empty")}
	return s.listing(w, r, b, store.ArticleQuery{From: from, To: to}, v)
}

// pageView is a static page.
type pageView struct {
	*Base
	Page *model.Page
	Body any
}

func (s *Site) page(w http.ResponseWriter, r *http.Request) error {
	p, err := s.opt.Store.PageBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	if p.Status != model.StatusPublished {
		return notFound()
	}
	b, err := s.base(r, p.Title)
	if err != nil {
		return err
	}
	b.Description = ""
	s.render(w, r, http.StatusOK, "page", &pageView{Base: b, Page: p, Body: htmlOf(p.BodyHTML)})
	return nil
}

// countArticles counts a listing's articles for "Halaman 2 dari 5". The
// count scans every matching row, so it is kept until an article or the
// taxonomy changes (the same events that empty the related lists).
func (s *Site) countArticles(ctx context.Context, q store.ArticleQuery) (int, error) {
	key := countKey(q)
	s.counts.mu.Lock()
	n, ok := s.counts.m[key]
	s.counts.mu.Unlock()
	if ok {
		return n, nil
	}
	n, err := s.opt.Store.CountArticles(ctx, q)
	if err != nil {
		return 0, err
	}
	s.counts.mu.Lock()
	if s.counts.m == nil || len(s.counts.m) >= maxRelated {
		s.counts.m = make(map[string]int)
	}
	s.counts.m[key] = n
	s.counts.mu.Unlock()
	return n, nil
}

// countKey names a listing's filter.
func countKey(q store.ArticleQuery) string {
	return fmt.Sprintf("%d|%d|%d|%d|%d|%s|%s", q.CategoryID, q.TagID, q.AuthorID, q.From.Unix(), q.To.Unix(), q.Status, q.Text)
}

// listKey is one page of a listing. Its cards are kept (Site.lists) until
// an article, the taxonomy, a static page or the settings change, the
// events that empty the counts and the page cache; and at most listTTL,
// so that nothing that changes with time alone outlives the page cache's
// own shared lifetime.
type listKey struct {
	query         string
	limit, offset int
}

const (
	maxLists = 500 // pages of cards; the hot ones are few
	listTTL  = time.Minute
)

// countCache holds listing counts; cleared on article and taxonomy changes.
type countCache struct {
	mu sync.Mutex
	m  map[string]int
}

func (c *countCache) clear() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}

// changed drops the counts when articles or the site change (onArticles).
func (c *countCache) changed(e event.Event) {
	if _, sc := onArticles[struct{}](e); sc != dropNone {
		c.clear()
	}
}
