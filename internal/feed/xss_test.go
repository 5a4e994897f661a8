package feed

import (
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func xssPayloads(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/xss/*XSS*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no payload files: %v", err)
	}
	var out []string
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.SplitSeq(string(b), "\n") {
			if line = strings.TrimSpace(clean(line)); line != "" {
				out = append(out, line)
			}
		}
	}
	return out
}

// Every payload goes into every text slot of one item per payload; the real
// parser must return each exactly, so escaping neither drops nor adds text.
func TestXSSPayloadsRoundTrip(t *testing.T) {
	payloads := xssPayloads(t)
	if len(payloads) < 500 {
		t.Fatalf("only %d payloads read", len(payloads))
	}
	f := &Feed{Title: "Uji XSS", Link: "https://warta.test/", FeedURL: "https://warta.test/f"}
	for i, p := range payloads {
		f.Items = append(f.Items, Item{
			ID:          fmt.Sprintf("tag:warta.test,2024:xss/%d", i),
			Link:        fmt.Sprintf("https://warta.test/xss/%d", i),
			Title:       p,
			Summary:     p,
			ContentHTML: p,
			Categories:  []string{p},
		})
	}
	for _, tf := range formats {
		t.Run(tf.name, func(t *testing.T) {
			out := render(t, tf.write, f)
			if tf.name != "json" {
				wellFormed(t, out)
			}
			got := parse(t, out)
			if len(got.Items) != len(payloads) {
				t.Fatalf("%d items, want %d", len(got.Items), len(payloads))
			}
			bad := 0
			for i, p := range payloads {
				it := got.Items[i]
				summary := it.Description
				if tf.name == "rss" {
					summary = html.UnescapeString(summary)
				}
				if it.Title != p || summary != p || it.Content != p || len(it.Categories) != 1 || it.Categories[0] != p {
					bad++
					if bad <= 5 {
						t.Errorf("payload %d %q came back as title %q, summary %q, content %q, categories %q",
							i, p, it.Title, summary, it.Content, it.Categories)
					}
				}
			}
			if bad > 0 {
				t.Errorf("%d of %d payloads changed", bad, len(payloads))
			}
		})
	}
}
