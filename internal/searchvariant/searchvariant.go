// Package searchvariant owns the rules of the search variants editors add
// in the newsroom: groups of forms that mean the same to search ("hp =
// ponsel = telepon genggam"), beside the starter list internal/search
// ships. Each change runs in one store transaction and ends with one
// event; the public site rebuilds its lexicon on it, so a change counts
// from the next search.
package searchvariant

import (
	"context"
	"errors"
	"strings"

	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/search"
	"warta/internal/store"
	"warta/internal/valid"
)

// Store is what the service needs from storage.
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

// CanEdit reports whether actor may change the variants: editors and
// admins.
func CanEdit(actor *model.User) bool { return actor != nil && actor.Role.AtLeast(model.RoleEditor) }

// Add stores the group of forms written in line ("HP = ponsel"),
// normalised. Field errors name "forms".
func (s *Service) Add(ctx context.Context, actor *model.User, line string) (*model.SearchVariant, error) {
	if !CanEdit(actor) {
		return nil, valid.ErrForbidden
	}
	var errs valid.Errors
	forms, ok := search.NormalizeVariants(line)
	switch {
	case strings.TrimSpace(line) == "":
		errs.Add("forms", "required", "validation.required", "forms")
	case !ok:
		errs.Add("forms", "invalid", "validation.search_variant")
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	v := &model.SearchVariant{Forms: forms}
	err := s.st.InTx(ctx, func(tx store.Tx) error { return tx.AddSearchVariant(ctx, v) })
	if errors.Is(err, store.ErrConflict) {
		errs.Add("forms", "taken", "validation.search_variant_taken")
		return nil, errs.Err()
	}
	if err != nil {
		return nil, err
	}
	s.events.Publish(ctx, event.SearchVariantsChanged{})
	return v, nil
}

// Delete removes group id.
func (s *Service) Delete(ctx context.Context, actor *model.User, id int64) error {
	if !CanEdit(actor) {
		return valid.ErrForbidden
	}
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.SearchVariantByID(ctx, id); err != nil {
			return err
		}
		return tx.DeleteSearchVariant(ctx, id)
	})
	if err != nil {
		return err
	}
	s.events.Publish(ctx, event.SearchVariantsChanged{})
	return nil
}
