/* stafett-pdf — the log's PDF/A from the command line (lib/logpdf.h):
 *
 *   stafett-pdf SLUG LOG_ID OUT.pdf   the log as the holder downloads it,
 *                                      written to OUT.pdf (a new file)
 *   stafett-pdf --bench [RUNS [OUT]]  `make bench`: the PDF/A of a generated
 *                                      log with 50 measures and 20 meetings,
 *                                      made RUNS times (9), the median time
 *
 * An operator's tool: it reads what the configuration's database account
 * may read and writes only OUT (and the private temporary folder); it
 * writes nothing to the audit trail, so it is not a way for staff to read
 * a log. The generated log is invented (no database). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "i18n.h"
#include "log.h"
#include "logdoc.h"
#include "logpdf.h"
#include "municipality.h"

static int usage(void)
{
	fputs("usage: stafett-pdf SLUG LOG_ID OUT.pdf | stafett-pdf --bench [RUNS [OUT.pdf]]\n", stderr);
	return EX_USAGE;
}

/* --- a generated log ---------------------------------------------------------- */

static const char *const words[] = {
	"språkgruppe", "lesestund",	     "bildestøtte", "foreldremøte",
	"kartlegging", "ærlige samtaler",    "øving",	    "små grupper",
	"pauser",      "tydelige beskjeder", "trygghet",    "overgangen til skolen",
};
#define NWORDS (sizeof words / sizeof words[0])

static const char *sentence(int seed, int n)
{
	struct buf b = { 0 };
	buf_adds(&b, "Vi jobber med ");
	for (int i = 0; i < n; i++)
		buf_addf(&b, "%s%s", words[(size_t)(seed * 7 + i * 5) % NWORDS], i + 1 < n ? ", " : "");
	buf_adds(&b, " hver uke, og ser på hvordan det går før neste evaluering.");
	return b.data;
}

static json_t *person(const char *given, const char *family, const char *title, const char *email)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?, s:n, s:b}", "given_name", given, "family_name",
			 family, "nin", "01010100000", "birth_date", "1985-01-01", "title", title, "email",
			 email, "phone", "protected_address", 0);
}

static const char *date_of(int day)
{
	struct tm t = { .tm_year = 126, .tm_mon = 0, .tm_mday = 5 + day, .tm_hour = 12 };
	time_t s = timegm(&t);
	gmtime_r(&s, &t);
	char out[16];
	strftime(out, sizeof out, "%Y-%m-%d", &t);
	return arena_strdup(out);
}

static const char *moment(int day)
{
	return arena_printf("%sT08:30:00.000Z", date_of(day));
}

/* A log in the shape of logdoc.h: 5 concerns with 2 goals of 5 measures
 * each (50 measures, each evaluated once), 20 meetings with 5 people and
 * approved minutes, 3 agreements of 2 versions, 20 notes, 20 messages. */
static json_t *generated(void)
{
	json_t *people = json_object(), *units = json_object();
	json_object_set_new(people, "p1", person("Åse", "Bjørnø", NULL, NULL));
	json_object_set_new(people, "p2", person("Kari", "Bjørnø", NULL, "kari@fjordvik.example"));
	json_object_set_new(people, "p3", person("Per", "Bjørnø", NULL, "per@fjordvik.example"));
	json_object_set_new(people, "p4", person("Marte", "Haugland", "Pedagogisk leder", NULL));
	json_object_set_new(people, "p5", person("Nils", "Dahle", "PP-rådgiver", NULL));
	json_object_set_new(people, "p6", person("Live", "Mo", "Helsesykepleier", NULL));
	json_object_set_new(units, "u1",
			    json_pack("{s:s, s:s, s:s}", "name", "Solsikken barnehage", "kind",
				      "kindergarten", "municipality", "fjordvik"));
	json_object_set_new(units, "u2",
			    json_pack("{s:s, s:s, s:s}", "name", "PPT Fjordvik", "kind", "ppt",
				      "municipality", "fjordvik"));
	json_object_set_new(units, "u3",
			    json_pack("{s:s, s:s, s:s}", "name", "Fjordvik helsestasjon", "kind",
				      "health_station", "municipality", "fjordvik"));

	json_t *concerns = json_array();
	int measure_no = 0;
	for (int c = 0; c < 5; c++) {
		json_t *goals = json_array();
		for (int g = 0; g < 2; g++) {
			json_t *measures = json_array();
			for (int m = 0; m < 5; m++, measure_no++) {
				json_t *ev = json_pack("[{s:s, s:s, s:s, s:s}]", "category", "partly", "text",
						       sentence(measure_no + 3, 2), "by", "p5", "created_at",
						       moment(measure_no + 30));
				json_array_append_new(
					measures,
					json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}",
						  "key", arena_printf("m%d", measure_no + 1), "description",
						  sentence(measure_no, 3), "responsible",
						  measure_no % 2 ? "p5" : "p4", "responsible_unit",
						  measure_no % 2 ? "u2" : "u1", "start_date",
						  date_of(measure_no), "deadline", date_of(measure_no + 120),
						  "evaluation_date", date_of(measure_no + 60), "status",
						  "ongoing", "created_by", "p4", "created_at",
						  moment(measure_no), "evaluations", ev));
			}
			json_array_append_new(goals,
					      json_pack("{s:s, s:s, s:s, s:o}", "key",
							arena_printf("g%d", c * 2 + g + 1), "text",
							sentence(c * 2 + g, 2), "created_by", "p4",
							"measures", measures));
		}
		json_array_append_new(concerns,
				      json_pack("{s:s, s:s, s:s, s:s, s:s, s:[s, s], s:o}", "key",
						arena_printf("c%d", c + 1), "title",
						arena_printf("Bekymring %d: språk og samspill", c + 1),
						"description", sentence(c, 4), "created_by", "p4",
						"created_at", moment(c), "areas", "language", "social",
						"goals", goals));
	}
	json_t *meetings = json_array();
	for (int i = 0; i < 20; i++) {
		json_t *participants =
			json_pack("[{s:s, s:s, s:b}, {s:s, s:s, s:b}, {s:s, s:s, s:b}, {s:s, s:s, s:b}, "
				  "{s:s, s:s, s:b}]",
				  "person", "p4", "relation", "holder", "attended", 1, "person", "p5",
				  "relation", "actor", "attended", 1, "person", "p6", "relation", "actor",
				  "attended", i % 3 != 0, "person", "p2", "relation", "guardian", "attended",
				  1, "person", "p3", "relation", "guardian", "attended", i % 2);
		json_t *minutes = json_pack(
			"{s:s, s:b, s:b, s:b, s:s, s:s, s:s, s:s, s:s, s:s, s:[s, s], s:[{s:s, s:s, s:s, "
			"s:s}]}",
			"key", arena_printf("mr%d", i + 1), "child_took_part", i % 2, "guardians_took_part",
			1, "leader_took_part", 0, "decisions", sentence(i + 40, 4), "next_meeting",
			"Om seks uker, samme sted.", "approved_at", moment(i * 9 + 1), "approved_by", "p4",
			"created_by", "p4", "created_at", moment(i * 9), "measures",
			arena_printf("m%d", i + 1), arena_printf("m%d", i + 21), "entries", "kind", "comment",
			"person", "p2", "text", "Takk for et godt møte; vi prøver det hjemme også.",
			"created_at", moment(i * 9 + 2));
		json_array_append_new(meetings,
				      json_pack("{s:s, s:s, s:i, s:s, s:n, s:s, s:n, s:s, s:o, s:o}", "key",
						arena_printf("mo%d", i + 1), "starts_at", moment(i * 9),
						"minutes", 60, "place", "Møterommet på Solsikken",
						"video_url", "agenda",
						"1. Hvordan går det?\n2. Tiltakene\n3. Veien videre",
						"cancelled_at", "created_by", "p4", "participants",
						participants, "minutes_record", minutes));
	}
	json_t *agreements = json_array();
	for (int i = 0; i < 3; i++)
		json_array_append_new(
			agreements,
			json_pack("{s:s, s:s, s:[{s:i, s:s, s:s, s:s, s:s, s:s}, {s:i, s:s, s:s, s:s, s:s, "
				  "s:s}]}",
				  "key", arena_printf("ag%d", i + 1), "created_by", "p4", "versions",
				  "version", 1, "text", sentence(i + 60, 2), "parties",
				  "Foresatte, barnehagen og PPT", "agreed_on", date_of(i), "created_by", "p4",
				  "created_at", moment(i), "version", 2, "text", sentence(i + 61, 3),
				  "parties", "Foresatte, barnehagen, PPT og helsestasjonen", "agreed_on",
				  date_of(i + 40), "created_by", "p4", "created_at", moment(i + 40)));
	json_t *notes = json_array(), *messages = json_array();
	for (int i = 0; i < 20; i++) {
		json_array_append_new(notes,
				      json_pack("{s:s, s:s, s:s, s:b, s:s}", "key",
						arena_printf("n%d", i + 1), "author", i % 2 ? "p2" : "p4",
						"text", sentence(i + 80, 2), "glimpse", i % 3 == 0,
						"created_at", moment(i * 5)));
		json_array_append_new(messages,
				      json_pack("{s:s, s:s, s:s, s:s}", "key", arena_printf("ms%d", i + 1),
						"author", i % 2 ? "p3" : "p5", "text", sentence(i + 90, 1),
						"created_at", moment(i * 5 + 1)));
	}
	return json_pack(
		"{s:s, s:i, s:{s:s, s:s, s:s}, s:{s:i, s:s, s:n, s:s, s:i, s:s, s:s, s:s, s:n, s:n, s:s}, "
		"s:o, s:o,"
		" s:{s:s, s:n, s:n}, s:[{s:s, s:n, s:n, s:n, s:n}, {s:s, s:n, s:n, s:n, s:n}],"
		" s:[{s:s, s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:s, s:s}], s:{s:s, s:s},"
		" s:[{s:s, s:s, s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:s, s:s, s:s}],"
		" s:[{s:s, s:s}, {s:s, s:s}], s:o, s:o, s:o, s:o, s:o,"
		" s:[{s:s, s:s, s:s, s:s, s:s, s:s}]}",
		"format", "stafett-log", "version", 1, "municipality", "slug", "fjordvik", "name",
		"Fjordvik kommune", "language", "nb", "log", "reference", 4711, "subject_kind", "child",
		"expected_date", "state", "active", "bti_level", 2, "basic_info", sentence(1, 5),
		"child_voice", "Jeg vil være med de andre, men det er vanskelig.", "created_at", moment(0),
		"closed_at", "withdrawn_at", "consent_until", "2028-01-05", "people", people, "units", units,
		"subject", "person", "p1", "given_name", "family_name", "guardians", "person", "p2",
		"given_name", "family_name", "email", "phone", "person", "p3", "given_name", "family_name",
		"email", "phone", "actors", "key", "a1", "person", "p5", "unit", "u2", "task",
		"Språkkartlegging", "added_at", moment(1), "key", "a2", "person", "p6", "unit", "u3", "task",
		"Helsesamtaler", "added_at", moment(2), "holder", "person", "p4", "unit", "u1", "consents",
		"kind", "establish", "person", "p2", "method", "digital", "given_on", date_of(0),
		"valid_until", "2028-01-05", "created_at", moment(0), "kind", "cooperate", "person", "p2",
		"method", "digital", "given_on", date_of(0), "valid_until", "2028-01-05", "created_at",
		moment(0), "consent_services", "unit", "u2", "valid_until", "2028-01-05", "unit", "u3",
		"valid_until", "2028-01-05", "concerns", concerns, "meetings", meetings, "agreements",
		agreements, "notes", notes, "messages", messages, "history", "at", moment(0), "by", "p4",
		"entity", "log", "field", "state", "old", "draft", "new", "active");
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int bench(int runs, const char *out)
{
	json_t *doc = generated();
	if (!doc) {
		log_error("the generated document is malformed");
		return EX_SOFTWARE;
	}
	double *ms = xcalloc((size_t)runs, sizeof *ms);
	size_t len = 0;
	int pdfa = -1;
	char *pdf = NULL;
	for (int i = 0; i < runs; i++) {
		double t = now_ms();
		pdfa = logpdf_build(doc, "nb", &pdf, &len);
		ms[i] = now_ms() - t;
		if (pdfa < 0)
			return EX_SOFTWARE;
		if (i + 1 < runs)
			arena_reset();
	}
	if (out) {
		FILE *f = fopen(out, "wbx");
		if (!f || fwrite(pdf, 1, len, f) != len || fclose(f) != 0)
			log_error("cannot write %s", out);
	}
	int pages = 0;
	for (const char *p = pdf; (p = memmem(p, len - (size_t)(p - pdf), "/Type/Page", 10)); p += 10)
		pages += p[10] != 's';
	double first = ms[0];
	qsort(ms, (size_t)runs, sizeof *ms, cmp);
	printf("PDF/A of a generated log (50 measures, 20 meetings with minutes, 20 notes, 20 messages): "
	       "%d pages, %zu bytes, %s\n",
	       pages, len, pdfa == 1 ? "PDF/A-2b" : "NOT PDF/A");
	printf("  %d runs: median %.0f ms, min %.0f ms, max %.0f ms (the first, fonts loaded: %.0f ms)\n",
	       runs, ms[runs / 2], ms[0], ms[runs - 1], first);
	json_decref(doc);
	free(ms);
	return pdfa == 1 ? 0 : EX_SOFTWARE;
}

/* --- a log of the database ------------------------------------------------------ */

static int one_log(const char *slug, const char *id, const char *out)
{
	char *end;
	long long log_id = strtoll(id, &end, 10);
	if (*end || log_id <= 0)
		return usage();
	if (crypto_load_keys(config_str("crypto.key_file")) < 0)
		return EX_CONFIG;
	if (db_connect("database") < 0) {
		log_error("database: %s", db_error());
		return EX_UNAVAILABLE;
	}
	struct municipality m;
	json_t *doc = NULL;
	int rc = municipality_by_slug(slug, &m);
	if (rc > 0)
		rc = logdoc_build(m.id, log_id, &doc);
	if (rc <= 0) {
		fprintf(stderr, "stafett-pdf: %s\n", rc < 0 ? db_error() : "no such municipality or log");
		return rc < 0 ? EX_UNAVAILABLE : EX_DATAERR;
	}
	rc = logpdf_write(doc, NULL, out);
	json_decref(doc);
	if (rc < 0)
		return EX_CANTCREAT;
	printf("%s: %s\n", out, rc == 1 ? "PDF/A-2b" : "a PDF, not PDF/A (see the log above)");
	return 0;
}

int main(int argc, char **argv)
{
	log_init("stafett-pdf", false);
	if (argc < 2)
		return usage();
	if (config_load(NULL) < 0)
		return EX_CONFIG;
	setenv("TZ", "Europe/Oslo", 1);
	tzset();
	if (i18n_init(config_str("paths.locale")) < 0)
		log_warn("translations unavailable");
	if (strcmp(argv[1], "--bench") == 0) {
		int runs = argc > 2 ? atoi(argv[2]) : 9;
		if (runs < 1 || runs > 1000 || argc > 4)
			return usage();
		return bench(runs, argc > 3 ? argv[3] : NULL);
	}
	if (argc != 4)
		return usage();
	return one_log(argv[1], argv[2], argv[3]);
}
