/* fuzz_keys.c: libFuzzer target for the reviewer's config file
 * (config_parse: bind, unbind, reason, theme lines; keymap_key_parse for
 * key names). The input is the file. Properties:
 *  - a refusal says "f.conf:LINE: ..." with LINE a line of the file;
 *  - every binding has a key that keymap_key_name names and
 *    keymap_key_parse reads back, and a real action; no key is bound twice;
 *  - an accepted file, written back (unbind the defaults, bind each key in
 *    table order, the reasons, the theme), parses to the same table, the
 *    same reasons and the same theme. */
#include "fuzz_util.h"

#include "docket/config.h"
#include "docket/keymap.h"

static void write_back(const config *c, sbuf *b)
{
	char name[32];
	config d;
	config_init(&d);
	for (size_t i = 0; i < d.keys.n; i++)
		sbuf_printf(b, "unbind %s\n", keymap_key_name(d.keys.b[i].key, name, sizeof name));
	config_free(&d);
	for (size_t i = 0; i < c->keys.n; i++)
		sbuf_printf(b, "bind %s %s\n",
			    keymap_key_name(c->keys.b[i].key, name, sizeof name),
			    keymap_action_name(c->keys.b[i].action));
	if (c->reasons_from_file)
		for (size_t i = 0; i < c->nreasons; i++)
			sbuf_printf(b, "reason %s %s\n", c->reasons[i].code, c->reasons[i].text);
	if (c->theme[0])
		sbuf_printf(b, "theme %s\n", c->theme);
}

static void check_table(const config *c)
{
	char name[32], text[256];
	for (size_t i = 0; i < c->keys.n; i++) {
		int key = c->keys.b[i].key, act = c->keys.b[i].action;
		keymap_key_name(key, name, sizeof name);
		FUZZ_CHECK(keymap_key_parse(name) == key, "key %d named '%s' reads back as %d",
			   key, name, keymap_key_parse(name));
		FUZZ_CHECK(act > ACT_NONE && act < ACT_COUNT, "key %s: action %d", name, act);
		FUZZ_CHECK(keymap_lookup(&c->keys, key) == act, "key %s bound twice", name);
	}
	for (int a = 0; a < ACT_COUNT; a++) {
		keymap_keys_text(&c->keys, a, text, sizeof text);
		FUZZ_CHECK(strlen(text) < sizeof text, "keys text");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	size_t n = strlen(text);
	dk_error err = {{0}};
	config c;
	config_init(&c);
	int rc = config_parse(&c, text, "f.conf", &err);
	check_table(&c);
	FUZZ_CHECK(memchr(c.theme, '\0', sizeof c.theme), "theme name not terminated");
	if (rc != DK_OK) {
		FUZZ_CHECK(rc == DK_ERR && fuzz_located(err.msg, "f.conf", fuzz_lines(text, n), NULL, NULL),
			   "refusal without f.conf:LINE: %s", err.msg);
	} else {
		sbuf b = {0};
		write_back(&c, &b);
		config d;
		config_init(&d);
		dk_error e2 = {{0}};
		FUZZ_CHECK(config_parse(&d, sbuf_str(&b), "back", &e2) == DK_OK,
			   "written back does not parse: %s\n%s", e2.msg, sbuf_str(&b));
		FUZZ_CHECK(d.keys.n == c.keys.n, "%zu bindings, %zu after writing back", c.keys.n,
			   d.keys.n);
		for (size_t i = 0; i < c.keys.n; i++)
			FUZZ_CHECK(d.keys.b[i].key == c.keys.b[i].key &&
					   d.keys.b[i].action == c.keys.b[i].action,
				   "binding %zu differs after writing back", i);
		FUZZ_CHECK(d.nreasons == c.nreasons, "%zu reasons, %zu after writing back",
			   c.nreasons, d.nreasons);
		for (size_t i = 0; i < c.nreasons; i++)
			FUZZ_CHECK(!strcmp(d.reasons[i].code, c.reasons[i].code) &&
					   !strcmp(d.reasons[i].text, c.reasons[i].text),
				   "reason %zu: '%s' '%s' became '%s' '%s'", i, c.reasons[i].code,
				   c.reasons[i].text, d.reasons[i].code, d.reasons[i].text);
		FUZZ_CHECK(!strcmp(d.theme, c.theme), "theme '%s' became '%s'", c.theme, d.theme);
		config_free(&d);
		sbuf_free(&b);
	}
	config_free(&c);
	free(text);
	return 0;
}
