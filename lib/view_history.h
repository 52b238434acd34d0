/* view_history.h — a log's history in the reader's own words (templates/
 * history.html, cgi-bin/history.c): "Nils Dahle evaluated the measure
 * “Språkgruppe” as partly achieved". Each row of the history is one
 * sentence from a translated pattern with the names of the people and
 * things in it (view_sentence.h), and a new thing's first values (a new
 * concern's description, a new measure's dates, a consent's period) are
 * one sentence with those values listed under it. No table's or field's
 * name and no stored code ever reaches the page. View layer: reads
 * through history.c, writes nothing. */
#ifndef STAFETT_VIEW_HISTORY_H
#define STAFETT_VIEW_HISTORY_H

#include <stdint.h>

struct history_entry;
struct tv;

/* The entries of rows H (newest first, as history_list gives them), newest
 * first: a list of {at, iso, sentence, details?, before?, after?}. at is the
 * stored UTC minute for {{when at}}, iso the same for a datetime attribute,
 * sentence the parts of the sentence (templates/sentence.html); details a
 * list of {label, value, date} under a new thing; before and after the old
 * and new text of a text that changed. */
struct tv *view_history_entries(const struct history_entry *h, int n);

/* data.history: the log's last LIMIT rows as entries. 0 or a db.h code. */
int view_history(int64_t municipality_id, int64_t log_id, int limit, struct tv *data);

#endif
