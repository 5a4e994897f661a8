-- Each article's id in feeds (RSS guid, Atom id, JSON Feed id), kept for
-- good: readers tell new entries from seen ones by it, so it must not
-- change when the slug, the month or the site's host does. New articles
-- get a urn:uuid: id when created; an imported WordPress post keeps its
-- guid, so subscribers who follow the site to Warta see no old post as
-- new. Articles written before this get one now (until then their id was
-- their address: their readers see the latest entries once more, once).
ALTER TABLE articles ADD COLUMN guid TEXT NOT NULL DEFAULT '';
UPDATE articles SET guid = 'urn:uuid:' || gen_random_uuid()::text;
