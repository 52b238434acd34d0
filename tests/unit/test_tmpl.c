/* test_tmpl.c — the template engine: syntax, escaping by context, the parse
 * errors that keep unsafe templates from ever loading, and the project's own
 * templates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "arena.h"
#include "tmpl.h"

/* Parses SRC as template "t" and renders it with D. */
static const char *render(const char *src, const struct tv *d)
{
	if (tmpl_parse_string("t", src) < 0)
		fail_msg("parse failed: %s", tmpl_error());
	struct buf out = { 0 };
	assert_int_equal(tmpl_render(&out, "t", d), 0);
	return out.data ? out.data : "";
}

static void values_and_sections(void **state)
{
	(void)state;
	struct tv *d = tv_obj();
	tv_set_str(d, "name", "Kari");
	tv_set_int(d, "n", 42);
	tv_set_bool(d, "yes", true);
	tv_set_str(d, "empty", "");
	struct tv *inner = tv_obj();
	tv_set_str(inner, "city", "Fjordvik");
	tv_set(d, "place", inner);
	struct tv *list = tv_list();
	for (int i = 0; i < 3; i++) {
		struct tv *o = tv_push_obj(list);
		tv_set_str(o, "name", i == 1 ? "Per" : "Ola");
	}
	tv_set(d, "people", list);
	struct tv *words = tv_list();
	tv_push(words, tv_str("a"));
	tv_push(words, tv_str("b"));
	tv_set(d, "words", words);
	tv_set(d, "none", tv_list());

	assert_string_equal(render("Hei {{name}} ({{n}})", d), "Hei Kari (42)");
	assert_string_equal(render("{{place.city}}|{{missing}}|{{place.nope}}", d), "Fjordvik||");
	assert_string_equal(render("{{#if yes}}Y{{else}}N{{/if}}{{#if empty}}Y{{else}}N{{/if}}", d), "YN");
	assert_string_equal(render("{{#unless empty}}U{{/unless}}{{#unless yes}}X{{/unless}}", d), "U");
	assert_string_equal(render("{{#each people}}{{@number}}.{{name}}/{{place.city}} {{/each}}", d),
			    "1.Ola/Fjordvik 2.Per/Fjordvik 3.Ola/Fjordvik ");
	assert_string_equal(render("{{#each words}}[{{.}}{{@index}}]{{/each}}", d), "[a0][b1]");
	assert_string_equal(render("{{#each none}}x{{else}}nobody{{/each}}", d), "nobody");
	assert_string_equal(render("{{#each name}}x{{/each}}", d), "");
	assert_string_equal(render("a{{! a comment }}b", d), "ab");
	assert_string_equal(render("{{t \"Page not found\"}}", d), "Page not found");
	assert_string_equal(render("{{raw name}}", d), "Kari");
	/* A context is not shown; formats apply to values of their form only. */
	assert_string_equal(render("{{tc \"concern\" \"Page not found\"}}", d), "Page not found");
	tv_set_str(d, "day", "2026-12-02");
	tv_set_int(d, "big", 12345);
	assert_string_equal(
		render("<p title=\"{{date day}}\">{{shortdate day}} {{date name}} {{num big}}</p>", d),
		"<p title=\"2. desember 2026\">02.12.2026 Kari 12\u00a0345</p>");
	assert_int_equal(tmpl_parse_string("t", "{{weekday day}}"), -1);
	assert_int_equal(tmpl_parse_string("t", "{{tc \"only a context\"}}"), -1);
	arena_reset();
}

static void standalone_lines_vanish(void **state)
{
	(void)state;
	struct tv *d = tv_obj();
	tv_set_bool(d, "yes", true);
	assert_string_equal(render("<ul>\n  {{#if yes}}\n  <li>x</li>\n  {{/if}}\n</ul>\n", d),
			    "<ul>\n  <li>x</li>\n</ul>\n");
	assert_string_equal(render("a {{#if yes}}b{{/if}} c\n", d), "a b c\n");
	arena_reset();
}

static void escaping_by_context(void **state)
{
	(void)state;
	struct tv *d = tv_obj();
	tv_set_str(d, "x", "O'Hara \"<script>alert(1)</script>\" & ÆØÅ ねこ 🙂");
	tv_set_str(d, "js", "javascript:alert(1)");
	tv_set_str(d, "js2", " JaVaScRiPt:alert(1)");
	tv_set_str(d, "rel", "/log?id=5&x=1");
	tv_set_str(d, "ext", "https://example.org/a");
	tv_set_str(d, "q", "a b&c=d/æ");
	tv_set_str(d, "bad",
		   "a\xff\xfe"
		   "b");
	const char *esc =
		"O&#39;Hara &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot; &amp; ÆØÅ ねこ 🙂";
	char want[512];
	snprintf(want, sizeof want, "<p>%s</p>", esc);
	assert_string_equal(render("<p>{{x}}</p>", d), want);
	snprintf(want, sizeof want, "<input value=\"%s\">", esc);
	assert_string_equal(render("<input value=\"{{x}}\">", d), want);
	snprintf(want, sizeof want, "<input value='%s'>", esc);
	assert_string_equal(render("<input value='{{x}}'>", d), want);
	/* URL attributes: a dangerous scheme at the start becomes "#". */
	assert_string_equal(render("<a href=\"{{js}}\">", d), "<a href=\"#\">");
	assert_string_equal(render("<a href=\"{{js2}}\">", d), "<a href=\"#\">");
	assert_string_equal(render("<a href=\"{{rel}}\">", d), "<a href=\"/log?id=5&amp;x=1\">");
	assert_string_equal(render("<a href=\"{{ext}}\">", d), "<a href=\"https://example.org/a\">");
	/* Later in a URL, a value is one percent-encoded component. */
	assert_string_equal(render("<a href=\"/s?q={{q}}&amp;r={{js}}\">", d),
			    "<a href=\"/s?q=a%20b%26c%3Dd%2F%C3%A6&amp;r=javascript%3Aalert%281%29\">");
	assert_string_equal(render("<form action=\"{{js}}\">", d), "<form action=\"#\">");
	/* Invalid UTF-8 never reaches the page. */
	assert_string_equal(render("{{bad}}", d),
			    "a\xef\xbf\xbd\xef\xbf\xbd"
			    "b");
	/* Sections inside a tag and inside an attribute value. */
	tv_set_bool(d, "on", true);
	assert_string_equal(render("<option value=\"a\"{{#if on}} selected{{/if}}>", d),
			    "<option value=\"a\" selected>");
	assert_string_equal(render("<div class=\"f{{#if on}} bad{{/if}}\">", d), "<div class=\"f bad\">");
	arena_reset();
}

static void unsafe_templates_do_not_load(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"<script>var a = '{{x}}';</script>",
		"<style>p { color: {{x}} }</style>",
		"<a onclick=\"go('{{x}}')\">",
		"<p style=\"{{x}}\">",
		"<input value={{x}}>",
		"<div {{x}}>",
		"<{{x}}>",
		"<!-- {{x}} -->",
		"<p title=\"{{raw x}}\">",
		"{{#if a}}<a href=\"{{/if}}x\">", /* a section that changes the context */
		"<p {{#if a}}title=\"{{else}}id=\"x\"{{/if}}>",
		"<p title=\"{{#if a}}\">{{/if}}",
		"{{#if a}}x",
		"{{/if}}",
		"{{#if a}}x{{/each}}",
		"{{else}}",
		"{{#if a}}x{{else}}y{{else}}z{{/if}}",
		"{{#loop a}}x{{/loop}}",
		"{{}}",
		"{{x",
		"{{t noquote}}",
		"{{a b}}",
		"{{> nonexistent}}",
		"<a href=\"{{> t2}}\">",
		NULL,
	};
	for (int i = 0; bad[i]; i++) {
		if (tmpl_parse_string("bad", bad[i]) == 0)
			fail_msg("loaded an unsafe template: %s", bad[i]);
		assert_non_null(strstr(tmpl_error(), "bad.html:"));
	}
	/* Values inside <textarea> and <title> are escaped text, which is fine. */
	assert_int_equal(tmpl_parse_string("ok", "<textarea>{{x}}</textarea><title>{{x}}</title>"), 0);
	/* After </script>, values are allowed again. */
	assert_int_equal(tmpl_parse_string("ok", "<script src=\"/a.js\"></script><p>{{x}}</p>"), 0);
}

static void partials_layout_and_yield(void **state)
{
	(void)state;
	assert_int_equal(tmpl_parse_string("item", "<li>{{name}}</li>"), 0);
	assert_int_equal(tmpl_parse_string("page", "<ul>{{#each xs}}{{> item}}{{/each}}</ul>"), 0);
	assert_int_equal(tmpl_parse_string("frame", "<main>{{yield}}</main>{{title}}"), 0);
	struct tv *d = tv_obj();
	tv_set_str(d, "title", "T");
	struct tv *xs = tv_list();
	tv_set_str(tv_push_obj(xs), "name", "<a>");
	tv_set(d, "xs", xs);
	struct buf out = { 0 };
	assert_int_equal(tmpl_render_page(&out, "frame", "page", d), 0);
	assert_string_equal(out.data, "<main><ul><li>&lt;a&gt;</li></ul></main>T");
	buf_reset(&out);
	assert_int_equal(tmpl_render(&out, "frame", d), 0);
	assert_string_equal(out.data, "<main></main>T");
	assert_int_equal(tmpl_render(&out, "no-such-template", d), -1);
	/* A partial that includes itself stops at the depth limit. */
	assert_int_equal(tmpl_parse_string("loop", "x{{> loop}}"), 0);
	assert_int_equal(tmpl_render(&out, "loop", d), -1);
	arena_reset();
}

static void a_folder_loads_once_and_reloads(void **state)
{
	(void)state;
	char dir[] = "/tmp/stafett-tmpl-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof path, "%s/one.html", dir);
	FILE *f = fopen(path, "w");
	fputs("1:{{> two}}", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/two.html", dir);
	f = fopen(path, "w");
	fputs("2", f);
	fclose(f);
	assert_int_equal(tmpl_init(dir), 0);
	assert_true(tmpl_exists("one") && tmpl_exists("two"));
	assert_false(tmpl_exists("t"));
	struct buf out = { 0 };
	assert_int_equal(tmpl_render(&out, "one", tv_obj()), 0);
	assert_string_equal(out.data, "1:2");
	unlink(path);
	/* A missing partial is an error at load time, naming the file. */
	assert_int_equal(tmpl_init(dir), -1);
	assert_non_null(strstr(tmpl_error(), "two"));
	snprintf(path, sizeof path, "%s/one.html", dir);
	unlink(path);
	rmdir(dir);
	assert_int_equal(tmpl_init("/nonexistent"), -1);
	arena_reset();
}

static void project_templates_load(void **state)
{
	(void)state;
	if (tmpl_init("templates") < 0)
		fail_msg("%s", tmpl_error());
	assert_true(tmpl_exists("layout") && tmpl_exists("error") && tmpl_exists("front"));
	tmpl_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(values_and_sections),
		cmocka_unit_test(standalone_lines_vanish),
		cmocka_unit_test(escaping_by_context),
		cmocka_unit_test(unsafe_templates_do_not_load),
		cmocka_unit_test(partials_layout_and_yield),
		cmocka_unit_test(a_folder_loads_once_and_reloads),
		cmocka_unit_test(project_templates_load),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tmpl_free();
	return rc;
}
