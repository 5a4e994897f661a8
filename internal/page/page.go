// Package page owns the rules of static pages ("Tentang Kami", "Pedoman
// Media Siber"): what a page needs, where it lives, who may change it.
// Each change runs in one store transaction and ends with one event.
package page

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"warta/internal/article"
	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/render"
	"warta/internal/slug"
	"warta/internal/store"
	"warta/internal/valid"
)

// Limits on page fields: a page is written like an article.
const (
	MaxTitle    = article.MaxTitle
	MaxBody     = article.MaxBody
	MaxPosition = 10000
)

// Reserved are first path segments the public site or the other surfaces
// already answer, so a page there would never be reached.
var Reserved = map[string]bool{
	"admin": true, "api": true, "media": true, "static": true, "cari": true, "kategori": true, "tag": true,
	"penulis": true, "avatar": true, "ralat": true,
}

// Store is what pages need from storage.
type Store interface {
	store.Transactor
}

// Service applies the rules.
type Service struct {
	st     Store
	md     *render.Renderer
	events *event.Bus
	now    func() time.Time
}

// New builds the service on the program's clock.
func New(st Store, md *render.Renderer, bus *event.Bus, now func() time.Time) *Service {
	if now == nil {
		panic("page: no clock")
	}
	return &Service{st: st, md: md, events: bus, now: now}
}

// Input is a page as an editor submits it.
type Input struct {
	Title    string
	Slug     string // "" makes one from the title
	Body     string // Markdown
	Status   model.Status
	Position int // order in the menu
}

// CanEdit reports whether actor may write static pages: editors and admins.
func CanEdit(actor *model.User) bool { return actor != nil && actor.Role.AtLeast(model.RoleEditor) }

// Create adds a page.
func (s *Service) Create(ctx context.Context, actor *model.User, in Input) (*model.Page, error) {
	if !CanEdit(actor) {
		return nil, valid.ErrForbidden
	}
	p := &model.Page{}
	html, err := s.check(in)
	if err != nil {
		return nil, err
	}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := s.fill(ctx, tx, p, in, html); err != nil {
			return err
		}
		return tx.CreatePage(ctx, p)
	})
	if err != nil {
		return nil, err
	}
	s.events.Publish(ctx, event.PageChanged{Slug: p.Slug})
	return p, nil
}

// Update changes page id. version is the one the editor opened (0: the
// stored one); a page saved since is refused with store.ErrStale.
func (s *Service) Update(ctx context.Context, actor *model.User, id int64, version int, in Input) (*model.Page, error) {
	if !CanEdit(actor) {
		return nil, valid.ErrForbidden
	}
	html, err := s.check(in)
	if err != nil {
		return nil, err
	}
	var p *model.Page
	var oldSlug string
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		var err error
		if p, err = tx.PageByID(ctx, id); err != nil {
			return err
		}
		if version != 0 && version != p.Version {
			return fmt.Errorf("page %d: %w", id, store.ErrStale)
		}
		oldSlug = p.Slug
		if err := s.fill(ctx, tx, p, in, html); err != nil {
			return err
		}
		return tx.UpdatePage(ctx, p)
	})
	if err != nil {
		return nil, err
	}
	s.events.Publish(ctx, event.PageChanged{Slug: p.Slug, OldSlug: oldSlug})
	return p, nil
}

// Delete removes page id.
func (s *Service) Delete(ctx context.Context, actor *model.User, id int64) error {
	if !CanEdit(actor) {
		return valid.ErrForbidden
	}
	var p *model.Page
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		var err error
		if p, err = tx.PageByID(ctx, id); err != nil {
			return err
		}
		return tx.DeletePage(ctx, id)
	})
	if err != nil {
		return err
	}
	s.events.Publish(ctx, event.PageChanged{Slug: p.Slug})
	return nil
}

// check validates what needs no database and renders the body.
func (s *Service) check(in Input) (string, error) {
	var errs valid.Errors
	title := strings.TrimSpace(in.Title)
	if title == "" {
		errs.Add("title", "required", "validation.required", "title")
	} else if utf8.RuneCountInString(title) > MaxTitle {
		errs.Add("title", "too_long", "validation.too_long", "title", MaxTitle)
	}
	if len(in.Body) > MaxBody {
		errs.Add("body", "too_long", "validation.too_long", "body", MaxBody)
	}
	if in.Status != model.StatusDraft && in.Status != model.StatusPublished {
		errs.Add("status", "invalid", "validation.invalid", "status")
	}
	if in.Position < 0 || in.Position > MaxPosition {
		errs.Add("position", "invalid", "validation.invalid", "position")
	}
	if Reserved[wantSlug(in)] {
		errs.Add("slug", "reserved", "admin.page.slug_reserved")
	}
	if err := errs.Err(); err != nil {
		return "", err
	}
	return s.md.HTML(in.Body)
}

func wantSlug(in Input) string {
	want := slug.Make(in.Slug)
	if want == "" {
		want = slug.Make(in.Title)
	}
	if want == "" {
		want = "halaman"
	}
	return want
}

// fill copies in onto p, giving it a free slug.
func (s *Service) fill(ctx context.Context, tx store.Tx, p *model.Page, in Input, html string) error {
	if want := wantSlug(in); want != p.Slug {
		uniq, err := slug.Unique(ctx, want, func(ctx context.Context, c string) (bool, error) {
			return tx.SlugTaken(ctx, "pages", c, p.ID)
		})
		if err != nil {
			return err
		}
		p.Slug = uniq
	}
	p.Title, p.Body, p.BodyHTML, p.Status, p.Position = strings.TrimSpace(in.Title), in.Body, html, in.Status, in.Position
	return nil
}
