package admin

import (
	"strconv"
	"strings"

	"warta/internal/comment/spam"
	"warta/internal/locale"
)

// reasonNotes says a comment's stored filter reasons in the moderator's
// language, one note a reason. Notes stored before reasons were encoded
// (English prose) are shown as they are, and so is a reason this version
// cannot say (a key it lacks, arguments that do not fit).
func reasonNotes(l *locale.Locale, stored string) []string {
	if stored == "" {
		return nil
	}
	rs, ok := spam.ParseReasons(stored)
	if !ok {
		return []string{stored}
	}
	notes := make([]string, 0, len(rs))
	for _, r := range rs {
		notes = append(notes, reasonNote(l, r))
	}
	return notes
}

func reasonNote(l *locale.Locale, r spam.Reason) string {
	args := make([]any, len(r.Args))
	for i, a := range r.Args {
		switch a.Kind {
		case spam.Number:
			args[i] = number(l, a.Value)
		case spam.Key:
			if l.Has(a.Value) {
				args[i] = l.T(a.Value)
			} else {
				args[i] = a.Value[strings.LastIndexByte(a.Value, '.')+1:]
			}
		default:
			args[i] = a.Value
		}
	}
	var note string
	switch {
	case l.Has(r.Key):
		note = l.T(r.Key, args...)
	case l.Has(r.Key+".other") && len(r.Args) > 0 && r.Args[0].Kind == spam.Number:
		n, err := strconv.Atoi(r.Args[0].Value)
		if err != nil {
			return r.String()
		}
		note = l.N(r.Key, n, args[1:]...)
	default:
		return r.String()
	}
	if strings.Contains(note, "%!") {
		// fmt's mark of a missing or extra argument: the message does not
		// fit these arguments.
		return r.String()
	}
	return note
}

// number writes a stored number ("12", "0.63") as the locale writes it.
func number(l *locale.Locale, v string) string {
	if whole, frac, ok := strings.Cut(v, "."); ok {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || whole == "" {
			return v
		}
		return l.Decimal(f, len(frac))
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return v
	}
	return l.Number(n)
}
