/* document.c — GET /logg/ID/samtykke/dokument/DOCID: one uploaded consent
 * form of log ID, to the holder or the guardian or young person who signed
 * it (AUTHZ_DOCUMENT, audited "log.consent.document"),
 * as an attachment with a name we choose and the type our sniff found
 * (SECURITY.md 89, 91). Tests: tests/http/test_document.py. */
#include "app.h"
#include "document.h"
#include "session.h"

static int serve(struct req *r)
{
	struct document d;
	int rc = document_get(r->session->municipality_id, r->id[0], r->id[1], &d);
	if (rc <= 0)
		return rc < 0 ? rc : 404;
	const char *ext = document_extension(d.media_type);
	if (!ext)
		return 404; /* never stored: document_store sniffs first */
	resp_header(r, "Content-Disposition",
		    arena_printf("attachment; filename=\"samtykke-%lld.%s\"", (long long)d.id, ext));
	return resp_bytes(r, 200, d.media_type, d.data.data, d.data.len);
}

static const struct route routes[] = {
	{ "GET", "/logg/#/samtykke/dokument/#", serve, .login = true, .need = AUTHZ_DOCUMENT,
	  .audit = "log.consent.document" },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-document", routes };
	return app_main(argc, argv, &prog);
}
