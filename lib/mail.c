/* mail.c — an e-mail as bytes (mail.h). */
#include "mail.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void base64(struct buf *out, const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		buf_addc(out, b64[(v >> 18) & 63]);
		buf_addc(out, b64[(v >> 12) & 63]);
		buf_addc(out, i + 1 < n ? b64[(v >> 6) & 63] : '=');
		buf_addc(out, i + 2 < n ? b64[v & 63] : '=');
	}
}

/* Valid UTF-8 without control characters (CR and LF above all). */
static bool header_ok(const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t k = utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (k == 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			return false;
		i += k;
	}
	return true;
}

static bool printable_ascii(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			return false;
	return true;
}

int mail_address_ok(const char *a)
{
	const char *at = strchr(a, '@');
	if (!at || at == a || !at[1] || strchr(at + 1, '@') || strlen(a) > 254)
		return 0;
	for (const char *p = a; *p; p++)
		if (*p <= 0x20 || *p > 0x7e || strchr("<>\"(),;:\\[]", *p))
			return 0;
	return 1;
}

void mail_encode_header(struct buf *out, const char *v, size_t label)
{
	if (printable_ascii(v) && label + strlen(v) <= 76 && !strstr(v, "=?")) {
		buf_adds(out, v);
		return;
	}
	/* Encoded words of at most 45 bytes of text (60 in base64, 72 with
	 * "=?UTF-8?B?" and "?="), cut between characters, one per line; the
	 * first shorter by the label, so no line is over 76 (RFC 2047 2). */
	size_t n = strlen(v);
	bool first = true;
	for (size_t i = 0; i < n;) {
		size_t room = first && label < 60 ? (76 - label - 12) / 4 * 3 : 45, take = 0;
		if (room > 45)
			room = 45;
		while (i + take < n) {
			unsigned cp;
			size_t k = utf8_decode((const unsigned char *)v + i + take, n - i - take, &cp);
			if (k == 0)
				k = 1;
			if (take + k > room && take > 0)
				break;
			take += k;
		}
		if (!first)
			buf_adds(out, "\r\n ");
		buf_adds(out, "=?UTF-8?B?");
		base64(out, (const unsigned char *)v + i, take);
		buf_adds(out, "?=");
		first = false;
		i += take;
	}
}

void mail_qp(struct buf *out, const char *text)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t col = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p == '\r')
			continue;
		if (*p == '\n') {
			buf_adds(out, "\r\n");
			col = 0;
			continue;
		}
		/* Space or tab at a line's end is encoded, so no server strips it. */
		bool at_end = p[1] == '\n' || p[1] == '\0' || (p[1] == '\r' && p[2] == '\n');
		bool literal = (*p >= 33 && *p <= 126 && *p != '=') || ((*p == ' ' || *p == '\t') && !at_end);
		/* A line may not start with a dot alone in some relays: encode it. */
		if (*p == '.' && col == 0)
			literal = false;
		size_t w = literal ? 1 : 3;
		if (col + w > 75) {
			buf_adds(out, "=\r\n");
			col = 0;
		}
		if (literal) {
			buf_addc(out, (char)*p);
		} else {
			buf_addc(out, '=');
			buf_addc(out, hex[*p >> 4]);
			buf_addc(out, hex[*p & 15]);
		}
		col += w;
	}
	if (col)
		buf_adds(out, "\r\n");
}

void mail_date(time_t t, char out[40])
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
		 months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* "Name" <addr>: a name of printable ASCII as a quoted string (a comma or
 * an @ in it stays part of the name), any other as encoded words; the
 * address on a line of its own when it would make the line over 76. */
static void mailbox(struct buf *out, const char *name, const char *addr, size_t label)
{
	if (name && *name) {
		size_t start = out->len;
		if (printable_ascii(name) && label + strlen(name) + 2 <= 76) {
			buf_addc(out, '"');
			for (const char *p = name; *p; p++) {
				if (*p == '"' || *p == '\\')
					buf_addc(out, '\\');
				buf_addc(out, *p);
			}
			buf_addc(out, '"');
		} else {
			mail_encode_header(out, name, label);
		}
		const char *nl = NULL;
		for (size_t i = start; i + 1 < out->len; i++)
			if (out->data[i] == '\r' && out->data[i + 1] == '\n')
				nl = out->data + i + 2;
		size_t line = nl ? (size_t)(out->data + out->len - nl) : label + out->len - start;
		buf_adds(out, line + 1 + strlen(addr) + 2 > 76 ? "\r\n " : " ");
	}
	buf_addf(out, "<%s>", addr);
}

static void part(struct buf *out, const char *boundary, const char *type, const char *body)
{
	buf_addf(out, "--%s\r\n", boundary);
	buf_addf(out, "Content-Type: %s; charset=UTF-8\r\n", type);
	buf_adds(out, "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
	mail_qp(out, body);
}

/* An iCalendar invitation as the third alternative (RFC 6047: text/calendar
 * with its method), in base64 lines of 76, so no relay touches its lines. */
static void calendar_part(struct buf *out, const char *boundary, const char *method, const char *ics)
{
	buf_addf(out, "--%s\r\n", boundary);
	buf_addf(out, "Content-Type: text/calendar; charset=UTF-8; method=%s\r\n", method);
	buf_adds(out, "Content-Transfer-Encoding: base64\r\n\r\n");
	size_t n = strlen(ics);
	for (size_t i = 0; i < n; i += 57) {
		base64(out, (const unsigned char *)ics + i, n - i < 57 ? n - i : 57);
		buf_adds(out, "\r\n");
	}
}

int mail_compose(struct buf *out, const struct mail_msg *m)
{
	const char *values[] = { m->from_name ? m->from_name : "", m->to_name ? m->to_name : "", m->subject,
				 m->message_id, m->boundary ? m->boundary : "" };
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
		if (!header_ok(values[i]))
			return -1;
	if (!mail_address_ok(m->from_addr) || !mail_address_ok(m->to_addr) ||
	    !mail_address_ok(m->message_id) || !m->text ||
	    (m->html && !(m->boundary && *m->boundary && printable_ascii(m->boundary))) ||
	    (m->calendar &&
	     (!m->html || !m->calendar_method ||
	      (strcmp(m->calendar_method, "REQUEST") != 0 && strcmp(m->calendar_method, "CANCEL") != 0))))
		return -1;
	char date[40];
	mail_date(m->date, date);
	buf_adds(out, "From: ");
	mailbox(out, m->from_name, m->from_addr, 6);
	buf_adds(out, "\r\nTo: ");
	mailbox(out, m->to_name, m->to_addr, 4);
	buf_adds(out, "\r\nSubject: ");
	mail_encode_header(out, m->subject, 9);
	buf_addf(out, "\r\nDate: %s\r\n", date);
	buf_addf(out, "Message-ID: <%s>\r\n", m->message_id);
	/* RFC 3834: sent by a program, so no vacation reply comes back. */
	buf_adds(out, "Auto-Submitted: auto-generated\r\n");
	buf_adds(out, "MIME-Version: 1.0\r\n");
	if (!m->html) {
		buf_adds(out, "Content-Type: text/plain; charset=UTF-8\r\n");
		buf_adds(out, "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
		mail_qp(out, m->text);
		return 0;
	}
	/* Folded, so the line stays under 78 (RFC 5322 2.1.1). */
	buf_addf(out, "Content-Type: multipart/alternative;\r\n boundary=\"%s\"\r\n\r\n", m->boundary);
	part(out, m->boundary, "text/plain", m->text);
	part(out, m->boundary, "text/html", m->html);
	if (m->calendar)
		calendar_part(out, m->boundary, m->calendar_method, m->calendar);
	buf_addf(out, "--%s--\r\n", m->boundary);
	return 0;
}
