package api

import (
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/valid"
)

func (a *API) getSettings(_ http.ResponseWriter, r *http.Request, _ *model.User) (int, any, error) {
	st, err := a.opt.Store.Settings(r.Context())
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, st, nil
}

// patchSettings applies the given fields over the stored settings: the
// stored JSON is decoded first, then the request body on top of it.
func (a *API) patchSettings(_ http.ResponseWriter, r *http.Request, _ *model.User) (int, any, error) {
	st, err := a.opt.Store.Settings(r.Context())
	if err != nil {
		return 0, nil, err
	}
	if err := decode(r, &st); err != nil {
		return 0, nil, err
	}
	if err := ValidateSettings(&st, a.opt.Locales.Langs()); err != nil {
		return 0, nil, err
	}
	if err := a.opt.Store.SaveSettings(r.Context(), st); err != nil {
		return 0, nil, err
	}
	a.opt.Events.Publish(r.Context(), event.SettingsChanged{})
	return http.StatusOK, st, nil
}

// ValidateSettings checks settings from any surface (API, newsroom).
func ValidateSettings(st *model.Settings, langs []string) error {
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
	for _, n := range []struct {
		field    string
		v        int
		min, max int
	}{
		{"posts_per_page", st.PostsPerPage, 1, 100},
		{"comments_per_page", st.CommentsPerPage, 1, 500},
		{"thread_depth", st.ThreadDepth, 1, 10},
		{"hold_link_count", st.HoldLinkCount, 0, 100},
		{"close_comments_days", st.CloseCommentsDays, 0, 36500},
		{"comment_max_length", st.CommentMaxLength, 10, 65525},
		{"comment_flood_seconds", st.CommentFloodSeconds, 0, 3600},
		{"purge_ip_days", st.PurgeIPDays, 0, 3650},
		{"spam_threshold", st.SpamThreshold, 1, 100},
	} {
		if n.v < n.min || n.v > n.max {
			errs.Add(n.field, "invalid", "validation.invalid", n.field)
		}
	}
	return errs.Err()
}
