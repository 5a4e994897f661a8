package sqlstore

import "context"

// ExecWrite runs a statement on the writing connection, as a migration
// does, for tests that replay one on rows they made.
func (s *Store) ExecWrite(ctx context.Context, query string) error {
	_, err := s.w.ExecContext(ctx, query)
	return err
}
