package web

import (
	"context"
	"crypto/sha256"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"warta/internal/comment"
	"warta/internal/httpx"
	"warta/internal/model"
	"warta/internal/valid"
)

// CommentView is one comment ready for the template, with its replies.
type CommentView struct {
	L        interfaceT
	ID       int64
	Name     string
	URL      string
	Avatar   string
	Date     string
	ISO      string
	Body     template.HTML
	Pending  bool
	Depth    int
	ReplyURL string
	// ReplyLabel names the reply link for screen readers, "Balas komentar
	// Ani"; set with ReplyURL.
	ReplyLabel string
	Children   []*CommentView
}

// interfaceT is the part of the locale a comment template needs.
type interfaceT interface {
	T(key string, args ...any) string
}

// CommentSection is everything under the article.
type CommentSection struct {
	*Base
	Count      int
	CountLabel string // "5 komentar"
	Comments   []*CommentView
	Pager      *Pager
	Open       bool
	Form       *CommentForm
	Personal   bool // shows the reader's own pending comment
	// List is the threads as the theme's "comment-list" template renders
	// them, when kept (see fragment.go); empty otherwise.
	List template.HTML
}

// CommentForm is the reply form, fresh or coming back with errors.
type CommentForm struct {
	*Base
	Action     string
	CancelURL  string
	Name       string
	Email      string
	URL        string
	Body       string
	Parent     int64
	ParentName string
	Consent    bool
	// NotifyOn: mail is set up, so the form offers reply notifications;
	// Notify is the reader's tick.
	NotifyOn  bool
	Notify    bool
	Token     string
	Honeypot  string
	MaxLength int
	Errors    map[string]string
	Summary   string
}

// honeypotField is named like a real field so bots fill it.
const honeypotField = "website"

// commentSection builds the comments of a, threaded and paginated, plus
// the form. A reader coming back from sending sees their own pending
// comment through a signed link (?komentar=ID&kunci=KEY).
func (s *Site) commentSection(r *http.Request, b *Base, a *model.Article, form *CommentForm) (*CommentSection, error) {
	if s.opt.Comments == nil {
		return nil, nil
	}
	st, err := s.loadState(r.Context())
	if err != nil {
		return nil, err
	}
	// Before the comments are read: threads rendered from a list a change
	// has since replaced are shown, not kept.
	frag, fragGen, fragOK := s.commentFrags.get(a.ID, s.opt.Now())
	approved, err := s.approvedComments(r.Context(), a.ID)
	if err != nil {
		return nil, err
	}
	own := s.ownPending(r, a.ID)
	cs := &CommentSection{Base: b, Open: s.opt.Comments.Open(a, st.settings), Personal: own != nil, Count: len(approved)}
	cs.CountLabel = b.L.N("comment.count", cs.Count)
	roots, views := s.threadViews(r, b, st, approved, own, cs.Open)
	var page int
	cs.Comments, cs.Pager, page = paginateThreads(r, b, roots, st.settings.CommentsPerPage)
	if !cs.Personal && s.opt.Events != nil {
		key := commentFragKey(r.URL.Path, page, cs.Open)
		if fragOK && frag.key == key {
			cs.List = frag.html
		} else if h, ok := s.fragment(b, "article", "comment-list", cs); ok {
			cs.List = h
			s.commentFrags.put(a.ID, commentFrag{key: key, html: h}, fragGen, s.opt.Now())
		}
	}
	if cs.Open {
		cs.Form = s.commentForm(r, b, a, form, views, st.settings)
	}
	return cs, nil
}

// ownPending is the reader's own comment while it waits for a moderator,
// when the request carries its signed link; everyone else's pending
// comments stay unread.
func (s *Site) ownPending(r *http.Request, articleID int64) *renderedComment {
	id, err := strconv.ParseInt(r.URL.Query().Get("komentar"), 10, 64)
	if err != nil || !s.opt.Comments.CheckPendingKey(id, r.URL.Query().Get("kunci")) {
		return nil
	}
	c, err := s.opt.Store.CommentByID(r.Context(), id)
	if err != nil || c.ArticleID != articleID || c.Status != model.CommentPending {
		return nil
	}
	return &renderedComment{c: c, body: commentHTML(c.Body), avatar: s.avatarURL(c.AuthorEmail)}
}

// threadViews arranges the comments into threads (comment.Thread) and
// makes each ready for the template; views finds them by id.
func (s *Site) threadViews(r *http.Request, b *Base, st *siteState, approved []renderedComment, own *renderedComment,
	open bool) (roots []*CommentView, views map[int64]*CommentView) {
	list := make([]*model.Comment, len(approved))
	for i, rc := range approved {
		list[i] = rc.c
	}
	opt := comment.ThreadOptions{MaxDepth: st.settings.ThreadDepth}
	if own != nil {
		opt.Own = own.c
	}
	views = map[int64]*CommentView{}
	var view func(n *comment.Node) *CommentView
	view = func(n *comment.Node) *CommentView {
		rc := own
		if n.Index < len(approved) {
			rc = &approved[n.Index]
		}
		v := commentView(b, st.loc, rc, n.Depth)
		if open && n.CanReply {
			v.ReplyURL = replyURL(r.URL.Path, v.ID)
			v.ReplyLabel = b.L.T("comment.reply_to", v.Name)
		}
		for _, reply := range n.Replies {
			v.Children = append(v.Children, view(reply))
		}
		views[v.ID] = v
		return v
	}
	for _, n := range comment.Thread(list, opt) {
		roots = append(roots, view(n))
	}
	return roots, views
}

// commentView is one comment ready for the template, without its replies.
func commentView(b *Base, loc *time.Location, rc *renderedComment, depth int) *CommentView {
	c := rc.c
	t := c.CreatedAt.In(loc)
	return &CommentView{L: b.L, ID: c.ID, Name: c.AuthorName, URL: c.AuthorURL, Pending: c.Status == model.CommentPending,
		Avatar: rc.avatar, Body: rc.body, Depth: depth, Date: b.L.DateTime(t), ISO: t.Format(time.RFC3339)}
}

// paginateThreads shows one page of top-level threads (?cpage=N); replies
// stay with their thread. It returns the page's threads, the pager when
// there is more than one page, and the page's number.
func paginateThreads(r *http.Request, b *Base, roots []*CommentView, perPage int) ([]*CommentView, *Pager, int) {
	per := max(1, perPage)
	page := 1
	if n, err := strconv.Atoi(r.URL.Query().Get("cpage")); err == nil && n > 1 {
		page = n
	}
	if len(roots) <= per {
		return roots, nil, page
	}
	pages := (len(roots) + per - 1) / per
	page = min(page, pages)
	p := &Pager{Page: page, Pages: pages, Label: b.L.T("pagination.page", b.L.Int(page), b.L.Int(pages))}
	if page > 1 {
		p.Newer = commentPageURL(r, page-1)
	}
	if page < pages {
		p.Older = commentPageURL(r, page+1)
	}
	return roots[(page-1)*per : min(len(roots), page*per)], p, page
}

// commentForm readies the reply form, fresh or coming back with errors;
// ?balas=ID answers a shown, approved comment.
func (s *Site) commentForm(r *http.Request, b *Base, a *model.Article, form *CommentForm, views map[int64]*CommentView,
	settings model.Settings) *CommentForm {
	if form == nil {
		form = &CommentForm{}
	}
	form.Base = b
	form.Action = r.URL.Path
	form.CancelURL = r.URL.Path
	form.Token = s.opt.Comments.Token(a.ID)
	form.Honeypot = honeypotField
	form.MaxLength = settings.CommentMaxLength
	form.NotifyOn = s.opt.Comments.NotifyOn()
	if form.Parent == 0 {
		if p, err := strconv.ParseInt(r.URL.Query().Get("balas"), 10, 64); err == nil {
			form.Parent = p
		}
	}
	if form.Parent != 0 {
		if pv := views[form.Parent]; pv != nil && !pv.Pending {
			form.ParentName = pv.Name
		} else {
			form.Parent = 0
		}
	}
	return form
}

// renderedComment is a comment with what showing it takes that depends
// on the comment alone.
type renderedComment struct {
	c      *model.Comment
	body   template.HTML
	avatar string
}

func (s *Site) avatarURL(email string) string {
	return "/avatar/" + s.opt.Comments.AvatarKey(email) + ".svg"
}

// approvedComments returns an article's approved comments, oldest first,
// each with its body made into HTML. The list is kept until a comment of
// the article or the article itself changes (CommentChanged and
// ArticleChanged carry its id); the caller must not modify it.
func (s *Site) approvedComments(ctx context.Context, articleID int64) ([]renderedComment, error) {
	now := s.opt.Now()
	list, gen, ok := s.comments.get(articleID, now)
	if ok {
		return list, nil
	}
	found, err := s.opt.Store.ArticleComments(ctx, articleID, model.CommentApproved)
	if err != nil {
		return nil, err
	}
	list = make([]renderedComment, len(found))
	for i, cm := range found {
		list[i] = renderedComment{c: cm, body: commentHTML(cm.Body), avatar: s.avatarURL(cm.AuthorEmail)}
	}
	if s.opt.Events != nil { // without events nothing would say when the list changes
		s.comments.put(articleID, list, gen, now)
	}
	return list, nil
}

func replyURL(path string, id int64) string {
	return path + "?balas=" + strconv.FormatInt(id, 10) + "#balas"
}

func commentPageURL(r *http.Request, n int) string {
	q := url.Values{}
	if n > 1 {
		q.Set("cpage", strconv.Itoa(n))
	}
	u := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
	return u.String()
}

var linkRE = regexp.MustCompile(`https?://[^\s<>"'\x60]+[^\s<>"'\x60.,;:!?)\]]`)

// commentHTML shows a comment's text safely: everything escaped,
// paragraphs and line breaks kept, web addresses made into links that
// search engines do not follow.
func commentHTML(body string) template.HTML {
	var b strings.Builder
	for _, para := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br>\n")
			}
			last := 0
			for _, m := range linkRE.FindAllStringIndex(line, -1) {
				b.WriteString(template.HTMLEscapeString(line[last:m[0]]))
				u := line[m[0]:m[1]]
				if _, err := url.Parse(u); err == nil {
					fmt.Fprintf(&b, `<a href="%s" rel="nofollow ugc noopener">%s</a>`, template.HTMLEscapeString(u), template.HTMLEscapeString(u))
				} else {
					b.WriteString(template.HTMLEscapeString(u))
				}
				last = m[1]
			}
			b.WriteString(template.HTMLEscapeString(line[last:]))
		}
		b.WriteString("</p>\n")
	}
	return template.HTML(b.String())
}

// postComment handles the comment form: Post/Redirect/Get on success, the
// article again with every typed value and the messages on a mistake.
func (s *Site) postComment(w http.ResponseWriter, r *http.Request) error {
	if s.opt.Comments == nil {
		return notFound()
	}
	if err := r.ParseForm(); err != nil {
		return &httpError{status: http.StatusBadRequest, cause: err}
	}
	ref, err := s.findStanding(r)
	if err != nil {
		return err
	}
	parent, _ := strconv.ParseInt(r.PostForm.Get("parent"), 10, 64)
	in := comment.Input{
		Article: ref.a, Name: r.PostForm.Get("name"), Email: r.PostForm.Get("email"), URL: r.PostForm.Get("url"),
		Body: r.PostForm.Get("body"), ParentID: parent, Token: r.PostForm.Get("token"), Honeypot: r.PostForm.Get(honeypotField),
		IP: httpx.ClientIP(r.Context()), UserAgent: r.UserAgent(),
		ServedAt: s.served.last(httpx.ClientIP(r.Context()).String() + " " + ref.path),
	}
	if st, err := s.loadState(r.Context()); err == nil {
		in.BaseURL = s.baseURL(r, st)
	}
	consent := r.PostForm.Get("consent") != ""
	in.Notify = r.PostForm.Get("notify") != ""
	c, err := s.opt.Comments.Submit(r.Context(), in)
	if err != nil {
		errs, ok := valid.As(err)
		if !ok {
			return err
		}
		in.Clean()
		b, berr := s.base(r, "")
		if berr != nil {
			return berr
		}
		form := &CommentForm{Name: in.Name, Email: in.Email, URL: in.URL, Body: in.Body, Parent: parent, Consent: consent, Notify: in.Notify,
			Errors: map[string]string{}}
		for _, e := range errs {
			msg := b.L.T(e.Key, localArgs(b, e.Args)...)
			if e.Field == "form" {
				form.Summary = msg
				continue
			}
			form.Errors[e.Field] = msg
		}
		if form.Summary == "" {
			form.Summary = b.L.T("comment.error.check_fields")
		}
		code := http.StatusUnprocessableEntity
		if errs.Field("form") != nil && (errs[0].Code == "too_fast") {
			code = http.StatusTooManyRequests
		}
		w.Header().Set("Cache-Control", "no-store")
		return s.showArticle(w, r, code, form)
	}
	s.rememberCommenter(w, r, consent, in)
	target := ref.path + "#comment-" + strconv.FormatInt(c.ID, 10)
	if c.Status == model.CommentPending {
		target = ref.path + "?komentar=" + strconv.FormatInt(c.ID, 10) + "&kunci=" + s.opt.Comments.PendingKey(c.ID) + "#comment-" + strconv.FormatInt(c.ID, 10)
	} else if c.Status != model.CommentApproved {
		// Spam is filed quietly; the sender is not told which rule caught it.
		target = ref.path + "#komentar"
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

// localArgs translates field names in validation arguments.
func localArgs(b *Base, args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			if b.L.Has("field." + v) {
				out[i] = b.L.T("field." + v)
			} else {
				out[i] = v
			}
		case int:
			out[i] = b.L.Int(v)
		default:
			out[i] = v
		}
	}
	return out
}

// rememberCommenter sets the "remember me" cookies only when the reader
// ticked the consent box, and clears them when they did not.
func (s *Site) rememberCommenter(w http.ResponseWriter, r *http.Request, consent bool, in comment.Input) {
	maxAge := 365 * 24 * 3600
	if !consent {
		maxAge = -1
	}
	baseURL := s.opt.BaseURL
	if st, err := s.loadState(r.Context()); err == nil && st.settings.BaseURL != "" {
		baseURL = st.settings.BaseURL
	}
	secure := httpx.SecureCookies(r, baseURL)
	for name, v := range map[string]string{"warta_nama": in.Name, "warta_email": in.Email, "warta_situs": in.URL} {
		if !consent {
			if _, err := r.Cookie(name); err != nil {
				continue
			}
			v = ""
		}
		http.SetCookie(w, &http.Cookie{Name: name, Value: url.QueryEscape(v), Path: "/", MaxAge: maxAge,
			SameSite: http.SameSiteLaxMode, Secure: secure})
	}
}

// avatar draws a commenter's picture from a key: a symmetric 5×5 pattern
// in a colour of its own. Made here, so no reader's browser asks a third
// party (as Gravatar would) about who comments where.
func (s *Site) avatar(w http.ResponseWriter, r *http.Request) error {
	key := strings.TrimSuffix(r.PathValue("key"), ".svg")
	if len(key) != 16 || strings.Trim(key, "0123456789abcdef") != "" {
		return notFound()
	}
	sum := sha256.Sum256([]byte(key))
	hue := int(sum[0]) * 360 / 256
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 5 5" width="40" height="40" shape-rendering="crispEdges">`+
		`<rect width="5" height="5" fill="hsl(%d,35%%,92%%)"/><g fill="hsl(%d,55%%,42%%)">`, hue, hue)
	for y := 0; y < 5; y++ {
		for x := 0; x < 3; x++ {
			if sum[1+y*3+x]&1 == 1 {
				fmt.Fprintf(&b, `<rect x="%d" y="%d" width="1" height="1"/>`, x, y)
				if x < 2 {
					fmt.Fprintf(&b, `<rect x="%d" y="%d" width="1" height="1"/>`, 4-x, y)
				}
			}
		}
	}
	b.WriteString(`</g></svg>`)
	h := w.Header()
	h.Set("Content-Type", "image/svg+xml")
	h.Set("Cache-Control", "public, max-age=604800")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.Write([]byte(b.String()))
	return nil
}
