package media_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"warta/internal/event"
	"warta/internal/media"
	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
	"warta/internal/valid"
)

type libFixture struct {
	lib    *media.Library
	s      *sqlstore.Store
	files  func() int // files in storage
	user   *model.User
	events []event.Event
}

// eachLibrary runs fn with folder storage and with database storage, each
// on both databases.
func eachLibrary(t *testing.T, fn func(t *testing.T, f *libFixture)) {
	for _, kind := range []string{"dir", "db"} {
		t.Run(kind, func(t *testing.T) {
			testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
				f := &libFixture{s: s}
				var st media.Storage
				if kind == "dir" {
					root := t.TempDir()
					st = media.Dir{Root: root}
					f.files = func() int {
						n := 0
						filepath.WalkDir(root, func(_ string, d fs.DirEntry, _ error) error {
							if d != nil && !d.IsDir() {
								n++
							}
							return nil
						})
						return n
					}
				} else {
					st = s.MediaStorage()
					f.files = func() int {
						var n int
						if err := s.DB().QueryRow(`SELECT count(*) FROM media_blobs`).Scan(&n); err != nil {
							t.Fatal(err)
						}
						return n
					}
				}
				f.user = &model.User{Email: "foto@warta.test", Name: "Fotografer", Slug: "fotografer", Role: model.RoleAuthor, Active: true}
				if err := s.CreateUser(context.Background(), f.user); err != nil {
					t.Fatal(err)
				}
				bus := &event.Bus{}
				bus.Subscribe(func(_ context.Context, e event.Event) { f.events = append(f.events, e) })
				f.lib = &media.Library{Store: s, Storage: st, MaxBytes: 2 << 20, Events: bus,
					Now: func() time.Time { return time.Date(2024, 7, 24, 3, 0, 0, 0, time.UTC) }}
				fn(t, f)
			})
		})
	}
}

func (f *libFixture) rows(t *testing.T) int {
	t.Helper()
	n, err := f.s.CountMediaItems(context.Background(), store.MediaQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func refusal(t *testing.T, err error, code string) {
	t.Helper()
	es, ok := valid.As(err)
	if !ok {
		t.Fatalf("got %v, want a validation error", err)
	}
	if e := es.Field("file"); e == nil || e.Code != code || !strings.HasPrefix(e.Key, "media.error.") {
		t.Fatalf("got %v, want file: %s", err, code)
	}
}

func TestUploadStoresOriginalAndVariants(t *testing.T) {
	eachLibrary(t, func(t *testing.T, f *libFixture) {
		ctx := context.Background()
		photo := jpegWithEXIF(t, quadrants(1200, 800), 1, false)
		it, err := f.lib.Upload(ctx, f.user, `C:\Foto\Banjir di Kampung Melayu.JPG`, bytes.NewReader(photo),
			media.Meta{Alt: " Warga mengungsi ", Caption: "Banjir merendam permukiman.", Credit: "Foto: Redaksi"})
		if err != nil {
			t.Fatal(err)
		}
		if it.Path != "2024/07/banjir-di-kampung-melayu.jpg" || it.Filename != "Banjir di Kampung Melayu.JPG" ||
			it.Alt != "Warga mengungsi" || it.Width != 1200 || it.Height != 800 || *it.UploaderID != f.user.ID {
			t.Fatalf("item: %+v", it)
		}
		wantVariants := []string{"2024/07/banjir-di-kampung-melayu-320w.jpg", "2024/07/banjir-di-kampung-melayu-640w.jpg",
			"2024/07/banjir-di-kampung-melayu-1024w.jpg"}
		if len(it.Variants) != len(wantVariants) {
			t.Fatalf("variants: %+v", it.Variants)
		}
		for i, v := range it.Variants {
			if v.Path != wantVariants[i] {
				t.Errorf("variant %d: %s", i, v.Path)
			}
			data := readAll(t, f.lib.Storage, v.Path)
			cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
			if err != nil || cfg.Width != v.Width || cfg.Height != v.Height || int64(len(data)) != v.Size {
				t.Errorf("variant %s: %v %+v", v.Path, err, cfg)
			}
		}
		orig := readAll(t, f.lib.Storage, it.Path)
		if bytes.Contains(orig, []byte(secretPlace)) || int64(len(orig)) != it.Size {
			t.Error("stored original is not the cleaned one")
		}
		if f.files() != 4 {
			t.Errorf("%d files stored, want 4", f.files())
		}
		got, err := f.s.MediaItemByPath(ctx, it.Path)
		if err != nil || got.ID != it.ID || len(got.Variants) != 3 || got.Variants[2].Width != 1024 || got.Caption != it.Caption {
			t.Fatalf("stored record: %+v %v", got, err)
		}
		if len(f.events) != 1 {
			t.Errorf("events: %v", f.events)
		}

		// The same name again gets the next free one; a name that looks
		// like a variant cannot take another item's variant path.
		again, err := f.lib.Upload(ctx, f.user, "banjir di kampung melayu.jpeg", bytes.NewReader(photo), media.Meta{})
		if err != nil || again.Path != "2024/07/banjir-di-kampung-melayu-2.jpg" {
			t.Fatalf("second upload: %v %v", again, err)
		}
		sneaky, err := f.lib.Upload(ctx, nil, "banjir-di-kampung-melayu-640w.jpg", bytes.NewReader(photo), media.Meta{})
		if err != nil || sneaky.Path != "2024/07/banjir-di-kampung-melayu-640w-img.jpg" || sneaky.UploaderID != nil {
			t.Fatalf("variant-like name: %v %v", sneaky, err)
		}
		if b := readAll(t, f.lib.Storage, wantVariants[1]); len(b) != int(it.Variants[1].Size) {
			t.Fatal("a later upload overwrote a variant")
		}
		// Symbols only: a fallback name.
		odd, err := f.lib.Upload(ctx, nil, "★★★.png", bytes.NewReader(pngWithText(t, quadrants(100, 80))), media.Meta{})
		if err != nil || odd.Path != "2024/07/gambar.png" || len(odd.Variants) != 0 {
			t.Fatalf("symbol name: %v %v", odd, err)
		}
	})
}

func TestUploadRefusedStoresNothing(t *testing.T) {
	eachLibrary(t, func(t *testing.T, f *libFixture) {
		ctx := context.Background()
		_, err := f.lib.Upload(ctx, f.user, "foto.jpg", strings.NewReader("Bukan gambar, hanya teks biasa.\n"), media.Meta{})
		refusal(t, err, "unsupported")

		f.lib.MaxBytes = 64 << 10
		big := jpegWithEXIF(t, noise(600, 600), 1, false)
		if len(big) <= 64<<10 {
			t.Fatalf("test image too small: %d", len(big))
		}
		_, err = f.lib.Upload(ctx, f.user, "besar.jpg", bytes.NewReader(big), media.Meta{})
		refusal(t, err, "too_large")
		if es, _ := valid.As(err); es[0].Key != "media.error.too_large_kb" || es[0].Args[0] != 64 {
			t.Errorf("limit not in the message: %+v", es[0])
		}
		f.lib.MaxBytes = 1 << 20
		_, err = f.lib.Upload(ctx, f.user, "besar.jpg", bytes.NewReader(append(big, make([]byte, 1<<20)...)), media.Meta{})
		if es, _ := valid.As(err); len(es) == 0 || es[0].Key != "media.error.too_large_mb" || es[0].Args[0] != 1 {
			t.Errorf("MB limit: %v", err)
		}
		_, err = f.lib.Upload(ctx, f.user, "bom.png", bytes.NewReader(pngSized(t, 30000, 30000)), media.Meta{})
		refusal(t, err, "too_large")
		_, err = f.lib.Upload(ctx, f.user, "kosong.jpg", bytes.NewReader(nil), media.Meta{})
		refusal(t, err, "required")

		// Words too long are reported with the file's problem, together.
		_, err = f.lib.Upload(ctx, f.user, "x.jpg", strings.NewReader("teks"), media.Meta{Alt: strings.Repeat("a", media.MaxAlt+1)})
		if es, ok := valid.As(err); !ok || len(es) != 2 || es.Field("alt") == nil {
			t.Errorf("alt too long: %v", err)
		}
		if n := f.files(); n != 0 {
			t.Errorf("%d files stored after refusals", n)
		}
		if n := f.rows(t); n != 0 {
			t.Errorf("%d rows stored after refusals", n)
		}
		if len(f.events) != 0 {
			t.Errorf("events after refusals: %v", f.events)
		}
	})
}

// noise compresses badly, so it makes a large JPEG from few pixels.
func noise(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	x := uint32(2463534242)
	for i := range img.Pix {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		img.Pix[i] = uint8(x)
	}
	return img
}

func TestSearchListUpdate(t *testing.T) {
	eachLibrary(t, func(t *testing.T, f *libFixture) {
		ctx := context.Background()
		small := pngWithText(t, quadrants(50, 40))
		for _, u := range []struct{ name, alt, caption string }{
			{"pasar-baru.png", "Pedagang sayur", "Pasar pagi di Bandung"},
			{"stasiun.png", "Kereta tiba", "Stasiun Gambir"},
			{"pelabuhan_100%.png", "Kapal", "Pelabuhan Tanjung Priok"},
		} {
			if _, err := f.lib.Upload(ctx, f.user, u.name, bytes.NewReader(small), media.Meta{Alt: u.alt, Caption: u.caption}); err != nil {
				t.Fatal(err)
			}
		}
		search := func(text string) []string {
			items, n, err := f.lib.List(ctx, store.MediaQuery{Text: text})
			if err != nil || n != len(items) {
				t.Fatalf("search %q: %d of %d, %v", text, len(items), n, err)
			}
			var out []string
			for _, it := range items {
				out = append(out, it.Filename)
			}
			return out
		}
		for text, want := range map[string]string{
			"SAYUR": "pasar-baru.png", "gambir": "stasiun.png", "stasiun": "stasiun.png",
			"100%": "pelabuhan_100%.png", "n_1": "pelabuhan_100%.png",
		} {
			if got := search(text); len(got) != 1 || got[0] != want {
				t.Errorf("search %q: %v, want %s", text, got, want)
			}
		}
		if got := search("%"); len(got) != 1 {
			t.Errorf("a percent sign matched %v", got)
		}
		items, n, err := f.lib.List(ctx, store.MediaQuery{Limit: 2})
		if err != nil || len(items) != 2 || n != 3 || items[0].Filename != "pelabuhan_100%.png" {
			t.Fatalf("page 1: %d of %d %v", len(items), n, err)
		}
		items, _, _ = f.lib.List(ctx, store.MediaQuery{Limit: 2, Offset: 2})
		if len(items) != 1 || items[0].Filename != "pasar-baru.png" {
			t.Fatalf("page 2: %v", items)
		}

		it, err := f.lib.Update(ctx, items[0].ID, media.Meta{Alt: "Ibu menjual sayur", Caption: "", Credit: "Antara"})
		if err != nil || it.Alt != "Ibu menjual sayur" || it.Credit != "Antara" {
			t.Fatalf("update: %+v %v", it, err)
		}
		got, _ := f.lib.Get(ctx, it.ID)
		if got.Alt != "Ibu menjual sayur" || got.Caption != "" || got.Credit != "Antara" {
			t.Fatalf("after update: %+v", got)
		}
		if _, err := f.lib.Update(ctx, it.ID, media.Meta{Credit: strings.Repeat("x", media.MaxCredit+1)}); err == nil {
			t.Error("long credit accepted")
		}
		if _, err := f.lib.Update(ctx, 99999, media.Meta{}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("update missing: %v", err)
		}
	})
}

func TestDeleteRefusedWhileInUse(t *testing.T) {
	eachLibrary(t, func(t *testing.T, f *libFixture) {
		ctx := context.Background()
		photo := jpegWithEXIF(t, quadrants(800, 600), 1, false)
		inBody, _ := f.lib.Upload(ctx, f.user, "di-isi.jpg", bytes.NewReader(photo), media.Meta{})
		featured, _ := f.lib.Upload(ctx, f.user, "utama.jpg", bytes.NewReader(photo), media.Meta{})
		onPage, _ := f.lib.Upload(ctx, f.user, "halaman.jpg", bytes.NewReader(photo), media.Meta{})
		free, _ := f.lib.Upload(ctx, f.user, "bebas.jpg", bytes.NewReader(photo), media.Meta{})
		before := f.files()

		a := &model.Article{Title: "Berita dengan foto", Slug: "berita-dengan-foto", Status: model.StatusDraft, AuthorID: f.user.ID,
			// The body shows a variant, not the original: that counts too.
			Body:  "Paragraf.\n\n![Foto](/media/" + inBody.Variants[1].Path + ")\n",
			Image: model.Image{URL: "https://warta.example/media/" + featured.Path}}
		if err := f.s.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		p := &model.Page{Title: "Tentang", Slug: "tentang", Body: "![](/media/" + onPage.Path + ")", Status: model.StatusPublished}
		if err := f.s.CreatePage(ctx, p); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			it   *store.MediaItem
			kind string
			id   int64
		}{{inBody, "article", a.ID}, {featured, "article", a.ID}, {onPage, "page", p.ID}} {
			err := f.lib.Delete(ctx, c.it.ID, false)
			var inUse *media.InUseError
			if !errors.Is(err, media.ErrInUse) || !errors.As(err, &inUse) || len(inUse.Uses) != 1 ||
				inUse.Uses[0].Kind != c.kind || inUse.Uses[0].ID != c.id {
				t.Fatalf("delete %s: %v", c.it.Path, err)
			}
		}
		if f.files() != before || f.rows(t) != 4 {
			t.Fatal("a refused delete removed something")
		}
		if err := f.lib.Delete(ctx, free.ID, false); err != nil {
			t.Fatal(err)
		}
		if err := f.lib.Delete(ctx, inBody.ID, true); err != nil {
			t.Fatalf("forced: %v", err)
		}
		if f.rows(t) != 2 || f.files() != before-6 {
			t.Fatalf("after deletes: %d rows, %d files (from %d)", f.rows(t), f.files(), before)
		}
		if _, err := f.lib.Storage.Open(ctx, inBody.Variants[0].Path); !errors.Is(err, media.ErrNotFound) {
			t.Error("a variant outlived its item")
		}
		if err := f.lib.Delete(ctx, inBody.ID, true); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("delete twice: %v", err)
		}
	})
}
