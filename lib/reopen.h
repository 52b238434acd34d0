/* reopen.h — reopening a closed log (DOMAIN.md §3; sql/014 reopen_request,
 * reopen_answer): the holder asks, with a reason; each person whose consent
 * the log rests on (consent_required: each guardian, or the young person at
 * or above the consent age, or the pregnant woman) approves or refuses; only
 * when all of them have approved is the log active again, and only then do
 * staff other than the holder see its old contents (authz.h: an actor sees
 * nothing of a closed log). A refusal ends the request; the holder sees who
 * refused and the reason if one was given (kept in the log's history, which
 * reopen_answer has no column for). One request open ('asked') at a time,
 * the log's row locked first, so two at once make one.
 *
 * Reopened, the log is active with closed_at cleared: it is open again, so
 * retention (counted from closed_at) does not run on it, and its history
 * keeps when it was closed and when it was reopened.
 *
 * Access is decided by authz.h (REOPEN for the holder, REOPEN_ANSWER for a
 * guardian or the young person) in the caller's transaction; these
 * functions check what authz cannot know (whether the person is one of
 * those asked, whether the request is still the open one). Those asked are
 * told by e-mail (gated notices that name no child), and the holder when
 * the request is decided. Domain: depends on db, history, consent, outbox. */
#ifndef STAFETT_REOPEN_H
#define STAFETT_REOPEN_H

#include <stdbool.h>
#include <stdint.h>

struct session;

enum reopen_outcome {
	REOPEN_DONE,	   /* asked; answered (still waiting for others); withdrawn */
	REOPEN_REOPENED,   /* the last approval: the log is active again */
	REOPEN_REFUSED,	   /* answered with a refusal: the request is ended */
	REOPEN_NOT_CLOSED, /* the log is not closed (or its consent is withdrawn) */
	REOPEN_PENDING,	   /* ask: a request is open already */
	REOPEN_NOBODY,	   /* ask: the log has nobody whose consent it rests on */
	REOPEN_STALE,	   /* answer, withdraw: not the open request (decided, withdrawn, another) */
	REOPEN_NOT_ASKED,  /* answer: the person is not one of those asked */
	REOPEN_ANSWERED,   /* answer: the person has answered this request already */
};

/* The holder (the session's person) asks to reopen log_id with REASON. 0
 * with *o (REOPEN_DONE and *request_id, REOPEN_NOT_CLOSED, REOPEN_PENDING,
 * REOPEN_NOBODY), or a negative db.h code. */
int reopen_ask(const struct session *s, int64_t log_id, const char *reason, enum reopen_outcome *o,
	       int64_t *request_id);

/* The holder withdraws the open request request_id. 0 with *o
 * (REOPEN_DONE, REOPEN_STALE), or < 0. */
int reopen_withdraw(const struct session *s, int64_t log_id, int64_t request_id, enum reopen_outcome *o);

/* The session's person answers request_id: approve, or refuse with REASON
 * (NULL or "": none). 0 with *o (REOPEN_DONE, REOPEN_REOPENED,
 * REOPEN_REFUSED, REOPEN_NOT_CLOSED, REOPEN_STALE, REOPEN_NOT_ASKED,
 * REOPEN_ANSWERED), or < 0. */
int reopen_answer(const struct session *s, int64_t log_id, int64_t request_id, bool approve,
		  const char *reason, enum reopen_outcome *o);

/* One person asked, and their answer to the request. */
struct reopen_asked {
	int64_t person_id;
	char *given_name; /* as the log names them */
	char *family_name;
	int answer;	     /* -1 not yet, 0 refused, 1 approved */
	char *answered_at;   /* YYYY-MM-DD HH:MM (UTC), or NULL */
	char *refuse_reason; /* or NULL */
};
/* The log's latest request, as the pages show it. */
struct reopen_status {
	int64_t id;  /* 0: the log has never been asked to reopen */
	char *state; /* asked, approved, refused, withdrawn */
	char *reason;
	char *created_at;	 /* YYYY-MM-DD HH:MM (UTC) */
	char *decided_at;	 /* or NULL */
	char *holder_given_name; /* who asked */
	char *holder_family_name;
	struct reopen_asked *asked; /* while asked: those asked now; decided: those who answered */
	int nasked;
};
/* The latest request of log_id with those asked and their answers. 0 (id
 * 0 when there is none), or a negative db.h code. */
int reopen_status(int64_t municipality_id, int64_t log_id, struct reopen_status *out);

#endif
