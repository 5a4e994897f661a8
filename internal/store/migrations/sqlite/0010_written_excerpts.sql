-- An article saved without an excerpt used to get the opening of its text
-- stored as its excerpt, as if an editor had written it, and the article
-- page showed that text twice: as the standfirst and as the lead paragraph.
-- From now on the excerpt is only what an editor wrote (lists, feeds and
-- descriptions derive a summary when there is none). An excerpt that is the
-- start of the body word for word (line and paragraph breaks read as one
-- space), whole or cut with "…", was derived, not written, and is emptied,
-- in the articles and in their revisions. A derived excerpt whose opening
-- had Markdown in it (emphasis, a link) is not recognised and stays.
UPDATE articles SET excerpt = ''
WHERE excerpt <> ''
  AND substr(replace(replace(substr(body, 1, length(excerpt) + 40), char(10) || char(10), ' '), char(10), ' '), 1,
             length(rtrim(excerpt, '…'))) = rtrim(excerpt, '…');

UPDATE article_revisions SET excerpt = ''
WHERE excerpt <> ''
  AND substr(replace(replace(substr(body, 1, length(excerpt) + 40), char(10) || char(10), ' '), char(10), ' '), 1,
             length(rtrim(excerpt, '…'))) = rtrim(excerpt, '…');
