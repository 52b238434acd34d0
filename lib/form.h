/* form.h — validation of submitted forms from per-field tables (kcgi-style).
 * A program declares its fields; it only ever reads values that passed. A
 * user's mistake becomes a translated message at the field, never an error page. */
#ifndef STAFETT_FORM_H
#define STAFETT_FORM_H

#include <stdbool.h>
#include <stddef.h>
#include "http.h"
#include "tmpl.h"

enum form_type {
	FORM_TEXT,   /* valid UTF-8, no NUL, no control characters but \t and \n; CRLF -> LF */
	FORM_LINE,   /* as FORM_TEXT, and no line breaks or tabs */
	FORM_INT,    /* decimal integer within [min, max] */
	FORM_DATE,   /* YYYY-MM-DD, a real calendar date */
	FORM_TIME,   /* HH:MM, 24-hour */
	FORM_EMAIL,  /* local@domain.tld, at most 254 characters */
	FORM_PHONE,  /* digits with optional leading +, spaces allowed; 8-15 digits */
	FORM_NIN,    /* national identity number, see nin.h; spaces removed */
	FORM_CHOICE, /* one of choices[] */
	FORM_BOOL,   /* checkbox: absent = false, "1"/"on" = true */
};

struct form_field {
	const char *name;
	enum form_type type;
	bool required;
	size_t max_len; /* characters (code points) for text; 0 = type default (FORM_TEXT 2000, others 200) */
	long long min, max;	    /* FORM_INT */
	const char *const *choices; /* FORM_CHOICE, NULL-terminated */
	const char *label;	    /* English msgid for the label, used in messages */
};

struct form_value {
	const char *value; /* as typed (normalised: CRLF -> LF, NIN/phone without spaces); "" if absent */
	const char *error; /* translated message, NULL if valid */
	long long num; /* FORM_INT value; FORM_BOOL 0/1; FORM_DATE days since 1970-01-01; FORM_TIME minutes */
	bool present;
};

struct form {
	const struct form_field *fields;
	size_t nfields;
	struct form_value *v; /* one per field, same order */
	int nerrors;
};

enum {
	FORM_OK = 0,
	FORM_INVALID = 1,     /* at least one field has a message: render the form again */
	FORM_BAD_REQUEST = -1 /* unknown or repeated parameter: answer 400 */
};

/* Validates params against fields (NULL-name terminated). Names starting with
 * '_' are reserved for the framework (e.g. _csrf) and are ignored here. */
int form_validate(struct form *f, const struct form_field *fields, const struct params *params);
const struct form_value *form_get(const struct form *f, const char *name);
/* Sets obj[name] = {value, error, invalid} for every field, for re-rendering. */
void form_to_tv(const struct form *f, struct tv *obj);

/* Single validators, for reuse and tests. Return NULL if valid, else an English msgid. */
const char *form_check_utf8_text(const char *s, size_t len, bool multiline);
size_t utf8_length(const char *s, size_t len); /* code points; assumes valid UTF-8 */
/* One UTF-8 sequence at s (n > 0 bytes left): its length and code point, or 0
 * if invalid (overlong forms, surrogates and values above U+10FFFF are). */
size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp);

#endif
