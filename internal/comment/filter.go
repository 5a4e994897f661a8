package comment

import (
	"context"
	"errors"
	"fmt"

	"warta/internal/comment/spam"
	"warta/internal/model"
	"warta/internal/store"
)

// kvFilter is where Warta kept the whole learned filter as JSON before its
// counts moved to their own tables; seedFilter moves it and deletes it.
const kvFilter = "spam_filter"

// seedFilter gives the database's spam filter its starting counts, once:
// those an older Warta saved under kvFilter, else the shipped model. The
// saved blob goes in the same transaction. Instances starting together
// seed once (store.SpamFilter.SeedSpamFilter).
func (s *Service) seedFilter(ctx context.Context) error {
	return s.st.InTx(ctx, func(tx store.Tx) error {
		from := ""
		seeded, err := tx.SeedSpamFilter(ctx, func() (store.SpamTotals, map[string]store.SpamCount, error) {
			c, origin, err := startingFilter(ctx, tx)
			if err != nil {
				return store.SpamTotals{}, nil, err
			}
			from = origin
			t, counts := storedCounts(c.Snapshot())
			return t, counts, nil
		})
		if err != nil {
			return err
		}
		if seeded {
			s.log.Info("spam filter seeded", "from", from)
			if from == "shipped model" {
				return nil
			}
			return tx.DeleteKV(ctx, kvFilter)
		}
		// Counts exist, yet an older instance saved its copy meanwhile
		// (during an upgrade): the shared counts win.
		if _, err := tx.GetKV(ctx, kvFilter); errors.Is(err, store.ErrNotFound) {
			return nil
		} else if err != nil {
			return err
		}
		s.log.Warn("an older instance's saved spam filter was found after the filter moved to its tables; the tables' counts are kept")
		return tx.DeleteKV(ctx, kvFilter)
	})
}

// startingFilter is the filter an older Warta saved, else the shipped one.
func startingFilter(ctx context.Context, kv store.KV) (*spam.Classifier, string, error) {
	raw, err := kv.GetKV(ctx, kvFilter)
	if errors.Is(err, store.ErrNotFound) {
		c, err := spam.Default()
		return c, "shipped model", err
	}
	if err != nil {
		return nil, "", err
	}
	c := spam.NewClassifier()
	if err := c.UnmarshalJSON([]byte(raw)); err != nil {
		return nil, "", fmt.Errorf("saved spam filter: %w", err)
	}
	return c, "saved filter", nil
}

func storedCounts(c spam.Counts) (store.SpamTotals, map[string]store.SpamCount) {
	out := make(map[string]store.SpamCount, len(c.Features))
	for f, n := range c.Features {
		out[f] = store.SpamCount(n)
	}
	return store.SpamTotals(c.Totals), out
}

// storedFilter scores a comment with the counts in the database, reading
// those of the comment's features alone. Nothing is cached: every
// instance sees every other's learning at once. Evaluate cannot fail, so
// a read error waits in err.
type storedFilter struct {
	ctx context.Context
	st  store.SpamFilter
	err error
}

// LogOdds implements spam.Scorer.
func (f *storedFilter) LogOdds(fs []string) float64 {
	t, counts, err := f.st.SpamCounts(f.ctx, fs)
	if err != nil {
		f.err = err
		return 0
	}
	c := spam.Counts{Totals: spam.Totals(t), Features: make(map[string]spam.Count, len(counts))}
	for k, n := range counts {
		c.Features[k] = spam.Count(n)
	}
	return c.LogOdds(fs)
}

// lessons is what moving comments (as they were) to status teaches the
// filter: what an earlier decision taught is taken back, then the new one
// learned. Approving teaches ham, filing as spam teaches spam; holding or
// trashing only takes back.
func lessons(before []*model.Comment, status model.CommentStatus) []store.SpamLesson {
	var out []store.SpamLesson
	for _, c := range before {
		if c.Status == status {
			continue
		}
		fs := spam.Features(c.Body)
		switch c.Status {
		case model.CommentSpam:
			out = append(out, store.SpamLesson{Features: fs, Spam: true, Unlearn: true})
		case model.CommentApproved:
			out = append(out, store.SpamLesson{Features: fs, Unlearn: true})
		}
		switch status {
		case model.CommentSpam:
			out = append(out, store.SpamLesson{Features: fs, Spam: true})
		case model.CommentApproved:
			out = append(out, store.SpamLesson{Features: fs})
		}
	}
	return out
}
