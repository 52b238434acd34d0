/* view.c — the helpers of view.h. */
#include "view.h"

#include <string.h>

#include "arena.h"
#include "concern.h"
#include "logbook.h"
#include "staff.h"

const char *view_name(const char *given_name, const char *family_name)
{
	return arena_printf("%s %s", given_name ? given_name : "", family_name ? family_name : "");
}

struct tv *view_form(const struct form *f)
{
	struct tv *o = tv_obj();
	form_to_tv(f, o);
	return o;
}

void view_value(struct tv *form, const char *name, const char *value)
{
	struct tv *o = tv_obj();
	tv_set_str(o, "value", value ? value : "");
	tv_set(form, name, o);
}

struct tv *view_choices(const char *const *codes, const char *(*label)(const char *), const char *chosen)
{
	struct tv *list = tv_list();
	for (size_t i = 0; codes[i]; i++) {
		struct tv *o = tv_push_obj(list);
		tv_set_str(o, "value", codes[i]);
		tv_set_str(o, "label", label(codes[i]));
		tv_set_bool(o, "selected", chosen && strcmp(chosen, codes[i]) == 0);
	}
	return list;
}

struct tv *view_concern_choices(const struct concern *c, int n, const char *chosen)
{
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++) {
		struct tv *o = tv_push_obj(list);
		tv_set_int(o, "id", c[i].id);
		tv_set_str(o, "title", c[i].title);
		tv_set_bool(o, "selected",
			    chosen && strcmp(chosen, arena_printf("%lld", (long long)c[i].id)) == 0);
	}
	return list;
}

struct tv *view_log_heading(struct tv *data, const struct logbook_summary *log)
{
	struct tv *o = tv_obj();
	tv_set_int(o, "id", log->id);
	tv_set_str(o, "name", view_name(log->subject_given_name, log->subject_family_name));
	tv_set_str(o, "state", logbook_state_label(log->state));
	/* A pregnancy's pages speak of her, not of a child (DOMAIN.md §2). */
	tv_set_bool(o, "pregnancy", log->subject_kind && strcmp(log->subject_kind, "pregnancy") == 0);
	tv_set(data, "log", o);
	return o;
}

struct tv *view_request(struct tv *list, const struct logbook_request *req)
{
	struct tv *o = tv_push_obj(list);
	tv_set_int(o, "id", req->id);
	tv_set_str(o, "name", view_name(req->given_name, req->family_name));
	tv_set_str(o, "wanted", logbook_state_label(req->wanted));
	tv_set_str(o, "at", req->created_at);
	return o;
}

void view_person_of(const struct form *f, struct staff_person *p)
{
	*p = (struct staff_person){
		.given_name = form_get(f, "given_name")->value,
		.family_name = form_get(f, "family_name")->value,
		.nin = form_get(f, "nin")->value,
		.title = form_get(f, "title")->value,
		.email = form_get(f, "email")->value,
		.phone = form_get(f, "phone")->value,
	};
}
