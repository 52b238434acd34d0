/* concern.c — SQL for concern, concern_area and development_area, and the
 * history of what it changes. Every query filters on the municipality. */
#include "concern.h"

#include <string.h>

#include "arena.h"
#include "db.h"
#include "history.h"
#include "session.h"

static const struct db_col area_cols[] = {
	DB_COL(struct concern_area, id, DB_I64),
	DB_COL(struct concern_area, name, DB_STR),
};
static const struct db_map area_map = DB_MAP(struct concern_area, area_cols);

int concern_areas(int64_t municipality_id, const char *lang, struct concern_area **out)
{
	return db_select(&area_map, out,
			 "SELECT id, CASE ? WHEN 'nn' THEN name_nn WHEN 'en' THEN name_en ELSE name_nb END"
			 " FROM development_area WHERE (municipality_id IS NULL OR municipality_id = ?)"
			 " AND active ORDER BY municipality_id IS NOT NULL, sort, id",
			 "si", lang, (long long)municipality_id);
}

static const struct db_col concern_cols[] = {
	DB_COL(struct concern, id, DB_I64),
	DB_COL(struct concern, title, DB_STR),
	DB_COL(struct concern, description, DB_STR),
	DB_COL(struct concern, version, DB_INT),
};
static const struct db_map concern_map = DB_MAP(struct concern, concern_cols);

int concern_list(int64_t municipality_id, int64_t log_id, struct concern **out)
{
	return db_select(&concern_map, out,
			 "SELECT id, title, description, version FROM concern"
			 " WHERE municipality_id = ? AND log_id = ? ORDER BY id",
			 "ii", (long long)municipality_id, (long long)log_id);
}

static const struct db_col link_cols[] = {
	DB_COL(struct concern_link, concern_id, DB_I64),
	DB_COL(struct concern_link, area_id, DB_I64),
	DB_COL(struct concern_link, name, DB_STR),
};
static const struct db_map link_map = DB_MAP(struct concern_link, link_cols);

int concern_links(int64_t municipality_id, int64_t log_id, const char *lang, struct concern_link **out)
{
	return db_select(&link_map, out,
			 "SELECT c.id, a.id, CASE ? WHEN 'nn' THEN a.name_nn WHEN 'en' THEN a.name_en"
			 " ELSE a.name_nb END FROM concern c JOIN concern_area ca ON ca.concern_id = c.id"
			 " JOIN development_area a ON a.id = ca.area_id"
			 " WHERE c.municipality_id = ? AND c.log_id = ?"
			 " ORDER BY c.id, a.municipality_id IS NOT NULL, a.sort, a.id",
			 "sii", lang, (long long)municipality_id, (long long)log_id);
}

struct text_row {
	char *text;
};
static const struct db_col text_cols[] = { DB_COL(struct text_row, text, DB_STR) };
static const struct db_map text_map = DB_MAP(struct text_row, text_cols);

/* The concern's area names in LANG, ", "-separated, for the history; NULL if none. */
static int area_names(int64_t concern_id, const char *lang, char **out)
{
	struct text_row t = { NULL };
	int rc = db_select_one(
		&text_map, &t,
		"SELECT GROUP_CONCAT(CASE ? WHEN 'nn' THEN a.name_nn WHEN 'en' THEN a.name_en"
		" ELSE a.name_nb END ORDER BY a.municipality_id IS NOT NULL, a.sort, a.id"
		" SEPARATOR ', ') FROM concern_area ca JOIN development_area a ON a.id = ca.area_id"
		" WHERE ca.concern_id = ?",
		"si", lang, (long long)concern_id);
	*out = t.text;
	return rc < 0 ? rc : 0;
}

/* Replaces the concern's areas with AREAS, keeping only the municipality's active ones. */
static int set_areas(int64_t municipality_id, int64_t concern_id, const int64_t *areas, int nareas)
{
	int rc = db_exec("DELETE FROM concern_area WHERE concern_id = ?", "i", (long long)concern_id);
	for (int i = 0; rc >= 0 && i < nareas; i++)
		rc = db_exec(
			"INSERT INTO concern_area (concern_id, area_id) SELECT ?, id FROM development_area"
			" WHERE id = ? AND (municipality_id IS NULL OR municipality_id = ?) AND active",
			"iii", (long long)concern_id, (long long)areas[i], (long long)municipality_id);
	return rc < 0 ? rc : 0;
}

int concern_create(const struct session *s, int64_t log_id, const char *lang, const char *title,
		   const char *description, const int64_t *areas, int nareas, int64_t *id)
{
	int rc = db_exec("INSERT INTO concern (municipality_id, log_id, title, description, created_by)"
			 " VALUES (?, ?, ?, ?, ?)",
			 "iisSi", (long long)s->municipality_id, (long long)log_id, title, description,
			 (long long)s->person_id);
	if (rc < 0)
		return rc;
	*id = db_last_id();
	char *names;
	if ((rc = set_areas(s->municipality_id, *id, areas, nareas)) < 0 ||
	    (rc = area_names(*id, lang, &names)) < 0 ||
	    (rc = history_change(s, log_id, "concern", *id, "title", NULL, title)) < 0 ||
	    (rc = history_change(s, log_id, "concern", *id, "description", NULL, description)) < 0)
		return rc;
	return history_change(s, log_id, "concern", *id, "areas", NULL, names);
}

int concern_update(const struct session *s, int64_t log_id, int64_t concern_id, int version, const char *lang,
		   const char *title, const char *description, const int64_t *areas, int nareas,
		   enum concern_outcome *outcome, struct concern *current)
{
	long long m = s->municipality_id;
	int rc = db_select_one(&concern_map, current,
			       "SELECT id, title, description, version FROM concern"
			       " WHERE municipality_id = ? AND log_id = ? AND id = ? FOR UPDATE",
			       "iii", m, (long long)log_id, (long long)concern_id);
	if (rc < 0)
		return rc;
	*outcome = rc == 0 ? CONCERN_NOT_FOUND : current->version != version ? CONCERN_STALE : CONCERN_DONE;
	if (*outcome != CONCERN_DONE)
		return 0;
	char *before, *after;
	if ((rc = area_names(concern_id, lang, &before)) < 0)
		return rc;
	rc = db_exec("UPDATE concern SET title = ?, description = ?, version = version + 1"
		     " WHERE municipality_id = ? AND log_id = ? AND id = ? AND version = ?",
		     "sSiiii", title, description, m, (long long)log_id, (long long)concern_id,
		     (long long)version);
	if (rc < 0 || (rc = set_areas(s->municipality_id, concern_id, areas, nareas)) < 0 ||
	    (rc = area_names(concern_id, lang, &after)) < 0)
		return rc;
	if ((rc = history_change(s, log_id, "concern", concern_id, "title", current->title, title)) < 0 ||
	    (rc = history_change(s, log_id, "concern", concern_id, "description", current->description,
				 description)) < 0)
		return rc;
	return history_change(s, log_id, "concern", concern_id, "areas", before, after);
}
