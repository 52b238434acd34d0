/* form.c — validates submitted parameters against a route's field table.
 * Only values that passed reach the handler; each mistake becomes a
 * translated message at its field, and what the person typed is kept. */
#include "form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "config.h"
#include "i18n.h"
#include "log.h"
#include "nin.h"
#include "utf8.h"

static const char *const msg_required = N_("This field is required.");
static const char *const msg_chars = N_("The text contains characters that are not allowed.");

const char *form_check_utf8_text(const char *s, size_t len, bool multiline)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < len;) {
		unsigned cp;
		size_t n = utf8_decode(u + i, len - i, &cp);
		if (n == 0)
			return msg_chars;
		if (cp < 0x20 || cp == 0x7f) {
			if (!multiline || (cp != '\n' && cp != '\t'))
				return msg_chars;
		}
		/* Direction overrides and isolates turn how text reads around
		 * them (a name shown backwards, a spoofed word): refused in all
		 * text. Zero-width spaces and joiners and direction marks hide
		 * in a line (two names that look the same are not): refused in
		 * lines; free text keeps them, emoji are joined with U+200D. */
		if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
			return msg_chars;
		if (!multiline && cp >= 0x200B && cp <= 0x200F)
			return msg_chars;
		i += n;
	}
	return NULL;
}

/* CRLF and lone CR become LF. */
static char *normalise_newlines(const char *s, size_t len, size_t *outlen)
{
	char *d = arena_alloc(len + 1);
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\r') {
			d[o++] = '\n';
			if (i + 1 < len && s[i + 1] == '\n')
				i++;
		} else {
			d[o++] = s[i];
		}
	}
	d[o] = '\0';
	*outlen = o;
	return d;
}

static char *trim(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return arena_strndup(s, n);
}

static char *without_spaces(const char *s)
{
	char *d = arena_alloc(strlen(s) + 1), *o = d;
	for (; *s; s++)
		if (*s != ' ')
			*o++ = *s;
	*o = '\0';
	return d;
}

/* "Use at most %d characters." with the number put in after translation. */
static const char *with_number(const char *msgid, long long a, long long b, int count)
{
	const char *t = _(msgid);
	struct buf out = { 0 };
	int used = 0;
	for (const char *p = t; *p; p++) {
		if (p[0] == '%' && (p[1] == 'd' || (p[1] == 'l' && p[2] == 'l' && p[3] == 'd')) &&
		    used < count) {
			buf_addf(&out, "%lld", used == 0 ? a : b);
			p += p[1] == 'd' ? 1 : 3;
			used++;
		} else {
			buf_addc(&out, *p);
		}
	}
	return out.data;
}

static bool parse_int(const char *s, long long *v)
{
	bool neg = *s == '-';
	if (neg)
		s++;
	if (!*s || strlen(s) > 18)
		return false;
	long long n = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		n = n * 10 + (*s - '0');
	}
	*v = neg ? -n : n;
	return true;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1970-01-01 (proleptic Gregorian; Howard Hinnant's algorithm). */
static long long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static const char *check_date(const char *s, long long *num)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return N_("Enter a date as YYYY-MM-DD.");
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return N_("Enter a date as YYYY-MM-DD.");
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > (m == 2 && leap(y) ? 29 : mdays[m - 1]))
		return N_("That date does not exist.");
	*num = days_from_civil(y, m, d);
	return NULL;
}

static const char *check_time(const char *s, long long *num)
{
	if (strlen(s) != 5 || s[2] != ':' || s[0] < '0' || s[0] > '2' || s[1] < '0' || s[1] > '9' ||
	    s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9')
		return N_("Enter a time as HH:MM.");
	int h = (s[0] - '0') * 10 + (s[1] - '0');
	if (h > 23)
		return N_("Enter a time as HH:MM.");
	*num = h * 60 + (s[3] - '0') * 10 + (s[4] - '0');
	return NULL;
}

static bool email_label_ok(const char *s, size_t n)
{
	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

static const char *check_email(const char *s)
{
	const char *bad = N_("Enter a valid e-mail address.");
	const char *at = strchr(s, '@');
	size_t n = strlen(s);
	if (!at || strchr(at + 1, '@') || n > 254 || at == s)
		return bad;
	static const char local_ok[] = "!#$%&'*+/=?^_`{|}~.-";
	for (const char *p = s; p < at; p++) {
		bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			strchr(local_ok, *p);
		if (!ok || (*p == '.' && (p == s || p + 1 == at || p[1] == '.')))
			return bad;
	}
	const char *dom = at + 1, *last = NULL;
	int labels = 0;
	for (const char *p = dom;;) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		if (!email_label_ok(p, len))
			return bad;
		labels++;
		last = p;
		if (!dot)
			break;
		p = dot + 1;
	}
	if (labels < 2 || strlen(last) < 2)
		return bad;
	for (const char *p = last; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			return bad;
	return NULL;
}

static const char *check_phone(const char *s)
{
	const char *p = s[0] == '+' ? s + 1 : s;
	size_t n = strlen(p);
	if (n < 8 || n > 15 || strspn(p, "0123456789") != n)
		return N_("Enter a phone number with 8 to 15 digits.");
	return NULL;
}

/* One field: normalise f->value, then set f->error (translated) or f->num. */
static void check_field(const struct form_field *d, struct form_value *v, size_t raw_len)
{
	const char *err = NULL;
	size_t len = raw_len;
	if (d->type == FORM_BOOL) {
		if (!v->present || !*v->value) {
			v->num = 0;
		} else if (!strcmp(v->value, "1") || !strcmp(v->value, "on") || !strcmp(v->value, "true")) {
			v->num = 1;
		} else {
			v->error = _("Choose one of the options.");
		}
		return;
	}
	if (memchr(v->value, '\0', raw_len)) {
		v->value = arena_strndup(v->value, strlen(v->value));
		v->error = _(msg_chars);
		return;
	}
	if (d->type == FORM_TEXT)
		v->value = normalise_newlines(v->value, raw_len, &len);
	else
		v->value = trim(v->value);
	if (d->type == FORM_NIN || d->type == FORM_PHONE)
		v->value = without_spaces(v->value);
	if (d->type != FORM_TEXT)
		len = strlen(v->value);
	if (!*v->value) {
		if (d->required)
			v->error = _(d->missing ? d->missing : msg_required);
		return;
	}
	err = form_check_utf8_text(v->value, len, d->type == FORM_TEXT);
	if (err) {
		v->error = _(err);
		return;
	}
	size_t max = d->max_len ? d->max_len : d->type == FORM_TEXT ? 2000 : 200;
	if (utf8_length(v->value, len) > max) {
		v->error = with_number(N_("Use at most %d characters."), (long long)max, 0, 1);
		return;
	}
	switch (d->type) {
	case FORM_INT:
		if (!parse_int(v->value, &v->num) || v->num < d->min || v->num > d->max)
			v->error = with_number(N_("Enter a whole number between %lld and %lld."), d->min,
					       d->max, 2);
		return;
	case FORM_DATE:
		err = check_date(v->value, &v->num);
		break;
	case FORM_TIME:
		err = check_time(v->value, &v->num);
		break;
	case FORM_EMAIL:
		err = check_email(v->value);
		break;
	case FORM_PHONE:
		err = check_phone(v->value);
		break;
	case FORM_NIN:
		if (strlen(v->value) != 11 || strspn(v->value, "0123456789") != 11)
			err = N_("The national identity number must be 11 digits.");
		else if (!nin_valid(v->value))
			err = N_("The national identity number is not valid. Check the digits.");
		break;
	case FORM_CHOICE:
		err = N_("Choose one of the options.");
		for (size_t i = 0; d->choices && d->choices[i]; i++)
			if (strcmp(v->value, d->choices[i]) == 0)
				err = NULL;
		break;
	default:
		break;
	}
	if (err)
		v->error = _(err);
}

/* A FORM_IDS value: one more id of the set (a repeat is kept once). */
static void add_id(const struct form_field *d, struct form_value *v, const struct param *prm, size_t max)
{
	long long id;
	if (v->error)
		return;
	if (!parse_int(prm->value, &id) || id < d->min || id > d->max ||
	    memchr(prm->value, '\0', prm->value_len)) {
		v->error = _("Choose one of the options.");
		return;
	}
	for (size_t i = 0; i < v->nids; i++)
		if (v->ids[i] == id)
			return;
	if (!v->ids)
		v->ids = arena_alloc(max * sizeof *v->ids);
	((int64_t *)v->ids)[v->nids++] = id;
}

int form_validate(struct form *f, const struct form_field *fields, const struct params *params)
{
	size_t n = 0;
	while (fields[n].name)
		n++;
	f->fields = fields;
	f->nfields = n;
	f->v = arena_alloc((n ? n : 1) * sizeof *f->v);
	f->nerrors = 0;
	for (size_t i = 0; i < n; i++)
		f->v[i].value = "";
	for (size_t p = 0; p < params->n; p++) {
		const struct param *prm = &params->v[p];
		if (prm->name[0] == '_')
			continue;
		size_t i = 0;
		while (i < n && strcmp(fields[i].name, prm->name) != 0)
			i++;
		/* Unknown, repeated (parameter pollution), or a file where text
		 * belongs and text where a file does. */
		if (i == n || (f->v[i].present && fields[i].type != FORM_IDS) ||
		    !prm->filename != (fields[i].type != FORM_FILE))
			return FORM_BAD_REQUEST;
		f->v[i].present = true;
		if (fields[i].type == FORM_IDS) {
			add_id(&fields[i], &f->v[i], prm, params->n);
			continue;
		}
		f->v[i].value = prm->value;
		f->v[i].len = prm->value_len;
	}
	for (size_t i = 0; i < n; i++) {
		struct form_value *v = &f->v[i];
		enum form_type t = fields[i].type;
		if (t == FORM_IDS || t == FORM_FILE) {
			if (fields[i].required && !v->error && (t == FORM_IDS ? v->nids == 0 : v->len == 0))
				v->error = _(fields[i].missing ? fields[i].missing : msg_required);
			continue;
		}
		if (!v->present) {
			if (fields[i].required && t != FORM_BOOL)
				v->error = _(fields[i].missing ? fields[i].missing : msg_required);
			continue;
		}
		check_field(&fields[i], v, v->len);
		v->len = strlen(v->value);
	}
	for (size_t i = 0; i < n; i++)
		f->nerrors += f->v[i].error != NULL;
	return f->nerrors ? FORM_INVALID : FORM_OK;
}

static size_t field_index(const struct form *f, const char *name)
{
	for (size_t i = 0; i < f->nfields; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			return i;
	/* Like Fossil's paramIdx: a name the table lacks is the program's bug. */
	log_error("form: no field named \"%s\" in the table", name);
	abort();
}

const struct form_value *form_find(const struct form *f, const char *name)
{
	for (size_t i = 0; i < f->nfields; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			return &f->v[i];
	return NULL;
}

const struct form_value *form_get(const struct form *f, const char *name)
{
	return &f->v[field_index(f, name)];
}

void form_error(struct form *f, const char *name, const char *message)
{
	struct form_value *v = &f->v[field_index(f, name)];
	if (v->error)
		return;
	v->error = message;
	f->nerrors++;
}

void form_missing(struct form *f, const char *name)
{
	const struct form_field *d = &f->fields[field_index(f, name)];
	form_error(f, name, _(d->missing ? d->missing : msg_required));
}

void form_missing_as(struct form *f, const char *name, const char *message)
{
	struct form_value *v = &f->v[field_index(f, name)];
	if (v->error && !*v->value)
		v->error = message;
}

bool form_has_id(const struct form *f, const char *name, int64_t id)
{
	const struct form_value *v = form_get(f, name);
	for (size_t i = 0; i < v->nids; i++)
		if (v->ids[i] == id)
			return true;
	return false;
}

void form_to_tv(const struct form *f, struct tv *obj)
{
	for (size_t i = 0; i < f->nfields; i++) {
		const struct form_field *d = &f->fields[i];
		const struct form_value *v = &f->v[i];
		if (d->type == FORM_FILE) {
			if (v->error) {
				struct tv *o = tv_obj();
				tv_set_str(o, "error", v->error);
				tv_set_bool(o, "invalid", true);
				tv_set(obj, d->name, o);
			}
			continue;
		}
		struct tv *o = tv_obj();
		tv_set_str(o, "value", v->value);
		if (v->error)
			tv_set_str(o, "error", v->error);
		tv_set_bool(o, "invalid", v->error != NULL);
		if (d->type == FORM_BOOL)
			tv_set_bool(o, "checked", v->num == 1);
		if (d->type == FORM_CHOICE)
			for (size_t c = 0; d->choices && d->choices[c]; c++)
				if (strcmp(v->value, d->choices[c]) == 0)
					tv_set_bool(o, arena_printf("is_%s", d->choices[c]), true);
		tv_set(obj, d->name, o);
	}
}

const struct form_field *form_resolve(const struct form_field *fields)
{
	if (!fields)
		return NULL;
	size_t n = 0;
	while (fields[n].name)
		n++;
	struct form_field *copy = xcalloc(n + 1, sizeof *copy);
	for (size_t i = 0; i < n; i++) {
		copy[i] = fields[i];
		if (fields[i].max_setting)
			copy[i].max_len = (size_t)config_int(fields[i].max_setting);
	}
	return copy;
}
