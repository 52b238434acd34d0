-- grants.sql — what the application's database account may do: read and write
-- data, append to the audit trail, nothing else (no DDL, no FILE, no UPDATE or
-- DELETE on audit_log or audit_log_item). Applied after the migrations by tools/stack with @DB@
-- and @USER@ filled in; in production, substitute your names and run it as the
-- database administrator after `stafett-admin migrate`. Every table is named:
-- a new table needs its line here.
REVOKE ALL PRIVILEGES, GRANT OPTION FROM '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT ON `@DB@`.municipality TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
-- The administrator's settings page changes these columns, never the name, the
-- address (slug) or whether the municipality is active (the operator's).
GRANT UPDATE (default_lang, consent_age, consent_valid_years, retention_years, evaluation_warn_days, version)
	ON `@DB@`.municipality TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT ON `@DB@`.municipality_oidc TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.unit TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.person TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.staff_role TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.log TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.log_guardian TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.log_actor TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.consent_service TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.login_attempt TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.session TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.rate_limit TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT ON `@DB@`.audit_log TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT ON `@DB@`.audit_log_item TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, UPDATE ON `@DB@`.audit_head TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
-- A draft is deleted with every row of it (lib/logbook.c, logbook_delete_draft),
-- so each table of a log's contents takes DELETE, its history included.
GRANT SELECT, INSERT, DELETE ON `@DB@`.document TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.consent TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, DELETE ON `@DB@`.consent_scope TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT ON `@DB@`.development_area TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.concern TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, DELETE ON `@DB@`.concern_area TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.goal TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.measure TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, DELETE ON `@DB@`.evaluation TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, DELETE ON `@DB@`.note TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.state_request TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, DELETE ON `@DB@`.log_history TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.form_use TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
-- Mail (009): the programs queue it, the mailer (same account) claims, marks
-- and erases it; a draft's deletion takes its invitations and messages.
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.outbox TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.notice_gate TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.invitation TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.invitation_token TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, DELETE ON `@DB@`.message TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.message_read TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
-- Meetings, minutes, agreements and calendar feeds (010).
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.meeting TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.meeting_participant TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.minutes TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, DELETE ON `@DB@`.minutes_measure TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, DELETE ON `@DB@`.minutes_entry TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.agreement TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, DELETE ON `@DB@`.agreement_version TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.calendar_feed TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
-- Handovers (013): offers change state; a transition is written once and
-- only its archive state changes (a draft is never handed over, so its
-- deletion meets neither).
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.handover TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.log_transition TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
-- A log that moves to another municipality (lib/logmove.c) takes its rows
-- along: the tables written once take an UPDATE of the municipality and of
-- the column that names the child or a guardian, and of nothing else.
GRANT UPDATE (municipality_id, uploaded_by) ON `@DB@`.document TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT UPDATE (municipality_id, by_person_id) ON `@DB@`.evaluation TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT UPDATE (municipality_id, author_person_id) ON `@DB@`.note TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT UPDATE (municipality_id, person_id) ON `@DB@`.log_history TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT UPDATE (municipality_id, author_person_id) ON `@DB@`.message TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT UPDATE (municipality_id, person_id) ON `@DB@`.minutes_entry TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT UPDATE (municipality_id) ON `@DB@`.agreement_version TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
-- The archive (014): records are made, delivered and acknowledged (the
-- snapshot erased), never deleted by the application; tombstones are
-- written once; reopening requests and answers change state.
GRANT SELECT, UPDATE ON `@DB@`.municipality_archive TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE ON `@DB@`.archive_record TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT ON `@DB@`.log_tombstone TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.reopen_request TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.reopen_answer TO '@USER@'@'localhost', '@USER@'@'127.0.0.1';
