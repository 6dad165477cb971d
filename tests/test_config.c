/* test_config.c: the config file rebinds keys, sets reason codes and the
 * theme; errors name file and line; DOCKET_CONFIG and XDG pick the file. */
#include "fixture.h"

#include "docket/config.h"

static void config_parse__applies__binds_reasons_theme(void **state)
{
	(void)state;
	config c;
	dk_error err = {{0}};
	config_init(&c);
	assert_true(c.nreasons > 0);
	assert_int_equal(config_parse(&c,
				      "# mine\n"
				      "bind y accept   # y for yes\n"
				      "unbind a\n"
				      "bind # help\n"
				      "reason unclear  cannot tell from the text\n"
				      "reason other\n"
				      "theme light\n",
				      "cfg", &err),
			 DK_OK);
	assert_int_equal(keymap_lookup(&c.keys, 'y'), ACT_ACCEPT);
	assert_int_equal(keymap_lookup(&c.keys, 'a'), ACT_NONE);
	assert_int_equal(keymap_lookup(&c.keys, '#'), ACT_HELP);
	assert_int_equal(c.nreasons, 2);
	assert_string_equal(c.reasons[0].code, "unclear");
	assert_string_equal(c.reasons[0].text, "cannot tell from the text");
	assert_string_equal(c.reasons[1].text, "");
	assert_string_equal(c.theme, "light");
	config_free(&c);
}

static void config_parse__errors__name_file_and_line(void **state)
{
	(void)state;
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{"bind\n", "f:1: bind: missing key"},
		{"\nbind x frobnicate\n", "f:2: bind x: unknown action 'frobnicate'"},
		{"bind Hyper-x accept\n", "f:1: bind: unknown key 'Hyper-x'"},
		{"colour red\n", "f:1: unknown setting 'colour' (expected bind, unbind, "
				 "reason, theme or mouse)"},
		{"reason a b\nreason a\n", "f:2: reason 'a' given twice"},
		{"reason x/y\n", "f:1: reason 'x/y': use letters, digits, '-', '_' or '.'"},
		{"theme a b\n", "f:1: theme: one name expected"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		config c;
		dk_error err = {{0}};
		config_init(&c);
		assert_int_equal(config_parse(&c, cases[i].text, "f", &err), DK_ERR);
		assert_string_equal(err.msg, cases[i].msg);
		config_free(&c);
	}
}

/* A config that leaves a needed action with no key is refused, naming the
 * action and the line that took its last key; giving it a key again on a
 * later line is fine, and optional actions may go keyless. */
static void config_parse__action_left_keyless__refused_by_name(void **state)
{
	(void)state;
	static const struct {
		const char *text, *msg; /* msg NULL: accepted */
	} cases[] = {
		{"bind q accept\n",
		 "f:1: 'bind q accept' leaves no key for quit: bind another key "
		 "to quit"},
		{"bind q accept\nbind Q quit\n", NULL},
		{"# help on h only\nunbind ?\nunbind F1\n",
		 "f:3: 'unbind F1' leaves no key for help: bind another key to "
		 "help"},
		{"bind a note\n",
		 "f:1: 'bind a note' leaves no key for accept: bind another key "
		 "to accept"},
		{"bind a note\nbind n accept\n", NULL}, /* swapped */
		{"unbind 9\nunbind j\nunbind Down\nunbind C-l\n", NULL},
		{"unbind PgDn\nunbind Space\n",
		 "f:2: 'unbind Space' leaves no key for page-down: bind another "
		 "key to page-down"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		config c;
		dk_error err = {{0}};
		config_init(&c);
		int rc = config_parse(&c, cases[i].text, "f", &err);
		if (cases[i].msg) {
			assert_int_equal(rc, DK_ERR);
			assert_string_equal(err.msg, cases[i].msg);
		} else if (rc != DK_OK) {
			fail_msg("%s: %s", cases[i].text, err.msg);
		}
		config_free(&c);
	}
	/* and for every required action: taking its keys away is refused */
	for (int a = 1; a < ACT_COUNT; a++) {
		config c;
		dk_error err = {{0}};
		config_init(&c);
		int keys[8];
		size_t n = keymap_keys(&c.keys, a, keys, 8);
		char text[512] = "";
		for (size_t k = 0; k < n; k++) {
			char kn[32];
			keymap_key_name(keys[k], kn, sizeof kn);
			snprintf(text + strlen(text), sizeof text - strlen(text),
				 "unbind %s\n", kn);
		}
		int rc = config_parse(&c, text, "f", &err);
		if (keymap_action_required(a)) {
			assert_int_equal(rc, DK_ERR);
			assert_non_null(strstr(err.msg, keymap_action_name(a)));
		} else {
			assert_int_equal(rc, DK_OK);
		}
		config_free(&c);
	}
}

static void config_path__prefers__docket_config_then_xdg(void **state)
{
	(void)state;
	char buf[256];
	setenv("DOCKET_CONFIG", "/tmp/x.conf", 1);
	assert_string_equal(config_path(buf, sizeof buf), "/tmp/x.conf");
	setenv("DOCKET_CONFIG", "", 1);
	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	assert_string_equal(config_path(buf, sizeof buf), "/xdg/docket/config");
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", "/home/r", 1);
	assert_string_equal(config_path(buf, sizeof buf),
			    "/home/r/.config/docket/config");
}

static void config_load_file__missing__is_not_an_error(void **state)
{
	(void)state;
	config c;
	dk_error err = {{0}};
	config_init(&c);
	assert_int_equal(config_load_file(&c, "/nonexistent/docket/config", &err),
			 DK_EMPTY);
	char path[128];
	snprintf(path, sizeof path, "%s/docket-cfg-XXXXXX", fixture_tmp());
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "bind x quit\nbind", 16), 16);
	close(fd);
	assert_int_equal(config_load_file(&c, path, &err), DK_ERR);
	char want[sizeof path + 32];
	snprintf(want, sizeof want, "%s:2: bind: missing key", path);
	assert_string_equal(err.msg, want);
	unlink(path);
	config_free(&c);
}

/* mouse on/off: on by default; "mouse off" and "mouse = off" turn it off;
 * anything else is an error naming the line. */
static void config_parse__mouse__on_off(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int mouse; /* -1: refused */
	} cases[] = {
		{"", 1},
		{"mouse off\n", 0},
		{"mouse = off\n", 0},
		{"mouse off\nmouse on\n", 1},
		{"mouse\n", -1},
		{"mouse maybe\n", -1},
		{"mouse = off extra\n", -1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		config c;
		dk_error err = {{0}};
		config_init(&c);
		int rc = config_parse(&c, cases[i].text, "f", &err);
		if (cases[i].mouse < 0) {
			assert_int_equal(rc, DK_ERR);
			assert_non_null(strstr(err.msg, "mouse: on or off expected"));
		} else {
			assert_int_equal(rc, DK_OK);
			assert_int_equal(c.mouse, cases[i].mouse);
		}
		config_free(&c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(config_parse__applies__binds_reasons_theme),
		cmocka_unit_test(config_parse__errors__name_file_and_line),
		cmocka_unit_test(config_parse__action_left_keyless__refused_by_name),
		cmocka_unit_test(config_path__prefers__docket_config_then_xdg),
		cmocka_unit_test(config_load_file__missing__is_not_an_error),
		cmocka_unit_test(config_parse__mouse__on_off),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
