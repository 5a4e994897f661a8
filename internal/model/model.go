// Package model holds the plain data types shared by every layer of Warta.
// Types here carry no behaviour that needs a database or HTTP.
package model

import "time"

// Role is a newsroom role with WordPress-like capabilities.
type Role string

const (
	RoleAdmin       Role = "admin"
	RoleEditor      Role = "editor"
	RoleAuthor      Role = "author"
	RoleContributor Role = "contributor"
)

// Roles lists every role from most to least powerful.
var Roles = []Role{RoleAdmin, RoleEditor, RoleAuthor, RoleContributor}

// Valid reports whether r names a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// Rank orders roles: admin 4 … contributor 1, unknown 0.
func (r Role) Rank() int {
	switch r {
	case RoleAdmin:
		return 4
	case RoleEditor:
		return 3
	case RoleAuthor:
		return 2
	case RoleContributor:
		return 1
	}
	return 0
}

// AtLeast reports whether r has every capability of min.
func (r Role) AtLeast(min Role) bool { return r.Rank() >= min.Rank() && r.Rank() > 0 }

// User is a newsroom account. PasswordHash never leaves the server.
type User struct {
	ID       int64  `json:"id"`
	Email    string `json:"email"`
	Name     string `json:"name"`
	Slug     string `json:"slug"`
	Role     Role   `json:"role"`
	Bio      string `json:"bio,omitempty"`
	Language string `json:"language,omitempty"`
	// Twitter is the X (Twitter) handle without "@" ("": none), named as
	// twitter:creator on the author's stories.
	Twitter string `json:"twitter,omitempty"`
	// TwoFactor: the account signs in with a code from an authenticator
	// app after its password.
	TwoFactor    bool      `json:"-"`
	Active       bool      `json:"active"`
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
	// NotifyHeld: mail this editor about each comment held for moderation.
	NotifyHeld bool `json:"-"`
}

// Token is an API bearer token; only its hash is stored.
type Token struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	Hash       string     `json:"-"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	Revoked    bool       `json:"revoked"`
}

// Status is an article's place in the publishing flow.
type Status string

const (
	StatusDraft     Status = "draft"
	StatusPending   Status = "pending"
	StatusScheduled Status = "scheduled"
	StatusPublished Status = "published"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	switch s {
	case StatusDraft, StatusPending, StatusScheduled, StatusPublished:
		return true
	}
	return false
}

// Category is a node of the category tree.
type Category struct {
	ID          int64  `json:"id"`
	ParentID    *int64 `json:"parent_id"`
	Name        string `json:"name"`
	Slug        string `json:"slug"`
	Description string `json:"description,omitempty"`
	Position    int    `json:"position"`
}

// Tag labels articles across categories.
type Tag struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Slug string `json:"slug"`
}

// Image is a picture with the words that go with it.
type Image struct {
	URL     string `json:"url"`
	Alt     string `json:"alt"`
	Caption string `json:"caption"`
}

// Article is a news story.
type Article struct {
	ID           int64      `json:"id"`
	Title        string     `json:"title"`
	Slug         string     `json:"slug"`
	Dateline     string     `json:"dateline"`
	Body         string     `json:"body"`
	BodyHTML     string     `json:"body_html"`
	Excerpt      string     `json:"excerpt"`
	Status       Status     `json:"status"`
	AuthorID     int64      `json:"author_id"`
	PublishedAt  *time.Time `json:"published_at"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	Image        Image      `json:"featured_image"`
	CommentsOpen bool       `json:"comments_open"`
	CommentCount int        `json:"comment_count"`
	// Version rises by one with every save; an edit names the version it
	// was made on, and a stale one is refused.
	Version int `json:"version"`
	// GUID is the article's id in feeds, set when it is created (a
	// urn:uuid:, or an imported post's WordPress guid) and never changed.
	GUID string `json:"-"`
	// RetractedAt is when the story was retracted (nil: it stands), and
	// RetractionReason the reason readers are given.
	RetractedAt      *time.Time `json:"retracted_at"`
	RetractionReason string     `json:"retraction_reason"`
	// Sponsored marks paid content (advertorial), labelled wherever the
	// article appears.
	Sponsored bool `json:"sponsored"`
	// VerificationNote tells readers the story still awaits verification
	// ("" when it needs none); it is shown until a public follow-up that
	// verifies the story (VerifiedBy) exists. VerifiesID names the story
	// this one, a follow-up, verifies.
	VerificationNote string `json:"verification_note"`
	VerifiesID       *int64 `json:"verifies_id"`
	// VerifiedBy is the first follow-up that names this story in
	// VerifiesID (no body; loaded for stories with a note). Verifies is
	// the story VerifiesID names (no body; loaded when one article is
	// read).
	// SEOTitle and MetaDescription are the title and description written
	// for search results and social cards ("": the headline and the
	// excerpt); SocialImage the picture for social cards ("": the featured
	// image); CanonicalURL the story's canonical address when it first
	// ran elsewhere ("": its own); NoIndex keeps it out of search engines
	// and sitemaps.
	SEOTitle        string     `json:"seo_title"`
	MetaDescription string     `json:"meta_description"`
	SocialImage     string     `json:"social_image"`
	CanonicalURL    string     `json:"canonical_url"`
	NoIndex         bool       `json:"noindex"`
	VerifiedBy      *Article   `json:"-"`
	Verifies        *Article   `json:"-"`
	Categories      []Category `json:"categories"`
	Tags            []Tag      `json:"tags"`
	Author          *User      `json:"-"`
	// Corrections are the article's published corrections and replies,
	// newest first; Cited are other articles' corrections that link to
	// this one (it is their right-of-reply or corrected text), each with
	// Linked set to the article it corrects. Both are loaded only when
	// one article is read (by id or slug), not in lists.
	Corrections []Correction `json:"-"`
	Cited       []Correction `json:"-"`
}

// IsPublic reports whether readers may see the article at now.
func (a *Article) IsPublic(now time.Time) bool {
	return a.Status == StatusPublished && a.PublishedAt != nil && !a.PublishedAt.After(now)
}

// CorrectionKind is what a correction record is, in the words of the
// Dewan Pers cyber-media guideline: a ralat fixes a small error of fact
// or wording, a koreksi sets right a substantive one, a hak_jawab gives
// the answer of someone the story concerned (right of reply).
type CorrectionKind string

const (
	KindRalat    CorrectionKind = "ralat"
	KindKoreksi  CorrectionKind = "koreksi"
	KindHakJawab CorrectionKind = "hak_jawab"
)

// CorrectionKinds lists every kind, in the order forms offer them.
var CorrectionKinds = []CorrectionKind{KindRalat, KindKoreksi, KindHakJawab}

// Valid reports whether k is a known kind.
func (k CorrectionKind) Valid() bool {
	for _, x := range CorrectionKinds {
		if k == x {
			return true
		}
	}
	return false
}

// Correction is a published correction or reply attached to the article
// it corrects, with its own text and time of publication.
type Correction struct {
	ID        int64          `json:"id"`
	ArticleID int64          `json:"article_id"`
	Kind      CorrectionKind `json:"kind"`
	Body      string         `json:"body"` // Markdown
	BodyHTML  string         `json:"body_html"`
	// LinkArticleID is an article that goes with the correction (the
	// right-of-reply story, the follow-up), when there is one.
	LinkArticleID *int64    `json:"link_article_id"`
	AuthorID      *int64    `json:"-"`
	PublishedAt   time.Time `json:"published_at"`
	// Linked is, when loaded, the other article of the pair: the one
	// LinkArticleID names (in Article.Corrections) or the corrected one
	// (in Article.Cited and in lists). It carries no body.
	Linked *Article `json:"-"`
}

// Retracted reports whether the story was retracted: its address shows
// a notice instead of it, and no list, feed or search shows it.
func (a *Article) Retracted() bool { return a.RetractedAt != nil }

// Page is a static page such as "Tentang Kami" or "Pedoman Media Siber".
type Page struct {
	ID        int64     `json:"id"`
	Title     string    `json:"title"`
	Slug      string    `json:"slug"`
	Body      string    `json:"body"`
	BodyHTML  string    `json:"body_html"`
	Status    Status    `json:"status"`
	Position  int       `json:"position"`
	Version   int       `json:"version"` // as Article.Version
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Media is an uploaded file kept in media storage under Path.
type Media struct {
	ID          int64     `json:"id"`
	Path        string    `json:"path"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	Width       int       `json:"width"`
	Height      int       `json:"height"`
	Alt         string    `json:"alt"`
	Caption     string    `json:"caption"`
	Credit      string    `json:"credit"`
	UploaderID  *int64    `json:"uploader_id"`
	CreatedAt   time.Time `json:"created_at"`
}

// Settings are the site-wide options an admin can change.
type Settings struct {
	SiteName        string `json:"site_name"`
	Tagline         string `json:"tagline"`
	Language        string `json:"language"`
	Timezone        string `json:"timezone"`
	BaseURL         string `json:"base_url"`
	PostsPerPage    int    `json:"posts_per_page"`
	FeedFullText    bool   `json:"feed_full_text"`
	CommentsPerPage int    `json:"comments_per_page"`
	ThreadDepth     int    `json:"thread_depth"`
	// Comment rules follow WordPress's defaults.
	HoldFirstComment    bool   `json:"hold_first_comment"`
	HoldLinkCount       int    `json:"hold_link_count"`
	ModerationWords     string `json:"moderation_words"`
	BlockWords          string `json:"block_words"`
	CloseCommentsDays   int    `json:"close_comments_days"`
	CommentMaxLength    int    `json:"comment_max_length"`
	CommentFloodSeconds int    `json:"comment_flood_seconds"`
	PurgeIPDays         int    `json:"purge_ip_days"`
	SpamThreshold       int    `json:"spam_threshold"`
	// Scheduled backups: daily at BackupTime ("HH:MM" in the site's time
	// zone; "" for none) into BackupDir (relative to --data unless
	// absolute), keeping the newest BackupKeep.
	BackupTime string `json:"backup_time"`
	BackupKeep int    `json:"backup_keep"`
	BackupDir  string `json:"backup_dir"`
	// TwitterSite is the site's X (Twitter) handle without "@" ("":
	// none), named as twitter:site on every page.
	TwitterSite string `json:"twitter_site"`
	// CommentTerms is the slug of the page holding the rules for
	// readers' comments, linked above the comment form's button ("":
	// none).
	CommentTerms string `json:"comment_terms"`
	// TwoFactorAdmin … TwoFactorContributor: staff in the role must sign
	// in with two-factor; one without it is sent to enrol first.
	TwoFactorAdmin       bool `json:"two_factor_admin"`
	TwoFactorEditor      bool `json:"two_factor_editor"`
	TwoFactorAuthor      bool `json:"two_factor_author"`
	TwoFactorContributor bool `json:"two_factor_contributor"`
	// ConfirmCommenterEmail (PPMS strict mode): a comment stays held until
	// its writer confirms their address through a one-time link, and
	// cannot be approved before.
	ConfirmCommenterEmail bool `json:"confirm_commenter_email"`
}

// BackupRun is one scheduled backup: its slot (the local time it was due,
// "2006-01-02 15:04"), who ran it, and how it ended.
type BackupRun struct {
	Slot       string     `json:"slot"`
	Instance   string     `json:"instance"`
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at"`
	File       string     `json:"file"`
	Bytes      int64      `json:"bytes"`
	Error      string     `json:"error"`
}

// TwoFactorRequired reports whether staff in role r must use two-factor.
func (s *Settings) TwoFactorRequired(r Role) bool {
	switch r {
	case RoleAdmin:
		return s.TwoFactorAdmin
	case RoleEditor:
		return s.TwoFactorEditor
	case RoleAuthor:
		return s.TwoFactorAuthor
	case RoleContributor:
		return s.TwoFactorContributor
	}
	return false
}

// DefaultSettings are what a new site starts with.
func DefaultSettings() Settings {
	return Settings{
		SiteName:            "Warta",
		Tagline:             "Berita terkini, terpercaya",
		Language:            "id",
		Timezone:            "Asia/Jakarta",
		PostsPerPage:        10,
		FeedFullText:        true,
		CommentsPerPage:     50,
		ThreadDepth:         5,
		HoldFirstComment:    true,
		HoldLinkCount:       2,
		CommentMaxLength:    5000,
		CommentFloodSeconds: 15,
		PurgeIPDays:         60,
		SpamThreshold:       90,
		BackupKeep:          7,
		BackupDir:           "backups",
	}
}

// CommentStatus is a comment's moderation state.
type CommentStatus string

const (
	CommentPending  CommentStatus = "pending"
	CommentApproved CommentStatus = "approved"
	CommentSpam     CommentStatus = "spam"
	CommentTrash    CommentStatus = "trash"
)

// Valid reports whether s is a known comment status.
func (s CommentStatus) Valid() bool {
	switch s {
	case CommentPending, CommentApproved, CommentSpam, CommentTrash:
		return true
	}
	return false
}

// CommentReport is a reader's report of a published comment, with the
// reason they gave; the newsroom resolves it. IP is for the rate limit
// only and never shown.
type CommentReport struct {
	ID         int64      `json:"id"`
	CommentID  int64      `json:"comment_id"`
	Reason     string     `json:"reason"`
	IP         string     `json:"-"`
	CreatedAt  time.Time  `json:"created_at"`
	ResolvedAt *time.Time `json:"resolved_at"`
	// Comment is the reported comment, when loaded (the queue).
	Comment *Comment `json:"-"`
}

// Comment is a reader's comment. AuthorEmail, IP and UserAgent are for
// moderators only and never appear in a public page, feed or API.
type Comment struct {
	ID          int64         `json:"id"`
	ArticleID   int64         `json:"article_id"`
	ParentID    *int64        `json:"parent_id"`
	AuthorName  string        `json:"author_name"`
	AuthorEmail string        `json:"author_email"`
	AuthorURL   string        `json:"author_url"`
	Body        string        `json:"body"`
	Status      CommentStatus `json:"status"`
	CreatedAt   time.Time     `json:"created_at"`
	IP          string        `json:"ip,omitempty"`
	UserAgent   string        `json:"user_agent,omitempty"`
	SpamScore   float64       `json:"spam_score"`
	Reasons     string        `json:"reasons,omitempty"`
	UserID      *int64        `json:"user_id,omitempty"`
}

// SearchVariant is a group of forms that mean the same to search, added
// by an editor: "hp = ponsel = telepon genggam".
type SearchVariant struct {
	ID        int64     `json:"id"`
	Forms     string    `json:"forms"` // lowercase forms separated by " = "
	CreatedAt time.Time `json:"created_at"`
}

// Redirect sends readers from an address the site used to have to where
// that content lives now, with 301 Moved Permanently.
type Redirect struct {
	ID int64 `json:"id"`
	// From is the old address: a path without a trailing slash, or for
	// WordPress's query forms the path and its one parameter ("/?p=358").
	From string `json:"from"`
	// To is a site path or an absolute http(s) URL; for a redirect to an
	// article or a page, the path it had when the redirect was written.
	To        string    `json:"to"`
	ArticleID *int64    `json:"article_id,omitempty"`
	PageID    *int64    `json:"page_id,omitempty"`
	Source    string    `json:"source"` // RedirectManual or RedirectWordPress
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Where a redirect came from.
const (
	RedirectManual    = "manual"    // an editor added it
	RedirectWordPress = "wordpress" // an import of a WordPress export
)

// MailStatus is where a queued mail stands.
type MailStatus string

const (
	// MailPending waits to be sent (again, after a failure, at NextAt).
	MailPending MailStatus = "pending"
	MailSent    MailStatus = "sent"
	// MailFailed was given up: the server refused it for good, or every
	// retry failed. An admin may send it again.
	MailFailed MailStatus = "failed"
)

// Mail is one message in the mail queue.
type Mail struct {
	ID        int64
	Kind      string // what caused it: "password_reset", "invitation", "comment_held", "test"…
	To        string
	Subject   string
	Text      string
	HTML      string
	Headers   map[string]string // extra header fields (List-Unsubscribe…)
	Status    MailStatus
	Attempts  int
	NextAt    time.Time
	LastError string // the server's last answer, for the newsroom
	CreatedAt time.Time
	SentAt    *time.Time
}

// Password token purposes.
const (
	TokenReset  = "reset"
	TokenInvite = "invite"
)

// PasswordToken is a one-time link that lets a staff member choose a
// password; only the SHA-256 of the token is stored.
type PasswordToken struct {
	Hash      string
	Purpose   string // TokenReset or TokenInvite
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// ReaderEmail is a commenter's address as far as mail is concerned:
// whether they confirmed it (through a one-time link) and whether they
// asked to get no more mail.
type ReaderEmail struct {
	ID             int64
	Email          string // lower-cased
	BaseURL        string // the site's address the reader used, for links
	CreatedAt      time.Time
	ConfirmSentAt  *time.Time
	ConfirmedAt    *time.Time
	UnsubscribedAt *time.Time
}
