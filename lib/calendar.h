/* calendar.h — each person's calendar (issue 13): the meetings they are
 * invited to, and the deadlines and evaluation dates of measures, across
 * all their logs; and their calendar feed (/kalender/TOKEN.ics), behind a
 * token of its own (calendar_feed: 256 random bits, only their SHA-256
 * kept; renewing revokes the old one).
 *
 * What a person's calendar holds, decided with authz (authz_related, one
 * statement for all their logs):
 *   meetings     they take part in (meeting_participant), not cancelled, of
 *                a log they may read; or, invited as its unit's leader, of
 *                a log whose flow they may see (authz_check FLOW, asked per
 *                such log): then without the child's name (named false)
 *   measures     open (planned, ongoing) in a log they may read that is
 *                not closed: those they are responsible for, and every one
 *                of a log they hold; each deadline and each evaluation
 *                date is an item of its own
 * Three statements however many logs (the related logs, the meetings, the
 * measures), plus the names of the logs when the caller shows them. Dates
 * are Oslo's: a meeting at 00:30 on the 1st in Oslo is on the 1st,
 * although it is the 30th or 31st in UTC. Domain: depends on db, authz,
 * audit, logbook and crypto; knows nothing of HTTP or HTML. */
#ifndef STAFETT_CALENDAR_H
#define STAFETT_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

#include "audit.h"
#include "authz.h"
#include "db.h"

struct session;

/* At most this many items of each kind in one calendar. */
#define CALENDAR_LIMIT 1000

enum calendar_kind { CALENDAR_MEETING, CALENDAR_DEADLINE, CALENDAR_EVALUATION };

struct calendar_item {
	enum calendar_kind kind;
	int64_t id; /* the meeting's or the measure's */
	int64_t log_id;
	char day[11];	   /* "YYYY-MM-DD": the day in Oslo */
	char *starts_at;   /* a meeting: UTC "YYYY-MM-DD HH:MM:SS"; NULL for a measure */
	int minutes;	   /* a meeting's length */
	int sequence;	   /* a meeting's sequence (RFC 5546); a measure's version */
	char *changed_at;  /* UTC "YYYY-MM-DD HH:MM:SS": when it last changed */
	char *place;	   /* a meeting's, or NULL */
	char *video_url;   /* a meeting's, or NULL */
	char *description; /* a measure's */
	/* The person may read the log: the child's name may be shown (but
	 * never in a feed). False for a meeting a leader is invited to. */
	bool named;
	enum authz_role role; /* the relation the item is seen under */
	/* The child's name, when the calendar was loaded with names and the
	 * item is named; else NULL. */
	const char *given_name, *family_name;
};

struct calendar {
	struct calendar_item *items; /* by day, then the all-day items, then by time */
	int n;
	/* The logs whose names are on it (named items), and the relation
	 * each is read under: for the audit row of a page that shows them. */
	struct audit_item *logs;
	int nlogs;
};

/* The person's items from the Oslo date FROM to the Oslo date TO (both
 * "YYYY-MM-DD", TO not included). names: also read the children's names
 * (a page; a feed never does) and append the audit row of the page's read
 * of their logs in the caller's transaction. 0, or a negative db.h code. */
int calendar_load(const struct session *s, const char *from, const char *to, bool names,
		  struct calendar *out);

/* Today in Oslo, "YYYY-MM-DD" (arena), and the date DAYS after DATE. */
char *calendar_today(void);
char *calendar_add_days(const char *date, int days);

/* The domain of [mail] from_address ("kommune.no"): the right-hand side
 * of every UID Stafett gives an event, in its feeds as in its invitations. */
const char *calendar_uid_host(void);

/* --- the feed ------------------------------------------------------------ */

/* A new feed for the session's person, any live one revoked, in the
 * caller's transaction and audited ("calendar.feed.new", or ".renew" when
 * one was revoked): the token (43 characters of base64url, arena) in
 * *token, never stored. 0 or a negative db.h code. */
int calendar_feed_new(const struct session *s, char **token, bool *renewed);
/* Revokes the person's live feed, audited ("calendar.feed.revoke"). 1
 * revoked, 0 there was none, or a negative db.h code. */
int calendar_feed_revoke(const struct session *s);
/* Whether the person has a live feed: 1 (its creation time, UTC, in
 * *created_at), 0 none, or a negative db.h code. */
int calendar_feed_live(const struct session *s, char **created_at);
/* Whether token is the person's live feed: 1 yes, 0 no, or < 0. */
int calendar_feed_is(const struct session *s, const char *token);

struct calendar_feed_owner {
	int64_t id; /* the feed's */
	int64_t municipality_id;
	int64_t person_id;
	char *lang;		  /* the person's mail language, else the municipality's */
	struct db_blob text_hash; /* of the text kept with the feed (len 0: none) */
};
/* The live feed whose token this is: 1 found, 0 none (unknown, revoked,
 * of an inactive municipality, or not shaped like a token), or a negative
 * db.h code. */
int calendar_feed_find(const char *token, struct calendar_feed_owner *out);
/* The text kept with the feed (sql/011) into *out: 1, 0 none, or < 0. */
int calendar_feed_text(const struct calendar_feed_owner *o, struct db_blob *out);
/* Keeps text (len bytes) with the feed, hash being what it shows. 0 or < 0. */
int calendar_feed_keep(const struct calendar_feed_owner *o, const unsigned char hash[32], const char *text,
		       size_t len);
/* A fetch of the feed: an access of the person's own data, not a read of
 * any log (the feed names no child), so one audit row of its own
 * ("calendar.feed.read", role "person", detail the feed's id), committed
 * at once. Must be called outside a transaction. 0 or < 0. */
int calendar_feed_fetched(const struct calendar_feed_owner *o);

#endif
