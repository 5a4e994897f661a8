-- Search-engine and sharing fields of an article (issue 16): a title and
-- description written for search results and social cards, a social
-- picture, a canonical URL when the story first ran elsewhere, and
-- noindex to keep a story out of search engines and sitemaps. Empty
-- means "as before": the headline, the excerpt, the featured image, the
-- story's own address. The author's X (Twitter) handle gives
-- twitter:creator.
ALTER TABLE articles ADD COLUMN seo_title TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN meta_description TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN social_image TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN canonical_url TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN noindex BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN twitter TEXT NOT NULL DEFAULT '';
