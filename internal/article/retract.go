package article

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/valid"
)

// MaxRetractionReason is the longest public reason for a retraction.
const MaxRetractionReason = 1000

// CanRetract reports whether actor may retract a published story: the
// editors' decision (and the admins'), never the author's alone.
func CanRetract(actor *model.User) bool { return actor.Role.AtLeast(model.RoleEditor) }

// Retract withdraws a published story, as the Dewan Pers cyber-media
// guideline allows: its address then shows a notice with reason and the
// date instead of the text, and it leaves every list, feed, sitemap and
// search. The text stays in the article and its revisions for the record.
func (s *Service) Retract(ctx context.Context, actor *model.User, id int64, reason string) (*model.Article, error) {
	reason = strings.TrimSpace(reason)
	var errs valid.Errors
	if reason == "" {
		errs.Add("reason", "required", "validation.required", "reason")
	} else if utf8.RuneCountInString(reason) > MaxRetractionReason {
		errs.Add("reason", "too_long", "validation.too_long", "reason", MaxRetractionReason)
	}
	var a *model.Article
	var url string
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		var err error
		if a, err = tx.ArticleByID(ctx, id); err != nil {
			return err
		}
		if !CanRetract(actor) {
			return valid.ErrForbidden
		}
		if a.Retracted() {
			return &valid.Error{Field: "article_id", Code: "conflict", Key: "retraction.already"}
		}
		if url = PublicPath(a, s.now()); url == "" {
			errs.Add("article_id", "not_public", "retraction.not_public")
		}
		if err := errs.Err(); err != nil {
			return err
		}
		if err := tx.RetractArticle(ctx, id, reason, s.now()); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return &valid.Error{Field: "article_id", Code: "conflict", Key: "retraction.already"}
			}
			return err
		}
		a, err = tx.ArticleByID(ctx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	// The path stays (it answers with the notice), but every page that
	// listed the story must drop it: the event names it as leaving.
	e := s.changed(a, url, false)
	e.NewURL = ""
	s.events.Publish(ctx, e)
	return a, nil
}
