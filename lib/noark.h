/* noark.h — the metadata of one archive record as Noark 5 XML (DOMAIN.md
 * §10), the XML that travels beside the PDF/A in a folder drop
 * (archive_channel.h): the child's folder (mappe) keyed by the log id as the
 * external key, so every delivery of the same log lands in the same folder;
 * one registry entry (registrering) per transition with its public title
 * without names, screening, document date, municipality, unit and who
 * caused it; the PDF/A as its archive variant with SHA-256 and size. The
 * schema of the fields used is tests/archive/noark-record.xsd. Written with
 * libxml2's xmlTextWriter, which escapes every value. Plumbing: depends on
 * arena only. */
#ifndef STAFETT_NOARK_H
#define STAFETT_NOARK_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"

struct noark_record {
	int64_t record_id; /* archive_record.id: the registry entry's external key */
	int64_t log_id;	   /* the folder's external key */
	const char *kind;  /* handover, move, passive, closed, withdrawn, reopened */
	const char *public_title;
	const char *screening;
	const char *document_date; /* YYYY-MM-DD (Oslo) */
	const char *created_at;	   /* UTC "YYYY-MM-DD HH:MM:SS.mmm" */
	const char *lang;	   /* nb or nn */
	const char *municipality;  /* its name */
	const char *municipality_slug;
	const char *unit; /* its name */
	const char *caused_by;
	const char *pdf_name; /* the file beside the XML */
	const char *pdf_sha256_hex;
	long pdf_size;
	bool pdfa;
};

/* The record's XML (UTF-8) into out. 0, or -1 (logged) when libxml2 failed. */
int noark_record_xml(const struct noark_record *r, struct buf *out);

#endif
