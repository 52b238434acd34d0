/* log_delete.c — a draft deleted by the staff member who created it, while
 * they hold it (AUTHZ_DELETE): GET /logg/ID/slett says what is about to go,
 * POST /logg/ID/slett deletes the log and every row of it (lib/logbook.c,
 * logbook_delete_draft) and lands on "my page", told so; a second submit
 * goes there too. The audit trail keeps its rows of the log. Template:
 * log_delete.html. Tests: tests/http/test_log_delete.py. */
#include "app.h"
#include "i18n.h"
#include "logbook.h"
#include "session.h"
#include "view.h"

static int confirm(struct req *r)
{
	struct logbook_summary sum;
	int rc = logbook_summary(r->session->municipality_id, r->id[0], &sum);
	if (rc <= 0)
		return rc == 0 ? 404 : rc;
	view_log_heading(r->data, &sum);
	tv_set_str(r->data, "title", _("Delete the draft?"));
	return resp_page(r, 200, "log_delete");
}

static int delete (struct req *r)
{
	int rc = logbook_delete_draft(r->session, r->id[0]);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return 409; /* consent made it active in the meantime: nothing deleted */
	return resp_saved(r, "/min-side", "slettet");
}

static const struct route routes[] = {
	{ "GET", "/logg/#/slett", confirm, .login = true, .need = AUTHZ_DELETE, .audit = "log.delete.read" },
	{ "POST", "/logg/#/slett", delete, .login = true, .need = AUTHZ_DELETE, .audit = "log.delete",
	  .once = true },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-log-delete", routes };
	return app_main(argc, argv, &prog);
}
