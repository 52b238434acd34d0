/* log_view.c — one log: /logg/ID shows it to whoever authz lets read it,
 * /logg/ID/enkel the same log in plain words (written for guardians and
 * young people, open to everyone who may read it), /logg/ID/innsyn who has
 * read it (guardians, the young person, the holder). Every read is audited
 * by authz_require in the read's own transaction. Templates: log_view.html,
 * log_plain.html, log_readers.html. Tests: tests/http/test_login.py,
 * test_log_plain.py. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit.h"
#include "authz.h"
#include "db.h"
#include "i18n.h"
#include "logbook.h"
#include "logview.h"
#include "session.h"

/* The whole log on PAGE, for whoever may read it, audited as WHAT. */
static int view(struct req *r, int64_t id, const char *what, const char *page)
{
	struct authz az;
	int rc = db_begin();
	if (rc < 0 || (rc = authz_require(r, id, AUTHZ_READ, what, &az)) != 0)
		return rc;
	struct tv *log = tv_obj();
	if ((rc = logview_load(r, &az, id, log)) <= 0 || (rc = db_commit()) < 0) {
		db_rollback();
		return rc == 0 ? 404 : rc;
	}
	tv_set(r->data, "log", log);
	tv_set_str(r->data, "title",
		   arena_printf("%s %s", tv_get_str(log, "given_name"), tv_get_str(log, "family_name")));
	return resp_page(r, 200, page);
}

static int readers(struct req *r, int64_t id)
{
	struct authz az;
	int rc = db_begin();
	if (rc < 0 || (rc = authz_require(r, id, AUTHZ_READERS, "log.readers", &az)) != 0)
		return rc;
	struct audit_read *reads;
	int n = audit_reads(r->session->municipality_id, id, 200, &reads);
	if (n < 0 || (rc = db_commit()) < 0) {
		db_rollback();
		return n < 0 ? n : rc;
	}
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++) {
		struct tv *o = tv_push_obj(list);
		tv_set_str(o, "at", reads[i].at);
		tv_set_str(o, "name", arena_printf("%s %s", reads[i].given_name, reads[i].family_name));
		tv_set_str(o, "role", logbook_role_label(reads[i].role));
	}
	tv_set(r->data, "reads", list);
	tv_set_int(r->data, "log_id", id);
	tv_set_str(r->data, "title", _("Who has read the log"));
	return resp_page(r, 200, "log_readers");
}

static int route(struct req *r)
{
	if (!r->session)
		return resp_redirect(r, "/");
	const char *rest;
	int64_t id = app_path_id(r->path, "/logg/", &rest);
	if (id == 0)
		return 404;
	if (*rest == '\0')
		return view(r, id, "log.read", "log_view");
	if (strcmp(rest, "/enkel") == 0)
		return view(r, id, "log.plain", "log_plain");
	if (strcmp(rest, "/innsyn") == 0)
		return readers(r, id);
	return 404;
}

static const struct route routes[] = {
	{ "GET", "/logg/*", route },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-log-view", routes, 0 };
	return app_main(argc, argv, &prog);
}
