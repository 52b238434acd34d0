/* test_form.c — validation from field tables: every type, its boundaries,
 * hostile text kept verbatim, and the requests that are refused outright. */
#include <string.h>

#include "unit.h"
#include "arena.h"
#include "form.h"
#include "utf8.h"

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
	assert_int_equal(utf8_length("æ🙂a", strlen("æ🙂a")), 3);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_kept_verbatim_and_bounded),
		cmocka_unit_test(bad_characters),
		cmocka_unit_test(typed_fields),
		cmocka_unit_test(identity_numbers_with_spaces),
		cmocka_unit_test(required_unknown_and_repeated),
		cmocka_unit_test(back_into_the_template),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
