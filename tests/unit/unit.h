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

/* The temporary files a test made, removed when it exits. */
static char unit_tmpfile_paths[32][64];
static int unit_tmpfile_count;

static inline void unit_tmpfile_remove(void)
{
	for (int i = 0; i < unit_tmpfile_count; i++)
		unlink(unit_tmpfile_paths[i]);
	unit_tmpfile_count = 0;
}

/* Writes text to a new temporary file and returns its path, valid (and the
 * file there) until the test exits. */
static inline const char *unit_tmpfile(const char *text)
{
	if (unit_tmpfile_count == 0)
		atexit(unit_tmpfile_remove);
	assert_true(unit_tmpfile_count < 32);
	char *path = unit_tmpfile_paths[unit_tmpfile_count];
	snprintf(path, sizeof unit_tmpfile_paths[0], "/tmp/stafett-unit-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	unit_tmpfile_count++;
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
