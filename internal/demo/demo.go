// Package demo holds the original sample content a new Warta site starts with: site identity,
// categories, articles, static pages and the illustrations they show.
//
// Everything is embedded. Article and page Markdown refers to images as /media/demo/NAME, so the
// caller copies each Image from Images() into media storage under that path.
package demo

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"
)

//go:embed content images
var files embed.FS

// Site is the demo site's identity.
type Site struct{ Name, Tagline string }

// Category is one section; ParentSlug is empty for a top-level category. Load returns parents
// before their children, so categories can be created in order.
type Category struct{ Slug, Name, Description, ParentSlug string }

// Article is one demo news story. Body is Markdown without the dateline, which the page shows
// from Dateline. Image is the featured image's URL path; the body repeats it as a captioned
// figure, so a template that shows Image above the body should skip it for these articles or
// use it only in lists, feeds and share cards.
type Article struct {
	Slug, Title, Dateline, CategorySlug string
	Excerpt, Body                       string
	Image, ImageAlt, ImageCaption       string
	Tags                                []string
	Published                           time.Time
}

// Page is a static page such as "Tentang Kami".
type Page struct{ Slug, Title, Body string }

// Content is everything the demo site is made of.
type Content struct {
	Site       Site
	Categories []Category
	Articles   []Article
	Pages      []Page
}

// Image is one embedded illustration; Name is the file name under /media/demo/.
type Image struct {
	Name, ContentType string
	Data              []byte
}

// Load parses the embedded content. Errors name the file and line at fault.
func Load() (*Content, error) {
	return load(files)
}

// Images returns every embedded illustration, sorted by name.
func Images() ([]Image, error) {
	entries, err := fs.ReadDir(files, "images")
	if err != nil {
		return nil, err
	}
	var out []Image
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		ct := contentTypes[path.Ext(e.Name())]
		if ct == "" {
			return nil, fmt.Errorf("images/%s: unsupported image type", e.Name())
		}
		data, err := fs.ReadFile(files, "images/"+e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, Image{Name: e.Name(), ContentType: ct, Data: data})
	}
	return out, nil
}

var contentTypes = map[string]string{".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func load(fsys fs.FS) (*Content, error) {
	c := &Content{}
	const siteFile = "content/site.txt"
	data, err := fs.ReadFile(fsys, siteFile)
	if err != nil {
		return nil, err
	}
	if c.Site, c.Categories, err = parseSite(siteFile, data); err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, cat := range c.Categories {
		known[cat.Slug] = true
	}

	seen := map[string]string{}
	claim := func(slug, file string, line int) error {
		if prev, dup := seen[slug]; dup {
			return fmt.Errorf("%s:%d: slug %q already used by %s", file, line, slug, prev)
		}
		seen[slug] = file
		return nil
	}

	articleFiles, err := mdFiles(fsys, "content/articles")
	if err != nil {
		return nil, err
	}
	for _, name := range articleFiles {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		a, fm, err := parseArticle(name, data)
		if err != nil {
			return nil, err
		}
		if !known[a.CategorySlug] {
			return nil, fmt.Errorf("%s:%d: unknown category %q", name, fm.line("category"), a.CategorySlug)
		}
		if err := claim(a.Slug, name, fm.line("slug")); err != nil {
			return nil, err
		}
		c.Articles = append(c.Articles, a)
	}

	pageFiles, err := mdFiles(fsys, "content/pages")
	if err != nil {
		return nil, err
	}
	for _, name := range pageFiles {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		p, fm, err := parsePage(name, data)
		if err != nil {
			return nil, err
		}
		if err := claim(p.Slug, name, fm.line("slug")); err != nil {
			return nil, err
		}
		c.Pages = append(c.Pages, p)
	}
	return c, nil
}

func mdFiles(fsys fs.FS, dir string) ([]string, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".md") {
			names = append(names, dir+"/"+e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}
