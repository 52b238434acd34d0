/* calendar.c — SQL of calendar.h: a person's meetings (meeting,
 * meeting_participant: read, never written here) and measures across the
 * logs authz relates them to, and their calendar feed (calendar_feed). */
#include "calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "logbook.h"
#include "session.h"

/* --- dates in Oslo ------------------------------------------------------- */

static bool parse_date(const char *s, struct tm *tm)
{
	int n = 0;
	*tm = (struct tm){ 0 };
	if (!s || sscanf(s, "%4d-%2d-%2d%n", &tm->tm_year, &tm->tm_mon, &tm->tm_mday, &n) != 3 || n != 10)
		return false;
	tm->tm_year -= 1900;
	tm->tm_mon -= 1;
	return tm->tm_mon >= 0 && tm->tm_mon < 12 && tm->tm_mday >= 1 && tm->tm_mday <= 31;
}

char *calendar_today(void)
{
	time_t now = time(NULL);
	struct tm lt;
	char *out = arena_alloc(11);
	if (!localtime_r(&now, &lt) || strftime(out, 11, "%Y-%m-%d", &lt) != 10)
		return NULL;
	return out;
}

char *calendar_add_days(const char *date, int days)
{
	struct tm tm;
	if (!parse_date(date, &tm))
		return NULL;
	/* Noon UTC, so no clock change moves the day. */
	tm.tm_hour = 12;
	tm.tm_mday += days;
	time_t t = timegm(&tm);
	struct tm g;
	char *out = arena_alloc(11);
	if (t == (time_t)-1 || !gmtime_r(&t, &g) || strftime(out, 11, "%Y-%m-%d", &g) != 10)
		return NULL;
	return out;
}

/* The UTC moment the Oslo day DATE begins ("YYYY-MM-DD HH:MM:SS"), or NULL:
 * the process runs with TZ=Europe/Oslo (lib/app.c). */
static char *utc_of_oslo_midnight(const char *date)
{
	struct tm tm;
	if (!parse_date(date, &tm))
		return NULL;
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	struct tm g;
	char *out = arena_alloc(20);
	if (t == (time_t)-1 || !gmtime_r(&t, &g) || strftime(out, 20, "%Y-%m-%d %H:%M:%S", &g) != 19)
		return NULL;
	return out;
}

/* The Oslo day of the UTC moment s into day. */
static bool oslo_day(const char *s, char day[11])
{
	struct tm tm = { 0 };
	const char *end = s ? strptime(s, "%Y-%m-%d %H:%M:%S", &tm) : NULL;
	if (!end)
		return false;
	time_t t = timegm(&tm);
	struct tm lt;
	return t != (time_t)-1 && localtime_r(&t, &lt) && strftime(day, 11, "%Y-%m-%d", &lt) == 10;
}

const char *calendar_uid_host(void)
{
	/* The domain Stafett sends its mail from, as the meeting invitations'
	 * UIDs have it (lib/meeting.c), so an event is the same in both. */
	const char *at = strchr(config_str("mail.from_address"), '@');
	return at && at[1] ? at + 1 : "stafett.invalid";
}

/* --- the items ----------------------------------------------------------- */

struct meeting_row {
	int64_t id;
	int64_t log_id;
	char *starts_at;
	int minutes;
	int sequence;
	char *changed_at;
	char *place;
	char *video_url;
	bool as_leader;
};
static const struct db_col meeting_cols[] = {
	DB_COL(struct meeting_row, id, DB_I64),		DB_COL(struct meeting_row, log_id, DB_I64),
	DB_COL(struct meeting_row, starts_at, DB_STR),	DB_COL(struct meeting_row, minutes, DB_INT),
	DB_COL(struct meeting_row, sequence, DB_INT),	DB_COL(struct meeting_row, changed_at, DB_STR),
	DB_COL(struct meeting_row, place, DB_STR),	DB_COL(struct meeting_row, video_url, DB_STR),
	DB_COL(struct meeting_row, as_leader, DB_BOOL),
};
static const struct db_map meeting_map = DB_MAP(struct meeting_row, meeting_cols);

struct measure_row {
	int64_t id;
	int64_t log_id;
	char *description;
	char *deadline;
	char *evaluation_date;
	int version;
	char *changed_at;
};
static const struct db_col measure_cols[] = {
	DB_COL(struct measure_row, id, DB_I64),
	DB_COL(struct measure_row, log_id, DB_I64),
	DB_COL(struct measure_row, description, DB_STR),
	DB_COL(struct measure_row, deadline, DB_STR),
	DB_COL(struct measure_row, evaluation_date, DB_STR),
	DB_COL(struct measure_row, version, DB_INT),
	DB_COL(struct measure_row, changed_at, DB_STR),
};
static const struct db_map measure_map = DB_MAP(struct measure_row, measure_cols);

static const struct authz_entry *related(const struct authz_entry *rel, int n, int64_t log_id)
{
	for (int i = 0; i < n; i++)
		if (rel[i].log_id == log_id)
			return &rel[i];
	return NULL;
}

/* "YYYY-MM-DD HH:MM:SS.mmm" as the server writes a DATETIME(3): the
 * seconds are enough (and what the feed's DTSTAMP takes). */
static void trim_fraction(char *t)
{
	if (t && strlen(t) > 19)
		t[19] = '\0';
}

static int by_time(const void *a, const void *b)
{
	const struct calendar_item *x = a, *y = b;
	int c = strcmp(x->day, y->day);
	if (c)
		return c;
	if (!x->starts_at != !y->starts_at)
		return x->starts_at ? 1 : -1; /* the day's dates before its meetings */
	if (x->starts_at && (c = strcmp(x->starts_at, y->starts_at)) != 0)
		return c;
	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* The meetings of [from, to) the person is invited to: the count of
 * *rows, or < 0. */
static int read_meetings(const struct session *s, const char *from, const char *to, struct meeting_row **rows)
{
	char *since = utc_of_oslo_midnight(from), *until = utc_of_oslo_midnight(to);
	if (!since || !until)
		return DB_ERROR;
	long long p = s->person_id, m = s->municipality_id;
	return db_select(
		&meeting_map, rows,
		/* Unsorted, and the times as the server writes them: calendar_load
		 * sorts, and trims the fractions (a busy person has hundreds). The
		 * municipality is the meeting's: asked of the participant's row
		 * too, MariaDB intersected the person's rows with all of the
		 * municipality's (its foreign key's index), 4.7 ms at 20,000 logs.
		 * FORCE INDEX and STRAIGHT_JOIN: from the person's rows through
		 * their index, then each meeting by its key, whatever the table
		 * sizes (on small tables MariaDB would read every meeting, or
		 * every participant, first, or every meeting into a join buffer). */
		"SELECT mt.id, mt.log_id, mt.starts_at, mt.minutes, mt.sequence, mt.updated_at, mt.place,"
		" mt.video_url, mp.relation = 'leader'"
		" FROM meeting_participant mp FORCE INDEX (meeting_participant_person)"
		" STRAIGHT_JOIN meeting mt FORCE INDEX (PRIMARY) ON mt.id = mp.meeting_id"
		" WHERE mp.person_id = ? AND mt.municipality_id = ?"
		" AND mt.cancelled_at IS NULL AND mt.starts_at >= ? AND mt.starts_at < ? LIMIT ?",
		"iissi", p, m, since, until, (long long)CALENDAR_LIMIT);
}

/* Those of the meetings the person may see, as items. */
static int add_meetings(const struct session *s, const struct authz_entry *rel, int nrel,
			const struct meeting_row *rows, int got, struct calendar_item *out, int *n)
{
	/* A leader's view of a log is its flow, asked of authz once per log
	 * (a leader is invited to few meetings). */
	int64_t *flow_ids = arena_alloc(sizeof *flow_ids * (size_t)(got > 0 ? got : 1));
	bool *flow_ok = arena_alloc(sizeof *flow_ok * (size_t)(got > 0 ? got : 1));
	int nflow = 0;
	for (int k = 0; k < got; k++) {
		const struct meeting_row *r = &rows[k];
		const struct authz_entry *e = related(rel, nrel, r->log_id);
		bool named = e && e->az.allow;
		enum authz_role role = named ? e->az.role : AUTHZ_LEADER;
		if (!named) {
			if (!r->as_leader)
				continue;
			int f = 0;
			while (f < nflow && flow_ids[f] != r->log_id)
				f++;
			if (f == nflow) {
				struct authz az;
				int rc = authz_check(s, r->log_id, AUTHZ_FLOW, &az);
				if (rc < 0)
					return rc;
				flow_ids[nflow] = r->log_id;
				flow_ok[nflow++] = az.allow && az.role == AUTHZ_LEADER;
			}
			if (!flow_ok[f])
				continue;
		}
		trim_fraction(r->starts_at);
		trim_fraction(r->changed_at);
		struct calendar_item *it = &out[(*n)++];
		*it = (struct calendar_item){ .kind = CALENDAR_MEETING,
					      .id = r->id,
					      .log_id = r->log_id,
					      .starts_at = r->starts_at,
					      .minutes = r->minutes,
					      .sequence = r->sequence,
					      .changed_at = r->changed_at,
					      .place = r->place,
					      .video_url = r->video_url,
					      .named = named,
					      .role = role };
		if (!oslo_day(r->starts_at, it->day))
			return DB_ERROR;
	}
	return 0;
}

/* Whether the measures of this log are in the calendar: a log the person
 * may read that is not closed. */
static bool measures_shown(const struct authz_entry *e)
{
	return e && e->az.allow && !(e->az.state && strcmp(e->az.state, "closed") == 0);
}

/* The open measures with a deadline or an evaluation date in [from, to):
 * the person's own, by their index (measure_responsible), wherever they
 * are (add_measures keeps those of the logs shown: a semi-join with the
 * logs here made MariaDB walk every measure of every log instead), then
 * the others of the logs they hold, by the log's index; the two parts
 * never share a row. The count of *rows, or < 0. */
static int read_measures(const struct session *s, const struct authz_entry *rel, int nrel, const char *from,
			 const char *to, bool names, struct measure_row **rows)
{
	*rows = NULL;
	int64_t *held = arena_alloc(sizeof *held * (size_t)(nrel > 0 ? nrel : 1));
	int nheld = 0;
	for (int i = 0; i < nrel; i++)
		if (measures_shown(&rel[i]) && rel[i].az.role == AUTHZ_HOLDER)
			held[nheld++] = rel[i].log_id;
	long long m = s->municipality_id, p = s->person_id, d = names;
	return db_select(
		&measure_map, rows,
		"SELECT m.id, m.log_id, IF(?, m.description, NULL), m.deadline, m.evaluation_date, m.version,"
		" m.updated_at FROM measure m WHERE m.municipality_id = ? AND m.responsible_person_id = ?"
		" AND m.status IN ('planned', 'ongoing')"
		" AND ((m.deadline >= ? AND m.deadline < ?) OR (m.evaluation_date >= ? AND m.evaluation_date "
		"< ?))"
		" UNION ALL"
		" SELECT m.id, m.log_id, IF(?, m.description, NULL), m.deadline, m.evaluation_date, "
		"m.version,"
		" m.updated_at FROM measure m WHERE m.municipality_id = ? AND m.responsible_person_id <> ?"
		" AND m.status IN ('planned', 'ongoing')"
		" AND ((m.deadline >= ? AND m.deadline < ?) OR (m.evaluation_date >= ? AND m.evaluation_date "
		"< ?))"
		" AND m.log_id IN (SELECT h.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$')) AS h)"
		" LIMIT ?",
		"iiissssiiisssssi", d, m, p, from, to, from, to, d, m, p, from, to, from, to,
		db_ids_json(held, nheld), (long long)CALENDAR_LIMIT);
}

/* Each date of the measures in [from, to) as an item. */
static void add_measures(const struct authz_entry *rel, int nrel, const struct measure_row *rows, int got,
			 const char *from, const char *to, struct calendar_item *out, int *n)
{
	for (int k = 0; k < got; k++) {
		const struct measure_row *r = &rows[k];
		const struct authz_entry *e = related(rel, nrel, r->log_id);
		if (!measures_shown(e))
			continue;
		trim_fraction(r->changed_at);
		const char *dates[2] = { r->deadline, r->evaluation_date };
		for (int d = 0; d < 2; d++) {
			if (!dates[d] || strcmp(dates[d], from) < 0 || strcmp(dates[d], to) >= 0)
				continue;
			struct calendar_item *it = &out[(*n)++];
			*it = (struct calendar_item){ .kind = d ? CALENDAR_EVALUATION : CALENDAR_DEADLINE,
						      .id = r->id,
						      .log_id = r->log_id,
						      .sequence = r->version,
						      .changed_at = r->changed_at,
						      .description = r->description,
						      .named = true,
						      .role = e->az.role };
			memcpy(it->day, dates[d], 11);
		}
	}
}

/* The children's names of the named items, and the list of those logs
 * with the relation each is read under. */
static int add_names(const struct session *s, struct calendar *c)
{
	int64_t *ids = arena_alloc(sizeof *ids * (size_t)(c->n > 0 ? c->n : 1));
	c->logs = arena_alloc(sizeof *c->logs * (size_t)(c->n > 0 ? c->n : 1));
	int nids = 0;
	for (int i = 0; i < c->n; i++) {
		if (!c->items[i].named)
			continue;
		int k = 0;
		while (k < nids && ids[k] != c->items[i].log_id)
			k++;
		if (k < nids)
			continue;
		ids[nids] = c->items[i].log_id;
		c->logs[nids++] =
			(struct audit_item){ c->items[i].log_id, authz_role_name(c->items[i].role) };
	}
	c->nlogs = nids;
	struct logbook_item *items;
	int got = logbook_items(s->municipality_id, ids, nids, &items);
	if (got < 0)
		return got;
	for (int i = 0; i < c->n; i++)
		for (int k = 0; k < got && c->items[i].named; k++)
			if (items[k].id == c->items[i].log_id) {
				c->items[i].given_name = items[k].given_name;
				c->items[i].family_name = items[k].family_name;
				break;
			}
	return 0;
}

int calendar_load(const struct session *s, const char *from, const char *to, bool names, struct calendar *out)
{
	*out = (struct calendar){ 0 };
	struct authz_entry *rel;
	int nrel = authz_related(s, AUTHZ_READ, 500, &rel);
	if (nrel < 0)
		return nrel;
	struct meeting_row *meetings;
	struct measure_row *measures;
	int nmeet = read_meetings(s, from, to, &meetings), nmeas = 0, rc;
	if (nmeet < 0 || (nmeas = read_measures(s, rel, nrel, from, to, names, &measures)) < 0)
		return nmeet < 0 ? nmeet : nmeas;
	/* A meeting is one item, a measure up to two. */
	out->items = arena_alloc(sizeof *out->items * (size_t)(nmeet + 2 * nmeas + 1));
	if ((rc = add_meetings(s, rel, nrel, meetings, nmeet, out->items, &out->n)) < 0)
		return rc;
	add_measures(rel, nrel, measures, nmeas, from, to, out->items, &out->n);
	if (out->n > 1)
		qsort(out->items, (size_t)out->n, sizeof *out->items, by_time);
	if (!names)
		return 0;
	if ((rc = add_names(s, out)) < 0)
		return rc;
	/* A page with the children's names on it is a read of their logs:
	 * one audit row, an item each, as "my logs" is. */
	return authz_audit_list(s, out->logs, (size_t)out->nlogs);
}

/* --- the feed ------------------------------------------------------------ */

#define TOKEN_LEN 43 /* 256 bits in base64url without padding */

static bool token_shaped(const char *t)
{
	return t && strlen(t) == TOKEN_LEN &&
		strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == TOKEN_LEN;
}

static int record(const struct session *s, const char *action, int64_t feed_id)
{
	struct audit_entry e = {
		.municipality_id = s->municipality_id,
		.person_id = s->person_id,
		.role = "person",
		.action = action,
		.outcome = "ok",
		.detail = arena_printf("feed %lld", (long long)feed_id),
	};
	return audit_append(&e);
}

struct id_row {
	int64_t id;
	char *at;
};
static const struct db_col id_cols[] = {
	DB_COL(struct id_row, id, DB_I64),
	DB_COL(struct id_row, at, DB_STR),
};
static const struct db_map id_map = DB_MAP(struct id_row, id_cols);

/* The person's live feed: 1 (*row), 0 none, or < 0; locked with lock. */
static int live(const struct session *s, bool lock, struct id_row *row)
{
	long long p = s->person_id, m = s->municipality_id;
	return lock
		? db_select_one(&id_map, row,
				"SELECT id, DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s') FROM calendar_feed"
				" WHERE person_id = ? AND revoked_at IS NULL AND municipality_id = ?"
				" ORDER BY id DESC LIMIT 1 FOR UPDATE",
				"ii", p, m)
		: db_select_one(&id_map, row,
				"SELECT id, DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s') FROM calendar_feed"
				" WHERE person_id = ? AND revoked_at IS NULL AND municipality_id = ?"
				" ORDER BY id DESC LIMIT 1",
				"ii", p, m);
}

static int revoke_all(const struct session *s)
{
	return db_exec(
		"UPDATE calendar_feed SET revoked_at = CURRENT_TIMESTAMP(3), text_hash = NULL, text = NULL"
		" WHERE person_id = ? AND revoked_at IS NULL AND municipality_id = ?",
		"ii", (long long)s->person_id, (long long)s->municipality_id);
}

int calendar_feed_new(const struct session *s, char **token, bool *renewed)
{
	*token = NULL;
	*renewed = false;
	unsigned char raw[32], hash[32];
	if (crypto_random(raw, sizeof raw) < 0)
		return DB_ERROR;
	char *t = crypto_b64url_encode(raw, sizeof raw);
	crypto_wipe(raw, sizeof raw);
	if (!t)
		return DB_ERROR;
	crypto_sha256(t, strlen(t), hash);
	struct id_row old;
	int rc = live(s, true, &old);
	if (rc < 0 || (rc == 1 && (rc = revoke_all(s)) < 0))
		return rc;
	*renewed = rc > 0;
	if ((rc = db_exec(
		     "INSERT INTO calendar_feed (municipality_id, person_id, token_hash) VALUES (?, ?, ?)",
		     "iib", (long long)s->municipality_id, (long long)s->person_id, hash, sizeof hash)) < 0)
		return rc;
	if ((rc = record(s, *renewed ? "calendar.feed.renew" : "calendar.feed.new", db_last_id())) < 0)
		return rc;
	*token = t;
	return 0;
}

int calendar_feed_revoke(const struct session *s)
{
	struct id_row old;
	int rc = live(s, true, &old);
	if (rc <= 0)
		return rc;
	if ((rc = revoke_all(s)) < 0 || (rc = record(s, "calendar.feed.revoke", old.id)) < 0)
		return rc;
	return 1;
}

int calendar_feed_live(const struct session *s, char **created_at)
{
	struct id_row row;
	int rc = live(s, false, &row);
	*created_at = rc == 1 ? row.at : NULL;
	return rc;
}

struct yes_row {
	bool yes;
};
static const struct db_col yes_cols[] = { DB_COL(struct yes_row, yes, DB_BOOL) };
static const struct db_map yes_map = DB_MAP(struct yes_row, yes_cols);

int calendar_feed_is(const struct session *s, const char *token)
{
	if (!token_shaped(token))
		return 0;
	unsigned char hash[32];
	crypto_sha256(token, strlen(token), hash);
	struct yes_row y = { false };
	int rc = db_select_one(&yes_map, &y,
			       "SELECT EXISTS (SELECT 1 FROM calendar_feed WHERE token_hash = ?"
			       " AND revoked_at IS NULL AND person_id = ? AND municipality_id = ?)",
			       "bii", hash, sizeof hash, (long long)s->person_id,
			       (long long)s->municipality_id);
	return rc < 0 ? rc : rc == 1 && y.yes;
}

static const struct db_col owner_cols[] = {
	DB_COL(struct calendar_feed_owner, id, DB_I64),
	DB_COL(struct calendar_feed_owner, municipality_id, DB_I64),
	DB_COL(struct calendar_feed_owner, person_id, DB_I64),
	DB_COL(struct calendar_feed_owner, lang, DB_STR),
	DB_COL(struct calendar_feed_owner, text_hash, DB_BLOB),
};
static const struct db_map owner_map = DB_MAP(struct calendar_feed_owner, owner_cols);

int calendar_feed_find(const char *token, struct calendar_feed_owner *out)
{
	*out = (struct calendar_feed_owner){ 0 };
	if (!token_shaped(token))
		return 0;
	unsigned char hash[32];
	crypto_sha256(token, strlen(token), hash);
	return db_select_one(&owner_map, out,
			     "SELECT f.id, f.municipality_id, f.person_id, COALESCE(p.mail_lang, "
			     "m.default_lang), f.text_hash"
			     " FROM calendar_feed f JOIN person p ON p.id = f.person_id"
			     " AND p.municipality_id = f.municipality_id"
			     " JOIN municipality m ON m.id = f.municipality_id AND m.active"
			     " WHERE f.token_hash = ? AND f.revoked_at IS NULL",
			     "b", hash, sizeof hash);
}

struct text_row {
	struct db_blob text;
};
static const struct db_col text_cols[] = { DB_COL(struct text_row, text, DB_BLOB) };
static const struct db_map text_map = DB_MAP(struct text_row, text_cols);

int calendar_feed_text(const struct calendar_feed_owner *o, struct db_blob *out)
{
	struct text_row row = { { NULL, 0 } };
	*out = (struct db_blob){ NULL, 0 };
	int rc = db_select_one(
		&text_map, &row,
		"SELECT text FROM calendar_feed WHERE id = ? AND revoked_at IS NULL AND text IS NOT NULL",
		"i", (long long)o->id);
	if (rc == 1)
		*out = row.text;
	return rc;
}

int calendar_feed_keep(const struct calendar_feed_owner *o, const unsigned char hash[32], const char *text,
		       size_t len)
{
	int rc = db_exec(
		"UPDATE calendar_feed SET text_hash = ?, text = ? WHERE id = ? AND revoked_at IS NULL", "bbi",
		hash, (size_t)32, text, len, (long long)o->id);
	return rc < 0 ? rc : 0;
}

int calendar_feed_fetched(const struct calendar_feed_owner *o)
{
	struct audit_entry e = {
		.municipality_id = o->municipality_id,
		.person_id = o->person_id,
		.role = "person",
		.action = "calendar.feed.read",
		.outcome = "ok",
		.detail = arena_printf("feed %lld", (long long)o->id),
	};
	return audit_event(&e);
}
