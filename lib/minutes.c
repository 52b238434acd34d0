/* minutes.c — SQL of minutes.h: minutes, minutes_measure, minutes_entry and
 * meeting_participant.attended; reads meeting, measure, goal, person and
 * log_guardian; records history. */
#include "minutes.h"

#include <string.h>

#include "arena.h"
#include "db.h"
#include "history.h"
#include "meeting.h"
#include "session.h"

static const struct db_col minutes_cols[] = {
	DB_COL(struct minutes, id, DB_I64),
	DB_COL(struct minutes, meeting_id, DB_I64),
	DB_COL(struct minutes, child_took_part, DB_BOOL),
	DB_COL(struct minutes, guardians_took_part, DB_BOOL),
	DB_COL(struct minutes, leader_took_part, DB_BOOL),
	DB_COL(struct minutes, decisions, DB_STR),
	DB_COL(struct minutes, next_meeting, DB_STR),
	DB_COL(struct minutes, approved_at, DB_STR),
	DB_COL(struct minutes, approver_given_name, DB_STR),
	DB_COL(struct minutes, approver_family_name, DB_STR),
	DB_COL(struct minutes, author_given_name, DB_STR),
	DB_COL(struct minutes, author_family_name, DB_STR),
	DB_COL(struct minutes, created_at, DB_STR),
	DB_COL(struct minutes, version, DB_INT),
};
static const struct db_map minutes_map = DB_MAP(struct minutes, minutes_cols);

/* clang-format off */
#define MINUTES_SQL \
	"SELECT n.id, n.meeting_id, n.child_took_part, n.guardians_took_part, n.leader_took_part," \
	" n.decisions, n.next_meeting, DATE_FORMAT(n.approved_at, '%Y-%m-%d %H:%i')," \
	" ap.given_name, ap.family_name, au.given_name, au.family_name," \
	" DATE_FORMAT(n.created_at, '%Y-%m-%d %H:%i'), n.version" \
	" FROM minutes n JOIN person au ON au.id = n.created_by LEFT JOIN person ap ON ap.id = n.approved_by" \
	" WHERE n.municipality_id = ? AND n.log_id = ?"
/* clang-format on */

int minutes_get(int64_t municipality_id, int64_t log_id, int64_t meeting_id, struct minutes *out)
{
	return db_select_one(&minutes_map, out, MINUTES_SQL " AND n.meeting_id = ?", "iii",
			     (long long)municipality_id, (long long)log_id, (long long)meeting_id);
}

int minutes_list(int64_t municipality_id, int64_t log_id, struct minutes **out)
{
	return db_select(&minutes_map, out, MINUTES_SQL " ORDER BY n.meeting_id", "ii",
			 (long long)municipality_id, (long long)log_id);
}

static const struct db_col measure_cols[] = {
	DB_COL(struct minutes_measure, minutes_id, DB_I64),
	DB_COL(struct minutes_measure, measure_id, DB_I64),
	DB_COL(struct minutes_measure, description, DB_STR),
	DB_COL(struct minutes_measure, goal_text, DB_STR),
};
static const struct db_map measure_map = DB_MAP(struct minutes_measure, measure_cols);

int minutes_measures(int64_t municipality_id, int64_t log_id, int64_t minutes_id,
		     struct minutes_measure **out)
{
	return db_select(&measure_map, out,
			 "SELECT x.minutes_id, m.id, m.description, g.text FROM minutes n"
			 " JOIN minutes_measure x ON x.minutes_id = n.id"
			 " JOIN measure m ON m.id = x.measure_id AND m.log_id = n.log_id"
			 " JOIN goal g ON g.id = m.goal_id"
			 " WHERE n.municipality_id = ? AND n.log_id = ? AND (? = 0 OR n.id = ?)"
			 " ORDER BY x.minutes_id, m.id",
			 "iiii", (long long)municipality_id, (long long)log_id, (long long)minutes_id,
			 (long long)minutes_id);
}

static const struct db_col entry_cols[] = {
	DB_COL(struct minutes_entry, id, DB_I64),	  DB_COL(struct minutes_entry, kind, DB_STR),
	DB_COL(struct minutes_entry, text, DB_STR),	  DB_COL(struct minutes_entry, at, DB_STR),
	DB_COL(struct minutes_entry, given_name, DB_STR), DB_COL(struct minutes_entry, family_name, DB_STR),
};
static const struct db_map entry_map = DB_MAP(struct minutes_entry, entry_cols);

int minutes_entries(int64_t municipality_id, int64_t minutes_id, struct minutes_entry **out)
{
	return db_select(
		&entry_map, out,
		"SELECT e.id, e.kind, e.text, DATE_FORMAT(e.created_at, '%Y-%m-%d %H:%i'),"
		" COALESCE(g.given_name, IF(e.person_id = l.subject_person_id, l.subject_given_name, NULL),"
		"  p.given_name),"
		" COALESCE(g.family_name, IF(e.person_id = l.subject_person_id, l.subject_family_name, NULL),"
		"  p.family_name)"
		" FROM minutes_entry e JOIN log l ON l.id = e.log_id AND l.municipality_id = "
		"e.municipality_id"
		" JOIN person p ON p.id = e.person_id"
		" LEFT JOIN log_guardian g ON g.log_id = e.log_id AND g.person_id = e.person_id"
		" WHERE e.municipality_id = ? AND e.minutes_id = ? ORDER BY e.created_at, e.id",
		"ii", (long long)municipality_id, (long long)minutes_id);
}

/* The meeting and its minutes (if any), locked, or why they cannot change. */
static int lock(const struct session *s, int64_t log_id, int64_t meeting_id, struct meeting *mt,
		struct minutes *n, bool *have, enum minutes_outcome *o)
{
	long long m = s->municipality_id, l = log_id, id = meeting_id;
	*have = false;
	struct row {
		int64_t id;
	} r;
	static const struct db_col row_cols[] = { DB_COL(struct row, id, DB_I64) };
	static const struct db_map row_map = DB_MAP(struct row, row_cols);
	/* The meeting's row first: two saves of the same minutes wait in turn. */
	int rc = db_select_one(
		&row_map, &r,
		"SELECT id FROM meeting WHERE municipality_id = ? AND log_id = ? AND id = ? FOR UPDATE",
		"iii", m, l, id);
	if (rc < 0 || (rc = meeting_get(s->municipality_id, log_id, meeting_id, mt)) < 0)
		return rc;
	if (rc == 0) {
		*o = MINUTES_NOT_FOUND;
		return 0;
	}
	if ((rc = minutes_get(s->municipality_id, log_id, meeting_id, n)) < 0)
		return rc;
	*have = rc == 1;
	*o = MINUTES_DONE;
	return 0;
}

int minutes_save(const struct session *s, int64_t log_id, int64_t meeting_id, int version,
		 const struct minutes_input *in, enum minutes_outcome *o)
{
	struct meeting mt;
	struct minutes cur;
	bool have;
	int rc = lock(s, log_id, meeting_id, &mt, &cur, &have, o);
	if (rc < 0 || *o != MINUTES_DONE)
		return rc;
	*o = mt.cancelled_at			      ? MINUTES_CANCELLED
		: !mt.begun			      ? MINUTES_TOO_EARLY
		: have && cur.approved_at	      ? MINUTES_LOCKED
		: (have ? cur.version : 0) != version ? MINUTES_STALE
						      : MINUTES_DONE;
	if (*o != MINUTES_DONE)
		return 0;
	long long m = s->municipality_id, l = log_id;
	const char *ids = db_ids_json(in->measures, (int)in->nmeasures);
	struct count {
		int n;
	} c;
	static const struct db_col count_cols[] = { DB_COL(struct count, n, DB_INT) };
	static const struct db_map count_map = DB_MAP(struct count, count_cols);
	rc = db_select_one(&count_map, &c,
			   "SELECT COUNT(*) FROM measure WHERE municipality_id = ? AND log_id = ? AND id IN"
			   " (SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$')) AS j)",
			   "iis", m, l, ids);
	if (rc < 0)
		return rc;
	if (c.n != (int)in->nmeasures) {
		*o = MINUTES_BAD_MEASURE;
		return 0;
	}
	int64_t id = have ? cur.id : 0;
	if (!have) {
		rc = db_exec("INSERT INTO minutes (municipality_id, log_id, meeting_id, child_took_part,"
			     " guardians_took_part, leader_took_part, decisions, next_meeting, created_by)"
			     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			     "iiiiiisSi", m, l, (long long)meeting_id, (long long)in->child_took_part,
			     (long long)in->guardians_took_part, (long long)in->leader_took_part,
			     in->decisions, in->next_meeting, (long long)s->person_id);
		if (rc == DB_DUPLICATE) {
			*o = MINUTES_STALE;
			return 0;
		}
		if (rc < 0)
			return rc;
		id = db_last_id();
	} else {
		rc = db_exec("UPDATE minutes SET child_took_part = ?, guardians_took_part = ?, "
			     "leader_took_part = ?,"
			     " decisions = ?, next_meeting = ?, version = version + 1"
			     " WHERE municipality_id = ? AND id = ? AND version = ? AND approved_at IS NULL",
			     "iiisSiii", (long long)in->child_took_part, (long long)in->guardians_took_part,
			     (long long)in->leader_took_part, in->decisions, in->next_meeting, m,
			     (long long)id, (long long)version);
		if (rc < 0)
			return rc;
		if ((rc = db_exec("DELETE FROM minutes_measure WHERE minutes_id = ?", "i", (long long)id)) <
		    0)
			return rc;
	}
	rc = db_exec("INSERT INTO minutes_measure (minutes_id, measure_id)"
		     " SELECT ?, j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$')) AS j",
		     "is", (long long)id, ids);
	if (rc < 0)
		return rc;
	rc = db_exec("UPDATE meeting_participant SET attended = person_id IN"
		     " (SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$')) AS j)"
		     " WHERE municipality_id = ? AND meeting_id = ?",
		     "sii", db_ids_json(in->attended, (int)in->nattended), m, (long long)meeting_id);
	if (rc < 0)
		return rc;
	if ((rc = history_change(s, log_id, "minutes", id, "decisions", have ? cur.decisions : NULL,
				 in->decisions)) < 0 ||
	    (rc = history_change(s, log_id, "minutes", id, "next_meeting", have ? cur.next_meeting : NULL,
				 in->next_meeting)) < 0)
		return rc;
	return 0;
}

int minutes_approve(const struct session *s, int64_t log_id, int64_t meeting_id, int version,
		    enum minutes_outcome *o)
{
	struct meeting mt;
	struct minutes cur;
	bool have;
	int rc = lock(s, log_id, meeting_id, &mt, &cur, &have, o);
	if (rc < 0 || *o != MINUTES_DONE)
		return rc;
	*o = !have			 ? MINUTES_NOT_FOUND
		: cur.approved_at	 ? MINUTES_LOCKED
		: cur.version != version ? MINUTES_STALE
					 : MINUTES_DONE;
	if (*o != MINUTES_DONE)
		return 0;
	rc = db_exec("UPDATE minutes SET approved_at = CURRENT_TIMESTAMP(3), approved_by = ?, version = "
		     "version + 1"
		     " WHERE municipality_id = ? AND id = ? AND version = ?",
		     "iiii", (long long)s->person_id, (long long)s->municipality_id, (long long)cur.id,
		     (long long)version);
	if (rc < 0)
		return rc;
	return history_record(s, log_id, "minutes", cur.id, "approved", NULL,
			      arena_printf("%.16s", mt.starts_at));
}

int minutes_add_entry(const struct session *s, int64_t log_id, int64_t meeting_id, const char *kind,
		      const char *text, int64_t *id, enum minutes_outcome *o)
{
	struct meeting mt;
	struct minutes cur;
	bool have;
	int rc = lock(s, log_id, meeting_id, &mt, &cur, &have, o);
	if (rc < 0 || *o != MINUTES_DONE)
		return rc;
	bool correction = strcmp(kind, "correction") == 0;
	*o = !have ? MINUTES_NOT_FOUND : correction && !cur.approved_at ? MINUTES_NOT_APPROVED : MINUTES_DONE;
	if (*o != MINUTES_DONE)
		return 0;
	rc = db_exec("INSERT INTO minutes_entry (municipality_id, log_id, minutes_id, kind, person_id, text)"
		     " VALUES (?, ?, ?, ?, ?, ?)",
		     "iiisis", (long long)s->municipality_id, (long long)log_id, (long long)cur.id, kind,
		     (long long)s->person_id, text);
	if (rc < 0)
		return rc;
	*id = db_last_id();
	return history_record(s, log_id, "minutes", cur.id, kind, NULL, text);
}
