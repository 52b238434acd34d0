/* guardian.c — SQL and rules of guardian.h: log_guardian rows added and
 * removed in the caller's transaction, with their history and the consent
 * recomputed (consent.c). Reads log; every query filters on the
 * municipality. */
#include "guardian.h"

#include "arena.h"
#include "consent.h"
#include "db.h"
#include "history.h"
#include "session.h"

static const struct db_col cols[] = {
	DB_COL(struct guardian, id, DB_I64),
	DB_COL(struct guardian, person_id, DB_I64),
	DB_COL(struct guardian, given_name, DB_STR),
	DB_COL(struct guardian, family_name, DB_STR),
	DB_COL(struct guardian, email, DB_STR),
	DB_COL(struct guardian, phone, DB_STR),
	DB_COL(struct guardian, first_login_at, DB_STR),
	DB_COL(struct guardian, version, DB_INT),
};
static const struct db_map map = DB_MAP(struct guardian, cols);

/* Names and contact details as typed on the log; rows from before they were
 * kept there fall back on the person's own. */
/* clang-format off */
#define GUARDIAN_COLUMNS \
	"SELECT g.id, g.person_id, COALESCE(g.given_name, p.given_name)," \
	" COALESCE(g.family_name, p.family_name), COALESCE(g.email, p.email), COALESCE(g.phone, p.phone)," \
	" DATE_FORMAT(p.first_login_at, '%Y-%m-%d'), g.version" \
	" FROM log_guardian g JOIN person p ON p.id = g.person_id"
/* clang-format on */

int guardian_list(int64_t municipality_id, int64_t log_id, struct guardian **out)
{
	return db_select(&map, out,
			 GUARDIAN_COLUMNS " WHERE g.municipality_id = ? AND g.log_id = ? ORDER BY g.id", "ii",
			 (long long)municipality_id, (long long)log_id);
}

struct log_people {
	int64_t subject;
	int64_t holder;
};
static const struct db_col people_cols[] = {
	DB_COL(struct log_people, subject, DB_I64),
	DB_COL(struct log_people, holder, DB_I64),
};
static const struct db_map people_map = DB_MAP(struct log_people, people_cols);

/* The log's row locked for the change (consent_recompute locks it again):
 * two changes to one log's guardians happen one after the other. */
static int lock_log(const struct session *s, int64_t log_id, struct log_people *out)
{
	int rc = db_select_one(&people_map, out,
			       "SELECT subject_person_id, holder_person_id FROM log"
			       " WHERE municipality_id = ? AND id = ? FOR UPDATE",
			       "ii", (long long)s->municipality_id, (long long)log_id);
	return rc == 0 ? DB_ERROR : rc; /* authz found it in this transaction */
}

struct count_row {
	int n;
};
static const struct db_col count_cols[] = { DB_COL(struct count_row, n, DB_INT) };
static const struct db_map count_map = DB_MAP(struct count_row, count_cols);

int guardian_add(const struct session *s, int64_t log_id, const struct person_new *p, int64_t *person_id,
		 enum guardian_outcome *o)
{
	long long m = s->municipality_id;
	struct log_people l;
	enum person_outcome po;
	int64_t id;
	*o = GUARDIAN_DONE;
	int rc = lock_log(s, log_id, &l);
	if (rc < 0 || (rc = person_find_or_create(s, p, &id, &po)) < 0)
		return rc;
	if (id == l.holder || id == l.subject) {
		*o = id == l.holder ? GUARDIAN_SELF : GUARDIAN_SUBJECT;
		return 0;
	}
	struct count_row c;
	rc = db_select_one(&count_map, &c,
			   "SELECT COUNT(*) FROM log_guardian WHERE municipality_id = ? AND log_id = ?"
			   " AND person_id = ?",
			   "iii", m, (long long)log_id, (long long)id);
	if (rc < 0)
		return rc;
	if (c.n > 0) {
		*o = GUARDIAN_ALREADY;
		return 0;
	}
	rc = db_exec("INSERT INTO log_guardian (municipality_id, log_id, person_id, given_name, family_name,"
		     " email, phone) VALUES (?, ?, ?, ?, ?, ?, ?)",
		     "iiissSS", m, (long long)log_id, (long long)id, p->given_name, p->family_name, p->email,
		     p->phone);
	if (rc < 0 ||
	    (rc = history_record(s, log_id, "guardian", id, "guardian", NULL,
				 arena_printf("%s %s", p->given_name, p->family_name))) < 0 ||
	    (rc = consent_recompute(s, log_id)) < 0)
		return rc;
	*person_id = id;
	return 0;
}

int guardian_remove(const struct session *s, int64_t log_id, int64_t guardian_id, int version,
		    const char *reason, enum guardian_outcome *o)
{
	long long m = s->municipality_id;
	struct log_people l;
	struct guardian g;
	struct consent_person *req;
	*o = GUARDIAN_DONE;
	int rc = lock_log(s, log_id, &l);
	if (rc < 0)
		return rc;
	rc = db_select_one(&map, &g,
			   GUARDIAN_COLUMNS " WHERE g.municipality_id = ? AND g.log_id = ? AND g.id = ?"
					    " FOR UPDATE",
			   "iii", m, (long long)log_id, (long long)guardian_id);
	if (rc <= 0) {
		*o = GUARDIAN_NOT_FOUND;
		return rc;
	}
	if (g.version != version) {
		*o = GUARDIAN_STALE;
		return 0;
	}
	/* Whose consent the log needs: the guardians' (the subject is under
	 * the consent age) means a guardian must stay to give it. */
	int nreq = consent_required(s->municipality_id, log_id, &req);
	if (nreq < 0)
		return nreq;
	if (nreq == 1 && !req[0].subject && req[0].person_id == g.person_id) {
		*o = GUARDIAN_LAST;
		return 0;
	}
	rc = db_exec("DELETE FROM log_guardian WHERE municipality_id = ? AND log_id = ? AND id = ? AND "
		     "version = ?",
		     "iiii", m, (long long)log_id, (long long)guardian_id, (long long)version);
	if (rc < 0 ||
	    (rc = history_record(s, log_id, "guardian", g.person_id, "guardian",
				 arena_printf("%s %s", g.given_name, g.family_name), NULL)) < 0 ||
	    (rc = history_record(s, log_id, "guardian", g.person_id, "removal_reason", NULL, reason)) < 0)
		return rc;
	return consent_recompute(s, log_id);
}
