-- 008_login_return.sql — a link opened while logged out returns there after
-- the login: the page's path (a path of ours, ids only, never an address
-- elsewhere nor anything personal; lib/app.c app_return_path) is kept with
-- the login in flight, bound to its state like the nonce, and used once.
ALTER TABLE login_attempt ADD COLUMN return_to VARCHAR(200) NULL AFTER lang;
