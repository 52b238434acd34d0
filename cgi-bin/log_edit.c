/* log_edit.c — the holder edits a log (DOMAIN.md §5, §8, §10): GET
 * /logg/ID/rediger shows the basic data, BTI level, the child's own voice
 * and the concerns with their development areas; POST /logg/ID/rediger saves
 * the basic data, POST /logg/ID/rediger/bekymring adds a concern and
 * POST /logg/ID/rediger/bekymring/CID changes one. Every save carries the
 * row's version: a stale one answers 409 with the other person's values
 * beside what this user typed. Each request asks authz_require (AUTHZ_WRITE)
 * first. Template: log_edit.html. Tests: tests/http/test_log_edit.py. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "authz.h"
#include "concern.h"
#include "config.h"
#include "db.h"
#include "form.h"
#include "i18n.h"
#include "logbook.h"
#include "session.h"

#define MAX_VERSION 2147483647

/* What a re-rendered page keeps of a failed save: the typed form (NULL: the
 * stored values), and on a conflict what is stored now. */
struct kept {
	struct tv *basic;
	struct tv *basic_conflict;
	int64_t concern_id; /* the concern whose form is kept; 0 the new one */
	struct tv *concern;
	struct tv *concern_conflict;
	const struct form *concern_form; /* for the typed areas */
};

static size_t text_max(void)
{
	return (size_t)config_int("log.text_max");
}

static void basic_fields(struct form_field *f)
{
	f[0] = (struct form_field){
		.name = "version", .type = FORM_INT, .required = true, .min = 1, .max = MAX_VERSION
	};
	f[1] = (struct form_field){
		.name = "bti_level", .type = FORM_INT, .min = 0, .max = 3, .label = N_("BTI level")
	};
	f[2] = (struct form_field){
		.name = "basic_info", .type = FORM_TEXT, .max_len = text_max(), .label = N_("Basic data")
	};
	f[3] = (struct form_field){ .name = "child_voice",
				    .type = FORM_TEXT,
				    .max_len = text_max(),
				    .label = N_("The child's own voice") };
	f[4] = (struct form_field){ NULL };
}

/* The concern form's fields: its version when it exists, title, description
 * and one checkbox per development area (area_ID). */
static struct form_field *concern_fields(const struct concern_area *areas, int n, bool existing)
{
	struct form_field *f = arena_alloc(sizeof *f * (size_t)(n + 4));
	int i = 0;
	if (existing)
		f[i++] = (struct form_field){
			.name = "version", .type = FORM_INT, .required = true, .min = 1, .max = MAX_VERSION
		};
	f[i++] = (struct form_field){
		.name = "title", .type = FORM_LINE, .required = true, .max_len = 200, .label = N_("Title")
	};
	f[i++] = (struct form_field){
		.name = "description", .type = FORM_TEXT, .max_len = text_max(), .label = N_("Description")
	};
	for (int a = 0; a < n; a++)
		f[i++] = (struct form_field){ .name = arena_printf("area_%lld", (long long)areas[a].id),
					      .type = FORM_BOOL };
	f[i] = (struct form_field){ NULL };
	return f;
}

static struct tv *field(const char *value)
{
	struct tv *o = tv_obj();
	tv_set_str(o, "value", value ? value : "");
	return o;
}

static struct tv *bti_choices(int chosen)
{
	struct tv *list = tv_list();
	for (int level = -1; level <= 3; level++) {
		struct tv *o = tv_push_obj(list);
		tv_set_str(o, "value", level < 0 ? "" : arena_printf("%d", level));
		tv_set_str(o, "id", level < 0 ? "bti-none" : arena_printf("bti-%d", level));
		tv_set_str(o, "label", level < 0 ? _("Not assessed") : logbook_bti_label(level));
		tv_set_bool(o, "checked", level == chosen);
	}
	return list;
}

/* The area checkboxes, checked as stored (links of concern_id) or as typed (f). */
static struct tv *area_boxes(const struct concern_area *areas, int n, const struct concern_link *links,
			     int nl, int64_t concern_id, const struct form *f)
{
	struct tv *list = tv_list();
	for (int a = 0; a < n; a++) {
		bool on = false;
		if (f) {
			const struct form_value *v =
				form_get(f, arena_printf("area_%lld", (long long)areas[a].id));
			on = v && v->num;
		} else {
			for (int j = 0; j < nl; j++)
				on = on ||
					(links[j].concern_id == concern_id &&
					 links[j].area_id == areas[a].id);
		}
		struct tv *o = tv_push_obj(list);
		tv_set_int(o, "id", areas[a].id);
		tv_set_str(o, "name", areas[a].name);
		tv_set_bool(o, "checked", on);
	}
	return list;
}

static char *names_of(const struct concern_link *links, int nl, int64_t concern_id)
{
	char *s = NULL;
	for (int j = 0; j < nl; j++)
		if (links[j].concern_id == concern_id)
			s = s ? arena_printf("%s, %s", s, links[j].name) : links[j].name;
	return s ? s : "";
}

/* Reads the page inside the open transaction, commits, renders with status. */
static int page(struct req *r, int64_t id, int status, const struct kept *k)
{
	const struct session *s = r->session;
	struct logbook_summary sum;
	struct logbook_basic b;
	struct concern *c;
	struct concern_area *areas;
	struct concern_link *links;
	int n = 0, na = 0, nl = 0;
	bool found = false;
	int rc = logbook_summary(s->municipality_id, id, &sum);
	if (rc > 0 && (rc = logbook_basic(s->municipality_id, id, &b)) > 0) {
		found = true;
		if ((n = rc = concern_list(s->municipality_id, id, &c)) >= 0 &&
		    (na = rc = concern_areas(s->municipality_id, r->lang, &areas)) >= 0)
			rc = nl = concern_links(s->municipality_id, id, r->lang, &links);
	}
	if (!found || rc < 0 || (rc = db_commit()) < 0) {
		db_rollback();
		return rc < 0 ? rc : 404;
	}
	struct tv *log = tv_obj();
	tv_set_int(log, "id", id);
	tv_set_str(log, "name", arena_printf("%s %s", sum.subject_given_name, sum.subject_family_name));
	tv_set_str(log, "state", logbook_state_label(b.state));
	tv_set(r->data, "log", log);
	tv_set_int(r->data, "text_max", (long long)text_max());

	struct tv *basic = k && k->basic ? k->basic : tv_obj();
	if (!(k && k->basic)) {
		tv_set(basic, "basic_info", field(b.basic_info));
		tv_set(basic, "child_voice", field(b.child_voice));
	}
	/* A conflict offers the stored version: saving again replaces the other's values knowingly. */
	if (!(k && k->basic) || k->basic_conflict)
		tv_set(basic, "version", field(arena_printf("%d", b.version)));
	const char *typed_level = tv_get_str(basic, "bti_level.value");
	int level = k && k->basic ? (typed_level && *typed_level ? atoi(typed_level) : -1) : b.bti_level;
	tv_set(basic, "bti", bti_choices(level));
	tv_set(r->data, "basic", basic);
	tv_set_bool(r->data, "basic_failed", k && k->basic && !k->basic_conflict);
	if (k && k->basic_conflict)
		tv_set(r->data, "basic_conflict", k->basic_conflict);

	struct tv *list = tv_list();
	for (int i = 0; i < n; i++) {
		struct tv *o = tv_push_obj(list);
		bool kept = k && k->concern && k->concern_id == c[i].id;
		struct tv *form = kept ? k->concern : tv_obj();
		if (!kept) {
			tv_set(form, "title", field(c[i].title));
			tv_set(form, "description", field(c[i].description));
		}
		if (!kept || k->concern_conflict)
			tv_set(form, "version", field(arena_printf("%d", c[i].version)));
		tv_set_int(o, "id", c[i].id);
		tv_set_int(o, "cid", c[i].id);
		tv_set_bool(o, "failed", kept && !k->concern_conflict);
		tv_set(o, "form", form);
		tv_set(o, "areas", area_boxes(areas, na, links, nl, c[i].id, kept ? k->concern_form : NULL));
		tv_set_str(o, "current_title", c[i].title);
		if (kept && k->concern_conflict) {
			tv_set_str(k->concern_conflict, "areas", names_of(links, nl, c[i].id));
			tv_set(o, "conflict", k->concern_conflict);
		}
	}
	tv_set(r->data, "concerns", list);
	bool new_kept = k && k->concern && k->concern_id == 0;
	struct tv *new_concern = tv_obj();
	tv_set(new_concern, "form", new_kept ? k->concern : tv_obj());
	tv_set_bool(new_concern, "failed", new_kept);
	tv_set(new_concern, "areas", area_boxes(areas, na, NULL, 0, 0, new_kept ? k->concern_form : NULL));
	tv_set(r->data, "new_concern", new_concern);
	tv_set_str(r->data, "title", _("Edit the log"));
	return resp_page(r, status, "log_edit");
}

static int show(struct req *r, int64_t id)
{
	int rc = db_begin();
	if (rc < 0 || (rc = authz_require(r, id, AUTHZ_WRITE, "log.edit.read", NULL)) != 0)
		return rc;
	return page(r, id, 200, NULL);
}

static int save_basic(struct req *r, int64_t id)
{
	struct form_field fields[5];
	basic_fields(fields);
	struct form f;
	int valid = form_validate(&f, fields, &r->form);
	if (valid == FORM_BAD_REQUEST)
		return 400;
	int rc = db_begin();
	if (rc < 0 || (rc = authz_require(r, id, AUTHZ_WRITE, "log.update", NULL)) != 0)
		return rc;
	struct kept k = { 0 };
	k.basic = tv_obj();
	form_to_tv(&f, k.basic);
	if (valid != FORM_OK)
		return page(r, id, 422, &k);
	const struct form_value *level = form_get(&f, "bti_level");
	struct logbook_basic cur;
	rc = logbook_update_basic(r->session, id, (int)form_get(&f, "version")->num,
				  level->value[0] ? (int)level->num : -1, form_get(&f, "basic_info")->value,
				  form_get(&f, "child_voice")->value, &cur);
	if (rc < 0) {
		db_rollback();
		return rc;
	}
	if (rc == 1) {
		rc = db_commit();
		return rc < 0 ? rc : resp_redirect(r, arena_printf("/logg/%lld", (long long)id));
	}
	k.basic_conflict = tv_obj();
	tv_set_str(k.basic_conflict, "bti",
		   cur.bti_level < 0 ? _("Not assessed") : logbook_bti_label(cur.bti_level));
	tv_set_str(k.basic_conflict, "basic_info", cur.basic_info ? cur.basic_info : "");
	tv_set_str(k.basic_conflict, "child_voice", cur.child_voice ? cur.child_voice : "");
	return page(r, id, 409, &k);
}

/* The ids of the areas ticked in a validated concern form. */
static int ticked(const struct form *f, const struct concern_area *areas, int n, int64_t **out)
{
	int64_t *ids = arena_alloc(sizeof *ids * (size_t)(n + 1));
	int k = 0;
	for (int a = 0; a < n; a++)
		if (form_get(f, arena_printf("area_%lld", (long long)areas[a].id))->num)
			ids[k++] = areas[a].id;
	*out = ids;
	return k;
}

static int save_concern(struct req *r, int64_t id, int64_t concern_id)
{
	int rc = db_begin();
	if (rc < 0 ||
	    (rc = authz_require(r, id, AUTHZ_WRITE, concern_id ? "log.concern.update" : "log.concern.create",
				NULL)) != 0)
		return rc;
	struct concern_area *areas;
	int na = concern_areas(r->session->municipality_id, r->lang, &areas);
	if (na < 0) {
		db_rollback();
		return na;
	}
	struct form *f = arena_alloc(sizeof *f);
	int valid = form_validate(f, concern_fields(areas, na, concern_id != 0), &r->form);
	if (valid == FORM_BAD_REQUEST) {
		db_rollback();
		return 400;
	}
	struct kept k = { .concern_id = concern_id, .concern = tv_obj(), .concern_form = f };
	form_to_tv(f, k.concern);
	if (valid != FORM_OK)
		return page(r, id, 422, &k);
	int64_t *ids;
	int nids = ticked(f, areas, na, &ids);
	const char *title = form_get(f, "title")->value, *description = form_get(f, "description")->value;
	if (concern_id == 0) {
		int64_t new_id;
		rc = concern_create(r->session, id, r->lang, title, description, ids, nids, &new_id);
	} else {
		enum concern_outcome o;
		struct concern cur;
		rc = concern_update(r->session, id, concern_id, (int)form_get(f, "version")->num, r->lang,
				    title, description, ids, nids, &o, &cur);
		if (rc >= 0 && o == CONCERN_NOT_FOUND) {
			rc = db_commit(); /* the attempt is audited; the concern is not this log's */
			return rc < 0 ? rc : 404;
		}
		if (rc >= 0 && o == CONCERN_STALE) {
			k.concern_conflict = tv_obj();
			tv_set_str(k.concern_conflict, "title", cur.title);
			tv_set_str(k.concern_conflict, "description", cur.description ? cur.description : "");
			return page(r, id, 409, &k);
		}
	}
	if (rc < 0 || (rc = db_commit()) < 0) {
		db_rollback();
		return rc;
	}
	return resp_redirect(r, arena_printf("/logg/%lld", (long long)id));
}

static int route(struct req *r)
{
	bool post = strcmp(r->method, "POST") == 0;
	if (!r->session)
		return post ? 403 : resp_redirect(r, "/");
	const char *rest;
	int64_t id = app_path_id(r->path, "/logg/", &rest);
	if (id == 0)
		return 404;
	if (strcmp(rest, "/rediger") == 0)
		return post ? save_basic(r, id) : show(r, id);
	if (!post)
		return 404;
	if (strcmp(rest, "/rediger/bekymring") == 0)
		return save_concern(r, id, 0);
	const char *after;
	int64_t concern_id = app_path_id(rest, "/rediger/bekymring/", &after);
	if (concern_id == 0 || *after)
		return 404;
	return save_concern(r, id, concern_id);
}

static const struct route routes[] = {
	{ "GET", "/logg/*", route },
	{ "POST", "/logg/*", route },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-log-edit", routes, 0 };
	return app_main(argc, argv, &prog);
}
