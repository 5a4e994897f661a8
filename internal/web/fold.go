package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"sync"
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
//  2. After escaping, an action that is a literal piped only through
//     html/template's own escapers, {{"Cari berita" | _html_template_htmlescaper}},
//     is replaced by the text those escapers produce. The escapers are
//     pure functions of the string, and the text is computed by running
//     html/template itself on a probe in the same context (same escaper
//     chain), so the page is byte for byte what it was, in text,
//     attribute, URL or any other context. A chain no probe matches keeps
//     its action and is escaped at run time as before.
//
// The site language is a setting that can change while the server runs,
// so a render picks the set of the page's locale (Base.L). A theme's
// templates and translations are folded the same way, since the sets are
// parsed from the theme's files and the theme-overlaid bundle.

// pageSets holds the parsed page templates: one set per locale of the
// bundle, folded, and one unfolded for any other locale.
type pageSets struct {
	byLocale map[*locale.Locale]map[string]*template.Template
	compiled map[*locale.Locale]map[string]*progSet // nil where a set is not compiled (exec.go)
	plain    map[string]*template.Template
}

// loadPageSets parses the theme's templates for every language of bundle.
func loadPageSets(fsys fs.FS, funcs template.FuncMap, bundle *locale.Bundle, asset func(string) (string, error)) (*pageSets, error) {
	plain, err := parseTemplates(fsys, funcs)
	if err != nil {
		return nil, err
	}
	ps := &pageSets{plain: plain, byLocale: map[*locale.Locale]map[string]*template.Template{},
		compiled: map[*locale.Locale]map[string]*progSet{}}
	if bundle == nil {
		return ps, nil
	}
	for _, lang := range bundle.Langs() {
		l := bundle.Get(lang)
		set, err := parseTemplates(fsys, funcs)
		if err != nil {
			return nil, err
		}
		progs := map[string]*progSet{}
		for name, t := range set {
			if err := foldTemplate(t, l, asset); err != nil {
				return nil, fmt.Errorf("template %s (%s): %w", name, lang, err)
			}
			// A set that cannot be compiled runs on html/template.
			if p, err := compileSet(t, funcs); err == nil {
				progs[name] = p
			}
		}
		ps.byLocale[l] = set
		ps.compiled[l] = progs
	}
	return ps, nil
}

// program returns the compiled form of page template name for locale l,
// or nil.
func (ps *pageSets) program(l *locale.Locale, name string) *progSet {
	return ps.compiled[l][name]
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

// foldTemplate folds t's constant calls for l, escapes t (as its first
// execution would) and folds the escaped constants into text.
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
	for _, tt := range t.Templates() {
		if tt.Tree != nil {
			foldEscaped(tt.Tree.Root)
		}
	}
	useFastEscapers(t)
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

// foldEscaped replaces, in an escaped tree, each action that is a string
// literal piped only through html/template's escapers with the text the
// escapers make of it, and joins neighbouring text.
func foldEscaped(n parse.Node) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		out := n.Nodes[:0]
		for _, c := range n.Nodes {
			if a, ok := c.(*parse.ActionNode); ok {
				if text, ok := escapedConstant(a.Pipe); ok {
					c = &parse.TextNode{NodeType: parse.NodeText, Pos: a.Pos, Text: []byte(text)}
				}
			}
			if t, ok := c.(*parse.TextNode); ok && len(out) > 0 {
				if prev, ok := out[len(out)-1].(*parse.TextNode); ok {
					// A fresh node: the parser's may be shared with a clone.
					joined := make([]byte, 0, len(prev.Text)+len(t.Text))
					joined = append(append(joined, prev.Text...), t.Text...)
					out[len(out)-1] = &parse.TextNode{NodeType: parse.NodeText, Pos: prev.Pos, Text: joined}
					continue
				}
			}
			foldEscaped(c)
			out = append(out, c)
		}
		n.Nodes = out
	case *parse.IfNode:
		foldEscaped(n.List)
		foldEscaped(n.ElseList)
	case *parse.RangeNode:
		foldEscaped(n.List)
		foldEscaped(n.ElseList)
	case *parse.WithNode:
		foldEscaped(n.List)
		foldEscaped(n.ElseList)
	}
}

// escapedConstant returns what p prints when p is a string literal
// followed only by escapers whose output a probe knows.
func escapedConstant(p *parse.PipeNode) (string, bool) {
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) < 2 || len(p.Cmds[0].Args) != 1 {
		return "", false
	}
	lit, ok := p.Cmds[0].Args[0].(*parse.StringNode)
	if !ok {
		return "", false
	}
	chain, ok := escaperChain(p.Cmds[1:])
	if !ok {
		return "", false
	}
	pr, ok := probes()[chain]
	if !ok {
		return "", false
	}
	return pr.escape(lit.Text)
}

// escaperChain names the commands when each is one of html/template's
// escapers, "_html_template_urlfilter _html_template_attrescaper".
func escaperChain(cmds []*parse.CommandNode) (string, bool) {
	var names []string
	for _, c := range cmds {
		if len(c.Args) != 1 {
			return "", false
		}
		id, ok := c.Args[0].(*parse.IdentifierNode)
		if !ok || !strings.HasPrefix(id.Ident, "_html_template_") {
			return "", false
		}
		names = append(names, id.Ident)
	}
	return strings.Join(names, " "), true
}

// probe is a one-action template in a known context: what it prints
// between prefix and suffix is its value escaped for that context.
type probe struct {
	t              *template.Template
	prefix, suffix string
}

func (p probe) escape(s string) (string, bool) { return p.escapeValue(s) }

// probeContexts are the contexts a translation or asset URL may sit in.
var probeContexts = [][2]string{
	{"<p>", "</p>"},                   // text
	{`<p title="`, `">`},              // quoted attribute
	{`<p title=`, `>`},                // unquoted attribute
	{`<a href="`, `">`},               // URL
	{`<a href="/x?q=`, `">`},          // inside a URL's query
	{"<textarea>", "</textarea>"},     // RCDATA
	{`<p onclick="f(`, `)">`},         // JavaScript value in an attribute
	{`<p style="color: `, `">`},       // CSS value
	{`<script>var x = `, `</script>`}, // JavaScript value
	{`<p `, `>`},                      // attribute name (a template.HTMLAttr)
	{`<img srcset="`, `">`},           // srcset
}

// probes returns the probes by escaper chain, built on first use.
var probes = sync.OnceValue(func() map[string]probe {
	built := map[string]probe{}
	for _, pc := range probeContexts {
		t := template.Must(template.New("probe").Parse(pc[0] + "{{.}}" + pc[1]))
		if err := t.Execute(io.Discard, ""); err != nil {
			continue
		}
		for _, n := range t.Tree.Root.Nodes {
			if a, ok := n.(*parse.ActionNode); ok {
				if chain, ok := escaperChain(a.Pipe.Cmds[1:]); ok {
					if _, dup := built[chain]; !dup {
						built[chain] = probe{t: t, prefix: pc[0], suffix: pc[1]}
					}
				}
			}
		}
	}
	return built
})

// Every value a page prints goes through html/template's escapers, each
// called by reflection with a variadic argument: for most actions that
// call, not the value's lookup, is the larger part of the cost, and a URL
// attribute chains three of them. The chains pages use most are replaced,
// after escaping, by one function each that takes its argument directly
// and gives the same result: computed here for the common plain strings
// and numbers, and by running the escapers themselves (through the
// context's probe) for anything else. fold_test.go holds each to the
// escapers on a spread of awkward values.

// fastEscaper stands for one escaper chain.
type fastEscaper struct {
	name string // the function's name in the template sets
	fn   func(any) string
}

var htmlEscapes = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

const (
	chainHTML = "_html_template_htmlescaper"
	chainAttr = "_html_template_attrescaper"
	chainURL  = "_html_template_urlfilter _html_template_urlnormalizer _html_template_attrescaper"
	// A textarea's content, an attribute name (the feeds' type="…"
	// attribute, an HTMLAttr) and a script's value (JSON-LD, a JS).
	chainRCDATA   = "_html_template_rcdataescaper"
	chainAttrName = "_html_template_htmlnamefilter"
	chainJSVal    = "_html_template_jsvalescaper"
)

// fastEscapers returns the replacements by the chain they stand for.
var fastEscapers = sync.OnceValue(func() map[string]fastEscaper {
	pr := probes()
	slow := func(chain string) func(any) string {
		p := pr[chain]
		return func(v any) string {
			out, _ := p.escapeValue(v)
			return out
		}
	}
	m := map[string]fastEscaper{}
	if _, ok := pr[chainHTML]; ok {
		other := slow(chainHTML)
		m[chainHTML] = fastEscaper{name: "_warta_html", fn: func(v any) string {
			switch v := v.(type) {
			case string:
				return htmlEscapes.Replace(v)
			case template.HTML:
				return string(v) // in text, HTML is trusted as it is
			case int:
				return strconv.Itoa(v)
			case int64:
				return strconv.FormatInt(v, 10)
			}
			return other(v)
		}}
	}
	if _, ok := pr[chainAttr]; ok {
		other := slow(chainAttr)
		m[chainAttr] = fastEscaper{name: "_warta_attr", fn: func(v any) string {
			switch v := v.(type) {
			case string:
				return htmlEscapes.Replace(v)
			case int:
				return strconv.Itoa(v)
			case int64:
				return strconv.FormatInt(v, 10)
			}
			return other(v)
		}}
	}
	if _, ok := pr[chainRCDATA]; ok {
		other := slow(chainRCDATA)
		m[chainRCDATA] = fastEscaper{name: "_warta_rcdata", fn: func(v any) string {
			if s, ok := v.(string); ok {
				return htmlEscapes.Replace(s)
			}
			return other(v)
		}}
	}
	if _, ok := pr[chainAttrName]; ok {
		other := slow(chainAttrName)
		m[chainAttrName] = fastEscaper{name: "_warta_attrname", fn: func(v any) string {
			if a, ok := v.(template.HTMLAttr); ok {
				return string(a) // trusted as it is
			}
			return other(v)
		}}
	}
	if _, ok := pr[chainJSVal]; ok {
		other := slow(chainJSVal)
		m[chainJSVal] = fastEscaper{name: "_warta_jsval", fn: func(v any) string {
			if j, ok := v.(template.JS); ok {
				return string(j) // trusted as it is
			}
			return other(v)
		}}
	}
	if _, ok := pr[chainURL]; ok {
		other := slow(chainURL)
		m[chainURL] = fastEscaper{name: "_warta_url", fn: func(v any) string {
			if s, ok := v.(string); ok && urlUnchanged(s) {
				return s
			}
			return other(v)
		}}
	}
	return m
})

// urlUnchanged reports whether the URL chain (filter, normalise, escape
// for an attribute) leaves s as it is: its scheme, if any, is http, https
// or mailto, and every byte is one that none of the three rewrites.
func urlUnchanged(s string) bool {
	if protocol, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(protocol, "/") {
		if !strings.EqualFold(protocol, "http") && !strings.EqualFold(protocol, "https") && !strings.EqualFold(protocol, "mailto") {
			return false
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-._~!#$*,/:;=?@[]", c) >= 0:
		default:
			return false // & and + are escaped for the attribute, % is checked, the rest encoded
		}
	}
	return true
}

// escapeValue runs the probe's escapers on v, as an action would.
func (p probe) escapeValue(v any) (string, bool) {
	var b bytes.Buffer
	if err := p.t.Execute(&b, v); err != nil {
		return "", false
	}
	out, ok := strings.CutPrefix(b.String(), p.prefix)
	if !ok {
		return "", false
	}
	return strings.CutSuffix(out, p.suffix)
}

// useFastEscapers registers the replacements in t's set and puts them in
// place of the chains in the escaped trees.
func useFastEscapers(t *template.Template) {
	fast := fastEscapers()
	funcs := template.FuncMap{}
	for _, f := range fast {
		funcs[f.name] = f.fn
	}
	t.Funcs(funcs)
	for _, tt := range t.Templates() {
		if tt.Tree != nil {
			replaceChains(tt.Tree.Root, fast)
		}
	}
}

func replaceChains(n parse.Node, fast map[string]fastEscaper) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			replaceChains(c, fast)
		}
	case *parse.ActionNode:
		cmds := n.Pipe.Cmds
		first := len(cmds) // the trailing run of escapers starts here
		for first > 1 {
			if _, ok := escaperChain(cmds[first-1 : first]); !ok {
				break
			}
			first--
		}
		if _, ok := escaperChain(cmds[:first]); ok || first == len(cmds) {
			return // nothing to replace, or escapers not only at the end
		}
		for _, c := range cmds[:first] {
			if _, ok := escaperChain([]*parse.CommandNode{c}); ok {
				return
			}
		}
		chain, _ := escaperChain(cmds[first:])
		f, ok := fast[chain]
		if !ok {
			return
		}
		id := parse.NewIdentifier(f.name).SetPos(cmds[first].Pos)
		n.Pipe.Cmds = append(cmds[:first:first], &parse.CommandNode{NodeType: parse.NodeCommand, Pos: cmds[first].Pos, Args: []parse.Node{id}})
	case *parse.IfNode:
		replaceChains(n.List, fast)
		replaceChains(n.ElseList, fast)
	case *parse.RangeNode:
		replaceChains(n.List, fast)
		replaceChains(n.ElseList, fast)
	case *parse.WithNode:
		replaceChains(n.List, fast)
		replaceChains(n.ElseList, fast)
	}
}
