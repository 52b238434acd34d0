/* test_db_consent.c — lib/consent.c against the real MariaDB of a running
 * test stack (STAFETT_CONF; run by tests/http/run.py), as the application's
 * own account: whose consent a log needs, what follows from giving,
 * renewing, widening, expiring and withdrawing it (the log's consent_until
 * and state, consent_service, the history) and what authz then allows.
 * Fixtures of its own in the demo municipality fjordvik (consent age 15,
 * consents valid two years). (Uploaded forms: test_db_document.c.) */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "app.h"
#include "arena.h"
#include "authz.h"
#include "config.h"
#include "consent.h"
#include "logbook.h"
#include "crypto.h"
#include "db.h"
#include "session.h"

struct id_row {
	int64_t id;
};
static const struct db_col id_cols[] = { DB_COL(struct id_row, id, DB_I64) };
static const struct db_map id_map = DB_MAP(struct id_row, id_cols);

struct text_row {
	char *text;
};
static const struct db_col text_cols[] = { DB_COL(struct text_row, text, DB_STR) };
static const struct db_map text_map = DB_MAP(struct text_row, text_cols);

static struct {
	int64_t muni, unit, other_unit, third_unit, holder, actor, g1, g2, stranger;
	const char *tag;
} fx;

static int64_t add_person(const char *given, const char *birth)
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
			" given_name, family_name) VALUES (?, ?, ?, ?, ?, ?, 'Samtykkesen')",
			"ibibss", (long long)fx.muni, sealed, sizeof sealed, (long long)key, mac, sizeof mac,
			birth, given);
		if (rc == DB_DUPLICATE)
			continue;
		assert_int_equal(rc, 1);
		return db_last_id();
	}
	fail_msg("no free synthetic number for %s", birth);
	return 0;
}

static int64_t add_unit(const char *name)
{
	assert_int_equal(db_exec("INSERT INTO unit (municipality_id, kind, name) VALUES (?, 'school', ?)",
				 "is", (long long)fx.muni, arena_printf("%s %s", name, fx.tag)),
			 1);
	return db_last_id();
}

/* A draft log of subject (kind child, youth or pregnancy) held by fx.holder
 * with guardians g1 and g2 (0: none), and fx.actor from fx.other_unit. */
static int64_t add_log(int64_t subject, const char *kind, int64_t g1, int64_t g2)
{
	assert_int_equal(db_exec("INSERT INTO log (municipality_id, subject_person_id, subject_kind,"
				 " holder_person_id, unit_id) VALUES (?, ?, ?, ?, ?)",
				 "iisii", (long long)fx.muni, (long long)subject, kind, (long long)fx.holder,
				 (long long)fx.unit),
			 1);
	int64_t log = db_last_id();
	int64_t gs[] = { g1, g2 };
	for (int i = 0; i < 2; i++)
		if (gs[i])
			assert_int_equal(
				db_exec("INSERT INTO log_guardian (municipality_id, log_id, person_id)"
					" VALUES (?, ?, ?)",
					"iii", (long long)fx.muni, (long long)log, (long long)gs[i]),
				1);
	assert_int_equal(db_exec("INSERT INTO log_actor (municipality_id, log_id, person_id, unit_id)"
				 " VALUES (?, ?, ?, ?)",
				 "iiii", (long long)fx.muni, (long long)log, (long long)fx.actor,
				 (long long)fx.other_unit),
			 1);
	return log;
}

static int setup(void **state)
{
	(void)state;
	if (config_load(NULL) < 0 || db_connect("database") < 0 ||
	    crypto_load_keys(config_str("crypto.key_file")) < 0)
		return -1;
	db_request_begin();
	fx.tag = xstrdup(crypto_random_hex(4));
	struct id_row r;
	assert_int_equal(db_select_one(&id_map, &r,
				       "SELECT id FROM municipality WHERE slug = 'fjordvik'"
				       " AND consent_age = 15 AND consent_valid_years = 2",
				       NULL),
			 1);
	fx.muni = r.id;
	fx.unit = add_unit("Samtykke barnehage");
	fx.other_unit = add_unit("Samtykke helsestasjon");
	fx.third_unit = add_unit("Samtykke PPT");
	fx.holder = add_person("Holder", "1980-01-02");
	fx.actor = add_person("Actor", "1981-02-03");
	fx.g1 = add_person("Mor", "1985-03-04");
	fx.g2 = add_person("Far", "1984-05-06");
	db_request_end();
	arena_reset();
	return 0;
}

/* Runs one change in a transaction of its own, committed; its outcome. */
static enum consent_outcome give(int64_t log, int64_t who, const char *kind, const char *given,
				 const char *until, const int64_t *units, size_t nunits)
{
	struct session s = { .municipality_id = fx.muni, .person_id = fx.holder };
	struct consent_input in = { .person_id = who,
				    .kind = kind,
				    .method = "signed_form",
				    .given_at = given,
				    .valid_until = until,
				    .units = units,
				    .nunits = nunits };
	enum consent_outcome o;
	assert_int_equal(db_begin(), 0);
	assert_int_equal(consent_give(&s, log, &in, &o), 0);
	assert_int_equal(db_commit(), 0);
	return o;
}

static enum consent_outcome withdraw(int64_t log, int64_t who, const char *kind)
{
	struct session s = { .municipality_id = fx.muni, .person_id = who };
	enum consent_outcome o;
	assert_int_equal(db_begin(), 0);
	assert_int_equal(consent_withdraw(&s, log, who, kind, &o), 0);
	assert_int_equal(db_commit(), 0);
	return o;
}

static char *text(const char *sql, int64_t log)
{
	struct text_row t;
	assert_int_equal(db_select_one(&text_map, &t, sql, "i", (long long)log), 1);
	return t.text ? t.text : "NULL";
}

/* A date relative to today, as YYYY-MM-DD. */
static char *day(int offset)
{
	struct text_row t;
	assert_int_equal(
		db_select_one(&text_map, &t,
			      "SELECT DATE_FORMAT(DATE_ADD(CURRENT_DATE, INTERVAL ? DAY), '%Y-%m-%d')", "i",
			      (long long)offset),
		1);
	return t.text;
}

static bool allowed(int64_t person, int64_t log, enum authz_action a)
{
	struct session s = { .municipality_id = fx.muni, .person_id = person };
	struct authz z;
	assert_int_equal(authz_check(&s, log, a, &z), 0);
	return z.allow;
}

static void whose_consent_a_log_needs(void **state)
{
	(void)state;
	db_request_begin();
	struct consent_person *p;
	int64_t child = add_person("Barn", "2019-06-07");
	int64_t log = add_log(child, "child", fx.g1, fx.g2);
	assert_int_equal(consent_required(fx.muni, log, &p), 2);
	assert_true(p[0].person_id == fx.g1 && p[1].person_id == fx.g2 && !p[0].subject);
	/* At the consent age the young person consents for themself. */
	int64_t youth = add_person("Ungdom", day(-15 * 366));
	log = add_log(youth, "youth", fx.g1, 0);
	assert_int_equal(consent_required(fx.muni, log, &p), 1);
	assert_true(p[0].person_id == youth && p[0].subject);
	assert_int_equal(give(log, fx.g1, "establish", NULL, NULL, NULL, 0), CONSENT_NOT_CONSENTER);
	/* The pregnant woman, whatever her age; a log of another municipality has nobody. */
	int64_t mother = add_person("Gravid", "2000-08-09");
	log = add_log(mother, "pregnancy", 0, 0);
	assert_int_equal(consent_required(fx.muni, log, &p), 1);
	assert_int_equal(p[0].person_id, mother);
	assert_int_equal(consent_required(fx.muni + 1000000, log, &p), 0);
	db_request_end();
	arena_reset();
}

static void both_guardians_make_a_draft_active(void **state)
{
	(void)state;
	db_request_begin();
	int64_t log = add_log(add_person("Barn", "2019-06-07"), "child", fx.g1, fx.g2);
	assert_false(allowed(fx.actor, log, AUTHZ_READ));
	assert_true(allowed(fx.holder, log, AUTHZ_WRITE)); /* the holder fills in the draft */
	assert_int_equal(give(log, fx.g1, "establish", day(-10), NULL, NULL, 0), CONSENT_DONE);
	assert_string_equal(text("SELECT CONCAT_WS(' ', state, COALESCE(consent_until, '-')) FROM log"
				 " WHERE id = ?",
				 log),
			    "draft -");
	/* g2's shorter consent dates the log's. */
	assert_int_equal(give(log, fx.g2, "establish", NULL, day(100), NULL, 0), CONSENT_DONE);
	assert_string_equal(text("SELECT state FROM log WHERE id = ?", log), "active");
	assert_string_equal(text("SELECT DATE_FORMAT(consent_until, '%Y-%m-%d') FROM log WHERE id = ?", log),
			    day(100));
	assert_string_equal(
		text("SELECT GROUP_CONCAT(CONCAT(field, ':', COALESCE(old_value, '-'), '>', new_value)"
		     " ORDER BY id) FROM log_history WHERE log_id = ? AND entity = 'log'",
		     log),
		arena_printf("consent_until:->%s,state:draft>active", day(100)));
	assert_true(allowed(fx.holder, log, AUTHZ_WRITE));
	assert_true(allowed(fx.g1, log, AUTHZ_ENTRY));
	/* Wrong dates and scopes change nothing. */
	assert_int_equal(give(log, fx.g1, "establish", day(1), NULL, NULL, 0), CONSENT_BAD_GIVEN);
	assert_int_equal(give(log, fx.g1, "establish", day(-3 * 366), NULL, NULL, 0), CONSENT_BAD_GIVEN);
	assert_int_equal(give(log, fx.g1, "establish", NULL, day(-1), NULL, 0), CONSENT_BAD_UNTIL);
	assert_int_equal(give(log, fx.g1, "establish", NULL, day(2 * 366 + 1), NULL, 0), CONSENT_BAD_UNTIL);
	assert_int_equal(give(log, fx.g1, "cooperate", NULL, NULL, NULL, 0), CONSENT_BAD_SCOPE);
	int64_t foreign[] = { fx.unit, fx.unit + 1000000 };
	assert_int_equal(give(log, fx.g1, "cooperate", NULL, NULL, foreign, 2), CONSENT_BAD_SCOPE);
	int64_t twice[] = { fx.unit, fx.unit };
	assert_int_equal(give(log, fx.g1, "cooperate", NULL, NULL, twice, 2), CONSENT_BAD_SCOPE);
	assert_int_equal(give(log, fx.holder, "establish", NULL, NULL, NULL, 0), CONSENT_NOT_CONSENTER);
	assert_string_equal(text("SELECT COUNT(*) FROM consent WHERE log_id = ?", log), "2");
	db_request_end();
	arena_reset();
}

static void expired_consent_blocks_edits_until_renewed(void **state)
{
	(void)state;
	db_request_begin();
	int64_t log = add_log(add_person("Barn", "2018-06-07"), "child", fx.g1, fx.g2);
	assert_int_equal(give(log, fx.g1, "establish", NULL, NULL, NULL, 0), CONSENT_DONE);
	assert_int_equal(give(log, fx.g2, "establish", NULL, NULL, NULL, 0), CONSENT_DONE);
	assert_true(allowed(fx.holder, log, AUTHZ_WRITE));
	/* Time passes: g1's consent ended yesterday. */
	assert_int_equal(db_exec("UPDATE consent SET given_at = DATE_SUB(CURRENT_DATE, INTERVAL 2 YEAR),"
				 " valid_until = DATE_SUB(CURRENT_DATE, INTERVAL 1 DAY) WHERE log_id = ? AND "
				 "person_id = ?",
				 "ii", (long long)log, (long long)fx.g1),
			 1);
	assert_int_equal(db_begin(), 0);
	struct session s = { .municipality_id = fx.muni, .person_id = fx.holder };
	assert_int_equal(consent_recompute(&s, log), 0);
	assert_int_equal(db_commit(), 0);
	assert_string_equal(text("SELECT DATE_FORMAT(consent_until, '%Y-%m-%d') FROM log WHERE id = ?", log),
			    day(-1));
	assert_false(allowed(fx.holder, log, AUTHZ_WRITE));
	assert_false(allowed(fx.holder, log, AUTHZ_ENTRY));
	assert_false(allowed(fx.g2, log, AUTHZ_ENTRY));
	assert_true(allowed(fx.holder, log, AUTHZ_READ));
	assert_true(allowed(fx.holder, log, AUTHZ_MANAGE));
	assert_true(allowed(fx.g1, log, AUTHZ_CONSENT));
	struct logbook_summary row;
	assert_int_equal(logbook_summary(fx.muni, log, &row), 1);
	struct consent_summary sum = consent_summary_of(&row, 30);
	assert_true(sum.expired && !sum.complete && !sum.withdrawn && sum.days_left == -1);
	struct consent_status *st;
	assert_int_equal(consent_status(fx.muni, log, 30, &st), 4);
	assert_int_equal(st[0].state, CONSENT_STATE_EXPIRED);
	assert_int_equal(st[1].state, CONSENT_STATE_NONE);
	assert_int_equal(st[2].state, CONSENT_STATE_GIVEN);
	/* "My logs" flags it, and warns its holder: expired, open, not withdrawn. */
	struct logbook_item *item;
	assert_int_equal(logbook_items(fx.muni, &log, 1, &item), 1);
	assert_int_equal(item->consent_days_left, -1);
	assert_true(consent_renew_soon(item->consent_until, item->consent_days_left, 30));
	assert_true(consent_warn_holder(item->state, item->withdrawn, item->consent_until,
					item->consent_days_left, 30));
	assert_false(consent_warn_holder("closed", false, item->consent_until, -1, 30));
	assert_false(consent_warn_holder("active", true, item->consent_until, -1, 30));
	assert_false(consent_warn_holder("draft", false, item->consent_until, -1, 30));
	assert_false(consent_renew_soon(NULL, 0, 30));
	assert_false(consent_renew_soon("2099-01-01", 31, 30));
	assert_true(consent_renew_soon("2099-01-01", 30, 30));
	/* Renewal: a new row for the same person and kind. */
	assert_int_equal(give(log, fx.g1, "establish", NULL, day(20), NULL, 0), CONSENT_DONE);
	assert_true(allowed(fx.holder, log, AUTHZ_WRITE));
	assert_int_equal(logbook_summary(fx.muni, log, &row), 1);
	sum = consent_summary_of(&row, 30);
	assert_true(sum.complete && sum.expiring && sum.days_left == 20);
	assert_false(consent_summary_of(&row, 19).expiring);
	assert_int_equal(consent_status(fx.muni, log, 30, &st), 4);
	assert_int_equal(st[0].state, CONSENT_STATE_EXPIRING);
	db_request_end();
	arena_reset();
}

static void cooperation_covers_only_what_every_guardian_names(void **state)
{
	(void)state;
	db_request_begin();
	int64_t log = add_log(add_person("Barn", "2017-06-07"), "child", fx.g1, fx.g2);
	assert_int_equal(give(log, fx.g1, "establish", NULL, NULL, NULL, 0), CONSENT_DONE);
	assert_int_equal(give(log, fx.g2, "establish", NULL, NULL, NULL, 0), CONSENT_DONE);
	int64_t own[] = { fx.unit }, wide[] = { fx.unit, fx.other_unit, fx.third_unit };
	int64_t two[] = { fx.other_unit, fx.unit };
	assert_int_equal(give(log, fx.g1, "cooperate", NULL, NULL, wide, 3), CONSENT_DONE);
	assert_int_equal(give(log, fx.g2, "cooperate", NULL, NULL, own, 1), CONSENT_DONE);
	const char *units =
		"SELECT GROUP_CONCAT(unit_id ORDER BY unit_id) FROM consent_service WHERE log_id = ?";
	assert_string_equal(text(units, log), arena_printf("%lld", (long long)fx.unit));
	assert_false(allowed(fx.actor, log, AUTHZ_READ));
	/* g2 widens: their newest consent counts, until the earliest date. */
	assert_int_equal(give(log, fx.g2, "cooperate", NULL, day(50), two, 2), CONSENT_DONE);
	assert_string_equal(text(units, log),
			    arena_printf("%lld,%lld", (long long)fx.unit, (long long)fx.other_unit));
	assert_string_equal(text("SELECT GROUP_CONCAT(DISTINCT DATE_FORMAT(valid_until, '%Y-%m-%d'))"
				 " FROM consent_service WHERE log_id = ?",
				 log),
			    day(50));
	assert_true(allowed(fx.actor, log, AUTHZ_READ));
	assert_true(allowed(fx.actor, log, AUTHZ_ENTRY));
	/* An expired cooperation consent no longer counts. */
	assert_int_equal(db_exec("UPDATE consent SET valid_until = DATE_SUB(CURRENT_DATE, INTERVAL 1 DAY)"
				 " WHERE log_id = ? AND person_id = ? AND kind = 'cooperate'",
				 "ii", (long long)log, (long long)fx.g1),
			 1);
	struct session s = { .municipality_id = fx.muni, .person_id = fx.holder };
	assert_int_equal(db_begin(), 0);
	assert_int_equal(consent_recompute(&s, log), 0);
	assert_int_equal(db_commit(), 0);
	assert_string_equal(text(units, log), "NULL");
	assert_false(allowed(fx.actor, log, AUTHZ_READ));
	/* Renewed, then withdrawn by one guardian (both their rows, the expired
	 * one too): gone again, the log stays open. */
	assert_int_equal(give(log, fx.g1, "cooperate", NULL, NULL, wide, 3), CONSENT_DONE);
	assert_true(allowed(fx.actor, log, AUTHZ_READ));
	assert_int_equal(withdraw(log, fx.g1, "cooperate"), CONSENT_DONE);
	assert_string_equal(text(units, log), "NULL");
	assert_false(allowed(fx.actor, log, AUTHZ_READ));
	assert_true(allowed(fx.g1, log, AUTHZ_READ));
	assert_int_equal(withdraw(log, fx.g1, "cooperate"), CONSENT_NONE);
	assert_string_equal(text("SELECT COUNT(*) FROM log_history WHERE log_id = ? AND entity = 'consent'"
				 " AND field = 'withdrawn_at'",
				 log),
			    "2");
	db_request_end();
	arena_reset();
}

static void withdrawing_the_establishing_consent_locks_the_log(void **state)
{
	(void)state;
	db_request_begin();
	int64_t log = add_log(add_person("Barn", "2016-06-07"), "child", fx.g1, fx.g2);
	int64_t own[] = { fx.other_unit };
	assert_int_equal(give(log, fx.g1, "establish", NULL, NULL, NULL, 0), CONSENT_DONE);
	assert_int_equal(give(log, fx.g2, "establish", NULL, NULL, NULL, 0), CONSENT_DONE);
	assert_int_equal(give(log, fx.g1, "cooperate", NULL, NULL, own, 1), CONSENT_DONE);
	assert_int_equal(give(log, fx.g2, "cooperate", NULL, NULL, own, 1), CONSENT_DONE);
	assert_true(allowed(fx.actor, log, AUTHZ_READ));
	assert_int_equal(withdraw(log, fx.g2, "establish"), CONSENT_DONE);
	assert_string_equal(
		text("SELECT CONCAT_WS(' ', state, withdrawn_at IS NOT NULL, consent_until IS NULL)"
		     " FROM log WHERE id = ?",
		     log),
		"active 1 1");
	assert_string_equal(text("SELECT COUNT(*) FROM consent_service WHERE log_id = ?", log), "0");
	assert_true(allowed(fx.holder, log, AUTHZ_READ));
	assert_true(allowed(fx.holder, log, AUTHZ_MANAGE));
	assert_false(allowed(fx.holder, log, AUTHZ_WRITE));
	/* The guardians still see who has read it; nothing else. */
	for (enum authz_action a = 0; a < AUTHZ_NACTIONS; a++) {
		assert_int_equal(allowed(fx.g1, log, a), a == AUTHZ_READERS);
		assert_int_equal(allowed(fx.g2, log, a), a == AUTHZ_READERS);
		assert_false(allowed(fx.actor, log, a));
	}
	/* Locked: no more consent either way, and nothing deleted. */
	assert_int_equal(give(log, fx.g1, "establish", NULL, NULL, NULL, 0), CONSENT_LOCKED);
	assert_int_equal(withdraw(log, fx.g1, "establish"), CONSENT_LOCKED);
	assert_string_equal(text("SELECT COUNT(*) FROM consent WHERE log_id = ?", log), "4");
	/* A draft whose only consent is withdrawn is locked too and never becomes active. */
	int64_t draft = add_log(add_person("Barn", "2016-07-08"), "child", fx.g1, fx.g2);
	assert_int_equal(give(draft, fx.g1, "establish", NULL, NULL, NULL, 0), CONSENT_DONE);
	assert_int_equal(withdraw(draft, fx.g1, "establish"), CONSENT_DONE);
	assert_int_equal(give(draft, fx.g2, "establish", NULL, NULL, NULL, 0), CONSENT_LOCKED);
	assert_string_equal(
		text("SELECT CONCAT_WS(' ', state, withdrawn_at IS NOT NULL) FROM log WHERE id = ?", draft),
		"draft 1");
	db_request_end();
	arena_reset();
}

/* What a consenter is told and given back: who keeps the log and until
 * when a consent given today lasts; the services at work (the holder's unit
 * first, actors not removed, the holder not twice); and their own receipts
 * only, newest first, with the scope of each. */
static void what_a_consenter_is_told_and_given_back(void **state)
{
	(void)state;
	db_request_begin();
	int64_t log = add_log(add_person("Barn", "2019-06-07"), "child", fx.g1, fx.g2);
	struct consent_terms t;
	assert_int_equal(consent_terms(fx.muni, log, &t), 1);
	assert_string_equal(t.holder_given_name, "Holder");
	assert_string_equal(t.unit_name, arena_printf("Samtykke barnehage %s", fx.tag));
	assert_null(t.holder_email);
	assert_int_equal(t.valid_years, 2);
	assert_string_equal(t.valid_until,
			    text("SELECT DATE_FORMAT(DATE_ADD(CURRENT_DATE, INTERVAL 2 YEAR),"
				 " '%Y-%m-%d') FROM log WHERE id = ?",
				 log));
	assert_int_equal(consent_terms(fx.muni + 1000000, log, &t), 0);

	/* The holder also an actor of their own unit, and a removed actor: neither listed again. */
	int64_t gone = add_person("Borte", "1979-01-01");
	assert_int_equal(
		db_exec("INSERT INTO log_actor (municipality_id, log_id, person_id, unit_id, removed_at)"
			" VALUES (?, ?, ?, ?, NOW(3)), (?, ?, ?, ?, NULL)",
			"iiiiiiii", (long long)fx.muni, (long long)log, (long long)gone,
			(long long)fx.third_unit, (long long)fx.muni, (long long)log, (long long)fx.holder,
			(long long)fx.unit),
		2);
	struct consent_party *p;
	assert_int_equal(consent_parties(fx.muni, log, &p), 2);
	assert_true(p[0].holder && p[0].unit_id == fx.unit && strcmp(p[0].given_name, "Holder") == 0);
	assert_true(!p[1].holder && p[1].unit_id == fx.other_unit && strcmp(p[1].given_name, "Actor") == 0);
	assert_int_equal(consent_parties(fx.muni + 1000000, log, &p), 0);

	int64_t units[] = { fx.other_unit, fx.unit };
	assert_int_equal(give(log, fx.g1, "establish", NULL, NULL, NULL, 0), CONSENT_DONE);
	assert_int_equal(give(log, fx.g2, "establish", NULL, NULL, NULL, 0), CONSENT_DONE);
	assert_int_equal(give(log, fx.g1, "cooperate", NULL, NULL, units, 2), CONSENT_DONE);
	struct consent_receipt *r;
	assert_int_equal(consent_receipts(fx.muni, log, fx.g1, &r), 2);
	assert_string_equal(r[0].kind, "cooperate");
	assert_string_equal(r[0].scope,
			    arena_printf("Samtykke barnehage %s, Samtykke helsestasjon %s", fx.tag, fx.tag));
	assert_string_equal(r[1].kind, "establish");
	assert_null(r[1].scope);
	assert_null(r[1].withdrawn_at);
	assert_int_equal(strlen(r[1].recorded_at), 16); /* YYYY-MM-DD HH:MM */
	assert_int_equal(consent_receipts(fx.muni, log, fx.g2, &r), 1);
	int64_t *ids;
	struct consent_status *st;
	assert_int_equal(consent_status(fx.muni, log, 30, &st), 4);
	assert_int_equal(consent_scope_units(fx.muni, st[1].id, &ids), 2);
	assert_true((ids[0] == fx.unit && ids[1] == fx.other_unit) ||
		    (ids[0] == fx.other_unit && ids[1] == fx.unit));
	assert_int_equal(consent_scope_units(fx.muni + 1000000, st[1].id, &ids), 0);
	db_request_end();
	arena_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(whose_consent_a_log_needs),
		cmocka_unit_test(both_guardians_make_a_draft_active),
		cmocka_unit_test(expired_consent_blocks_edits_until_renewed),
		cmocka_unit_test(cooperation_covers_only_what_every_guardian_names),
		cmocka_unit_test(withdrawing_the_establishing_consent_locks_the_log),
		cmocka_unit_test(what_a_consenter_is_told_and_given_back),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
