/* log_view.c — one log: /logg/ID shows it to whoever authz lets read it,
 * /logg/ID/innsyn shows who has read it (guardians, the young person, the
 * holder). Both reads are audited by authz_require in the read's own
 * transaction. Templates: log_view.html, log_readers.html.
 * Tests: tests/http/test_login.py. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit.h"
#include "authz.h"
#include "concern.h"
#include "consent.h"
#include "db.h"
#include "i18n.h"
#include "logbook.h"
#include "measure.h"
#include "note.h"
#include "session.h"

/* The parts of the whole log, each loaded by the lib/ module that owns it,
 * in page order, inside the read's transaction. Each puts its data under
 * its own key of the log object; the template has a partial for each. A
 * section sees the decision (role, state) to offer what that role may do. */
typedef int (*section_fn)(struct req *r, const struct authz *az, int64_t log_id, struct tv *log);
/* One per line, so each section's owner edits only its own. */
/* clang-format off */
static const section_fn sections[] = {
	consent_section,
	concern_section,
	measure_section,
	note_section,
	NULL,
};
/* clang-format on */

static int load_sections(struct req *r, const struct authz *az, int64_t id, struct tv *log)
{
	for (const section_fn *f = sections; *f; f++) {
		int rc = (*f)(r, az, id, log);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int view(struct req *r, int64_t id)
{
	struct authz az;
	int rc = db_begin();
	if (rc < 0 || (rc = authz_require(r, id, AUTHZ_READ, "log.read", &az)) != 0)
		return rc;
	struct logbook_summary s;
	struct logbook_guardian *g;
	struct tv *log = tv_obj();
	rc = logbook_summary(r->session->municipality_id, id, &s);
	int ng = rc == 1 ? logbook_guardians(r->session->municipality_id, id, &g) : rc;
	if (rc <= 0 || ng < 0 || (rc = load_sections(r, &az, id, log)) < 0 || (rc = db_commit()) < 0) {
		db_rollback();
		return rc == 0 ? 404 : rc < 0 ? rc : ng;
	}
	tv_set_int(log, "id", s.id);
	tv_set_str(log, "given_name", s.subject_given_name);
	tv_set_str(log, "family_name", s.subject_family_name);
	tv_set_str(log, "unit", s.unit_name);
	tv_set_str(log, "state", logbook_state_label(s.state));
	tv_set_str(log, "holder", arena_printf("%s %s", s.holder_given_name, s.holder_family_name));
	tv_set_str(log, "created_at", s.created_at);
	tv_set_str(log, "role", logbook_role_label(authz_role_name(az.role)));
	tv_set_bool(log, "is_holder", az.role == AUTHZ_HOLDER);
	struct tv *gl = tv_list();
	for (int i = 0; i < ng; i++) {
		struct tv *o = tv_push_obj(gl);
		tv_set_str(o, "name", arena_printf("%s %s", g[i].given_name, g[i].family_name));
		tv_set_bool(o, "never_logged_in", g[i].first_login_at == NULL);
	}
	tv_set(log, "guardians", gl);
	tv_set_bool(log, "may_see_readers", az.may[AUTHZ_READERS]);
	tv_set(r->data, "log", log);
	tv_set_str(r->data, "title", arena_printf("%s %s", s.subject_given_name, s.subject_family_name));
	return resp_page(r, 200, "log_view");
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
		return view(r, id);
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
