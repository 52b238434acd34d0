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
/* A person as someone types them in (a staff member, a child, a guardian). */
struct person_new {
	const char *given_name;
	const char *family_name;
	const char *nin; /* 11 digits, valid (form.h FORM_NIN) */
	const char *title;
	const char *email;
	const char *phone; /* "" or NULL: none, like title and e-mail */
};

/* The one place a person is created: the number sealed (crypto.h), its
 * keyed hash for lookups, the birth date from it. 0 with *id, or a negative
 * db.h code (DB_DUPLICATE if the number is registered already). */
int person_create(int64_t municipality_id, const struct person_new *p, int64_t *id);
enum person_outcome {
	PERSON_CREATED,
	PERSON_FOUND, /* registered already: their record is left as it is */
};
/* Finds the person with p->nin in the session's municipality (the row
 * locked until the transaction ends, so two requests cannot both create one
 * number) or creates them. A number is the person, whatever name is typed
 * with it: the answer is the same for a registered number as for a new one,
 * so a form never tells whether a number is registered, and a found
 * person's own record is never rewritten by someone else's form (the names
 * and contact details as typed belong on the relation the caller makes).
 * Every look-up is audited as person.lookup by the session's person (the
 * person by internal id, or "new"), and the row stays even if the
 * transaction is rolled back. 0 with *id and *outcome, or < 0. */
struct session;
int person_find_or_create(const struct session *s, const struct person_new *p, int64_t *id,
			  enum person_outcome *outcome);

/* Records the first login (clears "registered, never logged in"). */
int person_mark_login(int64_t person_id);

#endif
