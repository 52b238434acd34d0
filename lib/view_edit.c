/* view_edit.c — the log's edit page of view_edit.h. */
#include "view_edit.h"

#include <stdlib.h>

#include "arena.h"
#include "concern.h"
#include "config.h"
#include "i18n.h"
#include "logbook.h"
#include "session.h"
#include "view.h"

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
		if (f)
			on = form_has_id(f, "area", areas[a].id);
		else
			for (int j = 0; j < nl; j++)
				on = on ||
					(links[j].concern_id == concern_id &&
					 links[j].area_id == areas[a].id);
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

static void basic(const struct logbook_summary *b, const struct view_edit_kept *k, struct tv *data)
{
	struct tv *basic = k && k->basic ? view_form(k->basic) : tv_obj();
	if (!(k && k->basic)) {
		view_value(basic, "basic_info", b->basic_info);
		view_value(basic, "child_voice", b->child_voice);
	}
	/* A conflict offers the stored version: saving again replaces the other's values knowingly. */
	if (!(k && k->basic) || k->basic_conflict)
		view_value(basic, "version", arena_printf("%d", b->version));
	const char *typed = k && k->basic ? form_get(k->basic, "bti_level")->value : NULL;
	int level = k && k->basic ? (*typed ? atoi(typed) : -1) : b->bti_level;
	tv_set(basic, "bti", bti_choices(level));
	tv_set(data, "basic", basic);
	tv_set_bool(data, "basic_failed", k && k->basic && !k->basic_conflict);
	if (k && k->basic) { /* the summary's link for the level goes to its first choice */
		struct tv *anchors = tv_obj();
		tv_set_str(anchors, "bti_level", "bti-none");
		tv_set(data, "error_anchor", anchors);
	}
	if (k && k->basic_conflict)
		tv_set(data, "basic_conflict", k->basic_conflict);
}

int view_edit(const struct session *s, const char *lang, int64_t log_id, const struct view_edit_kept *k,
	      struct tv *data)
{
	int64_t m = s->municipality_id;
	struct logbook_summary sum;
	struct concern *c;
	struct concern_area *areas;
	struct concern_link *links;
	int n, na, nl, rc = logbook_summary(m, log_id, &sum);
	if (rc <= 0)
		return rc;
	if ((n = concern_list(m, log_id, &c)) < 0)
		return n;
	if ((na = concern_areas(m, lang, &areas)) < 0)
		return na;
	if ((nl = concern_links(m, log_id, lang, &links)) < 0)
		return nl;
	view_log_heading(data, &sum);
	tv_set_int(data, "text_max", config_int("log.text_max"));
	basic(&sum, k, data);
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++) {
		struct tv *o = tv_push_obj(list);
		bool kept = k && k->concern && k->concern_id == c[i].id;
		struct tv *form = kept ? view_form(k->concern) : tv_obj();
		if (!kept) {
			view_value(form, "title", c[i].title);
			view_value(form, "description", c[i].description);
		}
		if (!kept || k->concern_conflict)
			view_value(form, "version", arena_printf("%d", c[i].version));
		tv_set_int(o, "id", c[i].id);
		tv_set_int(o, "cid", c[i].id);
		tv_set_bool(o, "failed", kept && !k->concern_conflict);
		if (kept) /* the summary's links go to this concern's fields, "title-12" */
			tv_set_str(data, "error_anchor_suffix", arena_printf("-%lld", (long long)c[i].id));
		tv_set(o, "form", form);
		tv_set(o, "areas", area_boxes(areas, na, links, nl, c[i].id, kept ? k->concern : NULL));
		tv_set_str(o, "current_title", c[i].title);
		if (kept && k->concern_conflict) {
			tv_set_str(k->concern_conflict, "areas", names_of(links, nl, c[i].id));
			tv_set(o, "conflict", k->concern_conflict);
		}
	}
	tv_set(data, "concerns", list);
	bool new_kept = k && k->concern && k->concern_id == 0;
	struct tv *new_concern = tv_obj();
	tv_set(new_concern, "form", new_kept ? view_form(k->concern) : tv_obj());
	tv_set_bool(new_concern, "failed", new_kept);
	if (new_kept)
		tv_set_str(data, "error_anchor_suffix", "-new");
	tv_set(new_concern, "areas", area_boxes(areas, na, NULL, 0, 0, new_kept ? k->concern : NULL));
	tv_set(data, "new_concern", new_concern);
	tv_set_str(data, "title", _("Edit the log"));
	return 1;
}
