/* document.c — GET /logg/ID/samtykke/dokument/DOCID: one uploaded consent
 * form of log ID, to the holder (AUTHZ_MANAGE, audited "log.consent.document"),
 * as an attachment with a name we choose and the type our sniff found
 * (SECURITY.md 89, 91). Tests: tests/http/test_consent.py. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "authz.h"
#include "db.h"
#include "document.h"
#include "session.h"

static int serve(struct req *r, int64_t log_id, int64_t doc_id)
{
	int rc = db_begin();
	if (rc < 0 || (rc = authz_require(r, log_id, AUTHZ_MANAGE, "log.consent.document", NULL)) != 0)
		return rc;
	struct document d;
	rc = document_get(r->session->municipality_id, log_id, doc_id, &d);
	if (rc <= 0 || (rc = db_commit()) < 0) {
		db_rollback();
		return rc == 0 ? 404 : rc;
	}
	const char *ext = document_extension(d.media_type);
	if (!ext)
		return 404; /* never stored: document_store sniffs first */
	resp_header(r, "Content-Disposition",
		    arena_printf("attachment; filename=\"samtykke-%lld.%s\"", (long long)d.id, ext));
	return resp_bytes(r, 200, d.media_type, d.data.data, d.data.len);
}

static int route(struct req *r)
{
	if (!r->session)
		return resp_redirect(r, "/");
	const char *rest;
	int64_t log_id = app_path_id(r->path, "/logg/", &rest);
	if (log_id == 0 || strncmp(rest, "/samtykke/dokument/", 19) != 0)
		return 404;
	const char *after;
	int64_t doc_id = app_path_id(rest, "/samtykke/dokument/", &after);
	if (doc_id == 0 || *after != '\0')
		return 404;
	return serve(r, log_id, doc_id);
}

static const struct route routes[] = {
	{ "GET", "/logg/*", route },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-document", routes, 0 };
	return app_main(argc, argv, &prog);
}
