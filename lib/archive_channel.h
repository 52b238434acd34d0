/* archive_channel.h — how an archive copy reaches a municipality's archive
 * (municipality_archive.channel) and how its acknowledgement comes back:
 * one small interface, one implementation per channel, chosen in one place
 * (archive_channel_find). The delivery job (tools/stafett-archive) knows
 * only this interface.
 *
 * 'folder' (archive_folder.c): a folder drop an archive system imports
 * from. Each record is two files named after the record, never after a
 * person: NAME.pdf (the PDF/A) and then NAME.xml (the Noark 5 metadata,
 * noark.h; the archive imports a record when its XML is there, so the PDF
 * is always whole by then). Each is written atomically: a temporary name in
 * the same folder (a dot file, O_EXCL, mode 0600), write, fsync, rename,
 * fsync the folder; the PDF is read back and its SHA-256 compared. A failure
 * leaves nothing of the record behind. The archive answers with
 * NAME.kvittering.xml (README.md "The archive"):
 *
 *   <kvittering xmlns="urn:stafett:arkiv:kvittering:1">
 *     <navn>NAME</navn>
 *     <status>arkivert</status>            (or avvist: refused)
 *     <arkivreferanse>2026/123-4</arkivreferanse>
 *     <sjekksum>SHA-256 of the PDF it imported, hex</sjekksum>
 *   </kvittering>
 *
 * KS Fiks Arkiv would be a second implementation (README.md). Plumbing:
 * depends on arena, crypto and log; the reasons are archive.h's codes. */
#ifndef STAFETT_ARCHIVE_CHANNEL_H
#define STAFETT_ARCHIVE_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>

/* One record's copy as it is delivered. */
struct archive_copy {
	const char *name; /* "stafett-RECORD": the files' names */
	const void *pdf;
	size_t pdf_len;
	unsigned char pdf_sha256[32];
	const char *xml;
	size_t xml_len;
};

/* The archive's answer to a delivered copy. */
struct archive_ack {
	bool accepted;	     /* arkivert; false: avvist (refused) */
	char reference[101]; /* the archive's own id of the record (accepted) */
};

struct archive_channel {
	const char *name; /* as municipality_archive.channel */
	/* Delivers the copy to the place the municipality's setting names (the
	 * folder). NULL when it is there, or a fixed reason (archive.h). */
	const char *(*deliver)(const char *setting, const struct archive_copy *copy);
	/* Looks for the archive's answer to the copy delivered as NAME with
	 * this SHA-256: 1 with *ack, 0 none yet, -1 with *reason (fixed)
	 * when there is one that cannot be used. */
	int (*acknowledgement)(const char *setting, const char *name, const unsigned char sha256[32],
			       struct archive_ack *ack, const char **reason);
};

/* The channel of that name, or NULL. */
const struct archive_channel *archive_channel_find(const char *name);

#endif
