package admin

import (
	"net/http"
	"strconv"
	"strings"

	"warta/internal/model"
	"warta/internal/settings"
)

// SettingField is one input of the settings form.
type SettingField struct {
	Name    string
	Kind    string // text, number, checkbox, textarea, lang, zone
	Value   string
	Checked bool
	Options []Option
	Error   string
}

// SettingGroup is a fieldset of the settings form.
type SettingGroup struct {
	Legend string
	Fields []SettingField
}

// settingSpec ties a form field to its place in model.Settings; one list,
// so the form and the saving can never disagree.
type settingSpec struct {
	group, name, kind string
	str               *string
	num               *int
	flag              *bool
}

func settingSpecs(st *model.Settings) []settingSpec {
	return []settingSpec{
		{"general", "site_name", "text", &st.SiteName, nil, nil},
		{"general", "tagline", "text", &st.Tagline, nil, nil},
		{"general", "language", "lang", &st.Language, nil, nil},
		{"general", "timezone", "zone", &st.Timezone, nil, nil},
		{"general", "base_url", "text", &st.BaseURL, nil, nil},
		{"general", "twitter_site", "text", &st.TwitterSite, nil, nil},
		{"general", "posts_per_page", "number", nil, &st.PostsPerPage, nil},
		{"general", "feed_full_text", "checkbox", nil, nil, &st.FeedFullText},
		{"comments", "comment_terms", "text", &st.CommentTerms, nil, nil},
		{"comments", "comments_per_page", "number", nil, &st.CommentsPerPage, nil},
		{"comments", "thread_depth", "number", nil, &st.ThreadDepth, nil},
		{"comments", "close_comments_days", "number", nil, &st.CloseCommentsDays, nil},
		{"comments", "comment_max_length", "number", nil, &st.CommentMaxLength, nil},
		{"moderation", "hold_first_comment", "checkbox", nil, nil, &st.HoldFirstComment},
		{"moderation", "confirm_commenter_email", "checkbox", nil, nil, &st.ConfirmCommenterEmail},
		{"moderation", "hold_link_count", "number", nil, &st.HoldLinkCount, nil},
		{"moderation", "moderation_words", "textarea", &st.ModerationWords, nil, nil},
		{"moderation", "block_words", "textarea", &st.BlockWords, nil, nil},
		{"moderation", "comment_flood_seconds", "number", nil, &st.CommentFloodSeconds, nil},
		{"moderation", "spam_threshold", "number", nil, &st.SpamThreshold, nil},
		{"moderation", "purge_ip_days", "number", nil, &st.PurgeIPDays, nil},
		{"backup", "backup_time", "time", &st.BackupTime, nil, nil},
		{"backup", "backup_keep", "number", nil, &st.BackupKeep, nil},
		{"backup", "backup_dir", "text", &st.BackupDir, nil, nil},
		{"security", "two_factor_admin", "checkbox", nil, nil, &st.TwoFactorAdmin},
		{"security", "two_factor_editor", "checkbox", nil, nil, &st.TwoFactorEditor},
		{"security", "two_factor_author", "checkbox", nil, nil, &st.TwoFactorAuthor},
		{"security", "two_factor_contributor", "checkbox", nil, nil, &st.TwoFactorContributor},
	}
}

// commonZones are offered as suggestions; any IANA zone is accepted.
var commonZones = []string{"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "Asia/Singapore", "Asia/Kuala_Lumpur",
	"Asia/Bangkok", "Asia/Tokyo", "Australia/Sydney", "Europe/Amsterdam", "Europe/London", "America/New_York", "UTC"}

type settingsView struct {
	*Base
	Groups []SettingGroup
	Zones  []string
	Error  string
	// MailOn: a mail server is set up; MailFrom is the sender address.
	MailOn   bool
	MailFrom string
	// Backups says how the latest scheduled backups went, one line each.
	Backups []string
}

func (a *Admin) settingsView(q *request, st *model.Settings, raw map[string]string, errs FormErrors) *settingsView {
	v := &settingsView{Base: a.base(q, q.L.T("admin.nav.settings"), "settings"), Zones: commonZones, Error: errs["form"],
		MailOn: a.opt.Mail.Enabled(), MailFrom: a.opt.MailFrom}
	runs, err := a.opt.Store.BackupRuns(q.Context(), 5)
	if err != nil {
		a.opt.Log.Error("reading backup runs", "err", err)
	}
	for _, r := range runs {
		switch {
		case r.FinishedAt != nil:
			v.Backups = append(v.Backups, q.L.T("admin.settings.backups.done", r.Slot, r.File, q.L.Number(r.Bytes)))
		case r.Error != "":
			v.Backups = append(v.Backups, q.L.T("admin.settings.backups.failed", r.Slot, r.Error))
		default:
			v.Backups = append(v.Backups, q.L.T("admin.settings.backups.running", r.Slot))
		}
	}
	idx := map[string]int{}
	for _, s := range settingSpecs(st) {
		i, ok := idx[s.group]
		if !ok {
			i = len(v.Groups)
			idx[s.group] = i
			v.Groups = append(v.Groups, SettingGroup{Legend: q.L.T("admin.settings.group." + s.group)})
		}
		f := SettingField{Name: s.name, Kind: s.kind, Error: errs[s.name]}
		switch {
		case s.str != nil:
			f.Value = *s.str
		case s.num != nil:
			f.Value = strconv.Itoa(*s.num)
		case s.flag != nil:
			f.Checked = *s.flag
		}
		if r, ok := raw[s.name]; ok {
			f.Value = r
		}
		if s.kind == "lang" {
			for _, l := range a.langOptions(f.Value, false, q) {
				f.Options = append(f.Options, Option{Value: l.Code, Label: l.Name, Selected: l.Selected})
			}
		}
		v.Groups[i].Fields = append(v.Groups[i].Fields, f)
	}
	return v
}

func (a *Admin) settingsForm(w http.ResponseWriter, q *request) error {
	st := q.Settings
	a.render(w, q, http.StatusOK, "settings", a.settingsView(q, &st, nil, nil))
	return nil
}

// saveSettings reads the form and hands it to the settings service, which
// applies the same rules as for the API.
func (a *Admin) saveSettings(w http.ResponseWriter, q *request) error {
	st := q.Settings
	raw := map[string]string{}
	errs := FormErrors{}
	for _, s := range settingSpecs(&st) {
		v := q.PostFormValue(s.name)
		switch {
		case s.str != nil:
			*s.str = strings.ReplaceAll(v, "\r\n", "\n")
			if s.kind != "textarea" {
				*s.str = strings.TrimSpace(*s.str)
			}
		case s.num != nil:
			raw[s.name] = v
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				errs[s.name] = q.L.T("validation.invalid", q.L.T("admin.field."+s.name))
				continue
			}
			*s.num = n
		case s.flag != nil:
			*s.flag = v != ""
		}
	}
	if len(errs) == 0 {
		saved, err := a.opt.Settings.Save(q.Context(), q.User, st)
		if err == nil {
			return redirect(w, q, "/admin/settings", "saved")
		}
		fe, ok := formErrors(q, err)
		if !ok {
			return err
		}
		errs, st = fe, saved
	} else if err := settings.Validate(&st, a.opt.Locales.Langs()); err != nil {
		// Say everything that is wrong at once, not only the numbers.
		fe, ok := formErrors(q, err)
		if !ok {
			return err
		}
		for k, m := range fe {
			if errs[k] == "" {
				errs[k] = m
			}
		}
	}
	errs["form"] = q.L.T("admin.form.check_fields")
	a.render(w, q, http.StatusUnprocessableEntity, "settings", a.settingsView(q, &st, raw, errs))
	return nil
}
