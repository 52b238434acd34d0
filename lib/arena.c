/* arena.c — the per-request arena and the allocation wrappers.
 * Chunks are chained; arena_reset() frees all but the first so a long-lived
 * FastCGI process returns to the same size after every request. */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE (64 * 1024)
#define ALIGN 16

struct chunk {
	struct chunk *next;
	size_t size;
	size_t used;
	_Alignas(ALIGN) unsigned char data[];
};

static struct chunk *head;  /* the chunk being filled; its chain holds older ones */
static struct chunk *first; /* kept across resets */
static size_t used_total;

static void oom(void)
{
	/* Out of memory is one deliberate path: the supervisor restarts us. */
	fputs("stafett: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

static struct chunk *chunk_new(size_t min)
{
	size_t size = min > CHUNK_SIZE ? min : CHUNK_SIZE;
	if (size > SIZE_MAX - sizeof(struct chunk))
		oom();
	struct chunk *c = xmalloc(sizeof(struct chunk) + size);
	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

void *arena_alloc(size_t n)
{
	if (n > SIZE_MAX - ALIGN)
		oom();
	n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (!head) {
		first = head = chunk_new(n);
	} else if (head->size - head->used < n) {
		struct chunk *c = chunk_new(n);
		c->next = head;
		head = c;
	}
	void *p = head->data + head->used;
	head->used += n;
	used_total += n;
	return memset(p, 0, n);
}

void arena_reset(void)
{
	while (head && head != first) {
		struct chunk *next = head->next;
		free(head);
		head = next;
	}
	if (first)
		first->used = 0;
	used_total = 0;
}

size_t arena_used(void)
{
	return used_total;
}

char *arena_strndup(const char *s, size_t n)
{
	char *p = arena_alloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(const char *s)
{
	return arena_strndup(s, strlen(s));
}

char *arena_printf(const char *fmt, ...)
{
	struct buf b = { 0 };
	va_list ap;
	va_start(ap, fmt);
	char small[256];
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	if ((size_t)n < sizeof small)
		return arena_strndup(small, (size_t)n);
	b.data = arena_alloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(b.data, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return b.data;
}

static void buf_grow(struct buf *b, size_t extra)
{
	if (extra > SIZE_MAX / 2 - b->len)
		oom();
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	char *p = arena_alloc(cap);
	if (b->len)
		memcpy(p, b->data, b->len);
	b->data = p;
	b->cap = cap;
}

void buf_add(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_addc(struct buf *b, char c)
{
	buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}
