package locale

import (
	"math"
	"strconv"
	"strings"
)

// Decimal writes f rounded to places decimals with the locale's separators: 0,63 and 1.234,5 in
// Indonesian, 0.63 and 1,234.5 in English.
func (l *Locale) Decimal(f float64, places int) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	places = max(0, places)
	s := strconv.FormatFloat(math.Abs(f), 'f', places, 64)
	whole, frac, _ := strings.Cut(s, ".")
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		// Beyond int64: digits without grouping beat a wrong number.
		return s
	}
	var b strings.Builder
	if f < 0 && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	b.WriteString(l.Number(n))
	if frac != "" {
		b.WriteString(l.raw("number.decimal_separator"))
		b.WriteString(frac)
	}
	return b.String()
}
