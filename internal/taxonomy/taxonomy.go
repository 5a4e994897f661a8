// Package taxonomy owns the rules of categories and tags: names, slugs
// (a category's or tag's public address) and the category tree. Each
// change runs in one store transaction and ends with one event.
package taxonomy

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/slug"
	"warta/internal/store"
	"warta/internal/valid"
)

// Limits on category and tag fields.
const (
	MaxName        = 100
	MaxDescription = 1000
)

// Store is what the taxonomy needs from storage.
type Store interface {
	store.Transactor
}

// Service applies the rules.
type Service struct {
	st     Store
	events *event.Bus
}

// New builds the service.
func New(st Store, bus *event.Bus) *Service { return &Service{st: st, events: bus} }

// CanEdit reports whether actor may change categories and tags: editors
// and admins, as in WordPress.
func CanEdit(actor *model.User) bool { return actor != nil && actor.Role.AtLeast(model.RoleEditor) }

// CategoryInput is a category as an editor submits it.
type CategoryInput struct {
	Name        string
	Slug        string // "" makes one from the name
	Description string
	Parent      int64 // 0: top level
}

// CreateCategory adds a category.
func (s *Service) CreateCategory(ctx context.Context, actor *model.User, in CategoryInput) (*model.Category, error) {
	return s.saveCategory(ctx, actor, 0, in)
}

// UpdateCategory changes category id.
func (s *Service) UpdateCategory(ctx context.Context, actor *model.User, id int64, in CategoryInput) (*model.Category, error) {
	if id == 0 {
		return nil, store.ErrNotFound
	}
	return s.saveCategory(ctx, actor, id, in)
}

func (s *Service) saveCategory(ctx context.Context, actor *model.User, id int64, in CategoryInput) (*model.Category, error) {
	if !CanEdit(actor) {
		return nil, valid.ErrForbidden
	}
	c := &model.Category{}
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		cats, err := tx.Categories(ctx)
		if err != nil {
			return err
		}
		if id != 0 {
			if c = find(cats, id); c == nil {
				return store.ErrNotFound
			}
		}
		if err := checkCategory(ctx, tx, cats, c, in); err != nil {
			return err
		}
		if id == 0 {
			return tx.CreateCategory(ctx, c)
		}
		return tx.UpdateCategory(ctx, c)
	})
	if errors.Is(err, store.ErrConflict) {
		err = slugTaken("admin.category.slug_taken")
	}
	if err != nil {
		return nil, err
	}
	s.events.Publish(ctx, event.TaxonomyChanged{})
	return c, nil
}

// checkCategory validates in against the tree cats and copies it onto c.
// A category's slug is its public address: a clash is explained rather
// than silently renamed.
func checkCategory(ctx context.Context, tx store.Tx, cats []model.Category, c *model.Category, in CategoryInput) error {
	var errs valid.Errors
	name, desc := strings.TrimSpace(in.Name), strings.TrimSpace(in.Description)
	if name == "" {
		errs.Add("name", "required", "validation.required", "name")
	} else if utf8.RuneCountInString(name) > MaxName {
		errs.Add("name", "too_long", "validation.too_long", "name", MaxName)
	}
	if utf8.RuneCountInString(desc) > MaxDescription {
		errs.Add("description", "too_long", "validation.too_long", "description", MaxDescription)
	}
	if in.Parent != 0 && (find(cats, in.Parent) == nil || c.ID != 0 && Descendants(cats, c.ID)[in.Parent]) {
		errs.Add("parent", "invalid", "admin.category.bad_parent")
	}
	want := slug.Make(in.Slug)
	if want == "" {
		want = slug.Make(name)
	}
	if want == "" && errs.Field("name") == nil {
		errs.Add("slug", "invalid", "validation.invalid", "slug")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	if want != c.Slug {
		taken, err := tx.SlugTaken(ctx, "categories", want, c.ID)
		if err != nil {
			return err
		}
		if taken {
			return slugTaken("admin.category.slug_taken")
		}
	}
	c.Name, c.Slug, c.Description, c.ParentID = name, want, desc, nil
	if in.Parent != 0 {
		p := in.Parent
		c.ParentID = &p
	}
	return nil
}

func slugTaken(key string) error { return &valid.Error{Field: "slug", Code: "conflict", Key: key} }

func find(cats []model.Category, id int64) *model.Category {
	for i := range cats {
		if cats[i].ID == id {
			c := cats[i]
			return &c
		}
	}
	return nil
}

// Descendants returns id and every category below it: none of them may
// become its parent, or the tree would loop.
func Descendants(cats []model.Category, id int64) map[int64]bool {
	out := map[int64]bool{id: true}
	for changed := true; changed; {
		changed = false
		for _, c := range cats {
			if c.ParentID != nil && out[*c.ParentID] && !out[c.ID] {
				out[c.ID] = true
				changed = true
			}
		}
	}
	return out
}

// DeleteCategory removes a category: its children move to the top level
// and its articles simply lose it.
func (s *Service) DeleteCategory(ctx context.Context, actor *model.User, id int64) error {
	if !CanEdit(actor) {
		return valid.ErrForbidden
	}
	if err := s.st.InTx(ctx, func(tx store.Tx) error { return tx.DeleteCategory(ctx, id) }); err != nil {
		return err
	}
	s.events.Publish(ctx, event.TaxonomyChanged{})
	return nil
}

// RenameTag gives tag id a new name and slug ("" makes one from the name).
func (s *Service) RenameTag(ctx context.Context, actor *model.User, id int64, name, sl string) error {
	if !CanEdit(actor) {
		return valid.ErrForbidden
	}
	name = strings.TrimSpace(name)
	if sl = slug.Make(sl); sl == "" {
		sl = slug.Make(name)
	}
	switch {
	case name == "" || sl == "":
		return &valid.Error{Field: "name", Code: "required", Key: "validation.required", Args: []any{"name"}}
	case utf8.RuneCountInString(name) > MaxName:
		return &valid.Error{Field: "name", Code: "too_long", Key: "validation.too_long", Args: []any{"name", MaxName}}
	}
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		taken, err := tx.SlugTaken(ctx, "tags", sl, id)
		if err != nil {
			return err
		}
		if taken {
			return slugTaken("admin.tag.slug_taken")
		}
		return tx.UpdateTag(ctx, &model.Tag{ID: id, Name: name, Slug: sl})
	})
	if errors.Is(err, store.ErrConflict) {
		err = slugTaken("admin.tag.slug_taken")
	}
	if err != nil {
		return err
	}
	s.events.Publish(ctx, event.TaxonomyChanged{})
	return nil
}

// DeleteTag removes a tag from every article.
func (s *Service) DeleteTag(ctx context.Context, actor *model.User, id int64) error {
	if !CanEdit(actor) {
		return valid.ErrForbidden
	}
	if err := s.st.InTx(ctx, func(tx store.Tx) error { return tx.DeleteTag(ctx, id) }); err != nil {
		return err
	}
	s.events.Publish(ctx, event.TaxonomyChanged{})
	return nil
}
