// Package comment owns the rules for reader comments: what a valid comment
// is, when it is held for a moderator or filed as spam, and what moderators
// may do. Layered spam defences need no outside service: a honeypot, a
// signed form token, per-address limits, blocklists, heuristics, a word
// list and a learning filter (package spam).
package comment

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/mail"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"warta/internal/article"
	"warta/internal/comment/spam"
	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/valid"
)

// Store is what the comment rules need from storage. Every change goes
// through InTx.
type Store interface {
	store.Transactor
	store.Comments
	store.Settings
	store.SpamFilter
	ArticleByID(ctx context.Context, id int64) (*model.Article, error)
	ListUsers(ctx context.Context) ([]model.User, error)
	ReaderEmailByID(ctx context.Context, id int64) (*model.ReaderEmail, error)
	ReaderEmailFor(ctx context.Context, email string) (*model.ReaderEmail, error)
}

// Notifier tells moderators that a comment waits for them.
type Notifier interface {
	CommentHeld(ctx context.Context, c *model.Comment, a *model.Article) error
}

// Mailer queues the mails about comments, inside the transaction that
// stores the comment (package mail).
type Mailer interface {
	// CommentHeld queues a mail to each moderator who asked for one and
	// reports whether it queued any.
	CommentHeld(ctx context.Context, tx store.Tx, c *model.Comment, a *model.Article, baseURL string) (bool, error)
	// Queued wakes the sender after the commit.
	Queued()
}

// Service applies the comment rules.
type Service struct {
	st      Store
	events  *event.Bus
	mail    Mailer // nil: no mail
	baseURL string
	notify  Notifier
	log     *slog.Logger
	now     func() time.Time
	secret  []byte
	limiter *limiter
}

// Options configure the service.
type Options struct {
	Store    Store
	Events   *event.Bus
	Notifier Notifier // nil: log only
	// Mail queues mails to moderators and readers (nil: none). When it is
	// also a ReplyMailer, readers may ask for mail about replies.
	Mail Mailer
	// BaseURL is --base-url, for links in mails sent outside a request.
	BaseURL string
	Log     *slog.Logger
	Now     func() time.Time
	// Secret signs form tokens and pending-comment links; it must be the
	// same on every instance (NewService reads it from the database).
	Secret []byte
	// PerHour caps comments one address may send in an hour.
	PerHour int
}

// Limits on fields, as WordPress has them.
const (
	MaxName  = 100
	MaxEmail = 200
	MaxURL   = 200
)

// Form timing: a human needs a few seconds to write; a form a day old is
// stale (its token's signature still holds, but the page may have changed).
const (
	MinFormAge = 3 * time.Second
	MaxFormAge = 24 * time.Hour
)

// NewService gives the database's learning spam filter its starting
// counts if it has none yet (see seedFilter).
func NewService(ctx context.Context, o Options) (*Service, error) {
	if o.Now == nil {
		return nil, errors.New("comment: no clock")
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Notifier == nil {
		o.Notifier = LogNotifier{Log: o.Log}
	}
	if o.PerHour <= 0 {
		o.PerHour = 30
	}
	if len(o.Secret) == 0 {
		return nil, errors.New("comment: a secret is required")
	}
	s := &Service{st: o.Store, events: o.Events, notify: o.Notifier, mail: o.Mail, baseURL: o.BaseURL, log: o.Log, now: o.Now, secret: o.Secret,
		limiter: newLimiter(o.PerHour, time.Hour)}
	if err := s.seedFilter(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Input is one submission of the comment form.
type Input struct {
	Article   *model.Article
	Name      string
	Email     string
	URL       string
	Body      string
	ParentID  int64
	Token     string
	Honeypot  string
	IP        netip.Addr
	UserAgent string
	// ServedAt is when this address last loaded the page, when known. A
	// page from a cache carries an older token, so the later of the two
	// times is the one a human had to write in.
	ServedAt time.Time
	// BaseURL is the site's address, for links in mails about it.
	BaseURL string
	// Notify: the reader asks for mail when someone replies.
	Notify bool
}

// Clean trims what the reader typed the way it will be stored, so the
// form shows back exactly what would be kept.
func (in *Input) Clean() {
	in.Name = cleanName(in.Name)
	in.Email = strings.TrimSpace(stripControls(in.Email))
	in.URL = strings.TrimSpace(stripControls(in.URL))
	in.Body = cleanBody(in.Body)
}

// cleanBody trims a comment's text the way it is stored, a reader's or the
// newsroom's: no control characters, Unix line ends, no surrounding space.
func cleanBody(body string) string {
	return strings.TrimSpace(strings.ReplaceAll(stripControls(body), "\r\n", "\n"))
}

// stripControls drops control characters other than newline and tab, and
// the invisible ones that reorder or hide text (see invisible).
func stripControls(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == utf8.RuneError || invisible(r) {
			return -1
		}
		return r
	}, s)
}

// Submit checks and stores a comment. On a mistake it returns
// valid.Errors (field "form" for problems not tied to one field) and
// stores nothing.
func (s *Service) Submit(ctx context.Context, in Input) (*model.Comment, error) {
	in.Clean()
	now := s.now()
	settings, err := s.st.Settings(ctx)
	if err != nil {
		return nil, err
	}
	if !s.Open(in.Article, settings) {
		return nil, formError("closed", "comment.error.closed")
	}
	parent, err := s.checkFields(ctx, &in, settings)
	if err != nil {
		return nil, err
	}
	if err := s.checkForm(in, now); err != nil {
		return nil, err
	}
	if err := s.checkLimits(ctx, in, settings, now); err != nil {
		return nil, err
	}
	hash := bodyHash(in.Body)
	if err := s.checkDuplicate(ctx, in.Article.ID, hash); err != nil {
		return nil, err
	}
	c := newComment(in, parent, now)
	if c.Status, c.SpamScore, c.Reasons, err = s.judge(ctx, settings, in); err != nil {
		return nil, err
	}
	mailed := false
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.CreateComment(ctx, c, hash); err != nil {
			return err
		}
		if s.mail == nil {
			return nil
		}
		var q bool
		var err error
		if c.Status == model.CommentPending {
			if mailed, err = s.mail.CommentHeld(ctx, tx, c, in.Article, in.BaseURL); err != nil {
				return err
			}
		}
		if settings.ConfirmCommenterEmail && c.Status == model.CommentPending && !in.Notify {
			if q, err = s.askConfirmation(ctx, tx, c, in.BaseURL); err != nil {
				return err
			}
			mailed = mailed || q
		}
		if in.Notify && c.Status != model.CommentSpam {
			if q, err = s.subscribe(ctx, tx, c, in.BaseURL); err != nil {
				return err
			}
			mailed = mailed || q
		}
		q, err = s.replyPublished(ctx, tx, c, in.BaseURL)
		mailed = mailed || q
		return err
	})
	if err != nil {
		return nil, err
	}
	s.mailQueued(mailed)
	s.received(ctx, c, in.Article)
	return c, nil
}

// formError is a problem with the form as a whole.
func formError(code, key string) valid.Errors {
	return valid.Errors{{Field: "form", Code: code, Key: key}}
}

// checkBody applies the site's rules for a comment's text, the reader's
// and the newsroom's alike: not empty, not longer than the site allows.
func checkBody(errs *valid.Errors, field, body string, settings model.Settings) {
	if body == "" {
		errs.Add(field, "required", "comment.error.body_empty")
	} else if utf8.RuneCountInString(body) > settings.CommentMaxLength {
		errs.Add(field, "too_long", "comment.error.body_too_long", settings.CommentMaxLength)
	}
}

// checkFields checks what the reader typed, every field at once, and
// finds the comment answered. It normalises the website address in in.
func (s *Service) checkFields(ctx context.Context, in *Input, settings model.Settings) (*model.Comment, error) {
	var errs valid.Errors
	checkBody(&errs, "body", in.Body, settings)
	checkAuthor(&errs, in)
	if in.Name != "" {
		staff, err := s.staffName(ctx, in.Name, settings)
		if err != nil {
			return nil, err
		}
		if staff {
			errs.Add("name", "reserved", "comment.error.name_reserved")
		}
	}
	parent, ok := s.findParent(ctx, in)
	if !ok {
		errs.Add("form", "invalid", "comment.error.parent_not_found")
	}
	return parent, errs.Err()
}

// checkAuthor checks the name, the email and the website (normalised).
func checkAuthor(errs *valid.Errors, in *Input) {
	if in.Name == "" {
		errs.Add("name", "required", "comment.error.name_required")
	} else if utf8.RuneCountInString(in.Name) > MaxName {
		errs.Add("name", "too_long", "validation.too_long", "name", MaxName)
	}
	if in.Email == "" {
		errs.Add("email", "required", "comment.error.email_required")
	} else if !validEmail(in.Email) {
		errs.Add("email", "invalid", "comment.error.email_invalid")
	}
	if in.URL != "" {
		if u, ok := normaliseURL(in.URL); ok {
			in.URL = u
		} else {
			errs.Add("url", "invalid", "comment.error.url_invalid")
		}
	}
}

// findParent returns the comment answered (nil for none); readers may
// answer only an approved comment of the same article.
func (s *Service) findParent(ctx context.Context, in *Input) (*model.Comment, bool) {
	if in.ParentID == 0 {
		return nil, true
	}
	parent, err := s.st.CommentByID(ctx, in.ParentID)
	if err != nil || parent.ArticleID != in.Article.ID || parent.Status != model.CommentApproved {
		return nil, false
	}
	return parent, true
}

// checkForm checks the signed form token and its timing: a human needs
// a few seconds to write, and a day-old form is stale.
func (s *Service) checkForm(in Input, now time.Time) error {
	issued, ok := s.checkToken(in.Token, in.Article.ID)
	shown := issued
	if in.ServedAt.After(shown) {
		shown = in.ServedAt
	}
	switch {
	case !ok:
		return formError("expired", "comment.error.expired")
	case now.Sub(shown) < MinFormAge:
		return formError("too_soon", "comment.error.too_soon")
	case now.Sub(issued) > MaxFormAge:
		return formError("expired", "comment.error.expired")
	}
	return nil
}

// checkLimits applies flood control (the site's pause between two
// comments from one address) and the hourly limit per address.
func (s *Service) checkLimits(ctx context.Context, in Input, settings model.Settings, now time.Time) error {
	if !in.IP.IsValid() {
		return nil
	}
	ip := in.IP.String()
	if settings.CommentFloodSeconds > 0 {
		last, err := s.st.LastCommentFrom(ctx, ip)
		if err != nil {
			return err
		}
		if !last.IsZero() && now.Sub(last) < time.Duration(settings.CommentFloodSeconds)*time.Second {
			return formError("too_fast", "comment.error.too_fast")
		}
	}
	if !s.limiter.allow(ip, now) {
		return formError("too_fast", "comment.error.too_fast")
	}
	return nil
}

// checkDuplicate refuses the same text twice on one article.
func (s *Service) checkDuplicate(ctx context.Context, articleID int64, hash string) error {
	dup, err := s.st.DuplicateComment(ctx, articleID, hash)
	if err != nil {
		return err
	}
	if dup {
		return valid.Errors{{Field: "body", Code: "duplicate", Key: "comment.error.duplicate"}}
	}
	return nil
}

// newComment is the comment to store for a checked submission.
func newComment(in Input, parent *model.Comment, now time.Time) *model.Comment {
	c := &model.Comment{ArticleID: in.Article.ID, AuthorName: in.Name, AuthorEmail: in.Email, AuthorURL: in.URL, Body: in.Body,
		CreatedAt: now, IP: in.IP.String(), UserAgent: truncate(in.UserAgent, 300)}
	if parent != nil {
		c.ParentID = &parent.ID
	}
	return c
}

// received logs a stored comment, then refreshes the pages that show it
// (approved) or tells the moderators (held).
func (s *Service) received(ctx context.Context, c *model.Comment, a *model.Article) {
	s.log.Info("comment received", "comment_id", c.ID, "article_id", a.ID, "status", c.Status, "score", c.SpamScore, "reasons", c.Reasons)
	switch c.Status {
	case model.CommentApproved:
		s.events.Publish(ctx, event.CommentChanged{ArticleID: a.ID, URL: article.Path(a)})
	case model.CommentPending:
		if err := s.notify.CommentHeld(ctx, c, a); err != nil {
			s.log.Warn("moderator notification failed", "comment_id", c.ID, "err", err)
		}
	}
}

// judge decides the new comment's status by the site's rules, strongest
// first: spam signals, then reasons to hold, else approve.
func (s *Service) judge(ctx context.Context, st model.Settings, in Input) (model.CommentStatus, float64, string, error) {
	var reasons []spam.Reason
	if in.Honeypot != "" {
		return model.CommentSpam, 1, spam.NewReason("honeypot").String(), nil
	}
	if hit := blocked(st.BlockWords, in); hit != "" {
		return model.CommentSpam, 1, spam.NewReason("blocklist", spam.TextArg(hit)).String(), nil
	}
	filter := &storedFilter{ctx: ctx, st: s.st}
	v := spam.Evaluate(filter, spam.Input{Name: in.Name, Email: in.Email, URL: in.URL, Body: in.Body})
	if filter.err != nil {
		return "", 0, "", filter.err
	}
	reasons = append(reasons, v.Reasons...)
	threshold := float64(st.SpamThreshold) / 100
	if threshold <= 0 || threshold > 1 {
		threshold = 0.9
	}
	if v.Score >= threshold {
		return model.CommentSpam, v.Score, spam.EncodeReasons(reasons), nil
	}
	hold := false
	if v.Score >= 0.5 {
		hold = true
		reasons = append(reasons, spam.NewReason("held_score", spam.DecimalArg(v.Score, 2)))
	}
	if hit := matchWords(st.ModerationWords, in); hit != "" {
		hold = true
		reasons = append(reasons, spam.NewReason("moderation_list", spam.TextArg(hit)))
	}
	if st.HoldLinkCount > 0 && v.Links >= st.HoldLinkCount {
		hold = true
		reasons = append(reasons, spam.NewReason("hold_links", spam.IntArg(st.HoldLinkCount)))
	}
	if st.HoldFirstComment {
		known, err := s.st.HasApprovedComment(ctx, in.Name, in.Email)
		if err != nil {
			return "", 0, "", err
		}
		if !known {
			hold = true
			reasons = append(reasons, spam.NewReason("first_comment"))
		}
	}
	if st.ConfirmCommenterEmail {
		ok, err := s.emailConfirmed(ctx, in.Email)
		if err != nil {
			return "", 0, "", err
		}
		if !ok {
			hold = true
			reasons = append(reasons, spam.NewReason("unconfirmed_email"))
		}
	}
	status := model.CommentApproved
	if hold {
		status = model.CommentPending
	}
	return status, v.Score, spam.EncodeReasons(reasons), nil
}

// Open reports whether a takes comments now: per article, and closed
// automatically CloseCommentsDays after publication when set.
func (s *Service) Open(a *model.Article, st model.Settings) bool {
	if !a.CommentsOpen || !a.IsPublic(s.now()) || a.Retracted() {
		return false
	}
	if st.CloseCommentsDays > 0 && a.PublishedAt != nil &&
		s.now().Sub(*a.PublishedAt) > time.Duration(st.CloseCommentsDays)*24*time.Hour {
		return false
	}
	return true
}

// PurgeOld forgets the IP address and browser of comments older than the
// site's retention period.
func (s *Service) PurgeOld(ctx context.Context) (int64, error) {
	st, err := s.st.Settings(ctx)
	if err != nil || st.PurgeIPDays <= 0 {
		return 0, err
	}
	return s.st.PurgeCommentIPs(ctx, s.now().Add(-time.Duration(st.PurgeIPDays)*24*time.Hour))
}

// Token signs "this form for this article was served at now".
func (s *Service) Token(articleID int64) string {
	payload := strconv.FormatInt(s.now().Unix(), 36) + "." + strconv.FormatInt(articleID, 36)
	return payload + "." + s.sign("form", payload)[:22]
}

func (s *Service) checkToken(tok string, articleID int64) (time.Time, bool) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return time.Time{}, false
	}
	payload := parts[0] + "." + parts[1]
	if !hmac.Equal([]byte(parts[2]), []byte(s.sign("form", payload)[:22])) {
		return time.Time{}, false
	}
	ts, err1 := strconv.ParseInt(parts[0], 36, 64)
	id, err2 := strconv.ParseInt(parts[1], 36, 64)
	if err1 != nil || err2 != nil || id != articleID {
		return time.Time{}, false
	}
	return time.Unix(ts, 0), true
}

// PendingKey signs a comment id for the link that lets its author see it
// while it waits for moderation.
func (s *Service) PendingKey(id int64) string {
	return s.sign("pending", strconv.FormatInt(id, 10))[:20]
}

// CheckPendingKey verifies PendingKey.
func (s *Service) CheckPendingKey(id int64, key string) bool {
	return hmac.Equal([]byte(key), []byte(s.PendingKey(id)))
}

// AvatarKey is a stable, non-reversible key for a commenter's generated
// avatar: the email never leaves the server, not even hashed plainly.
func (s *Service) AvatarKey(email string) string {
	return s.sign("avatar", strings.ToLower(strings.TrimSpace(email)))[:16]
}

func (s *Service) sign(purpose, msg string) string {
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

func bodyHash(body string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.Join(strings.Fields(body), " "))))
	return hex.EncodeToString(sum[:16])
}

func validEmail(e string) bool {
	if len(e) > MaxEmail || strings.ContainsAny(e, " <>\"(),;:") {
		return false
	}
	addr, err := mail.ParseAddress(e)
	if err != nil || addr.Address != e {
		return false
	}
	at := strings.LastIndexByte(e, '@')
	return at > 0 && strings.Contains(e[at+1:], ".") && !strings.HasSuffix(e, ".")
}

// normaliseURL accepts a website with or without scheme; only http(s).
func normaliseURL(raw string) (string, bool) {
	if len(raw) > MaxURL || strings.ContainsAny(raw, " \t\n<>\"'") {
		return "", false
	}
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !strings.Contains(u.Hostname(), ".") || u.User != nil {
		return "", false
	}
	return u.String(), true
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
