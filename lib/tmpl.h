/* tmpl.h — HTML templates that escape by context by default.
 *
 * Templates live in one directory as NAME.html, are all parsed once by
 * tmpl_init() and cached for the life of the process. NAME.txt (the text
 * part of a mail), rendered by that whole name, has the same syntax and no
 * HTML: its values are inserted as they are. Syntax:
 *
 *   {{name}} {{a.b}}        value, escaped for where it stands (see below)
 *   {{.}}                   the current item inside {{#each}}
 *   {{#if x}}..{{else}}..{{/if}}, {{#unless x}}..{{/unless}}
 *   {{#each list}}..{{/each}}   names resolve in the item first, then outwards;
 *                           {{@index}} (0-based) and {{@number}} (1-based)
 *   {{> name}}              include template NAME.html with the current data
 *   {{yield}}               in a layout: the page being rendered
 *   {{t "English text"}}    translated through gettext, escaped
 *   {{tc "context" "text"}} the same, for a text that means more than one thing
 *                           (gettext's msgctxt: "Title" of a concern, of a person)
 *   {{date x}} {{shortdate x}} {{when x}} {{shortwhen x}} {{clock x}} {{num x}}
 *                           a value shown in the reader's language, Oslo time
 *                           (formats in i18n.h); escaped like {{x}}
 *   {{raw name}}            unescaped; the only way around escaping, greppable
 *   {{! comment }}
 *
 * Contexts are decided at parse time from the HTML around each tag: element
 * text and quoted attribute values get HTML escaping; in URL attributes (href,
 * src, action, formaction) a value at the start must be a relative URL or
 * http/https/mailto (else "#"), and a value later in the URL is percent-encoded.
 * A value inside <script>, <style>, a comment, an on* or style attribute, an
 * unquoted attribute or a tag/attribute name is a parse error. */
#ifndef STAFETT_TMPL_H
#define STAFETT_TMPL_H

#include <stdbool.h>
#include "arena.h"

/* Template values: a small tree built per request in the arena. */
enum tv_kind { TV_NULL, TV_STR, TV_INT, TV_BOOL, TV_LIST, TV_OBJ };
struct tv;

struct tv *tv_obj(void);
struct tv *tv_list(void);
struct tv *tv_str(const char *s); /* not copied: s must outlive the render */
struct tv *tv_int(long long i);
struct tv *tv_bool(bool b);

void tv_set(struct tv *obj, const char *key, struct tv *val); /* replaces an existing key */
void tv_set_str(struct tv *obj, const char *key, const char *s);
void tv_set_int(struct tv *obj, const char *key, long long i);
void tv_set_bool(struct tv *obj, const char *key, bool b);
void tv_push(struct tv *list, struct tv *val);
struct tv *tv_push_obj(struct tv *list); /* appends a new object and returns it */

enum tv_kind tv_kind(const struct tv *v);
const struct tv *tv_get(const struct tv *obj, const char *key); /* dotted path; NULL if absent */
const char *tv_get_str(const struct tv *obj, const char *key);	/* NULL unless TV_STR */
bool tv_truthy(const struct tv *v);

/* Parse every .html file in DIR once. Returns 0, or -1 with tmpl_error() naming file, line and reason. */
int tmpl_init(const char *dir);
void tmpl_free(void);
/* Render NAME (without .html) into out. */
int tmpl_render(struct buf *out, const char *name, const struct tv *data);
/* Render LAYOUT, whose {{yield}} renders PAGE; both see the same data. */
int tmpl_render_page(struct buf *out, const char *layout, const char *page, const struct tv *data);
const char *tmpl_error(void);
bool tmpl_exists(const char *name);
/* Adds or replaces one template from a string (for tests and fuzzing). */
int tmpl_parse_string(const char *name, const char *src);

/* The escapers, also for callers that build attribute values or URLs. */
void html_escape(struct buf *out, const char *s, size_t n);
void url_encode(struct buf *out, const char *s, size_t n); /* RFC 3986 unreserved kept */

#endif
