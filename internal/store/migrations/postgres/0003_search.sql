-- Full-text search. article_search keeps what is indexed: the title and the
-- body as plain text, written by the store with every article save (the
-- Markdown source would index link targets and markup), and doc, their
-- tsvector (title weight A, body weight B). doc is a generated column:
-- PostgreSQL recomputes it whenever the row is written, in the same
-- statement, and a deleted article's row goes with it (ON DELETE CASCADE).
-- It is stored rather than only indexed as an expression, so that matching,
-- ranking and phrase rechecks read it instead of parsing the text again.

-- warta_id is PostgreSQL's indonesian configuration, plus unaccent when the
-- extension can be installed; warta_raw indexes the words as written (for
-- prefix matching), with the same accent folding. A server without unaccent
-- (or a role that may not install it) still migrates, without folding.
-- The extension goes into public when possible so that it outlives any one
-- schema (tests create and drop a schema each).
DO $$
DECLARE
    ns text;
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
    EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'unaccent in public: %', SQLERRM;
    END;
    SELECT n.nspname INTO ns FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent';
    IF ns IS NULL THEN
        BEGIN
            CREATE EXTENSION IF NOT EXISTS unaccent;
        EXCEPTION WHEN OTHERS THEN
            RAISE NOTICE 'unaccent unavailable, search will not fold accents: %', SQLERRM;
        END;
        SELECT n.nspname INTO ns FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent';
    END IF;

    CREATE TEXT SEARCH CONFIGURATION warta_id (COPY = pg_catalog.indonesian);
    CREATE TEXT SEARCH CONFIGURATION warta_raw (COPY = pg_catalog.simple);
    -- Only words: numbers, URLs and the like are in warta_id already.
    ALTER TEXT SEARCH CONFIGURATION warta_raw DROP MAPPING IF EXISTS FOR
        email, file, float, host, hword, asciihword, int, numhword, numword,
        sfloat, uint, url, url_path, version, hword_numpart;
    IF ns IS NOT NULL THEN
        EXECUTE format('ALTER TEXT SEARCH CONFIGURATION warta_id ALTER MAPPING FOR word, hword, hword_part WITH %I.unaccent, indonesian_stem', ns);
        EXECUTE format('ALTER TEXT SEARCH CONFIGURATION warta_raw ALTER MAPPING FOR word, hword_part WITH %I.unaccent, simple', ns);
    END IF;
END
$$;

-- warta_tsvector is one text's lexemes: the stems, then the words as
-- written, each half followed by a "-" that no query looks for, so that a
-- phrase never spans the two halves, nor the title and the body.
-- Punctuation that PostgreSQL's parser would read as part of a URL, host,
-- e-mail, path, tag, number or hyphenated word becomes a space first, so
-- the parser cuts words where Warta's Go tokenizer does (covid-19 → covid,
-- 19; detik.com → detik, com) and queries built from Go lexemes match.
-- The Go stemmer protects ten words that indonesian_stem mangles (menteri →
-- teri, perdana → dana …); here they get a trailing 0, which the parser
-- reads as a numword and leaves unstemmed, so a search for dana does not
-- find "perdana" and "menteri keuangan" stays a phrase. Keep the list equal
-- to internal/search/stem/protected.go (a test checks it).
-- The configurations are named with their schema, so the function does not
-- depend on the search_path (pg_restore runs with an empty one) and stays a
-- plain expression that PostgreSQL inlines.
DO $$
BEGIN
    EXECUTE format($fn$
CREATE FUNCTION warta_tsvector(t text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $body$
    SELECT to_tsvector(%1$L::regconfig, regexp_replace(regexp_replace(t, %3$L, ' ', 'g'),
               '\m(jokowi|megawati|kediri|merapi|kerinci|pemilu|perdana|menteri|merdeka|kerjasama)\M', '\10', 'gi'))
        || '''-'':1'::tsvector
        || to_tsvector(%2$L::regconfig, regexp_replace(t, %3$L, ' ', 'g'))
        || '''-'':1'::tsvector
$body$
$fn$, format('%I.warta_id', current_schema()), format('%I.warta_raw', current_schema()),
        '[-./@<>:_=&+~|^#\u00A0\u2014\u2013\u2026\u201C\u201D\u2018\u2019\u00AB\u00BB\u2022\u00B7\u00B0]');
END
$$;

CREATE TABLE article_search (
    article_id BIGINT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    doc        tsvector NOT NULL
               GENERATED ALWAYS AS (setweight(warta_tsvector(title), 'A') || setweight(warta_tsvector(body), 'B')) STORED
);
-- Keep doc in the row (compressed) up to a full page rather than in the
-- TOAST table: the planner does not count the cost of fetching TOASTed
-- values, so with them out of line it scans every row's doc where the GIN
-- index would read a few.
ALTER TABLE article_search ALTER COLUMN doc SET STORAGE MAIN;
ALTER TABLE article_search SET (toast_tuple_target = 8160);
CREATE INDEX article_search_doc ON article_search USING gin (doc);

INSERT INTO article_search (article_id, title, body) SELECT id, title, body FROM articles;
