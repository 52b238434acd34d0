/* i18n.c — per-request language through GNU gettext.
 * The process runs in the C.UTF-8 locale; LANGUAGE selects the catalogue and
 * _nl_msg_cat_cntr is bumped so gettext's cache follows the switch (the GNU
 * gettext manual's recipe for changing language inside one process). */
#include "i18n.h"

#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
	if (!msgid || !*msgid)
		return "";
	const char *t = dgettext(DOMAIN, msgid);
	const char *eot = t == msgid ? strchr(msgid, '\004') : NULL;
	return eot ? eot + 1 : t; /* untranslated, with a context: the message after it */
}

const char *i18n_label(const struct i18n_label *labels, const char *code)
{
	for (; code && labels->code; labels++)
		if (strcmp(code, labels->code) == 0)
			return i18n_t(labels->text);
	return "";
}

enum i18n_fmt i18n_fmt_named(const char *name, size_t len)
{
	static const struct {
		const char *name;
		enum i18n_fmt fmt;
	} names[] = { { "date", I18N_DATE },   { "shortdate", I18N_SHORTDATE },
		      { "when", I18N_WHEN },   { "shortwhen", I18N_SHORTWHEN },
		      { "clock", I18N_CLOCK }, { "num", I18N_NUM },
		      { "month", I18N_MONTH }, { "day", I18N_DAY } };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i].name) == len && memcmp(name, names[i].name, len) == 0)
			return names[i].fmt;
	return I18N_AS_IS;
}

/* Month names are written here rather than fetched from the C library's
 * locales: a server need not have nb_NO/nn_NO generated, and three short
 * tables are all it takes. Bokmål and Nynorsk name the months alike. */
static const char *const months_no[] = {
	"januar", "februar", "mars",	  "april",   "mai",	 "juni",
	"juli",	  "august",  "september", "oktober", "november", "desember"
};
static const char *const months_en[] = {
	"January", "February", "March",	    "April",   "May",	   "June",
	"July",	   "August",   "September", "October", "November", "December"
};

/* Month m (1-12) by name; a function rather than a conditional between the
 * two tables in an index (UBSan's object-size check misread that). */
static const char *month_name(bool en, int m)
{
	return en ? months_en[m - 1] : months_no[m - 1];
}

/* The days of the week from Monday; here Bokmål and Nynorsk differ. */
static const char *const weekdays_nb[] = { "mandag", "tirsdag", "onsdag", "torsdag",
					   "fredag", "lørdag",	"søndag" };
static const char *const weekdays_nn[] = { "måndag", "tysdag",	"onsdag", "torsdag",
					   "fredag", "laurdag", "sundag" };
static const char *const weekdays_en[] = { "Monday", "Tuesday",	 "Wednesday", "Thursday",
					   "Friday", "Saturday", "Sunday" };

/* "YYYY-MM-DD" at the start of s, a real-looking date. */
static bool parse_date(const char *s, int *y, int *m, int *d)
{
	int n = 0;
	if (sscanf(s, "%4d-%2d-%2d%n", y, m, d, &n) != 3 || n != 10)
		return false;
	return *m >= 1 && *m <= 12 && *d >= 1 && *d <= 31;
}

int i18n_format(char *out, size_t size, enum i18n_fmt fmt, const char *value)
{
	bool en = strcmp(current, "en") == 0;
	int y, m, d, n = -1;
	if (!value || !*value)
		return -1;
	if (fmt == I18N_NUM) {
		char *end;
		long long v = strtoll(value, &end, 10);
		if (*end)
			return -1;
		char digits[32];
		int len = snprintf(digits, sizeof digits, "%lld", v < 0 ? -v : v);
		/* Groups of three from the right: a no-break space in Norwegian
		 * (Språkrådet), a comma in English. Four digits stay together. */
		const char *sep = en ? "," : "\u00a0";
		size_t o = 0;
		if (v < 0)
			o += (size_t)snprintf(out + o, size - o, "\u2212");
		for (int i = 0; i < len && o + 4 < size; i++) {
			if (i > 0 && len > 4 && (len - i) % 3 == 0)
				o += (size_t)snprintf(out + o, size - o, "%s", sep);
			out[o++] = digits[i];
		}
		out[o] = '\0';
		return 0;
	}
	if (!parse_date(value, &y, &m, &d))
		return -1;
	int hh, mm, k = 0;
	bool moment = sscanf(value + 10, " %2d:%2d%n", &hh, &mm, &k) == 2;
	if (moment && (fmt == I18N_DATE || fmt == I18N_SHORTDATE || fmt == I18N_MONTH || fmt == I18N_DAY)) {
		/* The date of a moment is the day it was in Oslo: 23:30 UTC on
		 * 1 July is already 2 July there. */
		struct tm utc = {
			.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = hh, .tm_min = mm
		};
		time_t t = timegm(&utc);
		struct tm lt;
		if (t == (time_t)-1 || !localtime_r(&t, &lt))
			return -1;
		y = lt.tm_year + 1900, m = lt.tm_mon + 1, d = lt.tm_mday;
	}
	if (fmt == I18N_MONTH)
		n = snprintf(out, size, "%s %d", month_name(en, m), y);
	if (fmt == I18N_DAY) {
		struct tm noon = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12 };
		time_t t = timegm(&noon);
		struct tm g;
		if (t == (time_t)-1 || !gmtime_r(&t, &g))
			return -1;
		int w = (g.tm_wday + 6) % 7;
		n = en ? snprintf(out, size, "%s %d %s", weekdays_en[w], d, months_en[m - 1])
		       : snprintf(out, size, "%s %d. %s",
				  (strcmp(current, "nn") == 0 ? weekdays_nn : weekdays_nb)[w], d,
				  months_no[m - 1]);
	}
	if (fmt == I18N_MONTH || fmt == I18N_DAY)
		return n > 0 && (size_t)n < size ? 0 : -1;
	if (fmt == I18N_DATE)
		n = en ? snprintf(out, size, "%d %s %d", d, months_en[m - 1], y)
		       : snprintf(out, size, "%d. %s %d", d, months_no[m - 1], y);
	else if (fmt == I18N_SHORTDATE)
		n = snprintf(out, size, en ? "%02d/%02d/%04d" : "%02d.%02d.%04d", d, m, y);
	if (fmt == I18N_DATE || fmt == I18N_SHORTDATE)
		return n > 0 && (size_t)n < size ? 0 : -1;
	/* A moment: stored in UTC, shown as the clock in Oslo showed it (the
	 * programs run with TZ=Europe/Oslo, lib/app.c). */
	if (!moment)
		return -1;
	struct tm utc = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = hh, .tm_min = mm };
	time_t t = timegm(&utc);
	struct tm lt;
	if (t == (time_t)-1 || !localtime_r(&t, &lt))
		return -1;
	const char *month = month_name(en, lt.tm_mon + 1);
	switch (fmt) {
	case I18N_WHEN:
		n = en ? snprintf(out, size, "%d %s %d at %02d:%02d", lt.tm_mday, month, lt.tm_year + 1900,
				  lt.tm_hour, lt.tm_min)
		       : snprintf(out, size, "%d. %s %d kl. %02d.%02d", lt.tm_mday, month, lt.tm_year + 1900,
				  lt.tm_hour, lt.tm_min);
		break;
	case I18N_SHORTWHEN:
		n = en ? snprintf(out, size, "%02d/%02d/%04d %02d:%02d", lt.tm_mday, lt.tm_mon + 1,
				  lt.tm_year + 1900, lt.tm_hour, lt.tm_min)
		       : snprintf(out, size, "%02d.%02d.%04d kl. %02d.%02d", lt.tm_mday, lt.tm_mon + 1,
				  lt.tm_year + 1900, lt.tm_hour, lt.tm_min);
		break;
	case I18N_CLOCK:
		n = snprintf(out, size, en ? "%02d:%02d" : "%02d.%02d", lt.tm_hour, lt.tm_min);
		break;
	default:
		return -1;
	}
	return n > 0 && (size_t)n < size ? 0 : -1;
}
