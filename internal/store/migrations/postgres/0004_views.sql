-- Reads per article per day, for the "Terpopuler" list. Only a count: no
-- reader, address or cookie is ever stored, so there is nothing to purge.
CREATE TABLE article_views (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    day        DATE NOT NULL,
    views      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, day)
);
CREATE INDEX article_views_day ON article_views (day, article_id);
