package mail

import (
	"bytes"
	"embed"
	"html/template"
	"strings"

	"warta/internal/model"
)

// Letter is a mail as Warta writes it: a few paragraphs, at most one
// button (a link), and a closing line. It becomes a plain-text part and an
// HTML part saying the same. Every text in it comes from the locale files.
type Letter struct {
	Kind     string
	To       string
	Lang     string // html lang
	Site     string // the site's name, signed at the bottom
	Subject  string
	Greeting string
	Paras    []string
	Action   *Link
	After    []string // paragraphs below the button
	// Unsubscribe is a one-click link to stop these mails (reader
	// notifications): it goes in List-Unsubscribe and in the footer.
	Unsubscribe      string
	UnsubscribeLabel string
}

// Link is a button with its address.
type Link struct{ Label, URL string }

//go:embed letter.html
var templates embed.FS

var letterHTML = template.Must(template.ParseFS(templates, "letter.html"))

// Mail renders the letter as a queued mail.
func (l Letter) Mail() (*model.Mail, error) {
	var html bytes.Buffer
	if err := letterHTML.Execute(&html, l); err != nil {
		return nil, err
	}
	m := &model.Mail{Kind: l.Kind, To: l.To, Subject: l.Subject, Text: l.text(), HTML: html.String()}
	if l.Unsubscribe != "" {
		// RFC 8058: a mail client may unsubscribe with one POST, without
		// opening the page.
		m.Headers = map[string]string{
			"List-Unsubscribe":      "<" + l.Unsubscribe + ">",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		}
	}
	return m, nil
}

func (l Letter) text() string {
	var b strings.Builder
	if l.Greeting != "" {
		b.WriteString(l.Greeting + "\n\n")
	}
	for _, p := range l.Paras {
		b.WriteString(p + "\n\n")
	}
	if l.Action != nil {
		b.WriteString(l.Action.Label + ":\n" + l.Action.URL + "\n\n")
	}
	for _, p := range l.After {
		b.WriteString(p + "\n\n")
	}
	b.WriteString("-- \n" + l.Site + "\n")
	if l.Unsubscribe != "" {
		b.WriteString(l.UnsubscribeLabel + ": " + l.Unsubscribe + "\n")
	}
	return b.String()
}
