/* test_theme.c: theme files parse into role styles; the compiled-in themes
 * equal the shipped files; bad lines and unknown themes are reported. */
#include "fixture.h"

#include "docket/screen.h"
#include "docket/theme.h"

static void assert_same_styles(const theme *a, const theme *b)
{
	for (int i = 0; i < THEME_NROLES; i++) {
		assert_int_equal(a->style[i].fg, b->style[i].fg);
		assert_int_equal(a->style[i].bg, b->style[i].bg);
		assert_int_equal(a->style[i].attrs, b->style[i].attrs);
	}
}

static void theme_default__equals__themes_default_file(void **state)
{
	(void)state;
	theme built, file;
	dk_error err = {{0}};
	theme_default(&built);
	theme_default(&file);
	memset(file.style, 0x55, sizeof file.style); /* the file must set all */
	if (theme_load_file(&file, "themes/default.theme", &err))
		fail_msg("%s", err.msg);
	assert_same_styles(&built, &file);
	theme_mono(&built);
	memset(file.style, 0x55, sizeof file.style);
	if (theme_load_file(&file, "themes/mono.theme", &err))
		fail_msg("%s", err.msg);
	assert_same_styles(&built, &file);
	for (int i = 0; i < THEME_NROLES; i++) {
		assert_int_equal(built.style[i].fg, THEME_DEFAULT_COLOR);
		assert_int_equal(built.style[i].bg, THEME_DEFAULT_COLOR);
	}
}

static void theme_shipped__every_file__sets_every_role(void **state)
{
	(void)state;
	const char *names[] = {"light", "high-contrast"};
	for (size_t i = 0; i < 2; i++) {
		theme t;
		dk_error err = {{0}};
		char path[64];
		snprintf(path, sizeof path, "themes/%s.theme", names[i]);
		memset(t.style, 0x55, sizeof t.style);
		if (theme_load_file(&t, path, &err))
			fail_msg("%s", err.msg);
		for (int r = 0; r < THEME_NROLES; r++)
			assert_true(t.style[r].fg >= -1 && t.style[r].fg <= 255);
	}
}

static void theme_parse__reads__colours_and_attributes(void **state)
{
	(void)state;
	theme t;
	dk_error err = {{0}};
	theme_default(&t);
	assert_int_equal(theme_parse(&t,
				     "# comment\n"
				     "header = bright-red 17 bold underline\n"
				     "  status=green\n",
				     "x.theme", &err),
			 DK_OK);
	int h = theme_role_find("header"), s = theme_role_find("status");
	assert_int_equal(t.style[h].fg, 9);
	assert_int_equal(t.style[h].bg, 17);
	assert_int_equal(t.style[h].attrs, SCREEN_BOLD | SCREEN_UNDERLINE);
	assert_int_equal(t.style[s].fg, 2);
	assert_int_equal(t.style[s].bg, THEME_DEFAULT_COLOR);
}

static void theme_parse__bad_lines__name_file_and_line(void **state)
{
	(void)state;
	theme t;
	dk_error err = {{0}};
	theme_default(&t);
	assert_int_equal(theme_parse(&t, "normal = default\nheadr = red\n", "a.theme",
				     &err), DK_ERR);
	assert_string_equal(err.msg, "a.theme:2: unknown role 'headr'");
	assert_int_equal(theme_parse(&t, "header = purple\n", "a.theme", &err),
			 DK_ERR);
	assert_string_equal(err.msg, "a.theme:1: header: unknown colour 'purple'");
	assert_int_equal(theme_parse(&t, "header = red blue blink\n", "a.theme",
				     &err), DK_ERR);
	assert_non_null(strstr(err.msg, "'blink'"));
	assert_int_equal(theme_parse(&t, "header red\n", "a.theme", &err), DK_ERR);
	assert_non_null(strstr(err.msg, "a.theme:1: expected"));
	assert_int_equal(theme_parse(&t, "header = 256\n", "a.theme", &err), DK_ERR);
}

static void theme_load__unknown_name__warns_and_falls_back(void **state)
{
	(void)state;
	theme t, def;
	dk_error err = {{0}};
	const char *dirs[] = {"themes", NULL};
	theme_default(&def);
	assert_int_equal(theme_load(&t, "nosuch", dirs, &err), DK_ERR);
	assert_string_equal(err.msg,
			    "unknown theme 'nosuch'; using the default theme");
	assert_same_styles(&t, &def);
	assert_int_equal(theme_load(&t, "light", dirs, &err), DK_OK);
	assert_string_equal(t.name, "light");
	assert_int_equal(theme_load(&t, "mono", NULL, &err), DK_OK);
	assert_string_equal(t.name, "mono");
	assert_int_equal(theme_load(&t, "../etc", dirs, &err), DK_ERR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(theme_default__equals__themes_default_file),
		cmocka_unit_test(theme_shipped__every_file__sets_every_role),
		cmocka_unit_test(theme_parse__reads__colours_and_attributes),
		cmocka_unit_test(theme_parse__bad_lines__name_file_and_line),
		cmocka_unit_test(theme_load__unknown_name__warns_and_falls_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
