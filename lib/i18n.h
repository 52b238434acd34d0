/* i18n.h — interface language per request, through gettext.
 * Message ids are English; Bokmål (nb, default), Nynorsk (nn) and English (en)
 * are served. The language is chosen per request by i18n_set(). */
#ifndef STAFETT_I18N_H
#define STAFETT_I18N_H

#include <stdbool.h>
#include <stddef.h>

int i18n_init(const char *localedir); /* binds the "stafett" domain */
bool i18n_supported(const char *lang);
/* Choose from an explicit choice (cookie/parameter), else Accept-Language,
 * else fallback (itself checked; nb if unsupported). */
const char *i18n_choose(const char *choice, const char *accept_language, const char *fallback);
void i18n_set(const char *lang); /* "nb", "nn" or "en" */
const char *i18n_lang(void);
const char *i18n_t(const char *msgid); /* translated text in the current language */

#define _(s) i18n_t(s)
#define N_(s) (s)
/* A message that means different things in different places carries a
 * context (gettext's msgctxt): C_("concern", "Title") translated now,
 * NC_("person", "Title") in a table. The key is gettext's own, context
 * EOT message; i18n_t() shows the bare message when it is untranslated. */
#define C_(c, s) i18n_t(c "\004" s)
#define NC_(c, s) (c "\004" s)

/* How a page shows a stored value (the {{date x}} family of tmpl.h):
 *   I18N_DATE       "YYYY-MM-DD..."      2. desember 2026 / 2 December 2026
 *   I18N_SHORTDATE  "YYYY-MM-DD..."      02.12.2026 / 02/12/2026
 *   I18N_WHEN       "YYYY-MM-DD HH:MM" stored in UTC, shown in Oslo time:
 *                                        2. desember 2026 kl. 10.14
 *   I18N_SHORTWHEN  the same:            02.12.2026 kl. 10.14
 *   I18N_CLOCK      the same:            10.14
 *   I18N_NUM        an integer:          12 345 (no-break space) / 12,345
 *   I18N_MONTH      "YYYY-MM-DD..."      desember 2026 / December 2026
 *   I18N_DAY        "YYYY-MM-DD..."      tirsdag 1. desember / tysdag 1. desember /
 *                                        Tuesday 1 December
 * A date alone is a calendar date and is not moved between time zones; the
 * date of a moment ("YYYY-MM-DD HH:MM", UTC) is its date in Oslo. */
enum i18n_fmt {
	I18N_AS_IS,
	I18N_DATE,
	I18N_SHORTDATE,
	I18N_WHEN,
	I18N_SHORTWHEN,
	I18N_CLOCK,
	I18N_NUM,
	I18N_MONTH,
	I18N_DAY,
};
/* The format a template names ("date", "when", ...), I18N_AS_IS if none. */
enum i18n_fmt i18n_fmt_named(const char *name, size_t len);
/* Formats value into out (size at least 64) in the current language; -1
 * if value is not of the form the format needs (the caller shows it as is). */
int i18n_format(char *out, size_t size, enum i18n_fmt fmt, const char *value);

/* A stored code and its interface text (an N_() message id): the tables that
 * name codes such as "ongoing" on the pages. */
struct i18n_label {
	const char *code, *text;
};
/* The translated text of CODE in LABELS (ended by { NULL }), or "" for a
 * code it does not know or NULL. */
const char *i18n_label(const struct i18n_label *labels, const char *code);

#endif
