/* message.c — SQL of message.h: message and message_read; reads log,
 * person, log_guardian, log_actor and unit for names and relations, asks
 * authz who may read the log and queues notices through outbox.c. */
#include "message.h"

#include "arena.h"
#include "authz.h"
#include "db.h"
#include "log.h"
#include "outbox.h"
#include "session.h"

/* A person as this log names them: a guardian by the names typed on the
 * log, the subject likewise, anyone else by their own record. */
/* clang-format off */
#define NAMED(who) \
	" COALESCE(g.given_name, IF(" who " = l.subject_person_id, l.subject_given_name, NULL), p.given_name)," \
	" COALESCE(g.family_name, IF(" who " = l.subject_person_id, l.subject_family_name, NULL), p.family_name)"
/* clang-format on */

static const struct db_col message_cols[] = {
	DB_COL(struct message, id, DB_I64),	      DB_COL(struct message, author_id, DB_I64),
	DB_COL(struct message, text, DB_STR),	      DB_COL(struct message, at, DB_STR),
	DB_COL(struct message, given_name, DB_STR),   DB_COL(struct message, family_name, DB_STR),
	DB_COL(struct message, relation, DB_STR),     DB_COL(struct message, unit, DB_STR),
	DB_COL(struct message, subject_kind, DB_STR),
};
static const struct db_map message_map = DB_MAP(struct message, message_cols);

/* The relation is the author's now (an actor's, removed or not, with the
 * unit they took part for); the newest first, by id, the order they were
 * written in. */
/* clang-format off */
#define LIST_SQL \
	"SELECT m.id, m.author_person_id, m.text, DATE_FORMAT(m.created_at, '%Y-%m-%d %H:%i')," \
	NAMED("m.author_person_id") "," \
	" CASE WHEN m.author_person_id = l.holder_person_id THEN 'holder'" \
	"  WHEN g.id IS NOT NULL THEN 'guardian'" \
	"  WHEN m.author_person_id = l.subject_person_id THEN 'subject'" \
	"  WHEN a.unit IS NOT NULL THEN 'actor' END," \
	" IF(m.author_person_id = l.holder_person_id, hu.name, a.unit), l.subject_kind" \
	" FROM message m JOIN log l ON l.id = m.log_id AND l.municipality_id = m.municipality_id" \
	" JOIN person p ON p.id = m.author_person_id" \
	" JOIN unit hu ON hu.id = l.unit_id" \
	" LEFT JOIN log_guardian g ON g.log_id = m.log_id AND g.person_id = m.author_person_id" \
	" LEFT JOIN (SELECT x.person_id, MIN(u.name) AS unit FROM log_actor x JOIN unit u ON u.id = x.unit_id" \
	"  WHERE x.municipality_id = ? AND x.log_id = ? GROUP BY x.person_id) a" \
	"  ON a.person_id = m.author_person_id" \
	" WHERE m.municipality_id = ? AND m.log_id = ?" \
	" ORDER BY m.id DESC LIMIT ?"
/* clang-format on */

int message_list(int64_t municipality_id, int64_t log_id, int limit, struct message **out)
{
	long long m = municipality_id, l = log_id;
	return db_select(&message_map, out, LIST_SQL, "iiiii", m, l, m, l, (long long)limit);
}

static const struct db_col reader_cols[] = {
	DB_COL(struct message_reader, person_id, DB_I64),
	DB_COL(struct message_reader, last_id, DB_I64),
	DB_COL(struct message_reader, given_name, DB_STR),
	DB_COL(struct message_reader, family_name, DB_STR),
};
static const struct db_map reader_map = DB_MAP(struct message_reader, reader_cols);

/* clang-format off */
#define READERS_SQL \
	"SELECT r.person_id, r.last_message_id," NAMED("r.person_id") \
	" FROM message_read r JOIN log l ON l.id = r.log_id AND l.municipality_id = r.municipality_id" \
	" JOIN person p ON p.id = r.person_id" \
	" LEFT JOIN log_guardian g ON g.log_id = r.log_id AND g.person_id = r.person_id" \
	" WHERE r.municipality_id = ? AND r.log_id = ? ORDER BY 3, 4, r.person_id"
/* clang-format on */

int message_readers(int64_t municipality_id, int64_t log_id, struct message_reader **out)
{
	return db_select(&reader_map, out, READERS_SQL, "ii", (long long)municipality_id, (long long)log_id);
}

struct marks {
	int64_t before;
	int64_t newest;
};
static const struct db_col marks_cols[] = {
	DB_COL(struct marks, before, DB_I64),
	DB_COL(struct marks, newest, DB_I64),
};
static const struct db_map marks_map = DB_MAP(struct marks, marks_cols);

/* The person's marker on the log moved to id, never back. */
static int move_marker(int64_t municipality_id, int64_t log_id, int64_t person_id, int64_t id)
{
	/* read_at first: the assignments see the values before them. */
	return db_exec(
		"INSERT INTO message_read (log_id, person_id, municipality_id, last_message_id)"
		" VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
		" read_at = IF(VALUES(last_message_id) > last_message_id, CURRENT_TIMESTAMP(3), read_at),"
		" last_message_id = GREATEST(last_message_id, VALUES(last_message_id))",
		"iiii", (long long)log_id, (long long)person_id, (long long)municipality_id, (long long)id);
}

int message_mark_read(const struct session *s, int64_t log_id, int64_t *before)
{
	long long m = s->municipality_id, l = log_id, p = s->person_id;
	struct marks k = { 0, 0 };
	int rc = db_select_one(
		&marks_map, &k,
		"SELECT COALESCE((SELECT last_message_id FROM message_read"
		"  WHERE log_id = ? AND person_id = ? AND municipality_id = ?), 0),"
		" COALESCE((SELECT MAX(id) FROM message WHERE municipality_id = ? AND log_id = ?), 0)",
		"iiiii", l, p, m, m, l);
	if (rc < 0)
		return rc;
	*before = k.before;
	if (k.newest > k.before && (rc = move_marker(s->municipality_id, log_id, s->person_id, k.newest)) < 0)
		return rc;
	return 0;
}

struct counts {
	int total;
	int unread;
};
static const struct db_col counts_cols[] = {
	DB_COL(struct counts, total, DB_INT),
	DB_COL(struct counts, unread, DB_INT),
};
static const struct db_map counts_map = DB_MAP(struct counts, counts_cols);

int message_counts(int64_t municipality_id, int64_t log_id, int64_t person_id, int *total, int *unread)
{
	long long m = municipality_id, l = log_id, p = person_id;
	struct counts c = { 0, 0 };
	int rc = db_select_one(&counts_map, &c,
			       "SELECT COUNT(*), COALESCE(SUM(m.author_person_id <> ? AND m.id > COALESCE(("
			       "  SELECT r.last_message_id FROM message_read r WHERE r.log_id = ?"
			       "  AND r.person_id = ? AND r.municipality_id = ?), 0)), 0)"
			       " FROM message m WHERE m.municipality_id = ? AND m.log_id = ?",
			       "iiiiii", p, l, p, m, m, l);
	if (rc < 0)
		return rc;
	*total = c.total;
	*unread = c.unread;
	return 0;
}

/* Everyone related to the log but the author: holder, subject, guardians
 * (with the address typed on the log, if any) and actors not removed;
 * authz then decides who of them may read it. In person order, so two
 * messages at once take the notice gate's rows in the same order. */
struct participant {
	int64_t person_id;
	char *email;
};
static const struct db_col participant_cols[] = {
	DB_COL(struct participant, person_id, DB_I64),
	DB_COL(struct participant, email, DB_STR),
};
static const struct db_map participant_map = DB_MAP(struct participant, participant_cols);

static int participants(int64_t municipality_id, int64_t log_id, int64_t author, struct participant **out)
{
	long long m = municipality_id, l = log_id;
	return db_select(
		&participant_map, out,
		"SELECT x.person_id, MAX(x.email) FROM ("
		" SELECT holder_person_id AS person_id, CAST(NULL AS CHAR(254)) AS email FROM log"
		"  WHERE municipality_id = ? AND id = ?"
		" UNION ALL SELECT subject_person_id, NULL FROM log WHERE municipality_id = ? AND id = ?"
		" UNION ALL SELECT person_id, email FROM log_guardian"
		"  WHERE municipality_id = ? AND log_id = ?"
		" UNION ALL SELECT person_id, NULL FROM log_actor WHERE municipality_id = ? AND log_id = ?"
		"  AND removed_at IS NULL) x"
		" WHERE x.person_id <> ? GROUP BY x.person_id ORDER BY x.person_id",
		"iiiiiiiii", m, l, m, l, m, l, m, l, (long long)author);
}

/* A notice to each participant who may read the log now (authz's rule for
 * them, not a copy of it: a young person under the consent age, an actor
 * whose consent no longer covers them, anyone of a withdrawn log is left
 * out), gated to one per person per interval; it says only that there is
 * something new, with the link to the thread. */
static int notify(const struct session *s, int64_t log_id, int *queued)
{
	struct participant *p;
	int n = participants(s->municipality_id, log_id, s->person_id, &p);
	if (n < 0)
		return n;
	const char *path = arena_printf("/logg/%lld/meldinger", (long long)log_id);
	*queued = 0;
	for (int i = 0; i < n; i++) {
		/* authz decides for a person from who they are in which
		 * municipality: the session's other fields are not read. */
		struct session them = { .municipality_id = s->municipality_id, .person_id = p[i].person_id };
		struct authz az;
		int rc = authz_check(&them, log_id, AUTHZ_READ, &az);
		if (rc < 0)
			return rc;
		if (!az.allow)
			continue;
		enum outbox_notice o;
		rc = outbox_notify(s->municipality_id, p[i].person_id, log_id, "message", p[i].email, path,
				   true, NULL, &o);
		if (rc < 0)
			return rc;
		if (o == OUTBOX_QUEUED)
			(*queued)++;
	}
	return 0;
}

int message_add(const struct session *s, int64_t log_id, const char *text, int64_t *id, int *queued)
{
	int rc = db_exec(
		"INSERT INTO message (municipality_id, log_id, author_person_id, text) VALUES (?, ?, ?, ?)",
		"iiis", (long long)s->municipality_id, (long long)log_id, (long long)s->person_id, text);
	if (rc < 0)
		return rc;
	*id = db_last_id();
	if ((rc = move_marker(s->municipality_id, log_id, s->person_id, *id)) < 0)
		return rc;
	if ((rc = notify(s, log_id, queued)) < 0)
		return rc;
	log_info("message %lld on log %lld: %d notices queued", (long long)*id, (long long)log_id, *queued);
	return 0;
}
