-- Variants editors add in the newsroom (Pencarian › Sinonim): forms that
-- mean the same to search, beside the starter list shipped in
-- internal/search/lexicon/variants.txt. forms is one group as the search
-- reads it, normalised: lowercase forms separated by " = ".
CREATE TABLE search_variants (
    id         INTEGER PRIMARY KEY,
    forms      TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);
