package spam

import (
	"net/url"
	"strconv"
	"strings"
)

// Reason is one note on how a comment was judged, in a form no language owns: a locale key
// ("spam.reason.links") and its arguments. The newsroom says it in each moderator's language; the
// database and the JSON API keep it encoded (EncodeReasons), so a note written today reads right in
// any language later.
type Reason struct {
	Key  string
	Args []Arg
}

// Arg is one argument of a Reason.
type Arg struct {
	Kind ArgKind
	// Value is, for a Number, digits with an optional "." and fraction ("12", "0.63"); for a Key, a
	// locale key; for Text, the text as written.
	Value string
}

// ArgKind says how an argument is shown.
type ArgKind byte

const (
	// Text is shown as written: a blocklist entry, matched phrases.
	Text ArgKind = iota
	// Number is shown with the reader's separators (0,63 in Indonesian).
	Number
	// Key is a locale key, shown translated: a vocabulary category.
	Key
)

// ReasonPrefix starts every reason's key; stored notes without it predate the encoding.
const ReasonPrefix = "spam.reason."

// NewReason builds a reason; key is the part after ReasonPrefix.
func NewReason(key string, args ...Arg) Reason {
	return Reason{Key: ReasonPrefix + key, Args: args}
}

// TextArg is an argument shown as written.
func TextArg(s string) Arg { return Arg{Kind: Text, Value: s} }

// IntArg is a whole number.
func IntArg(n int) Arg { return Arg{Kind: Number, Value: strconv.Itoa(n)} }

// DecimalArg is f with places decimals.
func DecimalArg(f float64, places int) Arg {
	return Arg{Kind: Number, Value: strconv.FormatFloat(f, 'f', places, 64)}
}

// KeyArg is a locale key, shown translated.
func KeyArg(key string) Arg { return Arg{Kind: Key, Value: key} }

// The encoding: one reason a line, its key and then each argument after a "|". A number argument
// starts with "#", a key argument with "@"; text is written as it is, except that "%", "|" and line
// breaks, and a leading "#" or "@", are percent-escaped. For example
//
//	spam.reason.classifier|#0.63
//	spam.reason.vocabulary|@spam.category.judol|slot gacor, maxwin
//	spam.reason.moderation_list|harga 100%25
var textEscaper = strings.NewReplacer("%", "%25", "|", "%7C", "\n", "%0A", "\r", "%0D")

// String is the reason's encoded line.
func (r Reason) String() string {
	var b strings.Builder
	b.WriteString(r.Key)
	for _, a := range r.Args {
		b.WriteByte('|')
		switch a.Kind {
		case Number:
			b.WriteByte('#')
			b.WriteString(a.Value)
		case Key:
			b.WriteByte('@')
			b.WriteString(a.Value)
		default:
			v := textEscaper.Replace(a.Value)
			if strings.HasPrefix(v, "#") {
				v = "%23" + v[1:]
			} else if strings.HasPrefix(v, "@") {
				v = "%40" + v[1:]
			}
			b.WriteString(v)
		}
	}
	return b.String()
}

// EncodeReasons writes reasons for storage, one a line.
func EncodeReasons(rs []Reason) string {
	lines := make([]string, len(rs))
	for i, r := range rs {
		lines[i] = r.String()
	}
	return strings.Join(lines, "\n")
}

// ParseReasons reads what EncodeReasons wrote. It reports false for anything else, such as the
// English notes stored before reasons were encoded, which a caller shows as they are.
func ParseReasons(s string) ([]Reason, bool) {
	if s == "" {
		return nil, true
	}
	var out []Reason
	for _, line := range strings.Split(s, "\n") {
		parts := strings.Split(line, "|")
		if !strings.HasPrefix(parts[0], ReasonPrefix) || !isKey(parts[0]) {
			return nil, false
		}
		r := Reason{Key: parts[0]}
		for _, p := range parts[1:] {
			var a Arg
			switch {
			case strings.HasPrefix(p, "#"):
				a = Arg{Kind: Number, Value: p[1:]}
				if !isNumber(a.Value) {
					return nil, false
				}
			case strings.HasPrefix(p, "@"):
				a = Arg{Kind: Key, Value: p[1:]}
				if !isKey(a.Value) {
					return nil, false
				}
			default:
				v, err := url.PathUnescape(p)
				if err != nil {
					return nil, false
				}
				a = Arg{Kind: Text, Value: v}
			}
			r.Args = append(r.Args, a)
		}
		out = append(out, r)
	}
	return out, true
}

// isKey accepts dotted lowercase keys such as spam.category.judol.
func isKey(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_') {
			return false
		}
	}
	return true
}

// isNumber accepts digits with an optional minus sign and one "." between digits.
func isNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	whole, frac, dot := strings.Cut(s, ".")
	digits := func(t string) bool {
		if t == "" {
			return false
		}
		for _, c := range []byte(t) {
			if c < '0' || c > '9' {
				return false
			}
		}
		return true
	}
	return digits(whole) && (!dot || digits(frac))
}
