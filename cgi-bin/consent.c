/* consent.c — giving and recording the consents of one log (DOMAIN.md §4):
 * GET /logg/ID/samtykke shows each required consenter's consent of each kind
 * and the forms the viewer may use (AUTHZ_READ): to a guardian, young person
 * or pregnant woman the step they are at (?steg=1 or 2 asks for one), with
 * its text, and their receipts (?kvittering=ID: the one just given, as a
 * status message); POST .../papir records a signed paper form with its scan
 * (the holder, AUTHZ_RECORD); POST .../digital gives one's own consent
 * (AUTHZ_CONSENT) and comes back with its receipt. Withdrawing is
 * cgi-bin/consent_withdraw.c. The rules are lib/consent.c's. Templates:
 * consent.html, consent_text_establish.html, consent_text_cooperation.html
 * (lib/view_consent.c). Tests: tests/http/test_consent.py. */
#include <string.h>

#include "app.h"
#include "consent.h"
#include "document.h"
#include "i18n.h"
#include "session.h"
#include "view_consent.h"

#define MAX_ID 999999999999999LL /* 15 digits, as in the path */

static const char *const kind_choices[] = { "establish", "cooperate", NULL };

/* clang-format off */
#define KIND { .name = "kind", .type = FORM_CHOICE, .required = true, .choices = kind_choices, .label = N_("Consent"), .missing = N_("Choose which consent this is.") }
#define SERVICES { .name = "unit", .type = FORM_IDS, .min = 1, .max = MAX_ID, .label = N_("Services") }
/* clang-format on */
static const struct form_field paper_fields[] = {
	{ .name = "person",
	  .type = FORM_INT,
	  .required = true,
	  .min = 1,
	  .max = MAX_ID,
	  .label = N_("Given by"),
	  .missing = N_("Choose who gave the consent.") },
	KIND,
	{ .name = "given_at",
	  .type = FORM_DATE,
	  .required = true,
	  .label = N_("Date given"),
	  .missing = N_("Write the date the form was signed.") },
	{ .name = "valid_until", .type = FORM_DATE, .label = N_("Valid until") },
	SERVICES,
	{ .name = "document", .type = FORM_FILE, .label = N_("The scanned, signed form") },
	{ NULL },
};
static const struct form_field show_fields[] = {
	{ .name = "steg", .type = FORM_INT, .min = 1, .max = 2, .label = N_("Step") },
	{ .name = "kvittering", .type = FORM_INT, .min = 1, .max = MAX_ID, .label = N_("Receipt") },
	{ NULL },
};
static const struct form_field digital_fields[] = {
	KIND,
	SERVICES,
	{ NULL },
};

static int page(struct req *r, int status, const struct form *f, const char *which)
{
	return resp_view(r, view_consent(r->session, &r->az, r->id[0], f, which, 0, 0, r->data), status,
			 "consent");
}

/* A step or receipt that is not one (a hand-edited link) shows the page
 * as it is. */
static int show(struct req *r)
{
	const struct form_value *step = req_field(r, "steg"), *receipt = req_field(r, "kvittering");
	int at = step->present && !step->error ? (int)step->num : 0;
	int64_t given = receipt->present && !receipt->error ? receipt->num : 0;
	return resp_view(r, view_consent(r->session, &r->az, r->id[0], NULL, NULL, at, given, r->data), 200,
			 "consent");
}

/* Where a consent just given goes: its receipt on the consent page, which
 * then shows the next step. */
static int receipt(struct req *r)
{
	struct consent_receipt *rec;
	int n = consent_receipts(r->session->municipality_id, r->id[0], r->session->person_id, &rec);
	if (n < 0)
		return n;
	if (n == 0)
		return resp_redirect(r, arena_printf("/logg/%lld/samtykke", (long long)r->id[0]));
	return resp_redirect(r,
			     arena_printf("/logg/%lld/samtykke?kvittering=%lld", (long long)r->id[0],
					  (long long)rec[0].id));
}

/* The message for what consent_give refused, at the field it is about (the
 * services for a scope), or above the forms. */
static void refusal(struct req *r, enum consent_outcome o)
{
	switch (o) {
	case CONSENT_NOT_CONSENTER:
		form_error(&r->in, "person", _("This log does not need this person's consent."));
		break;
	case CONSENT_BAD_GIVEN:
		form_error(&r->in, "given_at",
			   _("The date given cannot be in the future, nor older than a consent lasts."));
		break;
	case CONSENT_BAD_UNTIL:
		form_error(&r->in, "valid_until",
			   _("Valid until must be today or later, and no later than the municipality allows "
			     "after the "
			     "date given."));
		break;
	case CONSENT_BAD_SCOPE:
		form_error(&r->in, "unit",
			   _("Choose at least one service the consent to cooperation covers."));
		break;
	default:
		tv_set_str(
			r->data, "problem",
			_("The log is closed or its consent withdrawn: no consent can be recorded on it."));
		break;
	}
}

/* Records in, or shows why not (the request is then rolled back, the
 * document with it). */
static int give(struct req *r, struct consent_input *in, const char *which)
{
	if (strcmp(in->kind, "cooperate") == 0) {
		const struct form_value *units = req_field(r, "unit");
		in->units = units->ids;
		in->nunits = units->nids;
	}
	enum consent_outcome o;
	int rc = consent_give(r->session, r->id[0], in, &o);
	if (rc < 0)
		return rc;
	if (o == CONSENT_DONE && strcmp(in->method, "digital") == 0)
		return receipt(r); /* the receipt says what was saved */
	if (o == CONSENT_DONE)
		return resp_saved(r, arena_printf("/logg/%lld/samtykke", (long long)r->id[0]), "samtykke");
	refusal(r, o);
	return page(r, o == CONSENT_LOCKED ? 409 : 422, &r->in, which);
}

static int paper(struct req *r)
{
	const struct form_value *file = req_field(r, "document");
	if (file->len == 0)
		form_error(&r->in, "document", _("Attach the scanned, signed consent form."));
	else if (!document_sniff(file->value, file->len))
		form_error(&r->in, "document",
			   _("The file must be a PDF, or a JPEG or PNG image, of the signed form."));
	if (r->in.nerrors)
		return page(r, 422, &r->in, "paper");
	const struct form_value *until = req_field(r, "valid_until");
	struct consent_input in = {
		.person_id = req_field(r, "person")->num,
		.kind = req_field(r, "kind")->value,
		.method = "signed_form",
		.given_at = req_field(r, "given_at")->value,
		.valid_until = *until->value ? until->value : NULL,
	};
	int rc = document_store(r->session, r->id[0], file->value, file->len, &in.document_id);
	return rc < 0 ? rc : give(r, &in, "paper");
}

static int digital(struct req *r)
{
	if (r->in.nerrors)
		return page(r, 422, &r->in, "digital");
	struct consent_input in = {
		.person_id = r->session->person_id,
		.kind = req_field(r, "kind")->value,
		.method = "digital",
	};
	return give(r, &in, "digital");
}

static const struct route routes[] = {
	{ "GET", "/logg/#/samtykke", show, .login = true, .need = AUTHZ_READ, .audit = "log.consent",
	  .fields = show_fields },
	{ "POST", "/logg/#/samtykke/papir", paper, .login = true, .need = AUTHZ_RECORD,
	  .audit = "consent.paper", .fields = paper_fields, .upload = true, .once = true },
	{ "POST", "/logg/#/samtykke/digital", digital, .login = true, .need = AUTHZ_CONSENT,
	  .audit = "consent.digital", .fields = digital_fields, .once = true },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-consent", routes };
	return app_main(argc, argv, &prog);
}
