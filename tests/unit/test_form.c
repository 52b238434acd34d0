/* test_form.c — validation from field tables: every type, its boundaries,
 * hostile text kept verbatim, sets of ids and file parts, the requests that
 * are refused outright, messages a page adds, settings read into limits, and
 * a name the table lacks. */
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "unit.h"
#include "arena.h"
#include "config.h"
#include "form.h"

static struct params mk(const char *const *kv)
{
	struct params p = { 0 };
	size_t n = 0;
	while (kv[2 * n])
		n++;
	p.v = arena_alloc((n ? n : 1) * sizeof *p.v);
	for (size_t i = 0; i < n; i++) {
		p.v[i].name = kv[2 * i];
		p.v[i].value = kv[2 * i + 1];
		p.v[i].value_len = strlen(kv[2 * i + 1]);
	}
	p.n = n;
	return p;
}

/* Validates one value against one field; the error (or NULL) and the value. */
static const char *one(struct form_field fd, const char *value, const struct form_value **out)
{
	static struct form f;
	struct form_field fields[2] = { fd, { NULL } };
	fields[0].name = "x";
	const char *kv[] = { "x", value, NULL };
	struct params p = mk(kv);
	assert_int_not_equal(form_validate(&f, fields, &p), FORM_BAD_REQUEST);
	*out = form_get(&f, "x");
	return (*out)->error;
}

static void text_kept_verbatim_and_bounded(void **state)
{
	(void)state;
	const struct form_value *v;
	const char *hostile = "O'Hara \"<script>alert(1)</script>\" 🙂 æøå\tand a\nnewline";
	assert_null(one((struct form_field){ .type = FORM_TEXT }, hostile, &v));
	assert_string_equal(v->value, hostile);
	assert_null(one((struct form_field){ .type = FORM_TEXT }, "a\r\nb\rc", &v));
	assert_string_equal(v->value, "a\nb\nc");
	assert_null(one((struct form_field){ .type = FORM_TEXT }, "  inner  ", &v));
	assert_string_equal(v->value, "  inner  "); /* text is not trimmed */
	/* Limits count characters, not bytes. */
	assert_null(one((struct form_field){ .type = FORM_TEXT, .max_len = 3 }, "æøå", &v));
	assert_non_null(one((struct form_field){ .type = FORM_TEXT, .max_len = 3 }, "æøåx", &v));
	assert_string_equal(v->error, "Use at most 3 characters.");
	assert_string_equal(v->value, "æøåx"); /* what was typed comes back */
	assert_null(one((struct form_field){ .type = FORM_TEXT, .max_len = 1 }, "🙂", &v));
	assert_non_null(one((struct form_field){ .type = FORM_LINE }, "two\nlines", &v));
	assert_non_null(one((struct form_field){ .type = FORM_LINE }, "tab\there", &v));
	assert_null(one((struct form_field){ .type = FORM_LINE }, "  trimmed ", &v));
	assert_string_equal(v->value, "trimmed");
	/* The default limit of a text field is 2000 characters. */
	struct buf b = { 0 };
	for (int i = 0; i < 2001; i++)
		buf_addc(&b, 'a');
	assert_non_null(one((struct form_field){ .type = FORM_TEXT }, b.data, &v));
	b.data[2000] = '\0';
	assert_null(one((struct form_field){ .type = FORM_TEXT }, b.data, &v));
	arena_reset();
}

static void bad_characters(void **state)
{
	(void)state;
	static const char *const bad[] = { "\xc0\x80",	  "\xed\xa0\x80", "\xf5\x80\x80\x80",
					   "\xff",	  "abc\xe2\x82",  "bell\x07",
					   "esc\x1b[31m", "del\x7f",	  NULL };
	const struct form_value *v;
	for (int i = 0; bad[i]; i++) {
		assert_non_null(one((struct form_field){ .type = FORM_TEXT }, bad[i], &v));
		assert_string_equal(v->error, "The text contains characters that are not allowed.");
	}
	/* A NUL inside the value is a message, not a bad request. */
	struct form f;
	static const struct form_field fields[] = { { .name = "t", .type = FORM_TEXT }, { NULL } };
	struct param prm = { .name = "t", .value = "a\0b", .value_len = 3 };
	struct params p = { &prm, 1 };
	assert_int_equal(form_validate(&f, fields, &p), FORM_INVALID);
	assert_non_null(form_get(&f, "t")->error);
	assert_null(form_check_utf8_text("ok æ 🙂", strlen("ok æ 🙂"), false));
	/* Invisible and direction characters: none in a line; in free text
	 * the zero-width joiner of an emoji stays, overrides never. */
	static const char *const line_only[] = { "\u200B", "\u200C", "\u200D", "\u200E", "\u200F" };
	static const char *const never[] = { "\u202A", "\u202B", "\u202C", "\u202D", "\u202E",
					     "\u2066", "\u2067", "\u2068", "\u2069" };
	for (size_t i = 0; i < sizeof line_only / sizeof line_only[0]; i++) {
		const char *t = arena_printf("Ola%sNordmann", line_only[i]);
		assert_non_null(form_check_utf8_text(t, strlen(t), false));
		assert_null(form_check_utf8_text(t, strlen(t), true));
	}
	for (size_t i = 0; i < sizeof never / sizeof never[0]; i++) {
		const char *t = arena_printf("Ola%sNordmann", never[i]);
		assert_non_null(form_check_utf8_text(t, strlen(t), false));
		assert_non_null(form_check_utf8_text(t, strlen(t), true));
	}
	assert_null(
		form_check_utf8_text("\u200A\u2010\u2065\u206A", strlen("\u200A\u2010\u2065\u206A"), false));
	arena_reset();
}

static const char *const nb_nn[] = { "nb", "nn", NULL };

static void typed_fields(void **state)
{
	(void)state;
	const struct {
		struct form_field f;
		const char *in;
		bool ok;
		long long num;
	} rows[] = {
		{ { .type = FORM_INT, .min = 0, .max = 3 }, "2", true, 2 },
		{ { .type = FORM_INT, .min = 0, .max = 3 }, "4", false, 0 },
		{ { .type = FORM_INT, .min = -5, .max = 3 }, "-5", true, -5 },
		{ { .type = FORM_INT, .min = 0, .max = 3 }, "1.5", false, 0 },
		{ { .type = FORM_INT, .min = 0, .max = 3 }, "99999999999999999999", false, 0 },
		{ { .type = FORM_INT, .min = 0, .max = 3 }, "0x1", false, 0 },
		{ { .type = FORM_DATE }, "2024-02-29", true, 19782 },
		{ { .type = FORM_DATE }, "1970-01-01", true, 0 },
		{ { .type = FORM_DATE }, "2023-02-29", false, 0 },
		{ { .type = FORM_DATE }, "2024-13-01", false, 0 },
		{ { .type = FORM_DATE }, "24-01-01", false, 0 },
		{ { .type = FORM_DATE }, "2024-1-1", false, 0 },
		{ { .type = FORM_TIME }, "00:00", true, 0 },
		{ { .type = FORM_TIME }, "23:59", true, 1439 },
		{ { .type = FORM_TIME }, "24:00", false, 0 },
		{ { .type = FORM_TIME }, "9:30", false, 0 },
		{ { .type = FORM_EMAIL }, "kari.nordmann@fjordvik.kommune.no", true, 0 },
		{ { .type = FORM_EMAIL }, "a+b@x.no", true, 0 },
		{ { .type = FORM_EMAIL }, "no-at-sign.no", false, 0 },
		{ { .type = FORM_EMAIL }, "a@b", false, 0 },
		{ { .type = FORM_EMAIL }, "a..b@x.no", false, 0 },
		{ { .type = FORM_EMAIL }, "a@-x.no", false, 0 },
		{ { .type = FORM_EMAIL }, "a@x.no\r\nBcc: e@vil.no", false, 0 },
		{ { .type = FORM_EMAIL }, "a@b@x.no", false, 0 },
		{ { .type = FORM_PHONE }, "+47 912 34 567", true, 0 },
		{ { .type = FORM_PHONE }, "91234567", true, 0 },
		{ { .type = FORM_PHONE }, "1234567", false, 0 },
		{ { .type = FORM_PHONE }, "9123-4567", false, 0 },
		{ { .type = FORM_NIN }, "0101801234", false, 0 },
		{ { .type = FORM_NIN }, "01018012345", false, 0 },
		{ { .type = FORM_NIN }, "0101801234x", false, 0 },
		{ { .type = FORM_CHOICE, .choices = nb_nn }, "nn", true, 0 },
		{ { .type = FORM_CHOICE, .choices = nb_nn }, "se", false, 0 },
		{ { .type = FORM_BOOL }, "on", true, 1 },
		{ { .type = FORM_BOOL }, "1", true, 1 },
		{ { .type = FORM_BOOL }, "yes please", false, 0 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct form_value *v;
		const char *err = one(rows[i].f, rows[i].in, &v);
		if (rows[i].ok) {
			assert_null(err);
			if (rows[i].f.type != FORM_EMAIL && rows[i].f.type != FORM_PHONE &&
			    rows[i].f.type != FORM_CHOICE)
				assert_int_equal(v->num, rows[i].num);
		} else {
			assert_non_null(err);
		}
	}
	const struct form_value *v;
	assert_string_equal(one((struct form_field){ .type = FORM_INT, .min = 0, .max = 3 }, "9", &v),
			    "Enter a whole number between 0 and 3.");
	arena_reset();
}

static void identity_numbers_with_spaces(void **state)
{
	(void)state;
	const struct form_value *v;
	/* A synthetic number (month + 80) typed with spaces. */
	assert_null(one((struct form_field){ .type = FORM_NIN }, "038275 00045", &v));
	assert_string_equal(v->value, "03827500045");
	assert_string_equal(one((struct form_field){ .type = FORM_NIN }, "03827500046", &v),
			    "The national identity number is not valid. Check the digits.");
	assert_string_equal(one((struct form_field){ .type = FORM_NIN }, "0382750004", &v),
			    "The national identity number must be 11 digits.");
	arena_reset();
}

static void required_unknown_and_repeated(void **state)
{
	(void)state;
	static const struct form_field fields[] = {
		{ .name = "name", .type = FORM_LINE, .required = true },
		{ .name = "note", .type = FORM_TEXT },
		{ .name = "ok", .type = FORM_BOOL, .required = true },
		{ NULL },
	};
	struct form f;
	const char *empty[] = { "name", "  ", NULL };
	struct params p = mk(empty);
	assert_int_equal(form_validate(&f, fields, &p), FORM_INVALID);
	assert_string_equal(form_get(&f, "name")->error, "This field is required.");
	assert_null(form_get(&f, "note")->error);
	assert_false(form_get(&f, "note")->present);
	assert_null(form_get(&f, "ok")->error); /* an unticked box is simply false */
	assert_int_equal(form_get(&f, "ok")->num, 0);
	const char *good[] = { "name", "Kari", "_csrf", "ignored here", NULL };
	p = mk(good);
	assert_int_equal(form_validate(&f, fields, &p), FORM_OK);
	const char *unknown[] = { "name", "Kari", "role", "admin", NULL };
	p = mk(unknown);
	assert_int_equal(form_validate(&f, fields, &p), FORM_BAD_REQUEST);
	const char *twice[] = { "name", "Kari", "name", "Per", NULL };
	p = mk(twice);
	assert_int_equal(form_validate(&f, fields, &p), FORM_BAD_REQUEST);
	/* A file where text belongs. */
	struct param file = { .name = "note", .value = "x", .value_len = 1, .filename = "x.pdf" };
	p = (struct params){ &file, 1 };
	assert_int_equal(form_validate(&f, fields, &p), FORM_BAD_REQUEST);
	arena_reset();
}

static void back_into_the_template(void **state)
{
	(void)state;
	static const char *const langs[] = { "nb", "nn", NULL };
	static const struct form_field fields[] = {
		{ .name = "name", .type = FORM_LINE, .required = true },
		{ .name = "lang", .type = FORM_CHOICE, .choices = langs },
		{ .name = "ok", .type = FORM_BOOL },
		{ NULL },
	};
	struct form f;
	const char *kv[] = { "name", "", "lang", "nn", "ok", "on", NULL };
	struct params p = mk(kv);
	assert_int_equal(form_validate(&f, fields, &p), FORM_INVALID);
	struct tv *o = tv_obj();
	form_to_tv(&f, o);
	assert_true(tv_truthy(tv_get(o, "name.invalid")));
	assert_string_equal(tv_get_str(o, "name.error"), "This field is required.");
	assert_string_equal(tv_get_str(o, "lang.value"), "nn");
	assert_true(tv_truthy(tv_get(o, "lang.is_nn")));
	assert_false(tv_truthy(tv_get(o, "lang.is_nb")));
	assert_true(tv_truthy(tv_get(o, "ok.checked")));
	arena_reset();
}

static const struct form_field area_fields[] = {
	{ .name = "area", .type = FORM_IDS, .min = 1, .max = 100 },
	{ .name = "title", .type = FORM_LINE },
	{ NULL },
};

static void a_set_of_ids(void **state)
{
	(void)state;
	struct form f;
	const char *kv[] = { "area", "3", "area", "7", "title", "x", "area", "3", NULL };
	struct params p = mk(kv);
	assert_int_equal(form_validate(&f, area_fields, &p), FORM_OK);
	const struct form_value *v = form_get(&f, "area");
	assert_true(v->present);
	assert_null(v->error);
	assert_int_equal(v->nids, 2); /* a repeat is kept once */
	assert_int_equal(v->ids[0], 3);
	assert_int_equal(v->ids[1], 7);
	assert_true(form_has_id(&f, "area", 3));
	assert_true(form_has_id(&f, "area", 7));
	assert_false(form_has_id(&f, "area", 5));
	assert_false(form_has_id(&f, "title", 3)); /* a field that is no set has no ids */
	/* In the order given, the bounds themselves included. */
	const char *order[] = { "area", "100", "area", "1", NULL };
	p = mk(order);
	assert_int_equal(form_validate(&f, area_fields, &p), FORM_OK);
	v = form_get(&f, "area");
	assert_int_equal(v->nids, 2);
	assert_int_equal(v->ids[0], 100);
	assert_int_equal(v->ids[1], 1);
	/* None ticked: an empty set and no message. */
	const char *none[] = { "title", "x", NULL };
	p = mk(none);
	assert_int_equal(form_validate(&f, area_fields, &p), FORM_OK);
	v = form_get(&f, "area");
	assert_false(v->present);
	assert_int_equal(v->nids, 0);
	assert_false(form_has_id(&f, "area", 3));
	arena_reset();
}

static void ids_out_of_range_or_not_numbers(void **state)
{
	(void)state;
	static const char *const bad[] = { "0",	  "101", "-1", "x",   "3x",
					   "1.5", " 3",	 "",   "0x1", "99999999999999999999",
					   NULL };
	struct form f;
	for (int i = 0; bad[i]; i++) {
		/* A message at the field, never a bad request: the person picks again. */
		const char *kv[] = { "area", "3", "area", bad[i], NULL };
		struct params p = mk(kv);
		assert_int_equal(form_validate(&f, area_fields, &p), FORM_INVALID);
		assert_string_equal(form_get(&f, "area")->error, "Choose one of the options.");
		assert_int_equal(f.nerrors, 1);
	}
	/* Several bad ones are still one message at one field. */
	const char *kv[] = { "area", "x", "area", "4", "area", "y", NULL };
	struct params p = mk(kv);
	assert_int_equal(form_validate(&f, area_fields, &p), FORM_INVALID);
	assert_int_equal(f.nerrors, 1);
	/* A NUL inside a number. */
	struct param nul = { .name = "area", .value = "3\0", .value_len = 2 };
	p = (struct params){ &nul, 1 };
	assert_int_equal(form_validate(&f, area_fields, &p), FORM_INVALID);
	/* A file where ids belong. */
	struct param file = { .name = "area", .value = "3", .value_len = 1, .filename = "3.pdf" };
	p = (struct params){ &file, 1 };
	assert_int_equal(form_validate(&f, area_fields, &p), FORM_BAD_REQUEST);
	/* Required: none is the message of a required field; a bad id its own. */
	static const struct form_field required[] = {
		{ .name = "area", .type = FORM_IDS, .required = true, .min = 1, .max = 100 },
		{ NULL },
	};
	p = (struct params){ NULL, 0 };
	assert_int_equal(form_validate(&f, required, &p), FORM_INVALID);
	assert_string_equal(form_get(&f, "area")->error, "This field is required.");
	const char *letter[] = { "area", "x", NULL };
	p = mk(letter);
	assert_int_equal(form_validate(&f, required, &p), FORM_INVALID);
	assert_string_equal(form_get(&f, "area")->error, "Choose one of the options.");
	const char *one_id[] = { "area", "5", NULL };
	p = mk(one_id);
	assert_int_equal(form_validate(&f, required, &p), FORM_OK);
	arena_reset();
}

static void a_file_part_as_it_came(void **state)
{
	(void)state;
	static const struct form_field fields[] = {
		{ .name = "document", .type = FORM_FILE, .required = true },
		{ .name = "note", .type = FORM_TEXT },
		{ NULL },
	};
	/* NUL, CR LF, a byte that is no UTF-8: a file's bytes are nobody's text. */
	static const char pdf[] = "%PDF-1.7\n\0\x01\r\n\xff end";
	struct form f;
	struct param prm[] = {
		{ .name = "document",
		  .value = pdf,
		  .value_len = sizeof pdf - 1,
		  .filename = "skjema.pdf",
		  .content_type = "application/pdf" },
		{ .name = "note", .value = "a\r\nb", .value_len = 4 },
	};
	struct params p = { prm, 2 };
	assert_int_equal(form_validate(&f, fields, &p), FORM_OK);
	const struct form_value *v = form_get(&f, "document");
	assert_true(v->present);
	assert_null(v->error);
	assert_int_equal(v->len, sizeof pdf - 1);
	assert_memory_equal(v->value, pdf, sizeof pdf - 1);
	assert_string_equal(form_get(&f, "note")->value, "a\nb");
	struct tv *o = tv_obj();
	form_to_tv(&f, o);
	assert_null(tv_get(o, "document")); /* a file is never sent back */
	/* Text where a file belongs, and a second file: bad requests. */
	struct param text = { .name = "document", .value = "%PDF-", .value_len = 5 };
	p = (struct params){ &text, 1 };
	assert_int_equal(form_validate(&f, fields, &p), FORM_BAD_REQUEST);
	struct param two[] = { prm[0], prm[0] };
	p = (struct params){ two, 2 };
	assert_int_equal(form_validate(&f, fields, &p), FORM_BAD_REQUEST);
	/* Required: absent, or a part with no bytes (no file chosen). */
	p = (struct params){ NULL, 0 };
	assert_int_equal(form_validate(&f, fields, &p), FORM_INVALID);
	assert_string_equal(form_get(&f, "document")->error, "This field is required.");
	struct param empty = { .name = "document", .value = "", .value_len = 0, .filename = "" };
	p = (struct params){ &empty, 1 };
	assert_int_equal(form_validate(&f, fields, &p), FORM_INVALID);
	assert_string_equal(form_get(&f, "document")->error, "This field is required.");
	o = tv_obj();
	form_to_tv(&f, o);
	assert_string_equal(tv_get_str(o, "document.error"), "This field is required.");
	assert_true(tv_truthy(tv_get(o, "document.invalid")));
	arena_reset();
}

static void the_first_message_at_a_field_wins(void **state)
{
	(void)state;
	static const struct form_field fields[] = {
		{ .name = "from", .type = FORM_DATE, .required = true },
		{ .name = "to", .type = FORM_DATE, .required = true },
		{ NULL },
	};
	struct form f;
	const char *kv[] = { "from", "2024-05-01", "to", "2024-13-01", NULL };
	struct params p = mk(kv);
	assert_int_equal(form_validate(&f, fields, &p), FORM_INVALID);
	assert_int_equal(f.nerrors, 1);
	form_error(&f, "from", "Comes after the end.");
	assert_int_equal(f.nerrors, 2);
	assert_string_equal(form_get(&f, "from")->error, "Comes after the end.");
	form_error(&f, "from", "Another message.");
	assert_string_equal(form_get(&f, "from")->error, "Comes after the end.");
	assert_int_equal(f.nerrors, 2);
	/* A field with a message of its own keeps it. */
	form_error(&f, "to", "Comes before the start.");
	assert_string_equal(form_get(&f, "to")->error, "That date does not exist.");
	assert_int_equal(f.nerrors, 2);
	/* A form that passed its fields' checks fails the page's. */
	const char *good[] = { "from", "2024-05-01", "to", "2024-04-01", NULL };
	p = mk(good);
	assert_int_equal(form_validate(&f, fields, &p), FORM_OK);
	assert_int_equal(f.nerrors, 0);
	form_error(&f, "to", "Comes before the start.");
	assert_int_equal(f.nerrors, 1);
	assert_string_equal(form_get(&f, "to")->error, "Comes before the start.");
	assert_null(form_get(&f, "from")->error);
	arena_reset();
}

static void limits_read_from_the_settings(void **state)
{
	(void)state;
	const char *path = unit_tmpfile("[log]\ntext_max = 12\nshort_text_max = 3\n");
	assert_int_equal(config_load(path), 0);
	unlink(path);
	static const struct form_field fields[] = {
		{ .name = "text", .type = FORM_TEXT, .max_setting = "log.text_max" },
		{ .name = "line", .type = FORM_LINE, .max_setting = "log.short_text_max", .max_len = 99 },
		{ .name = "fixed", .type = FORM_LINE, .max_len = 5 },
		{ NULL },
	};
	const struct form_field *r = form_resolve(fields);
	assert_non_null(r);
	assert_ptr_not_equal(r, fields);
	assert_int_equal(r[0].max_len, 12);
	assert_int_equal(r[1].max_len, 3); /* the setting wins over a number in the table */
	assert_int_equal(r[2].max_len, 5);
	assert_string_equal(r[1].name, "line");
	assert_int_equal(r[1].type, FORM_LINE);
	assert_null(r[3].name);
	assert_int_equal(fields[0].max_len, 0); /* the table itself is left as it is */
	assert_int_equal(fields[1].max_len, 99);
	/* The copy is what validates. */
	struct form f;
	const char *kv[] = { "text", "abcdefghijklm", "line", "æøå", "fixed", "x", NULL };
	struct params p = mk(kv);
	assert_int_equal(form_validate(&f, r, &p), FORM_INVALID);
	assert_string_equal(form_get(&f, "text")->error, "Use at most 12 characters.");
	assert_null(form_get(&f, "line")->error);
	assert_int_equal(f.nerrors, 1);
	assert_null(form_resolve(NULL));
	free((void *)r);
	arena_reset();
}

/* A name the table lacks is the program's bug: the process logs the name and
 * aborts. Each call runs in a child whose standard error is a pipe. */
static struct form misuse;

static void get_unknown(void)
{
	form_get(&misuse, "no_such_field");
}

static void error_unknown(void)
{
	form_error(&misuse, "misspelt_field", "x");
}

static void has_id_unknown(void)
{
	form_has_id(&misuse, "areas", 3);
}

static void get_known(void)
{
	form_get(&misuse, "area");
}

/* Whether fn, run in a child, died of SIGABRT; what it wrote to stderr in out. */
static bool aborts(void (*fn)(void), char *out, size_t size)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit none = { 0, 0 };
		setrlimit(RLIMIT_CORE, &none); /* no core file for an expected abort */
		signal(SIGABRT, SIG_DFL);
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		fn();
		_exit(0);
	}
	close(fds[1]);
	size_t n = 0;
	ssize_t r;
	while (n + 1 < size && (r = read(fds[0], out + n, size - 1 - n)) > 0)
		n += (size_t)r;
	out[n] = '\0';
	close(fds[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void an_unknown_name_aborts_with_the_name(void **state)
{
	(void)state;
	const char *kv[] = { "area", "3", NULL };
	struct params p = mk(kv);
	assert_int_equal(form_validate(&misuse, area_fields, &p), FORM_OK);
	char out[2048];
	assert_true(aborts(get_unknown, out, sizeof out));
	assert_non_null(strstr(out, "\"no_such_field\""));
	assert_true(aborts(error_unknown, out, sizeof out));
	assert_non_null(strstr(out, "\"misspelt_field\""));
	assert_true(aborts(has_id_unknown, out, sizeof out));
	assert_non_null(strstr(out, "\"areas\""));
	/* A name the table has: the child lives and logs nothing. */
	assert_false(aborts(get_known, out, sizeof out));
	assert_string_equal(out, "");
	arena_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_kept_verbatim_and_bounded),
		cmocka_unit_test(bad_characters),
		cmocka_unit_test(typed_fields),
		cmocka_unit_test(identity_numbers_with_spaces),
		cmocka_unit_test(required_unknown_and_repeated),
		cmocka_unit_test(back_into_the_template),
		cmocka_unit_test(a_set_of_ids),
		cmocka_unit_test(ids_out_of_range_or_not_numbers),
		cmocka_unit_test(a_file_part_as_it_came),
		cmocka_unit_test(the_first_message_at_a_field_wins),
		cmocka_unit_test(limits_read_from_the_settings),
		cmocka_unit_test(an_unknown_name_aborts_with_the_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
