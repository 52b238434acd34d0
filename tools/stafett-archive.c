/* stafett-archive — delivers the archive records the programs make at every
 * transition of a log (lib/archive.h) to each municipality's archive.
 *   stafett-archive [--once] [--poll SECONDS] [--later SECONDS]
 * Claims due records with a lease; for one to deliver, opens its sealed
 * snapshot, lays the log out as PDF/A (lib/logpdf.h), records its SHA-256,
 * size and whether it is PDF/A, writes the Noark 5 metadata (lib/noark.h)
 * and delivers both through the municipality's channel
 * (lib/archive_channel.h: the folder drop); for one delivered, looks for the
 * archive's acknowledgement, and once it is there marks the record
 * acknowledged with the archive's reference and erases the snapshot (a
 * withdrawn log's personal data deleted in the same transaction). What
 * fails is tried again with back-off ([archive] retry_first_seconds,
 * doubling up to retry_max_seconds) until delivered and acknowledged; the
 * record says why it waits with a fixed reason, never personal data. The
 * log says record ids and reasons only.
 * SIGTERM: finishes the record in hand, lets the rest go, exits. --once:
 * handles what is due, then exits (the systemd timer, tests). --later:
 * takes records as if that many seconds had passed (an operator's "try
 * again now", tests). Exit 78 (EX_CONFIG) when it cannot start (keys,
 * settings): a supervisor does not restart it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "archive.h"
#include "archive_channel.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "i18n.h"
#include "job.h"
#include "log.h"
#include "logpdf.h"
#include "noark.h"
#include "pdfdoc.h"

enum { BATCH = 5, EX_CONFIG = 78 };

static const char *owner; /* host:pid:random, the lease's owner */

/* The record's PDF/A from its snapshot into pdf; NULL, or a fixed reason. */
static const char *make_pdf(const struct archive_due *d, const char **caused_by, struct buf *pdf, bool *pdfa)
{
	json_t *doc = archive_open_snapshot(d, caused_by);
	if (!doc)
		return ARCHIVE_SNAPSHOT_UNREADABLE;
	char *out = NULL;
	size_t len = 0;
	int rc = logpdf_build(doc, d->lang, &out, &len);
	json_decref(doc);
	if (rc < 0 || !out) {
		log_error("archive record %lld: the PDF could not be made", (long long)d->id);
		return ARCHIVE_PDF_FAILED;
	}
	/* A plain PDF (Ghostscript failed, logged) is delivered all the same,
	 * recorded as not PDF/A: the archive gets the log, the operator the
	 * reason. */
	*pdfa = rc == 1;
	pdf->data = out;
	pdf->len = len;
	return NULL;
}

/* Lays out and delivers one record to deliver; the reason it waits, or NULL. */
static const char *deliver(const struct archive_due *d, const struct archive_channel *ch)
{
	const char *caused_by = NULL;
	struct buf pdf = { 0 }, xml = { 0 };
	bool pdfa = false;
	const char *reason = make_pdf(d, &caused_by, &pdf, &pdfa);
	if (reason)
		return reason;
	struct archive_copy copy = {
		.name = arena_printf("stafett-%lld", (long long)d->id),
		.pdf = pdf.data,
		.pdf_len = pdf.len,
	};
	crypto_sha256(pdf.data, pdf.len, copy.pdf_sha256);
	struct noark_record r = {
		.record_id = d->id,
		.log_id = d->log_id,
		.kind = d->kind,
		.public_title = d->public_title,
		.screening = d->screening,
		.document_date = d->document_date,
		.created_at = d->created_at,
		.lang = d->lang,
		.municipality = d->municipality_name,
		.municipality_slug = d->municipality_slug,
		.unit = d->unit_name,
		.caused_by = caused_by,
		.pdf_name = arena_printf("%s.pdf", copy.name),
		.pdf_sha256_hex = crypto_hex(copy.pdf_sha256, sizeof copy.pdf_sha256),
		.pdf_size = (long)pdf.len,
		.pdfa = pdfa,
	};
	if (noark_record_xml(&r, &xml) < 0)
		return ARCHIVE_WRITE_FAILED;
	copy.xml = xml.data;
	copy.xml_len = xml.len;
	reason = ch->deliver(d->folder, &copy);
	crypto_wipe(pdf.data, pdf.len);
	crypto_wipe(xml.data, xml.len);
	if (reason)
		return reason;
	int rc = archive_delivered(d, owner, copy.name, copy.pdf_sha256, (long)pdf.len, pdfa);
	if (rc < 0)
		log_error("archive record %lld: delivered but not recorded (%s); it is delivered again",
			  (long long)d->id, db_error());
	else if (rc == 0)
		log_warn("archive record %lld: another job took it while it was delivered", (long long)d->id);
	else
		log_info("archive record %lld: delivered as %s (%zu bytes%s)", (long long)d->id, copy.name,
			 pdf.len, pdfa ? ", PDF/A-2b" : "");
	return NULL;
}

/* Looks for the acknowledgement of one delivered record; whether it came. */
static bool look_for_ack(const struct archive_due *d, const struct archive_channel *ch)
{
	struct archive_ack ack;
	const char *reason = NULL;
	int found = d->delivered_as && d->pdf_sha256.len == 32
		? ch->acknowledgement(d->folder, d->delivered_as, d->pdf_sha256.data, &ack, &reason)
		: (reason = ARCHIVE_ACK_UNREADABLE, -1);
	int rc;
	if (found == 0) {
		rc = archive_waiting(d, owner);
	} else if (found < 0) {
		log_warn("archive record %lld: acknowledgement not usable: %s", (long long)d->id, reason);
		rc = archive_deferred(d, owner, reason, false);
	} else if (!ack.accepted) {
		log_warn("archive record %lld: refused by the archive; delivered again later",
			 (long long)d->id);
		rc = archive_deferred(d, owner, ARCHIVE_REJECTED, true);
	} else {
		rc = archive_acknowledged(d, owner, ack.reference);
		if (rc == 1)
			log_info("archive record %lld: acknowledged%s", (long long)d->id,
				 strcmp(d->kind, "withdrawn") == 0 ? "; the withdrawn log is deleted" : "");
	}
	if (rc < 0)
		log_error("archive record %lld: not recorded (%s); tried again", (long long)d->id,
			  db_error());
	return found == 1 && rc == 1;
}

/* Handles one claimed record; whether it moved on (delivered, answered). */
static bool handle(const struct archive_due *d)
{
	const struct archive_channel *ch = d->channel ? archive_channel_find(d->channel) : NULL;
	if (!ch) {
		if (d->attempts == 1)
			log_warn("archive record %lld: municipality %s has no archive set", (long long)d->id,
				 d->municipality_slug);
		archive_deferred(d, owner, ARCHIVE_NO_CHANNEL, false);
		return false;
	}
	if (strcmp(d->state, "delivered") == 0)
		return look_for_ack(d, ch);
	const char *reason = deliver(d, ch);
	if (!reason)
		return true;
	log_warn("archive record %lld: not delivered: %s; attempt %d, next in %lld s", (long long)d->id,
		 reason, d->attempts, archive_retry_delay(d->attempts));
	if (archive_deferred(d, owner, reason, false) < 0)
		log_error("archive record %lld: the reason was not recorded (%s)", (long long)d->id,
			  db_error());
	return false;
}

/* One claim and its records: the number claimed and how many moved on, or
 * a negative code. */
static int batch(void *ctx, int *moved)
{
	long long later = *(long long *)ctx;
	struct archive_due *rows;
	int n = archive_claim(owner, BATCH, later, &rows);
	*moved = 0;
	for (int i = 0; i < n; i++) {
		if (job_stopping())
			archive_release(rows[i].id, owner);
		else if (handle(&rows[i]))
			(*moved)++;
	}
	return n;
}

static int usage(void)
{
	fputs("usage: stafett-archive [--once] [--poll SECONDS] [--later SECONDS]\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	bool once = false;
	double poll = 5.0;
	long long later = 0;
	for (int i = 1; i < argc; i++) {
		char *end;
		if (strcmp(argv[i], "--once") == 0) {
			once = true;
		} else if (strcmp(argv[i], "--poll") == 0 && i + 1 < argc) {
			poll = strtod(argv[++i], &end);
			if (*end || !(poll >= 0.05 && poll <= 600))
				return usage();
		} else if (strcmp(argv[i], "--later") == 0 && i + 1 < argc) {
			later = strtoll(argv[++i], &end, 10);
			if (*end || later < 0 || later > 366LL * 86400)
				return usage();
		} else {
			return usage();
		}
	}
	log_init("stafett-archive", false);
	if (config_load(NULL) < 0)
		return EX_CONFIG;
	log_init("stafett-archive", config_bool("log.syslog"));
	/* Document dates and the PDF's dates are Oslo's, as on the pages. */
	setenv("TZ", "Europe/Oslo", 1);
	tzset();
	if (i18n_init(config_str("paths.locale")) < 0)
		log_warn("translations unavailable; the PDF in message ids");
	if (crypto_load_keys(config_str("crypto.key_file")) < 0)
		return EX_CONFIG;
	if (config_int("archive.lease_seconds") < 10 || config_int("archive.retry_first_seconds") < 1 ||
	    config_int("archive.retry_max_seconds") < config_int("archive.retry_first_seconds")) {
		log_error("[archive] lease_seconds must be at least 10, retry_first_seconds at least 1 and "
			  "retry_max_seconds at least retry_first_seconds");
		return EX_CONFIG;
	}
	/* PDF work killed in the middle leaves its private folder: gone now. */
	pdfdoc_tmp_sweep();
	owner = job_owner();

	job_signals();
	if (db_connect("database") < 0)
		log_warn("database unavailable at start: %s", db_error());
	log_info("started: %s", once ? "once" : "polling");
	struct job j = {
		.queue = "the archive records", .once = once, .poll = poll, .batch = batch, .ctx = &later
	};
	int status = job_loop(&j);
	db_close();
	return status;
}
