/* utf8.h — decoding UTF-8, for the form validator and the template escaper
 * (plumbing: depends on nothing). */
#ifndef STAFETT_UTF8_H
#define STAFETT_UTF8_H

#include <stddef.h>

/* One UTF-8 sequence at s (n > 0 bytes left): its length and code point, or 0
 * if invalid (overlong forms, surrogates and values above U+10FFFF are). */
size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp);
/* Code points in s; assumes valid UTF-8. */
size_t utf8_length(const char *s, size_t len);

#endif
