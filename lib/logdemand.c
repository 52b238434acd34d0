/* logdemand.c — the guardians' side of a log's state (logbook.h): their
 * demand that closes the log through the holder's own change of state
 * (logbook_set_state, so whatever closing sets off applies), who is told of
 * it, and every request of the log with what came of it. SQL for
 * state_request and the log's row; every query filters on the
 * municipality. */
#include <string.h>

#include "arena.h"
#include "db.h"
#include "history.h"
#include "logbook.h"
#include "outbox.h"
#include "session.h"

/* The log's state and version, its row locked. */
struct locked {
	char *state;
	int version;
};
static const struct db_col locked_cols[] = {
	DB_COL(struct locked, state, DB_STR),
	DB_COL(struct locked, version, DB_INT),
};
static const struct db_map locked_map = DB_MAP(struct locked, locked_cols);

struct holder_row {
	int64_t id;
};
static const struct db_col holder_cols[] = { DB_COL(struct holder_row, id, DB_I64) };
static const struct db_map holder_map = DB_MAP(struct holder_row, holder_cols);

/* A guardian to tell, at the address typed on the log (NULL: their own). */
struct told {
	int64_t person_id;
	char *email;
};
static const struct db_col told_cols[] = {
	DB_COL(struct told, person_id, DB_I64),
	DB_COL(struct told, email, DB_STR),
};
static const struct db_map told_map = DB_MAP(struct told, told_cols);

/* A log closed on demand: the holder and the other guardians are told
 * (gated notices that name no child: mail_log_closed_demand), each guardian
 * at the address typed on the log. */
static int tell_closed(const struct session *s, int64_t log_id)
{
	long long m = s->municipality_id;
	const char *path = arena_printf("/logg/%lld/status", (long long)log_id);
	struct holder_row h;
	struct told *g;
	enum outbox_notice o;
	int rc = db_select_one(&holder_map, &h,
			       "SELECT holder_person_id FROM log WHERE municipality_id = ? AND id = ?", "ii",
			       m, (long long)log_id);
	if (rc <= 0)
		return rc < 0 ? rc : DB_ERROR;
	if (h.id != s->person_id &&
	    (rc = outbox_notify(m, h.id, log_id, "log_closed_demand", NULL, path, true, NULL, &o)) < 0)
		return rc;
	int ng =
		db_select(&told_map, &g,
			  "SELECT person_id, email FROM log_guardian WHERE municipality_id = ? AND log_id = ?"
			  " ORDER BY id",
			  "ii", m, (long long)log_id);
	if (ng < 0)
		return ng;
	for (int i = 0; i < ng; i++)
		if (g[i].person_id != s->person_id && g[i].person_id != h.id &&
		    (rc = outbox_notify(m, g[i].person_id, log_id, "log_closed_demand", g[i].email, path,
					true, NULL, &o)) < 0)
			return rc;
	return 0;
}

int logbook_demand_close(const struct session *s, int64_t log_id, const char *reason,
			 enum logbook_state_outcome *outcome)
{
	struct locked cur;
	long long m = s->municipality_id, l = log_id;
	int rc = db_select_one(
		&locked_map, &cur,
		"SELECT state, version FROM log WHERE municipality_id = ? AND id = ? FOR UPDATE", "ii", m, l);
	if (rc <= 0)
		return rc < 0 ? rc : DB_ERROR;
	if (!logbook_open(cur.state)) {
		*outcome = LOGBOOK_STATE_INVALID;
		return 0;
	}
	/* The demand is a request its maker handled: not the holder's to
	 * answer, so no open request is left for them. */
	rc = db_exec("INSERT INTO state_request (municipality_id, log_id, person_id, wanted, handled_at,"
		     " handled_by) VALUES (?, ?, ?, 'closed', CURRENT_TIMESTAMP(3), ?)",
		     "iiii", m, l, (long long)s->person_id, (long long)s->person_id);
	if (rc < 0)
		return rc;
	int64_t request = db_last_id();
	if ((rc = history_record(s, log_id, "state_request", request, "demanded", NULL, "closed")) < 0)
		return rc;
	/* Every other open request is settled by the closing. */
	rc = db_exec("UPDATE state_request SET handled_at = CURRENT_TIMESTAMP(3), handled_by = ?"
		     " WHERE municipality_id = ? AND log_id = ? AND handled_at IS NULL AND wanted = 'closed'",
		     "iii", (long long)s->person_id, m, l);
	if (rc < 0)
		return rc;
	char *from;
	rc = logbook_set_state(s, log_id, cur.version, "closed", 0, reason, outcome, &from);
	return rc < 0 || *outcome != LOGBOOK_STATE_DONE ? rc : tell_closed(s, log_id);
}

static const struct db_col done_cols[] = {
	DB_COL(struct logbook_request_done, id, DB_I64),
	DB_COL(struct logbook_request_done, wanted, DB_STR),
	DB_COL(struct logbook_request_done, created_at, DB_STR),
	DB_COL(struct logbook_request_done, given_name, DB_STR),
	DB_COL(struct logbook_request_done, family_name, DB_STR),
	DB_COL(struct logbook_request_done, person_id, DB_I64),
	DB_COL(struct logbook_request_done, outcome, DB_STR),
};
static const struct db_map done_map = DB_MAP(struct logbook_request_done, done_cols);

int logbook_request_history(int64_t municipality_id, int64_t log_id, int limit,
			    struct logbook_request_done **out)
{
	/* How a handled request went is in its history row (handled: done or
	 * declined; demanded); one handled with nothing recorded was settled
	 * by a closing. */
	return db_select(
		&done_map, out,
		"SELECT r.id, r.wanted, DATE_FORMAT(r.created_at, '%Y-%m-%d %H:%i'),"
		" COALESCE(g.given_name, IF(l.subject_person_id = p.id, l.subject_given_name, NULL), "
		"p.given_name),"
		" COALESCE(g.family_name, IF(l.subject_person_id = p.id, l.subject_family_name, NULL), "
		"p.family_name),"
		" r.person_id, IF(r.handled_at IS NULL, NULL, COALESCE((SELECT IF(h.field = 'demanded',"
		"  'demanded', h.new_value) FROM log_history h WHERE h.municipality_id = r.municipality_id"
		"  AND h.log_id = r.log_id AND h.entity = 'state_request' AND h.entity_id = r.id"
		"  AND h.field IN ('handled', 'demanded') ORDER BY h.id DESC LIMIT 1), 'done'))"
		" FROM state_request r JOIN person p ON p.id = r.person_id"
		" JOIN log l ON l.id = r.log_id"
		" LEFT JOIN log_guardian g ON g.log_id = r.log_id AND g.person_id = r.person_id"
		" WHERE r.municipality_id = ? AND r.log_id = ? ORDER BY r.id DESC LIMIT ?",
		"iii", (long long)municipality_id, (long long)log_id, (long long)limit);
}
