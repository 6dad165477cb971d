/* test_keymap.c: actions from one list, the default table, rebinding, key
 * names both ways. */
#include "fixture.h"

#include "docket/keymap.h"

static void keymap_init__defaults__bind_main_keys(void **state)
{
	(void)state;
	keymap km;
	keymap_init(&km);
	assert_int_equal(keymap_lookup(&km, 'a'), ACT_ACCEPT);
	assert_int_equal(keymap_lookup(&km, '1'), ACT_LABEL_1);
	assert_int_equal(keymap_lookup(&km, '9'), ACT_LABEL_9);
	assert_int_equal(keymap_lookup(&km, '?'), ACT_HELP);
	assert_int_equal(keymap_lookup(&km, KEY_DK_LEFT), ACT_BACK);
	assert_int_equal(keymap_lookup(&km, 'Z'), ACT_NONE);
	/* every action has a name, help, and a default key */
	for (int a = 1; a < ACT_COUNT; a++) {
		int k[1];
		assert_non_null(keymap_action_name(a));
		assert_non_null(keymap_action_help(a));
		assert_int_equal(keymap_action_find(keymap_action_name(a)), a);
		assert_int_equal(keymap_keys(&km, a, k, 1), 1);
	}
	assert_int_equal(keymap_missing(&km), ACT_NONE);
	/* quit, help and the decisions can never go keyless */
	assert_true(keymap_action_required(ACT_QUIT));
	assert_true(keymap_action_required(ACT_HELP));
	assert_true(keymap_action_required(ACT_ACCEPT));
	assert_false(keymap_action_required(ACT_LABEL_3));
	keymap_bind(&km, 'q', ACT_ACCEPT);
	assert_int_equal(keymap_missing(&km), ACT_QUIT);
	keymap_free(&km);
}

static void keymap_bind__rebinds__and_unbinds(void **state)
{
	(void)state;
	keymap km;
	keymap_init(&km);
	keymap_bind(&km, 'y', ACT_ACCEPT);
	keymap_bind(&km, 'a', ACT_NONE);
	assert_int_equal(keymap_lookup(&km, 'y'), ACT_ACCEPT);
	assert_int_equal(keymap_lookup(&km, 'a'), ACT_NONE);
	char buf[64];
	assert_string_equal(keymap_keys_text(&km, ACT_ACCEPT, buf, sizeof buf), "y");
	keymap_bind(&km, 's', ACT_ESCALATE); /* s was skip */
	assert_string_equal(keymap_keys_text(&km, ACT_ESCALATE, buf, sizeof buf),
			    "e/s");
	assert_string_equal(keymap_keys_text(&km, ACT_SKIP, buf, sizeof buf), "");
	keymap_free(&km);
}

static void keymap_key_parse__reads__what_key_name_writes(void **state)
{
	(void)state;
	int keys[] = {'a', KEY_DK_ENTER, ' ', KEY_DK_CTRL('l'), KEY_DK_F1 + 4,
		      KEY_DK_PGDN, KEY_DK_ESC, 0x00e9 /* é */, KEY_DK_BACKSPACE};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		char name[32];
		keymap_key_name(keys[i], name, sizeof name);
		assert_int_equal(keymap_key_parse(name), keys[i]);
	}
	assert_int_equal(keymap_key_parse("^L"), KEY_DK_CTRL('l'));
	assert_int_equal(keymap_key_parse("return"), KEY_DK_ENTER);
	assert_int_equal(keymap_key_parse("F13"), -1);
	assert_int_equal(keymap_key_parse("ab"), -1);
	assert_int_equal(keymap_key_parse(""), -1);
}

/* The desk's conventions are in the default table: g/G and Home/End,
 * / search, l the queue list, and names for S-Tab and the wheel. */
static void keymap_defaults__conventions_bound(void **state)
{
	(void)state;
	keymap km;
	keymap_init(&km);
	assert_int_equal(keymap_lookup(&km, 'g'), ACT_TOP);
	assert_int_equal(keymap_lookup(&km, KEY_DK_HOME), ACT_TOP);
	assert_int_equal(keymap_lookup(&km, 'G'), ACT_BOTTOM);
	assert_int_equal(keymap_lookup(&km, KEY_DK_END), ACT_BOTTOM);
	assert_int_equal(keymap_lookup(&km, '/'), ACT_SEARCH);
	assert_int_equal(keymap_lookup(&km, 'l'), ACT_QUEUE_LIST);
	assert_int_equal(keymap_action_find("queue-list"), ACT_QUEUE_LIST);
	assert_false(keymap_action_required(ACT_QUEUE_LIST));
	char buf[32];
	assert_string_equal(keymap_key_name(KEY_DK_BTAB, buf, sizeof buf), "S-Tab");
	assert_int_equal(keymap_key_parse("S-Tab"), KEY_DK_BTAB);
	assert_int_equal(keymap_lookup(&km, KEY_DK_CLICK(3, 4)), ACT_NONE);
	assert_true(KEY_DK_IS_CLICK(KEY_DK_CLICK(4095, 4095)));
	assert_int_equal(KEY_DK_CLICK_Y(KEY_DK_CLICK(7, 9)), 7);
	assert_int_equal(KEY_DK_CLICK_X(KEY_DK_CLICK(7, 9)), 9);
	keymap_free(&km);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keymap_init__defaults__bind_main_keys),
		cmocka_unit_test(keymap_bind__rebinds__and_unbinds),
		cmocka_unit_test(keymap_key_parse__reads__what_key_name_writes),
		cmocka_unit_test(keymap_defaults__conventions_bound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
