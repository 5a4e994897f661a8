package wxr

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"warta/internal/article"
	"warta/internal/model"
	"warta/internal/redirect"
	"warta/internal/store"
)

// The redirects an import writes, so that every address of the old site
// answers one 301 to the new one: each post's and page's own address (as
// the file's <link> has it, whatever the site's permalink structure was),
// its guid, ?p=N and ?page_id=N, the addresses of its earlier slugs
// (_wp_old_slug), attachment pages, categories (/category/a/b/, ?cat=N),
// tags and authors.

// target is what a WordPress post or page became.
type target struct {
	article, page int64
	to            string
}

// itemRedirects notes the old addresses of an item that became article
// or page id (kind "article" or "page").
func (im *importer) itemRedirects(ctx context.Context, it *Item, kind string, id int64) error {
	t := target{}
	switch kind {
	case "article":
		a, err := im.tx.ArticleByID(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil // deleted since an earlier import
		}
		if err != nil {
			return err
		}
		t.article, t.to = id, article.Path(a)
	case "page":
		p, err := im.tx.PageByID(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		t.page, t.to = id, "/"+p.Slug
	default:
		return nil
	}
	im.targets[it.PostID] = t
	n := strconv.FormatInt(it.PostID, 10)
	from := []string{redirect.Key(it.Link), "/?p=" + n}
	if it.Type == "page" {
		from = append(from, "/?page_id="+n)
	}
	if g := strings.TrimSpace(it.GUID); strings.Contains(g, "?p=") || strings.Contains(g, "?page_id=") {
		from = append(from, redirect.Key(g))
	}
	for _, m := range it.Meta {
		if m.Key == "_wp_old_slug" {
			from = append(from, oldSlugPath(redirect.Key(it.Link), m.Value))
		}
	}
	for _, f := range from {
		im.redirectTo(f, t)
	}
	return nil
}

// oldSlugPath is the post's address with an earlier slug in place of the
// last segment, or "" when the address has no slug to replace.
func oldSlugPath(link, old string) string {
	old = strings.Trim(strings.TrimSpace(old), "/")
	i := strings.LastIndexByte(link, '/')
	if old == "" || strings.ContainsAny(old, "/?") || i < 0 || strings.Contains(link, "?") || link == "/" {
		return ""
	}
	if u, err := url.PathUnescape(old); err == nil {
		old = u
	}
	return link[:i+1] + old
}

// redirectTo notes one old address of t.
func (im *importer) redirectTo(from string, t target) {
	if from == "" || from == "/" {
		return
	}
	if from == t.to {
		im.linkTo[from] = t
		return
	}
	if t.article != 0 || t.page != 0 {
		im.linkTo[from] = t
	}
	r := model.Redirect{From: from, To: t.to}
	if t.article != 0 {
		r.ArticleID = &t.article
	}
	if t.page != 0 {
		r.PageID = &t.page
	}
	im.redirects = append(im.redirects, r)
}

// attachmentRedirects sends the attachment pages of the file's media to
// the post they belong to, else to the file itself.
func (im *importer) attachmentRedirects() {
	for _, it := range im.doc.Items {
		if it.Type != "attachment" {
			continue
		}
		t, ok := im.targets[it.Parent]
		if !ok {
			if _, local := im.opt.Media.local(strings.TrimSpace(it.URL)); local != "" {
				t = target{to: local}
			} else if u := strings.TrimSpace(it.URL); imageURL(u) && !strings.HasPrefix(u, "/") {
				t = target{to: u}
			} else {
				continue
			}
		}
		im.redirectTo(redirect.Key(it.Link), t)
		im.redirectTo("/?attachment_id="+strconv.FormatInt(it.PostID, 10), t)
	}
}

// termRedirects sends the old addresses of the file's categories (their
// nested paths), tags and authors to Warta's.
func (im *importer) termRedirects(ctx context.Context) error {
	for _, c := range im.doc.Categories {
		wc, ok := im.cats[termSlug(c.Nicename, c.Name)]
		if !ok {
			continue
		}
		t := target{to: "/kategori/" + wc.Slug}
		im.redirectTo(redirect.Key("/category/"+im.categoryPath(c.Nicename)), t)
		// WordPress answers a sub-category without its parents too.
		im.redirectTo(redirect.Key("/category/"+c.Nicename), t)
		if c.TermID > 0 {
			im.redirectTo("/?cat="+strconv.FormatInt(c.TermID, 10), t)
		}
	}
	for _, g := range im.doc.Tags {
		wt, ok := im.tags[termSlug(g.Slug, g.Name)]
		if !ok {
			continue
		}
		t := target{to: "/tag/" + wt.Slug}
		im.redirectTo(redirect.Key("/tag/"+g.Slug), t)
		im.redirectTo(redirect.Key("/?tag="+g.Slug), t)
	}
	for _, a := range im.doc.Authors {
		id, ok := im.users[strings.Trim(a.Login, " \t\r\n<>")]
		if !ok {
			continue
		}
		u, err := im.tx.UserByID(ctx, id)
		if err != nil {
			return err
		}
		t := target{to: "/penulis/" + u.Slug}
		im.redirectTo(redirect.Key("/author/"+strings.TrimSpace(a.Login)), t)
		if a.ID > 0 {
			im.redirectTo("/?author="+strconv.FormatInt(a.ID, 10), t)
		}
	}
	return nil
}

// categoryPath is a category's path under /category/: its ancestors'
// nicenames and its own.
func (im *importer) categoryPath(nicename string) string {
	parts := []string{nicename}
	for depth := 0; depth < 50; depth++ {
		x := im.fileCategoryByNicename(parts[0])
		if x == nil || x.Parent == "" || x.Parent == parts[0] {
			break
		}
		parts = append([]string{x.Parent}, parts...)
	}
	return strings.Join(parts, "/")
}

func (im *importer) fileCategoryByNicename(n string) *Category {
	for i := range im.doc.Categories {
		if im.doc.Categories[i].Nicename == n {
			return &im.doc.Categories[i]
		}
	}
	return nil
}

// saveRedirects writes the redirects noted, through the redirect service
// on the import's transaction.
func (im *importer) saveRedirects(ctx context.Context) error {
	im.attachmentRedirects()
	if err := im.termRedirects(ctx); err != nil {
		return err
	}
	n, err := redirect.New(im.tx, nil, im.tx.Now).Imported(ctx, im.redirects)
	im.res.Redirects += n
	return err
}
