/* handover.c — the holder hands the log on, the receiver takes it or not
 * (lib/handover.h):
 *   GET  /logg/ID/overlevering                the holder's page: the open offer
 *        (withdraw it), earlier offers with a declined one's reason, and the
 *        form to offer the log (AUTHZ_HANDOVER)
 *   POST /logg/ID/overlevering                offer it to a staff member of
 *        another unit, staying on as an actor or leaving
 *   POST /logg/ID/overlevering/HID/trekk      withdraw the offer
 *   GET  /logg/ID/overlevering/HID            the receiver's page: what they
 *        would take on, never the contents of the log (AUTHZ_OFFER)
 *   POST /logg/ID/overlevering/HID/godta      accept: they hold the log now
 *   POST /logg/ID/overlevering/HID/avsla      decline, with a reason
 * A unit the consent to cooperation does not cover is refused at the field,
 * with what to do, and nothing is offered. Offering, withdrawing and
 * accepting are sensitive steps (SECURITY.md 9): with a login older than
 * [login] fresh_minutes the page shows the fresh login (fresh_login.html,
 * app.h req_fresh) instead of the step's button, and the step's POST is
 * refused until the person has confirmed who they are. Templates: handover.html,
 * handover_offer.html. Tests: tests/http/test_handover.py. */
#include <string.h>

#include "app.h"
#include "handover.h"
#include "i18n.h"
#include "session.h"
#include "view.h"
#include "view_handover.h"

static const char *const stay_choices[] = { "stay", "leave", NULL };

/* clang-format off */
static const struct form_field offer_fields[] = {
	{ .name = "staff", .type = FORM_INT, .required = true, .min = 1, .max = 999999999999999,
	  .label = N_("The new holder"), .missing = N_("Choose the staff member you offer the log to.") },
	{ .name = "stay", .type = FORM_CHOICE, .required = true, .choices = stay_choices,
	  .label = N_("When they have taken over"),
	  .missing = N_("Choose whether you stay on in the log as an actor or leave it.") },
	{ NULL },
};
static const struct form_field version_fields[] = {
	{ .name = "version", .type = FORM_INT, .required = true, .min = 1, .max = 2147483647 },
	{ NULL },
};
static const struct form_field decline_fields[] = {
	{ .name = "version", .type = FORM_INT, .required = true, .min = 1, .max = 2147483647 },
	{ .name = "reason", .type = FORM_LINE, .required = true, .max_len = 500, .label = N_("Why you decline"),
	  .missing = N_("Write why you decline, so the one who holds the log knows what to do next.") },
	{ NULL },
};
/* clang-format on */

static const char *handover_path(const struct req *r)
{
	return arena_printf("/logg/%lld/overlevering", (long long)r->id[0]);
}

/* The holder's page. */
static int page(struct req *r, int status)
{
	const struct form_value *picked = form_find(&r->in, "staff");
	tv_set_str(r->data, "title", _("Hand over the log"));
	req_offer_fresh(r, handover_path(r));
	return resp_view(r, view_handover_page(r->session, r->id[0], picked ? picked->num : 0, r->data),
			 status, "handover");
}

static int show(struct req *r)
{
	return page(r, 200);
}

/* The message at the field for an offer that was not made. */
static void offer_error(struct req *r, enum handover_outcome o)
{
	if (o == HANDOVER_SELF)
		authz_refuse(&r->az, "self");
	form_error(&r->in, o == HANDOVER_STAY_ELSEWHERE ? "stay" : "staff", handover_refusal(o));
}

static int offer(struct req *r)
{
	if (req_refuse_stale(r))
		return page(r, 403);
	if (r->in.nerrors == 0) {
		int64_t id;
		enum handover_outcome o;
		bool stay = strcmp(req_field(r, "stay")->value, "stay") == 0;
		int rc = handover_offer(r->session, r->id[0], req_field(r, "staff")->num, stay, &id, &o);
		if (rc < 0)
			return rc;
		if (o == HANDOVER_DONE)
			return resp_saved(r, handover_path(r), "overlevering-tilbudt");
		if (o == HANDOVER_OPEN) {
			/* The page shows the open offer; nothing at a field to correct. */
			tv_set_bool(r->data, "already", true);
			return page(r, 409);
		}
		offer_error(r, o);
	}
	const char *stay = req_field(r, "stay")->value;
	tv_set(r->data, "form", view_form(&r->in));
	tv_set_bool(r->data, "stay_chosen", stay && strcmp(stay, "stay") == 0);
	tv_set_bool(r->data, "leave_chosen", stay && strcmp(stay, "leave") == 0);
	return page(r, 422);
}

static int withdraw(struct req *r)
{
	if (r->in.nerrors != 0)
		return 400;
	if (req_refuse_stale(r))
		return page(r, 403);
	enum handover_outcome o;
	int rc = handover_withdraw(r->session, r->id[0], r->id[1], (int)req_field(r, "version")->num, &o);
	if (rc < 0)
		return rc;
	if (o == HANDOVER_NOT_FOUND)
		return 404;
	if (o == HANDOVER_DONE)
		return resp_saved(r, handover_path(r), "overlevering-trukket");
	tv_set_bool(r->data, "conflict", true);
	return page(r, 409);
}

/* --- the receiver's side ------------------------------------------------- */

/* The receiver's page (view_handover_offer says what it shows and why). */
static int offer_page(struct req *r, int status)
{
	tv_set_str(r->data, "title", _("A log is offered to you"));
	req_offer_fresh(
		r, arena_printf("/logg/%lld/overlevering/%lld", (long long)r->id[0], (long long)r->id[1]));
	return resp_view(r, view_handover_offer(r->session, r->id[0], r->id[1], r->data), status,
			 "handover_offer");
}

static int show_offer(struct req *r)
{
	return offer_page(r, 200);
}

/* Accept or decline: an answered or changed offer is told, not redone. */
static int answer(struct req *r, bool accept)
{
	if (accept && req_refuse_stale(r))
		return offer_page(r, 403);
	if (r->in.nerrors == 0) {
		enum handover_outcome o;
		int version = (int)req_field(r, "version")->num;
		int rc = accept ? handover_accept(r->session, r->id[0], r->id[1], version, &o)
				: handover_decline(r->session, r->id[0], r->id[1], version,
						   req_field(r, "reason")->value, &o);
		if (rc < 0)
			return rc;
		if (o == HANDOVER_NOT_FOUND)
			return 404;
		if (o == HANDOVER_DONE)
			return accept ? resp_saved(r, arena_printf("/logg/%lld", (long long)r->id[0]),
						   "overlevering-godtatt")
				      : resp_saved(r, "/min-side", "overlevering-avslatt");
		tv_set_bool(r->data, o == HANDOVER_NOT_COVERED ? "not_covered" : "conflict", true);
		return offer_page(r, 409);
	}
	if (accept)
		return 400;
	tv_set(r->data, "form", view_form(&r->in));
	return offer_page(r, 422);
}

static int accept_offer(struct req *r)
{
	return answer(r, true);
}

static int decline_offer(struct req *r)
{
	return answer(r, false);
}

static const struct route routes[] = {
	{ "GET", "/logg/#/overlevering", show, .login = true, .need = AUTHZ_HANDOVER,
	  .audit = "log.handover.read" },
	{ "POST", "/logg/#/overlevering", offer, .login = true, .need = AUTHZ_HANDOVER,
	  .audit = "log.handover.offer", .fields = offer_fields, .once = true },
	{ "POST", "/logg/#/overlevering/#/trekk", withdraw, .login = true, .need = AUTHZ_HANDOVER,
	  .audit = "log.handover.withdraw", .fields = version_fields, .once = true },
	{ "GET", "/logg/#/overlevering/#", show_offer, .login = true, .need = AUTHZ_OFFER,
	  .audit = "log.handover.offer.read" },
	{ "POST", "/logg/#/overlevering/#/godta", accept_offer, .login = true, .need = AUTHZ_OFFER,
	  .audit = "log.handover.accept", .fields = version_fields, .once = true },
	{ "POST", "/logg/#/overlevering/#/avsla", decline_offer, .login = true, .need = AUTHZ_OFFER,
	  .audit = "log.handover.decline", .fields = decline_fields, .once = true },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-handover", routes };
	return app_main(argc, argv, &prog);
}
