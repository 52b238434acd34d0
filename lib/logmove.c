/* logmove.c — SQL of logmove.h. Writes person (copies of the child's and
 * the guardians' records), every table of logmove_tables, meeting_participant,
 * agreement_version, log_actor, invitation and, through audit.c, the trail. */
#include "logmove.h"

#include <stddef.h>

#include "arena.h"
#include "audit.h"
#include "db.h"
#include "logpurge.h"

/* A table of the log's and the statement that re-labels its rows. */
struct moved {
	const char *table;
	const char *sql;
};
/* clang-format off */
#define MOVED(t) { t, "UPDATE " t " SET municipality_id = ? WHERE log_id = ?" }
static const struct moved moved[] = {
	MOVED("log_guardian"), MOVED("log_actor"), MOVED("consent_service"), MOVED("document"),
	MOVED("consent"), MOVED("concern"), MOVED("goal"), MOVED("measure"), MOVED("evaluation"),
	MOVED("note"), MOVED("state_request"), MOVED("log_history"), MOVED("invitation"),
	MOVED("message"), MOVED("message_read"), MOVED("meeting"), MOVED("minutes"),
	MOVED("minutes_entry"), MOVED("agreement"), MOVED("handover"), MOVED("log_transition"),
	MOVED("reopen_request"),
};
/* clang-format on */
#define NMOVED (sizeof moved / sizeof moved[0])

const char *logmove_table(size_t i)
{
	return i < NMOVED ? moved[i].table : NULL;
}

/* Rows of the log's that hang off another of its rows, not off the log. */
static const char *const moved_children[] = {
	"UPDATE meeting_participant p JOIN meeting g ON g.id = p.meeting_id"
	" SET p.municipality_id = ? WHERE g.log_id = ?",
	"UPDATE agreement_version v JOIN agreement a ON a.id = v.agreement_id"
	" SET v.municipality_id = ? WHERE a.log_id = ?",
	"UPDATE reopen_answer a JOIN reopen_request r ON r.id = a.request_id"
	" SET a.municipality_id = ? WHERE r.log_id = ?",
	"UPDATE log SET municipality_id = ? WHERE id = ?",
};

/* Every place a log's row may name the child or a guardian (new id, log id,
 * old id). Staff and people from outside are named as they were: their
 * records stay with the municipality they worked for. */
static const char *const remap[] = {
	"UPDATE log SET subject_person_id = ? WHERE id = ? AND subject_person_id = ?",
	"UPDATE log_guardian SET person_id = ? WHERE log_id = ? AND person_id = ?",
	"UPDATE document SET uploaded_by = ? WHERE log_id = ? AND uploaded_by = ?",
	"UPDATE consent SET person_id = ? WHERE log_id = ? AND person_id = ?",
	"UPDATE consent SET recorded_by = ? WHERE log_id = ? AND recorded_by = ?",
	"UPDATE consent SET withdrawn_by = ? WHERE log_id = ? AND withdrawn_by = ?",
	"UPDATE measure SET responsible_person_id = ? WHERE log_id = ? AND responsible_person_id = ?",
	"UPDATE evaluation SET by_person_id = ? WHERE log_id = ? AND by_person_id = ?",
	"UPDATE note SET author_person_id = ? WHERE log_id = ? AND author_person_id = ?",
	"UPDATE state_request SET person_id = ? WHERE log_id = ? AND person_id = ?",
	"UPDATE state_request SET handled_by = ? WHERE log_id = ? AND handled_by = ?",
	"UPDATE log_history SET person_id = ? WHERE log_id = ? AND person_id = ?",
	"UPDATE message SET author_person_id = ? WHERE log_id = ? AND author_person_id = ?",
	"UPDATE message_read SET person_id = ? WHERE log_id = ? AND person_id = ?",
	"UPDATE minutes_entry SET person_id = ? WHERE log_id = ? AND person_id = ?",
	"UPDATE meeting_participant p JOIN meeting g ON g.id = p.meeting_id SET p.person_id = ?"
	" WHERE g.log_id = ? AND p.person_id = ?",
	"UPDATE reopen_answer a JOIN reopen_request r ON r.id = a.request_id SET a.person_id = ?"
	" WHERE r.log_id = ? AND a.person_id = ?",
};

struct id_row {
	int64_t id;
};
static const struct db_col id_cols[] = { DB_COL(struct id_row, id, DB_I64) };
static const struct db_map id_map = DB_MAP(struct id_row, id_cols);

/* The person with the same number in the receiving municipality, or a copy
 * of their record registered there (never logged in there yet). */
static int person_there(int64_t person_id, int64_t to_municipality, int64_t *out)
{
	long long to = to_municipality, p = person_id;
	int rc =
		db_exec("INSERT IGNORE INTO person (municipality_id, nin_sealed, nin_key_id, nin_hmac,"
			" birth_date, given_name, family_name, title, email, phone, email_notices, mail_lang,"
			" protected_address) SELECT ?, nin_sealed, nin_key_id, nin_hmac, birth_date,"
			" given_name, family_name, title, email, phone, email_notices, mail_lang,"
			" protected_address FROM person WHERE id = ?",
			"ii", to, p);
	struct id_row r;
	if (rc >= 0)
		rc = db_select_one(&id_map, &r,
				   "SELECT t.id FROM person f JOIN person t ON t.nin_hmac = f.nin_hmac"
				   " AND t.municipality_id = ? WHERE f.id = ?",
				   "ii", to, p);
	if (rc <= 0)
		return rc == 0 ? DB_ERROR : rc;
	*out = r.id;
	return 0;
}

/* The child and the guardians, each followed into the receiving
 * municipality wherever the log's rows name them. */
static int move_people(const struct logmove *m)
{
	struct id_row *people;
	long long l = m->log_id;
	int n = db_select(&id_map, &people,
			  "SELECT subject_person_id FROM log WHERE id = ?"
			  " UNION SELECT person_id FROM log_guardian WHERE log_id = ?",
			  "ii", l, l);
	for (int i = 0; i < n; i++) {
		int64_t there;
		int rc = person_there(people[i].id, m->to_municipality_id, &there);
		for (size_t k = 0; rc >= 0 && k < sizeof remap / sizeof remap[0]; k++)
			rc = db_exec(remap[k], "iii", (long long)there, l, (long long)people[i].id);
		/* The sending municipality forgets them, unless something else
		 * of its own still names them (another log of theirs there). */
		if (rc >= 0)
			rc = logpurge_forget(m->from_municipality_id, people[i].id);
		if (rc < 0)
			return rc;
	}
	return n < 0 ? n : 0;
}

/* No one of the sending municipality keeps access: every actor ended, every
 * invitation not yet accepted withdrawn (its link dies with it). */
static int end_access(const struct logmove *m)
{
	long long l = m->log_id, by = m->by_person_id;
	int rc = db_exec("UPDATE log_actor SET removed_at = CURRENT_TIMESTAMP(3), removed_by = ?,"
			 " version = version + 1 WHERE log_id = ? AND removed_at IS NULL",
			 "ii", by, l);
	if (rc >= 0)
		rc = db_exec("UPDATE invitation SET revoked_at = CURRENT_TIMESTAMP(3), revoked_by = ?,"
			     " version = version + 1 WHERE log_id = ? AND accepted_at IS NULL"
			     " AND revoked_at IS NULL",
			     "ii", by, l);
	return rc < 0 ? rc : 0;
}

/* One row in each municipality's trail: no personal data, the other
 * municipality by its internal id. */
static int audit_both(const struct logmove *m)
{
	struct audit_entry out = {
		.municipality_id = m->from_municipality_id,
		.person_id = m->by_person_id,
		.role = "offered",
		.log_id = m->log_id,
		.action = "log.move.out",
		.outcome = "ok",
		.detail = arena_printf("to municipality %lld", (long long)m->to_municipality_id),
	};
	struct audit_entry in = out;
	in.municipality_id = m->to_municipality_id;
	in.action = "log.move.in";
	in.detail = arena_printf("from municipality %lld", (long long)m->from_municipality_id);
	int rc = audit_append(&out);
	return rc < 0 ? rc : audit_append(&in);
}

int logmove_run(const struct logmove *m)
{
	int rc = move_people(m);
	if (rc >= 0)
		rc = end_access(m);
	long long to = m->to_municipality_id, l = m->log_id;
	for (size_t i = 0; rc >= 0 && i < NMOVED; i++)
		rc = db_exec(moved[i].sql, "ii", to, l);
	for (size_t i = 0; rc >= 0 && i < sizeof moved_children / sizeof moved_children[0]; i++)
		rc = db_exec(moved_children[i], "ii", to, l);
	if (rc < 0)
		return rc;
	return audit_both(m);
}
