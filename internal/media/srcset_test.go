package media_test

import (
	"reflect"
	"testing"

	"warta/internal/media"
	"warta/internal/model"
	"warta/internal/store"
)

func sampleItem() *store.MediaItem {
	return &store.MediaItem{
		Media: model.Media{Path: "2024/07/banjir.jpg", Width: 1200, Height: 800},
		Variants: []store.MediaVariant{
			{Path: "2024/07/banjir-320w.jpg", Width: 320, Height: 213},
			{Path: "2024/07/banjir-640w.jpg", Width: 640, Height: 427},
		},
	}
}

func TestSrcset(t *testing.T) {
	want := "/media/2024/07/banjir-320w.jpg 320w, /media/2024/07/banjir-640w.jpg 640w, /media/2024/07/banjir.jpg 1200w"
	if got := media.Srcset(sampleItem()); got != want {
		t.Errorf("Srcset = %q", got)
	}
	if got := media.Srcset(&store.MediaItem{Media: model.Media{Path: "kecil.gif", Width: 100}}); got != "" {
		t.Errorf("no variants: %q", got)
	}
	if got := media.Srcset(nil); got != "" {
		t.Errorf("nil: %q", got)
	}
}

func TestFiguresAddSrcset(t *testing.T) {
	items := map[string]*store.MediaItem{"2024/07/banjir.jpg": sampleItem(),
		"2024/07/kecil.png":        {Media: model.Media{Path: "2024/07/kecil.png", Width: 200, Height: 100}},
		"2024/07/tanpa-ukuran.gif": {Media: model.Media{Path: "2024/07/tanpa-ukuran.gif"}}}
	lookup := func(p string) *store.MediaItem { return items[p] }
	const set = `srcset="/media/2024/07/banjir-320w.jpg 320w, /media/2024/07/banjir-640w.jpg 640w, /media/2024/07/banjir.jpg 1200w" sizes="S"`
	cases := []struct{ name, in, want string }{
		{"figure",
			`<figure><img src="/media/2024/07/banjir.jpg" alt="Banjir &amp; &quot;rob&quot;" loading="lazy" decoding="async"><figcaption>Air naik</figcaption></figure>`,
			`<figure><img src="/media/2024/07/banjir.jpg" alt="Banjir &amp; &#34;rob&#34;" loading="lazy" decoding="async" ` + set +
				` width="1200" height="800"><figcaption>Air naik</figcaption></figure>`},
		{"self-closing with size",
			`<p>a <img src="/media/2024/07/banjir.jpg" width="600"/> b</p>`,
			`<p>a <img src="/media/2024/07/banjir.jpg" width="600" ` + set + ` /> b</p>`},
		{"already has srcset",
			`<img src="/media/2024/07/banjir.jpg" srcset="x.jpg 1x">`,
			`<img src="/media/2024/07/banjir.jpg" srcset="x.jpg 1x" width="1200" height="800">`},
		{"unknown path", `<img src="/media/2024/07/lain.jpg" alt="">`, `<img src="/media/2024/07/lain.jpg" alt="">`},
		{"no variants: the size only", `<img src="/media/2024/07/kecil.png">`, `<img src="/media/2024/07/kecil.png" width="200" height="100">`},
		{"no size known", `<img src="/media/2024/07/tanpa-ukuran.gif">`, `<img src="/media/2024/07/tanpa-ukuran.gif">`},
		{"another site", `<img src="https://contoh.id/media/2024/07/banjir.jpg">`, `<img src="https://contoh.id/media/2024/07/banjir.jpg">`},
		{"query", `<img src="/media/2024/07/banjir.jpg?v=2">`, `<img src="/media/2024/07/banjir.jpg?v=2">`},
		{"text that looks like a tag",
			`<p>Tulis &lt;img src="/media/2024/07/banjir.jpg"&gt; di sini</p><pre><code>&lt;img&gt;</code></pre>`,
			`<p>Tulis &lt;img src="/media/2024/07/banjir.jpg"&gt; di sini</p><pre><code>&lt;img&gt;</code></pre>`},
		{"everything else untouched",
			"<h2 id=\"x\">Judul</h2>\n<!-- catatan --><p class='a'>Teks <b>tebal</b> &amp; <a href=\"/x\">tautan</a></p>\n",
			"<h2 id=\"x\">Judul</h2>\n<!-- catatan --><p class='a'>Teks <b>tebal</b> &amp; <a href=\"/x\">tautan</a></p>\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := (media.Figures{Sizes: "S", Lookup: lookup}).Apply(c.in); got != c.want {
				t.Errorf("\n got %s\nwant %s", got, c.want)
			}
		})
	}
	body := `<p><img src="/media/a.jpg"><img alt="x" src="/media/b.png"/><img src="https://x.id/c.jpg"></p>`
	if got := media.ImagePaths(body); !reflect.DeepEqual(got, []string{"a.jpg", "b.png"}) {
		t.Errorf("ImagePaths = %v", got)
	}
}

// TestFigures: credits end their figure's caption (or make one), unless the
// caption names them already; the lead picture is eager; a feed's body
// gets sizes and credits but no srcset.
func TestFigures(t *testing.T) {
	credited := sampleItem()
	credited.Credit = "Rina/Warta & <Kantor>"
	items := map[string]*store.MediaItem{
		"2024/07/banjir.jpg": credited,
		"2024/07/pasar.jpg":  {Media: model.Media{Path: "2024/07/pasar.jpg", Width: 800, Height: 600, Credit: "Budi"}},
		"2024/07/kopi.jpg":   {Media: model.Media{Path: "2024/07/kopi.jpg", Width: 640, Height: 480}},
	}
	lookup := func(p string) *store.MediaItem { return items[p] }
	foto := func(c string) string { return "Foto: " + c }
	const (
		banjir   = `<img src="/media/2024/07/banjir.jpg" alt="Banjir" loading="lazy" decoding="async">`
		set      = ` srcset="/media/2024/07/banjir-320w.jpg 320w, /media/2024/07/banjir-640w.jpg 640w, /media/2024/07/banjir.jpg 1200w" sizes="S"`
		credit   = `<span class="credit">Foto: Rina/Warta &amp; &lt;Kantor&gt;</span>`
		lazyDims = ` loading="lazy" decoding="async"` + set + ` width="1200" height="800">`
	)
	cases := []struct {
		name string
		f    media.Figures
		in   string
		want string
	}{
		{"credit after the caption", media.Figures{Sizes: "S", Lookup: lookup, Credit: foto},
			`<figure>` + banjir + `<figcaption>Air naik &amp; surut</figcaption></figure>`,
			`<figure><img src="/media/2024/07/banjir.jpg" alt="Banjir"` + lazyDims + `<figcaption>Air naik &amp; surut ` + credit + `</figcaption></figure>`},
		{"credit as the caption", media.Figures{Sizes: "S", Lookup: lookup, Credit: foto},
			`<figure>` + banjir + `</figure>`,
			`<figure><img src="/media/2024/07/banjir.jpg" alt="Banjir"` + lazyDims + `<figcaption>` + credit + `</figcaption></figure>`},
		{"a caption that names the credit keeps its words",
			media.Figures{Lookup: lookup, Credit: foto},
			`<figure><img src="/media/2024/07/pasar.jpg" alt=""><figcaption>Pasar pagi. (Foto: Budi)</figcaption></figure>`,
			`<figure><img src="/media/2024/07/pasar.jpg" alt="" width="800" height="600"><figcaption>Pasar pagi. (Foto: Budi)</figcaption></figure>`},
		{"no credit in the library", media.Figures{Lookup: lookup, Credit: foto},
			`<figure><img src="/media/2024/07/kopi.jpg" alt=""><figcaption>Kopi</figcaption></figure>`,
			`<figure><img src="/media/2024/07/kopi.jpg" alt="" width="640" height="480"><figcaption>Kopi</figcaption></figure>`},
		{"no credit words asked for", media.Figures{Lookup: lookup},
			`<figure><img src="/media/2024/07/pasar.jpg" alt=""></figure>`,
			`<figure><img src="/media/2024/07/pasar.jpg" alt="" width="800" height="600"></figure>`},
		{"an image in running text gets no caption", media.Figures{Lookup: lookup, Credit: foto},
			`<p>Lihat <img src="/media/2024/07/pasar.jpg" alt="pasar"> di sana</p>`,
			`<p>Lihat <img src="/media/2024/07/pasar.jpg" alt="pasar" width="800" height="600"> di sana</p>`},
		{"the lead picture is eager, once", media.Figures{Sizes: "S", Lookup: lookup, Eager: "/media/2024/07/banjir.jpg"},
			`<figure>` + banjir + `</figure><figure>` + banjir + `</figure>`,
			`<figure><img src="/media/2024/07/banjir.jpg" alt="Banjir" decoding="async"` + set + ` width="1200" height="800" fetchpriority="high"></figure>` +
				`<figure><img src="/media/2024/07/banjir.jpg" alt="Banjir"` + lazyDims + `</figure>`},
		{"an eager picture from elsewhere", media.Figures{Lookup: lookup, Eager: "https://foto.example/a.jpg"},
			`<figure><img src="https://foto.example/a.jpg" alt="" loading="lazy"></figure>`,
			`<figure><img src="https://foto.example/a.jpg" alt="" fetchpriority="high"></figure>`},
		{"a feed: no srcset", media.Figures{Lookup: lookup, Credit: foto},
			`<figure>` + banjir + `</figure>`,
			`<figure><img src="/media/2024/07/banjir.jpg" alt="Banjir" loading="lazy" decoding="async" width="1200" height="800"><figcaption>` + credit + `</figcaption></figure>`},
		{"no images", media.Figures{Lookup: lookup, Credit: foto}, `<p>Teks saja.</p>`, `<p>Teks saja.</p>`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.f.Apply(c.in); got != c.want {
				t.Errorf("\n got %s\nwant %s", got, c.want)
			}
		})
	}
}
