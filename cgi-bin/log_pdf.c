/* log_pdf.c — GET /logg/ID/pdf: the whole log as a PDF/A-2b (lib/logpdf.h)
 * in the municipality's language, to its holder in every state (AUTHZ_PDF,
 * audited "log.pdf"). An attachment with a name we choose, never kept by a
 * cache (the lifecycle's no-store); at most PDFS_PER_HOUR a person, since
 * each one runs Ghostscript. Tests: tests/http/test_pdf.py. */
#include "app.h"
#include "logdoc.h"
#include "logpdf.h"
#include "ratelimit.h"
#include "session.h"

#define PDFS_PER_HOUR 30

static int serve(struct req *r)
{
	int rc = ratelimit_hit("log-pdf", arena_printf("%lld", (long long)r->session->person_id),
			       PDFS_PER_HOUR, 3600);
	if (rc <= 0)
		return rc < 0 ? rc : 429;
	json_t *doc;
	if ((rc = logdoc_build(r->session->municipality_id, r->id[0], &doc)) <= 0)
		return rc < 0 ? rc : 404;
	char *pdf;
	size_t len;
	rc = logpdf_build(doc, NULL, &pdf, &len);
	json_decref(doc);
	if (rc < 0)
		return 500;
	resp_header(r, "Content-Disposition",
		    arena_printf("attachment; filename=\"stafettlogg-%lld.pdf\"", (long long)r->id[0]));
	return resp_bytes(r, 200, "application/pdf", pdf, len);
}

static const struct route routes[] = {
	{ "GET", "/logg/#/pdf", serve, .login = true, .need = AUTHZ_PDF, .audit = "log.pdf" },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-log-pdf", routes };
	return app_main(argc, argv, &prog);
}
