/* municipality.c — SQL for the municipality table; nothing else. */
#include "municipality.h"

#include "db.h"

static const struct db_col cols[] = {
	DB_COL(struct municipality, id, DB_I64),
	DB_COL(struct municipality, slug, DB_STR),
	DB_COL(struct municipality, name, DB_STR),
	DB_COL(struct municipality, default_lang, DB_STR),
};
static const struct db_map map = DB_MAP(struct municipality, cols);

int municipality_list(struct municipality **out)
{
	return db_select(&map, out,
			 "SELECT id, slug, name, default_lang FROM municipality"
			 " WHERE active ORDER BY name",
			 NULL);
}

int municipality_by_slug(const char *slug, struct municipality *out)
{
	return db_select_one(&map, out,
			     "SELECT id, slug, name, default_lang FROM municipality"
			     " WHERE slug = ? AND active",
			     "s", slug);
}
