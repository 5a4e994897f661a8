package demo

import (
	"bytes"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func mustLoad(t *testing.T) *Content {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

func TestLoadShape(t *testing.T) {
	c := mustLoad(t)
	if c.Site.Name == "" || c.Site.Tagline == "" {
		t.Errorf("site identity incomplete: %+v", c.Site)
	}
	if n := len(c.Articles); n < 8 || n > 12 {
		t.Errorf("got %d articles, want 8–12", n)
	}

	cats := map[string]Category{}
	hasChild := false
	for _, cat := range c.Categories {
		if cat.ParentSlug != "" {
			if _, ok := cats[cat.ParentSlug]; !ok {
				t.Errorf("category %q comes before its parent %q", cat.Slug, cat.ParentSlug)
			}
			hasChild = true
		}
		if cat.Description == "" {
			t.Errorf("category %q has no description", cat.Slug)
		}
		cats[cat.Slug] = cat
	}
	if !hasChild {
		t.Error("no sub-category")
	}
	if cats["info-kosan"].Name != "Info Kosan" {
		t.Errorf("category info-kosan = %+v, want name Info Kosan", cats["info-kosan"])
	}

	used := map[string]bool{}
	tagUse := map[string]int{}
	for _, a := range c.Articles {
		used[a.CategorySlug] = true
		if n := len(a.Tags); n < 2 || n > 5 {
			t.Errorf("%s: %d tags, want 2–5", a.Slug, n)
		}
		for _, tag := range a.Tags {
			tagUse[tag]++
		}
		for name, v := range map[string]string{"title": a.Title, "dateline": a.Dateline, "excerpt": a.Excerpt, "image_alt": a.ImageAlt, "image_caption": a.ImageCaption} {
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s: empty %s", a.Slug, name)
			}
		}
		if !strings.HasSuffix(a.Excerpt, ".") || strings.Contains(strings.TrimSuffix(a.Excerpt, "."), ". ") {
			t.Errorf("%s: excerpt should be one sentence: %q", a.Slug, a.Excerpt)
		}
	}
	if len(used) < 3 {
		t.Errorf("articles use %d categories, want at least 3", len(used))
	}
	shared := 0
	for _, n := range tagUse {
		if n > 1 {
			shared++
		}
	}
	if shared < 3 {
		t.Errorf("only %d tags are shared between articles", shared)
	}

	for _, slug := range []string{"tentang-kami", "pedoman-media-siber", "redaksi", "kontak"} {
		found := false
		for _, p := range c.Pages {
			found = found || p.Slug == slug
		}
		if !found {
			t.Errorf("page %q missing", slug)
		}
	}
}

// The reference story: Info Kosan, from Hong Kong, 24 July 2024 at 14:30 Jakarta time.
func TestHongkongInfoKosanArticle(t *testing.T) {
	c := mustLoad(t)
	want := time.Date(2024, 7, 24, 14, 30, 0, 0, time.FixedZone("WIB", 7*3600))
	for _, a := range c.Articles {
		if a.Dateline == "Hongkong" && a.CategorySlug == "info-kosan" {
			if !a.Published.Equal(want) {
				t.Errorf("published %v, want %v", a.Published, want)
			}
			return
		}
	}
	t.Fatal("no Info Kosan article datelined Hongkong")
}

var mediaRef = regexp.MustCompile(`/media/demo/([A-Za-z0-9._-]+)`)

func TestImagesReferencedExistAndAreUsed(t *testing.T) {
	c := mustLoad(t)
	imgs, err := Images()
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	total := 0
	for _, img := range imgs {
		have[img.Name] = true
		total += len(img.Data)
		cfg, format, err := image.DecodeConfig(bytes.NewReader(img.Data))
		if err != nil {
			t.Errorf("%s: %v", img.Name, err)
			continue
		}
		if "image/"+format != img.ContentType {
			t.Errorf("%s: content type %s but data is %s", img.Name, img.ContentType, format)
		}
		if cfg.Width != 1200 || cfg.Height != 675 {
			t.Errorf("%s: %d×%d, want 1200×675", img.Name, cfg.Width, cfg.Height)
		}
		if len(img.Data) > 150_000 {
			t.Errorf("%s: %d bytes, want at most 150 kB", img.Name, len(img.Data))
		}
	}
	if total > 1_500_000 {
		t.Errorf("images total %d bytes, want at most 1.5 MB", total)
	}

	refs := map[string]string{}
	note := func(where, text string) {
		for _, m := range mediaRef.FindAllStringSubmatch(text, -1) {
			refs[m[1]] = where
		}
	}
	for _, a := range c.Articles {
		note(a.Slug, a.Body)
		note(a.Slug+" (featured)", a.Image)
	}
	for _, p := range c.Pages {
		note(p.Slug, p.Body)
	}
	for name, where := range refs {
		if !have[name] {
			t.Errorf("%s refers to missing image %s", where, name)
		}
	}
	for name := range have {
		if _, ok := refs[name]; !ok {
			t.Errorf("image %s is never used; drop it to keep the binary small", name)
		}
	}
}

var figureLine = regexp.MustCompile(`^!\[[^\]]+\]\(/media/demo/\S+ "[^"]+"\)$`)

// An image renders as a captioned figure only when it is alone in its paragraph, so every image
// line must stand between blank lines.
func TestEveryArticleHasCaptionedFigure(t *testing.T) {
	c := mustLoad(t)
	for _, a := range c.Articles {
		lines := strings.Split(a.Body, "\n")
		figures := 0
		for i, l := range lines {
			if !strings.Contains(l, "![") {
				continue
			}
			if !figureLine.MatchString(l) {
				t.Errorf("%s: image line is not a captioned figure: %q", a.Slug, l)
				continue
			}
			if (i > 0 && strings.TrimSpace(lines[i-1]) != "") || (i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "") {
				t.Errorf("%s: figure on line %d is not alone in its paragraph", a.Slug, i+1)
			}
			figures++
		}
		if figures == 0 {
			t.Errorf("%s: no figure with caption", a.Slug)
		}
		if !strings.Contains(a.Body, "]("+a.Image+" ") {
			t.Errorf("%s: featured image %s is not among the body's figures", a.Slug, a.Image)
		}
	}
}

func TestSlugsUniqueAndURLSafe(t *testing.T) {
	c := mustLoad(t)
	seen := map[string]string{}
	check := func(kind, slug string) {
		if !slugPattern.MatchString(slug) {
			t.Errorf("%s slug %q is not URL-safe", kind, slug)
		}
		if prev, dup := seen[kind+":"+slug]; dup {
			t.Errorf("%s slug %q used twice (%s)", kind, slug, prev)
		}
		seen[kind+":"+slug] = kind
	}
	for _, cat := range c.Categories {
		check("category", cat.Slug)
	}
	for _, a := range c.Articles {
		check("content", a.Slug)
	}
	for _, p := range c.Pages {
		check("content", p.Slug)
	}
}

func TestPublishedTimes(t *testing.T) {
	c := mustLoad(t)
	limit := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	for _, a := range c.Articles {
		if !a.Published.Before(limit) {
			t.Errorf("%s: published %v is not before %v", a.Slug, a.Published, limit)
		}
		if _, off := a.Published.Zone(); off != 7*3600 {
			t.Errorf("%s: offset %d s, want +07:00 (WIB)", a.Slug, off)
		}
	}
}

func words(body string) int {
	n := 0
	for _, l := range strings.Split(body, "\n") {
		if figureLine.MatchString(l) {
			continue
		}
		n += len(strings.Fields(l))
	}
	return n
}

func TestWordCounts(t *testing.T) {
	c := mustLoad(t)
	for _, a := range c.Articles {
		if n := words(a.Body); n < 350 || n > 700 {
			t.Errorf("article %s: %d words, want 350–700", a.Slug, n)
		}
	}
	for _, p := range c.Pages {
		if n := words(p.Body); n < 150 || n > 400 {
			t.Errorf("page %s: %d words, want 150–400", p.Slug, n)
		}
	}
}

func TestMalformedFrontMatterNamesLine(t *testing.T) {
	cases := []struct {
		file string
		want string
	}{
		{"missing-colon.md", "missing-colon.md:4:"},
		{"unclosed.md", "unclosed.md:7:"},
		{"bad-date.md", "bad-date.md:6:"},
		{"unknown-key.md", "unknown-key.md:5:"},
		{"no-opening.md", "no-opening.md:1:"},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = parseArticle(tc.file, data)
			if err == nil {
				t.Fatal("parsed without error")
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %q, want it to start with %q", err, tc.want)
			}
		})
	}
}

func TestSiteFileErrorsNameLine(t *testing.T) {
	data := []byte("name: Contoh\ntagline: Uji\ncategory: anak | Anak | induk | Belum ada induknya.\n")
	_, _, err := parseSite("site.txt", data)
	if err == nil || !strings.HasPrefix(err.Error(), "site.txt:3:") {
		t.Errorf("error %v, want one naming site.txt:3", err)
	}
}

var (
	timesSign = regexp.MustCompile(`\d x \d`)
	zoneCase  = regexp.MustCompile(`\b(Wib|Wita|Wit)\b`)
)

// TestTypography holds the demo text to the house's typography: quotation marks are “…” (a
// straight quote only in a figure's Markdown), a dimension is 3 × 4, and the time zones are
// written WIB, WITA and WIT.
func TestTypography(t *testing.T) {
	c := mustLoad(t)
	check := func(where, text string) {
		for i, l := range strings.Split(text, "\n") {
			if figureLine.MatchString(l) {
				continue
			}
			if strings.ContainsAny(l, `"'`) {
				t.Errorf("%s line %d: straight quote: %q", where, i+1, l)
			}
			if m := timesSign.FindString(l); m != "" {
				t.Errorf("%s line %d: %q, write × for times", where, i+1, m)
			}
			if m := zoneCase.FindString(l); m != "" {
				t.Errorf("%s line %d: %q, write the zone in capitals", where, i+1, m)
			}
		}
	}
	for _, a := range c.Articles {
		for name, v := range map[string]string{"title": a.Title, "excerpt": a.Excerpt, "image_alt": a.ImageAlt, "image_caption": a.ImageCaption, "body": a.Body} {
			check(a.Slug+" "+name, v)
		}
	}
	for _, p := range c.Pages {
		check(p.Slug, p.Title+"\n"+p.Body)
	}
}
