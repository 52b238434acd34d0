-- 004_audit_items.sql — a list page's read of many logs ("my logs") is one
-- audit row and one small row per log it listed, with the relation each was
-- read under. The items are part of their row's hash (lib/audit.h), so an
-- edited, added or deleted item breaks the chain like an edited row. The
-- application may only INSERT and SELECT here (sql/grants.sql).
CREATE TABLE audit_log_item (
	audit_id BIGINT NOT NULL,
	log_id BIGINT NOT NULL,
	role VARCHAR(20) NOT NULL,
	PRIMARY KEY (audit_id, log_id),
	KEY audit_log_item_log (log_id, audit_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
