package web

import (
	"bytes"
	"html/template"
	"strconv"
	"sync"
	"time"
)

// Parts of a page that many renders show alike — a card for an article,
// an article's comment threads — are rendered once by the theme's own
// template for them ("card", "comment-list") and kept as HTML beside the
// store memos, dropped by the same change events. The page templates
// print the kept HTML when there is some ({{with .HTML}}) and run the
// template otherwise, so a theme that calls "card" itself still works. A
// page render then walks some 200 values fewer: html/template's
// reflection over them was most of an uncached article page's cost.

// fragment renders template name of page's template set (a theme's page
// file may define its own) for b's language. It reports false when the
// theme has no such template or it fails: the page then runs the template
// itself and shows any error as usual.
func (s *Site) fragment(b *Base, page, name string, data any) (template.HTML, bool) {
	if !s.theme.Has(b.L, page, name) {
		return "", false
	}
	buf := fragmentBufs.Get().(*bytes.Buffer)
	defer func() {
		buf.Reset()
		fragmentBufs.Put(buf)
	}()
	if err := s.theme.Execute(buf, b.L, page, name, data); err != nil {
		s.opt.Log.Warn("fragment failed", "template", name, "err", err)
		return "", false
	}
	return template.HTML(buf.String()), true
}

// fragmentBufs are the buffers fragments render into before they are
// copied out to be kept.
var fragmentBufs = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 4<<10)) }}

// cardKey names a kept card: an article's, as a page set renders it,
// eager when it leads a list.
type cardKey struct {
	id    int64
	page  string
	eager bool
}

// withCardHTML fills in each card's HTML for page's template set, from
// the kept card of its article or by rendering it. cards must not be
// shared yet; gen is the cards' generation from before the articles were
// read, so that a card made of what a change has since replaced is shown
// but not kept.
func (s *Site) withCardHTML(b *Base, page string, gen uint64, ids []int64, cards []Card) {
	if s.opt.Events == nil { // nothing would say when a card changes
		return
	}
	now := s.opt.Now()
	for i := range cards {
		k := cardKey{ids[i], page, cards[i].Eager}
		h, _, ok := s.cards.get(k, now)
		if !ok {
			if h, ok = s.fragment(b, page, "card", &cards[i]); !ok {
				return
			}
			s.cards.put(k, h, gen, now)
		}
		cards[i].HTML = h
	}
}

// commentFrag is an article's comment threads as HTML, for one page of
// them at one address with replies open or not.
type commentFrag struct {
	key  string
	html template.HTML
}

func commentFragKey(path string, page int, open bool) string {
	return path + "\x00" + strconv.Itoa(page) + "\x00" + strconv.FormatBool(open)
}

// maxCards bounds the kept cards: a card is some 600 bytes.
const (
	maxCards        = 5_000
	maxCommentFrags = 2_000
	fragmentTTL     = time.Minute
)
