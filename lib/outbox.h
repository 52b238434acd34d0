/* outbox.h — the mail Stafett sends, queued in the transaction of the action
 * that causes it (sql/009: a rolled-back action sends nothing, a committed
 * one is never forgotten), and the mailer's side of the same table: claim a
 * due mail with a lease, then mark what the server answered.
 *
 * A queued mail is its kind (the templates mail_KIND.txt and mail_KIND.html
 * and its subject, lib/view_mail.c), the recipient's language and the
 * values its templates show, as a JSON object of strings, sealed (an
 * invitation's link carries its token). What a notice may say is decided
 * by its kind's templates: never a child's name, a diagnosis or what a
 * message says; "something new for you in Stafett" and a link. Domain:
 * depends on db, crypto and config; knows nothing of HTTP or HTML. */
#ifndef STAFETT_OUTBOX_H
#define STAFETT_OUTBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"

struct outbox_mail {
	int64_t municipality_id;
	int64_t person_id;  /* the recipient's person row, 0 if none */
	int64_t log_id;	    /* the log it is about, 0 if none (never shown in the mail) */
	const char *kind;   /* "invitation", "message", ... (view_mail.c knows each) */
	const char *to;	    /* the address (mail_address_ok) */
	const char *lang;   /* nb, nn or en */
	const char *dedupe; /* a once-only key for a job's mail, or NULL */
	const char *params; /* JSON object of strings for the templates */
};

/* Queues m in the open transaction. 0 with *id (may be NULL), 1 when a mail
 * with the same dedupe key is queued already (nothing added), or a negative
 * db.h code (DB_ERROR also for an address mail_address_ok refuses). */
int outbox_queue(const struct outbox_mail *m, int64_t *id);

/* A notice to a person of the municipality about a log: to their e-mail
 * (to, when the caller has the address the person gave on a log; NULL: the
 * person's own), in their language, with their name (not when they are
 * the one the log is about: that would say whom the log is about to anyone
 * who reads the inbox), the municipality's name and a link to PATH under
 * [site] public_url. Not queued when they
 * have no address or have chosen no e-mail notices; with gate, not when
 * they were sent such a notice less than [mail] notice_interval_minutes ago
 * (one statement on notice_gate, so two at once cannot both pass). */
enum outbox_notice {
	OUTBOX_QUEUED,
	OUTBOX_NO_ADDRESS,
	OUTBOX_DECLINED,  /* they chose no e-mail notices */
	OUTBOX_THROTTLED, /* gate: one was sent within the interval */
	OUTBOX_DUPLICATE, /* dedupe: queued before */
};
int outbox_notify(int64_t municipality_id, int64_t person_id, int64_t log_id, const char *kind,
		  const char *to, const char *path, bool gate, const char *dedupe, enum outbox_notice *out);

/* The recipient's language: the person's choice, else the municipality's.
 * An arena string, or NULL on a database error. */
const char *outbox_lang(int64_t municipality_id, int64_t person_id);

/* A JSON object of the given key/value string pairs (NULL-terminated list,
 * a NULL value skipped), as an arena string; with [site] public_url before
 * the value of "link" when it starts with '/'. */
const char *outbox_params(const char *key, ...) __attribute__((sentinel));

/* --- the mailer's side (tools/stafett-mailer.c) -------------------------
 * A mail is claimed with a lease: [mail] lease_seconds during which no
 * other mailer takes it. Each mark below changes the row only while it is
 * still this owner's and pending: 1 when it did, 0 when the row is no
 * longer ours (another mailer claimed it after our lease ran out), or a
 * negative db.h code. */

/* A claimed mail: what view_mail renders it from. */
struct outbox_due {
	int64_t id;
	char *kind;
	char *lang;
	char *message_id;
	char *rcpt;
	char *created_at; /* UTC, "YYYY-MM-DD HH:MM:SS.mmm" */
	struct db_blob params_sealed;
	int params_key_id;
	int attempts; /* this one included */
};

/* Claims up to max pending mails that are due and not leased, oldest
 * first, for owner (one short transaction; rows another mailer has locked
 * are skipped). The count in *rows (an arena array), or a negative code. */
int outbox_claim(const char *owner, int max, struct outbox_due **rows);

/* Moves the lease on by lease_seconds from now, just before a send. */
int outbox_renew(int64_t id, const char *owner);

/* The values queued with a claimed mail, opened (an arena string), or NULL
 * when they do not open (logged). */
const char *outbox_open_params(const struct outbox_due *d);

/* The server took it (2xx): sent, with its answer; the values erased. */
int outbox_sent(int64_t id, const char *owner, int code, const char *reply);

/* The server refused it for good (5xx): bounced, with its answer; the
 * values erased. The holder sees it on the invitation. */
int outbox_bounced(int64_t id, const char *owner, int code, const char *reply);

/* A temporary failure (no connection, a 4xx answer; code 0 when there was
 * no answer, reply then says what happened): tried again after
 * retry_first_seconds, doubling with each attempt up to retry_max_seconds,
 * the lease let go; after give_up_hours since it was queued it is 'failed'
 * instead, the values erased, and *gave_up says so. A mail the mailer
 * cannot render (its values do not open, its kind has no templates) is
 * deferred the same way: a fixed key file or template sends it. */
int outbox_deferred(int64_t id, const char *owner, int attempts, int code, const char *reply, bool *gave_up);

/* Lets a claimed mail go unsent (the mailer is stopping): due again at
 * once for the next claim, the attempt not counted. */
int outbox_release(int64_t id, const char *owner);

/* Seconds until the next attempt after this many (1 = the first failed). */
long long outbox_retry_delay(int attempts);

#endif
