/* view_edit.h — the page where the holder edits a log (templates/
 * log_edit.html): basic data, BTI level, the child's own voice, and each
 * concern with its development areas, each in its own form. Two programs
 * save from it (cgi-bin/log_edit.c the basic data, cgi-bin/concern.c the
 * concerns) and show it again, with what was typed, when a save fails.
 * View layer: reads through logbook.c and concern.c, writes nothing. */
#ifndef STAFETT_VIEW_EDIT_H
#define STAFETT_VIEW_EDIT_H

#include <stdint.h>

struct form;
struct session;
struct tv;

/* What the page keeps of a failed save: the typed form (NULL: the stored
 * values), and on a conflict what is stored now. */
struct view_edit_kept {
	const struct form *basic;
	struct tv *basic_conflict;
	int64_t concern_id; /* the concern whose form is kept; 0 the new one */
	const struct form *concern;
	struct tv *concern_conflict;
};

/* Fills data with the page for log_id, areas named in lang. 1 done, 0 no
 * such log, or a negative db.h code. */
int view_edit(const struct session *s, const char *lang, int64_t log_id, const struct view_edit_kept *k,
	      struct tv *data);

#endif
