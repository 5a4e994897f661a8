package comment

import (
	"context"
	"errors"

	"warta/internal/article"
	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/valid"
)

// Moderate moves comments to status and teaches the spam filter the
// decision, in one transaction; then it refreshes the pages that show
// them. It returns the comments, with their new status.
func (s *Service) Moderate(ctx context.Context, ids []int64, status model.CommentStatus) ([]*model.Comment, error) {
	if !status.Valid() {
		return nil, &valid.Error{Field: "status", Code: "invalid", Key: "validation.invalid_status", Args: []any{"status"}}
	}
	var (
		before  []*model.Comment
		changed []event.CommentChanged
	)
	mailed := false
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		var err error
		if before, err = moderate(ctx, tx, ids, status); err != nil {
			return err
		}
		if changed, err = articlesChanged(ctx, tx, before); err != nil {
			return err
		}
		if status == model.CommentApproved {
			if err := s.checkConfirmed(ctx, tx, before); err != nil {
				return err
			}
			mailed, err = s.repliesPublished(ctx, tx, before)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	s.mailQueued(mailed)
	for _, c := range before {
		c.Status = status
	}
	s.publish(ctx, changed)
	return before, nil
}

// moderate moves comments to status in tx and teaches the filter what the
// decision says; it returns the comments as they were.
func moderate(ctx context.Context, tx store.Tx, ids []int64, status model.CommentStatus) ([]*model.Comment, error) {
	before, err := tx.SetCommentStatus(ctx, ids, status)
	if err != nil {
		return nil, err
	}
	if ls := lessons(before, status); len(ls) > 0 {
		if err := tx.LearnSpam(ctx, ls); err != nil {
			return nil, err
		}
	}
	return before, nil
}

// articlesChanged names, once each, the articles whose pages show the
// comments.
func articlesChanged(ctx context.Context, tx store.Tx, comments []*model.Comment) ([]event.CommentChanged, error) {
	var out []event.CommentChanged
	seen := map[int64]bool{}
	for _, c := range comments {
		if seen[c.ArticleID] {
			continue
		}
		seen[c.ArticleID] = true
		e, err := articleChanged(ctx, tx, c.ArticleID)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// articleChanged is the event for a change to an article's comments; its
// URL is the article's path (empty, so every page is dropped, when the
// article is gone).
func articleChanged(ctx context.Context, tx store.Tx, articleID int64) (event.CommentChanged, error) {
	e := event.CommentChanged{ArticleID: articleID}
	a, err := tx.ArticleByID(ctx, articleID)
	switch {
	case err == nil:
		e.URL = article.Path(a)
	case !errors.Is(err, store.ErrNotFound):
		return e, err
	}
	return e, nil
}

// publish announces changes once their transaction is committed.
func (s *Service) publish(ctx context.Context, changed []event.CommentChanged) {
	for _, e := range changed {
		s.events.Publish(ctx, e)
	}
}
