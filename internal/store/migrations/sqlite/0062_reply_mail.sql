-- Reply notifications: a reader who ticks "beri tahu saya" on a comment
-- gets a mail when someone answers it, once they have confirmed their
-- address through a one-time link. reader_emails holds each address's
-- confirmation and its one-click unsubscription (the links themselves are
-- signed with the site's secret, not stored) and the site address the
-- reader used, for the links in mails sent outside a request.
ALTER TABLE comments ADD COLUMN notify_replies BOOLEAN NOT NULL DEFAULT FALSE;
CREATE TABLE reader_emails (
    id              INTEGER PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE,
    base_url        TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    confirm_sent_at TIMESTAMP,
    confirmed_at    TIMESTAMP,
    unsubscribed_at TIMESTAMP
);
