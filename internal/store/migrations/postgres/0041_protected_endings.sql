-- The Go stemmer protects two more words (nilai → nila, ramai → rama) and
-- keeps a protected word whole under the endings -ku, -mu, -nya, -kah,
-- -lah and -pun (menterinya → menteri, where indonesian_stem says teri).
-- warta_tsvector follows: a protected word with its endings becomes the
-- word and the trailing 0 (menteri0), the form a query for the word looks
-- up. Otherwise as in 0003. Keep the list equal to
-- internal/search/stem/protected.go (a test checks it).
DO $$
BEGIN
    EXECUTE format($fn$
CREATE OR REPLACE FUNCTION warta_tsvector(t text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $body$
    SELECT to_tsvector(%1$L::regconfig, regexp_replace(regexp_replace(t, %3$L, ' ', 'g'),
               '\m(jokowi|megawati|kediri|merapi|kerinci|pemilu|perdana|menteri|merdeka|kerjasama|nilai|ramai)(?:ku|mu|nya)?(?:kah|lah|pun)?\M', '\10', 'gi'))
        || '''-'':1'::tsvector
        || to_tsvector(%2$L::regconfig, regexp_replace(t, %3$L, ' ', 'g'))
        || '''-'':1'::tsvector
$body$
$fn$, format('%I.warta_id', current_schema()), format('%I.warta_raw', current_schema()),
        '[-./@<>:_=&+~|^#\u00A0\u2014\u2013\u2026\u201C\u201D\u2018\u2019\u00AB\u00BB\u2022\u00B7\u00B0]');
END
$$;

-- Recompute every stored doc with the new function, and the index of
-- titles, which an update that leaves title as it is does not touch.
UPDATE article_search SET title = title;
REINDEX INDEX article_search_title;
