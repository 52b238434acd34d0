/* log.c — one log line per event, escaped, to stderr and optionally syslog. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

static const char *prog = "stafett";
static const char *rid;
static bool to_syslog;

void log_init(const char *program, bool use_syslog)
{
	prog = program;
	to_syslog = use_syslog;
	if (to_syslog)
		openlog(program, LOG_PID, LOG_DAEMON);
}

void log_set_request(const char *request_id)
{
	rid = request_id;
}

const char *log_request_id(void)
{
	return rid ? rid : "00000000000000000000000000000000";
}

void log_format(char *buf, unsigned size, const char *level, const char *msg)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	int n = snprintf(buf, size,
			 "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s[%d] rid=%s %s: ", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000,
			 prog, (int)getpid(), rid ? rid : "-", level);
	if (n < 0 || (unsigned)n >= size)
		return;
	unsigned o = (unsigned)n;
	/* Escape control characters so one event stays one line. */
	for (const unsigned char *p = (const unsigned char *)msg; *p && o + 5 < size; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '\\') {
			o += (unsigned)snprintf(buf + o, size - o, "\\x%02x", *p);
		} else {
			buf[o++] = (char)*p;
		}
	}
	buf[o] = '\0';
}

static void emit(int prio, const char *level, const char *fmt, va_list ap)
{
	char msg[1024], line[2048];
	vsnprintf(msg, sizeof msg, fmt, ap);
	log_format(line, sizeof line, level, msg);
	fprintf(stderr, "%s\n", line);
	if (to_syslog)
		syslog(prio, "rid=%s %s", rid ? rid : "-", msg);
}

void log_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(LOG_ERR, "error", fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(LOG_WARNING, "warn", fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(LOG_INFO, "info", fmt, ap);
	va_end(ap);
}
