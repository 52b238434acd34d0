/* log.h — the server log: stderr (and syslog if configured), one line per
 * event, UTC time with milliseconds, program and request id. Callers never
 * pass personal data; control characters are escaped (log injection). */
#ifndef STAFETT_LOG_H
#define STAFETT_LOG_H

#include <stdbool.h>

void log_init(const char *program, bool use_syslog);
void log_set_request(const char *request_id); /* NULL between requests */
const char *log_request_id(void);	      /* the current one, or 32 zeros */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Formats one line into buf without the trailing newline (for tests). */
void log_format(char *buf, unsigned size, const char *level, const char *msg);

#endif
