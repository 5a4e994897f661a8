package web

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"sync/atomic"
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

func unwrapEmptyInterface(v reflect.Value) reflect.Value {
	if v.Kind() == reflect.Interface && v.Type().NumMethod() == 0 {
		return reflect.ValueOf(v.Interface())
	}
	return v
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
