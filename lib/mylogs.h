/* mylogs.h — "my logs" (DOMAIN.md §2, §6): the logs a person may read among
 * those they hold, are a guardian, subject or actor of, each with its line
 * and the figures of its open measures; the measures the person is
 * responsible for; the consent warnings of the logs they hold; and the logs
 * whose consent was withdrawn, where they may still see who has read them. authz
 * decides the list in one statement (authz_related) and records its read
 * (authz_audit_list). Domain: knows nothing of HTTP or HTML. */
#ifndef STAFETT_MYLOGS_H
#define STAFETT_MYLOGS_H

#include <stdbool.h>

#include "authz.h"
#include "logbook.h"
#include "measure.h"

#define MYLOGS_LIMIT 500
#define MYLOGS_MEASURES_LIMIT 200

struct mylogs_log {
	struct logbook_item item;
	struct authz az; /* the decision it is listed under */
	struct measure_figures figures;
	bool consent_expiring; /* consent_renew_soon */
};

struct mylogs {
	struct mylogs_log *logs; /* newest first */
	int n;
	struct measure_mine *mine; /* the person's open measures, soonest deadline first */
	int nmine;
	const struct mylogs_log **warnings; /* logs the person holds whose consent runs out, soonest first */
	int nwarnings;
	/* Logs whose consent was withdrawn, which the person no longer reads
	 * but whose readers they may still see (authz READERS), newest first. */
	struct logbook_item *withdrawn;
	int nwithdrawn;
};

/* Fills out for the session's person, consent warnings within warn_days,
 * and appends the list's audit row in the caller's transaction. 0 or a
 * negative db.h code. */
int mylogs_load(const struct session *s, int warn_days, struct mylogs *out);

/* The log of one of the person's measures, from the list (NULL if absent). */
const struct mylogs_log *mylogs_find(const struct mylogs *m, int64_t log_id);

#endif
