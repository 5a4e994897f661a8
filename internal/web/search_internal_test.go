package web

import "testing"

func TestHeadingQuery(t *testing.T) {
	tests := []struct{ in, want string }{
		{`harga pasar`, `harga pasar`},
		{`"harga pasar"`, `harga pasar`},
		{`“harga pasar”`, `harga pasar`},
		{`beras "harga pasar"`, `beras ‘harga pasar’`},
		{`"harga pasar" -politik`, `‘harga pasar’ -politik`},
		{`"harga" "pasar"`, `‘harga’ ‘pasar’`},
		{`-"dua kata"`, `-‘dua kata’`},
		{`harga "pasar`, `harga ‘pasar’`},
		{`"harga pasar`, `harga pasar`},
		{`"`, ``},
		{`jum'at`, `jum'at`},
	}
	for _, tt := range tests {
		if got := headingQuery(tt.in); got != tt.want {
			t.Errorf("headingQuery(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
