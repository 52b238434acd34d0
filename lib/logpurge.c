/* logpurge.c — SQL of logpurge.h. Deletes from every table of a log (the
 * list of lib/logmove.c and the rows hanging off them), outbox and
 * calendar_feed rows about it, the child's and guardians' person rows and
 * what hangs off them; writes log_tombstone and, through audit.c, the trail. */
#include "logpurge.h"

#include <string.h>

#include "arena.h"
#include "audit.h"
#include "crypto.h"
#include "db.h"
#include "log.h"

/* The kept calendar feed text of everyone the log's meetings, measures and
 * relations may have put into a feed: emptied, so it is rebuilt without
 * them at the next fetch (lib/calendar.c). */
static const char *const feeds =
	"UPDATE calendar_feed f JOIN ("
	" SELECT p.person_id AS id FROM meeting_participant p JOIN meeting g ON g.id = p.meeting_id"
	"  WHERE g.municipality_id = ? AND g.log_id = ?"
	" UNION SELECT responsible_person_id FROM measure WHERE municipality_id = ? AND log_id = ?"
	" UNION SELECT person_id FROM log_actor WHERE municipality_id = ? AND log_id = ?"
	" UNION SELECT person_id FROM log_guardian WHERE municipality_id = ? AND log_id = ?"
	" UNION SELECT holder_person_id FROM log WHERE municipality_id = ? AND id = ?"
	" UNION SELECT subject_person_id FROM log WHERE municipality_id = ? AND id = ?"
	") x ON x.id = f.person_id SET f.text = NULL, f.text_hash = NULL";

/* A log's rows, each statement by (municipality, log), rows before the rows
 * their foreign keys refer to; the log itself last. */
static const char *const rows[] = {
	"DELETE x FROM reopen_answer x JOIN reopen_request r ON r.id = x.request_id"
	" WHERE r.municipality_id = ? AND r.log_id = ?",
	"DELETE FROM reopen_request WHERE municipality_id = ? AND log_id = ?",
	"DELETE FROM log_transition WHERE municipality_id = ? AND log_id = ?",
	"DELETE FROM handover WHERE municipality_id = ? AND log_id = ?",
	"DELETE x FROM minutes_entry x JOIN minutes n ON n.id = x.minutes_id"
	" WHERE n.municipality_id = ? AND n.log_id = ?",
	"DELETE x FROM minutes_measure x JOIN minutes n ON n.id = x.minutes_id"
	" WHERE n.municipality_id = ? AND n.log_id = ?",
	"DELETE FROM minutes WHERE municipality_id = ? AND log_id = ?",
	"DELETE x FROM meeting_participant x JOIN meeting m ON m.id = x.meeting_id"
	" WHERE m.municipality_id = ? AND m.log_id = ?",
	"DELETE FROM meeting WHERE municipality_id = ? AND log_id = ?",
	"DELETE cs FROM consent_scope cs JOIN consent c ON c.id = cs.consent_id"
	" WHERE c.municipality_id = ? AND c.log_id = ?",
	"DELETE FROM consent WHERE municipality_id = ? AND log_id = ?",
	"DELETE FROM document WHERE municipality_id = ? AND log_id = ?",
	"DELETE FROM evaluation WHERE municipality_id = ? AND log_id = ?",
	"DELETE FROM note WHERE municipality_id = ? AND log_id = ?",
	"DELETE FROM measure WHERE municipality_id = ? AND log_id = ?",
	"DELETE FROM goal WHERE municipality_id = ? AND log_id = ?",
	"DELETE ca FROM concern_area ca JOIN concern c ON c.id = ca.concern_id"
	" WHERE c.municipality_id = ? AND c.log_id = ?",
	"DELETE FROM concern WHERE municipality_id = ? AND log_id = ?",
	"DELETE FROM state_request WHERE municipality_id = ? AND log_id = ?",
	"DELETE FROM log_history WHERE municipality_id = ? AND log_id = ?",
	"DELETE FROM consent_service WHERE municipality_id = ? AND log_id = ?",
	"DELETE FROM log_actor WHERE municipality_id = ? AND log_id = ?",
	"DELETE FROM log_guardian WHERE municipality_id = ? AND log_id = ?",
	"DELETE FROM message_read WHERE municipality_id = ? AND log_id = ?",
	"DELETE FROM message WHERE municipality_id = ? AND log_id = ?",
	"DELETE v FROM agreement_version v JOIN agreement a ON a.id = v.agreement_id"
	" WHERE a.municipality_id = ? AND a.log_id = ?",
	"DELETE FROM agreement WHERE municipality_id = ? AND log_id = ?",
	"DELETE t FROM invitation_token t JOIN invitation i ON i.id = t.invitation_id"
	" WHERE i.municipality_id = ? AND i.log_id = ?",
	"DELETE FROM invitation WHERE municipality_id = ? AND log_id = ?",
	/* Its mail: what is not sent yet is never sent; a sent (or given up)
	 * mail's values were erased when the server answered (lib/outbox.c),
	 * and its row stays the municipality's record of mail, about no log. */
	"DELETE FROM outbox WHERE municipality_id = ? AND log_id = ? AND state = 'pending'",
	"UPDATE outbox SET log_id = NULL, params_sealed = NULL, params_key_id = NULL"
	" WHERE municipality_id = ? AND log_id = ?",
	"DELETE FROM log WHERE municipality_id = ? AND id = ?",
};

/* Every place outside what hangs off a person (and the archive records)
 * that may name one: a person named in any of them stays. One statement
 * asks them all (X: the table and the column). */
/* clang-format off */
#define NAMING(X)                                                                                  \
	X("staff_role", "person_id") X("staff_role", "cleared_by") X("staff_role", "appointed_by")   \
	X("log", "subject_person_id") X("log", "holder_person_id") X("log", "created_by")           \
	X("log_guardian", "person_id") X("log_actor", "person_id") X("log_actor", "removed_by")     \
	X("document", "uploaded_by") X("consent", "person_id") X("consent", "recorded_by")          \
	X("consent", "withdrawn_by") X("concern", "created_by") X("goal", "created_by")             \
	X("measure", "responsible_person_id") X("measure", "created_by")                            \
	X("evaluation", "by_person_id") X("note", "author_person_id")                               \
	X("state_request", "person_id") X("state_request", "handled_by")                            \
	X("log_history", "person_id") X("invitation", "person_id") X("invitation", "invited_by")    \
	X("invitation", "revoked_by") X("message", "author_person_id")                              \
	X("message_read", "person_id") X("meeting", "created_by")                                   \
	X("meeting_participant", "person_id") X("minutes", "approved_by")                           \
	X("minutes", "created_by") X("minutes_entry", "person_id") X("agreement", "created_by")     \
	X("agreement_version", "created_by") X("handover", "from_person_id")                        \
	X("handover", "to_person_id") X("log_transition", "by_person_id")                           \
	X("log_transition", "from_person_id") X("log_transition", "to_person_id")                   \
	X("reopen_request", "requested_by") X("reopen_answer", "person_id")
/* clang-format on */
#define NAMING_ENTRY(t, c) { t, c },
#define NAMING_SQL(t, c) " OR EXISTS (SELECT 1 FROM " t " WHERE " c " = p.id)"
static const struct {
	const char *table, *column;
} naming[] = { NAMING(NAMING_ENTRY) };
#define NNAMING (sizeof naming / sizeof naming[0])
static const char *const naming_sql = "SELECT FALSE" NAMING(NAMING_SQL) " FROM (SELECT ? AS id) p";

/* What hangs off a person and goes with them (by person_id). */
struct hanging {
	const char *table, *sql;
};
#define HANGS(t)                                                                                             \
	{                                                                                                    \
		t, "DELETE FROM " t " WHERE person_id = ?"                                                   \
	}
static const struct hanging hanging[] = {
	HANGS("session"), HANGS("form_use"), HANGS("notice_gate"), HANGS("calendar_feed"), HANGS("outbox"),
};
#define NHANGING (sizeof hanging / sizeof hanging[0])

const char *logpurge_naming(size_t i, const char **column)
{
	if (i >= NNAMING)
		return NULL;
	*column = naming[i].column;
	return naming[i].table;
}

const char *logpurge_hanging(size_t i)
{
	return i < NHANGING ? hanging[i].table : NULL;
}

struct id_row {
	int64_t id;
};
static const struct db_col id_cols[] = { DB_COL(struct id_row, id, DB_I64) };
static const struct db_map id_map = DB_MAP(struct id_row, id_cols);

/* 1 when anything in naming still names the person, 0 if not, or < 0. */
static int still_named(int64_t person_id)
{
	struct id_row r;
	int rc = db_select_one(&id_map, &r, naming_sql, "i", (long long)person_id);
	return rc <= 0 ? (rc < 0 ? rc : DB_ERROR) : r.id != 0;
}

/* The person is deleted, with what hangs off them (an archive record that
 * names them as who caused it loses the name: sql/016). Should a key the
 * naming list does not know still refer to them, the row is emptied
 * instead: no name, a random number that opens to nothing, no birth date
 * or contact details. */
static int forget_person(int64_t m, int64_t person_id)
{
	long long p = person_id;
	int rc = 0;
	for (size_t i = 0; rc >= 0 && i < NHANGING; i++)
		rc = db_exec(hanging[i].sql, "i", p);
	if (rc < 0)
		return rc;
	rc = db_exec("DELETE FROM person WHERE municipality_id = ? AND id = ?", "ii", (long long)m, p);
	if (rc != DB_REFERENCED)
		return rc < 0 ? rc : 0;
	unsigned char sealed[48], hmac[32];
	if (crypto_random(sealed, sizeof sealed) < 0 || crypto_random(hmac, sizeof hmac) < 0)
		return DB_ERROR;
	rc = db_exec("UPDATE person SET nin_sealed = ?, nin_key_id = 0, nin_hmac = ?, birth_date = NULL,"
		     " given_name = '', family_name = '', title = NULL, email = NULL, phone = NULL,"
		     " email_notices = FALSE, mail_lang = NULL, protected_address = FALSE,"
		     " first_login_at = NULL, version = version + 1 WHERE municipality_id = ? AND id = ?",
		     "bbii", sealed, sizeof sealed, hmac, sizeof hmac, (long long)m, p);
	return rc < 0 ? rc : 0;
}

int logpurge_forget(int64_t municipality_id, int64_t person_id)
{
	int rc = still_named(person_id);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	rc = forget_person(municipality_id, person_id);
	return rc < 0 ? rc : 1;
}

struct log_row {
	int64_t subject;
	bool withdrawn;
	char *state;
};
static const struct db_col log_cols[] = {
	DB_COL(struct log_row, subject, DB_I64),
	DB_COL(struct log_row, withdrawn, DB_BOOL),
	DB_COL(struct log_row, state, DB_STR),
};
static const struct db_map log_map = DB_MAP(struct log_row, log_cols);

int logpurge_rows(int64_t municipality_id, int64_t log_id)
{
	long long m = municipality_id, l = log_id;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int rc = db_exec(rows[i], "ii", m, l);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int logpurge_run(int64_t municipality_id, int64_t log_id, const char *reason, int64_t archive_record_id,
		 const char *archive_reference)
{
	long long m = municipality_id, l = log_id;
	struct log_row lr;
	int rc = db_select_one(&log_map, &lr,
			       "SELECT subject_person_id, withdrawn_at IS NOT NULL, state FROM log"
			       " WHERE municipality_id = ? AND id = ? FOR UPDATE",
			       "ii", m, l);
	if (rc <= 0)
		return rc;
	/* Only what the reason allows: a withdrawn consent's log, or a closed one. */
	bool withdrawn = reason && strcmp(reason, "withdrawn") == 0;
	bool retention = reason && strcmp(reason, "retention") == 0;
	if (!(withdrawn && lr.withdrawn) && !(retention && strcmp(lr.state, "closed") == 0)) {
		log_error("logpurge: log %lld may not be deleted for %s", l, reason ? reason : "no reason");
		return DB_ERROR;
	}
	struct id_row *people;
	int n = db_select(
		&id_map, &people,
		"SELECT subject_person_id FROM log WHERE municipality_id = ? AND id = ?"
		" UNION SELECT person_id FROM log_guardian WHERE municipality_id = ? AND log_id = ?",
		"iiii", m, l, m, l);
	if (n < 0)
		return n;
	rc = db_exec(
		"INSERT INTO log_tombstone (log_id, municipality_id, created_at, closed_at, reason,"
		" archive_record_id, archive_reference) SELECT id, municipality_id, created_at,"
		" COALESCE(closed_at, withdrawn_at), ?, ?, ? FROM log WHERE municipality_id = ? AND id = ?",
		"sIsii", reason, (long long)archive_record_id, archive_reference, m, l);
	if (rc < 0)
		return rc;
	if ((rc = db_exec(feeds, "iiiiiiiiiiii", m, l, m, l, m, l, m, l, m, l, m, l)) < 0)
		return rc;
	if ((rc = logpurge_rows(municipality_id, log_id)) < 0)
		return rc;
	for (int i = 0; i < n; i++) {
		if ((rc = logpurge_forget(municipality_id, people[i].id)) < 0)
			return rc;
	}
	struct audit_entry a = {
		.municipality_id = municipality_id,
		.role = "system",
		.log_id = log_id,
		.action = "log.purge",
		.outcome = "ok",
		.detail = withdrawn ? "withdrawn" : "retention",
	};
	rc = audit_append(&a);
	return rc < 0 ? rc : 1;
}

static const struct db_col wait_cols[] = {
	DB_COL(struct logpurge_wait, state, DB_STR),
	DB_COL(struct logpurge_wait, last_error, DB_STR),
};
static const struct db_map wait_map = DB_MAP(struct logpurge_wait, wait_cols);

int logpurge_waiting(int64_t municipality_id, int64_t log_id, struct logpurge_wait *w)
{
	memset(w, 0, sizeof *w);
	int rc = db_select_one(
		&wait_map, w,
		"SELECT state, last_error FROM archive_record WHERE log_id = ? AND municipality_id = ?"
		" AND kind = 'withdrawn' ORDER BY id DESC LIMIT 1",
		"ii", (long long)log_id, (long long)municipality_id);
	return rc < 0 ? rc : 0;
}

/* --- retention ------------------------------------------------------------ */

struct due_row {
	int64_t municipality_id;
	int64_t log_id;
};
static const struct db_col due_cols[] = {
	DB_COL(struct due_row, municipality_id, DB_I64),
	DB_COL(struct due_row, log_id, DB_I64),
};
static const struct db_map due_map = DB_MAP(struct due_row, due_cols);

struct record_row {
	int64_t id;
	char *state;
	char *reference;
};
static const struct db_col record_cols[] = {
	DB_COL(struct record_row, id, DB_I64),
	DB_COL(struct record_row, state, DB_STR),
	DB_COL(struct record_row, reference, DB_STR),
};
static const struct db_map record_map = DB_MAP(struct record_row, record_cols);

struct retain_ctx {
	const struct due_row *d;
	const char *today;
	int outcome; /* 1 deleted, 0 not archived, -1 no longer due */
};

/* One log, in its own transaction: still closed and past its period under
 * the lock, and its newest 'closed' archive record acknowledged. */
static int retain_one(void *ctx)
{
	struct retain_ctx *c = ctx;
	long long m = c->d->municipality_id, l = c->d->log_id;
	struct id_row r;
	int rc = db_select_one(&id_map, &r,
			       "SELECT l.id FROM log l JOIN municipality u ON u.id = l.municipality_id"
			       " WHERE l.municipality_id = ? AND l.id = ? AND l.state = 'closed'"
			       " AND l.closed_at < CAST(? AS DATETIME) - INTERVAL u.retention_years YEAR"
			       " FOR UPDATE",
			       "iis", m, l, c->today);
	if (rc <= 0) {
		c->outcome = -1;
		return rc;
	}
	struct record_row a;
	rc = db_select_one(&record_map, &a,
			   "SELECT id, state, archive_reference FROM archive_record"
			   " WHERE log_id = ? AND municipality_id = ? AND kind = 'closed'"
			   " ORDER BY id DESC LIMIT 1",
			   "ii", l, m);
	if (rc < 0)
		return rc;
	if (rc == 0 || strcmp(a.state, "acknowledged") != 0) {
		c->outcome = 0;
		return 0;
	}
	rc = logpurge_run(c->d->municipality_id, c->d->log_id, "retention", a.id, a.reference);
	c->outcome = rc > 0 ? 1 : -1;
	return rc < 0 ? rc : 0;
}

int logpurge_retention(const char *today, struct logpurge_count *c,
		       void (*report)(void *ctx, int64_t municipality_id, int64_t log_id, const char *why),
		       void *ctx)
{
	memset(c, 0, sizeof *c);
	struct due_row *due;
	int n = db_select(&due_map, &due,
			  "SELECT l.municipality_id, l.id FROM municipality u JOIN log l"
			  " ON l.municipality_id = u.id AND l.state = 'closed'"
			  " WHERE l.closed_at < CAST(? AS DATETIME) - INTERVAL u.retention_years YEAR"
			  " ORDER BY l.municipality_id, l.id",
			  "s", today);
	if (n < 0)
		return n;
	c->due = n;
	for (int i = 0; i < n; i++) {
		struct retain_ctx r = { &due[i], today, -1 };
		int rc = db_transaction(retain_one, &r);
		const char *why = NULL;
		if (rc < 0) {
			log_error("logpurge: closed log %lld could not be deleted (%d)",
				  (long long)due[i].log_id, rc);
			c->failed++;
			why = "failed";
			if (rc == DB_GONE)
				return rc;
		} else if (r.outcome == 1) {
			c->deleted++;
		} else if (r.outcome == 0) {
			c->not_archived++;
			why = "not archived";
		} else {
			c->due--; /* reopened meanwhile: no longer due */
		}
		if (why && report)
			report(ctx, due[i].municipality_id, due[i].log_id, why);
	}
	return 0;
}
