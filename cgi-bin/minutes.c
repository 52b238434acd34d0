/* minutes.c — the minutes of a meeting (issue 13): GET
 * /logg/ID/mote/MID/referat shows them to whoever may read the log; the
 * holder writes and changes them once the meeting has begun (POST .../referat,
 * at the version shown: 0 before they exist) and approves them (POST
 * .../referat/godkjenn), after which they are locked: a change is refused
 * with 409 and the page says that a correction is a new entry (POST
 * .../referat/rettelse, the holder's, once). Whoever may add entries to the
 * log comments on them (POST .../referat/kommentar, AUTHZ_ENTRY, once).
 * Template: minutes.html (lib/view_meeting.c). Tests:
 * tests/http/test_meetings.py. */
#include "app.h"
#include "i18n.h"
#include "minutes.h"
#include "session.h"
#include "view_meeting.h"

#define MAX_ID 999999999999999LL

static const struct form_field write_fields[] = {
	{ .name = "version", .type = FORM_INT, .required = true, .min = 0, .max = 2147483647 },
	{ .name = "attended", .type = FORM_IDS, .min = 1, .max = MAX_ID, .label = N_("Who took part") },
	{ .name = "child_took_part", .type = FORM_BOOL, .label = N_("The child or young person took part") },
	{ .name = "guardians_took_part", .type = FORM_BOOL, .label = N_("The guardians took part") },
	{ .name = "leader_took_part", .type = FORM_BOOL, .label = N_("The leader took part") },
	{ .name = "decisions",
	  .type = FORM_TEXT,
	  .required = true,
	  .max_setting = "log.text_max",
	  .label = N_("What was decided"),
	  .missing = N_("Write what was decided at the meeting.") },
	{ .name = "measures",
	  .type = FORM_IDS,
	  .min = 1,
	  .max = MAX_ID,
	  .label = N_("Measures agreed or changed") },
	{ .name = "next_meeting",
	  .type = FORM_TEXT,
	  .max_setting = "log.short_text_max",
	  .label = N_("Next meeting") },
	{ NULL },
};
static const struct form_field approve_fields[] = {
	{ .name = "version", .type = FORM_INT, .required = true, .min = 1, .max = 2147483647 },
	{ NULL },
};
static const struct form_field entry_fields[] = {
	{ .name = "text",
	  .type = FORM_TEXT,
	  .required = true,
	  .max_setting = "log.short_text_max",
	  .label = N_("Text"),
	  .missing = N_("Write what you want to add.") },
	{ NULL },
};

static const char *path_of(const struct req *r)
{
	return arena_printf("/logg/%lld/mote/%lld/referat", (long long)r->id[0], (long long)r->id[1]);
}

static int page(struct req *r, int status, enum view_minutes_form which, const struct form *f)
{
	if (which == VIEW_MINUTES_COMMENT)
		tv_set_str(r->data, "error_anchor_prefix", "comment-");
	if (which == VIEW_MINUTES_CORRECT)
		tv_set_str(r->data, "error_anchor_prefix", "correction-");
	return resp_view(r, view_minutes(r->session, &r->az, r->id[0], r->id[1], which, f, r->data), status,
			 "minutes");
}

static int show(struct req *r)
{
	return page(r, 200, VIEW_MINUTES_NONE, NULL);
}

/* What could not be done, told on the page: 404, or 409 with why. */
static int refused(struct req *r, enum minutes_outcome o, enum view_minutes_form which, const struct form *f)
{
	static const char *const why[] = {
		[MINUTES_STALE] = "conflict",
		[MINUTES_LOCKED] = "locked",
		[MINUTES_TOO_EARLY] = "too_early_refused",
		[MINUTES_CANCELLED] = "cancelled_refused",
		[MINUTES_NOT_APPROVED] = "not_approved",
	};
	if (o == MINUTES_NOT_FOUND)
		return 404;
	if (o < sizeof why / sizeof why[0] && why[o])
		tv_set_bool(r->data, why[o], true);
	return page(r, 409, which, f);
}

static int save(struct req *r)
{
	if (req_field(r, "version")->error)
		return 400; /* the version comes from our own page */
	if (r->in.nerrors)
		return page(r, 422, VIEW_MINUTES_WRITE, &r->in);
	const struct form_value *att = req_field(r, "attended"), *ms = req_field(r, "measures");
	struct minutes_input in = {
		.child_took_part = req_field(r, "child_took_part")->num == 1,
		.guardians_took_part = req_field(r, "guardians_took_part")->num == 1,
		.leader_took_part = req_field(r, "leader_took_part")->num == 1,
		.decisions = req_field(r, "decisions")->value,
		.next_meeting = req_field(r, "next_meeting")->value,
		.attended = att->ids,
		.nattended = att->nids,
		.measures = ms->ids,
		.nmeasures = ms->nids,
	};
	enum minutes_outcome o;
	int rc = minutes_save(r->session, r->id[0], r->id[1], (int)req_field(r, "version")->num, &in, &o);
	if (rc < 0)
		return rc;
	if (o == MINUTES_DONE)
		return resp_saved(r, path_of(r), "referat");
	if (o == MINUTES_BAD_MEASURE) {
		form_error(&r->in, "measures", _("Choose among the log's measures."));
		return page(r, 422, VIEW_MINUTES_WRITE, &r->in);
	}
	/* A stale form keeps what was typed; locked minutes show as they are. */
	return refused(r, o, VIEW_MINUTES_WRITE, o == MINUTES_STALE ? &r->in : NULL);
}

static int approve(struct req *r)
{
	if (r->in.nerrors)
		return 400;
	enum minutes_outcome o;
	int rc = minutes_approve(r->session, r->id[0], r->id[1], (int)req_field(r, "version")->num, &o);
	if (rc < 0)
		return rc;
	if (o == MINUTES_DONE)
		return resp_saved(r, path_of(r), "referat-godkjent");
	return refused(r, o, VIEW_MINUTES_NONE, NULL);
}

static int add_entry(struct req *r, const char *kind, enum view_minutes_form which, const char *saved)
{
	if (r->in.nerrors)
		return page(r, 422, which, &r->in);
	int64_t id = 0;
	enum minutes_outcome o;
	int rc =
		minutes_add_entry(r->session, r->id[0], r->id[1], kind, req_field(r, "text")->value, &id, &o);
	if (rc < 0)
		return rc;
	if (o == MINUTES_DONE)
		return resp_saved(r, arena_printf("%s#oppforing-%lld", path_of(r), (long long)id), saved);
	return refused(r, o, which, &r->in);
}

static int comment(struct req *r)
{
	return add_entry(r, "comment", VIEW_MINUTES_COMMENT, "referat-kommentar");
}

static int correct(struct req *r)
{
	return add_entry(r, "correction", VIEW_MINUTES_CORRECT, "referat-rettelse");
}

static const struct route routes[] = {
	{ "GET", "/logg/#/mote/#/referat", show, .login = true, .need = AUTHZ_READ,
	  .audit = "log.minutes.read" },
	{ "POST", "/logg/#/mote/#/referat", save, .login = true, .need = AUTHZ_WRITE, .audit = "minutes.save",
	  .fields = write_fields },
	{ "POST", "/logg/#/mote/#/referat/godkjenn", approve, .login = true, .need = AUTHZ_WRITE,
	  .audit = "minutes.approve", .fields = approve_fields },
	{ "POST", "/logg/#/mote/#/referat/kommentar", comment, .login = true, .need = AUTHZ_ENTRY,
	  .audit = "minutes.comment", .fields = entry_fields, .once = true },
	{ "POST", "/logg/#/mote/#/referat/rettelse", correct, .login = true, .need = AUTHZ_WRITE,
	  .audit = "minutes.correct", .fields = entry_fields, .once = true },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-minutes", routes };
	return app_main(argc, argv, &prog);
}
