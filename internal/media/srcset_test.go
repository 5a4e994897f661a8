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
	if got := media.Sizes(720, 16); got != "(min-width: 752px) 720px, calc(100vw - 32px)" {
		t.Errorf("Sizes = %q", got)
	}
}

func TestAddSrcset(t *testing.T) {
	items := map[string]*store.MediaItem{"2024/07/banjir.jpg": sampleItem(),
		"2024/07/kecil.png": {Media: model.Media{Path: "2024/07/kecil.png", Width: 200, Height: 100}}}
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
			`<img src="/media/2024/07/banjir.jpg" srcset="x.jpg 1x">`},
		{"unknown path", `<img src="/media/2024/07/lain.jpg" alt="">`, `<img src="/media/2024/07/lain.jpg" alt="">`},
		{"no variants", `<img src="/media/2024/07/kecil.png">`, `<img src="/media/2024/07/kecil.png">`},
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
			if got := media.AddSrcset(c.in, "S", lookup); got != c.want {
				t.Errorf("\n got %s\nwant %s", got, c.want)
			}
		})
	}
	body := `<p><img src="/media/a.jpg"><img alt="x" src="/media/b.png"/><img src="https://x.id/c.jpg"></p>`
	if got := media.ImagePaths(body); !reflect.DeepEqual(got, []string{"a.jpg", "b.png"}) {
		t.Errorf("ImagePaths = %v", got)
	}
}
