/* history.c — every change to a log (DOMAIN.md §6; issue 4 "history"):
 * GET /logg/ID/historikk lists who changed what, when, old -> new, for the
 * holder (AUTHZ_HISTORY, also once the log is closed), the read audited by authz_require in its own
 * transaction. Template: history.html. Tests: tests/http/test_log_edit.py. */
#include <string.h>

#include "app.h"
#include "authz.h"
#include "db.h"
#include "history.h"
#include "i18n.h"
#include "logbook.h"
#include "session.h"

#define HISTORY_LIMIT 1000

/* Interface names of what lib/ records; an unknown one is shown as stored. */
static const char *label(const char *name)
{
	static const struct {
		const char *name, *label;
	} labels[] = {
		{ "log", N_("Log") },
		{ "concern", N_("Concern") },
		{ "guardian", N_("Guardian") },
		{ "state_request", N_("Request to change the state") },
		{ "state", N_("State") },
		{ "subject", N_("Whom the log is about") },
		{ "bti_level", N_("BTI level") },
		{ "basic_info", N_("Basic data") },
		{ "child_voice", N_("The child's own voice") },
		{ "title", N_("Title") },
		{ "description", N_("Description") },
		{ "areas", N_("Development areas") },
		{ "wanted", N_("Asked for") },
		{ "handled", N_("Handled") },
	};
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(name, labels[i].name) == 0)
			return _(labels[i].label);
	return name;
}

/* Stored values that are codes, in words: states, and how a request was handled. */
static const char *shown(const char *field, const char *value)
{
	if (!value)
		return NULL;
	if (strcmp(field, "state") == 0 || strcmp(field, "wanted") == 0)
		return logbook_state_label(value);
	if (strcmp(field, "handled") == 0)
		return strcmp(value, "done") == 0 ? _("Done") : _("Declined");
	return value;
}

static int show(struct req *r, int64_t id)
{
	int rc = db_begin();
	if (rc < 0 || (rc = authz_require(r, id, AUTHZ_HISTORY, "log.history", NULL)) != 0)
		return rc;
	struct history_entry *h;
	int n = history_list(r->session->municipality_id, id, HISTORY_LIMIT, &h);
	if (n < 0 || (rc = db_commit()) < 0) {
		db_rollback();
		return n < 0 ? n : rc;
	}
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++) {
		struct tv *o = tv_push_obj(list);
		tv_set_str(o, "at", h[i].at);
		tv_set_str(o, "name", arena_printf("%s %s", h[i].given_name, h[i].family_name));
		tv_set_str(o, "entity", label(h[i].entity));
		tv_set_int(o, "entity_id", h[i].entity_id);
		tv_set_str(o, "field", label(h[i].field));
		const char *old = shown(h[i].field, h[i].old_value), *new = shown(h[i].field, h[i].new_value);
		if (old)
			tv_set_str(o, "old", old);
		if (new)
			tv_set_str(o, "new", new);
	}
	tv_set(r->data, "history", list);
	tv_set_int(r->data, "log_id", id);
	tv_set_str(r->data, "title", _("History of the log"));
	return resp_page(r, 200, "history");
}

static int route(struct req *r)
{
	if (!r->session)
		return resp_redirect(r, "/");
	const char *rest;
	int64_t id = app_path_id(r->path, "/logg/", &rest);
	if (id == 0 || strcmp(rest, "/historikk") != 0)
		return 404;
	return show(r, id);
}

static const struct route routes[] = {
	{ "GET", "/logg/*", route },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-history", routes, 0 };
	return app_main(argc, argv, &prog);
}
