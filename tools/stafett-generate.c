/* stafett-generate — fills a database with N realistic logs for benchmarks:
 * a municipality of its own ("benchvik") with units and cleared staff, and
 * per log a child with one or two guardians (invented names, synthetic
 * identity numbers sealed like real ones), consents, concerns with
 * development areas, goals, measures with responsible actors, evaluations and
 * notes. Run again, it adds N more. Uses the admin database connection.
 *
 *   stafett-generate N        (STAFETT_CONF names the configuration)
 *   stafett-generate --plans PERSON LOG
 *                             the query plans of PERSON's "my logs" and of
 *                             PERSON viewing LOG, as the programs run them,
 *                             and of PERSON's calendar feed;
 *                             exit 1 if a table is read whole
 *   stafett-generate --calendar TOKEN
 *                             the calendar's person: an adviser of PPT who
 *                             acts in CALENDAR_LOGS active logs, responsible
 *                             for two measures and invited to three
 *                             meetings in each, whose calendar feed is
 *                             /kalender/TOKEN.ics (any live one revoked);
 *                             prints the person's id
 *
 * The people are spread as in a municipality: a teacher in a kindergarten or
 * a school holds about HOLDER_LOGS logs, and an adviser of a health station,
 * PPT or child welfare acts in about ACTOR_LOGS, whatever N is (staff grow
 * with N), so the per-person pages are comparable between 10,000 and 100,000
 * logs. Every other log has a meeting, its holder and actor invited. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "arena.h"
#include "authz.h"
#include "calendar.h"
#include "consent.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "logbook.h"
#include "mylogs.h"
#include "view_log.h"
#include "measure.h"
#include "nin.h"
#include "session.h"
#include "tmpl.h"

#define UNITS 20
#define HOLDER_LOGS 5
#define ACTOR_LOGS 30
#define BATCH 500
#define CALENDAR_LOGS 80

static const char *const given[] = { "Emma", "Nora",  "Sofie", "Olivia", "Ella",  "Jakob", "Noah",
				     "Emil", "Lucas", "Oskar", "Ingrid", "Aksel", "Maja",  "Filip",
				     "Leah", "Johan", "Tiril", "Sander", "Hedda", "Magnus" };
static const char *const family[] = { "Hansen", "Johansen",    "Olsen",	 "Larsen",  "Andersen", "Pedersen",
				      "Nilsen", "Kristiansen", "Jensen", "Karlsen", "Berg",	"Haugen",
				      "Dahl",	"Lie",	       "Moen",	 "Strand",  "Solberg",	"Bakken" };
static const char *const unit_kinds[] = { "kindergarten", "school", "health_station", "ppt",
					  "child_welfare" };
static const char *const texts[] = {
	"Trenger støtte i overganger mellom aktiviteter.",
	"Ekstra oppfølging i lesing og skriving, to ganger i uka.",
	"Samtaler med helsesykepleier annenhver uke.",
	"Faste rutiner ved levering og henting.",
	"Veiledning til foreldre om søvn og måltider.",
};

static unsigned long long rng = 88172645463325252ULL;
static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* The next synthetic identity number (month + 80) not used before: walks
 * birth dates and individual numbers from a counter kept in the database
 * run (seq), so a second run continues where the first stopped. */
static const char *next_nin(long long *seq, int birth_year)
{
	static char s[64]; /* 11 needed; room for what gcc imagines the ints could be */
	for (;;) {
		long long n = (*seq)++;
		int day = 1 + (int)(n % 28), month = 1 + (int)(n / 28 % 12), ind = (int)(n / 336 % 500);
		int year = birth_year + (int)(n / 168000 % 5);
		int base = year >= 2000 ? 500 : 0;
		for (int k = 0; k < 100; k++) {
			snprintf(s, sizeof s, "%02d%02d%02d%03d%02d", day, month + 80, year % 100, base + ind,
				 k);
			if (nin_check(s) == NIN_SYNTHETIC)
				return s;
		}
	}
}

static int64_t person(int64_t muni, long long *seq, int birth_year, const char *title)
{
	const char *nin = next_nin(seq, birth_year);
	unsigned char sealed[11 + CRYPTO_SEAL_OVERHEAD], mac[CRYPTO_HMAC_LEN];
	int key = crypto_seal(nin, 11, sealed);
	int y, m, d;
	if (key < 0 || crypto_lookup_hash(nin, 11, mac) < 0 || nin_birthdate(nin, &y, &m, &d) < 0)
		return -1;
	if (db_exec("INSERT INTO person (municipality_id, nin_sealed, nin_key_id, nin_hmac, birth_date, "
		    "given_name,"
		    " family_name, title) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		    "ibibssss", (long long)muni, sealed, sizeof sealed, (long long)key, mac, sizeof mac,
		    arena_printf("%04d-%02d-%02d", y, m, d), given[rnd(20)], family[rnd(18)], title) < 0)
		return -1;
	return db_last_id();
}

struct id_row {
	int64_t id;
};
static const struct db_col id_cols[] = { DB_COL(struct id_row, id, DB_I64) };
static const struct db_map id_map = DB_MAP(struct id_row, id_cols);

/* Cleared staff of one kind of unit: person[i] works in unit[i]. */
struct pool {
	int64_t *person;
	int64_t *unit;
	int n;
};

struct world {
	int64_t muni;
	int64_t units[UNITS]; /* kinds in the order of unit_kinds, again and again */
	struct pool holders;  /* kindergartens and schools */
	struct pool actors;   /* health stations, PPT, child welfare */
	int64_t areas[16];
	int nareas;
	long long seq;
};

/* The municipality, its units and the default development areas; created once. */
static int setup(struct world *w)
{
	struct id_row r;
	int rc = db_select_one(&id_map, &r, "SELECT id FROM municipality WHERE slug = 'benchvik'", NULL);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		if (db_exec("INSERT INTO municipality (slug, name, default_lang, consent_age) VALUES"
			    " ('benchvik', 'Benchvik kommune', 'nb', 15)",
			    NULL) < 0)
			return -1;
		w->muni = db_last_id();
		for (int i = 0; i < UNITS; i++)
			if (db_exec("INSERT INTO unit (municipality_id, kind, name) VALUES (?, ?, ?)", "iss",
				    (long long)w->muni, unit_kinds[i % 5],
				    arena_printf("Enhet %02d", i + 1)) < 0)
				return -1;
	} else {
		w->muni = r.id;
	}
	struct id_row *rows;
	int n = db_select(&id_map, &rows,
			  "SELECT id FROM unit WHERE municipality_id = ? ORDER BY id LIMIT 20", "i",
			  (long long)w->muni);
	if (n != UNITS)
		return -1;
	for (int i = 0; i < UNITS; i++)
		w->units[i] = rows[i].id;
	n = db_select(&id_map, &rows,
		      "SELECT id FROM development_area WHERE municipality_id IS NULL ORDER BY id", NULL);
	for (int i = 0; i < n && i < 16; i++)
		w->areas[w->nareas++] = rows[i].id;
	struct id_row count;
	if (db_select_one(&id_map, &count, "SELECT COUNT(*) FROM person WHERE municipality_id = ?", "i",
			  (long long)w->muni) < 0)
		return -1;
	w->seq = count.id * 3 + 1; /* past every number an earlier run used */
	return w->nareas > 0 ? 0 : -1;
}

/* Does the unit at this index of w->units hold logs (a kindergarten or a school)? */
static bool holds_logs(int index)
{
	return index % 5 < 2;
}

struct staff_row {
	int64_t person;
	int64_t unit;
};
static const struct db_col staff_cols[] = {
	DB_COL(struct staff_row, person, DB_I64),
	DB_COL(struct staff_row, unit, DB_I64),
};
static const struct db_map staff_map = DB_MAP(struct staff_row, staff_cols);

static int unit_index(const struct world *w, int64_t unit)
{
	for (int i = 0; i < UNITS; i++)
		if (w->units[i] == unit)
			return i;
	return 0;
}

/* The staff there is, then new staff until there are `holders` teachers and
 * `actors` advisers, each new one in the next unit of their kind. */
static int add_staff(struct world *w, int holders, int actors)
{
	struct staff_row *rows;
	int n = db_select(
		&staff_map, &rows,
		"SELECT person_id, unit_id FROM staff_role WHERE municipality_id = ? AND role = 'staff'"
		" ORDER BY id",
		"i", (long long)w->muni);
	if (n < 0)
		return n;
	struct pool *pools[2] = { &w->holders, &w->actors };
	int want[2] = { holders, actors };
	for (int k = 0; k < 2; k++) {
		size_t cap = (size_t)(n + want[k] + 1);
		pools[k]->person = xcalloc(cap, sizeof(int64_t));
		pools[k]->unit = xcalloc(cap, sizeof(int64_t));
	}
	for (int i = 0; i < n; i++) {
		struct pool *p = pools[holds_logs(unit_index(w, rows[i].unit)) ? 0 : 1];
		p->person[p->n] = rows[i].person;
		p->unit[p->n++] = rows[i].unit;
	}
	for (int k = 0; k < 2; k++) {
		struct pool *p = pools[k];
		for (int i = p->n; i < want[k]; i++) {
			/* The i-th unit of this kind: kinds repeat every five units. */
			int index = k == 0 ? (i % 8) / 2 * 5 + i % 2 : (i % 12) / 3 * 5 + 2 + i % 3;
			int64_t who = person(w->muni, &w->seq, 1980, k == 0 ? "Pedagog" : "Rådgiver");
			if (who < 0 ||
			    db_exec("INSERT INTO staff_role (municipality_id, person_id, unit_id, role,"
				    " cleared_at) VALUES (?, ?, ?, 'staff', NOW(3))",
				    "iii", (long long)w->muni, (long long)who,
				    (long long)w->units[index]) < 0)
				return -1;
			p->person[p->n] = who;
			p->unit[p->n++] = w->units[index];
		}
	}
	return 0;
}

/* One log and everything in it. */
static int add_log(struct world *w)
{
	static const char *const states[] = { "active", "active", "active",  "active", "active",
					      "active", "active", "passive", "draft",  "closed" };
	const char *state = states[rnd(10)];
	int h = (int)rnd((unsigned)w->holders.n), a = (int)rnd((unsigned)w->actors.n);
	int64_t holder = w->holders.person[h], unit = w->holders.unit[h];
	int64_t actor = w->actors.person[a], covered = w->actors.unit[a];
	int64_t child = person(w->muni, &w->seq, 2012, NULL);
	if (child < 0)
		return -1;
	long long m = w->muni;
	bool consented = strcmp(state, "draft") != 0;
	if (db_exec("INSERT INTO log (municipality_id, subject_person_id, subject_kind, holder_person_id, "
		    "unit_id,"
		    " created_by, state, bti_level, basic_info, child_voice, consent_until, closed_at)"
		    " VALUES (?, ?, 'child', ?, ?, ?, ?, ?, ?, ?,"
		    " IF(?, CURRENT_DATE + INTERVAL 400 + ? DAY, NULL), IF(? = 'closed', NOW(3), NULL))",
		    "iiiiisissiis", m, (long long)child, (long long)holder, (long long)unit,
		    (long long)holder, state, (long long)(1 + rnd(3)), texts[rnd(5)],
		    "Jeg liker å tegne og å være ute.", (long long)consented, (long long)rnd(300), state) < 0)
		return -1;
	int64_t log = db_last_id();
	int nguardians = 1 + (int)rnd(2);
	for (int g = 0; g < nguardians; g++) {
		int64_t gp = person(w->muni, &w->seq, 1985, NULL);
		if (gp < 0 ||
		    db_exec("INSERT INTO log_guardian (municipality_id, log_id, person_id) VALUES (?, ?, ?)",
			    "iii", m, (long long)log, (long long)gp) < 0)
			return -1;
		if (!consented)
			continue;
		for (int kind = 0; kind < 2; kind++) {
			if (db_exec("INSERT INTO consent (municipality_id, log_id, kind, person_id, method, "
				    "given_at,"
				    " valid_until, recorded_by) VALUES (?, ?, ?, ?, 'signed_form',"
				    " CURRENT_DATE - INTERVAL 100 DAY, CURRENT_DATE + INTERVAL 400 DAY, ?)",
				    "iisii", m, (long long)log, kind ? "cooperate" : "establish",
				    (long long)gp, (long long)holder) < 0)
				return -1;
			if (kind &&
			    db_exec("INSERT INTO consent_scope (consent_id, unit_id) VALUES (?, ?)", "ii",
				    (long long)db_last_id(), (long long)covered) < 0)
				return -1;
		}
	}
	if (consented &&
	    db_exec("INSERT INTO consent_service (municipality_id, log_id, unit_id, valid_until)"
		    " VALUES (?, ?, ?, CURRENT_DATE + INTERVAL 400 DAY)",
		    "iii", m, (long long)log, (long long)covered) < 0)
		return -1;
	/* The actor, of the covered unit, is responsible for some measures. */
	if (db_exec("INSERT IGNORE INTO log_actor (municipality_id, log_id, person_id, unit_id) VALUES (?, "
		    "?, ?, ?)",
		    "iiii", m, (long long)log, (long long)actor, (long long)covered) < 0)
		return -1;
	int nconcerns = 1 + (int)rnd(2);
	for (int c = 0; c < nconcerns; c++) {
		if (db_exec("INSERT INTO concern (municipality_id, log_id, title, description, created_by)"
			    " VALUES (?, ?, ?, ?, ?)",
			    "iissi", m, (long long)log, c ? "Trivsel i gruppen" : "Språkutvikling",
			    texts[rnd(5)], (long long)holder) < 0)
			return -1;
		int64_t concern = db_last_id();
		if (db_exec("INSERT INTO concern_area (concern_id, area_id) VALUES (?, ?)", "ii",
			    (long long)concern, (long long)w->areas[rnd((unsigned)w->nareas)]) < 0 ||
		    db_exec("INSERT INTO goal (municipality_id, log_id, concern_id, text, created_by) VALUES "
			    "(?, ?, ?, ?, ?)",
			    "iiisi", m, (long long)log, (long long)concern,
			    "Barnet deltar trygt i lek og samling.", (long long)holder) < 0)
			return -1;
		int64_t goal = db_last_id();
		int nmeasures = 1 + (int)rnd(3);
		for (int k = 0; k < nmeasures; k++) {
			int64_t resp = k % 2 ? actor : holder;
			if (db_exec("INSERT INTO measure (municipality_id, log_id, goal_id, description, "
				    "responsible_person_id,"
				    " start_date, deadline, evaluation_date, status, created_by) VALUES (?, "
				    "?, ?, ?, ?,"
				    " CURRENT_DATE - INTERVAL ? DAY, CURRENT_DATE + INTERVAL ? DAY,"
				    " CURRENT_DATE + INTERVAL ? DAY, ?, ?)",
				    "iiisiiiisi", m, (long long)log, (long long)goal, texts[rnd(5)],
				    (long long)resp, (long long)rnd(200), (long long)rnd(200),
				    (long long)rnd(120) - 20, rnd(3) ? "ongoing" : "planned",
				    (long long)holder) < 0)
				return -1;
			if (rnd(3) == 0 &&
			    db_exec("INSERT INTO evaluation (municipality_id, log_id, measure_id, category, "
				    "text, by_person_id)"
				    " VALUES (?, ?, ?, 'partly', 'Noe bedre, fortsetter.', ?)",
				    "iiii", m, (long long)log, (long long)db_last_id(), (long long)resp) < 0)
				return -1;
		}
	}
	/* Every other log has a meeting, from a month ago to three ahead. */
	if (rnd(2) == 0) {
		if (db_exec("INSERT INTO meeting (municipality_id, log_id, starts_at, minutes, place, "
			    "created_by)"
			    " VALUES (?, ?, CURRENT_DATE + INTERVAL ? DAY + INTERVAL ? HOUR, 60, 'Møterom', "
			    "?)",
			    "iiiii", m, (long long)log, (long long)rnd(120) - 30, (long long)(7 + rnd(8)),
			    (long long)holder) < 0)
			return -1;
		int64_t meeting = db_last_id();
		if (db_exec("INSERT INTO meeting_participant (meeting_id, person_id, municipality_id, "
			    "relation)"
			    " VALUES (?, ?, ?, 'holder'), (?, ?, ?, 'actor')",
			    "iiiiii", (long long)meeting, (long long)holder, m, (long long)meeting,
			    (long long)actor, m) < 0)
			return -1;
	}
	int nnotes = (int)rnd(5);
	for (int k = 0; k < nnotes; k++)
		if (db_exec("INSERT INTO note (municipality_id, log_id, author_person_id, text, glimpse)"
			    " VALUES (?, ?, ?, ?, ?)",
			    "iiisi", m, (long long)log, (long long)(k % 2 ? actor : holder),
			    k % 2 ? "Fin dag på tur i dag!" : "Samtale med foreldrene gjennomført.",
			    (long long)(k % 2)) < 0)
			return -1;
	return 0;
}

/* --- the calendar's person ------------------------------------------------- */

struct log_row {
	int64_t id;
	int64_t holder;
	int64_t goal;
};
static const struct db_col log_cols[] = {
	DB_COL(struct log_row, id, DB_I64),
	DB_COL(struct log_row, holder, DB_I64),
	DB_COL(struct log_row, goal, DB_I64),
};
static const struct db_map log_map = DB_MAP(struct log_row, log_cols);

/* An adviser of PPT acting in CALENDAR_LOGS of the newest active logs (the
 * consent widened to PPT where it did not cover it), responsible for two
 * measures in each, with a deadline and an evaluation date in the coming
 * year, and invited to three meetings in each (two weeks ago, in one and in
 * four months); their feed is TOKEN. Run again, the same person gets a new
 * token and the logs they lack. */
static int calendar_person(const char *token)
{
	struct world w = { 0 };
	struct id_row r;
	int64_t unit, who;
	if (db_begin() < 0 || setup(&w) < 0)
		return -1;
	unit = w.units[3]; /* the first PPT */
	int rc =
		db_select_one(&id_map, &r,
			      "SELECT id FROM person WHERE municipality_id = ? AND title = 'Kalenderrådgiver'"
			      " ORDER BY id LIMIT 1",
			      "i", (long long)w.muni);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		who = r.id;
	} else {
		if ((who = person(w.muni, &w.seq, 1978, "Kalenderrådgiver")) < 0 ||
		    db_exec("INSERT INTO staff_role (municipality_id, person_id, unit_id, role, cleared_at)"
			    " VALUES (?, ?, ?, 'staff', NOW(3))",
			    "iii", (long long)w.muni, (long long)who, (long long)unit) < 0)
			return -1;
	}
	long long m = w.muni, p = who, u = unit;
	struct log_row *logs;
	int n = db_select(
		&log_map, &logs,
		"SELECT l.id, l.holder_person_id, MIN(g.id) FROM log l JOIN goal g ON g.log_id = l.id"
		" WHERE l.municipality_id = ? AND l.state = 'active' AND l.withdrawn_at IS NULL"
		" AND NOT EXISTS (SELECT 1 FROM log_actor a WHERE a.log_id = l.id AND a.person_id = ?)"
		" GROUP BY l.id ORDER BY l.id DESC LIMIT ?",
		"iii", m, p, (long long)CALENDAR_LOGS);
	struct id_row have;
	if (n < 0 ||
	    db_select_one(&id_map, &have, "SELECT COUNT(*) FROM log_actor WHERE person_id = ?", "i", p) < 0)
		return -1;
	for (int i = 0; i < n && have.id + i < CALENDAR_LOGS; i++) {
		long long l = logs[i].id, h = logs[i].holder;
		if (db_exec("INSERT INTO consent_service (municipality_id, log_id, unit_id, valid_until)"
			    " VALUES (?, ?, ?, CURRENT_DATE + INTERVAL 400 DAY)",
			    "iii", m, l, u) < 0 ||
		    db_exec("INSERT INTO log_actor (municipality_id, log_id, person_id, unit_id) VALUES (?, "
			    "?, ?, ?)",
			    "iiii", m, l, p, u) < 0)
			return -1;
		for (int k = 0; k < 2; k++)
			if (db_exec("INSERT INTO measure (municipality_id, log_id, goal_id, description,"
				    " responsible_person_id, start_date, deadline, evaluation_date, status, "
				    "created_by)"
				    " VALUES (?, ?, ?, ?, ?, CURRENT_DATE, CURRENT_DATE + INTERVAL ? DAY,"
				    " CURRENT_DATE + INTERVAL ? DAY, 'ongoing', ?)",
				    "iiisiiii", m, l, (long long)logs[i].goal, texts[rnd(5)], p,
				    (long long)(30 + rnd(300)), (long long)(10 + rnd(200)), h) < 0)
				return -1;
		static const int days[] = { -14, 30, 120 };
		for (int k = 0; k < 3; k++) {
			if (db_exec("INSERT INTO meeting (municipality_id, log_id, starts_at, minutes, "
				    "place, created_by)"
				    " VALUES (?, ?, CURRENT_DATE + INTERVAL ? DAY + INTERVAL 9 HOUR, 90, "
				    "'Møterom', ?)",
				    "iiii", m, l, (long long)days[k], h) < 0)
				return -1;
			long long mt = db_last_id();
			if (db_exec("INSERT INTO meeting_participant (meeting_id, person_id, "
				    "municipality_id, relation)"
				    " VALUES (?, ?, ?, 'holder'), (?, ?, ?, 'actor')",
				    "iiiiii", mt, h, m, mt, p, m) < 0)
				return -1;
		}
	}
	unsigned char hash[32];
	crypto_sha256(token, strlen(token), hash);
	if (db_exec("UPDATE calendar_feed SET revoked_at = CURRENT_TIMESTAMP(3) WHERE person_id = ?"
		    " AND revoked_at IS NULL",
		    "i", p) < 0 ||
	    db_exec("INSERT INTO calendar_feed (municipality_id, person_id, token_hash) VALUES (?, ?, ?)",
		    "iib", m, p, hash, sizeof hash) < 0 ||
	    db_commit() < 0)
		return -1;
	printf("%lld\n", p);
	return 0;
}

/* --- query plans ---------------------------------------------------------- */

struct plans {
	const char *last_sql;
	int scans;
};

/* One row of EXPLAIN: printed, and counted when a real table (not a derived
 * one, not JSON_TABLE) is read whole, by its rows (ALL) or its index (index). */
static void plan_row(void *ctx, const char *sql, char *const *c, int n)
{
	struct plans *p = ctx;
	if (n < 10)
		return;
	if (sql != p->last_sql) {
		printf("%.100s ...\n", sql);
		p->last_sql = sql;
	}
	bool real = *c[2] && c[2][0] != '<' && !strstr(c[9], "Table function");
	bool whole = real && (strcmp(c[3], "ALL") == 0 || strcmp(c[3], "index") == 0 || !*c[5]);
	printf("  %-3s %-18s %-14s %-7s %-28s %7s  %s%s\n", c[0], c[1], c[2], c[3], c[5], c[8], c[9],
	       whole ? "  <-- read whole" : "");
	p->scans += whole;
}

/* The statements of home.c and log_view.c, in their order, with the plan of
 * each printed as it runs (the audit rows and the session check aside). */
static int plans(int64_t person, int64_t log)
{
	struct id_row muni;
	if (db_select_one(&id_map, &muni, "SELECT municipality_id FROM person WHERE id = ?", "i",
			  (long long)person) != 1) {
		fprintf(stderr, "stafett-generate: no person %lld\n", (long long)person);
		return 1;
	}
	struct session s = { .municipality_id = muni.id, .person_id = person };
	struct plans p = { 0 };
	struct mylogs mine;
	struct authz az;
	db_set_explain(plan_row, &p);
	puts("my logs:");
	/* The pages' own reads, in a transaction that is rolled back. */
	int rc = db_begin();
	if (rc >= 0)
		rc = mylogs_load(&s, 60, &mine);
	db_rollback();
	if (rc >= 0) {
		printf("viewing log %lld:\n", (long long)log);
		if ((rc = db_begin()) >= 0 && (rc = authz_check(&s, log, AUTHZ_READ, &az)) >= 0)
			rc = view_log(&s, "nb", &az, log, tv_obj());
		db_rollback();
	}
	if (rc >= 0) {
		/* The feed's statements (cgi-bin/calendar.c), over its range. */
		puts("the calendar feed:");
		const char *today = calendar_today();
		struct calendar cal;
		rc = calendar_load(&s, calendar_add_days(today, -31), calendar_add_days(today, 366), false,
				   &cal);
	}
	db_set_explain(NULL, NULL);
	if (rc < 0) {
		fprintf(stderr, "stafett-generate: %s\n", db_error());
		return 1;
	}
	printf("%d tables read whole\n", p.scans);
	return p.scans ? 1 : 0;
}

int main(int argc, char **argv)
{
	log_init("stafett-generate", false);
	/* Oslo's days, as the programs have them (lib/app.c). */
	setenv("TZ", "Europe/Oslo", 1);
	tzset();
	if (argc == 4 && strcmp(argv[1], "--plans") == 0) {
		if (config_load(NULL) < 0 || crypto_load_keys(config_str("crypto.key_file")) < 0 ||
		    db_connect("database_admin") < 0)
			return 1;
		return plans(strtoll(argv[2], NULL, 10), strtoll(argv[3], NULL, 10));
	}
	if (argc == 3 && strcmp(argv[1], "--calendar") == 0) {
		if (config_load(NULL) < 0 || crypto_load_keys(config_str("crypto.key_file")) < 0 ||
		    db_connect("database_admin") < 0)
			return 1;
		if (calendar_person(argv[2]) < 0) {
			fprintf(stderr, "stafett-generate: %s\n", db_error());
			db_rollback();
			return 1;
		}
		return 0;
	}
	long n = argc == 2 ? strtol(argv[1], NULL, 10) : 0;
	if (n <= 0) {
		fputs("usage: stafett-generate N | --plans PERSON LOG | --calendar TOKEN\n", stderr);
		return 2;
	}
	if (config_load(NULL) < 0 || crypto_load_keys(config_str("crypto.key_file")) < 0 ||
	    db_connect("database_admin") < 0)
		return 1;
	struct world w = { 0 };
	struct id_row existing;
	if (db_begin() < 0 || setup(&w) < 0 ||
	    db_select_one(&id_map, &existing, "SELECT COUNT(*) FROM log WHERE municipality_id = ?", "i",
			  (long long)w.muni) < 0 ||
	    add_staff(&w, (int)((existing.id + n) / HOLDER_LOGS) + 8,
		      (int)((existing.id + n) / ACTOR_LOGS) + 12) < 0 ||
	    db_commit() < 0)
		goto fail;
	for (long i = 0; i < n; i++) {
		if (i % BATCH == 0 && db_begin() < 0)
			goto fail;
		if (add_log(&w) < 0)
			goto fail;
		if (i % BATCH == BATCH - 1 || i == n - 1) {
			if (db_commit() < 0)
				goto fail;
			arena_reset();
		}
	}
	printf("%ld logs added to benchvik (%lld in all); %d teachers hold them, %d advisers act in them\n",
	       n, (long long)existing.id + n, w.holders.n, w.actors.n);
	return 0;
fail:
	fprintf(stderr, "stafett-generate: %s\n", db_error());
	db_rollback();
	return 1;
}
