/* sessions.c — "your sessions": where you are logged in, and ending the
 * sessions you do not recognise (SECURITY.md A2.20). Only the person's own
 * sessions, found through their own session. Template: templates/sessions.html.
 * Tests: tests/http/test_sessions.py. */
#include "app.h"
#include "i18n.h"
#include "session.h"

static const struct form_field end_fields[] = {
	{ .name = "handle", .type = FORM_LINE, .required = true, .max_len = 16 },
	{ NULL },
};

static int show(struct req *r)
{
	struct session_info *list;
	int n = session_list(r->session, &list);
	if (n < 0)
		return n;
	struct tv *l = tv_list();
	for (int i = 0; i < n; i++) {
		struct tv *o = tv_push_obj(l);
		tv_set_str(o, "handle", list[i].handle);
		tv_set_str(o, "created_at", list[i].created_at);
		tv_set_str(o, "last_seen_at", list[i].last_seen_at);
		tv_set_bool(o, "current", list[i].current);
	}
	tv_set(r->data, "sessions", l);
	tv_set_bool(r->data, "others", n > 1);
	tv_set_str(r->data, "title", _("Your sessions"));
	return resp_page(r, 200, "sessions");
}

static int end(struct req *r)
{
	if (r->in.nerrors)
		return 400; /* the handle comes from our own page */
	int n = session_end_handle(r->session, req_field(r, "handle")->value);
	return n < 0 ? n : resp_saved(r, "/okter", "okt");
}

static const struct route routes[] = {
	{ "GET", "/okter", show, .login = true },
	{ "POST", "/okter/avslutt", end, .login = true, .fields = end_fields },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-sessions", routes };
	return app_main(argc, argv, &prog);
}
