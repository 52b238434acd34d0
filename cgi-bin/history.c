/* history.c — every change to a log (DOMAIN.md §6): GET /logg/ID/historikk
 * lists who changed what, when, old -> new, for the holder (AUTHZ_HISTORY,
 * also once the log is closed). Template: history.html.
 * Tests: tests/http/test_history.py. */
#include <string.h>

#include "app.h"
#include "history.h"
#include "i18n.h"
#include "logbook.h"
#include "session.h"
#include "view.h"

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
		{ "title", NC_("concern", "Title") },
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

static int show(struct req *r)
{
	struct history_entry *h;
	int n = history_list(r->session->municipality_id, r->id[0], HISTORY_LIMIT, &h);
	if (n < 0)
		return n;
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++) {
		struct tv *o = tv_push_obj(list);
		tv_set_str(o, "at", h[i].at);
		tv_set_str(o, "name", view_name(h[i].given_name, h[i].family_name));
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
	tv_set_int(r->data, "log_id", r->id[0]);
	tv_set_str(r->data, "title", _("History of the log"));
	return resp_page(r, 200, "history");
}

static const struct route routes[] = {
	{ "GET", "/logg/#/historikk", show, .login = true, .need = AUTHZ_HISTORY, .audit = "log.history" },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-history", routes };
	return app_main(argc, argv, &prog);
}
