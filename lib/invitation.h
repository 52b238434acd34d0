/* invitation.h — the holder brings a person into a log as an actor by an
 * e-mailed link (DOMAIN.md §2, SECURITY.md 10, 11, 83-86): a cleared staff
 * member from the municipality's directory or someone outside it (Statped,
 * BUP, a private provider), with a task, for a service the consent to
 * cooperation covers. The link carries 256 random bits; only their SHA-256
 * is stored, in invitation_token; it is single use and expires after [mail]
 * invitation_days. Accepting needs an ID-porten login whose number is the
 * one the holder typed (authz_invitation decides); the wrong person is
 * refused, the holder told, and the link stays valid for the right one. A
 * resend makes a new token and the old one dies; a revoked, used, replaced
 * or expired link says so. An actor removed loses access at once; the
 * history keeps that they were there.
 *
 * Everything runs in the caller's transaction, with history rows and the
 * mail queued through outbox.h. Access to the holder's side is decided by
 * authz.h (AUTHZ_ACTORS) before these are called. Domain: knows nothing of
 * HTTP or HTML. */
#ifndef STAFETT_INVITATION_H
#define STAFETT_INVITATION_H

#include <stdbool.h>
#include <stdint.h>

#include "person.h"

struct session;

/* Length of a link's token: 32 random bytes in base64url. */
#define INVITATION_TOKEN_LEN 43

/* A cleared staff member of the municipality who may be invited to the log
 * (not its holder, not a current actor for that unit). */
struct invitation_staff {
	int64_t role_id; /* staff_role.id: the value the form sends */
	char *given_name;
	char *family_name;
	char *unit_name;
	char *email; /* may be NULL */
};
int invitation_staff(int64_t municipality_id, int64_t log_id, struct invitation_staff **out);

/* The municipality's active units, for the service of someone outside
 * (a unit of kind bup, statped, private ... is where the consent names
 * them). */
struct invitation_service {
	int64_t unit_id;
	char *name;
	bool covered; /* the log's consent to cooperation covers it now */
};
int invitation_services(int64_t municipality_id, int64_t log_id, struct invitation_service **out);

struct invitation_new {
	int64_t staff_role_id; /* a staff member from the directory, or 0 */
	/* someone outside: */
	struct person_new person; /* names, number, title, e-mail, phone */
	const char *organisation;
	int64_t unit_id;
	/* both: */
	const char *task;
	const char *email; /* where the link goes; for staff "" means their directory address */
};

enum invitation_outcome {
	INVITATION_DONE,
	INVITATION_NOT_COVERED,	  /* the consent does not cover the service: nothing is sent */
	INVITATION_NO_ADDRESS,	  /* staff without an address in the directory, and none typed */
	INVITATION_NO_SUCH_STAFF, /* not a cleared staff role of an active unit of the municipality */
	INVITATION_NO_SUCH_UNIT,
	INVITATION_SELF,     /* the holder's own number */
	INVITATION_SUBJECT,  /* the log's subject */
	INVITATION_GUARDIAN, /* a guardian of the log */
	INVITATION_MANAGER, /* a leader or administrator without a cleared staff role (they never read contents) */
	INVITATION_ALREADY,   /* a current actor for that service, or invited and not yet answered */
	INVITATION_LIMIT,     /* the holder's invitations today ([mail]: 50 a day) */
	INVITATION_NOT_FOUND, /* resend, revoke: no such invitation in the log */
	INVITATION_STALE,     /* resend, revoke: changed since the page was shown */
	INVITATION_ANSWERED,  /* resend, revoke: accepted or revoked already */
};

/* What an outcome other than DONE tells the holder, in the reader's
 * language, and which field it belongs at (*field: "person", "service",
 * "email", "staff", "unit" or "task"). */
const char *invitation_refusal(enum invitation_outcome o, const char **field);

/* Creates an invitation and queues its mail. 0 with *o (and *id when
 * DONE), or a negative db.h code. */
int invitation_create(const struct session *s, int64_t log_id, const struct invitation_new *in, int64_t *id,
		      enum invitation_outcome *o);
/* A new link (the old one dies) with a new expiry, mailed again. */
int invitation_resend(const struct session *s, int64_t log_id, int64_t invitation_id, int version,
		      enum invitation_outcome *o);
/* The link dies; the invitation stays, revoked. */
int invitation_revoke(const struct session *s, int64_t log_id, int64_t invitation_id, int version,
		      enum invitation_outcome *o);

/* An invitation as the holder sees it. */
struct invitation {
	int64_t id;
	char *given_name;
	char *family_name;
	char *title;
	char *organisation;
	char *email;
	char *phone;
	char *unit_name;
	char *task;
	char *created_at; /* UTC "YYYY-MM-DD HH:MM" */
	char *expires_at;
	char *accepted_at;
	char *revoked_at;
	char *refused_at; /* someone else logged in with the link */
	char *state;	  /* accepted, revoked, expired, bounced, delivered, sent, failed */
	char *mail_reply; /* the mail server's last answer when bounced or failed */
	int version;
};
int invitation_list(int64_t municipality_id, int64_t log_id, struct invitation **out);
/* An invitation's state in words ("Delivered to the mail server"). */
const char *invitation_state_label(const char *state);

/* A current or removed actor of the log, with their task and where they
 * came from. */
struct invitation_actor {
	int64_t id; /* log_actor.id */
	int64_t person_id;
	char *given_name;
	char *family_name;
	char *title;
	char *organisation;
	char *email;
	char *phone;
	char *unit_name;
	char *task;
	char *since;	  /* UTC */
	char *removed_at; /* NULL: current */
	int version;
};
int invitation_actors(int64_t municipality_id, int64_t log_id, struct invitation_actor **out);

enum actor_outcome { ACTOR_REMOVED, ACTOR_NOT_FOUND, ACTOR_STALE };
/* Removes a current actor: their access ends with the row; the history
 * keeps who, when and why. */
int invitation_remove_actor(const struct session *s, int64_t log_id, int64_t actor_id, int version,
			    const char *reason, enum actor_outcome *o);

/* --- the invited person's side ------------------------------------------ */

/* What a link leads to, before anyone logs in: nothing about the log's
 * subject, only whose invitation it is and how it stands. */
enum invitation_link_state {
	LINK_UNKNOWN, /* no such token */
	LINK_VALID,
	LINK_ACCEPTED, /* used */
	LINK_REPLACED, /* a newer link was sent */
	LINK_REVOKED,
	LINK_EXPIRED,
	LINK_CLOSED, /* the log no longer takes actors (closed, withdrawn) */
};
struct invitation_link {
	enum invitation_link_state state;
	int64_t id;
	int64_t municipality_id;
	int64_t log_id;
	int64_t person_id; /* whose login may accept it */
	char *municipality_slug;
	char *municipality_name;
	char *inviter_name;
	char *expires_at;
};
/* The link's token as it came (any string): 0 with *out (LINK_UNKNOWN when
 * it is no token of ours), or a negative db.h code. With lock, the
 * invitation's row is locked for the transaction (accepting). */
int invitation_by_token(const char *token, bool lock, struct invitation_link *out);

enum accept_outcome {
	ACCEPT_DONE,
	ACCEPT_NOT_VALID,   /* the link's state is not LINK_VALID */
	ACCEPT_NOT_COVERED, /* the consent no longer covers the service */
};
/* Makes the session's person an actor of the link's log (the caller has
 * had authz_invitation allow it): the actor row with the task, the
 * invitation accepted, its token spent, the history. */
int invitation_accept(const struct session *s, const struct invitation_link *l, enum accept_outcome *o);

/* Someone other than the invited person logged in with a valid link: the
 * invitation remembers when, and the holder is sent a notice; the link
 * stays valid. */
int invitation_refused(const struct invitation_link *l);

#endif
