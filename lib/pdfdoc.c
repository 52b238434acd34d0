/* pdfdoc.c — the document writer of pdfdoc.h: blocks of pango layouts,
 * paginated at line boundaries in a first pass, drawn on cairo's PDF
 * surface in a second; and the private temporary folders of PDF work.
 * Touches only the fd it is given and [paths] var/tmp. */
#include "pdfdoc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "arena.h"
#include "config.h"
#include "log.h"

/* A4 in points, and the frame of the text. */
#define PAGE_W 595.276
#define PAGE_H 841.890
#define MARGIN_X 62.0
#define TEXT_W (PAGE_W - 2 * MARGIN_X)
#define TEXT_TOP 78.0
#define TEXT_BOTTOM (PAGE_H - 66.0)
#define HEADER_Y 36.0
#define FOOTER_Y (PAGE_H - 46.0)
#define LABEL_W 138.0 /* the label column of a field */
#define CELL_PAD 3.5  /* above and below a table row's text */
#define EPS 0.01

enum font { F_BODY, F_SMALL, F_LABEL, F_TITLE, F_H1, F_H2, F_H3, F_HEADER, F_TH, F_TD, NFONTS };
/* clang-format off */
static const struct {
	const char *desc;
	double line_spacing; /* 0: pango's own */
	double grey;	     /* 0 black .. 1 white */
} fonts[NFONTS] = {
	[F_BODY] = { "DejaVu Serif 10", 1.3, 0.1 },
	[F_SMALL] = { "DejaVu Sans 8", 0, 0.35 },
	[F_LABEL] = { "DejaVu Sans Bold 8.5", 1.2, 0.2 },
	[F_TITLE] = { "DejaVu Sans Bold 20", 0, 0.05 },
	[F_H1] = { "DejaVu Sans Bold 14", 0, 0.05 },
	[F_H2] = { "DejaVu Sans Bold 11.5", 0, 0.1 },
	[F_H3] = { "DejaVu Sans Bold 10", 0, 0.1 },
	[F_HEADER] = { "DejaVu Sans 8", 0, 0.3 },
	[F_TH] = { "DejaVu Sans Bold 8", 1.15, 0.2 },
	[F_TD] = { "DejaVu Serif 9", 1.2, 0.1 },
};
/* clang-format on */

enum bkind { B_TEXT, B_SPACE, B_HEAD, B_ROW };

struct cell {
	char *text;
	enum font font;
	double x, w; /* from the text frame's left edge */
	PangoLayout *lay;
	int nlines;
	double dy;		  /* moves the cell down (first baselines aligned) */
	double *top, *bot, *base; /* each line's, from the block's top, in points */
};

struct block {
	enum bkind kind;
	int ncells;
	struct cell c[PDFDOC_MAX_COLS];
	double before, after, pad, height;
	bool keep_next; /* a heading: never the last thing on a page */
	bool rule;	/* a line under it (table rows) */
	int head;	/* a row: its table's heading block, repeated on a new page; -1 */
};

struct place {
	int page, block;
	double y, a, b; /* the part from a to b of the block, at y on page */
};

struct pdfdoc {
	char *hl, *hm, *hr, *pattern, *title;
	struct block *b;
	int n, cap;
	int table; /* the heading block of the table being filled, -1 */
	double shares[PDFDOC_MAX_COLS];
	int ncols;
	struct place *p;
	int np, pcap;
	PangoContext *ctx;
};

/* --- collecting blocks ---------------------------------------------------- */

/* Text as a layout takes it: valid UTF-8 (jansson's strings are), without
 * control characters other than line breaks and tabs. */
static char *clean(const char *s)
{
	size_t n = strlen(s);
	char *out = xmalloc(n + 1), *o = out;
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f)
			continue;
		*o++ = (char)ch;
	}
	*o = '\0';
	if (!g_utf8_validate(out, -1, NULL)) {
		char *valid = g_utf8_make_valid(out, -1);
		free(out);
		out = xstrdup(valid);
		g_free(valid);
	}
	return out;
}

struct pdfdoc *pdfdoc_new(const char *header_left, const char *header_middle, const char *header_right,
			  const char *page_pattern, const char *title)
{
	struct pdfdoc *d = xcalloc(1, sizeof *d);
	d->hl = clean(header_left ? header_left : "");
	d->hm = clean(header_middle ? header_middle : "");
	d->hr = clean(header_right ? header_right : "");
	d->pattern = clean(page_pattern ? page_pattern : "{x} / {y}");
	d->title = clean(title ? title : "");
	d->table = -1;
	return d;
}

static void free_cell(struct cell *c)
{
	free(c->text);
	if (c->lay)
		g_object_unref(c->lay);
	free(c->top);
	free(c->bot);
	free(c->base);
}

void pdfdoc_free(struct pdfdoc *d)
{
	if (!d)
		return;
	for (int i = 0; i < d->n; i++)
		for (int j = 0; j < d->b[i].ncells; j++)
			free_cell(&d->b[i].c[j]);
	free(d->b);
	free(d->p);
	if (d->ctx)
		g_object_unref(d->ctx);
	free(d->hl);
	free(d->hm);
	free(d->hr);
	free(d->pattern);
	free(d->title);
	free(d);
}

static struct block *add(struct pdfdoc *d, enum bkind kind)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 64;
		d->b = xrealloc(d->b, (size_t)d->cap * sizeof *d->b);
	}
	struct block *b = &d->b[d->n++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	b->head = -1;
	if (kind != B_ROW && kind != B_HEAD)
		d->table = -1;
	return b;
}

static void add_cell(struct block *b, const char *text, enum font f, double x, double w)
{
	struct cell *c = &b->c[b->ncells++];
	c->text = clean(text ? text : "");
	c->font = f;
	c->x = x;
	c->w = w;
}

static bool empty(const char *s)
{
	return !s || !*s;
}

void pdfdoc_title(struct pdfdoc *d, const char *text)
{
	if (empty(text))
		return;
	struct block *b = add(d, B_TEXT);
	add_cell(b, text, F_TITLE, 0, TEXT_W);
	b->after = 10;
	b->keep_next = true;
}

void pdfdoc_heading(struct pdfdoc *d, int level, const char *text)
{
	if (empty(text))
		return;
	struct block *b = add(d, B_TEXT);
	add_cell(b, text, level <= 1 ? F_H1 : level == 2 ? F_H2 : F_H3, 0, TEXT_W);
	b->before = level <= 1 ? 20 : level == 2 ? 13 : 9;
	b->after = level <= 1 ? 7 : 4;
	b->keep_next = true;
	b->rule = level <= 1;
}

void pdfdoc_paragraph(struct pdfdoc *d, const char *text)
{
	if (empty(text))
		return;
	struct block *b = add(d, B_TEXT);
	add_cell(b, text, F_BODY, 0, TEXT_W);
	b->after = 5;
}

void pdfdoc_small(struct pdfdoc *d, const char *text)
{
	if (empty(text))
		return;
	struct block *b = add(d, B_TEXT);
	add_cell(b, text, F_SMALL, 0, TEXT_W);
	b->after = 6;
}

void pdfdoc_field(struct pdfdoc *d, const char *label, const char *value)
{
	if (empty(value))
		return;
	struct block *b = add(d, B_TEXT);
	add_cell(b, label, F_LABEL, 0, LABEL_W - 8);
	add_cell(b, value, F_BODY, LABEL_W, TEXT_W - LABEL_W);
	b->after = 2.5;
}

void pdfdoc_item(struct pdfdoc *d, const char *text)
{
	if (empty(text))
		return;
	struct block *b = add(d, B_TEXT);
	add_cell(b, "\u2022", F_BODY, 6, 10);
	add_cell(b, text, F_BODY, 20, TEXT_W - 20);
	b->after = 2;
}

void pdfdoc_space(struct pdfdoc *d, double points)
{
	struct block *b = add(d, B_SPACE);
	b->height = points;
}

void pdfdoc_table(struct pdfdoc *d, int ncols, const double *shares, const char *const *headings)
{
	if (ncols < 1 || ncols > PDFDOC_MAX_COLS)
		return;
	struct block *b = add(d, B_HEAD);
	double x = 0;
	for (int i = 0; i < ncols; i++) {
		d->shares[i] = shares[i];
		add_cell(b, headings[i], F_TH, x + CELL_PAD, shares[i] * TEXT_W - 2 * CELL_PAD);
		x += shares[i] * TEXT_W;
	}
	d->ncols = ncols;
	b->pad = CELL_PAD;
	b->before = 4;
	b->rule = true;
	b->keep_next = true;
	d->table = d->n - 1;
}

void pdfdoc_row(struct pdfdoc *d, const char *const *cells)
{
	int head = d->table;
	if (head < 0)
		return;
	struct block *b = add(d, B_ROW);
	double x = 0;
	for (int i = 0; i < d->ncols; i++) {
		add_cell(b, cells[i], F_TD, x + CELL_PAD, d->shares[i] * TEXT_W - 2 * CELL_PAD);
		x += d->shares[i] * TEXT_W;
	}
	b->pad = CELL_PAD;
	b->rule = true;
	b->head = head;
	d->table = head;
}

/* --- laying out ----------------------------------------------------------- */

static PangoLayout *layout(PangoContext *ctx, enum font f, const char *text, double width)
{
	PangoLayout *lay = pango_layout_new(ctx);
	PangoFontDescription *fd = pango_font_description_from_string(fonts[f].desc);
	pango_layout_set_font_description(lay, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(lay, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
	if (fonts[f].line_spacing > 0)
		pango_layout_set_line_spacing(lay, (float)fonts[f].line_spacing);
	/* No ligatures: "fl" stays two letters for whoever searches the text
	 * (pdftotext, an archive's full-text index). */
	PangoAttrList *attrs = pango_attr_list_new();
	pango_attr_list_insert(attrs, pango_attr_font_features_new("liga=0, clig=0"));
	pango_layout_set_attributes(lay, attrs);
	pango_attr_list_unref(attrs);
	pango_layout_set_text(lay, text, -1); /* plain text, never markup */
	return lay;
}

static void measure(PangoContext *ctx, struct block *b)
{
	if (b->kind == B_SPACE)
		return;
	double first_base = 0;
	for (int i = 0; i < b->ncells; i++) {
		struct cell *c = &b->c[i];
		c->lay = layout(ctx, c->font, c->text, c->w);
		c->nlines = *c->text ? pango_layout_get_line_count(c->lay) : 0;
		c->top = xcalloc((size_t)c->nlines + 1, sizeof(double));
		c->bot = xcalloc((size_t)c->nlines + 1, sizeof(double));
		c->base = xcalloc((size_t)c->nlines + 1, sizeof(double));
		PangoLayoutIter *it = pango_layout_get_iter(c->lay);
		for (int l = 0; l < c->nlines; l++) {
			int y0, y1;
			pango_layout_iter_get_line_yrange(it, &y0, &y1);
			c->top[l] = (double)y0 / PANGO_SCALE;
			c->bot[l] = (double)y1 / PANGO_SCALE;
			c->base[l] = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
			if (!pango_layout_iter_next_line(it))
				break;
		}
		pango_layout_iter_free(it);
		if (c->nlines && c->base[0] > first_base)
			first_base = c->base[0];
	}
	/* The cells' first lines on one baseline, then everything below the
	 * row's padding. */
	for (int i = 0; i < b->ncells; i++) {
		struct cell *c = &b->c[i];
		c->dy = b->pad + (c->nlines ? first_base - c->base[0] : 0);
		for (int l = 0; l < c->nlines; l++) {
			c->top[l] += c->dy;
			c->bot[l] += c->dy;
			c->base[l] += c->dy;
			if (c->bot[l] + b->pad > b->height)
				b->height = c->bot[l] + b->pad;
		}
	}
}

/* Whether the block may be cut at h: no line of any cell straddles it. */
static bool cuttable(const struct block *b, double h)
{
	for (int i = 0; i < b->ncells; i++)
		for (int l = 0; l < b->c[i].nlines; l++)
			if (b->c[i].top[l] < h - EPS && b->c[i].bot[l] > h + EPS)
				return false;
	return true;
}

/* The furthest cut after a that is at most a + room: the block's end if it
 * fits, else the bottom of a line; -1 if not even one line fits. */
static double cut_at(const struct block *b, double a, double room)
{
	if (b->height - a <= room + EPS)
		return b->height;
	double best = -1;
	for (int i = 0; i < b->ncells; i++)
		for (int l = 0; l < b->c[i].nlines; l++) {
			double h = b->c[i].bot[l];
			if (h > a + EPS && h - a <= room + EPS && h > best && cuttable(b, h))
				best = h;
		}
	return best;
}

/* The height of the block's first piece that can stand alone. */
static double first_piece(const struct block *b)
{
	double h = cut_at(b, 0, 0);
	for (double room = 0; h < 0 && room < b->height + 1; room += 2)
		h = cut_at(b, 0, room);
	return h < 0 ? b->height : h;
}

static void place(struct pdfdoc *d, int page, int block, double y, double a, double b)
{
	if (d->np == d->pcap) {
		d->pcap = d->pcap ? 2 * d->pcap : 128;
		d->p = xrealloc(d->p, (size_t)d->pcap * sizeof *d->p);
	}
	d->p[d->np++] = (struct place){ page, block, y, a, b };
}

/* The first pass: where each piece of each block goes. Returns the number
 * of pages. */
static int paginate(struct pdfdoc *d)
{
	int page = 0;
	double y = TEXT_TOP;
	for (int i = 0; i < d->n; i++) {
		struct block *b = &d->b[i];
		if (b->kind == B_SPACE) {
			if (y > TEXT_TOP + EPS)
				y += b->height;
			continue;
		}
		double before = y > TEXT_TOP + EPS ? b->before : 0;
		/* A heading keeps the start of what follows on its page. */
		double need = first_piece(b);
		if (b->keep_next) {
			need = b->height;
			for (int j = i + 1; j < d->n && d->b[j].kind != B_SPACE; j++) {
				need += d->b[j - 1].after + d->b[j].before + first_piece(&d->b[j]);
				if (!d->b[j].keep_next)
					break;
				need += d->b[j].height - first_piece(&d->b[j]);
			}
		}
		if (y > TEXT_TOP + EPS && y + before + need > TEXT_BOTTOM + EPS) {
			page++;
			y = TEXT_TOP;
			before = 0;
		}
		y += before;
		double a = 0;
		for (;;) {
			if (y <= TEXT_TOP + EPS && b->kind == B_ROW && b->head >= 0) {
				struct block *h = &d->b[b->head];
				place(d, page, b->head, y, 0, h->height);
				y += h->height;
			}
			double cut = cut_at(b, a, TEXT_BOTTOM - y);
			if (cut < 0 && y <= TEXT_TOP + EPS + (b->kind == B_ROW ? d->b[b->head].height : 0))
				cut = cut_at(b, a,
					     b->height); /* a line taller than a page: let it run over */
			if (cut < 0) {
				page++;
				y = TEXT_TOP;
				continue;
			}
			place(d, page, i, y, a, cut);
			y += cut - a;
			a = cut;
			if (a >= b->height - EPS)
				break;
			page++;
			y = TEXT_TOP;
		}
		y += b->after;
	}
	return page + 1;
}

/* --- drawing -------------------------------------------------------------- */

static void ink(cairo_t *cr, double grey)
{
	cairo_set_source_rgb(cr, grey, grey, grey);
}

static void draw_piece(cairo_t *cr, const struct pdfdoc *d, const struct place *p)
{
	const struct block *b = &d->b[p->block];
	for (int i = 0; i < b->ncells; i++) {
		const struct cell *c = &b->c[i];
		ink(cr, fonts[c->font].grey);
		for (int l = 0; l < c->nlines; l++) {
			if (c->top[l] < p->a - EPS || c->bot[l] > p->b + EPS)
				continue;
			PangoLayoutLine *line = pango_layout_get_line_readonly(c->lay, l);
			cairo_move_to(cr, MARGIN_X + c->x, p->y + c->base[l] - p->a);
			pango_cairo_show_layout_line(cr, line);
		}
	}
	if (b->rule && p->b >= b->height - EPS) {
		bool strong = b->kind != B_ROW;
		cairo_set_line_width(cr, strong ? 0.8 : 0.4);
		ink(cr, strong ? 0.35 : 0.7);
		double y = p->y + p->b - p->a + (b->kind == B_TEXT ? 2.5 : 0);
		cairo_move_to(cr, MARGIN_X, y);
		cairo_line_to(cr, MARGIN_X + TEXT_W, y);
		cairo_stroke(cr);
	}
}

static void draw_text(cairo_t *cr, PangoContext *ctx, const char *text, double y, PangoAlignment align)
{
	if (!*text)
		return;
	PangoLayout *lay = layout(ctx, F_HEADER, text, TEXT_W);
	pango_layout_set_alignment(lay, align);
	ink(cr, fonts[F_HEADER].grey);
	cairo_move_to(cr, MARGIN_X, y);
	pango_cairo_show_layout(cr, lay);
	g_object_unref(lay);
}

static char *page_label(const char *pattern, int x, int y)
{
	struct buf out = { 0 };
	for (const char *s = pattern; *s;) {
		if (strncmp(s, "{x}", 3) == 0) {
			buf_addf(&out, "%d", x);
			s += 3;
		} else if (strncmp(s, "{y}", 3) == 0) {
			buf_addf(&out, "%d", y);
			s += 3;
		} else {
			buf_addc(&out, *s++);
		}
	}
	return out.data ? out.data : arena_strdup("");
}

static void draw_frame(cairo_t *cr, const struct pdfdoc *d, int page, int pages)
{
	draw_text(cr, d->ctx, d->hl, HEADER_Y, PANGO_ALIGN_LEFT);
	draw_text(cr, d->ctx, d->hm, HEADER_Y, PANGO_ALIGN_CENTER);
	draw_text(cr, d->ctx, d->hr, HEADER_Y, PANGO_ALIGN_RIGHT);
	cairo_set_line_width(cr, 0.5);
	ink(cr, 0.6);
	cairo_move_to(cr, MARGIN_X, HEADER_Y + 16);
	cairo_line_to(cr, MARGIN_X + TEXT_W, HEADER_Y + 16);
	cairo_stroke(cr);
	draw_text(cr, d->ctx, page_label(d->pattern, page + 1, pages), FOOTER_Y, PANGO_ALIGN_CENTER);
}

struct sink {
	int fd;
	bool failed;
};

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int len)
{
	struct sink *s = closure;
	while (len > 0) {
		ssize_t n = write(s->fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			s->failed = true;
			return CAIRO_STATUS_WRITE_ERROR;
		}
		data += n;
		len -= (unsigned)n;
	}
	return CAIRO_STATUS_SUCCESS;
}

/* Layouts measured in this context are drawn as they were measured: points
 * (72 per inch) and no hinting, as on a PDF surface. */
static PangoContext *new_context(void)
{
	PangoFontMap *map = pango_cairo_font_map_get_default();
	PangoContext *ctx = pango_font_map_create_context(map);
	pango_cairo_context_set_resolution(ctx, 72);
	cairo_font_options_t *o = cairo_font_options_create();
	cairo_font_options_set_hint_style(o, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(o, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_antialias(o, CAIRO_ANTIALIAS_GRAY);
	pango_cairo_context_set_font_options(ctx, o);
	cairo_font_options_destroy(o);
	pango_context_set_language(ctx, pango_language_from_string("no"));
	return ctx;
}

int pdfdoc_write(struct pdfdoc *d, int fd)
{
	if (!d->ctx)
		d->ctx = new_context();
	for (int i = 0; i < d->n; i++)
		if (!d->b[i].c[0].lay)
			measure(d->ctx, &d->b[i]);
	d->np = 0;
	int pages = paginate(d);

	struct sink sink = { fd, false };
	cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(sink_write, &sink, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, d->title);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Stafett");
	cairo_t *cr = cairo_create(surface);
	int k = 0;
	for (int page = 0; page < pages; page++) {
		draw_frame(cr, d, page, pages);
		for (; k < d->np && d->p[k].page == page; k++)
			draw_piece(cr, d, &d->p[k]);
		cairo_show_page(cr);
	}
	cairo_status_t st = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(surface);
	cairo_surface_destroy(surface);
	if (st != CAIRO_STATUS_SUCCESS || sink.failed) {
		log_error("pdf: %s", sink.failed ? "write failed" : cairo_status_to_string(st));
		return -1;
	}
	return pages;
}

/* --- the private temporary folder ------------------------------------------ */

static const char *tmp_base(void)
{
	return arena_printf("%s/tmp", config_str("paths.var"));
}

int pdfdoc_tmpdir(char *out, size_t size)
{
	const char *base = tmp_base();
	if (mkdir(base, 0700) < 0 && errno != EEXIST) {
		log_error("pdf: cannot make the temporary folder: %s", strerror(errno));
		return -1;
	}
	int n = snprintf(out, size, "%s/pdf-%ld-XXXXXX", base, (long)getpid());
	if (n < 0 || (size_t)n >= size || !mkdtemp(out)) {
		log_error("pdf: cannot make a private folder: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int pdfdoc_tmpfile(const char *dir, const char *name, int flags)
{
	if (strchr(name, '/'))
		return -1;
	const char *path = arena_printf("%s/%s", dir, name);
	int fd = open(path, flags | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		log_error("pdf: cannot make a temporary file: %s", strerror(errno));
	return fd;
}

void pdfdoc_tmpdir_remove(const char *dir)
{
	DIR *dh = opendir(dir);
	if (dh) {
		struct dirent *e;
		while ((e = readdir(dh)))
			if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
				unlinkat(dirfd(dh), e->d_name, 0);
		closedir(dh);
	}
	if (rmdir(dir) < 0 && errno != ENOENT)
		log_error("pdf: cannot remove a private folder: %s", strerror(errno));
}

int pdfdoc_tmp_sweep(void)
{
	const char *base = tmp_base();
	DIR *dh = opendir(base);
	if (!dh)
		return 0;
	int removed = 0;
	struct dirent *e;
	while ((e = readdir(dh))) {
		long pid;
		char rest[16];
		if (sscanf(e->d_name, "pdf-%ld-%15s", &pid, rest) != 2 || pid <= 0)
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno == EPERM)
			continue; /* still rendering */
		pdfdoc_tmpdir_remove(arena_printf("%s/%s", base, e->d_name));
		removed++;
	}
	closedir(dh);
	return removed;
}
