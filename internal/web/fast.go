package web

import (
	"context"
	"net/http"
	"net/netip"
	"strings"
	"warta/internal/views"
)

// CountsViews reports whether path is an article page, whose views count.
func (s *Site) CountsViews(path string) bool {
	_, ok := s.viewIDs.Load(path)
	return ok
}

// NoteView records that ip was served the article page at path, answered
// from the page cache without net/http; reader says whether the request
// looked like a person's browser (see ReaderAgent). Like CountViews, it
// counts article pages only: ask CountsViews first to skip the work.
func (s *Site) NoteView(path string, ip netip.Addr, reader bool) {
	id, ok := s.viewIDs.Load(path)
	if !ok {
		return
	}
	now := s.opt.Now()
	s.served.note(ip.String()+" "+path, now)
	if !reader || s.opt.Views == nil {
		return
	}
	// The cached state is enough: no request context is at hand.
	if st, err := s.loadState(context.Background()); err == nil {
		s.opt.Views.Add(id.(int64), views.Day(now, st.loc), ip, now)
	}
}

// ReaderAgent reports whether a User-Agent and the prefetch hints (the
// Sec-Purpose, Purpose and X-Moz fields, joined) look like a person
// reading: every browser's User-Agent starts its story with "Mozilla/",
// while scripts (curl, Go, Python) do not, and crawlers name themselves.
// Prefetches are not reads either: the reader may never open the page.
func ReaderAgent(userAgent, purpose string) bool {
	ua := strings.ToLower(userAgent)
	if !strings.Contains(ua, "mozilla/") {
		return false
	}
	for _, m := range nonReaders {
		if strings.Contains(ua, m) {
			return false
		}
	}
	purpose = strings.ToLower(purpose)
	return !strings.Contains(purpose, "prefetch") && !strings.Contains(purpose, "prerender")
}

func isReader(r *http.Request) bool {
	return ReaderAgent(r.UserAgent(), r.Header.Get("Sec-Purpose")+r.Header.Get("Purpose")+r.Header.Get("X-Moz"))
}
