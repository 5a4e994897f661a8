// Command genwxr writes a WordPress export (WXR 1.2) of about the given
// size to stdout, for measuring `warta import wxr` on a large archive:
// posts of twelve paragraphs in twenty categories, each with three
// approved comments, dated over fourteen years.
//
//	go run ./bench/cmd/genwxr --mb 200 > /tmp/big.xml
//	/usr/bin/time -v warta import wxr /tmp/big.xml --data /tmp/big-data
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
)

var words = strings.Fields("banjir jalan kota warga pasar harga beras sekolah guru desa panen sawah hujan sungai jembatan")

func main() {
	mb := flag.Int("mb", 200, "size of the export in MiB")
	flag.Parse()
	if err := write(int64(*mb) << 20); err != nil {
		fmt.Fprintln(os.Stderr, "genwxr:", err)
		os.Exit(1)
	}
}

// counter counts the bytes written through it.
type counter struct {
	w *bufio.Writer
	n int64
}

func (c *counter) printf(format string, args ...any) {
	n, _ := fmt.Fprintf(c.w, format, args...)
	c.n += int64(n)
}

func write(size int64) error {
	rng := rand.New(rand.NewPCG(1, 2))
	text := func(n int) string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = words[rng.IntN(len(words))]
		}
		return strings.Join(ws, " ")
	}
	c := &counter{w: bufio.NewWriterSize(os.Stdout, 1<<20)}
	c.printf(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Besar</title><link>https://besar.example</link><wp:base_blog_url>https://besar.example</wp:base_blog_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login>redaksi</wp:author_login><wp:author_email>redaksi@besar.example</wp:author_email><wp:author_display_name>Redaksi</wp:author_display_name></wp:author>
`)
	for i := range 20 {
		c.printf("<wp:category><wp:term_id>%d</wp:term_id><wp:category_nicename>kat-%d</wp:category_nicename><wp:cat_name>Kategori %d</wp:cat_name></wp:category>\n", i+1, i, i)
	}
	for n := 1; c.n < size; n++ {
		y, m, d := 2010+n%14, 1+n%12, 1+n%28
		var body strings.Builder
		for range 12 {
			body.WriteString("<p>" + text(60) + "</p>\n")
		}
		c.printf(`<item><title>Berita %d %s</title><link>https://besar.example/%d/%02d/%02d/berita-%d/</link><dc:creator>redaksi</dc:creator><guid isPermaLink="false">https://besar.example/?p=%d</guid>
<content:encoded><![CDATA[%s]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>%d</wp:post_id><wp:post_date_gmt>%d-%02d-%02d 03:00:00</wp:post_date_gmt><wp:comment_status>open</wp:comment_status><wp:post_name>berita-%d</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="kat-%d">Kategori %d</category>`,
			n, text(5), y, m, d, n, n, body.String(), n, y, m, d, n, n%20, n%20)
		for k := range 3 {
			c.printf(`<wp:comment><wp:comment_id>%d</wp:comment_id><wp:comment_author>Pembaca %d</wp:comment_author><wp:comment_author_email>p%d@example.com</wp:comment_author_email><wp:comment_date_gmt>%d-%02d-%02d 05:00:00</wp:comment_date_gmt><wp:comment_content>%s</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type></wp:comment>`,
				n*10+k, k, k, y, m, d, text(20))
		}
		c.printf("</item>\n")
	}
	c.printf("</channel></rss>\n")
	return c.w.Flush()
}
