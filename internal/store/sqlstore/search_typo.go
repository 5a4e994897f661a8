package sqlstore

// Typo correction: a query word that no article holds is read as the
// word one edit away (search.Candidates) that the most articles hold.

import (
	"context"
	"slices"
	"strings"

	"warta/internal/search"
	"warta/internal/store"
)

// typoCountCap caps the article counts that rank candidate words: enough
// to tell a common word from a rare one, and the same on both databases
// (PostgreSQL stops counting there).
const typoCountCap = 100

// typoTries is how many of the most common candidates are asked whether
// a public article holds them (the index also holds drafts).
const typoTries = 5

// correctTypos replaces each term of q (and the prefix) that no article f
// allows holds, whole or as a prefix, with its best candidate. It returns
// the corrections, word for word.
func (s *Store) correctTypos(ctx context.Context, q search.Query, f store.ArticleQuery) (search.Query, map[string]string, error) {
	must, _ := clauses(q)
	prefix := 0
	if q.Prefix != "" {
		prefix = 1
	}
	if len(must) != len(q.Terms)+len(q.Phrases)+prefix {
		return q, nil, nil // a clause without words: nothing to go by
	}
	var fixes map[string]string
	// fix corrects the word of clause i, when that finds nothing.
	fix := func(word string, i int) (string, error) {
		if n, err := s.countHits(ctx, s.render(must[i:i+1], nil), f, 1); err != nil || n > 0 {
			return "", err
		}
		others := append(slices.Clone(must[:i]), must[i+1:]...)
		best, err := s.bestCandidate(ctx, search.PrefixOf(word), others, f)
		if err != nil || best == "" {
			return "", err
		}
		if fixes == nil {
			fixes = map[string]string{}
		}
		fixes[word] = best
		return best, nil
	}
	terms := slices.Clone(q.Terms)
	for i, t := range q.Terms {
		better, err := fix(t, i)
		if err != nil {
			return q, nil, err
		}
		if better != "" {
			terms[i] = better
		}
	}
	if q.Prefix != "" {
		better, err := fix(q.Prefix, len(must)-1)
		if err != nil {
			return q, nil, err
		}
		if better != "" {
			terms, q.Prefix = append(terms, better), ""
		}
	}
	q.Terms = terms
	return q, fixes, nil
}

// bestCandidate returns the word one edit away from word that the most
// articles hold (counted up to typoCountCap; among equals the first in
// alphabetical order) and that a public article f allows holds beside
// the other clauses, or failing that alone, or "".
// Stopwords are never candidates.
func (s *Store) bestCandidate(ctx context.Context, word string, others []clause, f store.ArticleQuery) (string, error) {
	lex := search.DefaultLexicon()
	cands := slices.DeleteFunc(search.Candidates(word), lex.IsStopword)
	if len(cands) == 0 {
		return "", nil
	}
	var query string
	var args []any
	if s.d.name == "postgres" {
		query = `SELECT w, (SELECT count(*) FROM (SELECT 1 FROM article_search s WHERE s.doc @@ CAST(quote_literal(w) AS tsquery) LIMIT ?) c) AS n
			FROM unnest(string_to_array(?, ' ')) w`
		args = []any{typoCountCap, strings.Join(cands, " ")}
		query = `SELECT w, n FROM (` + query + `) x WHERE n > 0 ORDER BY n DESC, w COLLATE "C" LIMIT ?`
	} else {
		query = `SELECT term, min(doc, ?) AS n FROM article_fts_vocab WHERE term IN (` + placeholders(len(cands)) + `) ORDER BY n DESC, term LIMIT ?`
		args = append([]any{typoCountCap}, anySlice(cands)...)
	}
	args = append(args, typoTries)
	rows, err := s.read().QueryContext(ctx, query, args...)
	if err != nil {
		return "", mapErr(err)
	}
	var found []string
	for rows.Next() {
		var w string
		var n int
		if err := rows.Scan(&w, &n); err != nil {
			rows.Close()
			return "", mapErr(err)
		}
		found = append(found, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", mapErr(err)
	}
	// A candidate found beside the query's other words first: "polsi
	// udara" means polusi, though polisi is the commoner word.
	for _, with := range [][]clause{others, nil} {
		for _, w := range found {
			c := clause{alts: [][]string{{w}}}
			if n, err := s.countHits(ctx, s.render(append([]clause{c}, with...), nil), f, 1); err != nil || n > 0 {
				return w, err
			}
		}
		if len(others) == 0 {
			break
		}
	}
	return "", nil
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
