/* test_pdfdoc.c — lib/pdfdoc.c and lib/pdfa.c: a document of many pages is
 * paginated with "Page x of y" known on every page and no line cut, its
 * text comes out of the PDF as it went in (Norwegian letters too), and
 * Ghostscript makes it PDF/A-2b (pdfaid part 2, conformance B, an output
 * intent); the private folder is left empty and a dead process's folder is
 * swept. Reads the PDFs back with poppler's pdftotext (a helper run the
 * same way as the code runs Ghostscript). */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "unit.h"
#include "arena.h"
#include "config.h"
#include "pdfa.h"
#include "pdfdoc.h"

static char var[64];

static int setup(void **state)
{
	(void)state;
	snprintf(var, sizeof var, "/tmp/stafett-pdfdoc-XXXXXX");
	assert_non_null(mkdtemp(var));
	char conf[256];
	snprintf(conf, sizeof conf, "[paths]\nvar = %s\n", var);
	assert_int_equal(config_load(unit_tmpfile(conf)), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char tmp[80];
	snprintf(tmp, sizeof tmp, "%s/tmp", var);
	rmdir(tmp);
	return rmdir(var) == 0 ? 0 : -1;
}

/* The file's whole content (arena). */
static char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	char *s = arena_alloc((size_t)st.st_size + 1);
	assert_int_equal(read(fd, s, (size_t)st.st_size), st.st_size);
	close(fd);
	*len = (size_t)st.st_size;
	return s;
}

/* pdftotext's text of the PDF at path. */
static char *text_of(const char *path)
{
	const char *txt = arena_printf("%s.txt", path);
	pid_t pid = fork();
	if (pid == 0) {
		execl("/usr/bin/pdftotext", "pdftotext", "-layout", path, txt, (char *)NULL);
		_exit(127);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	size_t len;
	char *s = slurp(txt, &len);
	unlink(txt);
	return s;
}

static int count(const char *s, const char *what)
{
	int n = 0;
	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

static struct pdfdoc *long_document(void)
{
	struct pdfdoc *d = pdfdoc_new("Fjordvik kommune", "Stafettlogg nr. 42", "2. desember 2026",
				      "Side {x} av {y}", "Stafettlogg nr. 42");
	pdfdoc_title(d, "Stafettlogg for Åse Ødegård");
	pdfdoc_field(d, "Barnehage", "Blåbærtoppen barnehage");
	pdfdoc_field(d, "Tom", "");
	pdfdoc_paragraph(d, "Hun finner flere flotte fløyter.");
	for (int i = 1; i <= 40; i++) {
		pdfdoc_heading(d, 2, arena_printf("Tiltak %d: Lesetrening på særskilt vis", i));
		pdfdoc_paragraph(
			d,
			arena_printf("Avsnitt %d. Øving hver dag i tjue minutter, med en voksen som "
				     "leser sammen med barnet og snakker om det de leste.\nNy linje.",
				     i));
		pdfdoc_item(d, "Ansvarlig: Kari Nordmann");
		pdfdoc_small(d, "Skrevet 1. desember 2026");
	}
	static const double shares[] = { 0.5, 0.25, 0.25 };
	pdfdoc_table(d, 3, shares, (const char *const[]){ "Hva", "Hvem", "Når" });
	for (int i = 1; i <= 60; i++)
		pdfdoc_row(d, (const char *const[]){ arena_printf("Rad %d", i), "Per", "3.12.2026" });
	return d;
}

static void many_pages_each_numbered_and_every_text_kept(void **state)
{
	(void)state;
	char dir[PDFDOC_TMP_MAX];
	assert_int_equal(pdfdoc_tmpdir(dir, sizeof dir), 0);
	struct stat st;
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);

	struct pdfdoc *d = long_document();
	int fd = pdfdoc_tmpfile(dir, "doc.pdf", O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pdfdoc_tmpfile(dir, "doc.pdf", O_WRONLY), -1); /* O_EXCL */
	int pages = pdfdoc_write(d, fd);
	close(fd);
	pdfdoc_free(d);
	assert_true(pages >= 5);
	const char *path = arena_printf("%s/doc.pdf", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	char *text = text_of(path);
	assert_non_null(strstr(text, "Stafettlogg for Åse Ødegård"));
	assert_non_null(strstr(text, "Blåbærtoppen barnehage"));
	assert_null(strstr(text, "Tom")); /* a field without a value is left out */
	/* No ligatures: the letters stay searchable. */
	assert_non_null(strstr(text, "Hun finner flere flotte fløyter."));
	for (int i = 1; i <= 40; i++)
		assert_non_null(strstr(text, arena_printf("Tiltak %d: Lesetrening", i)));
	for (int i = 1; i <= 60; i++)
		assert_non_null(strstr(text, arena_printf("Rad %d ", i)));
	/* The header and "Side x av y" on every page, y known on the first. */
	assert_int_equal(count(text, "Fjordvik kommune"), pages);
	for (int p = 1; p <= pages; p++)
		assert_non_null(strstr(text, arena_printf("Side %d av %d", p, pages)));
	/* The table's heading again on each page it continues on. */
	assert_true(count(text, "Hvem") >= 2);

	/* PDF/A-2b. */
	const char *out = arena_printf("%s/doc-a.pdf", dir);
	assert_int_equal(pdfa_convert(dir, path, out, "Stafettlogg nr. 42", 20000), 1);
	size_t len;
	char *pdf = slurp(out, &len);
	assert_memory_equal(pdf, "%PDF-", 5);
	assert_non_null(memmem(pdf, len, "pdfaid:part='2'", 15));
	assert_non_null(memmem(pdf, len, "pdfaid:conformance='B'", 22));
	assert_non_null(memmem(pdf, len, "/OutputIntents", 14));
	text = text_of(out);
	assert_non_null(strstr(text, "Stafettlogg for Åse Ødegård"));
	assert_non_null(strstr(text, arena_printf("Side %d av %d", pages, pages)));

	/* Not a PDF: Ghostscript fails, nothing is left at out. */
	const char *bad = arena_printf("%s/bad.pdf", dir);
	fd = pdfdoc_tmpfile(dir, "bad.pdf", O_WRONLY);
	assert_int_equal(write(fd, "not a pdf\n", 10), 10);
	close(fd);
	const char *bad_out = arena_printf("%s/bad-a.pdf", dir);
	assert_int_equal(pdfa_convert(dir, bad, bad_out, "x", 20000), 0);
	assert_int_equal(access(bad_out, F_OK), -1);

	pdfdoc_tmpdir_remove(dir);
	assert_int_equal(access(dir, F_OK), -1);
}

static void a_dead_process_folder_is_swept(void **state)
{
	(void)state;
	char mine[PDFDOC_TMP_MAX];
	assert_int_equal(pdfdoc_tmpdir(mine, sizeof mine), 0);
	/* A child makes a folder with a file and dies in the middle. */
	pid_t pid = fork();
	if (pid == 0) {
		char dir[PDFDOC_TMP_MAX];
		if (pdfdoc_tmpdir(dir, sizeof dir) < 0)
			_exit(1);
		int fd = pdfdoc_tmpfile(dir, "doc.pdf", O_WRONLY);
		_exit(fd < 0 ? 1 : 0);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(pdfdoc_tmp_sweep(), 1);
	/* Ours, still alive, stays. */
	assert_int_equal(access(mine, F_OK), 0);
	DIR *dh = opendir(arena_printf("%s/tmp", var));
	int n = 0;
	for (struct dirent *e; (e = readdir(dh));)
		n += e->d_name[0] != '.';
	closedir(dh);
	assert_int_equal(n, 1);
	pdfdoc_tmpdir_remove(mine);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(many_pages_each_numbered_and_every_text_kept),
		cmocka_unit_test(a_dead_process_folder_is_swept),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
