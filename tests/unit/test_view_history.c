/* test_view_history.c — lib/view_history.c and lib/view_sentence.c: each
 * kind of row the history records reads as a sentence in Bokmål, Nynorsk
 * and English, with the names in it escaped, dates and times in the
 * reader's format (Oslo time), a new thing's first values under its
 * sentence, and never a table's, a field's or a code's name; rendered
 * through the real templates/sentence.html. */
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "unit.h"
#include "arena.h"
#include "history.h"
#include "i18n.h"
#include "tmpl.h"
#include "view_history.h"
#include "view_sentence.h"

static char localedir[512], templates[512];

/* Each entry on a line: its time, its sentence, then "| label=value" for
 * each detail and "| before=... after=..." for a text that changed. */
static const char *page =
	"{{#each history}}{{when at}}: {{> sentence}}"
	"{{#each details}} | {{label}}={{#if date}}{{date value}}{{else}}{{value}}{{/if}}{{/each}}"
	"{{#if before}} | before={{before}}{{/if}}{{#if after}} | after={{after}}{{/if}}\n{{/each}}";

static int setup(void **state)
{
	(void)state;
	setenv("TZ", "Europe/Oslo", 1);
	tzset();
	if (i18n_init(localedir) < 0)
		return -1;
	char path[600];
	snprintf(path, sizeof path, "%s/sentence.html", templates);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	static char src[4096];
	size_t n = fread(src, 1, sizeof src - 1, f);
	fclose(f);
	src[n] = '\0';
	if (tmpl_parse_string("sentence", src) < 0 || tmpl_parse_string("page", page) < 0) {
		fprintf(stderr, "%s\n", tmpl_error());
		return -1;
	}
	return 0;
}

/* A row as history_list reads it (newest first in the array). */
static struct history_entry row(const char *at, int64_t person, const char *who, const char *entity,
				int64_t entity_id, const char *field, const char *old_value,
				const char *new_value)
{
	const char *space = strchr(who, ' ');
	return (struct history_entry){
		.at = (char *)at,
		.person_id = person,
		.given_name = arena_strndup(who, (size_t)(space - who)),
		.family_name = (char *)space + 1,
		.entity = (char *)entity,
		.entity_id = entity_id,
		.field = (char *)field,
		.old_value = (char *)old_value,
		.new_value = (char *)new_value,
	};
}

static const char *render(const struct history_entry *h, int n, const char *lang)
{
	i18n_set(lang);
	struct tv *data = tv_obj();
	tv_set(data, "history", view_history_entries(h, n));
	struct buf out = { 0 };
	assert_int_equal(tmpl_render(&out, "page", data), 0);
	const char *s = arena_strdup(out.data ? out.data : "");
	buf_reset(&out);
	return s;
}

static void contains(const char *text, const char *part)
{
	if (!strstr(text, part))
		fail_msg("expected \"%s\" in:\n%s", part, text);
}

/* The issue's own example, in each language, at an Oslo time. */
static void an_evaluation_reads_as_a_sentence(void **state)
{
	(void)state;
	struct history_entry h[] = { row("2026-12-02 09:14", 7, "Nils Dahle", "measure", 40, "evaluation",
					 NULL, "partly") };
	h[0].thing = "Språkgruppe";
	assert_string_equal(
		render(h, 1, "nb"),
		"2. desember 2026 kl. 10.14: Nils Dahle evaluerte tiltaket «Språkgruppe» som delvis nådd\n");
	assert_string_equal(
		render(h, 1, "nn"),
		"2. desember 2026 kl. 10.14: Nils Dahle evaluerte tiltaket «Språkgruppe» som delvis nådd\n");
	assert_string_equal(render(h, 1, "en"),
			    "2 December 2026 at 10:14: Nils Dahle evaluated the measure "
			    "“Språkgruppe” as partly achieved\n");
	h[0].new_value = "not_achieved";
	assert_string_equal(
		render(h, 1, "nn"),
		"2. desember 2026 kl. 10.14: Nils Dahle evaluerte tiltaket «Språkgruppe» som ikkje nådd\n");
	arena_reset();
}

/* A new measure and its first values are one entry; later changes each
 * their own, newest first; dates as dates. */
static void a_new_thing_is_one_sentence_with_its_values_under_it(void **state)
{
	(void)state;
	/* Newest first, as history_list gives them. */
	struct history_entry h[] = {
		row("2026-03-29 01:30", 1, "Marte Haugland", "measure", 40, "status", "ongoing", "completed"),
		row("2026-03-29 00:30", 1, "Marte Haugland", "measure", 40, "deadline", "2026-06-19",
		    "2026-08-14"),
		row("2026-01-05 08:00", 1, "Marte Haugland", "measure", 40, "status", NULL, "ongoing"),
		row("2026-01-05 08:00", 1, "Marte Haugland", "measure", 40, "deadline", NULL, "2026-06-19"),
		row("2026-01-05 08:00", 1, "Marte Haugland", "measure", 40, "start_date", NULL, "2026-01-05"),
		row("2026-01-05 08:00", 1, "Marte Haugland", "measure", 40, "responsible", NULL,
		    "Nils Dahle"),
		row("2026-01-05 08:00", 1, "Marte Haugland", "measure", 40, "description", NULL,
		    "Språkgruppe"),
		row("2026-01-05 07:59", 1, "Marte Haugland", "actor", 9, "actor", NULL,
		    "Nils Dahle, PPT Fjordvik"),
	};
	for (size_t i = 0; i < 7; i++)
		h[i].thing = "Språkgruppe";
	assert_string_equal(render(h, 8, "nb"),
			    "29. mars 2026 kl. 03.30: Marte Haugland endret statusen for tiltaket "
			    "«Språkgruppe» fra pågående til "
			    "fullført\n"
			    "29. mars 2026 kl. 01.30: Marte Haugland flyttet fristen for tiltaket "
			    "«Språkgruppe» fra 19. juni 2026 "
			    "til 14. august 2026\n"
			    "5. januar 2026 kl. 09.00: Marte Haugland la til tiltaket «Språkgruppe» | "
			    "Ansvarlig=Nils Dahle | "
			    "Start=5. januar 2026 | Frist=19. juni 2026 | Status=Pågår\n"
			    "5. januar 2026 kl. 08.59: Marte Haugland la til Nils Dahle, PPT Fjordvik som "
			    "aktør i loggen\n");
	assert_string_equal(render(h, 2, "en"),
			    "29 March 2026 at 03:30: Marte Haugland changed the status of the measure "
			    "“Språkgruppe” from ongoing "
			    "to completed\n"
			    "29 March 2026 at 01:30: Marte Haugland moved the deadline of the measure "
			    "“Språkgruppe” from 19 June "
			    "2026 to 14 August 2026\n");
	/* Another person's change right after is not part of the new measure. */
	h[3].person_id = 2;
	contains(render(h, 8, "nb"),
		 "Marte Haugland satte fristen for tiltaket «Språkgruppe» til 19. juni 2026\n");
	arena_reset();
}

/* The log's life: created, states, requests, consent; in Nynorsk. */
static void a_log_from_draft_to_closed(void **state)
{
	(void)state;
	struct history_entry h[] = {
		row("2026-05-04 10:00", 1, "Marte Haugland", "log", 5, "state", "passive", "closed"),
		row("2026-05-04 09:00", 1, "Marte Haugland", "state_request", 3, "handled", NULL, "declined"),
		row("2026-05-03 09:00", 4, "Kari Fjelltun", "state_request", 3, "wanted", NULL, "closed"),
		row("2026-04-02 09:00", 1, "Marte Haugland", "log", 5, "state_reason", NULL, "Sommarferie"),
		row("2026-04-02 09:00", 1, "Marte Haugland", "log", 5, "state", "active", "passive"),
		row("2026-02-01 12:00", 4, "Kari Fjelltun", "log", 5, "state", "draft", "active"),
		row("2026-02-01 12:00", 4, "Kari Fjelltun", "log", 5, "consent_until", NULL, "2028-02-01"),
		row("2026-02-01 12:00", 4, "Kari Fjelltun", "consent", 8, "valid_until", NULL, "2028-02-01"),
		row("2026-02-01 12:00", 4, "Kari Fjelltun", "consent", 8, "given_at", NULL, "2026-02-01"),
		row("2026-02-01 12:00", 4, "Kari Fjelltun", "consent", 8, "method", NULL, "digital"),
		row("2026-02-01 12:00", 4, "Kari Fjelltun", "consent", 8, "kind", NULL, "establish"),
		row("2026-02-01 12:00", 4, "Kari Fjelltun", "consent", 8, "person", NULL, "Kari Fjelltun"),
		row("2026-01-10 08:00", 1, "Marte Haugland", "consent", 6, "scope", NULL, "PPT Fjordvik"),
		row("2026-01-10 08:00", 1, "Marte Haugland", "consent", 6, "valid_until", NULL, "2028-01-10"),
		row("2026-01-10 08:00", 1, "Marte Haugland", "consent", 6, "given_at", NULL, "2026-01-09"),
		row("2026-01-10 08:00", 1, "Marte Haugland", "consent", 6, "method", NULL, "signed_form"),
		row("2026-01-10 08:00", 1, "Marte Haugland", "consent", 6, "kind", NULL, "cooperate"),
		row("2026-01-10 08:00", 1, "Marte Haugland", "consent", 6, "person", NULL, "Per Fjelltun"),
		row("2026-01-09 08:00", 1, "Marte Haugland", "guardian", 4, "guardian", NULL,
		    "Kari Fjelltun"),
		row("2026-01-09 08:00", 1, "Marte Haugland", "log", 5, "subject", NULL, "Emma Fjelltun"),
		row("2026-01-09 08:00", 1, "Marte Haugland", "log", 5, "state", NULL, "draft"),
	};
	h[1].kind = "closed";
	h[1].other_given = "Kari";
	h[1].other_family = "Fjelltun";
	h[2].kind = "closed";
	const char *nn = render(h, 21, "nn");
	assert_string_equal(
		nn,
		"4. mai 2026 kl. 12.00: Marte Haugland avslutta loggen\n"
		"4. mai 2026 kl. 11.00: Marte Haugland avslo førespurnaden frå Kari Fjelltun om at loggen "
		"skal "
		"vere avslutta\n"
		"3. mai 2026 kl. 11.00: Kari Fjelltun bad om at loggen skal vere avslutta\n"
		"2. april 2026 kl. 11.00: Marte Haugland gjorde loggen passiv | Grunngiving=Sommarferie\n"
		"1. februar 2026 kl. 13.00: Kari Fjelltun registrerte det siste samtykket som trongst, og "
		"loggen "
		"vart aktiv\n"
		"1. februar 2026 kl. 13.00: Kari Fjelltun registrerte samtykke, så samtykket til loggen "
		"gjeld til "
		"1. februar 2028\n"
		"1. februar 2026 kl. 13.00: Kari Fjelltun gav samtykke til å opprette loggen | Dato gitt=1. "
		"februar 2026 | Gyldig til=1. februar 2028\n"
		"10. januar 2026 kl. 09.00: Marte Haugland registrerte at Per Fjelltun samtykte til "
		"samarbeid og "
		"informasjonsdeling, på signert skjema | Dato gitt=9. januar 2026 | Gyldig til=10. januar "
		"2028 | "
		"Tenester=PPT Fjordvik\n"
		"9. januar 2026 kl. 09.00: Marte Haugland registrerte Kari Fjelltun som føresett\n"
		"9. januar 2026 kl. 09.00: Marte Haugland oppretta loggen som utkast | Kven loggen "
		"gjeld=Emma "
		"Fjelltun\n");
	contains(render(h, 21, "nb"),
		 "Marte Haugland opprettet loggen som utkast | Hvem loggen gjelder=Emma Fjelltun");
	arena_reset();
}

/* Text fields: the sentence, then the text before and after. */
static void a_changed_text_shows_before_and_after(void **state)
{
	(void)state;
	struct history_entry h[] = {
		row("2026-06-01 10:00", 1, "Marte Haugland", "goal", 12, "text", "Flere ord",
		    "Flere ord og setninger"),
		row("2026-05-01 10:00", 1, "Marte Haugland", "concern", 3, "description", "Få ord.", NULL),
		row("2026-04-01 10:00", 1, "Marte Haugland", "concern", 3, "title", "Språk", "Språket"),
		row("2026-03-01 10:00", 1, "Marte Haugland", "log", 5, "basic_info", NULL, "Bor med mor."),
		row("2026-02-01 10:00", 1, "Marte Haugland", "log", 5, "bti_level", "2", NULL),
	};
	h[0].concern = "Språket";
	h[1].thing = "Språket";
	h[2].thing = "Språket";
	assert_string_equal(
		render(h, 5, "nb"),
		"1. juni 2026 kl. 12.00: Marte Haugland endret et mål under bekymringen «Språket» | "
		"before=Flere ord | "
		"after=Flere ord og setninger\n"
		"1. mai 2026 kl. 12.00: Marte Haugland fjernet beskrivelsen av bekymringen «Språket» | "
		"before=Få ord.\n"
		"1. april 2026 kl. 12.00: Marte Haugland endret tittelen på bekymringen «Språk» til "
		"«Språket»\n"
		"1. mars 2026 kl. 11.00: Marte Haugland skrev grunnopplysningene | after=Bor med mor.\n"
		"1. februar 2026 kl. 11.00: Marte Haugland endret BTI-nivået fra 2 til ikke vurdert\n");
	arena_reset();
}

/* Names are text, never markup; a pattern's braces are never read in a value. */
static void names_are_escaped_and_never_read_as_patterns(void **state)
{
	(void)state;
	struct history_entry h[] = { row("2026-12-02 09:14", 7, "<b>Eve {who}", "concern", 3, "title", NULL,
					 "\"><script>alert(1)</script> {what}") };
	const char *s = render(h, 1, "en");
	assert_string_equal(s,
			    "2 December 2026 at 10:14: &lt;b&gt;Eve {who} added the concern "
			    "“&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; {what}”\n");
	/* The parts themselves: a slot no value fills shows nothing; a brace
	 * that is no slot stays. */
	const struct view_slot slots[] = { { "who", "Kari", I18N_AS_IS },
					   { "day", "2026-12-02", I18N_DATE } };
	struct tv *d = tv_obj();
	tv_set(d, "sentence", view_sentence("{who} {x}{ {day}}{", slots, 2));
	assert_int_equal(tmpl_parse_string("one", "{{> sentence}}"), 0);
	struct buf out = { 0 };
	i18n_set("nb");
	assert_int_equal(tmpl_render(&out, "one", d), 0);
	assert_string_equal(out.data, "Kari { 2. desember 2026}{");
	buf_reset(&out);
	arena_reset();
}

/* Every kind of row lib/ records, in every language: no code, no field
 * name, no slot left, and something said. */
static void no_kind_of_row_shows_a_code(void **state)
{
	(void)state;
	static const char *const kinds[][4] = {
		{ "log", "state", NULL, "draft" },
		{ "log", "state", "draft", "active" },
		{ "log", "state", "active", "passive" },
		{ "log", "state", "passive", "active" },
		{ "log", "state", "active", "closed" },
		{ "log", "subject", NULL, "Emma Fjelltun" },
		{ "log", "bti_level", NULL, "1" },
		{ "log", "bti_level", "1", "2" },
		{ "log", "basic_info", "a", "b" },
		{ "log", "child_voice", NULL, "c" },
		{ "log", "child_voice", "c", NULL },
		{ "log", "consent_until", NULL, "2028-01-01" },
		{ "log", "consent_until", "2028-01-01", NULL },
		{ "log", "withdrawn_at", NULL, "2026-12-02" },
		{ "log", "state_reason", NULL, "x" },
		{ "guardian", "guardian", NULL, "Kari Fjelltun" },
		{ "guardian", "guardian", "Kari Fjelltun", NULL },
		{ "guardian", "removal_reason", NULL, "x" },
		{ "actor", "actor", NULL, "Nils Dahle, PPT Fjordvik" },
		{ "concern", "title", NULL, "t" },
		{ "concern", "areas", "Motorikk", "Språk" },
		{ "goal", "text", NULL, "g" },
		{ "measure", "description", "m", "n" },
		{ "measure", "responsible", "Live Mo", "Nils Dahle" },
		{ "measure", "evaluation_date", "2026-03-02", NULL },
		{ "measure", "status", NULL, "planned" },
		{ "measure", "evaluation", NULL, "achieved" },
		{ "measure", "evaluation", NULL, "ended" },
		{ "measure", "evaluation", NULL, "something" },
		{ "consent", "person", NULL, "Kari Fjelltun" },
		{ "consent", "scope", NULL, "PPT Fjordvik" },
		{ "consent", "withdrawn_at", NULL, "2026-12-02" },
		{ "state_request", "wanted", NULL, "passive" },
		{ "state_request", "handled", NULL, "done" },
		{ "something_new", "some_field", "old_code", "new_code" },
	};
	static const char *const codes[] = { "something_new",
					     "some_field",
					     "old_code",
					     "new_code",
					     "state_request",
					     "withdrawn_at",
					     "evaluation_date",
					     "not_achieved",
					     "signed_form",
					     "{",
					     "}",
					     "_" };
	static const char *const langs[] = { "nb", "nn", "en" };
	enum { N = sizeof kinds / sizeof kinds[0] };
	struct history_entry h[N];
	for (size_t i = 0; i < N; i++) {
		h[i] = row("2026-12-02 09:14", (int64_t)i, "Nils Dahle", kinds[i][0], (int64_t)i, kinds[i][1],
			   kinds[i][2], kinds[i][3]);
		h[i].thing = "Tingen";
		h[i].kind = strcmp(kinds[i][0], "consent") == 0 ? "cooperate" : "passive";
		h[i].other_given = "Kari";
		h[i].other_family = "Fjelltun";
	}
	for (size_t l = 0; l < sizeof langs / sizeof langs[0]; l++) {
		const char *s = render(h, N, langs[l]);
		for (size_t k = 0; k < sizeof codes / sizeof codes[0]; k++)
			if (strstr(s, codes[k]))
				fail_msg("%s: \"%s\" shown in:\n%s", langs[l], codes[k], s);
		/* One line per row (each its own person, so none is grouped). */
		int lines = 0;
		for (const char *p = s; (p = strchr(p, '\n')); p++)
			lines++;
		assert_int_equal(lines, N);
		if (strcmp(langs[l], "nb") == 0) {
			contains(s, "Nils Dahle gjorde loggen passiv");
			contains(s, "Nils Dahle gjorde en endring i loggen\n");
			contains(s,
				 "Nils Dahle innvilget forespørselen fra Kari Fjelltun om at loggen skal "
				 "være passiv");
			contains(s,
				 "Nils Dahle trakk tilbake samtykket til samarbeid og informasjonsdeling\n");
			contains(s, "Nils Dahle fjernet Kari Fjelltun som foresatt\n");
		}
	}
	arena_reset();
}

int main(int argc, char **argv)
{
	(void)argc;
	/* BUILD/tests/unit/test_view_history → BUILD/locale, and the sources' templates/ */
	char self[512];
	snprintf(self, sizeof self, "%s", argv[0]);
	const char *dir = dirname(self);
	snprintf(localedir, sizeof localedir, "%s/../../locale", dir);
	snprintf(templates, sizeof templates, "%s/../../../templates", dir);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_evaluation_reads_as_a_sentence),
		cmocka_unit_test(a_new_thing_is_one_sentence_with_its_values_under_it),
		cmocka_unit_test(a_log_from_draft_to_closed),
		cmocka_unit_test(a_changed_text_shows_before_and_after),
		cmocka_unit_test(names_are_escaped_and_never_read_as_patterns),
		cmocka_unit_test(no_kind_of_row_shows_a_code),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
