package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"reflect"
	"sort"
	"strings"
	"sync/atomic"
	"text/template/parse"
)

// A page's templates are executed from a compiled form of their escaped
// trees rather than by text/template's tree walk, which looks every field
// up by name, calls every escaper through reflection with a variadic
// argument and prints through fmt: after the folding in fold.go that was
// still two thirds of an uncached article page's CPU.
//
// The compiled form is the same trees, after html/template has escaped
// them and fold.go has folded them, turned into Go closures once at start:
// a field is found by name once per type, an escaper chain is one direct
// call, a string is written as it is. It follows text/template's rules for
// what it does (truth, nil pointers, missing map keys, variable scopes,
// method calls with their error results, and/or short-circuits), and does
// not attempt the rest: a set that uses anything else (most builtins,
// range over channels or functions, ...) is not compiled, and a render
// that meets something unexpected at run time (an error, a panic, a map
// with keys it cannot order) returns errNotCompiled, and the page is
// rendered by html/template instead, which then reports any error itself.
// Escaping is html/template's own: the escaper calls are the ones it put
// in the trees (or fold.go's equivalents, held to them by fold_test.go).
//
// Tests run every page both ways and compare the bytes (verifyCompiled).

var errNotCompiled = errors.New("web: not run compiled")

// verifyCompiled makes every compiled render also run through
// html/template and panic if the two differ. For tests.
var verifyCompiled atomic.Bool

// VerifyCompiledTemplates turns on, for tests, the comparison of every
// compiled render with html/template's.
func VerifyCompiledTemplates(on bool) { verifyCompiled.Store(on) }

// progSet is one template set, compiled.
type progSet struct {
	progs map[string]*prog
}

type prog struct {
	name  string
	body  step
	nvars int
}

// step writes its part of the page for dot.
type step func(x *run, dot reflect.Value) error

// value evaluates an expression; final is the previous command's result
// in a pipeline, when hasFinal.
type value func(x *run, dot, final reflect.Value, hasFinal bool) (reflect.Value, error)

// arg evaluates a function or method argument for a parameter of type typ.
type arg func(x *run, dot reflect.Value, typ reflect.Type) (reflect.Value, error)

type run struct {
	w     *bytes.Buffer
	set   *progSet
	vars  []reflect.Value // every frame's variables; base is the current frame's start
	base  int
	depth int
}

var (
	errBreak    = errors.New("break")
	errContinue = errors.New("continue")
)

// execute runs the named template of the set for data into w.
func (ps *progSet) execute(w *bytes.Buffer, name string, data any) (err error) {
	p := ps.progs[name]
	if p == nil {
		return errNotCompiled
	}
	start := w.Len()
	defer func() {
		if r := recover(); r != nil {
			err = errNotCompiled
		}
		if err != nil {
			w.Truncate(start)
			err = errNotCompiled
		}
	}()
	x := &run{w: w, set: ps, vars: make([]reflect.Value, 0, 16)}
	return x.call(p, reflect.ValueOf(data))
}

func (x *run) call(p *prog, dot reflect.Value) error {
	if x.depth > 100 {
		return errNotCompiled
	}
	base := len(x.vars)
	for range p.nvars {
		x.vars = append(x.vars, reflect.Value{})
	}
	x.vars[base] = dot // $
	saved := x.base
	x.base = base
	x.depth++
	err := p.body(x, dot)
	x.depth--
	x.base = saved
	clear(x.vars[base:])
	x.vars = x.vars[:base]
	return err
}

// compileSet compiles the templates of t that "layout" reaches (those
// html/template has escaped). It fails when any of them uses what the
// compiled form does not do.
func compileSet(t *template.Template, funcs template.FuncMap) (*progSet, error) {
	ps := &progSet{progs: map[string]*prog{}}
	c := &compiler{set: ps, t: t, funcs: map[string]reflect.Value{}}
	for name, f := range funcs {
		c.funcs[name] = reflect.ValueOf(f)
	}
	for _, f := range fastEscapers() {
		c.fast = append(c.fast, f)
	}
	if err := c.template("layout"); err != nil {
		return nil, err
	}
	return ps, nil
}

type compiler struct {
	set   *progSet
	t     *template.Template
	funcs map[string]reflect.Value
	fast  []fastEscaper

	scopes [][]scopeVar // the current template's variables, innermost scope last
	nvars  int
}

type scopeVar struct {
	name string
	slot int
}

// template compiles the named template and those it calls.
func (c *compiler) template(name string) error {
	if _, done := c.set.progs[name]; done {
		return nil
	}
	tt := c.t.Lookup(name)
	if tt == nil || tt.Tree == nil || tt.Tree.Root == nil {
		return fmt.Errorf("no template %q", name)
	}
	p := &prog{name: name}
	c.set.progs[name] = p // before compiling: it may call itself
	savedScopes, savedN := c.scopes, c.nvars
	c.scopes, c.nvars = [][]scopeVar{{{name: "$", slot: 0}}}, 1
	body, err := c.list(tt.Tree.Root)
	p.body, p.nvars = body, c.nvars
	c.scopes, c.nvars = savedScopes, savedN
	if err != nil {
		delete(c.set.progs, name)
		return err
	}
	return nil
}

func (c *compiler) declare(name string) int {
	slot := c.nvars
	c.nvars++
	c.scopes[len(c.scopes)-1] = append(c.scopes[len(c.scopes)-1], scopeVar{name, slot})
	return slot
}

func (c *compiler) lookupVar(name string) (int, error) {
	for i := len(c.scopes) - 1; i >= 0; i-- {
		s := c.scopes[i]
		for j := len(s) - 1; j >= 0; j-- {
			if s[j].name == name {
				return s[j].slot, nil
			}
		}
	}
	return 0, fmt.Errorf("undefined variable %s", name)
}

func (c *compiler) push() { c.scopes = append(c.scopes, nil) }
func (c *compiler) pop()  { c.scopes = c.scopes[:len(c.scopes)-1] }

func (c *compiler) list(l *parse.ListNode) (step, error) {
	if l == nil {
		return func(*run, reflect.Value) error { return nil }, nil
	}
	var steps []step
	for _, n := range l.Nodes {
		s, err := c.node(n)
		if err != nil {
			return nil, err
		}
		if s != nil {
			steps = append(steps, s)
		}
	}
	switch len(steps) {
	case 0:
		return func(*run, reflect.Value) error { return nil }, nil
	case 1:
		return steps[0], nil
	}
	return func(x *run, dot reflect.Value) error {
		for _, s := range steps {
			if err := s(x, dot); err != nil {
				return err
			}
		}
		return nil
	}, nil
}

func (c *compiler) node(n parse.Node) (step, error) {
	switch n := n.(type) {
	case *parse.TextNode:
		text := n.Text
		return func(x *run, _ reflect.Value) error { x.w.Write(text); return nil }, nil
	case *parse.CommentNode:
		return nil, nil
	case *parse.ActionNode:
		return c.action(n.Pipe)
	case *parse.IfNode:
		return c.ifWith(&n.BranchNode, false)
	case *parse.WithNode:
		return c.ifWith(&n.BranchNode, true)
	case *parse.RangeNode:
		return c.rangeNode(n)
	case *parse.TemplateNode:
		return c.templateCall(n)
	case *parse.BreakNode:
		return func(*run, reflect.Value) error { return errBreak }, nil
	case *parse.ContinueNode:
		return func(*run, reflect.Value) error { return errContinue }, nil
	}
	return nil, fmt.Errorf("unsupported node %s", n)
}

// action prints a pipeline's value or, with variables, sets them.
func (c *compiler) action(p *parse.PipeNode) (step, error) {
	if len(p.Decl) == 0 {
		// The common case: a value, then the escapers, whose string is
		// written as it is.
		if n, esc := c.escaperTail(p.Cmds); esc != nil && n > 0 {
			v, err := c.commands(p.Cmds[:n])
			if err != nil {
				return nil, err
			}
			return func(x *run, dot reflect.Value) error {
				val, err := v(x, dot)
				if err != nil {
					return err
				}
				s, err := esc(toAny(val))
				if err != nil {
					return err
				}
				x.w.WriteString(s)
				return nil
			}, nil
		}
	}
	v, err := c.pipeline(p)
	if err != nil {
		return nil, err
	}
	if len(p.Decl) > 0 {
		return func(x *run, dot reflect.Value) error { _, err := v(x, dot); return err }, nil
	}
	return func(x *run, dot reflect.Value) error {
		val, err := v(x, dot)
		if err != nil {
			return err
		}
		return printValue(x.w, val)
	}, nil
}

// escaperTail finds the trailing run of escaper calls in cmds and the
// one function that does what they do, or nil.
func (c *compiler) escaperTail(cmds []*parse.CommandNode) (int, func(any) (string, error)) {
	if len(cmds) < 2 {
		return 0, nil
	}
	last := cmds[len(cmds)-1]
	if len(last.Args) == 1 {
		if id, ok := last.Args[0].(*parse.IdentifierNode); ok {
			for _, f := range c.fast {
				if f.name == id.Ident {
					fn := f.fn
					return len(cmds) - 1, func(v any) (string, error) { return fn(v), nil }
				}
			}
		}
	}
	first := len(cmds)
	for first > 1 {
		if _, ok := escaperChain(cmds[first-1 : first]); !ok {
			break
		}
		first--
	}
	if first == len(cmds) {
		return 0, nil
	}
	chain, _ := escaperChain(cmds[first:])
	p, ok := probes()[chain]
	if !ok {
		return 0, nil
	}
	return first, func(v any) (string, error) {
		s, ok := p.escapeValue(v)
		if !ok {
			return "", errNotCompiled
		}
		return s, nil
	}
}

// pipeline evaluates p, declaring or assigning its variables.
func (c *compiler) pipeline(p *parse.PipeNode) (func(*run, reflect.Value) (reflect.Value, error), error) {
	if p == nil {
		return func(*run, reflect.Value) (reflect.Value, error) { return reflect.Value{}, nil }, nil
	}
	v, err := c.commands(p.Cmds)
	if err != nil {
		return nil, err
	}
	if len(p.Decl) == 0 {
		return v, nil
	}
	var slots []int
	for _, d := range p.Decl {
		if len(d.Ident) != 1 {
			return nil, fmt.Errorf("bad declaration")
		}
		if p.IsAssign {
			slot, err := c.lookupVar(d.Ident[0])
			if err != nil {
				return nil, err
			}
			slots = append(slots, slot)
		} else {
			slots = append(slots, c.declare(d.Ident[0]))
		}
	}
	return func(x *run, dot reflect.Value) (reflect.Value, error) {
		val, err := v(x, dot)
		if err != nil {
			return val, err
		}
		for _, s := range slots {
			x.vars[x.base+s] = val
		}
		return val, nil
	}, nil
}

// commands evaluates a pipeline's commands, each receiving the previous
// result.
func (c *compiler) commands(cmds []*parse.CommandNode) (func(*run, reflect.Value) (reflect.Value, error), error) {
	var vs []value
	for _, cmd := range cmds {
		v, err := c.command(cmd)
		if err != nil {
			return nil, err
		}
		vs = append(vs, v)
	}
	if len(vs) == 1 {
		v := vs[0]
		return func(x *run, dot reflect.Value) (reflect.Value, error) {
			val, err := v(x, dot, reflect.Value{}, false)
			return unwrapEmptyInterface(val), err
		}, nil
	}
	return func(x *run, dot reflect.Value) (val reflect.Value, err error) {
		for i, v := range vs {
			if val, err = v(x, dot, val, i > 0); err != nil {
				return val, err
			}
			val = unwrapEmptyInterface(val)
		}
		return val, nil
	}, nil
}

func unwrapEmptyInterface(v reflect.Value) reflect.Value {
	if v.Kind() == reflect.Interface && v.Type().NumMethod() == 0 {
		return reflect.ValueOf(v.Interface())
	}
	return v
}

func (c *compiler) command(cmd *parse.CommandNode) (value, error) {
	args := cmd.Args[1:]
	switch n := cmd.Args[0].(type) {
	case *parse.FieldNode:
		return c.fieldChain(nil, n.Ident, args)
	case *parse.ChainNode:
		recv, err := c.operand(n.Node)
		if err != nil {
			return nil, err
		}
		return c.fieldChain(recv, n.Field, args)
	case *parse.VariableNode:
		slot, err := c.lookupVar(n.Ident[0])
		if err != nil {
			return nil, err
		}
		recv := func(x *run, _ reflect.Value) (reflect.Value, error) { return x.vars[x.base+slot], nil }
		if len(n.Ident) == 1 {
			if len(args) > 0 {
				return nil, fmt.Errorf("arguments to a variable")
			}
			return notAFunction(recv), nil
		}
		return c.fieldChain(recv, n.Ident[1:], args)
	case *parse.IdentifierNode:
		return c.function(n.Ident, args)
	case *parse.PipeNode:
		if len(args) > 0 {
			return nil, fmt.Errorf("arguments to a pipeline")
		}
		v, err := c.pipeline(n)
		if err != nil {
			return nil, err
		}
		return notAFunction(v), nil
	case *parse.DotNode:
		if len(args) > 0 {
			return nil, fmt.Errorf("arguments to dot")
		}
		return notAFunction(func(_ *run, dot reflect.Value) (reflect.Value, error) { return dot, nil }), nil
	case *parse.StringNode, *parse.BoolNode, *parse.NumberNode:
		if len(args) > 0 {
			return nil, fmt.Errorf("arguments to a constant")
		}
		k, ok := constant(cmd.Args[0])
		if !ok {
			return nil, fmt.Errorf("unsupported constant")
		}
		return notAFunction(func(*run, reflect.Value) (reflect.Value, error) { return k, nil }), nil
	}
	return nil, fmt.Errorf("unsupported command %s", cmd)
}

// notAFunction is a value that takes no arguments: a piped value is an
// error, as in text/template.
func notAFunction(v func(*run, reflect.Value) (reflect.Value, error)) value {
	return func(x *run, dot, _ reflect.Value, hasFinal bool) (reflect.Value, error) {
		if hasFinal {
			return reflect.Value{}, errNotCompiled
		}
		return v(x, dot)
	}
}

// constant is the value of a literal where its type is not set by a
// parameter (text/template's idealConstant and evalEmptyInterface).
func constant(n parse.Node) (reflect.Value, bool) {
	switch n := n.(type) {
	case *parse.StringNode:
		return reflect.ValueOf(n.Text), true
	case *parse.BoolNode:
		return reflect.ValueOf(n.True), true
	case *parse.NumberNode:
		switch {
		case n.IsComplex:
			return reflect.Value{}, false
		case strings.ContainsAny(n.Text, "xXpP'_"):
			return reflect.Value{}, false // hex, runes, separators: left to text/template
		case n.IsFloat && strings.ContainsAny(n.Text, ".eE"):
			return reflect.ValueOf(n.Float64), true
		case n.IsInt && int64(int(n.Int64)) == n.Int64:
			return reflect.ValueOf(int(n.Int64)), true
		}
	}
	return reflect.Value{}, false
}

// operand evaluates a node used as a value (a chain's start).
func (c *compiler) operand(n parse.Node) (func(*run, reflect.Value) (reflect.Value, error), error) {
	switch n := n.(type) {
	case *parse.PipeNode:
		return c.pipeline(n)
	case *parse.FieldNode, *parse.VariableNode, *parse.IdentifierNode, *parse.ChainNode, *parse.DotNode:
		v, err := c.command(&parse.CommandNode{NodeType: parse.NodeCommand, Args: []parse.Node{n}})
		if err != nil {
			return nil, err
		}
		return func(x *run, dot reflect.Value) (reflect.Value, error) { return v(x, dot, reflect.Value{}, false) }, nil
	}
	if k, ok := constant(n); ok {
		return func(*run, reflect.Value) (reflect.Value, error) { return k, nil }, nil
	}
	return nil, fmt.Errorf("unsupported operand %s", n)
}

// argument compiles n as an argument whose parameter type is known only
// when it is called (text/template's evalArg).
func (c *compiler) argument(n parse.Node) (arg, error) {
	switch n := n.(type) {
	case *parse.DotNode, *parse.FieldNode, *parse.VariableNode, *parse.PipeNode, *parse.IdentifierNode, *parse.ChainNode:
		v, err := c.operand(n)
		if err != nil {
			return nil, err
		}
		return func(x *run, dot reflect.Value, typ reflect.Type) (reflect.Value, error) {
			val, err := v(x, dot)
			if err != nil {
				return val, err
			}
			return validateType(val, typ)
		}, nil
	case *parse.NilNode:
		return func(_ *run, _ reflect.Value, typ reflect.Type) (reflect.Value, error) {
			if canBeNil(typ) {
				return reflect.Zero(typ), nil
			}
			return reflect.Value{}, errNotCompiled
		}, nil
	case *parse.StringNode, *parse.BoolNode, *parse.NumberNode:
		ideal, idealOK := constant(n)
		return func(_ *run, _ reflect.Value, typ reflect.Type) (reflect.Value, error) {
			switch typ.Kind() {
			case reflect.String:
				if s, ok := n.(*parse.StringNode); ok {
					v := reflect.New(typ).Elem()
					v.SetString(s.Text)
					return v, nil
				}
			case reflect.Bool:
				if b, ok := n.(*parse.BoolNode); ok {
					v := reflect.New(typ).Elem()
					v.SetBool(b.True)
					return v, nil
				}
			case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
				if num, ok := n.(*parse.NumberNode); ok && num.IsInt {
					v := reflect.New(typ).Elem()
					v.SetInt(num.Int64)
					return v, nil
				}
			case reflect.Interface:
				if typ.NumMethod() == 0 && idealOK {
					return ideal, nil
				}
			case reflect.Struct:
				if typ == reflectValue && idealOK {
					return reflect.ValueOf(ideal), nil
				}
			}
			return reflect.Value{}, errNotCompiled
		}, nil
	}
	return nil, fmt.Errorf("unsupported argument %s", n)
}

var (
	errorType       = reflect.TypeFor[error]()
	fmtStringerType = reflect.TypeFor[fmt.Stringer]()
	reflectValue    = reflect.TypeFor[reflect.Value]()
)

// validateType is text/template's check of a value against a parameter.
func validateType(v reflect.Value, typ reflect.Type) (reflect.Value, error) {
	if !v.IsValid() {
		if typ == nil {
			return reflect.ValueOf(nil), nil
		}
		if canBeNil(typ) {
			return reflect.Zero(typ), nil
		}
		return v, errNotCompiled
	}
	if typ == reflectValue && v.Type() != typ {
		return reflect.ValueOf(v), nil
	}
	if typ != nil && !v.Type().AssignableTo(typ) {
		if v.Kind() == reflect.Interface && !v.IsNil() {
			v = v.Elem()
			if v.Type().AssignableTo(typ) {
				return v, nil
			}
		}
		switch {
		case v.Kind() == reflect.Pointer && v.Type().Elem().AssignableTo(typ):
			v = v.Elem()
			if !v.IsValid() {
				return v, errNotCompiled
			}
		case reflect.PointerTo(v.Type()).AssignableTo(typ) && v.CanAddr():
			v = v.Addr()
		default:
			return v, errNotCompiled
		}
	}
	return v, nil
}

func canBeNil(typ reflect.Type) bool {
	switch typ.Kind() {
	case reflect.Chan, reflect.Func, reflect.Interface, reflect.Map, reflect.Pointer, reflect.Slice:
		return true
	}
	return false
}

// fieldChain evaluates .A.B.C on recv (dot when nil), the last with args.
func (c *compiler) fieldChain(recv func(*run, reflect.Value) (reflect.Value, error), idents []string, args []parse.Node) (value, error) {
	var argv []arg
	for _, a := range args {
		f, err := c.argument(a)
		if err != nil {
			return nil, err
		}
		argv = append(argv, f)
	}
	fields := make([]*fieldStep, len(idents))
	for i, name := range idents {
		fields[i] = &fieldStep{name: name}
	}
	last := fields[len(fields)-1]
	fields = fields[:len(fields)-1]
	return func(x *run, dot, final reflect.Value, hasFinal bool) (reflect.Value, error) {
		r := dot
		if recv != nil {
			var err error
			if r, err = recv(x, dot); err != nil {
				return r, err
			}
		}
		for _, f := range fields {
			var err error
			if r, err = f.eval(x, dot, r, nil, reflect.Value{}, false); err != nil {
				return r, err
			}
		}
		return last.eval(x, dot, r, argv, final, hasFinal)
	}, nil
}

// fieldStep is one name of a field chain, with what it was found to be
// for the receiver type seen last.
type fieldStep struct {
	name  string
	cache atomic.Pointer[fieldAccess]
}

type fieldAccess struct {
	typ       reflect.Type
	ptrMethod int // index in *typ's methods, or -1
	valMethod int // index in typ's methods, or -1
	field     []int
	exported  bool
	mapKey    bool
}

func (f *fieldStep) access(typ reflect.Type) *fieldAccess {
	if a := f.cache.Load(); a != nil && a.typ == typ {
		return a
	}
	a := &fieldAccess{typ: typ, ptrMethod: -1, valMethod: -1}
	if typ.Kind() != reflect.Interface && typ.Kind() != reflect.Pointer {
		if m, ok := reflect.PointerTo(typ).MethodByName(f.name); ok {
			a.ptrMethod = m.Index
		}
	}
	if m, ok := typ.MethodByName(f.name); ok && typ.Kind() != reflect.Interface {
		a.valMethod = m.Index
	}
	switch typ.Kind() {
	case reflect.Struct:
		if sf, ok := typ.FieldByName(f.name); ok {
			a.field, a.exported = sf.Index, sf.IsExported()
		}
	case reflect.Map:
		a.mapKey = reflect.TypeFor[string]().AssignableTo(typ.Key())
	}
	f.cache.Store(a)
	return a
}

// eval is text/template's evalField.
func (f *fieldStep) eval(x *run, dot, recv reflect.Value, args []arg, final reflect.Value, hasFinal bool) (reflect.Value, error) {
	if !recv.IsValid() {
		return reflect.Value{}, nil // a missing key's missing field: no value, as text/template's default
	}
	recv, isNil := indirect(recv)
	if recv.Kind() == reflect.Interface && isNil {
		return reflect.Value{}, errNotCompiled
	}
	a := f.access(recv.Type())
	var method reflect.Value
	switch {
	case a.ptrMethod >= 0 && recv.CanAddr():
		method = recv.Addr().Method(a.ptrMethod)
	case a.valMethod >= 0:
		method = recv.Method(a.valMethod)
	}
	if method.IsValid() {
		return callFunc(x, dot, method, args, final, hasFinal)
	}
	hasArgs := len(args) > 0 || hasFinal
	switch recv.Kind() {
	case reflect.Struct:
		if a.field != nil {
			if !a.exported || hasArgs {
				return reflect.Value{}, errNotCompiled
			}
			v, err := recv.FieldByIndexErr(a.field)
			if err != nil {
				return reflect.Value{}, errNotCompiled
			}
			return v, nil
		}
	case reflect.Map:
		if a.mapKey {
			if hasArgs {
				return reflect.Value{}, errNotCompiled
			}
			return recv.MapIndex(reflect.ValueOf(f.name).Convert(recv.Type().Key())), nil
		}
	}
	return reflect.Value{}, errNotCompiled
}

func indirect(v reflect.Value) (reflect.Value, bool) {
	for ; v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface; v = v.Elem() {
		if v.IsNil() {
			return v, true
		}
	}
	return v, false
}

func indirectInterface(v reflect.Value) reflect.Value {
	if v.Kind() != reflect.Interface {
		return v
	}
	if v.IsNil() {
		return reflect.Value{}
	}
	return v.Elem()
}

// callFunc is text/template's evalCall for a method or a FuncMap function.
func callFunc(x *run, dot, fn reflect.Value, args []arg, final reflect.Value, hasFinal bool) (reflect.Value, error) {
	typ := fn.Type()
	numIn := len(args)
	if hasFinal {
		numIn++
	}
	numFixed := typ.NumIn()
	if typ.IsVariadic() {
		numFixed--
		if numIn < numFixed {
			return reflect.Value{}, errNotCompiled
		}
	} else if numIn != typ.NumIn() {
		return reflect.Value{}, errNotCompiled
	}
	switch typ.NumOut() {
	case 1:
	case 2:
		if typ.Out(1) != errorType {
			return reflect.Value{}, errNotCompiled
		}
	default:
		return reflect.Value{}, errNotCompiled
	}
	argv := make([]reflect.Value, numIn)
	i := 0
	for ; i < numFixed && i < len(args); i++ {
		v, err := args[i](x, dot, typ.In(i))
		if err != nil {
			return v, err
		}
		argv[i] = v
	}
	if typ.IsVariadic() {
		elem := typ.In(typ.NumIn() - 1).Elem()
		for ; i < len(args); i++ {
			v, err := args[i](x, dot, elem)
			if err != nil {
				return v, err
			}
			argv[i] = v
		}
	}
	if hasFinal {
		t := typ.In(typ.NumIn() - 1)
		if typ.IsVariadic() {
			if numIn-1 < numFixed {
				t = typ.In(numIn - 1)
			} else {
				t = t.Elem()
			}
		}
		v, err := validateType(final, t)
		if err != nil {
			return v, err
		}
		argv[i] = v
	}
	out := fn.Call(argv) // a panic is recovered by execute
	if len(out) == 2 && !out[1].IsNil() {
		return out[0], errNotCompiled
	}
	v := out[0]
	if v.Type() == reflectValue {
		v = v.Interface().(reflect.Value)
	}
	return v, nil
}

// function compiles a call of a FuncMap function or a builtin.
func (c *compiler) function(name string, args []parse.Node) (value, error) {
	var argv []arg
	for _, a := range args {
		f, err := c.argument(a)
		if err != nil {
			return nil, err
		}
		argv = append(argv, f)
	}
	for _, f := range c.fast {
		if f.name == name && len(args) <= 1 {
			fn := f.fn
			return func(x *run, dot, final reflect.Value, hasFinal bool) (reflect.Value, error) {
				v := final
				if len(argv) == 1 {
					if hasFinal {
						return reflect.Value{}, errNotCompiled
					}
					var err error
					if v, err = argv[0](x, dot, reflect.TypeFor[any]()); err != nil {
						return v, err
					}
				} else if !hasFinal {
					return reflect.Value{}, errNotCompiled
				}
				return reflect.ValueOf(fn(toAny(v))), nil
			}, nil
		}
	}
	switch name {
	case "and", "or":
		or := name == "or"
		return func(x *run, dot, final reflect.Value, hasFinal bool) (reflect.Value, error) {
			var v reflect.Value
			for _, a := range argv {
				w, err := a(x, dot, reflectValue)
				if err != nil {
					return w, err
				}
				v = w.Interface().(reflect.Value)
				if truth(v) == or {
					return v, nil
				}
			}
			if hasFinal {
				w, err := validateType(final, reflectValue)
				if err != nil {
					return w, err
				}
				v = w.Interface().(reflect.Value)
			}
			return v, nil
		}, nil
	case "not":
		return builtin(argv, 1, func(v []reflect.Value) (reflect.Value, error) {
			return reflect.ValueOf(!truth(v[0])), nil
		}), nil
	case "eq", "ne":
		ne := name == "ne"
		return builtin(argv, -1, func(v []reflect.Value) (reflect.Value, error) {
			if len(v) < 2 || ne && len(v) != 2 {
				return reflect.Value{}, errNotCompiled
			}
			eq, err := equal(v[0], v[1:])
			return reflect.ValueOf(eq != ne), err
		}), nil
	case "len":
		return builtin(argv, 1, func(v []reflect.Value) (reflect.Value, error) {
			item, isNil := indirect(v[0])
			if isNil {
				return reflect.Value{}, errNotCompiled
			}
			switch item.Kind() {
			case reflect.Array, reflect.Chan, reflect.Map, reflect.Slice, reflect.String:
				return reflect.ValueOf(item.Len()), nil
			}
			return reflect.Value{}, errNotCompiled
		}), nil
	}
	fn, ok := c.funcs[name]
	if !ok {
		return nil, fmt.Errorf("unsupported function %s", name)
	}
	return func(x *run, dot, final reflect.Value, hasFinal bool) (reflect.Value, error) {
		return callFunc(x, dot, fn, argv, final, hasFinal)
	}, nil
}

// builtin calls f with its arguments as reflect.Values (n of them, or any
// number when n < 0), the piped value last.
func builtin(argv []arg, n int, f func([]reflect.Value) (reflect.Value, error)) value {
	return func(x *run, dot, final reflect.Value, hasFinal bool) (reflect.Value, error) {
		vals := make([]reflect.Value, 0, len(argv)+1)
		for _, a := range argv {
			w, err := a(x, dot, reflectValue)
			if err != nil {
				return w, err
			}
			vals = append(vals, w.Interface().(reflect.Value))
		}
		if hasFinal {
			w, err := validateType(final, reflectValue)
			if err != nil {
				return w, err
			}
			vals = append(vals, w.Interface().(reflect.Value))
		}
		if n >= 0 && len(vals) != n {
			return reflect.Value{}, errNotCompiled
		}
		return f(vals)
	}
}

func truth(v reflect.Value) bool {
	t, _ := isTrue(indirectInterface(v))
	return t
}

// isTrue is text/template's: the zero value of a type is false, a struct
// is true.
func isTrue(v reflect.Value) (truth, ok bool) {
	if !v.IsValid() {
		return false, true
	}
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() > 0, true
	case reflect.Bool:
		return v.Bool(), true
	case reflect.Complex64, reflect.Complex128:
		return v.Complex() != 0, true
	case reflect.Chan, reflect.Func, reflect.Pointer, reflect.UnsafePointer, reflect.Interface:
		return !v.IsNil(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() != 0, true
	case reflect.Float32, reflect.Float64:
		return v.Float() != 0, true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() != 0, true
	case reflect.Struct:
		return true, true
	}
	return false, false
}

// equal is text/template's eq for values of the same basic kind; other
// comparisons are left to text/template.
func equal(a reflect.Value, bs []reflect.Value) (bool, error) {
	a = indirectInterface(a)
	for _, b := range bs {
		b = indirectInterface(b)
		if !a.IsValid() || !b.IsValid() || a.Kind() != b.Kind() {
			return false, errNotCompiled
		}
		var t bool
		switch a.Kind() {
		case reflect.Bool:
			t = a.Bool() == b.Bool()
		case reflect.String:
			t = a.String() == b.String()
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			t = a.Int() == b.Int()
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			t = a.Uint() == b.Uint()
		default:
			return false, errNotCompiled
		}
		if t {
			return true, nil
		}
	}
	return false, nil
}

// ifWith is {{if}} or {{with}}: the pipeline's variables live in both
// branches.
func (c *compiler) ifWith(b *parse.BranchNode, with bool) (step, error) {
	c.push()
	defer c.pop()
	v, err := c.pipeline(b.Pipe)
	if err != nil {
		return nil, err
	}
	c.push()
	list, err := c.list(b.List)
	c.pop()
	if err != nil {
		return nil, err
	}
	c.push()
	elseList, err := c.list(b.ElseList)
	c.pop()
	if err != nil {
		return nil, err
	}
	return func(x *run, dot reflect.Value) error {
		val, err := v(x, dot)
		if err != nil {
			return err
		}
		t, ok := isTrue(indirectInterface(val))
		if !ok {
			return errNotCompiled
		}
		if t {
			if with {
				return list(x, val)
			}
			return list(x, dot)
		}
		return elseList(x, dot)
	}, nil
}

func (c *compiler) rangeNode(n *parse.RangeNode) (step, error) {
	c.push()
	defer c.pop()
	// The pipeline's variables first hold the whole value, then each
	// turn's index and element (text/template's walkRange).
	v, err := c.pipeline(n.Pipe)
	if err != nil {
		return nil, err
	}
	var idxSlot, elemSlot = -1, -1
	if d := n.Pipe.Decl; len(d) > 0 {
		slots := make([]int, len(d))
		for i := range d {
			if slots[i], err = c.lookupVar(d[i].Ident[0]); err != nil {
				return nil, err
			}
		}
		if len(d) == 1 {
			elemSlot = slots[0]
		} else {
			idxSlot, elemSlot = slots[0], slots[1]
		}
	}
	c.push()
	body, err := c.list(n.List)
	c.pop()
	if err != nil {
		return nil, err
	}
	c.push()
	elseList, err := c.list(n.ElseList)
	c.pop()
	if err != nil {
		return nil, err
	}
	turn := func(x *run, i, elem reflect.Value) error {
		if elemSlot >= 0 {
			x.vars[x.base+elemSlot] = elem
		}
		if idxSlot >= 0 {
			x.vars[x.base+idxSlot] = i
		}
		err := body(x, elem)
		if err == errContinue {
			return nil
		}
		return err
	}
	return func(x *run, dot reflect.Value) error {
		val, err := v(x, dot)
		if err != nil {
			return err
		}
		val, _ = indirect(val)
		switch val.Kind() {
		case reflect.Array, reflect.Slice:
			for i := 0; i < val.Len(); i++ {
				if err := turn(x, reflect.ValueOf(i), val.Index(i)); err == errBreak {
					break
				} else if err != nil {
					return err
				}
			}
			if val.Len() > 0 {
				return nil
			}
		case reflect.Map:
			keys := val.MapKeys()
			switch val.Type().Key().Kind() {
			case reflect.String:
				sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
			case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
				sort.Slice(keys, func(i, j int) bool { return keys[i].Int() < keys[j].Int() })
			default:
				return errNotCompiled
			}
			for _, k := range keys {
				if err := turn(x, k, val.MapIndex(k)); err == errBreak {
					break
				} else if err != nil {
					return err
				}
			}
			if len(keys) > 0 {
				return nil
			}
		case reflect.Invalid:
		default:
			return errNotCompiled
		}
		return elseList(x, dot)
	}, nil
}

func (c *compiler) templateCall(n *parse.TemplateNode) (step, error) {
	v, err := c.pipeline(n.Pipe)
	if err != nil {
		return nil, err
	}
	if err := c.template(n.Name); err != nil {
		return nil, err
	}
	set, name := c.set, n.Name
	return func(x *run, dot reflect.Value) error {
		val, err := v(x, dot)
		if err != nil {
			return err
		}
		return x.call(set.progs[name], val)
	}, nil
}

func toAny(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	return v.Interface()
}

// printValue is text/template's: a string as it is, anything else as fmt
// prints it, "<no value>" for none.
func printValue(w *bytes.Buffer, v reflect.Value) error {
	if v.Kind() == reflect.String && v.Type() == reflect.TypeFor[string]() {
		w.WriteString(v.String())
		return nil
	}
	if v.Kind() == reflect.Pointer {
		v, _ = indirect(v)
	}
	if !v.IsValid() {
		w.WriteString("<no value>")
		return nil
	}
	if !v.Type().Implements(errorType) && !v.Type().Implements(fmtStringerType) {
		if v.CanAddr() && (reflect.PointerTo(v.Type()).Implements(errorType) || reflect.PointerTo(v.Type()).Implements(fmtStringerType)) {
			v = v.Addr()
		} else if k := v.Kind(); k == reflect.Chan || k == reflect.Func {
			return errNotCompiled
		}
	}
	fmt.Fprint(w, v.Interface())
	return nil
}
