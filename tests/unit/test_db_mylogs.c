/* test_db_mylogs.c — lib/mylogs.c against the real MariaDB of a running
 * test stack (STAFETT_CONF; run by tests/http/run.py), as the application's
 * own account, on fixtures of its own in the demo municipality fjordvik:
 * "my logs" lists exactly what authz allows, records the list as one read in
 * the caller's transaction, and warns the holder of consents running out,
 * soonest first. */
#include <string.h>

#include "unit_db.h"
#include "audit.h"
#include "authz.h"
#include "mylogs.h"
#include "session.h"

#define WARN_DAYS 30

static struct {
	int64_t muni, unit, uncovered_unit, person, other_holder, nobody;
	/* Held by person. */
	int64_t soon, sooner, lapsed, later, closed, withdrawn, draft, passive;
	/* Held by other_holder: person is a guardian, an actor whose unit
	 * consent does not cover, a removed actor, nothing. */
	int64_t guarded, acted, removed, unrelated;
	const char *tag;
} fx;

static void add_relation(const char *table, int64_t log, int64_t person, int64_t unit, bool removed)
{
	if (strcmp(table, "log_guardian") == 0)
		assert_int_equal(db_exec("INSERT INTO log_guardian (municipality_id, log_id, person_id) "
					 "VALUES (?, ?, ?)",
					 "iii", (long long)fx.muni, (long long)log, (long long)person),
				 1);
	else
		assert_int_equal(db_exec("INSERT INTO log_actor (municipality_id, log_id, person_id, "
					 "unit_id, removed_at)"
					 " VALUES (?, ?, ?, ?, IF(?, CURRENT_TIMESTAMP(3), NULL))",
					 "iiiii", (long long)fx.muni, (long long)log, (long long)person,
					 (long long)unit, (long long)removed),
				 1);
}

static int setup(void **state)
{
	(void)state;
	if (unit_db_open() < 0)
		return -1;
	db_request_begin();
	fx.tag = xstrdup(crypto_random_hex(4));
	fx.muni = unit_muni("fjordvik");
	fx.unit = unit_add_unit(fx.muni, arena_printf("Mylogs unit %s", fx.tag));
	fx.uncovered_unit = unit_add_unit(fx.muni, arena_printf("Mylogs uncovered %s", fx.tag));
	fx.person = unit_add_person(fx.muni, "Mine", fx.tag);
	fx.other_holder = unit_add_person(fx.muni, "Other", fx.tag);
	fx.nobody = unit_add_person(fx.muni, "Nobody", fx.tag);
	int64_t m = fx.muni, p = fx.person, o = fx.other_holder, u = fx.unit;
	fx.soon = unit_add_log(m, p, u, "active", 10);
	fx.sooner = unit_add_log(m, p, u, "active", 3);
	fx.lapsed = unit_add_log(m, p, u, "active", -1);
	fx.later = unit_add_log(m, p, u, "active", 200);
	fx.closed = unit_add_log(m, p, u, "closed", 5);
	fx.withdrawn = unit_add_log(m, p, u, "active", 5);
	assert_int_equal(db_exec("UPDATE log SET withdrawn_at = CURRENT_TIMESTAMP(3) WHERE id = ?", "i",
				 (long long)fx.withdrawn),
			 1);
	fx.draft = unit_add_log(m, p, u, "draft", 0);
	fx.passive = unit_add_log(m, p, u, "passive", 20);
	fx.guarded = unit_add_log(m, o, u, "active", 2);
	add_relation("log_guardian", fx.guarded, p, 0, false);
	fx.acted = unit_add_log(m, o, u, "active", 100);
	add_relation("log_actor", fx.acted, p, fx.uncovered_unit, false);
	fx.removed = unit_add_log(m, o, u, "active", 100);
	add_relation("log_actor", fx.removed, p, fx.unit, true);
	fx.unrelated = unit_add_log(m, o, u, "active", 1);
	db_request_end();
	arena_reset();
	return 0;
}

static struct session as(int64_t person)
{
	return (struct session){ .municipality_id = fx.muni, .person_id = person };
}

static int64_t lists_of(int64_t person)
{
	return unit_db_int("SELECT COUNT(*) FROM audit_log WHERE action = 'log.list' AND person_id = ?",
			   person);
}

/* The list is authz_related's allowed entries, in its order (newest first)
 * and under its decisions, and nothing else. */
static void exactly_the_logs_authz_allows(void **state)
{
	(void)state;
	db_request_begin();
	struct session s = as(fx.person);
	struct mylogs m;
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(mylogs_load(&s, WARN_DAYS, &m), 0);
	assert_int_equal(db_commit(), DB_OK);
	struct authz_entry *rel;
	int nrel = authz_related(&s, AUTHZ_READ, MYLOGS_LIMIT, &rel);
	assert_true(nrel > m.n); /* the actor of an uncovered unit is related, not allowed */
	int k = 0;
	for (int i = 0; i < nrel; i++) {
		if (!rel[i].az.allow)
			continue;
		assert_true(k < m.n);
		assert_int_equal(m.logs[k].item.id, rel[i].log_id);
		assert_int_equal(m.logs[k].az.role, rel[i].az.role);
		assert_true(m.logs[k].az.allow);
		k++;
	}
	assert_int_equal(k, m.n);
	/* Which ones, newest first, and as what. */
	const int64_t expected[] = { fx.guarded, fx.passive, fx.draft,	fx.withdrawn, fx.closed,
				     fx.later,	 fx.lapsed,  fx.sooner, fx.soon };
	assert_int_equal(m.n, sizeof expected / sizeof expected[0]);
	for (int i = 0; i < m.n; i++)
		assert_int_equal(m.logs[i].item.id, expected[i]);
	assert_int_equal(m.logs[0].az.role, AUTHZ_GUARDIAN);
	for (int i = 1; i < m.n; i++)
		assert_int_equal(m.logs[i].az.role, AUTHZ_HOLDER);
	assert_non_null(mylogs_find(&m, fx.soon));
	assert_int_equal(mylogs_find(&m, fx.soon)->item.id, fx.soon);
	assert_null(mylogs_find(&m, fx.acted));
	assert_null(mylogs_find(&m, fx.removed));
	assert_null(mylogs_find(&m, fx.unrelated));
	/* Each line is its log's: state and consent as the log has them. */
	const struct mylogs_log *l = mylogs_find(&m, fx.closed);
	assert_string_equal(l->item.state, "closed");
	assert_int_equal(l->item.consent_days_left, 5);
	assert_true(mylogs_find(&m, fx.withdrawn)->item.withdrawn);
	assert_null(mylogs_find(&m, fx.draft)->item.consent_until);
	db_request_end();
	arena_reset();
}

/* The holder is warned of open logs whose consent runs out within the
 * days given or has run out, soonest first; not of closed, withdrawn or
 * draft logs, nor of logs they are only a guardian of. */
static void consent_warnings_soonest_first(void **state)
{
	(void)state;
	db_request_begin();
	struct session s = as(fx.person);
	struct mylogs m;
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(mylogs_load(&s, WARN_DAYS, &m), 0);
	db_rollback();
	const int64_t warned[] = { fx.lapsed, fx.sooner, fx.soon, fx.passive };
	assert_int_equal(m.nwarnings, sizeof warned / sizeof warned[0]);
	for (int i = 0; i < m.nwarnings; i++)
		assert_int_equal(m.warnings[i]->item.id, warned[i]);
	/* Fewer days: fewer warnings, the lapsed one always. */
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(mylogs_load(&s, 3, &m), 0);
	db_rollback();
	assert_int_equal(m.nwarnings, 2);
	assert_int_equal(m.warnings[0]->item.id, fx.lapsed);
	assert_int_equal(m.warnings[1]->item.id, fx.sooner);
	/* The line's own flag: any log whose consent runs out soon, whoever's. */
	assert_true(mylogs_find(&m, fx.guarded)->consent_expiring);
	assert_true(mylogs_find(&m, fx.lapsed)->consent_expiring);
	assert_false(mylogs_find(&m, fx.soon)->consent_expiring);
	assert_false(mylogs_find(&m, fx.later)->consent_expiring);
	assert_false(mylogs_find(&m, fx.draft)->consent_expiring);
	/* The other holder is warned of their own, not of the guardian's view. */
	s = as(fx.other_holder);
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(mylogs_load(&s, WARN_DAYS, &m), 0);
	db_rollback();
	assert_int_equal(m.nwarnings, 2);
	assert_int_equal(m.warnings[0]->item.id, fx.unrelated);
	assert_int_equal(m.warnings[1]->item.id, fx.guarded);
	db_request_end();
	arena_reset();
}

struct item_row {
	int64_t log_id;
	char *role;
};

/* One audit row, "log.list", with an item per log listed and the relation it
 * was listed under; in the caller's transaction, so gone with its rollback;
 * none for an empty list. */
static void the_list_is_one_audited_read(void **state)
{
	(void)state;
	db_request_begin();
	struct session s = as(fx.person);
	struct mylogs m;
	int64_t before = lists_of(fx.person);
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(mylogs_load(&s, WARN_DAYS, &m), 0);
	db_rollback();
	assert_int_equal(lists_of(fx.person), before);
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(mylogs_load(&s, WARN_DAYS, &m), 0);
	assert_int_equal(lists_of(fx.person), before); /* appended at the commit */
	assert_int_equal(db_commit(), DB_OK);
	assert_int_equal(lists_of(fx.person), before + 1);
	int64_t row = unit_db_int("SELECT MAX(id) FROM audit_log WHERE action = 'log.list' AND person_id = ?",
				  fx.person);
	assert_string_equal(
		unit_db_text("SELECT CONCAT_WS(' ', municipality_id, role, outcome, COALESCE(log_id, '-'))"
			     " FROM audit_log WHERE id = ?",
			     row),
		arena_printf("%lld person allow -", (long long)fx.muni));
	static const struct db_col cols[] = { DB_COL(struct item_row, log_id, DB_I64),
					      DB_COL(struct item_row, role, DB_STR) };
	static const struct db_map map = DB_MAP(struct item_row, cols);
	struct item_row *items;
	int n = db_select(&map, &items,
			  "SELECT log_id, role FROM audit_log_item WHERE audit_id = ? ORDER BY log_id", "i",
			  (long long)row);
	assert_int_equal(n, m.n);
	for (int i = 0; i < n; i++) {
		const struct mylogs_log *l = mylogs_find(&m, items[i].log_id);
		assert_non_null(l);
		assert_string_equal(items[i].role, authz_role_name(l->az.role));
	}
	assert_int_equal(items[0].log_id, fx.soon);
	assert_string_equal(items[0].role, "holder");
	assert_int_equal(items[n - 1].log_id, fx.guarded);
	assert_string_equal(items[n - 1].role, "guardian");
	/* Nothing to list: nothing recorded. */
	s = as(fx.nobody);
	before = lists_of(fx.nobody);
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(mylogs_load(&s, WARN_DAYS, &m), 0);
	assert_int_equal(db_commit(), DB_OK);
	assert_int_equal(m.n, 0);
	assert_int_equal(m.nwarnings, 0);
	assert_int_equal(lists_of(fx.nobody), before);
	int64_t rows, bad;
	assert_int_equal(audit_verify(&rows, &bad), 0);
	db_request_end();
	arena_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exactly_the_logs_authz_allows),
		cmocka_unit_test(consent_warnings_soonest_first),
		cmocka_unit_test(the_list_is_one_audited_read),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
