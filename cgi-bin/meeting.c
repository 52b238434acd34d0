/* meeting.c — the meetings of a log (issue 13): GET /logg/ID/mote shows the
 * form that plans one, POST /logg/ID/mote plans it (once); GET
 * /logg/ID/mote/MID shows a meeting to whoever may read the log, with the
 * holder's forms to move it (POST /logg/ID/mote/MID) and cancel it (POST
 * /logg/ID/mote/MID/avlys), each only while it is at the version the holder
 * saw (409 if not). Planning, moving and cancelling are the holder's
 * (AUTHZ_WRITE), and each sends every participant with an address the
 * invitation, its update or its cancellation with the calendar
 * (lib/meeting.c). The time is typed as Oslo wall time. Templates:
 * meeting_new.html, meeting.html (lib/view_meeting.c). Tests:
 * tests/http/test_meetings.py. */
#include <string.h>

#include "app.h"
#include "i18n.h"
#include "meeting.h"
#include "session.h"
#include "view_meeting.h"

#define MAX_ID 999999999999999LL

/* clang-format off */
#define WHEN_FIELDS \
	{ .name = "date", .type = FORM_DATE, .required = true, .label = N_("Date"), \
	  .missing = N_("Write the date of the meeting.") }, \
	{ .name = "time", .type = FORM_TIME, .required = true, .label = N_("Time"), \
	  .missing = N_("Write the time the meeting starts, like 14:30.") }, \
	{ .name = "length", .type = FORM_INT, .required = true, .min = 5, .max = 600, \
	  .label = N_("Length in minutes"), .missing = N_("Write how many minutes the meeting lasts.") }, \
	{ .name = "place", .type = FORM_LINE, .max_len = 200, .label = N_("Place") }, \
	{ .name = "video_url", .type = FORM_LINE, .max_len = 500, .label = N_("Video link") }, \
	{ .name = "agenda", .type = FORM_TEXT, .max_setting = "log.text_max", .label = N_("Agenda") }
/* clang-format on */

static const struct form_field plan_fields[] = {
	WHEN_FIELDS,
	{ .name = "people",
	  .type = FORM_IDS,
	  .required = true,
	  .min = 1,
	  .max = MAX_ID,
	  .label = N_("Who is invited"),
	  .missing = N_("Choose who is invited.") },
	{ NULL },
};
static const struct form_field move_fields[] = {
	WHEN_FIELDS,
	{ .name = "version", .type = FORM_INT, .required = true, .min = 1, .max = 2147483647 },
	{ NULL },
};
static const struct form_field cancel_fields[] = {
	{ .name = "version", .type = FORM_INT, .required = true, .min = 1, .max = 2147483647 },
	{ NULL },
};

/* The form's time, place and agenda as the module takes them; the page's
 * own checks first (a place or a link, a link that is one, a time that
 * exists in Oslo). */
static void read_when(struct req *r, struct meeting_input *in, char *utc, size_t size)
{
	const char *place = req_field(r, "place")->value, *video = req_field(r, "video_url")->value;
	if (!*place && !*video && !req_field(r, "place")->error && !req_field(r, "video_url")->error)
		form_error(&r->in, "place", _("Write where the meeting is, or a video link."));
	if (*video && strncmp(video, "https://", 8) != 0)
		form_error(&r->in, "video_url", _("Write the whole video link, starting with https://."));
	if (!req_field(r, "date")->error && !req_field(r, "time")->error &&
	    meeting_utc(req_field(r, "date")->value, req_field(r, "time")->value, utc, size) < 0)
		form_error(&r->in, "time",
			   _("That time does not exist in Norway: the clocks are put forward that night."));
	*in = (struct meeting_input){ .starts_at = utc,
				      .minutes = (int)req_field(r, "length")->num,
				      .place = place,
				      .video_url = video,
				      .agenda = req_field(r, "agenda")->value };
}

static const char *path_of(const struct req *r, int64_t meeting_id)
{
	return arena_printf("/logg/%lld/mote/%lld", (long long)r->id[0], (long long)meeting_id);
}

static int new_page(struct req *r, int status, const struct form *f)
{
	return resp_view(r, view_meeting_new(r->session, r->id[0], f, r->data), status, "meeting_new");
}

static int show_new(struct req *r)
{
	return new_page(r, 200, NULL);
}

static int plan(struct req *r)
{
	struct meeting_input in;
	char utc[24];
	read_when(r, &in, utc, sizeof utc);
	if (r->in.nerrors == 0) {
		const struct form_value *people = req_field(r, "people");
		in.people = people->ids;
		in.npeople = people->nids;
		int64_t id = 0;
		int mails;
		enum meeting_outcome o;
		int rc = meeting_plan(r->session, r->id[0], &in, &id, &mails, &o);
		if (rc < 0)
			return rc;
		if (o == MEETING_DONE)
			return resp_saved(r, path_of(r, id), "mote");
		if (o == MEETING_PAST)
			form_error(&r->in, "date",
				   _("The meeting must be in the future. Choose a later time."));
		else
			form_error(&r->in, "people", _("Choose among the people of the log."));
	}
	return new_page(r, 422, &r->in);
}

static int page(struct req *r, int status, const struct form *f)
{
	return resp_view(r, view_meeting(r->session, &r->az, r->id[0], r->id[1], f, r->data), status,
			 "meeting");
}

static int show(struct req *r)
{
	return page(r, 200, NULL);
}

/* After a move or cancel that could not be done: the page says why. */
static int refused(struct req *r, enum meeting_outcome o)
{
	if (o == MEETING_NOT_FOUND)
		return 404;
	tv_set_bool(r->data, o == MEETING_STALE ? "conflict" : "closed", true);
	return page(r, 409, NULL);
}

static int move(struct req *r)
{
	if (req_field(r, "version")->error)
		return 400; /* the version comes from our own page */
	struct meeting_input in;
	char utc[24];
	read_when(r, &in, utc, sizeof utc);
	if (r->in.nerrors == 0) {
		int mails;
		enum meeting_outcome o;
		int rc = meeting_move(r->session, r->id[0], r->id[1], (int)req_field(r, "version")->num, &in,
				      &mails, &o);
		if (rc < 0)
			return rc;
		if (o == MEETING_DONE)
			return resp_saved(r, path_of(r, r->id[1]), "mote-flyttet");
		if (o != MEETING_PAST)
			return refused(r, o);
		form_error(&r->in, "date", _("The meeting must be in the future. Choose a later time."));
	}
	return page(r, 422, &r->in);
}

static int cancel(struct req *r)
{
	if (r->in.nerrors)
		return 400;
	int mails;
	enum meeting_outcome o;
	int rc =
		meeting_cancel(r->session, r->id[0], r->id[1], (int)req_field(r, "version")->num, &mails, &o);
	if (rc < 0)
		return rc;
	if (o == MEETING_DONE)
		return resp_saved(r, path_of(r, r->id[1]), "mote-avlyst");
	return refused(r, o);
}

static const struct route routes[] = {
	{ "GET", "/logg/#/mote", show_new, .login = true, .need = AUTHZ_WRITE, .audit = "log.meeting.new" },
	{ "POST", "/logg/#/mote", plan, .login = true, .need = AUTHZ_WRITE, .audit = "meeting.plan",
	  .fields = plan_fields, .once = true },
	{ "GET", "/logg/#/mote/#", show, .login = true, .need = AUTHZ_READ, .audit = "log.meeting.read" },
	{ "POST", "/logg/#/mote/#", move, .login = true, .need = AUTHZ_WRITE, .audit = "meeting.move",
	  .fields = move_fields },
	{ "POST", "/logg/#/mote/#/avlys", cancel, .login = true, .need = AUTHZ_WRITE,
	  .audit = "meeting.cancel", .fields = cancel_fields },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-meeting", routes };
	return app_main(argc, argv, &prog);
}
