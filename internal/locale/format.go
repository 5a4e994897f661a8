package locale

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Locale is one language's messages and formats. Its methods are safe on a nil *Locale (they
// print visible placeholders), so a template can never crash a page over a translation.
type Locale struct {
	Lang string
	msgs map[string]string
}

const (
	keyDate         = "date.format.date"
	keyShortDate    = "date.format.short_date"
	keyTime         = "date.format.time"
	keyDateTime     = "date.format.datetime"
	keyLongDateTime = "date.format.long"
	keyMonthYear    = "date.format.month_year"
)

func (l *Locale) lookup(key string) (string, bool) {
	if l == nil {
		return "", false
	}
	v, ok := l.msgs[key]
	return v, ok
}

// missing marks an untranslated key so it stands out on the page instead of vanishing.
func missing(key string) string {
	return "⟦" + key + "⟧"
}

// T returns the message for key, formatted with fmt.Sprintf when args are given. An unknown key
// comes back as "⟦key⟧".
func (l *Locale) T(key string, args ...any) string {
	v, ok := l.lookup(key)
	if !ok {
		return missing(key)
	}
	if len(args) == 0 {
		return v
	}
	return fmt.Sprintf(v, args...)
}

// Has reports whether the locale defines key exactly (a plural message is defined as key.one and
// key.other, not as key).
func (l *Locale) Has(key string) bool {
	_, ok := l.lookup(key)
	return ok
}

var pluralRules = map[string]func(n int) string{
	"other": func(int) string { return "other" },
	"one_other": func(n int) string {
		if n == 1 || n == -1 {
			return "one"
		}
		return "other"
	},
}

// N returns the plural form of key that suits n. The message receives n, formatted with Number, as
// its first argument, followed by args.
func (l *Locale) N(key string, n int, args ...any) string {
	form := "other"
	if rule, ok := pluralRules[l.raw("locale.plural_rule")]; ok {
		form = rule(n)
	}
	v, ok := l.lookup(key + "." + form)
	if !ok && form != "other" {
		form = "other"
		v, ok = l.lookup(key + "." + form)
	}
	if !ok {
		return missing(key + "." + form)
	}
	return fmt.Sprintf(v, append([]any{l.Number(int64(n))}, args...)...)
}

func (l *Locale) raw(key string) string {
	v, _ := l.lookup(key)
	return v
}

// Number writes n with the locale's thousands separator: 1.234.567 in Indonesian, 1,234,567 in
// English.
func (l *Locale) Number(n int64) string {
	var u uint64
	if n < 0 {
		// -(n+1)+1 keeps math.MinInt64 from overflowing.
		u = uint64(-(n + 1)) + 1
	} else {
		u = uint64(n)
	}
	digits := strconv.FormatUint(u, 10)
	sep := l.raw("number.group_separator")
	var b strings.Builder
	if n < 0 {
		b.WriteByte('-')
	}
	lead := len(digits) % 3
	if lead == 0 {
		lead = 3
	}
	b.WriteString(digits[:lead])
	for i := lead; i < len(digits); i += 3 {
		b.WriteString(sep)
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// Int is Number for an int, because templates pass ints and cannot convert them to int64.
func (l *Locale) Int(n int) string {
	return l.Number(int64(n))
}

// Date writes the day, month and year: "24 Juli 2024". Like every date method it shows t in its
// own location; converting to the site's zone is the caller's job.
func (l *Locale) Date(t time.Time) string { return l.formatTime(keyDate, t) }

// ShortDate writes the date with an abbreviated month: "24 Jul 2024".
func (l *Locale) ShortDate(t time.Time) string { return l.formatTime(keyShortDate, t) }

// Time writes the clock time and zone: "14.30 WIB" in Indonesian (PUEBI puts a dot between hours
// and minutes), "14:30 WIB" in English.
func (l *Locale) Time(t time.Time) string { return l.formatTime(keyTime, t) }

// DateTime writes the date, time and zone as comment timestamps show it: "24 Juli 2024 pukul
// 14.30 WIB".
func (l *Locale) DateTime(t time.Time) string { return l.formatTime(keyDateTime, t) }

// LongDateTime writes the weekday, date, time and zone, as an article header shows it:
// "Kamis, 16 Mei 2024 14.30 WIB".
func (l *Locale) LongDateTime(t time.Time) string { return l.formatTime(keyLongDateTime, t) }

// MonthYear names a month of a year, as date archives are titled: "Juli 2024".
func (l *Locale) MonthYear(t time.Time) string { return l.formatTime(keyMonthYear, t) }

// Month names a month: "Juli".
func (l *Locale) Month(m time.Month) string { return l.T("date.month." + strconv.Itoa(int(m))) }

// MonthShort abbreviates a month: "Agu".
func (l *Locale) MonthShort(m time.Month) string {
	return l.T("date.month_short." + strconv.Itoa(int(m)))
}

// Weekday names a day of the week: "Rabu".
func (l *Locale) Weekday(d time.Weekday) string { return l.T("date.weekday." + strconv.Itoa(int(d))) }

// HTMLLang is the value for <html lang>.
func (l *Locale) HTMLLang() string { return l.orLang("locale.html_lang") }

// OGLocale is the value for <meta property="og:locale">, such as "id_ID".
func (l *Locale) OGLocale() string { return l.orLang("locale.og_locale") }

// ISOLang is the BCP 47 tag with a region, such as "id-ID", for feeds and structured data.
func (l *Locale) ISOLang() string { return l.orLang("locale.iso") }

// Name is the language's own name, for a language picker: "Bahasa Indonesia".
func (l *Locale) Name() string { return l.orLang("locale.name") }

func (l *Locale) orLang(key string) string {
	if v, ok := l.lookup(key); ok {
		return v
	}
	if l == nil {
		return DefaultLang
	}
	return l.Lang
}

var timeTokens = map[string]bool{
	"day": true, "month": true, "month_short": true, "year": true,
	"weekday": true, "hour": true, "minute": true, "zone": true,
}

func (l *Locale) formatTime(key string, t time.Time) string {
	p, ok := l.lookup(key)
	if !ok {
		return missing(key)
	}
	var b strings.Builder
	scanPattern(p, func(lit, tok string) {
		b.WriteString(lit)
		switch tok {
		case "":
		case "day":
			b.WriteString(strconv.Itoa(t.Day()))
		case "month":
			b.WriteString(l.Month(t.Month()))
		case "month_short":
			b.WriteString(l.MonthShort(t.Month()))
		case "year":
			b.WriteString(strconv.Itoa(t.Year()))
		case "weekday":
			b.WriteString(l.Weekday(t.Weekday()))
		case "hour":
			b.WriteString(twoDigits(t.Hour()))
		case "minute":
			b.WriteString(twoDigits(t.Minute()))
		case "zone":
			b.WriteString(ZoneName(t))
		default:
			b.WriteString("{" + tok + "}")
		}
	})
	return b.String()
}

// scanPattern calls emit for each literal run and the placeholder that follows it ("" at the end).
// A "{" without a closing "}" is literal text.
func scanPattern(p string, emit func(lit, tok string)) {
	for {
		i := strings.IndexByte(p, '{')
		if i < 0 {
			emit(p, "")
			return
		}
		j := strings.IndexByte(p[i:], '}')
		if j < 0 {
			emit(p, "")
			return
		}
		emit(p[:i], p[i+1:i+j])
		p = p[i+j+1:]
	}
}

func unknownToken(p string) (string, bool) {
	var bad string
	found := false
	scanPattern(p, func(_, tok string) {
		if tok != "" && !timeTokens[tok] && !found {
			bad, found = tok, true
		}
	})
	return bad, found
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// indonesianZones name Indonesia's zones the way Indonesians do. The offset check keeps
// historical instants (Jakarta ran at +07:30 before 1964) from being labelled with today's name.
var indonesianZones = map[string]struct {
	abbr   string
	offset int
}{
	"Asia/Jakarta":       {"WIB", 7 * 3600},
	"Asia/Pontianak":     {"WIB", 7 * 3600},
	"Asia/Makassar":      {"WITA", 8 * 3600},
	"Asia/Ujung_Pandang": {"WITA", 8 * 3600},
	"Asia/Jayapura":      {"WIT", 9 * 3600},
}

// ZoneName is the abbreviation shown after a time: WIB, WITA or WIT for Indonesia's zones, Go's
// abbreviation where the zone database has a real one (CEST, BST), and "UTC+7" or "UTC+5:30"
// where it only has a number ("+07") or nothing at all.
func ZoneName(t time.Time) string {
	name, offset := t.Zone()
	if z, ok := indonesianZones[t.Location().String()]; ok && z.offset == offset {
		return z.abbr
	}
	if name != "" && !isNumericZone(name) {
		return name
	}
	return utcOffset(offset)
}

func isNumericZone(name string) bool {
	if name[0] != '+' && name[0] != '-' {
		return false
	}
	for _, c := range name[1:] {
		if (c < '0' || c > '9') && c != ':' {
			return false
		}
	}
	return true
}

func utcOffset(offset int) string {
	if offset == 0 {
		return "UTC"
	}
	sign := "+"
	if offset < 0 {
		sign, offset = "-", -offset
	}
	h, m := offset/3600, offset%3600/60
	if m == 0 {
		return "UTC" + sign + strconv.Itoa(h)
	}
	return "UTC" + sign + strconv.Itoa(h) + ":" + twoDigits(m)
}
