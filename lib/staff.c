/* staff.c — SQL for units, staff roles and the people in them (unit,
 * staff_role, person), and the flow of a unit's logs (log: ids, states and
 * dates only). Every query filters on the municipality; a new person is
 * created by person.c (the number sealed and hashed there). */
#include "staff.h"

#include <string.h>

#include "arena.h"
#include "crypto.h"
#include "db.h"
#include "i18n.h"
#include "nin.h"
#include "person.h"
#include "session.h"

const char *const staff_unit_kinds[] = {
	"kindergarten", "school",  "health_station", "ppt", "child_welfare", "nav", "bup",
	"statped",	"private", "other",	     NULL,
};

const char *staff_kind_label(const char *kind)
{
	static const struct {
		const char *kind, *label;
	} labels[] = {
		{ "kindergarten", N_("Kindergarten") },
		{ "school", N_("School") },
		{ "health_station", N_("Health station") },
		{ "ppt", N_("Educational and psychological counselling service (PPT)") },
		{ "child_welfare", N_("Child welfare service") },
		{ "nav", N_("NAV") },
		{ "bup", N_("Child and adolescent mental health service (BUP)") },
		{ "statped", N_("Statped") },
		{ "private", N_("Private provider") },
		{ "other", N_("Other service") },
	};
	for (size_t i = 0; kind && i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(kind, labels[i].kind) == 0)
			return _(labels[i].label);
	return "";
}

/* --- units ---------------------------------------------------------------- */

static const struct db_col unit_cols[] = {
	DB_COL(struct staff_unit, id, DB_I64),
	DB_COL(struct staff_unit, name, DB_STR),
	DB_COL(struct staff_unit, kind, DB_STR),
	DB_COL(struct staff_unit, active, DB_BOOL),
};
static const struct db_map unit_map = DB_MAP(struct staff_unit, unit_cols);

int staff_units(int64_t municipality_id, struct staff_unit **out)
{
	return db_select(
		&unit_map, out,
		"SELECT id, name, kind, active FROM unit WHERE municipality_id = ? ORDER BY name, id", "i",
		(long long)municipality_id);
}

static const struct db_col consent_unit_cols[] = {
	DB_COL(struct staff_unit, id, DB_I64),	      DB_COL(struct staff_unit, name, DB_STR),
	DB_COL(struct staff_unit, kind, DB_STR),      DB_COL(struct staff_unit, active, DB_BOOL),
	DB_COL(struct staff_unit, elsewhere, DB_STR),
};
static const struct db_map consent_unit_map = DB_MAP(struct staff_unit, consent_unit_cols);

int staff_consent_units(int64_t municipality_id, struct staff_unit **out)
{
	long long m = municipality_id;
	return db_select(&consent_unit_map, out,
			 "SELECT u.id, u.name, u.kind, u.active, IF(u.municipality_id = ?, NULL, k.name)"
			 " FROM unit u JOIN municipality k ON k.id = u.municipality_id"
			 " WHERE u.active AND (u.municipality_id = ? OR k.active)"
			 " ORDER BY u.municipality_id <> ?, k.name, u.name, u.id",
			 "iii", m, m, m);
}

int staff_unit(int64_t municipality_id, int64_t unit_id, struct staff_unit *out)
{
	return db_select_one(&unit_map, out,
			     "SELECT id, name, kind, active FROM unit WHERE municipality_id = ? AND id = ?",
			     "ii", (long long)municipality_id, (long long)unit_id);
}

int staff_units_of(int64_t municipality_id, int64_t person_id, const char *role, struct staff_unit **out)
{
	return db_select(
		&unit_map, out,
		"SELECT u.id, u.name, u.kind, u.active FROM unit u JOIN staff_role s"
		" ON s.unit_id = u.id AND s.municipality_id = u.municipality_id"
		" WHERE u.municipality_id = ? AND s.person_id = ? AND s.role = ? ORDER BY u.name, u.id",
		"iis", (long long)municipality_id, (long long)person_id, role);
}

int staff_create_unit(int64_t municipality_id, const char *name, const char *kind, int64_t *id)
{
	int rc = db_exec("INSERT INTO unit (municipality_id, kind, name) VALUES (?, ?, ?)", "iss",
			 (long long)municipality_id, kind, name);
	if (rc < 0)
		return rc;
	*id = db_last_id();
	return 0;
}

/* --- people in units -------------------------------------------------------- */

static const struct db_col member_cols[] = {
	DB_COL(struct staff_member, role_id, DB_I64),
	DB_COL(struct staff_member, unit_id, DB_I64),
	DB_COL(struct staff_member, given_name, DB_STR),
	DB_COL(struct staff_member, family_name, DB_STR),
	DB_COL(struct staff_member, title, DB_STR),
	DB_COL(struct staff_member, role, DB_STR),
	DB_COL(struct staff_member, cleared, DB_BOOL),
	DB_COL(struct staff_member, never_logged_in, DB_BOOL),
	DB_COL(struct staff_member, version, DB_INT),
	DB_COL(struct staff_member, appointed_by, DB_STR),
	DB_COL(struct staff_member, cleared_by, DB_STR),
};
static const struct db_map member_map = DB_MAP(struct staff_member, member_cols);

/* A member as their role shows them: the names and title as registered
 * here (NULL on rows from before registrations kept them: the person's),
 * who registered them and who cleared them, by the names those two were
 * registered with in the municipality. */
/* clang-format off */
#define MEMBER_SELECT \
	"SELECT s.id, s.unit_id, COALESCE(s.given_name, p.given_name), COALESCE(s.family_name, p.family_name)," \
	" COALESCE(s.title, p.title), s.role, s.cleared_at IS NOT NULL, p.first_login_at IS NULL, s.version," \
	" CONCAT(ap.given_name, ' ', ap.family_name), CONCAT(cp.given_name, ' ', cp.family_name)" \
	" FROM staff_role s JOIN person p ON p.id = s.person_id AND p.municipality_id = s.municipality_id" \
	" LEFT JOIN person ap ON ap.id = s.appointed_by LEFT JOIN person cp ON cp.id = s.cleared_by"
/* clang-format on */

int staff_of_unit(int64_t municipality_id, int64_t unit_id, struct staff_member **out)
{
	return db_select(&member_map, out,
			 MEMBER_SELECT
			 " WHERE s.municipality_id = ? AND s.unit_id = ? AND s.role IN ('leader', 'staff')"
			 " ORDER BY s.role = 'staff', 4, 3, s.id",
			 "ii", (long long)municipality_id, (long long)unit_id);
}

int staff_leaders(int64_t municipality_id, struct staff_member **out)
{
	return db_select(&member_map, out,
			 MEMBER_SELECT
			 " JOIN unit u ON u.id = s.unit_id AND u.municipality_id = s.municipality_id"
			 " WHERE s.municipality_id = ? AND s.role = 'leader'"
			 " ORDER BY u.name, u.id, 4, 3, s.id",
			 "i", (long long)municipality_id);
}

struct yes_row {
	bool yes;
};
static const struct db_col yes_cols[] = { DB_COL(struct yes_row, yes, DB_BOOL) };
static const struct db_map yes_map = DB_MAP(struct yes_row, yes_cols);

int staff_register(const struct session *s, int64_t unit_id, const char *role, const struct staff_person *p,
		   enum staff_outcome *outcome)
{
	*outcome = STAFF_NO_UNIT;
	long long m = s->municipality_id;
	struct staff_unit u;
	int rc = staff_unit(s->municipality_id, unit_id, &u);
	if (rc <= 0)
		return rc;
	struct person_new pn = { p->given_name, p->family_name, p->nin, p->title, p->email, p->phone };
	int64_t person_id;
	enum person_outcome found;
	if ((rc = person_find_or_create(s, &pn, &person_id, &found)) < 0)
		return rc;
	if (person_id == s->person_id) {
		*outcome = STAFF_SELF;
		return 0;
	}
	struct yes_row has;
	rc = db_select_one(&yes_map, &has,
			   "SELECT EXISTS (SELECT 1 FROM staff_role WHERE municipality_id = ?"
			   " AND person_id = ? AND unit_id = ? AND role = ?)",
			   "iiis", m, (long long)person_id, (long long)unit_id, role);
	if (rc < 0)
		return rc;
	if (has.yes) {
		*outcome = STAFF_ALREADY;
		return 0;
	}
	rc = db_exec(
		"INSERT INTO staff_role (municipality_id, person_id, unit_id, role, given_name, family_name,"
		" title, email, phone, appointed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		"iiisssSSSi", m, (long long)person_id, (long long)unit_id, role, p->given_name,
		p->family_name, p->title, p->email, p->phone, (long long)s->person_id);
	if (rc == DB_DUPLICATE) {
		*outcome = STAFF_ALREADY; /* registered by someone else a moment ago */
		return 0;
	}
	if (rc < 0)
		return rc;
	*outcome = STAFF_DONE;
	return 0;
}

struct role_row {
	int64_t person_id;
};
static const struct db_col role_cols[] = { DB_COL(struct role_row, person_id, DB_I64) };
static const struct db_map role_map = DB_MAP(struct role_row, role_cols);

int staff_set_cleared(int64_t municipality_id, int64_t unit_id, int64_t role_id, int version, bool cleared,
		      int64_t by_person, enum staff_outcome *outcome)
{
	struct role_row who;
	int rc = db_select_one(&role_map, &who,
			       "SELECT person_id FROM staff_role WHERE id = ? AND municipality_id = ?"
			       " AND unit_id = ? AND role = 'staff' FOR UPDATE",
			       "iii", (long long)role_id, (long long)municipality_id, (long long)unit_id);
	if (rc <= 0) {
		*outcome = STAFF_NO_ROLE;
		return rc;
	}
	if (who.person_id == by_person) {
		*outcome = STAFF_SELF;
		return 0;
	}
	rc = db_exec("UPDATE staff_role SET cleared_at = IF(?, CURRENT_TIMESTAMP(3), NULL),"
		     " cleared_by = IF(?, ?, NULL), version = version + 1"
		     " WHERE id = ? AND municipality_id = ? AND unit_id = ? AND role = 'staff'"
		     " AND version = ?",
		     "iiiiiii", (long long)cleared, (long long)cleared, (long long)by_person,
		     (long long)role_id, (long long)municipality_id, (long long)unit_id, (long long)version);
	if (rc < 0)
		return rc;
	*outcome = rc == 1 ? STAFF_DONE : STAFF_STALE;
	return 0;
}

/* --- the flow of a unit's logs ---------------------------------------------- */

static const struct db_col flow_cols[] = {
	DB_COL(struct staff_flow, draft, DB_INT),
	DB_COL(struct staff_flow, active, DB_INT),
	DB_COL(struct staff_flow, passive, DB_INT),
	DB_COL(struct staff_flow, closed, DB_INT),
};
static const struct db_map flow_map = DB_MAP(struct staff_flow, flow_cols);

int staff_flow_counts(int64_t municipality_id, int64_t unit_id, struct staff_flow *out)
{
	int rc = db_select_one(
		&flow_map, out,
		"SELECT COUNT(IF(state = 'draft', 1, NULL)), COUNT(IF(state = 'active', 1, NULL)),"
		" COUNT(IF(state = 'passive', 1, NULL)), COUNT(IF(state = 'closed', 1, NULL))"
		" FROM log WHERE municipality_id = ? AND unit_id = ?",
		"ii", (long long)municipality_id, (long long)unit_id);
	return rc < 0 ? rc : rc == 1 ? 0 : DB_ERROR;
}

static const struct db_col flow_log_cols[] = {
	DB_COL(struct staff_flow_log, id, DB_I64),
	DB_COL(struct staff_flow_log, state, DB_STR),
	DB_COL(struct staff_flow_log, created_at, DB_STR),
	DB_COL(struct staff_flow_log, updated_at, DB_STR),
	DB_COL(struct staff_flow_log, holder_given_name, DB_STR),
	DB_COL(struct staff_flow_log, holder_family_name, DB_STR),
	DB_COL(struct staff_flow_log, passive_days, DB_INT),
	DB_COL(struct staff_flow_log, consent_until, DB_STR),
	DB_COL(struct staff_flow_log, consent_days_left, DB_INT),
	DB_COL(struct staff_flow_log, withdrawn, DB_BOOL),
};
static const struct db_map flow_log_map = DB_MAP(struct staff_flow_log, flow_log_cols);

int staff_flow_logs(int64_t municipality_id, int64_t unit_id, int limit, struct staff_flow_log **out)
{
	/* Passive since the history's last change of the state to passive;
	 * the holder by the name of their own record (staff). */
	return db_select(&flow_log_map, out,
			 "SELECT l.id, l.state, DATE_FORMAT(l.created_at, '%Y-%m-%d %H:%i'),"
			 " DATE_FORMAT(l.updated_at, '%Y-%m-%d %H:%i'), h.given_name, h.family_name,"
			 " IF(l.state = 'passive', COALESCE(DATEDIFF(CURRENT_DATE,"
			 "  (SELECT MAX(x.at) FROM log_history x WHERE x.log_id = l.id AND x.entity = 'log'"
			 "   AND x.field = 'state' AND x.new_value = 'passive')), -1), -1),"
			 " DATE_FORMAT(l.consent_until, '%Y-%m-%d'),"
			 " COALESCE(DATEDIFF(l.consent_until, CURRENT_DATE), 0), l.withdrawn_at IS NOT NULL"
			 " FROM log l JOIN person h ON h.id = l.holder_person_id"
			 " WHERE l.municipality_id = ? AND l.unit_id = ?"
			 " ORDER BY l.updated_at DESC, l.id DESC LIMIT ?",
			 "iii", (long long)municipality_id, (long long)unit_id, (long long)limit);
}
