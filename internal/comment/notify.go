package comment

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"mime"
	"net"
	"net/smtp"
	"strings"
	"time"

	"warta/internal/model"
)

// SMTPNotifier mails moderators when a comment is held. The mail names the
// commenter and shows the text, but not their email address: moderators
// see that in the newsroom, and mail is easily forwarded.
type SMTPNotifier struct {
	Addr     string // host:port of the mail server
	From     string
	To       []string
	Username string // optional PLAIN auth (only over TLS or to localhost)
	Password string
	SiteName string
	AdminURL string // e.g. https://warta.example/admin/comments
}

// CommentHeld sends one short mail.
func (n *SMTPNotifier) CommentHeld(ctx context.Context, c *model.Comment, a *model.Article) error {
	if len(n.To) == 0 {
		return nil
	}
	subject := fmt.Sprintf("[%s] Komentar menunggu moderasi: %s", n.SiteName, a.Title)
	var body bytes.Buffer
	fmt.Fprintf(&body, "Komentar baru pada \"%s\" menunggu moderasi.\r\n\r\n", a.Title)
	fmt.Fprintf(&body, "Nama: %s\r\n\r\n", c.AuthorName)
	for _, line := range strings.Split(c.Body, "\n") {
		fmt.Fprintf(&body, "> %s\r\n", strings.TrimRight(line, "\r"))
	}
	if n.AdminURL != "" {
		fmt.Fprintf(&body, "\r\nModerasi: %s\r\n", n.AdminURL)
	}
	var msg bytes.Buffer
	fmt.Fprintf(&msg, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
		n.From, strings.Join(n.To, ", "), mime.QEncoding.Encode("utf-8", subject), time.Now().Format(time.RFC1123Z))
	msg.Write(body.Bytes())

	d := net.Dialer{Timeout: 10 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", n.Addr)
	if err != nil {
		return err
	}
	host, _, _ := net.SplitHostPort(n.Addr)
	cl, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return err
	}
	defer cl.Close()
	if ok, _ := cl.Extension("STARTTLS"); ok {
		if err := cl.StartTLS(&tls.Config{ServerName: host}); err != nil {
			return err
		}
	}
	if n.Username != "" {
		if err := cl.Auth(smtp.PlainAuth("", n.Username, n.Password, host)); err != nil {
			return err
		}
	}
	if err := cl.Mail(n.From); err != nil {
		return err
	}
	for _, to := range n.To {
		if err := cl.Rcpt(to); err != nil {
			return err
		}
	}
	w, err := cl.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg.Bytes()); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return cl.Quit()
}
