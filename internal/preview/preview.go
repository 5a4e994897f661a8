// Package preview owns the signed links that show a draft or scheduled
// story, in the site's own design, to someone without an account (a
// source, a lawyer) for a set time. A link names the article and when it
// ends, signed with a key derived from the site's secret and a nonce kept
// per article: making a new link for the article changes the nonce, which
// ends every earlier one (and "stop sharing" forgets it).
//
// A link changes nothing readers see, so no change event follows; the page
// it opens is never cached (internal/web, internal/app).
package preview

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"warta/internal/article"
	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/valid"
)

// Store is what preview links need from storage.
type Store interface {
	store.Transactor
	ArticleByID(ctx context.Context, id int64) (*model.Article, error)
	GetKV(ctx context.Context, key string) (string, error)
}

// Service makes, checks and ends preview links.
type Service struct {
	st  Store
	key []byte
	now func() time.Time
}

// New builds the service; secret is the site's secret (shared by every
// instance), from which the signing key is derived.
func New(st Store, secret []byte, now func() time.Time) *Service {
	if now == nil {
		panic("preview: no clock")
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("warta preview link v1"))
	return &Service{st: st, key: m.Sum(nil), now: now}
}

// Lifetimes are how long a link may work, as the newsroom offers them.
var Lifetimes = []time.Duration{time.Hour, 24 * time.Hour, 7 * 24 * time.Hour}

// Prefix is the path under which links open.
const Prefix = "/pratinjau/"

var (
	// ErrInvalid: the link was never made here, was altered, or was
	// ended by a newer link or by "stop sharing" (404).
	ErrInvalid = errors.New("preview: invalid link")
	// ErrExpired: the link is genuine but its time is over (410).
	ErrExpired = errors.New("preview: link expired")
)

// Link is a working preview link.
type Link struct {
	// Path is Prefix + the article's id + "?k=" + the key (the end and
	// the signature). The key rides in the query, which request logs
	// leave out, so logs never hold a working link.
	Path    string
	Expires time.Time
}

func kvKey(id int64) string { return "preview_link:" + strconv.FormatInt(id, 10) }

// sign is the token's signature over the article, the end and the nonce.
func (s *Service) sign(id, exp int64, nonce string) string {
	m := hmac.New(sha256.New, s.key)
	fmt.Fprintf(m, "%d\x00%d\x00%s", id, exp, nonce)
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

func (s *Service) link(id, exp int64, nonce string) Link {
	key := strconv.FormatInt(exp, 10) + "-" + s.sign(id, exp, nonce)
	return Link{Path: Prefix + strconv.FormatInt(id, 10) + "?k=" + key, Expires: time.Unix(exp, 0).UTC()}
}

// stored is the article's nonce and its link's end ("" when none).
func parseStored(v string) (nonce string, exp int64, ok bool) {
	nonce, e, found := strings.Cut(v, " ")
	if !found {
		return "", 0, false
	}
	exp, err := strconv.ParseInt(e, 10, 64)
	return nonce, exp, err == nil && nonce != ""
}

// editable loads article id in tx and checks actor may edit it (who may
// edit a story may show it).
func editable(ctx context.Context, tx store.Tx, actor *model.User, id int64) (*model.Article, error) {
	a, err := tx.ArticleByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !article.CanEdit(actor, a) {
		return nil, valid.ErrForbidden
	}
	return a, nil
}

// Create makes a link to article id that works for ttl (one of
// Lifetimes), ending any earlier link to it.
func (s *Service) Create(ctx context.Context, actor *model.User, id int64, ttl time.Duration) (Link, error) {
	ok := false
	for _, l := range Lifetimes {
		ok = ok || l == ttl
	}
	if !ok {
		var errs valid.Errors
		errs.Add("ttl", "invalid", "validation.invalid", "ttl")
		return Link{}, errs.Err()
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return Link{}, err
	}
	nonce := hex.EncodeToString(b)
	exp := s.now().Add(ttl).Unix()
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		if _, err := editable(ctx, tx, actor, id); err != nil {
			return err
		}
		return tx.PutKV(ctx, kvKey(id), nonce+" "+strconv.FormatInt(exp, 10))
	})
	if err != nil {
		return Link{}, err
	}
	return s.link(id, exp, nonce), nil
}

// Revoke ends the article's link, if it has one.
func (s *Service) Revoke(ctx context.Context, actor *model.User, id int64) error {
	return s.st.InTx(ctx, func(tx store.Tx) error {
		if _, err := editable(ctx, tx, actor, id); err != nil {
			return err
		}
		return tx.DeleteKV(ctx, kvKey(id))
	})
}

// Current is the article's working link (nil when it has none, or it
// expired).
func (s *Service) Current(ctx context.Context, id int64) (*Link, error) {
	v, err := s.st.GetKV(ctx, kvKey(id))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	nonce, exp, ok := parseStored(v)
	if !ok || !s.now().Before(time.Unix(exp, 0)) {
		return nil, nil
	}
	l := s.link(id, exp, nonce)
	return &l, nil
}

// Open checks a link (the article's id, as in the path, and the key of
// its query) and returns its article and when the link ends. A link that
// is malformed, altered or ended is ErrInvalid; a genuine one past its
// time is ErrExpired.
func (s *Service) Open(ctx context.Context, idText, key string) (*model.Article, time.Time, error) {
	expText, sig, ok := strings.Cut(key, "-")
	if !ok || len(key) > 100 {
		return nil, time.Time{}, ErrInvalid
	}
	id, err1 := strconv.ParseInt(idText, 10, 64)
	exp, err2 := strconv.ParseInt(expText, 10, 64)
	if err1 != nil || err2 != nil || id < 1 || strconv.FormatInt(id, 10) != idText || strconv.FormatInt(exp, 10) != expText {
		return nil, time.Time{}, ErrInvalid
	}
	v, err := s.st.GetKV(ctx, kvKey(id))
	if errors.Is(err, store.ErrNotFound) {
		return nil, time.Time{}, ErrInvalid
	}
	if err != nil {
		return nil, time.Time{}, err
	}
	nonce, _, ok := parseStored(v)
	if !ok || !hmac.Equal([]byte(s.sign(id, exp, nonce)), []byte(sig)) {
		return nil, time.Time{}, ErrInvalid
	}
	end := time.Unix(exp, 0).UTC()
	if !s.now().Before(end) {
		return nil, end, ErrExpired
	}
	a, err := s.st.ArticleByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, time.Time{}, ErrInvalid
	}
	if err != nil {
		return nil, time.Time{}, err
	}
	return a, end, nil
}
