/* test_mail.c — one e-mail as bytes (lib/mail.c): RFC 2047 encoded words
 * for Norwegian names and subjects (at most 75 characters each, cut between
 * UTF-8 characters, decoding to the text given), no header value with a
 * CR, LF or another control character, quoted-printable lines of at most
 * 76 characters against known vectors, the Date format, addresses, and the
 * shape of a whole multipart message. The encoded words and the
 * quoted-printable are decoded here again to check they say what was given. */
#include <time.h>

#include "arena.h"
#include "mail.h"
#include "unit.h"
#include "utf8.h"

static int b64_value(char c)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = strchr(alphabet, c);
	return c && p ? (int)(p - alphabet) : -1;
}

/* Decodes base64 of n characters into out; the length. */
static size_t b64_decode(const char *s, size_t n, char *out)
{
	size_t len = 0;
	unsigned v = 0;
	int bits = 0;
	for (size_t i = 0; i < n && s[i] != '='; i++) {
		int d = b64_value(s[i]);
		assert_true(d >= 0);
		v = (v << 6) | (unsigned)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[len++] = (char)((v >> bits) & 0xff);
		}
	}
	return len;
}

static bool valid_utf8(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t k = utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (k == 0)
			return false;
		i += k;
	}
	return true;
}

/* Checks an encoded header value as a mail reader would read it: lines of
 * at most 76 characters (the first after a label of label characters), each
 * line one encoded word of at most 75, each word's text whole UTF-8 on its
 * own; returns the decoded text (static). */
static const char *decode_words(const char *v, size_t label)
{
	static char text[4096];
	size_t len = 0;
	const char *line = v;
	bool first = true;
	for (;;) {
		const char *end = strstr(line, "\r\n");
		size_t n = end ? (size_t)(end - line) : strlen(line);
		const char *w = line;
		if (!first) {
			assert_true(n > 0 && w[0] == ' '); /* folded: the next line starts with a space */
			w++;
			n--;
		}
		assert_true(n <= 75);
		assert_true((first ? label : 1) + n <= 76);
		assert_true(n > 12 && strncmp(w, "=?UTF-8?B?", 10) == 0 && strncmp(w + n - 2, "?=", 2) == 0);
		char piece[128];
		size_t k = b64_decode(w + 10, n - 12, piece);
		assert_true(valid_utf8(piece, k)); /* never cut inside a character */
		memcpy(text + len, piece, k);
		len += k;
		first = false;
		if (!end)
			break;
		line = end + 2;
	}
	text[len] = '\0';
	return text;
}

static const char *encode(const char *value, size_t label)
{
	struct buf b = { 0 };
	mail_encode_header(&b, value, label);
	return b.data ? b.data : "";
}

static void a_norwegian_name_is_one_encoded_word(void **state)
{
	(void)state;
	assert_string_equal(encode("Kåre Ødegård", 4), "=?UTF-8?B?S8OlcmUgw5hkZWfDpXJk?=");
	assert_string_equal(decode_words(encode("Kåre Ødegård", 4), 4), "Kåre Ødegård");
	arena_reset();
}

static void plain_ascii_stays_as_it_is(void **state)
{
	(void)state;
	assert_string_equal(encode("Something new for you in Stafett", 9),
			    "Something new for you in Stafett");
	/* Text that looks like an encoded word is encoded, so it is not read as one. */
	assert_string_equal(decode_words(encode("=?UTF-8?B?QQ==?=", 9), 9), "=?UTF-8?B?QQ==?=");
	/* ASCII too long for one line is encoded (and so folded). */
	char long_ascii[200];
	memset(long_ascii, 'x', sizeof long_ascii - 1);
	long_ascii[sizeof long_ascii - 1] = '\0';
	assert_string_equal(decode_words(encode(long_ascii, 9), 9), long_ascii);
	arena_reset();
}

static void a_long_subject_is_split_between_characters(void **state)
{
	(void)state;
	static const char *const subjects[] = {
		"Du er invitert til å delta i en stafettlogg for Fjordvik kommune – åpne lenken før fristen "
		"går ut",
		"ææææææææææææææææææææææææææææææææææææææææææææææææææææææææææææææææææææææææææææææææ",
		"a€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€",
		"ab🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂"
		"🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂",
		"Kåre Ødegård",
		"Ø",
	};
	for (size_t i = 0; i < sizeof subjects / sizeof subjects[0]; i++) {
		const char *e = encode(subjects[i], 9);
		assert_string_equal(decode_words(e, 9), subjects[i]);
		if (strlen(subjects[i]) > 45)
			assert_non_null(strstr(e, "\r\n ")); /* more than one word, folded */
	}
	arena_reset();
}

static struct mail_msg sample(void)
{
	return (struct mail_msg){
		.from_addr = "stafett@fjordvik.example",
		.from_name = "Stafett",
		.to_addr = "kare@fjordvik.example",
		.to_name = "Kåre Ødegård",
		.subject = "Noe nytt til deg i Stafett",
		.date = 1796217611,
		.message_id = "0123456789abcdef0123456789abcdef@fjordvik.example",
		.text = "Hei Kåre,\n\nhttp://127.0.0.1:8080/logg/1\n",
		.html = "<p>Hei Kåre,</p>\n",
		.boundary = "=_stafett_0123456789abcdef0123456789abcdef",
	};
}

static void no_header_value_holds_a_line_break_or_control(void **state)
{
	(void)state;
	static const char *const bad[] = { "a\rb",	 "a\nb",	  "a\r\nBcc: x@example.com",
					   "tab\there",	 "nul?\x01",	  "del\x7f",
					   "c1\xc2\x85", "bad utf-8 \xff" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		for (int field = 0; field < 5; field++) {
			struct mail_msg m = sample();
			switch (field) {
			case 0:
				m.from_name = bad[i];
				break;
			case 1:
				m.to_name = bad[i];
				break;
			case 2:
				m.subject = bad[i];
				break;
			case 3:
				m.message_id = bad[i];
				break;
			case 4:
				m.boundary = bad[i];
				break;
			}
			struct buf out = { 0 };
			assert_int_equal(mail_compose(&out, &m), -1);
			assert_int_equal(out.len, 0); /* nothing appended */
		}
	}
	/* Nor an address. */
	struct mail_msg m = sample();
	m.to_addr = "kare@fjordvik.example\r\nBcc: x@example.com";
	struct buf out = { 0 };
	assert_int_equal(mail_compose(&out, &m), -1);
	m = sample();
	m.from_addr = "stafett@fjordvik.example\n";
	assert_int_equal(mail_compose(&out, &m), -1);
	assert_int_equal(out.len, 0);
	arena_reset();
}

static void addresses(void **state)
{
	(void)state;
	assert_true(mail_address_ok("kare.odegard@fjordvik.example"));
	assert_true(mail_address_ok("a+b@c"));
	static const char *const bad[] = {
		"",	 "kare",    "@fjordvik.example",    "kare@", "a@b@c", "a b@c", "<a@c>", "\"a\"@c",
		"a,b@c", "a@c\r\n", "kåre@fjordvik.example"
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(mail_address_ok(bad[i]));
	char long_addr[300];
	memset(long_addr, 'a', sizeof long_addr - 1);
	long_addr[sizeof long_addr - 1] = '\0';
	long_addr[100] = '@';
	assert_false(mail_address_ok(long_addr)); /* over 254 */
}

static const char *qp(const char *text)
{
	struct buf b = { 0 };
	mail_qp(&b, text);
	return b.data ? b.data : "";
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decodes quoted-printable (CRLF line ends read as \n), checking that
 * every line is at most 76 characters and every = starts a soft break or
 * two upper-case hex digits. */
static const char *qp_decode(const char *s)
{
	static char out[8192];
	size_t len = 0;
	while (*s) {
		const char *end = strstr(s, "\r\n");
		assert_non_null(end); /* every line ends in CRLF */
		assert_true(end - s <= 76);
		assert_null(memchr(s, '\n', (size_t)(end - s))); /* no bare LF */
		for (const char *p = s; p < end; p++) {
			if (*p != '=') {
				assert_true(*p >= 32 && *p <= 126 && *p != '=');
				out[len++] = *p;
			} else if (p + 1 == end) {
				break; /* a soft line break */
			} else {
				assert_true(hexval(p[1]) >= 0 && hexval(p[2]) >= 0);
				out[len++] = (char)(hexval(p[1]) * 16 + hexval(p[2]));
				p += 2;
			}
		}
		if (end[-1] != '=' || end == s)
			out[len++] = '\n';
		s = end + 2;
	}
	out[len] = '\0';
	return out;
}

static void quoted_printable_known_vectors(void **state)
{
	(void)state;
	assert_string_equal(qp("Hei\n"), "Hei\r\n");
	assert_string_equal(qp("a=b\n"), "a=3Db\r\n");
	assert_string_equal(qp("blåbær\n"), "bl=C3=A5b=C3=A6r\r\n");
	assert_string_equal(qp("Kåre Ødegård"), "K=C3=A5re =C3=98deg=C3=A5rd\r\n");
	/* A space or tab at a line's end is encoded, so no server strips it. */
	assert_string_equal(qp("end \nx\t\n"), "end=20\r\nx=09\r\n");
	assert_string_equal(qp("in the middle\n"), "in the middle\r\n");
	/* A line starting with a dot is encoded (relays that undo dot-stuffing). */
	assert_string_equal(qp(".\n..x\n"), "=2E\r\n=2E.x\r\n");
	/* CR LF and LF both end a line once. */
	assert_string_equal(qp("a\r\nb\n\nc"), "a\r\nb\r\n\r\nc\r\n");
	/* 100 letters: 75, a soft break, 25. */
	char line[101];
	memset(line, 'a', 100);
	line[100] = '\0';
	char want[200];
	snprintf(want, sizeof want, "%.75s=\r\n%.25s\r\n", line, line);
	assert_string_equal(qp(line), want);
	arena_reset();
}

static void quoted_printable_lines_are_short_and_decode(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"ææææææææææææææææææææææææææææææææææææææææææææææææææææææææææææææææææææææææ\n",
		"Hei Kåre Ødegård,\n\nDet er noe nytt til deg i Stafett. Logg inn for å lese det: "
		"http://127.0.0.1:8080/logg/12345/meldinger?fra=e-post&x=========================\n",
		"a===================================================================================b",
		"trailing spaces at a soft break                                                           "
		"                          x\n",
		"🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂"
		"🙂🙂🙂🙂🙂🙂🙂🙂🙂\n.\n",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		const char *e = qp(texts[i]);
		const char *d = qp_decode(e);
		size_t n = strlen(texts[i]);
		/* What was given, with a line break at the end if it had none. */
		assert_true(strncmp(d, texts[i], n) == 0);
		assert_true(strlen(d) == n || (strlen(d) == n + 1 && d[n] == '\n'));
	}
	arena_reset();
}

static void dates_in_rfc_5322_form(void **state)
{
	(void)state;
	char d[40];
	mail_date(0, d);
	assert_string_equal(d, "Thu, 01 Jan 1970 00:00:00 +0000");
	mail_date(1796217611, d);
	assert_string_equal(d, "Wed, 02 Dec 2026 13:20:11 +0000");
	mail_date(1709251199, d); /* a leap day, one second before March */
	assert_string_equal(d, "Thu, 29 Feb 2024 23:59:59 +0000");
	/* The time zone of the process does not move it. */
	setenv("TZ", "Europe/Oslo", 1);
	tzset();
	mail_date(1796217611, d);
	assert_string_equal(d, "Wed, 02 Dec 2026 13:20:11 +0000");
}

/* The value of header NAME in a composed message (up to its line's end). */
static const char *header(const char *msg, const char *name)
{
	static char v[512];
	const char *end_of_headers = strstr(msg, "\r\n\r\n");
	size_t n = strlen(name);
	for (const char *p = msg; p && p < end_of_headers;
	     p = strstr(p, "\r\n") ? strstr(p, "\r\n") + 2 : NULL) {
		if (strncmp(p, name, n) == 0 && p[n] == ':') {
			const char *e = strstr(p, "\r\n");
			snprintf(v, sizeof v, "%.*s", (int)(e - p - n - 2), p + n + 2);
			return v;
		}
	}
	return NULL;
}

static void a_whole_message(void **state)
{
	(void)state;
	struct mail_msg m = sample();
	struct buf out = { 0 };
	assert_int_equal(mail_compose(&out, &m), 0);
	const char *s = out.data;
	/* Every line ends in CRLF. */
	for (size_t i = 0; i < out.len; i++)
		if (s[i] == '\n')
			assert_true(i > 0 && s[i - 1] == '\r');
	assert_true(strncmp(s, "From: \"Stafett\" <stafett@fjordvik.example>\r\n", 44) == 0);
	assert_string_equal(header(s, "To"), "=?UTF-8?B?S8OlcmUgw5hkZWfDpXJk?= <kare@fjordvik.example>");
	assert_string_equal(header(s, "Subject"), "Noe nytt til deg i Stafett");
	assert_string_equal(header(s, "Date"), "Wed, 02 Dec 2026 13:20:11 +0000");
	assert_string_equal(header(s, "Message-ID"), "<0123456789abcdef0123456789abcdef@fjordvik.example>");
	assert_string_equal(header(s, "Auto-Submitted"), "auto-generated");
	assert_string_equal(header(s, "MIME-Version"), "1.0");
	assert_non_null(strstr(s,
			       "\r\nContent-Type: multipart/alternative;\r\n"
			       " boundary=\"=_stafett_0123456789abcdef0123456789abcdef\"\r\n"));
	/* The text part, then the HTML part, then the closing boundary. */
	const char *text = strstr(s,
				  "--=_stafett_0123456789abcdef0123456789abcdef\r\nContent-Type: text/plain; "
				  "charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
				  "Hei K=C3=A5re,\r\n");
	const char *html = strstr(s,
				  "--=_stafett_0123456789abcdef0123456789abcdef\r\nContent-Type: text/html; "
				  "charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
				  "<p>Hei K=C3=A5re,</p>\r\n");
	assert_non_null(text);
	assert_non_null(html);
	assert_true(text < html);
	const char *close = "--=_stafett_0123456789abcdef0123456789abcdef--\r\n";
	assert_string_equal(s + out.len - strlen(close), close);
	/* The same mail composed again is the same bytes (a resend is recognisable). */
	struct buf again = { 0 };
	assert_int_equal(mail_compose(&again, &m), 0);
	assert_int_equal(again.len, out.len);
	assert_memory_equal(again.data, out.data, out.len);
	arena_reset();
}

static void names_keep_their_commas_and_quotes(void **state)
{
	(void)state;
	struct mail_msg m = sample();
	m.to_name = "O'Hara, Bob \"Bobby\" \\ x@example.com";
	m.from_name = NULL;
	m.html = NULL;
	struct buf out = { 0 };
	assert_int_equal(mail_compose(&out, &m), 0);
	assert_string_equal(header(out.data, "From"), "<stafett@fjordvik.example>");
	/* A quoted string: the comma and the @ do not make a second address. */
	assert_string_equal(header(out.data, "To"),
			    "\"O'Hara, Bob \\\"Bobby\\\" \\\\ x@example.com\" <kare@fjordvik.example>");
	/* Text alone: one part, no boundary. */
	assert_string_equal(header(out.data, "Content-Type"), "text/plain; charset=UTF-8");
	assert_null(strstr(out.data, "--=_stafett"));
	arena_reset();
}

/* RFC 2047 2: a line with an encoded word is at most 76 characters; RFC
 * 5322 2.1.1: any line should be at most 78. */
static void no_header_line_is_too_long(void **state)
{
	(void)state;
	struct mail_msg m = sample();
	m.to_name = "Kari-Marie Ødegård Åsheim-Bjørnstad Fjelltun Lundegård Rønning Kvamme";
	m.to_addr = "kari-marie.odegard.asheim-bjornstad@barnehage.fjordvik.example";
	m.subject = "Du er invitert til å delta i en stafettlogg i Fjordvik kommune (åpne lenken)";
	m.from_name = "Stafett – Fjordvik kommune, oppvekst og helse";
	struct buf out = { 0 };
	assert_int_equal(mail_compose(&out, &m), 0);
	const char *end = strstr(out.data, "\r\n\r\n");
	for (const char *line = out.data; line < end;) {
		const char *e = strstr(line, "\r\n");
		assert_true(e - line <= 78);
		if (memmem(line, (size_t)(e - line), "=?", 2))
			assert_true(e - line <= 76);
		line = e + 2;
	}
	/* The folded To still says the name and the address. */
	const char *to = strstr(out.data, "\r\nTo: ") + 6;
	assert_non_null(strstr(to, " <kari-marie.odegard.asheim-bjornstad@barnehage.fjordvik.example>\r\n"));
	arena_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_norwegian_name_is_one_encoded_word),
		cmocka_unit_test(plain_ascii_stays_as_it_is),
		cmocka_unit_test(a_long_subject_is_split_between_characters),
		cmocka_unit_test(no_header_value_holds_a_line_break_or_control),
		cmocka_unit_test(addresses),
		cmocka_unit_test(quoted_printable_known_vectors),
		cmocka_unit_test(quoted_printable_lines_are_short_and_decode),
		cmocka_unit_test(dates_in_rfc_5322_form),
		cmocka_unit_test(a_whole_message),
		cmocka_unit_test(names_keep_their_commas_and_quotes),
		cmocka_unit_test(no_header_line_is_too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
