package cache

import (
	"math/rand/v2"
	"net/url"
	"reflect"
	"testing"
)

func TestCanonicalQuery(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"", ""},
		{"a=1", "a=1"},
		{"b=2&a=1", "a=1&b=2"},
		{"a=2&a=1", "a=2&a=1"}, // order of one key's values is meaning
		{"b=1&a=2&a=1", "a=2&a=1&b=1"},
		{"a=1&", "a=1"},
		{"&a=1", "a=1"},
		{"a", "a="},
		{"q=harga+beras", "q=harga+beras"},
		{"q=harga%20beras", "q=harga+beras"},
		{"q=%41", "q=A"},
		{"q=%2f", "q=%2F"},
		{"a=1;b=2", "a=1;b=2"}, // unparseable: kept as sent
		{"a=%zz", "a=%zz"},
	}
	for _, tt := range tests {
		if got := canonicalQuery(tt.raw); got != tt.want {
			t.Errorf("canonicalQuery(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}

// The fast path must agree with url.Values.Encode on every query it accepts,
// and canonicalisation must never change what a handler reads.
func TestCanonicalQueryAgreesWithURLPackage(t *testing.T) {
	const alphabet = "ab=&%2F+.~;-_xZ0"
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 40000 {
		b := make([]byte, rnd.IntN(12))
		for i := range b {
			b[i] = alphabet[rnd.IntN(len(alphabet))]
		}
		raw := string(b)
		parsed, err := url.ParseQuery(raw)
		if isCanonicalQuery(raw) && (err != nil || parsed.Encode() != raw) {
			t.Fatalf("fast path accepts %q, but Encode gives %q (err %v)", raw, parsed.Encode(), err)
		}
		canon := canonicalQuery(raw)
		if err != nil {
			continue
		}
		again, err := url.ParseQuery(canon)
		if err != nil || (len(parsed) > 0 || len(again) > 0) && !reflect.DeepEqual(parsed, again) {
			t.Fatalf("%q → %q reads differently: %v vs %v", raw, canon, parsed, again)
		}
		if canonicalQuery(canon) != canon {
			t.Fatalf("not idempotent: %q → %q → %q", raw, canon, canonicalQuery(canon))
		}
	}
}

func TestParseQ(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"1", 1000, true}, {"0", 0, true}, {"0.5", 500, true}, {"0.123", 123, true},
		{"1.000", 1000, true}, {"1.", 1000, true}, {"0.05", 50, true},
		{"1.001", 0, false}, {"0.1234", 0, false}, {"2", 0, false}, {"", 0, false},
		{".5", 0, false}, {"0,5", 0, false}, {"0.a", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseQ(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseQ(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestETagMatches(t *testing.T) {
	const tag = `"abc"`
	tests := []struct {
		header string
		want   bool
	}{
		{`"abc"`, true},
		{`W/"abc"`, true},
		{`"x", "abc"`, true},
		{`"x","abc"`, true},
		{` "x" ,W/"abc" `, true},
		{`*`, true},
		{`"abcd"`, false},
		{`"ab"`, false},
		{`abc`, false},
		{`"x", abc, "abc"`, true},
		{`"abc`, false},
		{``, false},
	}
	for _, tt := range tests {
		if got := etagMatches([]string{tt.header}, tag); got != tt.want {
			t.Errorf("etagMatches(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
	if !etagMatches([]string{`"x"`, `"abc"`}, tag) {
		t.Error("a tag on a second field line was missed")
	}
}

// The values pickCoding answers without parsing (keep in step with its switch).
func TestCommonAcceptEncodings(t *testing.T) {
	for _, v := range []string{
		"gzip, deflate, br, zstd", "gzip, deflate, br", "gzip, deflate", "gzip",
		"br, gzip", "gzip, br", "deflate, gzip", "gzip,deflate", "gzip,deflate,br",
		"", "identity", "br", "zstd", "deflate", "br, zstd", "zstd, br",
	} {
		for _, has := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
			if fast, slow := pickCoding([]string{v}, has[0], has[1]), negotiate([]string{v}, has[0], has[1]); fast != slow {
				t.Errorf("%q (gzip %v, br %v): shortcut says %v, parsing says %v", v, has[0], has[1], fast, slow)
			}
		}
	}
}

func TestPickCoding(t *testing.T) {
	tests := []struct {
		header string
		want   coding
	}{
		{"gzip", gzipCoding},
		{"br", brCoding},
		{"gzip, br", brCoding},
		{"gzip;q=1, br;q=0.5", gzipCoding},
		{"br;q=0, gzip", gzipCoding},
		{"gzip;q=0, br;q=0", identity},
		{"*", brCoding},
		{"*;q=0.5, identity", identity},
		{"identity;q=0.1, gzip;q=0.2", gzipCoding},
		{"identity, gzip;q=0.5", identity},
		{"x-gzip", gzipCoding},
		{"BR", brCoding},
		{"gzip;q=bogus", identity},
	}
	for _, tt := range tests {
		if got := pickCoding([]string{tt.header}, true, true); got != tt.want {
			t.Errorf("pickCoding(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
	if got := pickCoding([]string{"br"}, true, false); got != identity {
		t.Errorf("br asked, only gzip held: got %v, want identity", got)
	}
}
