-- The sessions screen: what each session was signed in from. user_agent
-- is the browser's own words (cut to 300 characters), ip the client
-- address with its last part dropped (a /24 or /48 network), never the
-- whole address.
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN ip TEXT NOT NULL DEFAULT '';
