package auth_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"warta/internal/auth"
	"warta/internal/valid"
)

func TestCheckNewPassword(t *testing.T) {
	const email, site = "dewi.lestari@example.com", "Warta Nusantara"
	tests := []struct {
		pw   string
		code string // "" when accepted
	}{
		{"pendek", "too_short"},
		{"1234567", "too_short"},
		{strings.Repeat("x", auth.MaxPasswordLen+1), "too_long"},
		{"password", "common"},
		{"PASSWORD", "common"},
		{"Password123!", "common"},
		{"12345678", "common"},
		{"qwertyuiop", "common"},
		{"iloveyou", "common"},
		{"aaaaaaaaaa", "common"},
		// Indonesian ones, bare and dressed up.
		{"rahasia", "too_short"},
		{"rahasia1", "common"},
		{"sayangku", "common"},
		{"Sayang2024", "common"},
		{"bismillah", "common"},
		{"Bismillah123", "common"},
		{"indonesia", "common"},
		{"Indonesia2026!", "common"},
		{"katasandi", "common"},
		{"kata-sandi", "common"},
		{"Kata Sandi 123", "common"},
		{"2024alhamdulillah", "common"},
		{"merahputih17", "common"},
		// The account's email, its local part, a word of it.
		{"dewi.lestari@example.com", "personal"},
		{"x-Dewi.Lestari-9", "personal"},
		{"sandi-dewi-123", "personal"},
		{"LESTARI-pagi-ini", "personal"},
		// The site's name, as written or run together.
		{"Warta Nusantara 1", "site"},
		{"wartanusantara!", "site"},
		{"ini-warta-nusantara", "site"},
		// Accepted: long enough, not common, nothing of the account.
		{"rahasia-sekali", ""},
		{"kata-sandi-baru", ""},
		{"sandi-baru-456", ""},
		{"kopi tubruk di teras", ""},
		{"a-long-password", ""},
		{"dew1-kopi-pahit", ""}, // "dew1" is not a word of the address
		{"warta-pagi-hari", ""}, // a word of the site's name alone is no name
	}
	for _, tt := range tests {
		err := auth.CheckNewPassword(tt.pw, email, site)
		if tt.code == "" {
			if err != nil {
				t.Errorf("%q refused: %v", tt.pw, err)
			}
			continue
		}
		var ve *valid.Error
		if !errors.As(err, &ve) {
			t.Errorf("%q: got %v, want a *valid.Error %s", tt.pw, err, tt.code)
			continue
		}
		if ve.Field != "password" || ve.Code != tt.code || ve.Key != "validation.password_"+map[string]string{
			"too_short": "too_short", "too_long": "too_long", "common": "common", "personal": "email", "site": "site"}[tt.code] {
			t.Errorf("%q: got %s %s %s, want password %s", tt.pw, ve.Field, ve.Code, ve.Key, tt.code)
		}
	}
	if err := auth.CheckNewPassword("pendek", "", ""); fmt.Sprint(err.(*valid.Error).Args) != "[8]" {
		t.Errorf("too short carries %v, want the minimum", err.(*valid.Error).Args)
	}
	// A short local part or site name is not looked for in passwords.
	if err := auth.CheckNewPassword("kabar-baik-ya", "ab@example.com", "ID"); err != nil {
		t.Errorf("short address or site name: %v", err)
	}
}

// The list has a few thousand entries, the Indonesian ones among them.
func TestCommonPasswordList(t *testing.T) {
	if n := auth.CommonPasswords(); n < 3000 || n > 10000 {
		t.Errorf("%d common passwords", n)
	}
	for _, pw := range []string{"rahasia", "sayang", "bismillah", "indonesia", "katasandi", "password"} {
		var ve *valid.Error
		if err := auth.CheckNewPassword(pw+"2026", "", ""); !errors.As(err, &ve) || ve.Code != "common" {
			t.Errorf("%q+2026: %v", pw, err)
		}
	}
	for _, pw := range []string{"sayangkamu", "bismillah", "indonesia", "katasandi", "password", "12345678"} {
		var ve *valid.Error
		if err := auth.CheckNewPassword(pw, "", ""); !errors.As(err, &ve) || ve.Code != "common" {
			t.Errorf("%q: %v", pw, err)
		}
	}
}
