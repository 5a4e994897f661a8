// Package correction owns the rules of corrections (ralat, koreksi) and
// right of reply (hak jawab), which the Dewan Pers cyber-media guideline
// (Pedoman Pemberitaan Media Siber) asks a newsroom to publish on the
// story they concern: who may add one, to which article, and what it
// links to. Each runs in one store transaction and ends with one event.
package correction

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"warta/internal/article"
	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/render"
	"warta/internal/store"
	"warta/internal/valid"
)

// MaxBody is the longest correction text, in bytes.
const MaxBody = 20_000

// Service applies the rules.
type Service struct {
	st     store.Transactor
	md     *render.Renderer
	events *event.Bus
	now    func() time.Time
}

// New builds the service on the program's clock.
func New(st store.Transactor, md *render.Renderer, bus *event.Bus, now func() time.Time) *Service {
	if now == nil {
		panic("correction: no clock")
	}
	return &Service{st: st, md: md, events: bus, now: now}
}

// Input is a new correction.
type Input struct {
	Kind          model.CorrectionKind
	Body          string // Markdown
	LinkArticleID *int64 // the right-of-reply or follow-up article, if any
}

// Add publishes a correction of the article id, by actor: whoever may
// edit a published article may correct it. The article must be public;
// the linked article, when named, must exist and be another one.
func (s *Service) Add(ctx context.Context, actor *model.User, id int64, in Input) (*model.Correction, error) {
	in.Body = strings.TrimSpace(in.Body)
	var errs valid.Errors
	if !in.Kind.Valid() {
		errs.Add("kind", "invalid", "validation.invalid_kind", "kind", "ralat, koreksi, hak_jawab")
	}
	if in.Body == "" {
		errs.Add("body", "required", "validation.required", "body")
	} else if len(in.Body) > MaxBody {
		errs.Add("body", "too_long", "validation.too_long", "body", MaxBody)
	}
	var html string
	if errs.Field("body") == nil {
		var err error
		if html, err = s.md.HTML(in.Body); err != nil {
			return nil, fmt.Errorf("render correction: %w", err)
		}
	}
	now := s.now()
	c := &model.Correction{ArticleID: id, Kind: in.Kind, Body: in.Body, BodyHTML: html, LinkArticleID: in.LinkArticleID,
		AuthorID: &actor.ID, PublishedAt: now}
	var url, linkedURL string
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		a, err := tx.ArticleByID(ctx, id)
		if err != nil {
			return err
		}
		if !article.CanEdit(actor, a) || !article.CanPublish(actor, a) {
			return valid.ErrForbidden
		}
		if url = article.PublicPath(a, now); url == "" || a.Retracted() {
			errs.Add("article_id", "not_public", "correction.not_public")
		}
		if in.LinkArticleID != nil {
			linked, err := tx.ArticleByID(ctx, *in.LinkArticleID)
			switch {
			case err == nil && linked.ID != a.ID:
				linkedURL = article.PublicPath(linked, now)
			case err == nil || isNotFound(err):
				errs.Add("link_article_id", "invalid", "validation.invalid", "link_article_id")
			default:
				return err
			}
		}
		if err := errs.Err(); err != nil {
			return err
		}
		return tx.CreateCorrection(ctx, c)
	})
	if err != nil {
		return nil, err
	}
	s.events.Publish(ctx, event.CorrectionChanged{ArticleID: id, URL: url, LinkedURL: linkedURL})
	return c, nil
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
