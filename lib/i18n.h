/* i18n.h — interface language per request, through gettext.
 * Message ids are English; Bokmål (nb, default), Nynorsk (nn) and English (en)
 * are served. The language is chosen per request by i18n_set(). */
#ifndef STAFETT_I18N_H
#define STAFETT_I18N_H

#include <stdbool.h>

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

/* A stored code and its interface text (an N_() message id): the tables that
 * name codes such as "ongoing" on the pages. */
struct i18n_label {
	const char *code, *text;
};
/* The translated text of CODE in LABELS (ended by { NULL }), or "" for a
 * code it does not know or NULL. */
const char *i18n_label(const struct i18n_label *labels, const char *code);

#endif
