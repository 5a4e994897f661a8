package sqlstore

// Putting a page of search hits together: a window of the newest
// matches and any older title matches, or every hit ranked (search.go
// holds the query plans and SearchArticles).

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"warta/internal/store"
)

// rankLimits bounds the work of a page put together from a window.
type rankLimits struct {
	// The window holds perHit articles for each hit up to the end of the
	// page, and at most maxWindow: beyond that, rank every hit.
	perHit, maxWindow int
	// maxTitles bounds the older title matches listed for one score.
	maxTitles int
	// With fewer hits than few, ranking every one costs less than a
	// window.
	few int
}

// limits are the bounds for a store: a window article costs a microsecond
// or two on either database (an id looked up in a list of matches on
// SQLite, a tsvector read on PostgreSQL), ranking every hit a few times
// that per hit.
func (p searchPlan) limits() rankLimits {
	return rankLimits{perHit: 32, maxWindow: 4000, maxTitles: 2000, few: 500}
}

// scoredHit is a hit's id and how many query clauses its title matches.
type scoredHit struct {
	id    int64
	score int
}

// rankedPage is one page of hits, best first, and the count of all.
type rankedPage struct {
	hits     []scoredHit
	total    int
	more     bool // there are more than total hits
	byWindow bool // put together from a window, not by ranking every hit
}

// rankPage finds the hits at [offset, offset+limit) of the ranking.
func (s *Store) rankPage(ctx context.Context, p searchPlan, f store.ArticleQuery, offset, limit int, lim rankLimits) (rankedPage, error) {
	need := offset + limit
	countTo := max(store.SearchCountLimit, need)
	n, err := s.countHits(ctx, p, f, countTo+1)
	if err != nil {
		return rankedPage{}, err
	}
	page := rankedPage{total: min(n, countTo), more: n > countTo}
	if offset >= n {
		return page, nil
	}
	win := lim.perHit * need
	if n < lim.few || win > lim.maxWindow || p.byClauses {
		page.hits, err = s.rankAll(ctx, p, f, offset, limit)
		return page, err
	}
	w, err := s.searchWindow(ctx, p, f, win, need, lim.maxTitles)
	if err != nil {
		return rankedPage{}, err
	}
	k := len(p.scores)
	var list []scoredHit
	for score := k; score >= 0 && len(list) < need; score-- {
		for _, h := range w.hits {
			if h.score == score {
				list = append(list, h)
			}
		}
		if len(list) >= need || !w.full {
			continue
		}
		if score == 0 {
			// Body matches older than the window are all the others:
			// the window held too few hits.
			page.hits, err = s.rankAll(ctx, p, f, offset, limit)
			return page, err
		}
		older, complete := w.older, w.olderComplete
		if score < k {
			if older, complete, err = s.olderTitleHits(ctx, p, f, w.edge, score, lim.maxTitles); err != nil {
				return rankedPage{}, err
			}
		}
		if !complete {
			page.hits, err = s.rankAll(ctx, p, f, offset, limit)
			return page, err
		}
		for _, h := range older {
			if h.score == score {
				list = append(list, h)
			}
		}
	}
	// A window that is not full held every article that passes f, so
	// every hit (as many as counted, unless articles changed between the
	// two statements).
	if offset < len(list) {
		page.hits = list[offset:min(need, len(list))]
	}
	page.byWindow = true
	return page, nil
}

// countHits counts the hits that pass f, up to limit.
func (s *Store) countHits(ctx context.Context, p searchPlan, f store.ArticleQuery, limit int) (int, error) {
	var q sqlBuilder
	q.add(`SELECT count(*) FROM (`)
	if p.postgres {
		// Each hit's article is asked whether it passes, by primary key,
		// so that a count that stops early reads a few articles rather
		// than hashing all of them.
		where, args := s.where(f, forPage)
		q.add(`SELECT 1 FROM article_search s WHERE s.doc @@ CAST(? AS tsquery)
			AND (SELECT true FROM articles a`+where+` AND a.id = s.article_id)`, append([]any{p.match}, args...)...)
	} else {
		where, args := s.where(f, forAll)
		q.add(`SELECT 1 FROM article_fts CROSS JOIN articles a INDEXED BY articles_search_filter ON a.id = article_fts.rowid`+where+
			` AND article_fts MATCH ?`, append(args, p.match)...)
	}
	q.add(` LIMIT ?) c`, limit)
	var n int
	err := s.read().QueryRowContext(ctx, q.String(), q.args...).Scan(&n)
	return n, mapErr(err)
}

// window is what searchWindow found.
type window struct {
	full bool        // the window is as large as asked: there are older articles
	edge int64       // the window's oldest article
	hits []scoredHit // the window's hits, newest first
	// older are the hits older than the window whose titles match every
	// clause, newest first, when the page needs them; olderComplete is
	// false when such titles were too many to list.
	older         []scoredHit
	olderComplete bool
}

// searchWindow walks the newest win articles that pass f and returns
// their hits and, when those do not fill the page, the older hits whose
// titles match every clause, in one statement.
func (s *Store) searchWindow(ctx context.Context, p searchPlan, f store.ArticleQuery, win, need, maxTitles int) (window, error) {
	var w window
	var candidates int
	err := s.scanRanked(ctx, s.windowStatement(p, f, win, need, maxTitles), func(part int, a, b, c int64) {
		switch part {
		case 0:
			w.hits = append(w.hits, scoredHit{a, int(b)})
		case 1:
			w.older = append(w.older, scoredHit{a, int(b)})
		case 2:
			w.full, candidates, w.edge = int(a) >= win, int(b), c
		}
	})
	w.olderComplete = candidates <= maxTitles
	return w, err
}

// windowStatement writes searchWindow's statement. Its rows are (part,
// a, b, c): (0, id, score, rank) for the window's hits, (1, id, score,
// rank) for the older ones, and (2, articles in the window, candidate
// titles, oldest article).
func (s *Store) windowStatement(p searchPlan, f store.ArticleQuery, win, need, maxTitles int) *sqlBuilder {
	k := len(p.scores)
	where, args := s.where(f, forPage)
	q := &sqlBuilder{}
	q.add(`WITH w AS MATERIALIZED (SELECT a.id, a.published_at FROM articles a`+where+` ORDER BY a.published_at DESC, a.id DESC LIMIT ?),
		edge AS MATERIALIZED (SELECT id, published_at FROM w ORDER BY published_at, id LIMIT 1),
		wh AS MATERIALIZED (SELECT w.id, w.published_at, `, append(args, win)...)
	p.score(q, "w.id", "w")
	q.add(` AS score FROM w WHERE `)
	p.matches(q, "w.id", "w", p.match)
	q.add(`),
		cand AS MATERIALIZED (`)
	p.titleIDs(q, p.atLeast(k))
	// Older title matches only when the window is full and its best hits
	// do not fill the page.
	q.add(` LIMIT CASE WHEN (SELECT count(*) FROM w) < ? OR (SELECT count(*) FROM wh WHERE score >= ?) >= ? THEN 0 ELSE ? END)
		SELECT 0, id, score, row_number() OVER (ORDER BY published_at DESC, id DESC) FROM wh
		UNION ALL `, win, k, need, maxTitles+1)
	// Titles that match every clause are hits unless they hold an
	// exclusion.
	s.olderArm(q, p, f, "")
	q.add(`
		UNION ALL SELECT 2, (SELECT count(*) FROM w), (SELECT count(*) FROM cand), (SELECT id FROM edge)
		ORDER BY 1, 4`)
	return q
}

// olderTitleHits lists the hits older than the article edge whose titles
// match at least score clauses; complete is false when such titles are
// more than maxTitles.
func (s *Store) olderTitleHits(ctx context.Context, p searchPlan, f store.ArticleQuery, edge int64, score, maxTitles int) (hits []scoredHit, complete bool, err error) {
	var q sqlBuilder
	q.add(`WITH edge AS MATERIALIZED (SELECT id, published_at FROM articles WHERE id = ?),
		cand AS MATERIALIZED (`, edge)
	p.titleIDs(&q, p.atLeast(score))
	q.add(` LIMIT ?)
		`, maxTitles+1)
	s.olderArm(&q, p, f, p.match)
	q.add(`
		UNION ALL SELECT 2, 0, (SELECT count(*) FROM cand), 0
		ORDER BY 1, 4`)
	candidates := 0
	err = s.scanRanked(ctx, &q, func(part int, a, b, _ int64) {
		if part == 1 {
			hits = append(hits, scoredHit{a, int(b)})
		} else {
			candidates = int(b)
		}
	})
	return hits, candidates <= maxTitles, err
}

// olderArm writes the rows (1, id, score, rank) of the candidates in cand
// that pass f, are older than the article in edge and match, newest first.
// When match is "", every candidate's title matches every clause: its
// score is the highest, and it is a hit unless it holds an exclusion.
func (s *Store) olderArm(q *sqlBuilder, p searchPlan, f store.ArticleQuery, match string) {
	where, args := s.where(f, forPage)
	q.add(`SELECT 1, a.id, `)
	if match != "" {
		p.score(q, "a.id", "cand")
	} else {
		q.add(strconv.Itoa(len(p.scores)))
	}
	q.add(`, row_number() OVER (ORDER BY a.published_at DESC, a.id DESC) FROM `+p.candidateArticles()+where+`
		AND (a.published_at < (SELECT published_at FROM edge) OR (a.published_at = (SELECT published_at FROM edge) AND a.id < (SELECT id FROM edge)))`, args...)
	switch {
	case match != "":
		q.add(` AND `)
		p.matches(q, "a.id", "cand", match)
	case p.excluded != "":
		q.add(` AND NOT `)
		p.matches(q, "a.id", "cand", p.excluded)
	}
}

// scanRanked runs a ranking statement, whose rows are four integers.
func (s *Store) scanRanked(ctx context.Context, q *sqlBuilder, row func(part int, a, b, c int64)) error {
	rows, err := s.read().QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var part int
		var a, b, c sql.NullInt64
		if err := rows.Scan(&part, &a, &b, &c); err != nil {
			return mapErr(err)
		}
		row(part, a.Int64, b.Int64, c.Int64)
	}
	return mapErr(rows.Err())
}

// The pieces of the ranking statements in which the databases differ.

// matches writes the condition that the article id matches the
// full-text query match, id being one of the ids in the table within.
// PostgreSQL reads the article's tsvector. On SQLite the full-text index
// cannot answer for one article cheaply (a prefix's lists would be read
// again for each), so it lists the matches once, only those between the
// lowest and highest id in within: ids mostly follow publication, and a
// window of new articles spans a short stretch of each list.
func (p searchPlan) matches(q *sqlBuilder, id, within, match string) {
	if p.postgres {
		q.add(`(SELECT s.doc @@ CAST(? AS tsquery) FROM article_search s WHERE s.article_id = `+id+`)`, match)
		return
	}
	q.add(id+` IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?
		AND rowid BETWEEN (SELECT min(id) FROM `+within+`) AND (SELECT max(id) FROM `+within+`))`, match)
}

// score writes the number of query clauses the article id's title
// matches, id being one of the ids in the table within. SQLite looks the
// id up in each clause's titles (see matches); PostgreSQL keeps the
// title's lexemes (weight A) from the article's tsvector, which holds
// exactly the title's own tsvector there, and asks that for each clause.
func (p searchPlan) score(q *sqlBuilder, id, within string) {
	if p.postgres {
		q.add(`(SELECT `)
		for i, c := range p.scores {
			if i > 0 {
				q.add(` + `)
			}
			q.add(`(t.x @@ CAST(? AS tsquery))::int`, c)
		}
		q.add(` FROM (SELECT ts_filter(s.doc, '{a}') AS x FROM article_search s WHERE s.article_id = ` + id + ` OFFSET 0) t)`)
		return
	}
	for i, c := range p.scores {
		if i > 0 {
			q.add(` + `)
		}
		q.add(`(`+id+` IN (SELECT rowid FROM article_title_fts WHERE article_title_fts MATCH ?
			AND rowid BETWEEN (SELECT min(id) FROM `+within+`) AND (SELECT max(id) FROM `+within+`)))`, c)
	}
}

// titleIDs writes a query for the ids of the articles whose titles match.
func (p searchPlan) titleIDs(q *sqlBuilder, match string) {
	if p.postgres {
		q.add(`SELECT t.article_id AS id FROM article_search t WHERE warta_tsvector(t.title) @@ CAST(? AS tsquery)`, match)
		return
	}
	q.add(`SELECT rowid AS id FROM article_title_fts WHERE article_title_fts MATCH ?`, match)
}

// candidateArticles joins the candidates in cand to their articles, one
// by one: PostgreSQL cannot tell how many candidates there are, and might
// hash every article instead (OFFSET 0 keeps it from merging the lateral
// subquery into a join). On SQLite the covering index answers the
// filters: status and date sit behind the body in the table.
func (p searchPlan) candidateArticles() string {
	if p.postgres {
		return `cand CROSS JOIN LATERAL (SELECT a.id, a.status, a.published_at, a.retracted_at FROM articles a WHERE a.id = cand.id OFFSET 0) a`
	}
	return `cand CROSS JOIN articles a INDEXED BY articles_search_filter ON a.id = cand.id`
}

// maxTitleCombinations bounds the "at least j of k clauses" expression.
const maxTitleCombinations = 20

// atLeast returns the full-text expression for a title that matches at
// least j of the clauses: the alternatives of every j clauses together.
// When they are too many, it is any clause; the scores sort it out.
func (p searchPlan) atLeast(j int) string {
	clauses := make([]string, len(p.scores))
	for i, c := range p.scores {
		clauses[i] = c.(string)
	}
	return p.atLeastOf(j, clauses)
}

// atLeastOf is atLeast for the given clauses.
func (p searchPlan) atLeastOf(j int, clauses []string) string {
	and, or := " AND ", " OR "
	if p.postgres {
		and, or = " & ", " | "
	}
	k := len(clauses)
	if j <= 1 || binomial(k, j) > maxTitleCombinations {
		j = 1
	}
	var alts []string
	var pick func(from int, chosen []string)
	pick = func(from int, chosen []string) {
		if len(chosen) == j {
			alts = append(alts, "("+strings.Join(chosen, and)+")")
			return
		}
		for i := from; i <= k-(j-len(chosen)); i++ {
			pick(i+1, append(chosen, clauses[i]))
		}
	}
	pick(0, nil)
	return strings.Join(alts, or)
}

func binomial(n, k int) int {
	r := 1
	for i := 1; i <= k; i++ {
		r = r * (n - k + i) / i
	}
	return r
}

// sqlBuilder writes a statement and its arguments in step.
type sqlBuilder struct {
	strings.Builder
	args []any
}

func (q *sqlBuilder) add(text string, args ...any) {
	q.WriteString(text)
	q.args = append(q.args, args...)
}

// rankAll ranks every hit and returns the page at [offset, offset+limit):
// for few hits, and for the pages a window cannot put together.
func (s *Store) rankAll(ctx context.Context, p searchPlan, f store.ArticleQuery, offset, limit int) ([]scoredHit, error) {
	w, wargs := s.where(f, forAll)
	query, args := p.page(w, wargs, limit, offset)
	rows, err := s.read().QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var hits []scoredHit
	for rows.Next() {
		var h scoredHit
		if err := rows.Scan(&h.id, &h.score); err != nil {
			return nil, mapErr(err)
		}
		hits = append(hits, h)
	}
	return hits, mapErr(rows.Err())
}

// page is the statement that ranks every hit for one page: their ids and
// scores (how many clauses the title matches).
func (p searchPlan) page(where string, whereArgs []any, limit, offset int) (string, []any) {
	const order = ` ORDER BY score DESC, a.published_at DESC, a.id DESC LIMIT ? OFFSET ?`
	score := make([]string, len(p.scores))
	args := append([]any{}, p.scores...)
	var anywhere []string
	if !p.postgres {
		// Titles have their own small index: each clause's title matches
		// are one cheap lookup, not a question asked of every hit. Each
		// hit's status and date come from a covering index: in the table
		// they sit behind the body, on its overflow pages.
		for i := range score {
			score[i] = `(a.id IN (SELECT rowid FROM article_title_fts WHERE article_title_fts MATCH ?))`
			if p.byClauses {
				anywhere = append(anywhere, `(a.id IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?))`)
			}
		}
		if p.byClauses {
			args = append(args, p.scores...)
		}
		args = append(append(append(args, whereArgs...), p.match), limit, offset)
		return `SELECT a.id, ` + strings.Join(append(score, anywhere...), " + ") + ` AS score
			FROM article_fts CROSS JOIN articles a INDEXED BY articles_search_filter ON a.id = article_fts.rowid` +
			where + ` AND article_fts MATCH ?` + order, args
	}
	// Each clause's title matches are one lookup in the titles' index:
	// asking every hit's doc instead means decompressing each doc once per
	// clause. The hits are only ids and scores (OFFSET 0 keeps the
	// planner from merging the subquery, which would carry each doc
	// through the sort).
	for i := range score {
		score[i] = `(s.article_id IN (SELECT t.article_id FROM article_search t WHERE warta_tsvector(t.title) @@ CAST(? AS tsquery)))::int`
		if p.byClauses {
			anywhere = append(anywhere, `(s.doc @@ CAST(? AS tsquery))::int`)
		}
	}
	if p.byClauses {
		args = append(args, p.scores...)
	}
	args = append(append(append(args, p.match), whereArgs...), limit, offset)
	return `SELECT a.id, h.score
		FROM (SELECT s.article_id, ` + strings.Join(append(score, anywhere...), " + ") + ` AS score
			FROM article_search s WHERE s.doc @@ CAST(? AS tsquery) OFFSET 0) h
		JOIN articles a ON a.id = h.article_id` + where + strings.Replace(order, "score DESC", "h.score DESC", 1), args
}
