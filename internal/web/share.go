package web

import "net/url"

// ShareLink is a plain link that hands an article to another service:
// no script of theirs is loaded, and nothing is sent to them until the
// reader follows it.
type ShareLink struct {
	Service string // the class, "whatsapp", "facebook" …
	Label   string // what a screen reader hears: "Bagikan ke WhatsApp"
	Name    string // what is shown: "WhatsApp"
	URL     string
}

// Share lists the article's share links for WhatsApp, Facebook, X,
// Telegram, LINE and e-mail, each carrying the canonical address (and the
// title where the service takes one). A preview offers none: its address
// is a key for the few it was given to.
func (p *articlePage) Share() []ShareLink {
	if p.A == nil || p.Canonical == "" || p.Preview != "" {
		return nil
	}
	return shareLinks(p.Base, p.A.Title, p.Canonical)
}

func shareLinks(b *Base, title, link string) []ShareLink {
	q := url.QueryEscape
	// Spaces as %20 where the text ends up in a message body: some apps
	// show a "+" literally.
	text := func(s string) string { return url.PathEscape(s) }
	links := []struct{ service, name, url string }{
		{"whatsapp", "WhatsApp", "https://wa.me/?text=" + text(title+" "+link)},
		{"facebook", "Facebook", "https://www.facebook.com/sharer/sharer.php?u=" + q(link)},
		{"x", "X", "https://x.com/intent/post?text=" + text(title) + "&url=" + q(link)},
		{"telegram", "Telegram", "https://t.me/share/url?url=" + q(link) + "&text=" + text(title)},
		{"line", "LINE", "https://social-plugins.line.me/lineit/share?url=" + q(link)},
		{"email", b.L.T("share.email"), "mailto:?subject=" + text(title) + "&body=" + text(title+"\n\n"+link)},
	}
	out := make([]ShareLink, len(links))
	for i, l := range links {
		out[i] = ShareLink{Service: l.service, Name: l.name, Label: b.L.T("share.to", l.name), URL: l.url}
	}
	return out
}
