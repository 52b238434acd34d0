/* test_db_staff.c — lib/staff.c against the real MariaDB of a running test
 * stack (STAFETT_CONF; run by tests/http/run.py), as the application's own
 * account, on fixtures of its own in the demo municipalities fjordvik and
 * nordheim: registering a person in a unit (found by their number in the
 * municipality, or created), clearing staff, units and their names, who is
 * listed, and the flow a leader sees. (How a clearance lets staff create
 * logs, and a stale or misdirected one: test_db_authz.c.) */
#include <string.h>

#include "unit_db.h"
#include "person.h"
#include "session.h"
#include "staff.h"

static struct {
	int64_t muni, other_muni, unit, other_unit, nordheim_unit, leader, nordheim_leader;
	const char *tag;
} fx;

static int setup(void **state)
{
	(void)state;
	if (unit_db_open() < 0)
		return -1;
	db_request_begin();
	fx.tag = xstrdup(crypto_random_hex(4));
	fx.muni = unit_muni("fjordvik");
	fx.other_muni = unit_muni("nordheim");
	fx.unit = unit_add_unit(fx.muni, arena_printf("Staff unit %s", fx.tag));
	fx.other_unit = unit_add_unit(fx.muni, arena_printf("Staff other unit %s", fx.tag));
	fx.nordheim_unit = unit_add_unit(fx.other_muni, arena_printf("Staff nordheim unit %s", fx.tag));
	fx.leader = unit_add_person(fx.muni, "Leder", fx.tag);
	fx.nordheim_leader = unit_add_person(fx.other_muni, "Leiar", fx.tag);
	db_request_end();
	arena_reset();
	return 0;
}

static int64_t roles_of(int64_t unit)
{
	return unit_db_int("SELECT COUNT(*) FROM staff_role WHERE unit_id = ?", unit);
}

/* staff_register by a leader of the municipality, in a transaction of its
 * own, committed. */
static enum staff_outcome reg(int64_t muni, int64_t unit, const char *role, const struct staff_person *p)
{
	struct session s = { .municipality_id = muni,
			     .person_id = muni == fx.muni ? fx.leader : fx.nordheim_leader };
	enum staff_outcome o = (enum staff_outcome) - 1;
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(staff_register(&s, unit, role, p, &o), 0);
	assert_int_equal(db_commit(), DB_OK);
	return o;
}

static int64_t person_with(int64_t muni, const char *nin)
{
	struct person p;
	int rc = person_by_nin(muni, nin, &p);
	assert_true(rc >= 0);
	return rc == 1 ? p.id : 0;
}

static void a_new_person_once_per_role(void **state)
{
	(void)state;
	db_request_begin();
	const char *nin = unit_fresh_nin();
	struct staff_person p = { "Kari", arena_printf("Ansatt-%s", fx.tag), nin,
				  "",	  "kari@fjordvik.example",	     NULL };
	assert_int_equal(reg(fx.muni, fx.unit, "staff", &p), STAFF_DONE);
	int64_t id = person_with(fx.muni, nin);
	assert_true(id > 0);
	assert_int_equal(unit_db_int("SELECT COUNT(*) FROM staff_role WHERE person_id = ? AND role = 'staff'"
				     " AND cleared_at IS NULL",
				     id),
			 1);
	assert_string_equal(unit_db_text("SELECT CONCAT_WS(' ', given_name, COALESCE(title, '-'), email,"
					 " COALESCE(phone, '-')) FROM person WHERE id = ?",
					 id),
			    "Kari - kari@fjordvik.example -");
	/* The same person in the same role again: nothing written. */
	int64_t roles = roles_of(fx.unit);
	assert_int_equal(reg(fx.muni, fx.unit, "staff", &p), STAFF_ALREADY);
	assert_int_equal(roles_of(fx.unit), roles);
	/* The same person as leader, and in another unit, typed otherwise:
	 * the person found, not made twice, their own record as it was; each
	 * role keeps what its registration typed, and who registered it. */
	struct staff_person again = { "KARI",	arena_printf("ansatt-%s", fx.tag), nin,
				      "Rektor", "other@fjordvik.example",	   "+47 912 34 567" };
	assert_int_equal(reg(fx.muni, fx.unit, "leader", &again), STAFF_DONE);
	assert_int_equal(reg(fx.muni, fx.other_unit, "staff", &again), STAFF_DONE);
	assert_int_equal(person_with(fx.muni, nin), id);
	assert_int_equal(unit_db_int("SELECT COUNT(*) FROM staff_role WHERE person_id = ?", id), 3);
	assert_string_equal(unit_db_text("SELECT CONCAT_WS(' ', given_name, COALESCE(title, '-'), email,"
					 " COALESCE(phone, '-')) FROM person WHERE id = ?",
					 id),
			    "Kari - kari@fjordvik.example -");
	assert_string_equal(
		unit_db_text("SELECT CONCAT_WS(' ', given_name, title, email, phone, appointed_by)"
			     " FROM staff_role WHERE person_id = ? AND role = 'leader'",
			     id),
		arena_printf("KARI Rektor other@fjordvik.example +47 912 34 567 %lld", (long long)fx.leader));
	db_request_end();
	arena_reset();
}

/* A number that is someone's under another name is that person (the
 * answer tells nothing of who is registered), their record untouched;
 * oneself, a unit that is not the municipality's or not at all: refused,
 * and nothing written. */
static void refusals_write_nothing(void **state)
{
	(void)state;
	db_request_begin();
	const char *nin = unit_fresh_nin();
	struct staff_person p = { "Per", arena_printf("Hansen-%s", fx.tag), nin, NULL, NULL, NULL };
	assert_int_equal(reg(fx.muni, fx.unit, "staff", &p), STAFF_DONE);
	int64_t id = person_with(fx.muni, nin), roles = roles_of(fx.other_unit);
	struct staff_person mistyped = { "Pål", p.family_name, nin, "Lærer", NULL, NULL };
	assert_int_equal(reg(fx.muni, fx.other_unit, "staff", &mistyped), STAFF_DONE);
	assert_int_equal(roles_of(fx.other_unit), roles + 1);
	assert_int_equal(person_with(fx.muni, nin), id);
	assert_string_equal(unit_db_text("SELECT CONCAT_WS(' ', given_name, COALESCE(title, '-'), version)"
					 " FROM person WHERE id = ?",
					 id),
			    "Per - 1");
	/* Registering oneself: refused, nothing written. */
	struct session self = { .municipality_id = fx.muni, .person_id = id };
	enum staff_outcome o;
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(staff_register(&self, fx.unit, "leader", &p, &o), 0);
	assert_int_equal(o, STAFF_SELF);
	assert_int_equal(db_commit(), DB_OK);
	assert_int_equal(
		unit_db_int("SELECT COUNT(*) FROM staff_role WHERE person_id = ? AND role = 'leader'", id),
		0);
	/* Another municipality's unit, and a unit that does not exist. */
	const char *fresh = unit_fresh_nin();
	struct staff_person q = { "Ola", arena_printf("Nordmann-%s", fx.tag), fresh, NULL, NULL, NULL };
	assert_int_equal(reg(fx.muni, fx.nordheim_unit, "staff", &q), STAFF_NO_UNIT);
	assert_int_equal(reg(fx.muni, fx.nordheim_unit + 1000000, "staff", &q), STAFF_NO_UNIT);
	assert_int_equal(reg(fx.other_muni, fx.unit, "leader", &q), STAFF_NO_UNIT);
	assert_int_equal(person_with(fx.muni, fresh), 0);
	assert_int_equal(person_with(fx.other_muni, fresh), 0);
	assert_int_equal(roles_of(fx.nordheim_unit), 0);
	db_request_end();
	arena_reset();
}

/* A number is looked up in the municipality: the same number in another
 * one is another person there. */
static void one_number_in_two_municipalities(void **state)
{
	(void)state;
	db_request_begin();
	const char *nin = unit_fresh_nin();
	struct staff_person p = { "Ane", arena_printf("Begge-%s", fx.tag), nin, NULL, NULL, NULL };
	assert_int_equal(reg(fx.muni, fx.unit, "staff", &p), STAFF_DONE);
	assert_int_equal(reg(fx.other_muni, fx.nordheim_unit, "staff", &p), STAFF_DONE);
	int64_t here = person_with(fx.muni, nin), there = person_with(fx.other_muni, nin);
	assert_true(here > 0 && there > 0);
	assert_int_not_equal(here, there);
	assert_int_equal(unit_db_int("SELECT municipality_id FROM staff_role WHERE person_id = ?", there),
			 fx.other_muni);
	db_request_end();
	arena_reset();
}

struct role_row {
	int64_t id;
	int version;
};

static struct role_row role_of(int64_t person, int64_t unit, const char *role)
{
	static const struct db_col cols[] = { DB_COL(struct role_row, id, DB_I64),
					      DB_COL(struct role_row, version, DB_INT) };
	static const struct db_map map = DB_MAP(struct role_row, cols);
	struct role_row r;
	assert_int_equal(
		db_select_one(&map, &r,
			      "SELECT id, version FROM staff_role WHERE person_id = ? AND unit_id = ?"
			      " AND role = ?",
			      "iis", (long long)person, (long long)unit, role),
		1);
	return r;
}

/* Each clearing and withdrawal moves the version by one and records who
 * cleared; only a staff role can be cleared. */
static void clearing_moves_the_version(void **state)
{
	(void)state;
	db_request_begin();
	const char *nin = unit_fresh_nin();
	struct staff_person p = { "Siri", arena_printf("Klarert-%s", fx.tag), nin, NULL, NULL, NULL };
	assert_int_equal(reg(fx.muni, fx.unit, "staff", &p), STAFF_DONE);
	assert_int_equal(reg(fx.muni, fx.unit, "leader", &p), STAFF_DONE);
	int64_t id = person_with(fx.muni, nin);
	struct role_row r = role_of(id, fx.unit, "staff");
	assert_int_equal(r.version, 1);
	enum staff_outcome o;
	assert_int_equal(staff_set_cleared(fx.muni, fx.unit, r.id, 1, true, fx.leader, &o), 0);
	assert_int_equal(o, STAFF_DONE);
	assert_string_equal(unit_db_text("SELECT CONCAT_WS(' ', version, cleared_at IS NOT NULL, cleared_by)"
					 " FROM staff_role WHERE id = ?",
					 r.id),
			    arena_printf("2 1 %lld", (long long)fx.leader));
	assert_int_equal(staff_set_cleared(fx.muni, fx.unit, r.id, 2, false, fx.leader, &o), 0);
	assert_int_equal(o, STAFF_DONE);
	assert_string_equal(
		unit_db_text("SELECT CONCAT_WS(' ', version, cleared_at IS NULL, cleared_by IS NULL)"
			     " FROM staff_role WHERE id = ?",
			     r.id),
		"3 1 1");
	/* A leader's role is no staff role to clear. */
	struct role_row l = role_of(id, fx.unit, "leader");
	assert_int_equal(staff_set_cleared(fx.muni, fx.unit, l.id, l.version, true, fx.leader, &o), 0);
	assert_int_equal(o, STAFF_NO_ROLE);
	assert_int_equal(unit_db_int("SELECT version FROM staff_role WHERE id = ?", l.id), l.version);
	db_request_end();
	arena_reset();
}

/* Names are unique within a municipality, not across them. */
static void units_and_their_names(void **state)
{
	(void)state;
	db_request_begin();
	const char *name = arena_printf("Ny skole %s", fx.tag);
	int64_t id = 0, again = -7, there = 0;
	assert_int_equal(staff_create_unit(fx.muni, name, "school", &id), 0);
	assert_true(id > 0);
	struct staff_unit u;
	assert_int_equal(staff_unit(fx.muni, id, &u), 1);
	assert_string_equal(u.name, name);
	assert_string_equal(u.kind, "school");
	assert_true(u.active);
	assert_int_equal(staff_create_unit(fx.muni, name, "kindergarten", &again), DB_DUPLICATE);
	assert_int_equal(again, -7);
	assert_int_equal(staff_create_unit(fx.other_muni, name, "school", &there), 0);
	assert_int_not_equal(there, id);
	assert_int_equal(staff_unit(fx.other_muni, id, &u), 0);
	/* Every kind a form offers is one the table takes, with a label. */
	for (int i = 0; staff_unit_kinds[i]; i++) {
		int64_t k;
		assert_int_equal(staff_create_unit(fx.muni, arena_printf("Kind %d %s", i, fx.tag),
						   staff_unit_kinds[i], &k),
				 0);
		assert_string_not_equal(staff_kind_label(staff_unit_kinds[i]), "");
	}
	assert_string_equal(staff_kind_label("school"), "School");
	assert_string_equal(staff_kind_label("castle"), "");
	assert_string_equal(staff_kind_label(NULL), "");
	db_request_end();
	arena_reset();
}

/* Leaders first, then staff by family name; only the unit's, only the
 * municipality's. */
static void who_is_listed_in_a_unit(void **state)
{
	(void)state;
	db_request_begin();
	int64_t unit = unit_add_unit(fx.muni, arena_printf("Listed unit %s", fx.tag));
	struct staff_person a = { "Anna", "Berg", unit_fresh_nin(), NULL, NULL, NULL };
	struct staff_person b = { "Bo", "Aas", unit_fresh_nin(), "Lektor", NULL, NULL };
	struct staff_person c = { "Cato", "Dahl", unit_fresh_nin(), NULL, NULL, NULL };
	assert_int_equal(reg(fx.muni, unit, "staff", &a), STAFF_DONE);
	assert_int_equal(reg(fx.muni, unit, "staff", &b), STAFF_DONE);
	assert_int_equal(reg(fx.muni, unit, "leader", &c), STAFF_DONE);
	struct staff_member *m;
	assert_int_equal(staff_of_unit(fx.muni, unit, &m), 3);
	assert_string_equal(m[0].family_name, "Dahl");
	assert_string_equal(m[0].role, "leader");
	assert_string_equal(m[1].family_name, "Aas");
	assert_string_equal(m[1].title, "Lektor");
	assert_string_equal(m[2].family_name, "Berg");
	assert_false(m[2].cleared);
	assert_true(m[2].never_logged_in);
	assert_int_equal(m[2].version, 1);
	assert_int_equal(staff_of_unit(fx.other_muni, unit, &m), 0);
	struct staff_unit *units;
	assert_int_equal(staff_units_of(fx.muni, person_with(fx.muni, c.nin), "leader", &units), 1);
	assert_int_equal(units[0].id, unit);
	assert_int_equal(staff_units_of(fx.muni, person_with(fx.muni, c.nin), "staff", &units), 0);
	db_request_end();
	arena_reset();
}

/* The flow of a unit's logs: counts per state and the logs by their last
 * change, numbers and dates only, for the unit's own municipality. */
static void the_flow_of_a_units_logs(void **state)
{
	(void)state;
	db_request_begin();
	int64_t unit = unit_add_unit(fx.muni, arena_printf("Flow unit %s", fx.tag));
	int64_t draft = unit_add_log(fx.muni, fx.leader, unit, "draft", 0);
	unit_add_log(fx.muni, fx.leader, unit, "active", 100);
	unit_add_log(fx.muni, fx.leader, unit, "active", 100);
	int64_t closed = unit_add_log(fx.muni, fx.leader, unit, "closed", 100);
	unit_add_log(fx.muni, fx.leader, fx.other_unit, "passive", 100);
	assert_int_equal(db_exec("UPDATE log SET updated_at = NOW(3) + INTERVAL 1 SECOND WHERE id = ?", "i",
				 (long long)draft),
			 1);
	struct staff_flow f;
	assert_int_equal(staff_flow_counts(fx.muni, unit, &f), 0);
	assert_int_equal(f.draft, 1);
	assert_int_equal(f.active, 2);
	assert_int_equal(f.passive, 0);
	assert_int_equal(f.closed, 1);
	assert_int_equal(staff_flow_counts(fx.other_muni, unit, &f), 0);
	assert_int_equal(f.draft + f.active + f.passive + f.closed, 0);
	struct staff_flow_log *logs;
	assert_int_equal(staff_flow_logs(fx.muni, unit, 10, &logs), 4);
	assert_int_equal(logs[0].id, draft); /* changed last */
	assert_string_equal(logs[0].state, "draft");
	assert_int_equal(strlen(logs[0].created_at),
			 strlen("YYYY-MM-DD HH:MM")); /* UTC; {{date}} shows its Oslo day */
	assert_int_equal(logs[1].id, closed);	      /* then the newest of the rest */
	assert_int_equal(staff_flow_logs(fx.muni, unit, 2, &logs), 2);
	assert_int_equal(staff_flow_logs(fx.other_muni, unit, 10, &logs), 0);
	db_request_end();
	arena_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_new_person_once_per_role),
		cmocka_unit_test(refusals_write_nothing),
		cmocka_unit_test(one_number_in_two_municipalities),
		cmocka_unit_test(clearing_moves_the_version),
		cmocka_unit_test(units_and_their_names),
		cmocka_unit_test(who_is_listed_in_a_unit),
		cmocka_unit_test(the_flow_of_a_units_logs),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
