// Package redirect owns the rules of redirects: old addresses (those of a
// WordPress site that moved to Warta, or any an editor adds) that answer
// one 301 to where their content lives now. Each change runs in one store
// transaction and ends with one event; the public site asks Resolve when
// a path is not found.
package redirect

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"warta/internal/article"
	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/valid"
)

// Limits on a redirect's addresses.
const (
	MaxPath = 1000
	// maxHops bounds how far the loop check follows a chain of redirects.
	maxHops = 20
)

// Store is what redirects need from storage: changes go through a
// transaction; Resolve reads.
type Store interface {
	store.Transactor
	RedirectFrom(ctx context.Context, from string) (*model.Redirect, error)
	ArticleByID(ctx context.Context, id int64) (*model.Article, error)
	PageByID(ctx context.Context, id int64) (*model.Page, error)
	// RedirectFor returns the article that used to live at path (its
	// slug or month changed).
	RedirectFor(ctx context.Context, path string) (int64, error)
}

// Service applies the rules.
type Service struct {
	st     Store
	events *event.Bus
	now    func() time.Time
}

// New builds the service on the program's clock. Built on a store.Tx with
// a nil bus (as an import does), it writes within that transaction and
// leaves the one event to the caller.
func New(st Store, bus *event.Bus, now func() time.Time) *Service {
	if now == nil {
		panic("redirect: no clock")
	}
	return &Service{st: st, events: bus, now: now}
}

// Input is a redirect as an editor writes it.
type Input struct {
	From string // an old address on this site: a path, perhaps with WordPress's ?p=N
	To   string // a site path or an absolute http(s) URL
}

// CanEdit reports whether actor may change redirects: editors and admins.
func CanEdit(actor *model.User) bool { return actor != nil && actor.Role.AtLeast(model.RoleEditor) }

// Put adds a redirect, or changes the one from the same old address (id
// 0), or changes redirect id (whose new old address no other redirect
// may have).
func (s *Service) Put(ctx context.Context, actor *model.User, id int64, in Input) (*model.Redirect, error) {
	if !CanEdit(actor) {
		return nil, valid.ErrForbidden
	}
	r, err := check(in)
	if err != nil {
		return nil, err
	}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := loopCheck(ctx, tx, r.From, r.To); err != nil {
			return err
		}
		if id == 0 {
			return tx.PutRedirect(ctx, r)
		}
		r.ID = id
		return tx.UpdateRedirect(ctx, r)
	})
	if errors.Is(err, store.ErrConflict) {
		var errs valid.Errors
		errs.Add("from", "conflict", "validation.redirect_taken")
		return nil, errs
	}
	if err != nil {
		return nil, err
	}
	s.events.Publish(ctx, event.RedirectChanged{From: r.From})
	return r, nil
}

// Delete removes redirect id.
func (s *Service) Delete(ctx context.Context, actor *model.User, id int64) error {
	if !CanEdit(actor) {
		return valid.ErrForbidden
	}
	var r *model.Redirect
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		var err error
		if r, err = tx.RedirectByID(ctx, id); err != nil {
			return err
		}
		return tx.DeleteRedirect(ctx, id)
	})
	if err != nil {
		return err
	}
	s.events.Publish(ctx, event.RedirectChanged{From: r.From})
	return nil
}

// Imported records the redirects an import found, in the import's
// transaction (the service is built on it): each old address to the
// article, page or path it became. An address that is the new one
// already, or that another redirect holds, is left. It publishes
// nothing: the import's one event follows its commit.
func (s *Service) Imported(ctx context.Context, rs []model.Redirect) (int, error) {
	n := 0
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		for i := range rs {
			r := rs[i]
			r.Source = model.RedirectWordPress
			if r.From == "" || r.From == "/" || r.From == r.To || len(r.From) > MaxPath {
				continue
			}
			if _, err := tx.RedirectFrom(ctx, r.From); err == nil {
				continue
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
			if err := tx.PutRedirect(ctx, &r); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// check validates a redirect as written and returns it normalised.
func check(in Input) (*model.Redirect, error) {
	var errs valid.Errors
	from := Key(strings.TrimSpace(in.From))
	to := strings.TrimSpace(in.To)
	switch {
	case strings.TrimSpace(in.From) == "":
		errs.Add("from", "required", "validation.required", "from")
	case from == "" || from == "/" || len(from) > MaxPath || reserved(from):
		errs.Add("from", "invalid", "validation.redirect_from")
	}
	switch {
	case to == "":
		errs.Add("to", "required", "validation.required", "to")
	case !target(to):
		errs.Add("to", "invalid", "validation.redirect_to")
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if strings.HasPrefix(to, "/") {
		to = trimSlash(to)
	}
	return &model.Redirect{From: from, To: to, Source: model.RedirectManual}, nil
}

// reserved tells the addresses a redirect could never answer: the
// newsroom, the API, media files and the site's own files.
func reserved(from string) bool {
	for _, p := range []string{"/admin", "/api", "/media", "/static"} {
		if from == p || strings.HasPrefix(from, p+"/") || strings.HasPrefix(from, p+"?") {
			return true
		}
	}
	return false
}

// target accepts a site path or an absolute http(s) URL, without spaces
// or control characters.
func target(to string) bool {
	if len(to) > MaxPath || strings.IndexFunc(to, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r == '\\' }) >= 0 {
		return false
	}
	if strings.HasPrefix(to, "/") {
		return !strings.HasPrefix(to, "//")
	}
	u, err := url.Parse(to)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// loopCheck refuses a redirect from → to whose chain of site redirects
// comes back to from.
func loopCheck(ctx context.Context, tx store.Tx, from, to string) error {
	seen := map[string]bool{from: true}
	for hop := 0; hop < maxHops && strings.HasPrefix(to, "/"); hop++ {
		k := Key(to)
		if seen[k] {
			var errs valid.Errors
			errs.Add("to", "loop", "validation.redirect_loop")
			return errs
		}
		seen[k] = true
		next, err := tx.RedirectFrom(ctx, k)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		to = next.To
	}
	return nil
}

// queryKeys are WordPress's query forms of an address, in the order a
// redirect is looked up by: the first one present names the content.
var queryKeys = []string{"p", "page_id", "attachment_id", "cat", "author", "tag"}

// Key is the form an old address is kept and looked up under: the path,
// decoded, without trailing slashes; with WordPress's query form of an
// address (?p=358, ?page_id=2, ?cat=3, ?author=1, ?tag=x,
// ?attachment_id=9) its first such parameter too. Any other query is
// left out. A full URL counts for its path and query.
func Key(addr string) string {
	path, query, _ := strings.Cut(addr, "?")
	if u, err := url.Parse(addr); err == nil && u.Scheme != "" {
		path, query = u.Path, u.RawQuery
	} else if p, err := url.PathUnescape(path); err == nil {
		path = p
	}
	if i := strings.IndexByte(query, '#'); i >= 0 {
		query = query[:i]
	}
	path = trimSlash(path)
	if query == "" {
		return path
	}
	v, err := url.ParseQuery(query)
	if err != nil {
		return path
	}
	for _, k := range queryKeys {
		if x := strings.TrimSpace(v.Get(k)); x != "" {
			return path + "?" + k + "=" + url.QueryEscape(x)
		}
	}
	return path
}

// trimSlash drops trailing slashes, except the root's, and makes
// repeated ones one (as the server's path cleaning does); an empty path
// is the root.
func trimSlash(p string) string {
	for strings.Contains(p, "//") {
		p = strings.ReplaceAll(p, "//", "/")
	}
	p = strings.TrimRight(p, "/")
	if p == "" || p[0] != '/' {
		p = "/" + p
	}
	return p
}

// Resolve returns where a request for path (decoded) with the raw query
// that found nothing should go, or "": an article that moved, an old
// address with a redirect, WordPress's search and feed addresses, a page
// of a list (/page/2/), and any address with a trailing slash to the one
// without. The answer is one hop: a redirect to an article goes to its
// current address.
func (s *Service) Resolve(ctx context.Context, path, rawQuery string) string {
	if len(path) > MaxPath || len(rawQuery) > MaxPath {
		return ""
	}
	q, _ := url.ParseQuery(rawQuery)
	trimmed := trimSlash(path)
	if trimmed == "/" {
		return s.rootQuery(ctx, q)
	}
	if to := s.lookup(ctx, trimmed); to != "" {
		return to
	}
	if to := s.wordpressForm(ctx, trimmed); to != "" {
		return to
	}
	if trimmed != path {
		if rawQuery != "" {
			return trimmed + "?" + rawQuery
		}
		return trimmed
	}
	return ""
}

// rootQuery answers WordPress's query addresses on the home page: a
// search, a feed, a page of the home list, or a post, page, category,
// author or attachment by its number.
func (s *Service) rootQuery(ctx context.Context, q url.Values) string {
	if v, ok := q["s"]; ok {
		return "/cari?q=" + url.QueryEscape(strings.TrimSpace(v[0]))
	}
	if f, ok := q["feed"]; ok {
		if strings.HasPrefix(f[0], "comments") {
			return "/komentar/feed.xml"
		}
		return feedFor("/", f[0])
	}
	for _, k := range queryKeys {
		if x := strings.TrimSpace(q.Get(k)); x != "" {
			if to := s.lookup(ctx, "/?"+k+"="+url.QueryEscape(x)); to != "" {
				return to
			}
			if k == "tag" {
				return "/tag/" + url.PathEscape(x)
			}
			return ""
		}
	}
	if n, err := strconv.Atoi(q.Get("paged")); err == nil && n > 1 {
		return "/?page=" + strconv.Itoa(n)
	}
	return ""
}

// lookup is where a kept redirect or a moved article sends key, or "".
func (s *Service) lookup(ctx context.Context, key string) string {
	r, err := s.st.RedirectFrom(ctx, key)
	if err == nil {
		return s.destination(ctx, r)
	}
	if strings.Count(key, "/") == 3 && !strings.Contains(key, "?") {
		if id, err := s.st.RedirectFor(ctx, key); err == nil {
			if a, err := s.st.ArticleByID(ctx, id); err == nil {
				return article.PublicPath(a, s.now())
			}
		}
	}
	return ""
}

// destination is where r sends readers now: its article's or page's
// current address while readers may see it ("" otherwise), else its path.
func (s *Service) destination(ctx context.Context, r *model.Redirect) string {
	switch {
	case r.ArticleID != nil:
		a, err := s.st.ArticleByID(ctx, *r.ArticleID)
		if err != nil {
			return ""
		}
		return article.PublicPath(a, s.now())
	case r.PageID != nil:
		p, err := s.st.PageByID(ctx, *r.PageID)
		if err != nil || p.Status != model.StatusPublished {
			return ""
		}
		return "/" + p.Slug
	}
	return r.To
}

// wordpressForm answers WordPress's addresses built on another: a feed
// (/feed/, /comments/feed/, /category/x/feed/, a post's /feed/) and a
// page of a list (/category/x/page/2/).
func (s *Service) wordpressForm(ctx context.Context, p string) string {
	if base, kind, ok := feedSuffix(p); ok {
		switch base {
		case "/":
			return feedFor("/", kind)
		case "/comments":
			return "/komentar/feed.xml"
		}
		to := s.lookup(ctx, base)
		if to == "" {
			to = base
		}
		if strings.Contains(to, "://") || strings.Contains(to, "?") {
			return to
		}
		return feedFor(to, kind)
	}
	if base, n, ok := pageSuffix(p); ok {
		to := base
		if base != "/" {
			if to = s.lookup(ctx, base); to == "" {
				to = base
			}
		}
		if strings.Contains(to, "?") || strings.Contains(to, "://") {
			return to
		}
		return to + "?page=" + strconv.Itoa(n)
	}
	return ""
}

// feedSuffix splits WordPress's feed addresses: base/feed, base/feed/rss2
// (rss, atom, rdf), base/rss2 … The base of the site's feed is "/".
func feedSuffix(p string) (base, kind string, ok bool) {
	segs := strings.Split(p, "/")
	last := segs[len(segs)-1]
	switch last {
	case "rss", "rss2", "atom", "rdf":
		if len(segs) >= 2 && segs[len(segs)-2] == "feed" {
			return trimSlash(strings.Join(segs[:len(segs)-2], "/")), last, true
		}
		if len(segs) == 2 { // /rss2, /atom at the root
			return "/", last, true
		}
	case "feed":
		return trimSlash(strings.Join(segs[:len(segs)-1], "/")), "rss2", true
	}
	return "", "", false
}

// feedFor is Warta's feed of the list or article at path: Atom for
// WordPress's atom feed, else RSS.
func feedFor(path, kind string) string {
	file := "feed.xml"
	if kind == "atom" {
		file = "atom.xml"
	}
	if path == "/" {
		return "/" + file
	}
	return path + "/" + file
}

// pageSuffix splits WordPress's base/page/N.
func pageSuffix(p string) (base string, n int, ok bool) {
	i := strings.LastIndex(p, "/page/")
	if i < 0 {
		return "", 0, false
	}
	n, err := strconv.Atoi(p[i+len("/page/"):])
	if err != nil || n < 1 {
		return "", 0, false
	}
	return trimSlash(p[:i]), n, true
}
