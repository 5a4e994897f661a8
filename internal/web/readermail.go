package web

import (
	"errors"
	"net/http"
	"strconv"

	"warta/internal/comment"
)

// The pages behind the links in readers' mails: confirming an address
// for reply notifications, and unsubscribing from them. Each GET shows a
// button and changes nothing (mail scanners open links); the POST acts.
// The unsubscribe POST is also what a mail client sends for
// List-Unsubscribe-Post (RFC 8058), so it needs no form token: the
// signed link is the credential.

type readerMailPage struct {
	*Base
	Heading, Message, Button, Action string
	Done, Bad                        bool
}

func readerLink(r *http.Request) comment.ReaderLink {
	q := r.URL.Query()
	id, _ := strconv.ParseInt(q.Get("id"), 10, 64)
	exp, _ := strconv.ParseInt(q.Get("exp"), 10, 64)
	return comment.ReaderLink{ID: id, Exp: exp, Key: q.Get("kunci")}
}

func (s *Site) confirmEmail(w http.ResponseWriter, r *http.Request) error {
	return s.readerMail(w, r, "confirm", func(l comment.ReaderLink) error {
		if r.Method == http.MethodPost {
			return s.opt.Comments.ConfirmEmail(r.Context(), l)
		}
		_, err := s.opt.Comments.CheckConfirm(r.Context(), l)
		return err
	})
}

func (s *Site) unsubscribe(w http.ResponseWriter, r *http.Request) error {
	return s.readerMail(w, r, "unsubscribe", func(l comment.ReaderLink) error {
		if r.Method == http.MethodPost {
			return s.opt.Comments.Unsubscribe(r.Context(), l)
		}
		return s.opt.Comments.CheckUnsubscribe(r.Context(), l)
	})
}

func (s *Site) readerMail(w http.ResponseWriter, r *http.Request, what string, act func(comment.ReaderLink) error) error {
	if s.opt.Comments == nil {
		return notFound()
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	b, err := s.base(r, "")
	if err != nil {
		return err
	}
	b.NoIndex = true
	p := &readerMailPage{Base: b, Heading: b.L.T("reader." + what + ".title"), Action: r.URL.RequestURI()}
	b.Title = p.Heading + " – " + b.Site.SiteName
	code := http.StatusOK
	switch err := act(readerLink(r)); {
	case errors.Is(err, comment.ErrBadLink):
		p.Bad, p.Message, code = true, b.L.T("reader.bad_link"), http.StatusGone
	case err != nil:
		return err
	case r.Method == http.MethodPost:
		p.Done, p.Message = true, b.L.T("reader."+what+".done")
	default:
		p.Message, p.Button = b.L.T("reader."+what+".ask"), b.L.T("reader."+what+".submit")
	}
	s.render(w, r, code, "readermail", p)
	return nil
}
