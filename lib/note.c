/* note.c — SQL for notes and glimpses of light (note; concern and person
 * for names). Every query filters on the municipality. A note is an entry,
 * not a change: it is never edited. */
#include "note.h"

#include "arena.h"
#include "db.h"
#include "session.h"

static const struct db_col note_cols[] = {
	DB_COL(struct note, id, DB_I64),
	DB_COL(struct note, text, DB_STR),
	DB_COL(struct note, glimpse, DB_BOOL),
	DB_COL(struct note, at, DB_STR),
	DB_COL(struct note, given_name, DB_STR),
	DB_COL(struct note, family_name, DB_STR),
	DB_COL(struct note, concern_title, DB_STR),
};
static const struct db_map note_map = DB_MAP(struct note, note_cols);

int note_list(int64_t municipality_id, int64_t log_id, int limit, struct note **out)
{
	return db_select(&note_map, out,
			 "SELECT n.id, n.text, n.glimpse, DATE_FORMAT(n.created_at, '%Y-%m-%d %H:%i'),"
			 " p.given_name, p.family_name, c.title FROM note n"
			 " JOIN person p ON p.id = n.author_person_id"
			 " LEFT JOIN concern c ON c.id = n.concern_id AND c.log_id = n.log_id"
			 " WHERE n.municipality_id = ? AND n.log_id = ?"
			 " ORDER BY n.created_at DESC, n.id DESC LIMIT ?",
			 "iii", (long long)municipality_id, (long long)log_id, (long long)limit);
}

struct yes_row {
	bool yes;
};
static const struct db_col yes_cols[] = { DB_COL(struct yes_row, yes, DB_BOOL) };
static const struct db_map yes_map = DB_MAP(struct yes_row, yes_cols);

int note_add(const struct session *s, int64_t log_id, int64_t concern_id, const char *text, bool glimpse,
	     int64_t *note_id, bool *found)
{
	*found = true;
	if (concern_id > 0) {
		struct yes_row y;
		int rc = db_select_one(&yes_map, &y,
				       "SELECT EXISTS (SELECT 1 FROM concern WHERE municipality_id = ?"
				       " AND log_id = ? AND id = ?)",
				       "iii", (long long)s->municipality_id, (long long)log_id,
				       (long long)concern_id);
		if (rc < 0)
			return rc;
		if (!y.yes) {
			*found = false;
			return 0;
		}
	}
	int rc = db_exec("INSERT INTO note (municipality_id, log_id, concern_id, author_person_id, text,"
			 " glimpse) VALUES (?, ?, ?, ?, ?, ?)",
			 "iiIisi", (long long)s->municipality_id, (long long)log_id, (long long)concern_id,
			 (long long)s->person_id, text, (long long)glimpse);
	if (rc < 0)
		return rc;
	*note_id = db_last_id();
	return 0;
}
