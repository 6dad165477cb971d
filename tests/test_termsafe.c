/* test_termsafe.c: every class of character a terminal would act on (C0,
 * DEL, C1, bidi controls, invalid UTF-8) comes out as visible text, in
 * messages, table cells and the screen model; ordinary text is untouched. */
#include "fixture.h"

#include <locale.h>

#include "docket/logq.h"
#include "docket/screen.h"
#include "docket/termsafe.h"
#include "docket/text.h"

static int setup(void **state)
{
	(void)state;
	assert_non_null(setlocale(LC_ALL, "C.UTF-8"));
	text_set_utf8(1);
	return 0;
}

/* Nothing a terminal interprets: no C0 but the allowed ones, no DEL, no C1
 * (as UTF-8 or as a byte), no bidi control, valid UTF-8 throughout. */
static void assert_inert(const char *s, int lines_ok)
{
	size_t n = strlen(s);
	assert_true(dk_utf8_valid(s, n));
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t l = text_decode(s + i, n - i, &cp);
		if (!(lines_ok && (cp == '\n' || cp == '\t')))
			assert_false(cp < 0x20);
		assert_false(cp >= 0x7f && cp <= 0x9f);
		assert_false(cp == 0x061c || cp == 0x200e || cp == 0x200f ||
			     (cp >= 0x202a && cp <= 0x202e) ||
			     (cp >= 0x2066 && cp <= 0x2069));
		i += l;
	}
}

static void vis(const char *in, unsigned flags, const char *want)
{
	sbuf b = {0};
	termsafe_add(&b, in, TEXT_NUL, flags);
	assert_string_equal(sbuf_str(&b), want);
	assert_inert(sbuf_str(&b), flags & TERMSAFE_LINES);
	sbuf_free(&b);
}

static void termsafe_add__every_class__is_visible(void **state)
{
	(void)state;
	/* C0: an OSC title sequence ended by BEL, and a CSI colour */
	vis("nope\x1b]0;ERR\x07", 0, "nope\\u001b]0;ERR\\u0007");
	vis("\x1b[31mred", 0, "\\u001b[31mred");
	vis("a\x01z\x1f", 0, "a\\u0001z\\u001f");
	/* CR (overwrites the line), LF, TAB */
	vis("ok\rBAD", 0, "ok\\rBAD");
	vis("two\nlines", 0, "two\\nlines");
	vis("a\tb", 0, "a b");
	vis("two\nlines\tand\rcr", TERMSAFE_LINES, "two\nlines\tand\\rcr");
	/* DEL */
	vis("x\x7fy", 0, "x\\u007fy");
	/* C1 as UTF-8: CSI U+009B, NEL U+0085, and the first and last */
	vis("\xc2\x9b" "31m", 0, "\\u009b31m");
	vis("a\xc2\x85z\xc2\x80\xc2\x9f", 0, "a\\u0085z\\u0080\\u009f");
	/* bidi: RLO U+202E, the isolates, the marks, ALM U+061C */
	vis("abc\xe2\x80\xae" "fdp.exe", 0, "abc\\u202efdp.exe");
	vis("\xe2\x80\xaa\xe2\x80\xac\xe2\x81\xa6\xe2\x81\xa9", 0,
	    "\\u202a\\u202c\\u2066\\u2069");
	vis("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", 0, "\\u200e\\u200f\\u061c");
	/* invalid UTF-8: a lone byte (also a raw C1 byte), a truncated
	 * sequence, an overlong one: each byte shown */
	vis("a\xff" "b", 0, "a\\xffb");
	vis("\x9b" "31m", 0, "\\x9b31m");
	vis("\xe6\x97", 0, "\\xe6\\x97");
	vis("\xc0\xaf", 0, "\\xc0\\xaf");
	/* ordinary text, including wide and combining, is left alone */
	vis("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac e\xcc\x81 \\x1b", 0,
	    "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac e\xcc\x81 \\x1b");
	vis("", 0, "");
}

static void termsafe_str__clean_text__is_returned_as_is(void **state)
{
	(void)state;
	sbuf tmp = {0};
	const char *clean = "alice";
	assert_ptr_equal(termsafe_str(clean, &tmp, 0), clean);
	assert_string_equal(termsafe_str(NULL, &tmp, 0), "");
	assert_string_equal(termsafe_str("a\x1b" "b", &tmp, 0), "a\\u001bb");
	assert_int_equal(termsafe_scan("ab\x1b", 3, 0), 2);
	assert_int_equal(termsafe_scan("ab\n", 3, TERMSAFE_LINES), 3);
	sbuf_free(&tmp);
}

/* Widths and cuts count a control as wide as its visible text, so tables
 * and screens line up and never cut an escape in half. */
static void text_width__controls__count_as_shown(void **state)
{
	(void)state;
	assert_int_equal(text_width("a\x1b" "b", TEXT_NUL), 8);
	assert_int_equal(text_width("\xe2\x80\xae", TEXT_NUL), 6);
	assert_int_equal(text_width("\xff", TEXT_NUL), 4);
	assert_int_equal(text_width("a\tb", TEXT_NUL), 3);
	/* a bidi mark never joins the letter before it */
	int w;
	assert_int_equal(text_cluster("a\xe2\x80\x8f", 4, &w), 1);
	assert_int_equal(w, 1);
	int used;
	assert_int_equal(text_cut("a\x1b" "b", TEXT_NUL, 4, &used), 1);
	assert_int_equal(used, 1);
}

static void logq_cell__controls__are_visible_and_line_up(void **state)
{
	(void)state;
	sbuf b = {0};
	logq_cell(&b, "ev\x1b]0;x\x07il", 20, 0);
	assert_string_equal(sbuf_str(&b), "ev\\u001b]0;x\\u0007il");
	sbuf_reset(&b);
	logq_cell(&b, "\xe2\x80\xae" "ab", 10, 0);
	assert_string_equal(sbuf_str(&b), "\\u202eab  ");
	sbuf_reset(&b);
	/* a cut keeps whole escapes: 4 columns hold "a" and "~", not "\u0" */
	logq_cell(&b, "a\x1b" "bbbbb", 4, 0);
	assert_string_equal(sbuf_str(&b), "a~  ");
	assert_inert(sbuf_str(&b), 0);
	sbuf_free(&b);
}

static void screen_put__controls__are_drawn_visible(void **state)
{
	(void)state;
	screen *scr = screen_new(40, 3);
	screen_put(scr, 0, 0, -1, 0, 0, "x\x1b]0;T\x07y", TEXT_NUL);
	screen_put(scr, 1, 0, -1, 0, 0, "a\xe2\x80\xae" "b\xc2\x9b" "c\xff", TEXT_NUL);
	/* clipped: an escape fits whole or not at all */
	screen_put(scr, 2, 0, 5, 0, 0, "ab\x1b" "c", TEXT_NUL);
	char *t = screen_text(scr);
	assert_string_equal(t, "x\\u001b]0;T\\u0007y\n"
			       "a\\u202eb\\u009bc\\xff\n"
			       "ab\n");
	assert_inert(t, 1);
	free(t);
	/* every cell holds inert text */
	for (int y = 0; y < scr->h; y++)
		for (int x = 0; x < scr->w; x++)
			assert_inert(screen_cell(scr, y, x)->ch, 0);
	/* screen_put_cut measures the same way */
	screen_clear(scr);
	screen_put_cut(scr, 0, 0, 8, 0, 0, "abc\x1b" "defgh", TEXT_NUL);
	t = screen_row_text(scr, 0);
	assert_string_equal(t, "abc\xe2\x80\xa6");
	free(t);
	screen_free(scr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(termsafe_add__every_class__is_visible),
		cmocka_unit_test(termsafe_str__clean_text__is_returned_as_is),
		cmocka_unit_test(text_width__controls__count_as_shown),
		cmocka_unit_test(logq_cell__controls__are_visible_and_line_up),
		cmocka_unit_test(screen_put__controls__are_drawn_visible),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
