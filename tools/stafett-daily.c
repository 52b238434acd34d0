/* stafett-daily — the daily job: queues the "an evaluation is due" notices
 * (lib/notice.c) for every measure whose evaluation is due today in Oslo,
 * once per measure and evaluation date, so a second run the same day (or
 * the next) sends nothing new; and lets every offer of a log that was not
 * answered in time expire, telling its holder and their unit's leaders
 * (lib/handover.c, [handover] offer_days); and deletes every closed log
 * kept past its municipality's retention period whose archive copy is
 * acknowledged, saying which it had to keep and why (lib/logpurge.c). Run by conf/systemd/stafett-daily.timer at
 * 06:00 Oslo time in production and once by `make run` (tools/stack start).
 *   stafett-daily                    as of today in Europe/Oslo
 *   stafett-daily --today YYYY-MM-DD as if that were today (tests, catching up)
 * Prints what it did as counts, never a name; exit 1 on a database error
 * (what was queued before it stays queued, and the next run goes on).
 * Uses the application's database account ([database]) and the key file
 * (a queued mail's values are sealed). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "crypto.h"
#include "db.h"
#include "handover.h"
#include "log.h"
#include "logpurge.h"
#include "notice.h"

static int usage(void)
{
	fputs("usage: stafett-daily [--today YYYY-MM-DD]\n", stderr);
	return 2;
}

/* A real calendar day written YYYY-MM-DD. */
static bool is_day(const char *s)
{
	struct tm tm = { 0 };
	const char *end = strlen(s) == 10 ? strptime(s, "%Y-%m-%d", &tm) : NULL;
	if (!end || *end)
		return false;
	char again[11];
	tm.tm_isdst = -1;
	time_t t = timegm(&tm);
	struct tm back;
	return gmtime_r(&t, &back) && strftime(again, sizeof again, "%Y-%m-%d", &back) == 10 &&
		strcmp(again, s) == 0;
}

/* A closed log the retention run kept: by its municipality and number. */
static void kept(void *ctx, int64_t municipality_id, int64_t log_id, const char *why)
{
	(void)ctx;
	printf("  kept log %lld of municipality %lld: %s\n", (long long)log_id, (long long)municipality_id,
	       why);
}

int main(int argc, char **argv)
{
	static char today[11];
	log_init("stafett-daily", false);
	if (argc == 3 && strcmp(argv[1], "--today") == 0 && is_day(argv[2])) {
		memcpy(today, argv[2], sizeof today);
	} else if (argc == 1) {
		/* The day it is in Oslo: the job runs at 06:00 there, when UTC may
		 * still be yesterday's evening in summer. */
		setenv("TZ", "Europe/Oslo", 1);
		tzset();
		time_t now = time(NULL);
		struct tm local;
		if (!localtime_r(&now, &local) || strftime(today, sizeof today, "%Y-%m-%d", &local) != 10)
			return 1;
	} else {
		return usage();
	}
	if (config_load(NULL) < 0)
		return 1;
	log_init("stafett-daily", config_bool("log.syslog"));
	if (crypto_load_keys(config_str("crypto.key_file")) < 0)
		return 1;
	if (db_connect("database") < 0) {
		fprintf(stderr, "cannot connect to the database: %s\n", db_error());
		return 1;
	}
	int due = 0;
	struct notice_count n = { 0 };
	int rc = notice_evaluations_due(today, &due, &n);
	printf("evaluations due on %s: %d measure(s); notices queued %d, queued before %d,"
	       " no address %d, declined %d, responsible may not evaluate now %d\n",
	       today, due, n.queued, n.duplicate, n.no_address, n.declined, n.not_now);
	int expired = 0, told = 0;
	if (rc >= 0) {
		rc = handover_expire(today, &expired, &told);
		printf("handovers expired before %s: %d; notices queued %d\n", today, expired, told);
	}
	struct logpurge_count purged = { 0 };
	if (rc >= 0) {
		printf("closed logs past their retention period on %s:\n", today);
		rc = logpurge_retention(today, &purged, kept, NULL);
		printf("  due %d, deleted %d, kept: not archived yet %d, failed %d\n", purged.due,
		       purged.deleted, purged.not_archived, purged.failed);
	}
	db_close();
	if (rc < 0) {
		fprintf(stderr, "stafett-daily: stopped by a database error: %s\n", db_error());
		return 1;
	}
	return 0;
}
