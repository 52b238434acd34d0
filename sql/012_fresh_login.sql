-- 012_fresh_login.sql — a fresh authentication for sensitive steps
-- (SECURITY.md 9 and 21). A login in flight that asked the provider to
-- authenticate the person again (max_age=0, prompt=login) says so, and its
-- callback then refuses an ID token whose auth_time is older than the
-- attempt; every session keeps the auth_time of its login (the provider's
-- clock, to the second), so a program can ask whether the person proved who
-- they are within the last [login] fresh_minutes (lib/session.c,
-- session_fresh). NULL: a session made before this column, never fresh.
ALTER TABLE login_attempt ADD COLUMN fresh BOOLEAN NOT NULL DEFAULT FALSE AFTER return_to;
ALTER TABLE session ADD COLUMN auth_time DATETIME NULL AFTER created_at;
