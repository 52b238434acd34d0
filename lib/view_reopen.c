/* view_reopen.c — see view_reopen.h. */
#include "view_reopen.h"

#include <stdbool.h>
#include <string.h>

#include "authz.h"
#include "i18n.h"
#include "logbook.h"
#include "reopen.h"
#include "session.h"
#include "tmpl.h"
#include "view.h"

/* Those asked and their answers: {name, waiting, approved, refused, at, reason}. */
static struct tv *asked_list(const struct reopen_status *st, int64_t me, bool *mine_open, bool *mine_asked)
{
	struct tv *list = tv_list();
	for (int i = 0; i < st->nasked; i++) {
		const struct reopen_asked *a = &st->asked[i];
		struct tv *o = tv_push_obj(list);
		tv_set_str(o, "name", view_name(a->given_name, a->family_name));
		tv_set_bool(o, "waiting", a->answer < 0);
		tv_set_bool(o, "approved", a->answer == 1);
		tv_set_bool(o, "refused", a->answer == 0);
		tv_set_bool(o, "me", a->person_id == me);
		if (a->answered_at)
			tv_set_str(o, "at", a->answered_at);
		if (a->refuse_reason)
			tv_set_str(o, "reason", a->refuse_reason);
		if (a->person_id == me) {
			*mine_asked = true;
			*mine_open = a->answer < 0;
		}
	}
	return list;
}

int view_reopen_section(const struct session *s, const struct authz *az, int64_t log_id, const char *state,
			struct tv *data)
{
	struct reopen_status st;
	int rc = reopen_status(s->municipality_id, log_id, &st);
	if (rc < 0)
		return rc;
	struct tv *o = tv_obj();
	bool closed = strcmp(state, "closed") == 0, asked = st.id && strcmp(st.state, "asked") == 0;
	bool mine_open = false, mine_asked = false;
	tv_set_bool(o, "closed", closed);
	tv_set_bool(o, "holder", az->may[AUTHZ_REOPEN]);
	if (st.id) {
		struct tv *r = tv_obj();
		tv_set_int(r, "id", st.id);
		tv_set_bool(r, st.state, true); /* asked, approved, refused or withdrawn */
		tv_set_str(r, "reason", st.reason);
		tv_set_str(r, "at", st.created_at);
		if (st.decided_at)
			tv_set_str(r, "decided_at", st.decided_at);
		tv_set_str(r, "by", view_name(st.holder_given_name, st.holder_family_name));
		tv_set(r, "answers", asked_list(&st, s->person_id, &mine_open, &mine_asked));
		tv_set(o, "request", r);
	}
	tv_set_bool(o, "may_ask", closed && az->may[AUTHZ_REOPEN] && !asked);
	tv_set_bool(o, "may_withdraw", closed && az->may[AUTHZ_REOPEN] && asked);
	tv_set_bool(o, "may_answer", closed && az->may[AUTHZ_REOPEN_ANSWER] && asked && mine_open);
	tv_set_bool(o, "answered", asked && mine_asked && !mine_open);
	tv_set(data, "reopen", o);
	return 0;
}

int view_reopen(const struct session *s, const struct authz *az, int64_t log_id, struct tv *data)
{
	struct logbook_summary sum;
	int rc = logbook_summary(s->municipality_id, log_id, &sum);
	if (rc <= 0)
		return rc;
	view_log_heading(data, &sum);
	if ((rc = view_reopen_section(s, az, log_id, sum.state, data)) < 0)
		return rc;
	tv_set_str(data, "title", _("Reopening the log"));
	return 1;
}
