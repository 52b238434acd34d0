/* stafett-admin — the operator's command-line tool.
 *   stafett-admin migrate [SQLDIR]   apply sql/NNN_*.sql not yet applied, in order
 *   stafett-admin demo               load the invented demo municipality (once)
 *   stafett-admin config [NAME]      print one setting, or all (for scripts)
 *   stafett-admin municipality SLUG NAME LANG CONSENT_AGE   add a municipality
 *   stafett-admin administrator SLUG GIVEN FAMILY           make the person whose
 *                                    number comes on standard input its administrator
 *   stafett-admin oidc-client SLUG ISSUER CLIENT_ID SECRET|-  its ID-porten client
 *   stafett-admin verify-audit       check the audit trail's hash chain
 *   stafett-admin rekey              re-encrypt sealed values under the newest key
 *   stafett-admin mail-test ADDRESS [NAME [LANG]]  queue a test mail (the mailer sends it)
 *   stafett-admin archive-folder SLUG PATH  where the municipality's archive copies go
 *                                    (a folder drop an archive system imports from)
 * Uses the admin database connection (DDL) for all of them. */
#include <dirent.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "audit.h"
#include "config.h"
#include "consent.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "mail.h"
#include "measure.h"
#include "nin.h"
#include "note.h"
#include "outbox.h"
#include "session.h"

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct buf b = { 0 };
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return b.data ? b.data : arena_strdup("");
}

static char *sha256_hex(const char *s)
{
	unsigned char md[32];
	unsigned int n;
	EVP_Digest(s, strlen(s), md, &n, EVP_sha256(), NULL);
	char *hex = arena_alloc(65);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return hex;
}

struct applied {
	char *checksum;
};

static const struct db_col applied_cols[] = { DB_COL(struct applied, checksum, DB_STR) };
static const struct db_map applied_map = DB_MAP(struct applied, applied_cols);

/* A migration file is applied whole and recorded; DDL commits implicitly in
 * MariaDB, so a file that fails halfway must be repaired by hand (logged). */
static int migrate(const char *dir)
{
	if (db_run_script("CREATE TABLE IF NOT EXISTS schema_migration ("
			  " name VARCHAR(200) PRIMARY KEY,"
			  " checksum CHAR(64) NOT NULL,"
			  " applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)"
			  ") ENGINE=InnoDB") < 0)
		return -1;
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "migrate: cannot open %s\n", dir);
		return -1;
	}
	char *names[1000];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 1000) {
		size_t len = strlen(e->d_name);
		if (len > 8 && strspn(e->d_name, "0123456789") == 3 && e->d_name[3] == '_' &&
		    strcmp(e->d_name + len - 4, ".sql") == 0)
			names[n++] = arena_strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof names[0], cmp_names);
	int applied = 0;
	for (size_t i = 0; i < n; i++) {
		char *script = read_file(arena_printf("%s/%s", dir, names[i]));
		if (!script)
			return -1;
		char *sum = sha256_hex(script);
		struct applied a;
		int rc = db_select_one(&applied_map, &a,
				       "SELECT checksum FROM schema_migration WHERE name = ?", "s", names[i]);
		if (rc < 0)
			return -1;
		if (rc == 1) {
			if (strcmp(a.checksum, sum) != 0)
				fprintf(stderr,
					"migrate: %s was changed after it was applied; "
					"landed migrations must not be edited\n",
					names[i]);
			continue;
		}
		if (db_run_script(script) < 0) {
			fprintf(stderr, "migrate: %s failed: %s\n", names[i], db_error());
			return -1;
		}
		if (db_exec("INSERT INTO schema_migration (name, checksum) VALUES (?, ?)", "ss", names[i],
			    sum) < 0)
			return -1;
		printf("applied %s\n", names[i]);
		applied++;
	}
	printf("%d migration(s) applied, %zu known\n", applied, n);
	return 0;
}

/* --- demo data: an invented municipality, synthetic identity numbers ---- */

/* A synthetic number (month + 80) for a birth date: the first individual
 * number from seq whose control digits both exist. */
static const char *synthetic_nin(int day, int month, int year, int seq)
{
	static char s[40];
	int base = year >= 2000 ? 500 : 0;
	for (int ind = base + seq; ind < base + 500; ind++) {
		for (int k = 0; k < 100; k++) {
			snprintf(s, sizeof s, "%02d%02d%02d%03d%02d", day, month + 80, year % 100, ind, k);
			if (strlen(s) == 11 && nin_check(s) == NIN_SYNTHETIC)
				return s;
		}
	}
	return NULL;
}

static int64_t add_person(int64_t muni, const char *given, const char *family, const char *title,
			  const char *email, const char *nin)
{
	unsigned char sealed[11 + CRYPTO_SEAL_OVERHEAD], mac[CRYPTO_HMAC_LEN];
	int key = crypto_seal(nin, 11, sealed);
	int y, m, d;
	if (key < 0 || crypto_lookup_hash(nin, 11, mac) < 0 || nin_birthdate(nin, &y, &m, &d) < 0)
		return -1;
	char *birth = arena_printf("%04d-%02d-%02d", y, m, d);
	if (db_exec("INSERT INTO person (municipality_id, nin_sealed, nin_key_id, nin_hmac, birth_date,"
		    " given_name, family_name, title, email) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "ibibsssss", (long long)muni, sealed, sizeof sealed, (long long)key, mac, sizeof mac,
		    birth, given, family, title, email) < 0)
		return -1;
	return db_last_id();
}

struct id_row {
	int64_t id;
};
static const struct db_col id_cols[] = { DB_COL(struct id_row, id, DB_I64) };
static const struct db_map id_map = DB_MAP(struct id_row, id_cols);

static const struct {
	const char *name;
	const char *kind;
} demo_units[] = {
	{ "Solsikken barnehage", "kindergarten" },
	{ "Fjordvik skole", "school" },
	{ "Fjordvik helsestasjon", "health_station" },
	{ "PPT Fjordvik", "ppt" },
	{ "Barneverntjenesten i Fjordvik", "child_welfare" },
};

static const struct {
	const char *given, *family, *title, *role;
	int unit; /* index in demo_units, -1 for the administrator */
	int cleared;
	int day, month, year;
} demo_staff[] = {
	{ "Ingrid", "Solberg", "Systemadministrator", "admin", -1, 0, 3, 2, 1975 },
	{ "Torbjørn", "Vik", "Styrer", "leader", 0, 0, 14, 6, 1969 },
	{ "Marte", "Haugland", "Pedagogisk leder", "staff", 0, 1, 21, 9, 1988 },
	{ "Sindre", "Åsheim", "Rektor", "leader", 1, 0, 2, 11, 1972 },
	{ "Hanne", "Lien", "Kontaktlærer", "staff", 1, 1, 30, 4, 1985 },
	{ "Eirik", "Brekke", "Lærer", "staff", 1, 0, 12, 12, 1991 },
	{ "Live", "Mo", "Helsesykepleier", "staff", 2, 1, 7, 7, 1983 },
	{ "Nils", "Dahle", "PP-rådgiver", "staff", 3, 1, 19, 1, 1979 },
	{ "Oda", "Strand", "Barnevernspedagog", "staff", 4, 1, 25, 3, 1986 },
};

static const struct {
	const char *given, *family;
	int day, month, year;
	const char *state;
	int holder; /* index in demo_staff */
	int unit;
	const char *guardians[2][2];
	int gyear;
} demo_logs[] = {
	{ "Emma",
	  "Fjelltun",
	  4,
	  5,
	  2021,
	  "active",
	  2,
	  0,
	  { { "Kari", "Fjelltun" }, { "Per", "Fjelltun" } },
	  1990 },
	{ "Jonas",
	  "Bergli",
	  17,
	  8,
	  2015,
	  "active",
	  4,
	  1,
	  { { "Siri", "Bergli" }, { "Ola", "Nordvik" } },
	  1984 },
	{ "Sofie",
	  "Lundegård",
	  9,
	  2,
	  2016,
	  "passive",
	  4,
	  1,
	  { { "Anne", "Lundegård" }, { NULL, NULL } },
	  1987 },
	{ "Aksel",
	  "Rønning",
	  28,
	  10,
	  2020,
	  "draft",
	  2,
	  0,
	  { { "Maria", "Rønning" }, { "Jon", "Rønning" } },
	  1992 },
	{ "Nora", "Kvamme", 11, 1, 2014, "closed", 4, 1, { { "Tone", "Kvamme" }, { NULL, NULL } }, 1982 },
};

/* The demo's consents: every log past its draft has each guardian's
 * signed consent to establish it and to cooperation with its own unit and
 * PPT, recorded by its holder; Jonas Bergli's ends in 20 days (the warning
 * shows). consent_recompute derives the rest, as the programs do. */
struct demo_log_row {
	int64_t id;
	int64_t holder;
	int64_t unit;
	char *family;
};
static const struct db_col demo_log_cols[] = {
	DB_COL(struct demo_log_row, id, DB_I64),
	DB_COL(struct demo_log_row, holder, DB_I64),
	DB_COL(struct demo_log_row, unit, DB_I64),
	DB_COL(struct demo_log_row, family, DB_STR),
};
static const struct db_map demo_log_map = DB_MAP(struct demo_log_row, demo_log_cols);

static int demo_consents(int64_t muni)
{
	struct demo_log_row *logs;
	struct id_row ppt, *guardians;
	if (db_select_one(&id_map, &ppt, "SELECT id FROM unit WHERE municipality_id = ? AND name = ?", "is",
			  (long long)muni, "PPT Fjordvik") != 1)
		return -1;
	int n = db_select(&demo_log_map, &logs,
			  "SELECT l.id, l.holder_person_id, l.unit_id, p.family_name FROM log l"
			  " JOIN person p ON p.id = l.subject_person_id"
			  " WHERE l.municipality_id = ? AND l.state <> 'draft' ORDER BY l.id",
			  "i", (long long)muni);
	for (int i = 0; i < n; i++) {
		/* Two years after it was given, as Fjordvik's setting says. */
		int age = strcmp(logs[i].family, "Bergli") == 0 ? 710 : 100;
		int ng = db_select(
			&id_map, &guardians,
			"SELECT person_id FROM log_guardian WHERE municipality_id = ? AND log_id = ?"
			" ORDER BY id",
			"ii", (long long)muni, (long long)logs[i].id);
		if (ng < 0)
			return -1;
		for (int g = 0; g < ng; g++) {
			for (int k = 0; k < 2; k++) {
				if (db_exec("INSERT INTO consent (municipality_id, log_id, kind, person_id, "
					    "method,"
					    " given_at, valid_until, recorded_by) VALUES (?, ?, ?, ?, "
					    "'signed_form',"
					    " DATE_SUB(CURRENT_DATE, INTERVAL ? DAY),"
					    " DATE_ADD(DATE_SUB(CURRENT_DATE, INTERVAL ? DAY), INTERVAL 2 "
					    "YEAR), ?)",
					    "iisiiii", (long long)muni, (long long)logs[i].id,
					    k ? "cooperate" : "establish", (long long)guardians[g].id,
					    (long long)age, (long long)age, (long long)logs[i].holder) < 0)
					return -1;
				int64_t consent = db_last_id();
				if (k &&
				    (db_exec("INSERT INTO consent_scope (consent_id, unit_id) VALUES (?, ?), "
					     "(?, ?)",
					     "iiii", (long long)consent, (long long)logs[i].unit,
					     (long long)consent, (long long)ppt.id) < 0))
					return -1;
			}
		}
		struct session s = { .municipality_id = muni, .person_id = logs[i].holder };
		if (consent_recompute(&s, logs[i].id) < 0)
			return -1;
	}
	return n < 0 ? -1 : 0;
}

/* The demo's concerns (DOMAIN.md §8): Emma Fjelltun's and Jonas Bergli's
 * logs get basic data, the child's voice and a concern or two with their
 * development areas, written by their holders. */
static const struct {
	const char *family; /* the subject's */
	const char *title;
	const char *description;
	const char *areas[3]; /* development_area codes */
} demo_concern_rows[] = {
	{ "Fjelltun",
	  "Språk og samspill",
	  "Bruker få ord og trekker seg ofte unna leken med de andre barna.",
	  { "language", "social", NULL } },
	{ "Fjelltun",
	  "Søvn og uro",
	  "Foreldrene forteller om urolige netter etter flyttingen.",
	  { "home", NULL } },
	{ "Bergli",
	  "Fravær fra skolen",
	  "Mye fravær siste halvår, særlig mandager.",
	  { "absence", "wellbeing", NULL } },
};

static int demo_concerns(int64_t muni)
{
	for (size_t i = 0; i < sizeof demo_concern_rows / sizeof demo_concern_rows[0]; i++) {
		struct id_row log;
		if (db_select_one(&id_map, &log,
				  "SELECT l.id FROM log l JOIN person p ON p.id = l.subject_person_id"
				  " WHERE l.municipality_id = ? AND p.family_name = ?",
				  "is", (long long)muni, demo_concern_rows[i].family) != 1)
			return -1;
		if (db_exec("UPDATE log SET basic_info = COALESCE(basic_info, ?), child_voice = "
			    "COALESCE(child_voice, ?)"
			    " WHERE id = ?",
			    "ssi", "Samarbeid mellom barnehage/skole, helsestasjon og PPT.",
			    "Jeg vil være med de andre, men det er vanskelig å si det jeg mener.",
			    (long long)log.id) < 0 ||
		    db_exec("INSERT INTO concern (municipality_id, log_id, title, description, created_by)"
			    " SELECT ?, id, ?, ?, holder_person_id FROM log WHERE id = ?",
			    "issi", (long long)muni, demo_concern_rows[i].title,
			    demo_concern_rows[i].description, (long long)log.id) < 0)
			return -1;
		int64_t concern = db_last_id();
		for (int a = 0; a < 3 && demo_concern_rows[i].areas[a]; a++)
			if (db_exec("INSERT INTO concern_area (concern_id, area_id) SELECT ?, id FROM "
				    "development_area"
				    " WHERE municipality_id IS NULL AND code = ?",
				    "is", (long long)concern, demo_concern_rows[i].areas[a]) < 0)
				return -1;
	}
	return 0;
}

/* The demo's goals, measures, evaluations, notes and a glimpse of light
 * (DOMAIN.md §1, §8), written through lib/measure.c and lib/note.c as the
 * programs write them: Emma Fjelltun's log gets goals under its concerns,
 * measures for her holder and for Nils Dahle of PPT (who becomes an actor;
 * the consent covers PPT), an evaluation, a note from her mother and a
 * glimpse of light; Jonas Bergli's a measure whose evaluation is due. If no
 * concern exists yet, one is made so the goals have somewhere to hang. */
struct demo_goal_row {
	int64_t log;
	int64_t holder;
	int64_t unit;
	int64_t concern;
};
static const struct db_col demo_goal_cols[] = {
	DB_COL(struct demo_goal_row, log, DB_I64),
	DB_COL(struct demo_goal_row, holder, DB_I64),
	DB_COL(struct demo_goal_row, unit, DB_I64),
	DB_COL(struct demo_goal_row, concern, DB_I64),
};
static const struct db_map demo_goal_map = DB_MAP(struct demo_goal_row, demo_goal_cols);

/* The log of the subject with this family name, its holder and unit, and its
 * first concern (made if there is none). */
static int demo_log_concern(int64_t muni, const char *family, struct demo_goal_row *out)
{
	if (db_select_one(&demo_goal_map, out,
			  "SELECT l.id, l.holder_person_id, l.unit_id,"
			  " (SELECT MIN(c.id) FROM concern c WHERE c.log_id = l.id)"
			  " FROM log l JOIN person p ON p.id = l.subject_person_id"
			  " WHERE l.municipality_id = ? AND p.family_name = ?",
			  "is", (long long)muni, family) != 1)
		return -1;
	if (out->concern == 0) {
		if (db_exec("INSERT INTO concern (municipality_id, log_id, title, created_by) VALUES (?, ?, "
			    "?, ?)",
			    "iisi", (long long)muni, (long long)out->log, "Trivsel",
			    (long long)out->holder) < 0)
			return -1;
		out->concern = db_last_id();
	}
	return 0;
}

static int demo_person_id(int64_t muni, const char *given, const char *family, int64_t *id)
{
	struct id_row r;
	if (db_select_one(
		    &id_map, &r,
		    "SELECT id FROM person WHERE municipality_id = ? AND given_name = ? AND family_name = ?",
		    "iss", (long long)muni, given, family) != 1)
		return -1;
	*id = r.id;
	return 0;
}

/* A date n days from today (UTC), as the database counts. */
static char *demo_day(int n)
{
	struct demo_day_row {
		char *d;
	} r;
	static const struct db_col cols[] = { DB_COL(struct demo_day_row, d, DB_STR) };
	static const struct db_map map = DB_MAP(struct demo_day_row, cols);
	if (db_select_one(&map, &r, "SELECT DATE_FORMAT(CURRENT_DATE + INTERVAL ? DAY, '%Y-%m-%d')", "i",
			  (long long)n) != 1)
		return NULL;
	return r.d;
}

static int demo_measures(int64_t muni)
{
	struct demo_goal_row emma, jonas;
	int64_t nils, ppt, kari, goal, measure, note;
	struct id_row r;
	enum measure_outcome o;
	bool found;
	if (demo_log_concern(muni, "Fjelltun", &emma) < 0 || demo_log_concern(muni, "Bergli", &jonas) < 0 ||
	    demo_person_id(muni, "Nils", "Dahle", &nils) < 0 ||
	    demo_person_id(muni, "Kari", "Fjelltun", &kari) < 0 ||
	    db_select_one(&id_map, &r, "SELECT id FROM unit WHERE municipality_id = ? AND name = ?", "is",
			  (long long)muni, "PPT Fjordvik") != 1)
		return -1;
	ppt = r.id;
	struct session holder = { .municipality_id = muni, .person_id = emma.holder };
	struct session pp = { .municipality_id = muni, .person_id = nils };
	struct session mother = { .municipality_id = muni, .person_id = kari };
	struct measure_input in = {
		.description = "Språkgruppe i barnehagen to ganger i uka, med bildestøtte.",
		.responsible_person_id = emma.holder,
		.responsible_unit_id = emma.unit,
		.start_date = demo_day(-30),
		.deadline = demo_day(60),
		.evaluation_date = demo_day(10),
		.status = "ongoing",
	};
	if (measure_add_goal(&holder, emma.log, emma.concern,
			     "Emma bruker flere ord når hun leker med andre barn.", &goal, &o) < 0 ||
	    measure_add(&holder, emma.log, goal, &in, &measure, &o) < 0 || o != MEASURE_DONE)
		return -1;
	in.description = "Språkkartlegging, og råd til barnehagen om hvordan Emma kan støttes.";
	in.responsible_person_id = nils;
	in.responsible_unit_id = ppt;
	in.start_date = demo_day(-20);
	in.deadline = demo_day(25);
	in.evaluation_date = demo_day(-2);
	if (measure_add(&holder, emma.log, goal, &in, &measure, &o) < 0 || o != MEASURE_DONE ||
	    measure_evaluate(&pp, emma.log, measure, "partly",
			     "Kartleggingen er gjort; rådene er gitt, oppfølging i neste møte.", &o) < 0 ||
	    note_add(&mother, emma.log, emma.concern, "Emma fortalte selv om turen i barnehagen i går!", true,
		     &note, &found) < 0 ||
	    note_add(&holder, emma.log, 0, "Foreldremøte avtalt neste uke.", false, &note, &found) < 0)
		return -1;
	struct session hanne = { .municipality_id = muni, .person_id = jonas.holder };
	in = (struct measure_input){
		.description = "Fast samtale med kontaktlærer hver mandag morgen.",
		.responsible_person_id = jonas.holder,
		.responsible_unit_id = jonas.unit,
		.start_date = demo_day(-45),
		.deadline = demo_day(45),
		.evaluation_date = demo_day(-5),
		.status = "ongoing",
	};
	if (measure_add_goal(&hanne, jonas.log, jonas.concern, "Jonas er på skolen hver dag.", &goal, &o) <
		    0 ||
	    measure_add(&hanne, jonas.log, goal, &in, &measure, &o) < 0 || o != MEASURE_DONE)
		return -1;
	return 0;
}

/* Nordheim herad: a school, its leader and a cleared teacher, so a log can
 * be handed over to another municipality (the log moves there). */
static int demo_nordheim(int *seq)
{
	struct id_row r;
	if (db_select_one(&id_map, &r, "SELECT id FROM municipality WHERE slug = ?", "s", "nordheim") != 1 ||
	    db_exec("INSERT INTO unit (municipality_id, kind, name) VALUES (?, 'school', ?)", "is",
		    (long long)r.id, "Nordheim skule") < 0)
		return -1;
	int64_t muni = r.id, unit = db_last_id();
	static const struct {
		const char *given, *family, *title, *role;
		int day, month, year;
	} people[] = {
		{ "Aslaug", "Rinde", "Rektor", "leader", 9, 10, 1970 },
		{ "Torunn", "Kvåle", "Kontaktlærar", "staff", 17, 8, 1984 },
	};
	for (size_t i = 0; i < sizeof people / sizeof people[0]; i++) {
		const char *nin = synthetic_nin(people[i].day, people[i].month, people[i].year, (*seq)++);
		char *email = arena_printf("tilsett%zu@nordheim.example", i + 1);
		int64_t p = add_person(muni, people[i].given, people[i].family, people[i].title, email, nin);
		if (p < 0 ||
		    db_exec("INSERT INTO staff_role (municipality_id, person_id, unit_id, role, cleared_at)"
			    " VALUES (?, ?, ?, ?, IF(? = 'staff', CURRENT_TIMESTAMP(3), NULL))",
			    "iiiss", (long long)muni, (long long)p, (long long)unit, people[i].role,
			    people[i].role) < 0)
			return -1;
		printf("%-10s %-10s %-12s %s\n", people[i].given, people[i].family, people[i].role, nin);
	}
	return 0;
}

static int demo(void)
{
	struct id_row r;
	int rc = db_select_one(&id_map, &r, "SELECT id FROM municipality WHERE slug = ?", "s", "fjordvik");
	if (rc < 0)
		return -1;
	if (rc == 1) {
		printf("demo data already loaded\n");
		return 0;
	}
	if (db_begin() < 0)
		return -1;
	if (db_exec("INSERT INTO municipality (slug, name, default_lang, consent_age) VALUES"
		    " (?, ?, 'nb', 15), (?, ?, 'nn', 16)",
		    "ssss", "fjordvik", "Fjordvik kommune", "nordheim", "Nordheim herad") < 0)
		goto fail;
	if (db_select_one(&id_map, &r, "SELECT id FROM municipality WHERE slug = ?", "s", "fjordvik") != 1)
		goto fail;
	int64_t muni = r.id, units[5], staff[sizeof demo_staff / sizeof demo_staff[0]];
	for (size_t i = 0; i < 5; i++) {
		if (db_exec("INSERT INTO unit (municipality_id, kind, name) VALUES (?, ?, ?)", "iss",
			    (long long)muni, demo_units[i].kind, demo_units[i].name) < 0)
			goto fail;
		units[i] = db_last_id();
	}
	int seq = 0;
	for (size_t i = 0; i < sizeof demo_staff / sizeof demo_staff[0]; i++) {
		const char *nin =
			synthetic_nin(demo_staff[i].day, demo_staff[i].month, demo_staff[i].year, seq++);
		char *email = arena_printf("ansatt%zu@fjordvik.example", i + 1);
		staff[i] = add_person(muni, demo_staff[i].given, demo_staff[i].family, demo_staff[i].title,
				      email, nin);
		if (staff[i] < 0)
			goto fail;
		int u = demo_staff[i].unit;
		if (db_exec("INSERT INTO staff_role (municipality_id, person_id, unit_id, role,"
			    " cleared_at) VALUES (?, ?, ?, ?, IF(?, CURRENT_TIMESTAMP(3), NULL))",
			    "iiIsi", (long long)muni, (long long)staff[i], u >= 0 ? (long long)units[u] : 0LL,
			    demo_staff[i].role, (long long)demo_staff[i].cleared) < 0)
			goto fail;
		printf("%-10s %-10s %-12s %s\n", demo_staff[i].given, demo_staff[i].family,
		       demo_staff[i].role, nin);
	}
	for (size_t i = 0; i < sizeof demo_logs / sizeof demo_logs[0]; i++) {
		const char *nin =
			synthetic_nin(demo_logs[i].day, demo_logs[i].month, demo_logs[i].year, seq++);
		int64_t child = add_person(muni, demo_logs[i].given, demo_logs[i].family, NULL, NULL, nin);
		if (child < 0)
			goto fail;
		if (db_exec("INSERT INTO log (municipality_id, subject_person_id, subject_kind,"
			    " holder_person_id, unit_id, state, bti_level) VALUES (?, ?, 'child', ?, ?, ?, "
			    "2)",
			    "iiiis", (long long)muni, (long long)child, (long long)staff[demo_logs[i].holder],
			    (long long)units[demo_logs[i].unit], demo_logs[i].state) < 0)
			goto fail;
		int64_t log_id = db_last_id();
		for (int g = 0; g < 2 && demo_logs[i].guardians[g][0]; g++) {
			const char *gnin =
				synthetic_nin(1 + 3 * g + (int)i, 1 + (int)i, demo_logs[i].gyear - g, seq++);
			char *email = arena_printf("foresatt%zu%c@fjordvik.example", i + 1, 'a' + g);
			int64_t gp = add_person(muni, demo_logs[i].guardians[g][0],
						demo_logs[i].guardians[g][1], NULL, email, gnin);
			if (gp < 0 ||
			    db_exec("INSERT INTO log_guardian (municipality_id, log_id,"
				    " person_id) VALUES (?, ?, ?)",
				    "iii", (long long)muni, (long long)log_id, (long long)gp) < 0)
				goto fail;
			printf("%-10s %-10s %-12s %s\n", demo_logs[i].guardians[g][0],
			       demo_logs[i].guardians[g][1], "guardian", gnin);
		}
	}
	if (demo_nordheim(&seq) < 0)
		goto fail;
	if (demo_consents(muni) < 0)
		goto fail;
	if (demo_concerns(muni) < 0)
		goto fail;
	if (demo_measures(muni) < 0)
		goto fail;
	/* Sofie Lundegård's log was made passive by her holder 47 days ago, as
	 * the history would have it: the unit's leader sees for how long. */
	if (db_exec("INSERT INTO log_history (municipality_id, log_id, person_id, at, entity, entity_id,"
		    " field, old_value, new_value) SELECT municipality_id, id, holder_person_id,"
		    " NOW(3) - INTERVAL 47 DAY, 'log', id, 'state', 'active', 'passive' FROM log"
		    " WHERE municipality_id = ? AND state = 'passive'",
		    "i", (long long)muni) < 0)
		goto fail;
	if (db_commit() < 0)
		return -1;
	printf("demo data loaded\n");
	return 0;
fail:
	fprintf(stderr, "demo: %s\n", db_error());
	db_rollback();
	return -1;
}

/* Registers (or replaces) a municipality's OpenID Connect client at
 * ID-porten: issuer, client id and secret; the secret is stored sealed. */
static int oidc_client(const char *slug, const char *issuer, const char *client_id, const char *secret)
{
	size_t n = strlen(secret);
	if (n == 0 || n > 500) {
		fprintf(stderr, "oidc-client: the secret must be 1 to 500 characters\n");
		return -1;
	}
	unsigned char *sealed = arena_alloc(n + CRYPTO_SEAL_OVERHEAD);
	int key = crypto_seal(secret, n, sealed);
	if (key < 0)
		return -1;
	int rc = db_exec("INSERT INTO municipality_oidc (municipality_id, issuer, client_id, secret_sealed,"
			 " secret_key_id) SELECT id, ?, ?, ?, ? FROM municipality WHERE slug = ?"
			 " ON DUPLICATE KEY UPDATE issuer = VALUES(issuer), client_id = VALUES(client_id),"
			 " secret_sealed = VALUES(secret_sealed), secret_key_id = VALUES(secret_key_id),"
			 " version = municipality_oidc.version + 1",
			 "ssbis", issuer, client_id, sealed, n + CRYPTO_SEAL_OVERHEAD, (long long)key, slug);
	if (rc < 0) {
		fprintf(stderr, "oidc-client: %s\n", db_error());
		return -1;
	}
	if (rc == 0) {
		fprintf(stderr, "oidc-client: no municipality %s\n", slug);
		return -1;
	}
	printf("OpenID Connect client registered for %s\n", slug);
	return 0;
}

/* Sets (or replaces) the folder a municipality's archive copies are
 * delivered to (municipality_archive, channel 'folder'; the application may
 * only change it). PATH must be an absolute path to a folder that exists. */
static int archive_folder(const char *slug, const char *path)
{
	if (path[0] != '/' || strlen(path) > 500) {
		fprintf(stderr, "archive-folder: PATH must be an absolute path of at most 500 characters\n");
		return -1;
	}
	DIR *d = opendir(path);
	if (!d) {
		fprintf(stderr, "archive-folder: %s is not a folder that can be read\n", path);
		return -1;
	}
	closedir(d);
	int rc = db_exec("INSERT INTO municipality_archive (municipality_id, channel, folder)"
			 " SELECT id, 'folder', ? FROM municipality WHERE slug = ?"
			 " ON DUPLICATE KEY UPDATE channel = 'folder', folder = VALUES(folder)",
			 "ss", path, slug);
	if (rc < 0) {
		fprintf(stderr, "archive-folder: %s\n", db_error());
		return -1;
	}
	if (rc == 0) {
		struct id_row m;
		rc = db_select_one(&id_map, &m, "SELECT id FROM municipality WHERE slug = ?", "s", slug);
		if (rc != 1) {
			fprintf(stderr, "archive-folder: no municipality %s\n", slug);
			return -1;
		}
	}
	printf("archive copies of %s go to %s\n", slug, path);
	return 0;
}

/* --- the audit trail and the keys ---------------------------------------- */

/* Exit 0 and "intact" when the whole chain verifies, else 1 naming the first
 * row that does not (a database error also exits 1, with its message). */
static int verify_audit(void)
{
	int64_t rows, bad;
	int rc = audit_verify(&rows, &bad);
	if (rc < 0) {
		fprintf(stderr, "verify-audit: %s\n", db_error());
		return -1;
	}
	if (rc == 1 && bad < 0) {
		printf("audit trail broken at the head: audit_head does not match the last row\n");
		return -1;
	}
	if (rc == 1) {
		printf("audit trail broken at row %lld\n", (long long)bad);
		return -1;
	}
	printf("audit trail intact: %lld rows\n", (long long)rows);
	return 0;
}

struct sealed_row {
	int64_t id;
	struct db_blob hash;
	struct db_blob sealed;
	int key_id;
};
static const struct db_col sealed_cols[] = {
	DB_COL(struct sealed_row, id, DB_I64),
	DB_COL(struct sealed_row, hash, DB_BLOB),
	DB_COL(struct sealed_row, sealed, DB_BLOB),
	DB_COL(struct sealed_row, key_id, DB_INT),
};
static const struct db_map sealed_map = DB_MAP(struct sealed_row, sealed_cols);

/* The sealed columns. Rows are found by a number (id) or, for sessions, by
 * bytes (hash); each SELECT takes the current key id and locks what it finds. */
static const struct rekey_table {
	const char *name;
	bool binary_key;
	const char *select_sql;
	const char *update_sql;
} rekey_tables[] = {
	{ "person", false,
	  "SELECT id, NULL, nin_sealed, nin_key_id FROM person WHERE nin_key_id <> ? FOR UPDATE",
	  "UPDATE person SET nin_sealed = ?, nin_key_id = ? WHERE id = ?" },
	{ "municipality_oidc", false,
	  "SELECT municipality_id, NULL, secret_sealed, secret_key_id FROM municipality_oidc"
	  " WHERE secret_key_id <> ? FOR UPDATE",
	  "UPDATE municipality_oidc SET secret_sealed = ?, secret_key_id = ? WHERE municipality_id = ?" },
	{ "archive_record", false,
	  "SELECT id, NULL, snapshot, snapshot_key_id FROM archive_record"
	  " WHERE snapshot IS NOT NULL AND snapshot_key_id <> ? FOR UPDATE",
	  "UPDATE archive_record SET snapshot = ?, snapshot_key_id = ? WHERE id = ?" },
	{ "session", true,
	  "SELECT 0, id_hash, id_token_sealed, id_token_key_id FROM session"
	  " WHERE id_token_sealed IS NOT NULL AND id_token_key_id <> ? FOR UPDATE",
	  "UPDATE session SET id_token_sealed = ?, id_token_key_id = ? WHERE id_hash = ?" },
};

/* Opens one value and seals it again under the current key into out (same
 * length); the plain text is wiped. The new key id, or -1. */
static int reseal(const struct sealed_row *r, unsigned char *out)
{
	if (r->sealed.len < CRYPTO_SEAL_OVERHEAD)
		return -1;
	size_t n = r->sealed.len - CRYPTO_SEAL_OVERHEAD;
	unsigned char *plain = arena_alloc(n + 1);
	int key = -1;
	if (crypto_open(r->key_id, r->sealed.data, r->sealed.len, plain) == 0)
		key = crypto_seal(plain, n, out);
	crypto_wipe(plain, n);
	return key;
}

/* Re-seals every value of t not under the current key; the count, or -1. */
static int rekey_table(const struct rekey_table *t, int current)
{
	struct sealed_row *rows;
	int n = db_select(&sealed_map, &rows, t->select_sql, "i", (long long)current);
	for (int i = 0; i < n; i++) {
		const struct sealed_row *r = &rows[i];
		unsigned char *out = arena_alloc(r->sealed.len);
		int key = reseal(r, out);
		if (key < 0) {
			fprintf(stderr, "rekey: a value in %s under key %d does not open (key file?)\n",
				t->name, r->key_id);
			return -1;
		}
		int rc;
		if (t->binary_key)
			rc = db_exec(t->update_sql, "bib", out, r->sealed.len, (long long)key, r->hash.data,
				     r->hash.len);
		else
			rc = db_exec(t->update_sql, "bii", out, r->sealed.len, (long long)key,
				     (long long)r->id);
		if (rc != 1)
			return -1;
	}
	return n < 0 ? -1 : n;
}

/* Every sealed value under the key that now encrypts (the last aes line of
 * the key file), in one transaction, recorded in the audit trail. Old keys
 * stay in the file until this has run. */
static int rekey(void)
{
	enum { NTABLES = sizeof rekey_tables / sizeof rekey_tables[0] };
	int current = crypto_current_key_id(), counts[NTABLES], total = 0;
	if (db_begin() < 0)
		return -1;
	for (size_t i = 0; i < NTABLES; i++) {
		counts[i] = rekey_table(&rekey_tables[i], current);
		if (counts[i] < 0)
			goto fail;
		total += counts[i];
	}
	struct audit_entry e = { .role = "system", .action = "keys.rekey", .outcome = "ok" };
	if (audit_append(&e) < 0 || db_commit() < 0)
		goto fail;
	printf("re-encrypted %d value(s) under key %d:", total, current);
	for (size_t i = 0; i < NTABLES; i++)
		printf(" %s %d", rekey_tables[i].name, counts[i]);
	putchar('\n');
	return 0;
fail:
	fputs("rekey: nothing changed\n", stderr);
	db_rollback();
	return -1;
}

/* The first municipality and its administrator come from the operator; the
 * administrator creates units and leaders in the web interface (DOMAIN.md §8). */
static int add_municipality(const char *slug, const char *name, const char *lang, const char *age)
{
	if (strspn(slug, "abcdefghijklmnopqrstuvwxyz-") != strlen(slug) || !*slug || strlen(slug) > 40 ||
	    (strcmp(lang, "nb") != 0 && strcmp(lang, "nn") != 0) ||
	    (strcmp(age, "15") != 0 && strcmp(age, "16") != 0)) {
		fprintf(stderr, "municipality: SLUG is a-z and '-', LANG nb or nn, CONSENT_AGE 15 or 16\n");
		return -1;
	}
	if (db_exec("INSERT INTO municipality (slug, name, default_lang, consent_age) VALUES (?, ?, ?, ?)",
		    "sssi", slug, name, lang, atoll(age)) < 0) {
		fprintf(stderr, "municipality: %s\n", db_error());
		return -1;
	}
	printf("municipality %s added\n", slug);
	return 0;
}

static int add_administrator(const char *slug, const char *given, const char *family)
{
	char nin[64] = "";
	if (!fgets(nin, sizeof nin, stdin))
		return -1;
	nin[strcspn(nin, "\r\n")] = '\0';
	if (!nin_valid(nin)) {
		fprintf(stderr,
			"administrator: the number on standard input is not a valid identity number\n");
		return -1;
	}
	struct id_row m;
	if (db_select_one(&id_map, &m, "SELECT id FROM municipality WHERE slug = ?", "s", slug) != 1) {
		fprintf(stderr, "administrator: no municipality %s\n", slug);
		return -1;
	}
	unsigned char mac[CRYPTO_HMAC_LEN];
	struct id_row p;
	if (crypto_lookup_hash(nin, strlen(nin), mac) < 0 || db_begin() < 0)
		return -1;
	int rc =
		db_select_one(&id_map, &p, "SELECT id FROM person WHERE municipality_id = ? AND nin_hmac = ?",
			      "ib", (long long)m.id, mac, sizeof mac);
	if (rc == 0)
		p.id = add_person(m.id, given, family, "Administrator", NULL, nin);
	crypto_wipe(nin, sizeof nin);
	if (rc < 0 || p.id < 0 ||
	    db_exec("INSERT INTO staff_role (municipality_id, person_id, unit_id, role) VALUES (?, ?, NULL, "
		    "'admin')",
		    "ii", (long long)m.id, (long long)p.id) < 0 ||
	    db_commit() < 0) {
		fprintf(stderr, "administrator: %s\n", db_error());
		db_rollback();
		return -1;
	}
	printf("administrator added to %s\n", slug);
	return 0;
}

/* A test mail to ADDRESS through the outbox, as the programs queue theirs:
 * the operator sees that the mailer, the relay and the recipient's mail
 * server (SPF, DKIM) let Stafett's mail through. In the first
 * municipality's name and language unless LANG is given. */
static int mail_test(const char *to, const char *name, const char *lang)
{
	struct muni {
		int64_t id;
		char *name;
		char *lang;
	} m;
	static const struct db_col cols[] = { DB_COL(struct muni, id, DB_I64),
					      DB_COL(struct muni, name, DB_STR),
					      DB_COL(struct muni, lang, DB_STR) };
	static const struct db_map map = DB_MAP(struct muni, cols);
	if (!mail_address_ok(to) ||
	    (lang && strcmp(lang, "nb") != 0 && strcmp(lang, "nn") != 0 && strcmp(lang, "en") != 0)) {
		fprintf(stderr,
			"mail-test: ADDRESS is a plain address (name@example.no), LANG nb, nn or en\n");
		return -1;
	}
	if (db_select_one(&map, &m, "SELECT id, name, default_lang FROM municipality ORDER BY id LIMIT 1",
			  "") != 1) {
		fprintf(stderr, "mail-test: no municipality yet\n");
		return -1;
	}
	struct outbox_mail mail = {
		.municipality_id = m.id,
		.kind = "test",
		.to = to,
		.lang = lang ? lang : m.lang,
		.params = outbox_params("to_name", name, "municipality", m.name, "link", "/",
					(const char *)NULL),
	};
	int64_t id;
	struct audit_entry e = {
		.municipality_id = m.id, .role = "system", .action = "mail.test", .outcome = "ok"
	};
	if (db_begin() < 0 || outbox_queue(&mail, &id) != 0 || audit_append(&e) < 0 || db_commit() < 0) {
		fprintf(stderr, "mail-test: not queued: %s\n", db_error());
		db_rollback();
		return -1;
	}
	printf("test mail queued as outbox %lld; the mailer sends it\n", (long long)id);
	return 0;
}

static int usage(void)
{
	fputs("usage: stafett-admin migrate [SQLDIR] | demo | config [NAME]\n"
	      "       stafett-admin municipality SLUG NAME LANG CONSENT_AGE\n"
	      "       stafett-admin administrator SLUG GIVEN FAMILY  (identity number on stdin)\n"
	      "       stafett-admin oidc-client SLUG ISSUER CLIENT_ID SECRET|-\n"
	      "       stafett-admin verify-audit | rekey\n"
	      "       stafett-admin mail-test ADDRESS [NAME [LANG]]\n"
	      "       stafett-admin archive-folder SLUG PATH\n",
	      stderr);
	return 2;
}

int main(int argc, char **argv)
{
	log_init("stafett-admin", false);
	if (argc < 2)
		return usage();
	if (config_load(NULL) < 0)
		return 1;
	const char *cmd = argv[1];
	if (strcmp(cmd, "config") == 0) {
		if (argc > 2)
			puts(config_str(argv[2]));
		else
			config_dump();
		return 0;
	}
	if (db_connect("database_admin") < 0) {
		fprintf(stderr, "cannot connect to the database: %s\n", db_error());
		return 1;
	}
	int rc;
	if (strcmp(cmd, "migrate") == 0) {
		rc = migrate(argc > 2 ? argv[2] : "sql");
	} else if (strcmp(cmd, "oidc-client") == 0 && argc == 6) {
		/* The secret comes on standard input when given as "-", so it
		 * need not appear in a process list. */
		char line[512] = "";
		const char *secret = argv[5];
		if (strcmp(secret, "-") == 0) {
			if (!fgets(line, sizeof line, stdin))
				return usage();
			line[strcspn(line, "\r\n")] = '\0';
			secret = line;
		}
		rc = crypto_load_keys(config_str("crypto.key_file")) < 0
			? -1
			: oidc_client(argv[2], argv[3], argv[4], secret);
	} else if (strcmp(cmd, "municipality") == 0 && argc == 6) {
		rc = add_municipality(argv[2], argv[3], argv[4], argv[5]);
	} else if (strcmp(cmd, "administrator") == 0 && argc == 5) {
		rc = crypto_load_keys(config_str("crypto.key_file")) < 0
			? -1
			: add_administrator(argv[2], argv[3], argv[4]);
	} else if (strcmp(cmd, "verify-audit") == 0) {
		rc = verify_audit();
	} else if (strcmp(cmd, "rekey") == 0) {
		rc = crypto_load_keys(config_str("crypto.key_file")) < 0 ? -1 : rekey();
	} else if (strcmp(cmd, "mail-test") == 0 && argc >= 3 && argc <= 5) {
		rc = crypto_load_keys(config_str("crypto.key_file")) < 0
			? -1
			: mail_test(argv[2], argc > 3 ? argv[3] : NULL, argc > 4 ? argv[4] : NULL);
	} else if (strcmp(cmd, "archive-folder") == 0 && argc == 4) {
		rc = archive_folder(argv[2], argv[3]);
	} else if (strcmp(cmd, "demo") == 0) {
		rc = crypto_load_keys(config_str("crypto.key_file")) < 0 ? -1 : demo();
	} else {
		return usage();
	}
	db_close();
	return rc < 0 ? 1 : 0;
}
