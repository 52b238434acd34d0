/* view_archive.c — view_archive.h: archive records in words (i18n labels
 * of the record's kind, state and fixed reason). Writes nothing. */
#include "view_archive.h"

#include <string.h>

#include "archive.h"
#include "authz.h"
#include "i18n.h"
#include "session.h"
#include "tmpl.h"

static const struct i18n_label kinds[] = {
	{ "handover", N_("The log was handed over to a new holder") },
	{ "move", N_("The log was moved to another municipality") },
	{ "passive", N_("The log was made passive") },
	{ "closed", N_("The log was closed") },
	{ "withdrawn", N_("The consent was withdrawn") },
	{ "reopened", N_("The log was opened again") },
	{ NULL, NULL },
};

static const struct i18n_label states[] = {
	{ "queued", N_("Waiting to be delivered to the archive") },
	{ "delivered", N_("Delivered to the archive, waiting for its receipt") },
	{ "acknowledged", N_("Archived by the municipality") },
	{ "failed", N_("Refused by the archive; it will be delivered again") },
	{ NULL, NULL },
};

/* The fixed reasons of archive.h, for the holder and the guardians. */
static const struct i18n_label reasons[] = {
	{ ARCHIVE_NO_CHANNEL, N_("The municipality has not yet set where its archive copies go.") },
	{ ARCHIVE_FOLDER_MISSING, N_("The archive's folder cannot be found.") },
	{ ARCHIVE_FOLDER_DENIED, N_("The archive's folder cannot be written to.") },
	{ ARCHIVE_DISK_FULL, N_("The archive's disk is full.") },
	{ ARCHIVE_WRITE_FAILED, N_("The copy could not be written to the archive.") },
	{ ARCHIVE_SNAPSHOT_UNREADABLE, N_("The copy cannot be opened: a key is missing.") },
	{ ARCHIVE_PDF_FAILED, N_("The PDF of the log could not be made.") },
	{ ARCHIVE_REJECTED, N_("The archive refused the copy.") },
	{ ARCHIVE_ACK_UNREADABLE, N_("The archive's receipt cannot be read.") },
	{ NULL, NULL },
};

/* The log's records, newest first, as a list of {id, kind, kind_code,
 * document_date, state, state_code, reason, next_at, delivered_at,
 * acknowledged_at, reference, waiting} for {{#each}} over
 * templates/archive_record.html. NULL on a database error. */
static struct tv *archive_records(int64_t municipality_id, int64_t log_id)
{
	struct archive_item *a;
	int n = archive_list(municipality_id, log_id, &a);
	if (n < 0)
		return NULL;
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++) {
		struct tv *o = tv_push_obj(list);
		bool done = strcmp(a[i].state, "acknowledged") == 0;
		tv_set_int(o, "id", a[i].id);
		tv_set_str(o, "kind", i18n_label(kinds, a[i].kind));
		tv_set_str(o, "kind_code", a[i].kind);
		tv_set_str(o, "document_date", a[i].document_date);
		tv_set_str(o, "state", i18n_label(states, a[i].state));
		tv_set_str(o, "state_code", a[i].state);
		tv_set_bool(o, "waiting", !done);
		if (a[i].last_error && !done)
			tv_set_str(o, "reason", i18n_label(reasons, a[i].last_error));
		if (!done && strcmp(a[i].state, "delivered") != 0)
			tv_set_str(o, "next_at", a[i].next_attempt_at);
		if (a[i].delivered_at)
			tv_set_str(o, "delivered_at", a[i].delivered_at);
		if (done) {
			tv_set_str(o, "acknowledged_at", a[i].acknowledged_at);
			tv_set_str(o, "reference", a[i].archive_reference);
		}
	}
	return list;
}

int view_log_archive(const struct session *s, const struct authz *az, int64_t log_id, struct tv *log)
{
	if (!az->may[AUTHZ_HISTORY])
		return 0;
	struct tv *list = archive_records(s->municipality_id, log_id);
	if (!list)
		return DB_ERROR;
	tv_set(log, "archive_records", list);
	return 0;
}
