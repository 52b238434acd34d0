/* pdfa.c — Ghostscript as a helper process (pdfa.h): a PostScript prefix
 * of ours (the output intent and the title) written into the private
 * folder, then fork and execve of /usr/bin/gs with a fixed argv and a
 * minimal environment, waited for with a deadline. Touches only the files
 * of the folder it is given. */
#include "pdfa.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "log.h"
#include "pdfdoc.h"

#define GS "/usr/bin/gs"

/* The sRGB profile the output intent carries, or NULL if none is found. */
static const char *icc_profile(void)
{
	static char found[512];
	if (*found)
		return found;
	glob_t g;
	if (glob("/usr/share/ghostscript/*/iccprofiles/srgb.icc", 0, NULL, &g) == 0 && g.gl_pathc > 0)
		snprintf(found, sizeof found, "%s", g.gl_pathv[g.gl_pathc - 1]);
	globfree(&g);
	if (!*found && access("/usr/share/color/icc/ghostscript/srgb.icc", R_OK) == 0)
		snprintf(found, sizeof found, "%s", "/usr/share/color/icc/ghostscript/srgb.icc");
	return *found ? found : NULL;
}

/* A PostScript string literal: ( ) \ escaped, anything not printable ASCII
 * as an octal escape. */
static void ps_string(struct buf *b, const char *s)
{
	buf_addc(b, '(');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '(' || c == ')' || c == '\\')
			buf_addf(b, "\\%c", c);
		else if (c < 0x20 || c > 0x7e)
			buf_addf(b, "\\%03o", c);
		else
			buf_addc(b, (char)c);
	}
	buf_addc(b, ')');
}

/* Ghostscript's PDFA_def.ps, with the profile's path and the title filled
 * in and the number of components stated (sRGB: 3). */
static const char *prefix(const char *icc, const char *title)
{
	struct buf b = { 0 };
	buf_adds(&b, "%!\n[ /Title ");
	ps_string(&b, title);
	buf_adds(&b, " /Creator (Stafett) /DOCINFO pdfmark\n/ICCProfile ");
	ps_string(&b, icc);
	buf_adds(&b,
		 " def\n"
		 "[/_objdef {icc_PDFA} /type /stream /OBJ pdfmark\n"
		 "[{icc_PDFA} << /N 3 >> /PUT pdfmark\n"
		 "[{icc_PDFA} ICCProfile (r) file /PUT pdfmark\n"
		 "[/_objdef {OutputIntent_PDFA} /type /dict /OBJ pdfmark\n"
		 "[{OutputIntent_PDFA} <<\n"
		 "  /Type /OutputIntent\n"
		 "  /S /GTS_PDFA1\n"
		 "  /DestOutputProfile {icc_PDFA}\n"
		 "  /OutputConditionIdentifier (sRGB IEC61966-2.1)\n"
		 "  /Info (sRGB IEC61966-2.1)\n"
		 ">> /PUT pdfmark\n"
		 "[{Catalog} << /OutputIntents [ {OutputIntent_PDFA} ] >> /PUT pdfmark\n");
	return b.data;
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Whether the file looks like a whole PDF: its header, and %%EOF at its end. */
static bool whole_pdf(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	char head[5], tail[64];
	struct stat st;
	bool ok = fstat(fd, &st) == 0 && st.st_size > 64 && pread(fd, head, 5, 0) == 5 &&
		memcmp(head, "%PDF-", 5) == 0 &&
		pread(fd, tail, sizeof tail, st.st_size - (off_t)sizeof tail) == (ssize_t)sizeof tail &&
		memmem(tail, sizeof tail, "%%EOF", 5) != NULL;
	close(fd);
	return ok;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Runs argv with envp, standard input from /dev/null and its output into
 * the new file LOG of dir; its exit status, or -1 if it could not be started
 * or was killed at the deadline. */
static int run(char *const argv[], char *const envp[], const char *dir, const char *log, int timeout_ms)
{
	int out = pdfdoc_tmpfile(dir, log, O_WRONLY);
	if (out < 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		close(out);
		log_error("pdfa: fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		if (in < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0 || chdir(dir) < 0)
			_exit(126);
		close_range(3, ~0U, 0); /* the database's connection, the FastCGI socket */
		signal(SIGPIPE, SIG_DFL);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	close(out);
	long long deadline = now_ms() + timeout_ms;
	int status;
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			log_error("pdfa: waitpid: %s", strerror(errno));
			kill(pid, SIGKILL);
			return -1;
		}
		if (now_ms() > deadline) {
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			log_error("pdfa: Ghostscript did not finish in %d ms; killed", timeout_ms);
			return -1;
		}
		nanosleep(&(struct timespec){ 0, 3 * 1000 * 1000 }, NULL);
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return -1;
}

/* Ghostscript reads a '%' in the output's name as the page number's place. */
static const char *percent_doubled(const char *s)
{
	struct buf b = { 0 };
	for (; *s; s++)
		buf_adds(&b, *s == '%' ? "%%" : (char[]){ *s, 0 });
	return b.data;
}

int pdfa_convert(const char *dir, const char *in, const char *out, const char *title, int timeout_ms)
{
	const char *icc = icc_profile();
	if (access(GS, X_OK) < 0 || !icc) {
		log_error("pdfa: %s",
			  icc ? "Ghostscript (" GS ") is not installed" : "no sRGB profile found");
		return 0;
	}
	/* The prefix and Ghostscript's messages beside OUT, named after it. */
	const char *out_name = strrchr(out, '/') ? strrchr(out, '/') + 1 : out;
	const char *ps_name = arena_printf("%s.ps", out_name), *log_name = arena_printf("%s.log", out_name);
	int fd = pdfdoc_tmpfile(dir, ps_name, O_WRONLY);
	if (fd < 0)
		return -1;
	const char *ps = prefix(icc, title ? title : "");
	int rc = write_all(fd, ps, strlen(ps));
	if (close(fd) < 0 || rc < 0) {
		log_error("pdfa: cannot write the prefix: %s", strerror(errno));
		return -1;
	}
	/* Made by us, O_EXCL 0600; Ghostscript writes into it. */
	if ((fd = pdfdoc_tmpfile(dir, out_name, O_WRONLY)) < 0)
		return -1;
	close(fd);

	char *const argv[] = {
		GS,
		"-q",
		"-dNOPAUSE",
		"-dBATCH",
		"-dSAFER",
		"-dNOINTERPOLATE",
		"-sDEVICE=pdfwrite",
		"-dPDFA=2",
		/* 2: stop with an error rather than write a file that is not
		 * PDF/A (1 would drop the feature and go on). */
		"-dPDFACompatibilityPolicy=2",
		"-sColorConversionStrategy=RGB",
		"-dAutoRotatePages=/None",
		arena_printf("--permit-file-read=%s", icc),
		arena_printf("-sOutputFile=%s", percent_doubled(out)),
		arena_printf("%s/%s", dir, ps_name),
		(char *)in,
		NULL,
	};
	char *const envp[] = {
		"PATH=/usr/bin:/bin",
		"LC_ALL=C",
		arena_printf("TMPDIR=%s", dir), /* Ghostscript's own temporary files */
		NULL,
	};
	int status = run(argv, envp, dir, log_name, timeout_ms);
	if (status != 0 || !whole_pdf(out)) {
		if (status > 0)
			log_error("pdfa: Ghostscript failed (exit %d): no PDF/A", status);
		else if (status == 0)
			log_error("pdfa: Ghostscript wrote no whole PDF: no PDF/A");
		unlink(out);
		return 0;
	}
	return 1;
}
