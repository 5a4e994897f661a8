package locale

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

func mustLoad(t *testing.T) *Bundle {
	t.Helper()
	b, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return b
}

func TestLoadEmbedded(t *testing.T) {
	b := mustLoad(t)
	if got, want := b.Langs(), []string{"id", "en"}; !slices.Equal(got, want) {
		t.Errorf("Langs() = %v, want %v", got, want)
	}
	// Langs hands out a copy: changing it must not change the bundle.
	b.Langs()[0] = "xx"
	if b.Langs()[0] != "id" {
		t.Error("Langs() exposes the bundle's own slice")
	}
}

func TestNoMissingKeys(t *testing.T) {
	b := mustLoad(t)
	if missing := b.Missing(); len(missing) > 0 {
		t.Errorf("keys missing from a locale:\n  %s", strings.Join(missing, "\n  "))
	}
}

// TestFormatArgsMatch keeps fmt arguments lining up: a caller passes the same arguments whatever
// the language, so every translation of a key must consume them alike.
func TestFormatArgsMatch(t *testing.T) {
	b := mustLoad(t)
	def := b.Get(DefaultLang)
	for _, lang := range b.Langs() {
		l := b.Get(lang)
		for key, val := range l.msgs {
			got, err := argVerbs(val)
			if err != nil {
				t.Errorf("%s: %s: %v in %q", lang, key, err, val)
				continue
			}
			ref, ok := def.msgs[key]
			if !ok || lang == DefaultLang {
				continue
			}
			want, err := argVerbs(ref)
			if err != nil {
				continue // reported in the default language's own pass
			}
			if !maps.Equal(got, want) {
				t.Errorf("%s: %s takes %s, but %s takes %s", lang, key, describe(got), DefaultLang, describe(want))
			}
		}
	}
}

func TestPluralFormsComplete(t *testing.T) {
	b := mustLoad(t)
	for _, lang := range b.Langs() {
		l := b.Get(lang)
		seen := map[string]bool{}
		for key := range l.msgs {
			base, ok := strings.CutSuffix(key, ".one")
			if !ok {
				base, ok = strings.CutSuffix(key, ".other")
			}
			if !ok || seen[base] {
				continue
			}
			seen[base] = true
			one, hasOne := l.msgs[base+".one"]
			other, hasOther := l.msgs[base+".other"]
			if !hasOne || !hasOther {
				t.Errorf("%s: %s needs both .one and .other", lang, base)
				continue
			}
			a, errA := argVerbs(one)
			o, errO := argVerbs(other)
			if errA == nil && errO == nil && !maps.Equal(a, o) {
				t.Errorf("%s: %s.one takes %s but .other takes %s", lang, base, describe(a), describe(o))
			}
			if v := a[0]; errA == nil && v != 's' {
				t.Errorf("%s: %s.one must take the formatted number as its first %%s, takes %s", lang, base, describe(a))
			}
		}
	}
}

// TestReferenceTexts pins the wording the reference comment page is checked against.
func TestReferenceTexts(t *testing.T) {
	b := mustLoad(t)
	id, en := b.Get("id"), b.Get("en")
	tests := []struct {
		key, id, en string
	}{
		{"comment.form.heading", "Tinggalkan Balasan", "Leave a Reply"},
		{"comment.form.reply_heading", "Tinggalkan Balasan ke %s", "Leave a Reply to %s"},
		{"comment.form.cancel_reply", "Batalkan balasan", "Cancel reply"},
		{"comment.form.notes", "Alamat email Anda tidak akan dipublikasikan. Ruas yang wajib ditandai *", "Your email address will not be published. Required fields are marked *"},
		{"comment.form.body", "Komentar", "Comment"},
		{"comment.form.name", "Nama", "Name"},
		{"comment.form.email", "Email", "Email"},
		{"comment.form.url", "Situs Web", "Website"},
		{"comment.form.consent", "Simpan nama, email, dan situs web saya pada peramban ini untuk komentar saya berikutnya.", "Save my name, email, and website in this browser for the next time I comment."},
		{"comment.form.submit", "Kirim Komentar", "Post Comment"},
		{"comment.awaiting", "Komentar Anda sedang menunggu moderasi.", "Your comment is awaiting moderation."},
		{"comment.error.too_fast", "Anda mengirim komentar terlalu cepat. Tunggu sebentar, lalu coba lagi.", "You are posting comments too quickly. Slow down."},
		{"comment.reply", "Balas", "Reply"},
		{"comment.closed", "Komentar ditutup.", "Comments are closed."},
		{"nav.home", "Beranda", "Home"},
		{"nav.search", "Cari", "Search"},
		{"pagination.page", "Halaman %s dari %s", "Page %s of %s"},
		{"article.by", "Oleh %s", "By %s"},
		{"article.updated", "Diperbarui", "Updated"},
		{"article.tags", "Tag", "Tags"},
		{"article.read_more", "Baca selengkapnya", "Read more"},
		{"category.heading", "Kategori: %s", "Category: %s"},
		{"tag.heading", "Tag: %s", "Tag: %s"},
		{"author.heading", "Tulisan dari %s", "Stories by %s"},
		{"archive.heading", "Arsip %s", "Archive: %s"},
		{"home.latest", "Berita Terbaru", "Latest News"},
		{"footer.powered", "Dibuat dengan Warta", "Made with Warta"},
		{"skip_to_content", "Langsung ke konten", "Skip to content"},
		{"menu", "Menu", "Menu"},
		{"error.404.title", "Halaman tidak ditemukan", "Page not found"},
		{"validation.required", "%s wajib diisi", "%s is required"},
	}
	for _, tt := range tests {
		if got := id.T(tt.key); got != tt.id {
			t.Errorf("id %s = %q, want %q", tt.key, got, tt.id)
		}
		if got := en.T(tt.key); got != tt.en {
			t.Errorf("en %s = %q, want %q", tt.key, got, tt.en)
		}
	}
}

func TestT(t *testing.T) {
	b := mustLoad(t)
	tests := []struct {
		lang, key string
		args      []any
		want      string
	}{
		{"id", "comment.form.reply_heading", []any{"Budi"}, "Tinggalkan Balasan ke Budi"},
		{"en", "comment.form.reply_heading", []any{"Budi"}, "Leave a Reply to Budi"},
		{"id", "pagination.page", []any{"2", "10"}, "Halaman 2 dari 10"},
		{"id", "validation.required", []any{"Judul"}, "Judul wajib diisi"},
		{"id", "no.such.key", nil, "⟦no.such.key⟧"},
		{"en", "no.such.key", []any{"ignored"}, "⟦no.such.key⟧"},
		// Unknown languages, in any spelling, fall back to Indonesian; regional tags find their language.
		{"fr", "nav.home", nil, "Beranda"},
		{"", "nav.home", nil, "Beranda"},
		{"en-US", "nav.home", nil, "Home"},
		{"EN", "nav.home", nil, "Home"},
		{"en_GB", "nav.home", nil, "Home"},
	}
	for _, tt := range tests {
		if got := b.Get(tt.lang).T(tt.key, tt.args...); got != tt.want {
			t.Errorf("Get(%q).T(%q, %v) = %q, want %q", tt.lang, tt.key, tt.args, got, tt.want)
		}
	}
	if got := b.Get("xx").Lang; got != "id" {
		t.Errorf("Get(xx).Lang = %q, want id", got)
	}
}

func TestNilLocaleDoesNotPanic(t *testing.T) {
	var l *Locale
	if got := l.T("nav.home"); got != "⟦nav.home⟧" {
		t.Errorf("nil T = %q", got)
	}
	if l.Has("nav.home") {
		t.Error("nil Has = true")
	}
	if got := l.N("comment.count", 3); got != "⟦comment.count.other⟧" {
		t.Errorf("nil N = %q", got)
	}
	if got := l.HTMLLang(); got != DefaultLang {
		t.Errorf("nil HTMLLang = %q", got)
	}
}

func TestHas(t *testing.T) {
	l := mustLoad(t).Get("en")
	tests := []struct {
		key  string
		want bool
	}{
		{"nav.home", true},
		{"comment.count.one", true},
		{"comment.count", false},
		{"nav", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := l.Has(tt.key); got != tt.want {
			t.Errorf("Has(%q) = %v, want %v", tt.key, got, tt.want)
		}
	}
}

func TestN(t *testing.T) {
	b := mustLoad(t)
	tests := []struct {
		lang, key string
		n         int
		args      []any
		want      string
	}{
		{"id", "comment.count", 0, nil, "0 komentar"},
		{"id", "comment.count", 1, nil, "1 komentar"},
		{"id", "comment.count", 1234, nil, "1.234 komentar"},
		{"en", "comment.count", 0, nil, "0 comments"},
		{"en", "comment.count", 1, nil, "1 comment"},
		{"en", "comment.count", 2, nil, "2 comments"},
		{"en", "comment.count", 1234, nil, "1,234 comments"},
		{"en", "search.results", 1, nil, "1 result"},
		{"id", "search.results", 1500000, nil, "1.500.000 hasil"},
		{"en", "article.views", 1, nil, "Read 1 time"},
		{"id", "no.such", 2, nil, "⟦no.such.other⟧"},
		{"en", "no.such", 1, nil, "⟦no.such.other⟧"},
	}
	for _, tt := range tests {
		if got := b.Get(tt.lang).N(tt.key, tt.n, tt.args...); got != tt.want {
			t.Errorf("%s N(%q, %d) = %q, want %q", tt.lang, tt.key, tt.n, got, tt.want)
		}
	}
}

// TestNExtraArgs checks that arguments after the count reach the message in order.
func TestNExtraArgs(t *testing.T) {
	fsys := fstest.MapFS{"id.json": {Data: minimalLocale(`"x.one": "%s item di %s", "x.other": "%s item di %s"`)}}
	b, err := LoadFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := b.Get("id").N("x", 3000, "rak"), "3.000 item di rak"; got != want {
		t.Errorf("N = %q, want %q", got, want)
	}
}

func TestMissingReportsBothDirections(t *testing.T) {
	fsys := fstest.MapFS{
		"id.json": {Data: minimalLocale(`"a": "A", "only.id": "x"`)},
		"en.json": {Data: minimalLocale(`"a": "A", "only.en": "y", "also.en": "z"`)},
	}
	b, err := LoadFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"en: only.id", "id: also.en", "id: only.en"}
	if got := b.Missing(); !slices.Equal(got, want) {
		t.Errorf("Missing() = %q, want %q", got, want)
	}
}

func TestLoadFSErrors(t *testing.T) {
	tests := []struct {
		name    string
		fsys    fstest.MapFS
		wantErr string
	}{
		{"invalid JSON", fstest.MapFS{"id.json": {Data: []byte("{\n\"a\": \"b\",\n}")}}, "id.json: line 3"},
		{"invalid JSON in second file", fstest.MapFS{
			"id.json": {Data: minimalLocale("")},
			"en.json": {Data: []byte(`{"a": "b"`)},
		}, "en.json"},
		{"nested object", fstest.MapFS{"id.json": {Data: []byte(`{"a": {"b": "c"}}`)}}, `key "a": value must be a string`},
		{"number value", fstest.MapFS{"id.json": {Data: []byte(`{"a": 1}`)}}, `key "a": value must be a string`},
		{"array", fstest.MapFS{"id.json": {Data: []byte(`["a"]`)}}, "one JSON object"},
		{"duplicate key", fstest.MapFS{"id.json": {Data: minimalLocale(`"a": "x", "a": "y"`)}}, `"a" appears twice`},
		{"empty key", fstest.MapFS{"id.json": {Data: []byte(`{"": "x"}`)}}, "empty key"},
		{"trailing data", fstest.MapFS{"id.json": {Data: []byte(`{"a": "x"} {}`)}}, "after the closing brace"},
		{"empty file", fstest.MapFS{"id.json": {Data: nil}}, "unexpected end"},
		{"no default language", fstest.MapFS{"en.json": {Data: minimalLocale("")}}, "no id.json"},
		{"required key missing", fstest.MapFS{"id.json": {Data: []byte(`{"a": "x"}`)}}, "missing required keys: locale.name"},
		{"unknown plural rule", fstest.MapFS{"id.json": {Data: minimalLocale(`"locale.plural_rule": "few"`)}}, "plural_rule"},
		{"unknown date placeholder", fstest.MapFS{"id.json": {Data: minimalLocale(`"date.format.date": "{dd} {month}"`)}}, "unknown placeholder {dd}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFS(tt.fsys)
			if err == nil {
				t.Fatalf("LoadFS succeeded, want error containing %q", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestLoadFSIgnoresOtherFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"id.json":        {Data: minimalLocale("")},
		"README.md":      {Data: []byte("notes")},
		"sub/en.json":    {Data: []byte("not json at all")},
		"ID.json.backup": {Data: []byte("{")},
	}
	b, err := LoadFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Langs(); !slices.Equal(got, []string{"id"}) {
		t.Errorf("Langs() = %v", got)
	}
}

func TestOverlay(t *testing.T) {
	base := mustLoad(t)
	theme := fstest.MapFS{
		"id.json": {Data: []byte(`{"home.latest": "Kabar Terkini", "theme.banner": "Edisi Khusus"}`)},
		"xx.json": {Data: minimalLocale(`"nav.home": "Start"`)},
	}
	b, err := base.Overlay(theme)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang, key, want string
	}{
		{"id", "home.latest", "Kabar Terkini"},
		{"id", "theme.banner", "Edisi Khusus"},
		{"id", "nav.home", "Beranda"},
		{"en", "home.latest", "Latest News"},
		{"xx", "nav.home", "Start"},
	}
	for _, tt := range tests {
		if got := b.Get(tt.lang).T(tt.key); got != tt.want {
			t.Errorf("overlay %s %s = %q, want %q", tt.lang, tt.key, got, tt.want)
		}
	}
	if got := b.Langs(); !slices.Equal(got, []string{"id", "en", "xx"}) {
		t.Errorf("overlay Langs() = %v", got)
	}
	// The base bundle stays as it was: bundles are immutable.
	if got := base.Get("id").T("home.latest"); got != "Berita Terbaru" {
		t.Errorf("base changed by Overlay: %q", got)
	}
	if base.Get("id").Has("theme.banner") {
		t.Error("base gained a key from Overlay")
	}
	// A key the theme added to one language only is reported.
	if missing := b.Missing(); !slices.Contains(missing, "en: theme.banner") {
		t.Errorf("Missing() after overlay = %q, want it to include %q", missing, "en: theme.banner")
	}

	if _, err := base.Overlay(fstest.MapFS{"en.json": {Data: []byte(`{"locale.plural_rule": "many"}`)}}); err == nil {
		t.Error("Overlay accepted an invalid plural rule")
	}
	if _, err := base.Overlay(fstest.MapFS{"en.json": {Data: []byte(`{`)}}); err == nil {
		t.Error("Overlay accepted invalid JSON")
	}
}

// minimalLocale returns a JSON object holding the keys a locale needs to load, with extra (a JSON
// fragment of members) laid over them; a member of extra wins over a required key of the same name.
func minimalLocale(extra string) []byte {
	override := map[string]bool{}
	for _, k := range requiredKeys {
		if strings.Contains(extra, strconv.Quote(k)+":") {
			override[k] = true
		}
	}
	var parts []string
	for _, k := range requiredKeys {
		if override[k] {
			continue
		}
		v := k
		switch {
		case k == "locale.plural_rule":
			v = "other"
		case k == "number.group_separator":
			v = "."
		case k == "number.decimal_separator":
			v = ","
		case strings.HasPrefix(k, "date.format."):
			v = "{day} {month} {year}"
		}
		parts = append(parts, strconv.Quote(k)+": "+strconv.Quote(v))
	}
	if extra != "" {
		parts = append(parts, extra)
	}
	return []byte("{" + strings.Join(parts, ", ") + "}")
}

// argVerbs maps each argument position a format string consumes to its verb. It refuses anything
// that is not plainly a verb, because a stray "%" in prose ("50% off") would otherwise be read by
// fmt as a verb with a space flag.
func argVerbs(s string) (map[int]byte, error) {
	out := map[int]byte{}
	arg := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		i++
		if i < len(s) && s[i] == '%' {
			continue
		}
		for i < len(s) && strings.IndexByte("+-#0", s[i]) >= 0 {
			i++
		}
		if i < len(s) && s[i] == '[' {
			j := strings.IndexByte(s[i:], ']')
			if j < 0 {
				return nil, errors.New("unclosed argument index")
			}
			n, err := strconv.Atoi(s[i+1 : i+j])
			if err != nil || n < 1 {
				return nil, fmt.Errorf("bad argument index %q", s[i:i+j+1])
			}
			arg = n - 1
			i += j + 1
		}
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
			i++
		}
		if i >= len(s) || strings.IndexByte("sdvq", s[i]) < 0 {
			return nil, errors.New(`"%" not followed by one of %s %d %v %q (write %% for a literal percent sign)`)
		}
		out[arg] = s[i]
		arg++
	}
	return out, nil
}

func describe(m map[int]byte) string {
	if len(m) == 0 {
		return "no arguments"
	}
	var parts []string
	for _, i := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("#%d %%%c", i+1, m[i]))
	}
	return strings.Join(parts, ", ")
}

func TestArgVerbs(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{"plain", "no arguments", false},
		{"100%% sure", "no arguments", false},
		{"%s and %d", "#1 %s, #2 %d", false},
		{"%[2]s before %[1]s", "#1 %s, #2 %s", false},
		{"%5.2v", "#1 %v", false},
		{"50% off", "", true},
		{"trailing %", "", true},
		{"%[0]s", "", true},
		{"%[1s", "", true},
	}
	for _, tt := range tests {
		got, err := argVerbs(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("argVerbs(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if err == nil && describe(got) != tt.want {
			t.Errorf("argVerbs(%q) = %s, want %s", tt.in, describe(got), tt.want)
		}
	}
}

// quoteSyntax matches the places where a straight quote is syntax that a reader types or a browser
// reads, not a quotation mark: an HTML attribute (name="value") and the title of a Markdown image or
// link (![alt](/path.jpg "Title")), as the editor's hints show them.
var quoteSyntax = regexp.MustCompile(`[A-Za-z-]+="[^"]*"|[A-Za-z-]+='[^']*'|\]\([^()\s]+ "[^"]*"\)`)

// TestTypographicQuotes keeps prose quotation marks typographic (“…”, ‘…’) and apostrophes curly
// (’), as a careful editor sets them: a straight " or ' in a message is a typing habit, except
// inside the syntax quoteSyntax allows.
func TestTypographicQuotes(t *testing.T) {
	b := mustLoad(t)
	for _, lang := range b.Langs() {
		msgs := b.Get(lang).msgs
		for _, key := range slices.Sorted(maps.Keys(msgs)) {
			rest := quoteSyntax.ReplaceAllString(msgs[key], "")
			if i := strings.IndexAny(rest, `"'`); i >= 0 {
				t.Errorf("%s: %s has a straight %c; write “…”, ‘…’ or ’: %q", lang, key, rest[i], msgs[key])
			}
		}
	}
}

func TestQuoteSyntax(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{`Gambar: ![teks alt](/media/foto.jpg "Keterangan").`, `Gambar: ![teks alt.`},
		{`<a href="/x" title='y'>z</a>`, `<a  >z</a>`},
		{`centang "Timpa" bila perlu`, `centang "Timpa" bila perlu`},
		{`the user's`, `the user's`},
		{`(lihat "Simpan")`, `(lihat "Simpan")`},
	}
	for _, tt := range tests {
		if got := quoteSyntax.ReplaceAllString(tt.in, ""); got != tt.want {
			t.Errorf("quoteSyntax on %q left %q, want %q", tt.in, got, tt.want)
		}
	}
}
