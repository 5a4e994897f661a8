package comment

import (
	"context"
	"log/slog"
	"net/netip"
	"strings"
	"sync"
	"time"

	"warta/internal/comment/spam"
	"warta/internal/model"
)

// blocked checks the blocklist (one entry a line: a word or phrase, a
// name, an email, or an IP address or CIDR range) against a comment, as
// WordPress's "disallowed comment keys" do. It returns the entry that hit.
func blocked(list string, in Input) string {
	for _, entry := range lines(list) {
		if p, err := netip.ParsePrefix(entry); err == nil {
			if in.IP.IsValid() && p.Contains(in.IP) {
				return entry
			}
			continue
		}
		if a, err := netip.ParseAddr(entry); err == nil {
			if in.IP == a {
				return entry
			}
			continue
		}
		if hit := matchOne(entry, in); hit {
			return entry
		}
	}
	return ""
}

// matchWords checks the moderation list (words, names, emails).
func matchWords(list string, in Input) string {
	for _, entry := range lines(list) {
		if matchOne(entry, in) {
			return entry
		}
	}
	return ""
}

// matchOne looks for entry in every field, before and after the spam
// normaliser (so "s l o t" meets "slot").
func matchOne(entry string, in Input) bool {
	e := strings.ToLower(entry)
	ne := spam.Normalize(entry)
	for _, f := range []string{in.Name, in.Email, in.URL, in.Body} {
		if f == "" {
			continue
		}
		if strings.Contains(strings.ToLower(f), e) || (ne != "" && strings.Contains(spam.Normalize(f), ne)) {
			return true
		}
	}
	return false
}

func lines(list string) []string {
	var out []string
	for _, l := range strings.Split(list, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// limiter caps events per key in a sliding window (per-address limits).
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	hits   map[string][]time.Time
	swept  time.Time
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, hits: map[string][]time.Time{}}
}

func (l *limiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > l.window {
		// Forget idle keys so memory stays flat under a flood of addresses.
		for k, ts := range l.hits {
			if len(ts) == 0 || now.Sub(ts[len(ts)-1]) > l.window {
				delete(l.hits, k)
			}
		}
		l.swept = now
	}
	ts := l.hits[key]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) > l.window {
		i++
	}
	ts = ts[i:]
	if len(ts) >= l.max {
		l.hits[key] = ts
		return false
	}
	l.hits[key] = append(ts, now)
	return true
}

// LogNotifier writes held comments to the log (without the email).
type LogNotifier struct{ Log *slog.Logger }

// CommentHeld logs that a comment waits for moderation.
func (n LogNotifier) CommentHeld(_ context.Context, c *model.Comment, a *model.Article) error {
	n.Log.Info("comment awaiting moderation", "comment_id", c.ID, "article_id", a.ID, "article", a.Title)
	return nil
}
