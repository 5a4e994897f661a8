package admin

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"warta/internal/article"
	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/valid"
)

// articleForm is the editor's form as typed, kept as strings so that a
// form coming back with errors shows exactly what the user entered.
type articleForm struct {
	ID           int64
	Version      int // the article's version the form was opened on
	Title        string
	Dateline     string
	Slug         string
	Body         string
	Excerpt      string
	ImageURL     string
	ImageAlt     string
	ImageCaption string
	Categories   []string // slugs
	Tags         string   // comma-separated names
	CommentsOpen bool
	Sponsored    bool
	// VerificationNote and Verifies (an article id, as typed) are the
	// story's verification note and the story it verifies.
	VerificationNote string
	Verifies         string
	// The search and sharing fields, as typed.
	SEOTitle, MetaDescription string
	SocialImage, CanonicalURL string
	NoIndex                   bool
	Status                    model.Status
	PublishDate               string // YYYY-MM-DD in the site's zone
	PublishTime               string // HH:MM in the site's zone
	Overwrite                 bool   // the user chose to replace a newer version
}

// CategoryChoice is a category checkbox of the editor.
type CategoryChoice struct {
	CategoryNode
	Checked bool
}

type editorView struct {
	*Base
	F          articleForm
	IsNew      bool
	Errors     FormErrors
	Conflict   bool
	Statuses   []Option
	Cats       []CategoryChoice
	CanDelete  bool
	CanPublish bool
	Public     string
	Stored     *model.Article
	StoredStat model.Status
	Zone       string
	// CanRetract: the user may retract the published story (editors and
	// admins); Reason re-shows a refused retraction's reason.
	CanRetract bool
	Reason     string
	// Retracted is when the story was retracted, in words ("" if not).
	Retracted string
	// Snippet is the search result and social card the form's values
	// give; Images the library's newest pictures for the social image.
	Snippet Snippet
	Images  []Option
	// Limits of the search fields, for the counters.
	MaxSEOTitle, MaxMetaDescription int
	// PreviewShare is the "share a preview" panel (nil for a new or
	// retracted story).
	PreviewShare *PreviewShare
}

// fromArticle fills the form from a stored article.
func fromArticle(a *model.Article, loc *time.Location) articleForm {
	f := articleForm{ID: a.ID, Version: a.Version, Title: a.Title, Dateline: a.Dateline, Slug: a.Slug, Body: a.Body,
		Excerpt: a.Excerpt, ImageURL: a.Image.URL, ImageAlt: a.Image.Alt, ImageCaption: a.Image.Caption,
		CommentsOpen: a.CommentsOpen, Sponsored: a.Sponsored, Status: a.Status, VerificationNote: a.VerificationNote,
		SEOTitle: a.SEOTitle, MetaDescription: a.MetaDescription, SocialImage: a.SocialImage, CanonicalURL: a.CanonicalURL, NoIndex: a.NoIndex}
	if a.VerifiesID != nil {
		f.Verifies = strconv.FormatInt(*a.VerifiesID, 10)
	}
	for _, c := range a.Categories {
		f.Categories = append(f.Categories, c.Slug)
	}
	var tags []string
	for _, t := range a.Tags {
		tags = append(tags, t.Name)
	}
	f.Tags = strings.Join(tags, ", ")
	if a.PublishedAt != nil {
		t := a.PublishedAt.In(loc)
		f.PublishDate, f.PublishTime = t.Format("2006-01-02"), t.Format("15:04")
	}
	return f
}

// readArticleForm reads the posted editor form.
func readArticleForm(q *request) articleForm {
	p := q.PostFormValue
	f := articleForm{Title: p("title"), Dateline: p("dateline"), Slug: strings.TrimSpace(p("slug")),
		Body: strings.ReplaceAll(p("body"), "\r\n", "\n"), Excerpt: p("excerpt"), ImageURL: p("image_url"), ImageAlt: p("image_alt"),
		ImageCaption: p("image_caption"), Tags: p("tags"), CommentsOpen: p("comments_open") != "", Sponsored: p("sponsored") != "",
		VerificationNote: p("verification_note"), Verifies: strings.TrimSpace(p("verifies_article_id")),
		Status: model.Status(p("status")), PublishDate: strings.TrimSpace(p("publish_date")), PublishTime: strings.TrimSpace(p("publish_time")),
		Overwrite: p("overwrite") != "",
		SEOTitle:  p("seo_title"), MetaDescription: p("meta_description"), SocialImage: p("social_image"), CanonicalURL: p("canonical_url"),
		NoIndex: p("noindex") != ""}
	// The shortcut buttons beside Save say the status themselves.
	switch {
	case p("publish") != "":
		f.Status = model.StatusPublished
	case p("submit_review") != "":
		f.Status = model.StatusPending
	}
	f.ID, _ = strconv.ParseInt(p("id"), 10, 64)
	f.Version, _ = strconv.Atoi(p("version"))
	for _, s := range q.PostForm["categories"] {
		if s = strings.TrimSpace(s); s != "" {
			f.Categories = append(f.Categories, s)
		}
	}
	return f
}

// input turns the form into the article service's input. Errors the
// service cannot see (an unreadable date) come back as valid.Errors.
func (f *articleForm) input(q *request, stored *model.Article) (article.Input, error) {
	in := article.Input{Title: &f.Title, Dateline: &f.Dateline, Body: &f.Body, Excerpt: &f.Excerpt,
		Image:        &model.Image{URL: f.ImageURL, Alt: strings.TrimSpace(f.ImageAlt), Caption: strings.TrimSpace(f.ImageCaption)},
		CommentsOpen: &f.CommentsOpen, Sponsored: &f.Sponsored, VerificationNote: &f.VerificationNote,
		SEO: article.SEOInput{Title: &f.SEOTitle, Description: &f.MetaDescription, SocialImage: &f.SocialImage,
			CanonicalURL: &f.CanonicalURL, NoIndex: &f.NoIndex}}
	var verifies int64
	if f.Verifies != "" {
		var err error
		if verifies, err = strconv.ParseInt(f.Verifies, 10, 64); err != nil || verifies < 1 {
			var errs valid.Errors
			errs.Add("verifies_article_id", "invalid", "validation.invalid", "verifies_article_id")
			return in, errs
		}
	}
	in.Verifies = &verifies
	// An unchanged slug is left alone: the service then reports a store
	// conflict as a stale edit rather than as a slug clash.
	if stored == nil || f.Slug != stored.Slug {
		if f.Slug != "" || stored != nil {
			in.Slug = &f.Slug
		}
	}
	cats := append([]string{}, f.Categories...)
	in.Categories = &cats
	var tags []string
	for _, t := range strings.Split(f.Tags, ",") {
		if t = strings.TrimSpace(t); t != "" {
			tags = append(tags, t)
		}
	}
	in.Tags = &tags
	// Choosing when an article goes live is publishing: the form offers
	// it only to those who may publish, and a time sent by anyone else is
	// ignored (the article keeps the one it has).
	probe := stored
	if probe == nil {
		probe = &model.Article{AuthorID: q.User.ID}
	}
	if !article.CanPublish(q.User, probe) {
		f.PublishDate, f.PublishTime = "", ""
	}
	var errs valid.Errors
	status := f.Status
	if status == "" {
		status = model.StatusDraft
	}
	in.Status = &status
	if f.PublishDate != "" || f.PublishTime != "" {
		tm := f.PublishTime
		if tm == "" {
			tm = "00:00"
		}
		t, err := time.ParseInLocation("2006-01-02 15:04", f.PublishDate+" "+tm, q.Loc)
		if err != nil {
			errs.Add("published_at", "invalid", "admin.editor.bad_date")
			// The service is not asked when the form itself is wrong, so
			// the one check it would surely report is made here too, and
			// the user sees both messages at once.
			if strings.TrimSpace(f.Title) == "" {
				errs.Add("title", "required", "validation.required", "title")
			}
		} else {
			in.PublishedAt = &t
		}
	}
	return in, errs.Err()
}

func (a *Admin) editorView(q *request, f articleForm, stored *model.Article) (*editorView, error) {
	title := q.L.T("admin.editor.new_title")
	if stored != nil {
		title = q.L.T("admin.editor.edit_title", stored.Title)
	}
	section := "articles"
	if stored == nil {
		section = "new_article"
	}
	v := &editorView{Base: a.base(q, title, section), F: f, IsNew: stored == nil, Stored: stored}
	v.Zone = q.Loc.String()
	if stored != nil {
		v.StoredStat = stored.Status
		v.CanDelete = article.CanDelete(q.User, stored)
		v.Public = article.PublicPath(stored, a.now())
		v.CanRetract = article.CanRetract(q.User) && v.Public != "" && !stored.Retracted()
		if stored.Retracted() {
			v.Retracted = v.LongWhen(*stored.RetractedAt)
		}
		// After scheduling, say when the article goes live.
		if q.URL.Query().Get("ok") == "scheduled" && stored.Status == model.StatusScheduled && stored.PublishedAt != nil {
			v.Flash = q.L.T("admin.flash.scheduled_at", v.LongWhen(*stored.PublishedAt))
		}
	}
	probe := &model.Article{AuthorID: q.User.ID}
	if stored != nil {
		probe = stored
	}
	statuses := []model.Status{model.StatusDraft, model.StatusPending}
	v.CanPublish = article.CanPublish(q.User, probe)
	if v.CanPublish {
		statuses = append(statuses, model.StatusScheduled, model.StatusPublished)
	}
	for _, s := range statuses {
		v.Statuses = append(v.Statuses, Option{Value: string(s), Label: v.StatusName(s), Selected: f.Status == s})
	}
	cats, err := a.st.Categories(q.Context())
	if err != nil {
		return nil, err
	}
	checked := map[string]bool{}
	for _, s := range f.Categories {
		checked[s] = true
	}
	for _, c := range treeOrder(cats) {
		v.Cats = append(v.Cats, CategoryChoice{CategoryNode: c, Checked: checked[c.Slug]})
	}
	if stored != nil && !stored.Retracted() {
		if v.PreviewShare, err = a.previewShare(q, stored.ID, "", ""); err != nil {
			return nil, err
		}
	}
	v.Snippet = a.snippet(q, f, stored)
	v.Images = a.socialImages(q, f.SocialImage)
	v.MaxSEOTitle, v.MaxMetaDescription = article.MaxSEOTitle, article.MaxMetaDescription
	return v, nil
}

func (a *Admin) showEditor(w http.ResponseWriter, q *request, code int, f articleForm, stored *model.Article, errs FormErrors) error {
	v, err := a.editorView(q, f, stored)
	if err != nil {
		return err
	}
	v.Errors = errs
	if errs != nil && errs["conflict"] != "" {
		v.Conflict = true
	}
	a.render(w, q, code, "editor", v)
	return nil
}

func (a *Admin) newArticle(w http.ResponseWriter, q *request) error {
	return a.showEditor(w, q, http.StatusOK, articleForm{Status: model.StatusDraft, CommentsOpen: true}, nil, nil)
}

var editorFields = []string{"title", "dateline", "slug", "body", "excerpt", "featured_image", "categories", "tags", "status", "published_at",
	"verification_note", "verifies_article_id", "seo_title", "meta_description", "social_image", "canonical_url"}

func (a *Admin) createArticle(w http.ResponseWriter, q *request) error {
	f := readArticleForm(q)
	f.ID, f.Version = 0, 0
	in, err := f.input(q, nil)
	if err == nil {
		var created *model.Article
		created, err = a.opt.Articles.Create(q.Context(), q.User, in)
		if err == nil {
			return redirect(w, q, "/admin/articles/"+itoa64(created.ID), flashFor("", created.Status))
		}
	}
	errs, ok := formErrors(q, err, editorFields...)
	if !ok {
		return err
	}
	return a.showEditor(w, q, http.StatusUnprocessableEntity, f, nil, errs)
}

// flashFor names the message after saving an article that was in status
// before ("" when it is new) and now is in status after: "published" only
// when it goes live now, "updated" when it was live already.
func flashFor(before, after model.Status) string {
	switch after {
	case model.StatusPublished:
		if before == model.StatusPublished {
			return "updated"
		}
		return "published"
	case model.StatusScheduled:
		// The editor then says when (editorView).
		return "scheduled"
	case model.StatusPending:
		if before == model.StatusPending {
			return "saved"
		}
		return "submitted"
	}
	if before == model.StatusPublished {
		return "unpublished"
	}
	return "saved"
}

// editable loads the article of the path and checks the user may edit it.
func (a *Admin) editable(q *request) (*model.Article, error) {
	id, err := idParam(q, "id")
	if err != nil {
		return nil, err
	}
	stored, err := a.st.ArticleByID(q.Context(), id)
	if err != nil {
		return nil, err
	}
	if !article.CanEdit(q.User, stored) {
		return nil, errForbidden
	}
	return stored, nil
}

func (a *Admin) editArticle(w http.ResponseWriter, q *request) error {
	stored, err := a.editable(q)
	if err != nil {
		return err
	}
	return a.showEditor(w, q, http.StatusOK, fromArticle(stored, q.Loc), stored, nil)
}

func (a *Admin) updateArticle(w http.ResponseWriter, q *request) error {
	stored, err := a.editable(q)
	if err != nil {
		return err
	}
	f := readArticleForm(q)
	f.ID = stored.ID
	before := stored.Status
	saved, err := a.saveArticle(q, &f, stored)
	if err == nil {
		return redirect(w, q, "/admin/articles/"+itoa64(saved.ID), flashFor(before, saved.Status))
	}
	errs, ok := formErrors(q, err, editorFields...)
	if !ok {
		if !errors.Is(err, store.ErrConflict) {
			return err
		}
		errs = FormErrors{"conflict": q.L.T("admin.editor.conflict")}
	}
	code := http.StatusUnprocessableEntity
	if errs["conflict"] != "" {
		code = http.StatusConflict
	}
	return a.showEditor(w, q, code, f, stored, errs)
}

// saveArticle applies the form to stored. A form opened on an older
// version than the stored one is a stale edit, refused by the article
// service with store.ErrStale, unless the user ticked "overwrite"; the
// form keeps its old version so that saving again is still refused until
// they do.
func (a *Admin) saveArticle(q *request, f *articleForm, stored *model.Article) (*model.Article, error) {
	version := f.Version
	if f.Overwrite {
		version, f.Overwrite = stored.Version, false
	}
	in, err := f.input(q, stored)
	if err != nil {
		return nil, err
	}
	if version < 1 {
		// A form without a version cannot prove it saw the stored text.
		return nil, store.ErrStale
	}
	saved, err := a.opt.Articles.Update(q.Context(), q.User, stored.ID, version, in)
	if err != nil {
		return nil, err
	}
	f.Version = saved.Version
	return saved, nil
}

// retractArticle withdraws a published story with a public reason (the
// article service decides who may). A refused reason comes back to the
// editor with the text kept.
func (a *Admin) retractArticle(w http.ResponseWriter, q *request) error {
	stored, err := a.editable(q)
	if err != nil {
		return err
	}
	reason := q.PostFormValue("reason")
	_, err = a.opt.Articles.Retract(q.Context(), q.User, stored.ID, reason)
	if err == nil {
		return redirect(w, q, "/admin/articles/"+itoa64(stored.ID), "retracted")
	}
	errs, ok := formErrors(q, err, "reason")
	if !ok {
		return err
	}
	v, err := a.editorView(q, fromArticle(stored, q.Loc), stored)
	if err != nil {
		return err
	}
	v.Errors, v.Reason = errs, reason
	a.render(w, q, http.StatusUnprocessableEntity, "editor", v)
	return nil
}

func (a *Admin) deleteArticle(w http.ResponseWriter, q *request) error {
	id, err := idParam(q, "id")
	if err != nil {
		return err
	}
	if err := a.opt.Articles.Delete(q.Context(), q.User, id); err != nil {
		return err
	}
	return redirect(w, q, "/admin/articles", "deleted")
}

// autosaveReply is what the editor's script gets back.
type autosaveReply struct {
	ID      int64  `json:"id,omitempty"`
	Version int    `json:"version,omitempty"`
	EditURL string `json:"edit_url,omitempty"`
	SavedAt string `json:"saved_at,omitempty"`
	Error   string `json:"error,omitempty"`
}

func writeJSON(w http.ResponseWriter, code int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	return json.NewEncoder(w).Encode(v)
}

// autosave keeps a draft safe while it is written. Only drafts are saved
// this way: anything readers (or reviewers) see changes only when the
// user presses Save.
func (a *Admin) autosave(w http.ResponseWriter, q *request) error {
	f := readArticleForm(q)
	if f.Status != model.StatusDraft {
		return writeJSON(w, http.StatusConflict, autosaveReply{Error: q.L.T("admin.editor.autosave_not_draft")})
	}
	var saved *model.Article
	var err error
	if f.ID == 0 {
		if strings.TrimSpace(f.Title) == "" {
			w.WriteHeader(http.StatusNoContent)
			return nil
		}
		in, ierr := f.input(q, nil)
		if ierr != nil {
			err = ierr
		} else {
			saved, err = a.opt.Articles.Create(q.Context(), q.User, in)
		}
	} else {
		stored, serr := a.st.ArticleByID(q.Context(), f.ID)
		switch {
		case serr != nil:
			err = serr
		case !article.CanEdit(q.User, stored):
			err = valid.ErrForbidden
		case stored.Status != model.StatusDraft:
			return writeJSON(w, http.StatusConflict, autosaveReply{Error: q.L.T("admin.editor.autosave_not_draft")})
		default:
			saved, err = a.saveArticle(q, &f, stored)
		}
	}
	switch {
	case err == nil:
	case errors.Is(err, store.ErrConflict):
		return writeJSON(w, http.StatusConflict, autosaveReply{Error: q.L.T("admin.editor.conflict")})
	case errors.Is(err, valid.ErrForbidden):
		return writeJSON(w, http.StatusForbidden, autosaveReply{Error: q.L.T("admin.error.403.body")})
	case errors.Is(err, store.ErrNotFound):
		return writeJSON(w, http.StatusNotFound, autosaveReply{Error: q.L.T("admin.error.404.body")})
	default:
		errs, ok := formErrors(q, err)
		if !ok {
			return err
		}
		for _, msg := range errs {
			return writeJSON(w, http.StatusUnprocessableEntity, autosaveReply{Error: msg})
		}
	}
	return writeJSON(w, http.StatusOK, autosaveReply{ID: saved.ID, Version: saved.Version,
		EditURL: "/admin/articles/" + itoa64(saved.ID), SavedAt: q.L.Time(a.now().In(q.Loc))})
}

// preview renders Markdown exactly as the public page will.
func (a *Admin) preview(w http.ResponseWriter, q *request) error {
	body := q.PostFormValue("body")
	if len(body) > article.MaxBody {
		return errBadInput
	}
	html, err := a.opt.Renderer.HTML(body)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(html))
	return nil
}
