/* view_sentence.h — a sentence with names in it, built safely: a translated
 * pattern such as "{who} evaluated the measure “{what}” as partly achieved"
 * has its {slots} filled with values (people's names, what they typed,
 * dates), and the result is a list of parts the template shows one by one
 * (templates/sentence.html), each escaped, each date or time in the
 * reader's format. A translation may move the slots, so each language keeps
 * its own word order; no value is ever parsed as a pattern. View layer. */
#ifndef STAFETT_VIEW_SENTENCE_H
#define STAFETT_VIEW_SENTENCE_H

#include <stddef.h>

#include "i18n.h"
#include "tmpl.h"

struct view_slot {
	const char *name;  /* "who" fills {who} */
	const char *value; /* NULL shows as nothing */
	enum i18n_fmt
		fmt; /* I18N_AS_IS, or how the template shows the value ({{date x}}, {{clock x}}, ...) */
};

/* The parts of PATTERN (already translated) with each {name} replaced by
 * the value of the slot of that name: a list of {text, date, clock, when,
 * num}, the flags saying which format shows the text (all false: as it is).
 * A {name} no slot has shows nothing; a brace that starts no {name} is
 * text. The strings are the arena's or the caller's. */
struct tv *view_sentence(const char *pattern, const struct view_slot *slots, size_t nslots);

#endif
