-- Verification (PPMS): a story published before every fact is checked
-- carries a note saying so, shown above its text and in feeds, until a
-- follow-up story that verifies it is published; the follow-up names the
-- story it verifies (verifies_id), and the two link to each other.
ALTER TABLE articles ADD COLUMN verification_note TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN verifies_id INTEGER REFERENCES articles (id) ON DELETE SET NULL;
CREATE INDEX articles_verifies ON articles (verifies_id);
