/* logview.c — the whole log as its page shows it: reads the log's row and
 * its concerns once, the guardians, and asks each module for its part.
 * Reads through logbook.c and concern.c; writes nothing. */
#include "logview.h"

#include "app.h"
#include "arena.h"
#include "authz.h"
#include "consent.h"
#include "db.h"
#include "measure.h"
#include "note.h"
#include "session.h"
#include "tmpl.h"

/* The parts of the log, each filled by the lib/ module that owns it, in page
 * order. Each puts its data under its own key of the log object; the
 * templates have a partial for each. A part sees the decision (role, state)
 * to offer what that role may do. One per line, so each owner edits only
 * its own. */
typedef int (*section_fn)(struct req *r, const struct authz *az, const struct logview *v, struct tv *log);
/* clang-format off */
static const section_fn sections[] = {
	consent_section,
	concern_section,
	measure_section,
	note_section,
	NULL,
};
/* clang-format on */

static void set_facts(struct tv *out, const struct logview *v, const struct authz *az)
{
	const struct logbook_summary *s = &v->log;
	tv_set_int(out, "id", s->id);
	tv_set_str(out, "given_name", s->subject_given_name);
	tv_set_str(out, "family_name", s->subject_family_name);
	tv_set_str(out, "subject_kind", s->subject_kind);
	tv_set_str(out, "unit", s->unit_name);
	tv_set_str(out, "state", logbook_state_label(s->state));
	tv_set_str(out, "state_code", s->state);
	tv_set_str(out, "holder", arena_printf("%s %s", s->holder_given_name, s->holder_family_name));
	tv_set_str(out, "created_at", s->created_at);
	tv_set_str(out, "role", logbook_role_label(authz_role_name(az->role)));
	tv_set_bool(out, "is_holder", az->role == AUTHZ_HOLDER);
	tv_set_bool(out, "may_see_readers", az->may[AUTHZ_READERS]);
	tv_set_bool(out, "may_consent", az->may[AUTHZ_CONSENT]);
}

int logview_load(struct req *r, const struct authz *az, int64_t log_id, struct tv *out)
{
	int64_t m = r->session->municipality_id;
	struct logview v = { .id = log_id };
	struct logbook_guardian *g;
	int rc = logbook_summary(m, log_id, &v.log);
	if (rc <= 0)
		return rc;
	int ng = logbook_guardians(m, log_id, &g);
	if (ng < 0)
		return ng;
	if ((v.nconcerns = concern_list(m, log_id, &v.concerns)) < 0)
		return v.nconcerns;
	set_facts(out, &v, az);
	struct tv *gl = tv_list();
	for (int i = 0; i < ng; i++) {
		struct tv *o = tv_push_obj(gl);
		tv_set_str(o, "name", arena_printf("%s %s", g[i].given_name, g[i].family_name));
		tv_set_bool(o, "never_logged_in", g[i].first_login_at == NULL);
	}
	tv_set(out, "guardians", gl);
	for (const section_fn *f = sections; *f; f++)
		if ((rc = (*f)(r, az, &v, out)) < 0)
			return rc;
	return 1;
}
