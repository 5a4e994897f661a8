// Package locale holds every string that a reader or an editor sees, and formats dates and numbers
// the way each language writes them.
//
// Translations live in translations/<lang>.json: one flat JSON object of string values under dotted
// keys ("comment.form.heading"). Plural messages use the suffixes ".one" and ".other"; the rule that
// picks between them is the locale's "locale.plural_rule" ("other" always picks .other, as
// Indonesian does; "one_other" picks .one when |n| == 1, as English does).
//
// Values are fmt format strings: they are passed through fmt.Sprintf whenever arguments are given,
// so a literal percent sign is written "%%". Every locale must translate a key with the same
// arguments in the same order (a test checks this); a translator who needs another word order uses
// explicit indexes such as "%[2]s".
//
// Month and weekday names, the number separators and the date patterns are keys too, so a new
// language is a new JSON file and nothing else. Date patterns use {day}, {month}, {month_short},
// {year}, {weekday}, {hour}, {minute} and {zone}.
package locale

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// DefaultLang is the language used when a requested one is unknown. Every bundle must have it.
const DefaultLang = "id"

//go:embed translations/*.json
var embedded embed.FS

// Bundle is the set of loaded locales. It is never changed after it is built, so one Bundle may be
// shared by every request.
type Bundle struct {
	langs   []string // DefaultLang first, then the others sorted
	locales map[string]*Locale
}

// Load parses the translations compiled into the binary.
func Load() (*Bundle, error) {
	sub, err := fs.Sub(embedded, "translations")
	if err != nil {
		return nil, fmt.Errorf("locale: %w", err)
	}
	return LoadFS(sub)
}

// LoadFS parses every <lang>.json at the root of fsys. Each file must be complete enough to format
// dates and numbers, and the default language must be present. To lay a theme's partial
// translations over a full set, use Overlay instead.
func LoadFS(fsys fs.FS) (*Bundle, error) {
	files, err := readDir(fsys)
	if err != nil {
		return nil, err
	}
	if _, ok := files[DefaultLang]; !ok {
		return nil, fmt.Errorf("locale: no %s.json (the default language)", DefaultLang)
	}
	return build(files)
}

// Overlay returns a new bundle in which the <lang>.json files at the root of fsys replace or add
// keys of the matching locale, and add whole locales that b lacks. b itself is unchanged. This is
// how a theme folder adjusts wording without copying every key.
func (b *Bundle) Overlay(fsys fs.FS) (*Bundle, error) {
	over, err := readDir(fsys)
	if err != nil {
		return nil, err
	}
	files := make(map[string]map[string]string, len(b.locales)+len(over))
	for lang, l := range b.locales {
		m := make(map[string]string, len(l.msgs))
		for k, v := range l.msgs {
			m[k] = v
		}
		files[lang] = m
	}
	for lang, m := range over {
		dst, ok := files[lang]
		if !ok {
			dst = make(map[string]string, len(m))
			files[lang] = dst
		}
		for k, v := range m {
			dst[k] = v
		}
	}
	return build(files)
}

// Langs lists the available languages, the default first.
func (b *Bundle) Langs() []string {
	return slices.Clone(b.langs)
}

// Get returns the locale for lang. It accepts "en", "EN" and "en-US" alike, and falls back to the
// default language for anything it does not know, so callers never get nil.
func (b *Bundle) Get(lang string) *Locale {
	if l, ok := b.locales[lang]; ok {
		return l
	}
	norm := strings.ToLower(strings.TrimSpace(lang))
	if l, ok := b.locales[norm]; ok {
		return l
	}
	if i := strings.IndexAny(norm, "-_"); i > 0 {
		if l, ok := b.locales[norm[:i]]; ok {
			return l
		}
	}
	return b.locales[DefaultLang]
}

func build(files map[string]map[string]string) (*Bundle, error) {
	b := &Bundle{locales: make(map[string]*Locale, len(files))}
	for lang, msgs := range files {
		if err := validate(msgs); err != nil {
			return nil, fmt.Errorf("locale: %s.json: %w", lang, err)
		}
		b.locales[lang] = &Locale{Lang: lang, msgs: msgs}
		if lang != DefaultLang {
			b.langs = append(b.langs, lang)
		}
	}
	slices.Sort(b.langs)
	b.langs = append([]string{DefaultLang}, b.langs...)
	return b, nil
}

// requiredKeys are the keys the formatting methods read; without them a locale would print
// placeholders instead of dates, so loading refuses it.
var requiredKeys = func() []string {
	keys := []string{
		"locale.name", "locale.html_lang", "locale.og_locale", "locale.iso", "locale.plural_rule",
		"number.group_separator", "number.decimal_separator",
	}
	keys = append(keys, datePatternKeys...)
	for m := 1; m <= 12; m++ {
		keys = append(keys, "date.month."+strconv.Itoa(m), "date.month_short."+strconv.Itoa(m))
	}
	for d := 0; d <= 6; d++ {
		keys = append(keys, "date.weekday."+strconv.Itoa(d))
	}
	return keys
}()

var datePatternKeys = []string{
	keyDate, keyShortDate, keyTime, keyDateTime, keyLongDateTime, keyMonthYear,
}

func validate(msgs map[string]string) error {
	var missing []string
	for _, k := range requiredKeys {
		if _, ok := msgs[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing required keys: %s", strings.Join(missing, ", "))
	}
	if _, ok := pluralRules[msgs["locale.plural_rule"]]; !ok {
		return fmt.Errorf("locale.plural_rule %q is not one of \"other\", \"one_other\"", msgs["locale.plural_rule"])
	}
	for _, k := range datePatternKeys {
		if tok, ok := unknownToken(msgs[k]); ok {
			return fmt.Errorf("%s: unknown placeholder {%s}", k, tok)
		}
	}
	return nil
}

func readDir(fsys fs.FS) (map[string]map[string]string, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, fmt.Errorf("locale: %w", err)
	}
	files := make(map[string]map[string]string, len(names))
	for _, name := range names {
		lang := strings.ToLower(strings.TrimSuffix(path.Base(name), ".json"))
		if lang == "" || strings.ContainsAny(lang, ". ") {
			return nil, fmt.Errorf("locale: %s: file name is not a language code", name)
		}
		if _, dup := files[lang]; dup {
			return nil, fmt.Errorf("locale: %s: language %q appears twice", name, lang)
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("locale: %w", err)
		}
		msgs, err := parseFlat(data)
		if err != nil {
			return nil, fmt.Errorf("locale: %s: %w", name, err)
		}
		files[lang] = msgs
	}
	return files, nil
}

// parseFlat reads one flat object of strings. It walks tokens instead of unmarshalling into a map
// because a map would silently keep the last of two equal keys, and with several engineers adding
// keys to the same file a duplicate is almost always a mistake.
func parseFlat(data []byte) (map[string]string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	fail := func(err error) (map[string]string, error) {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return nil, fmt.Errorf("line %d: %w", 1+bytes.Count(data[:min(int(syn.Offset), len(data))], []byte("\n")), err)
		}
		if errors.Is(err, io.EOF) {
			return nil, errors.New("unexpected end of JSON")
		}
		return nil, err
	}
	tok, err := dec.Token()
	if err != nil {
		return fail(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("want one JSON object of strings")
	}
	msgs := map[string]string{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fail(err)
		}
		key := tok.(string) // inside an object the decoder only yields string keys
		tok, err = dec.Token()
		if err != nil {
			return fail(err)
		}
		val, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("key %q: value must be a string (keys are flat and dotted, not nested)", key)
		}
		if key == "" {
			return nil, errors.New("empty key")
		}
		if _, dup := msgs[key]; dup {
			return nil, fmt.Errorf("key %q appears twice", key)
		}
		msgs[key] = val
	}
	if _, err := dec.Token(); err != nil {
		return fail(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the closing brace")
	}
	return msgs, nil
}
