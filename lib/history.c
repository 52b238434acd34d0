/* history.c — SQL for log_history, and the one rule of what counts as a
 * change; nothing else. */
#include "history.h"

#include <string.h>

#include "db.h"
#include "session.h"

int history_record(const struct session *s, int64_t log_id, const char *entity, int64_t entity_id,
		   const char *field, const char *old_value, const char *new_value)
{
	int rc = db_exec(
		"INSERT INTO log_history (municipality_id, log_id, person_id, entity, entity_id, field,"
		" old_value, new_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		"iiisisss", (long long)s->municipality_id, (long long)log_id, (long long)s->person_id, entity,
		(long long)entity_id, field, old_value, new_value);
	return rc < 0 ? rc : 0;
}

static const char *value_or_null(const char *s)
{
	return s && *s ? s : NULL;
}

bool history_changed(const char *old_value, const char *new_value)
{
	old_value = value_or_null(old_value);
	new_value = value_or_null(new_value);
	if (!old_value || !new_value)
		return old_value != new_value;
	return strcmp(old_value, new_value) != 0;
}

int history_change(const struct session *s, int64_t log_id, const char *entity, int64_t entity_id,
		   const char *field, const char *old_value, const char *new_value)
{
	if (!history_changed(old_value, new_value))
		return 0;
	return history_record(s, log_id, entity, entity_id, field, value_or_null(old_value),
			      value_or_null(new_value));
}

static const struct db_col cols[] = {
	DB_COL(struct history_entry, at, DB_STR),	   DB_COL(struct history_entry, given_name, DB_STR),
	DB_COL(struct history_entry, family_name, DB_STR), DB_COL(struct history_entry, entity, DB_STR),
	DB_COL(struct history_entry, entity_id, DB_I64),   DB_COL(struct history_entry, field, DB_STR),
	DB_COL(struct history_entry, old_value, DB_STR),   DB_COL(struct history_entry, new_value, DB_STR),
};
static const struct db_map map = DB_MAP(struct history_entry, cols);

int history_list(int64_t municipality_id, int64_t log_id, int limit, struct history_entry **out)
{
	return db_select(&map, out,
			 "SELECT DATE_FORMAT(h.at, '%Y-%m-%d %H:%i'), p.given_name, p.family_name, h.entity,"
			 " h.entity_id, h.field, h.old_value, h.new_value FROM log_history h"
			 " JOIN person p ON p.id = h.person_id"
			 " WHERE h.municipality_id = ? AND h.log_id = ? ORDER BY h.id DESC LIMIT ?",
			 "iii", (long long)municipality_id, (long long)log_id, (long long)limit);
}
