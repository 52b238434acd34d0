/* job.c — the queue job's loop of job.h. */
#include "job.h"

#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "crypto.h"
#include "db.h"
#include "log.h"

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

char *job_owner(void)
{
	char host[256] = "";
	gethostname(host, sizeof host - 1);
	char *rnd = crypto_random_hex(4);
	return xstrdup(arena_printf("%.40s:%ld:%s", host, (long)getpid(), rnd ? rnd : "0"));
}

void job_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

bool job_stopping(void)
{
	return stopping;
}

static void pause_for(double seconds)
{
	struct timespec ts = { (time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9) };
	if (!stopping)
		nanosleep(&ts, NULL); /* a signal ends it early */
}

int job_loop(const struct job *j)
{
	bool db_down = false;
	int status = 0;
	while (!stopping) {
		arena_reset();
		int moved = 0, n = db_request_begin();
		if (n >= 0)
			n = j->batch(j->ctx, &moved);
		db_request_end();
		if (n < 0) {
			if (!db_down)
				log_warn("%s cannot be read: %s", j->queue, db_error());
			db_down = true;
			if (j->once) {
				status = 1;
				break;
			}
			pause_for(j->poll < 1 ? 1 : j->poll);
			continue;
		}
		if (db_down)
			log_info("%s can be read again", j->queue);
		db_down = false;
		if (j->once && (n == 0 || moved == 0))
			break;
		if (n == 0)
			pause_for(j->poll);
	}
	if (stopping)
		log_info("stopping");
	return status;
}
