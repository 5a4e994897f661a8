package theme

import (
	"html/template"
	"strconv"
	"strings"
	"testing"

	"warta/internal/locale"
)

// embeddedSets loads the embedded theme's page templates as New does.
func embeddedSets(t *testing.T) (*pageSets, *locale.Bundle, template.FuncMap) {
	t.Helper()
	bundle, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	a, err := loadAssets(themeFS(""))
	if err != nil {
		t.Fatal(err)
	}
	funcs := template.FuncMap{"asset": a.URL, "add": func(a, b int) int { return a + b }}
	sets, err := loadPageSets(themeFS(""), funcs, bundle, a.URL)
	if err != nil {
		t.Fatal(err)
	}
	return sets, bundle, funcs
}

// TestTranslationsFoldedAtLoad checks that a translation call with
// constant arguments no longer reaches the interpreter: its text stands in
// the template as a literal (still escaped by html/template), and a call
// with a run-time argument stays.
func TestTranslationsFoldedAtLoad(t *testing.T) {
	sets, bundle, _ := embeddedSets(t)
	for _, lang := range bundle.Langs() {
		l := bundle.Get(lang)
		tp, ok := sets.lookup(l, "article")
		if !ok {
			t.Fatalf("%s: no article template", lang)
		}
		layout := tp.Lookup("layout").Tree.Root.String()
		if strings.Contains(layout, `"search.label"`) || strings.Contains(layout, `asset "style.css"`) {
			t.Errorf("%s: constant calls left in the layout", lang)
		}
		if !strings.Contains(layout, `<label class="visually-hidden" for="q">{{`+strconv.Quote(l.T("search.label"))+` |`) {
			t.Errorf("%s: the search label is not written into the layout", lang)
		}
		if !strings.Contains(tp.Lookup("comment-form").Tree.Root.String(), `.L.T "comment.form.reply_heading" .ParentName`) {
			t.Errorf("%s: a call with a run-time argument was folded", lang)
		}
	}
	// A locale from elsewhere renders with the unfolded set.
	other, _ := locale.Load()
	if tp, ok := sets.lookup(other.Get("id"), "article"); !ok || !strings.Contains(tp.Lookup("layout").Tree.Root.String(), `"search.label"`) {
		t.Error("an unknown locale does not get the unfolded templates")
	}
}
