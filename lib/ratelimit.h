/* ratelimit.h — fixed-window counters in MariaDB, shared by every worker:
 * login attempts and token links, per address and per person. Keys are
 * hashed with SHA-256 before they are stored, so no address or identity
 * number lands in the table. */
#ifndef STAFETT_RATELIMIT_H
#define STAFETT_RATELIMIT_H

/* Counts one hit on (scope, key) in the current window of window_seconds.
 * 1 if still within limit, 0 if over it, or a negative db.h code. */
int ratelimit_hit(const char *scope, const char *key, long long limit, long long window_seconds);
/* Whether (scope, key) is still within limit in the current window, without
 * counting a hit: for the second step of something counted at its first.
 * 1 within, 0 over, or a negative db.h code. */
int ratelimit_within(const char *scope, const char *key, long long limit, long long window_seconds);

#endif
