/* notice.h — the e-mail notices of the workflows that exist (issue 12): a
 * person whose consent a log needs is asked for it when the log is created
 * or they become its guardian; a person is told when a measure is given to
 * them; and the daily job (tools/stafett-daily.c) tells a measure's
 * responsible person that its evaluation is due. Each notice is queued with
 * outbox_notify in the caller's transaction (it goes with the action or not
 * at all) and honours the person's choice of no e-mail
 * (person.email_notices). A notice goes only to someone who may act on it
 * now, asked of authz.h as them, for its link would otherwise be refused;
 * what it says is its templates' (templates/mail_KIND.*): that there is
 * something for them in Stafett and a link, never the child, the log's
 * content or what a measure is. Domain: knows nothing of HTTP or HTML. */
#ifndef STAFETT_NOTICE_H
#define STAFETT_NOTICE_H

#include <stdint.h>

struct session;

/* What became of the notices one call meant to send. */
struct notice_count {
	int queued;
	int no_address; /* the person has no e-mail address */
	int declined;	/* they chose no e-mail notices */
	int duplicate;	/* queued before (a job's once-only key) */
	int not_now;	/* they may not act on it now (authz), so nothing is sent */
};

/* Asks each person whose consent LOG_ID needs (consent_required: its
 * guardians, or the young person or pregnant woman) for it: a "log_created"
 * notice linking to the consent page, to a guardian at the address typed
 * on the log (else their own), to the subject at their own and without
 * their name (the mail must not say whom the log is about). Only a person
 * who may give consent now (AUTHZ_CONSENT: never the holder, nothing on a
 * closed or withdrawn log); PERSON_ID 0 asks all of them, else only that
 * one (a guardian just added). Adds to *n. 0 or a negative db.h code. */
int notice_consent_asked(const struct session *s, int64_t log_id, int64_t person_id, struct notice_count *n);

/* Tells PERSON_ID that the session's person made them responsible for the
 * measure MEASURE_ID of LOG_ID: a "measure_given" notice linking to the
 * measure, unless they gave it to themself or may not read the log now
 * (an actor whose service the consent does not cover yet). Adds to *n. 0
 * or a negative db.h code. */
int notice_measure_given(const struct session *s, int64_t log_id, int64_t measure_id, int64_t person_id,
			 struct notice_count *n);

/* The daily job: for every measure whose evaluation is due on TODAY
 * (YYYY-MM-DD, a day in Oslo; measure_due says what due means), an
 * "evaluation_due" notice to its responsible person if they may evaluate
 * it now (AUTHZ_EVALUATE: the holder, or a current actor whose service the
 * consent covers), once per measure, evaluation date and person (the
 * outbox's once-only key "evaluation_due:MEASURE:DATE:PERSON"), so running
 * the job again, the same day or later, sends nothing new. Each measure in
 * a transaction of its own. *due is the number of measures found; the
 * notices add to *n. 0 or a negative db.h code. */
int notice_evaluations_due(const char *today, int *due, struct notice_count *n);

#endif
