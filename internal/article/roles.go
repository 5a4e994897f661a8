package article

import "warta/internal/model"

// The capabilities follow WordPress: a contributor writes drafts and
// submits them for review; an author publishes their own; an editor
// publishes and edits everyone's; an admin can do all of that too.

// CanPublish reports whether actor may make a public (or scheduled).
func CanPublish(actor *model.User, a *model.Article) bool {
	switch {
	case actor.Role.AtLeast(model.RoleEditor):
		return true
	case actor.Role == model.RoleAuthor:
		return a.AuthorID == actor.ID
	}
	return false
}

// CanEdit reports whether actor may change a.
func CanEdit(actor *model.User, a *model.Article) bool {
	switch {
	case actor.Role.AtLeast(model.RoleEditor):
		return true
	case actor.Role == model.RoleAuthor:
		return a.AuthorID == actor.ID
	case actor.Role == model.RoleContributor:
		// Once published, a contributor's story belongs to the editors.
		return a.AuthorID == actor.ID && (a.Status == model.StatusDraft || a.Status == model.StatusPending)
	}
	return false
}

// CanDelete reports whether actor may delete a.
func CanDelete(actor *model.User, a *model.Article) bool { return CanEdit(actor, a) }

// CanSee reports whether actor may read a unpublished.
func CanSee(actor *model.User, a *model.Article) bool {
	return actor.Role.AtLeast(model.RoleEditor) || a.AuthorID == actor.ID
}
