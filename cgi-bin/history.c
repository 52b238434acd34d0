/* history.c — every change to a log (DOMAIN.md §6): GET /logg/ID/historikk
 * tells, newest first, who changed what and when, in sentences of the
 * reader's language (lib/view_history.h), for the holder (AUTHZ_HISTORY,
 * also once the log is closed). Template: history.html.
 * Tests: tests/http/test_history.py. */
#include "app.h"
#include "i18n.h"
#include "session.h"
#include "view_history.h"

#define HISTORY_LIMIT 1000

static int show(struct req *r)
{
	int rc = view_history(r->session->municipality_id, r->id[0], HISTORY_LIMIT, r->data);
	if (rc < 0)
		return rc;
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
