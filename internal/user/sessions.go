package user

import (
	"context"

	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/valid"
)

// The sessions screen: staff see where they are signed in and end
// sessions; admins do the same for anyone. Ending a session changes
// nothing readers see, so no event follows.

// mayManage reports whether actor may see and end userID's sessions.
func mayManage(actor *model.User, userID int64) bool {
	return actor != nil && actor.Active && (actor.ID == userID || actor.Role == model.RoleAdmin)
}

// Sessions lists userID's live sessions, the most recently used first.
func (s *Service) Sessions(ctx context.Context, actor *model.User, userID int64) ([]store.Session, error) {
	if !mayManage(actor, userID) {
		return nil, valid.ErrForbidden
	}
	return s.st.UserSessions(ctx, userID, s.now())
}

// EndSession signs out the session id of userID (not found: it ended
// already, or is someone else's).
func (s *Service) EndSession(ctx context.Context, actor *model.User, userID int64, id string) error {
	if !mayManage(actor, userID) {
		return valid.ErrForbidden
	}
	return s.st.InTx(ctx, func(tx store.Tx) error {
		ss, err := tx.SessionByID(ctx, id)
		if err != nil {
			return err
		}
		if ss.UserID != userID {
			return store.ErrNotFound
		}
		return tx.DeleteSession(ctx, id)
	})
}

// EndOtherSessions signs out every session of userID but keep ("" for
// all of them).
func (s *Service) EndOtherSessions(ctx context.Context, actor *model.User, userID int64, keep string) error {
	if !mayManage(actor, userID) {
		return valid.ErrForbidden
	}
	return s.st.InTx(ctx, func(tx store.Tx) error { return tx.DeleteUserSessions(ctx, userID, keep) })
}
