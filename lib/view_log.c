/* view_log.c — the whole log as its page shows it: reads the log's row and
 * its concerns once, the guardians, and fills each part of the page from
 * the domain modules that own it (consent, concern, measure, note, logbook).
 * Writes nothing. */
#include "view_log.h"

#include <string.h>
#include <time.h>

#include "agreement.h"
#include "arena.h"
#include "authz.h"
#include "concern.h"
#include "config.h"
#include "consent.h"
#include "i18n.h"
#include "invitation.h"
#include "logbook.h"
#include "measure.h"
#include "message.h"
#include "note.h"
#include "reopen.h"
#include "session.h"
#include "view.h"
#include "view_archive.h"
#include "view_handover.h"
#include "view_measure.h"
#include "view_meeting.h"
#include "view_purge.h"

/* What every part of the page reads, read once. */
struct logview {
	const struct session *s;
	const char *lang;
	const struct authz *az;
	int64_t id;
	struct logbook_summary log; /* the log's row */
	struct concern *concerns;   /* oldest first */
	int nconcerns;
};

static void set_facts(struct tv *out, const struct logview *v)
{
	const struct logbook_summary *s = &v->log;
	tv_set_int(out, "id", s->id);
	tv_set_str(out, "given_name", s->subject_given_name);
	tv_set_str(out, "family_name", s->subject_family_name);
	tv_set_str(out, "subject_kind", s->subject_kind);
	/* A pregnancy's log speaks of her and the expected date, never of a
	 * child or its guardians. */
	tv_set_bool(out, "pregnancy", strcmp(s->subject_kind, "pregnancy") == 0);
	if (s->expected_date)
		tv_set_str(out, "expected_date", s->expected_date);
	tv_set_str(out, "unit", s->unit_name);
	tv_set_str(out, "state", logbook_state_label(s->state));
	tv_set_str(out, "state_code", s->state);
	tv_set_str(out, "holder", view_name(s->holder_given_name, s->holder_family_name));
	tv_set_str(out, "created_at", s->created_at);
	tv_set_str(out, "role", logbook_role_label(authz_role_name(v->az->role)));
	tv_set_bool(out, "is_holder", v->az->role == AUTHZ_HOLDER);
	tv_set_bool(out, "may_see_readers", v->az->may[AUTHZ_READERS]);
	tv_set_bool(out, "may_consent", v->az->may[AUTHZ_CONSENT]);
	tv_set_bool(out, "may_delete", v->az->may[AUTHZ_DELETE]);
}

static int guardians(const struct logview *v, struct tv *log)
{
	struct logbook_guardian *g;
	int n = logbook_guardians(v->s->municipality_id, v->id, &g);
	if (n < 0)
		return n;
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++) {
		struct tv *o = tv_push_obj(list);
		tv_set_str(o, "name", view_name(g[i].given_name, g[i].family_name));
		tv_set_bool(o, "never_logged_in", g[i].first_login_at == NULL);
	}
	tv_set(log, "guardians", list);
	return 0;
}

void view_log_consent(const struct logbook_summary *log, struct tv *out)
{
	struct consent_summary c = consent_summary_of(log, (int)config_int("consent.warn_days"));
	struct tv *o = tv_obj();
	bool draft = strcmp(c.state, "draft") == 0;
	tv_set_str(o, "until", c.consent_until ? c.consent_until : "");
	tv_set_bool(o, "withdrawn", c.withdrawn);
	tv_set_bool(o, "waiting", !c.withdrawn && draft);
	tv_set_bool(o, "complete", !c.withdrawn && !draft && c.complete && !c.expiring);
	tv_set_bool(o, "expiring", !c.withdrawn && c.expiring);
	tv_set_int(o, "days_left", c.days_left);
	/* Past its draft without a valid consent: read-only until renewed. */
	tv_set_bool(o, "read_only", !c.withdrawn && strcmp(c.state, "closed") != 0 && c.lapsed);
	tv_set(out, "consent", o);
}

static int consent(const struct logview *v, struct tv *log)
{
	view_log_consent(&v->log, log);
	/* A withdrawn log: why it is not deleted yet (its archive copy). */
	return v->log.withdrawn ? view_purge_wait(v->s->municipality_id, v->id, log) : 0;
}

static int state_requests(const struct logview *v, struct tv *log)
{
	struct logbook_request *req;
	int n = logbook_requests(v->s->municipality_id, v->id, &req);
	if (n < 0)
		return n;
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++)
		view_request(list, &req[i]);
	tv_set(log, "state_requests", list);
	return 0;
}

/* Basic data, BTI level, the child's voice, the concerns with their areas,
 * open state requests for the holder, and what the viewer may do. */
static int concerns(const struct logview *v, struct tv *log)
{
	const struct logbook_summary *b = &v->log;
	const struct concern *c = v->concerns;
	const struct authz *az = v->az;
	struct concern_link *links;
	int rc, n = v->nconcerns, nl = concern_links(v->s->municipality_id, v->id, v->lang, &links);
	if (nl < 0)
		return nl;
	if (az->may[AUTHZ_MANAGE] && (rc = state_requests(v, log)) < 0)
		return rc;
	if (b->bti_level >= 0) {
		tv_set_int(log, "bti_level", b->bti_level);
		tv_set_str(log, "bti_label", logbook_bti_label(b->bti_level));
		tv_set_str(log, "bti_plain",
			   b->bti_level == 3 && strcmp(b->subject_kind, "pregnancy") == 0
				   ? _("Many services work together. You may have the right to an individual "
				       "plan with a coordinator: ask the log holder.")
				   : logbook_bti_plain(b->bti_level));
	}
	tv_set_str(log, "basic_info", b->basic_info ? b->basic_info : "");
	tv_set_str(log, "child_voice", b->child_voice ? b->child_voice : "");
	struct tv *list = tv_list();
	for (int i = 0, j = 0; i < n; i++) {
		struct tv *o = tv_push_obj(list);
		tv_set_int(o, "id", c[i].id);
		tv_set_str(o, "title", c[i].title);
		tv_set_str(o, "description", c[i].description ? c[i].description : "");
		struct tv *areas = tv_list();
		for (; j < nl && links[j].concern_id == c[i].id; j++)
			tv_push(areas, tv_str(links[j].name));
		tv_set(o, "areas", areas);
	}
	tv_set(log, "concerns", list);
	/* Who takes part besides the holder, with their task: everyone who
	 * reads the log sees who else does. */
	struct invitation_actor *a;
	int na = invitation_actors(v->s->municipality_id, v->id, &a);
	if (na < 0)
		return na;
	struct tv *actors = tv_list();
	for (int i = 0; i < na; i++) {
		if (a[i].removed_at)
			continue;
		struct tv *o = tv_push_obj(actors);
		tv_set_str(o, "name", view_name(a[i].given_name, a[i].family_name));
		tv_set_str(o, "unit", a[i].unit_name);
		tv_set_str(o, "task", a[i].task ? a[i].task : "");
	}
	tv_set(log, "actors", actors);
	tv_set_bool(log, "may_actors", az->may[AUTHZ_ACTORS]);
	tv_set_bool(log, "may_edit", az->may[AUTHZ_WRITE]);
	tv_set_bool(log, "may_state", az->may[AUTHZ_MANAGE]);
	tv_set_bool(log, "may_guardians", az->may[AUTHZ_GUARDIANS]);
	tv_set_bool(log, "may_history", az->may[AUTHZ_HISTORY]);
	tv_set_bool(log, "may_pdf", az->may[AUTHZ_PDF]);
	tv_set_bool(log, "may_export", az->may[AUTHZ_EXPORT]);
	tv_set_bool(log, "may_ask_state", az->may[AUTHZ_CONSENT] && logbook_open(b->state));
	/* A closed log: the way to reopening it, and whether it is asked now
	 * (the holder and those asked answer there: reopen.h). */
	if (strcmp(b->state, "closed") == 0 && (az->may[AUTHZ_REOPEN] || az->may[AUTHZ_REOPEN_ANSWER])) {
		struct reopen_status st;
		if ((rc = reopen_status(v->s->municipality_id, v->id, &st)) < 0)
			return rc;
		tv_set_bool(log, "may_reopen", true);
		tv_set_bool(log, "reopen_asked",
			    az->may[AUTHZ_REOPEN_ANSWER] && st.id && strcmp(st.state, "asked") == 0);
	}
	return 0;
}

/* A measure in the log page's list: its details, its latest evaluation and
 * what the viewer may do with it. */
static struct tv *measure_line(const struct measure *m, bool may_evaluate, bool may_write)
{
	struct tv *o = view_measure_item(m);
	if (m->eval_category) {
		struct tv *e = tv_obj();
		tv_set_str(e, "category", measure_category_label(m->eval_category));
		tv_set_str(e, "plain", measure_category_plain(m->eval_category));
		tv_set_str(e, "text", m->eval_text ? m->eval_text : "");
		tv_set_str(e, "at", m->eval_at);
		tv_set_str(e, "by", view_name(m->eval_given_name, m->eval_family_name));
		tv_set(o, "evaluation", e);
	}
	tv_set_bool(o, "may_evaluate", may_evaluate);
	tv_set_bool(o, "may_edit", may_write);
	return o;
}

/* The earliest of a date field among the measures still planned or going
 * on (YYYY-MM-DD compares as text), NULL if none. */
static const char *earliest(const struct measure *m, int n, bool evaluation)
{
	const char *best = NULL;
	for (int i = 0; i < n; i++) {
		const char *d = evaluation ? m[i].evaluation_date : m[i].deadline;
		bool open = strcmp(m[i].status, "planned") == 0 || strcmp(m[i].status, "ongoing") == 0;
		if (open && d && (!best || strcmp(d, best) < 0))
			best = d;
	}
	return best;
}

/* The log page's summary: the next deadline and the next evaluation of the
 * open measures, and whether each has passed (today in Oslo). */
static void next_dates(const struct measure *m, int n, struct tv *log)
{
	char today[16];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	const char *deadline = earliest(m, n, false), *evaluation = earliest(m, n, true);
	if (deadline) {
		tv_set_str(log, "next_deadline", deadline);
		tv_set_bool(log, "deadline_passed", strcmp(deadline, today) < 0);
	}
	if (evaluation) {
		tv_set_str(log, "next_evaluation", evaluation);
		tv_set_bool(log, "evaluation_passed", strcmp(evaluation, today) < 0);
	}
}

/* log.goals: the concerns with their goals and measures, the latest
 * evaluation of each, and what the viewer may do (templates/log_goals.html). */
static int goals(const struct logview *v, struct tv *log)
{
	const struct concern *concerns = v->concerns;
	struct measure_goal *goals = NULL;
	struct measure *measures = NULL;
	int64_t m = v->s->municipality_id;
	int nc = v->nconcerns, ng = measure_goals(m, v->id, &goals);
	int nm = ng < 0 ? ng : measure_list(m, v->id, &measures);
	if (nm < 0)
		return nm;
	bool write = v->az->may[AUTHZ_WRITE];
	next_dates(measures, nm, log);
	struct tv *list = tv_list();
	for (int c = 0; c < nc; c++) {
		struct tv *co = tv_push_obj(list);
		tv_set_int(co, "id", concerns[c].id);
		tv_set_str(co, "title", concerns[c].title);
		tv_set_str(co, "description", concerns[c].description ? concerns[c].description : "");
		struct tv *gl = tv_list();
		for (int g = 0; g < ng; g++) {
			if (goals[g].concern_id != concerns[c].id)
				continue;
			struct tv *go = tv_push_obj(gl);
			tv_set_int(go, "id", goals[g].id);
			tv_set_str(go, "text", goals[g].text);
			struct tv *ml = tv_list();
			for (int i = 0; i < nm; i++) {
				if (measures[i].goal_id != goals[g].id)
					continue;
				bool mine = measure_responsible(&measures[i], v->s->person_id);
				tv_push(ml,
					measure_line(&measures[i], authz_may_evaluate(v->az, mine), write));
			}
			tv_set(go, "measures", ml);
		}
		tv_set(co, "goals", gl);
	}
	struct tv *sec = tv_obj();
	tv_set(sec, "concerns", list);
	tv_set_bool(sec, "may_write", write);
	tv_set_int(sec, "text_max", config_int("log.text_max"));
	tv_set(log, "goals", sec);
	return 0;
}

/* log.notes: the list, whether the viewer may write one, and the concerns
 * to link to (templates/log_notes.html). */
static int notes(const struct logview *v, struct tv *log)
{
	struct note *notes;
	int n = note_list(v->s->municipality_id, v->id, NOTE_LIST_LIMIT, &notes);
	if (n < 0)
		return n;
	bool entry = v->az->may[AUTHZ_ENTRY];
	int nc = entry ? v->nconcerns : 0;
	struct tv *sec = tv_obj(), *list = tv_list(), *cl = tv_list();
	for (int i = 0; i < n; i++) {
		struct tv *o = tv_push_obj(list);
		tv_set_int(o, "id", notes[i].id);
		tv_set_str(o, "text", notes[i].text);
		tv_set_bool(o, "glimpse", notes[i].glimpse);
		tv_set_str(o, "at", notes[i].at);
		tv_set_str(o, "by", view_name(notes[i].given_name, notes[i].family_name));
		tv_set_str(o, "concern", notes[i].concern_title ? notes[i].concern_title : "");
	}
	for (int i = 0; i < nc; i++) {
		struct tv *o = tv_push_obj(cl);
		tv_set_int(o, "id", v->concerns[i].id);
		tv_set_str(o, "title", v->concerns[i].title);
	}
	tv_set(sec, "list", list);
	tv_set(sec, "concerns", cl);
	tv_set_bool(sec, "may_write", entry);
	tv_set_int(sec, "max", config_int("log.short_text_max"));
	tv_set(log, "notes", sec);
	return 0;
}

/* log.messages: how many the thread has and how many are new to the
 * viewer, for the link to it (cgi-bin/messages.c). */
static int messages(const struct logview *v, struct tv *log)
{
	int total, unread;
	int rc = message_counts(v->s->municipality_id, v->id, v->s->person_id, &total, &unread);
	if (rc < 0)
		return rc;
	struct tv *sec = tv_obj();
	tv_set_int(sec, "total", total);
	tv_set_int(sec, "unread", unread);
	tv_set_bool(sec, "one_unread", unread == 1);
	tv_set(log, "messages", sec);
	return 0;
}

/* The parts of the page in page order, each under its own key of the log
 * object; the templates have a partial for each. */
typedef int (*part_fn)(const struct logview *v, struct tv *log);
/* log.agreements: each agreement as it is now (agreement.h). */
static int agreements(const struct logview *v, struct tv *log)
{
	struct agreement *a;
	int n = agreement_list(v->s->municipality_id, v->id, &a);
	if (n < 0)
		return n;
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++) {
		struct tv *o = tv_push_obj(list);
		tv_set_int(o, "id", a[i].id);
		tv_set_str(o, "text", a[i].text);
		tv_set_str(o, "parties", a[i].parties);
		tv_set_str(o, "agreed_on", a[i].agreed_on);
		tv_set_str(o, "review_on", a[i].review_on ? a[i].review_on : "");
		tv_set_bool(o, "changed", a[i].version > 1);
	}
	tv_set(log, "agreements", list);
	return 0;
}

/* log.meetings: the meetings and the state of their minutes (view_meeting.c). */
static int meetings(const struct logview *v, struct tv *log)
{
	return view_log_meetings(v->s, v->az, v->id, log);
}

/* log.handover: how the latest offer of the log stands, for everyone who
 * reads it (view_handover.c). */
static int handover(const struct logview *v, struct tv *log)
{
	return view_log_handover(v->s, v->az, v->id, log);
}

/* log.archive_records: the log's copies in the archive and how each stands,
 * for those who may see its history (view_archive.c). */
static int archive(const struct logview *v, struct tv *log)
{
	return view_log_archive(v->s, v->az, v->id, log);
}

static const part_fn parts[] = { guardians,  consent,  concerns, goals,	  notes, messages,
				 agreements, meetings, handover, archive, NULL };

int view_log(const struct session *s, const char *lang, const struct authz *az, int64_t log_id,
	     struct tv *out)
{
	struct logview v = { .s = s, .lang = lang, .az = az, .id = log_id };
	int rc = logbook_summary(s->municipality_id, log_id, &v.log);
	if (rc <= 0)
		return rc;
	if ((v.nconcerns = concern_list(s->municipality_id, log_id, &v.concerns)) < 0)
		return v.nconcerns;
	set_facts(out, &v);
	for (const part_fn *f = parts; *f; f++)
		if ((rc = (*f)(&v, out)) < 0)
			return rc;
	return 1;
}
