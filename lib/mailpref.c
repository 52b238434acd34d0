/* mailpref.c — SQL of mailpref.h: person.email_notices and mail_lang, read
 * with the municipality's language; log_guardian for the addresses typed on
 * logs. Every query filters on the municipality. */
#include "mailpref.h"

#include <string.h>

#include "arena.h"
#include "audit.h"
#include "db.h"
#include "session.h"

static const struct db_col choice_cols[] = {
	DB_COL(struct mailpref, email, DB_STR),
	DB_COL(struct mailpref, notices, DB_BOOL),
	DB_COL(struct mailpref, mail_lang, DB_STR),
	DB_COL(struct mailpref, default_lang, DB_STR),
};
static const struct db_map choice_map = DB_MAP(struct mailpref, choice_cols);

static int read_choice(const struct session *s, struct mailpref *out, bool lock)
{
	long long m = s->municipality_id, p = s->person_id;
	if (lock)
		return db_select_one(
			&choice_map, out,
			"SELECT p.email, p.email_notices, p.mail_lang, m.default_lang FROM person p"
			" JOIN municipality m ON m.id = p.municipality_id"
			" WHERE p.municipality_id = ? AND p.id = ? FOR UPDATE",
			"ii", m, p);
	return db_select_one(&choice_map, out,
			     "SELECT p.email, p.email_notices, p.mail_lang, m.default_lang FROM person p"
			     " JOIN municipality m ON m.id = p.municipality_id"
			     " WHERE p.municipality_id = ? AND p.id = ?",
			     "ii", m, p);
}

int mailpref_get(const struct session *s, struct mailpref *out)
{
	return read_choice(s, out, false);
}

struct address {
	char *email;
};
static const struct db_col address_cols[] = { DB_COL(struct address, email, DB_STR) };
static const struct db_map address_map = DB_MAP(struct address, address_cols);

int mailpref_log_addresses(const struct session *s, char ***out)
{
	long long m = s->municipality_id, p = s->person_id;
	struct address *a;
	int n = db_select(&address_map, &a,
			  "SELECT DISTINCT g.email FROM log_guardian g JOIN person p ON p.id = g.person_id"
			  " WHERE g.municipality_id = ? AND g.person_id = ? AND g.email IS NOT NULL"
			  " AND g.email <> '' AND NOT (g.email <=> p.email) ORDER BY g.email",
			  "ii", m, p);
	if (n < 0)
		return n;
	char **list = arena_alloc(sizeof *list * (size_t)(n > 0 ? n : 1));
	for (int i = 0; i < n; i++)
		list[i] = a[i].email;
	*out = list;
	return n;
}

/* One audit row per value the page changed: the trail says what changed,
 * never an address. */
static int record(const struct session *s, const char *what, const char *from, const char *to)
{
	if (strcmp(from, to) == 0)
		return 0;
	struct audit_entry e = {
		.municipality_id = s->municipality_id,
		.person_id = s->person_id,
		.role = "person",
		.action = "person.notices.change",
		.outcome = "ok",
		.detail = arena_printf("%s: %s -> %s", what, from, to),
	};
	return audit_append(&e);
}

int mailpref_set(const struct session *s, bool notices, const char *mail_lang)
{
	struct mailpref cur;
	int rc = read_choice(s, &cur, true);
	if (rc <= 0)
		return rc < 0 ? rc : DB_ERROR; /* the session's own person */
	rc = db_exec(
		"UPDATE person SET email_notices = ?, mail_lang = ? WHERE municipality_id = ? AND id = ?",
		"isii", (long long)notices, mail_lang, (long long)s->municipality_id,
		(long long)s->person_id);
	if (rc < 0)
		return rc;
	if ((rc = record(s, "email_notices", cur.notices ? "yes" : "no", notices ? "yes" : "no")) < 0)
		return rc;
	return record(s, "mail_lang", cur.mail_lang ? cur.mail_lang : "municipality",
		      mail_lang ? mail_lang : "municipality");
}
