/* test_db_logpurge.c — lib/logpurge.c against the real MariaDB of a running
 * test stack (STAFETT_CONF; run by tests/http/run.py) as the application's
 * own account: the purge knows every table of a log's rows, every table
 * hanging off them and every foreign key to a person (so a new one cannot
 * be forgotten); a full log, with a row in every one of those tables, is
 * gone without a trace but its tombstone and the trail's rows; the child
 * and a guardian with no other log go with it (a guardian an archive
 * record names as who caused it too: the record loses the name), a
 * guardian with another log and the staff
 * stay; retention deletes a closed log past its period once archived and
 * says which it kept. */
#include <string.h>

#include "unit_db.h"
#include "logmove.h"
#include "logpurge.h"

static struct {
	int64_t muni, other, unit, unit2, holder, actor;
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
	fx.other = unit_muni("nordheim");
	fx.unit = unit_add_unit(fx.muni, arena_printf("Purge unit %s", fx.tag));
	fx.unit2 = unit_add_unit(fx.muni, arena_printf("Purge unit two %s", fx.tag));
	fx.holder = unit_add_person(fx.muni, "Holder", fx.tag);
	fx.actor = unit_add_person(fx.muni, "Actor", fx.tag);
	assert_int_equal(
		db_exec("INSERT INTO staff_role (municipality_id, person_id, unit_id, role, cleared_at)"
			" VALUES (?, ?, ?, 'staff', CURRENT_TIMESTAMP(3)), (?, ?, ?, 'staff',"
			" CURRENT_TIMESTAMP(3))",
			"iiiiii", (long long)fx.muni, (long long)fx.holder, (long long)fx.unit,
			(long long)fx.muni, (long long)fx.actor, (long long)fx.unit2),
		2);
	db_request_end();
	arena_reset();
	return 0;
}

struct name_row {
	char *name;
	char *column;
};
static const struct db_col name_cols[] = { DB_COL(struct name_row, name, DB_STR),
					   DB_COL(struct name_row, column, DB_STR) };
static const struct db_map name_map = DB_MAP(struct name_row, name_cols);

static int64_t count(const char *sql, int64_t a)
{
	return unit_db_int(sql, a);
}

static bool listed_in_logmove(const char *table)
{
	for (size_t k = 0; logmove_table(k); k++)
		if (strcmp(logmove_table(k), table) == 0)
			return true;
	return false;
}

/* The tables that hang off a log's rows without a log_id of their own: the
 * full log below fills each and the purge must leave none of its rows. */
static const char *const children[] = {
	"consent_scope",     "concern_area",	 "minutes_measure", "meeting_participant",
	"agreement_version", "invitation_token", "reopen_answer",
};

/* Every table with a log_id is lib/logmove.c's list (the purge deletes each),
 * or the log's own record kept elsewhere (the trail, the archive's records,
 * the tombstones, the outbox); every table whose foreign key points into a
 * log's row and has no log_id is one the full log below fills. */
static void the_purge_knows_every_table_of_a_log(void **state)
{
	(void)state;
	db_request_begin();
	struct name_row *t;
	int n = db_select(&name_map, &t,
			  "SELECT table_name, column_name FROM information_schema.columns"
			  " WHERE table_schema = DATABASE() AND column_name = 'log_id'"
			  " AND table_name NOT IN ('log', 'audit_log', 'audit_log_item', 'outbox',"
			  " 'archive_record', 'log_tombstone') ORDER BY table_name",
			  NULL);
	assert_true(n > 10);
	for (int i = 0; i < n; i++)
		if (!listed_in_logmove(t[i].name))
			fail_msg("table %s holds a log's rows but lib/logmove.c's list (which the purge"
				 " deletes) does not name it",
				 t[i].name);
	n = db_select(&name_map, &t,
		      "SELECT DISTINCT k.table_name, k.column_name FROM information_schema.key_column_usage k"
		      " WHERE k.table_schema = DATABASE() AND k.referenced_table_name IS NOT NULL"
		      " AND k.table_name NOT IN ('log', 'outbox', 'archive_record', 'log_tombstone')"
		      " AND NOT EXISTS (SELECT 1 FROM information_schema.columns c"
		      "  WHERE c.table_schema = k.table_schema AND c.table_name = k.table_name"
		      "  AND c.column_name = 'log_id')"
		      " AND EXISTS (SELECT 1 FROM information_schema.columns r"
		      "  WHERE r.table_schema = k.table_schema AND r.table_name = k.referenced_table_name"
		      "  AND r.column_name = 'log_id' AND r.table_name NOT IN ('audit_log', 'outbox',"
		      "  'archive_record', 'log_tombstone'))"
		      " ORDER BY k.table_name",
		      NULL);
	assert_true(n >= 7);
	for (int i = 0; i < n; i++) {
		bool known = false;
		for (size_t k = 0; k < sizeof children / sizeof children[0] && !known; k++)
			known = strcmp(children[k], t[i].name) == 0;
		if (!known)
			fail_msg("table %s hangs off a log's row (%s): the purge and this test must know it",
				 t[i].name, t[i].column);
	}
	db_request_end();
	arena_reset();
}

/* Every foreign key to a person is one the purge looks at before it deletes
 * the child or a guardian: a place that keeps them, what hangs off them
 * (person_id, deleted with them), or the archive record's caused_by (set
 * to NULL when the person goes, sql/016). */
static void the_purge_knows_every_reference_to_a_person(void **state)
{
	(void)state;
	db_request_begin();
	struct name_row *t;
	int n = db_select(&name_map, &t,
			  "SELECT table_name, column_name FROM information_schema.key_column_usage"
			  " WHERE table_schema = DATABASE() AND referenced_table_name = 'person'"
			  " ORDER BY table_name, column_name",
			  NULL);
	assert_true(n > 30);
	for (int i = 0; i < n; i++) {
		bool known =
			strcmp(t[i].name, "archive_record") == 0 && strcmp(t[i].column, "caused_by") == 0;
		const char *col;
		for (size_t k = 0; !known && logpurge_naming(k, &col); k++)
			known = strcmp(logpurge_naming(k, &col), t[i].name) == 0 &&
				strcmp(col, t[i].column) == 0;
		for (size_t k = 0; !known && logpurge_hanging(k); k++)
			known = strcmp(logpurge_hanging(k), t[i].name) == 0 &&
				strcmp(t[i].column, "person_id") == 0;
		if (!known)
			fail_msg("%s.%s names a person but lib/logpurge.c does not look at it", t[i].name,
				 t[i].column);
	}
	db_request_end();
	arena_reset();
}

#define EXEC(sql, types, ...) assert_true(db_exec(sql, types, __VA_ARGS__) >= 1)

/* Ids of the rows that hang off the log's rows, to look for after the purge. */
static struct {
	int64_t consent, concern, minutes, meeting, agreement, invitation, reopen, outbox_sent,
		outbox_pending;
} kid;

/* A log with a row in every table of a log's, and its child and guardians
 * with sessions, form use, a notice gate, a calendar feed and mail. */
static int64_t full_log(int64_t g1, int64_t g2)
{
	long long m = fx.muni, u = fx.unit, h = fx.holder, a = fx.actor;
	int64_t log = unit_add_log(fx.muni, fx.holder, fx.unit, "active", 100);
	long long l = log;
	EXEC("UPDATE log SET withdrawn_at = CURRENT_TIMESTAMP(3), basic_info = 'Grunnlag' WHERE id = ?", "i",
	     l);
	EXEC("INSERT INTO log_guardian (municipality_id, log_id, person_id, given_name, email) VALUES"
	     " (?, ?, ?, 'Foresatt', 'g1@example.org'), (?, ?, ?, 'Foresatt', 'g2@example.org')",
	     "iiiiii", m, l, (long long)g1, m, l, (long long)g2);
	EXEC("INSERT INTO log_actor (municipality_id, log_id, person_id, unit_id) VALUES (?, ?, ?, ?)",
	     "iiii", m, l, a, (long long)fx.unit2);
	EXEC("INSERT INTO consent_service (municipality_id, log_id, unit_id, valid_until)"
	     " VALUES (?, ?, ?, CURRENT_DATE + INTERVAL 1 YEAR)",
	     "iii", m, l, u);
	EXEC("INSERT INTO document (municipality_id, log_id, media_type, size, sha256, data,"
	     " uploaded_by) VALUES (?, ?, 'application/pdf', 4, UNHEX(SHA2('%PDF', 256)), '%PDF', ?)",
	     "iii", m, l, (long long)g1);
	int64_t doc = db_last_id();
	EXEC("INSERT INTO consent (municipality_id, log_id, kind, person_id, method, given_at,"
	     " valid_until, document_id, recorded_by) VALUES (?, ?, 'cooperate', ?, 'signed_form',"
	     " CURRENT_DATE, CURRENT_DATE + INTERVAL 1 YEAR, ?, ?)",
	     "iiiii", m, l, (long long)g1, (long long)doc, h);
	kid.consent = db_last_id();
	EXEC("INSERT INTO consent_scope (consent_id, unit_id) VALUES (?, ?)", "ii", (long long)kid.consent,
	     u);
	EXEC("INSERT INTO concern (municipality_id, log_id, title, created_by) VALUES (?, ?, 'Språk', ?)",
	     "iii", m, l, h);
	kid.concern = db_last_id();
	EXEC("INSERT INTO concern_area (concern_id, area_id) SELECT ?, id FROM development_area"
	     " WHERE municipality_id IS NULL AND code = 'language'",
	     "i", (long long)kid.concern);
	EXEC("INSERT INTO goal (municipality_id, log_id, concern_id, text, created_by)"
	     " VALUES (?, ?, ?, 'Mål', ?)",
	     "iiii", m, l, (long long)kid.concern, h);
	int64_t goal = db_last_id();
	EXEC("INSERT INTO measure (municipality_id, log_id, goal_id, description,"
	     " responsible_person_id, created_by, deadline) VALUES (?, ?, ?, 'Tiltak', ?, ?,"
	     " CURRENT_DATE + INTERVAL 9 DAY)",
	     "iiiii", m, l, (long long)goal, a, h);
	int64_t measure = db_last_id();
	EXEC("INSERT INTO evaluation (municipality_id, log_id, measure_id, category, by_person_id)"
	     " VALUES (?, ?, ?, 'partly', ?)",
	     "iiii", m, l, (long long)measure, h);
	EXEC("INSERT INTO note (municipality_id, log_id, author_person_id, text, glimpse) VALUES"
	     " (?, ?, ?, 'Lysglimt', TRUE)",
	     "iii", m, l, (long long)g2);
	EXEC("INSERT INTO state_request (municipality_id, log_id, person_id, wanted) VALUES (?, ?, ?, "
	     "'passive')",
	     "iii", m, l, (long long)g1);
	EXEC("INSERT INTO log_history (municipality_id, log_id, person_id, entity, entity_id, field,"
	     " new_value) VALUES (?, ?, ?, 'log', ?, 'basic_info', 'Grunnlag')",
	     "iiii", m, l, h, l);
	EXEC("INSERT INTO outbox (municipality_id, person_id, log_id, kind, message_id,"
	     " rcpt, lang, params_sealed, params_key_id) VALUES (?, ?, ?, 'invitation',"
	     " CONCAT('<', UUID(), '@purge>'), 'inv@example.org', 'nb', 'sealed', 1)",
	     "iii", m, a, l);
	kid.outbox_pending = db_last_id();
	EXEC("INSERT INTO outbox (municipality_id, person_id, log_id, kind, message_id, rcpt,"
	     " lang, state, sent_at) VALUES (?, ?, ?, 'message', CONCAT('<', UUID(), '@purge>'),"
	     " 'holder@example.org', 'nb', 'sent', CURRENT_TIMESTAMP(3))",
	     "iii", m, h, l);
	kid.outbox_sent = db_last_id();
	EXEC("INSERT INTO invitation (municipality_id, log_id, person_id, unit_id, task,"
	     " given_name, family_name, email, invited_by, expires_at, outbox_id) VALUES (?, ?,"
	     " ?, ?, 'Oppgåve', 'Inv', 'Itert', 'inv@example.org', ?,"
	     " CURRENT_TIMESTAMP + INTERVAL 1 DAY, ?)",
	     "iiiiii", m, l, a, (long long)fx.unit2, h, (long long)kid.outbox_pending);
	kid.invitation = db_last_id();
	return log;
}

/* The rest of the full log: what refers to the rows above. */
static void full_log_more(int64_t log, int64_t g1, int64_t g2)
{
	long long m = fx.muni, l = log, h = fx.holder, a = fx.actor, u = fx.unit;
	EXEC("UPDATE log_actor SET invitation_id = ? WHERE log_id = ?", "ii", (long long)kid.invitation, l);
	EXEC("INSERT INTO invitation_token (token_hash, invitation_id) VALUES (UNHEX(SHA2(UUID(), 256)), ?)",
	     "i", (long long)kid.invitation);
	EXEC("INSERT INTO message (municipality_id, log_id, author_person_id, text) VALUES (?, ?, ?, 'Hei')",
	     "iii", m, l, (long long)g1);
	EXEC("INSERT INTO message_read (log_id, person_id, municipality_id, last_message_id) VALUES"
	     " (?, ?, ?, LAST_INSERT_ID())",
	     "iii", l, (long long)g2, m);
	EXEC("INSERT INTO meeting (municipality_id, log_id, starts_at, minutes, place, created_by)"
	     " VALUES (?, ?, UTC_TIMESTAMP() + INTERVAL 1 DAY, 60, 'Rom 1', ?)",
	     "iii", m, l, h);
	kid.meeting = db_last_id();
	EXEC("INSERT INTO meeting_participant (meeting_id, person_id, municipality_id, relation, email)"
	     " VALUES (?, ?, ?, 'guardian', 'g1@example.org'), (?, ?, ?, 'holder', NULL)",
	     "iiiiii", (long long)kid.meeting, (long long)g1, m, (long long)kid.meeting, h, m);
	EXEC("INSERT INTO minutes (municipality_id, log_id, meeting_id, decisions, created_by) VALUES"
	     " (?, ?, ?, 'Vedtak', ?)",
	     "iiii", m, l, (long long)kid.meeting, h);
	kid.minutes = db_last_id();
	EXEC("INSERT INTO minutes_measure (minutes_id, measure_id) SELECT ?, id FROM measure WHERE log_id = "
	     "?",
	     "ii", (long long)kid.minutes, l);
	EXEC("INSERT INTO minutes_entry (municipality_id, log_id, minutes_id, kind, person_id, text)"
	     " VALUES (?, ?, ?, 'comment', ?, 'Kommentar')",
	     "iiii", m, l, (long long)kid.minutes, (long long)g2);
	EXEC("INSERT INTO agreement (municipality_id, log_id, created_by) VALUES (?, ?, ?)", "iii", m, l, h);
	kid.agreement = db_last_id();
	EXEC("INSERT INTO agreement_version (agreement_id, version, municipality_id, text, parties, "
	     "agreed_on,"
	     " created_by) VALUES (?, 1, ?, 'Avtale', 'Alle', CURRENT_DATE, ?)",
	     "iii", (long long)kid.agreement, m, h);
	EXEC("INSERT INTO handover (municipality_id, log_id, from_person_id, from_unit_id, to_person_id,"
	     " to_unit_id, to_municipality_id, stay_as_actor, state, expires_at) VALUES (?, ?, ?, ?, ?, ?,"
	     " ?, FALSE, 'accepted', CURRENT_TIMESTAMP)",
	     "iiiiiii", m, l, a, (long long)fx.unit2, h, u, m);
	EXEC("INSERT INTO log_transition (municipality_id, log_id, kind, handover_id, by_person_id,"
	     " from_person_id, from_unit_id, from_municipality_id, to_person_id, to_unit_id,"
	     " to_municipality_id) VALUES (?, ?, 'handover', LAST_INSERT_ID(), ?, ?, ?, ?, ?, ?, ?)",
	     "iiiiiiiii", m, l, h, a, (long long)fx.unit2, m, h, u, m);
	EXEC("INSERT INTO reopen_request (municipality_id, log_id, requested_by, reason) VALUES (?, ?, ?, "
	     "'Igjen')",
	     "iii", m, l, h);
	kid.reopen = db_last_id();
	EXEC("INSERT INTO reopen_answer (request_id, person_id, municipality_id, approved) VALUES (?, ?, ?, "
	     "FALSE)",
	     "iii", (long long)kid.reopen, (long long)g1, m);
}

/* What hangs off a person: a session, a used form, a notice gate, a
 * calendar feed with kept text, a mail of their own. */
static void person_things(int64_t p)
{
	long long m = fx.muni, pp = p;
	EXEC("INSERT INTO session (id_hash, municipality_id, person_id, csrf, given_name, family_name,"
	     " municipality_slug) VALUES (UNHEX(SHA2(UUID(), 256)), ?, ?, REPEAT('a', 64), 'G', 'F', "
	     "'fjordvik')",
	     "ii", m, pp);
	EXEC("INSERT INTO form_use (nonce_hash, municipality_id, person_id) VALUES (UNHEX(SHA2(UUID(), "
	     "256)), ?, ?)",
	     "ii", m, pp);
	EXEC("INSERT INTO notice_gate (person_id, last_at) VALUES (?, CURRENT_TIMESTAMP(3))", "i", pp);
	EXEC("INSERT INTO calendar_feed (municipality_id, person_id, token_hash, text_hash, text) VALUES"
	     " (?, ?, UNHEX(SHA2(UUID(), 256)), UNHEX(SHA2('x', 256)), 'BEGIN:VCALENDAR')",
	     "ii", m, pp);
	EXEC("INSERT INTO outbox (municipality_id, person_id, kind, message_id, rcpt, lang, state) VALUES"
	     " (?, ?, 'message', CONCAT('<', UUID(), '@purge>'), 'p@example.org', 'nb', 'sent')",
	     "ii", m, pp);
}

/* One statement over every table of a list (a process keeps few
 * statements): how many of them have no row of the log, how many rows of
 * the log are left in them, how many rows hang off a person. Built once (the
 * statement cache keeps the text); only a failure asks table by table. */
static const char *sum_sql(const char *(*table)(size_t), const char *each, const char *key)
{
	struct buf b = { 0 };
	buf_adds(&b, "SELECT 0");
	for (size_t i = 0; table(i); i++)
		buf_addf(&b, " + (SELECT %s FROM %s WHERE %s = x.id)", each, table(i), key);
	buf_adds(&b, " FROM (SELECT ? AS id) x");
	return xstrdup(b.data);
}

static const char *empty_tables_sql(void)
{
	static const char *sql;
	return sql ? sql : (sql = sum_sql(logmove_table, "COUNT(*) = 0", "log_id"));
}

static const char *rows_left_sql(void)
{
	static const char *sql;
	return sql ? sql : (sql = sum_sql(logmove_table, "COUNT(*)", "log_id"));
}

static const char *hanging_left_sql(void)
{
	static const char *sql;
	return sql ? sql : (sql = sum_sql(logpurge_hanging, "COUNT(*)", "person_id"));
}

static void purge(int64_t log, const char *reason, int64_t record, const char *ref, int want)
{
	assert_int_equal(db_begin(), DB_OK);
	int rc = logpurge_run(fx.muni, log, reason, record, ref);
	assert_int_equal(rc, want);
	if (rc < 0)
		db_rollback();
	else
		assert_int_equal(db_commit(), DB_OK);
}

static void a_withdrawn_log_is_deleted_but_its_tombstone(void **state)
{
	(void)state;
	db_request_begin();
	int64_t g1 = unit_add_person(fx.muni, "Foresatt", fx.tag);     /* only this log */
	int64_t g2 = unit_add_person(fx.muni, "Foresatt", "To");       /* another log too */
	int64_t g3 = unit_add_person(fx.muni, "Foresatt", "Arkivert"); /* caused an archive record */
	int64_t log = full_log(g1, g2);
	full_log_more(log, g1, g2);
	long long m = fx.muni, l = log;
	EXEC("INSERT INTO log_guardian (municipality_id, log_id, person_id) VALUES (?, ?, ?)", "iii", m, l,
	     (long long)g3);
	int64_t child = count("SELECT subject_person_id FROM log WHERE id = ?", log);
	int64_t other = unit_add_log(fx.muni, fx.holder, fx.unit, "active", 100);
	EXEC("INSERT INTO log_guardian (municipality_id, log_id, person_id) VALUES (?, ?, ?)", "iii", m,
	     (long long)other, (long long)g2);
	EXEC("INSERT INTO archive_record (municipality_id, log_id, kind, caused_by, unit_id, document_date,"
	     " public_title, lang, state, archive_reference) VALUES (?, ?, 'withdrawn', ?, ?, CURRENT_DATE,"
	     " 'Stafettlogg', 'nb', 'acknowledged', 'ARK-1')",
	     "iiii", m, l, (long long)g3, (long long)fx.unit);
	int64_t record = db_last_id();
	int64_t people[] = { child, g1, g2, g3, fx.holder, fx.actor };
	for (size_t i = 0; i < sizeof people / sizeof people[0]; i++)
		person_things(people[i]);

	/* Every table of a log's rows has a row of this one (a new table in the
	 * list must be filled here too). */
	if (count(empty_tables_sql(), log) != 0)
		for (size_t i = 0; logmove_table(i); i++)
			if (count(xstrdup(arena_printf("SELECT COUNT(*) FROM %s WHERE log_id = ?",
						       logmove_table(i))),
				  log) == 0)
				fail_msg("the full log has no row in %s: fill it", logmove_table(i));

	/* Not for another reason than the log's own. */
	purge(log, "retention", 0, NULL, DB_ERROR);
	assert_int_equal(count("SELECT COUNT(*) FROM log WHERE id = ?", log), 1);

	int64_t audit_before = count("SELECT COUNT(*) FROM audit_log WHERE log_id = ?", log);
	purge(log, "withdrawn", record, "ARK-1", 1);

	if (count(rows_left_sql(), log) != 0)
		for (size_t i = 0; logmove_table(i); i++)
			if (count(xstrdup(arena_printf("SELECT COUNT(*) FROM %s WHERE log_id = ?",
						       logmove_table(i))),
				  log) != 0)
				fail_msg("%s: rows of the log left after the purge", logmove_table(i));
	assert_int_equal(count("SELECT COUNT(*) FROM log WHERE id = ?", log), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM consent_scope WHERE consent_id = ?", kid.consent), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM concern_area WHERE concern_id = ?", kid.concern), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM minutes_measure WHERE minutes_id = ?", kid.minutes), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM meeting_participant WHERE meeting_id = ?", kid.meeting),
			 0);
	assert_int_equal(
		count("SELECT COUNT(*) FROM agreement_version WHERE agreement_id = ?", kid.agreement), 0);
	assert_int_equal(
		count("SELECT COUNT(*) FROM invitation_token WHERE invitation_id = ?", kid.invitation), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM reopen_answer WHERE request_id = ?", kid.reopen), 0);
	/* Its mail: the unsent one gone, the sent one about no log. */
	assert_int_equal(count("SELECT COUNT(*) FROM outbox WHERE id = ?", kid.outbox_pending), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM outbox WHERE log_id = ?", log), 0);
	assert_int_equal(
		count("SELECT COUNT(*) FROM outbox WHERE id = ? AND log_id IS NULL", kid.outbox_sent), 1);

	/* The tombstone. */
	assert_int_equal(count("SELECT COUNT(*) FROM log_tombstone WHERE log_id = ? AND reason = 'withdrawn'"
			       " AND archive_reference = 'ARK-1' AND closed_at IS NOT NULL",
			       log),
			 1);
	assert_int_equal(count("SELECT archive_record_id FROM log_tombstone WHERE log_id = ?", log), record);
	assert_int_equal(count("SELECT municipality_id FROM log_tombstone WHERE log_id = ?", log), fx.muni);

	/* The child and the guardian with no other log are gone, with what
	 * hung off them; the guardian of another log stays, and the staff. */
	for (int k = 0; k < 2; k++) {
		int64_t p = k ? g1 : child;
		assert_int_equal(count("SELECT COUNT(*) FROM person WHERE id = ?", p), 0);
		assert_int_equal(count(hanging_left_sql(), p), 0);
	}
	assert_int_equal(count("SELECT COUNT(*) FROM person WHERE id = ? AND given_name = 'Foresatt'", g2),
			 1);
	assert_int_equal(count("SELECT COUNT(*) FROM session WHERE person_id = ?", g2), 1);
	assert_int_equal(count("SELECT COUNT(*) FROM person WHERE id = ?", fx.holder), 1);
	assert_int_equal(count("SELECT COUNT(*) FROM person WHERE id = ?", fx.actor), 1);
	/* The guardian an archive record named as who caused it is gone too,
	 * and the record names nobody now. */
	assert_int_equal(count("SELECT COUNT(*) FROM person WHERE id = ?", g3), 0);
	assert_int_equal(
		count("SELECT COUNT(*) FROM archive_record WHERE log_id = ? AND caused_by IS NOT NULL", log),
		0);
	assert_int_equal(count("SELECT COUNT(*) FROM session WHERE person_id = ?", g3), 0);
	/* Feeds that may have shown the log are rebuilt. */
	assert_int_equal(count("SELECT COUNT(*) FROM calendar_feed WHERE person_id = ? AND text IS NOT NULL",
			       fx.holder),
			 0);
	assert_int_equal(count("SELECT COUNT(*) FROM calendar_feed WHERE person_id = ? AND text IS NOT NULL",
			       fx.actor),
			 0);
	/* The trail keeps its rows and has one more. */
	assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE log_id = ?", log), audit_before + 1);
	assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE log_id = ? AND action = 'log.purge'"
			       " AND detail = 'withdrawn' AND person_id IS NULL",
			       log),
			 1);

	/* Once more: nothing left to delete. */
	purge(log, "withdrawn", record, "ARK-1", 0);
	db_request_end();
	arena_reset();
}

struct kept {
	int64_t log[8];
	char why[8][20];
	int n;
};

static void note_kept(void *ctx, int64_t municipality_id, int64_t log_id, const char *why)
{
	struct kept *k = ctx;
	assert_int_equal(municipality_id, fx.muni);
	if (k->n < 8) {
		k->log[k->n] = log_id;
		snprintf(k->why[k->n], sizeof k->why[0], "%s", why);
		k->n++;
	}
}

static int64_t closed_log(const char *closed_at)
{
	int64_t log = unit_add_log(fx.muni, fx.holder, fx.unit, "active", 100);
	EXEC("UPDATE log SET state = 'closed', closed_at = ? WHERE id = ?", "si", closed_at, (long long)log);
	return log;
}

static void record(int64_t log, const char *state)
{
	EXEC("INSERT INTO archive_record (municipality_id, log_id, kind, caused_by, unit_id, document_date,"
	     " public_title, lang, state, archive_reference) VALUES (?, ?, 'closed', ?, ?, CURRENT_DATE,"
	     " 'Stafettlogg', 'nb', ?, IF(? = 'acknowledged', 'ARK-R', NULL))",
	     "iiiiss", (long long)fx.muni, (long long)log, (long long)fx.holder, (long long)fx.unit, state,
	     state);
}

/* Fjordvik keeps closed logs 5 years (the default): on 2040-06-02 a log
 * closed 2035-06-01 is due, one closed 2035-06-02 is not yet. */
static void retention_deletes_closed_logs_once_archived(void **state)
{
	(void)state;
	/* A connection of its own: the statements a connection keeps are few,
	 * and this file asks many of its own. */
	db_close();
	assert_int_equal(db_connect("database"), 0);
	db_request_begin();
	assert_int_equal(count("SELECT retention_years FROM municipality WHERE id = ?", fx.muni), 5);
	int64_t archived = closed_log("2035-06-01 10:00:00");
	int64_t waiting = closed_log("2035-06-01 11:00:00");
	int64_t early = closed_log("2035-06-02 08:00:00");
	int64_t refiled = closed_log("2035-05-01 08:00:00");
	record(archived, "acknowledged");
	record(waiting, "delivered");
	record(early, "acknowledged");
	record(refiled, "acknowledged");
	record(refiled, "queued"); /* closed again since: the newest copy is not there yet */
	struct logpurge_count c;
	struct kept k = { 0 };
	assert_int_equal(logpurge_retention("2040-06-02", &c, note_kept, &k), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM log WHERE id = ?", archived), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM log_tombstone WHERE log_id = ? AND reason = 'retention'"
			       " AND archive_reference = 'ARK-R'",
			       archived),
			 1);
	assert_int_equal(count("SELECT COUNT(*) FROM log WHERE id = ?", waiting), 1);
	assert_int_equal(count("SELECT COUNT(*) FROM log WHERE id = ?", early), 1);
	assert_int_equal(count("SELECT COUNT(*) FROM log WHERE id = ?", refiled), 1);
	assert_true(c.deleted >= 1 && c.not_archived >= 2 && c.due >= 3);
	bool saw_waiting = false, saw_refiled = false, saw_early = false;
	for (int i = 0; i < k.n; i++) {
		saw_waiting |= k.log[i] == waiting && strcmp(k.why[i], "not archived") == 0;
		saw_refiled |= k.log[i] == refiled && strcmp(k.why[i], "not archived") == 0;
		saw_early |= k.log[i] == early;
	}
	assert_true(saw_waiting && saw_refiled && !saw_early);
	/* A day later the early one goes too. */
	assert_int_equal(logpurge_retention("2040-06-03", &c, NULL, NULL), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM log WHERE id = ?", early), 0);
	db_request_end();
	arena_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_purge_knows_every_table_of_a_log),
		cmocka_unit_test(the_purge_knows_every_reference_to_a_person),
		cmocka_unit_test(a_withdrawn_log_is_deleted_but_its_tombstone),
		cmocka_unit_test(retention_deletes_closed_logs_once_archived),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
