/* concern.c — the concerns of a log (DOMAIN.md §5, §8), from the log's edit
 * page: POST /logg/ID/rediger/bekymring adds one, POST
 * /logg/ID/rediger/bekymring/CID changes one (title, description, the
 * development areas ticked) if it still has the version the holder saw: a
 * stale one answers 409 with what is stored now beside what was typed
 * (AUTHZ_WRITE). Template: log_edit.html (lib/view_edit.c).
 * Tests: tests/http/test_concern.py. */
#include "app.h"
#include "concern.h"
#include "i18n.h"
#include "session.h"
#include "view_edit.h"

#define MAX_ID 999999999999999LL

/* clang-format off */
#define CONCERN_FIELDS \
	{ .name = "title", .type = FORM_LINE, .required = true, .max_len = 200, .label = NC_("concern", "Title"), .missing = N_("Write a short title for the concern.") }, \
	{ .name = "description", .type = FORM_TEXT, .max_setting = "log.text_max", .label = N_("Description") }, \
	{ .name = "area", .type = FORM_IDS, .min = 1, .max = MAX_ID, .label = N_("Development areas") }
/* clang-format on */
static const struct form_field new_fields[] = {
	CONCERN_FIELDS,
	{ NULL },
};
static const struct form_field edit_fields[] = {
	{ .name = "version", .type = FORM_INT, .required = true, .min = 1, .max = 2147483647 },
	CONCERN_FIELDS,
	{ NULL },
};

/* Every area ticked is one the municipality offers: our form sends no
 * other. 1 yes, 0 no, or a negative db.h code. */
static int areas_known(const struct req *r)
{
	const struct form_value *ticked = req_field(r, "area");
	struct concern_area *areas;
	int n = concern_areas(r->session->municipality_id, r->lang, &areas);
	for (size_t i = 0; n >= 0 && i < ticked->nids; i++) {
		int a = 0;
		while (a < n && areas[a].id != ticked->ids[i])
			a++;
		if (a == n)
			return 0;
	}
	return n < 0 ? n : 1;
}

static int page(struct req *r, int status, const struct view_edit_kept *k)
{
	return resp_view(r, view_edit(r->session, r->lang, r->id[0], k, r->data), status, "log_edit");
}

/* What the form says before anything is saved: 400 for an area our form
 * does not offer, the page again (422) for a mistake, 0 to go on. */
static int check(struct req *r, const struct view_edit_kept *k)
{
	int rc = areas_known(r);
	if (rc <= 0)
		return rc < 0 ? rc : 400;
	return r->in.nerrors ? page(r, 422, k) : 0;
}

static int add(struct req *r)
{
	struct view_edit_kept k = { .concern = &r->in };
	int rc = check(r, &k);
	if (rc != 0 || r->in.nerrors)
		return rc;
	const struct form_value *areas = req_field(r, "area");
	int64_t id;
	rc = concern_create(r->session, r->id[0], r->lang, req_field(r, "title")->value,
			    req_field(r, "description")->value, areas->ids, (int)areas->nids, &id);
	return rc < 0 ? rc : resp_saved(r, arena_printf("/logg/%lld", (long long)r->id[0]), "bekymring");
}

static int edit(struct req *r)
{
	struct view_edit_kept k = { .concern_id = r->id[1], .concern = &r->in };
	int rc = check(r, &k);
	if (rc != 0 || r->in.nerrors)
		return rc;
	const struct form_value *areas = req_field(r, "area");
	enum concern_outcome o;
	struct concern cur;
	rc = concern_update(r->session, r->id[0], r->id[1], (int)req_field(r, "version")->num, r->lang,
			    req_field(r, "title")->value, req_field(r, "description")->value, areas->ids,
			    (int)areas->nids, &o, &cur);
	if (rc < 0)
		return rc;
	if (o == CONCERN_NOT_FOUND)
		return 404; /* the attempt is audited; the concern is not this log's */
	if (o == CONCERN_STALE) {
		k.concern_conflict = tv_obj();
		tv_set_str(k.concern_conflict, "title", cur.title);
		tv_set_str(k.concern_conflict, "description", cur.description ? cur.description : "");
		return page(r, 409, &k);
	}
	return resp_saved(r, arena_printf("/logg/%lld", (long long)r->id[0]), "bekymring");
}

static const struct route routes[] = {
	{ "POST", "/logg/#/rediger/bekymring", add, .login = true, .need = AUTHZ_WRITE,
	  .audit = "log.concern.create", .fields = new_fields, .once = true },
	{ "POST", "/logg/#/rediger/bekymring/#", edit, .login = true, .need = AUTHZ_WRITE,
	  .audit = "log.concern.update", .fields = edit_fields },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-concern", routes };
	return app_main(argc, argv, &prog);
}
