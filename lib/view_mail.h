/* view_mail.h — a queued mail (outbox.h) as the bytes the mailer sends: the
 * kind's templates (templates/mail_KIND.txt and mail_KIND.html inside
 * mail_layout.html, with mail_footer.txt under the text) and its subject,
 * in the mail's language, from the values queued with it; composed by
 * mail.h; with an iCalendar invitation beside the text when the values
 * hold one ("ics", with its method in "ics_method": lib/ical.h, made when
 * the mail was queued). The same row gives the same bytes at every attempt: the Date is
 * when it was queued and the boundary comes from the Message-ID. View:
 * depends on tmpl, i18n, mail and config. */
#ifndef STAFETT_VIEW_MAIL_H
#define STAFETT_VIEW_MAIL_H

#include <stdbool.h>

#include "arena.h"

struct view_mail {
	const char *kind;
	const char *lang;
	const char *message_id;
	const char *rcpt;
	const char *created_at; /* UTC, "YYYY-MM-DD HH:MM:SS" */
	const char *params;	/* the JSON object queued */
};

/* Whether view_mail_render knows KIND (its subject and templates). */
bool view_mail_known(const char *kind);

/* Appends the whole message to out. 0, or -1 (logged: an unknown kind, a
 * template that failed, a header value mail.h refuses). The current
 * language is set back as it was. */
int view_mail_render(const struct view_mail *m, struct buf *out);

#endif
