/* document.h — uploaded documents (a signed consent form, SECURITY.md
 * 88-91): what a file is, decided from its structure, never from the
 * browser's type or name; stored in the document table with its size
 * and SHA-256, and read back only by a program that has asked authz. */
#ifndef STAFETT_DOCUMENT_H
#define STAFETT_DOCUMENT_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

struct session;

/* "application/pdf", "image/jpeg" or "image/png" when the bytes are one
 * whole file of that type by its structure (document.c says what is
 * checked), not only by its first bytes; NULL for anything else, empty
 * included. */
const char *document_sniff(const void *data, size_t len);

/* The file name extension for a sniffed media type ("pdf", "jpg", "png"),
 * NULL for another. */
const char *document_extension(const char *media_type);

/* Stores data as a document of log_id, uploaded by the session's person,
 * in the caller's transaction. 1 with *id set, 0 if the bytes are not an
 * accepted type (nothing stored), or a negative db.h code. */
int document_store(const struct session *s, int64_t log_id, const void *data, size_t len, int64_t *id);

/* Removes a document stored in this transaction that turned out not to be
 * needed (the consent it came with was refused). 0 or a negative db.h code. */
int document_discard(int64_t municipality_id, int64_t id);

struct document {
	int64_t id;
	char *media_type;
	struct db_blob data;
};
/* The document id of log_id in the municipality: 1 found, 0 none (another
 * log's or municipality's document is none), or a negative db.h code. */
int document_get(int64_t municipality_id, int64_t log_id, int64_t id, struct document *out);

#endif
