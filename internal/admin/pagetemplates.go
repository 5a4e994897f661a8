package admin

import (
	"embed"
	"strings"

	"warta/internal/model"
)

// Ready pages an Indonesian news site must have, to start from: the
// masthead the Press Council expects (publisher's legal entity, address,
// person in charge, editor-in-chief, contacts) and the cyber media
// guideline. Each is written in every language the newsroom speaks;
// "{situs}" becomes the site's name.
//
//go:embed pagetemplates
var pageTemplateFiles embed.FS

// pageTemplates are the names offered on the pages screen, in order.
var pageTemplates = []string{"redaksi", "pedoman-media-siber"}

// pageTemplate is the page form that template name starts, in lang when
// it is written in lang, else in Indonesian.
func pageTemplate(name, lang, site string) (pageForm, bool) {
	known := false
	for _, n := range pageTemplates {
		known = known || n == name
	}
	if !known {
		return pageForm{}, false
	}
	b, err := pageTemplateFiles.ReadFile("pagetemplates/" + lang + "/" + name + ".md")
	if err != nil {
		if b, err = pageTemplateFiles.ReadFile("pagetemplates/id/" + name + ".md"); err != nil {
			return pageForm{}, false
		}
	}
	head, body, ok := strings.Cut(string(b), "\n---\n")
	if !ok {
		return pageForm{}, false
	}
	f := pageForm{Status: model.StatusDraft, Position: "0", Body: strings.ReplaceAll(body, "{situs}", site)}
	for _, line := range strings.Split(head, "\n") {
		k, v, _ := strings.Cut(line, ":")
		switch strings.TrimSpace(k) {
		case "title":
			f.Title = strings.TrimSpace(v)
		case "slug":
			f.Slug = strings.TrimSpace(v)
		}
	}
	return f, f.Title != "" && f.Slug != ""
}
