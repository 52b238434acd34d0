/* mail.h — one e-mail as bytes (RFC 5322 with MIME, RFC 2045-2047): the
 * headers a mail server and a spam filter expect (From, To, Subject, Date,
 * Message-ID, MIME-Version, Auto-Submitted), UTF-8 names and subjects as
 * encoded words, and a multipart/alternative body of text and HTML in
 * quoted-printable, and with it an iCalendar invitation when there is one
 * (RFC 6047). Written here because libcurl sends a message but does
 * not build one, and none of Debian's MIME libraries (GMime, libetpan) is
 * worth a dependency for one fixed shape of mail. Plumbing: knows nothing
 * of who the mail is to or why. */
#ifndef STAFETT_MAIL_H
#define STAFETT_MAIL_H

#include <stddef.h>
#include <time.h>

#include "arena.h"

struct mail_msg {
	const char *from_addr; /* stafett@kommune.no */
	const char *from_name; /* may be NULL or "" */
	const char *to_addr;
	const char *to_name; /* may be NULL or "" */
	const char *subject;
	time_t date;
	const char *message_id;	     /* without <>, e.g. "4f..@kommune.no" */
	const char *text;	     /* UTF-8, lines ending in \n */
	const char *html;	     /* UTF-8; NULL: text only */
	const char *calendar;	     /* an iCalendar object (ical.h) sent beside the text and HTML, or NULL */
	const char *calendar_method; /* its METHOD: REQUEST or CANCEL */
	const char *boundary;	     /* the multipart boundary (from the Message-ID, so the bytes repeat) */
};

/* Appends the whole message, lines ending in CRLF, to out. -1 if a header
 * value holds CR, LF or another control character, an address is not a
 * plain address, or a value is not UTF-8 (nothing is then appended). */
int mail_compose(struct buf *out, const struct mail_msg *m);

/* A header value as RFC 2047 encoded words (=?UTF-8?B?...?=, each at most
 * 75 characters, folded), or as it is when it is printable ASCII. Appends
 * to out; label is how far the header name has already filled the line. */
void mail_encode_header(struct buf *out, const char *value, size_t label);

/* Text as quoted-printable (RFC 2045 6.7), \n read as a line break. */
void mail_qp(struct buf *out, const char *text);

/* "Wed, 02 Dec 2026 13:20:11 +0000" (RFC 5322 3.3, in UTC). */
void mail_date(time_t t, char out[40]);

/* A plain address: local@domain, printable ASCII without spaces, <>, quotes
 * or commas, and one @ with something on each side. */
int mail_address_ok(const char *addr);

#endif
