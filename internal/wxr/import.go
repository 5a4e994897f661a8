package wxr

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/render"
	"warta/internal/slug"
	"warta/internal/store"
)

// Options tune an import.
type Options struct {
	Renderer *render.Renderer
	// Location is the site's time zone, for WordPress dates given only in
	// local time (drafts have no GMT date).
	Location *time.Location
	// Events hears, once the import has committed, that the site changed
	// (when anything was added); nil tells no one.
	Events *event.Bus
}

// Result counts what an import did.
type Result struct {
	Articles, Pages, Comments, Categories, Tags, Authors int
	// Already: posts and pages skipped because an earlier import brought them.
	Already int
	// Trashed posts and pages, and trashed comments, are left out.
	Trashed int
	// Pings: pingbacks and trackbacks, which Warta does not keep.
	Pings int
	// PageComments: comments on pages, which take none in Warta.
	PageComments int
	// Protected: password-protected posts, imported as drafts (Warta has
	// no per-article passwords, so they are not published).
	Protected int
	// Images: featured images and gallery images referred to by their
	// WordPress address.
	Images int
	// Published is true when a public article or page was added, so
	// caches must be told.
	Published bool
}

// Summary is the one line an import prints.
func (r *Result) Summary() string {
	s := fmt.Sprintf("imported %d articles, %d pages, %d comments, %d categories, %d tags, %d authors; skipped %d already imported",
		r.Articles, r.Pages, r.Comments, r.Categories, r.Tags, r.Authors, r.Already)
	if r.Trashed > 0 {
		s += fmt.Sprintf(", %d trashed", r.Trashed)
	}
	if r.Pings > 0 {
		s += fmt.Sprintf(", %d pingbacks/trackbacks", r.Pings)
	}
	if r.PageComments > 0 {
		s += fmt.Sprintf(", %d comments on pages", r.PageComments)
	}
	if r.Protected > 0 {
		s += fmt.Sprintf("; %d password-protected posts kept as drafts", r.Protected)
	}
	return s + "; images and attachments stay at their WordPress addresses (not downloaded)"
}

// reservedPageSlugs are first path segments the public site already
// answers (as in the newsroom's page editor).
var reservedPageSlugs = map[string]bool{
	"admin": true, "api": true, "media": true, "static": true, "cari": true, "kategori": true, "tag": true,
	"penulis": true, "avatar": true,
}

// Limits, as the article rules have them.
const (
	maxTitle   = 300
	maxExcerpt = 1000
	maxName    = 100
)

type importer struct {
	tx    store.Tx
	opt   Options
	doc   *Document
	site  string
	res   *Result
	now   time.Time
	users map[string]int64 // author login → user id
	cats  map[string]*model.Category
	tags  map[string]*model.Tag
	media map[int64]attachment
	// comments maps WordPress comment ids of this file to Warta ids.
	comments map[int64]int64
}

// Import brings doc into the store in one transaction: all of it, or —
// on any error — nothing. Posts and comments an earlier import of the
// same site brought are skipped, so running it twice adds nothing. When
// anything was added, one change event follows the commit: every page
// may show it (menus, lists, feeds), as after a change of settings.
func Import(ctx context.Context, st store.Transactor, doc *Document, opt Options) (*Result, error) {
	if opt.Renderer == nil {
		opt.Renderer = render.New()
	}
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	site := strings.TrimRight(strings.TrimSpace(doc.BaseBlog), "/")
	if site == "" {
		site = strings.TrimRight(strings.TrimSpace(doc.Link), "/")
	}
	var res *Result
	err := st.InTx(ctx, func(tx store.Tx) error {
		res = &Result{}
		im := &importer{tx: tx, opt: opt, doc: doc, site: site, res: res, now: tx.Now().UTC(),
			users: map[string]int64{}, cats: map[string]*model.Category{}, tags: map[string]*model.Tag{},
			media: map[int64]attachment{}, comments: map[int64]int64{}}
		return im.run(ctx)
	})
	if err != nil {
		return nil, err
	}
	if res.Articles+res.Pages+res.Comments+res.Categories+res.Tags+res.Authors > 0 {
		opt.Events.Publish(ctx, event.SettingsChanged{})
	}
	return res, nil
}

func (im *importer) run(ctx context.Context) error {
	for _, it := range im.doc.Items {
		if it.Type == "attachment" {
			im.media[it.PostID] = attachment{URL: strings.TrimSpace(it.URL), Alt: oneLine(it.MetaValue("_wp_attachment_image_alt")),
				Caption: oneLine(it.Excerpt()), Parent: it.Parent, Order: it.MenuOrder}
		}
	}
	for _, c := range im.doc.Categories {
		if _, err := im.category(ctx, c.Nicename, c.Name, 0); err != nil {
			return err
		}
	}
	for _, t := range im.doc.Tags {
		if _, err := im.tag(ctx, t.Slug, t.Name); err != nil {
			return err
		}
	}
	for i := range im.doc.Items {
		it := &im.doc.Items[i]
		switch it.Type {
		case "post", "page":
		default:
			continue // attachments, menus, blocks, templates, revisions
		}
		switch it.Status {
		case "trash":
			im.res.Trashed++
			continue
		case "auto-draft", "inherit":
			continue
		}
		if err := im.item(ctx, it); err != nil {
			return fmt.Errorf("%s %d (%q): %w", it.Type, it.PostID, truncate(oneLine(it.Title), 60), err)
		}
	}
	return nil
}

func (im *importer) key(kind string, id int64) string {
	return "wxr:" + im.site + "#" + kind + strconv.FormatInt(id, 10)
}

func (im *importer) item(ctx context.Context, it *Item) error {
	key := im.key("post", it.PostID)
	done, err := im.tx.GetKV(ctx, key)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err == nil {
		im.res.Already++
		// New comments on a post brought earlier still come in.
		if id, ok := strings.CutPrefix(done, "article:"); ok {
			if aid, err := strconv.ParseInt(id, 10, 64); err == nil {
				return im.itemComments(ctx, it, aid)
			}
		}
		return nil
	}
	content := expandShortcodes(it.Content(), it.PostID, im.media)
	body := ToMarkdown(content)
	bodyHTML, err := im.opt.Renderer.HTML(body)
	if err != nil {
		return err
	}
	title := truncate(oneLine(it.Title), maxTitle)
	if title == "" {
		if title = truncate(render.Excerpt(body, 60), maxTitle); title == "" {
			title = "#" + strconv.FormatInt(it.PostID, 10)
		}
	}
	pub, hasDate := im.date(it.DateGMT, it.Date)
	if !hasDate {
		pub = im.now
	}
	updated := pub
	if m, ok := parseDate(it.Modified, time.UTC); ok && m.After(pub) {
		updated = m
	}
	if it.Type == "page" {
		return im.page(ctx, it, key, title, body, bodyHTML, pub, updated)
	}

	a := &model.Article{Title: title, Body: body, BodyHTML: bodyHTML, CreatedAt: pub, UpdatedAt: updated,
		CommentsOpen: it.Comments != "closed"}
	switch it.Status {
	case "publish", "future":
		a.Status = model.StatusPublished
		if pub.After(im.now) {
			a.Status = model.StatusScheduled
		}
		p := pub
		a.PublishedAt = &p
	case "pending":
		a.Status = model.StatusPending
	default: // draft, private
		a.Status = model.StatusDraft
	}
	if it.Password != "" && a.Status != model.StatusDraft {
		a.Status, a.PublishedAt = model.StatusDraft, nil
		im.res.Protected++
	}
	// Only an excerpt someone wrote; lists and feeds derive one from the
	// text when there is none, and the article page shows none.
	a.Excerpt = truncate(strings.TrimSpace(collapse(HTMLToText(it.Excerpt()))), maxExcerpt)
	if id, err := strconv.ParseInt(strings.TrimSpace(it.MetaValue("_thumbnail_id")), 10, 64); err == nil {
		if m, ok := im.media[id]; ok && imageURL(m.URL) {
			a.Image = model.Image{URL: m.URL, Alt: m.Alt, Caption: m.Caption}
			im.res.Images++
		}
	}
	if a.AuthorID, err = im.author(ctx, it.Creator); err != nil {
		return err
	}
	seenCat, seenTag := map[int64]bool{}, map[int64]bool{}
	for _, t := range it.Terms {
		switch t.Domain {
		case "category":
			c, err := im.category(ctx, t.Nicename, t.Name, 0)
			if err != nil {
				return err
			}
			if c != nil && !seenCat[c.ID] {
				seenCat[c.ID] = true
				a.Categories = append(a.Categories, *c)
			}
		case "post_tag":
			g, err := im.tag(ctx, t.Nicename, t.Name)
			if err != nil {
				return err
			}
			if g != nil && !seenTag[g.ID] {
				seenTag[g.ID] = true
				a.Tags = append(a.Tags, *g)
			}
		}
	}
	if a.Slug, err = im.uniqueSlug(ctx, "articles", it.Name, title, "artikel"); err != nil {
		return err
	}
	if err := im.tx.CreateArticle(ctx, a); err != nil {
		return err
	}
	im.res.Articles++
	if a.Status == model.StatusPublished {
		im.res.Published = true
	}
	if err := im.tx.PutKV(ctx, key, "article:"+strconv.FormatInt(a.ID, 10)); err != nil {
		return err
	}
	return im.itemComments(ctx, it, a.ID)
}

func (im *importer) page(ctx context.Context, it *Item, key, title, body, bodyHTML string, created, updated time.Time) error {
	p := &model.Page{Title: title, Body: body, BodyHTML: bodyHTML, Status: model.StatusDraft, Position: max(it.MenuOrder, 0),
		CreatedAt: created, UpdatedAt: updated}
	if it.Status == "publish" && it.Password == "" {
		p.Status = model.StatusPublished
		im.res.Published = true
	} else if it.Password != "" {
		im.res.Protected++
	}
	var err error
	if p.Slug, err = im.uniqueSlug(ctx, "pages", it.Name, title, "halaman"); err != nil {
		return err
	}
	if err := im.tx.CreatePage(ctx, p); err != nil {
		return err
	}
	im.res.Pages++
	// Comments on pages have nowhere to go: Warta's pages take none.
	im.res.PageComments += len(it.CommentsOf)
	return im.tx.PutKV(ctx, key, "page:"+strconv.FormatInt(p.ID, 10))
}

// itemComments brings the comments of a post, parents before replies.
func (im *importer) itemComments(ctx context.Context, it *Item, articleID int64) error {
	list := append([]Comment(nil), it.CommentsOf...)
	sort.SliceStable(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	for _, wc := range list {
		key := im.key("comment", wc.ID)
		if _, err := im.tx.GetKV(ctx, key); err == nil {
			continue
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		switch wc.Type {
		case "", "comment":
		case "pingback", "trackback":
			im.res.Pings++
			continue
		default:
			continue
		}
		c := &model.Comment{ArticleID: articleID}
		switch strings.TrimSpace(wc.Approved) {
		case "1", "approve", "approved":
			c.Status = model.CommentApproved
		case "0", "hold", "":
			c.Status = model.CommentPending
		case "spam":
			c.Status = model.CommentSpam
		default: // trash, post-trashed
			im.res.Trashed++
			continue
		}
		c.Body = HTMLToText(wc.Content)
		if c.Body == "" {
			continue
		}
		c.AuthorName = truncate(oneLine(wc.Author), maxName)
		if c.AuthorName == "" {
			c.AuthorName = "Anonim"
		}
		c.AuthorEmail = strings.TrimSpace(wc.AuthorEmail)
		if u := strings.TrimSpace(wc.AuthorURL); imageURL(u) && !strings.HasPrefix(u, "/") {
			c.AuthorURL = u
		}
		t, ok := im.date(wc.DateGMT, wc.Date)
		if !ok {
			t = im.now
		}
		c.CreatedAt = t
		if wc.Parent != 0 {
			if pid, ok := im.comments[wc.Parent]; ok {
				c.ParentID = &pid
			} else if v, err := im.tx.GetKV(ctx, im.key("comment", wc.Parent)); err == nil {
				if pid, err := strconv.ParseInt(strings.TrimPrefix(v, "comment:"), 10, 64); err == nil {
					c.ParentID = &pid
				}
			}
		}
		if err := im.tx.CreateComment(ctx, c, bodyHash(c.Body)); err != nil {
			return err
		}
		im.comments[wc.ID] = c.ID
		im.res.Comments++
		if err := im.tx.PutKV(ctx, key, "comment:"+strconv.FormatInt(c.ID, 10)); err != nil {
			return err
		}
	}
	return nil
}

// bodyHash is the comment rules' fingerprint for spotting a repeated comment.
func bodyHash(body string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.Join(strings.Fields(body), " "))))
	return hex.EncodeToString(sum[:16])
}

// author returns the Warta user for a WordPress login: the account with the
// author's email when there is one, otherwise a new, inactive author
// account without a password (an admin activates it and sets a password).
func (im *importer) author(ctx context.Context, login string) (int64, error) {
	login = strings.Trim(login, " \t\r\n<>")
	if id, ok := im.users[login]; ok {
		return id, nil
	}
	a := Author{Login: login}
	for _, x := range im.doc.Authors {
		if strings.Trim(x.Login, " \t\r\n<>") == login {
			a = x
			break
		}
	}
	email := strings.TrimSpace(a.Email)
	if email != "" {
		u, err := im.tx.UserByEmail(ctx, email)
		if err == nil {
			im.users[login] = u.ID
			return u.ID, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return 0, err
		}
	}
	name := truncate(oneLine(a.DisplayName), maxName)
	if name == "" {
		name = truncate(oneLine(login), maxName)
	}
	if name == "" {
		name = "WordPress"
	}
	base := slug.Make(login)
	if base == "" {
		base = slug.Make(name)
	}
	if base == "" {
		base = "penulis"
	}
	s, err := slug.Unique(ctx, base, func(ctx context.Context, c string) (bool, error) { return im.tx.SlugTaken(ctx, "users", c, 0) })
	if err != nil {
		return 0, err
	}
	if !strings.Contains(email, "@") {
		// Accounts need an address; .invalid can never receive mail.
		email = s + "@wordpress-import.invalid"
		if u, err := im.tx.UserByEmail(ctx, email); err == nil {
			im.users[login] = u.ID
			return u.ID, nil
		}
	}
	u := &model.User{Email: email, Name: name, Slug: s, Role: model.RoleAuthor, Active: false, CreatedAt: im.now}
	if err := im.tx.CreateUser(ctx, u); err != nil {
		return 0, fmt.Errorf("create the account of author %q: %w", login, err)
	}
	im.users[login] = u.ID
	im.res.Authors++
	return u.ID, nil
}

// category returns the category with the WordPress nicename, creating it
// (and its parents, from the file's category list) when missing.
func (im *importer) category(ctx context.Context, nicename, name string, depth int) (*model.Category, error) {
	sl := termSlug(nicename, name)
	if sl == "" {
		return nil, nil
	}
	if c, ok := im.cats[sl]; ok {
		return c, nil
	}
	c, err := im.tx.CategoryBySlug(ctx, sl)
	if err == nil {
		im.cats[sl] = c
		return c, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	c = &model.Category{Name: truncate(oneLine(name), maxName), Slug: sl}
	for _, x := range im.doc.Categories {
		if termSlug(x.Nicename, x.Name) != sl {
			continue
		}
		c.Name = truncate(oneLine(x.Name), maxName)
		c.Description = strings.TrimSpace(HTMLToText(x.Description))
		if x.Parent != "" && depth < 50 {
			parent, err := im.category(ctx, x.Parent, x.Parent, depth+1)
			if err != nil {
				return nil, err
			}
			if parent != nil && parent.Slug != sl {
				c.ParentID = &parent.ID
			}
		}
		break
	}
	if c.Name == "" {
		c.Name = sl
	}
	if err := im.tx.CreateCategory(ctx, c); err != nil {
		return nil, err
	}
	im.cats[sl] = c
	im.res.Categories++
	return c, nil
}

func (im *importer) tag(ctx context.Context, nicename, name string) (*model.Tag, error) {
	sl := termSlug(nicename, name)
	if sl == "" {
		return nil, nil
	}
	if g, ok := im.tags[sl]; ok {
		return g, nil
	}
	g, err := im.tx.TagBySlug(ctx, sl)
	if err == nil {
		im.tags[sl] = g
		return g, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	g = &model.Tag{Name: truncate(oneLine(name), maxName), Slug: sl}
	if g.Name == "" {
		g.Name = sl
	}
	if err := im.tx.CreateTag(ctx, g); err != nil {
		return nil, err
	}
	im.tags[sl] = g
	im.res.Tags++
	return g, nil
}

// termSlug is a Warta slug for a WordPress nicename (which may be
// percent-encoded UTF-8), else for the name.
func termSlug(nicename, name string) string {
	if u, err := url.PathUnescape(strings.TrimSpace(nicename)); err == nil {
		nicename = u
	}
	if s := slug.Make(nicename); s != "" {
		return s
	}
	return slug.Make(oneLine(name))
}

// uniqueSlug keeps WordPress's post_name when it is free, and otherwise
// adds -2, -3 … as Warta does.
func (im *importer) uniqueSlug(ctx context.Context, table, postName, title, fallback string) (string, error) {
	want := termSlug(postName, "")
	if want == "" {
		want = slug.Make(title)
	}
	if want == "" {
		want = fallback
	}
	return slug.Unique(ctx, want, func(ctx context.Context, c string) (bool, error) {
		if table == "pages" && reservedPageSlugs[c] {
			return true, nil
		}
		return im.tx.SlugTaken(ctx, table, c, 0)
	})
}

// date reads WordPress's GMT date, or else its local date in the site's zone.
func (im *importer) date(gmt, local string) (time.Time, bool) {
	if t, ok := parseDate(gmt, time.UTC); ok {
		return t, true
	}
	return parseDate(local, im.opt.Location)
}

func parseDate(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "0000-00-00") {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, loc)
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// imageURL accepts the addresses Warta accepts for a featured image.
func imageURL(u string) bool {
	if u == "" || strings.ContainsAny(u, " \t\r\n\"'<>\\") {
		return false
	}
	l := strings.ToLower(u)
	return (strings.HasPrefix(l, "/") && !strings.HasPrefix(l, "//")) ||
		strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n]))
}
