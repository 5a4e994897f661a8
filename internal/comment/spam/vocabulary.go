package spam

import (
	"slices"
	"sort"
	"strings"
	"unicode"
)

// Categories reported by Vocabulary and Evaluate.
const (
	CategoryGambling  = "judol"     // online gambling: slot, togel, casino
	CategoryLoan      = "pinjol"    // loan scams
	CategoryPharma    = "pharma"    // pills, "obat kuat", abortion drugs
	CategoryAdult     = "adult"     // porn, escort, "open bo"
	CategoryCrypto    = "crypto"    // get-rich trading and crypto
	CategoryContact   = "contact"   // "hubungi wa 08…", wa.me, t.me
	CategoryShortener = "shortener" // bit.ly, s.id, heylink.me …
	CategoryPromo     = "promo"     // SEO and self-promotion: "visit my site", "jasa backlink"
	CategoryPraise    = "praise"    // "nice article": reported by Evaluate only next to a link
)

// Match is one spam phrase found in a comment.
type Match struct {
	Category string
	Phrase   string
}

// A phrase is strong when it is spam on its own. Topic words name the
// subject ("judi online", "pinjol") and promo words name the pitch ("gacor",
// "cepat cair"): readers discuss the subject all the time, in news about
// crackdowns and victims, so a topic only counts next to enough pitch.
type strength uint8

const (
	strong strength = iota
	topic
	promo
)

type phraseList struct {
	category string
	// promoNeeded is how many distinct promo phrases make a topic count;
	// zero means topics and promos never fire without a strong phrase.
	promoNeeded int
	strong      []string
	topic       []string
	promo       []string
	// inWord lists phrases from above that also count inside a longer
	// glued token ("maxwin" in "jpmaxwin88"). Only for words no ordinary
	// word contains: "cialis" is inside "specialist".
	inWord []string
}

var phraseLists = []phraseList{
	{
		category:    CategoryGambling,
		promoNeeded: 1,
		strong: []string{
			"slot gacor", "slot online", "judi slot", "situs slot", "situs gacor", "link gacor",
			"gacor hari ini", "pola gacor", "jam gacor", "rtp gacor", "akun gacor", "server gacor",
			"maxwin", "max win", "rtp live", "rtp slot", "bocoran rtp", "bocoran slot", "info rtp",
			"pola slot", "slot demo", "demo slot", "slot deposit", "deposit pulsa", "depo pulsa",
			"slot pulsa", "slot dana", "deposit dana", "depo dana", "depo 10k", "depo 5k", "depo 10rb",
			"depo 20k", "depo 25k", "deposit 10k", "deposit 10rb", "min depo", "minimal depo",
			"minimal deposit", "wd lancar", "wd cepat", "wd berapapun", "withdraw lancar", "pasti wd",
			"pasti jp", "jp paus", "jp besar", "jepe", "jp maxwin", "anti rungkad", "auto jp",
			"auto maxwin", "auto wd", "scatter hitam", "scatter naga", "free spin", "freespin",
			"buy spin", "beli spin", "mahjong ways", "gates of olympus", "olympus 1000",
			"starlight princess", "sweet bonanza", "pragmatic play", "pg soft", "pgsoft",
			"kakek zeus", "kakek merah", "joker123", "sbobet", "mix parlay", "situs togel",
			"togel online", "prediksi togel", "angka jitu", "bocoran togel", "keluaran sgp",
			"keluaran hk", "toto macau", "toto 4d", "togel 4d", "hk pools", "sgp pools",
			"link alternatif", "login alternatif", "bonus new member", "bonus member baru",
			"new member 100", "bonus deposit", "cashback mingguan", "rollingan", "slot88",
			"slot777", "slot4d", "casino online", "live casino", "agen slot", "agen togel",
			"bandar slot", "slot terpercaya", "situs judi terpercaya", "judi online terpercaya",
			"spin gratis", "menang jutaan", "menang puluhan juta", "x500", "x1000", "x5000",
			"sensational", "sensasional", "akun pro", "akun vip slot", "slot thailand",
			"slot kamboja", "server luar", "gacor parah", "lagi gacor gacornya",
		},
		topic: []string{
			"slot", "judi", "judi online", "judol", "togel", "situs judi", "casino", "kasino",
			"taruhan", "betting", "bandar togel", "bandar judi", "agen judi", "parlay", "toto",
			"zeus", "olympus", "pragmatic", "mahjong", "bonanza", "gambling", "lottery",
		},
		promo: []string{
			"gacor", "terpercaya", "bonus", "deposit", "depo", "wd", "withdraw", "jp", "jackpot",
			"spin", "scatter", "rtp", "bet", "daftar sekarang", "dijamin menang",
			"pasti menang", "gampang menang", "modal receh", "hoki",
		},
		inWord: []string{"maxwin", "sbobet", "gacor", "togel", "judol"},
	},
	{
		category:    CategoryLoan,
		promoNeeded: 1,
		strong: []string{
			"cair tanpa jaminan", "pinjaman cepat cair", "dana cepat cair", "tanpa bi checking",
			"tanpa bi check", "tanpa bi cheking", "bebas bi checking", "bi checking aman",
			"tanpa slik", "pinjaman tanpa jaminan", "dana tunai cepat", "pinjaman dana cepat",
			"pinjaman langsung cair", "pinjol cepat cair", "pinjol legal cepat cair",
			"cair dalam 5 menit", "cair 5 menit", "cair dalam 1 jam", "cair 1 jam",
			"modal ktp", "cukup ktp", "hanya ktp", "cuma ktp", "cukup foto ktp", "cair hari ini",
			"loan offer", "instant loan", "guaranteed loan", "no credit check", "quick loan",
			"pinjaman tanpa survei", "pinjaman tanpa survey", "dana darurat cepat",
		},
		topic: []string{
			"pinjol", "pinjaman online", "pinjaman dana", "dana pinjaman", "pinjaman tunai",
			"dana tunai", "kta", "kredit tanpa agunan", "gadai bpkb", "gadai sertifikat",
			"loan", "pinjaman uang", "pinjam uang",
		},
		promo: []string{
			"cepat cair", "langsung cair", "tanpa jaminan", "tanpa agunan", "bunga rendah",
			"bunga ringan", "bunga 0", "tanpa survei", "tanpa survey", "proses cepat",
			"syarat mudah", "acc cepat", "pasti acc", "limit besar", "tenor panjang",
			"pencairan cepat", "apply now", "hubungi admin", "daftar sekarang",
		},
		inWord: []string{"pinjol"},
	},
	{
		// Drug names alone appear in news about seizures and fakes; they
		// count only with a sales pitch.
		category:    CategoryPharma,
		promoNeeded: 1,
		strong: []string{
			"obat kuat asli", "jual obat kuat", "jual viagra", "jual cialis", "jual cytotec",
			"obat pembesar", "pembesar penis", "pembesar alat vital", "obat perangsang",
			"perangsang wanita", "obat penggugur", "penggugur kandungan", "jual pil aborsi",
			"jual obat aborsi", "obat telat bulan", "pelangsing ampuh", "peninggi badan",
			"cheap pills", "online pharmacy", "pharmacy online", "without prescription",
			"no prescription", "obat keras tanpa resep",
		},
		topic: []string{
			"viagra", "cialis", "levitra", "vimax", "cytotec", "gastrul", "tramadol", "xanax",
			"obat kuat", "obat aborsi", "pil aborsi", "obat pelangsing", "obat herbal", "pills",
		},
		promo: []string{
			"asli", "original", "ori", "cod", "kirim rahasia", "pengiriman rahasia", "tanpa resep",
			"dijamin", "ampuh", "murah", "konsultasi gratis", "hubungi", "jual", "ready",
			"tahan lama", "permanen", "100 berhasil", "sembuh total", "sembuh 100", "discreet",
		},
		inWord: []string{"viagra", "vimax", "cytotec"},
	},
	{
		category: CategoryAdult,
		strong: []string{
			"bokep", "video bokep", "open bo", "vcs", "vcs berbayar", "cewek panggilan",
			"cewe panggilan", "pijat plus", "pijat plus plus", "hot singles", "sexy girls",
			"webcam girls", "porn", "nude video", "sange", "video syur full", "link bokep",
		},
	},
	{
		category:    CategoryCrypto,
		promoNeeded: 2,
		strong: []string{
			"double your bitcoin", "double your money", "guaranteed profit", "dijamin profit",
			"profit harian", "profit setiap hari", "profit per hari", "auto profit",
			"signal trading akurat", "send btc", "bitcoin investment", "binary option",
			"earn daily", "modal kecil untung besar", "profit 100", "untung 100",
			"account manager", "investment platform", "mining pool", "airdrop gratis",
			"token gratis", "robot trading profit", "passive income 10",
		},
		topic: []string{
			"bitcoin", "btc", "crypto", "kripto", "trading", "forex", "investasi", "usdt",
			"binomo", "robot trading", "ethereum", "eth", "nft", "saham gorengan",
		},
		promo: []string{
			"profit", "cuan", "untung besar", "passive income", "dijamin", "pasti untung",
			"join", "gabung sekarang", "mentor", "signal", "per hari", "setiap hari",
			"modal kecil", "tanpa risiko", "bebas risiko", "telegram", "whatsapp",
		},
	},
	{
		category: CategoryShortener,
		strong: []string{
			"bit ly", "tinyurl", "cutt ly", "linktr ee", "heylink me", "shorturl at", "rebrand ly",
		},
	},
	{
		category: CategoryPromo,
		strong: []string{
			"visit my site", "visit my website", "visit my blog", "visit our website",
			"visit our site", "check out my", "check my channel", "my channel", "subscribe to my",
			"subscribe my channel", "please subscribe", "pls subscribe", "my website", "my blog",
			"kunjungi situs kami", "kunjungi website kami", "kunjungi web kami", "kunjungi blog saya",
			"kunjungi website saya", "kunjungi juga", "mampir ke blog", "mampir ke website",
			"mampir juga ke", "cek website saya", "cek blog saya", "jasa seo", "jasa backlink",
			"backlink murah", "backlink berkualitas", "jasa pembuatan website", "jasa website murah",
			"jual followers", "jasa followers", "tambah followers", "followers murah", "link di bio",
			"cek bio", "klik link di bio", "klik disini", "klik di sini", "click here", "click the link",
			"follow me", "follow back", "jual akun", "jasa like", "jasa views", "jasa review",
			"reseller wanted", "earn money online", "make money online", "earn 500", "earn 1000",
		},
	},
}

// praisePhrases are the generic compliments that carry link drops. They are
// normal in reader comments, so Vocabulary never reports them; Evaluate does
// when a link comes with them.
var praisePhrases = []string{
	"nice article", "great article", "nice post", "great post", "thanks for sharing",
	"thank you for sharing", "informative article", "very informative", "very helpful",
	"artikel yang bagus", "artikelnya bagus", "artikel bermanfaat", "sangat bermanfaat",
	"sangat membantu", "terima kasih infonya", "makasih infonya", "keep posting",
	"keep up the good work", "good job", "nice info", "info menarik", "mantap artikelnya",
	"ditunggu artikel selanjutnya", "salam kenal", "salam blogger", "thanks admin",
	"makasih min", "mantap min", "nice blog", "great blog", "awesome post", "good post",
	"artikel menarik", "tulisan yang bagus", "infonya sangat", "good article",
}

type compiled struct {
	category string
	phrase   string
	toks     []string
	strength strength
}

// hit is a phrase found at tokens [start, end).
type hit struct {
	compiled
	start, end int
}

type phraseIndex struct {
	byFirst map[string][]compiled
	// compact holds multi-word phrases written without spaces
	// ("slotgacor", "depopulsa"), which spam glues together and
	// spaced-letter folding produces.
	compact map[string]compiled
	// inWord holds strings found inside longer tokens:
	// "situsslotgacorterbaru" contains "slotgacor".
	inWord []compiled
	need   map[string]int
}

var vocab = buildIndex(phraseLists)

var praiseIndex = buildIndex([]phraseList{{category: CategoryPraise, strong: praisePhrases}})

func buildIndex(lists []phraseList) *phraseIndex {
	ix := &phraseIndex{byFirst: map[string][]compiled{}, compact: map[string]compiled{}, need: map[string]int{}}
	single := map[string]bool{}
	for _, l := range lists {
		for _, group := range [][]string{l.strong, l.topic, l.promo} {
			for _, p := range group {
				if toks := matchTokens(p); len(toks) == 1 {
					single[toks[0]] = true
				}
			}
		}
	}
	add := func(cat, p string, st strength) {
		toks := matchTokens(p)
		c := compiled{category: cat, phrase: p, toks: toks, strength: st}
		ix.byFirst[toks[0]] = append(ix.byFirst[toks[0]], c)
		joined := strings.Join(toks, "")
		if len(toks) > 1 && len(joined) >= 6 && !single[joined] {
			if _, dup := ix.compact[joined]; !dup {
				ix.compact[joined] = c
				if st == strong && len(joined) >= 8 {
					ix.inWord = append(ix.inWord, compiled{category: cat, phrase: p, toks: []string{joined}, strength: st})
				}
			}
		}
	}
	for _, l := range lists {
		ix.need[l.category] = l.promoNeeded
		for _, p := range l.strong {
			add(l.category, p, strong)
		}
		for _, p := range l.topic {
			add(l.category, p, topic)
		}
		for _, p := range l.promo {
			add(l.category, p, promo)
		}
		for _, w := range l.inWord {
			c := ix.byFirst[matchTokens(w)[0]]
			for _, e := range c {
				if e.phrase == w {
					ix.inWord = append(ix.inWord, compiled{category: e.category, phrase: w, toks: e.toks, strength: e.strength})
				}
			}
		}
	}
	return ix
}

// matchTokens turns a phrase into the form matching compares.
func matchTokens(s string) []string {
	return matchForms(Tokens(Normalize(s)))
}

// matchForms maps tokens, in place, to the form both phrases and comments
// take for matching: letter runs squeezed, and "i" read as "l" because a
// "1" in spam may stand for either ("p1nj0l", "c41r").
func matchForms(toks []string) []string {
	for i, t := range toks {
		toks[i] = strings.ReplaceAll(skeleton(t), "i", "l")
	}
	return toks
}

var contactWord = map[string]bool{
	"wa": true, "whatsapp": true, "whatsap": true, "watsap": true, "wasap": true, "wsp": true,
	"telegram": true, "tele": true, "tg": true, "line": true, "sms": true, "telp": true,
	"telpon": true, "telepon": true, "hubungi": true, "hub": true, "kontak": true,
	"contact": true, "call": true, "chat": true, "dm": true, "inbox": true, "japri": true,
	"admin": true, "cs": true, "wame": true,
}

// Vocabulary finds spam phrases in normalised text (see Normalize) and
// returns them sorted by category and phrase, each once. A category's topic
// words are reported only alongside enough of its promo words, and words
// inside a longer strong phrase are not reported separately; see
// phraseLists.
func Vocabulary(normalized string) []Match {
	toks := Tokens(normalized)
	hits := vocab.scan(matchForms(slices.Clone(toks)))
	if m, ok := contactNumber(toks); ok {
		hits = append(hits, hit{compiled{category: CategoryContact, phrase: m, strength: strong}, -1, -1})
	}
	eachHostRun(normalized, func(run string) {
		if !shortHostRe.MatchString(run) {
			return
		}
		cat := CategoryShortener
		if run == "wa.me" || run == "t.me" {
			cat = CategoryContact
		}
		hits = append(hits, hit{compiled{category: cat, phrase: run, strength: strong}, -1, -1})
	})
	return vocab.decide(hits)
}

// scan collects every phrase occurrence, including glued ("slotgacor") and
// digit-decorated ("gacor88", "maxwin4d") forms.
func (ix *phraseIndex) scan(sk []string) []hit {
	var hits []hit
	for i, t := range sk {
		found := false
		for _, c := range ix.byFirst[t] {
			if i+len(c.toks) <= len(sk) && equalTokens(sk[i:i+len(c.toks)], c.toks) {
				hits = append(hits, hit{c, i, i + len(c.toks)})
				found = true
			}
		}
		if c, ok := ix.compact[t]; ok {
			hits = append(hits, hit{c, i, i + 1})
			found = true
		}
		if core, decorated := stripDigits(t); decorated {
			if c, ok := ix.compact[core]; ok {
				hits = append(hits, hit{c, i, i + 1})
				found = true
			}
			for _, c := range ix.byFirst[core] {
				if len(c.toks) == 1 {
					// A brand-like "gacor88" or "zeus88" is a site name, not
					// a reader talking about the subject.
					if c.category == CategoryGambling {
						c.strength = strong
					}
					hits = append(hits, hit{c, i, i + 1})
					found = true
				}
			}
		}
		if !found && len(t) >= 8 {
			for _, c := range ix.inWord {
				if strings.Contains(t, c.toks[0]) {
					hits = append(hits, hit{c, i, i + 1})
				}
			}
		}
	}
	return hits
}

// decide applies the strong/topic/promo rule and removes duplicates.
func (ix *phraseIndex) decide(hits []hit) []Match {
	// Tokens inside multi-word strong phrases, per category.
	inStrong := map[string]map[int]bool{}
	for _, h := range hits {
		if h.strength == strong && h.start >= 0 && h.end-h.start > 1 {
			m := inStrong[h.category]
			if m == nil {
				m = map[int]bool{}
				inStrong[h.category] = m
			}
			for i := h.start; i < h.end; i++ {
				m[i] = true
			}
		}
	}
	covered := func(h hit) bool {
		m := inStrong[h.category]
		for i := h.start; i < h.end; i++ {
			if !m[i] {
				return false
			}
		}
		return h.start >= 0
	}
	type tally struct{ strong, topic, promo map[string]bool }
	byCat := map[string]*tally{}
	for _, h := range hits {
		t := byCat[h.category]
		if t == nil {
			t = &tally{map[string]bool{}, map[string]bool{}, map[string]bool{}}
			byCat[h.category] = t
		}
		switch {
		case h.strength == strong:
			t.strong[h.phrase] = true
		case covered(h):
			// part of a longer strong phrase: "slot" in "slot gacor"
		case h.strength == topic:
			t.topic[h.phrase] = true
		default:
			t.promo[h.phrase] = true
		}
	}
	var out []Match
	for cat, t := range byCat {
		report := func(set map[string]bool) {
			for p := range set {
				out = append(out, Match{Category: cat, Phrase: p})
			}
		}
		report(t.strong)
		if need := ix.need[cat]; need > 0 && len(t.topic) > 0 && len(t.promo) >= need {
			report(t.topic)
			report(t.promo)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Category != out[j].Category {
			return out[i].Category < out[j].Category
		}
		return out[i].Phrase < out[j].Phrase
	})
	return slices.Compact(out) // "zeus" may come as topic and, from "zeus88", as strong
}

func equalTokens(a, b []string) bool {
	for i := range b {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// stripDigits removes a leading digit run and a trailing digit run with an
// optional unit letter ("88slot", "gacor88", "maxwin4d"). It reports whether
// anything was removed and at least four letters remain.
func stripDigits(t string) (string, bool) {
	core := strings.TrimLeftFunc(t, unicode.IsDigit)
	end := len(core)
	if end > 0 && !unicode.IsDigit(rune(core[end-1])) && end > 1 && unicode.IsDigit(rune(core[end-2])) {
		end-- // the "d" of "4d"
	}
	trimmed := strings.TrimRightFunc(core[:end], unicode.IsDigit)
	if len(trimmed) == len(core[:end]) {
		trimmed = core
	}
	if trimmed == t || len(trimmed) < 4 {
		return t, false
	}
	for _, r := range trimmed {
		if !unicode.IsLetter(r) {
			return t, false
		}
	}
	return trimmed, true
}

// contactNumber finds a contact word followed within four tokens by a phone
// number ("hubungi wa 0812 3456 7890", "wa: 628123456789").
func contactNumber(toks []string) (string, bool) {
	for i, t := range toks {
		if !contactWord[t] {
			continue
		}
		for j := i + 1; j < len(toks) && j <= i+4; j++ {
			var digits strings.Builder
			for k := j; k < len(toks) && k < j+4 && isDigits(toks[k]); k++ {
				digits.WriteString(toks[k])
				if isPhone(digits.String(), false) {
					return t + " " + phoneMask(digits.String()), true
				}
			}
		}
	}
	return "", false
}

// phoneMask keeps the operator prefix only: the moderation log should not
// collect phone numbers.
func phoneMask(d string) string {
	return d[:4] + strings.Repeat("x", len(d)-4)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// praise reports generic compliments in normalised text.
func praise(normalized string) []Match {
	return praiseIndex.decide(praiseIndex.scan(matchForms(Tokens(normalized))))
}
