/* test_screen.c: the screen model clips by display width and reads back as
 * text and roles. */
#include "fixture.h"

#include <locale.h>

#include "docket/screen.h"
#include "docket/text.h"

static int setup(void **state)
{
	(void)state;
	setlocale(LC_ALL, "C.UTF-8");
	text_set_utf8(1);
	return 0;
}

static void screen_put__clips__at_width_and_edge(void **state)
{
	(void)state;
	screen *scr = screen_new(10, 2);
	assert_int_equal(screen_put(scr, 0, 0, 4, 1, 0, "abcdef", TEXT_NUL), 4);
	assert_int_equal(screen_put(scr, 1, 7, -1, 2, 0, "xyzzy", TEXT_NUL), 3);
	char *t = screen_text(scr);
	assert_string_equal(t, "abcd\n       xyz\n");
	free(t);
	char *roles = screen_row_roles(scr, 1);
	assert_string_equal(roles, "aaaaaaaccc");
	free(roles);
	screen_free(scr);
}

static void screen_put__wide_character__fits_whole_or_not_at_all(void **state)
{
	(void)state;
	screen *scr = screen_new(5, 1);
	/* 日本語 is 6 columns: two fit in 5, the third is left out */
	assert_int_equal(screen_put(scr, 0, 0, -1, 0, 0, "日本語", TEXT_NUL), 4);
	char *t = screen_text(scr);
	assert_string_equal(t, "日本\n");
	free(t);
	/* overwriting half of a wide character blanks the other half */
	screen_put(scr, 0, 1, 1, 0, 0, "x", 1);
	t = screen_text(scr);
	assert_string_equal(t, " x本\n");
	free(t);
	screen_free(scr);
}

static void screen_put_cut__marks__the_cut(void **state)
{
	(void)state;
	screen *scr = screen_new(20, 1);
	screen_put_cut(scr, 0, 0, 6, 0, 0, "Test Applicant", TEXT_NUL);
	char *t = screen_text(scr);
	assert_string_equal(t, "Test \u2026\n");
	free(t);
	screen_free(scr);
}

static void screen_put__controls_and_no_utf8__are_replaced(void **state)
{
	(void)state;
	screen *scr = screen_new(10, 1);
	screen_put(scr, 0, 0, -1, 0, 0, "a\tb\x01" "c", TEXT_NUL);
	char *t = screen_text(scr);
	assert_string_equal(t, "a b\\u0001c\n");
	free(t);
	text_set_utf8(0);
	screen_clear(scr);
	screen_put(scr, 0, 0, -1, 0, 0, "é日x", TEXT_NUL);
	t = screen_text(scr);
	assert_string_equal(t, "??x\n");
	free(t);
	text_set_utf8(1);
	screen_free(scr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(screen_put__clips__at_width_and_edge),
		cmocka_unit_test(screen_put__wide_character__fits_whole_or_not_at_all),
		cmocka_unit_test(screen_put_cut__marks__the_cut),
		cmocka_unit_test(screen_put__controls_and_no_utf8__are_replaced),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
