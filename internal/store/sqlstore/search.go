package sqlstore

import (
	"context"
	"database/sql"
	"slices"
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
	required []bool // for each clause: a partial match holds it too
	excluded string // any of the exclusions, or "" when there are none
	// byClauses ranks by the clauses held anywhere as well as in the
	// title (a partial plan, whose hits lack some clauses).
	byClauses bool
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

// render is plan for clauses already made.
func (s *Store) render(must, mustNot []clause) searchPlan {
	if s.d.name == "postgres" {
		return postgresRender(withoutSubsumed(must), mustNot)
	}
	return sqliteRender(withoutSubsumed(must), mustNot)
}

// clause is one thing a hit must (or must not) contain, as alternatives of
// lexeme sequences: a term is its lexemes, a phrase one sequence, and the
// prefix its lexemes plus the prefix itself.
type clause struct {
	alts   [][]string
	prefix string
	// required: a partial match (rankPartial) still holds it. Phrases are
	// required: a reader who quotes words insists on them.
	required bool
}

func clauses(q search.Query) (must, mustNot []clause) {
	seq := func(words []string) []string {
		var out []string
		for _, w := range words {
			if l := search.StemOf(w); l != "" {
				out = append(out, l)
			}
		}
		return out
	}
	// form adds one form of a clause: a word is its lexemes, several
	// words one sequence.
	form := func(c *clause, words []string) {
		if len(words) == 1 {
			for _, l := range search.Lexemes(words[0]) {
				c.alts = append(c.alts, []string{l})
			}
		} else if s := seq(words); len(s) > 0 {
			c.alts = append(c.alts, s)
		}
	}
	// of is the clause for words and their other forms.
	of := func(words []string) clause {
		var c clause
		form(&c, words)
		if len(c.alts) == 0 {
			return c
		}
		for _, a := range q.AltsOf(words) {
			form(&c, a)
		}
		return c
	}
	for _, t := range q.Terms {
		must = append(must, of([]string{t}))
	}
	for _, p := range q.Phrases {
		c := of(p)
		c.required = true
		must = append(must, c)
	}
	if q.Prefix != "" {
		c := of([]string{q.Prefix})
		c.prefix = search.PrefixOf(q.Prefix)
		must = append(must, c)
	}
	for _, e := range q.Excludes {
		mustNot = append(mustNot, of(e))
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
	var parts []string
	var scores []any
	var required []bool
	for _, c := range must {
		r := sqliteClause(c)
		parts = append(parts, r)
		scores = append(scores, r)
		required = append(required, c.required)
	}
	expr := "(" + strings.Join(parts, " AND ") + ")"
	var excluded []string
	for _, c := range mustNot {
		expr = "(" + expr + " NOT " + sqliteClause(c) + ")"
		excluded = append(excluded, sqliteClause(c))
	}
	return searchPlan{match: expr, scores: scores, required: required, excluded: strings.Join(excluded, " OR ")}
}

// sqliteClause writes one clause as an FTS5 expression.
func sqliteClause(c clause) string {
	quote := func(l string) string { return `"` + strings.ReplaceAll(l, `"`, `""`) + `"` }
	var alts []string
	for _, seq := range c.alts {
		alts = append(alts, quote(strings.Join(seq, " ")))
	}
	if c.prefix != "" {
		alts = append(alts, quote(c.prefix)+"*")
	}
	return "(" + strings.Join(alts, " OR ") + ")"
}

// partial returns the plan for the hits that hold every required clause,
// at least m of the others, and none of the exclusions. They are ranked
// by how many clauses they hold, in the title and anywhere. ok is false
// when p has fewer than m clauses that are not required.
func (p searchPlan) partial(m int) (_ searchPlan, ok bool) {
	and := " AND "
	if p.postgres {
		and = " & "
	}
	var required, optional []string
	for i, c := range p.scores {
		if p.required[i] {
			required = append(required, c.(string))
		} else {
			optional = append(optional, c.(string))
		}
	}
	if len(optional) < m {
		return p, false
	}
	if m > 0 {
		required = append(required, "("+p.atLeastOf(m, optional)+")")
	}
	match := "(" + strings.Join(required, and) + ")"
	if p.excluded != "" {
		if p.postgres {
			match += " & !(" + p.excluded + ")"
		} else {
			match = "(" + match + " NOT (" + p.excluded + "))"
		}
	}
	p.match, p.byClauses = match, true
	return p, true
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
	var required []bool
	for _, c := range must {
		r := pgClause(c, "")
		parts = append(parts, r)
		scores = append(scores, r)
		required = append(required, c.required)
	}
	var excluded []string
	for _, c := range mustNot {
		parts = append(parts, "!"+pgClause(c, ""))
		excluded = append(excluded, pgClause(c, ""))
	}
	return searchPlan{postgres: true, match: strings.Join(parts, " & "), scores: scores, required: required, excluded: strings.Join(excluded, " | ")}
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

// SearchArticles finds public articles by their words: see internal/search
// for the query language. Hits come best first: the most query clauses in
// the title, then the newest. When no article holds every clause, the
// hits are those that hold the most (Partial).
func (s *Store) SearchArticles(ctx context.Context, sq store.SearchQuery) (store.SearchResult, error) {
	lex := sq.Lexicon
	if lex == nil {
		lex = search.DefaultLexicon()
	}
	q := lex.Apply(search.Parse(sq.Text))
	f := searchFilter(sq, s.now())
	q, err := s.completePrefix(ctx, q, f)
	if err != nil {
		return store.SearchResult{}, err
	}
	var res store.SearchResult
	page, err := s.rankSearch(ctx, q, sq, rankLimits{}, allClauses)
	if err == nil && page.total == 0 {
		var fixes map[string]string
		q, fixes, err = s.correctTypos(ctx, q, f)
		if err == nil && len(fixes) > 0 {
			res.Corrected = correctedText(sq.Text, fixes)
			page, err = s.rankSearch(ctx, q, sq, rankLimits{}, allClauses)
		}
	}
	if err == nil && page.total == 0 {
		page, res.Partial, err = s.rankPartial(ctx, q, sq)
	}
	res.Total, res.More = page.total, page.more
	if err != nil || len(page.hits) == 0 {
		return res, err
	}
	res.Hits, err = s.searchHits(ctx, q, page.hits)
	return res, err
}

// correctedText is the reader's query with the corrected words replaced.
func correctedText(text string, fixes map[string]string) string {
	var b strings.Builder
	at := 0
	search.Tokenize(text, func(t search.Token) bool {
		if better, ok := fixes[strings.ToLower(text[t.Start:t.End])]; ok {
			b.WriteString(text[at:t.Start])
			b.WriteString(better)
			at = t.End
		}
		return true
	})
	b.WriteString(text[at:])
	return strings.TrimSpace(b.String())
}

// searchFilter is the articles sq may find.
func searchFilter(sq store.SearchQuery, now time.Time) store.ArticleQuery {
	public := sq.PublicAt
	if public.IsZero() {
		public = now
	}
	return store.ArticleQuery{PublicAt: public, CategoryID: sq.CategoryID, From: sq.From, To: sq.To}
}

// completePrefix decides what q's prefix is: a whole word, when an
// article f allows holds it (so "muda" does not find "mudah"), or else
// the start of longer words.
func (s *Store) completePrefix(ctx context.Context, q search.Query, f store.ArticleQuery) (search.Query, error) {
	if q.Prefix == "" {
		return q, nil
	}
	whole := q
	whole.Terms = append(slices.Clone(q.Terms), q.Prefix)
	whole.Prefix = ""
	must, _ := clauses(whole)
	if len(must) == 0 {
		return q, nil
	}
	n, err := s.countHits(ctx, s.render(must[len(must)-1:], nil), f, 1)
	if err != nil || n == 0 {
		return q, err
	}
	return whole, nil
}

// rankPartial ranks the hits that hold all words of q but one, or
// failing that all but two, and so on (its phrases always): the best
// partial matches, for a query no article answers whole. It reports
// whether it ranked any.
func (s *Store) rankPartial(ctx context.Context, q search.Query, sq store.SearchQuery) (rankedPage, bool, error) {
	must, _ := clauses(q)
	optional, lowest := 0, 1
	for _, c := range must {
		if !c.required {
			optional++
		} else {
			lowest = 0 // the phrases alone
		}
	}
	for m := optional - 1; m >= lowest; m-- {
		page, err := s.rankSearch(ctx, q, sq, rankLimits{}, m)
		if err != nil || page.total > 0 {
			return page, err == nil, err
		}
	}
	return rankedPage{}, false, nil
}

// allClauses asks rankSearch for the articles that hold every clause.
const allClauses = -1

// rankSearch finds the page of hits sq asks for, within lim (the
// database's own limits when lim is zero): the articles that hold every
// clause of q, or (partial) its phrases and atLeast of its other clauses.
func (s *Store) rankSearch(ctx context.Context, q search.Query, sq store.SearchQuery, lim rankLimits, atLeast int) (rankedPage, error) {
	if q.IsEmpty() {
		return rankedPage{}, nil
	}
	p := s.plan(q)
	if p.match == "" {
		return rankedPage{}, nil
	}
	if atLeast != allClauses {
		var ok bool
		if p, ok = p.partial(atLeast); !ok {
			return rankedPage{}, nil
		}
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
	return s.rankPage(ctx, p, searchFilter(sq, s.now()), offset, limit, lim)
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
