/* test_http.c — the request-input parsers, table-driven. */
#include <string.h>

#include "unit.h"
#include "arena.h"
#include "http.h"

static void urlencoded(void **state)
{
	(void)state;
	struct params p;
	const char *q = "a=1&b=%C3%A6+x&c&&d=&e=%3D%26";
	assert_int_equal(http_parse_urlencoded(q, strlen(q), &p), HTTP_PARSE_OK);
	assert_int_equal(p.n, 5);
	assert_string_equal(params_get(&p, "a"), "1");
	assert_string_equal(params_get(&p, "b"), "æ x");
	assert_string_equal(params_get(&p, "c"), "");
	assert_string_equal(params_get(&p, "d"), "");
	assert_string_equal(params_get(&p, "e"), "=&");
	assert_null(params_get(&p, "zz"));
	/* ';' is not a separator; duplicates are kept in order for the form layer. */
	q = "a=1;b=2&a=3";
	assert_int_equal(http_parse_urlencoded(q, strlen(q), &p), HTTP_PARSE_OK);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.v[0].value, "1;b=2");
	assert_int_equal(params_count(&p, "a"), 2);
	/* Decoded bytes are kept with their length, NUL included. */
	q = "f=a%00b";
	assert_int_equal(http_parse_urlencoded(q, strlen(q), &p), HTTP_PARSE_OK);
	assert_int_equal(p.v[0].value_len, 3);
	assert_memory_equal(p.v[0].value, "a\0b", 3);
	assert_int_equal(http_parse_urlencoded("", 0, &p), HTTP_PARSE_OK);
	assert_int_equal(p.n, 0);
	/* Only len bytes are read. */
	assert_int_equal(http_parse_urlencoded("a=1&b=2", 3, &p), HTTP_PARSE_OK);
	assert_int_equal(p.n, 1);
	arena_reset();
}

static void urlencoded_malformed(void **state)
{
	(void)state;
	static const char *const bad[] = { "a=%", "a=%4",   "a=%zz", "a=%G1", "=x",
					   "%=1", "a=1&=2", "%00=1", NULL };
	struct params p;
	for (int i = 0; bad[i]; i++)
		assert_int_equal(http_parse_urlencoded(bad[i], strlen(bad[i]), &p), HTTP_PARSE_MALFORMED);
	struct buf many = { 0 };
	for (int i = 0; i <= HTTP_MAX_PARAMS; i++)
		buf_addf(&many, "p%d=1&", i);
	assert_int_equal(http_parse_urlencoded(many.data, many.len, &p), HTTP_PARSE_TOO_MANY);
	struct buf amps = { 0 };
	for (int i = 0; i < 100000; i++)
		buf_addc(&amps, '&');
	assert_int_equal(http_parse_urlencoded(amps.data, amps.len, &p), HTTP_PARSE_OK);
	assert_int_equal(p.n, 0);
	arena_reset();
}

static void multipart(void **state)
{
	(void)state;
	static const char body[] =
		"preamble\r\n"
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"kommune\"\r\n\r\n"
		"fjordvik\r\n"
		"--XyZ\r\n"
		"content-disposition: form-data; name=\"scan\"; filename=\"a \\\"b\\\".pdf\"\r\n"
		"Content-Type:  application/pdf \r\n\r\n"
		"%PDF\0\r\n--XyZx not a delimiter\r\n"
		"--XyZ--\r\n";
	struct params p;
	assert_int_equal(http_parse_multipart(body, sizeof body - 1, "multipart/form-data; boundary=XyZ", &p),
			 HTTP_PARSE_OK);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.v[0].name, "kommune");
	assert_string_equal(p.v[0].value, "fjordvik");
	assert_null(p.v[0].filename);
	assert_string_equal(p.v[1].name, "scan");
	assert_string_equal(p.v[1].filename, "a \"b\".pdf");
	assert_string_equal(p.v[1].content_type, "application/pdf");
	assert_int_equal(p.v[1].value_len, 29);
	assert_memory_equal(p.v[1].value, "%PDF\0\r\n--XyZx not a delimiter", 29);
	/* A quoted boundary, and a body that starts with the delimiter. */
	static const char q[] = "--a b\r\nContent-Disposition: form-data; name=x\r\n\r\n1\r\n--a b--";
	assert_int_equal(http_parse_multipart(q, sizeof q - 1, "Multipart/Form-Data; BOUNDARY=\"a b\"", &p),
			 HTTP_PARSE_OK);
	assert_int_equal(p.n, 1);
	assert_string_equal(params_get(&p, "x"), "1");
	arena_reset();
}

static void multipart_malformed(void **state)
{
	(void)state;
	static const struct {
		const char *ctype, *body;
	} bad[] = {
		{ "multipart/form-data", "--b\r\n\r\n--b--" }, /* no boundary */
		{ "multipart/form-data; boundary=", "x" },     /* empty boundary */
		{ "multipart/form-data; boundary=b",
		  "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end" },
		{ "multipart/form-data; boundary=b", "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--" },
		{ "multipart/form-data; boundary=b",
		  "--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--" },
		{ "multipart/form-data; boundary=b",
		  "--b\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--b--" },
		{ "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"a" },
		{ "multipart/form-data; boundary=b", "nothing here" },
		{ "multipart/form-data; boundary=b", "--bX" },
	};
	struct params p;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(http_parse_multipart(bad[i].body, strlen(bad[i].body), bad[i].ctype, &p),
				 HTTP_PARSE_MALFORMED);
	/* Headers over 8 KiB. */
	struct buf b = { 0 };
	buf_adds(&b, "--b\r\nContent-Disposition: form-data; name=a\r\nX-Long: ");
	for (int i = 0; i < 9000; i++)
		buf_addc(&b, 'x');
	buf_adds(&b, "\r\n\r\n1\r\n--b--");
	assert_int_equal(http_parse_multipart(b.data, b.len, "multipart/form-data; boundary=b", &p),
			 HTTP_PARSE_MALFORMED);
	/* A boundary of 71 characters. */
	char ct[128];
	memset(ct, 'z', sizeof ct);
	memcpy(ct, "multipart/form-data; boundary=", 30);
	ct[30 + 71] = '\0';
	assert_int_equal(http_parse_multipart("x", 1, ct, &p), HTTP_PARSE_MALFORMED);
	arena_reset();
}

static void cookies(void **state)
{
	(void)state;
	struct params p;
	assert_int_equal(http_parse_cookies(" lang=nn;kommune=\"fjordvik\" ; lang=en; =x; novalue; ;;", &p),
			 HTTP_PARSE_OK);
	assert_int_equal(p.n, 2);
	assert_string_equal(params_get(&p, "lang"), "nn"); /* the first one wins */
	assert_string_equal(params_get(&p, "kommune"), "fjordvik");
	assert_int_equal(http_parse_cookies("", &p), HTTP_PARSE_OK);
	assert_int_equal(p.n, 0);
	assert_int_equal(http_parse_cookies(NULL, &p), HTTP_PARSE_OK);
	arena_reset();
}

static void accept_language(void **state)
{
	(void)state;
	static const char *const langs[] = { "nb", "nn", "en", NULL };
	static const struct {
		const char *header, *want;
	} rows[] = {
		{ "nn-NO,nn;q=0.9,nb;q=0.8,en;q=0.5", "nn" },
		{ "en-GB,en;q=0.9", "en" },
		{ "no", "nb" },
		{ "nb-NO", "nb" },
		{ "NN", "nn" },
		{ "de-DE,de;q=0.9,en;q=0.3", "en" },
		{ "de, fr", NULL },
		{ "en;q=0.5, nn;q=0.6", "nn" },
		{ "en;q=0, nb;q=0.1", "nb" },
		{ "nn;q=abc, en", "en" },
		{ "*;q=0.1", "nb" },
		{ "", NULL },
		{ "en;q=1.0, nb;q=1", "en" }, /* a tie keeps the header's order */
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const char *got = http_accept_language(rows[i].header, langs);
		if (rows[i].want)
			assert_string_equal(got, rows[i].want);
		else
			assert_null(got);
	}
	assert_null(http_accept_language(NULL, langs));
}

static void media_type_and_paths(void **state)
{
	(void)state;
	assert_string_equal(http_media_type(" Multipart/Form-Data ; boundary=x"), "multipart/form-data");
	assert_string_equal(http_media_type("application/x-www-form-urlencoded"),
			    "application/x-www-form-urlencoded");
	assert_string_equal(http_media_type(NULL), "");
	static const struct {
		const char *in, *out;
	} rows[] = {
		{ "/", "/" },	      { "/tilgjengelighet", "/tilgjengelighet" },
		{ "/%C3%A6", "/æ" },  { "/a+b", "/a+b" },
		{ "/a/b/", "/a/b/" }, { "/..", NULL },
		{ "/a/../b", NULL },  { "/%2e%2e/etc", NULL },
		{ "/a/./b", NULL },   { "/a%2Fb", NULL },
		{ "/a%2fb", NULL },   { "/a%00b", NULL },
		{ "/a%", NULL },      { "relative", NULL },
		{ "/...", "/..." },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char *out = NULL;
		int rc = http_decode_path(rows[i].in, strlen(rows[i].in), &out);
		if (rows[i].out) {
			assert_int_equal(rc, 0);
			assert_string_equal(out, rows[i].out);
		} else {
			assert_int_equal(rc, -1);
		}
	}
	arena_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(urlencoded),
		cmocka_unit_test(urlencoded_malformed),
		cmocka_unit_test(multipart),
		cmocka_unit_test(multipart_malformed),
		cmocka_unit_test(cookies),
		cmocka_unit_test(accept_language),
		cmocka_unit_test(media_type_and_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
