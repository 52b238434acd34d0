/* person.h — people as a municipality knows them: found by national identity
 * number through its keyed HMAC (the number itself is stored only sealed). */
#ifndef STAFETT_PERSON_H
#define STAFETT_PERSON_H

#include <stdbool.h>
#include <stdint.h>

struct person {
	int64_t id;
	char *given_name;
	char *family_name;
	bool logged_in_before;
};

/* 1 found, 0 nobody with that number in the municipality, or a negative db.h code. */
int person_by_nin(int64_t municipality_id, const char *nin, struct person *out);
/* Records the first login (clears "registered, never logged in"). */
int person_mark_login(int64_t person_id);

#endif
