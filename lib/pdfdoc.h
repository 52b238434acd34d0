/* pdfdoc.h — a small document writer on cairo and pango: A4 pages with
 * margins, a header on every page (three short texts: left, middle, right),
 * a footer "Page x of y", headings, paragraphs, label/value lines, list
 * items and simple tables. Blocks are collected first and laid out when the
 * document is written, so the number of pages is known before the first is
 * drawn; a block that does not fit is broken between its lines, never
 * through one, and a heading never ends a page. Every text reaches the PDF
 * through a pango layout as plain text (never markup); cairo writes the
 * PDF's strings itself (SECURITY.md 47). Fonts: DejaVu Serif for text,
 * DejaVu Sans for headings and labels (fontconfig), embedded as subsets.
 *
 * Also the private folder that PDF work (this writer, pdfa.h) keeps its
 * temporary files in (SECURITY.md 68). Plumbing: depends on arena, config
 * and log only. */
#ifndef STAFETT_PDFDOC_H
#define STAFETT_PDFDOC_H

#include <stdbool.h>
#include <stddef.h>

struct pdfdoc;

/* A new document. header_left/middle/right: the page header's texts (the
 * municipality, "Stafettlogg nr. N", a date); page_pattern: the footer, in
 * which "{x}" becomes the page's number and "{y}" the number of pages
 * ("Side {x} av {y}"); title: the PDF's title (no names: it shows in a
 * reader's window and in file lists). Strings are copied. */
struct pdfdoc *pdfdoc_new(const char *header_left, const char *header_middle, const char *header_right,
			  const char *page_pattern, const char *title);
void pdfdoc_free(struct pdfdoc *d);

/* The document's blocks, in order. NULL or "" texts are drawn as nothing
 * (a field with no value is left out). Text is UTF-8; line breaks in it are
 * kept; other control characters are dropped. */
void pdfdoc_title(struct pdfdoc *d, const char *text);		    /* the first page's big title */
void pdfdoc_heading(struct pdfdoc *d, int level, const char *text); /* level 1, 2 or 3 */
void pdfdoc_paragraph(struct pdfdoc *d, const char *text);
void pdfdoc_small(struct pdfdoc *d, const char *text); /* a grey line under an item: who, when */
void pdfdoc_field(struct pdfdoc *d, const char *label, const char *value);
void pdfdoc_item(struct pdfdoc *d, const char *text); /* a bulleted list item */
void pdfdoc_space(struct pdfdoc *d, double points);
/* A table: begin with the columns' shares of the width (they add up to 1)
 * and their headings, then rows of ncols texts each. */
#define PDFDOC_MAX_COLS 6
void pdfdoc_table(struct pdfdoc *d, int ncols, const double *shares, const char *const *headings);
void pdfdoc_row(struct pdfdoc *d, const char *const *cells);

/* Lays the document out and writes it as PDF to fd (which stays open).
 * Returns the number of pages, or -1 (logged) when cairo or the write
 * failed. */
int pdfdoc_write(struct pdfdoc *d, int fd);

/* The private temporary folder of one piece of PDF work: a new folder
 * (mode 0700) "pdf-PID-XXXXXX" under [paths] var/tmp, its path in out
 * (size at least PDFDOC_TMP_MAX). 0 or -1 (logged). */
#define PDFDOC_TMP_MAX 512
int pdfdoc_tmpdir(char *out, size_t size);
/* A new file NAME (a fixed name of ours, no '/') in the folder, created
 * O_EXCL mode 0600 for writing (flags: O_WRONLY or O_RDWR); the fd, or -1. */
int pdfdoc_tmpfile(const char *dir, const char *name, int flags);
/* Removes the folder and every file in it (call on every path). */
void pdfdoc_tmpdir_remove(const char *dir);
/* Removes the folders left by processes that are gone (killed in the
 * middle of a render): called at a program's start. Returns how many. */
int pdfdoc_tmp_sweep(void);

#endif
