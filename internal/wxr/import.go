package wxr

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
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
	// DryRun runs the whole import and then rolls it back: the Result
	// says what it would do, and the database is left as it was.
	DryRun bool
	// Media, from PlaceMedia, holds the images brought into media
	// storage: the import records them in the media library and points
	// bodies, galleries and featured images at them. Nil leaves every
	// image at its WordPress address.
	Media *Media
	// Progress, when set, hears after each post or page how many the
	// import has handled.
	Progress func(done int)
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
	// Media: images brought into the media library; MediaMissing: those
	// that could not be had, which keep their WordPress addresses.
	Media, MediaMissing int
	// Redirects: old addresses that now answer 301 to the new ones.
	Redirects int
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
	if r.Redirects > 0 {
		s += fmt.Sprintf("; %d old addresses redirected", r.Redirects)
	}
	if r.Protected > 0 {
		s += fmt.Sprintf("; %d password-protected posts kept as drafts", r.Protected)
	}
	if r.Media+r.MediaMissing == 0 {
		return s + "; images and attachments stay at their WordPress addresses (not downloaded)"
	}
	s += fmt.Sprintf("; %d images in the media library", r.Media)
	if r.MediaMissing > 0 {
		s += fmt.Sprintf(", %d not found (they keep their WordPress addresses)", r.MediaMissing)
	}
	return s
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
	maxGUID    = 1000
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
	// targets maps WordPress post ids to what they became (this import
	// or an earlier one); redirects are the old addresses noted.
	targets   map[int64]target
	redirects []model.Redirect
	// linkTo maps the old addresses of what this import brought so far
	// to it; hosts are the old site's host names (links.go).
	linkTo map[string]target
	hosts  map[string]bool
	// each hands the file's items to its function in file order; done
	// counts the posts and pages handled.
	each func(func(*Item) error) error
	done int
}

// errDryRun rolls a dry run's transaction back.
var errDryRun = errors.New("wxr: dry run")

// Import brings doc into the store in one transaction: all of it, or —
// on any error — nothing. Posts and comments an earlier import of the
// same site brought are skipped, so running it twice adds nothing. When
// anything was added, one change event follows the commit: every page
// may show it (menus, lists, feeds), as after a change of settings.
func Import(ctx context.Context, st store.Transactor, doc *Document, opt Options) (*Result, error) {
	return importItems(ctx, st, doc, opt, func(fn func(*Item) error) error {
		for i := range doc.Items {
			if err := fn(&doc.Items[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// ImportFile is Import for a file of any size: outline is what Outline
// read of it, and open opens it again to read it an item at a time, so
// the import takes the memory of one item (and of the outline) however
// large the file.
func ImportFile(ctx context.Context, st store.Transactor, outline *Document, open func() (io.ReadCloser, error), opt Options) (*Result, error) {
	return importItems(ctx, st, outline, opt, func(fn func(*Item) error) error {
		f, err := open()
		if err != nil {
			return err
		}
		defer f.Close()
		return Scan(f, func(_ *Document, it *Item) error {
			if it == nil {
				return nil
			}
			return fn(it)
		})
	})
}

// importItems runs the import of doc's header and attachments, and of the
// posts and pages each hands to its function in file order.
func importItems(ctx context.Context, st store.Transactor, doc *Document, opt Options, each func(func(*Item) error) error) (*Result, error) {
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
		im := &importer{tx: tx, opt: opt, doc: doc, site: site, res: res, now: tx.Now().UTC(), each: each,
			users: map[string]int64{}, cats: map[string]*model.Category{}, tags: map[string]*model.Tag{},
			media: map[int64]attachment{}, comments: map[int64]int64{}, targets: map[int64]target{},
			linkTo: map[string]target{}, hosts: oldHosts(doc)}
		if err := im.run(ctx); err != nil {
			return err
		}
		if opt.DryRun {
			return errDryRun
		}
		return nil
	})
	if opt.DryRun && errors.Is(err, errDryRun) {
		return res, nil
	}
	if err != nil {
		return nil, err
	}
	if res.Articles+res.Pages+res.Comments+res.Categories+res.Tags+res.Authors > 0 {
		opt.Events.Publish(ctx, event.SettingsChanged{})
	}
	return res, nil
}

// run brings the file in: first what items refer to (attachments, the
// file's categories and tags), then each post and page in file order.
func (im *importer) run(ctx context.Context) error {
	if err := im.recordMedia(ctx); err != nil {
		return err
	}
	im.collectAttachments()
	if err := im.fileTerms(ctx); err != nil {
		return err
	}
	err := im.each(func(it *Item) error {
		if !im.wanted(it) {
			return nil
		}
		if err := im.item(ctx, it); err != nil {
			return fmt.Errorf("%s %d (%q): %w", it.Type, it.PostID, truncate(oneLine(it.Title), 60), err)
		}
		im.done++
		if im.opt.Progress != nil {
			im.opt.Progress(im.done)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return im.saveRedirects(ctx)
}

// collectAttachments notes the file's media items, which posts refer to
// (featured images, [caption] and [gallery]); they are not imported
// themselves: their files stay at their WordPress addresses.
func (im *importer) collectAttachments() {
	for _, it := range im.doc.Items {
		if it.Type == "attachment" {
			u := strings.TrimSpace(it.URL)
			if _, local := im.opt.Media.local(u); local != "" {
				u = local
			}
			im.media[it.PostID] = attachment{URL: u, Alt: oneLine(it.MetaValue("_wp_attachment_image_alt")),
				Caption: oneLine(it.Excerpt()), Parent: it.Parent, Order: it.MenuOrder}
		}
	}
}

// fileTerms brings the file's list of categories and tags, used by posts
// or not.
func (im *importer) fileTerms(ctx context.Context) error {
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
	return nil
}

// wanted tells the items Warta imports: posts and pages that are neither
// trashed (counted) nor automatic drafts or revisions. Attachments, menus,
// reusable blocks and templates are not.
func (im *importer) wanted(it *Item) bool {
	switch it.Type {
	case "post", "page":
	default:
		return false
	}
	switch it.Status {
	case "trash":
		im.res.Trashed++
		return false
	case "auto-draft", "inherit":
		return false
	}
	return true
}

func (im *importer) key(kind string, id int64) string {
	return "wxr:" + im.site + "#" + kind + strconv.FormatInt(id, 10)
}

// imported returns what an earlier import recorded under key (as
// "article:ID", "page:ID" or "comment:ID"), and whether it did.
func (im *importer) imported(ctx context.Context, key string) (string, bool, error) {
	v, err := im.tx.GetKV(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return "", false, nil
	}
	return v, err == nil, err
}

// record notes under key what the import made of a WordPress item, so that
// a later import of the same site skips it.
func (im *importer) record(ctx context.Context, key, kind string, id int64) error {
	return im.tx.PutKV(ctx, key, kind+":"+strconv.FormatInt(id, 10))
}

// itemContent is what a post and a page have in common once converted.
type itemContent struct {
	title          string
	body, bodyHTML string // Markdown, and the HTML it renders to
	created        time.Time
	updated        time.Time
}

// item brings one post or page, unless an earlier import brought it.
func (im *importer) item(ctx context.Context, it *Item) error {
	key := im.key("post", it.PostID)
	if done, err := im.earlier(ctx, it, key); done || err != nil {
		return err
	}
	c, err := im.convert(it)
	if err != nil {
		return err
	}
	if it.Type == "page" {
		return im.page(ctx, it, key, c)
	}
	return im.article(ctx, it, key, c)
}

// earlier reports whether an earlier import brought the item. New
// comments on a post it brought as an article still come in.
func (im *importer) earlier(ctx context.Context, it *Item, key string) (bool, error) {
	done, ok, err := im.imported(ctx, key)
	if err != nil || !ok {
		return false, err
	}
	im.res.Already++
	kind, id, _ := strings.Cut(done, ":")
	wid, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return true, nil
	}
	// An import before redirects were kept brought it without them.
	if err := im.itemRedirects(ctx, it, kind, wid); err != nil {
		return true, err
	}
	if kind == "article" {
		return true, im.itemComments(ctx, it, wid)
	}
	return true, nil
}

// convert converts the item's body (shortcodes expanded, then HTML to
// Markdown) and reads its title and dates.
func (im *importer) convert(it *Item) (itemContent, error) {
	body := ToMarkdown(expandShortcodes(im.rewriteLinks(im.opt.Media.rewrite(it.Content())), it.PostID, im.media))
	bodyHTML, err := im.opt.Renderer.HTML(body)
	if err != nil {
		return itemContent{}, err
	}
	c := itemContent{title: itemTitle(it, body), body: body, bodyHTML: bodyHTML}
	c.created, c.updated = im.itemDates(it)
	return c, nil
}

// itemTitle is the item's title as plain text; an untitled item takes the
// start of its body, else its WordPress number.
func itemTitle(it *Item, body string) string {
	title := truncate(oneLine(it.Title), maxTitle)
	if title == "" {
		if title = truncate(render.Excerpt(body, 60), maxTitle); title == "" {
			title = "#" + strconv.FormatInt(it.PostID, 10)
		}
	}
	return title
}

// itemDates are the item's publication date (now, when it has none) and
// its last change, never before publication.
func (im *importer) itemDates(it *Item) (created, updated time.Time) {
	created, ok := im.date(it.DateGMT, it.Date)
	if !ok {
		created = im.now
	}
	updated = created
	if m, ok := parseDate(it.Modified, time.UTC); ok && m.After(created) {
		updated = m
	}
	return created, updated
}

// article brings a post as an article, with its author, terms and
// comments.
func (im *importer) article(ctx context.Context, it *Item, key string, c itemContent) error {
	a := &model.Article{Title: c.title, Body: c.body, BodyHTML: c.bodyHTML, CreatedAt: c.created, UpdatedAt: c.updated,
		CommentsOpen: it.Comments != "closed"}
	a.Status, a.PublishedAt = im.articleStatus(it, c.created)
	a.Excerpt = articleExcerpt(it)
	a.Image = im.featuredImage(it)
	// Feed readers know the post by its guid: keeping it, subscribers see
	// no old post as new after the move.
	if g := strings.TrimSpace(it.GUID); utf8.RuneCountInString(g) <= maxGUID {
		a.GUID = g
	}
	var err error
	if a.AuthorID, err = im.author(ctx, it.Creator); err != nil {
		return err
	}
	if a.Categories, a.Tags, err = im.itemTerms(ctx, it.Terms); err != nil {
		return err
	}
	if a.Slug, err = im.uniqueSlug(ctx, "articles", it.Name, c.title, "artikel"); err != nil {
		return err
	}
	if err := im.tx.CreateArticle(ctx, a); err != nil {
		return err
	}
	im.res.Articles++
	if a.Status == model.StatusPublished {
		im.res.Published = true
	}
	if err := im.record(ctx, key, "article", a.ID); err != nil {
		return err
	}
	if err := im.itemRedirects(ctx, it, "article", a.ID); err != nil {
		return err
	}
	return im.itemComments(ctx, it, a.ID)
}

// articleStatus maps WordPress's status to Warta's: published (scheduled
// when its date is still to come), pending review, else a draft (drafts
// and private posts). Password-protected posts are kept as drafts, since
// Warta has no per-article passwords.
func (im *importer) articleStatus(it *Item, pub time.Time) (model.Status, *time.Time) {
	status, published := model.StatusDraft, (*time.Time)(nil)
	switch it.Status {
	case "publish", "future":
		status = model.StatusPublished
		if pub.After(im.now) {
			status = model.StatusScheduled
		}
		published = &pub
	case "pending":
		status = model.StatusPending
	}
	if it.Password != "" && status != model.StatusDraft {
		im.res.Protected++
		return model.StatusDraft, nil
	}
	return status, published
}

// articleExcerpt is the excerpt someone wrote, as plain text; lists and
// feeds derive one from the text when there is none.
func articleExcerpt(it *Item) string {
	return truncate(strings.TrimSpace(collapse(HTMLToText(it.Excerpt()))), maxExcerpt)
}

// featuredImage is the item's featured image (_thumbnail_id), at its
// WordPress address, when the file has it.
func (im *importer) featuredImage(it *Item) model.Image {
	id, err := strconv.ParseInt(strings.TrimSpace(it.MetaValue("_thumbnail_id")), 10, 64)
	if err != nil {
		return model.Image{}
	}
	m, ok := im.media[id]
	if !ok || !imageURL(m.URL) {
		return model.Image{}
	}
	im.res.Images++
	return model.Image{URL: m.URL, Alt: m.Alt, Caption: m.Caption}
}

// itemTerms are the item's categories and tags, each once, in the file's
// order (created when missing). Other taxonomies (post formats) are left.
func (im *importer) itemTerms(ctx context.Context, terms []Term) (cats []model.Category, tags []model.Tag, err error) {
	seenCat, seenTag := map[int64]bool{}, map[int64]bool{}
	for _, t := range terms {
		switch t.Domain {
		case "category":
			c, err := im.category(ctx, t.Nicename, t.Name, 0)
			if err != nil {
				return nil, nil, err
			}
			if c != nil && !seenCat[c.ID] {
				seenCat[c.ID] = true
				cats = append(cats, *c)
			}
		case "post_tag":
			g, err := im.tag(ctx, t.Nicename, t.Name)
			if err != nil {
				return nil, nil, err
			}
			if g != nil && !seenTag[g.ID] {
				seenTag[g.ID] = true
				tags = append(tags, *g)
			}
		}
	}
	return cats, tags, nil
}

// page brings a WordPress page as a page: published when it was public
// (not password-protected), else a draft. Its comments are only counted.
func (im *importer) page(ctx context.Context, it *Item, key string, c itemContent) error {
	p := &model.Page{Title: c.title, Body: c.body, BodyHTML: c.bodyHTML, Status: model.StatusDraft, Position: max(it.MenuOrder, 0),
		CreatedAt: c.created, UpdatedAt: c.updated}
	if it.Status == "publish" && it.Password == "" {
		p.Status = model.StatusPublished
		im.res.Published = true
	} else if it.Password != "" {
		im.res.Protected++
	}
	var err error
	if p.Slug, err = im.uniqueSlug(ctx, "pages", it.Name, c.title, "halaman"); err != nil {
		return err
	}
	if err := im.tx.CreatePage(ctx, p); err != nil {
		return err
	}
	im.res.Pages++
	// Comments on pages have nowhere to go: Warta's pages take none.
	im.res.PageComments += len(it.CommentsOf)
	if err := im.record(ctx, key, "page", p.ID); err != nil {
		return err
	}
	return im.itemRedirects(ctx, it, "page", p.ID)
}

// itemComments brings the comments of a post, parents before replies.
func (im *importer) itemComments(ctx context.Context, it *Item, articleID int64) error {
	list := append([]Comment(nil), it.CommentsOf...)
	sort.SliceStable(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	for _, wc := range list {
		if err := im.comment(ctx, wc, articleID); err != nil {
			return err
		}
	}
	return nil
}

// comment brings one comment, unless an earlier import brought it or
// Warta does not keep its kind (pingbacks, trackbacks, trashed or empty
// comments).
func (im *importer) comment(ctx context.Context, wc Comment, articleID int64) error {
	key := im.key("comment", wc.ID)
	if _, done, err := im.imported(ctx, key); done || err != nil {
		return err
	}
	if !im.plainComment(wc) {
		return nil
	}
	status, ok := im.commentStatus(wc)
	if !ok {
		return nil
	}
	c := &model.Comment{ArticleID: articleID, Status: status, Body: HTMLToText(wc.Content)}
	if c.Body == "" {
		return nil
	}
	commentAuthor(c, wc)
	t, ok := im.date(wc.DateGMT, wc.Date)
	if !ok {
		t = im.now
	}
	c.CreatedAt = t
	c.ParentID = im.commentParent(ctx, wc.Parent)
	if err := im.tx.CreateComment(ctx, c, bodyHash(c.Body)); err != nil {
		return err
	}
	im.comments[wc.ID] = c.ID
	im.res.Comments++
	return im.record(ctx, key, "comment", c.ID)
}

// plainComment tells a reader's comment from a pingback or trackback
// (counted) and other kinds.
func (im *importer) plainComment(wc Comment) bool {
	switch wc.Type {
	case "", "comment":
		return true
	case "pingback", "trackback":
		im.res.Pings++
	}
	return false
}

// commentStatus maps WordPress's comment_approved; trashed comments
// (counted) are not kept.
func (im *importer) commentStatus(wc Comment) (model.CommentStatus, bool) {
	switch strings.TrimSpace(wc.Approved) {
	case "1", "approve", "approved":
		return model.CommentApproved, true
	case "0", "hold", "":
		return model.CommentPending, true
	case "spam":
		return model.CommentSpam, true
	}
	// trash, post-trashed
	im.res.Trashed++
	return "", false
}

// commentAuthor sets who wrote the comment: a name (Anonim when none), the
// email, and the website when it is a web address.
func commentAuthor(c *model.Comment, wc Comment) {
	c.AuthorName = truncate(oneLine(wc.Author), maxName)
	if c.AuthorName == "" {
		c.AuthorName = "Anonim"
	}
	c.AuthorEmail = strings.TrimSpace(wc.AuthorEmail)
	if u := strings.TrimSpace(wc.AuthorURL); imageURL(u) && !strings.HasPrefix(u, "/") {
		c.AuthorURL = u
	}
}

// commentParent is the Warta id of the comment a reply answers: brought
// by this import or an earlier one; nil when unknown.
func (im *importer) commentParent(ctx context.Context, parent int64) *int64 {
	if parent == 0 {
		return nil
	}
	if pid, ok := im.comments[parent]; ok {
		return &pid
	}
	if v, err := im.tx.GetKV(ctx, im.key("comment", parent)); err == nil {
		if pid, err := strconv.ParseInt(strings.TrimPrefix(v, "comment:"), 10, 64); err == nil {
			return &pid
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
	id, err := im.account(ctx, login)
	if err != nil {
		return 0, err
	}
	im.users[login] = id
	return id, nil
}

// account finds the author's account by email, or makes one.
func (im *importer) account(ctx context.Context, login string) (int64, error) {
	a := im.fileAuthor(login)
	email := strings.TrimSpace(a.Email)
	if email != "" {
		u, err := im.tx.UserByEmail(ctx, email)
		if err == nil {
			return u.ID, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return 0, err
		}
	}
	name := authorName(a, login)
	s, err := slug.Unique(ctx, authorSlug(login, name), func(ctx context.Context, c string) (bool, error) {
		return im.tx.SlugTaken(ctx, "users", c, 0)
	})
	if err != nil {
		return 0, err
	}
	if !strings.Contains(email, "@") {
		// Accounts need an address; .invalid can never receive mail.
		email = s + "@wordpress-import.invalid"
		if u, err := im.tx.UserByEmail(ctx, email); err == nil {
			return u.ID, nil
		}
	}
	u := &model.User{Email: email, Name: name, Slug: s, Role: model.RoleAuthor, Active: false, CreatedAt: im.now}
	if err := im.tx.CreateUser(ctx, u); err != nil {
		return 0, fmt.Errorf("create the account of author %q: %w", login, err)
	}
	im.res.Authors++
	return u.ID, nil
}

// fileAuthor is the file's wp:author with the login (just the login when
// the file lists none).
func (im *importer) fileAuthor(login string) Author {
	for _, x := range im.doc.Authors {
		if strings.Trim(x.Login, " \t\r\n<>") == login {
			return x
		}
	}
	return Author{Login: login}
}

// authorName is the author's display name, else the login.
func authorName(a Author, login string) string {
	if name := truncate(oneLine(a.DisplayName), maxName); name != "" {
		return name
	}
	if name := truncate(oneLine(login), maxName); name != "" {
		return name
	}
	return "WordPress"
}

// authorSlug is the slug an author's account is made from: the login's,
// else the name's.
func authorSlug(login, name string) string {
	if s := slug.Make(login); s != "" {
		return s
	}
	if s := slug.Make(name); s != "" {
		return s
	}
	return "penulis"
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
	if x := im.fileCategory(sl); x != nil {
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

// fileCategory is the first of the file's wp:category entries with the
// slug, or nil.
func (im *importer) fileCategory(sl string) *Category {
	for i := range im.doc.Categories {
		if x := &im.doc.Categories[i]; termSlug(x.Nicename, x.Name) == sl {
			return x
		}
	}
	return nil
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
