-- Addresses a site had before it moved to Warta (WordPress's /?p=358,
-- /2010/10/05/slug/, /category/a/b/, /about/ ...) and any an editor adds
-- in the newsroom: each answers one 301 to its target. The public site
-- consults this table only when a path is not found.
--
-- from_path is the old address without a trailing slash, decoded, and
-- for WordPress's query forms the path with its one query parameter
-- ("/?p=358"). A redirect to an article or a page names it, so that the
-- target follows later changes of its slug or month (and the redirect
-- goes with it when it is deleted); to_path is then what it was when
-- written. Any other redirect goes to to_path: a site path or an
-- absolute http(s) URL.
CREATE TABLE url_redirects (
    id         INTEGER PRIMARY KEY,
    from_path  TEXT NOT NULL UNIQUE,
    to_path    TEXT NOT NULL,
    article_id INTEGER REFERENCES articles (id) ON DELETE CASCADE,
    page_id    INTEGER REFERENCES pages (id) ON DELETE CASCADE,
    source     TEXT NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'wordpress')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX url_redirects_article ON url_redirects (article_id);
CREATE INDEX url_redirects_page ON url_redirects (page_id);
