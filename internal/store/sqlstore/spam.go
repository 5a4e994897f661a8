package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"sort"

	"warta/internal/store"
)

// The learning spam filter's counts live in spam_features and spam_totals
// (migration 0009). Every change is an increment in the caller's
// transaction, so instances sharing the database add to the same counts
// and none overwrites another's learning.

// spamClass names a class's columns: [0] ham, [1] spam.
var spamClass = [2]struct{ docs, count, total string }{
	{"ham_docs", "ham_count", "ham_total"},
	{"spam_docs", "spam_count", "spam_total"},
}

func classIndex(spam bool) int {
	if spam {
		return 1
	}
	return 0
}

// jsonStrings selects the strings of a JSON array given as one parameter.
// A list of features travels as one parameter so that a statement's text
// stays the same however many a comment has (SQLite keeps its read
// statements prepared, by their text).
func jsonStrings(d dialect) string {
	if d.name == "postgres" {
		return "SELECT json_array_elements_text(?::json)"
	}
	return "SELECT value FROM json_each(?)"
}

// inJSON tests col against a JSON array of strings given as one parameter.
func inJSON(d dialect, col string) string {
	if d.name == "postgres" {
		// An array, so the planner looks each feature up by its key.
		return col + " = ANY (ARRAY(" + jsonStrings(d) + "))"
	}
	return col + " IN (" + jsonStrings(d) + ")"
}

func jsonList(features []string) (string, error) {
	if len(features) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(features)
	return string(b), err
}

// SpamCounts returns the filter's totals and the counts of features, in
// one query. Before the filter is seeded everything is zero.
func (s *Store) SpamCounts(ctx context.Context, features []string) (store.SpamTotals, map[string]store.SpamCount, error) {
	var t store.SpamTotals
	list, err := jsonList(features)
	if err != nil {
		return t, nil, err
	}
	rows, err := s.read().QueryContext(ctx, `SELECT t.spam_docs, t.ham_docs, t.spam_total, t.ham_total, t.features,
		f.feature, f.spam_count, f.ham_count
		FROM spam_totals t LEFT JOIN spam_features f ON `+inJSON(s.d, "f.feature")+` WHERE t.id = 1`, list)
	if err != nil {
		return t, nil, mapErr(err)
	}
	defer rows.Close()
	counts := make(map[string]store.SpamCount, len(features))
	for rows.Next() {
		var f sql.NullString
		var n struct{ spam, ham sql.NullInt64 }
		if err := rows.Scan(&t.SpamDocs, &t.HamDocs, &t.SpamFeatures, &t.HamFeatures, &t.Vocabulary, &f, &n.spam, &n.ham); err != nil {
			return t, nil, mapErr(err)
		}
		if f.Valid {
			counts[f.String] = store.SpamCount{Spam: n.spam.Int64, Ham: n.ham.Int64}
		}
	}
	return t, counts, mapErr(rows.Err())
}

// errNotSeeded: LearnSpam before SeedSpamFilter.
var errNotSeeded = errors.New("spam filter: not seeded")

// LearnSpam applies lessons by increments (see store.SpamFilter).
func (s *Store) LearnSpam(ctx context.Context, lessons []store.SpamLesson) error {
	if len(lessons) == 0 {
		return nil
	}
	// The comments learned per class, and how often each feature occurs
	// in them.
	var docs [2]int64
	learned := [2]map[string]int64{{}, {}}
	for _, l := range lessons {
		if l.Unlearn {
			continue
		}
		c := classIndex(l.Spam)
		docs[c]++
		for _, f := range l.Features {
			learned[c][f]++
		}
	}
	return s.tx(ctx, func(q querier) error {
		// The totals row first: learners queue here, so none holds
		// feature rows while it waits for another (no deadlock).
		res, err := q.ExecContext(ctx, `UPDATE spam_totals SET features = features WHERE id = 1`)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return errNotSeeded
		}
		var delta spamDelta
		var unlearned []string
		for _, l := range lessons {
			if !l.Unlearn {
				continue
			}
			done, err := s.unlearnSpam(ctx, q, l, &delta)
			if err != nil {
				return err
			}
			if done {
				unlearned = append(unlearned, l.Features...)
			}
		}
		if err := s.learnSpam(ctx, q, learned, &delta); err != nil {
			return err
		}
		if err := s.forgetSpamFeatures(ctx, q, unlearned, &delta); err != nil {
			return err
		}
		_, err = q.ExecContext(ctx, `UPDATE spam_totals SET spam_docs = spam_docs + ?, ham_docs = ham_docs + ?,
			spam_total = spam_total + ?, ham_total = ham_total + ?, features = features + ? WHERE id = 1`,
			docs[1], docs[0], delta.total[1], delta.total[0], delta.features)
		return err
	})
}

// spamDelta is what a LearnSpam changes in the totals beyond comments.
type spamDelta struct {
	total    [2]int64 // feature occurrences per class
	features int64    // distinct features
}

// unlearnSpam takes one comment back from its class, if the class has any;
// it reports whether it did.
func (s *Store) unlearnSpam(ctx context.Context, q querier, l store.SpamLesson, delta *spamDelta) (bool, error) {
	c := spamClass[classIndex(l.Spam)]
	res, err := q.ExecContext(ctx, `UPDATE spam_totals SET `+c.docs+` = `+c.docs+` - 1 WHERE id = 1 AND `+c.docs+` > 0`)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	list, err := jsonList(l.Features)
	if err != nil {
		return false, err
	}
	res, err = q.ExecContext(ctx, `UPDATE spam_features SET `+c.count+` = `+c.count+` - 1 WHERE `+c.count+` > 0 AND `+
		inJSON(s.d, "feature"), list)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	delta.total[classIndex(l.Spam)] -= n
	return true, err
}

// learnSpam adds the learned features' occurrences, creating the features
// new to the filter.
func (s *Store) learnSpam(ctx context.Context, q querier, learned [2]map[string]int64, delta *spamDelta) error {
	var all []string
	for _, m := range learned {
		for f := range m {
			all = append(all, f)
		}
	}
	if len(all) == 0 {
		return nil
	}
	list, err := jsonList(all)
	if err != nil {
		return err
	}
	res, err := q.ExecContext(ctx, `INSERT INTO spam_features (feature) `+jsonStrings(s.d)+` WHERE true
		ON CONFLICT (feature) DO NOTHING`, list)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	delta.features += n
	for class, m := range learned {
		// One statement for all the features that grow by the same step
		// (a single comment: one statement).
		byStep := map[int64][]string{}
		for f, k := range m {
			byStep[k] = append(byStep[k], f)
		}
		col := spamClass[class].count
		for k, fs := range byStep {
			list, err := jsonList(fs)
			if err != nil {
				return err
			}
			res, err := q.ExecContext(ctx, `UPDATE spam_features SET `+col+` = `+col+` + ? WHERE `+inJSON(s.d, "feature"), k, list)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			delta.total[class] += k * n
		}
	}
	return nil
}

// forgetSpamFeatures drops the features unlearning left without counts.
func (s *Store) forgetSpamFeatures(ctx context.Context, q querier, features []string, delta *spamDelta) error {
	if len(features) == 0 {
		return nil
	}
	list, err := jsonList(features)
	if err != nil {
		return err
	}
	res, err := q.ExecContext(ctx, `DELETE FROM spam_features WHERE spam_count = 0 AND ham_count = 0 AND `+inJSON(s.d, "feature"), list)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	delta.features -= n
	return err
}

// SeedSpamFilter stores seed's counts unless the filter has counts. The
// totals row is claimed first: an instance starting at the same time
// waits on it until the seed is committed, then finds it there.
func (s *Store) SeedSpamFilter(ctx context.Context, seed func() (store.SpamTotals, map[string]store.SpamCount, error)) (bool, error) {
	seeded := false
	err := s.tx(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, `INSERT INTO spam_totals (id) VALUES (1) ON CONFLICT (id) DO NOTHING`)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		t, counts, err := seed()
		if err != nil {
			return err
		}
		if t.SpamDocs < 0 || t.HamDocs < 0 {
			return errors.New("spam filter seed: negative comment count")
		}
		features := make([]string, 0, len(counts))
		for f, n := range counts {
			if n.Spam < 0 || n.Ham < 0 {
				return errors.New("spam filter seed: negative count for " + f)
			}
			if n.Spam > 0 || n.Ham > 0 {
				features = append(features, f)
			}
		}
		sort.Strings(features)
		// The totals are those of what is stored.
		t.SpamFeatures, t.HamFeatures, t.Vocabulary = 0, 0, int64(len(features))
		rows := make([][3]any, len(features))
		for i, f := range features {
			n := counts[f]
			rows[i] = [3]any{f, n.Spam, n.Ham}
			t.SpamFeatures += n.Spam
			t.HamFeatures += n.Ham
		}
		list, err := json.Marshal(rows)
		if err != nil {
			return err
		}
		// One statement: the rows travel as one JSON array of
		// [feature, spam, ham].
		if _, err := q.ExecContext(ctx, `INSERT INTO spam_features (feature, spam_count, ham_count) `+jsonTriples(s.d), string(list)); err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx, `UPDATE spam_totals SET spam_docs = ?, ham_docs = ?, spam_total = ?, ham_total = ?,
			features = ? WHERE id = 1`, t.SpamDocs, t.HamDocs, t.SpamFeatures, t.HamFeatures, t.Vocabulary); err != nil {
			return err
		}
		seeded = true
		return nil
	})
	return seeded, err
}

// jsonTriples selects the rows of a JSON array of [text, integer, integer]
// given as one parameter.
func jsonTriples(d dialect) string {
	if d.name == "postgres" {
		return "SELECT e->>0, (e->>1)::bigint, (e->>2)::bigint FROM json_array_elements(?::json) e"
	}
	return "SELECT value->>0, value->>1, value->>2 FROM json_each(?)"
}
