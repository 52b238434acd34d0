/* meeting.h — the meetings of a log (issue 13): the holder plans one (a
 * time in Oslo, a length, a place or a video link, an agenda, who is
 * invited among the log's people and the leaders of its unit), moves it or
 * cancels it. Each participant with an e-mail address gets, in the same
 * transaction, a mail with the iCalendar invitation (lib/ical.h: METHOD
 * REQUEST, or CANCEL; one UID "meeting-ID@<the sender's domain>" for the
 * meeting's life, its SEQUENCE raised at each move and at the cancel, so a
 * calendar updates the one event). Neither the mail nor the event names the
 * child or says what the agenda says: the event's title is the log's number
 * and its description a link to the meeting's page (none for a leader, who
 * may not read the log). An invitation is sent whatever the person chose
 * about "something new" mails (home.c, mailpref): it is an invitation, not
 * a notice. History: planned, moved, cancelled. SQL only, every query
 * filtered on the municipality; domain: depends on db, authz, history,
 * outbox, ical, i18n and config. */
#ifndef STAFETT_MEETING_H
#define STAFETT_MEETING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct session;

struct meeting {
	int64_t id;
	char *starts_at; /* UTC "YYYY-MM-DD HH:MM:SS" */
	int minutes;	 /* length */
	char *place;	 /* NULL if none */
	char *video_url; /* NULL if none */
	char *agenda;	 /* NULL if none */
	int sequence;
	char *cancelled_at; /* NULL unless cancelled */
	int version;
	bool begun;	       /* starts_at is now or past */
	int64_t minutes_id;    /* its minutes, 0 if none yet */
	bool minutes_approved; /* the minutes are approved (locked) */
	int participants;      /* how many are invited */
};

/* Someone who may be invited, or who is: the log's holder, a guardian, the
 * young person (or the pregnant woman) at the consent age, a current actor
 * the consent covers, a leader of the log's unit. */
struct meeting_person {
	int64_t person_id;
	char *relation;	  /* holder, guardian, youth, actor, leader */
	char *given_name; /* as the log names them */
	char *family_name;
	char *unit;   /* the holder's, actor's or leader's unit; NULL otherwise */
	char *email;  /* the address the invitation goes (went) to; NULL: none */
	int attended; /* participants: -1 not recorded, 0 no, 1 yes */
};

/* The log's meetings, the coming ones first (soonest first), then those
 * begun (newest first). The count or < 0. */
int meeting_list(int64_t municipality_id, int64_t log_id, struct meeting **out);
/* 1 found, 0 not a meeting of this log, or < 0. */
int meeting_get(int64_t municipality_id, int64_t log_id, int64_t meeting_id, struct meeting *out);

/* Who the holder may invite now, each once under their strongest relation
 * (holder, guardian, youth, actor, leader), in that order and by name: the
 * log's people whom authz lets read it, and the leaders of its unit. The
 * count or < 0. */
int meeting_people(int64_t municipality_id, int64_t log_id, struct meeting_person **out);
/* Who is invited to a meeting, in the same order. The count or < 0. */
int meeting_participants(int64_t municipality_id, int64_t meeting_id, struct meeting_person **out);

/* An Oslo wall time (date "YYYY-MM-DD", time "HH:MM") as UTC "YYYY-MM-DD
 * HH:MM:SS" into out (at least 20 bytes). 0, or -1 for a time that does not
 * exist in Oslo (the hour the clocks skip in March). An hour that happens
 * twice (October) is the first, in summer time. */
int meeting_utc(const char *date, const char *time, char *out, size_t size);
/* UTC "YYYY-MM-DD HH:MM[:SS]" as the Oslo date ("YYYY-MM-DD", 11 bytes) and
 * time ("HH:MM", 6 bytes). */
void meeting_local(const char *utc, char *date, char *time);

struct meeting_input {
	const char *starts_at; /* UTC "YYYY-MM-DD HH:MM:SS" (meeting_utc) */
	int minutes;
	const char *place;     /* "" or NULL: none */
	const char *video_url; /* "" or NULL: none */
	const char *agenda;    /* "" or NULL: none */
	const int64_t *people; /* plan: whom to invite besides the holder */
	size_t npeople;
};

enum meeting_outcome {
	MEETING_DONE,
	MEETING_NOT_FOUND, /* no such meeting in the log */
	MEETING_STALE,	   /* changed since the form was shown */
	MEETING_PAST,	   /* the time is not in the future */
	MEETING_NOBODY,	   /* a person chosen may not be invited (nothing done) */
	MEETING_CLOSED,	   /* cancelled, or its minutes are written: it cannot change */
};

/* Plans a meeting held by the session's person (the holder, who takes part
 * and organises), invites in->people, and queues each invitation: 0 with
 * *id and *o, or a negative db.h code. *mails is how many were queued. */
int meeting_plan(const struct session *s, int64_t log_id, const struct meeting_input *in, int64_t *id,
		 int *mails, enum meeting_outcome *o);
/* A new time, length, place and agenda for a meeting still at VERSION; the
 * same participants get the updated invitation (REQUEST, SEQUENCE raised). */
int meeting_move(const struct session *s, int64_t log_id, int64_t meeting_id, int version,
		 const struct meeting_input *in, int *mails, enum meeting_outcome *o);
/* Cancels a meeting still at VERSION; the participants get the CANCEL. */
int meeting_cancel(const struct session *s, int64_t log_id, int64_t meeting_id, int version, int *mails,
		   enum meeting_outcome *o);

#endif
