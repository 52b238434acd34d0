/* export.c — GET /logg/ID/eksport.json: the whole log as one JSON document
 * (lib/logdoc.h; the format is docs/log-export.schema.json), to the holder,
 * and to a guardian or the young person while they may read the log
 * (AUTHZ_EXPORT, audited "log.export"). An attachment with a name we
 * choose, never kept by a cache; at most EXPORTS_PER_HOUR a person
 * (SECURITY.md 84). tools/stafett-import reads it back into an
 * installation. Tests: tests/http/test_export.py. */
#include <stdlib.h>

#include "app.h"
#include "logdoc.h"
#include "ratelimit.h"
#include "session.h"

#define EXPORTS_PER_HOUR 20

static int serve(struct req *r)
{
	int rc = ratelimit_hit("export", arena_printf("%lld", (long long)r->session->person_id),
			       EXPORTS_PER_HOUR, 3600);
	if (rc <= 0)
		return rc < 0 ? rc : 429;
	json_t *doc;
	if ((rc = logdoc_build(r->session->municipality_id, r->id[0], &doc)) <= 0)
		return rc < 0 ? rc : 404;
	char *text = logdoc_text(doc);
	json_decref(doc);
	if (!text)
		return 500;
	resp_header(r, "Content-Disposition",
		    arena_printf("attachment; filename=\"stafettlogg-%lld.json\"", (long long)r->id[0]));
	rc = resp_text(r, 200, "application/json; charset=utf-8", text);
	free(text);
	return rc;
}

static const struct route routes[] = {
	{ "GET", "/logg/#/eksport.json", serve, .login = true, .need = AUTHZ_EXPORT, .audit = "log.export" },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-export", routes };
	return app_main(argc, argv, &prog);
}
