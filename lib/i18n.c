/* i18n.c — per-request language through GNU gettext.
 * The process runs in the C.UTF-8 locale; LANGUAGE selects the catalogue and
 * _nl_msg_cat_cntr is bumped so gettext's cache follows the switch (the GNU
 * gettext manual's recipe for changing language inside one process). */
#include "i18n.h"

#include <libintl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

#define DOMAIN "stafett"

extern int _nl_msg_cat_cntr;

static const char *const supported[] = { "nb", "nn", "en", NULL };
static const char *current = "nb";

static const char *known(const char *lang);

int i18n_init(const char *localedir)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return -1;
	if (!bindtextdomain(DOMAIN, localedir) || !bind_textdomain_codeset(DOMAIN, "UTF-8"))
		return -1;
	textdomain(DOMAIN);
	current = "";
	i18n_set("nb");
	return 0;
}

bool i18n_supported(const char *lang)
{
	return known(lang) != NULL;
}

static const char *known(const char *lang)
{
	for (int i = 0; lang && supported[i]; i++)
		if (strcmp(lang, supported[i]) == 0)
			return supported[i];
	return NULL;
}

const char *i18n_choose(const char *choice, const char *accept_language, const char *fallback)
{
	const char *l = known(choice);
	if (!l && accept_language && *accept_language)
		l = http_accept_language(accept_language, supported);
	if (!l)
		l = known(fallback);
	return l ? l : "nb";
}

void i18n_set(const char *lang)
{
	lang = known(lang) ? known(lang) : "nb";
	if (strcmp(lang, current) == 0)
		return;
	current = lang;
	setenv("LANGUAGE", lang, 1);
	++_nl_msg_cat_cntr;
}

const char *i18n_lang(void)
{
	return current;
}

const char *i18n_t(const char *msgid)
{
	return msgid && *msgid ? dgettext(DOMAIN, msgid) : "";
}

const char *i18n_label(const struct i18n_label *labels, const char *code)
{
	for (; code && labels->code; labels++)
		if (strcmp(code, labels->code) == 0)
			return i18n_t(labels->text);
	return "";
}
