/* http.h — parsers for untrusted request input: query strings, form bodies
 * (urlencoded and multipart), cookies and Accept-Language. Every parser takes
 * (pointer, length), allocates from the arena and never trusts a length it did
 * not check. One decoder for all programs (SECURITY.md A13.92). */
#ifndef STAFETT_HTTP_H
#define STAFETT_HTTP_H

#include <stdbool.h>
#include <stddef.h>

struct param {
	const char *name;  /* NUL-terminated, decoded */
	const char *value; /* NUL-terminated, decoded; may hold NUL bytes in file parts */
	size_t value_len;
	const char *filename;	  /* multipart file parts only; NULL otherwise */
	const char *content_type; /* multipart parts only; NULL otherwise */
};

struct params {
	struct param *v;
	size_t n;
};

enum {
	HTTP_PARSE_OK = 0,
	HTTP_PARSE_MALFORMED = -1, /* bad %-escape, missing boundary, truncated part, ... */
	HTTP_PARSE_TOO_MANY = -2,  /* more than HTTP_MAX_PARAMS parameters */
};
#define HTTP_MAX_PARAMS 256

/* a=1&b=%C3%A6+x. '+' is a space. A bad or truncated %-escape, or a decoded
 * name that is empty, is malformed. Duplicates are kept in order (the form
 * layer decides whether a name may repeat). Empty pairs ("a=1&&b=2") are skipped. */
int http_parse_urlencoded(const char *s, size_t len, struct params *out);

/* multipart/form-data; content_type is the whole header value, from which the
 * boundary is taken (quoted or not, at most 70 characters). */
int http_parse_multipart(const char *body, size_t len, const char *content_type, struct params *out);

/* Cookie header: "a=1; b=2". Values are not %-decoded; surrounding quotes are
 * removed. Malformed pairs are skipped; a duplicate name keeps the first. */
int http_parse_cookies(const char *header, struct params *out);

const struct param *params_find(const struct params *p, const char *name);
const char *params_get(const struct params *p, const char *name); /* NULL if absent */
size_t params_count(const struct params *p, const char *name);

/* Best of SUPPORTED (NULL-terminated, e.g. {"nb","nn","en",NULL}) for an
 * Accept-Language header, honouring q-values; "no" counts as "nb", "nb-NO" as
 * "nb". NULL if nothing matches. */
const char *http_accept_language(const char *header, const char *const *supported);

/* The media type of a Content-Type value, lower-cased, without parameters. */
const char *http_media_type(const char *content_type);

/* Percent-decode a path; -1 on a bad escape, an encoded '/', NUL or "..". */
int http_decode_path(const char *s, size_t len, char **out);

#endif
