package render

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
)

func TestHTML(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// Figures and images.
		{
			name: "figure with caption",
			in:   `![Banjir di Jalan Sudirman](/media/2024/banjir.jpg "Warga melintasi genangan, Kamis (16/5).")`,
			want: `<figure><img src="/media/2024/banjir.jpg" alt="Banjir di Jalan Sudirman" loading="lazy" decoding="async"><figcaption>Warga melintasi genangan, Kamis (16/5).</figcaption></figure>` + "\n",
		},
		{
			name: "figure without caption",
			in:   `![Pasar Beringharjo](https://cdn.contoh.id/pasar.webp)`,
			want: `<figure><img src="https://cdn.contoh.id/pasar.webp" alt="Pasar Beringharjo" loading="lazy" decoding="async"></figure>` + "\n",
		},
		{
			name: "empty title gives no caption",
			in:   `![Pasar](/pasar.jpg "")`,
			want: `<figure><img src="/pasar.jpg" alt="Pasar" loading="lazy" decoding="async"></figure>` + "\n",
		},
		{
			name: "caption is escaped",
			in:   `![a](/a.jpg "Foto <b>Budi</b> & \"kawan\"")`,
			want: `<figure><img src="/a.jpg" alt="a" loading="lazy" decoding="async"><figcaption>Foto &lt;b&gt;Budi&lt;/b&gt; &amp; &quot;kawan&quot;</figcaption></figure>` + "\n",
		},
		{
			name: "caption keeps curly quotes and entities resolve",
			in:   `![a](/a.jpg "“Rumah kami hilang,” ujar Siti &mdash; warga")`,
			want: `<figure><img src="/a.jpg" alt="a" loading="lazy" decoding="async"><figcaption>“Rumah kami hilang,” ujar Siti — warga</figcaption></figure>` + "\n",
		},
		{
			name: "alt text is plain and escaped",
			in:   `![Peta *banjir* <rob> & "pasang"](/peta.png)`,
			want: `<figure><img src="/peta.png" alt="Peta banjir  &amp; &quot;pasang&quot;" loading="lazy" decoding="async"></figure>` + "\n",
		},
		{
			name: "linked image is still a figure",
			in:   `[![Grafik](/grafik.png "Sumber: BPS")](https://bps.go.id/)`,
			want: `<figure><a href="https://bps.go.id/" rel="noopener"><img src="/grafik.png" alt="Grafik" loading="lazy" decoding="async"></a><figcaption>Sumber: BPS</figcaption></figure>` + "\n",
		},
		{
			name: "image inside running text stays inline",
			in:   `Ikon ![cuaca](/ikon/hujan.svg "Hujan") menandai hujan.`,
			want: `<p>Ikon <img src="/ikon/hujan.svg" alt="cuaca" title="Hujan" loading="lazy" decoding="async"> menandai hujan.</p>` + "\n",
		},
		{
			name: "two images in one paragraph stay inline",
			in:   `![a](/a.jpg) ![b](/b.jpg)`,
			want: `<p><img src="/a.jpg" alt="a" loading="lazy" decoding="async"> <img src="/b.jpg" alt="b" loading="lazy" decoding="async"></p>` + "\n",
		},
		{
			name: "reference image",
			in:   "![Gedung DPR][dpr]\n\n[dpr]: /media/dpr.jpg \"Gedung DPR, Senayan\"",
			want: `<figure><img src="/media/dpr.jpg" alt="Gedung DPR" loading="lazy" decoding="async"><figcaption>Gedung DPR, Senayan</figcaption></figure>` + "\n",
		},
		{
			name: "raster data image allowed",
			in:   `![titik](data:image/png;base64,iVBORw0KGgo=)`,
			want: `<figure><img src="data:image/png;base64,iVBORw0KGgo=" alt="titik" loading="lazy" decoding="async"></figure>` + "\n",
		},
		{
			name: "svg data image refused, alt kept",
			in:   `Logo ![logo](data:image/svg+xml;base64,PHN2Zz4=) di sini.`,
			want: "<p>Logo logo di sini.</p>\n",
		},
		{
			name: "refused image alone is no figure",
			in:   `![foto](javascript:alert(1) "judul")`,
			want: "<p>foto</p>\n",
		},

		// Quotes and dashes as written.
		{
			name: "curly quotes kept",
			in:   `“Kami tidak akan mundur,” kata Budi.`,
			want: "<p>“Kami tidak akan mundur,” kata Budi.</p>\n",
		},
		{
			name: "straight quotes stay straight",
			in:   `"Kami tidak akan mundur," kata Budi. Ia menyebutnya 'harga mati'.`,
			want: "<p>&quot;Kami tidak akan mundur,&quot; kata Budi. Ia menyebutnya 'harga mati'.</p>\n",
		},
		{
			name: "single curly quotes and apostrophe kept",
			in:   `Warga menyebutnya ‘kampung air’ sejak Jum’at lalu.`,
			want: "<p>Warga menyebutnya ‘kampung air’ sejak Jum’at lalu.</p>\n",
		},
		{
			name: "dashes and dots as written",
			in:   `Jakarta – Bandung, 2020—2024, pukul 10--11... selesai`,
			want: "<p>Jakarta – Bandung, 2020—2024, pukul 10--11... selesai</p>\n",
		},

		// Headings.
		{
			name: "heading levels shift by one",
			in:   "# Satu\n\n## Dua\n\n### Tiga\n\n#### Empat\n\n##### Lima\n\n###### Enam",
			want: "<h2 id=\"satu\">Satu</h2>\n<h3 id=\"dua\">Dua</h3>\n<h4 id=\"tiga\">Tiga</h4>\n<h5 id=\"empat\">Empat</h5>\n<h6 id=\"lima\">Lima</h6>\n<h6 id=\"enam\">Enam</h6>\n",
		},
		{
			name: "setext heading shifts too",
			in:   "Latar Belakang\n==============",
			want: "<h2 id=\"latar-belakang\">Latar Belakang</h2>\n",
		},
		{
			name: "the highest level used becomes h2",
			in:   "### Harga\n\n##### Beras\n\n### Pasokan",
			want: "<h2 id=\"harga\">Harga</h2>\n<h3 id=\"beras\">Beras</h3>\n<h2 id=\"pasokan\">Pasokan</h2>\n",
		},
		{
			name: "no heading skips a level",
			in:   "## Harga\n\n#### Beras\n\n### Pasokan\n\n#### Gudang",
			want: "<h2 id=\"harga\">Harga</h2>\n<h3 id=\"beras\">Beras</h3>\n<h3 id=\"pasokan\">Pasokan</h3>\n<h4 id=\"gudang\">Gudang</h4>\n",
		},
		{
			name: "heading ids are ascii and unique",
			in:   "## Harga Cabai Naik 20%!\n\n## Harga cabai naik 20%\n\n## Café “Ümit” di Jum’at\n\n## 新闻\n\n## 新闻",
			want: "<h2 id=\"harga-cabai-naik-20\">Harga Cabai Naik 20%!</h2>\n" +
				"<h2 id=\"harga-cabai-naik-20-1\">Harga cabai naik 20%</h2>\n" +
				"<h2 id=\"cafe-umit-di-jumat\">Café “Ümit” di Jum’at</h2>\n" +
				"<h2 id=\"bagian\">新闻</h2>\n" +
				"<h2 id=\"bagian-1\">新闻</h2>\n",
		},
		{
			name: "heading id from text, not markup",
			in:   "## Wawancara dengan *Menteri* [Keuangan](/tokoh/menkeu)",
			want: "<h2 id=\"wawancara-dengan-menteri-keuangan\">Wawancara dengan <em>Menteri</em> <a href=\"/tokoh/menkeu\">Keuangan</a></h2>\n",
		},

		// Links.
		{
			name: "external link gets noopener only",
			in:   `[laporan BMKG](https://www.bmkg.go.id/cuaca "Prakiraan")`,
			want: `<p><a href="https://www.bmkg.go.id/cuaca" title="Prakiraan" rel="noopener">laporan BMKG</a></p>` + "\n",
		},
		{
			name: "internal and scheme-relative links",
			in:   `[arsip](/arsip/2024) [bagian](#latar) [cdn](//cdn.contoh.id/a)`,
			want: `<p><a href="/arsip/2024">arsip</a> <a href="#latar">bagian</a> <a href="//cdn.contoh.id/a" rel="noopener">cdn</a></p>` + "\n",
		},
		{
			name: "mail and phone links",
			in:   `[redaksi](mailto:redaksi@contoh.id) [telepon](tel:+62215550123)`,
			want: `<p><a href="mailto:redaksi@contoh.id">redaksi</a> <a href="tel:+62215550123">telepon</a></p>` + "\n",
		},
		{
			name: "autolinks",
			in:   `Lihat www.contoh.id, <https://contoh.id/a?b=1&c=2> atau tulis ke surat@contoh.id.`,
			want: `<p>Lihat <a href="http://www.contoh.id" rel="noopener">www.contoh.id</a>, <a href="https://contoh.id/a?b=1&amp;c=2" rel="noopener">https://contoh.id/a?b=1&amp;c=2</a> atau tulis ke <a href="mailto:surat@contoh.id">surat@contoh.id</a>.</p>` + "\n",
		},

		// Tables and GFM.
		{
			name: "table wrapped for scrolling",
			in:   "| Provinsi | Suara |\n|:--|--:|\n| Jawa Barat | 1.234 |\n| [Bali](/bali) | ~~99~~ |",
			want: "<div class=\"table-wrap\"><table>\n<thead>\n<tr>\n<th class=\"align-left\">Provinsi</th>\n<th class=\"align-right\">Suara</th>\n</tr>\n</thead>\n" +
				"<tbody>\n<tr>\n<td class=\"align-left\">Jawa Barat</td>\n<td class=\"align-right\">1.234</td>\n</tr>\n" +
				"<tr>\n<td class=\"align-left\"><a href=\"/bali\">Bali</a></td>\n<td class=\"align-right\"><del>99</del></td>\n</tr>\n</tbody>\n</table>\n</div>\n",
		},
		{
			name: "an empty header cell is a plain cell",
			in:   "| | 2025 |\n|---|---|\n| Beras | 12.500 |",
			want: "<div class=\"table-wrap\"><table>\n<thead>\n<tr>\n<td></td>\n<th>2025</th>\n</tr>\n</thead>\n" +
				"<tbody>\n<tr>\n<td>Beras</td>\n<td>12.500</td>\n</tr>\n</tbody>\n</table>\n</div>\n",
		},
		{
			name: "an empty header row is left out",
			in:   "| | |\n|---|---|\n| ! | ? |",
			want: "<div class=\"table-wrap\"><table>\n<tbody>\n<tr>\n<td>!</td>\n<td>?</td>\n</tr>\n</tbody>\n</table>\n</div>\n",
		},
		{
			name: "strikethrough",
			in:   "Harga ~~Rp10.000~~ Rp8.000",
			want: "<p>Harga <del>Rp10.000</del> Rp8.000</p>\n",
		},

		// Raw HTML is dropped.
		{
			name: "html block dropped",
			in:   "<div class=\"iklan\">\n<script>alert(1)</script>\n</div>\n\nIsi berita.",
			want: "<p>Isi berita.</p>\n",
		},
		{
			name: "inline html dropped, text kept",
			in:   `Ini <b onmouseover="alert(1)">penting</b> sekali.`,
			want: "<p>Ini penting sekali.</p>\n",
		},
		{
			name: "code keeps its text escaped",
			in:   "Tulis `<script>` atau:\n\n```html\n<iframe src=x>\n```",
			want: "<p>Tulis <code>&lt;script&gt;</code> atau:</p>\n<pre><code class=\"language-html\">&lt;iframe src=x&gt;\n</code></pre>\n",
		},
	}
	r := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.HTML(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("HTML(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			if p := unsafeMarkup(got); len(p) > 0 {
				t.Errorf("unsafe markup: %v", p)
			}
		})
	}
}

func TestHTMLDangerousURLs(t *testing.T) {
	// Each destination must be refused both as a link and as an image.
	bad := []string{
		"javascript:alert(1)",
		"JaVaScRiPt:alert(1)",
		"<  javascript:alert(1)>",
		"jav&#x09;ascript:alert(1)",
		"jav&#9;ascript:alert(1)",
		"jav&#x0A;ascript:alert(1)",
		"&#106;avascript:alert(1)",
		"&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)",
		"javascript&colon;alert(1)",
		"javascript&#58;alert(1)",
		"java%0ascript:alert(1)",
		"javascript%3Aalert(1)",
		"javascript%253Aalert(1)",
		"&#x00;javascript:alert(1)",
		"\\javascript:alert(1)",
		"vbscript:msgbox(1)",
		"VBScript:msgbox(1)",
		"file:///etc/passwd",
		"FILE://c:/windows/win.ini",
		"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
		"data:image/svg+xml;base64,PHN2Zz4=",
		"DATA:text/html,<script>",
		"livescript:alert(1)",
		"x-unknown:whatever",
	}
	r := New()
	for _, dest := range bad {
		for _, md := range []string{"[tautan](" + dest + ")", "Teks ![gambar](" + dest + ") teks", "![gambar](" + dest + ")"} {
			got, err := r.HTML(md)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(got, "<a ") || strings.Contains(got, "<img ") {
				t.Errorf("HTML(%q) = %q, want the URL refused", md, got)
			}
			if p := unsafeMarkup(got); len(p) > 0 {
				t.Errorf("HTML(%q): %v", md, p)
			}
		}
	}

	// Links never take data: URLs, even raster ones; images do.
	got, _ := r.HTML("[unduh](data:image/png;base64,AAAA)")
	if strings.Contains(got, "<a ") {
		t.Errorf("data link kept: %q", got)
	}

	good := []string{"https://contoh.id/a", "HTTP://CONTOH.ID", "/media/a.jpg", "media/a.jpg", "../a.jpg", "?hal=2", "#foto"}
	for _, dest := range good {
		for _, md := range []string{"[tautan](" + dest + ")", "![gambar](" + dest + ")"} {
			got, _ := r.HTML(md)
			if !strings.Contains(got, `="`+dest+`"`) {
				t.Errorf("HTML(%q) = %q, want the URL kept", md, got)
			}
		}
	}
}

func TestHTMLDeterministicAndConcurrent(t *testing.T) {
	article := readArticle(t)
	r := New()
	want, err := r.HTML(article)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for range 8 {
		wg.Go(func() {
			for range 5 {
				got, err := r.HTML(article)
				if err != nil || got != want {
					errs <- fmt.Sprintf("differs (err %v)", err)
					return
				}
				_ = PlainText(article)
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if p := unsafeMarkup(want); len(p) > 0 {
		t.Errorf("article: %v", p)
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", ""},
		{
			"blocks and inline markup",
			"# Judul\n\nParagraf *satu* &amp; `kode <b>`\nbaris dua.\n\n> Kutipan “langsung”.",
			"Judul\n\nParagraf satu & kode <b> baris dua.\n\nKutipan “langsung”.",
		},
		{
			"figure caption, inline alt, raw html dropped",
			"![Foto](/a.jpg \"Keterangan foto\")\n\nTeks ![ikon](/i.png) dan <span>isi</span>.\n\n<div>iklan</div>",
			"Keterangan foto\n\nTeks ikon dan isi.",
		},
		{
			"lists and tables",
			"- satu\n- dua\n\n1. tiga\n\n   empat\n\n| a | b |\n|---|---|\n| 1 | 2 |",
			"satu\ndua\n\ntiga\n\nempat\n\na\tb\n1\t2",
		},
		{
			"refused link keeps its text",
			"[klik](javascript:alert(1)) sini",
			"klik sini",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PlainText(tt.in); got != tt.want {
				t.Errorf("PlainText(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestExcerpt(t *testing.T) {
	tests := []struct {
		name, in string
		max      int
		want     string
	}{
		{"fits", "Harga beras naik.", 50, "Harga beras naik."},
		{"exact fit", "Harga beras naik.", 17, "Harga beras naik."},
		{"cut on a word", "Harga beras di pasar tradisional naik tajam pekan ini.", 30, "Harga beras di pasar…"},
		{"trailing comma dropped", "“Kami tidak akan mundur,” kata Budi di depan kantor bupati.", 26, "“Kami tidak akan mundur,”…"},
		{"comma before the cut dropped", "Satu dua tiga, empat lima enam.", 15, "Satu dua tiga…"},
		{"one long word", "Antidisestablishmentarianisme", 10, "Antidises…"},
		{"skips figure and heading", "# Judul\n\n![a](/a.jpg \"Keterangan\")\n\nParagraf pertama.", 40, "Paragraf pertama."},
		{"joins short paragraphs", "JAKARTA –\n\nHujan deras sejak pagi.\n\nParagraf ketiga.", 40, "JAKARTA – Hujan deras sejak pagi.…"},
		{"no markup", "Kata *miring* dan [tautan](https://a.id) serta <b>tebal</b>.", 100, "Kata miring dan tautan serta tebal."},
		{"falls back to list", "- satu\n- dua", 20, "satu dua"},
		{"max one", "Dua kata", 1, "…"},
		{"max zero", "Dua kata", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Excerpt(tt.in, tt.max); got != tt.want {
				t.Errorf("Excerpt(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
		})
	}
}

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Harga Cabai Naik 20%", "harga-cabai-naik-20"},
		{"  --Pemilu 2024: Siapa Menang?--  ", "pemilu-2024-siapa-menang"},
		{"Café Ümit, Straße & Øresund", "cafe-umit-strasse-oresund"},
		{"Jum’at Keramat", "jumat-keramat"},
		{"新闻", ""},
		{strings.Repeat("kata ", 40), strings.TrimSuffix(strings.Repeat("kata-", 16), "-")},
	}
	for _, tt := range tests {
		if got := Slugify(tt.in); got != tt.want {
			t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func readArticle(tb testing.TB) string {
	tb.Helper()
	b, err := os.ReadFile("testdata/artikel.md")
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func BenchmarkHTML(b *testing.B) {
	article := readArticle(b)
	r := New()
	b.SetBytes(int64(len(article)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.HTML(article); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPlainText(b *testing.B) {
	article := readArticle(b)
	b.SetBytes(int64(len(article)))
	b.ReportAllocs()
	for b.Loop() {
		_ = PlainText(article)
	}
}
