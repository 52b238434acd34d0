-- 005_log_actor_relation.sql — "my logs" finds the logs a person acts in by
-- log_actor_person. On (municipality_id, person_id) alone MariaDB intersected
-- it with the person_id foreign-key index and then read every row for
-- removed_at, log_id and unit_id; with those columns in the index the lookup
-- is one index range and nothing else (measured on 10,000 logs, an adviser in
-- 30: that part of the statement 281 → 172 µs, the whole 812 → 721 µs).
ALTER TABLE log_actor
	DROP INDEX log_actor_person,
	ADD INDEX log_actor_person (municipality_id, person_id, removed_at, log_id, unit_id);
