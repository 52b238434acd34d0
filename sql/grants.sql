-- grants.sql — what the application's database account may do: read and write
-- data, nothing else (no DDL, no FILE). Applied after the migrations by
-- tools/stack with @DB@ and @USER@ filled in; in production, substitute your
-- names and run it as the database administrator after `stafett-admin migrate`.
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.* TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
