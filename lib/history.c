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
	DB_COL(struct history_entry, at, DB_STR),	   DB_COL(struct history_entry, person_id, DB_I64),
	DB_COL(struct history_entry, given_name, DB_STR),  DB_COL(struct history_entry, family_name, DB_STR),
	DB_COL(struct history_entry, entity, DB_STR),	   DB_COL(struct history_entry, entity_id, DB_I64),
	DB_COL(struct history_entry, field, DB_STR),	   DB_COL(struct history_entry, old_value, DB_STR),
	DB_COL(struct history_entry, new_value, DB_STR),   DB_COL(struct history_entry, thing, DB_STR),
	DB_COL(struct history_entry, concern, DB_STR),	   DB_COL(struct history_entry, kind, DB_STR),
	DB_COL(struct history_entry, other_given, DB_STR), DB_COL(struct history_entry, other_family, DB_STR),
};
static const struct db_map map = DB_MAP(struct history_entry, cols);

/* Each row with what it is about: the thing by its primary key in this
 * log (a row names its entity and id; only the matching join finds
 * anything), and a state request's asker named as on the log page. */
int history_list(int64_t municipality_id, int64_t log_id, int limit, struct history_entry **out)
{
	return db_select(
		&map, out,
		"SELECT DATE_FORMAT(h.at, '%Y-%m-%d %H:%i'), h.person_id, p.given_name, p.family_name, "
		"h.entity,"
		" h.entity_id, h.field, h.old_value, h.new_value, COALESCE(c.title, g.text, m.description),"
		" gc.title, COALESCE(cs.kind, sr.wanted),"
		" COALESCE(og.given_name, IF(l.subject_person_id = op.id, l.subject_given_name, NULL),"
		"  op.given_name),"
		" COALESCE(og.family_name, IF(l.subject_person_id = op.id, l.subject_family_name, NULL),"
		"  op.family_name)"
		" FROM log_history h JOIN person p ON p.id = h.person_id"
		" JOIN log l ON l.id = h.log_id AND l.municipality_id = h.municipality_id"
		" LEFT JOIN concern c ON h.entity = 'concern' AND c.id = h.entity_id AND c.log_id = h.log_id"
		" LEFT JOIN goal g ON h.entity = 'goal' AND g.id = h.entity_id AND g.log_id = h.log_id"
		" LEFT JOIN concern gc ON gc.id = g.concern_id AND gc.log_id = h.log_id"
		" LEFT JOIN measure m ON h.entity = 'measure' AND m.id = h.entity_id AND m.log_id = h.log_id"
		" LEFT JOIN consent cs ON h.entity = 'consent' AND cs.id = h.entity_id AND cs.log_id = "
		"h.log_id"
		" LEFT JOIN state_request sr ON h.entity = 'state_request' AND sr.id = h.entity_id"
		"  AND sr.log_id = h.log_id"
		" LEFT JOIN person op ON op.id = sr.person_id"
		" LEFT JOIN log_guardian og ON og.log_id = h.log_id AND og.person_id = sr.person_id"
		" WHERE h.municipality_id = ? AND h.log_id = ? ORDER BY h.id DESC LIMIT ?",
		"iii", (long long)municipality_id, (long long)log_id, (long long)limit);
}
