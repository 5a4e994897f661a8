package sqlstore

import (
	"context"
	"strings"
	"time"

	"warta/internal/model"
	"warta/internal/store"
)

// CreateCommentReport stores r.
func (s *Store) CreateCommentReport(ctx context.Context, r *model.CommentReport) error {
	if r.CreatedAt.IsZero() {
		r.CreatedAt = s.now()
	}
	r.CreatedAt = utc(r.CreatedAt)
	return s.tx(ctx, func(q querier) error {
		return q.QueryRowContext(ctx, `INSERT INTO comment_reports (comment_id, reason, ip, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
			r.CommentID, r.Reason, r.IP, r.CreatedAt).Scan(&r.ID)
	})
}

// CountReportsFrom counts the reports sent from ip since since.
func (s *Store) CountReportsFrom(ctx context.Context, ip string, since time.Time) (int, error) {
	var n int
	err := s.read().QueryRowContext(ctx, `SELECT count(*) FROM comment_reports WHERE ip = ? AND created_at >= ?`, ip, utc(since)).Scan(&n)
	return n, mapErr(err)
}

// ReportedBy reports whether ip already reported the comment.
func (s *Store) ReportedBy(ctx context.Context, commentID int64, ip string) (bool, error) {
	var n int
	err := s.read().QueryRowContext(ctx, `SELECT count(*) FROM comment_reports WHERE comment_id = ? AND ip = ?`, commentID, ip).Scan(&n)
	return n > 0, mapErr(err)
}

// OpenCommentReports returns the unresolved reports, oldest first.
func (s *Store) OpenCommentReports(ctx context.Context, limit int) ([]model.CommentReport, error) {
	rows, err := s.read().QueryContext(ctx, `SELECT r.id, r.comment_id, r.reason, r.created_at, `+prefixed("c.", commentCols)+`
		FROM comment_reports r JOIN comments c ON c.id = r.comment_id
		WHERE r.resolved_at IS NULL ORDER BY r.created_at, r.id LIMIT ?`, limit)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []model.CommentReport
	for rows.Next() {
		var r model.CommentReport
		c, err := scanComment(withLead{rows, []any{&r.ID, &r.CommentID, &r.Reason, &r.CreatedAt}})
		if err != nil {
			return nil, err
		}
		r.CreatedAt = r.CreatedAt.UTC()
		r.Comment = c
		out = append(out, r)
	}
	return out, mapErr(rows.Err())
}

// ResolveCommentReport closes an open report.
func (s *Store) ResolveCommentReport(ctx context.Context, id, by int64, at time.Time) error {
	return s.tx(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, `UPDATE comment_reports SET resolved_at = ?, resolved_by = ? WHERE id = ? AND resolved_at IS NULL`,
			utc(at), by, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
}

// withLead is a row whose first columns go into lead and the rest into
// what Scan is given (scanComment's destinations).
type withLead struct {
	sc   interface{ Scan(...any) error }
	lead []any
}

func (w withLead) Scan(dest ...any) error {
	return w.sc.Scan(append(append([]any{}, w.lead...), dest...)...)
}

// prefixed qualifies each column of a list with p ("c.").
func prefixed(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}
