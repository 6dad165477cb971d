/* test_text_edit.c: the note editor edits by character, not byte. */
#include "fixture.h"

#include <locale.h>

#include "docket/keymap.h"
#include "docket/text.h"
#include "docket/text_edit.h"

static void type(text_edit *e, const char *s)
{
	size_t i = 0, n = strlen(s);
	while (i < n) {
		uint32_t cp;
		i += text_decode(s + i, n - i, &cp);
		assert_int_equal(text_edit_key(e, (int)cp), 1);
	}
}

static void text_edit__backspace__removes_whole_characters(void **state)
{
	(void)state;
	setlocale(LC_ALL, "C.UTF-8");
	text_set_utf8(1);
	text_edit e = {0};
	text_edit_set(&e, NULL);
	type(&e, "naïve 日本");
	assert_string_equal(text_edit_str(&e), "naïve 日本");
	text_edit_key(&e, KEY_DK_BACKSPACE);
	assert_string_equal(text_edit_str(&e), "naïve 日");
	text_edit_key(&e, KEY_DK_HOME);
	text_edit_key(&e, KEY_DK_RIGHT);
	text_edit_key(&e, KEY_DK_RIGHT);
	text_edit_key(&e, KEY_DK_DELETE); /* ï, two bytes */
	assert_string_equal(text_edit_str(&e), "nave 日");
	type(&e, "é");
	assert_string_equal(text_edit_str(&e), "naéve 日");
	text_edit_key(&e, KEY_DK_END);
	text_edit_key(&e, KEY_DK_CTRL('w'));
	assert_string_equal(text_edit_str(&e), "naéve ");
	text_edit_key(&e, KEY_DK_CTRL('u'));
	assert_string_equal(text_edit_str(&e), "");
	/* Enter and Esc are the caller's */
	assert_int_equal(text_edit_key(&e, KEY_DK_ENTER), 0);
	assert_int_equal(text_edit_key(&e, KEY_DK_ESC), 0);
	text_edit_free(&e);
}

static void text_edit__view__keeps_cursor_visible(void **state)
{
	(void)state;
	text_edit e = {0};
	text_edit_set(&e, "日本語日本語日本語");
	size_t start = 0;
	int col = text_edit_view(&e, 6, &start);
	assert_true(col <= 5);
	assert_true(start > 0);
	assert_int_equal(text_width(text_edit_str(&e) + start,
				    e.cursor - start), col);
	text_edit_key(&e, KEY_DK_HOME);
	col = text_edit_view(&e, 6, &start);
	assert_int_equal(start, 0);
	assert_int_equal(col, 0);
	text_edit_free(&e);
}

static void text_edit__max__refuses_more_bytes(void **state)
{
	(void)state;
	text_edit e = {0};
	e.max = 4;
	text_edit_set(&e, "abc");
	type(&e, "d");
	assert_int_equal(text_edit_key(&e, 'e'), 1);
	assert_string_equal(text_edit_str(&e), "abcd");
	text_edit_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_edit__backspace__removes_whole_characters),
		cmocka_unit_test(text_edit__view__keeps_cursor_visible),
		cmocka_unit_test(text_edit__max__refuses_more_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
