/* log_view.c — one log: /logg/ID shows it to whoever authz lets read it,
 * /logg/ID/enkel the same log in plain words (written for guardians and
 * young people, open to everyone who may read it), /logg/ID/innsyn who has
 * read it, a line per person and day in Oslo time (guardians, the young
 * person, the holder; also once consent is withdrawn), 200 a page. Templates:
 * log_view.html, log_plain.html, log_readers.html. Tests:
 * tests/http/test_log_view.py. */
#include <string.h>

#include "app.h"
#include "audit.h"
#include "i18n.h"
#include "session.h"
#include "view.h"
#include "view_log.h"
#include "view_sentence.h"

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

/* A role in the log as a word inside a line ("Kari Fjelltun (guardian)"). */
static const struct i18n_label role_words[] = {
	{ "holder", NC_("a role in the log, in a sentence", "log holder") },
	{ "actor", NC_("a role in the log, in a sentence", "actor") },
	{ "guardian", NC_("a role in the log, in a sentence", "guardian") },
	{ "youth", NC_("a role in the log, in a sentence", "the young person") },
	{ NULL },
};

/* How often and when in the day: "3 times, between 09:12 and 14:40". */
static struct tv *times(const struct audit_reader_day *d)
{
	const struct view_slot slots[] = {
		{ "count", arena_printf("%lld", (long long)d->reads), I18N_NUM },
		{ "first", d->first, I18N_CLOCK },
		{ "last", d->last, I18N_CLOCK },
	};
	const char *pattern = _("{count} times, between {first} and {last}");
	if (d->reads == 1)
		pattern = _("once, at {first}");
	else if (strcmp(d->first, d->last) == 0) /* the same minute */
		pattern = _("{count} times, at {first}");
	return view_sentence(pattern, slots, sizeof slots / sizeof slots[0]);
}

/* Who has read the log: a line per person and day (in Oslo), newest day
 * first, READERS_PER_PAGE lines at a time; ?side=N is the N-th page (1 the
 * newest). */
static int readers(struct req *r)
{
	if (r->in.nerrors)
		return 400; /* our pages only link to pages that are numbers from 1 */
	int64_t page = req_field(r, "side")->num > 0 ? req_field(r, "side")->num : 1, groups, total;
	struct audit_reader_day *d;
	int n = audit_reads(r->session->municipality_id, r->id[0], READERS_PER_PAGE,
			    (page - 1) * READERS_PER_PAGE, &d, &groups, &total);
	if (n < 0)
		return n;
	struct tv *days = tv_list(), *readers = NULL;
	for (int i = 0; i < n; i++) {
		if (i == 0 || strcmp(d[i].day, d[i - 1].day) != 0) {
			struct tv *day = tv_push_obj(days);
			tv_set_str(day, "day", d[i].day);
			tv_set(day, "readers", readers = tv_list());
		}
		/* Every key on every line: one missing would be looked up in the
		 * page's own values (the page's title is not a reader's title). */
		struct tv *o = tv_push_obj(readers);
		tv_set_str(o, "name", view_name(d[i].given_name, d[i].family_name));
		tv_set_str(o, "title", d[i].title ? d[i].title : "");
		tv_set_str(o, "unit", d[i].unit ? d[i].unit : "");
		tv_set_str(o, "role", i18n_label(role_words, d[i].role));
		tv_set(o, "sentence", times(&d[i]));
	}
	int64_t pages = groups > 0 ? (groups + READERS_PER_PAGE - 1) / READERS_PER_PAGE : 1;
	tv_set(r->data, "days", days);
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
