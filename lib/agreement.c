/* agreement.c — SQL of agreement.h: agreement and agreement_version rows,
 * in the caller's transaction, with history rows. Every query filters on
 * the municipality. */
#include "agreement.h"

#include "db.h"
#include "history.h"
#include "session.h"

static const struct db_col cols[] = {
	DB_COL(struct agreement, id, DB_I64),	       DB_COL(struct agreement, version, DB_INT),
	DB_COL(struct agreement, text, DB_STR),	       DB_COL(struct agreement, parties, DB_STR),
	DB_COL(struct agreement, agreed_on, DB_STR),   DB_COL(struct agreement, review_on, DB_STR),
	DB_COL(struct agreement, changed_at, DB_STR),  DB_COL(struct agreement, given_name, DB_STR),
	DB_COL(struct agreement, family_name, DB_STR),
};
static const struct db_map map = DB_MAP(struct agreement, cols);

/* clang-format off */
#define VERSION_COLUMNS \
	"SELECT a.id, v.version, v.text, v.parties, DATE_FORMAT(v.agreed_on, '%Y-%m-%d')," \
	" DATE_FORMAT(v.review_on, '%Y-%m-%d'), DATE_FORMAT(v.created_at, '%Y-%m-%d %H:%i')," \
	" p.given_name, p.family_name" \
	" FROM agreement a JOIN agreement_version v ON v.agreement_id = a.id" \
	" JOIN person p ON p.id = v.created_by"
/* clang-format on */

int agreement_list(int64_t municipality_id, int64_t log_id, struct agreement **out)
{
	return db_select(&map, out,
			 VERSION_COLUMNS
			 " WHERE a.municipality_id = ? AND a.log_id = ? AND v.version = a.version"
			 " ORDER BY v.agreed_on DESC, a.id DESC",
			 "ii", (long long)municipality_id, (long long)log_id);
}

int agreement_older(int64_t municipality_id, int64_t log_id, struct agreement **out)
{
	return db_select(&map, out,
			 VERSION_COLUMNS
			 " WHERE a.municipality_id = ? AND a.log_id = ? AND v.version < a.version"
			 " ORDER BY a.id DESC, v.version DESC",
			 "ii", (long long)municipality_id, (long long)log_id);
}

static int insert_version(const struct session *s, int64_t id, int version, const struct agreement_in *in)
{
	return db_exec("INSERT INTO agreement_version (agreement_id, version, municipality_id, text, parties,"
		       " agreed_on, review_on, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		       "iiisssSi", (long long)id, (long long)version, (long long)s->municipality_id, in->text,
		       in->parties, in->agreed_on, in->review_on, (long long)s->person_id);
}

/* The fields of a version, for the history: each one that changed. */
static int record(const struct session *s, int64_t log_id, int64_t id, const struct agreement *old,
		  const struct agreement_in *in)
{
	const char *fields[][3] = {
		{ "text", old ? old->text : NULL, in->text },
		{ "parties", old ? old->parties : NULL, in->parties },
		{ "agreed_on", old ? old->agreed_on : NULL, in->agreed_on },
		{ "review_on", old ? old->review_on : NULL, in->review_on },
	};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		int rc = history_change(s, log_id, "agreement", id, fields[i][0], fields[i][1], fields[i][2]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int agreement_add(const struct session *s, int64_t log_id, const struct agreement_in *in, int64_t *id)
{
	int rc = db_exec("INSERT INTO agreement (municipality_id, log_id, created_by) VALUES (?, ?, ?)",
			 "iii", (long long)s->municipality_id, (long long)log_id, (long long)s->person_id);
	if (rc < 0)
		return rc;
	*id = db_last_id();
	if ((rc = insert_version(s, *id, 1, in)) < 0)
		return rc;
	return record(s, log_id, *id, NULL, in);
}

int agreement_change(const struct session *s, int64_t log_id, int64_t agreement_id, int version,
		     const struct agreement_in *in, enum agreement_outcome *o)
{
	struct agreement cur;
	int rc = db_select_one(&map, &cur,
			       VERSION_COLUMNS " WHERE a.municipality_id = ? AND a.log_id = ? AND a.id = ?"
					       " AND v.version = a.version FOR UPDATE",
			       "iii", (long long)s->municipality_id, (long long)log_id,
			       (long long)agreement_id);
	if (rc <= 0) {
		*o = AGREEMENT_NOT_FOUND;
		return rc;
	}
	if (cur.version != version) {
		*o = AGREEMENT_STALE;
		return 0;
	}
	if ((rc = db_exec("UPDATE agreement SET version = version + 1 WHERE id = ?", "i",
			  (long long)agreement_id)) < 0 ||
	    (rc = insert_version(s, agreement_id, version + 1, in)) < 0)
		return rc;
	*o = AGREEMENT_DONE;
	return record(s, log_id, agreement_id, &cur, in);
}
