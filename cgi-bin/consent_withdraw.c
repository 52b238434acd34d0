/* consent_withdraw.c — withdrawing one's own consent (DOMAIN.md §3, §4):
 * GET /logg/ID/samtykke/trekk?kind=K asks "are you sure" and says what
 * follows, POST /logg/ID/samtykke/trekk withdraws it at once (a guardian or
 * the young person, AUTHZ_WITHDRAW: in every state, a closed log
 * included). Without the consent to establish it,
 * the log is locked and waits for the archive (lib/consent.c). Changing a
 * consent is a sensitive step (SECURITY.md 9): a login older than [login]
 * fresh_minutes confirms with ID-porten first (app.h, req_fresh), and
 * comes back to the same page. Templates: consent_withdraw.html (with
 * fresh_login.html), consent.html when there is nothing to withdraw.
 * Tests: tests/http/test_consent_withdraw.py, test_fresh_login.py. */
#include <string.h>

#include "app.h"
#include "consent.h"
#include "i18n.h"
#include "logbook.h"
#include "session.h"
#include "view.h"
#include "view_consent.h"

static const char *const kind_choices[] = { "establish", "cooperate", NULL };
static const struct form_field fields[] = {
	{ .name = "kind",
	  .type = FORM_CHOICE,
	  .required = true,
	  .choices = kind_choices,
	  .label = N_("Consent"),
	  .missing = N_("Choose the consent you withdraw.") },
	{ NULL },
};

/* The "are you sure" page of kind, at status: its button, or the fresh
 * login that comes back to it. */
static int confirm_page(struct req *r, const char *kind, int status)
{
	struct logbook_summary sum;
	int rc = logbook_summary(r->session->municipality_id, r->id[0], &sum);
	if (rc <= 0)
		return rc == 0 ? 404 : rc;
	tv_set_int(r->data, "log_id", r->id[0]);
	tv_set_str(r->data, "name", view_name(sum.subject_given_name, sum.subject_family_name));
	tv_set_str(r->data, "kind", kind);
	tv_set_str(r->data, "kind_label", consent_kind_label(kind));
	tv_set_bool(r->data, "establish", strcmp(kind, "establish") == 0);
	tv_set_str(r->data, "title", _("Withdraw consent"));
	req_offer_fresh(r, arena_printf("/logg/%lld/samtykke/trekk?kind=%s", (long long)r->id[0], kind));
	return resp_page(r, status, "consent_withdraw");
}

static int confirm(struct req *r)
{
	if (r->in.nerrors)
		return 400; /* our pages send kind from a link */
	return confirm_page(r, req_field(r, "kind")->value, 200);
}

static int withdraw(struct req *r)
{
	if (r->in.nerrors)
		return 400; /* a hidden field of our own page */
	const char *kind = req_field(r, "kind")->value;
	/* A form shown before the login grew old, or sent without the page:
	 * nothing is withdrawn until the person has confirmed who they are. */
	if (req_refuse_stale(r))
		return confirm_page(r, kind, 403);
	enum consent_outcome o;
	int rc = consent_withdraw(r->session, r->id[0], r->session->person_id, kind, &o);
	if (rc < 0)
		return rc;
	/* Without the consent to establish it, the log is closed to its
	 * guardians at once: back to their own page. */
	if (o == CONSENT_DONE)
		return resp_saved(r,
				  strcmp(kind, "establish") == 0
					  ? "/min-side"
					  : arena_printf("/logg/%lld/samtykke", (long long)r->id[0]),
				  "trukket");
	tv_set_str(
		r->data, "problem",
		o == CONSENT_NONE
			? _("There is no consent of this kind to withdraw.")
			: _("The log is closed or its consent withdrawn: no consent can be recorded on it."));
	return resp_view(r, view_consent(r->session, &r->az, r->id[0], NULL, NULL, 0, 0, r->data), 409,
			 "consent");
}

static const struct route routes[] = {
	{ "GET", "/logg/#/samtykke/trekk", confirm, .login = true, .need = AUTHZ_WITHDRAW,
	  .audit = "consent.withdraw.confirm", .fields = fields },
	{ "POST", "/logg/#/samtykke/trekk", withdraw, .login = true, .need = AUTHZ_WITHDRAW,
	  .audit = "consent.withdraw", .fields = fields },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-consent-withdraw", routes };
	return app_main(argc, argv, &prog);
}
