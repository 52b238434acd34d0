/* unit.h — what every unit test includes: cmocka and its prerequisites, and
 * small helpers for test data. */
#ifndef STAFETT_UNIT_H
#define STAFETT_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nin.h"

static char unit_tmpfile_path[64];

static inline void unit_tmpfile_remove(void)
{
	if (unit_tmpfile_path[0])
		unlink(unit_tmpfile_path);
	unit_tmpfile_path[0] = '\0';
}

/* Writes text to a new temporary file; its path stays valid until the next
 * call, which removes it (the last one goes at exit). */
static inline const char *unit_tmpfile(const char *text)
{
	static bool at_exit;
	if (!at_exit)
		at_exit = atexit(unit_tmpfile_remove) == 0;
	unit_tmpfile_remove();
	char *path = unit_tmpfile_path;
	snprintf(path, sizeof unit_tmpfile_path, "/tmp/stafett-unit-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

/* A synthetic identity number (month + 80) for a birth date, as
 * stafett-admin's demo makes them: the first individual number from seq
 * whose control digits exist, or NULL. Valid until the next call. */
static inline const char *unit_synthetic_nin(int day, int month, int year, int seq)
{
	static char s[40];
	int base = year >= 2000 ? 500 : 0;
	for (int ind = base + seq; ind < base + 500; ind++) {
		for (int k = 0; k < 100; k++) {
			snprintf(s, sizeof s, "%02d%02d%02d%03d%02d", day, month + 80, year % 100, ind, k);
			if (strlen(s) == 11 && nin_check(s) == NIN_SYNTHETIC)
				return s;
		}
	}
	return NULL;
}

#endif
