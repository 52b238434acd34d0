/* pdfa.h — makes a PDF a PDF/A-2b with Ghostscript: /usr/bin/gs started
 * with execve and a fixed argv (no shell; SECURITY.md 47), an sRGB output
 * intent from Ghostscript's own profile, and the XMP Ghostscript writes
 * (pdfaid:part 2, pdfaid:conformance B). Ghostscript is told to stop rather
 * than drop what PDF/A forbids, so what it writes is PDF/A or nothing.
 * Plumbing: depends on pdfdoc (the private folder) and log. */
#ifndef STAFETT_PDFA_H
#define STAFETT_PDFA_H

/* Converts the PDF IN into OUT, both files of the private folder DIR
 * (pdfdoc_tmpdir; Ghostscript's own temporary files go there too); OUT
 * must not exist (it is made O_EXCL 0600 first). TITLE: the document's
 * title (no names). Gives up after timeout_ms, the process killed.
 * Returns 1 OUT is a PDF/A-2b, 0 Ghostscript failed, is not installed or
 * timed out (OUT removed; the reason logged), or -1 (logged) when the
 * folder could not be written. */
int pdfa_convert(const char *dir, const char *in, const char *out, const char *title, int timeout_ms);

#endif
