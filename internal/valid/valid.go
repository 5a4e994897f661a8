// Package valid carries validation failures from domain rules to whoever
// shows them: the API names the field, a form puts the message beside it.
// Messages are locale keys, so each surface says them in its reader's
// language.
package valid

import (
	"errors"
	"strings"
)

// Error is one rejected field.
type Error struct {
	Field string // the input field's name, e.g. "title"
	Code  string // "required", "too_long", "invalid", "forbidden", "conflict"
	Key   string // locale key of the message
	Args  []any  // arguments for the message
}

func (e *Error) Error() string { return e.Field + ": " + e.Code }

// Errors is every rejected field of one input, in form order.
type Errors []*Error

func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return "invalid input: " + strings.Join(parts, ", ")
}

// Add records a failure.
func (es *Errors) Add(field, code, key string, args ...any) {
	*es = append(*es, &Error{Field: field, Code: code, Key: key, Args: args})
}

// Err returns nil when nothing failed, so callers can `return errs.Err()`.
func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// Field returns the failure for one field, or nil.
func (es Errors) Field(name string) *Error {
	for _, e := range es {
		if e.Field == name {
			return e
		}
	}
	return nil
}

// As extracts validation failures from err (a single Error counts as one).
func As(err error) (Errors, bool) {
	var es Errors
	if errors.As(err, &es) {
		return es, true
	}
	var e *Error
	if errors.As(err, &e) {
		return Errors{e}, true
	}
	return nil, false
}

// ErrForbidden is returned when the actor's role may not do what was asked.
var ErrForbidden = errors.New("forbidden")

// TwitterHandle normalises an X (Twitter) handle ("@Warta_ID" →
// "Warta_ID") and adds a field error unless it is one: 1 to 15 letters,
// digits or "_". "" stays "" (no handle).
func TwitterHandle(errs *Errors, field, h string) string {
	h = strings.TrimPrefix(strings.TrimSpace(h), "@")
	if h == "" {
		return ""
	}
	ok := len(h) <= 15
	for _, r := range h {
		ok = ok && (r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}
	if !ok {
		errs.Add(field, "invalid", "validation.twitter_handle", field)
	}
	return h
}
