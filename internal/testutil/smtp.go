package testutil

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// SMTPServer is a real SMTP server on loopback (go-smtp, in process) that
// keeps every mail it accepts, for tests of what Warta sends.
type SMTPServer struct {
	t    testing.TB
	srv  *smtp.Server
	addr string

	mu     sync.Mutex
	got    []*Mail
	refuse []*smtp.SMTPError // answers to the next DATA commands, in order
	notify chan struct{}
}

// Mail is one mail the test server accepted.
type Mail struct {
	From   string
	To     []string
	Raw    []byte
	Header mail.Header
	Text   string // the text/plain part, decoded
	HTML   string // the text/html part, decoded
}

// Subject is the decoded Subject header.
func (m *Mail) Subject() string {
	s, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return m.Header.Get("Subject")
	}
	return s
}

// StartSMTP starts a server that stops when the test ends.
func StartSMTP(t testing.TB) *SMTPServer {
	t.Helper()
	s := &SMTPServer{t: t, notify: make(chan struct{}, 1)}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{s: s}, nil }))
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout, s.srv.WriteTimeout = 30*time.Second, 30*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	go s.srv.Serve(ln)
	t.Cleanup(func() { s.srv.Close() })
	return s
}

// URL is the server's address as --smtp takes it.
func (s *SMTPServer) URL() string { return "smtp://" + s.addr }

// Refuse makes the server answer the next mails' DATA with these codes
// (4xx: try later; 5xx: refused for good), one code per mail.
func (s *SMTPServer) Refuse(codes ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range codes {
		s.refuse = append(s.refuse, &smtp.SMTPError{Code: c, EnhancedCode: smtp.EnhancedCode{c / 100, 0, 0}, Message: "test server says no"})
	}
}

// Mails returns what arrived so far.
func (s *SMTPServer) Mails() []*Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*Mail(nil), s.got...)
}

// WaitFor waits until n mails arrived (failing the test after 20 s) and
// returns them.
func (s *SMTPServer) WaitFor(n int) []*Mail {
	s.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		if got := s.Mails(); len(got) >= n {
			return got
		}
		select {
		case <-s.notify:
		case <-deadline:
			s.t.Fatalf("SMTP: %d mails arrived, want %d", len(s.Mails()), n)
		}
	}
}

type smtpSession struct {
	s    *SMTPServer
	from string
	to   []string
}

func (x *smtpSession) Reset()        { x.from, x.to = "", nil }
func (x *smtpSession) Logout() error { return nil }
func (x *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}
func (x *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, to)
	return nil
}

func (x *smtpSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s := x.s
	s.mu.Lock()
	if len(s.refuse) > 0 {
		e := s.refuse[0]
		s.refuse = s.refuse[1:]
		s.mu.Unlock()
		return e
	}
	s.mu.Unlock()
	m := &Mail{From: x.from, To: x.to, Raw: raw}
	if err := m.parse(); err != nil {
		s.t.Errorf("SMTP: unreadable mail: %v\n%s", err, raw)
	}
	s.mu.Lock()
	s.got = append(s.got, m)
	s.mu.Unlock()
	select {
	case s.notify <- struct{}{}:
	default:
	}
	return nil
}

func (m *Mail) parse() error {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Raw))
	if err != nil {
		return err
	}
	m.Header = msg.Header
	return m.part(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
}

func (m *Mail) part(ctype, enc string, body io.Reader) error {
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return err
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			if err := m.part(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p); err != nil {
				return err
			}
		}
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	switch strings.ToLower(enc) {
	case "base64":
		return errors.New("base64 parts are not read by the test server")
	case "quoted-printable":
		// multipart.Reader decodes its parts itself and drops the header;
		// a single-part mail comes here still encoded.
		if b, err = io.ReadAll(quotedprintable.NewReader(bytes.NewReader(b))); err != nil {
			return err
		}
	}
	switch mt {
	case "text/plain":
		m.Text = string(b)
	case "text/html":
		m.HTML = string(b)
	}
	return nil
}
