package locale

import (
	"math"
	"testing"
	"time"
	_ "time/tzdata" // the zone tests must not depend on the machine's zoneinfo
)

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("LoadLocation(%q): %v", name, err)
	}
	return loc
}

func TestDateFormats(t *testing.T) {
	b := mustLoad(t)
	id, en := b.Get("id"), b.Get("en")
	jakarta := zone(t, "Asia/Jakarta")
	ref := time.Date(2024, 7, 24, 7, 30, 0, 0, time.UTC).In(jakarta)    // Wednesday 14:30 WIB
	may := time.Date(2024, 5, 16, 7, 30, 0, 0, time.UTC).In(jakarta)    // Thursday 14:30 WIB
	newYear := time.Date(2024, 1, 5, 17, 5, 0, 0, time.UTC).In(jakarta) // Saturday 6 January 00:05 WIB
	august := time.Date(2023, 8, 17, 3, 0, 0, 0, time.UTC).In(jakarta)  // Thursday 10:00 WIB
	decUTC := time.Date(2025, 12, 31, 23, 59, 0, 0, time.UTC)           // no conversion: stays UTC
	makassar := time.Date(2024, 7, 24, 7, 30, 0, 0, time.UTC).In(zone(t, "Asia/Makassar"))
	jayapura := time.Date(2024, 7, 24, 7, 30, 0, 0, time.UTC).In(zone(t, "Asia/Jayapura"))

	type formatter func(*Locale, time.Time) string
	date, short, clock := (*Locale).Date, (*Locale).ShortDate, (*Locale).Time
	dateTime, long, monthYear := (*Locale).DateTime, (*Locale).LongDateTime, (*Locale).MonthYear

	tests := []struct {
		name string
		l    *Locale
		f    formatter
		t    time.Time
		want string
	}{
		{"id Date", id, date, ref, "24 Juli 2024"},
		{"en Date", en, date, ref, "24 July 2024"},
		{"id Date single-digit day", id, date, newYear, "6 Januari 2024"},
		{"en Date single-digit day", en, date, newYear, "6 January 2024"},
		{"id Date in UTC", id, date, decUTC, "31 Desember 2025"},
		{"id ShortDate", id, short, august, "17 Agu 2023"},
		{"en ShortDate", en, short, august, "17 Aug 2023"},
		{"id Time", id, clock, ref, "14.30 WIB"},
		{"en Time", en, clock, ref, "14:30 WIB"},
		{"id Time after midnight", id, clock, newYear, "00.05 WIB"},
		{"id Time UTC", id, clock, decUTC, "23.59 UTC"},
		{"id Time Makassar", id, clock, makassar, "15.30 WITA"},
		{"en Time Makassar", en, clock, makassar, "15:30 WITA"},
		{"id Time Jayapura", id, clock, jayapura, "16.30 WIT"},
		{"en Time Jayapura", en, clock, jayapura, "16:30 WIT"},
		{"id DateTime", id, dateTime, ref, "24 Juli 2024 pukul 14.30 WIB"},
		{"en DateTime", en, dateTime, ref, "24 July 2024 at 14:30 WIB"},
		{"id DateTime after midnight", id, dateTime, newYear, "6 Januari 2024 pukul 00.05 WIB"},
		{"id LongDateTime", id, long, ref, "Rabu, 24 Juli 2024 14.30 WIB"},
		{"en LongDateTime", en, long, ref, "Wednesday, 24 July 2024 14:30 WIB"},
		{"id LongDateTime May", id, long, may, "Kamis, 16 Mei 2024 14.30 WIB"},
		{"en LongDateTime May", en, long, may, "Thursday, 16 May 2024 14:30 WIB"},
		{"id LongDateTime Saturday", id, long, newYear, "Sabtu, 6 Januari 2024 00.05 WIB"},
		{"id LongDateTime Makassar", id, long, makassar, "Rabu, 24 Juli 2024 15.30 WITA"},
		{"id MonthYear", id, monthYear, ref, "Juli 2024"},
		{"en MonthYear", en, monthYear, ref, "July 2024"},
		{"id MonthYear August", id, monthYear, august, "Agustus 2023"},
	}
	for _, tt := range tests {
		if got := tt.f(tt.l, tt.t); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestZoneName(t *testing.T) {
	instant := time.Date(2024, 7, 24, 7, 30, 0, 0, time.UTC)
	tests := []struct {
		name string
		t    time.Time
		want string
	}{
		{"Jakarta", instant.In(zone(t, "Asia/Jakarta")), "WIB"},
		{"Pontianak", instant.In(zone(t, "Asia/Pontianak")), "WIB"},
		{"Makassar", instant.In(zone(t, "Asia/Makassar")), "WITA"},
		{"Jayapura", instant.In(zone(t, "Asia/Jayapura")), "WIT"},
		{"UTC", instant, "UTC"},
		{"real abbreviation", instant.In(zone(t, "Europe/London")), "BST"},
		{"numeric abbreviation", instant.In(zone(t, "America/Sao_Paulo")), "UTC-3"},
		{"numeric with minutes", instant.In(zone(t, "Asia/Kathmandu")), "UTC+5:45"},
		{"unnamed fixed zone", instant.In(time.FixedZone("", 7*3600)), "UTC+7"},
		{"negative half hour", instant.In(time.FixedZone("", -(9*3600 + 1800))), "UTC-9:30"},
		{"numeric fixed zone", instant.In(time.FixedZone("+07", 7*3600)), "UTC+7"},
		// Before 1964 Jakarta was not on +07, so it must not be called WIB.
		{"Jakarta in 1955", time.Date(1955, 1, 1, 0, 0, 0, 0, time.UTC).In(zone(t, "Asia/Jakarta")), "UTC+7:30"},
	}
	for _, tt := range tests {
		if got := ZoneName(tt.t); got != tt.want {
			t.Errorf("%s: ZoneName = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestNumber(t *testing.T) {
	b := mustLoad(t)
	id, en := b.Get("id"), b.Get("en")
	tests := []struct {
		n      int64
		id, en string
	}{
		{0, "0", "0"},
		{7, "7", "7"},
		{-7, "-7", "-7"},
		{999, "999", "999"},
		{-999, "-999", "-999"},
		{1000, "1.000", "1,000"},
		{-1000, "-1.000", "-1,000"},
		{1234, "1.234", "1,234"},
		{12345, "12.345", "12,345"},
		{123456, "123.456", "123,456"},
		{1234567, "1.234.567", "1,234,567"},
		{-1234567, "-1.234.567", "-1,234,567"},
		{math.MaxInt64, "9.223.372.036.854.775.807", "9,223,372,036,854,775,807"},
		{math.MinInt64, "-9.223.372.036.854.775.808", "-9,223,372,036,854,775,808"},
	}
	for _, tt := range tests {
		if got := id.Number(tt.n); got != tt.id {
			t.Errorf("id Number(%d) = %q, want %q", tt.n, got, tt.id)
		}
		if got := en.Number(tt.n); got != tt.en {
			t.Errorf("en Number(%d) = %q, want %q", tt.n, got, tt.en)
		}
	}
	if got := id.Int(1234); got != "1.234" {
		t.Errorf("id Int(1234) = %q", got)
	}
}

func TestMonthAndWeekday(t *testing.T) {
	b := mustLoad(t)
	id, en := b.Get("id"), b.Get("en")
	months := []struct {
		m             time.Month
		id, en        string
		idShort, enSh string
	}{
		{time.January, "Januari", "January", "Jan", "Jan"},
		{time.February, "Februari", "February", "Feb", "Feb"},
		{time.March, "Maret", "March", "Mar", "Mar"},
		{time.April, "April", "April", "Apr", "Apr"},
		{time.May, "Mei", "May", "Mei", "May"},
		{time.June, "Juni", "June", "Jun", "Jun"},
		{time.July, "Juli", "July", "Jul", "Jul"},
		{time.August, "Agustus", "August", "Agu", "Aug"},
		{time.September, "September", "September", "Sep", "Sep"},
		{time.October, "Oktober", "October", "Okt", "Oct"},
		{time.November, "November", "November", "Nov", "Nov"},
		{time.December, "Desember", "December", "Des", "Dec"},
		{time.Month(13), "⟦date.month.13⟧", "⟦date.month.13⟧", "⟦date.month_short.13⟧", "⟦date.month_short.13⟧"},
	}
	for _, tt := range months {
		if got := id.Month(tt.m); got != tt.id {
			t.Errorf("id Month(%d) = %q, want %q", tt.m, got, tt.id)
		}
		if got := en.Month(tt.m); got != tt.en {
			t.Errorf("en Month(%d) = %q, want %q", tt.m, got, tt.en)
		}
		if got := id.MonthShort(tt.m); got != tt.idShort {
			t.Errorf("id MonthShort(%d) = %q, want %q", tt.m, got, tt.idShort)
		}
		if got := en.MonthShort(tt.m); got != tt.enSh {
			t.Errorf("en MonthShort(%d) = %q, want %q", tt.m, got, tt.enSh)
		}
	}
	days := []struct {
		d      time.Weekday
		id, en string
	}{
		{time.Sunday, "Minggu", "Sunday"},
		{time.Monday, "Senin", "Monday"},
		{time.Tuesday, "Selasa", "Tuesday"},
		{time.Wednesday, "Rabu", "Wednesday"},
		{time.Thursday, "Kamis", "Thursday"},
		{time.Friday, "Jumat", "Friday"},
		{time.Saturday, "Sabtu", "Saturday"},
	}
	for _, tt := range days {
		if got := id.Weekday(tt.d); got != tt.id {
			t.Errorf("id Weekday(%d) = %q, want %q", tt.d, got, tt.id)
		}
		if got := en.Weekday(tt.d); got != tt.en {
			t.Errorf("en Weekday(%d) = %q, want %q", tt.d, got, tt.en)
		}
	}
}

func TestLanguageTags(t *testing.T) {
	b := mustLoad(t)
	tests := []struct {
		lang                         string
		html, og, iso, name, langFld string
	}{
		{"id", "id", "id_ID", "id-ID", "Bahasa Indonesia", "id"},
		{"en", "en", "en_US", "en-US", "English", "en"},
	}
	for _, tt := range tests {
		l := b.Get(tt.lang)
		if got := l.HTMLLang(); got != tt.html {
			t.Errorf("%s HTMLLang = %q, want %q", tt.lang, got, tt.html)
		}
		if got := l.OGLocale(); got != tt.og {
			t.Errorf("%s OGLocale = %q, want %q", tt.lang, got, tt.og)
		}
		if got := l.ISOLang(); got != tt.iso {
			t.Errorf("%s ISOLang = %q, want %q", tt.lang, got, tt.iso)
		}
		if got := l.Name(); got != tt.name {
			t.Errorf("%s Name = %q, want %q", tt.lang, got, tt.name)
		}
		if l.Lang != tt.langFld {
			t.Errorf("%s Lang = %q", tt.lang, l.Lang)
		}
	}
}

// TestDatePatternLiteralBraces covers patterns built without Load's checks: unknown and unclosed
// placeholders are printed as written rather than dropped.
func TestDatePatternLiteralBraces(t *testing.T) {
	l := &Locale{Lang: "t", msgs: map[string]string{
		keyDate: "{year}-{nope}-{day}",
		keyTime: "{hour}:{minute} {",
	}}
	at := time.Date(2024, 7, 4, 9, 5, 0, 0, time.UTC)
	tests := []struct {
		name, got, want string
	}{
		{"unknown placeholder", l.Date(at), "2024-{nope}-4"},
		{"unclosed brace", l.Time(at), "09:05 {"},
		{"no pattern", l.MonthYear(at), "⟦date.format.month_year⟧"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}
