/* view_archive.h — a log's archive records as the pages show them: each
 * copy of the log the archive receives (at a handover, a move, made passive,
 * closed, consent withdrawn), and how it stands in words: waiting to be
 * delivered (and why, when it failed), delivered and waiting for the
 * archive's receipt, archived with the archive's reference, or refused by
 * the archive. The log page shows them to those who may see the log's
 * history (the holder). View layer: reads through archive.h, writes
 * nothing. */
#ifndef STAFETT_VIEW_ARCHIVE_H
#define STAFETT_VIEW_ARCHIVE_H

#include <stdint.h>

struct authz;
struct session;
struct tv;

/* log.archive_records on the log page, when the viewer may see the log's
 * history (az: AUTHZ_HISTORY); absent otherwise. 0 or a negative db.h code. */
int view_log_archive(const struct session *s, const struct authz *az, int64_t log_id, struct tv *log);

#endif
