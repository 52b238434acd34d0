/* meeting.c — SQL of meeting.h: meeting and meeting_participant; reads log,
 * person, log_guardian, log_actor, staff_role, unit and municipality for
 * who may be invited and how they are named, asks authz who may read the
 * log, records history and queues the invitations (outbox.c) with their
 * calendars (ical.c). */
#include "meeting.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "authz.h"
#include "config.h"
#include "db.h"
#include "history.h"
#include "i18n.h"
#include "ical.h"
#include "log.h"
#include "outbox.h"
#include "session.h"

/* --- times ---------------------------------------------------------------- */

static bool same_wall(const struct tm *a, const struct tm *b)
{
	return a->tm_year == b->tm_year && a->tm_mon == b->tm_mon && a->tm_mday == b->tm_mday &&
		a->tm_hour == b->tm_hour && a->tm_min == b->tm_min;
}

int meeting_utc(const char *date, const char *time, char *out, size_t size)
{
	struct tm want = { 0 };
	const char *d = date ? strptime(date, "%Y-%m-%d", &want) : NULL;
	const char *t = d && !*d && time ? strptime(time, "%H:%M", &want) : NULL;
	if (!t || *t)
		return -1;
	/* Summer time first: an hour that happens twice is its first. The
	 * process runs with TZ=Europe/Oslo (lib/app.c). */
	for (int dst = 1; dst >= 0; dst--) {
		struct tm tm = want, back;
		tm.tm_isdst = dst;
		time_t at = mktime(&tm);
		if (at == (time_t)-1 || !localtime_r(&at, &back) || !same_wall(&back, &want) ||
		    back.tm_isdst != dst)
			continue;
		struct tm u;
		gmtime_r(&at, &u);
		return strftime(out, size, "%Y-%m-%d %H:%M:%S", &u) ? 0 : -1;
	}
	return -1;
}

static time_t parse_utc(const char *s)
{
	struct tm tm = { 0 };
	const char *end = s ? strptime(s, "%Y-%m-%d %H:%M", &tm) : NULL;
	if (!end || (*end && (*end != ':' || !strptime(end + 1, "%S", &tm))))
		return (time_t)-1;
	return timegm(&tm);
}

void meeting_local(const char *utc, char *date, char *time)
{
	time_t at = parse_utc(utc);
	struct tm lt;
	*date = *time = '\0';
	if (at == (time_t)-1 || !localtime_r(&at, &lt))
		return;
	strftime(date, 11, "%Y-%m-%d", &lt);
	strftime(time, 6, "%H:%M", &lt);
}

static bool in_future(const char *utc)
{
	time_t at = parse_utc(utc);
	return at != (time_t)-1 && at > time(NULL);
}

/* --- reading --------------------------------------------------------------- */

static const struct db_col meeting_cols[] = {
	DB_COL(struct meeting, id, DB_I64),	      DB_COL(struct meeting, starts_at, DB_STR),
	DB_COL(struct meeting, minutes, DB_INT),      DB_COL(struct meeting, place, DB_STR),
	DB_COL(struct meeting, video_url, DB_STR),    DB_COL(struct meeting, agenda, DB_STR),
	DB_COL(struct meeting, sequence, DB_INT),     DB_COL(struct meeting, cancelled_at, DB_STR),
	DB_COL(struct meeting, version, DB_INT),      DB_COL(struct meeting, begun, DB_BOOL),
	DB_COL(struct meeting, minutes_id, DB_I64),   DB_COL(struct meeting, minutes_approved, DB_BOOL),
	DB_COL(struct meeting, participants, DB_INT),
};
static const struct db_map meeting_map = DB_MAP(struct meeting, meeting_cols);

/* clang-format off */
#define MEETING_SQL \
	"SELECT m.id, DATE_FORMAT(m.starts_at, '%Y-%m-%d %H:%i:%s'), m.minutes, m.place, m.video_url," \
	" m.agenda, m.sequence, DATE_FORMAT(m.cancelled_at, '%Y-%m-%d %H:%i'), m.version," \
	" m.starts_at <= UTC_TIMESTAMP(), COALESCE(n.id, 0), n.approved_at IS NOT NULL," \
	" (SELECT COUNT(*) FROM meeting_participant p WHERE p.meeting_id = m.id)" \
	" FROM meeting m LEFT JOIN minutes n ON n.meeting_id = m.id AND n.municipality_id = m.municipality_id" \
	" WHERE m.municipality_id = ? AND m.log_id = ?"
/* clang-format on */

int meeting_list(int64_t municipality_id, int64_t log_id, struct meeting **out)
{
	return db_select(&meeting_map, out,
			 MEETING_SQL
			 " ORDER BY m.starts_at <= UTC_TIMESTAMP(),"
			 " IF(m.starts_at > UTC_TIMESTAMP(), m.starts_at, NULL), m.starts_at DESC, m.id",
			 "ii", (long long)municipality_id, (long long)log_id);
}

int meeting_get(int64_t municipality_id, int64_t log_id, int64_t meeting_id, struct meeting *out)
{
	return db_select_one(&meeting_map, out, MEETING_SQL " AND m.id = ?", "iii",
			     (long long)municipality_id, (long long)log_id, (long long)meeting_id);
}

static const struct db_col person_cols[] = {
	DB_COL(struct meeting_person, person_id, DB_I64),  DB_COL(struct meeting_person, relation, DB_STR),
	DB_COL(struct meeting_person, given_name, DB_STR), DB_COL(struct meeting_person, family_name, DB_STR),
	DB_COL(struct meeting_person, unit, DB_STR),	   DB_COL(struct meeting_person, email, DB_STR),
	DB_COL(struct meeting_person, attended, DB_INT),
};
static const struct db_map person_map = DB_MAP(struct meeting_person, person_cols);

/* A person as this log names them: a guardian by the names typed on the
 * log, the subject likewise, anyone else by their own record. */
/* clang-format off */
#define NAMED(who) \
	" COALESCE(g.given_name, IF(" who " = l.subject_person_id, l.subject_given_name, NULL), p.given_name)," \
	" COALESCE(g.family_name, IF(" who " = l.subject_person_id, l.subject_family_name, NULL), p.family_name)"
#define RANK \
	"FIELD(x.relation, 'holder', 'guardian', 'youth', 'actor', 'leader')"
/* clang-format on */

/* Every relation each person has to the log, strongest first; the address
 * is the one the relation was registered with (a guardian's on the log, a
 * staff member's in the unit), else the person's own. */
static int candidates(int64_t municipality_id, int64_t log_id, struct meeting_person **out)
{
	long long m = municipality_id, l = log_id;
	return db_select(
		&person_map, out,
		/* clang-format off */
		"SELECT x.person_id, x.relation," NAMED("x.person_id") ", u.name, COALESCE(x.email, p.email), -1"
		" FROM (SELECT holder_person_id AS person_id, 'holder' AS relation, unit_id,"
		"   (SELECT MAX(s.email) FROM staff_role s WHERE s.person_id = log.holder_person_id"
		"    AND s.unit_id = log.unit_id) AS email FROM log WHERE municipality_id = ? AND id = ?"
		"  UNION ALL SELECT person_id, 'guardian', NULL, email FROM log_guardian"
		"   WHERE municipality_id = ? AND log_id = ?"
		"  UNION ALL SELECT subject_person_id, 'youth', NULL, NULL FROM log WHERE municipality_id = ? AND id = ?"
		"  UNION ALL SELECT a.person_id, 'actor', a.unit_id, (SELECT MAX(s.email) FROM staff_role s"
		"    WHERE s.person_id = a.person_id AND s.unit_id = a.unit_id)"
		"   FROM log_actor a WHERE a.municipality_id = ? AND a.log_id = ? AND a.removed_at IS NULL"
		"  UNION ALL SELECT s.person_id, 'leader', s.unit_id, s.email FROM staff_role s"
		"   JOIN log o ON o.unit_id = s.unit_id AND o.municipality_id = s.municipality_id"
		"   WHERE o.municipality_id = ? AND o.id = ? AND s.role = 'leader') x"
		" JOIN log l ON l.id = ? AND l.municipality_id = ?"
		" JOIN person p ON p.id = x.person_id AND p.municipality_id = l.municipality_id"
		" LEFT JOIN log_guardian g ON g.log_id = l.id AND g.person_id = x.person_id"
		" LEFT JOIN unit u ON u.id = x.unit_id"
		" ORDER BY " RANK ", 3, 4, x.person_id",
		/* clang-format on */
		"iiiiiiiiiiii", m, l, m, l, m, l, m, l, m, l, l, m);
}

int meeting_people(int64_t municipality_id, int64_t log_id, struct meeting_person **out)
{
	struct meeting_person *c;
	int n = candidates(municipality_id, log_id, &c);
	if (n < 0)
		return n;
	struct meeting_person *keep = arena_alloc(sizeof *keep * (size_t)(n > 0 ? n : 1));
	int k = 0;
	for (int i = 0; i < n; i++) {
		bool seen = false;
		for (int j = 0; j < k && !seen; j++)
			seen = keep[j].person_id == c[i].person_id;
		if (seen)
			continue;
		if (strcmp(c[i].relation, "leader") != 0) {
			/* authz's own rule, not a copy of it: an actor the consent
			 * does not cover, a child under the consent age, anyone
			 * of a withdrawn log may not read it, so is not invited
			 * as one of the log's people. */
			struct session them = { .municipality_id = municipality_id,
						.person_id = c[i].person_id };
			struct authz az;
			int rc = authz_check(&them, log_id, AUTHZ_READ, &az);
			if (rc < 0)
				return rc;
			if (!az.allow)
				continue;
		}
		keep[k++] = c[i];
	}
	*out = keep;
	return k;
}

int meeting_participants(int64_t municipality_id, int64_t meeting_id, struct meeting_person **out)
{
	long long m = municipality_id, id = meeting_id;
	return db_select(
		&person_map, out,
		"SELECT x.person_id, x.relation," NAMED(
			"x.person_id") ","
				       " CASE WHEN x.relation IN ('holder', 'leader')"
				       "  THEN (SELECT u.name FROM unit u WHERE u.id = l.unit_id)"
				       "  WHEN x.relation = 'actor' THEN (SELECT MIN(u.name) FROM log_actor a"
				       "   JOIN unit u ON u.id = a.unit_id WHERE a.log_id = l.id AND "
				       "a.person_id = x.person_id) END,"
				       " x.email, COALESCE(x.attended + 0, -1)"
				       " FROM meeting_participant x JOIN meeting mt ON mt.id = x.meeting_id"
				       " JOIN log l ON l.id = mt.log_id AND l.municipality_id = "
				       "mt.municipality_id"
				       " JOIN person p ON p.id = x.person_id"
				       " LEFT JOIN log_guardian g ON g.log_id = l.id AND g.person_id = "
				       "x.person_id"
				       " WHERE x.municipality_id = ? AND x.meeting_id = ?"
				       " ORDER BY " RANK ", 3, 4, x.person_id",
		"ii", m, id);
}

/* --- the invitations -------------------------------------------------------- */

struct organiser {
	char *given_name;
	char *family_name;
	char *email;
	char *municipality;
};
static const struct db_col organiser_cols[] = {
	DB_COL(struct organiser, given_name, DB_STR),
	DB_COL(struct organiser, family_name, DB_STR),
	DB_COL(struct organiser, email, DB_STR),
	DB_COL(struct organiser, municipality, DB_STR),
};
static const struct db_map organiser_map = DB_MAP(struct organiser, organiser_cols);

static const char *domain_of_sender(void)
{
	const char *at = strchr(config_str("mail.from_address"), '@');
	return at && at[1] ? at + 1 : "stafett.invalid";
}

static const char *utc_now(void)
{
	time_t now = time(NULL);
	struct tm u;
	char s[24];
	gmtime_r(&now, &u);
	strftime(s, sizeof s, "%Y-%m-%d %H:%M:%S", &u);
	return arena_strdup(s);
}

/* Whose invitation is which: what one person's mail and calendar say. */
struct letter {
	const char *kind;   /* meeting_planned, meeting_moved, meeting_cancelled */
	const char *method; /* REQUEST or CANCEL */
	const char *before; /* a move: the time it had (UTC), else NULL */
};

/* The calendar as one participant gets it, in their language: the log's
 * number for a title, the meeting's page for a description (a leader, who
 * may not read the log, gets no link), never the child nor the agenda. */
static const char *calendar_for(const struct meeting *mt, int64_t log_id, const struct letter *w,
				const struct organiser *org, const struct meeting_person *to,
				const struct ical_person *att, size_t natt, const char *link,
				const char *stamp)
{
	bool leader = strcmp(to->relation, "leader") == 0;
	const char *summary = arena_printf("%s %lld", _("Meeting in stafettlogg no."), (long long)log_id);
	const char *description = leader
		? _("The log holder has invited you to this meeting in Stafett.")
		: arena_printf("%s\n%s", _("The agenda and who is invited are in Stafett:"), link);
	struct ical_person organizer = {
		.name = arena_printf("%s %s", org->given_name, org->family_name),
		.email = org->email && *org->email ? org->email : config_str("mail.from_address"),
	};
	struct ical_event ev = {
		.uid = arena_printf("meeting-%lld@%s", (long long)mt->id, domain_of_sender()),
		.sequence = mt->sequence,
		.start = mt->starts_at,
		.minutes = mt->minutes,
		.stamp = stamp,
		.summary = summary,
		.description = description,
		.location = mt->place && *mt->place ? mt->place : mt->video_url,
		.url = leader ? NULL : link,
		.cancelled = strcmp(w->method, "CANCEL") == 0,
		.organizer = &organizer,
		.attendees = att,
		.nattendees = natt,
	};
	struct buf out = { 0 };
	if (ical_calendar(&out, w->method, &ev, 1) < 0)
		return NULL;
	return out.data;
}

/* One mail to each participant with an address, in their language, with
 * the calendar: sent whatever they chose about notices (an invitation is
 * not a notice). *mails counts them. */
static int send_all(const struct session *s, int64_t log_id, int64_t meeting_id, const struct letter *w,
		    int *mails)
{
	struct meeting mt;
	struct meeting_person *p;
	struct organiser org;
	int rc = meeting_get(s->municipality_id, log_id, meeting_id, &mt);
	if (rc <= 0)
		return rc == 0 ? DB_ERROR : rc;
	int n = meeting_participants(s->municipality_id, meeting_id, &p);
	if (n < 0)
		return n;
	rc = db_select_one(
		&organiser_map, &org,
		"SELECT p.given_name, p.family_name, COALESCE((SELECT MAX(r.email) FROM staff_role r"
		"  WHERE r.person_id = p.id AND r.unit_id = l.unit_id), p.email), m.name"
		" FROM log l JOIN person p ON p.id = l.holder_person_id"
		" JOIN municipality m ON m.id = l.municipality_id"
		" WHERE l.municipality_id = ? AND l.id = ?",
		"ii", (long long)s->municipality_id, (long long)log_id);
	if (rc <= 0)
		return rc == 0 ? DB_ERROR : rc;
	/* One ATTENDEE per participant with an address; the one the log is
	 * about by address alone, never by name. */
	struct ical_person *att = arena_alloc(sizeof *att * (size_t)(n > 0 ? n : 1));
	size_t natt = 0;
	for (int i = 0; i < n; i++)
		if (p[i].email && *p[i].email)
			att[natt++] = (struct ical_person){
				.name = strcmp(p[i].relation, "youth") == 0
					? NULL
					: arena_printf("%s %s", p[i].given_name, p[i].family_name),
				.email = p[i].email,
			};
	const char *stamp = utc_now();
	const char *path = arena_printf("/logg/%lld/mote/%lld", (long long)log_id, (long long)meeting_id);
	const char *link = arena_printf("%s%s", config_str("site.public_url"), path);
	const char *was = i18n_lang();
	*mails = 0;
	for (int i = 0; i < n; i++) {
		if (!p[i].email || !*p[i].email)
			continue;
		const char *lang = outbox_lang(s->municipality_id, p[i].person_id);
		if (!lang) {
			i18n_set(was);
			return DB_ERROR;
		}
		i18n_set(lang);
		const char *ics = calendar_for(&mt, log_id, w, &org, &p[i], att, natt, link, stamp);
		i18n_set(was);
		if (!ics)
			return DB_ERROR;
		bool leader = strcmp(p[i].relation, "leader") == 0,
		     subject = strcmp(p[i].relation, "youth") == 0;
		struct outbox_mail m = {
			.municipality_id = s->municipality_id,
			.person_id = p[i].person_id,
			.log_id = log_id,
			.kind = w->kind,
			.to = p[i].email,
			.lang = lang,
			.params = outbox_params(
				"to_name",
				subject ? NULL : arena_printf("%s %s", p[i].given_name, p[i].family_name),
				"organiser", arena_printf("%s %s", org.given_name, org.family_name),
				"municipality", org.municipality, "starts", mt.starts_at, "before", w->before,
				"length", arena_printf("%d", mt.minutes), "place", mt.place, "video",
				mt.video_url, "link", leader ? NULL : path, "ics", ics, "ics_method",
				w->method, (const char *)NULL),
		};
		if ((rc = outbox_queue(&m, NULL)) < 0)
			return rc;
		(*mails)++;
	}
	return 0;
}

/* --- changing -------------------------------------------------------------- */

static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

/* "YYYY-MM-DD HH:MM" of a UTC time, as the history keeps a moment. */
static const char *moment(const char *utc)
{
	return arena_printf("%.16s", utc);
}

int meeting_plan(const struct session *s, int64_t log_id, const struct meeting_input *in, int64_t *id,
		 int *mails, enum meeting_outcome *o)
{
	*mails = 0;
	if (!in_future(in->starts_at)) {
		*o = MEETING_PAST;
		return 0;
	}
	struct meeting_person *c;
	int n = meeting_people(s->municipality_id, log_id, &c);
	if (n < 0)
		return n;
	/* The holder organises and takes part; the others as chosen. */
	struct meeting_person **chosen = arena_alloc(sizeof *chosen * (in->npeople + 1));
	size_t k = 0;
	for (int j = 0; j < n; j++)
		if (c[j].person_id == s->person_id)
			chosen[k++] = &c[j];
	if (k != 1) {
		*o = MEETING_NOBODY; /* authz let a holder in: a holder is one of the people */
		return 0;
	}
	for (size_t i = 0; i < in->npeople; i++) {
		if (in->people[i] == s->person_id)
			continue;
		struct meeting_person *found = NULL;
		for (int j = 0; j < n && !found; j++)
			if (c[j].person_id == in->people[i])
				found = &c[j];
		if (!found) {
			*o = MEETING_NOBODY;
			return 0;
		}
		chosen[k++] = found;
	}
	long long m = s->municipality_id;
	int rc = db_exec("INSERT INTO meeting (municipality_id, log_id, starts_at, minutes, place, video_url,"
			 " agenda, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			 "iisiSSSi", m, (long long)log_id, in->starts_at, (long long)in->minutes, in->place,
			 in->video_url, in->agenda, (long long)s->person_id);
	if (rc < 0)
		return rc;
	*id = db_last_id();
	for (size_t i = 0; i < k; i++) {
		rc = db_exec(
			"INSERT INTO meeting_participant (meeting_id, person_id, municipality_id, relation,"
			" email) VALUES (?, ?, ?, ?, ?)",
			"iiisS", (long long)*id, (long long)chosen[i]->person_id, m, chosen[i]->relation,
			chosen[i]->email);
		if (rc < 0)
			return rc;
	}
	if ((rc = history_record(s, log_id, "meeting", *id, "starts_at", NULL, moment(in->starts_at))) < 0)
		return rc;
	const struct letter w = { "meeting_planned", "REQUEST", NULL };
	if ((rc = send_all(s, log_id, *id, &w, mails)) < 0)
		return rc;
	log_info("meeting %lld on log %lld planned: %d invitations queued", (long long)*id, (long long)log_id,
		 *mails);
	*o = MEETING_DONE;
	return 0;
}

/* The meeting locked for a change at VERSION, or why not. */
static int lock(const struct session *s, int64_t log_id, int64_t meeting_id, int version, struct meeting *mt,
		enum meeting_outcome *o)
{
	int rc = db_select_one(&meeting_map, mt, MEETING_SQL " AND m.id = ? FOR UPDATE", "iii",
			       (long long)s->municipality_id, (long long)log_id, (long long)meeting_id);
	if (rc <= 0) {
		*o = MEETING_NOT_FOUND;
		return rc;
	}
	*o = mt->cancelled_at || mt->minutes_id ? MEETING_CLOSED
		: mt->version != version	? MEETING_STALE
						: MEETING_DONE;
	return 0;
}

int meeting_move(const struct session *s, int64_t log_id, int64_t meeting_id, int version,
		 const struct meeting_input *in, int *mails, enum meeting_outcome *o)
{
	*mails = 0;
	struct meeting mt;
	int rc = lock(s, log_id, meeting_id, version, &mt, o);
	if (rc < 0 || *o != MEETING_DONE)
		return rc;
	if (!in_future(in->starts_at)) {
		*o = MEETING_PAST;
		return 0;
	}
	rc = db_exec("UPDATE meeting SET starts_at = ?, minutes = ?, place = ?, video_url = ?, agenda = ?,"
		     " sequence = sequence + 1, version = version + 1"
		     " WHERE municipality_id = ? AND log_id = ? AND id = ? AND version = ?",
		     "siSSSiiii", in->starts_at, (long long)in->minutes, in->place, in->video_url, in->agenda,
		     (long long)s->municipality_id, (long long)log_id, (long long)meeting_id,
		     (long long)version);
	if (rc < 0)
		return rc;
	const struct {
		const char *field, *old, *new;
	} f[] = {
		{ "starts_at", moment(mt.starts_at), moment(in->starts_at) },
		{ "length", arena_printf("%d", mt.minutes), arena_printf("%d", in->minutes) },
		{ "place", mt.place, or_null(in->place) },
		{ "video_url", mt.video_url, or_null(in->video_url) },
		{ "agenda", mt.agenda, or_null(in->agenda) },
	};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		if ((rc = history_change(s, log_id, "meeting", meeting_id, f[i].field, f[i].old, f[i].new)) <
		    0)
			return rc;
	const struct letter w = { "meeting_moved", "REQUEST", mt.starts_at };
	if ((rc = send_all(s, log_id, meeting_id, &w, mails)) < 0)
		return rc;
	log_info("meeting %lld on log %lld moved: %d updates queued", (long long)meeting_id,
		 (long long)log_id, *mails);
	return 0;
}

int meeting_cancel(const struct session *s, int64_t log_id, int64_t meeting_id, int version, int *mails,
		   enum meeting_outcome *o)
{
	*mails = 0;
	struct meeting mt;
	int rc = lock(s, log_id, meeting_id, version, &mt, o);
	if (rc < 0 || *o != MEETING_DONE)
		return rc;
	rc = db_exec(
		"UPDATE meeting SET cancelled_at = CURRENT_TIMESTAMP(3), sequence = sequence + 1,"
		" version = version + 1 WHERE municipality_id = ? AND log_id = ? AND id = ? AND version = ?",
		"iiii", (long long)s->municipality_id, (long long)log_id, (long long)meeting_id,
		(long long)version);
	if (rc < 0 ||
	    (rc = history_record(s, log_id, "meeting", meeting_id, "cancelled", NULL, moment(mt.starts_at))) <
		    0)
		return rc;
	const struct letter w = { "meeting_cancelled", "CANCEL", NULL };
	if ((rc = send_all(s, log_id, meeting_id, &w, mails)) < 0)
		return rc;
	log_info("meeting %lld on log %lld cancelled: %d cancellations queued", (long long)meeting_id,
		 (long long)log_id, *mails);
	return 0;
}
