package theme

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"strconv"
	"text/template/parse"

	"warta/internal/locale"
)

// Templates are parsed once per language so that what cannot change
// during a render is worked out at start-up instead of on every page:
//
//  1. Before html/template escapes a set, every call whose result is fixed
//     for the set's language — {{.L.T "key"}} or {{$.L.T "key" "arg"}} with
//     only string literals, {{.L.HTMLLang}}, {{asset "style.css"}} — is
//     replaced by its result as a string literal, {{"Cari berita"}}. The
//     literal then goes through html/template's contextual escaping like
//     any other value.
//  2. The set is then escaped at once (html/template escapes a set on
//     its first execution), so that a template that cannot be escaped
//     stops the start instead of failing a reader's page.
//
// The site language is a setting that can change while the server runs,
// so a render picks the set of the page's locale (Base.L). A theme's
// templates and translations are folded the same way, since the sets are
// parsed from the theme's files and the theme-overlaid bundle.

// pageSets holds the parsed page templates: one set per locale of the
// bundle, folded, and one unfolded for any other locale.
type pageSets struct {
	byLocale map[*locale.Locale]map[string]*template.Template
	plain    map[string]*template.Template
}

// loadPageSets parses the theme's templates for every language of bundle.
func loadPageSets(fsys fs.FS, funcs template.FuncMap, bundle *locale.Bundle, asset func(string) (string, error)) (*pageSets, error) {
	plain, err := parseTemplates(fsys, funcs)
	if err != nil {
		return nil, err
	}
	ps := &pageSets{plain: plain, byLocale: map[*locale.Locale]map[string]*template.Template{}}
	if bundle == nil {
		return ps, nil
	}
	for _, lang := range bundle.Langs() {
		l := bundle.Get(lang)
		set, err := parseTemplates(fsys, funcs)
		if err != nil {
			return nil, err
		}
		for name, t := range set {
			if err := foldTemplate(t, l, asset); err != nil {
				return nil, fmt.Errorf("template %s (%s): %w", name, lang, err)
			}
		}
		ps.byLocale[l] = set
	}
	return ps, nil
}

// lookup returns the page template name for a page in locale l.
func (ps *pageSets) lookup(l *locale.Locale, name string) (*template.Template, bool) {
	if set, ok := ps.byLocale[l]; ok {
		t, ok := set[name]
		return t, ok
	}
	t, ok := ps.plain[name]
	return t, ok
}

// foldTemplate folds t's constant calls for l and escapes t (as its
// first execution would).
func foldTemplate(t *template.Template, l *locale.Locale, asset func(string) (string, error)) error {
	f := &folder{l: l, asset: asset}
	for _, tt := range t.Templates() {
		if tt.Tree != nil {
			f.node(tt.Tree.Root)
		}
	}
	// html/template escapes a set on its first execution and offers no
	// other way to ask for it. Executing with no data escapes every
	// template "layout" reaches; whatever the run itself reports is of no
	// interest, only an escaping error (a broken template) is.
	err := t.ExecuteTemplate(io.Discard, "layout", nil)
	var escErr *template.Error
	if errors.As(err, &escErr) {
		return err
	}
	return nil
}

type folder struct {
	l     *locale.Locale
	asset func(string) (string, error)
}

func (f *folder) node(n parse.Node) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			f.node(c)
		}
	case *parse.ActionNode:
		f.pipe(n.Pipe)
	case *parse.IfNode:
		f.branch(&n.BranchNode)
	case *parse.RangeNode:
		f.branch(&n.BranchNode)
	case *parse.WithNode:
		f.branch(&n.BranchNode)
	case *parse.TemplateNode:
		f.pipe(n.Pipe)
	}
}

func (f *folder) branch(b *parse.BranchNode) {
	f.pipe(b.Pipe)
	f.node(b.List)
	f.node(b.ElseList)
}

func (f *folder) pipe(p *parse.PipeNode) {
	if p == nil {
		return
	}
	for i, c := range p.Cmds {
		for _, a := range c.Args {
			if sub, ok := a.(*parse.PipeNode); ok {
				f.pipe(sub)
			}
		}
		// A later command also receives the previous result as its last
		// argument, so only the first one can be constant.
		if i == 0 {
			if s, ok := f.constant(c); ok {
				c.Args = []parse.Node{&parse.StringNode{NodeType: parse.NodeString, Pos: c.Args[0].Position(),
					Quoted: strconv.Quote(s), Text: s}}
			}
		}
	}
}

// constant returns the result of c when it is a call whose result is
// fixed for the set's locale.
func (f *folder) constant(c *parse.CommandNode) (string, bool) {
	var args []any
	for _, a := range c.Args[1:] {
		s, ok := a.(*parse.StringNode)
		if !ok {
			return "", false
		}
		args = append(args, s.Text)
	}
	var ident []string
	switch a := c.Args[0].(type) {
	case *parse.IdentifierNode:
		if a.Ident == "asset" && len(args) == 1 && f.asset != nil {
			u, err := f.asset(args[0].(string))
			return u, err == nil // a missing asset keeps failing where it always did
		}
		return "", false
	case *parse.FieldNode:
		ident = a.Ident // .L.T
	case *parse.VariableNode:
		if a.Ident[0] != "$" {
			return "", false // a $variable may hold anything
		}
		ident = a.Ident[1:] // $.L.T
	default:
		return "", false
	}
	if len(ident) != 2 || ident[0] != "L" {
		return "", false
	}
	switch ident[1] {
	case "T":
		if len(args) == 0 {
			return "", false
		}
		return f.l.T(args[0].(string), args[1:]...), true
	case "HTMLLang":
		return f.l.HTMLLang(), len(args) == 0
	case "OGLocale":
		return f.l.OGLocale(), len(args) == 0
	case "ISOLang":
		return f.l.ISOLang(), len(args) == 0
	}
	return "", false
}
