/* job.h — the loop of a job that runs beside the programs and works off a
 * queue in the database (the mailer, tools/stafett-mailer.c; the archive
 * job, tools/stafett-archive.c): SIGTERM and SIGINT stop it between items,
 * SIGPIPE is ignored, each batch runs in a request of its own (a fresh
 * arena, the connection checked), it waits when nothing is due, and it says
 * once that the database cannot be read and once that it can again. */
#ifndef STAFETT_JOB_H
#define STAFETT_JOB_H

#include <stdbool.h>

struct job {
	const char *queue; /* in the log lines: "the outbox", "the archive records" */
	bool once;	   /* until nothing is due, or nothing that was due moved on */
	double poll;	   /* seconds to wait when nothing is due */
	/* One batch: how many items were due (claimed), or < 0 when the
	 * database could not be read; *moved how many of them moved on (sent,
	 * delivered: what waits would wait again). */
	int (*batch)(void *ctx, int *moved);
	void *ctx;
};

/* Who holds a lease on a claimed item: "host:pid:random", kept for the
 * process's life (xstrdup). */
char *job_owner(void);
/* Installs the handlers; call before job_loop. */
void job_signals(void);
/* Whether a stop was asked for: a batch leaves the rest of its items. */
bool job_stopping(void);
/* Runs batches until stopped (or, with once, until done). 0, or 1 when
 * once met a database it could not read. */
int job_loop(const struct job *j);

#endif
