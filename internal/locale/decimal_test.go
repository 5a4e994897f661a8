package locale

import (
	"math"
	"testing"
)

func TestDecimal(t *testing.T) {
	b := mustLoad(t)
	tests := []struct {
		lang   string
		f      float64
		places int
		want   string
	}{
		{"id", 0, 2, "0,00"},
		{"en", 0, 2, "0.00"},
		{"id", 0.625, 2, "0,62"},
		{"id", 0.636, 2, "0,64"},
		{"en", 0.636, 2, "0.64"},
		{"id", 1234.5, 1, "1.234,5"},
		{"en", 1234.5, 1, "1,234.5"},
		{"id", 1234567, 0, "1.234.567"},
		{"id", -3.25, 2, "-3,25"},
		{"id", -0.001, 2, "0,00"},
		{"id", 2, -1, "2"},
		{"id", math.NaN(), 2, "NaN"},
	}
	for _, tt := range tests {
		if got := b.Get(tt.lang).Decimal(tt.f, tt.places); got != tt.want {
			t.Errorf("%s Decimal(%v, %d) = %q, want %q", tt.lang, tt.f, tt.places, got, tt.want)
		}
	}
}
