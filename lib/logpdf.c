/* logpdf.c — the log's document (logdoc.h) as the pages a case worker
 * files: a title block, who the log is about, the guardians, the holder and
 * actors, the consents, the basic data (BTI level, the child's voice), the
 * concerns with their goals, measures and evaluations, the meetings with
 * their minutes, the agreements, the notes and glimpses of light, the
 * messages, the state history, the handovers and transitions. Codes become
 * words through the label functions of the modules that own them, dates
 * are written the Norwegian way (i18n.h) in the municipality's language.
 *
 * A protected address: Stafett stores no postal address at all, so what a
 * person with a protected address could be found by here is their phone
 * and e-mail; for such a person (and, to be safe, for everyone listed as a
 * guardian or participant row that carries its own copy) only the name is
 * printed, never a phone number or an e-mail address.
 *
 * Reads the development areas' names (the one table it reads); writes only
 * its private temporary folder and the path it is given. */
#include "logpdf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "consent.h"
#include "db.h"
#include "handover.h"
#include "i18n.h"
#include "log.h"
#include "logbook.h"
#include "measure.h"
#include "pdfa.h"
#include "pdfdoc.h"
#include "staff.h"

struct lp {
	const json_t *doc, *people, *units;
	struct pdfdoc *d;
	const char *lang;
	json_t *areas; /* code -> name in lang (NULL without a database) */
};

/* --- reading the document -------------------------------------------------- */

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s && *s ? s : NULL;
}

static bool yes(const json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key));
}

static const json_t *list(const json_t *o, const char *key)
{
	const json_t *a = json_object_get(o, key);
	return json_is_array(a) ? a : NULL;
}

static const json_t *person(const struct lp *p, const char *key)
{
	return key ? json_object_get(p->people, key) : NULL;
}

static bool protected_address(const struct lp *p, const char *key)
{
	return yes(person(p, key), "protected_address");
}

static const char *join(const char *a, const char *sep, const char *b)
{
	if (!a || !*a)
		return b;
	if (!b || !*b)
		return a;
	return arena_printf("%s%s%s", a, sep, b);
}

/* "Given Family", the row's own copy of the name first (a guardian's or
 * the subject's registration in this log). */
static const char *name_of(const struct lp *p, const char *key, const json_t *row)
{
	const json_t *pe = person(p, key);
	const char *given = row && str(row, "given_name") ? str(row, "given_name") : str(pe, "given_name");
	const char *family =
		row && str(row, "family_name") ? str(row, "family_name") : str(pe, "family_name");
	const char *n = join(given, " ", family);
	return n ? n : (key ? key : "");
}

static const char *name(const struct lp *p, const char *key)
{
	return key ? name_of(p, key, NULL) : NULL;
}

/* "Nils Dahle, PP-rådgiver". */
static const char *name_title(const struct lp *p, const char *key)
{
	return key ? join(name(p, key), ", ", str(person(p, key), "title")) : NULL;
}

static const char *unit(const struct lp *p, const char *key)
{
	const json_t *u = key ? json_object_get(p->units, key) : NULL;
	return u ? str(u, "name") : NULL;
}

/* "PPT Fjordvik (Educational and psychological counselling service)". */
static const char *unit_kind(const struct lp *p, const char *key)
{
	const json_t *u = key ? json_object_get(p->units, key) : NULL;
	if (!u)
		return NULL;
	const char *kind = staff_kind_label(str(u, "kind"));
	return *kind ? arena_printf("%s (%s)", str(u, "name"), kind) : str(u, "name");
}

/* --- dates ------------------------------------------------------------------ */

/* A stored date ("YYYY-MM-DD") or moment ("YYYY-MM-DDTHH:MM:SS.mmmZ", UTC)
 * in fmt; a moment is shown in Oslo time. NULL for none. */
static const char *fmt(enum i18n_fmt f, const char *v)
{
	if (!v)
		return NULL;
	char in[17], out[96];
	snprintf(in, sizeof in, "%s", v);
	if (strlen(in) == 16 && in[10] == 'T')
		in[10] = ' ';
	if (i18n_format(out, sizeof out, f, in) < 0)
		return v;
	return arena_strdup(out);
}

static const char *date(const char *v)
{
	return fmt(I18N_DATE, v);
}

static const char *shortdate(const char *v)
{
	return fmt(I18N_SHORTDATE, v);
}

static const char *when(const char *v)
{
	return fmt(I18N_WHEN, v);
}

static const char *now_utc(void)
{
	time_t t = time(NULL);
	struct tm g;
	char s[32];
	gmtime_r(&t, &g);
	strftime(s, sizeof s, "%Y-%m-%d %H:%M", &g);
	return arena_strdup(s);
}

/* --- labels of codes this module owns ---------------------------------------- */

static const char *yes_no(bool b)
{
	return b ? _("Yes") : _("No");
}

static const char *transition_label(const char *kind)
{
	static const struct i18n_label labels[] = {
		{ "handover", N_("Handed over to another unit") },
		{ "move", N_("Moved to another municipality") },
		{ NULL },
	};
	return i18n_label(labels, kind);
}

static const char *reopen_label(const char *state)
{
	static const struct i18n_label labels[] = {
		{ "asked", NC_("a reopening's state", "Asked, waiting for the guardians") },
		{ "approved", NC_("a reopening's state", "Approved") },
		{ "refused", NC_("a reopening's state", "Refused") },
		{ "withdrawn", NC_("a reopening's state", "Withdrawn") },
		{ NULL },
	};
	return i18n_label(labels, state);
}

static const char *subject_heading(const char *kind)
{
	if (kind && strcmp(kind, "pregnancy") == 0)
		return _("The pregnant woman");
	if (kind && strcmp(kind, "youth") == 0)
		return _("The young person");
	return _("The child");
}

/* The development areas' names, by code, in the municipality's language:
 * its own areas over the defaults. Without a database, the codes. */
struct area_row {
	char *code, *name;
};
static const struct db_col area_cols[] = {
	DB_COL(struct area_row, code, DB_STR),
	DB_COL(struct area_row, name, DB_STR),
};
static const struct db_map area_map = DB_MAP(struct area_row, area_cols);

static void load_areas(struct lp *p)
{
	p->areas = json_object();
	if (!db_connected())
		return;
	struct area_row *r;
	const char *slug = str(json_object_get(p->doc, "municipality"), "slug");
	int n = db_select(
		&area_map, &r,
		"SELECT a.code, CASE ? WHEN 'nn' THEN a.name_nn ELSE a.name_nb END FROM development_area a"
		" LEFT JOIN municipality m ON m.id = a.municipality_id"
		" WHERE a.municipality_id IS NULL OR m.slug = ? ORDER BY a.municipality_id IS NOT NULL, a.id",
		"ss", p->lang, slug ? slug : "");
	for (int i = 0; i < n; i++)
		json_object_set_new(p->areas, r[i].code, json_string(r[i].name));
}

static const char *area(const struct lp *p, const char *code)
{
	const char *s = str(p->areas, code);
	return s ? s : code;
}

/* --- the parts of the log ------------------------------------------------------ */

static void title_block(struct lp *p)
{
	const json_t *log = json_object_get(p->doc, "log");
	const json_t *subject = json_object_get(p->doc, "subject");
	const json_t *holder = json_object_get(p->doc, "holder");
	pdfdoc_title(p->d, join(_("Stafettlogg for"), " ", name_of(p, str(subject, "person"), subject)));
	pdfdoc_field(p->d, _("Municipality"), str(json_object_get(p->doc, "municipality"), "name"));
	pdfdoc_field(p->d, C_("log PDF", "Log no."),
		     arena_printf("%lld", (long long)json_integer_value(json_object_get(log, "reference"))));
	pdfdoc_field(p->d, _("State"), str(log, "state") ? logbook_state_label(str(log, "state")) : NULL);
	pdfdoc_field(p->d, _("Log holder"), name_title(p, str(holder, "person")));
	pdfdoc_field(p->d, _("Unit"), unit_kind(p, str(holder, "unit")));
	pdfdoc_field(p->d, _("Created"), date(str(log, "created_at")));
	pdfdoc_field(p->d, _("Consent valid until"), date(str(log, "consent_until")));
	pdfdoc_field(p->d, _("Closed"), date(str(log, "closed_at")));
	pdfdoc_field(p->d, _("Consent withdrawn"), date(str(log, "withdrawn_at")));
	pdfdoc_field(p->d, _("Printed"), when(now_utc()));
}

static void subject_part(struct lp *p)
{
	const json_t *log = json_object_get(p->doc, "log");
	const json_t *subject = json_object_get(p->doc, "subject");
	const char *key = str(subject, "person");
	const json_t *pe = person(p, key);
	pdfdoc_heading(p->d, 1, subject_heading(str(log, "subject_kind")));
	pdfdoc_field(p->d, C_("log PDF", "Name"), name_of(p, key, subject));
	pdfdoc_field(p->d, _("National identity number"), str(pe, "nin"));
	pdfdoc_field(p->d, _("Birth date"), date(str(pe, "birth_date")));
	pdfdoc_field(p->d, _("Expected date"), date(str(log, "expected_date")));
	if (protected_address(p, key))
		pdfdoc_field(p->d, _("Protected address"), _("Contact details are not printed."));
}

static void guardians_part(struct lp *p)
{
	const json_t *a = list(p->doc, "guardians");
	if (!a || !json_array_size(a))
		return;
	pdfdoc_heading(p->d, 1, _("Guardians"));
	size_t i;
	const json_t *g;
	json_array_foreach(a, i, g)
	{
		const char *key = str(g, "person");
		const json_t *pe = person(p, key);
		pdfdoc_heading(p->d, 3, name_of(p, key, g));
		pdfdoc_field(p->d, _("National identity number"), str(pe, "nin"));
		if (protected_address(p, key)) {
			/* Never a phone number or an e-mail address (see the top). */
			pdfdoc_field(p->d, _("Protected address"), _("Contact details are not printed."));
			continue;
		}
		pdfdoc_field(p->d, _("Phone"), str(g, "phone") ? str(g, "phone") : str(pe, "phone"));
		pdfdoc_field(p->d, _("E-mail"), str(g, "email") ? str(g, "email") : str(pe, "email"));
	}
}

static void people_part(struct lp *p)
{
	const json_t *holder = json_object_get(p->doc, "holder");
	pdfdoc_heading(p->d, 1, _("Log holder and actors"));
	static const double shares[] = { 0.3, 0.3, 0.22, 0.18 };
	pdfdoc_table(p->d, 4, shares,
		     (const char *const[]){ C_("log PDF", "Name"), C_("a service", "Service"),
					    C_("log PDF", "Task"), _("Period") });
	pdfdoc_row(p->d,
		   (const char *const[]){ name_title(p, str(holder, "person")),
					  unit_kind(p, str(holder, "unit")), _("Log holder"), "" });
	const json_t *a = list(p->doc, "actors");
	size_t i;
	const json_t *r;
	json_array_foreach(a, i, r)
	{
		const char *period =
			join(shortdate(str(r, "added_at")), " – ", shortdate(str(r, "removed_at")));
		if (!str(r, "removed_at"))
			period = join(_("from"), " ", period);
		pdfdoc_row(p->d,
			   (const char *const[]){
				   name_title(p, str(r, "person")), unit_kind(p, str(r, "unit")),
				   str(r, "task") ? str(r, "task") : C_("log PDF", "Actor"), period });
	}
}

static void consents_part(struct lp *p)
{
	pdfdoc_heading(p->d, 1, _("Consent"));
	const json_t *a = list(p->doc, "consents");
	if (a && json_array_size(a)) {
		static const double shares[] = { 0.3, 0.22, 0.2, 0.14, 0.14 };
		pdfdoc_table(p->d, 5, shares,
			     (const char *const[]){ _("Consent"), _("Given by"), _("Date given"),
						    _("Valid until"), _("Withdrawn") });
		size_t i;
		const json_t *c;
		json_array_foreach(a, i, c)
		{
			const char *method = consent_method_label(str(c, "method"));
			pdfdoc_row(p->d,
				   (const char *const[]){
					   consent_kind_label(str(c, "kind") ? str(c, "kind") : ""),
					   name(p, str(c, "person")),
					   join(shortdate(str(c, "given_on")), "\n", method),
					   shortdate(str(c, "valid_until")),
					   shortdate(str(c, "withdrawn_at")),
				   });
		}
	} else {
		pdfdoc_paragraph(p->d, _("No consent is recorded."));
	}
	/* The scope: the services the consent to cooperation covers. */
	const json_t *s = list(p->doc, "consent_services");
	if (s && json_array_size(s)) {
		pdfdoc_heading(p->d, 3, _("Services the consent to cooperation covers"));
		size_t i;
		const json_t *r;
		json_array_foreach(s, i, r)
		{
			const char *line = unit_kind(p, str(r, "unit"));
			if (str(r, "withdrawn_at"))
				line = join(line, ", ",
					    join(C_("log PDF", "withdrawn"), " ",
						 shortdate(str(r, "withdrawn_at"))));
			else if (str(r, "valid_until"))
				line = join(line, ", ",
					    join(_("valid until"), " ", shortdate(str(r, "valid_until"))));
			pdfdoc_item(p->d, line);
		}
	}
}

static void basic_part(struct lp *p)
{
	const json_t *log = json_object_get(p->doc, "log");
	const json_t *bti = json_object_get(log, "bti_level");
	bool pregnancy = str(log, "subject_kind") && strcmp(str(log, "subject_kind"), "pregnancy") == 0;
	pdfdoc_heading(p->d, 1, _("Basic data"));
	if (json_is_integer(bti))
		pdfdoc_field(p->d, _("BTI level"), logbook_bti_label((int)json_integer_value(bti)));
	if (str(log, "basic_info"))
		pdfdoc_paragraph(p->d, str(log, "basic_info"));
	if (str(log, "child_voice")) {
		pdfdoc_heading(p->d, 3, pregnancy ? _("In her own words") : _("The child's own voice"));
		pdfdoc_paragraph(p->d, str(log, "child_voice"));
	}
}

static void measure_block(struct lp *p, const json_t *m)
{
	pdfdoc_field(p->d, _("Measure"), str(m, "description"));
	pdfdoc_field(p->d, _("Responsible"),
		     join(name(p, str(m, "responsible")), ", ", unit(p, str(m, "responsible_unit"))));
	pdfdoc_field(p->d, _("Status"), measure_status_label(str(m, "status")));
	pdfdoc_field(p->d, _("Start"), date(str(m, "start_date")));
	pdfdoc_field(p->d, _("Deadline"), date(str(m, "deadline")));
	pdfdoc_field(p->d, _("Evaluation date"), date(str(m, "evaluation_date")));
	size_t i;
	const json_t *e;
	json_array_foreach(list(m, "evaluations"), i, e)
	{
		const char *head = join(shortdate(str(e, "created_at")), ": ",
					measure_category_label(str(e, "category")));
		const char *text = join(head, ". ", str(e, "text"));
		pdfdoc_field(p->d, C_("log PDF", "Evaluation"), join(text, " — ", name(p, str(e, "by"))));
	}
	pdfdoc_space(p->d, 6);
}

static void concerns_part(struct lp *p)
{
	const json_t *a = list(p->doc, "concerns");
	pdfdoc_heading(p->d, 1, _("Concerns, goals and measures"));
	if (!a || !json_array_size(a)) {
		pdfdoc_paragraph(p->d, _("No concern is written down yet."));
		return;
	}
	size_t i;
	const json_t *c;
	json_array_foreach(a, i, c)
	{
		pdfdoc_heading(p->d, 2, str(c, "title"));
		pdfdoc_paragraph(p->d, str(c, "description"));
		const char *areas = NULL;
		size_t j;
		const json_t *code;
		json_array_foreach(list(c, "areas"), j, code) areas =
			join(areas, ", ", area(p, json_string_value(code)));
		pdfdoc_field(p->d, _("Development areas"), areas);
		pdfdoc_small(p->d,
			     join(join(_("Written by"), " ", name(p, str(c, "created_by"))), ", ",
				  date(str(c, "created_at"))));
		const json_t *g;
		json_array_foreach(list(c, "goals"), j, g)
		{
			pdfdoc_heading(p->d, 3, join(_("Goal"), ": ", str(g, "text")));
			size_t k;
			const json_t *m;
			json_array_foreach(list(g, "measures"), k, m) measure_block(p, m);
		}
	}
}

/* The description of the measure with key KEY. */
static const char *measure_text(const struct lp *p, const char *key)
{
	size_t i, j, k;
	const json_t *c, *g, *m;
	json_array_foreach(list(p->doc, "concerns"), i, c) json_array_foreach(list(c, "goals"), j, g)
		json_array_foreach(list(g, "measures"), k,
				   m) if (key && str(m, "key") &&
					  strcmp(str(m, "key"), key) == 0) return str(m, "description");
	return key;
}

static void minutes_block(struct lp *p, const json_t *mr, bool pregnancy)
{
	pdfdoc_heading(p->d, 3, _("Minutes of the meeting"));
	pdfdoc_field(p->d,
		     pregnancy ? _("She took part in the discussion")
			       : _("The child or young person took part in the discussion"),
		     yes_no(yes(mr, "child_took_part")));
	if (!pregnancy)
		pdfdoc_field(p->d, _("The guardians took part in the discussion"),
			     yes_no(yes(mr, "guardians_took_part")));
	pdfdoc_field(p->d, _("The leader took part in the discussion"), yes_no(yes(mr, "leader_took_part")));
	pdfdoc_field(p->d, _("Decisions"), str(mr, "decisions"));
	const char *measures = NULL;
	size_t i;
	const json_t *m;
	json_array_foreach(list(mr, "measures"), i, m) measures =
		join(measures, "\n", join("•", " ", measure_text(p, json_string_value(m))));
	pdfdoc_field(p->d, _("Measures agreed or changed"), measures);
	pdfdoc_field(p->d, _("Next meeting"), str(mr, "next_meeting"));
	if (str(mr, "approved_at"))
		pdfdoc_field(p->d, C_("log PDF", "Approved by"),
			     join(name(p, str(mr, "approved_by")), ", ", when(str(mr, "approved_at"))));
	else
		pdfdoc_field(p->d, C_("log PDF", "Approved by"),
			     _("Not approved yet: the log holder can still change them."));
	const json_t *e;
	json_array_foreach(list(mr, "entries"), i, e)
	{
		const char *kind = str(e, "kind") && strcmp(str(e, "kind"), "correction") == 0
			? C_("log PDF", "Correction")
			: _("Comment");
		pdfdoc_field(p->d, kind, str(e, "text"));
		pdfdoc_small(p->d, join(name(p, str(e, "person")), ", ", when(str(e, "created_at"))));
	}
}

static void meetings_part(struct lp *p)
{
	const json_t *a = list(p->doc, "meetings");
	if (!a || !json_array_size(a))
		return;
	const json_t *log = json_object_get(p->doc, "log");
	bool pregnancy = str(log, "subject_kind") && strcmp(str(log, "subject_kind"), "pregnancy") == 0;
	pdfdoc_heading(p->d, 1, _("Meetings"));
	size_t i;
	const json_t *m;
	json_array_foreach(a, i, m)
	{
		const char *head = join(_("Meeting"), " ", when(str(m, "starts_at")));
		if (str(m, "cancelled_at"))
			head = arena_printf("%s (%s)", head, C_("log PDF", "cancelled"));
		pdfdoc_heading(p->d, 2, head);
		if (json_is_integer(json_object_get(m, "minutes")))
			pdfdoc_field(
				p->d, _("Length in minutes"),
				arena_printf("%lld",
					     (long long)json_integer_value(json_object_get(m, "minutes"))));
		pdfdoc_field(p->d, _("Place"), str(m, "place"));
		pdfdoc_field(p->d, _("Video link"), str(m, "video_url"));
		pdfdoc_field(p->d, _("Agenda"), str(m, "agenda"));
		const char *who = NULL;
		size_t j;
		const json_t *pt;
		json_array_foreach(list(m, "participants"), j, pt)
		{
			/* Names and roles only: a participant row's e-mail is never printed. */
			const char *line =
				join(name(p, str(pt, "person")), ", ",
				     str(pt, "relation") ? logbook_role_label(str(pt, "relation")) : NULL);
			if (yes(pt, "attended"))
				line = arena_printf("%s (%s)", line, _("took part"));
			who = join(who, "\n", line);
		}
		pdfdoc_field(p->d, _("Invited"), who);
		const json_t *mr = json_object_get(m, "minutes_record");
		if (json_is_object(mr))
			minutes_block(p, mr, pregnancy);
	}
}

static void agreements_part(struct lp *p)
{
	const json_t *a = list(p->doc, "agreements");
	if (!a || !json_array_size(a))
		return;
	pdfdoc_heading(p->d, 1, _("Agreements"));
	size_t i;
	const json_t *ag;
	json_array_foreach(a, i, ag)
	{
		const json_t *versions = list(ag, "versions");
		size_t n = versions ? json_array_size(versions) : 0;
		if (!n)
			continue;
		/* The version in force, then the older ones, newest first. */
		for (size_t k = n; k-- > 0;) {
			const json_t *v = json_array_get(versions, k);
			if (k == n - 1) {
				pdfdoc_heading(p->d, 3,
					       join(_("Agreement"), " ", arena_printf("%zu", i + 1)));
				pdfdoc_field(p->d, _("What is agreed"), str(v, "text"));
				pdfdoc_field(p->d, _("Who agreed"), str(v, "parties"));
				pdfdoc_field(p->d, _("Agreed on"), date(str(v, "agreed_on")));
				pdfdoc_field(p->d, _("Look at it again on"), date(str(v, "review_on")));
				pdfdoc_small(p->d,
					     join(join(_("Written by"), " ", name(p, str(v, "created_by"))),
						  ", ", when(str(v, "created_at"))));
			} else {
				if (k == n - 2)
					pdfdoc_small(p->d, C_("log PDF", "Older versions"));
				pdfdoc_field(
					p->d,
					join(C_("log PDF", "agreed on"), " ", shortdate(str(v, "agreed_on"))),
					str(v, "text"));
			}
		}
	}
}

static void notes_part(struct lp *p)
{
	const json_t *a = list(p->doc, "notes");
	if (!a || !json_array_size(a))
		return;
	pdfdoc_heading(p->d, 1, _("Notes and glimpses of light"));
	size_t i;
	const json_t *n;
	json_array_foreach(a, i, n)
	{
		const char *kind = yes(n, "glimpse") ? _("Glimpse of light") : _("Note");
		pdfdoc_heading(
			p->d, 3,
			join(kind, " — ", join(name(p, str(n, "author")), ", ", when(str(n, "created_at")))));
		pdfdoc_paragraph(p->d, str(n, "text"));
	}
}

static void messages_part(struct lp *p)
{
	const json_t *a = list(p->doc, "messages");
	if (!a || !json_array_size(a))
		return;
	pdfdoc_heading(p->d, 1, C_("thread of a log", "Messages"));
	size_t i;
	const json_t *m;
	json_array_foreach(a, i, m)
	{
		pdfdoc_small(p->d, join(name(p, str(m, "author")), ", ", when(str(m, "created_at"))));
		pdfdoc_paragraph(p->d, str(m, "text"));
	}
}

static void history_part(struct lp *p)
{
	/* The changes of state, from the log's history. */
	size_t i, n = 0;
	const json_t *h;
	json_array_foreach(list(p->doc, "history"), i, h) n += str(h, "entity") &&
		strcmp(str(h, "entity"), "log") == 0 && str(h, "field") &&
		strcmp(str(h, "field"), "state") == 0;
	const json_t *handovers = list(p->doc, "handovers"), *transitions = list(p->doc, "transitions"),
		     *reopen = list(p->doc, "reopen_requests");
	pdfdoc_heading(p->d, 1, _("State history and transitions"));
	if (n) {
		static const double shares[] = { 0.28, 0.2, 0.2, 0.32 };
		pdfdoc_table(p->d, 4, shares,
			     (const char *const[]){ _("When"), C_("log PDF", "From"), C_("a state", "To"),
						    _("By") });
		json_array_foreach(list(p->doc, "history"), i, h)
		{
			if (!str(h, "entity") || strcmp(str(h, "entity"), "log") != 0 || !str(h, "field") ||
			    strcmp(str(h, "field"), "state") != 0)
				continue;
			pdfdoc_row(p->d,
				   (const char *const[]){
					   when(str(h, "at")),
					   str(h, "old") ? logbook_state_label(str(h, "old")) : "",
					   str(h, "new") ? logbook_state_label(str(h, "new")) : "",
					   name(p, str(h, "by")),
				   });
		}
	} else {
		pdfdoc_paragraph(p->d, _("The state has not changed since the log was made."));
	}
	if (transitions && json_array_size(transitions)) {
		pdfdoc_heading(p->d, 3, _("Transitions"));
		const json_t *t;
		json_array_foreach(transitions, i, t)
		{
			const char *from =
				join(name(p, str(t, "from_person")), ", ", unit(p, str(t, "from_unit")));
			const char *to = join(name(p, str(t, "to_person")), ", ", unit(p, str(t, "to_unit")));
			pdfdoc_field(p->d, shortdate(str(t, "at")),
				     arena_printf("%s: %s → %s", transition_label(str(t, "kind")),
						  from ? from : "", to ? to : ""));
		}
	}
	if (handovers && json_array_size(handovers)) {
		pdfdoc_heading(p->d, 3, _("Handovers offered"));
		const json_t *t;
		json_array_foreach(handovers, i, t)
		{
			const char *to = join(name(p, str(t, "to_person")), ", ", unit(p, str(t, "to_unit")));
			const char *line =
				join(to, " — ", handover_state_label(str(t, "state") ? str(t, "state") : ""));
			pdfdoc_field(p->d, shortdate(str(t, "offered_at")),
				     join(line, ": ", str(t, "decline_reason")));
		}
	}
	if (reopen && json_array_size(reopen)) {
		pdfdoc_heading(p->d, 3, _("Requests to reopen the log"));
		const json_t *t;
		json_array_foreach(reopen, i, t)
		{
			const char *line =
				join(name(p, str(t, "requested_by")), " — ", reopen_label(str(t, "state")));
			pdfdoc_field(p->d, shortdate(str(t, "created_at")),
				     join(line, ": ", str(t, "reason")));
		}
	}
}

/* --- the whole ------------------------------------------------------------------ */

static struct pdfdoc *lay_out(const json_t *doc, const char *lang)
{
	struct lp p = {
		.doc = doc,
		.people = json_object_get(doc, "people"),
		.units = json_object_get(doc, "units"),
		.lang = lang,
	};
	load_areas(&p);
	const json_t *log = json_object_get(doc, "log");
	long long ref = (long long)json_integer_value(json_object_get(log, "reference"));
	const char *title = arena_printf("%s %lld", _("Stafettlogg no."), ref);
	p.d = pdfdoc_new(str(json_object_get(doc, "municipality"), "name"), title, date(now_utc()),
			 _("Page {x} of {y}"), title);
	title_block(&p);
	subject_part(&p);
	guardians_part(&p);
	people_part(&p);
	consents_part(&p);
	basic_part(&p);
	concerns_part(&p);
	meetings_part(&p);
	agreements_part(&p);
	notes_part(&p);
	messages_part(&p);
	history_part(&p);
	json_decref(p.areas);
	return p.d;
}

static char *slurp(int fd, size_t *len)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return NULL;
	char *s = arena_alloc((size_t)st.st_size + 1);
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t n = pread(fd, s + got, (size_t)st.st_size - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return NULL;
		got += (size_t)n;
	}
	*len = got;
	return s;
}

int logpdf_build(const json_t *doc, const char *lang, char **out, size_t *len)
{
	static bool swept;
	*out = NULL;
	*len = 0;
	if (!swept) {
		/* What a process killed mid-render left behind (SECURITY.md 68). */
		pdfdoc_tmp_sweep();
		swept = true;
	}
	if (!lang)
		lang = str(json_object_get(doc, "municipality"), "language");
	if (!lang || strcmp(lang, "nn") != 0)
		lang = "nb";
	if (!getenv("TZ")) {
		setenv("TZ", "Europe/Oslo", 1);
		tzset();
	}
	const char *was = arena_strdup(i18n_lang());
	i18n_set(lang);
	struct pdfdoc *d = lay_out(doc, lang);
	const char *title = arena_printf(
		"%s %lld", _("Stafettlogg no."),
		(long long)json_integer_value(json_object_get(json_object_get(doc, "log"), "reference")));
	i18n_set(was);

	char dir[PDFDOC_TMP_MAX];
	int rc = -1;
	if (pdfdoc_tmpdir(dir, sizeof dir) < 0) {
		pdfdoc_free(d);
		return -1;
	}
	int fd = pdfdoc_tmpfile(dir, "log.pdf", O_RDWR);
	if (fd < 0)
		goto out;
	int pages = pdfdoc_write(d, fd);
	if (pages < 0)
		goto out;
	const char *plain = arena_printf("%s/log.pdf", dir), *archival = arena_printf("%s/log-a.pdf", dir);
	int pdfa = pdfa_convert(dir, plain, archival, title, LOGPDF_TIMEOUT_MS);
	if (pdfa < 0)
		goto out;
	if (pdfa == 1) {
		int afd = open(archival, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		*out = afd < 0 ? NULL : slurp(afd, len);
		if (afd >= 0)
			close(afd);
	} else {
		*out = slurp(fd, len); /* cairo's PDF: whole, but not PDF/A */
	}
	rc = *out ? pdfa : -1;
	if (rc < 0)
		log_error("logpdf: cannot read the PDF back");
out:
	if (fd >= 0)
		close(fd);
	pdfdoc_tmpdir_remove(dir);
	pdfdoc_free(d);
	return rc;
}

int logpdf_write(const json_t *doc, const char *lang, const char *path)
{
	char *pdf;
	size_t len;
	int rc = logpdf_build(doc, lang, &pdf, &len);
	if (rc < 0)
		return rc;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		log_error("logpdf: cannot create the file: %s", strerror(errno));
		return -1;
	}
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, pdf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	if (close(fd) < 0 || done < len) {
		log_error("logpdf: cannot write the file: %s", strerror(errno));
		unlink(path);
		return -1;
	}
	return rc;
}
