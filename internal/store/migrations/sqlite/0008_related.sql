-- "Related stories" ranks the newest public articles sharing a tag or a
-- category with the one being read. The relation tables carry each
-- article's public time (its published_at while it is published, else
-- NULL), kept up to date by triggers, so that a tag's newest stories are
-- one index range instead of a join and a sort over every article that
-- shares the tag (tens of thousands for a busy desk).
ALTER TABLE article_tags ADD COLUMN public_at TIMESTAMP;
ALTER TABLE article_categories ADD COLUMN public_at TIMESTAMP;

UPDATE article_tags SET public_at = (SELECT CASE WHEN a.status = 'published' THEN a.published_at END
    FROM articles a WHERE a.id = article_tags.article_id);
UPDATE article_categories SET public_at = (SELECT CASE WHEN a.status = 'published' THEN a.published_at END
    FROM articles a WHERE a.id = article_categories.article_id);

CREATE INDEX article_tags_public ON article_tags (tag_id, public_at DESC, article_id);
CREATE INDEX article_categories_public ON article_categories (category_id, public_at DESC, article_id);

CREATE TRIGGER article_tags_public_at AFTER INSERT ON article_tags BEGIN
    UPDATE article_tags SET public_at = (SELECT CASE WHEN a.status = 'published' THEN a.published_at END
        FROM articles a WHERE a.id = new.article_id)
    WHERE article_id = new.article_id AND tag_id = new.tag_id;
END;

CREATE TRIGGER article_categories_public_at AFTER INSERT ON article_categories BEGIN
    UPDATE article_categories SET public_at = (SELECT CASE WHEN a.status = 'published' THEN a.published_at END
        FROM articles a WHERE a.id = new.article_id)
    WHERE article_id = new.article_id AND category_id = new.category_id;
END;

CREATE TRIGGER articles_public_at AFTER UPDATE OF status, published_at ON articles BEGIN
    UPDATE article_tags SET public_at = CASE WHEN new.status = 'published' THEN new.published_at END
    WHERE article_id = new.id;
    UPDATE article_categories SET public_at = CASE WHEN new.status = 'published' THEN new.published_at END
    WHERE article_id = new.id;
END;
