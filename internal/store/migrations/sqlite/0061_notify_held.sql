-- A staff member's choice to get a mail when a comment is held for
-- moderation (editors and admins; off until they turn it on).
ALTER TABLE users ADD COLUMN notify_held BOOLEAN NOT NULL DEFAULT FALSE;
