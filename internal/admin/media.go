package admin

import (
	"errors"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"warta/internal/media"
	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/valid"
)

const (
	mediaPerPage = 24
	// maxUploadFiles bounds one upload form, and with it the request body.
	maxUploadFiles = 10
	pickerItems    = 12
)

// uploadMax is the library's per-file limit.
func uploadMax(l *media.Library) int64 {
	if l.MaxBytes > 0 {
		return l.MaxBytes
	}
	return media.DefaultMaxBytes
}

// MediaRow is a media item as the newsroom shows it.
type MediaRow struct {
	It        *store.MediaItem
	URL       string // the original
	Thumb     string // the narrowest variant, else the original
	Preview   string // a variant up to 640 wide, else the original
	Snippet   string // Markdown that shows the item as a captioned figure
	Uploader  string
	CanEdit   bool
	CanDelete bool
}

// mediaMetaForm is the alt/caption/credit form as typed.
type mediaMetaForm struct{ Alt, Caption, Credit string }

func readMediaMeta(q *request) mediaMetaForm {
	return mediaMetaForm{Alt: q.PostFormValue("alt"), Caption: q.PostFormValue("caption"), Credit: q.PostFormValue("credit")}
}

func (f mediaMetaForm) meta() media.Meta {
	return media.Meta{Alt: f.Alt, Caption: f.Caption, Credit: f.Credit}
}

var mediaFields = []string{"file", "alt", "caption", "credit"}

type mediaListView struct {
	*Base
	Rows       []MediaRow
	Total      int
	Pager      *Pager
	Query      string
	F          mediaMetaForm
	Errors     FormErrors
	UploadHint string
}

// canEditMedia: editors may change any item, authors what they uploaded.
func canEditMedia(u *model.User, it *store.MediaItem) bool {
	if u.Role.AtLeast(model.RoleEditor) {
		return true
	}
	return u.Role == model.RoleAuthor && it.UploaderID != nil && *it.UploaderID == u.ID
}

// library returns the media library, or 404 when this newsroom has none.
func (a *Admin) library() (*media.Library, error) {
	if a.opt.Library == nil {
		return nil, errNotFound
	}
	return a.opt.Library, nil
}

// mediaRows dresses items for a template, naming their uploaders.
func (a *Admin) mediaRows(q *request, items []*store.MediaItem) ([]MediaRow, error) {
	users, err := a.st.ListUsers(q.Context())
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, u := range users {
		names[u.ID] = u.Name
	}
	rows := make([]MediaRow, 0, len(items))
	for _, it := range items {
		r := MediaRow{It: it, URL: media.URL(it.Path), Thumb: media.URL(it.Path), Snippet: markdownFigure(it),
			CanEdit: canEditMedia(q.User, it)}
		r.CanDelete = r.CanEdit
		r.Preview = r.Thumb
		for i, v := range it.Variants {
			if i == 0 {
				r.Thumb = media.URL(v.Path)
			}
			if v.Width <= 640 {
				r.Preview = media.URL(v.Path)
			}
		}
		if it.UploaderID != nil {
			r.Uploader = names[*it.UploaderID]
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// markdownFigure is the line that shows it as a figure: the image alone
// in its paragraph, its caption as the title. Alt and caption are escaped
// so that brackets or quotes in them cannot end the Markdown early.
func markdownFigure(it *store.MediaItem) string {
	var b strings.Builder
	b.WriteString("![")
	for _, r := range oneLine(it.Alt) {
		if strings.ContainsRune("\\[]*_`<>!&", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteString("](")
	b.WriteString(media.URL(it.Path))
	if c := oneLine(it.Caption); c != "" {
		b.WriteString(` "`)
		b.WriteString(strings.NewReplacer(`\`, `\\`, `"`, `\"`, "&", `\&`).Replace(c))
		b.WriteByte('"')
	}
	b.WriteByte(')')
	return b.String()
}

// oneLine folds line breaks into spaces: a break would end the image.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func (a *Admin) mediaList(w http.ResponseWriter, q *request) error {
	return a.showMediaList(w, q, http.StatusOK, mediaMetaForm{}, nil)
}

func (a *Admin) showMediaList(w http.ResponseWriter, q *request, code int, f mediaMetaForm, errs FormErrors) error {
	lib, err := a.library()
	if err != nil {
		return err
	}
	text := strings.TrimSpace(q.URL.Query().Get("q"))
	if len(text) > 200 {
		text = text[:200]
	}
	page := pageNum(q)
	items, total, err := lib.List(q.Context(), store.MediaQuery{Text: text, Limit: mediaPerPage, Offset: (page - 1) * mediaPerPage})
	if err != nil {
		return err
	}
	v := &mediaListView{Base: a.base(q, q.L.T("admin.media.title"), "media"), Total: total, Query: text, F: f, Errors: errs,
		UploadHint: q.L.T("admin.media.upload_hint", q.L.Int(int(uploadMax(lib)>>20)), q.L.Int(maxUploadFiles))}
	if v.Rows, err = a.mediaRows(q, items); err != nil {
		return err
	}
	v.Pager = pager(q, page, total, mediaPerPage)
	a.render(w, q, code, "media", v)
	return nil
}

// mediaUpload stores every file of the form, or none: when one is
// refused, those stored before it are removed again, and the form comes
// back with the reason beside the file field.
func (a *Admin) mediaUpload(w http.ResponseWriter, q *request) error {
	lib, err := a.library()
	if err != nil {
		return err
	}
	f := readMediaMeta(q)
	var files []*multipart.FileHeader
	if q.MultipartForm != nil {
		files = q.MultipartForm.File["file"]
	}
	var errs valid.Errors
	switch {
	case len(files) == 0:
		errs.Add("file", "required", "media.error.empty")
	case len(files) > maxUploadFiles:
		errs.Add("file", "too_many", "admin.media.too_many", maxUploadFiles)
	}
	if errs != nil {
		return a.uploadRefused(w, q, f, errs, "")
	}
	var stored []int64
	for _, fh := range files {
		it, err := a.uploadOne(q, lib, fh, f.meta())
		if err == nil {
			stored = append(stored, it.ID)
			continue
		}
		for _, id := range stored {
			if derr := lib.Delete(q.Context(), id, true); derr != nil {
				a.opt.Log.Warn("removing an upload after a refused one failed", "media_id", id, "err", derr)
			}
		}
		name := ""
		if len(files) > 1 {
			name = fh.Filename // which of several files was refused matters
		}
		return a.uploadRefused(w, q, f, err, name)
	}
	return redirect(w, q, "/admin/media", "media_uploaded", len(stored))
}

func (a *Admin) uploadOne(q *request, lib *media.Library, fh *multipart.FileHeader, meta media.Meta) (*store.MediaItem, error) {
	file, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer file.Close()
	return lib.Upload(q.Context(), q.User, fh.Filename, file, meta)
}

// uploadRefused shows the library again with the reasons, naming the
// refused file when there were several; anything but a validation
// failure is the server's problem.
func (a *Admin) uploadRefused(w http.ResponseWriter, q *request, f mediaMetaForm, err error, filename string) error {
	es, ok := valid.As(err)
	if !ok {
		return err
	}
	errs, _ := formErrors(q, es, mediaFields...)
	if filename != "" && errs["file"] != "" {
		errs["file"] = q.L.T("admin.media.file_refused", filename, errs["file"])
	}
	code := http.StatusUnprocessableEntity
	if e := es.Field("file"); e != nil && e.Code == "too_large" {
		code = http.StatusRequestEntityTooLarge
	} else if e != nil && e.Code == "busy" {
		// Other uploads hold the processing budget: the same file may
		// be sent again shortly; what was typed is shown again.
		code = http.StatusServiceUnavailable
		w.Header().Set("Retry-After", strconv.Itoa(int(media.BudgetWait/time.Second)))
	}
	return a.showMediaList(w, q, code, f, errs)
}

// pickerItem is one image offered by the editor's "insert" list.
type pickerItem struct {
	ID      int64  `json:"id"`
	Thumb   string `json:"thumb"`
	Label   string `json:"label"`
	Snippet string `json:"snippet"`
}

// mediaPicker answers the editor's script with the newest images (or
// those matching ?q=) and the Markdown that inserts each.
func (a *Admin) mediaPicker(w http.ResponseWriter, q *request) error {
	lib, err := a.library()
	if err != nil {
		return err
	}
	text := strings.TrimSpace(q.URL.Query().Get("q"))
	if len(text) > 200 {
		text = text[:200]
	}
	items, _, err := lib.List(q.Context(), store.MediaQuery{Text: text, Limit: pickerItems})
	if err != nil {
		return err
	}
	out := struct {
		Items []pickerItem `json:"items"`
	}{Items: []pickerItem{}}
	for _, it := range items {
		p := pickerItem{ID: it.ID, Thumb: media.URL(it.Path), Label: it.Alt, Snippet: markdownFigure(it)}
		if len(it.Variants) > 0 {
			p.Thumb = media.URL(it.Variants[0].Path)
		}
		if p.Label == "" {
			p.Label = it.Filename
		}
		if p.Label == "" {
			p.Label = it.Path
		}
		out.Items = append(out.Items, p)
	}
	return writeJSON(w, http.StatusOK, out)
}

type mediaItemView struct {
	*Base
	Row        MediaRow
	F          mediaMetaForm
	Errors     FormErrors
	Uses       []MediaUseRow
	InUse      string // the refusal, after a delete was refused
	CanForce   bool
	Dimensions string
	FileSize   string
}

// MediaUseRow is an article or page that shows an item.
type MediaUseRow struct {
	store.MediaUse
	Kind, URL string
}

func (a *Admin) loadMedia(q *request) (*media.Library, *store.MediaItem, error) {
	lib, err := a.library()
	if err != nil {
		return nil, nil, err
	}
	id, err := idParam(q, "id")
	if err != nil {
		return nil, nil, err
	}
	it, err := lib.Get(q.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	return lib, it, nil
}

func (a *Admin) mediaItem(w http.ResponseWriter, q *request) error {
	_, it, err := a.loadMedia(q)
	if err != nil {
		return err
	}
	return a.showMediaItem(w, q, http.StatusOK, it, mediaMetaForm{Alt: it.Alt, Caption: it.Caption, Credit: it.Credit}, nil, nil)
}

func (a *Admin) showMediaItem(w http.ResponseWriter, q *request, code int, it *store.MediaItem, f mediaMetaForm, errs FormErrors, inUse *media.InUseError) error {
	rows, err := a.mediaRows(q, []*store.MediaItem{it})
	if err != nil {
		return err
	}
	v := &mediaItemView{Base: a.base(q, q.L.T("admin.media.edit_title"), "media"), Row: rows[0], F: f, Errors: errs,
		CanForce:   q.User.Role.AtLeast(model.RoleEditor),
		Dimensions: q.L.T("admin.media.dimensions_value", q.L.Int(it.Width), q.L.Int(it.Height)),
		FileSize:   fileSize(q, it.Size)}
	uses := []store.MediaUse(nil)
	if inUse != nil {
		uses = inUse.Uses
		v.InUse = q.L.N("media.error.in_use", len(uses))
	} else if uses, err = a.opt.Library.Usage(q.Context(), it); err != nil {
		return err
	}
	for _, u := range uses {
		row := MediaUseRow{MediaUse: u, Kind: q.L.T("admin.media.kind." + u.Kind)}
		if u.Kind == "page" {
			row.URL = "/admin/pages/" + itoa64(u.ID)
		} else {
			row.URL = "/admin/articles/" + itoa64(u.ID)
		}
		v.Uses = append(v.Uses, row)
	}
	a.render(w, q, code, "media_item", v)
	return nil
}

// fileSize is a byte count in whole kilobytes, grouped the local way
// ("2.345 KB"), which needs no decimal separator.
func fileSize(q *request, n int64) string {
	return q.L.T("admin.media.size_kb", q.L.Number((n+1023)>>10))
}

func (a *Admin) mediaSave(w http.ResponseWriter, q *request) error {
	lib, it, err := a.loadMedia(q)
	if err != nil {
		return err
	}
	if !canEditMedia(q.User, it) {
		return errForbidden
	}
	f := readMediaMeta(q)
	saved, err := lib.Update(q.Context(), it.ID, f.meta())
	if err == nil {
		return redirect(w, q, "/admin/media/"+itoa64(saved.ID), "saved")
	}
	errs, ok := formErrors(q, err, mediaFields...)
	if !ok {
		return err
	}
	return a.showMediaItem(w, q, http.StatusUnprocessableEntity, it, f, errs, nil)
}

// mediaDelete removes an item nobody shows. One that is shown is deleted
// only when an editor confirms "hapus paksa"; otherwise the page lists
// where it is used.
func (a *Admin) mediaDelete(w http.ResponseWriter, q *request) error {
	lib, it, err := a.loadMedia(q)
	if err != nil {
		return err
	}
	if !canEditMedia(q.User, it) {
		return errForbidden
	}
	force := q.PostFormValue("force") != ""
	if force && !q.User.Role.AtLeast(model.RoleEditor) {
		return errForbidden
	}
	err = lib.Delete(q.Context(), it.ID, force)
	var inUse *media.InUseError
	switch {
	case err == nil:
		return redirect(w, q, "/admin/media", "deleted")
	case errors.As(err, &inUse):
		return a.showMediaItem(w, q, http.StatusConflict, it, mediaMetaForm{Alt: it.Alt, Caption: it.Caption, Credit: it.Credit}, nil, inUse)
	}
	return err
}
