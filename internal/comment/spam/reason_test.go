package spam

import (
	"slices"
	"testing"
)

func TestReasonsRoundTrip(t *testing.T) {
	rs := []Reason{
		NewReason("classifier", DecimalArg(0.625, 2)),
		NewReason("first_comment"),
		NewReason("vocabulary", KeyArg("spam.category.judol"), TextArg("slot gacor, maxwin")),
		NewReason("moderation_list", TextArg("100% | murah\nbaris #2")),
		NewReason("blocklist", TextArg("#tagar")),
		NewReason("blocklist", TextArg("@akun")),
		NewReason("blocklist", TextArg("")),
		NewReason("links", IntArg(-3)),
	}
	enc := EncodeReasons(rs)
	want := "spam.reason.classifier|#0.62\n" +
		"spam.reason.first_comment\n" +
		"spam.reason.vocabulary|@spam.category.judol|slot gacor, maxwin\n" +
		"spam.reason.moderation_list|100%25 %7C murah%0Abaris #2\n" +
		"spam.reason.blocklist|%23tagar\n" +
		"spam.reason.blocklist|%40akun\n" +
		"spam.reason.blocklist|\n" +
		"spam.reason.links|#-3"
	if enc != want {
		t.Errorf("EncodeReasons =\n%s\nwant\n%s", enc, want)
	}
	got, ok := ParseReasons(enc)
	if !ok {
		t.Fatalf("ParseReasons(%q) refused its own encoding", enc)
	}
	rs[0].Args[0].Value = "0.62" // the encoding rounds
	if !slices.EqualFunc(got, rs, func(a, b Reason) bool { return a.Key == b.Key && slices.Equal(a.Args, b.Args) }) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, rs)
	}
	if got, ok := ParseReasons(""); !ok || got != nil {
		t.Errorf("ParseReasons(\"\") = %v, %v", got, ok)
	}
}

// Notes stored before the encoding, and anything else, are not reasons: the
// caller shows them as they are.
func TestParseReasonsRefuses(t *testing.T) {
	for _, s := range []string{
		"classifier: 0.63; first comment from this name and email",
		"honeypot: hidden field filled",
		"spam.reason.links|#1\nlinks: 2",
		"spam.reason.links|#1.",
		"spam.reason.links|#x",
		"spam.reason.vocabulary|@Spam Category",
		"spam.reason.blocklist|%zz",
		"spam.reason.Links",
		"other.key|#1",
	} {
		if got, ok := ParseReasons(s); ok {
			t.Errorf("ParseReasons(%q) = %+v, want refusal", s, got)
		}
	}
}

func FuzzParseReasons(f *testing.F) {
	f.Add("spam.reason.classifier|#0.63\nspam.reason.vocabulary|@spam.category.judol|slot gacor")
	f.Add("classifier: 0.63; first comment")
	f.Add("spam.reason.blocklist|100%25 %7C x")
	f.Fuzz(func(t *testing.T, s string) {
		rs, ok := ParseReasons(s)
		if !ok {
			return
		}
		// What parses re-encodes to something that parses to the same.
		again, ok := ParseReasons(EncodeReasons(rs))
		if !ok || !slices.EqualFunc(again, rs, func(a, b Reason) bool { return a.Key == b.Key && slices.Equal(a.Args, b.Args) }) {
			t.Errorf("%q: %+v re-encodes to %+v", s, rs, again)
		}
	})
}
