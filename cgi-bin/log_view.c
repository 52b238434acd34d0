/* log_view.c — one log: /logg/ID shows it to whoever authz lets read it,
 * /logg/ID/enkel the same log in plain words (written for guardians and
 * young people, open to everyone who may read it), /logg/ID/innsyn who has
 * read it (guardians, the young person, the holder; also once consent is
 * withdrawn), 200 a page. Templates:
 * log_view.html, log_plain.html, log_readers.html. Tests:
 * tests/http/test_log_view.py. */
#include "app.h"
#include "audit.h"
#include "i18n.h"
#include "logbook.h"
#include "session.h"
#include "view.h"
#include "view_log.h"

#define READERS_PER_PAGE 200

/* The whole log on PAGE. */
static int view(struct req *r, const char *page)
{
	struct tv *log = tv_obj();
	int rc = view_log(r->session, r->lang, &r->az, r->id[0], log);
	if (rc <= 0)
		return rc == 0 ? 404 : rc;
	tv_set(r->data, "log", log);
	tv_set_str(r->data, "title",
		   view_name(tv_get_str(log, "given_name"), tv_get_str(log, "family_name")));
	return resp_page(r, 200, page);
}

static int show(struct req *r)
{
	return view(r, "log_view");
}

static int plain(struct req *r)
{
	return view(r, "log_plain");
}

static const struct form_field readers_fields[] = {
	{ .name = "side", .type = FORM_INT, .min = 1, .max = 1000000000, .label = N_("Page") },
	{ NULL },
};

/* Who has read the log, READERS_PER_PAGE at a time, newest first; ?side=N
 * is the N-th page (1 the newest). */
static int readers(struct req *r)
{
	if (r->in.nerrors)
		return 400; /* our pages only link to pages that are numbers from 1 */
	int64_t page = req_field(r, "side")->num > 0 ? req_field(r, "side")->num : 1, total;
	struct audit_read *reads;
	int n = audit_reads(r->session->municipality_id, r->id[0], READERS_PER_PAGE,
			    (page - 1) * READERS_PER_PAGE, &reads, &total);
	if (n < 0)
		return n;
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++) {
		struct tv *o = tv_push_obj(list);
		tv_set_str(o, "at", reads[i].at);
		tv_set_str(o, "name", view_name(reads[i].given_name, reads[i].family_name));
		tv_set_str(o, "role", logbook_role_label(reads[i].role));
	}
	int64_t pages = total > 0 ? (total + READERS_PER_PAGE - 1) / READERS_PER_PAGE : 1;
	tv_set(r->data, "reads", list);
	tv_set_int(r->data, "total", total);
	tv_set_int(r->data, "page", page);
	tv_set_int(r->data, "pages", pages);
	tv_set_bool(r->data, "paged", pages > 1);
	if (page > 1)
		tv_set_int(r->data, "newer", page - 1);
	if (page < pages)
		tv_set_int(r->data, "older", page + 1);
	tv_set_int(r->data, "log_id", r->id[0]);
	tv_set_bool(r->data, "may_read", r->az.may[AUTHZ_READ]); /* not once consent is withdrawn */
	tv_set_str(r->data, "title", _("Who has read the log"));
	return resp_page(r, 200, "log_readers");
}

static const struct route routes[] = {
	{ "GET", "/logg/#", show, .login = true, .need = AUTHZ_READ, .audit = "log.read" },
	{ "GET", "/logg/#/enkel", plain, .login = true, .need = AUTHZ_READ, .audit = "log.plain" },
	{ "GET", "/logg/#/innsyn", readers, .login = true, .need = AUTHZ_READERS, .audit = "log.readers",
	  .fields = readers_fields },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-log-view", routes };
	return app_main(argc, argv, &prog);
}
