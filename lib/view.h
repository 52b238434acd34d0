/* view.h — small helpers of the view layer: the template values a page
 * builds from domain structs and forms (names, stored values in fields,
 * lists of choices, the log a page is about). The view layer depends on
 * the domain and on tmpl and form; domain modules never include it. */
#ifndef STAFETT_VIEW_H
#define STAFETT_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "form.h"
#include "tmpl.h"

struct concern;
struct logbook_summary;
struct staff_person;

/* "Given Family", as every page shows a person. */
const char *view_name(const char *given_name, const char *family_name);

/* A form as it came back (form_to_tv into a new object). */
struct tv *view_form(const struct form *f);
/* A stored value shown in a form's field, as form_to_tv shows a typed one:
 * form[name] = {value}. NULL shows as "". */
void view_value(struct tv *form, const char *name, const char *value);

/* A list of {value, label, selected} for a choice among CODES (NULL-
 * terminated), each named by label(code), the one equal to chosen marked. */
struct tv *view_choices(const char *const *codes, const char *(*label)(const char *), const char *chosen);

/* The log's concerns as a form offers them: a list of {id, title,
 * selected}, selected for the one whose id is the text chosen (NULL: none). */
struct tv *view_concern_choices(const struct concern *c, int n, const char *chosen);

/* data.log = {id, name, state}: the log a page is about, for its heading
 * and the way back to it. */
struct tv *view_log_heading(struct tv *data, const struct logbook_summary *log);

struct logbook_request;
/* A guardian's open request as a page lists it, appended to list:
 * {id, name, wanted, at}. */
struct tv *view_request(struct tv *list, const struct logbook_request *req);
/* The fields of a person in a form, shared by the pages that register
 * staff and leaders (cgi-bin/unit.c, admin.c); the lengths are the person
 * table's. */
/* clang-format off */
#define VIEW_PERSON_FIELDS \
	{ .name = "given_name", .type = FORM_LINE, .required = true, .max_len = 100, .label = N_("Given name"), .missing = N_("Write the person's given name.") }, \
	{ .name = "family_name", .type = FORM_LINE, .required = true, .max_len = 100, .label = N_("Family name"), .missing = N_("Write the person's family name.") }, \
	{ .name = "nin", .type = FORM_NIN, .required = true, .label = N_("National identity number"), .missing = N_("Write the person's national identity number, 11 digits.") }, \
	{ .name = "title", .type = FORM_LINE, .required = true, .max_len = 100, .label = NC_("person", "Title"), .missing = N_("Write the person's job title.") }, \
	{ .name = "email", .type = FORM_EMAIL, .required = true, .label = N_("E-mail"), .missing = N_("Write the person's e-mail address.") }, \
	{ .name = "phone", .type = FORM_PHONE, .label = N_("Phone") }
/* clang-format on */
/* The person as typed into a form with VIEW_PERSON_FIELDS. */
void view_person_of(const struct form *f, struct staff_person *p);

#endif
