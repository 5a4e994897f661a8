package web

// The compiler of exec.go: escaped template trees to Go closures.

import (
	"fmt"
	"html/template"
	"reflect"
	"sort"
	"strings"
	"text/template/parse"
)

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

func (c *compiler) pop() { c.scopes = c.scopes[:len(c.scopes)-1] }

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

// branches compiles a control structure's two lists, each in a scope of
// its own.
func (c *compiler) branches(list, elseList *parse.ListNode) (step, step, error) {
	var steps [2]step
	for i, l := range []*parse.ListNode{list, elseList} {
		c.push()
		s, err := c.list(l)
		c.pop()
		if err != nil {
			return nil, nil, err
		}
		steps[i] = s
	}
	return steps[0], steps[1], nil
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
	list, elseList, err := c.branches(b.List, b.ElseList)
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
	body, elseList, err := c.branches(n.List, n.ElseList)
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
