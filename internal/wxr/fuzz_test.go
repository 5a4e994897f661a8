package wxr_test

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"warta/internal/wxr"
)

// FuzzScan reads arbitrary bytes as a WordPress export: a file from an
// old site is a stranger's input. Scan must end, with an error or with
// every item once and a final call without one; Outline must agree with
// it on whether the file is readable.
func FuzzScan(f *testing.F) {
	small, err := os.ReadFile("testdata/small.xml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(small)
	f.Add(small[:len(small)/2])
	f.Add([]byte(`<rss><channel><item><title>a</title></item></channel></rss>`))
	f.Add([]byte(`<?xml version="1.0"?><rss><channel><item><wp:post_id>x</wp:post_id></item>`))
	f.Add([]byte(`<rss><channel><item><content:encoded><![CDATA[<p>&nbsp;</p>]]></content:encoded></item></channel></rss>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		items, ends := 0, 0
		err := wxr.Scan(bytes.NewReader(data), func(_ *wxr.Document, it *wxr.Item) error {
			if ends > 0 {
				t.Fatal("a call after the end")
			}
			if it == nil {
				ends++
			} else {
				items++
			}
			return nil
		})
		if err == nil && ends != 1 {
			t.Fatalf("read without error, %d ends", ends)
		}
		_, oerr := wxr.Outline(bytes.NewReader(data))
		if (err == nil) != (oerr == nil) {
			t.Fatalf("Scan says %v, Outline says %v", err, oerr)
		}
	})
}

// FuzzToMarkdown turns arbitrary post HTML (with WordPress shortcodes)
// into Markdown. It must end, give valid UTF-8 for valid UTF-8, and give
// the same answer twice.
func FuzzToMarkdown(f *testing.F) {
	for _, s := range []string{
		`<p>Petani <strong>memulai</strong> panen.</p>`,
		`[caption id="attachment_3" align="alignnone" width="300"]<img src="/a.jpg" alt="x"> Keterangan[/caption]`,
		`<!-- wp:gallery --><figure class="wp-block-gallery"><img src="a.jpg"></figure><!-- /wp:gallery -->`,
		`<table><tr><td>a</td></tr></table><ul><li>x<ul><li>y</li></ul></li></ul>`,
		`<a href="javascript:alert(1)">x</a><script>alert(1)</script>`,
		`[audio src="x.mp3"][embed]https://example.com[/embed]`,
		"<pre><code>a\n\tb</code></pre><blockquote><p>kutipan</p></blockquote>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, html string) {
		md := wxr.ToMarkdown(html)
		if utf8.ValidString(html) && !utf8.ValidString(md) {
			t.Fatalf("invalid UTF-8 out of valid input: %q", md)
		}
		if again := wxr.ToMarkdown(html); again != md {
			t.Fatalf("not deterministic:\n%q\n%q", md, again)
		}
		if strings.Contains(strings.ToLower(md), "<script") {
			t.Fatalf("a script survived: %q", md)
		}
	})
}
