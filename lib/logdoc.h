/* logdoc.h — the whole log as one JSON document (jansson): the open export
 * a holder or guardian downloads (the format is published as
 * docs/log-export.schema.json, and tools/stafett-import reads it back into
 * another installation), the archive's snapshot at a transition
 * (archive.h), and what the log's PDF is laid out from (logpdf.h).
 *
 * Every part of the log: the subject, the guardians, the holder and actors
 * with their services and tasks, consents with dates and scope, concerns
 * and development areas, the BTI level, the child's voice, goals, measures
 * with responsible people and deadlines, evaluations, meetings with
 * minutes, agreements with their versions, notes and glimpses of light,
 * messages, the state history and the transitions. Codes, not words
 * (states, kinds and services as their codes); dates as YYYY-MM-DD, times
 * as UTC "YYYY-MM-DDTHH:MM:SS.mmmZ"; people by a key local to the document
 * ("p1", "p2", ... in a fixed order), never a database id, so a document
 * imported elsewhere and exported again is the same document. Identity
 * numbers in clear (the export is for the people the log is about and for
 * moving it; the download is audited). A person with a protected address
 * carries "protected_address": true, and no one prints their contact
 * details.
 *
 * Reads only; access is decided by authz.h before (AUTHZ_EXPORT, AUTHZ_PDF)
 * or, for the archive's snapshot, by the transition's own check. */
#ifndef STAFETT_LOGDOC_H
#define STAFETT_LOGDOC_H

#include <stdint.h>

#include <jansson.h>

/* The log's document: 1 with *out (the caller json_decref()s it), 0 no
 * such log in the municipality, or a negative db.h code. */
int logdoc_build(int64_t municipality_id, int64_t log_id, json_t **out);
/* The document as it is downloaded: UTF-8, indented by two, a newline at
 * the end (malloc'd: the caller free()s it), so the same log is the same
 * bytes wherever it is exported. NULL if out of memory. */
char *logdoc_text(const json_t *doc);

#endif
