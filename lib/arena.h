/* arena.h — per-request memory and growable buffers.
 * Everything allocated while serving a request comes from here and is released
 * at once by arena_reset() after the response; out of memory aborts the process. */
#ifndef STAFETT_ARENA_H
#define STAFETT_ARENA_H

#include <stdarg.h>
#include <stddef.h>

void *arena_alloc(size_t n); /* zeroed, aligned for any type */
char *arena_strdup(const char *s);
char *arena_strndup(const char *s, size_t n);
char *arena_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void arena_reset(void);	 /* frees everything; keeps one chunk for the next request */
size_t arena_used(void); /* bytes handed out since the last reset */

/* Allocation that is not per request (template cache, statement cache). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* A growable byte buffer in the arena; data is always NUL-terminated. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);

#endif
