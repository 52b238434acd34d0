/* tmpl.c — the template engine: values, a parser that decides each tag's
 * HTML context once, and a renderer that walks the parsed nodes. Templates are
 * parsed at start and kept for the process; rendering allocates only from the
 * request arena. */
#include "tmpl.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "utf8.h"
#include "i18n.h"

/* --- values -------------------------------------------------------------- */

struct tv_kv {
	const char *key;
	struct tv *val;
	struct tv_kv *next;
};

struct tv {
	enum tv_kind kind;
	const char *s;
	long long i;
	struct tv_kv *first, *last; /* TV_OBJ */
	struct tv **items;	    /* TV_LIST */
	size_t n, cap;
};

static struct tv *tv_new(enum tv_kind kind)
{
	struct tv *v = arena_alloc(sizeof *v);
	v->kind = kind;
	return v;
}

struct tv *tv_obj(void)
{
	return tv_new(TV_OBJ);
}

struct tv *tv_list(void)
{
	return tv_new(TV_LIST);
}

struct tv *tv_str(const char *s)
{
	struct tv *v = tv_new(s ? TV_STR : TV_NULL);
	v->s = s;
	return v;
}

struct tv *tv_int(long long i)
{
	struct tv *v = tv_new(TV_INT);
	v->i = i;
	return v;
}

struct tv *tv_bool(bool b)
{
	struct tv *v = tv_new(TV_BOOL);
	v->i = b;
	return v;
}

void tv_set(struct tv *obj, const char *key, struct tv *val)
{
	if (!obj || obj->kind != TV_OBJ)
		return;
	for (struct tv_kv *kv = obj->first; kv; kv = kv->next) {
		if (strcmp(kv->key, key) == 0) {
			kv->val = val;
			return;
		}
	}
	struct tv_kv *kv = arena_alloc(sizeof *kv);
	kv->key = key;
	kv->val = val;
	if (obj->last)
		obj->last->next = kv;
	else
		obj->first = kv;
	obj->last = kv;
}

void tv_set_str(struct tv *obj, const char *key, const char *s)
{
	tv_set(obj, key, tv_str(s));
}

void tv_set_int(struct tv *obj, const char *key, long long i)
{
	tv_set(obj, key, tv_int(i));
}

void tv_set_bool(struct tv *obj, const char *key, bool b)
{
	tv_set(obj, key, tv_bool(b));
}

void tv_push(struct tv *list, struct tv *val)
{
	if (!list || list->kind != TV_LIST)
		return;
	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 8;
		struct tv **items = arena_alloc(cap * sizeof *items);
		if (list->n)
			memcpy(items, list->items, list->n * sizeof *items);
		list->items = items;
		list->cap = cap;
	}
	list->items[list->n++] = val;
}

struct tv *tv_push_obj(struct tv *list)
{
	struct tv *o = tv_obj();
	tv_push(list, o);
	return o;
}

enum tv_kind tv_kind(const struct tv *v)
{
	return v ? v->kind : TV_NULL;
}

static const struct tv *member(const struct tv *obj, const char *key, size_t len)
{
	if (!obj || obj->kind != TV_OBJ)
		return NULL;
	for (const struct tv_kv *kv = obj->first; kv; kv = kv->next)
		if (strlen(kv->key) == len && memcmp(kv->key, key, len) == 0)
			return kv->val;
	return NULL;
}

const struct tv *tv_get(const struct tv *obj, const char *path)
{
	const struct tv *v = obj;
	while (v && *path) {
		size_t n = strcspn(path, ".");
		v = member(v, path, n);
		path += n;
		if (*path == '.')
			path++;
	}
	return v;
}

const char *tv_get_str(const struct tv *obj, const char *key)
{
	const struct tv *v = tv_get(obj, key);
	return v && v->kind == TV_STR ? v->s : NULL;
}

bool tv_truthy(const struct tv *v)
{
	if (!v)
		return false;
	switch (v->kind) {
	case TV_STR:
		return v->s && *v->s;
	case TV_INT:
	case TV_BOOL:
		return v->i != 0;
	case TV_LIST:
		return v->n > 0;
	case TV_OBJ:
		return true;
	default:
		return false;
	}
}

/* --- escaping ------------------------------------------------------------ */

void html_escape(struct buf *out, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t start = 0;
	for (size_t i = 0; i < n;) {
		const char *rep = NULL;
		size_t step = 1;
		unsigned cp;
		switch (u[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		case '\0':
			rep = "\xef\xbf\xbd";
			break;
		default:
			if (u[i] >= 0x80) {
				step = utf8_decode(u + i, n - i, &cp);
				if (step == 0) {
					rep = "\xef\xbf\xbd"; /* invalid UTF-8 becomes U+FFFD */
					step = 1;
				}
			}
		}
		if (rep) {
			buf_add(out, s + start, i - start);
			buf_adds(out, rep);
			start = i + step;
		}
		i += step;
	}
	buf_add(out, s + start, n - start);
}

void url_encode(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
		    c == '.' || c == '_' || c == '~') {
			buf_addc(out, (char)c);
		} else {
			buf_addc(out, '%');
			buf_addc(out, hex[c >> 4]);
			buf_addc(out, hex[c & 15]);
		}
	}
}

/* A URL at the start of an attribute: relative, or http(s)/mailto. */
static bool url_allowed(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (s[0] == '/')
		return s[1] != '/' && s[1] != '\\';
	if (s[0] == '?' || s[0] == '#' || s[0] == '\0')
		return true;
	if (!strncasecmp(s, "http:", 5) || !strncasecmp(s, "https:", 6) || !strncasecmp(s, "mailto:", 7))
		return true;
	/* A relative path: no scheme (no ':' before the first '/', '?' or '#'). */
	size_t n = strcspn(s, "/?#");
	return memchr(s, ':', n) == NULL;
}

/* --- parsed templates ---------------------------------------------------- */

enum node_kind { N_TEXT, N_VAR, N_RAW, N_T, N_IF, N_UNLESS, N_EACH, N_PARTIAL, N_YIELD };
enum out_ctx { C_TEXT, C_ATTR, C_URL_START, C_URL_REST, C_PLAIN };

struct node {
	enum node_kind kind;
	enum out_ctx ctx;
	const char *text; /* N_TEXT literal, N_T msgid, else the value's path */
	size_t len;
	struct node *body, *alt; /* sections: the parts before and after {{else}} */
	size_t nbody, nalt;
	const char *partial; /* N_PARTIAL: name until resolved */
	int target;	     /* N_PARTIAL: index in templates[] */
	enum i18n_fmt fmt;   /* N_VAR: shown as a date, a time or a number (i18n.h) */
};

struct tmpl {
	char *name;
	char *src;
	struct node *nodes;
	size_t n;
};

static struct tmpl *templates;
static size_t ntemplates;
static char error_text[512];

const char *tmpl_error(void)
{
	return error_text;
}

/* The HTML tokenizer's state between two tags, enough to know a context. */
enum html_state {
	H_TEXT,
	H_TAGNAME,
	H_IN_TAG,
	H_ATTRNAME,
	H_BEFORE_VALUE,
	H_VALUE_DQ,
	H_VALUE_SQ,
	H_VALUE_UNQ,
	H_RAWTEXT,
	H_COMMENT,
};

struct html {
	enum html_state st;
	char tag[16];	  /* current element name, lower case */
	bool closing;	  /* in </tag> */
	char attr[24];	  /* current attribute name, lower case */
	bool written;	  /* something was written in the current attribute value */
	char raw_end[16]; /* element whose end leaves H_RAWTEXT */
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool is_name(char c)
{
	return c && !is_space(c) && c != '>' && c != '/' && c != '=' && c != '"' && c != '\'' && c != '<';
}

static void add_char(char *dst, size_t cap, char c)
{
	size_t n = strlen(dst);
	if (n + 1 < cap) {
		dst[n] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		dst[n + 1] = '\0';
	}
}

/* After '>': script and style hold raw text until their end tag (textarea
 * and title hold escapable text, where values are fine). */
static void end_tag(struct html *h)
{
	h->st = H_TEXT;
	if (h->closing)
		return;
	if (strcmp(h->tag, "script") == 0)
		snprintf(h->raw_end, sizeof h->raw_end, "</script");
	else if (strcmp(h->tag, "style") == 0)
		snprintf(h->raw_end, sizeof h->raw_end, "</style");
	else
		return;
	h->st = H_RAWTEXT;
}

/* Advances the tokenizer over literal text. */
static void html_feed(struct html *h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		switch (h->st) {
		case H_TEXT:
			if (c == '<') {
				if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
					h->st = H_COMMENT;
					i += 3;
				} else if (i + 1 == n ||
					   ((s[i + 1] == '/' || is_name(s[i + 1])) && s[i + 1] != '!')) {
					/* A '<' right before a tag starts a tag name: a value
					 * there would choose the element. */
					h->st = H_TAGNAME;
					h->tag[0] = '\0';
					h->closing = i + 1 < n && s[i + 1] == '/';
					if (h->closing)
						i++;
				}
			}
			break;
		case H_TAGNAME:
			if (is_space(c) || c == '/')
				h->st = H_IN_TAG;
			else if (c == '>')
				end_tag(h);
			else
				add_char(h->tag, sizeof h->tag, c);
			break;
		case H_IN_TAG:
		case H_ATTRNAME:
			if (c == '>') {
				end_tag(h);
			} else if (c == '=' && h->st == H_ATTRNAME) {
				h->st = H_BEFORE_VALUE;
			} else if (is_space(c) || c == '/') {
				/* An attribute name may still be followed by '='. */
			} else if (h->st == H_IN_TAG || (i > 0 && is_space(s[i - 1]))) {
				h->st = H_ATTRNAME;
				h->attr[0] = '\0';
				add_char(h->attr, sizeof h->attr, c);
			} else {
				add_char(h->attr, sizeof h->attr, c);
			}
			break;
		case H_BEFORE_VALUE:
			h->written = false;
			if (c == '"')
				h->st = H_VALUE_DQ;
			else if (c == '\'')
				h->st = H_VALUE_SQ;
			else if (c == '>')
				end_tag(h);
			else if (!is_space(c))
				h->st = H_VALUE_UNQ, h->written = true;
			break;
		case H_VALUE_DQ:
		case H_VALUE_SQ:
			if (c == (h->st == H_VALUE_DQ ? '"' : '\''))
				h->st = H_IN_TAG;
			else
				h->written = true;
			break;
		case H_VALUE_UNQ:
			if (is_space(c))
				h->st = H_IN_TAG;
			else if (c == '>')
				end_tag(h);
			break;
		case H_RAWTEXT: {
			size_t m = strlen(h->raw_end);
			if (n - i >= m && strncasecmp(s + i, h->raw_end, m) == 0) {
				h->st = H_TAGNAME;
				h->closing = true;
				snprintf(h->tag, sizeof h->tag, "%s", h->raw_end + 2);
				i += m - 1;
			}
			break;
		}
		case H_COMMENT:
			if (n - i >= 3 && memcmp(s + i, "-->", 3) == 0) {
				h->st = H_TEXT;
				i += 2;
			}
			break;
		}
	}
}

/* Between attributes counts as one state for the section rule. */
static int html_class(const struct html *h)
{
	switch (h->st) {
	case H_IN_TAG:
	case H_ATTRNAME:
		return H_IN_TAG;
	default:
		return (int)h->st;
	}
}

static bool url_attr(const char *a)
{
	static const char *const names[] = { "href",   "src",  "action", "formaction",
					     "poster", "cite", "data",	 NULL };
	for (int i = 0; names[i]; i++)
		if (strcmp(a, names[i]) == 0)
			return true;
	return false;
}

struct parser {
	const char *file;
	const char *src;
	size_t pos, len;
	struct html h;
	bool plain; /* a NAME.txt template: text, no HTML around the values */
	const char *err;
	size_t err_pos;
};

static int fail(struct parser *p, const char *msg)
{
	if (!p->err) {
		p->err = msg;
		p->err_pos = p->pos;
	}
	return -1;
}

/* The context of a value tag here, or -1 (with p->err) where none is safe. */
static int value_context(struct parser *p, bool raw)
{
	struct html *h = &p->h;
	if (p->plain)
		return C_PLAIN;
	switch (h->st) {
	case H_TEXT:
		return C_TEXT;
	case H_VALUE_DQ:
	case H_VALUE_SQ:
		if (raw)
			return fail(p, "{{raw}} inside an attribute");
		if (strncmp(h->attr, "on", 2) == 0 || strcmp(h->attr, "style") == 0)
			return fail(p, "value inside an event handler or style attribute");
		if (url_attr(h->attr)) {
			bool start = !h->written;
			h->written = true;
			return start ? C_URL_START : C_URL_REST;
		}
		h->written = true;
		return C_ATTR;
	case H_BEFORE_VALUE:
	case H_VALUE_UNQ:
		return fail(p, "value in an unquoted attribute");
	case H_RAWTEXT:
		return fail(p, "value inside <script> or <style>");
	case H_COMMENT:
		return fail(p, "value inside an HTML comment");
	default:
		return fail(p, "value inside a tag or attribute name");
	}
}

struct nodes {
	struct node *v;
	size_t n, cap;
};

static struct node *add_node(struct nodes *ns, enum node_kind kind)
{
	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? ns->cap * 2 : 8;
		ns->v = xrealloc(ns->v, ns->cap * sizeof *ns->v);
	}
	struct node *nd = &ns->v[ns->n++];
	memset(nd, 0, sizeof *nd);
	nd->kind = kind;
	return nd;
}

static char *xstrndup_(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* A tag is standalone when it is alone on its line with only whitespace;
 * then the whole line disappears from the output. */
static bool standalone(const struct parser *p, size_t open, size_t close, size_t *line_start,
		       size_t *line_end)
{
	size_t a = open;
	while (a > 0 && (p->src[a - 1] == ' ' || p->src[a - 1] == '\t'))
		a--;
	if (a > 0 && p->src[a - 1] != '\n')
		return false;
	size_t b = close;
	while (b < p->len && (p->src[b] == ' ' || p->src[b] == '\t' || p->src[b] == '\r'))
		b++;
	if (b < p->len && p->src[b] != '\n')
		return false;
	*line_start = a;
	*line_end = b < p->len ? b + 1 : b;
	return true;
}

static bool valid_path(const char *s, size_t n)
{
	if (n == 1 && s[0] == '.')
		return true;
	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || (c == '@' && i == 0)))
			return false;
	}
	return true;
}

/* Parses until {{/close}} or {{else}} (when allowed) or the end. Returns the
 * token that ended the list: 0 end of input, 1 else, 2 close. */
static int parse_list(struct parser *p, struct nodes *out, const char *closer);

static int parse_section(struct parser *p, struct nodes *out, enum node_kind kind, const char *arg,
			 size_t arglen)
{
	if (!valid_path(arg, arglen))
		return fail(p, "bad name in section");
	if (p->h.st == H_RAWTEXT || p->h.st == H_COMMENT || p->h.st == H_BEFORE_VALUE ||
	    p->h.st == H_VALUE_UNQ || p->h.st == H_TAGNAME)
		return fail(p, "section in a place without a safe context");
	struct node *nd = add_node(out, kind);
	size_t idx = out->n - 1; /* out->v moves as nodes are added */
	nd->text = xstrndup_(arg, arglen);
	nd->len = arglen;
	const char *closer = kind == N_EACH ? "each" : kind == N_IF ? "if" : "unless";
	struct html at_open = p->h;
	struct nodes body = { 0 }, alt = { 0 };
	/* The node owns its parts as soon as they exist, so a parse error
	 * frees them with the rest of the template. */
	int end = parse_list(p, &body, closer);
	out->v[idx].body = body.v;
	out->v[idx].nbody = body.n;
	if (end < 0)
		return -1;
	struct html after_body = p->h;
	if (end == 1) {
		p->h = at_open;
		end = parse_list(p, &alt, closer);
		out->v[idx].alt = alt.v;
		out->v[idx].nalt = alt.n;
		if (end < 0)
			return -1;
		if (end == 1)
			return fail(p, "two {{else}} in one section");
		if (html_class(&p->h) != html_class(&after_body))
			return fail(p, "the two branches of a section end in different HTML contexts");
	}
	if (end != 2)
		return fail(p, "section is not closed");
	if (html_class(&after_body) != html_class(&at_open) ||
	    (at_open.st >= H_VALUE_DQ && strcmp(at_open.attr, after_body.attr) != 0))
		return fail(p, "a section may not change the HTML context");
	return 0;
}

static int parse_list(struct parser *p, struct nodes *out, const char *closer)
{
	while (p->pos < p->len) {
		const char *open = strstr(p->src + p->pos, "{{");
		size_t o = open ? (size_t)(open - p->src) : p->len;
		size_t text_end = o;
		size_t c = 0, resume = 0;
		const char *inner = NULL;
		size_t ilen = 0;
		if (open) {
			const char *close = strstr(open + 2, "}}");
			if (!close) {
				p->pos = o;
				return fail(p, "unclosed {{");
			}
			c = (size_t)(close - p->src) + 2;
			inner = open + 2;
			ilen = (size_t)(close - inner);
			while (ilen && is_space(*inner))
				inner++, ilen--;
			while (ilen && is_space(inner[ilen - 1]))
				ilen--;
			resume = c;
			bool sectional = ilen &&
				(inner[0] == '#' || inner[0] == '/' || inner[0] == '!' ||
				 (ilen == 4 && memcmp(inner, "else", 4) == 0));
			size_t ls, le;
			if (sectional && standalone(p, o, c, &ls, &le)) {
				text_end = ls;
				resume = le;
			}
		}
		if (text_end > p->pos) {
			struct node *t = add_node(out, N_TEXT);
			t->text = p->src + p->pos;
			t->len = text_end - p->pos;
			if (!p->plain)
				html_feed(&p->h, t->text, t->len);
		}
		if (!open) {
			p->pos = p->len;
			break;
		}
		p->pos = o;
		if (ilen == 0)
			return fail(p, "empty {{}}");
		if (inner[0] == '!') {
			p->pos = resume;
			continue;
		}
		if (inner[0] == '/') {
			const char *name = inner + 1;
			size_t n = ilen - 1;
			if (!closer || strlen(closer) != n || memcmp(name, closer, n) != 0)
				return fail(p, "closing tag does not match the open section");
			p->pos = resume;
			return 2;
		}
		if (ilen == 4 && memcmp(inner, "else", 4) == 0) {
			if (!closer)
				return fail(p, "{{else}} outside a section");
			p->pos = resume;
			return 1;
		}
		if (inner[0] == '#') {
			static const struct {
				const char *word;
				enum node_kind kind;
			} kinds[] = { { "if", N_IF }, { "unless", N_UNLESS }, { "each", N_EACH } };
			size_t wl = strcspn(inner + 1, " \t");
			if (wl >= ilen - 1)
				return fail(p, "section without a name");
			const char *arg = inner + 1 + wl;
			while (is_space(*arg))
				arg++;
			size_t alen = ilen - (size_t)(arg - inner);
			for (size_t k = 0; k < 3; k++) {
				if (strlen(kinds[k].word) == wl && !memcmp(inner + 1, kinds[k].word, wl)) {
					p->pos = resume;
					if (parse_section(p, out, kinds[k].kind, arg, alen) < 0)
						return -1;
					goto next;
				}
			}
			return fail(p, "unknown section");
		}
		if (inner[0] == '>') {
			const char *name = inner + 1;
			size_t n = ilen - 1;
			while (n && is_space(*name))
				name++, n--;
			if (!valid_path(name, n) || memchr(name, '.', n))
				return fail(p, "bad partial name");
			if (p->h.st != H_TEXT)
				return fail(p, "a partial must stand in element text");
			struct node *nd = add_node(out, N_PARTIAL);
			nd->partial = xstrndup_(name, n);
			p->pos = resume;
			continue;
		}
		if (ilen == 5 && memcmp(inner, "yield", 5) == 0) {
			if (p->h.st != H_TEXT)
				return fail(p, "{{yield}} must stand in element text");
			add_node(out, N_YIELD);
			p->pos = resume;
			continue;
		}
		bool tc = ilen > 3 && inner[0] == 't' && inner[1] == 'c' && is_space(inner[2]);
		if (tc || (ilen > 2 && inner[0] == 't' && is_space(inner[1]))) {
			const char *q = inner + (tc ? 2 : 1);
			while (is_space(*q))
				q++;
			size_t qlen = ilen - (size_t)(q - inner);
			if (qlen < 2 || q[0] != '"' || q[qlen - 1] != '"')
				return fail(p, "{{t}} needs a quoted message");
			/* {{tc "context" "message"}}: gettext's key is context EOT message. */
			char *msg = xmalloc(qlen);
			size_t m = 0;
			bool ctx_done = !tc;
			for (size_t i = 1; i + 1 < qlen; i++) {
				if (q[i] == '\\' && i + 2 < qlen) {
					i++;
				} else if (q[i] == '"') {
					if (ctx_done)
						return free(msg), fail(p, "unescaped quote in {{t}}");
					size_t j = i + 1;
					while (j < qlen && is_space(q[j]))
						j++;
					if (j == i + 1 || j + 1 >= qlen || q[j] != '"')
						return free(msg),
						       fail(p, "{{tc}} needs a quoted context and message");
					msg[m++] = '\004';
					i = j;
					ctx_done = true;
					continue;
				}
				msg[m++] = q[i];
			}
			if (!ctx_done)
				return free(msg), fail(p, "{{tc}} needs a quoted context and message");
			msg[m] = '\0';
			int ctx = value_context(p, false);
			if (ctx < 0)
				return free(msg), -1;
			struct node *nd = add_node(out, N_T);
			nd->text = msg;
			nd->len = m;
			nd->ctx = (enum out_ctx)ctx;
			p->pos = resume;
			continue;
		}
		bool raw = ilen > 4 && memcmp(inner, "raw", 3) == 0 && is_space(inner[3]);
		const char *path = raw ? inner + 4 : inner;
		size_t plen = raw ? ilen - 4 : ilen;
		enum i18n_fmt fmt = I18N_AS_IS;
		size_t fl = strcspn(inner, " \t");
		if (!raw && fl < ilen) {
			fmt = i18n_fmt_named(inner, fl);
			if (fmt == I18N_AS_IS)
				return fail(p, "unknown format in {{}}");
			path = inner + fl;
			plen = ilen - fl;
		}
		while (plen && is_space(*path))
			path++, plen--;
		if (!valid_path(path, plen))
			return fail(p, "bad name in {{}}");
		int ctx = value_context(p, raw);
		if (ctx < 0)
			return -1;
		struct node *nd = add_node(out, raw ? N_RAW : N_VAR);
		nd->text = xstrndup_(path, plen);
		nd->len = plen;
		nd->ctx = (enum out_ctx)ctx;
		nd->fmt = fmt;
		p->pos = resume;
	next:;
	}
	if (closer)
		return fail(p, "section is not closed");
	return 0;
}

static void free_nodes(struct node *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i].kind != N_TEXT)
			free((void *)v[i].text);
		free((void *)v[i].partial);
		free_nodes(v[i].body, v[i].nbody);
		free_nodes(v[i].alt, v[i].nalt);
	}
	free(v);
}

void tmpl_free(void)
{
	for (size_t i = 0; i < ntemplates; i++) {
		free_nodes(templates[i].nodes, templates[i].n);
		free(templates[i].name);
		free(templates[i].src);
	}
	free(templates);
	templates = NULL;
	ntemplates = 0;
}

static int find_template(const char *name)
{
	for (size_t i = 0; i < ntemplates; i++)
		if (strcmp(templates[i].name, name) == 0)
			return (int)i;
	return -1;
}

bool tmpl_exists(const char *name)
{
	return find_template(name) >= 0;
}

static int resolve(struct node *v, size_t n, const char *file)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i].kind == N_PARTIAL) {
			v[i].target = find_template(v[i].partial);
			if (v[i].target < 0) {
				snprintf(error_text, sizeof error_text, "%s.html: unknown partial %s", file,
					 v[i].partial);
				return -1;
			}
		}
		if (resolve(v[i].body, v[i].nbody, file) < 0 || resolve(v[i].alt, v[i].nalt, file) < 0)
			return -1;
	}
	return 0;
}

/* Adds one template from source text; takes ownership of src. */
static int add_template(const char *name, char *src)
{
	size_t nl = strlen(name);
	struct parser p = { .file = name,
			    .src = src,
			    .len = strlen(src),
			    .plain = nl > 4 && strcmp(name + nl - 4, ".txt") == 0 };
	struct nodes ns = { 0 };
	if (parse_list(&p, &ns, NULL) < 0) {
		int line = 1;
		for (size_t i = 0; i < p.err_pos && i < p.len; i++)
			line += src[i] == '\n';
		snprintf(error_text, sizeof error_text, "%s%s:%d: %s", name, p.plain ? "" : ".html", line,
			 p.err);
		free_nodes(ns.v, ns.n);
		free(src);
		return -1;
	}
	templates = xrealloc(templates, (ntemplates + 1) * sizeof *templates);
	templates[ntemplates++] = (struct tmpl){ xstrdup(name), src, ns.v, ns.n };
	return 0;
}

static int resolve_all(void)
{
	for (size_t i = 0; i < ntemplates; i++)
		if (resolve(templates[i].nodes, templates[i].n, templates[i].name) < 0)
			return -1;
	return 0;
}

static void remove_template(size_t i)
{
	free_nodes(templates[i].nodes, templates[i].n);
	free(templates[i].name);
	free(templates[i].src);
	memmove(&templates[i], &templates[i + 1], (ntemplates - i - 1) * sizeof *templates);
	ntemplates--;
}

int tmpl_parse_string(const char *name, const char *src)
{
	if (add_template(name, xstrdup(src)) < 0)
		return -1;
	/* The new one is last; it replaces an older one of the same name. */
	int old = find_template(name);
	if (old >= 0 && (size_t)old != ntemplates - 1) {
		struct tmpl fresh = templates[ntemplates - 1];
		ntemplates--;
		free_nodes(templates[old].nodes, templates[old].n);
		free(templates[old].name);
		free(templates[old].src);
		templates[old] = fresh;
	}
	/* Partials are found by name, so indices are worked out again each time. */
	if (resolve_all() < 0) {
		remove_template((size_t)find_template(name));
		resolve_all();
		return -1;
	}
	return 0;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *data = NULL;
	size_t len = 0, cap = 0, n;
	char chunk[4096];
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			data = xrealloc(data, cap);
		}
		memcpy(data + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (!data)
		data = xstrdup("");
	else
		data[len] = '\0';
	if (strlen(data) != len) {
		free(data);
		return NULL;
	}
	return data;
}

int tmpl_init(const char *dir)
{
	tmpl_free();
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(error_text, sizeof error_text, "cannot open the template folder %s", dir);
		return -1;
	}
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d))) {
		/* NAME.html, known as NAME; NAME.txt (the text of a mail), known as
		 * NAME.txt, whose values are inserted as they are. */
		size_t n = strlen(e->d_name);
		bool txt = n > 4 && strcmp(e->d_name + n - 4, ".txt") == 0;
		if (e->d_name[0] == '.' || (!txt && (n <= 5 || strcmp(e->d_name + n - 5, ".html") != 0)))
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		char *src = slurp(path);
		if (!src) {
			snprintf(error_text, sizeof error_text, "cannot read %s", e->d_name);
			rc = -1;
			break;
		}
		char name[256];
		snprintf(name, sizeof name, "%.*s", (int)(txt ? n : n - 5), e->d_name);
		rc = add_template(name, src);
	}
	closedir(d);
	if (rc == 0)
		rc = resolve_all();
	if (rc < 0)
		tmpl_free();
	return rc;
}

/* --- rendering ----------------------------------------------------------- */

#define MAX_SCOPES 32
#define MAX_DEPTH 16

struct frame {
	const struct tv *scope;
	long long index; /* -1 outside {{#each}} */
};

struct render {
	struct buf *out;
	struct frame scopes[MAX_SCOPES];
	int nscopes;
	int depth;
	int page; /* template index for {{yield}}, or -1 */
};

static const struct tv *lookup(struct render *r, const char *path, struct tv *tmp)
{
	if (path[0] == '.' && path[1] == '\0')
		return r->scopes[r->nscopes - 1].scope;
	if (path[0] == '@') {
		long long idx = r->scopes[r->nscopes - 1].index;
		if (idx < 0)
			return NULL;
		tmp->kind = TV_INT;
		tmp->i = strcmp(path, "@number") == 0 ? idx + 1 : idx;
		return strcmp(path, "@index") == 0 || strcmp(path, "@number") == 0 ? tmp : NULL;
	}
	size_t first = strcspn(path, ".");
	for (int i = r->nscopes - 1; i >= 0; i--) {
		const struct tv *v = member(r->scopes[i].scope, path, first);
		if (v)
			return path[first] ? tv_get(v, path + first + 1) : v;
	}
	return NULL;
}

static void emit(struct render *r, enum out_ctx ctx, const char *s, size_t n)
{
	switch (ctx) {
	case C_URL_START:
		if (!url_allowed(s)) {
			buf_addc(r->out, '#');
			return;
		}
		/* fall through */
	case C_TEXT:
	case C_ATTR:
		html_escape(r->out, s, n);
		return;
	case C_URL_REST:
		url_encode(r->out, s, n);
		return;
	case C_PLAIN:
		buf_add(r->out, s, n);
		return;
	}
}

static int render_nodes(struct render *r, const struct node *v, size_t n);

static int render_with(struct render *r, const struct node *v, size_t n, const struct tv *scope,
		       long long index)
{
	if (r->nscopes >= MAX_SCOPES) {
		snprintf(error_text, sizeof error_text, "sections nested too deeply");
		return -1;
	}
	r->scopes[r->nscopes++] = (struct frame){ scope, index };
	int rc = render_nodes(r, v, n);
	r->nscopes--;
	return rc;
}

static int render_template(struct render *r, int idx)
{
	if (++r->depth > MAX_DEPTH) {
		snprintf(error_text, sizeof error_text, "partials included too deeply");
		return -1;
	}
	int rc = render_nodes(r, templates[idx].nodes, templates[idx].n);
	r->depth--;
	return rc;
}

static int render_nodes(struct render *r, const struct node *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct node *nd = &v[i];
		struct tv tmp = { 0 };
		const struct tv *val;
		switch (nd->kind) {
		case N_TEXT:
			buf_add(r->out, nd->text, nd->len);
			break;
		case N_T: {
			const char *t = i18n_t(nd->text);
			emit(r, nd->ctx, t, strlen(t));
			break;
		}
		case N_VAR:
		case N_RAW:
			val = lookup(r, nd->text, &tmp);
			if (val && (val->kind == TV_STR || val->kind == TV_INT || val->kind == TV_BOOL)) {
				char num[32];
				const char *s = val->s;
				if (val->kind == TV_INT) {
					snprintf(num, sizeof num, "%lld", val->i);
					s = num;
				} else if (val->kind == TV_BOOL) {
					s = val->i ? "true" : "false";
				}
				char shown[96];
				if (nd->fmt != I18N_AS_IS && val->kind != TV_BOOL &&
				    i18n_format(shown, sizeof shown, nd->fmt, s) == 0)
					s = shown;
				if (nd->kind == N_RAW)
					buf_adds(r->out, s);
				else
					emit(r, nd->ctx, s, strlen(s));
			}
			break;
		case N_IF:
		case N_UNLESS: {
			bool yes = tv_truthy(lookup(r, nd->text, &tmp)) == (nd->kind == N_IF);
			if (render_nodes(r, yes ? nd->body : nd->alt, yes ? nd->nbody : nd->nalt) < 0)
				return -1;
			break;
		}
		case N_EACH:
			val = lookup(r, nd->text, &tmp);
			if (val && val->kind == TV_LIST && val->n > 0) {
				for (size_t k = 0; k < val->n; k++)
					if (render_with(r, nd->body, nd->nbody, val->items[k], (long long)k) <
					    0)
						return -1;
			} else if (render_nodes(r, nd->alt, nd->nalt) < 0) {
				return -1;
			}
			break;
		case N_PARTIAL:
			if (render_template(r, nd->target) < 0)
				return -1;
			break;
		case N_YIELD:
			if (r->page >= 0) {
				int page = r->page;
				r->page = -1; /* a page cannot yield itself */
				int rc = render_template(r, page);
				r->page = page;
				if (rc < 0)
					return -1;
			}
			break;
		}
	}
	return 0;
}

static int render(struct buf *out, const char *name, const char *page, const struct tv *data)
{
	int idx = find_template(name), pidx = page ? find_template(page) : -1;
	if (idx < 0 || (page && pidx < 0)) {
		snprintf(error_text, sizeof error_text, "no template named %s", idx < 0 ? name : page);
		return -1;
	}
	struct render r = { .out = out, .page = pidx };
	r.scopes[r.nscopes++] = (struct frame){ data, -1 };
	return render_template(&r, idx);
}

int tmpl_render(struct buf *out, const char *name, const struct tv *data)
{
	return render(out, name, NULL, data);
}

int tmpl_render_page(struct buf *out, const char *layout, const char *page, const struct tv *data)
{
	return render(out, layout, page, data);
}
