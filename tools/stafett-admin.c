/* stafett-admin — the operator's command-line tool.
 *   stafett-admin migrate [SQLDIR]   apply sql/NNN_*.sql not yet applied, in order
 *   stafett-admin demo               load the invented demo municipality (once)
 *   stafett-admin config [NAME]      print one setting, or all (for scripts)
 * Uses the admin database connection (DDL) for migrate and demo. */
#include <dirent.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "nin.h"

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
	if (db_commit() < 0)
		return -1;
	printf("demo data loaded\n");
	return 0;
fail:
	fprintf(stderr, "demo: %s\n", db_error());
	db_rollback();
	return -1;
}

static int usage(void)
{
	fputs("usage: stafett-admin migrate [SQLDIR] | demo | config [NAME]\n", stderr);
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
	} else if (strcmp(cmd, "demo") == 0) {
		rc = crypto_load_keys(config_str("crypto.key_file")) < 0 ? -1 : demo();
	} else {
		return usage();
	}
	db_close();
	return rc < 0 ? 1 : 0;
}
