/* logpdf.h — the log as a PDF/A-2b a case worker would file: the log's
 * document (logdoc.h) laid out with pdfdoc.h in the municipality's
 * language, then made PDF/A with pdfa.h. Every part of the log, codes as
 * words, dates the Norwegian way; a person with a protected address shown
 * by name only. Used by the holder's download (cgi-bin/log_pdf.c) and the
 * archive's delivery job (tools/stafett-archive.c). Writes only in its
 * private temporary folder and at the path it is given. */
#ifndef STAFETT_LOGPDF_H
#define STAFETT_LOGPDF_H

#include <stddef.h>

#include <jansson.h>

/* Seconds Ghostscript may take before it is killed. */
#define LOGPDF_TIMEOUT_MS 30000

/* The PDF of DOC in LANG ("nb" or "nn": the municipality's language, not
 * the reader's; anything else is taken as nb), its bytes in *out (the
 * arena) and their number in *len. Returns 1 when it is a PDF/A-2b, 0 when
 * Ghostscript could not make it one and *out is the plain PDF cairo wrote
 * (the reason logged), or -1 (logged; *out NULL) when no PDF could be
 * made. Temporary files live in a private folder removed on every path.
 * The interface language is LANG during the call and restored after. */
int logpdf_build(const json_t *doc, const char *lang, char **out, size_t *len);

/* The same, written to PATH (created O_EXCL, mode 0600; nothing is left at
 * PATH when it fails). Returns as logpdf_build, or -1 when PATH could not
 * be written. */
int logpdf_write(const json_t *doc, const char *lang, const char *path);

#endif
