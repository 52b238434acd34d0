/* handover.h — the holder hands the log on (issue 14, DOMAIN.md §2): an
 * offer to a cleared staff member of another unit, which they accept or
 * decline; the holder may withdraw it, and an offer nobody answers expires
 * after [handover] offer_days. Until it is accepted the old holder holds
 * the log and it works as before; accepting makes the receiver the holder
 * (log.holder_person_id and log.unit_id), the old holder an actor for
 * their unit or nobody, as they chose when offering, and records the
 * transition and its archive queue row (sql/013). The consent to
 * cooperation must cover the receiving unit, when offered and when
 * accepted. One open offer per log: the log's row is locked first, so two
 * offers at once happen in turn and the second is refused.
 *
 * Everything runs in the caller's transaction, with history rows and mail
 * queued through outbox.h: the guardians are told of an offer
 * ("handover_offered", which names no child), the receiver too
 * ("handover_received", a link to the offer). Access is decided by authz.h
 * before these are called (AUTHZ_HANDOVER for the holder's side,
 * AUTHZ_OFFER for the receiver's). Domain: knows nothing of HTTP or HTML. */
#ifndef STAFETT_HANDOVER_H
#define STAFETT_HANDOVER_H

#include <stdbool.h>
#include <stdint.h>

struct session;

/* A cleared staff member of another active unit of the municipality, or
 * of another active municipality on the installation (the log would move
 * there, logmove.h), whom the log may be offered to (not its holder), and
 * whether the consent to cooperation covers their unit now. */
struct handover_staff {
	int64_t role_id; /* staff_role.id: the value the form sends */
	char *given_name;
	char *family_name;
	char *unit_name;
	bool covered;
	char *municipality_name; /* another municipality's (a move), else NULL */
};
int handover_staff(int64_t municipality_id, int64_t log_id, struct handover_staff **out);

enum handover_outcome {
	HANDOVER_DONE,
	HANDOVER_NO_SUCH_STAFF,	 /* not a staff role of an active unit of the municipality */
	HANDOVER_LEADER,	 /* a leader's or administrator's role: leaders do not hold logs */
	HANDOVER_UNCLEARED,	 /* a staff member their leader has not cleared */
	HANDOVER_SELF,		 /* the holder themself */
	HANDOVER_SAME_UNIT,	 /* of the unit that holds the log now */
	HANDOVER_RELATED,	 /* the log's subject or one of its guardians */
	HANDOVER_NOT_COVERED,	 /* the consent to cooperation does not cover their unit */
	HANDOVER_OPEN,		 /* an offer of the log is open already */
	HANDOVER_NOT_FOUND,	 /* withdraw, accept, decline: no such offer (to this person) */
	HANDOVER_STALE,		 /* changed since the page was shown */
	HANDOVER_ANSWERED,	 /* accepted, declined, withdrawn or expired already */
	HANDOVER_STAY_ELSEWHERE, /* to another municipality, and the holder chose to stay as actor */
};

/* Offers the log to the staff role's person for its unit; stay: whether
 * the holder stays on as an actor once it is accepted. Tells the guardians
 * and the receiver. 0 with *o (and *id when DONE), or a negative db.h code. */
/* What an offer that was not made (an outcome other than DONE, OPEN) tells
 * the holder at the staff field, in the reader's language. */
const char *handover_refusal(enum handover_outcome o);

int handover_offer(const struct session *s, int64_t log_id, int64_t staff_role_id, bool stay, int64_t *id,
		   enum handover_outcome *o);
/* The holder takes the open offer back, at the version shown. */
int handover_withdraw(const struct session *s, int64_t log_id, int64_t handover_id, int version,
		      enum handover_outcome *o);
/* The municipality of the log an offer to the session's person is of (the
 * offer may come from another municipality): 1 with *out, 0 no such offer
 * to them, or < 0. */
int handover_log_municipality(const struct session *s, int64_t log_id, int64_t handover_id, int64_t *out);
/* The receiver (the session's person) takes the log: they hold it from now;
 * NOT_COVERED when the consent no longer covers their unit. From another
 * municipality, the log moves to the receiver's (logmove.h). */
int handover_accept(const struct session *s, int64_t log_id, int64_t handover_id, int version,
		    enum handover_outcome *o);
/* The receiver says no, and why; the holder sees the reason. */
int handover_decline(const struct session *s, int64_t log_id, int64_t handover_id, int version,
		     const char *reason, enum handover_outcome *o);

/* An offer as the log's pages show it. state is the stored state, but an
 * offer past its expiry that the daily job has not reached yet is
 * "expired" already. */
struct handover {
	int64_t id;
	int64_t to_person_id;
	char *from_given_name;
	char *from_family_name;
	char *from_unit_name;
	char *to_given_name;
	char *to_family_name;
	char *to_unit_name;
	bool stay_as_actor;
	char *state; /* offered, accepted, declined, withdrawn, expired */
	char *decline_reason;
	char *offered_at; /* UTC "YYYY-MM-DD HH:MM" */
	char *answered_at;
	char *expires_at;
	int version;
	bool moves; /* to another municipality: the log moves there */
	char *from_municipality_name;
	char *to_municipality_name;
};
/* The log's offers, newest first; the count or < 0. */
int handover_list(int64_t municipality_id, int64_t log_id, struct handover **out);
/* One offer of the log: 1, 0 (none), or < 0. */
int handover_get(int64_t municipality_id, int64_t log_id, int64_t handover_id, struct handover *out);
/* A state in words ("Offered", "Declined"). */
const char *handover_state_label(const char *state);

/* What the receiver would take on, without the contents of the log: its
 * number, unit and the subject's name, how many measures are open, the
 * next evaluation date and deadline among them, the next meeting. */
struct handover_load {
	char *subject_given_name;
	char *subject_family_name;
	char *unit_name;
	int open_measures;
	char *next_evaluation; /* YYYY-MM-DD or NULL */
	char *next_deadline;
	char *next_meeting; /* UTC "YYYY-MM-DD HH:MM" or NULL */
};
int handover_load(int64_t municipality_id, int64_t log_id, struct handover_load *out);

/* The open offers made to the session's person (their page), oldest first. */
struct handover_pending {
	int64_t id;
	int64_t log_id;
	char *from_given_name;
	char *from_family_name;
	char *from_unit_name;
	char *to_unit_name;
	char *expires_at;
};
int handover_pending(const struct session *s, struct handover_pending **out);

/* The daily job: every offer still open whose expiry fell before TODAY
 * (YYYY-MM-DD) expires, and the holder and the leaders of the unit that
 * offered it are told ("handover_expired", once per offer and person).
 * Each offer in a transaction of its own. *expired counts the offers,
 * *mails the notices queued. 0 or a negative db.h code. */
int handover_expire(const char *today, int *expired, int *mails);

#endif
