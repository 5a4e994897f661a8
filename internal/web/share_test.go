package web_test

import (
	"regexp"
	"strings"
	"testing"

	"warta/internal/testutil"
)

// TestShareLinks: every article ends with plain share links (no
// third-party script), each carrying the canonical address and the title,
// escaped for the link and labelled for screen readers in the site's
// language.
func TestShareLinks(t *testing.T) {
	site := testutil.StartSite(t, testutil.NewSQLite(t), testutil.SiteOptions{Demo: true})
	nav := regexp.MustCompile(`(?s)<nav class="share".*?</nav>`)
	page := site.Get(storyPath)
	if page.Status != 200 {
		t.Fatalf("article: %d", page.Status)
	}
	// The address with the test server's host and port as HOST.
	const (
		title = "Tarif%20Naik%2C%20Kamar%20Makin%20Sesak:%20Pekerja%20Migran%20di%20Hongkong%20Berburu%20Kos%20Antarkontrak"
		inURL = "http%3A%2F%2FHOST%2F2024%2F07%2Fpekerja-migran-hongkong-berburu-kos-antar-kontrak" // a query value
		inMsg = "http:%2F%2FHOST%2F2024%2F07%2Fpekerja-migran-hongkong-berburu-kos-antar-kontrak"   // message text
	)
	want := `<nav class="share" aria-label="Bagikan"><span>Bagikan:</span> ` +
		`<a class="share-whatsapp" href="https://wa.me/?text=` + title + `%20` + inMsg + `" aria-label="Bagikan ke WhatsApp" rel="noopener nofollow">WhatsApp</a> ` +
		`<a class="share-facebook" href="https://www.facebook.com/sharer/sharer.php?u=` + inURL + `" aria-label="Bagikan ke Facebook" rel="noopener nofollow">Facebook</a> ` +
		`<a class="share-x" href="https://x.com/intent/post?text=` + title + `&amp;url=` + inURL + `" aria-label="Bagikan ke X" rel="noopener nofollow">X</a> ` +
		`<a class="share-telegram" href="https://t.me/share/url?url=` + inURL + `&amp;text=` + title + `" aria-label="Bagikan ke Telegram" rel="noopener nofollow">Telegram</a> ` +
		`<a class="share-line" href="https://social-plugins.line.me/lineit/share?url=` + inURL + `" aria-label="Bagikan ke LINE" rel="noopener nofollow">LINE</a> ` +
		`<a class="share-email" href="mailto:?subject=` + title + `&amp;body=` + title + `%0A%0A` + inMsg + `" aria-label="Bagikan ke Surel" rel="noopener nofollow">Surel</a> </nav>`
	host := strings.TrimPrefix(site.URL, "http://")
	got := nav.FindString(page.Body)
	got = strings.ReplaceAll(strings.ReplaceAll(got, host, "HOST"), strings.ReplaceAll(host, ":", "%3A"), "HOST")
	if got != want {
		t.Errorf("share links:\n%s\nwant\n%s", got, want)
	}
}
