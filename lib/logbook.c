/* logbook.c — SQL for the log and its people (log, log_guardian, log_actor,
 * person, unit). Every query filters on the municipality. */
#include "logbook.h"

#include <string.h>

#include "db.h"
#include "i18n.h"
#include "session.h"

struct id_row {
	int64_t id;
};
static const struct db_col id_cols[] = { DB_COL(struct id_row, id, DB_I64) };
static const struct db_map id_map = DB_MAP(struct id_row, id_cols);

int logbook_related(const struct session *s, int64_t **ids)
{
	struct id_row *rows;
	long long m = s->municipality_id, p = s->person_id;
	int n = db_select(
		&id_map, &rows,
		"SELECT l.id FROM log l WHERE l.municipality_id = ? AND (l.holder_person_id = ?"
		" OR l.subject_person_id = ?"
		" OR l.id IN (SELECT log_id FROM log_guardian WHERE municipality_id = ? AND person_id = ?)"
		" OR l.id IN (SELECT log_id FROM log_actor WHERE municipality_id = ? AND person_id = ?"
		"  AND removed_at IS NULL))"
		" ORDER BY l.id DESC LIMIT 500",
		"iiiiiii", m, p, p, m, p, m, p);
	if (n < 0)
		return n;
	*ids = (int64_t *)rows; /* struct id_row is one int64_t */
	return n;
}

static const struct db_col summary_cols[] = {
	DB_COL(struct logbook_summary, id, DB_I64),
	DB_COL(struct logbook_summary, state, DB_STR),
	DB_COL(struct logbook_summary, subject_kind, DB_STR),
	DB_COL(struct logbook_summary, subject_given_name, DB_STR),
	DB_COL(struct logbook_summary, subject_family_name, DB_STR),
	DB_COL(struct logbook_summary, unit_name, DB_STR),
	DB_COL(struct logbook_summary, holder_given_name, DB_STR),
	DB_COL(struct logbook_summary, holder_family_name, DB_STR),
	DB_COL(struct logbook_summary, created_at, DB_STR),
};
static const struct db_map summary_map = DB_MAP(struct logbook_summary, summary_cols);

int logbook_summary(int64_t municipality_id, int64_t log_id, struct logbook_summary *out)
{
	return db_select_one(&summary_map, out,
			     "SELECT l.id, l.state, l.subject_kind, s.given_name, s.family_name, u.name,"
			     " h.given_name, h.family_name, DATE_FORMAT(l.created_at, '%Y-%m-%d')"
			     " FROM log l JOIN person s ON s.id = l.subject_person_id"
			     " JOIN person h ON h.id = l.holder_person_id JOIN unit u ON u.id = l.unit_id"
			     " WHERE l.municipality_id = ? AND l.id = ?",
			     "ii", (long long)municipality_id, (long long)log_id);
}

static const struct db_col guardian_cols[] = {
	DB_COL(struct logbook_guardian, given_name, DB_STR),
	DB_COL(struct logbook_guardian, family_name, DB_STR),
	DB_COL(struct logbook_guardian, first_login_at, DB_STR),
};
static const struct db_map guardian_map = DB_MAP(struct logbook_guardian, guardian_cols);

int logbook_guardians(int64_t municipality_id, int64_t log_id, struct logbook_guardian **out)
{
	return db_select(&guardian_map, out,
			 "SELECT p.given_name, p.family_name, DATE_FORMAT(p.first_login_at, '%Y-%m-%d')"
			 " FROM log_guardian g JOIN person p ON p.id = g.person_id"
			 " WHERE g.municipality_id = ? AND g.log_id = ? ORDER BY g.id",
			 "ii", (long long)municipality_id, (long long)log_id);
}

const char *logbook_role_label(const char *role)
{
	static const struct {
		const char *name, *label;
	} labels[] = {
		{ "holder", N_("Log holder") },	 { "actor", N_("Actor") },   { "guardian", N_("Guardian") },
		{ "youth", N_("Young person") }, { "leader", N_("Leader") }, { "admin", N_("Administrator") },
	};
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(role, labels[i].name) == 0)
			return _(labels[i].label);
	return "";
}

const char *logbook_state_label(const char *state)
{
	if (strcmp(state, "draft") == 0)
		return _("Draft");
	if (strcmp(state, "active") == 0)
		return _("Active");
	if (strcmp(state, "passive") == 0)
		return _("Passive");
	return _("Closed");
}
