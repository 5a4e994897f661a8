package comment

import (
	"context"
	"time"

	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/valid"
)

// mayModerate says who may moderate, correct and answer comments: editors
// and admins (the newsroom's comment screens ask the same).
func mayModerate(actor *model.User) bool {
	return actor != nil && actor.Role.AtLeast(model.RoleEditor)
}

// checkStaffBody applies the rules of a reader's text (checkBody) to the
// newsroom's; its problems are the "body" field's.
func (s *Service) checkStaffBody(ctx context.Context, body string) error {
	settings, err := s.st.Settings(ctx)
	if err != nil {
		return err
	}
	var errs valid.Errors
	checkBody(&errs, "body", body, settings)
	return errs.Err()
}

// Edit replaces a comment's text with a moderator's correction, cleaned and
// checked as a reader's text is (valid.Errors on the "body" field). Only
// editors and admins may (valid.ErrForbidden). One transaction; the pages of
// the comment's article are refreshed after it. It returns the comment as
// edited.
func (s *Service) Edit(ctx context.Context, actor *model.User, id int64, body string) (*model.Comment, error) {
	body, err := s.staffBody(ctx, actor, body)
	if err != nil {
		return nil, err
	}
	var (
		c       *model.Comment
		changed event.CommentChanged
	)
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		var err error
		if c, err = tx.CommentByID(ctx, id); err != nil {
			return err
		}
		if err := tx.UpdateCommentBody(ctx, id, body); err != nil {
			return err
		}
		c.Body = body
		changed, err = articleChanged(ctx, tx, c.ArticleID)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.publish(ctx, []event.CommentChanged{changed})
	return c, nil
}

// Reply answers a comment for the newsroom: stored approved, under the
// actor's name and account, on the comment's article. Answering a held
// comment approves it first, teaching the filter as Moderate does: a reply
// under a comment readers cannot see would make no sense to them. The text
// is cleaned and checked as a reader's is (valid.Errors on "body"); only
// editors and admins may reply (valid.ErrForbidden). One transaction, one
// event after it. It returns the reply.
func (s *Service) Reply(ctx context.Context, actor *model.User, parentID int64, body string) (*model.Comment, error) {
	body, err := s.staffBody(ctx, actor, body)
	if err != nil {
		return nil, err
	}
	var (
		reply   *model.Comment
		changed event.CommentChanged
		mailed  bool
	)
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		parent, err := tx.CommentByID(ctx, parentID)
		if err != nil {
			return err
		}
		if parent.Status == model.CommentPending {
			if _, err := moderate(ctx, tx, []int64{parent.ID}, model.CommentApproved); err != nil {
				return err
			}
		}
		reply = staffReply(actor, parent, body, s.now())
		if err := tx.CreateComment(ctx, reply, ""); err != nil {
			return err
		}
		if changed, err = articleChanged(ctx, tx, parent.ArticleID); err != nil {
			return err
		}
		mailed, err = s.replyPublished(ctx, tx, reply, "")
		return err
	})
	if err != nil {
		return nil, err
	}
	s.mailQueued(mailed)
	s.publish(ctx, []event.CommentChanged{changed})
	return reply, nil
}

// staffReply is the newsroom's answer to parent: approved, under the
// actor's name, outside the readers' duplicate check (no body hash).
func staffReply(actor *model.User, parent *model.Comment, body string, now time.Time) *model.Comment {
	uid, pid := actor.ID, parent.ID
	return &model.Comment{ArticleID: parent.ArticleID, ParentID: &pid, AuthorName: actor.Name, AuthorEmail: actor.Email,
		Body: body, Status: model.CommentApproved, CreatedAt: now, UserID: &uid}
}

// staffBody is what Edit and Reply ask first: an editor or admin
// (valid.ErrForbidden otherwise), and the text cleaned and checked as a
// reader's is.
func (s *Service) staffBody(ctx context.Context, actor *model.User, body string) (string, error) {
	if !mayModerate(actor) {
		return "", valid.ErrForbidden
	}
	body = cleanBody(body)
	return body, s.checkStaffBody(ctx, body)
}
