-- The learning spam filter's counts (package comment/spam), shared by
-- every instance: each moderator's decision adds to them by increments in
-- the moderation's own transaction, and scoring a comment reads only its
-- features. They used to be one JSON blob in kv ('spam_filter'), rewritten
-- whole by each instance from its own copy, so instances lost each other's
-- learning. The service seeds these tables at start, from that blob when
-- there is one (then deleted), else from the shipped model.

-- Per feature (a word, a word pair, a shape like "#phone"): in how many
-- learned spam and ham comments it occurred. Without a rowid, a feature
-- is one lookup in one b-tree (scoring a comment looks up tens).
CREATE TABLE spam_features (
    feature    TEXT PRIMARY KEY,
    spam_count INTEGER NOT NULL DEFAULT 0 CHECK (spam_count >= 0),
    ham_count  INTEGER NOT NULL DEFAULT 0 CHECK (ham_count >= 0)
) WITHOUT ROWID;

-- One row (id 1), present once the filter is seeded: comments learned per
-- class, feature occurrences per class (the sums of the counts above) and
-- the number of features (rows above).
CREATE TABLE spam_totals (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    spam_docs  INTEGER NOT NULL DEFAULT 0 CHECK (spam_docs >= 0),
    ham_docs   INTEGER NOT NULL DEFAULT 0 CHECK (ham_docs >= 0),
    spam_total INTEGER NOT NULL DEFAULT 0,
    ham_total  INTEGER NOT NULL DEFAULT 0,
    features   INTEGER NOT NULL DEFAULT 0
);
