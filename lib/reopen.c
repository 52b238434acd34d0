/* reopen.c — reopening a closed log (reopen.h): SQL for reopen_request and
 * reopen_answer, the log's row when it is reopened, their history, and the
 * notices to those asked and to the holder. Every query filters on the
 * municipality. */
#include "reopen.h"

#include <string.h>

#include "arena.h"
#include "archive.h"
#include "consent.h"
#include "db.h"
#include "guardian.h"
#include "history.h"
#include "outbox.h"
#include "session.h"

struct log_lock {
	char *state;
	bool withdrawn;
	int64_t holder;
};
static const struct db_col lock_cols[] = {
	DB_COL(struct log_lock, state, DB_STR),
	DB_COL(struct log_lock, withdrawn, DB_BOOL),
	DB_COL(struct log_lock, holder, DB_I64),
};
static const struct db_map lock_map = DB_MAP(struct log_lock, lock_cols);

/* The log's row locked first, so two asks or two last answers at once
 * follow each other. 1 closed (consent not withdrawn), 0 not, or < 0. */
static int lock_closed(const struct session *s, int64_t log_id, struct log_lock *l)
{
	int rc = db_select_one(&lock_map, l,
			       "SELECT state, withdrawn_at IS NOT NULL, holder_person_id FROM log"
			       " WHERE municipality_id = ? AND id = ? FOR UPDATE",
			       "ii", (long long)s->municipality_id, (long long)log_id);
	if (rc <= 0)
		return rc < 0 ? rc : DB_ERROR; /* authz found it in this transaction */
	return strcmp(l->state, "closed") == 0 && !l->withdrawn;
}

struct request_row {
	int64_t id;
	char *state;
};
static const struct db_col request_cols[] = {
	DB_COL(struct request_row, id, DB_I64),
	DB_COL(struct request_row, state, DB_STR),
};
static const struct db_map request_map = DB_MAP(struct request_row, request_cols);

/* The open request (request_id 0: whichever is open), locked. 1, 0 none, or < 0. */
static int open_request(const struct session *s, int64_t log_id, int64_t request_id, struct request_row *r)
{
	return db_select_one(&request_map, r,
			     "SELECT id, state FROM reopen_request WHERE municipality_id = ? AND log_id = ?"
			     " AND state = 'asked' AND (? = 0 OR id = ?) ORDER BY id DESC LIMIT 1 FOR UPDATE",
			     "iiii", (long long)s->municipality_id, (long long)log_id, (long long)request_id,
			     (long long)request_id);
}

/* A notice to someone of the log, at the address typed on the log for a
 * guardian (else their own); gated, naming no child (the templates of
 * KIND). */
static int tell(const struct session *s, int64_t log_id, int64_t person_id, const char *kind)
{
	struct guardian *g;
	int ng = guardian_list(s->municipality_id, log_id, &g);
	if (ng < 0)
		return ng;
	const char *to = NULL;
	for (int i = 0; i < ng; i++)
		if (g[i].person_id == person_id)
			to = g[i].email;
	enum outbox_notice o;
	return outbox_notify(s->municipality_id, person_id, log_id, kind, to,
			     arena_printf("/logg/%lld/gjenapne", (long long)log_id), true, NULL, &o);
}

int reopen_ask(const struct session *s, int64_t log_id, const char *reason, enum reopen_outcome *o,
	       int64_t *request_id)
{
	struct log_lock l;
	struct request_row open;
	struct consent_person *who;
	*request_id = 0;
	int rc = lock_closed(s, log_id, &l);
	if (rc <= 0) {
		*o = REOPEN_NOT_CLOSED;
		return rc;
	}
	if ((rc = open_request(s, log_id, 0, &open)) != 0) {
		*o = REOPEN_PENDING;
		return rc < 0 ? rc : 0;
	}
	int n = consent_required(s->municipality_id, log_id, &who);
	if (n <= 0) {
		*o = REOPEN_NOBODY;
		return n;
	}
	rc = db_exec("INSERT INTO reopen_request (municipality_id, log_id, requested_by, reason)"
		     " VALUES (?, ?, ?, ?)",
		     "iiis", (long long)s->municipality_id, (long long)log_id, (long long)s->person_id,
		     reason);
	if (rc < 0)
		return rc;
	*request_id = db_last_id();
	if ((rc = history_record(s, log_id, "reopen_request", *request_id, "asked", NULL, reason)) < 0)
		return rc;
	for (int i = 0; i < n; i++)
		if ((rc = tell(s, log_id, who[i].person_id, "reopen_asked")) < 0)
			return rc;
	*o = REOPEN_DONE;
	return 0;
}

int reopen_withdraw(const struct session *s, int64_t log_id, int64_t request_id, enum reopen_outcome *o)
{
	struct log_lock l;
	struct request_row r;
	int rc = lock_closed(s, log_id, &l);
	if (rc < 0)
		return rc;
	if ((rc = open_request(s, log_id, request_id, &r)) <= 0) {
		*o = REOPEN_STALE;
		return rc;
	}
	rc = db_exec("UPDATE reopen_request SET state = 'withdrawn', decided_at = CURRENT_TIMESTAMP(3),"
		     " version = version + 1 WHERE municipality_id = ? AND id = ?",
		     "ii", (long long)s->municipality_id, (long long)r.id);
	if (rc < 0 ||
	    (rc = history_record(s, log_id, "reopen_request", r.id, "withdrawn", NULL, "withdrawn")) < 0)
		return rc;
	*o = REOPEN_DONE;
	return 0;
}

struct answer_row {
	int64_t person_id;
	bool approved;
};
static const struct db_col answer_cols[] = {
	DB_COL(struct answer_row, person_id, DB_I64),
	DB_COL(struct answer_row, approved, DB_BOOL),
};
static const struct db_map answer_map = DB_MAP(struct answer_row, answer_cols);

/* Whether every one of those asked has approved request_id. 1, 0, or < 0. */
static int all_approved(const struct session *s, int64_t request_id, const struct consent_person *who, int n)
{
	struct answer_row *a;
	int na = db_select(&answer_map, &a,
			   "SELECT person_id, approved FROM reopen_answer WHERE municipality_id = ?"
			   " AND request_id = ?",
			   "ii", (long long)s->municipality_id, (long long)request_id);
	if (na < 0)
		return na;
	for (int i = 0; i < n; i++) {
		bool yes = false;
		for (int k = 0; k < na; k++)
			yes = yes || (a[k].person_id == who[i].person_id && a[k].approved);
		if (!yes)
			return 0;
	}
	return 1;
}

/* The request is decided (approved or refused) and the holder told. */
static int decide(const struct session *s, int64_t log_id, const struct log_lock *l, int64_t request_id,
		  const char *state)
{
	int rc = db_exec("UPDATE reopen_request SET state = ?, decided_at = CURRENT_TIMESTAMP(3),"
			 " version = version + 1 WHERE municipality_id = ? AND id = ?",
			 "sii", state, (long long)s->municipality_id, (long long)request_id);
	return rc < 0 ? rc : tell(s, log_id, l->holder, "reopen_decided");
}

/* The last approval: the log is open again, from closed to active, with
 * closed_at cleared (reopen.h) and the change in its history. */
static int reopen_log(const struct session *s, int64_t log_id)
{
	int rc = db_exec("UPDATE log SET state = 'active', closed_at = NULL, version = version + 1"
			 " WHERE municipality_id = ? AND id = ? AND state = 'closed'",
			 "ii", (long long)s->municipality_id, (long long)log_id);
	if (rc < 0 || (rc = history_record(s, log_id, "log", log_id, "state", "closed", "active")) < 0)
		return rc;
	/* A transition like the others: the archive's copy as it is reopened. */
	return archive_queue(s, log_id, "reopened", 0);
}

int reopen_answer(const struct session *s, int64_t log_id, int64_t request_id, bool approve,
		  const char *reason, enum reopen_outcome *o)
{
	struct log_lock l;
	struct request_row r;
	struct consent_person *who;
	int rc = lock_closed(s, log_id, &l);
	if (rc <= 0) {
		*o = REOPEN_NOT_CLOSED;
		return rc;
	}
	if ((rc = open_request(s, log_id, request_id, &r)) <= 0) {
		*o = REOPEN_STALE;
		return rc;
	}
	int n = consent_required(s->municipality_id, log_id, &who);
	if (n < 0)
		return n;
	bool asked = false;
	for (int i = 0; i < n; i++)
		asked = asked || who[i].person_id == s->person_id;
	if (!asked) {
		*o = REOPEN_NOT_ASKED;
		return 0;
	}
	rc = db_exec("INSERT IGNORE INTO reopen_answer (request_id, person_id, municipality_id, approved)"
		     " VALUES (?, ?, ?, ?)",
		     "iiii", (long long)r.id, (long long)s->person_id, (long long)s->municipality_id,
		     (long long)approve);
	if (rc <= 0) {
		*o = REOPEN_ANSWERED;
		return rc;
	}
	rc = history_record(s, log_id, "reopen_request", r.id, approve ? "approved" : "refused", NULL,
			    approve ? "approved" : "refused");
	if (rc < 0)
		return rc;
	if (!approve) {
		if (reason && *reason &&
		    (rc = history_record(s, log_id, "reopen_request", r.id, "refuse_reason", NULL, reason)) <
			    0)
			return rc;
		*o = REOPEN_REFUSED;
		return decide(s, log_id, &l, r.id, "refused");
	}
	if ((rc = all_approved(s, r.id, who, n)) <= 0) {
		*o = REOPEN_DONE;
		return rc;
	}
	if ((rc = decide(s, log_id, &l, r.id, "approved")) < 0 || (rc = reopen_log(s, log_id)) < 0)
		return rc;
	*o = REOPEN_REOPENED;
	return 0;
}

struct status_row {
	int64_t id;
	char *state;
	char *reason;
	char *created_at;
	char *decided_at;
	char *given_name;
	char *family_name;
};
static const struct db_col status_cols[] = {
	DB_COL(struct status_row, id, DB_I64),		DB_COL(struct status_row, state, DB_STR),
	DB_COL(struct status_row, reason, DB_STR),	DB_COL(struct status_row, created_at, DB_STR),
	DB_COL(struct status_row, decided_at, DB_STR),	DB_COL(struct status_row, given_name, DB_STR),
	DB_COL(struct status_row, family_name, DB_STR),
};
static const struct db_map status_map = DB_MAP(struct status_row, status_cols);

static const struct db_col asked_cols[] = {
	DB_COL(struct reopen_asked, person_id, DB_I64),	  DB_COL(struct reopen_asked, given_name, DB_STR),
	DB_COL(struct reopen_asked, family_name, DB_STR), DB_COL(struct reopen_asked, answer, DB_INT),
	DB_COL(struct reopen_asked, answered_at, DB_STR), DB_COL(struct reopen_asked, refuse_reason, DB_STR),
};
static const struct db_map asked_map = DB_MAP(struct reopen_asked, asked_cols);

int reopen_status(int64_t municipality_id, int64_t log_id, struct reopen_status *out)
{
	struct status_row r;
	long long m = municipality_id, l = log_id;
	*out = (struct reopen_status){ 0 };
	int rc = db_select_one(&status_map, &r,
			       "SELECT r.id, r.state, r.reason, DATE_FORMAT(r.created_at, '%Y-%m-%d %H:%i'),"
			       " DATE_FORMAT(r.decided_at, '%Y-%m-%d %H:%i'), p.given_name, p.family_name"
			       " FROM reopen_request r JOIN person p ON p.id = r.requested_by"
			       " WHERE r.municipality_id = ? AND r.log_id = ? ORDER BY r.id DESC LIMIT 1",
			       "ii", m, l);
	if (rc <= 0)
		return rc;
	*out = (struct reopen_status){ .id = r.id,
				       .state = r.state,
				       .reason = r.reason,
				       .created_at = r.created_at,
				       .decided_at = r.decided_at,
				       .holder_given_name = r.given_name,
				       .holder_family_name = r.family_name };
	/* Who answered, named as the log names them, with a refusal's reason
	 * from the history. */
	struct reopen_asked *answered;
	int na = db_select(
		&asked_map, &answered,
		"SELECT a.person_id, COALESCE(g.given_name, IF(lg.subject_person_id = p.id,"
		" lg.subject_given_name, NULL), p.given_name), COALESCE(g.family_name,"
		" IF(lg.subject_person_id = p.id, lg.subject_family_name, NULL), p.family_name),"
		" a.approved, DATE_FORMAT(a.answered_at, '%Y-%m-%d %H:%i'),"
		" (SELECT h.new_value FROM log_history h WHERE h.municipality_id = a.municipality_id"
		"  AND h.log_id = lg.id AND h.entity = 'reopen_request' AND h.entity_id = a.request_id"
		"  AND h.field = 'refuse_reason' AND h.person_id = a.person_id ORDER BY h.id DESC LIMIT 1)"
		" FROM reopen_answer a JOIN person p ON p.id = a.person_id"
		" JOIN log lg ON lg.id = ? AND lg.municipality_id = a.municipality_id"
		" LEFT JOIN log_guardian g ON g.log_id = lg.id AND g.person_id = a.person_id"
		" WHERE a.municipality_id = ? AND a.request_id = ? ORDER BY a.answered_at, a.person_id",
		"iii", l, m, (long long)r.id);
	if (na < 0)
		return na;
	if (strcmp(r.state, "asked") != 0) {
		out->asked = answered;
		out->nasked = na;
		return 0;
	}
	/* While asked: everyone asked now, each with their answer if given. */
	struct consent_person *who;
	int n = consent_required(municipality_id, log_id, &who);
	if (n < 0)
		return n;
	out->asked = arena_alloc(sizeof *out->asked * (size_t)(n > 0 ? n : 1));
	for (int i = 0; i < n; i++) {
		struct reopen_asked *a = &out->asked[i];
		*a = (struct reopen_asked){ .person_id = who[i].person_id,
					    .given_name = who[i].given_name,
					    .family_name = who[i].family_name,
					    .answer = -1 };
		for (int k = 0; k < na; k++)
			if (answered[k].person_id == who[i].person_id) {
				a->answer = answered[k].answer;
				a->answered_at = answered[k].answered_at;
				a->refuse_reason = answered[k].refuse_reason;
			}
	}
	out->nasked = n;
	return 0;
}
