/* unit.h — what every unit test includes: cmocka and its prerequisites. */
#ifndef STAFETT_UNIT_H
#define STAFETT_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes text to a new temporary file; its path stays valid until the next call. */
static inline const char *unit_tmpfile(const char *text)
{
	static char path[64];
	snprintf(path, sizeof path, "/tmp/stafett-unit-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

#endif
