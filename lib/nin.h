/* nin.h — Norwegian national identity numbers (fødselsnummer and relatives).
 * Pure functions, no I/O. Never reads sex from a number (DOMAIN.md §10). */
#ifndef STAFETT_NIN_H
#define STAFETT_NIN_H

#include <stdbool.h>

enum nin_kind {
	NIN_INVALID = 0,
	NIN_FNR,       /* ordinary fødselsnummer */
	NIN_DNUMBER,   /* first digit + 4 */
	NIN_HNUMBER,   /* month + 40 (help number) */
	NIN_SYNTHETIC, /* month + 80: Skatteetaten's synthetic test numbers (also on D-numbers) */
};

/* Exactly 11 ASCII digits, a real calendar date once the offsets are removed
 * and not after today, and both mod-11 control digits right: the weighted
 * sum for the first, that digit included (weights 3 7 6 1 8 9 4 5 2 1),
 * leaves remainder 0, 1, 2 or 3 (numbers issued from 2032; 0 before), the
 * second is computed over the first ten digits as always. */
enum nin_kind nin_check(const char *s);
static inline bool nin_valid(const char *s)
{
	return nin_check(s) != NIN_INVALID;
}
/* Birth date (century from the individual number); 0, or -1 if invalid. */
int nin_birthdate(const char *s, int *year, int *month, int *day);

#endif
