package slug

import (
	"context"
	"strings"
	"testing"
)

func TestMake(t *testing.T) {
	for in, want := range map[string]string{
		"Kos Murah di Hongkong: Pekerja Migran Berbagi Kamar": "kos-murah-di-hongkong-pekerja-migran-berbagi-kamar",
		"  Café “Kopi” Ëxpress!!  ":                           "cafe-kopi-express",
		"2024 — Tahun Politik":                                "2024-tahun-politik",
		"***":                                                 "",
		"ｗａｒｔａ":                                               "warta",
	} {
		if got := Make(in); got != want {
			t.Errorf("Make(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Make(strings.Repeat("panjang ", 40)); len(got) > MaxLen || strings.HasSuffix(got, "-") {
		t.Errorf("long slug %q (%d)", got, len(got))
	}
}

func TestUnique(t *testing.T) {
	used := map[string]bool{"berita": true, "berita-2": true}
	got, err := Unique(context.Background(), "berita", func(_ context.Context, s string) (bool, error) { return used[s], nil })
	if err != nil || got != "berita-3" {
		t.Fatalf("Unique = %q, %v", got, err)
	}
}
