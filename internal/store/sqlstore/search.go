package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/ncruces/go-sqlite3"
	"github.com/ncruces/go-sqlite3/ext/fts5"

	"warta/internal/model"
	"warta/internal/render"
	"warta/internal/search"
	"warta/internal/search/stem"
	"warta/internal/store"
)

// snippetRunes is the length of a search result's body fragment.
const snippetRunes = 240

// registerSearch is run on every new SQLite connection: it loads FTS5 with
// Warta's tokenizer. The index can only be read or written through
// connections that have it.
func registerSearch(c *sqlite3.Conn) error {
	return fts5.RegisterCustom(c, func(api *fts5.API) error {
		return api.CreateTokenizer("warta_id", func([]string) (fts5.Tokenizer, error) { return ftsTokenizer{}, nil })
	})
}

// ftsTokenizer indexes each word under its stem and, at the same position,
// the word as written (lowercase, accents removed) when that differs, so
// stems match inflections and prefixes match what readers type. Offsets
// are the original word's, so FTS5's highlight() marks what the writer wrote.
type ftsTokenizer struct{}

func (ftsTokenizer) Tokenize(flags fts5.TokenizeFlag, text, _ string, emit fts5.TokenCallback) error {
	var err error
	if flags&fts5.TOKENIZE_QUERY != 0 {
		// Queries arrive as lexemes the store built with the same rules:
		// they must not be stemmed a second time.
		search.Tokenize(text, func(t search.Token) bool {
			err = emit(0, t.Word, t.Start, t.End)
			return err == nil
		})
		return err
	}
	search.Tokenize(text, func(t search.Token) bool {
		if err = emit(0, t.Stem, t.Start, t.End); err == nil && t.Word != t.Stem {
			err = emit(fts5.TOKEN_COLOCATED, t.Word, t.Start, t.End)
		}
		return err == nil
	})
	return err
}

// indexArticle writes what the search index holds for a, inside the
// transaction that saves a. Each database then updates its index from
// article_search (SQLite through triggers into FTS5, PostgreSQL through the
// generated tsvector column); deleting the article cascades to all of it.
func indexArticle(ctx context.Context, q querier, a *model.Article) error {
	body := search.Truncate(render.PlainText(a.Body), search.MaxIndexBytes)
	_, err := q.ExecContext(ctx, `INSERT INTO article_search (article_id, title, body) VALUES (?, ?, ?)
		ON CONFLICT (article_id) DO UPDATE SET title = excluded.title, body = excluded.body
		WHERE article_search.title <> excluded.title OR article_search.body <> excluded.body`, a.ID, a.Title, body)
	return err
}

// RebuildSearchIndex rewrites every article's search entry from its
// Markdown, for databases that had articles before search existed (their
// migration indexed the raw Markdown). It returns the number of articles.
func (s *Store) RebuildSearchIndex(ctx context.Context) (int, error) {
	var after int64
	n := 0
	for {
		rows, err := s.read().QueryContext(ctx, `SELECT id, title, body FROM articles WHERE id > ? ORDER BY id LIMIT 500`, after)
		if err != nil {
			return n, mapErr(err)
		}
		var batch []*model.Article
		for rows.Next() {
			a := &model.Article{}
			if err := rows.Scan(&a.ID, &a.Title, &a.Body); err != nil {
				rows.Close()
				return n, mapErr(err)
			}
			batch = append(batch, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return n, mapErr(err)
		}
		if len(batch) == 0 {
			return n, nil
		}
		err = s.tx(ctx, func(q querier) error {
			for _, a := range batch {
				if err := indexArticle(ctx, q, a); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return n, err
		}
		n += len(batch)
		after = batch[len(batch)-1].ID
	}
}

// searchPlan is a parsed query in one database's terms.
type searchPlan struct {
	postgres bool
	match    string // the FTS5 query or the tsquery
	scores   []any  // one query per clause, matched against titles alone
	excluded string // any of the exclusions, or "" when there are none
}

// plan translates q for this store's database. It and the searchPlan
// methods are the places where search differs between SQLite and
// PostgreSQL.
func (s *Store) plan(q search.Query) searchPlan {
	if s.d.name == "postgres" {
		return postgresPlan(q)
	}
	return sqlitePlan(q)
}

// clause is one thing a hit must (or must not) contain, as alternatives of
// lexeme sequences: a term is its lexemes, a phrase one sequence, and the
// prefix its lexemes plus the prefix itself.
type clause struct {
	alts   [][]string
	prefix string
}

func clauses(q search.Query) (must, mustNot []clause) {
	term := func(w string) clause {
		var c clause
		for _, l := range search.Lexemes(w) {
			c.alts = append(c.alts, []string{l})
		}
		return c
	}
	phrase := func(words []string) clause {
		var seq []string
		for _, w := range words {
			if l := search.StemOf(w); l != "" {
				seq = append(seq, l)
			}
		}
		return clause{alts: [][]string{seq}}
	}
	words := func(ws []string) clause {
		if len(ws) == 1 {
			return term(ws[0])
		}
		return phrase(ws)
	}
	for _, t := range q.Terms {
		must = append(must, term(t))
	}
	for _, p := range q.Phrases {
		must = append(must, phrase(p))
	}
	if q.Prefix != "" {
		c := term(q.Prefix)
		c.prefix = search.PrefixOf(q.Prefix)
		must = append(must, c)
	}
	for _, e := range q.Excludes {
		mustNot = append(mustNot, words(e))
	}
	keep := func(cs []clause) []clause {
		out := cs[:0]
		for _, c := range cs {
			if c.prefix != "" || (len(c.alts) > 0 && len(c.alts[0]) > 0) {
				out = append(out, c)
			}
		}
		return out
	}
	return keep(must), keep(mustNot)
}

// withoutSubsumed drops from each prefix clause the single lexemes that
// start with its prefix: the prefix finds them anyway, and looking them up
// as well only makes the index read the same long lists twice ("pasar" OR
// "pasar"* finds what "pasar"* finds).
func withoutSubsumed(cs []clause) []clause {
	out := make([]clause, len(cs))
	for i, c := range cs {
		out[i] = c
		if c.prefix == "" {
			continue
		}
		out[i].alts = nil
		for _, seq := range c.alts {
			if len(seq) != 1 || !strings.HasPrefix(seq[0], c.prefix) {
				out[i].alts = append(out[i].alts, seq)
			}
		}
	}
	return out
}

// sqlitePlan writes an FTS5 query. Every lexeme is a quoted string, so
// nothing a reader types can become FTS5 syntax.
func sqlitePlan(q search.Query) searchPlan {
	must, mustNot := clauses(q)
	return sqliteRender(withoutSubsumed(must), mustNot)
}

func sqliteRender(must, mustNot []clause) searchPlan {
	if len(must) == 0 {
		return searchPlan{}
	}
	quote := func(l string) string { return `"` + strings.ReplaceAll(l, `"`, `""`) + `"` }
	render := func(c clause) string {
		var alts []string
		for _, seq := range c.alts {
			alts = append(alts, quote(strings.Join(seq, " ")))
		}
		if c.prefix != "" {
			alts = append(alts, quote(c.prefix)+"*")
		}
		return "(" + strings.Join(alts, " OR ") + ")"
	}
	var parts []string
	var scores []any
	for _, c := range must {
		r := render(c)
		parts = append(parts, r)
		scores = append(scores, r)
	}
	expr := "(" + strings.Join(parts, " AND ") + ")"
	var excluded []string
	for _, c := range mustNot {
		expr = "(" + expr + " NOT " + render(c) + ")"
		excluded = append(excluded, render(c))
	}
	return searchPlan{match: expr, scores: scores, excluded: strings.Join(excluded, " OR ")}
}

// postgresPlan writes a tsquery from the lexemes the Go tokenizer made,
// quoted, so PostgreSQL does not parse or stem what the reader typed: both
// databases look up the same lexemes. The clauses for ranking are asked of
// the title's own tsvector (its index, article_search_title), which holds
// exactly doc's weight-A lexemes at the same positions.
func postgresPlan(q search.Query) searchPlan {
	must, mustNot := clauses(q)
	return postgresRender(withoutSubsumed(must), mustNot)
}

func postgresRender(must, mustNot []clause) searchPlan {
	if len(must) == 0 {
		return searchPlan{postgres: true}
	}
	var parts []string
	var scores []any
	for _, c := range must {
		r := pgClause(c, "")
		parts = append(parts, r)
		scores = append(scores, r)
	}
	var excluded []string
	for _, c := range mustNot {
		parts = append(parts, "!"+pgClause(c, ""))
		excluded = append(excluded, pgClause(c, ""))
	}
	return searchPlan{postgres: true, match: strings.Join(parts, " & "), scores: scores, excluded: strings.Join(excluded, " | ")}
}

// pgClause writes one clause as a tsquery, its lexemes restricted to
// weight when one is given.
func pgClause(c clause, weight string) string {
	var alts []string
	for _, seq := range c.alts {
		lex := make([]string, len(seq))
		for i, l := range seq {
			lex[i] = pgLexeme(l, weight)
		}
		alts = append(alts, strings.Join(lex, " <-> "))
	}
	if c.prefix != "" {
		alts = append(alts, pgQuote(c.prefix)+":*"+weight)
	}
	return "(" + strings.Join(alts, " | ") + ")"
}

func pgQuote(l string) string {
	return "'" + strings.NewReplacer(`'`, `''`, `\`, `\\`).Replace(l) + "'"
}

// pgLexeme quotes one lexeme, restricted to weight when one is given. A
// protected word is also looked up with the trailing 0 it is indexed with
// among the stems (see warta_tsvector), so a phrase through it stays whole.
func pgLexeme(l, weight string) string {
	if weight != "" {
		weight = ":" + weight
	}
	if stem.IsProtected(l) {
		return "(" + pgQuote(l) + weight + " | " + pgQuote(l+"0") + weight + ")"
	}
	return pgQuote(l) + weight
}

// Ranking. Hits come best first: the most query clauses in the title (the
// score), then the newest. Ranking every hit means scoring and sorting
// thousands of rows when a common word is searched, for one page of ten,
// and counting them all. Instead the count stops at
// store.SearchCountLimit, and a page is put together from two small sets:
//
//   - the window: the newest articles that pass the filters, a few dozen
//     for each hit the page needs, each asked whether it is a hit and what
//     its score is: a walk down the articles' date index that stops early,
//     however many articles hold the words.
//   - older hits whose titles match: within one score every window hit is
//     newer than every older hit, so an older hit comes before a window hit
//     only with a higher score. Those are found in the titles' own index,
//     starting with the titles that match every clause, which are few.
//
// Score by score from the highest, the page takes the window's hits of
// that score, then the older ones, until it is full. When it cannot (the
// window holds too few hits for a page deep in the results; older title
// matches are too many to list), or when the hits are few anyway, every
// hit is ranked (rankAll).

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
	if n < lim.few || win > lim.maxWindow {
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
		return `cand CROSS JOIN LATERAL (SELECT a.id, a.status, a.published_at FROM articles a WHERE a.id = cand.id OFFSET 0) a`
	}
	return `cand CROSS JOIN articles a INDEXED BY articles_search_filter ON a.id = cand.id`
}

// maxTitleCombinations bounds the "at least j of k clauses" expression.
const maxTitleCombinations = 20

// atLeast returns the full-text expression for a title that matches at
// least j of the clauses: the alternatives of every j clauses together.
// When they are too many, it is any clause; the scores sort it out.
func (p searchPlan) atLeast(j int) string {
	and, or := " AND ", " OR "
	if p.postgres {
		and, or = " & ", " | "
	}
	k := len(p.scores)
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
			pick(i+1, append(chosen, p.scores[i].(string)))
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
	if !p.postgres {
		// Titles have their own small index: each clause's title matches
		// are one cheap lookup, not a question asked of every hit. Each
		// hit's status and date come from a covering index: in the table
		// they sit behind the body, on its overflow pages.
		for i := range score {
			score[i] = `(a.id IN (SELECT rowid FROM article_title_fts WHERE article_title_fts MATCH ?))`
		}
		args = append(append(append(args, whereArgs...), p.match), limit, offset)
		return `SELECT a.id, ` + strings.Join(score, " + ") + ` AS score
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
	}
	args = append(append(append(args, p.match), whereArgs...), limit, offset)
	return `SELECT a.id, h.score
		FROM (SELECT s.article_id, ` + strings.Join(score, " + ") + ` AS score
			FROM article_search s WHERE s.doc @@ CAST(? AS tsquery) OFFSET 0) h
		JOIN articles a ON a.id = h.article_id` + where + strings.Replace(order, "score DESC", "h.score DESC", 1), args
}

// SearchArticles finds public articles by their words: see internal/search
// for the query language. Hits come best first: the most query clauses in
// the title, then the newest.
func (s *Store) SearchArticles(ctx context.Context, sq store.SearchQuery) (store.SearchResult, error) {
	q := search.Parse(sq.Text)
	page, err := s.rankSearch(ctx, q, sq, rankLimits{})
	if err != nil || len(page.hits) == 0 {
		return store.SearchResult{Total: page.total, More: page.more}, err
	}
	hits, err := s.searchHits(ctx, q, page.hits)
	return store.SearchResult{Hits: hits, Total: page.total, More: page.more}, err
}

// rankSearch finds the page of hits sq asks for, within lim (the
// database's own limits when lim is zero).
func (s *Store) rankSearch(ctx context.Context, q search.Query, sq store.SearchQuery, lim rankLimits) (rankedPage, error) {
	if q.IsEmpty() {
		return rankedPage{}, nil
	}
	p := s.plan(q)
	if p.match == "" {
		return rankedPage{}, nil
	}
	if lim == (rankLimits{}) {
		lim = p.limits()
	}
	limit := sq.Limit
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, 100)
	offset := max(sq.Offset, 0)
	public := sq.PublicAt
	if public.IsZero() {
		public = time.Now()
	}
	f := store.ArticleQuery{PublicAt: public, CategoryID: sq.CategoryID, From: sq.From, To: sq.To}
	return s.rankPage(ctx, p, f, offset, limit, lim)
}

// searchHits loads a page of found articles, in the order of ids, with
// their relations, highlighted title and snippet. Bodies are read only for
// the page, not sorted along with every hit.
func (s *Store) searchHits(ctx context.Context, q search.Query, page []scoredHit) ([]store.SearchHit, error) {
	ids := make([]any, len(page))
	rank := map[int64]float64{}
	for i, h := range page {
		ids[i] = h.id
		rank[h.id] = float64(h.score)
	}
	rows, err := s.read().QueryContext(ctx, `SELECT `+articleCols+`, s.body FROM articles a
		JOIN article_search s ON s.article_id = a.id WHERE a.id IN (`+placeholders(len(ids))+`)`, ids...)
	if err != nil {
		return nil, mapErr(err)
	}
	byID := map[int64]*model.Article{}
	text := map[int64]string{}
	for rows.Next() {
		var body string
		a, err := scanArticle(withExtra{rows, []any{&body}})
		if err != nil {
			rows.Close()
			return nil, err
		}
		byID[a.ID] = a
		text[a.ID] = body
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	list := make([]*model.Article, 0, len(ids))
	for _, id := range ids {
		if a := byID[id.(int64)]; a != nil {
			list = append(list, a)
		}
	}
	if err := s.loadRelations(ctx, list); err != nil {
		return nil, err
	}
	h := q.Highlighter()
	hits := make([]store.SearchHit, len(list))
	for i, a := range list {
		hits[i] = store.SearchHit{Article: a, TitleHTML: h.Mark(a.Title), Snippet: h.Snippet(text[a.ID], snippetRunes), Rank: rank[a.ID]}
	}
	return hits, nil
}

// withExtra scans a row's leading columns into what scanArticle asks for
// and the rest into extra.
type withExtra struct {
	rows  *sql.Rows
	extra []any
}

func (w withExtra) Scan(dest ...any) error { return w.rows.Scan(append(dest, w.extra...)...) }
