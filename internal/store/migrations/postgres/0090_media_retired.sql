-- Paths under /media/ that a deleted item used (its original and its
-- resized copies). No later upload may take one, so a media URL never
-- names other bytes and can be cached for a year as immutable.
CREATE TABLE media_retired (
    path TEXT PRIMARY KEY
);
