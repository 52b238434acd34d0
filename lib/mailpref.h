/* mailpref.h — each person's choice of e-mail from Stafett (issue 12): whether
 * they get "something new for you" notices (person.email_notices; an
 * invitation is always sent), the language of their mail (person.mail_lang;
 * NULL: the municipality's), and the addresses Stafett writes to them at:
 * their own (person.email) and any a log holder typed for them as a
 * guardian of a log (log_guardian.email, used for that log's notices).
 * lib/outbox.c reads the choice when it queues a notice. Domain: depends on
 * db, audit and session. */
#ifndef STAFETT_MAILPREF_H
#define STAFETT_MAILPREF_H

#include <stdbool.h>
#include <stdint.h>

struct session;

struct mailpref {
	char *email;	    /* the person's own address, or NULL */
	bool notices;	    /* wants e-mail notices */
	char *mail_lang;    /* nb, nn, en, or NULL: the municipality's */
	char *default_lang; /* the municipality's: nb or nn */
};

/* The session's person's choice. 1, 0 (no such person), or < 0. */
int mailpref_get(const struct session *s, struct mailpref *out);

/* The other addresses log holders typed for the person on the logs they are
 * a guardian of, each once (an arena array of strings). The count or < 0. */
int mailpref_log_addresses(const struct session *s, char ***out);

/* Saves the choice (mail_lang NULL: the municipality's), each changed value
 * recorded in the audit trail as person.notices.change. 0 or < 0. */
int mailpref_set(const struct session *s, bool notices, const char *mail_lang);

#endif
