/* form.h — validation of submitted forms from per-field tables (kcgi-style).
 * A route declares its fields (app.h); app.c validates them before the
 * handler runs, and the handler only ever reads values that passed. A
 * user's mistake becomes a translated message at the field, never an error
 * page. Plumbing: depends on http (the parameters), tmpl (form_to_tv), nin,
 * config and i18n. */
#ifndef STAFETT_FORM_H
#define STAFETT_FORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
	FORM_IDS,    /* checkboxes sharing one name, each an integer in [min, max]: a set of ids */
	FORM_FILE,   /* a file part of a multipart body, its bytes as they came */
};

struct form_field {
	const char *name;
	enum form_type type;
	bool required;
	size_t max_len; /* characters (code points) for text; 0 = type default (FORM_TEXT 2000, others 200) */
	/* The setting ("log.text_max") that gives max_len instead: form_resolve
	 * reads it once, when a program starts. */
	const char *max_setting;
	long long min, max;	    /* FORM_INT and FORM_IDS */
	const char *const *choices; /* FORM_CHOICE, NULL-terminated */
	const char *label;	    /* English msgid for the label, used in messages */
	/* English msgid of what to do when the field is empty, in the person's
	 * words: "Write the child's given name", not "This field is required".
	 * Every labelled field that can be required has one (tools/codecheck). */
	const char *missing;
};

struct form_value {
	const char *value; /* as typed (normalised: CRLF -> LF, NIN/phone without spaces); "" if absent */
	size_t len;	   /* bytes in value (a FORM_FILE may hold NUL bytes) */
	const char *error; /* translated message, NULL if valid */
	long long num; /* FORM_INT value; FORM_BOOL 0/1; FORM_DATE days since 1970-01-01; FORM_TIME minutes */
	const int64_t *ids; /* FORM_IDS: each id once, in the order given */
	size_t nids;
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
	FORM_BAD_REQUEST = -1 /* unknown or repeated parameter, or a file where text belongs: answer 400 */
};

/* Validates params against fields (NULL-name terminated). Names starting with
 * '_' are reserved for the framework (e.g. _csrf) and are ignored here. */
int form_validate(struct form *f, const struct form_field *fields, const struct params *params);
/* The value of a field of f's table. A name the table does not have is a
 * programming error: it is logged with the name and the process aborts. */
const struct form_value *form_get(const struct form *f, const char *name);
/* The same, or NULL when the form has no field NAME (a page with two forms
 * asking about the one that came back). */
const struct form_value *form_find(const struct form *f, const char *name);
/* A message at a field that passed its own checks but not the page's (a
 * date before another, a number that belongs to someone else): the first
 * message a field gets is the one shown. Aborts like form_get for an
 * unknown name. */
void form_error(struct form *f, const char *name, const char *message);
/* The field's own "what to do" message (.missing) for a field the page
 * requires only in some cases (a guardian's name unless the log is about a
 * pregnancy). */
void form_missing(struct form *f, const char *name);
/* Words the empty field's message anew where the page knows more than the
 * table (the log is about a young person, not a child). Only an empty
 * field's message is changed. */
void form_missing_as(struct form *f, const char *name, const char *message);
/* Whether id is one of a FORM_IDS field's ids. */
bool form_has_id(const struct form *f, const char *name, int64_t id);
/* Sets obj[name] = {value, error, invalid} for every field, for re-rendering. */
void form_to_tv(const struct form *f, struct tv *obj);

/* A copy of FIELDS (process memory) with each max_setting read into
 * max_len; called once per table when a program starts. NULL stays NULL. */
const struct form_field *form_resolve(const struct form_field *fields);

/* Single validator, for reuse and tests: valid UTF-8 without control
 * characters (a line also without tab or newline), without direction
 * overrides or isolates (U+202A-U+202E, U+2066-U+2069), and a line also
 * without zero-width characters and direction marks (U+200B-U+200F). NULL
 * if valid, else an English msgid. */
const char *form_check_utf8_text(const char *s, size_t len, bool multiline);

#endif
