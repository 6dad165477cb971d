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

/* Every role of every shipped theme, fitted to 8, 16 and 256 colours (and
 * none), stays visible: no foreground equal to its background, no black
 * text on the terminal's own background in a theme for dark terminals (SGR
 * 30 on a dark screen is invisible), no white text on it in the light
 * theme, and muted text still differs from plain text. */
static void theme_fit__every_role_every_depth__stays_visible(void **state)
{
	(void)state;
	static const struct {
		const char *name; /* NULL: compiled in */
		int dark_ok, light_ok; /* which backgrounds it is for */
		int mono;
	} themes[] = {
		{NULL, 1, 1, 0},
		{NULL, 1, 1, 1},
		{"themes/high-contrast.theme", 1, 0, 0},
		{"themes/light.theme", 0, 1, 0},
	};
	static const int depths[] = {0, 8, 16, 256};
	const int muted[] = {THEME_ROLE_DIM, THEME_ROLE_BAR_EMPTY};
	for (size_t t = 0; t < sizeof themes / sizeof themes[0]; t++) {
		theme th;
		dk_error err = {{0}};
		if (themes[t].mono)
			theme_mono(&th);
		else
			theme_default(&th);
		if (themes[t].name && theme_load_file(&th, themes[t].name, &err))
			fail_msg("%s", err.msg);
		for (size_t d = 0; d < sizeof depths / sizeof depths[0]; d++) {
			int n = depths[d];
			/* without colours the terminal shows the mono theme
			 * whatever was chosen (term.c) */
			if (n == 0 && !themes[t].mono)
				continue;
			struct theme_style fit[THEME_NROLES];
			for (int r = 0; r < THEME_NROLES; r++) {
				theme_fit(&th.style[r], n, &fit[r]);
				const struct theme_style *f = &fit[r];
				const char *what = theme_role_name(r);
				assert_true(f->fg >= -1 && f->fg < (n > 0 ? n : 1));
				assert_true(f->bg >= -1 && f->bg < (n > 0 ? n : 1));
				if (f->fg >= 0 && f->fg == f->bg)
					fail_msg("theme %zu, %d colours: %s is %d on %d",
						 t, n, what, f->fg, f->bg);
				if (f->bg < 0 && themes[t].dark_ok && f->fg == 0)
					fail_msg("theme %zu, %d colours: %s is black "
						 "on the default background", t, n, what);
				if (f->bg < 0 && themes[t].light_ok &&
				    (f->fg == 7 || f->fg == 15))
					fail_msg("theme %zu, %d colours: %s is white "
						 "on the default background", t, n, what);
			}
			for (size_t m = 0; m < 2; m++) {
				const struct theme_style *a = &fit[muted[m]],
							 *b = &fit[THEME_ROLE_NORMAL];
				if (a->fg == b->fg && a->bg == b->bg &&
				    a->attrs == b->attrs)
					fail_msg("theme %zu, %d colours: %s looks like "
						 "normal text", t, n,
						 theme_role_name(muted[m]));
			}
		}
	}
	/* the report: bright-black on 8 colours is dim default, not black */
	struct theme_style in = {8, THEME_DEFAULT_COLOR, 0}, out;
	theme_fit(&in, 8, &out);
	assert_int_equal(out.fg, THEME_DEFAULT_COLOR);
	assert_int_equal(out.attrs, SCREEN_DIM);
	theme_fit(&in, 16, &out);
	assert_int_equal(out.fg, 8);
	/* a palette colour falls to the nearest the terminal has */
	in = (struct theme_style){160, 28, 0}; /* a red on a green */
	theme_fit(&in, 8, &out);
	assert_int_equal(out.fg, 1);
	assert_int_equal(out.bg, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(theme_default__equals__themes_default_file),
		cmocka_unit_test(theme_shipped__every_file__sets_every_role),
		cmocka_unit_test(theme_parse__reads__colours_and_attributes),
		cmocka_unit_test(theme_parse__bad_lines__name_file_and_line),
		cmocka_unit_test(theme_load__unknown_name__warns_and_falls_back),
		cmocka_unit_test(theme_fit__every_role_every_depth__stays_visible),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
