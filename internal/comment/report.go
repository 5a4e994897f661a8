package comment

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/valid"
)

// Limits on readers' reports of comments.
const (
	MaxReportReason = 500
	// ReportsPerHour caps the reports one address may send in an hour.
	ReportsPerHour = 5
	// ReportDeadline is how long the newsroom has to answer a report,
	// as the Dewan Pers cyber-media guideline asks (2 × 24 hours).
	ReportDeadline = 48 * time.Hour
)

// Report records a reader's report of a published comment. The comment
// must be approved (anything else is not found); the reason is required;
// an address may report a comment once (again is accepted, not stored)
// and ReportsPerHour comments an hour.
func (s *Service) Report(ctx context.Context, commentID int64, reason, ip string) error {
	reason = strings.TrimSpace(reason)
	var errs valid.Errors
	if reason == "" {
		errs.Add("reason", "required", "report.reason_required")
	} else if utf8.RuneCountInString(reason) > MaxReportReason {
		errs.Add("reason", "too_long", "validation.too_long", "reason", MaxReportReason)
	}
	now := s.now()
	return s.st.InTx(ctx, func(tx store.Tx) error {
		c, err := tx.CommentByID(ctx, commentID)
		if err != nil {
			return err
		}
		if c.Status != model.CommentApproved {
			return store.ErrNotFound
		}
		if err := errs.Err(); err != nil {
			return err
		}
		if done, err := tx.ReportedBy(ctx, commentID, ip); err != nil || done {
			return err
		}
		n, err := tx.CountReportsFrom(ctx, ip, now.Add(-time.Hour))
		if err != nil {
			return err
		}
		if n >= ReportsPerHour {
			return &valid.Error{Field: "reason", Code: "throttled", Key: "report.throttled"}
		}
		return tx.CreateCommentReport(ctx, &model.CommentReport{CommentID: commentID, Reason: reason, IP: ip, CreatedAt: now})
	})
}

// ResolveReport closes a report: an editor has dealt with it (kept,
// edited or removed the comment).
func (s *Service) ResolveReport(ctx context.Context, actor *model.User, id int64) error {
	if !actor.Role.AtLeast(model.RoleEditor) {
		return valid.ErrForbidden
	}
	return s.st.InTx(ctx, func(tx store.Tx) error {
		return tx.ResolveCommentReport(ctx, id, actor.ID, s.now())
	})
}
