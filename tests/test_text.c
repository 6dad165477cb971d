/* test_text.c: display width, cutting and wrapping of UTF-8 by columns,
 * never bytes; ASCII glyphs when the locale is not UTF-8. */
#include "fixture.h"

#include <locale.h>

#include "docket/text.h"

static int setup(void **state)
{
	(void)state;
	assert_non_null(setlocale(LC_ALL, "C.UTF-8"));
	text_set_utf8(1);
	return 0;
}

static void text_width__counts__columns_not_bytes(void **state)
{
	(void)state;
	assert_int_equal(text_width("abc", TEXT_NUL), 3);
	assert_int_equal(text_width("café", TEXT_NUL), 4);       /* é: 2 bytes */
	assert_int_equal(text_width("日本語", TEXT_NUL), 6);     /* wide */
	assert_int_equal(text_width("e\xcc\x81", TEXT_NUL), 1); /* e + combining acute */
	assert_int_equal(text_width("", TEXT_NUL), 0);
}

static void text_decode__invalid_bytes__give_replacement(void **state)
{
	(void)state;
	uint32_t cp;
	assert_int_equal(text_decode("\xff", 1, &cp), 1);
	assert_int_equal(cp, 0xfffd);
	assert_int_equal(text_decode("\xe6\x97", 2, &cp), 1); /* truncated */
	assert_int_equal(cp, 0xfffd);
	assert_int_equal(text_decode("\xc0\xaf", 2, &cp), 1); /* overlong */
	assert_int_equal(text_decode("\xe6\x97\xa5", 3, &cp), 3);
	assert_int_equal(cp, 0x65e5);
	char out[4];
	assert_int_equal(text_encode(0x65e5, out), 3);
	assert_memory_equal(out, "\xe6\x97\xa5", 3);
}

static void text_cut__never_splits__wide_or_combined_characters(void **state)
{
	(void)state;
	int used;
	/* 3 columns of 日本語 is one whole character (2 columns) */
	size_t n = text_cut("日本語", TEXT_NUL, 3, &used);
	assert_int_equal(n, 3);
	assert_int_equal(used, 2);
	/* e + combining mark stays together */
	n = text_cut("xe\xcc\x81y", TEXT_NUL, 2, &used);
	assert_int_equal(n, 4);
	assert_int_equal(used, 2);
	n = text_cut("abc", TEXT_NUL, 0, &used);
	assert_int_equal(n, 0);
}

static void text_wrap__breaks__at_spaces_and_newlines(void **state)
{
	(void)state;
	const char *s = "the quick brown fox\njumps";
	size_t next, len = text_wrap(s, TEXT_NUL, 10, &next);
	assert_int_equal(len, 9); /* "the quick" */
	assert_memory_equal(s, "the quick", 9);
	assert_int_equal(next, 10); /* after the space */
	len = text_wrap(s + 10, TEXT_NUL, 10, &next);
	assert_int_equal(len, 9); /* "brown fox" ends at the newline */
	assert_int_equal(s[10 + next], 'j');
	assert_int_equal(text_wrap_count(s, TEXT_NUL, 10), 3);
}

static void text_wrap__long_word__is_cut_by_width(void **state)
{
	(void)state;
	size_t next;
	size_t len = text_wrap("abcdefghij", TEXT_NUL, 4, &next);
	assert_int_equal(len, 4);
	assert_int_equal(next, 4);
	/* wide characters: 5 columns hold two of them */
	len = text_wrap("日本語日本語", TEXT_NUL, 5, &next);
	assert_int_equal(len, 6);
	assert_int_equal(text_wrap_count("日本語日本語", TEXT_NUL, 5), 3);
}

static void text_glyphs__ascii__without_utf8(void **state)
{
	(void)state;
	text_set_utf8(0);
	assert_string_equal(text_glyphs()->bar, "#");
	assert_string_equal(text_glyphs()->ellipsis, "~");
	/* non-ASCII shows as one '?' each: one column per character */
	assert_int_equal(text_width("日本", TEXT_NUL), 2);
	text_set_utf8(1);
	assert_string_equal(text_glyphs()->bar, "\u2588");
	setlocale(LC_ALL, "C");
	assert_int_equal(text_set_utf8_from_locale(), 0);
	setlocale(LC_ALL, "C.UTF-8");
	assert_int_equal(text_set_utf8_from_locale(), 1);
}

static void text_letter_run__matches__tokens_case_insensitively(void **state)
{
	(void)state;
	const char *s = "Isn't it GREAT, café2go";
	assert_int_equal(text_letter_run(s, strlen(s), 0), 3); /* "Isn" */
	assert_int_equal(text_letter_run(s, strlen(s), 3), 0); /* "'" */
	assert_true(text_equal_fold(s + 9, 5, "great", 5));
	assert_false(text_equal_fold(s + 9, 5, "grea", 4));
	assert_int_equal(text_letter_run(s, strlen(s), 16), 5); /* "café" bytes */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_width__counts__columns_not_bytes),
		cmocka_unit_test(text_decode__invalid_bytes__give_replacement),
		cmocka_unit_test(text_cut__never_splits__wide_or_combined_characters),
		cmocka_unit_test(text_wrap__breaks__at_spaces_and_newlines),
		cmocka_unit_test(text_wrap__long_word__is_cut_by_width),
		cmocka_unit_test(text_glyphs__ascii__without_utf8),
		cmocka_unit_test(text_letter_run__matches__tokens_case_insensitively),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
