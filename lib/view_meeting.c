/* view_meeting.c — meetings and minutes as their pages show them
 * (view_meeting.h). */
#include "view_meeting.h"

#include <string.h>
#include <time.h>

#include "arena.h"
#include "authz.h"
#include "config.h"
#include "i18n.h"
#include "logbook.h"
#include "measure.h"
#include "meeting.h"
#include "minutes.h"
#include "session.h"
#include "view.h"

/* A participant's relation to the log, in words after their name. */
static const char *relation_word(const char *relation, bool pregnancy)
{
	static const struct i18n_label words[] = {
		{ "holder", NC_("a role in the log, in a sentence", "log holder") },
		{ "actor", NC_("a role in the log, in a sentence", "actor") },
		{ "guardian", NC_("a role in the log, in a sentence", "guardian") },
		{ "leader", NC_("a role in the log, in a sentence", "leader of the unit") },
		{ NULL },
	};
	if (strcmp(relation, "youth") == 0)
		return pregnancy ? _("the one the log is about")
				 : C_("a role in the log, in a sentence", "the young person");
	return i18n_label(words, relation);
}

static bool is_pregnancy(const struct logbook_summary *log)
{
	return log->subject_kind && strcmp(log->subject_kind, "pregnancy") == 0;
}

/* UTC "YYYY-MM-DD HH:MM" minutes after a UTC time. */
static const char *plus_minutes(const char *utc, int minutes)
{
	struct tm tm = { 0 };
	if (!utc || !strptime(utc, "%Y-%m-%d %H:%M", &tm))
		return "";
	time_t at = timegm(&tm) + (time_t)minutes * 60;
	struct tm u;
	char s[20];
	gmtime_r(&at, &u);
	strftime(s, sizeof s, "%Y-%m-%d %H:%M", &u);
	return arena_strdup(s);
}

/* A meeting's own facts: {id, starts, ends, length, place, video_url,
 * agenda, cancelled, begun, version, has_minutes, approved}. */
static struct tv *meeting_facts(const struct meeting *m)
{
	struct tv *o = tv_obj();
	tv_set_int(o, "id", m->id);
	tv_set_str(o, "starts", arena_printf("%.16s", m->starts_at));
	tv_set_str(o, "ends", plus_minutes(m->starts_at, m->minutes));
	tv_set_int(o, "length", m->minutes);
	tv_set_str(o, "place", m->place ? m->place : "");
	tv_set_str(o, "video_url", m->video_url ? m->video_url : "");
	tv_set_str(o, "agenda", m->agenda ? m->agenda : "");
	tv_set_bool(o, "cancelled", m->cancelled_at != NULL);
	tv_set_bool(o, "begun", m->begun);
	tv_set_bool(o, "coming", !m->begun && !m->cancelled_at);
	tv_set_int(o, "version", m->version);
	tv_set_bool(o, "has_minutes", m->minutes_id != 0);
	tv_set_bool(o, "approved", m->minutes_approved);
	tv_set_bool(o, "minutes_draft", m->minutes_id != 0 && !m->minutes_approved);
	tv_set_int(o, "participants", m->participants);
	return o;
}

static struct tv *person_line(const struct meeting_person *p, bool pregnancy)
{
	struct tv *o = tv_obj();
	tv_set_int(o, "id", p->person_id);
	tv_set_str(o, "name", view_name(p->given_name, p->family_name));
	tv_set_str(o, "relation", relation_word(p->relation, pregnancy));
	tv_set_str(o, "unit", p->unit ? p->unit : "");
	tv_set_bool(o, "no_email", !p->email || !*p->email);
	tv_set_bool(o, "attended", p->attended == 1);
	tv_set_bool(o, "absent", p->attended == 0);
	return o;
}

/* The summary's error links to the first box of a list of checkboxes. */
static void anchor_first(struct tv *data, const char *field, const char *prefix, int64_t first)
{
	struct tv *a = tv_obj();
	tv_set_str(a, field, arena_printf("%s%lld", prefix, (long long)first));
	tv_set(data, "error_anchor", a);
}

int view_meeting_new(const struct session *s, int64_t log_id, const struct form *f, struct tv *data)
{
	struct logbook_summary log;
	struct meeting_person *p;
	int rc = logbook_summary(s->municipality_id, log_id, &log);
	if (rc <= 0)
		return rc;
	int n = meeting_people(s->municipality_id, log_id, &p);
	if (n < 0)
		return n;
	view_log_heading(data, &log);
	struct tv *list = tv_list();
	int64_t first = 0;
	for (int i = 0; i < n; i++) {
		if (p[i].person_id == s->person_id) {
			tv_set_bool(data, "organiser_no_email", !p[i].email || !*p[i].email);
			continue;
		}
		struct tv *o = person_line(&p[i], is_pregnancy(&log));
		tv_set_bool(o, "checked", f && form_has_id(f, "people", p[i].person_id));
		tv_push(list, o);
		if (!first)
			first = p[i].person_id;
	}
	tv_set(data, "people", list);
	if (first)
		anchor_first(data, "people", "people-", first);
	struct tv *form = f ? view_form(f) : tv_obj();
	if (!f)
		view_value(form, "length", "60");
	tv_set(data, "form", form);
	tv_set_int(data, "text_max", config_int("log.text_max"));
	tv_set_str(data, "title", _("Plan a meeting"));
	return 1;
}

int view_meeting(const struct session *s, const struct authz *az, int64_t log_id, int64_t meeting_id,
		 const struct form *f, struct tv *data)
{
	struct logbook_summary log;
	struct meeting m;
	struct meeting_person *p;
	int rc = logbook_summary(s->municipality_id, log_id, &log);
	if (rc <= 0 || (rc = meeting_get(s->municipality_id, log_id, meeting_id, &m)) <= 0)
		return rc;
	int n = meeting_participants(s->municipality_id, meeting_id, &p);
	if (n < 0)
		return n;
	view_log_heading(data, &log);
	struct tv *mt = meeting_facts(&m);
	tv_set(data, "meeting", mt);
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++)
		tv_push(list, person_line(&p[i], is_pregnancy(&log)));
	tv_set(data, "participants", list);
	bool open = !m.cancelled_at && !m.minutes_id;
	tv_set_bool(data, "may_change", az->may[AUTHZ_WRITE] && open);
	tv_set_bool(data, "may_minutes",
		    m.begun && !m.cancelled_at && (m.minutes_id || az->may[AUTHZ_WRITE]));
	struct tv *form = f ? view_form(f) : tv_obj();
	if (!f) {
		char date[11], time[6];
		meeting_local(m.starts_at, date, time);
		/* Copied: the page is rendered after this returns. */
		view_value(form, "date", arena_strdup(date));
		view_value(form, "time", arena_strdup(time));
		view_value(form, "length", arena_printf("%d", m.minutes));
		view_value(form, "place", m.place);
		view_value(form, "video_url", m.video_url);
		view_value(form, "agenda", m.agenda);
	}
	tv_set(data, "form", form);
	tv_set_int(data, "text_max", config_int("log.text_max"));
	tv_set_str(data, "title", _("Meeting"));
	return 1;
}

/* The minutes' own values in their form, when none came back. */
static struct tv *minutes_form(const struct minutes *n, bool have)
{
	struct tv *form = tv_obj();
	view_value(form, "decisions", have ? n->decisions : "");
	view_value(form, "next_meeting", have ? n->next_meeting : "");
	return form;
}

int view_minutes(const struct session *s, const struct authz *az, int64_t log_id, int64_t meeting_id,
		 enum view_minutes_form which, const struct form *f, struct tv *data)
{
	struct logbook_summary log;
	struct meeting m;
	struct meeting_person *p;
	struct minutes n;
	struct measure *ms;
	int rc = logbook_summary(s->municipality_id, log_id, &log);
	if (rc <= 0 || (rc = meeting_get(s->municipality_id, log_id, meeting_id, &m)) <= 0)
		return rc;
	int np = meeting_participants(s->municipality_id, meeting_id, &p);
	if (np < 0)
		return np;
	if ((rc = minutes_get(s->municipality_id, log_id, meeting_id, &n)) < 0)
		return rc;
	bool have = rc == 1;
	struct minutes_measure *chosen = NULL;
	struct minutes_entry *e = NULL;
	int nc = 0, ne = 0, nm = 0;
	if (have &&
	    ((nc = minutes_measures(s->municipality_id, log_id, n.id, &chosen)) < 0 ||
	     (ne = minutes_entries(s->municipality_id, n.id, &e)) < 0))
		return nc < 0 ? nc : ne;
	bool write = az->may[AUTHZ_WRITE] && m.begun && !m.cancelled_at && !(have && n.approved_at);
	if (write && (nm = measure_list(s->municipality_id, log_id, &ms)) < 0)
		return nm;
	view_log_heading(data, &log);
	tv_set(data, "meeting", meeting_facts(&m));
	bool came_back = which == VIEW_MINUTES_WRITE && f;
	struct tv *people = tv_list();
	for (int i = 0; i < np; i++) {
		struct tv *o = person_line(&p[i], is_pregnancy(&log));
		tv_set_bool(o, "checked",
			    came_back ? form_has_id(f, "attended", p[i].person_id) : p[i].attended == 1);
		tv_push(people, o);
	}
	tv_set(data, "participants", people);
	if (np)
		anchor_first(data, "attended", "attended-", p[0].person_id);
	if (have) {
		struct tv *o = tv_obj();
		tv_set_int(o, "id", n.id);
		tv_set_bool(o, "child", n.child_took_part);
		tv_set_bool(o, "guardians", n.guardians_took_part);
		tv_set_bool(o, "leader", n.leader_took_part);
		tv_set_str(o, "decisions", n.decisions);
		tv_set_str(o, "next_meeting", n.next_meeting ? n.next_meeting : "");
		tv_set_bool(o, "approved", n.approved_at != NULL);
		tv_set_str(o, "approved_at", n.approved_at ? n.approved_at : "");
		tv_set_str(o, "approved_by", view_name(n.approver_given_name, n.approver_family_name));
		tv_set_str(o, "by", view_name(n.author_given_name, n.author_family_name));
		tv_set_str(o, "at", n.created_at);
		tv_set_int(o, "version", n.version);
		struct tv *list = tv_list();
		for (int i = 0; i < nc; i++) {
			struct tv *x = tv_push_obj(list);
			tv_set_int(x, "id", chosen[i].measure_id);
			tv_set_str(x, "description", chosen[i].description);
			tv_set_str(x, "goal", chosen[i].goal_text);
		}
		tv_set(o, "measures", list);
		struct tv *entries = tv_list();
		for (int i = 0; i < ne; i++) {
			struct tv *x = tv_push_obj(entries);
			tv_set_int(x, "id", e[i].id);
			tv_set_bool(x, "correction", strcmp(e[i].kind, "correction") == 0);
			tv_set_str(x, "text", e[i].text);
			tv_set_str(x, "at", e[i].at);
			tv_set_str(x, "by", view_name(e[i].given_name, e[i].family_name));
		}
		tv_set(o, "entries", entries);
		tv_set(data, "minutes", o);
	}
	if (write) {
		struct tv *list = tv_list();
		for (int i = 0; i < nm; i++) {
			struct tv *x = tv_push_obj(list);
			tv_set_int(x, "id", ms[i].id);
			tv_set_str(x, "description", ms[i].description);
			tv_set_str(x, "goal", ms[i].goal_text);
			bool was = false;
			for (int j = 0; j < nc && !was; j++)
				was = chosen[j].measure_id == ms[i].id;
			tv_set_bool(x, "checked", came_back ? form_has_id(f, "measures", ms[i].id) : was);
		}
		tv_set(data, "measures", list);
		tv_set_bool(data, "child_checked",
			    came_back ? form_get(f, "child_took_part")->num == 1 : have && n.child_took_part);
		tv_set_bool(data, "guardians_checked",
			    came_back ? form_get(f, "guardians_took_part")->num == 1
				      : have && n.guardians_took_part);
		tv_set_bool(data, "leader_checked",
			    came_back ? form_get(f, "leader_took_part")->num == 1
				      : have && n.leader_took_part);
	}
	tv_set_bool(data, "may_write", write);
	tv_set_bool(data, "too_early", !m.begun && !m.cancelled_at);
	tv_set_bool(data, "may_approve", write && have);
	tv_set_bool(data, "may_correct", az->may[AUTHZ_WRITE] && have && n.approved_at);
	tv_set_bool(data, "may_comment", az->may[AUTHZ_ENTRY] && have);
	tv_set_int(data, "version", have ? n.version : 0);
	tv_set(data, "form", came_back ? view_form(f) : minutes_form(&n, have));
	tv_set(data, "comment_form", which == VIEW_MINUTES_COMMENT && f ? view_form(f) : tv_obj());
	tv_set(data, "correction_form", which == VIEW_MINUTES_CORRECT && f ? view_form(f) : tv_obj());
	tv_set_int(data, "text_max", config_int("log.text_max"));
	tv_set_int(data, "short_max", config_int("log.short_text_max"));
	tv_set_str(data, "title", _("Minutes of the meeting"));
	return 1;
}

int view_log_meetings(const struct session *s, const struct authz *az, int64_t log_id, struct tv *log)
{
	struct meeting *m;
	struct minutes *n;
	struct minutes_measure *mm;
	int nm = meeting_list(s->municipality_id, log_id, &m), nn = 0, nx = 0;
	if (nm < 0)
		return nm;
	if (nm > 0 &&
	    ((nn = minutes_list(s->municipality_id, log_id, &n)) < 0 ||
	     (nx = minutes_measures(s->municipality_id, log_id, 0, &mm)) < 0))
		return nn < 0 ? nn : nx;
	struct tv *sec = tv_obj(), *coming = tv_list(), *held = tv_list();
	for (int i = 0; i < nm; i++) {
		struct tv *o = meeting_facts(&m[i]);
		tv_push(m[i].begun || m[i].cancelled_at ? held : coming, o);
		for (int j = 0; j < nn; j++) {
			if (n[j].meeting_id != m[i].id || !n[j].approved_at)
				continue;
			/* What was decided, for the page in plain words. */
			tv_set_str(o, "decisions", n[j].decisions);
			tv_set_str(o, "next_meeting", n[j].next_meeting ? n[j].next_meeting : "");
			struct tv *list = tv_list();
			for (int k = 0; k < nx; k++) {
				if (mm[k].minutes_id != n[j].id)
					continue;
				struct tv *x = tv_push_obj(list);
				tv_set_int(x, "id", mm[k].measure_id);
				tv_set_str(x, "description", mm[k].description);
			}
			tv_set(o, "measures", list);
		}
	}
	tv_set(sec, "coming", coming);
	tv_set(sec, "held", held);
	tv_set_bool(sec, "any", nm > 0);
	tv_set_bool(sec, "may_plan", az->may[AUTHZ_WRITE]);
	tv_set(log, "meetings", sec);
	return 0;
}
