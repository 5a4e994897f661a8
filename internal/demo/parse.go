package demo

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// splitLines splits text into lines; a final newline ends the last line rather than starting an
// empty one, so the count matches what an editor shows.
func splitLines(data []byte) []string {
	s := strings.TrimSuffix(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// frontMatter is the "key: value" block between two "---" lines at the top of a content file.
type frontMatter struct {
	file   string
	values map[string]string
	lines  map[string]int
	start  int // line of the opening "---"
}

func (fm *frontMatter) line(key string) int {
	if l, ok := fm.lines[key]; ok {
		return l
	}
	return fm.start
}

func (fm *frontMatter) errorf(key, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", fm.file, fm.line(key), fmt.Sprintf(format, args...))
}

var keyPattern = regexp.MustCompile(`^[a-z_]+$`)

// splitFrontMatter accepts only the listed keys, so that a misspelt key is reported rather than
// silently dropped. It returns the body that follows the block.
func splitFrontMatter(file string, data []byte, allowed []string) (*frontMatter, string, error) {
	lines := splitLines(data)
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "---" {
		return nil, "", fmt.Errorf("%s:1: front matter must start with a line \"---\"", file)
	}
	ok := map[string]bool{}
	for _, k := range allowed {
		ok[k] = true
	}
	fm := &frontMatter{file: file, values: map[string]string{}, lines: map[string]int{}, start: 1}
	for i := 1; i < len(lines); i++ {
		n := i + 1
		l := strings.TrimSpace(lines[i])
		if l == "---" {
			return fm, strings.TrimSpace(strings.Join(lines[i+1:], "\n")), nil
		}
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		key, value, found := strings.Cut(l, ":")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if !found || !keyPattern.MatchString(key) {
			return nil, "", fmt.Errorf("%s:%d: expected \"key: value\", got %q", file, n, l)
		}
		if !ok[key] {
			return nil, "", fmt.Errorf("%s:%d: unknown key %q", file, n, key)
		}
		if _, dup := fm.values[key]; dup {
			return nil, "", fmt.Errorf("%s:%d: key %q given twice", file, n, key)
		}
		fm.values[key] = value
		fm.lines[key] = n
	}
	return nil, "", fmt.Errorf("%s:%d: front matter is not closed with a line \"---\"", file, len(lines))
}

// require returns the value of key, or an error if it is missing or empty.
func (fm *frontMatter) require(key string) (string, error) {
	v := fm.values[key]
	if v == "" {
		return "", fm.errorf(key, "%q is required", key)
	}
	return v, nil
}

func (fm *frontMatter) slug() (string, error) {
	s, err := fm.require("slug")
	if err != nil {
		return "", err
	}
	if !slugPattern.MatchString(s) {
		return "", fm.errorf("slug", "slug %q must be lower-case letters and digits joined by single hyphens", s)
	}
	return s, nil
}

var articleKeys = []string{"title", "slug", "dateline", "category", "tags", "published", "excerpt", "image", "image_alt", "image_caption"}

func parseArticle(file string, data []byte) (Article, *frontMatter, error) {
	fm, body, err := splitFrontMatter(file, data, articleKeys)
	if err != nil {
		return Article{}, nil, err
	}
	var a Article
	for _, f := range []struct {
		key string
		dst *string
	}{
		{"title", &a.Title}, {"dateline", &a.Dateline}, {"category", &a.CategorySlug},
		{"excerpt", &a.Excerpt}, {"image", &a.Image}, {"image_alt", &a.ImageAlt},
		{"image_caption", &a.ImageCaption},
	} {
		if *f.dst, err = fm.require(f.key); err != nil {
			return Article{}, nil, err
		}
	}
	if a.Slug, err = fm.slug(); err != nil {
		return Article{}, nil, err
	}
	if !strings.HasPrefix(a.Image, "/media/demo/") {
		return Article{}, nil, fm.errorf("image", "image must be a /media/demo/ path, got %q", a.Image)
	}
	pub, err := fm.require("published")
	if err != nil {
		return Article{}, nil, err
	}
	// RFC 3339 demands an explicit offset, so a date can never silently fall back to UTC.
	if a.Published, err = time.Parse(time.RFC3339, pub); err != nil {
		return Article{}, nil, fm.errorf("published", "published must be RFC 3339 with a zone, like 2024-07-24T14:30:00+07:00: %v", err)
	}
	tags, err := fm.require("tags")
	if err != nil {
		return Article{}, nil, err
	}
	for _, t := range strings.Split(tags, ",") {
		if t = strings.TrimSpace(t); t != "" {
			a.Tags = append(a.Tags, t)
		}
	}
	if body == "" {
		return Article{}, nil, fmt.Errorf("%s:%d: article has no body", file, len(splitLines(data)))
	}
	a.Body = body
	return a, fm, nil
}

func parsePage(file string, data []byte) (Page, *frontMatter, error) {
	fm, body, err := splitFrontMatter(file, data, []string{"title", "slug"})
	if err != nil {
		return Page{}, nil, err
	}
	p := Page{Body: body}
	if p.Title, err = fm.require("title"); err != nil {
		return Page{}, nil, err
	}
	if p.Slug, err = fm.slug(); err != nil {
		return Page{}, nil, err
	}
	if body == "" {
		return Page{}, nil, fmt.Errorf("%s:%d: page has no body", file, len(splitLines(data)))
	}
	return p, fm, nil
}

// parseSite reads the site file: "name:" and "tagline:" lines, and one line per category,
//
//	category: slug | Name | parent slug (empty at top level) | one-line description
//
// A parent must be listed before its children.
func parseSite(file string, data []byte) (Site, []Category, error) {
	var site Site
	var cats []Category
	index := map[string]bool{}
	for i, raw := range splitLines(data) {
		n := i + 1
		l := strings.TrimSpace(raw)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		key, value, found := strings.Cut(l, ":")
		value = strings.TrimSpace(value)
		if !found || value == "" {
			return Site{}, nil, fmt.Errorf("%s:%d: expected \"key: value\", got %q", file, n, l)
		}
		switch strings.TrimSpace(key) {
		case "name":
			site.Name = value
		case "tagline":
			site.Tagline = value
		case "category":
			parts := strings.Split(value, "|")
			if len(parts) != 4 {
				return Site{}, nil, fmt.Errorf("%s:%d: category needs 4 fields separated by \"|\", got %d", file, n, len(parts))
			}
			for j := range parts {
				parts[j] = strings.TrimSpace(parts[j])
			}
			c := Category{Slug: parts[0], Name: parts[1], ParentSlug: parts[2], Description: parts[3]}
			switch {
			case !slugPattern.MatchString(c.Slug):
				return Site{}, nil, fmt.Errorf("%s:%d: bad category slug %q", file, n, c.Slug)
			case c.Name == "" || c.Description == "":
				return Site{}, nil, fmt.Errorf("%s:%d: category %q needs a name and a description", file, n, c.Slug)
			case index[c.Slug]:
				return Site{}, nil, fmt.Errorf("%s:%d: category %q listed twice", file, n, c.Slug)
			case c.ParentSlug != "" && !index[c.ParentSlug]:
				return Site{}, nil, fmt.Errorf("%s:%d: parent %q must be listed before %q", file, n, c.ParentSlug, c.Slug)
			}
			index[c.Slug] = true
			cats = append(cats, c)
		default:
			return Site{}, nil, fmt.Errorf("%s:%d: unknown key %q", file, n, strings.TrimSpace(key))
		}
	}
	if site.Name == "" || site.Tagline == "" {
		return Site{}, nil, fmt.Errorf("%s:1: name and tagline are required", file)
	}
	if len(cats) == 0 {
		return Site{}, nil, fmt.Errorf("%s:1: no categories", file)
	}
	return site, cats, nil
}
