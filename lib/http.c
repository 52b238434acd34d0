/* http.c — the one parser for untrusted request input: query strings and
 * urlencoded bodies, multipart/form-data, cookies, Accept-Language, paths.
 * Every function takes (pointer, length), never reads past it, and allocates
 * from the request arena. */
#include "http.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decodes s[0..len) into a new arena string; '+' is a space when
 * plus_is_space. -1 on a bad or truncated escape. */
static int decode(const char *s, size_t len, bool plus_is_space, char **out, size_t *outlen)
{
	char *d = arena_alloc(len + 1);
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '%') {
			if (len - i < 3)
				return -1;
			int hi = hexval((unsigned char)s[i + 1]), lo = hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			d[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (s[i] == '+' && plus_is_space) {
			d[o++] = ' ';
		} else {
			d[o++] = s[i];
		}
	}
	d[o] = '\0';
	*out = d;
	*outlen = o;
	return 0;
}

static int push(struct params *p, struct param v)
{
	if (p->n >= HTTP_MAX_PARAMS)
		return HTTP_PARSE_TOO_MANY;
	/* Capacity doubles at powers of two; the arena keeps the old copies. */
	if (p->n == 0 || (p->n & (p->n - 1)) == 0) {
		size_t cap = p->n ? p->n * 2 : 8;
		struct param *nv = arena_alloc(cap * sizeof *nv);
		if (p->n)
			memcpy(nv, p->v, p->n * sizeof *nv);
		p->v = nv;
	}
	p->v[p->n++] = v;
	return HTTP_PARSE_OK;
}

int http_parse_urlencoded(const char *s, size_t len, struct params *out)
{
	memset(out, 0, sizeof *out);
	size_t i = 0;
	while (i < len) {
		const char *amp = memchr(s + i, '&', len - i);
		size_t end = amp ? (size_t)(amp - s) : len;
		if (end > i) {
			const char *eq = memchr(s + i, '=', end - i);
			size_t nend = eq ? (size_t)(eq - s) : end;
			struct param p = { 0 };
			char *name, *value;
			size_t nlen, vlen;
			if (decode(s + i, nend - i, true, &name, &nlen) < 0 || nlen == 0 ||
			    memchr(name, '\0', nlen))
				return HTTP_PARSE_MALFORMED;
			if (eq) {
				if (decode(eq + 1, end - nend - 1, true, &value, &vlen) < 0)
					return HTTP_PARSE_MALFORMED;
			} else {
				value = arena_strdup("");
				vlen = 0;
			}
			p.name = name;
			p.value = value;
			p.value_len = vlen;
			int rc = push(out, p);
			if (rc < 0)
				return rc;
		}
		i = end + 1;
	}
	return HTTP_PARSE_OK;
}

static bool ieq_prefix(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word);
	return len >= n && strncasecmp(s, word, n) == 0;
}

/* Finds a parameter's value in a header value like `form-data; name="x"`
 * (quoted-string with backslash escapes, or a token). NULL if absent. */
static char *header_param(const char *h, size_t len, const char *key)
{
	size_t klen = strlen(key);
	size_t i = 0;
	bool in_quotes = false;
	while (i < len) {
		if (in_quotes) {
			if (h[i] == '\\')
				i++;
			else if (h[i] == '"')
				in_quotes = false;
			i++;
			continue;
		}
		if (h[i] == '"') {
			in_quotes = true;
			i++;
			continue;
		}
		if (h[i] != ';') {
			i++;
			continue;
		}
		i++;
		while (i < len && (h[i] == ' ' || h[i] == '\t'))
			i++;
		if (len - i > klen && strncasecmp(h + i, key, klen) == 0 && h[i + klen] == '=') {
			i += klen + 1;
			struct buf b = { 0 };
			if (i < len && h[i] == '"') {
				for (i++; i < len && h[i] != '"'; i++) {
					if (h[i] == '\\' && i + 1 < len)
						i++;
					buf_addc(&b, h[i]);
				}
				if (i >= len)
					return NULL; /* unterminated quote */
			} else {
				while (i < len && h[i] != ';' && h[i] != ' ' && h[i] != '\t')
					buf_addc(&b, h[i++]);
			}
			return b.data ? b.data : arena_strdup("");
		}
	}
	return NULL;
}

static const char *find_bytes(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	if (nlen == 0 || hlen < nlen)
		return NULL;
	return memmem(hay, hlen, needle, nlen);
}

/* The next delimiter: CRLF "--" boundary followed by CRLF or "--" (RFC 2046);
 * the same bytes followed by anything else are data. */
static const char *delimiter(const char *from, const char *end, const char *delim, size_t dlen)
{
	while (from < end) {
		const char *d = find_bytes(from, (size_t)(end - from), delim, dlen);
		if (!d)
			return NULL;
		const char *after = d + dlen;
		if (end - after >= 2 &&
		    ((after[0] == '\r' && after[1] == '\n') || (after[0] == '-' && after[1] == '-')))
			return d;
		from = d + 1;
	}
	return NULL;
}

int http_parse_multipart(const char *body, size_t len, const char *content_type, struct params *out)
{
	memset(out, 0, sizeof *out);
	if (!content_type)
		return HTTP_PARSE_MALFORMED;
	const char *semi = strchr(content_type, ';');
	if (!semi)
		return HTTP_PARSE_MALFORMED;
	char *boundary = header_param(semi, strlen(semi), "boundary");
	size_t blen = boundary ? strlen(boundary) : 0;
	if (blen == 0 || blen > 70)
		return HTTP_PARSE_MALFORMED;
	/* Delimiters are CRLF "--" boundary; the first may open the body. */
	char *delim = arena_printf("\r\n--%s", boundary);
	size_t dlen = blen + 4;
	const char *p;
	if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0) {
		p = body + dlen - 2;
	} else {
		const char *first = find_bytes(body, len, delim, dlen);
		if (!first)
			return HTTP_PARSE_MALFORMED;
		p = first + dlen;
	}
	const char *end = body + len;
	for (;;) {
		/* After a delimiter: "--" closes, CRLF opens a part. */
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return HTTP_PARSE_OK;
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return HTTP_PARSE_MALFORMED;
		p += 2;
		const char *hend = find_bytes(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (!hend || hend - p > 8192)
			return HTTP_PARSE_MALFORMED;
		struct param prm = { 0 };
		bool disposition = false;
		/* Header lines. */
		const char *line = p;
		while (line < hend + 2) {
			const char *eol = find_bytes(line, (size_t)(hend + 2 - line), "\r\n", 2);
			size_t llen = (size_t)(eol - line);
			if (ieq_prefix(line, llen, "content-disposition:")) {
				const char *v = line + 20;
				size_t vlen = llen - 20;
				while (vlen && (*v == ' ' || *v == '\t'))
					v++, vlen--;
				if (!ieq_prefix(v, vlen, "form-data"))
					return HTTP_PARSE_MALFORMED;
				char *name = header_param(v, vlen, "name");
				if (!name || !*name)
					return HTTP_PARSE_MALFORMED;
				prm.name = name;
				prm.filename = header_param(v, vlen, "filename");
				disposition = true;
			} else if (ieq_prefix(line, llen, "content-type:")) {
				const char *v = line + 13;
				size_t vlen = llen - 13;
				while (vlen && (*v == ' ' || *v == '\t'))
					v++, vlen--;
				while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
					vlen--;
				prm.content_type = arena_strndup(v, vlen);
			}
			line = eol + 2;
		}
		if (!disposition)
			return HTTP_PARSE_MALFORMED;
		const char *data = hend + 4;
		const char *next = delimiter(data, end, delim, dlen);
		if (!next)
			return HTTP_PARSE_MALFORMED;
		prm.value_len = (size_t)(next - data);
		prm.value = arena_strndup(data, prm.value_len);
		int rc = push(out, prm);
		if (rc < 0)
			return rc;
		p = next + dlen;
	}
}

int http_parse_cookies(const char *header, struct params *out)
{
	memset(out, 0, sizeof *out);
	if (!header)
		return HTTP_PARSE_OK;
	const char *s = header;
	size_t len = strlen(header);
	size_t i = 0;
	while (i < len) {
		const char *semi = memchr(s + i, ';', len - i);
		size_t end = semi ? (size_t)(semi - s) : len;
		size_t a = i, b = end;
		while (a < b && (s[a] == ' ' || s[a] == '\t'))
			a++;
		while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
			b--;
		const char *eq = memchr(s + a, '=', b - a);
		if (eq && eq > s + a) {
			const char *v = eq + 1;
			size_t vlen = (size_t)(s + b - v);
			if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"')
				v++, vlen -= 2;
			char *name = arena_strndup(s + a, (size_t)(eq - s - a));
			/* The first of two same-named cookies is the most specific
			 * (RFC 6265 §5.4 orders by path length); later ones are ignored. */
			if (!params_find(out, name)) {
				struct param p = { .name = name,
						   .value = arena_strndup(v, vlen),
						   .value_len = vlen };
				if (push(out, p) < 0)
					return HTTP_PARSE_TOO_MANY;
			}
		}
		i = end + 1;
	}
	return HTTP_PARSE_OK;
}

const struct param *params_find(const struct params *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, name) == 0)
			return &p->v[i];
	return NULL;
}

const char *params_get(const struct params *p, const char *name)
{
	const struct param *f = params_find(p, name);
	return f ? f->value : NULL;
}

size_t params_count(const struct params *p, const char *name)
{
	size_t n = 0;
	for (size_t i = 0; i < p->n; i++)
		n += strcmp(p->v[i].name, name) == 0;
	return n;
}

/* The primary subtag of a language tag, mapped to what we serve. */
static const char *match_lang(const char *tag, size_t len, const char *const *supported)
{
	size_t n = 0;
	while (n < len && tag[n] != '-' && tag[n] != '_')
		n++;
	char primary[9];
	if (n == 0 || n >= sizeof primary)
		return NULL;
	for (size_t i = 0; i < n; i++)
		primary[i] = (char)tolower((unsigned char)tag[i]);
	primary[n] = '\0';
	if (strcmp(primary, "no") == 0 || strcmp(primary, "nob") == 0)
		snprintf(primary, sizeof primary, "nb");
	if (strcmp(primary, "nno") == 0)
		snprintf(primary, sizeof primary, "nn");
	for (int i = 0; supported[i]; i++)
		if (strcmp(primary, supported[i]) == 0 || strcmp(primary, "*") == 0)
			return supported[i];
	return NULL;
}

/* q-value "q=0.8" → 800; malformed → 0 (not acceptable). */
static int parse_q(const char *s, size_t len)
{
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	if (len < 3 || (s[0] != 'q' && s[0] != 'Q') || s[1] != '=')
		return 0;
	s += 2;
	len -= 2;
	if (s[0] == '1') {
		for (size_t i = 2; i < len; i++)
			if (s[i] != '0')
				return 0;
		return len == 1 || s[1] == '.' ? 1000 : 0;
	}
	if (s[0] != '0')
		return 0;
	if (len == 1)
		return 0;
	if (s[1] != '.' || len > 5)
		return 0;
	int q = 0, scale = 100;
	for (size_t i = 2; i < len; i++, scale /= 10) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		q += (s[i] - '0') * scale;
	}
	return q;
}

const char *http_accept_language(const char *header, const char *const *supported)
{
	if (!header)
		return NULL;
	size_t len = strnlen(header, 1024);
	const char *best = NULL;
	int best_q = 0, entries = 0;
	size_t i = 0;
	while (i < len && entries < 32) {
		const char *comma = memchr(header + i, ',', len - i);
		size_t end = comma ? (size_t)(comma - header) : len;
		const char *e = header + i;
		size_t elen = end - i;
		while (elen && (*e == ' ' || *e == '\t'))
			e++, elen--;
		const char *semi = memchr(e, ';', elen);
		size_t tlen = semi ? (size_t)(semi - e) : elen;
		while (tlen && (e[tlen - 1] == ' ' || e[tlen - 1] == '\t'))
			tlen--;
		int q = semi ? parse_q(semi + 1, (size_t)(e + elen - semi - 1)) : 1000;
		const char *m = match_lang(e, tlen, supported);
		if (m && q > best_q) {
			best = m;
			best_q = q;
		}
		entries++;
		i = end + 1;
	}
	return best;
}

const char *http_media_type(const char *content_type)
{
	if (!content_type)
		return "";
	const char *s = content_type;
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strcspn(s, ";");
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	char *m = arena_strndup(s, n);
	for (char *c = m; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return m;
}

int http_decode_path(const char *s, size_t len, char **out)
{
	if (len == 0 || s[0] != '/')
		return -1;
	/* An encoded slash would let "a%2F..%2Fb" hide a segment from the check. */
	for (size_t i = 0; i + 2 < len; i++)
		if (s[i] == '%' && s[i + 1] == '2' && (s[i + 2] == 'f' || s[i + 2] == 'F'))
			return -1;
	char *d;
	size_t dlen;
	if (decode(s, len, false, &d, &dlen) < 0 || memchr(d, '\0', dlen))
		return -1;
	/* No "." or ".." segment. */
	for (size_t i = 0; i < dlen;) {
		size_t j = i + 1;
		while (j < dlen && d[j] != '/')
			j++;
		size_t seg = j - i - 1;
		if ((seg == 1 && d[i + 1] == '.') || (seg == 2 && d[i + 1] == '.' && d[i + 2] == '.'))
			return -1;
		i = j;
	}
	*out = d;
	return 0;
}
