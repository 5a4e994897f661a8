package mail

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"warta/internal/model"
)

// SMTP sends mail through one server, named by a URL:
// smtp://[user:pass@]host[:port] talks plain SMTP and upgrades with
// STARTTLS whenever the server offers it (port 587 by default);
// smtps://… speaks TLS from the first byte (port 465 by default).
type SMTP struct {
	host string
	opts []gomail.Option
	from string
	now  func() time.Time
}

// ParseSMTPURL checks an SMTP URL as --smtp takes it.
func ParseSMTPURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" || (u.Path != "" && u.Path != "/") {
		return nil, errors.New("not smtp://[user:pass@]host:port or smtps://…")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, errors.New("the port is not a number from 1 to 65535")
		}
	}
	return u, nil
}

// NewSMTP builds a sender for rawURL whose mails come from from; now
// dates them.
func NewSMTP(rawURL, from string, now func() time.Time) (*SMTP, error) {
	u, err := ParseSMTPURL(rawURL)
	if err != nil {
		return nil, err
	}
	s := &SMTP{host: u.Hostname(), from: from, now: now}
	port := 587
	if u.Scheme == "smtps" {
		port = 465
		s.opts = append(s.opts, gomail.WithSSL())
	} else {
		s.opts = append(s.opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if p := u.Port(); p != "" {
		port, _ = strconv.Atoi(p)
	}
	s.opts = append(s.opts, gomail.WithPort(port), gomail.WithTimeout(30*time.Second))
	if u.User != nil && u.User.Username() != "" {
		pw, _ := u.User.Password()
		s.opts = append(s.opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pw))
	}
	return s, nil
}

// Send delivers m. An error the server gave for good (a 5xx answer) is a
// *PermanentError; anything else may pass on a later try.
func (s *SMTP) Send(ctx context.Context, m *model.Mail) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return &PermanentError{Msg: "the sender address (--mail-from) is not valid"}
	}
	if err := msg.To(m.To); err != nil {
		return &PermanentError{Msg: "the recipient address is not valid"}
	}
	msg.Subject(m.Subject)
	msg.SetDateWithValue(m.CreatedAt)
	domain := s.from[strings.LastIndexByte(s.from, '@')+1:]
	msg.SetMessageIDWithValue(fmt.Sprintf("warta.%d.%d@%s", m.ID, m.CreatedAt.Unix(), domain))
	for k, v := range m.Headers {
		msg.SetGenHeader(gomail.Header(k), v)
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	c, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return err
	}
	err = c.DialAndSendWithContext(ctx, msg)
	if err == nil {
		return nil
	}
	var se *gomail.SendError
	if errors.As(err, &se) && se.ErrorCode() >= 500 && se.ErrorCode() < 600 {
		return &PermanentError{Msg: answer(err)}
	}
	return errors.New(answer(err))
}

// PermanentError is a refusal that retrying will not change.
type PermanentError struct{ Msg string }

func (e *PermanentError) Error() string { return e.Msg }

// answer is the server's answer as the newsroom shows it: the error
// without the list of recipients go-mail appends (the row shows its
// recipient; the log shows neither).
func answer(err error) string {
	s := err.Error()
	if i := strings.Index(s, ", affected recipient(s): "); i >= 0 {
		rest := s[i:]
		s = s[:i]
		if j := strings.Index(rest, ", affected message ID: "); j >= 0 {
			s += rest[j:]
		}
	}
	if len(s) > 1000 {
		s = s[:1000]
	}
	return s
}
