/* health.c — GET /health: is this program up and can it reach the database?
 * For load balancers and monitoring; answers 200 or 503 with a small JSON
 * body and nothing about the data. Tests: tests/http/test_health.py. */
#include "app.h"
#include "db.h"

static int health(struct req *r)
{
	if (db_ping() < 0)
		return resp_text(r, 503, "application/json; charset=utf-8",
				 "{\"status\":\"unavailable\",\"database\":\"unreachable\"}\n");
	return resp_text(r, 200, "application/json; charset=utf-8",
			 "{\"status\":\"ok\",\"database\":\"ok\"}\n");
}

static const struct route routes[] = {
	{ "GET", "/health", health },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-health", routes };
	return app_main(argc, argv, &prog);
}
