/* view_sentence.c — patterns with {slots} into parts for the template. */
#include "view_sentence.h"

#include <stdbool.h>
#include <string.h>

#include "arena.h"

static void add_part(struct tv *list, const char *text, enum i18n_fmt fmt)
{
	struct tv *o = tv_push_obj(list);
	tv_set_str(o, "text", text);
	/* Every flag set on every part: a name missing here would be looked up
	 * in the enclosing items of the template instead. */
	tv_set_bool(o, "date", fmt == I18N_DATE);
	tv_set_bool(o, "shortdate", fmt == I18N_SHORTDATE);
	tv_set_bool(o, "when", fmt == I18N_WHEN);
	tv_set_bool(o, "clock", fmt == I18N_CLOCK);
	tv_set_bool(o, "num", fmt == I18N_NUM);
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || c == '_';
}

struct tv *view_sentence(const char *pattern, const struct view_slot *slots, size_t nslots)
{
	struct tv *list = tv_list();
	const char *p = pattern ? pattern : "", *text = p;
	while (*p) {
		size_t n = 0;
		if (*p == '{')
			while (name_char(p[1 + n]))
				n++;
		if (*p != '{' || n == 0 || p[1 + n] != '}') {
			p++;
			continue;
		}
		if (p > text)
			add_part(list, arena_strndup(text, (size_t)(p - text)), I18N_AS_IS);
		for (size_t i = 0; i < nslots; i++)
			if (strlen(slots[i].name) == n && memcmp(slots[i].name, p + 1, n) == 0 &&
			    slots[i].value && *slots[i].value) {
				add_part(list, slots[i].value, slots[i].fmt);
				break;
			}
		p += n + 2;
		text = p;
	}
	if (p > text)
		add_part(list, text, I18N_AS_IS);
	return list;
}
