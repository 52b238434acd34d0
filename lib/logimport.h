/* logimport.h — a log's JSON document (logdoc.h, the open export) read
 * back into a municipality of this installation: tools/stafett-import. */
#ifndef STAFETT_LOGIMPORT_H
#define STAFETT_LOGIMPORT_H

#include <stdint.h>

#include <jansson.h>

/* Reads doc into the municipality with that slug, in one transaction of
 * its own: people found by identity number (their records left as they
 * are) or created, units found by name and kind or created, the log and
 * every row with their dates as the document has them, the history too.
 * The log keeps its reference (id) when no log of this installation ever
 * had it. 0 with *log_id; or a negative db.h code with *why, a sentence
 * for the operator (an unknown format version, a document that fails its
 * own checks, no such municipality), and nothing changed. */
int logimport_run(const char *slug, json_t *doc, int64_t *log_id, const char **why);

#endif
