package admin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"warta/internal/article"
	"warta/internal/media"
	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// testImage draws a w×h picture with a gradient, so that encoders and
// resizers have real work to do.
func testImage(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 120, 255})
		}
	}
	return img
}

func jpegBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, testImage(w, h), &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, testImage(w, h)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// upFile is one file of an upload form.
type upFile struct {
	name string
	data []byte
}

// upload posts the media form as a browser does: multipart, with the
// session's CSRF token, the files under "file" and the other fields.
func upload(t *testing.T, nr *testutil.Newsroom, fields map[string]string, files ...upFile) *testutil.Response {
	t.Helper()
	body, ctype := uploadBody(nr, fields, files...)
	return postBody(t, nr, body, ctype)
}

func uploadBody(nr *testutil.Newsroom, fields map[string]string, files ...upFile) ([]byte, string) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", nr.CSRF)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for _, f := range files {
		part, _ := mw.CreateFormFile("file", f.name)
		part.Write(f.data)
	}
	mw.Close()
	return body.Bytes(), mw.FormDataContentType()
}

func postBody(t *testing.T, nr *testutil.Newsroom, body []byte, ctype string) *testutil.Response {
	t.Helper()
	req, err := http.NewRequest("POST", nr.Site.URL+"/admin/media", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ctype)
	resp, err := nr.Client.Do(req)
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return &testutil.Response{Status: resp.StatusCode, Header: resp.Header, Body: string(raw)}
}

// noDemo starts a site without the demo articles and their pictures, so
// the media library starts empty.
func noDemo(o *testutil.SiteOptions) { o.Demo = false }

func articleInput(title, body *string, status *model.Status) article.Input {
	return article.Input{Title: title, Body: body, Status: status}
}

// mediaItems lists the library's records, newest first.
func (n *newsroom) mediaItems(t *testing.T) []*store.MediaItem {
	t.Helper()
	items, _, err := n.App.Library.List(context.Background(), store.MediaQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// storedFiles lists the files in the media folder under --data.
func (n *newsroom) storedFiles(t *testing.T) []string {
	t.Helper()
	root := filepath.Join(n.App.Cfg.DataDir, "media")
	var out []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return out
}

// uploaded uploads one image as nr and returns its record.
func (n *newsroom) uploaded(t *testing.T, nr *testutil.Newsroom, f upFile, fields map[string]string) *store.MediaItem {
	t.Helper()
	if r := upload(t, nr, fields, f); r.Status != http.StatusSeeOther {
		t.Fatalf("upload %s: %d\n%s", f.name, r.Status, fieldErrors(r.Body))
	}
	for _, it := range n.mediaItems(t) {
		if it.Filename == f.name {
			return it
		}
	}
	t.Fatalf("upload %s: not in the library", f.name)
	return nil
}

var fieldErrorRe = regexp.MustCompile(`<p class="field-error" role="alert">([^<]*)</p>`)

// fieldErrors returns the messages shown beside fields.
func fieldErrors(page string) string {
	var out []string
	for _, m := range fieldErrorRe.FindAllStringSubmatch(page, -1) {
		out = append(out, unescape(m[1]))
	}
	return strings.Join(out, " | ")
}

func TestMediaUploadAndEdit(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st, noDemo)
		au := n.login(t, model.RoleAuthor)
		if r := au.Get("/admin/media"); r.Status != 200 || !strings.Contains(r.Body, "Pustaka media masih kosong") ||
			!strings.Contains(r.Body, `enctype="multipart/form-data"`) {
			t.Fatalf("empty library: %d", r.Status)
		}

		r := upload(t, au, map[string]string{"alt": "Pedagang menata jeruk", "caption": `Pasar "Lok Baintan" pagi hari`, "credit": "Rina/Warta"},
			upFile{"Pasar Terapung.JPG", jpegBytes(t, 800, 500)})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/admin/media?ok=media_uploaded&n=1" {
			t.Fatalf("upload: %d %q\n%s", r.Status, r.Header.Get("Location"), fieldErrors(r.Body))
		}
		items := n.mediaItems(t)
		if len(items) != 1 {
			t.Fatalf("%d items after one upload", len(items))
		}
		it := items[0]
		if it.Path != "2026/12/pasar-terapung.jpg" || it.Width != 800 || it.Height != 500 || it.ContentType != "image/jpeg" ||
			it.Alt != "Pedagang menata jeruk" || it.Credit != "Rina/Warta" || *it.UploaderID != n.users[model.RoleAuthor].ID {
			t.Fatalf("stored %+v", it)
		}
		if len(it.Variants) != 2 || it.Variants[0].Width != 320 || it.Variants[1].Width != 640 {
			t.Fatalf("variants %+v", it.Variants)
		}
		if got := n.storedFiles(t); len(got) != 3 {
			t.Errorf("files in storage: %v", got)
		}
		list := au.Get("/admin/media?ok=media_uploaded&n=1")
		for _, want := range []string{"1 berkas diunggah", `src="/media/2026/12/pasar-terapung-320w.jpg"`, "Pasar Terapung.JPG", "800×500"} {
			if !strings.Contains(list.Body, want) {
				t.Errorf("the library page lacks %q", want)
			}
		}
		if r := n.Get("/media/2026/12/pasar-terapung-640w.jpg"); r.Status != 200 || r.Header.Get("Content-Type") != "image/jpeg" {
			t.Errorf("variant served: %d %s", r.Status, r.Header.Get("Content-Type"))
		}

		// Two files in one form, a PNG among them.
		r = upload(t, au, map[string]string{"alt": "Perahu"}, upFile{"perahu.png", pngBytes(t, 400, 300)}, upFile{"sungai.jpg", jpegBytes(t, 300, 200)})
		if r.Status != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "n=2") {
			t.Fatalf("two files: %d %q\n%s", r.Status, r.Header.Get("Location"), fieldErrors(r.Body))
		}
		if items := n.mediaItems(t); len(items) != 3 || items[0].ContentType != "image/jpeg" || items[1].ContentType != "image/png" {
			t.Fatalf("after two more uploads: %d items", len(items))
		}

		// Search finds by file name, alt text and caption.
		for q, want := range map[string]string{"sungai": "sungai.jpg", "perahu": "perahu.png", "lok+baintan": "Pasar Terapung.JPG", "tidak-ada": "Tidak ada media yang cocok"} {
			if r := au.Get("/admin/media?q=" + q); !strings.Contains(r.Body, want) {
				t.Errorf("search %q does not show %q", q, want)
			}
		}
		if r := au.Get("/admin/media?q=sungai"); strings.Contains(r.Body, "perahu.png") {
			t.Errorf("search for sungai shows perahu.png too")
		}

		// The item page offers the Markdown to copy, quotes escaped.
		id := itoa(it.ID)
		page := au.Get("/admin/media/" + id)
		wantSnippet := `![Pedagang menata jeruk](/media/2026/12/pasar-terapung.jpg "Pasar \"Lok Baintan\" pagi hari")`
		if page.Status != 200 || !strings.Contains(unescape(page.Body), `value="`+wantSnippet+`"`) {
			t.Errorf("item page: %d, snippet missing", page.Status)
		}
		if !strings.Contains(page.Body, "Belum dipakai") || !strings.Contains(page.Body, "Hapus media") {
			t.Errorf("item page does not say it is unused or offer deletion")
		}

		// The picker answers the editor's script.
		var picked struct {
			Items []struct {
				ID                    int64
				Thumb, Label, Snippet string
			}
		}
		pr := au.Get("/admin/media/picker?q=pasar")
		if err := json.Unmarshal([]byte(pr.Body), &picked); err != nil || pr.Status != 200 {
			t.Fatalf("picker: %d %v", pr.Status, err)
		}
		if len(picked.Items) != 1 || picked.Items[0].Snippet != wantSnippet || picked.Items[0].Thumb != "/media/2026/12/pasar-terapung-320w.jpg" {
			t.Errorf("picker: %+v", picked.Items)
		}

		// Whatever the words hold, the snippet renders to exactly them.
		tricky := n.uploaded(t, au, upFile{"cabai.png", pngBytes(t, 100, 60)}, map[string]string{
			"alt": `Cabai [merah] *segar* & <murah> \ ](x)`, "caption": "Harga \"cabai\" & bawang <naik> \\ lagi\n)"})
		pr = au.Get("/admin/media/picker?q=cabai")
		if err := json.Unmarshal([]byte(pr.Body), &picked); err != nil || len(picked.Items) != 1 {
			t.Fatalf("picker for cabai: %s", pr.Body)
		}
		preview := au.Post("/admin/preview", form("body", picked.Items[0].Snippet))
		wantAlt := `alt="Cabai [merah] *segar* &amp; &lt;murah&gt; \ ](x)"`
		wantCaption := `<figcaption>Harga &quot;cabai&quot; &amp; bawang &lt;naik&gt; \ lagi )</figcaption>`
		if !strings.Contains(preview.Body, `<img src="/media/`+tricky.Path+`" `+wantAlt) || !strings.Contains(preview.Body, wantCaption) {
			t.Errorf("snippet %s renders as %s", picked.Items[0].Snippet, preview.Body)
		}

		// Editing the words: a mistake comes back beside its field with
		// the input kept; a good form is stored.
		r = au.Post("/admin/media/"+id, form("alt", strings.Repeat("a", 301), "caption", "Keterangan baru", "credit", ""))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(fieldErrors(r.Body), "Teks alternatif") ||
			!strings.Contains(r.Body, "Keterangan baru") {
			t.Errorf("too long alt: %d %q", r.Status, fieldErrors(r.Body))
		}
		r = au.Post("/admin/media/"+id, form("alt", "Pedagang jeruk di perahu", "caption", "Pagi di Lok Baintan", "credit", "Rina"))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("save words: %d", r.Status)
		}
		got, err := n.App.Library.Get(context.Background(), it.ID)
		if err != nil || got.Alt != "Pedagang jeruk di perahu" || got.Caption != "Pagi di Lok Baintan" || got.Credit != "Rina" {
			t.Errorf("after editing: %+v %v", got, err)
		}

		// Past a page's worth of items the list pages, oldest last.
		small := pngBytes(t, 60, 40)
		for i := range 22 {
			if _, err := n.App.Library.Upload(context.Background(), n.users[model.RoleAuthor], "kecil-"+itoa(int64(i))+".png",
				bytes.NewReader(small), media.Meta{}); err != nil {
				t.Fatal(err)
			}
		}
		first, second := au.Get("/admin/media"), au.Get("/admin/media?page=2")
		if !strings.Contains(first.Body, `href="/admin/media?page=2"`) || strings.Contains(first.Body, "Pasar Terapung.JPG") {
			t.Errorf("the first page of 25 items does not page")
		}
		if !strings.Contains(second.Body, "Pasar Terapung.JPG") || strings.Contains(second.Body, "kecil-21.png") {
			t.Errorf("the second page does not hold the oldest item alone")
		}
	})
}

func TestMediaUploadRefused(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st, noDemo)
		ed := n.login(t, model.RoleEditor)
		nothingStored := func(what string) {
			t.Helper()
			if items := n.mediaItems(t); len(items) != 0 {
				t.Errorf("%s: %d items stored", what, len(items))
			}
			if files := n.storedFiles(t); len(files) != 0 {
				t.Errorf("%s: files in storage: %v", what, files)
			}
			if r := ed.Get("/admin/media"); !strings.Contains(r.Body, "Pustaka media masih kosong") {
				t.Errorf("%s: the library is not empty", what)
			}
		}

		// Text named .jpg is refused by its content, the words typed kept.
		r := upload(t, ed, map[string]string{"alt": "Bukan foto"}, upFile{"foto.jpg", []byte("Ini hanya teks biasa, bukan gambar.\n")})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(fieldErrors(r.Body), "bukan gambar JPEG, PNG, GIF, atau WebP") ||
			!strings.Contains(r.Body, `value="Bukan foto"`) || !strings.Contains(r.Body, `aria-invalid="true"`) {
			t.Errorf("text as .jpg: %d %q", r.Status, fieldErrors(r.Body))
		}
		nothingStored("text as .jpg")

		// One bad file among good ones: none of them is kept, and the
		// message names the bad one.
		r = upload(t, ed, nil, upFile{"baik.png", pngBytes(t, 500, 400)}, upFile{"rusak.jpg", []byte("\xff\xd8\xff\xe0 patah")})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(fieldErrors(r.Body), "rusak.jpg: Berkas gambar rusak") {
			t.Errorf("good and bad together: %d %q", r.Status, fieldErrors(r.Body))
		}
		nothingStored("good and bad together")

		// No file at all.
		r = upload(t, ed, map[string]string{"alt": "x"})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(fieldErrors(r.Body), "Pilih berkas gambar") {
			t.Errorf("no file: %d %q", r.Status, fieldErrors(r.Body))
		}

		// Over the size limit (lowered here so the test sends little).
		n.App.Library.MaxBytes = 64 << 10
		big := append(jpegBytes(t, 64, 64), make([]byte, 70<<10)...)
		r = upload(t, ed, nil, upFile{"besar.jpg", big})
		if r.Status != http.StatusRequestEntityTooLarge || !strings.Contains(fieldErrors(r.Body), "Berkas terlalu besar (paling besar 64 KB)") {
			t.Errorf("too large: %d %q", r.Status, fieldErrors(r.Body))
		}
		nothingStored("too large")

		// A form larger than the upload route accepts at all (every file
		// at the limit, and more) is answered 413 before any file is
		// looked at. The body is one byte over, so the server has read it
		// all when it answers.
		limit := n.App.Admin.UploadLimit(httptest.NewRequest("POST", "/admin/media", nil))
		body, _ := uploadBody(ed, nil, upFile{"raksasa.jpg", nil})
		body, ctype := uploadBody(ed, nil, upFile{"raksasa.jpg", make([]byte, int(limit)+1-len(body))})
		if int64(len(body)) != limit+1 {
			t.Fatalf("body of %d bytes, want %d", len(body), limit+1)
		}
		r = postBody(t, ed, body, ctype)
		if r.Status != http.StatusRequestEntityTooLarge || !strings.Contains(r.Body, "Isian terlalu besar") {
			t.Errorf("form over the route's limit: %d", r.Status)
		}
		nothingStored("form over the route's limit")

		// English users read the same refusal in English.
		if r := ed.Post("/admin/account", form("name", "editor", "language", "en")); r.Status != http.StatusSeeOther {
			t.Fatalf("switching to English: %d", r.Status)
		}
		r = upload(t, ed, nil, upFile{"notes.jpg", []byte("plain text")})
		if msg := fieldErrors(r.Body); !strings.Contains(msg, "not a JPEG, PNG, GIF or WebP") {
			t.Errorf("English refusal: %q", msg)
		}
	})
}

func TestMediaRoles(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st, noDemo)
		ed, au, co := n.login(t, model.RoleEditor), n.login(t, model.RoleAuthor), n.login(t, model.RoleContributor)

		// Contributors have no media library: no upload, no list, no link.
		if r := upload(t, co, nil, upFile{"kontributor.jpg", jpegBytes(t, 100, 80)}); r.Status != http.StatusForbidden ||
			!strings.Contains(r.Body, "Akses ditolak") {
			t.Errorf("contributor upload: %d", r.Status)
		}
		if r := co.Get("/admin/media"); r.Status != http.StatusForbidden {
			t.Errorf("contributor library: %d", r.Status)
		}
		if r := co.Get("/admin/articles/new"); strings.Contains(r.Body, `href="/admin/media"`) || strings.Contains(r.Body, "media-picker") {
			t.Errorf("the contributor's editor links the media library")
		}
		if len(n.mediaItems(t)) != 0 || len(n.storedFiles(t)) != 0 {
			t.Fatalf("a contributor's upload was stored")
		}

		theirs := n.uploaded(t, ed, upFile{"milik-editor.jpg", jpegBytes(t, 700, 400)}, map[string]string{"alt": "Foto editor"})
		mine := n.uploaded(t, au, upFile{"milik-penulis.jpg", jpegBytes(t, 700, 400)}, nil)

		// An author sees others' items but changes only their own.
		if r := au.Get("/admin/media/" + itoa(theirs.ID)); r.Status != 200 || !strings.Contains(r.Body, "Hanya pengunggahnya atau editor") ||
			strings.Contains(r.Body, "/delete") {
			t.Errorf("author views editor's item: %d", r.Status)
		}
		if r := au.Post("/admin/media/"+itoa(theirs.ID), form("alt", "diubah")); r.Status != http.StatusForbidden {
			t.Errorf("author edits editor's item: %d", r.Status)
		}
		if r := au.Post("/admin/media/"+itoa(theirs.ID)+"/delete", nil); r.Status != http.StatusForbidden {
			t.Errorf("author deletes editor's item: %d", r.Status)
		}

		// An item an article shows is not deleted without "hapus paksa",
		// and the refusal lists the article.
		body := "Paragraf.\n\n![Foto editor](/media/" + theirs.Path + " \"Keterangan\")\n"
		title := "Berita Bergambar"
		status := model.StatusPublished
		art, err := n.App.Articles.Create(context.Background(), n.users[model.RoleEditor], articleInput(&title, &body, &status))
		if err != nil {
			t.Fatal(err)
		}
		r := ed.Post("/admin/media/"+itoa(theirs.ID)+"/delete", nil)
		if r.Status != http.StatusConflict || !strings.Contains(r.Body, "masih dipakai di 1 tulisan") ||
			!strings.Contains(r.Body, `href="/admin/articles/`+itoa(art.ID)+`">Berita Bergambar</a>`) || !strings.Contains(r.Body, "Hapus paksa") {
			t.Errorf("delete of a used item: %d", r.Status)
		}
		if _, err := n.App.Library.Get(context.Background(), theirs.ID); err != nil {
			t.Fatalf("the refused delete removed the item: %v", err)
		}

		// An author's own item in use: refused, and forcing is for editors.
		authorBody := "![x](/media/" + mine.Path + ")"
		authorTitle := "Tulisan Penulis"
		if _, err := n.App.Articles.Create(context.Background(), n.users[model.RoleAuthor], articleInput(&authorTitle, &authorBody, &status)); err != nil {
			t.Fatal(err)
		}
		if r := au.Post("/admin/media/"+itoa(mine.ID)+"/delete", nil); r.Status != http.StatusConflict ||
			!strings.Contains(r.Body, "Hanya editor yang dapat menghapus media yang masih dipakai") {
			t.Errorf("author deletes own used item: %d", r.Status)
		}
		if r := au.Post("/admin/media/"+itoa(mine.ID)+"/delete", form("force", "1")); r.Status != http.StatusForbidden {
			t.Errorf("author forces: %d", r.Status)
		}

		// The editor forces: record and files go.
		if r := ed.Post("/admin/media/"+itoa(theirs.ID)+"/delete", form("force", "1")); r.Status != http.StatusSeeOther {
			t.Fatalf("forced delete: %d", r.Status)
		}
		for _, f := range n.storedFiles(t) {
			if strings.Contains(f, "milik-editor") {
				t.Errorf("file %s left after the forced delete", f)
			}
		}
		if len(n.mediaItems(t)) != 1 {
			t.Errorf("items after the forced delete: %d", len(n.mediaItems(t)))
		}

		// An author deletes an own unused upload.
		spare := n.uploaded(t, au, upFile{"cadangan.png", pngBytes(t, 200, 100)}, nil)
		if r := au.Post("/admin/media/"+itoa(spare.ID)+"/delete", nil); r.Status != http.StatusSeeOther {
			t.Errorf("author deletes own unused item: %d", r.Status)
		}
		if _, err := n.App.Library.Get(context.Background(), spare.ID); err == nil {
			t.Errorf("the author's unused item is still there")
		}
	})
}

// TestPublicSrcset: an article whose body shows a library image gets
// srcset and sizes on the public page; so does its featured image.
func TestPublicSrcset(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st, noDemo)
		ed := n.login(t, model.RoleEditor)
		body := n.uploaded(t, ed, upFile{"banjir.jpg", jpegBytes(t, 1200, 800)}, map[string]string{"alt": "Banjir", "caption": "Air setinggi lutut"})
		lead := n.uploaded(t, ed, upFile{"utama.png", pngBytes(t, 700, 400)}, nil)
		it, err := n.App.Library.Get(context.Background(), body.ID)
		if err != nil {
			t.Fatal(err)
		}
		snippet := regexp.MustCompile(`value="(!\[[^"]*)"`).FindStringSubmatch(ed.Get("/admin/media/" + itoa(body.ID)).Body)
		if snippet == nil {
			t.Fatal("no snippet on the item page")
		}
		created(t, ed.Post("/admin/articles/new", form("title", "Banjir Rendam Kampung", "body",
			"Warga mengungsi.\n\n"+unescape(snippet[1])+"\n\nBantuan datang sore.\n\n![luar](/media/tidak-ada.jpg)",
			"image_url", "/media/"+lead.Path, "image_alt", "Gambar utama", "status", "published")))
		page := n.Get("/2026/12/banjir-rendam-kampung")
		if page.Status != 200 {
			t.Fatalf("public page: %d", page.Status)
		}
		wantSet := media.Srcset(it)
		for _, want := range []string{
			`<img src="/media/2026/12/banjir.jpg" alt="Banjir" loading="lazy" decoding="async" srcset="` + wantSet + `" sizes="` +
				media.BodySizes + `" width="1200" height="800">`,
			"<figcaption>Air setinggi lutut</figcaption>",
			`srcset="/media/2026/12/utama-320w.png 320w, /media/2026/12/utama-640w.png 640w, /media/2026/12/utama.png 700w"`,
			`<img src="/media/tidak-ada.jpg" alt="luar" loading="lazy" decoding="async">`,
		} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("public page lacks %s", want)
			}
		}
		if !strings.Contains(wantSet, "banjir-1024w.jpg 1024w") {
			t.Errorf("srcset %q lacks the 1024 variant", wantSet)
		}
	})
}
