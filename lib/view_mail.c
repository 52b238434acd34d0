/* view_mail.c — a queued mail rendered (view_mail.h). */
#include "view_mail.h"

#include <jansson.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "i18n.h"
#include "log.h"
#include "mail.h"
#include "tmpl.h"

/* Each kind of mail and its subject. The subject says no more than the
 * body may: never a child's name or anything about the child. */
static const struct {
	const char *kind;
	const char *subject;
} kinds[] = {
	{ "invitation", N_("You are invited to take part in a stafettlogg") },
	{ "invitation_refused", N_("Something new for you in Stafett") },
	{ "message", N_("Something new for you in Stafett") },
	{ "log_created", N_("You are asked for consent in Stafett") },
	{ "measure_given", N_("Something new for you in Stafett") },
	{ "evaluation_due", N_("An evaluation is due in Stafett") },
	/* A meeting's invitation, its move and its cancellation (lib/meeting.c). */
	{ "meeting_planned", N_("You are invited to a meeting in Stafett") },
	{ "meeting_moved", N_("A meeting in Stafett has a new time") },
	{ "meeting_cancelled", N_("A meeting in Stafett is cancelled") },
	/* A log offered on, to its guardians and the receiver, and an offer
	 * that expired, to the holder and their unit's leaders (lib/handover.c). */
	{ "handover_offered", N_("Something new for you in Stafett") },
	{ "handover_received", N_("A stafettlogg is offered to you in Stafett") },
	{ "handover_expired", N_("Something new for you in Stafett") },
	{ "handover_declined", N_("Something new for you in Stafett") },
	/* A log closed on a guardian's demand, to the holder and the other
	 * guardians (lib/logbook.c); reopening asked, to those asked, and
	 * decided, to the holder (lib/reopen.c). */
	{ "log_closed_demand", N_("Something new for you in Stafett") },
	{ "reopen_asked", N_("You are asked to approve something in Stafett") },
	{ "reopen_decided", N_("Something new for you in Stafett") },
	{ "test", N_("A test message from Stafett") }, /* stafett-admin mail-test */
};

static int find(const char *kind)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return (int)i;
	return -1;
}

bool view_mail_known(const char *kind)
{
	return find(kind) >= 0;
}

/* "YYYY-MM-DD HH:MM:SS" in UTC as a time, or 0. */
static time_t utc_time(const char *s)
{
	struct tm tm = { 0 };
	if (!s || !strptime(s, "%Y-%m-%d %H:%M:%S", &tm))
		return 0;
	return timegm(&tm);
}

/* The queued values as template values; the site's name beside them. */
static struct tv *values(const char *params)
{
	struct tv *o = tv_obj();
	json_error_t err;
	json_t *j = json_loads(params, 0, &err);
	if (!json_is_object(j)) {
		json_decref(j);
		return NULL;
	}
	const char *k;
	json_t *v;
	json_object_foreach(j, k, v)
	{
		if (json_is_string(v))
			tv_set_str(o, arena_strdup(k), arena_strdup(json_string_value(v)));
	}
	json_decref(j);
	tv_set_str(o, "site", config_str("site.name"));
	tv_set_str(o, "lang", i18n_lang());
	return o;
}

static int render(const struct view_mail *m, struct buf *out)
{
	int k = find(m->kind);
	if (k < 0) {
		log_error("mail: no templates for the kind %s", m->kind);
		return -1;
	}
	struct tv *data = values(m->params);
	if (!data) {
		log_error("mail: the values of a %s mail are not a JSON object", m->kind);
		return -1;
	}
	struct buf text = { 0 }, html = { 0 };
	const char *txt_name = arena_printf("mail_%s.txt", m->kind);
	const char *html_name = arena_printf("mail_%s", m->kind);
	if (tmpl_render(&text, txt_name, data) < 0 || tmpl_render(&text, "mail_footer.txt", data) < 0 ||
	    tmpl_render_page(&html, "mail_layout", html_name, data) < 0) {
		log_error("mail: %s", tmpl_error());
		return -1;
	}
	const char *at = strchr(m->message_id, '@');
	struct mail_msg msg = {
		.from_addr = config_str("mail.from_address"),
		.from_name = config_str("mail.from_name"),
		.to_addr = m->rcpt,
		.to_name = tv_get_str(data, "to_name"),
		.subject = i18n_t(kinds[k].subject),
		.date = utc_time(m->created_at),
		.message_id = m->message_id,
		.text = text.data ? text.data : "",
		.html = html.data ? html.data : "",
		/* A meeting's invitation, made when it was queued (ical.h). */
		.calendar = tv_get_str(data, "ics"),
		.calendar_method = tv_get_str(data, "ics_method"),
		.boundary =
			arena_printf("=_stafett_%.*s", at ? (int)(at - m->message_id) : 24, m->message_id),
	};
	if (mail_compose(out, &msg) < 0) {
		log_error("mail: a %s mail has a header value that cannot be sent", m->kind);
		return -1;
	}
	return 0;
}

int view_mail_render(const struct view_mail *m, struct buf *out)
{
	const char *was = i18n_lang();
	i18n_set(i18n_supported(m->lang) ? m->lang : config_str("site.default_lang"));
	int rc = render(m, out);
	i18n_set(was);
	return rc;
}
