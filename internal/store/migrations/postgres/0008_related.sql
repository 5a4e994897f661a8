-- "Related stories" ranks the newest public articles sharing a tag or a
-- category with the one being read. The relation tables carry each
-- article's public time (its published_at while it is published, else
-- NULL), kept up to date by triggers, so that a tag's newest stories are
-- one index range instead of a join and a sort over every article that
-- shares the tag (tens of thousands for a busy desk).
ALTER TABLE article_tags ADD COLUMN public_at TIMESTAMPTZ;
ALTER TABLE article_categories ADD COLUMN public_at TIMESTAMPTZ;

UPDATE article_tags t SET public_at = CASE WHEN a.status = 'published' THEN a.published_at END
    FROM articles a WHERE a.id = t.article_id;
UPDATE article_categories c SET public_at = CASE WHEN a.status = 'published' THEN a.published_at END
    FROM articles a WHERE a.id = c.article_id;

CREATE INDEX article_tags_public ON article_tags (tag_id, public_at DESC, article_id);
CREATE INDEX article_categories_public ON article_categories (category_id, public_at DESC, article_id);

CREATE FUNCTION warta_relation_public_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT CASE WHEN a.status = 'published' THEN a.published_at END INTO NEW.public_at
    FROM articles a WHERE a.id = NEW.article_id;
    RETURN NEW;
END
$$;

CREATE TRIGGER article_tags_public_at BEFORE INSERT ON article_tags
    FOR EACH ROW EXECUTE FUNCTION warta_relation_public_at();
CREATE TRIGGER article_categories_public_at BEFORE INSERT ON article_categories
    FOR EACH ROW EXECUTE FUNCTION warta_relation_public_at();

CREATE FUNCTION warta_article_public_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IS DISTINCT FROM OLD.status OR NEW.published_at IS DISTINCT FROM OLD.published_at THEN
        UPDATE article_tags SET public_at = CASE WHEN NEW.status = 'published' THEN NEW.published_at END
        WHERE article_id = NEW.id;
        UPDATE article_categories SET public_at = CASE WHEN NEW.status = 'published' THEN NEW.published_at END
        WHERE article_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER articles_public_at AFTER UPDATE ON articles
    FOR EACH ROW EXECUTE FUNCTION warta_article_public_at();
