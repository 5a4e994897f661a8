// Package settings owns the rules of the site-wide options: what values
// each may take and who may change them. A change is saved in one store
// transaction and announced by one event, since every page may differ.
package settings

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"warta/internal/backup"
	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/slug"
	"warta/internal/store"
	"warta/internal/valid"
)

// Store is what settings need from storage.
type Store interface {
	store.Transactor
	Settings(ctx context.Context) (model.Settings, error)
}

// Service applies the rules.
type Service struct {
	st     Store
	events *event.Bus
	langs  []string
}

// New builds the service; langs are the site languages there are
// translations for.
func New(st Store, bus *event.Bus, langs []string) *Service {
	return &Service{st: st, events: bus, langs: langs}
}

// Get returns the stored settings.
func (s *Service) Get(ctx context.Context) (model.Settings, error) { return s.st.Settings(ctx) }

// Save checks and stores st (admins only) and returns what was stored
// (trimmed, the base URL without a trailing slash).
func (s *Service) Save(ctx context.Context, actor *model.User, st model.Settings) (model.Settings, error) {
	if actor == nil || actor.Role != model.RoleAdmin {
		return st, valid.ErrForbidden
	}
	if err := Validate(&st, s.langs); err != nil {
		return st, err
	}
	if err := s.st.InTx(ctx, func(tx store.Tx) error { return tx.SaveSettings(ctx, st) }); err != nil {
		return st, err
	}
	s.events.Publish(ctx, event.SettingsChanged{})
	return st, nil
}

// Limits of the numeric settings, inclusive.
var limits = []struct {
	field    string
	get      func(*model.Settings) int
	min, max int
}{
	{"posts_per_page", func(s *model.Settings) int { return s.PostsPerPage }, 1, 100},
	{"comments_per_page", func(s *model.Settings) int { return s.CommentsPerPage }, 1, 500},
	{"thread_depth", func(s *model.Settings) int { return s.ThreadDepth }, 1, 10},
	{"hold_link_count", func(s *model.Settings) int { return s.HoldLinkCount }, 0, 100},
	{"close_comments_days", func(s *model.Settings) int { return s.CloseCommentsDays }, 0, 36500},
	{"comment_max_length", func(s *model.Settings) int { return s.CommentMaxLength }, 10, 65525},
	{"comment_flood_seconds", func(s *model.Settings) int { return s.CommentFloodSeconds }, 0, 3600},
	{"purge_ip_days", func(s *model.Settings) int { return s.PurgeIPDays }, 0, 3650},
	{"spam_threshold", func(s *model.Settings) int { return s.SpamThreshold }, 1, 100},
	{"backup_keep", func(s *model.Settings) int { return s.BackupKeep }, 1, 365},
}

// Validate checks settings (normalising the text fields in place).
func Validate(st *model.Settings, langs []string) error {
	var errs valid.Errors
	st.SiteName = strings.TrimSpace(st.SiteName)
	st.Tagline = strings.TrimSpace(st.Tagline)
	if st.SiteName == "" {
		errs.Add("site_name", "required", "validation.required", "site_name")
	} else if utf8.RuneCountInString(st.SiteName) > 100 {
		errs.Add("site_name", "too_long", "validation.too_long", "site_name", 100)
	}
	if utf8.RuneCountInString(st.Tagline) > 200 {
		errs.Add("tagline", "too_long", "validation.too_long", "tagline", 200)
	}
	ok := false
	for _, l := range langs {
		ok = ok || l == st.Language
	}
	if !ok {
		errs.Add("language", "invalid", "validation.invalid", "language")
	}
	if _, err := time.LoadLocation(st.Timezone); err != nil || st.Timezone == "" || st.Timezone == "Local" {
		errs.Add("timezone", "invalid", "validation.invalid", "timezone")
	}
	if st.BaseURL != "" && !strings.HasPrefix(st.BaseURL, "http://") && !strings.HasPrefix(st.BaseURL, "https://") {
		errs.Add("base_url", "invalid", "validation.invalid", "base_url")
	}
	st.BaseURL = strings.TrimRight(st.BaseURL, "/")
	st.BackupTime = strings.TrimSpace(st.BackupTime)
	if _, _, ok := backup.ParseTime(st.BackupTime); st.BackupTime != "" && !ok {
		errs.Add("backup_time", "invalid", "validation.invalid", "backup_time")
	}
	st.BackupDir = strings.TrimSpace(st.BackupDir)
	if st.BackupDir == "" {
		st.BackupDir = model.DefaultSettings().BackupDir
	} else if len(st.BackupDir) > 500 || strings.ContainsAny(st.BackupDir, "\x00\r\n") {
		errs.Add("backup_dir", "invalid", "validation.invalid", "backup_dir")
	}
	st.TwitterSite = valid.TwitterHandle(&errs, "twitter_site", st.TwitterSite)
	st.CommentTerms = strings.Trim(strings.TrimSpace(st.CommentTerms), "/")
	if st.CommentTerms != "" && slug.Make(st.CommentTerms) != st.CommentTerms {
		errs.Add("comment_terms", "invalid", "validation.page_slug", "comment_terms")
	}
	for _, n := range limits {
		if v := n.get(st); v < n.min || v > n.max {
			errs.Add(n.field, "invalid", "validation.invalid", n.field)
		}
	}
	return errs.Err()
}
