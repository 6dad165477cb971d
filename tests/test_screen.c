/* test_screen.c: the screen model clips by display width and reads back as
 * text and roles. */
#include "fixture.h"

#include <locale.h>
#include <math.h>

#include "docket/screen.h"
#include "docket/text.h"
#include "docket/theme.h"

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

/* Every bar, at every width and every eighth, in both glyph modes: the
 * track is whole (no blank cell), the filled cells never shrink as the
 * value grows, and the empty part is in the bar-empty role. */
static void screen_bar__every_value__fills_the_whole_track(void **state)
{
	(void)state;
	screen *scr = screen_new(30, 1);
	for (int utf8 = 0; utf8 < 2; utf8++) {
		text_set_utf8(utf8);
		const struct text_glyphs *g = text_glyphs();
		for (int w = 1; w <= 24; w++) {
			int prev = 0;
			for (int e = 0; e <= 8 * w; e++) {
				screen_clear(scr);
				assert_int_equal(screen_bar(scr, 0, 2, w, (double)e / (8 * w),
							    THEME_ROLE_BAR), w);
				int full = 0;
				for (int x = 2; x < 2 + w; x++) {
					const struct screen_cell *c = screen_cell(scr, 0, x);
					if (!strcmp(c->ch, " "))
						fail_msg("utf8 %d, %d/%d of %d cells: cell %d blank",
							 utf8, e, 8 * w, w, x - 2);
					if (!strcmp(c->ch, g->bar_empty))
						assert_int_equal(c->role, THEME_ROLE_BAR_EMPTY);
					else
						full++;
				}
				assert_true(full >= prev);
				prev = full;
				/* nothing outside the track */
				assert_string_equal(screen_cell(scr, 0, 1)->ch, " ");
				if (2 + w < 30)
					assert_string_equal(screen_cell(scr, 0, 2 + w)->ch, " ");
			}
			assert_int_equal(prev, w);
		}
	}
	text_set_utf8(1);
	screen_clear(scr);
	assert_int_equal(screen_bar(scr, 0, 0, 8, NAN, THEME_ROLE_BAR), 0);
	char *t = screen_text(scr);
	assert_string_equal(t, "\n");
	free(t);
	screen_free(scr);
}

static void screen_scroll__lines_count_and_clamp(void **state)
{
	(void)state;
	/* 10 lines in 4 rows: first from 0 to 6 */
	assert_int_equal(screen_scroll_clamp(-3, 10, 4), 0);
	assert_int_equal(screen_scroll_clamp(5, 10, 4), 5);
	assert_int_equal(screen_scroll_clamp(7, 10, 4), 6);
	assert_int_equal(screen_scroll_clamp(1000, 10, 4), 6);
	assert_int_equal(screen_scroll_clamp(3, 2, 4), 0); /* shorter than the area */
	struct screen_lines l = {5, 8, 2, 0};
	int rows[10];
	for (int i = 0; i < 10; i++)
		rows[i] = screen_lines_next(&l);
	int want[10] = {-1, -1, 5, 6, 7, -1, -1, -1, -1, -1};
	assert_memory_equal(rows, want, sizeof want);
	assert_int_equal(l.n, 10);
	struct screen_lines count = {5, 5, 0, 0}; /* counting only */
	for (int i = 0; i < 7; i++)
		assert_int_equal(screen_lines_next(&count), -1);
	assert_int_equal(count.n, 7);
}

static void screen_count__one_and_many(void **state)
{
	(void)state;
	char b[32];
	assert_string_equal(screen_count(b, sizeof b, 1, "entry", "entries"), "1 entry");
	assert_string_equal(screen_count(b, sizeof b, 0, "entry", "entries"), "0 entries");
	assert_string_equal(screen_count(b, sizeof b, 2, "case", "cases"), "2 cases");
	assert_string_equal(screen_count(b, sizeof b, -1, "case", "cases"), "-1 cases");
	assert_string_equal(screen_or_missing(NULL), SCREEN_MISSING);
	assert_string_equal(screen_or_missing(""), SCREEN_MISSING);
	assert_string_equal(screen_or_missing("x"), "x");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(screen_put__clips__at_width_and_edge),
		cmocka_unit_test(screen_put__wide_character__fits_whole_or_not_at_all),
		cmocka_unit_test(screen_put_cut__marks__the_cut),
		cmocka_unit_test(screen_put__controls_and_no_utf8__are_replaced),
		cmocka_unit_test(screen_bar__every_value__fills_the_whole_track),
		cmocka_unit_test(screen_scroll__lines_count_and_clamp),
		cmocka_unit_test(screen_count__one_and_many),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
