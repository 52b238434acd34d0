/* test_db_authz.c — lib/authz.c against the real MariaDB of a running test
 * stack (STAFETT_CONF; run by tests/http/run.py), as the application's own
 * account: every role against every action on a log, and every role against
 * every action on a unit, in two tables, on fixtures of its own in the demo
 * municipalities fjordvik (consent age 15) and nordheim (16). */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "app.h"
#include "arena.h"
#include "audit.h"
#include "authz.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "measure.h"
#include "session.h"
#include "staff.h"

struct id_row {
	int64_t id;
};
static const struct db_col id_cols[] = { DB_COL(struct id_row, id, DB_I64) };
static const struct db_map id_map = DB_MAP(struct id_row, id_cols);

struct text_row {
	char *a;
	char *b;
};
static const struct db_col text_cols[] = {
	DB_COL(struct text_row, a, DB_STR),
	DB_COL(struct text_row, b, DB_STR),
};
static const struct db_map text_map = DB_MAP(struct text_row, text_cols);

/* Everything the table below refers to; ids filled by setup. */
static struct fixture {
	int64_t fjordvik, nordheim;
	int64_t unit, covered_unit, uncovered_unit, nordheim_unit, closed_unit, missing_unit;
	int64_t holder, actor, uncovered_actor, removed_actor, guardian, other_guardian, young, youth, leader,
		other_leader, admin, stranger, nordheim_youth, uncleared, nordheim_leader, closed_leader,
		leader_admin, offered, offered_late, nordheim_offered;
	int64_t log, other_log, young_log, youth_log, closed_log, withdrawn_log, expired_log, today_log,
		nordheim_log, nordheim_youth_log, missing_log, draft_log, foreign_draft_log, locked_log,
		lapsed_log, incomplete_log, offer_log;
} fx;

static const char *tag; /* makes this run's unit names unique */

static int64_t muni_id(const char *slug, int expected_consent_age)
{
	struct id_row r;
	assert_int_equal(db_select_one(&id_map, &r,
				       "SELECT id FROM municipality WHERE slug = ? AND consent_age = ?", "si",
				       slug, (long long)expected_consent_age),
			 1);
	return r.id;
}

static int64_t add_unit(int64_t muni, const char *name)
{
	assert_int_equal(db_exec("INSERT INTO unit (municipality_id, kind, name) VALUES (?, 'school', ?)",
				 "is", (long long)muni, arena_printf("%s %s", name, tag)),
			 1);
	return db_last_id();
}

/* A person born on birth ("YYYY-MM-DD"), sealed and hashed like the
 * programs do; the next number is tried if another person has this one. */
static int64_t add_person(int64_t muni, const char *given, const char *birth)
{
	int y, m, d;
	assert_int_equal(sscanf(birth, "%d-%d-%d", &y, &m, &d), 3);
	for (int seq = 0; seq < 400; seq++) {
		const char *nin = unit_synthetic_nin(d, m, y, seq);
		assert_non_null(nin);
		unsigned char sealed[11 + CRYPTO_SEAL_OVERHEAD], mac[CRYPTO_HMAC_LEN];
		int key = crypto_seal(nin, 11, sealed);
		assert_true(key > 0);
		assert_int_equal(crypto_lookup_hash(nin, 11, mac), 0);
		int rc = db_exec(
			"INSERT INTO person (municipality_id, nin_sealed, nin_key_id, nin_hmac, birth_date,"
			" given_name, family_name) VALUES (?, ?, ?, ?, ?, ?, 'Testesen')",
			"ibibss", (long long)muni, sealed, sizeof sealed, (long long)key, mac, sizeof mac,
			birth, given);
		if (rc == DB_DUPLICATE)
			continue;
		assert_int_equal(rc, 1);
		return db_last_id();
	}
	fail_msg("no free synthetic number for %s", birth);
	return 0;
}

static void add_staff(int64_t muni, int64_t person, int64_t unit, const char *role, bool cleared)
{
	assert_int_equal(
		db_exec("INSERT INTO staff_role (municipality_id, person_id, unit_id, role, cleared_at)"
			" VALUES (?, ?, ?, ?, IF(?, CURRENT_TIMESTAMP(3), NULL))",
			"iiIsi", (long long)muni, (long long)person, (long long)unit, role,
			(long long)cleared),
		1);
}

/* A log past its draft has a complete establishing consent valid a year
 * more (consent.c keeps consent_until); set_consent changes that. */
static int64_t add_log(int64_t muni, int64_t subject, int64_t holder, int64_t unit, const char *state)
{
	assert_int_equal(db_exec("INSERT INTO log (municipality_id, subject_person_id, subject_kind,"
				 " holder_person_id, unit_id, created_by, state, consent_until) VALUES (?, "
				 "?, 'child', ?, ?, ?, ?,"
				 " IF(? = 'draft', NULL, DATE_ADD(CURRENT_DATE, INTERVAL 1 YEAR)))",
				 "iiiiiss", (long long)muni, (long long)subject, (long long)holder,
				 (long long)unit, (long long)holder, state, state),
			 1);
	return db_last_id();
}

/* The log's establishing consent: valid until today + days, or incomplete
 * (complete false); withdrawn sets log.withdrawn_at. */
static void set_consent(int64_t log, bool complete, int days, bool withdrawn)
{
	assert_int_equal(
		db_exec("UPDATE log SET consent_until = IF(?, DATE_ADD(CURRENT_DATE, INTERVAL ? DAY),"
			" NULL), withdrawn_at = IF(?, CURRENT_TIMESTAMP(3), NULL) WHERE id = ?",
			"iiii", (long long)complete, (long long)days, (long long)withdrawn, (long long)log),
		1);
}

static void add_guardian(int64_t muni, int64_t log, int64_t person)
{
	assert_int_equal(
		db_exec("INSERT INTO log_guardian (municipality_id, log_id, person_id) VALUES (?, ?, ?)",
			"iii", (long long)muni, (long long)log, (long long)person),
		1);
}

/* An offer of the log from its holder to person for unit (lib/handover.c):
 * in state, expiring in days (negative: already past). */
/* An offer of the log to the person for their unit of municipality to. */
static void add_offer_to(int64_t muni, int64_t log, int64_t person, int64_t unit, int64_t to,
			 const char *state, int days)
{
	assert_int_equal(
		db_exec("INSERT INTO handover (municipality_id, log_id, from_person_id, from_unit_id,"
			" to_person_id, to_unit_id, to_municipality_id, stay_as_actor, state, expires_at)"
			" SELECT municipality_id, id, holder_person_id, unit_id, ?, ?, ?,"
			" TRUE, ?, CURRENT_TIMESTAMP(3) + INTERVAL ? DAY FROM log"
			" WHERE id = ? AND municipality_id = ?",
			"iiisiii", (long long)person, (long long)unit, (long long)to, state, (long long)days,
			(long long)log, (long long)muni),
		1);
}

static void add_offer(int64_t muni, int64_t log, int64_t person, int64_t unit, const char *state, int days)
{
	add_offer_to(muni, log, person, unit, muni, state, days);
}

static void add_actor(int64_t muni, int64_t log, int64_t person, int64_t unit, bool removed)
{
	assert_int_equal(
		db_exec("INSERT INTO log_actor (municipality_id, log_id, person_id, unit_id, removed_at)"
			" VALUES (?, ?, ?, ?, IF(?, CURRENT_TIMESTAMP(3), NULL))",
			"iiiii", (long long)muni, (long long)log, (long long)person, (long long)unit,
			(long long)removed),
		1);
}

/* Consent covering unit on log, valid until today + days. */
static void add_consent(int64_t muni, int64_t log, int64_t unit, int days, bool withdrawn)
{
	assert_int_equal(db_exec("INSERT INTO consent_service (municipality_id, log_id, unit_id, valid_until,"
				 " withdrawn_at) VALUES (?, ?, ?, DATE_ADD(CURRENT_DATE, INTERVAL ? DAY),"
				 " IF(?, CURRENT_TIMESTAMP(3), NULL))",
				 "iiiii", (long long)muni, (long long)log, (long long)unit, (long long)days,
				 (long long)withdrawn),
			 1);
}

/* The birth date of someone who turns `years` today, and of someone who
 * turns it tomorrow, by the database's own calendar (UTC). */
static void birthdays(int years, char **today, char **tomorrow)
{
	struct text_row t;
	assert_int_equal(
		db_select_one(
			&text_map, &t,
			"SELECT DATE_FORMAT(DATE_SUB(CURRENT_DATE, INTERVAL ? YEAR), '%Y-%m-%d'),"
			" DATE_FORMAT(DATE_ADD(DATE_SUB(CURRENT_DATE, INTERVAL ? YEAR), INTERVAL 1 DAY),"
			" '%Y-%m-%d')",
			"ii", (long long)years, (long long)years),
		1);
	*today = xstrdup(t.a);
	*tomorrow = xstrdup(t.b);
}

static void people(void)
{
	char *at15, *below15;
	birthdays(15, &at15, &below15);
	int64_t f = fx.fjordvik, n = fx.nordheim;
	fx.holder = add_person(f, "Holder", "1981-03-04");
	fx.actor = add_person(f, "Actor", "1979-05-06");
	fx.uncovered_actor = add_person(f, "Uncovered", "1982-07-08");
	fx.removed_actor = add_person(f, "Removed", "1983-09-10");
	fx.guardian = add_person(f, "Guardian", "1984-11-12");
	fx.other_guardian = add_person(f, "Other", "1985-01-13");
	fx.young = add_person(f, "Young", below15);
	fx.youth = add_person(f, "Youth", at15);
	fx.leader = add_person(f, "Leader", "1970-02-14");
	fx.other_leader = add_person(f, "Leader2", "1971-03-15");
	fx.admin = add_person(f, "Admin", "1972-04-16");
	fx.uncleared = add_person(f, "Uncleared", "1990-06-18");
	fx.closed_leader = add_person(f, "Leader3", "1974-06-18");
	fx.leader_admin = add_person(f, "Leader4", "1975-07-19");
	fx.offered = add_person(f, "Offered", "1986-09-21");
	fx.offered_late = add_person(f, "Late", "1987-10-22");
	fx.stranger = add_person(n, "Stranger", "1973-05-17");
	fx.nordheim_leader = add_person(n, "Leiar", "1976-08-20");
	fx.nordheim_youth = add_person(n, "Youth16", at15);
	fx.nordheim_offered = add_person(n, "Tilboden", "1988-11-23");
	free(at15);
	free(below15);
}

static void roles(void)
{
	int64_t f = fx.fjordvik, n = fx.nordheim;
	add_staff(f, fx.holder, fx.unit, "staff", true);
	add_staff(f, fx.uncleared, fx.unit, "staff", false);
	add_staff(f, fx.actor, fx.covered_unit, "staff", true);
	add_staff(f, fx.uncovered_actor, fx.uncovered_unit, "staff", true);
	add_staff(f, fx.removed_actor, fx.covered_unit, "staff", true);
	add_staff(f, fx.leader, fx.unit, "leader", false);
	add_staff(f, fx.other_leader, fx.covered_unit, "leader", false);
	add_staff(f, fx.admin, 0, "admin", false);
	add_staff(n, fx.stranger, 0, "admin", false);
	add_staff(n, fx.stranger, fx.nordheim_unit, "staff", true);
	add_staff(n, fx.nordheim_leader, fx.nordheim_unit, "leader", false);
	add_staff(n, fx.nordheim_offered, fx.nordheim_unit, "staff", true);
	add_staff(f, fx.closed_leader, fx.closed_unit, "leader", false);
	add_staff(f, fx.leader_admin, fx.covered_unit, "leader", false);
	add_staff(f, fx.leader_admin, 0, "admin", false);
	add_staff(f, fx.offered, fx.covered_unit, "staff", true);
	add_staff(f, fx.offered_late, fx.covered_unit, "staff", true);
}

static void logs(void)
{
	int64_t f = fx.fjordvik, n = fx.nordheim;
	int64_t child = add_person(f, "Child", "2019-08-19");
	fx.log = add_log(f, child, fx.holder, fx.unit, "active");
	add_guardian(f, fx.log, fx.guardian);
	add_actor(f, fx.log, fx.actor, fx.covered_unit, false);
	add_actor(f, fx.log, fx.removed_actor, fx.covered_unit, true);
	add_actor(f, fx.log, fx.uncovered_actor, fx.uncovered_unit, false);
	add_consent(f, fx.log, fx.covered_unit, 365, false);

	fx.other_log = add_log(f, add_person(f, "Child2", "2018-09-20"), fx.holder, fx.unit, "active");
	add_guardian(f, fx.other_log, fx.other_guardian);
	fx.young_log = add_log(f, fx.young, fx.holder, fx.unit, "active");
	fx.youth_log = add_log(f, fx.youth, fx.holder, fx.unit, "active");

	fx.closed_log = add_log(f, add_person(f, "Child3", "2017-10-21"), fx.holder, fx.unit, "closed");
	add_guardian(f, fx.closed_log, fx.guardian);
	add_actor(f, fx.closed_log, fx.actor, fx.covered_unit, false);
	add_consent(f, fx.closed_log, fx.covered_unit, 365, false);

	/* The same actor on three more logs whose consent differs only in time. */
	fx.withdrawn_log = add_log(f, add_person(f, "Child4", "2016-11-22"), fx.holder, fx.unit, "active");
	fx.expired_log = add_log(f, add_person(f, "Child5", "2015-12-23"), fx.holder, fx.unit, "active");
	fx.today_log = add_log(f, add_person(f, "Child6", "2014-01-24"), fx.holder, fx.unit, "active");
	add_actor(f, fx.withdrawn_log, fx.actor, fx.covered_unit, false);
	add_actor(f, fx.expired_log, fx.actor, fx.covered_unit, false);
	add_actor(f, fx.today_log, fx.actor, fx.covered_unit, false);
	add_consent(f, fx.withdrawn_log, fx.covered_unit, 365, true);
	add_consent(f, fx.expired_log, fx.covered_unit, -1, false);
	add_consent(f, fx.today_log, fx.covered_unit, 0, false);

	/* The same holder, guardian, actor and leader on four logs whose
	 * establishing consent differs: not yet given (draft), withdrawn,
	 * expired yesterday, never complete. */
	int64_t *consent_logs[] = { &fx.draft_log, &fx.locked_log, &fx.lapsed_log, &fx.incomplete_log };
	for (int i = 0; i < 4; i++) {
		int64_t kid = add_person(f, arena_printf("Child%d", 7 + i), "2013-02-25");
		*consent_logs[i] = add_log(f, kid, fx.holder, fx.unit, i == 0 ? "draft" : "active");
		add_guardian(f, *consent_logs[i], fx.guardian);
		add_actor(f, *consent_logs[i], fx.actor, fx.covered_unit, false);
		add_consent(f, *consent_logs[i], fx.covered_unit, 365, false);
	}
	/* A draft its holder did not create (another cleared staff member did):
	 * only its creator, while holding it, may delete it. */
	fx.foreign_draft_log =
		add_log(f, add_person(f, "Child11", "2013-02-26"), fx.holder, fx.unit, "draft");
	add_guardian(f, fx.foreign_draft_log, fx.guardian);
	assert_int_equal(db_exec("UPDATE log SET created_by = ? WHERE id = ?", "ii", (long long)fx.uncleared,
				 (long long)fx.foreign_draft_log),
			 1);
	set_consent(fx.locked_log, true, 300, true);
	set_consent(fx.lapsed_log, true, -1, false);
	set_consent(fx.incomplete_log, false, 0, false);

	/* Offers: pending, past its expiry, withdrawn, on a closed log, and to
	 * someone who acts in the log already. */
	add_offer(f, fx.log, fx.offered, fx.covered_unit, "offered", 14);
	add_offer(f, fx.log, fx.offered_late, fx.covered_unit, "offered", -1);
	add_offer(f, fx.other_log, fx.offered, fx.covered_unit, "withdrawn", 14);
	add_offer(f, fx.closed_log, fx.offered, fx.covered_unit, "offered", 14);
	/* An actor offered the log they act in (the list compares it; the
	 * matrix has one relation per row, so the pure test decides it). */
	fx.offer_log = add_log(f, add_person(f, "Child12", "2013-02-27"), fx.holder, fx.unit, "active");
	add_actor(f, fx.offer_log, fx.actor, fx.covered_unit, false);
	add_consent(f, fx.offer_log, fx.covered_unit, 365, false);
	add_offer(f, fx.offer_log, fx.actor, fx.covered_unit, "offered", 14);
	/* To a staff member of the other municipality (the log would move). */
	add_offer_to(f, fx.log, fx.nordheim_offered, fx.nordheim_unit, n, "offered", 14);

	fx.nordheim_log =
		add_log(n, add_person(n, "Barn", "2018-02-25"), fx.stranger, fx.nordheim_unit, "active");
	fx.nordheim_youth_log = add_log(n, fx.nordheim_youth, fx.stranger, fx.nordheim_unit, "active");
	struct id_row r;
	assert_int_equal(db_select_one(&id_map, &r, "SELECT MAX(id) + 1000 FROM log", NULL), 1);
	fx.missing_log = r.id;
}

static int setup(void **state)
{
	(void)state;
	if (config_load(NULL) < 0 || db_connect("database") < 0 ||
	    crypto_load_keys(config_str("crypto.key_file")) < 0)
		return -1;
	db_request_begin();
	tag = xstrdup(crypto_random_hex(4));
	fx.fjordvik = muni_id("fjordvik", 15);
	fx.nordheim = muni_id("nordheim", 16);
	fx.unit = add_unit(fx.fjordvik, "Authz skole");
	fx.covered_unit = add_unit(fx.fjordvik, "Authz PPT");
	fx.uncovered_unit = add_unit(fx.fjordvik, "Authz helsestasjon");
	fx.nordheim_unit = add_unit(fx.nordheim, "Authz skule");
	fx.closed_unit = add_unit(fx.fjordvik, "Authz nedlagt");
	assert_int_equal(
		db_exec("UPDATE unit SET active = FALSE WHERE id = ?", "i", (long long)fx.closed_unit), 1);
	struct id_row r;
	assert_int_equal(db_select_one(&id_map, &r, "SELECT MAX(id) + 1000 FROM unit", NULL), 1);
	fx.missing_unit = r.id;
	people();
	roles();
	logs();
	db_request_end();
	arena_reset();
	return 0;
}

#define Y true
#define N false

#define LOG_ACTIONS (AUTHZ_LOG_LAST - AUTHZ_LOG_FIRST + 1)

/* One line per row keeps the table a table. */
/* clang-format off */
/* Who asks (person in a session of muni; NULL person: anonymous), about which
 * log; the relation expected in every cell; one cell per log action in the
 * order of enum authz_action (STATE is MANAGE or CONSENT, TRANSITION is
 * MANAGE, EVALUATE without a measure is WRITE, WITHDRAW is a guardian's or
 * the young person's in every state but a withdrawn log, RECORD is MANAGE
 * for whoever is not a consenter, DOCUMENT without a document is MANAGE,
 * GUARDIANS and ACTORS are MANAGE but not on a log whose consent is withdrawn,
 * DELETE is a draft's, by the staff member who created it while they hold it,
 * HANDOVER is MANAGE but not on a draft nor a withdrawn log, OFFER is the
 * offered-to relation's alone, on an open log, and gives no READ; PDF is
 * the holder's in every state; EXPORT the holder's, and a guardian's or the
 * young person's when they may READ);
 * the log's state, reported when allowed. */
static const struct case_row {
	const char *who;
	const int64_t *muni, *person, *log;
	enum authz_role role;
	bool may[LOG_ACTIONS];
	const char *state;
} matrix[] = {
	/*                                                                            READ WRITE ENTRY MANAGE CONSENT READERS FLOW HISTORY STATE TRANSITION EVALUATE WITHDRAW RECORD DOCUMENT GUARDIANS ACTORS DELETE HANDOVER OFFER PDF EXPORT REOPEN REOPEN_ANSWER */
	{ "holder", &fx.fjordvik, &fx.holder, &fx.log, AUTHZ_HOLDER, { Y, Y, Y, Y, N, Y, Y, Y, Y, Y, Y, N, Y, Y, Y, Y, N, Y, N, Y, Y, N, N }, "active" },
	{ "actor", &fx.fjordvik, &fx.actor, &fx.log, AUTHZ_ACTOR, { Y, N, Y, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, "active" },
	{ "actor of an uncovered service", &fx.fjordvik, &fx.uncovered_actor, &fx.log, AUTHZ_NONE, { N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, NULL },
	{ "removed actor", &fx.fjordvik, &fx.removed_actor, &fx.log, AUTHZ_NONE, { N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, NULL },
	{ "guardian", &fx.fjordvik, &fx.guardian, &fx.log, AUTHZ_GUARDIAN, { Y, N, Y, N, Y, Y, N, N, Y, N, N, Y, N, N, N, N, N, N, N, N, Y, N, N }, "active" },
	{ "guardian of another log", &fx.fjordvik, &fx.other_guardian, &fx.log, AUTHZ_NONE, { N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, NULL },
	{ "young person a day below the consent age", &fx.fjordvik, &fx.young, &fx.young_log, AUTHZ_NONE, { N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, NULL },
	{ "young person at the consent age today", &fx.fjordvik, &fx.youth, &fx.youth_log, AUTHZ_YOUTH, { Y, N, Y, N, Y, Y, N, N, Y, N, N, Y, N, N, N, N, N, N, N, N, Y, N, N }, "active" },
	{ "15 in nordheim, consent age 16", &fx.nordheim, &fx.nordheim_youth, &fx.nordheim_youth_log, AUTHZ_NONE, { N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, NULL },
	{ "leader of the log's unit", &fx.fjordvik, &fx.leader, &fx.log, AUTHZ_LEADER, { N, N, N, N, N, N, Y, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, "active" },
	{ "leader of another unit", &fx.fjordvik, &fx.other_leader, &fx.log, AUTHZ_NONE, { N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, NULL },
	{ "administrator", &fx.fjordvik, &fx.admin, &fx.log, AUTHZ_ADMIN, { N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, NULL },
	{ "staff of another municipality", &fx.nordheim, &fx.stranger, &fx.log, AUTHZ_NONE, { N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, NULL },
	{ "nordheim's holder, fjordvik session", &fx.fjordvik, &fx.stranger, &fx.nordheim_log, AUTHZ_NONE, { N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, NULL },
	{ "anonymous", &fx.fjordvik, NULL, &fx.log, AUTHZ_NONE, { N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, NULL },
	{ "holder of a closed log", &fx.fjordvik, &fx.holder, &fx.closed_log, AUTHZ_HOLDER, { Y, N, N, N, N, Y, Y, Y, Y, N, N, N, N, N, N, N, N, N, N, Y, Y, Y, N }, "closed" },
	{ "guardian of a closed log", &fx.fjordvik, &fx.guardian, &fx.closed_log, AUTHZ_GUARDIAN, { Y, N, N, N, N, Y, N, N, Y, N, N, Y, N, N, N, N, N, N, N, N, Y, N, Y }, "closed" },
	{ "actor of a closed log", &fx.fjordvik, &fx.actor, &fx.closed_log, AUTHZ_ACTOR, { N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, NULL },
	{ "actor, consent withdrawn", &fx.fjordvik, &fx.actor, &fx.withdrawn_log, AUTHZ_NONE, { N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, NULL },
	{ "actor, consent expired yesterday", &fx.fjordvik, &fx.actor, &fx.expired_log, AUTHZ_NONE, { N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, NULL },
	{ "actor, consent valid until today", &fx.fjordvik, &fx.actor, &fx.today_log, AUTHZ_ACTOR, { Y, N, Y, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, "active" },
	{ "holder of a draft", &fx.fjordvik, &fx.holder, &fx.draft_log, AUTHZ_HOLDER, { Y, Y, Y, Y, N, Y, Y, Y, Y, Y, Y, N, Y, Y, Y, Y, Y, N, N, Y, Y, N, N }, "draft" },
	{ "guardian of a draft", &fx.fjordvik, &fx.guardian, &fx.draft_log, AUTHZ_GUARDIAN, { Y, N, Y, N, Y, Y, N, N, Y, N, N, Y, N, N, N, N, N, N, N, N, Y, N, N }, "draft" },
	{ "actor of a draft, unit covered", &fx.fjordvik, &fx.actor, &fx.draft_log, AUTHZ_ACTOR, { N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, NULL },
	{ "leader of a draft's unit", &fx.fjordvik, &fx.leader, &fx.draft_log, AUTHZ_LEADER, { N, N, N, N, N, N, Y, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, "draft" },
	{ "holder of a draft someone else created", &fx.fjordvik, &fx.holder, &fx.foreign_draft_log, AUTHZ_HOLDER, { Y, Y, Y, Y, N, Y, Y, Y, Y, Y, Y, N, Y, Y, Y, Y, N, N, N, Y, Y, N, N }, "draft" },
	{ "the staff member who created a draft another holds", &fx.fjordvik, &fx.uncleared, &fx.foreign_draft_log, AUTHZ_NONE, { N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, NULL },
	{ "guardian of a draft someone else created", &fx.fjordvik, &fx.guardian, &fx.foreign_draft_log, AUTHZ_GUARDIAN, { Y, N, Y, N, Y, Y, N, N, Y, N, N, Y, N, N, N, N, N, N, N, N, Y, N, N }, "draft" },
	{ "holder, consent withdrawn", &fx.fjordvik, &fx.holder, &fx.locked_log, AUTHZ_HOLDER, { Y, N, N, Y, N, Y, N, Y, Y, Y, N, N, Y, Y, N, N, N, N, N, Y, Y, N, N }, "active" },
	{ "guardian, consent withdrawn", &fx.fjordvik, &fx.guardian, &fx.locked_log, AUTHZ_GUARDIAN, { N, N, N, N, N, Y, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, "active" },
	{ "actor, establishing consent withdrawn", &fx.fjordvik, &fx.actor, &fx.locked_log, AUTHZ_ACTOR, { N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, NULL },
	{ "leader, consent withdrawn", &fx.fjordvik, &fx.leader, &fx.locked_log, AUTHZ_LEADER, { N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, NULL },
	{ "holder, consent expired", &fx.fjordvik, &fx.holder, &fx.lapsed_log, AUTHZ_HOLDER, { Y, N, N, Y, N, Y, Y, Y, Y, Y, N, N, Y, Y, Y, Y, N, Y, N, Y, Y, N, N }, "active" },
	{ "guardian, consent expired", &fx.fjordvik, &fx.guardian, &fx.lapsed_log, AUTHZ_GUARDIAN, { Y, N, N, N, Y, Y, N, N, Y, N, N, Y, N, N, N, N, N, N, N, N, Y, N, N }, "active" },
	{ "actor, establishing consent expired", &fx.fjordvik, &fx.actor, &fx.lapsed_log, AUTHZ_ACTOR, { Y, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, "active" },
	{ "holder, consent incomplete", &fx.fjordvik, &fx.holder, &fx.incomplete_log, AUTHZ_HOLDER, { Y, N, N, Y, N, Y, Y, Y, Y, Y, N, N, Y, Y, Y, Y, N, Y, N, Y, Y, N, N }, "active" },
	{ "guardian, consent incomplete", &fx.fjordvik, &fx.guardian, &fx.incomplete_log, AUTHZ_GUARDIAN, { Y, N, N, N, Y, Y, N, N, Y, N, N, Y, N, N, N, N, N, N, N, N, Y, N, N }, "active" },
	{ "holder, a log that does not exist", &fx.fjordvik, &fx.holder, &fx.missing_log, AUTHZ_NONE, { N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, NULL },
	{ "holder, a log of another municipality", &fx.fjordvik, &fx.holder, &fx.nordheim_log, AUTHZ_NONE, { N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, NULL },
	{ "offered-to, before accepting", &fx.fjordvik, &fx.offered, &fx.log, AUTHZ_OFFERED, { N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, Y, N, N, N, N }, "active" },
	{ "offered-to, the offer expired", &fx.fjordvik, &fx.offered_late, &fx.log, AUTHZ_NONE, { N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, NULL },
	{ "offered-to, the offer withdrawn", &fx.fjordvik, &fx.offered, &fx.other_log, AUTHZ_NONE, { N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, NULL },
	{ "offered-to a closed log", &fx.fjordvik, &fx.offered, &fx.closed_log, AUTHZ_OFFERED, { N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, NULL },
	{ "offered-to, in another municipality's session", &fx.nordheim, &fx.offered, &fx.log, AUTHZ_NONE, { N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, NULL },
	{ "offered-to from another municipality, in their own session", &fx.nordheim, &fx.nordheim_offered, &fx.log, AUTHZ_OFFERED, { N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, Y, N, N, N, N }, "active" },
	{ "offered-to from another municipality, in the log's municipality", &fx.fjordvik, &fx.nordheim_offered, &fx.log, AUTHZ_NONE, { N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, NULL },
	{ "another municipality's leader, not offered the log", &fx.nordheim, &fx.nordheim_leader, &fx.log, AUTHZ_NONE, { N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, NULL },
	{ "another municipality's staff offered a different log", &fx.nordheim, &fx.nordheim_offered, &fx.other_log, AUTHZ_NONE, { N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N }, NULL },
};
/* clang-format on */

static const char *action_names[LOG_ACTIONS] = {
	"READ",	  "WRITE",	"ENTRY",    "MANAGE",	"CONSENT", "READERS",  "FLOW",	       "HISTORY",
	"STATE",  "TRANSITION", "EVALUATE", "WITHDRAW", "RECORD",  "DOCUMENT", "GUARDIANS",    "ACTORS",
	"DELETE", "HANDOVER",	"OFFER",    "PDF",	"EXPORT",  "REOPEN",   "REOPEN_ANSWER"
};

/* One cell: 0 if it holds, else 1 with the cell printed. */
static int check_cell(const struct case_row *c, enum authz_action a)
{
	struct session s = { .municipality_id = *c->muni, .person_id = c->person ? *c->person : 0 };
	struct authz z;
	int rc = authz_check(c->person ? &s : NULL, *c->log, a, &z);
	bool may = c->may[a - AUTHZ_LOG_FIRST];
	const char *state = may ? c->state : NULL;
	if (rc == 0 && z.allow == may && (!c->person || z.may[a] == may) && z.role == c->role &&
	    (state ? z.state && strcmp(z.state, state) == 0 : z.state == NULL))
		return 0;
	print_error("%s / %s: expected %s as %s, got rc %d, %s as %s (state %s)\n", c->who,
		    action_names[a - AUTHZ_LOG_FIRST], may ? "allow" : "deny", authz_role_name(c->role), rc,
		    z.allow ? "allow" : "deny", authz_role_name(z.role), z.state ? z.state : "NULL");
	return 1;
}

static void every_role_against_every_action(void **state)
{
	(void)state;
	db_request_begin();
	int failed = 0, cells = 0;
	for (size_t i = 0; i < sizeof matrix / sizeof matrix[0]; i++) {
		for (int a = AUTHZ_LOG_FIRST; a <= AUTHZ_LOG_LAST; a++) {
			failed += check_cell(&matrix[i], (enum authz_action)a);
			cells++;
		}
	}
	assert_int_equal(cells, 48 * LOG_ACTIONS);
	assert_int_equal(failed, 0);
	db_request_end();
	arena_reset();
}

static bool same_decision(const struct authz *a, const struct authz *b)
{
	return a->allow == b->allow && a->role == b->role &&
		(a->state ? b->state && strcmp(a->state, b->state) == 0 : !b->state) &&
		memcmp(a->may, b->may, sizeof a->may) == 0;
}

/* A list page asks for the person's related logs at once: every entry decides
 * exactly as authz_check does for that log, for every action, and every log
 * of the fixture that authz_check lets the person read is on the list. */
static void the_related_list_decides_as_one_at_a_time(void **state)
{
	(void)state;
	db_request_begin();
	const int64_t *logs[] = { &fx.log,
				  &fx.other_log,
				  &fx.young_log,
				  &fx.youth_log,
				  &fx.closed_log,
				  &fx.withdrawn_log,
				  &fx.expired_log,
				  &fx.today_log,
				  &fx.nordheim_log,
				  &fx.draft_log,
				  &fx.nordheim_youth_log,
				  &fx.locked_log,
				  &fx.foreign_draft_log,
				  &fx.lapsed_log,
				  &fx.incomplete_log,
				  &fx.offer_log };
	int failed = 0, listed = 0;
	for (size_t i = 0; i < sizeof matrix / sizeof matrix[0]; i++) {
		const struct case_row *c = &matrix[i];
		if (!c->person)
			continue;
		struct session s = { .municipality_id = *c->muni, .person_id = *c->person };
		struct authz_entry *rel;
		int n = authz_related(&s, AUTHZ_READ, 500, &rel);
		assert_true(n >= 0);
		for (int k = 0; k < n; k++) {
			struct authz one;
			assert_int_equal(authz_check(&s, rel[k].log_id, AUTHZ_READ, &one), 0);
			if (!same_decision(&one, &rel[k].az)) {
				print_error("%s, log %lld: the list and one at a time differ\n", c->who,
					    (long long)rel[k].log_id);
				failed++;
			}
			listed += rel[k].az.allow;
		}
		for (size_t l = 0; l < sizeof logs / sizeof logs[0]; l++) {
			struct authz one;
			assert_int_equal(authz_check(&s, *logs[l], AUTHZ_READ, &one), 0);
			bool found = false;
			for (int k = 0; k < n; k++)
				found = found || rel[k].log_id == *logs[l];
			if (one.allow && !found) {
				print_error("%s: log %zu is readable but not on the list\n", c->who, l);
				failed++;
			}
		}
	}
	assert_int_equal(failed, 0);
	assert_true(listed > 10); /* the comparison compared something */
	db_request_end();
	arena_reset();
}

/* People with more than one relation: the strongest that permits decides. */
static void the_decision_over_combined_relations(void **state)
{
	(void)state;
	struct authz_facts f = { .found = true, .actor = true, .leader = true };
	struct authz z = authz_decide(&f, AUTHZ_FLOW);
	assert_true(z.allow);
	assert_int_equal(z.role, AUTHZ_LEADER);
	z = authz_decide(&f, AUTHZ_READ);
	assert_true(z.allow);
	assert_int_equal(z.role, AUTHZ_ACTOR);
	z = authz_decide(&f, AUTHZ_WRITE);
	assert_false(z.allow);
	assert_int_equal(z.role, AUTHZ_ACTOR);
	/* A holder who is also a guardian gives no consent on the log they
	 * hold, and records none on paper, but withdraws their own. */
	f = (struct authz_facts){ .found = true, .holder = true, .guardian = true };
	z = authz_decide(&f, AUTHZ_CONSENT);
	assert_false(z.allow);
	assert_int_equal(z.role, AUTHZ_HOLDER);
	assert_false(authz_decide(&f, AUTHZ_RECORD).allow);
	assert_true(authz_decide(&f, AUTHZ_MANAGE).allow);
	z = authz_decide(&f, AUTHZ_WITHDRAW);
	assert_true(z.allow);
	assert_int_equal(z.role, AUTHZ_GUARDIAN);
	z = authz_decide(&f, AUTHZ_WRITE);
	assert_int_equal(z.role, AUTHZ_HOLDER);
	/* A consent form: the holder's, and the guardian's whose consent it is. */
	f = (struct authz_facts){ .found = true, .guardian = true };
	assert_false(authz_decide(&f, AUTHZ_DOCUMENT).allow);
	f.signer = true;
	z = authz_decide(&f, AUTHZ_DOCUMENT);
	assert_true(z.allow);
	assert_int_equal(z.role, AUTHZ_GUARDIAN);
	/* Every relation at once: a closed log still only shows (its history too). */
	f = (struct authz_facts){ .found = true,
				  .closed = true,
				  .holder = true,
				  .guardian = true,
				  .youth = true,
				  .actor = true,
				  .leader = true,
				  .admin = true };
	for (int a = AUTHZ_LOG_FIRST; a <= AUTHZ_LOG_LAST; a++) {
		bool looking = a == AUTHZ_READ || a == AUTHZ_READERS || a == AUTHZ_FLOW ||
			a == AUTHZ_HISTORY || a == AUTHZ_PDF || a == AUTHZ_EXPORT || a == AUTHZ_STATE;
		/* and a consent may always be withdrawn (DOMAIN.md §3, §4); the
		 * holder asks to reopen it, and answers nothing of their own ask */
		assert_int_equal(authz_decide(&f, (enum authz_action)a).allow,
				 looking || a == AUTHZ_WITHDRAW || a == AUTHZ_REOPEN);
	}
	/* Reopening (DOMAIN.md §3): the holder of a closed log asks, a guardian
	 * or the young person who does not hold it answers; a log that is not
	 * closed (a form gone stale) is a 409; an actor sees nothing of a
	 * closed log until it is reopened. */
	{
		struct authz_facts r = { .found = true, .closed = true, .guardian = true };
		z = authz_decide(&r, AUTHZ_REOPEN_ANSWER);
		assert_true(z.allow);
		assert_int_equal(z.role, AUTHZ_GUARDIAN);
		assert_false(authz_decide(&r, AUTHZ_REOPEN).allow);
		assert_true(authz_decide(&r, AUTHZ_STATE).allow);
		r.closed = false;
		z = authz_decide(&r, AUTHZ_REOPEN_ANSWER);
		assert_int_equal(z.status, 409);
		assert_string_equal(z.detail, "not closed");
		r = (struct authz_facts){ .found = true, .holder = true };
		z = authz_decide(&r, AUTHZ_REOPEN);
		assert_false(z.allow);
		assert_int_equal(z.status, 409);
		assert_string_equal(z.detail, "not closed");
		r = (struct authz_facts){ .found = true, .closed = true, .actor = true, .leader = true };
		for (int a = AUTHZ_LOG_FIRST; a <= AUTHZ_LOG_LAST; a++)
			assert_int_equal(authz_decide(&r, (enum authz_action)a).allow, a == AUTHZ_FLOW);
		r = (struct authz_facts){ .found = true, .closed = true, .withdrawn = true, .youth = true };
		assert_false(authz_decide(&r, AUTHZ_REOPEN_ANSWER).allow);
		assert_false(authz_decide(&r, AUTHZ_STATE).allow);
	}
	/* Its holder is told why the state stays: refused (409), not denied. */
	z = authz_decide(&f, AUTHZ_TRANSITION);
	assert_false(z.allow);
	assert_int_equal(z.status, 409);
	assert_string_equal(z.detail, "closed");
	assert_int_equal(z.role, AUTHZ_HOLDER);
	f.holder = false;
	assert_int_equal(authz_decide(&f, AUTHZ_TRANSITION).status, 403);
	f.holder = true;
	/* Consent withdrawn: the holder reads, manages and sees the history of
	 * it; the guardians and the young person still see who has read it;
	 * nobody anything else, whatever else they are. */
	f.closed = false;
	f.withdrawn = true;
	for (int a = AUTHZ_LOG_FIRST; a <= AUTHZ_LOG_LAST; a++) {
		z = authz_decide(&f, (enum authz_action)a);
		bool manage =
			a == AUTHZ_MANAGE || a == AUTHZ_STATE || a == AUTHZ_TRANSITION || a == AUTHZ_DOCUMENT;
		assert_int_equal(z.allow,
				 a == AUTHZ_READ || manage || a == AUTHZ_HISTORY || a == AUTHZ_READERS ||
					 a == AUTHZ_PDF || a == AUTHZ_EXPORT);
		assert_int_equal(z.role, AUTHZ_HOLDER);
	}
	f.holder = false;
	for (int a = AUTHZ_LOG_FIRST; a <= AUTHZ_LOG_LAST; a++) {
		z = authz_decide(&f, (enum authz_action)a);
		assert_int_equal(z.allow, a == AUTHZ_READERS);
		if (z.allow)
			assert_int_equal(z.role, AUTHZ_GUARDIAN);
	}
	/* Lapsed consent: no writing and no entries, but consent, management
	 * and reading stay; a draft hides the log from actors only. */
	f = (struct authz_facts){
		.found = true, .lapsed = true, .holder = true, .guardian = true, .actor = true
	};
	assert_false(authz_decide(&f, AUTHZ_WRITE).allow);
	assert_false(authz_decide(&f, AUTHZ_ENTRY).allow);
	assert_true(authz_decide(&f, AUTHZ_MANAGE).allow);
	/* A holder who is also a guardian does not consent on the log they
	 * hold; a guardian who does not hold it renews. */
	assert_false(authz_decide(&f, AUTHZ_CONSENT).allow);
	f.holder = false;
	z = authz_decide(&f, AUTHZ_CONSENT);
	assert_true(z.allow);
	assert_int_equal(z.role, AUTHZ_GUARDIAN);
	f = (struct authz_facts){ .found = true, .draft = true, .actor = true };
	z = authz_decide(&f, AUTHZ_READ);
	assert_false(z.allow);
	assert_int_equal(z.role, AUTHZ_ACTOR);
	/* Offered the log: only the offer, before accepting; an actor offered
	 * it reads as an actor and answers as offered-to; nothing on a closed
	 * or withdrawn log. Handing over is the holder's, not of a draft. */
	f = (struct authz_facts){ .found = true, .offered = true };
	assert_false(authz_decide(&f, AUTHZ_READ).allow);
	assert_int_equal(authz_decide(&f, AUTHZ_READ).role, AUTHZ_OFFERED);
	z = authz_decide(&f, AUTHZ_OFFER);
	assert_true(z.allow);
	assert_int_equal(z.role, AUTHZ_OFFERED);
	f.actor = true;
	z = authz_decide(&f, AUTHZ_READ);
	assert_true(z.allow);
	assert_int_equal(z.role, AUTHZ_ACTOR);
	assert_true(authz_decide(&f, AUTHZ_OFFER).allow);
	assert_false(authz_decide(&f, AUTHZ_HANDOVER).allow);
	f.closed = true;
	assert_false(authz_decide(&f, AUTHZ_OFFER).allow);
	f = (struct authz_facts){ .found = true, .offered = true, .withdrawn = true };
	assert_false(authz_decide(&f, AUTHZ_OFFER).allow);
	f = (struct authz_facts){ .found = true, .holder = true, .draft = true };
	assert_true(authz_decide(&f, AUTHZ_MANAGE).allow);
	assert_false(authz_decide(&f, AUTHZ_HANDOVER).allow);
	f.draft = false;
	assert_true(authz_decide(&f, AUTHZ_HANDOVER).allow);
	assert_false(authz_decide(&f, AUTHZ_OFFER).allow);
	/* Not found, or an action out of range: nothing, whatever else is set. */
	f.found = false;
	z = authz_decide(&f, AUTHZ_READ);
	assert_false(z.allow);
	assert_int_equal(z.role, AUTHZ_NONE);
	f = (struct authz_facts){ .found = true, .holder = true };
	assert_false(authz_decide(&f, AUTHZ_NACTIONS).allow);
	assert_false(authz_decide(&f, (enum authz_action) - 1).allow);
	assert_false(authz_decide(&f, AUTHZ_UNIT_FLOW).allow); /* not an action on a log */
	/* Evaluating: the holder any measure; an actor (or a guardian who adds
	 * entries) only the one they are responsible for, told so if not. */
	assert_true(authz_decide(&f, AUTHZ_EVALUATE).allow);
	f = (struct authz_facts){ .found = true, .actor = true };
	z = authz_decide(&f, AUTHZ_EVALUATE);
	assert_false(z.allow);
	assert_int_equal(z.role, AUTHZ_ACTOR);
	assert_string_equal(z.detail, "not responsible");
	f.responsible = true;
	z = authz_decide(&f, AUTHZ_EVALUATE);
	assert_true(z.allow);
	assert_int_equal(z.role, AUTHZ_ACTOR);
	f.lapsed = true; /* no entries on a lapsed log, evaluations neither */
	assert_false(authz_decide(&f, AUTHZ_EVALUATE).allow);
	f = (struct authz_facts){ .found = true, .leader = true, .responsible = true };
	z = authz_decide(&f, AUTHZ_EVALUATE);
	assert_false(z.allow);
	assert_null(z.detail);
	/* The same rule for one measure on a page already decided. */
	struct authz page = { .may = { [AUTHZ_ENTRY] = true } };
	assert_false(authz_may_evaluate(&page, false));
	assert_true(authz_may_evaluate(&page, true));
	page.may[AUTHZ_ENTRY] = false;
	assert_false(authz_may_evaluate(&page, true));
	page.may[AUTHZ_WRITE] = true;
	assert_true(authz_may_evaluate(&page, false));
	assert_string_equal(authz_role_name(AUTHZ_YOUTH), "youth");
	assert_string_equal(authz_role_name(AUTHZ_NONE), "none");
}

struct audit_row {
	int64_t id;
	int64_t municipality_id;
	int64_t person_id;
	int64_t log_id;
	char *role;
	char *action;
	char *outcome;
};
static const struct db_col audit_cols[] = {
	DB_COL(struct audit_row, id, DB_I64),	     DB_COL(struct audit_row, municipality_id, DB_I64),
	DB_COL(struct audit_row, person_id, DB_I64), DB_COL(struct audit_row, log_id, DB_I64),
	DB_COL(struct audit_row, role, DB_STR),	     DB_COL(struct audit_row, action, DB_STR),
	DB_COL(struct audit_row, outcome, DB_STR),
};
static const struct db_map audit_map = DB_MAP(struct audit_row, audit_cols);

static int64_t audit_count(void)
{
	struct id_row r;
	assert_int_equal(db_select_one(&id_map, &r, "SELECT COUNT(*) FROM audit_log", NULL), 1);
	return r.id;
}

static struct audit_row last_audit(void)
{
	struct audit_row a;
	assert_int_equal(db_select_one(&audit_map, &a,
				       "SELECT id, municipality_id, person_id, log_id, role, action, outcome"
				       " FROM audit_log ORDER BY id DESC LIMIT 1",
				       NULL),
			 1);
	return a;
}

/* authz_require on one log or unit, and the row of what it allowed, as the
 * request lifecycle calls them (app.c). */
static int require(const struct session *s, int64_t id, enum authz_action a, const char *what,
		   struct authz *z)
{
	int rc = authz_require(s, a, (const int64_t[]){ id, 0 }, what, z);
	if (rc == 0)
		assert_int_equal(authz_record(s, z, true), 0);
	return rc;
}

static void expect_last(int64_t person, const char *role, const char *outcome)
{
	struct audit_row a = last_audit();
	assert_int_equal(a.municipality_id, fx.fjordvik);
	assert_int_equal(a.person_id, person);
	assert_int_equal(a.log_id, fx.log);
	assert_string_equal(a.role, role);
	assert_string_equal(a.action, "log.read");
	assert_string_equal(a.outcome, outcome);
}

static void allowed_reads_are_audited_in_the_callers_transaction(void **state)
{
	(void)state;
	db_request_begin();
	struct session s = { .municipality_id = fx.fjordvik, .person_id = fx.holder };
	struct req r = { .session = &s };
	struct authz z;
	int64_t before = audit_count();
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(require(r.session, fx.log, AUTHZ_READ, "log.read", &z), 0);
	assert_true(z.allow);
	assert_true(db_in_transaction());
	assert_int_equal(db_commit(), DB_OK);
	assert_int_equal(audit_count(), before + 1);
	expect_last(fx.holder, "holder", "allow");

	/* The row stays when the request fails after the page was shown:
	 * every access is recorded, whatever came of it. */
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(require(r.session, fx.log, AUTHZ_READ, "log.read", &z), 0);
	db_rollback();
	assert_int_equal(audit_count(), before + 1);
	assert_int_equal(audit_rolled_back(), DB_OK);
	assert_int_equal(audit_count(), before + 2);

	/* Called without a transaction, it opens one for the caller to commit. */
	assert_int_equal(require(r.session, fx.log, AUTHZ_READ, "log.read", &z), 0);
	assert_true(db_in_transaction());
	assert_int_equal(db_commit(), DB_OK);
	assert_int_equal(audit_count(), before + 3);
	db_request_end();
	arena_reset();
}

static void denials_are_audited_although_the_request_is_rolled_back(void **state)
{
	(void)state;
	db_request_begin();
	struct session s = { .municipality_id = fx.fjordvik, .person_id = fx.other_guardian };
	struct req r = { .session = &s };
	struct authz z;
	int64_t before = audit_count();
	const char *unit = arena_printf("authz rolled back %s", tag);
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(db_exec("INSERT INTO unit (municipality_id, kind, name) VALUES (?, 'other', ?)",
				 "is", (long long)fx.fjordvik, unit),
			 1);
	assert_int_equal(require(r.session, fx.log, AUTHZ_READ, "log.read", &z), 403);
	assert_false(z.allow);
	assert_false(db_in_transaction());
	assert_int_equal(audit_count(), before + 1);
	expect_last(fx.other_guardian, "none", "deny");
	struct id_row u;
	assert_int_equal(db_select_one(&id_map, &u, "SELECT id FROM unit WHERE name = ?", "s", unit), 0);

	/* Anonymous, and a log that does not exist: refused and recorded alike. */
	r.session = NULL;
	assert_int_equal(require(r.session, fx.log, AUTHZ_READ, "log.read", &z), 403);
	struct audit_row a = last_audit();
	assert_int_equal(a.person_id, 0);
	assert_int_equal(a.municipality_id, 0);
	assert_string_equal(a.role, "anonymous");
	assert_string_equal(a.outcome, "deny");
	r.session = &s;
	s.person_id = fx.holder;
	assert_int_equal(require(r.session, fx.missing_log, AUTHZ_READ, "log.read", &z), 403);
	a = last_audit();
	assert_int_equal(a.log_id, fx.missing_log);
	assert_string_equal(a.role, "none");
	assert_int_equal(audit_count(), before + 3);

	int64_t rows, bad;
	assert_int_equal(audit_verify(&rows, &bad), 0);
	assert_int_equal(rows, audit_count());
	db_request_end();
	arena_reset();
}

/* SECURITY.md 27: when the database fails, the answer is never an allow. */
static void a_database_failure_is_never_an_allow(void **state)
{
	(void)state;
	db_request_begin();
	struct id_row c;
	assert_int_equal(db_select_one(&id_map, &c, "SELECT CONNECTION_ID()", NULL), 1);
	struct session s = { .municipality_id = fx.fjordvik, .person_id = fx.holder };
	struct req r = { .session = &s };
	struct authz z;
	assert_int_equal(db_begin(), DB_OK);
	assert_true(db_exec("KILL CONNECTION ?", "i", (long long)c.id) < 0);
	assert_true(require(r.session, fx.log, AUTHZ_READ, "log.read", &z) < 0);
	assert_false(z.allow);
	assert_true(authz_check(&s, fx.log, AUTHZ_READ, &z) < 0);
	assert_false(z.allow);
	db_request_end();
	db_request_begin();
	assert_int_equal(authz_check(&s, fx.log, AUTHZ_READ, &z), 0);
	assert_true(z.allow);
	db_request_end();
	arena_reset();
}

static void only_cleared_staff_create_logs(void **state)
{
	(void)state;
	db_request_begin();
	struct session s = { .municipality_id = fx.fjordvik, .person_id = fx.holder };
	assert_int_equal(authz_can_create_log(&s, fx.unit), 1);
	assert_int_equal(authz_can_create_log(&s, fx.covered_unit), 0); /* not their unit */
	assert_int_equal(authz_can_create_log(NULL, fx.unit), 0);
	s.person_id = fx.uncleared;
	assert_int_equal(authz_can_create_log(&s, fx.unit), 0);
	s.person_id = fx.leader; /* a leader role alone: no */
	assert_int_equal(authz_can_create_log(&s, fx.unit), 0);
	s.person_id = fx.admin;
	assert_int_equal(authz_can_create_log(&s, fx.unit), 0);
	/* Cleared in nordheim, asking with a fjordvik session or for a fjordvik unit. */
	s.person_id = fx.stranger;
	assert_int_equal(authz_can_create_log(&s, fx.nordheim_unit), 0);
	s.municipality_id = fx.nordheim;
	assert_int_equal(authz_can_create_log(&s, fx.nordheim_unit), 1);
	assert_int_equal(authz_can_create_log(&s, fx.unit), 0);
	/* A unit that has closed takes no new logs. */
	s = (struct session){ .municipality_id = fx.fjordvik, .person_id = fx.actor };
	assert_int_equal(authz_can_create_log(&s, fx.covered_unit), 1);
	assert_int_equal(
		db_exec("UPDATE unit SET active = FALSE WHERE id = ?", "i", (long long)fx.covered_unit), 1);
	assert_int_equal(authz_can_create_log(&s, fx.covered_unit), 0);
	assert_int_equal(
		db_exec("UPDATE unit SET active = TRUE WHERE id = ?", "i", (long long)fx.covered_unit), 1);
	db_request_end();
	arena_reset();
}

#define UNIT_ACTIONS (AUTHZ_MUNI_ADMIN - AUTHZ_UNIT_FLOW + 1)

/* clang-format off */
/* Who asks about which unit; the relation expected for the unit's actions and
 * for the municipality's (asked with unit id 0); one cell per action in the
 * order of enum authz_action from AUTHZ_UNIT_FLOW. */
static const struct unit_case_row {
	const char *who;
	const int64_t *muni, *person, *unit;
	enum authz_role role, muni_role;
	bool may[UNIT_ACTIONS];
} unit_matrix[] = {
	/*                                                                                                              FLOW STAFF ADMIN */
	{ "leader of the unit", &fx.fjordvik, &fx.leader, &fx.unit, AUTHZ_LEADER, AUTHZ_NONE, { Y, Y, N } },
	{ "leader of another unit", &fx.fjordvik, &fx.other_leader, &fx.unit, AUTHZ_NONE, AUTHZ_NONE, { N, N, N } },
	{ "cleared staff of the unit", &fx.fjordvik, &fx.holder, &fx.unit, AUTHZ_NONE, AUTHZ_NONE, { N, N, N } },
	{ "staff of the unit, not cleared", &fx.fjordvik, &fx.uncleared, &fx.unit, AUTHZ_NONE, AUTHZ_NONE, { N, N, N } },
	{ "guardian", &fx.fjordvik, &fx.guardian, &fx.unit, AUTHZ_NONE, AUTHZ_NONE, { N, N, N } },
	{ "administrator", &fx.fjordvik, &fx.admin, &fx.unit, AUTHZ_ADMIN, AUTHZ_ADMIN, { N, N, Y } },
	{ "leader and administrator, own unit", &fx.fjordvik, &fx.leader_admin, &fx.covered_unit, AUTHZ_LEADER, AUTHZ_ADMIN, { Y, Y, Y } },
	{ "leader and administrator, another unit", &fx.fjordvik, &fx.leader_admin, &fx.unit, AUTHZ_ADMIN, AUTHZ_ADMIN, { N, N, Y } },
	{ "leader of a closed unit", &fx.fjordvik, &fx.closed_leader, &fx.closed_unit, AUTHZ_LEADER, AUTHZ_NONE, { Y, N, N } },
	{ "leader, a unit that does not exist", &fx.fjordvik, &fx.leader, &fx.missing_unit, AUTHZ_NONE, AUTHZ_NONE, { N, N, N } },
	{ "leader, a unit of another municipality", &fx.fjordvik, &fx.leader, &fx.nordheim_unit, AUTHZ_NONE, AUTHZ_NONE, { N, N, N } },
	{ "nordheim's leader, own unit", &fx.nordheim, &fx.nordheim_leader, &fx.nordheim_unit, AUTHZ_LEADER, AUTHZ_NONE, { Y, Y, N } },
	{ "nordheim's leader, fjordvik session", &fx.fjordvik, &fx.nordheim_leader, &fx.nordheim_unit, AUTHZ_NONE, AUTHZ_NONE, { N, N, N } },
	{ "nordheim's administrator, fjordvik session", &fx.fjordvik, &fx.stranger, &fx.unit, AUTHZ_NONE, AUTHZ_NONE, { N, N, N } },
	{ "nordheim's administrator, a fjordvik unit", &fx.nordheim, &fx.stranger, &fx.unit, AUTHZ_NONE, AUTHZ_ADMIN, { N, N, Y } },
	{ "anonymous", &fx.fjordvik, NULL, &fx.unit, AUTHZ_NONE, AUTHZ_NONE, { N, N, N } },
};
/* clang-format on */

static const char *unit_action_names[UNIT_ACTIONS] = { "FLOW", "STAFF", "ADMIN" };

static int check_unit_cell(const struct unit_case_row *c, enum authz_action a)
{
	struct session s = { .municipality_id = *c->muni, .person_id = c->person ? *c->person : 0 };
	int64_t unit = a == AUTHZ_MUNI_ADMIN ? 0 : *c->unit;
	enum authz_role role = a == AUTHZ_MUNI_ADMIN ? c->muni_role : c->role;
	bool may = c->may[a - AUTHZ_UNIT_FLOW];
	struct authz z;
	int rc = authz_unit_check(c->person ? &s : NULL, unit, a, &z);
	if (rc == 0 && z.allow == may && (!c->person || z.may[a] == may) && z.role == role && z.state == NULL)
		return 0;
	print_error("%s / %s: expected %s as %s, got rc %d, %s as %s\n", c->who,
		    unit_action_names[a - AUTHZ_UNIT_FLOW], may ? "allow" : "deny", authz_role_name(role), rc,
		    z.allow ? "allow" : "deny", authz_role_name(z.role));
	return 1;
}

static void every_role_against_every_unit_action(void **state)
{
	(void)state;
	db_request_begin();
	int failed = 0, cells = 0;
	for (size_t i = 0; i < sizeof unit_matrix / sizeof unit_matrix[0]; i++) {
		for (int a = AUTHZ_UNIT_FLOW; a <= AUTHZ_MUNI_ADMIN; a++) {
			failed += check_unit_cell(&unit_matrix[i], (enum authz_action)a);
			cells++;
		}
	}
	assert_int_equal(cells, 16 * 3);
	assert_int_equal(failed, 0);

	/* The municipality is asked with unit id 0, a unit with its id: any
	 * other combination is a request we never make, and is refused. */
	struct session s = { .municipality_id = fx.fjordvik, .person_id = fx.leader_admin };
	struct authz z;
	assert_int_equal(authz_unit_check(&s, fx.covered_unit, AUTHZ_MUNI_ADMIN, &z), 0);
	assert_false(z.allow);
	assert_int_equal(authz_unit_check(&s, 0, AUTHZ_UNIT_FLOW, &z), 0);
	assert_false(z.allow);
	assert_int_equal(authz_unit_check(&s, -fx.covered_unit, AUTHZ_UNIT_FLOW, &z), 0);
	assert_false(z.allow);
	assert_int_equal(authz_unit_check(&s, fx.covered_unit, AUTHZ_READ, &z), 0); /* a log's action */
	assert_false(z.allow);
	assert_int_equal(authz_unit_check(&s, fx.covered_unit, AUTHZ_UNIT_STAFF, &z), 0);
	assert_true(z.allow);
	db_request_end();
	arena_reset();
}

static void the_unit_decision_as_a_pure_function(void **state)
{
	(void)state;
	/* Found but inactive: the leader still sees the flow, changes no staff. */
	struct authz_unit_facts f = { .found = true, .active = false, .leader = true };
	assert_true(authz_unit_decide(&f, AUTHZ_UNIT_FLOW).allow);
	struct authz z = authz_unit_decide(&f, AUTHZ_UNIT_STAFF);
	assert_false(z.allow);
	assert_int_equal(z.role, AUTHZ_LEADER);
	/* Not found: nothing, whatever else is set. */
	f = (struct authz_unit_facts){ .found = false, .active = true, .leader = true, .admin = true };
	for (int a = AUTHZ_UNIT_FLOW; a <= AUTHZ_MUNI_ADMIN; a++) {
		z = authz_unit_decide(&f, (enum authz_action)a);
		assert_false(z.allow);
		assert_int_equal(z.role, AUTHZ_NONE);
	}
	f.found = true;
	assert_false(authz_unit_decide(&f, AUTHZ_NACTIONS).allow);
	assert_false(authz_unit_decide(&f, AUTHZ_READ).allow);
	assert_false(authz_unit_decide(&f, (enum authz_action) - 1).allow);
	/* The administrator alone: the municipality only. */
	f = (struct authz_unit_facts){ .found = true, .active = true, .admin = true };
	assert_false(authz_unit_decide(&f, AUTHZ_UNIT_FLOW).allow);
	assert_false(authz_unit_decide(&f, AUTHZ_UNIT_STAFF).allow);
	z = authz_unit_decide(&f, AUTHZ_MUNI_ADMIN);
	assert_true(z.allow);
	assert_int_equal(z.role, AUTHZ_ADMIN);
}

struct unit_audit_row {
	int64_t municipality_id;
	int64_t person_id;
	int64_t log_id;
	char *role;
	char *action;
	char *outcome;
	char *detail;
};
static const struct db_col unit_audit_cols[] = {
	DB_COL(struct unit_audit_row, municipality_id, DB_I64),
	DB_COL(struct unit_audit_row, person_id, DB_I64),
	DB_COL(struct unit_audit_row, log_id, DB_I64),
	DB_COL(struct unit_audit_row, role, DB_STR),
	DB_COL(struct unit_audit_row, action, DB_STR),
	DB_COL(struct unit_audit_row, outcome, DB_STR),
	DB_COL(struct unit_audit_row, detail, DB_STR),
};
static const struct db_map unit_audit_map = DB_MAP(struct unit_audit_row, unit_audit_cols);

static struct unit_audit_row last_unit_audit(void)
{
	struct unit_audit_row a;
	assert_int_equal(
		db_select_one(&unit_audit_map, &a,
			      "SELECT municipality_id, person_id, log_id, role, action, outcome, detail"
			      " FROM audit_log ORDER BY id DESC LIMIT 1",
			      NULL),
		1);
	return a;
}

static void unit_decisions_are_audited_like_log_decisions(void **state)
{
	(void)state;
	db_request_begin();
	struct session s = { .municipality_id = fx.fjordvik, .person_id = fx.leader };
	struct req r = { .session = &s };
	struct authz z;
	int64_t before = audit_count();
	const char *unit_detail = arena_printf("unit %lld", (long long)fx.unit);

	/* Allowed: the row is written in the caller's transaction, and stays
	 * if the caller's work is undone. */
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(require(r.session, fx.unit, AUTHZ_UNIT_STAFF, "unit.staff.clear", &z), 0);
	assert_true(z.allow);
	assert_true(db_in_transaction());
	db_rollback();
	assert_int_equal(audit_count(), before);
	assert_int_equal(audit_rolled_back(), DB_OK);
	assert_int_equal(audit_count(), before + 1);
	before++;
	assert_int_equal(require(r.session, fx.unit, AUTHZ_UNIT_FLOW, "unit.read", &z), 0);
	assert_true(db_in_transaction());
	assert_int_equal(db_commit(), DB_OK);
	assert_int_equal(audit_count(), before + 1);
	struct unit_audit_row a = last_unit_audit();
	assert_int_equal(a.municipality_id, fx.fjordvik);
	assert_int_equal(a.person_id, fx.leader);
	assert_int_equal(a.log_id, 0);
	assert_string_equal(a.role, "leader");
	assert_string_equal(a.action, "unit.read");
	assert_string_equal(a.outcome, "allow");
	assert_string_equal(a.detail, unit_detail);

	/* Denied: the handler's work undone, the attempt kept on its own. */
	s.person_id = fx.other_leader;
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(db_exec("INSERT INTO unit (municipality_id, kind, name) VALUES (?, 'other', ?)",
				 "is", (long long)fx.fjordvik, arena_printf("unit rolled back %s", tag)),
			 1);
	assert_int_equal(require(r.session, fx.unit, AUTHZ_UNIT_STAFF, "unit.staff.register", &z), 403);
	assert_false(db_in_transaction());
	assert_int_equal(audit_count(), before + 2);
	a = last_unit_audit();
	assert_string_equal(a.role, "none");
	assert_string_equal(a.action, "unit.staff.register");
	assert_string_equal(a.outcome, "deny");
	assert_string_equal(a.detail, unit_detail);
	struct id_row u;
	assert_int_equal(db_select_one(&id_map, &u, "SELECT id FROM unit WHERE name = ?", "s",
				       arena_printf("unit rolled back %s", tag)),
			 0);

	/* A unit of another municipality and a missing one: the same refusal. */
	s.person_id = fx.leader;
	assert_int_equal(require(r.session, fx.nordheim_unit, AUTHZ_UNIT_FLOW, "unit.read", &z), 403);
	assert_string_equal(last_unit_audit().role, "none");
	assert_int_equal(require(r.session, fx.missing_unit, AUTHZ_UNIT_FLOW, "unit.read", &z), 403);
	assert_string_equal(last_unit_audit().role, "none");
	/* The administrator's page: no unit, so no detail. */
	s.person_id = fx.admin;
	assert_int_equal(require(r.session, 0, AUTHZ_MUNI_ADMIN, "admin.read", &z), 0);
	assert_int_equal(db_commit(), DB_OK);
	a = last_unit_audit();
	assert_string_equal(a.role, "admin");
	assert_null(a.detail);
	r.session = NULL;
	assert_int_equal(require(r.session, 0, AUTHZ_MUNI_ADMIN, "admin.read", &z), 403);
	a = last_unit_audit();
	assert_string_equal(a.role, "anonymous");
	assert_int_equal(a.person_id, 0);
	assert_int_equal(audit_count(), before + 6);

	int64_t rows, bad;
	assert_int_equal(audit_verify(&rows, &bad), 0);
	db_request_end();
	arena_reset();
}

struct role_row {
	int64_t id;
	int version;
};
static const struct db_col role_cols[] = {
	DB_COL(struct role_row, id, DB_I64),
	DB_COL(struct role_row, version, DB_INT),
};
static const struct db_map role_map = DB_MAP(struct role_row, role_cols);

/* The leader's clearance is what authz_can_create_log reads, and a stale
 * version changes nothing. */
static void clearing_lets_staff_create_logs(void **state)
{
	(void)state;
	db_request_begin();
	struct role_row role;
	assert_int_equal(
		db_select_one(&role_map, &role,
			      "SELECT id, version FROM staff_role WHERE person_id = ? AND unit_id = ?"
			      " AND role = 'staff'",
			      "ii", (long long)fx.uncleared, (long long)fx.unit),
		1);
	struct session s = { .municipality_id = fx.fjordvik, .person_id = fx.uncleared };
	enum staff_outcome o;
	assert_int_equal(authz_can_create_log(&s, fx.unit), 0);
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(staff_set_cleared(fx.fjordvik, fx.unit, role.id, role.version, true, fx.leader, &o),
			 0);
	assert_int_equal(o, STAFF_DONE);
	assert_int_equal(db_commit(), DB_OK);
	assert_int_equal(authz_can_create_log(&s, fx.unit), 1);
	/* The version the leader saw is gone now. */
	assert_int_equal(staff_set_cleared(fx.fjordvik, fx.unit, role.id, role.version, false, fx.leader, &o),
			 0);
	assert_int_equal(o, STAFF_STALE);
	assert_int_equal(authz_can_create_log(&s, fx.unit), 1);
	/* Not a staff role of that unit, or of that municipality: not found. */
	assert_int_equal(staff_set_cleared(fx.fjordvik, fx.covered_unit, role.id, role.version + 1, false,
					   fx.leader, &o),
			 0);
	assert_int_equal(o, STAFF_NO_ROLE);
	assert_int_equal(
		staff_set_cleared(fx.nordheim, fx.unit, role.id, role.version + 1, false, fx.leader, &o), 0);
	assert_int_equal(o, STAFF_NO_ROLE);
	/* Withdrawn with the current version: no new logs again. */
	assert_int_equal(
		staff_set_cleared(fx.fjordvik, fx.unit, role.id, role.version + 1, false, fx.leader, &o), 0);
	assert_int_equal(o, STAFF_DONE);
	assert_int_equal(authz_can_create_log(&s, fx.unit), 0);
	db_request_end();
	arena_reset();
}

/* A leader or an administrator whom someone else's action relates to a
 * log or a unit: made responsible for a measure (refused: they never become
 * actors, so they never read contents), made a guardian (they read as a
 * guardian, as any parent), made staff and cleared by a leader (they may
 * create logs then, like any cleared staff member); and nobody clears
 * themself (DOMAIN.md §2, SECURITY.md 29). */
static void leaders_and_administrators_given_other_relations(void **state)
{
	(void)state;
	db_request_begin();
	int64_t f = fx.fjordvik;
	struct session holder = { .municipality_id = f, .person_id = fx.holder };
	int64_t log = add_log(f, add_person(f, "Child11", "2016-03-03"), fx.holder, fx.unit, "active");
	add_consent(f, log, fx.covered_unit, 365, false);
	struct id_row c;
	assert_int_equal(
		db_exec("INSERT INTO concern (municipality_id, log_id, title, created_by) VALUES (?, ?,"
			" 'Leaders', ?)",
			"iii", (long long)f, (long long)log, (long long)fx.holder),
		1);
	c.id = db_last_id();
	int64_t goal = 0, measure = 0;
	enum measure_outcome o;
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(measure_add_goal(&holder, log, c.id, "goal", &goal, &o), 0);
	assert_int_equal(o, MEASURE_DONE);
	/* The leader of another unit, a leader of the log's own unit, the
	 * administrator: none of them becomes responsible or an actor. */
	const int64_t *whom[][2] = { { &fx.other_leader, &fx.covered_unit },
				     { &fx.leader, &fx.unit },
				     { &fx.admin, &fx.covered_unit },
				     { &fx.leader_admin, &fx.covered_unit } };
	for (size_t i = 0; i < sizeof whom / sizeof whom[0]; i++) {
		struct measure_input in = { .description = "x",
					    .responsible_person_id = *whom[i][0],
					    .responsible_unit_id = *whom[i][1],
					    .start_date = "",
					    .deadline = "",
					    .evaluation_date = "",
					    .status = "planned" };
		assert_int_equal(measure_add(&holder, log, goal, &in, &measure, &o), 0);
		assert_int_equal(o, MEASURE_BAD_RESPONSIBLE);
	}
	assert_int_equal(db_commit(), DB_OK);
	struct id_row n;
	assert_int_equal(db_select_one(&id_map, &n, "SELECT COUNT(*) FROM log_actor WHERE log_id = ?", "i",
				       (long long)log),
			 1);
	assert_int_equal(n.id, 0);
	struct authz z;
	for (size_t i = 0; i < sizeof whom / sizeof whom[0]; i++) {
		struct session s = { .municipality_id = f, .person_id = *whom[i][0] };
		assert_int_equal(authz_check(&s, log, AUTHZ_READ, &z), 0);
		assert_false(z.allow);
	}
	/* Made a guardian of the log: they read it as a guardian, and the
	 * leader of its unit still sees its flow as its leader. */
	add_guardian(f, log, fx.leader);
	add_guardian(f, log, fx.admin);
	struct session leader = { .municipality_id = f, .person_id = fx.leader };
	struct session admin = { .municipality_id = f, .person_id = fx.admin };
	assert_int_equal(authz_check(&leader, log, AUTHZ_READ, &z), 0);
	assert_true(z.allow);
	assert_int_equal(z.role, AUTHZ_GUARDIAN);
	assert_int_equal(authz_check(&leader, log, AUTHZ_FLOW, &z), 0);
	assert_true(z.allow);
	assert_int_equal(z.role, AUTHZ_LEADER);
	assert_false(z.may[AUTHZ_WRITE]);
	assert_int_equal(authz_check(&admin, log, AUTHZ_READ, &z), 0);
	assert_true(z.allow);
	assert_int_equal(z.role, AUTHZ_GUARDIAN);
	/* Made staff of a unit: the administrator may create logs only once a
	 * leader (not she) has cleared her; the leader cannot clear himself. */
	assert_int_equal(authz_require(&admin, AUTHZ_CREATE_LOG, NULL, "log.create", &z), 403);
	assert_int_equal(db_exec("INSERT INTO staff_role (municipality_id, person_id, unit_id, role, version)"
				 " VALUES (?, ?, ?, 'staff', 1)",
				 "iii", (long long)f, (long long)fx.admin, (long long)fx.unit),
			 1);
	int64_t admin_staff = db_last_id();
	add_staff(f, fx.leader, fx.unit, "staff", false);
	int64_t leader_staff = db_last_id();
	enum staff_outcome so;
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(staff_set_cleared(f, fx.unit, leader_staff, 1, true, fx.leader, &so), 0);
	assert_int_equal(so, STAFF_SELF);
	assert_int_equal(staff_set_cleared(f, fx.unit, admin_staff, 1, true, fx.leader, &so), 0);
	assert_int_equal(so, STAFF_DONE);
	assert_int_equal(db_commit(), DB_OK);
	assert_int_equal(authz_can_create_log(&leader, fx.unit), 0);
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(authz_require(&admin, AUTHZ_CREATE_LOG, NULL, "log.create", &z), 0);
	assert_true(z.allow);
	db_rollback();
	db_exec("DELETE FROM staff_role WHERE id IN (?, ?)", "ii", (long long)admin_staff,
		(long long)leader_staff);
	db_request_end();
	arena_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_role_against_every_action),
		cmocka_unit_test(the_related_list_decides_as_one_at_a_time),
		cmocka_unit_test(the_decision_over_combined_relations),
		cmocka_unit_test(allowed_reads_are_audited_in_the_callers_transaction),
		cmocka_unit_test(denials_are_audited_although_the_request_is_rolled_back),
		cmocka_unit_test(a_database_failure_is_never_an_allow),
		cmocka_unit_test(only_cleared_staff_create_logs),
		cmocka_unit_test(every_role_against_every_unit_action),
		cmocka_unit_test(the_unit_decision_as_a_pure_function),
		cmocka_unit_test(unit_decisions_are_audited_like_log_decisions),
		cmocka_unit_test(clearing_lets_staff_create_logs),
		cmocka_unit_test(leaders_and_administrators_given_other_relations),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
