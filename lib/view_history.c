/* view_history.c — the history's rows as sentences. Which rows exist is
 * what lib/ records with history_record and history_change (grep history_
 * in lib/): each kind has its patterns here, and a row of a kind this file
 * does not know says only that someone changed the log. */
#include "view_history.h"

#include <stdbool.h>
#include <string.h>

#include "arena.h"
#include "consent.h"
#include "history.h"
#include "i18n.h"
#include "measure.h"
#include "tmpl.h"
#include "view.h"
#include "view_sentence.h"

/* How a field's values read in a sentence. */
enum shown {
	PLAIN,	/* as stored: names, titles */
	DATE,	/* a calendar date */
	STATE,	/* a log's state, as a word in a sentence */
	STATUS, /* a measure's status, as a word in a sentence */
	TEXT,	/* free text: under the sentence, before and after, unless the sentence quotes it */
	WHEN,	/* a moment (UTC "YYYY-MM-DD HH:MM"), shown in Oslo time */
};

/* The patterns of one field: a value given where there was none, a value
 * changed, a value taken away. NULL: as changed. */
struct field_words {
	const char *entity, *field;
	const char *set, *changed, *removed;
	enum shown shown;
};

/* clang-format off */
static const struct field_words fields[] = {
	{ "log", "subject",
	  N_("{who} registered {new} as the one the log is about"),
	  N_("{who} changed whom the log is about from {old} to {new}"), NULL, PLAIN },
	{ "log", "bti_level",
	  N_("{who} set the BTI level to {new}"),
	  N_("{who} changed the BTI level from {old} to {new}"),
	  N_("{who} changed the BTI level from {old} to not assessed"), PLAIN },
	{ "log", "basic_info",
	  N_("{who} wrote the basic data"),
	  N_("{who} changed the basic data"),
	  N_("{who} removed the basic data"), TEXT },
	{ "log", "child_voice",
	  N_("{who} wrote down the child's own voice"),
	  N_("{who} changed the child's own voice"),
	  N_("{who} removed the child's own voice"), TEXT },
	{ "log", "consent_until",
	  N_("{who} recorded consent, so the log's consent is valid until {new}"), NULL,
	  N_("{who} withdrew consent, so the log no longer has the consent it needs"), DATE },
	{ "log", "withdrawn_at",
	  N_("{who} withdrew the consent to establish the log: the log is locked and will be archived"),
	  NULL, NULL, PLAIN },
	{ "guardian", "guardian",
	  N_("{who} registered {new} as a guardian"), NULL,
	  N_("{who} removed {old} as a guardian"), PLAIN },
	{ "guardian", "removal_reason",
	  N_("{who} gave a reason for removing a guardian"), NULL, NULL, TEXT },
	{ "log", "state_reason",
	  N_("{who} gave a reason for changing the state of the log"), NULL, NULL, TEXT },
	{ "actor", "actor",
	  N_("{who} added {new} as an actor in the log"), NULL,
	  N_("{who} removed {old} as an actor in the log: their access ended"), PLAIN },
	{ "actor", "removal_reason",
	  N_("{who} gave a reason for removing an actor"), NULL, NULL, TEXT },
	{ "actor", "accepted",
	  N_("{who} accepted the invitation and takes part in the log as an actor"), NULL, NULL, PLAIN },
	{ "actor", "task",
	  N_("{who} has the task"), NULL, NULL, TEXT },
	{ "agreement", "text",
	  N_("{who} wrote down an agreement"),
	  N_("{who} changed what an agreement says (a new version; the old one is kept)"), NULL, TEXT },
	{ "agreement", "parties",
	  N_("{who} wrote that {new} agreed"),
	  N_("{who} changed who agreed from {old} to {new}"), NULL, PLAIN },
	{ "agreement", "agreed_on",
	  N_("{who} dated the agreement {new}"),
	  N_("{who} changed the date of an agreement from {old} to {new}"), NULL, DATE },
	{ "agreement", "review_on",
	  N_("{who} set {new} as the date to look at the agreement again"),
	  N_("{who} moved the date to look at an agreement again from {old} to {new}"),
	  N_("{who} removed the date to look at an agreement again"), DATE },
	{ "invitation", "invited",
	  N_("{who} invited {new} by e-mail to take part in the log"), NULL, NULL, PLAIN },
	{ "invitation", "resent",
	  N_("{who} sent {new} a new link to the invitation"), NULL, NULL, PLAIN },
	{ "invitation", "revoked",
	  NULL, NULL, N_("{who} withdrew the invitation to {old}"), PLAIN },
	/* Handing the log over (lib/handover.c). */
	{ "handover", "offered_stay",
	  N_("{who} offered to hand the log over to {new}, and to stay on as an actor"), NULL, NULL, PLAIN },
	{ "handover", "offered_leave",
	  N_("{who} offered to hand the log over to {new}, and to leave it then"), NULL, NULL, PLAIN },
	{ "handover", "withdrawn",
	  NULL, NULL, N_("{who} withdrew the offer of the log to {old}"), PLAIN },
	{ "handover", "declined",
	  NULL, NULL, N_("{who} declined to take over the log from {old}"), PLAIN },
	{ "handover", "decline_reason",
	  N_("{who} gave a reason for declining the log"), NULL, NULL, TEXT },
	{ "handover", "accepted",
	  N_("{who} took over the log and holds it now"),
	  N_("{who} took over the log from {old} and holds it now"), NULL, PLAIN },
	{ "handover", "left",
	  NULL, NULL, N_("{old} handed the log over and left it: their access ended"), PLAIN },
	{ "handover", "moved",
	  N_("The log moved to {new}, with the child, the guardians and its history; no one in the "
	     "municipality it came from has access to it any more"), NULL, NULL, PLAIN },
	{ "handover", "expired",
	  NULL, NULL, N_("The offer of the log to {old} expired without an answer"), PLAIN },
	{ "concern", "title",
	  N_("{who} added the concern “{new}”"),
	  N_("{who} renamed the concern “{old}” to “{new}”"), NULL, PLAIN },
	{ "concern", "description",
	  N_("{who} wrote a description of the concern “{what}”"),
	  N_("{who} changed the description of the concern “{what}”"),
	  N_("{who} removed the description of the concern “{what}”"), TEXT },
	{ "concern", "areas",
	  N_("{who} chose development areas for the concern “{what}”"),
	  N_("{who} changed the development areas of the concern “{what}”"),
	  N_("{who} removed the development areas of the concern “{what}”"), TEXT },
	{ "goal", "text",
	  N_("{who} added the goal “{new}” under the concern “{concern}”"),
	  N_("{who} changed a goal under the concern “{concern}”"), NULL, TEXT },
	{ "measure", "description",
	  N_("{who} added the measure “{new}”"),
	  N_("{who} changed the description of a measure"), NULL, TEXT },
	{ "measure", "responsible",
	  N_("{who} made {new} responsible for the measure “{what}”"),
	  N_("{who} moved the responsibility for the measure “{what}” from {old} to {new}"), NULL, PLAIN },
	{ "measure", "start_date",
	  N_("{who} set the start of the measure “{what}” to {new}"),
	  N_("{who} moved the start of the measure “{what}” from {old} to {new}"),
	  N_("{who} removed the start date of the measure “{what}”"), DATE },
	{ "measure", "deadline",
	  N_("{who} set the deadline of the measure “{what}” to {new}"),
	  N_("{who} moved the deadline of the measure “{what}” from {old} to {new}"),
	  N_("{who} removed the deadline of the measure “{what}”"), DATE },
	{ "measure", "evaluation_date",
	  N_("{who} set the evaluation date of the measure “{what}” to {new}"),
	  N_("{who} moved the evaluation date of the measure “{what}” from {old} to {new}"),
	  N_("{who} removed the evaluation date of the measure “{what}”"), DATE },
	{ "measure", "status",
	  N_("{who} set the status of the measure “{what}” to {new}"),
	  N_("{who} changed the status of the measure “{what}” from {old} to {new}"), NULL, STATUS },
	{ "state_request", "wanted",
	  N_("{who} asked for the log to be {new}"), NULL, NULL, STATE },
	{ "state_request", "demanded",
	  N_("{who} decided that the log is to be {new}: a demand the log holder cannot decline"), NULL, NULL,
	  STATE },
	/* Reopening a closed log (lib/reopen.c). */
	{ "reopen_request", "asked",
	  N_("{who} asked to reopen the log, and asked for the approval of everyone whose consent it rests on"),
	  NULL, NULL, TEXT },
	{ "reopen_request", "approved",
	  N_("{who} approved reopening the log"), NULL, NULL, PLAIN },
	{ "reopen_request", "refused",
	  N_("{who} refused reopening the log: it stays closed"), NULL, NULL, PLAIN },
	{ "reopen_request", "refuse_reason",
	  N_("{who} gave a reason for refusing"), NULL, NULL, TEXT },
	{ "reopen_request", "withdrawn",
	  N_("{who} withdrew the question of reopening the log"), NULL, NULL, PLAIN },
	/* Meetings and their minutes (lib/meeting.c, lib/minutes.c). */
	{ "meeting", "starts_at",
	  N_("{who} planned a meeting for {new} and sent the invitations"),
	  N_("{who} moved the meeting of {old} to {new} and sent the new time"), NULL, WHEN },
	{ "meeting", "length",
	  N_("{who} set the length of a meeting to {new} minutes"),
	  N_("{who} changed the length of a meeting from {old} to {new} minutes"), NULL, PLAIN },
	{ "meeting", "place",
	  N_("{who} set the place of a meeting to {new}"),
	  N_("{who} changed the place of a meeting from {old} to {new}"),
	  N_("{who} removed the place of a meeting"), PLAIN },
	{ "meeting", "video_url",
	  N_("{who} added a video link to a meeting"),
	  N_("{who} changed the video link of a meeting"),
	  N_("{who} removed the video link of a meeting"), PLAIN },
	{ "meeting", "agenda",
	  N_("{who} wrote the agenda of a meeting"),
	  N_("{who} changed the agenda of a meeting"),
	  N_("{who} removed the agenda of a meeting"), TEXT },
	{ "meeting", "cancelled",
	  N_("{who} cancelled the meeting of {new} and told everyone invited"), NULL, NULL, WHEN },
	{ "minutes", "decisions",
	  N_("{who} wrote the minutes of a meeting"),
	  N_("{who} changed the minutes of a meeting"), NULL, TEXT },
	{ "minutes", "next_meeting",
	  N_("{who} wrote in the minutes when to meet next"),
	  N_("{who} changed in the minutes when to meet next"),
	  N_("{who} removed from the minutes when to meet next"), TEXT },
	{ "minutes", "approved",
	  N_("{who} approved the minutes of the meeting of {new}: they are locked"), NULL, NULL, WHEN },
	{ "minutes", "comment",
	  N_("{who} commented on the minutes of a meeting"), NULL, NULL, TEXT },
	{ "minutes", "correction",
	  N_("{who} added a correction to the approved minutes of a meeting"), NULL, NULL, TEXT },
};

/* A log's state and a measure's status as words inside a sentence ("from
 * active to passive"), not as the capitalised labels of a list. */
static const struct i18n_label state_words[] = {
	{ "draft", NC_("a log's state, in a sentence", "draft") },
	{ "active", NC_("a log's state, in a sentence", "active") },
	{ "passive", NC_("a log's state, in a sentence", "passive") },
	{ "closed", NC_("a log's state, in a sentence", "closed") },
	{ NULL },
};
static const struct i18n_label status_words[] = {
	{ "planned", NC_("a measure's status, in a sentence", "planned") },
	{ "ongoing", NC_("a measure's status, in a sentence", "ongoing") },
	{ "completed", NC_("a measure's status, in a sentence", "completed") },
	{ "stopped", NC_("a measure's status, in a sentence", "stopped") },
	{ NULL },
};

/* An evaluation by its category; a consent's withdrawal by its kind. */
static const struct i18n_label evaluated[] = {
	{ "achieved", N_("{who} evaluated the measure “{what}” as achieved") },
	{ "partly", N_("{who} evaluated the measure “{what}” as partly achieved") },
	{ "not_achieved", N_("{who} evaluated the measure “{what}” as not achieved") },
	{ "ended", N_("{who} evaluated the measure “{what}” as ended") },
	{ NULL },
};
static const struct i18n_label withdrew[] = {
	{ "establish", N_("{who} withdrew the consent to establish the log") },
	{ "cooperate", N_("{who} withdrew the consent to cooperation and information sharing") },
	{ NULL },
};
/* clang-format on */

/* Rows recorded together as one event: the row that makes a new thing
 * (its first field, from no value), takes one away (to no value) or changes
 * it, and the rows that follow it at once with their first values (a new
 * measure's dates, the reason given for a change). */
enum event { MADE, REMOVED, CHANGED };
struct lead {
	const char *entity, *field;
	enum event event;
	const char *followers[6];
};
static const struct lead leads[] = {
	{ "log", "state", MADE, { "subject" } },
	{ "log", "state", CHANGED, { "state_reason" } },
	{ "guardian", "guardian", REMOVED, { "removal_reason" } },
	{ "actor", "actor", REMOVED, { "removal_reason" } },
	{ "actor", "accepted", MADE, { "task" } },
	{ "handover", "declined", REMOVED, { "decline_reason" } },
	{ "reopen_request", "refused", MADE, { "refuse_reason" } },
	{ "agreement", "text", MADE, { "parties", "agreed_on", "review_on" } },
	{ "concern", "title", MADE, { "description", "areas" } },
	{ "measure",
	  "description",
	  MADE,
	  { "responsible", "start_date", "deadline", "evaluation_date", "status" } },
	{ "consent", "person", MADE, { "kind", "method", "given_at", "valid_until", "scope" } },
};

static bool is(const struct history_entry *e, const char *entity, const char *field)
{
	return strcmp(e->entity, entity) == 0 && (!field || strcmp(e->field, field) == 0);
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* The values of a sentence's slots. */
struct words {
	const char *who, *what, *old, *new, *concern, *person;
	enum i18n_fmt fmt; /* of old and new */
};

static struct tv *say(const char *pattern, const struct words *w)
{
	const struct view_slot slots[] = {
		{ "who", w->who, I18N_AS_IS },
		{ "what", w->what, I18N_AS_IS },
		{ "old", w->old, w->fmt },
		{ "new", w->new, w->fmt },
		{ "concern", w->concern, I18N_AS_IS },
		{ "person", w->person, I18N_AS_IS },
	};
	return view_sentence(_(pattern), slots, sizeof slots / sizeof slots[0]);
}

/* A value as the sentence shows it. */
static const char *word(enum shown shown, const char *value)
{
	if (!value)
		return NULL;
	if (shown == STATE)
		return i18n_label(state_words, value);
	if (shown == STATUS)
		return i18n_label(status_words, value);
	return value;
}

static struct words words_of(const struct history_entry *e, enum shown shown)
{
	return (struct words){
		.who = view_name(e->given_name, e->family_name),
		.what = or_empty(e->thing),
		.old = word(shown, e->old_value),
		.new = word(shown, e->new_value),
		.concern = or_empty(e->concern),
		.person = e->other_given ? view_name(e->other_given, e->other_family) : "",
		.fmt = shown == DATE	? I18N_DATE
			: shown == WHEN ? I18N_WHEN
					: I18N_AS_IS,
	};
}

static struct tv *new_entry(const struct history_entry *e)
{
	struct tv *o = tv_obj();
	tv_set_str(o, "at", e->at);
	/* "YYYY-MM-DD HH:MM" UTC as a machine reads it: "YYYY-MM-DDTHH:MMZ". */
	if (strlen(e->at) == 16)
		tv_set_str(o, "iso", arena_printf("%.10sT%sZ", e->at, e->at + 11));
	return o;
}

/* The sentence of a log's change of state. */
static const char *state_pattern(const struct history_entry *e)
{
	const char *from = or_empty(e->old_value), *to = or_empty(e->new_value);
	if (!e->old_value && strcmp(to, "draft") == 0)
		return N_("{who} created the log as a draft");
	if (strcmp(from, "draft") == 0 && strcmp(to, "active") == 0)
		return N_("{who} recorded the last consent needed, and the log became active");
	if (strcmp(from, "passive") == 0 && strcmp(to, "active") == 0)
		return N_("{who} made the log active again");
	if (strcmp(from, "closed") == 0 && strcmp(to, "active") == 0)
		return N_("{who} gave the last approval needed: the log is reopened and active again");
	if (strcmp(to, "passive") == 0)
		return N_("{who} made the log passive");
	if (strcmp(to, "closed") == 0)
		return N_("{who} closed the log");
	return N_("{who} changed the state of the log from {old} to {new}");
}

static const char *request_pattern(const struct history_entry *e)
{
	if (strcmp(or_empty(e->new_value), "done") == 0)
		return N_("{who} granted the request from {person} for the log to be {new}");
	return N_("{who} declined the request from {person} for the log to be {new}");
}

static const char *consent_pattern(const char *kind, const char *method)
{
	bool establish = strcmp(or_empty(kind), "establish") == 0,
	     cooperate = strcmp(or_empty(kind), "cooperate") == 0;
	if (strcmp(or_empty(method), "digital") == 0) {
		if (establish)
			return N_("{who} gave consent to establish the log");
		if (cooperate)
			return N_("{who} gave consent to cooperation and information sharing");
	}
	if (establish)
		return N_("{who} recorded that {person} consented to establishing the log, on a signed form");
	if (cooperate)
		return N_(
			"{who} recorded that {person} consented to cooperation and information sharing, on a "
			"signed form");
	return N_("{who} recorded a consent from {person}");
}

/* The pattern (untranslated) a table gives CODE, or otherwise. */
static const char *pattern_of(const struct i18n_label *patterns, const char *code, const char *otherwise)
{
	for (size_t i = 0; code && patterns[i].code; i++)
		if (strcmp(code, patterns[i].code) == 0)
			return patterns[i].text;
	return otherwise;
}

static const struct field_words *field_words(const struct history_entry *e)
{
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (is(e, fields[i].entity, fields[i].field))
			return &fields[i];
	return NULL;
}

static bool detail_of(const struct history_entry *e, const char **label, const char **value, bool *date);

/* Appends {label, value, date} to a list of details. */
static struct tv *push_detail(struct tv *list, const char *label, const char *value, bool date)
{
	struct tv *d = tv_push_obj(list);
	tv_set_str(d, "label", label);
	tv_set_str(d, "value", value);
	tv_set_bool(d, "date", date);
	return list;
}

/* One row on its own: its sentence, and for a text the sentence does not
 * quote, the text before and after. */
static struct tv *entry_of_row(const struct history_entry *e)
{
	struct tv *o = new_entry(e);
	const struct field_words *f = field_words(e);
	enum shown shown = f ? f->shown : PLAIN;
	const char *pattern;
	if (is(e, "log", "state")) {
		shown = STATE;
		pattern = state_pattern(e);
	} else if (is(e, "state_request", "handled")) {
		pattern = request_pattern(e);
	} else if (is(e, "measure", "evaluation")) {
		pattern = pattern_of(evaluated, e->new_value, N_("{who} evaluated the measure “{what}”"));
	} else if (is(e, "consent", "withdrawn_at")) {
		pattern = pattern_of(withdrew, e->kind, N_("{who} withdrew a consent"));
	} else if (is(e, "consent", NULL)) {
		pattern = N_("{who} recorded a consent");
	} else if (f) {
		pattern = !e->old_value ? f->set : !e->new_value && f->removed ? f->removed : f->changed;
		if (!pattern)
			pattern = f->set;
	} else {
		pattern = N_("{who} made a change to the log");
	}
	struct words w = words_of(e, shown);
	if (is(e, "state_request", "handled")) {
		w.new = i18n_label(state_words, e->kind);
		w.old = NULL;
	}
	tv_set(o, "sentence", say(pattern, &w));
	const char *label, *value;
	bool date;
	if (is(e, "consent", NULL) && detail_of(e, &label, &value, &date))
		tv_set(o, "details", push_detail(tv_list(), label, value, date));
	if (shown == TEXT && !strstr(pattern, "{new}") && !strstr(pattern, "{old}")) {
		if (e->old_value)
			tv_set_str(o, "before", e->old_value);
		if (e->new_value)
			tv_set_str(o, "after", e->new_value);
	}
	return o;
}

/* The label and value of a new thing's first value, or false for a field
 * that is part of the sentence instead. */
static bool detail_of(const struct history_entry *e, const char **label, const char **value, bool *date)
{
	static const struct {
		const char *field, *label;
		bool date;
	} details[] = {
		{ "subject", N_("Whom the log is about"), false },
		{ "description", N_("Description"), false },
		{ "areas", N_("Development areas"), false },
		{ "responsible", N_("Responsible"), false },
		{ "start_date", N_("Start"), true },
		{ "deadline", N_("Deadline"), true },
		{ "evaluation_date", N_("Evaluation date"), true },
		{ "status", N_("Status"), false },
		{ "given_at", N_("Date given"), true },
		{ "valid_until", N_("Valid until"), true },
		{ "scope", N_("Services"), false },
		{ "state_reason", N_("Reason given"), false },
		{ "removal_reason", N_("Reason given"), false },
		{ "refuse_reason", N_("Reason given"), false },
	};
	for (size_t i = 0; e->new_value && i < sizeof details / sizeof details[0]; i++) {
		if (strcmp(e->field, details[i].field) != 0)
			continue;
		*label = _(details[i].label);
		*date = details[i].date;
		*value = strcmp(e->field, "status") == 0 ? measure_status_label(e->new_value) : e->new_value;
		return **value != '\0';
	}
	return false;
}

/* The rows from h[first] down to h[last] (older to newer: the list is
 * newest first) that made one new thing: one sentence, the values under it. */
static struct tv *entry_of_group(const struct history_entry *h, int first, int last)
{
	const struct history_entry *lead = &h[first];
	const char *kind = NULL, *method = NULL, *person = lead->new_value;
	struct tv *details = tv_list();
	for (int i = first - 1; i >= last; i--) {
		const char *label, *value;
		bool date;
		if (strcmp(h[i].field, "kind") == 0)
			kind = h[i].new_value;
		else if (strcmp(h[i].field, "method") == 0)
			method = h[i].new_value;
		else if (detail_of(&h[i], &label, &value, &date))
			push_detail(details, label, value, date);
	}
	if (!is(lead, "consent", NULL)) {
		struct tv *o = entry_of_row(lead);
		if (tv_truthy(details))
			tv_set(o, "details", details);
		return o;
	}
	struct tv *o = new_entry(lead);
	struct words w = words_of(lead, PLAIN);
	w.person = or_empty(person);
	tv_set(o, "sentence", say(consent_pattern(kind, method), &w));
	if (tv_truthy(details))
		tv_set(o, "details", details);
	return o;
}

static const struct lead *lead_of(const struct history_entry *e)
{
	enum event ev = !e->old_value ? MADE : !e->new_value ? REMOVED : CHANGED;
	for (size_t i = 0; i < sizeof leads / sizeof leads[0]; i++)
		if (leads[i].event == ev && is(e, leads[i].entity, leads[i].field))
			return &leads[i];
	return NULL;
}

/* Whether f is one of the lead's first values, recorded with it. */
static bool follows(const struct lead *l, const struct history_entry *lead, const struct history_entry *f)
{
	if (f->old_value || f->person_id != lead->person_id || f->entity_id != lead->entity_id ||
	    strcmp(f->entity, lead->entity) != 0)
		return false;
	for (size_t i = 0; i < sizeof l->followers / sizeof l->followers[0] && l->followers[i]; i++)
		if (strcmp(f->field, l->followers[i]) == 0)
			return true;
	return false;
}

struct tv *view_history_entries(const struct history_entry *h, int n)
{
	/* Oldest first, so a new thing's rows are found after the row that made it. */
	struct tv **entries = arena_alloc(sizeof *entries * (size_t)(n > 0 ? n : 1));
	int count = 0;
	for (int i = n - 1; i >= 0;) {
		const struct lead *l = lead_of(&h[i]);
		int j = i - 1;
		while (l && j >= 0 && follows(l, &h[i], &h[j]))
			j--;
		entries[count++] = j < i - 1 || (l && is(&h[i], "consent", NULL))
			? entry_of_group(h, i, j + 1)
			: entry_of_row(&h[i]);
		i = j;
	}
	struct tv *list = tv_list();
	while (count > 0)
		tv_push(list, entries[--count]);
	return list;
}

int view_history(int64_t municipality_id, int64_t log_id, int limit, struct tv *data)
{
	struct history_entry *h;
	int n = history_list(municipality_id, log_id, limit, &h);
	if (n < 0)
		return n;
	tv_set(data, "history", view_history_entries(h, n));
	return 0;
}
