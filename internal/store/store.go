// Package store names what Warta keeps and the errors its storage returns.
// The one implementation lives in sqlstore; domain packages depend on the
// narrow interfaces here, never on SQL.
package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"warta/internal/model"
	"warta/internal/search"
)

var (
	// ErrNotFound: the thing asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict: a unique value (slug, email) is taken, or a stale write.
	ErrConflict = errors.New("conflict")
	// ErrUnavailable: the database did not answer within the request's
	// deadline (hung, overloaded, or its one writer busy). The caller
	// should answer 503 with Retry-After; nothing was written.
	ErrUnavailable = errors.New("database unavailable")
	// ErrStale: the row changed since the caller read it (a kind of conflict).
	ErrStale = fmt.Errorf("%w: changed by someone else", ErrConflict)
)

// Tx is the store seen from inside one transaction (Transactor.InTx):
// every read sees the transaction's own writes, and nothing written stays
// unless the whole unit of work succeeds.
type Tx interface {
	Articles
	Taxonomy
	Pages
	Users
	Settings
	Media
	MediaLibrary
	Comments
	KV
	SpamFilter
	Sessions
	Newsroom
	Revisions
	Views
	Corrections
	Redirects
	Reports
	SearchVariants
	MailQueue
	PasswordTokens
	ReaderEmails
	TwoFactor
	// Now is the program's clock, the one the store stamps rows with.
	Now() time.Time
	// InTx on a transaction joins it, so a domain service built on a Tx
	// (an import, the first start) writes within the caller's unit of work.
	Transactor
}

// Transactor runs a unit of work in one transaction. The domain services
// make every change through it.
type Transactor interface {
	InTx(ctx context.Context, fn func(tx Tx) error) error
}

// ArticleQuery selects articles. Zero fields do not filter.
type ArticleQuery struct {
	Status     model.Status
	PublicAt   time.Time // when set: only articles published at or before this instant
	CategoryID int64     // includes sub-categories
	TagID      int64
	AuthorID   int64
	From, To   time.Time // published_at in [From, To)
	Text       string    // plain substring match on title and body (search proper comes later)
	VisibleTo  int64     // when set: published articles plus this user's own
	BeforeID   int64     // keyset cursor for the API: id < BeforeID, ordered by id desc
	// Order sorts the newsroom's list; zero keeps the default order
	// (newest publication first for PublicAt, else newest id first).
	// BeforeID ignores it: the API's cursor needs the id order.
	Order  ArticleOrder
	Limit  int
	Offset int
	// WithoutBody leaves BodyHTML empty, for lists of cards. Body is
	// empty too, except for an article with no excerpt: then it holds the
	// opening of the text (CardOpening characters), enough to derive a
	// summary from.
	WithoutBody bool
}

// CardOpening is how much of an article's text (in characters) a list of
// cards reads when the article has no excerpt: its first paragraphs, to
// derive the card's summary from.
const CardOpening = 2000

// ArticleSort names a column the newsroom's article list sorts by.
type ArticleSort string

const (
	// SortDate is the date that matters for the article: its publication
	// (or scheduled) time, else its last change.
	SortDate   ArticleSort = "date"
	SortTitle  ArticleSort = "title"
	SortAuthor ArticleSort = "author" // the author's name
	// SortStatus follows the workflow: draft, pending, scheduled, published.
	SortStatus ArticleSort = "status"
)

// Valid reports whether s is one of the sorts above.
func (s ArticleSort) Valid() bool {
	switch s {
	case SortDate, SortTitle, SortAuthor, SortStatus:
		return true
	}
	return false
}

// ArticleOrder is a sort of an article list. Articles equal in the column
// come newest (date) first, then by id, so every page of a sorted list
// holds the same articles however often it is asked for.
type ArticleOrder struct {
	By  ArticleSort // "" for the default order
	Asc bool        // ascending; descending when false
}

// Articles keeps news stories with their categories and tags.
type Articles interface {
	CreateArticle(ctx context.Context, a *model.Article) error
	UpdateArticle(ctx context.Context, a *model.Article) error
	DeleteArticle(ctx context.Context, id int64) error
	ArticleByID(ctx context.Context, id int64) (*model.Article, error)
	ArticleBySlug(ctx context.Context, slug string) (*model.Article, error)
	ListArticles(ctx context.Context, q ArticleQuery) ([]*model.Article, error)
	CountArticles(ctx context.Context, q ArticleQuery) (int, error)
	SlugTaken(ctx context.Context, table, slug string, exceptID int64) (bool, error)
	// RetractArticle marks a story retracted at at, giving reason; the
	// text stays. ErrConflict when it was retracted already.
	RetractArticle(ctx context.Context, id int64, reason string, at time.Time) error
	// PublishDue publishes the scheduled articles whose time has come at
	// now and returns their ids.
	PublishDue(ctx context.Context, now time.Time) ([]int64, error)
}

// CorrectionQuery selects the corrections of the articles public at
// PublicAt, newest first.
type CorrectionQuery struct {
	PublicAt time.Time
	Limit    int // 20 when zero
	Offset   int
}

// Corrections keeps corrections and replies (model.Correction).
type Corrections interface {
	// CreateCorrection stores c; its PublishedAt is stamped now when zero.
	CreateCorrection(ctx context.Context, c *model.Correction) error
	// ListCorrections returns the corrections of public articles, newest
	// first, each with Linked set to the article it corrects (no body).
	ListCorrections(ctx context.Context, q CorrectionQuery) ([]model.Correction, error)
}

// Reports keeps readers' reports of comments.
type Reports interface {
	CreateCommentReport(ctx context.Context, r *model.CommentReport) error
	// CountReportsFrom counts the reports sent from ip since since.
	CountReportsFrom(ctx context.Context, ip string, since time.Time) (int, error)
	// ReportedBy reports whether ip already reported the comment.
	ReportedBy(ctx context.Context, commentID int64, ip string) (bool, error)
	// OpenCommentReports returns the unresolved reports, oldest first,
	// each with its comment.
	OpenCommentReports(ctx context.Context, limit int) ([]model.CommentReport, error)
	// ResolveCommentReport closes a report; ErrNotFound when it is not open.
	ResolveCommentReport(ctx context.Context, id, by int64, at time.Time) error
}

// MailQuery selects queued mails for the newsroom, newest first. Zero
// fields do not filter.
type MailQuery struct {
	Status model.MailStatus
	Limit  int // 50 when zero
	Offset int
}

// MailOutcome is what became of one send: sent, or failed with the
// server's answer and either a next try at Retry or given up (Retry zero).
type MailOutcome struct {
	Sent  bool
	At    time.Time
	Error string
	Retry time.Time
}

// MailQueue keeps the mails waiting to be sent. A mail is queued in the
// transaction of the change that causes it; workers on any instance claim
// due mails with a lease, so each is sent by one of them.
type MailQueue interface {
	EnqueueMail(ctx context.Context, m *model.Mail) error
	// ClaimMail leases up to limit pending mails due at now to owner
	// until leaseUntil, counting an attempt on each, and returns them.
	// A mail leased to another owner is skipped until its lease ends.
	ClaimMail(ctx context.Context, owner string, now, leaseUntil time.Time, limit int) ([]model.Mail, error)
	// FinishMail records the outcome of a claimed mail; ErrConflict when
	// owner no longer holds its lease.
	FinishMail(ctx context.Context, id int64, owner string, o MailOutcome) error
	// NextMailDue is when the earliest pending mail is due (zero: none).
	NextMailDue(ctx context.Context) (time.Time, error)
	ListMail(ctx context.Context, q MailQuery) ([]model.Mail, error)
	CountMail(ctx context.Context, status model.MailStatus) (int, error)
	MailByID(ctx context.Context, id int64) (*model.Mail, error)
	// PurgeMail deletes mails sent or given up before before.
	PurgeMail(ctx context.Context, before time.Time) (int64, error)
	// RequeueMail makes a failed or pending mail due at at with its
	// attempts counted afresh (the newsroom's retry).
	RequeueMail(ctx context.Context, id int64, at time.Time) error
}

// ReaderEmails keeps commenters' mail confirmations and unsubscriptions.
type ReaderEmails interface {
	ReaderEmailByID(ctx context.Context, id int64) (*model.ReaderEmail, error)
	ReaderEmailFor(ctx context.Context, email string) (*model.ReaderEmail, error)
	EnsureReaderEmail(ctx context.Context, email string, at time.Time) (*model.ReaderEmail, error)
	UpdateReaderEmail(ctx context.Context, r *model.ReaderEmail) error
	SetCommentNotify(ctx context.Context, commentID int64) error
	ReplyRecipient(ctx context.Context, parentID int64) (*model.ReaderEmail, error)
}

// PasswordTokens keeps the one-time links that set a staff password.
type PasswordTokens interface {
	CreatePasswordToken(ctx context.Context, t *model.PasswordToken) error
	PasswordTokenByHash(ctx context.Context, hash string) (*model.PasswordToken, error)
	// ConsumePasswordToken marks an unused token good at at used and
	// returns it; ErrNotFound when it is unknown, used or expired.
	ConsumePasswordToken(ctx context.Context, hash string, at time.Time) (*model.PasswordToken, error)
	// UsePasswordTokens marks every unused token of the user used at at.
	UsePasswordTokens(ctx context.Context, userID int64, at time.Time) error
}

// Taxonomy keeps categories and tags.
type Taxonomy interface {
	CreateCategory(ctx context.Context, c *model.Category) error
	UpdateCategory(ctx context.Context, c *model.Category) error
	Categories(ctx context.Context) ([]model.Category, error)
	CategoryBySlug(ctx context.Context, slug string) (*model.Category, error)
	EnsureTag(ctx context.Context, name, slug string) (*model.Tag, error)
	CreateTag(ctx context.Context, t *model.Tag) error
	TagBySlug(ctx context.Context, slug string) (*model.Tag, error)
	Tags(ctx context.Context) ([]model.Tag, error)
}

// Pages keeps static pages.
type Pages interface {
	CreatePage(ctx context.Context, p *model.Page) error
	UpdatePage(ctx context.Context, p *model.Page) error
	PageBySlug(ctx context.Context, slug string) (*model.Page, error)
	ListPages(ctx context.Context) ([]model.Page, error)
}

// Users keeps accounts and API tokens.
type Users interface {
	CreateUser(ctx context.Context, u *model.User) error
	UserByID(ctx context.Context, id int64) (*model.User, error)
	UserByEmail(ctx context.Context, email string) (*model.User, error)
	UserBySlug(ctx context.Context, slug string) (*model.User, error)
	ListUsers(ctx context.Context) ([]model.User, error)
	CountUsers(ctx context.Context) (int, error)
	CreateToken(ctx context.Context, t *model.Token) error
	UserByToken(ctx context.Context, hash string) (*model.User, error)
}

// Settings keeps site-wide options.
type Settings interface {
	Settings(ctx context.Context) (model.Settings, error)
	SaveSettings(ctx context.Context, s model.Settings) error
}

// Media keeps the media library's records (the bytes live in media storage).
type Media interface {
	CreateMedia(ctx context.Context, m *model.Media) error
	MediaByPath(ctx context.Context, path string) (*model.Media, error)
}

// RedirectQuery selects redirects, by old address. Zero fields do not filter.
type RedirectQuery struct {
	Text   string // a substring of the old or the new address
	Limit  int    // 50 when zero
	Offset int
}

// Redirects keeps old addresses and where they lead now.
type Redirects interface {
	// PutRedirect adds r, or changes the redirect with r.From; r.ID and
	// the times are set from the row.
	PutRedirect(ctx context.Context, r *model.Redirect) error
	// UpdateRedirect changes redirect r.ID; an old address another
	// redirect has is ErrConflict.
	UpdateRedirect(ctx context.Context, r *model.Redirect) error
	RedirectByID(ctx context.Context, id int64) (*model.Redirect, error)
	// RedirectFrom returns the redirect from the old address from.
	RedirectFrom(ctx context.Context, from string) (*model.Redirect, error)
	ListRedirects(ctx context.Context, q RedirectQuery) ([]model.Redirect, error)
	CountRedirects(ctx context.Context, q RedirectQuery) (int, error)
	DeleteRedirect(ctx context.Context, id int64) error
}

// CommentQuery selects comments for moderators. Zero fields do not filter.
type CommentQuery struct {
	Status    model.CommentStatus
	ArticleID int64
	BeforeID  int64 // keyset cursor: id < BeforeID, newest first
	Limit     int
}

// Comments keeps reader comments and their moderation state.
type Comments interface {
	// CreateComment stores c; BodyHash lets duplicates be found cheaply.
	CreateComment(ctx context.Context, c *model.Comment, bodyHash string) error
	CommentByID(ctx context.Context, id int64) (*model.Comment, error)
	ListComments(ctx context.Context, q CommentQuery) ([]*model.Comment, error)
	// ArticleComments returns an article's comments with the given
	// statuses, oldest first.
	ArticleComments(ctx context.Context, articleID int64, statuses ...model.CommentStatus) ([]*model.Comment, error)
	// SetCommentStatus moves comments to status and refreshes the approved
	// counts of their articles; it returns the comments as they were before.
	SetCommentStatus(ctx context.Context, ids []int64, status model.CommentStatus) ([]*model.Comment, error)
	LastCommentFrom(ctx context.Context, ip string) (time.Time, error)
	DuplicateComment(ctx context.Context, articleID int64, bodyHash string) (bool, error)
	HasApprovedComment(ctx context.Context, name, email string) (bool, error)
	PurgeCommentIPs(ctx context.Context, before time.Time) (int64, error)
	CountComments(ctx context.Context, status model.CommentStatus) (int, error)
}

// KV keeps small named blobs (the spam model, the site's secret).
type KV interface {
	GetKV(ctx context.Context, key string) (string, error)
	PutKV(ctx context.Context, key, value string) error
	// PutKVIfAbsent stores value unless key exists, and returns the stored value.
	PutKVIfAbsent(ctx context.Context, key, value string) (string, error)
	// DeleteKV forgets key (nothing happens when it is absent).
	DeleteKV(ctx context.Context, key string) error
}

// SpamTotals sum up what the learning spam filter learned: comments per
// class, feature occurrences per class, and how many distinct features it
// knows (package comment/spam's Totals).
type SpamTotals struct {
	SpamDocs, HamDocs         int64
	SpamFeatures, HamFeatures int64
	Vocabulary                int64
}

// SpamCount is in how many learned spam and ham comments a feature occurred.
type SpamCount struct{ Spam, Ham int64 }

// SpamLesson is one moderator's decision for the filter: a comment's
// features learned, or unlearned, as spam or as ham.
type SpamLesson struct {
	Features []string // distinct
	Spam     bool     // the class: spam, else ham
	Unlearn  bool
}

// SpamFilter keeps the learning spam filter's counts, shared by every
// instance: each decision adds to them by increments, in the transaction
// of the moderation that taught it.
type SpamFilter interface {
	// SpamCounts returns the totals and the counts of the given features
	// (those never learned are absent): what scoring one comment needs.
	SpamCounts(ctx context.Context, features []string) (SpamTotals, map[string]SpamCount, error)
	// LearnSpam applies lessons, unlearning before learning. Learning adds
	// one comment to the class and one to each feature's count in it;
	// unlearning takes them back but never below zero, and does nothing
	// when the class has no comment left. Features left with no count are
	// forgotten.
	LearnSpam(ctx context.Context, lessons []SpamLesson) error
	// SeedSpamFilter gives an empty filter its starting counts from seed,
	// and reports whether it did: of several instances starting at once,
	// one seeds, and the others wait for it and find the filter seeded.
	SeedSpamFilter(ctx context.Context, seed func() (SpamTotals, map[string]SpamCount, error)) (bool, error)
}

// ArticleMonth is a calendar month, in UTC like article paths
// (/YYYY/MM/slug), that has public articles.
type ArticleMonth struct {
	Year    int
	Month   time.Month
	Count   int
	LastMod time.Time // the latest updated_at among them
}

// ArticleComment is an approved comment together with the public article
// it answers. Comment carries no email, IP or user agent; Article carries
// no body.
type ArticleComment struct {
	Comment *model.Comment
	Article *model.Article
}

// PopularArticle is an article with its reads over a period.
type PopularArticle struct {
	Article *model.Article
	Views   int64
}

// Discovery reads what feeds, sitemaps and the related-articles list need.
type Discovery interface {
	// ArticleMonths lists the months with articles public at now, newest first.
	ArticleMonths(ctx context.Context, now time.Time) ([]ArticleMonth, error)
	// RelatedArticles returns up to limit other public articles, those
	// sharing the most tags and categories with the article first, then
	// the newest.
	RelatedArticles(ctx context.Context, articleID int64, now time.Time, limit int) ([]*model.Article, error)
	// RecentComments returns the newest approved comments on public articles.
	RecentComments(ctx context.Context, now time.Time, limit int) ([]ArticleComment, error)
	// MediaByPaths returns the media items stored under paths, by path;
	// paths with no item are absent from the map.
	MediaByPaths(ctx context.Context, paths []string) (map[string]*model.Media, error)
}

// Views keeps anonymous read counts, aggregated per article and day.
type Views interface {
	// RecordViews adds counts (article id → reads) to the totals of day
	// (a date; only its year, month and day are used). Counts for
	// articles deleted meanwhile are dropped.
	RecordViews(ctx context.Context, day time.Time, counts map[int64]int64) error
	// PopularArticles returns the articles public at now with the most
	// reads from day since onwards.
	PopularArticles(ctx context.Context, since, now time.Time, limit int) ([]PopularArticle, error)
}

// Session is a newsroom login. ID is the SHA-256 of the random token in
// the browser's cookie; CSRF is the token every form of the session carries.
type Session struct {
	ID         string
	UserID     int64
	CSRF       string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastSeenAt time.Time
	Remember   bool
	// UserAgent is what the browser called itself (at most 300
	// characters) and IP its network (the address with its last part
	// dropped), for the sessions screen.
	UserAgent, IP string
}

// Sessions keeps newsroom logins and failed attempts in the database, so
// that every instance behind a load balancer shares them.
type Sessions interface {
	CreateSession(ctx context.Context, s *Session) error
	SessionByID(ctx context.Context, id string) (*Session, error)
	// TouchSession records activity and moves the expiry.
	TouchSession(ctx context.Context, id string, seen, expires time.Time) error
	DeleteSession(ctx context.Context, id string) error
	// UserSessions lists the user's sessions that have not expired at
	// now, the most recently used first.
	UserSessions(ctx context.Context, userID int64, now time.Time) ([]Session, error)
	// DeleteUserSessions logs a user out everywhere except session keep ("" for none).
	DeleteUserSessions(ctx context.Context, userID int64, keep string) error
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)
	// RecordLoginFailure notes one failed attempt under each key (an
	// address, an account) and forgets attempts older than prune.
	RecordLoginFailure(ctx context.Context, keys []string, at, prune time.Time) error
	// LoginFailures counts the failures under key since since, and when the
	// oldest of them happened.
	LoginFailures(ctx context.Context, key string, since time.Time) (int, time.Time, error)
	// ClearLoginFailures forgets the failures under key and under every
	// key that starts with key + "|" (an account's address pairs).
	ClearLoginFailures(ctx context.Context, key string) error
	// ReserveLoginAttempt checks limits and records attempt under every
	// limit's key at at, as one atomic step: parallel attempts cannot all
	// pass a check none of them has yet counted in. When a limit is full
	// nothing is recorded and full is its index, with the time of the
	// oldest attempt it counts; otherwise full is -1. Attempts older than
	// prune are forgotten.
	ReserveLoginAttempt(ctx context.Context, attempt string, limits []LoginLimit, at, prune time.Time) (full int, oldest time.Time, err error)
	// ForgetLoginAttempt takes back the rows of one attempt (it succeeded,
	// or its password was never checked).
	ForgetLoginAttempt(ctx context.Context, attempt string) error
	// RememberLoginDevice records (or refreshes) a browser that signed in
	// to userID; id is the SHA-256 of its cookie's token.
	RememberLoginDevice(ctx context.Context, id string, userID int64, at time.Time) error
	// LoginDeviceUser returns the account the device signed in to, if it
	// was used since since; store.ErrNotFound otherwise.
	LoginDeviceUser(ctx context.Context, id string, since time.Time) (int64, error)
	// DeleteStaleLoginDevices forgets devices last used before before.
	DeleteStaleLoginDevices(ctx context.Context, before time.Time) error
}

// LoginLimit is one throttle a login attempt counts against: at most Max
// attempts under Key since Since.
type LoginLimit struct {
	Key   string
	Max   int
	Since time.Time
}

// TokenInfo is an API token with the email of the account it acts for.
type TokenInfo struct {
	model.Token
	UserEmail string
}

// Newsroom is what the newsroom needs beyond the shared interfaces.
type Newsroom interface {
	// RedirectFor returns the article that used to live at path.
	RedirectFor(ctx context.Context, path string) (int64, error)
	UpdateUser(ctx context.Context, u *model.User) error
	// SetUserNotifyHeld records the user's choice of held-comment mails.
	SetUserNotifyHeld(ctx context.Context, id int64, on bool) error
	SetPassword(ctx context.Context, userID int64, hash string) error
	ListTokens(ctx context.Context) ([]TokenInfo, error)
	RevokeToken(ctx context.Context, id int64) error
	// RevokeUserTokens ends every API token acting for the user.
	RevokeUserTokens(ctx context.Context, userID int64) error
	PageByID(ctx context.Context, id int64) (*model.Page, error)
	DeletePage(ctx context.Context, id int64) error
	DeleteCategory(ctx context.Context, id int64) error
	UpdateTag(ctx context.Context, t *model.Tag) error
	DeleteTag(ctx context.Context, id int64) error
	// TagCounts maps tag ids to how many articles carry them.
	TagCounts(ctx context.Context) (map[int64]int, error)
	// ArticlesByIDs returns articles without relations, by id; missing ids are absent.
	ArticlesByIDs(ctx context.Context, ids []int64) (map[int64]*model.Article, error)
	// CommentsByIDs returns comments by id; missing ids are absent.
	CommentsByIDs(ctx context.Context, ids []int64) (map[int64]*model.Comment, error)
	UpdateCommentBody(ctx context.Context, id int64, body string) error
}

// SearchQuery is a reader's full-text search over public articles. Zero
// fields do not filter.
type SearchQuery struct {
	Text       string    // as typed; internal/search parses it
	CategoryID int64     // includes sub-categories
	From, To   time.Time // published_at in [From, To)
	PublicAt   time.Time // only articles published at or before this instant (now when zero)
	Limit      int       // 20 when zero, at most 100
	Offset     int
	// Lexicon gives the query its meaning (stopwords, colloquial words,
	// variants); search.DefaultLexicon when nil.
	Lexicon *search.Lexicon
}

// SearchHit is one found article. TitleHTML and Snippet are HTML: escaped
// text with the matched words in <mark>, safe to put into a page as is.
type SearchHit struct {
	Article   *model.Article
	TitleHTML string
	Snippet   string // a fragment of the body around the matches
	Rank      float64
}

// SearchCountLimit is how far a search counts its hits when the page
// asked for is nearer the start: a reader needs to know that a common word
// is in thousands of articles, not exactly how many, and counting them all
// is most of the work of such a search.
const SearchCountLimit = 1000

// SearchResult is one page of hits and how many there are on all pages.
type SearchResult struct {
	Hits []SearchHit
	// Total is the number of hits, counted up to SearchCountLimit or to
	// the end of the page asked for, whichever is further. When counting
	// stopped there, More is set: there are more than Total hits (so at
	// least one more page).
	Total int
	More  bool
	// Partial is set when no article holds every word of the query: the
	// hits are those that hold the most.
	Partial bool
	// Corrected is the query as searched when words that no article holds
	// were read as the nearest words articles hold ("Did you mean"), or "".
	Corrected string
}

// SearchVariants keeps the variants editors add to search.
type SearchVariants interface {
	// ListSearchVariants returns every group, oldest first.
	ListSearchVariants(ctx context.Context) ([]model.SearchVariant, error)
	// AddSearchVariant stores v (ErrConflict when its forms are there).
	AddSearchVariant(ctx context.Context, v *model.SearchVariant) error
	SearchVariantByID(ctx context.Context, id int64) (*model.SearchVariant, error)
	DeleteSearchVariant(ctx context.Context, id int64) error
}

// Search finds articles by their words.
type Search interface {
	// SearchArticles returns one page of hits, best first (the most query
	// clauses in the title, then the newest), and their count.
	SearchArticles(ctx context.Context, q SearchQuery) (SearchResult, error)
}

// MediaVariant is a resized copy of a media item, kept in media storage
// under Path.
type MediaVariant struct {
	Path        string `json:"path"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
}

// MediaItem is a media library entry with its resized copies (narrowest
// first) and the name it was uploaded under.
type MediaItem struct {
	model.Media
	Filename string         `json:"filename"`
	Variants []MediaVariant `json:"variants"`
}

// MediaQuery selects media items, newest first. Zero fields do not filter.
type MediaQuery struct {
	Text   string // a substring of the file name, path, alt text or caption
	Limit  int    // 30 when zero
	Offset int
}

// MediaUse is an article or page that shows a media item.
type MediaUse struct {
	Kind   string // "article" or "page"
	ID     int64
	Title  string
	Status model.Status
}

// MediaLibrary keeps the media library's records. The bytes live in
// media storage.
type MediaLibrary interface {
	CreateMediaItem(ctx context.Context, it *MediaItem) error
	MediaItemByID(ctx context.Context, id int64) (*MediaItem, error)
	MediaItemByPath(ctx context.Context, path string) (*MediaItem, error)
	// MediaItemsByPaths returns the items stored under paths, by path;
	// paths with no item are absent from the map.
	MediaItemsByPaths(ctx context.Context, paths []string) (map[string]*MediaItem, error)
	ListMediaItems(ctx context.Context, q MediaQuery) ([]*MediaItem, error)
	CountMediaItems(ctx context.Context, q MediaQuery) (int, error)
	UpdateMediaText(ctx context.Context, id int64, alt, caption, credit string) error
	DeleteMediaItem(ctx context.Context, id int64) error
	// MediaUsage lists the articles and pages whose body or featured
	// image refers to any of paths.
	MediaUsage(ctx context.Context, paths []string) ([]MediaUse, error)
}

// Revision is one saved state of an article. Body is empty in lists.
type Revision struct {
	ArticleID int64        `json:"article_id"`
	Number    int          `json:"number"`
	Title     string       `json:"title"`
	Dateline  string       `json:"dateline"`
	Excerpt   string       `json:"excerpt"`
	Body      string       `json:"body,omitempty"`
	Status    model.Status `json:"status"`
	Image     model.Image  `json:"featured_image"`
	UserID    *int64       `json:"user_id"`
	UserName  string       `json:"user_name"`
	CreatedAt time.Time    `json:"created_at"`
}

// Revisions reads the history CreateArticle and UpdateArticle write.
type Revisions interface {
	// ArticleRevisions lists an article's revisions, newest first, without
	// their bodies.
	ArticleRevisions(ctx context.Context, articleID int64) ([]Revision, error)
	ArticleRevision(ctx context.Context, articleID int64, number int) (*Revision, error)
}

type editorKey struct{}

// WithEditor tells the article store who is saving, so the revision it
// writes names the editor rather than the article's author.
func WithEditor(ctx context.Context, userID int64) context.Context {
	return context.WithValue(ctx, editorKey{}, userID)
}

// EditorFrom returns the user set by WithEditor.
func EditorFrom(ctx context.Context) (int64, bool) {
	id, ok := ctx.Value(editorKey{}).(int64)
	return id, ok && id != 0
}

// TOTP is a user's two-factor state: the confirmed secret ("" when off),
// one awaiting confirmation, and the last time step a code was taken for.
type TOTP struct {
	Secret, Pending string
	LastStep        int64
}

// TwoFactor keeps staff two-factor secrets and recovery codes.
type TwoFactor interface {
	UserTOTP(ctx context.Context, userID int64) (TOTP, error)
	// SetTOTP stores the secret and the pending one, and the last step.
	SetTOTP(ctx context.Context, userID int64, t TOTP) error
	// TakeTOTPStep records that a code for step was accepted, unless one
	// for that step or a later one was: then it reports false.
	TakeTOTPStep(ctx context.Context, userID, step int64) (bool, error)
	// ReplaceRecoveryCodes forgets the user's codes and keeps hashes.
	ReplaceRecoveryCodes(ctx context.Context, userID int64, hashes []string, now time.Time) error
	// UseRecoveryCode marks the unused code with hash used, reporting
	// whether there was one.
	UseRecoveryCode(ctx context.Context, userID int64, hash string, now time.Time) (bool, error)
	// UnusedRecoveryCodes counts the user's codes not used yet.
	UnusedRecoveryCodes(ctx context.Context, userID int64) (int, error)
}
