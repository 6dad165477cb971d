/* config.c: reads the reviewer's config file: key bindings, reason codes,
 * theme. */
#include "docket/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The store's default reason codes (queue.c) with a line of help each; a
 * config file can choose and describe others. */
static const char *const config_builtin_reasons[][2] = {
	{"ambiguous", "the case could honestly go either way"},
	{"missing-context", "what is shown is not enough to judge"},
	{"bad-input", "the input looks wrong or incomplete"},
	{"out-of-scope", "not something this model should judge"},
	{"policy-question", "a question of policy, not of labelling"},
	{"label-set-gap", "the right label is not in the label set"},
	{"needs-expert", "needs knowledge the reviewer does not have"},
	{"conflict-of-interest", "the reviewer should not judge this one"},
	{"other", "none of the above (say why in a note)"},
};

static void config_clear_reasons(config *c)
{
	for (size_t i = 0; i < c->nreasons; i++) {
		free(c->reasons[i].code);
		free(c->reasons[i].text);
	}
	free(c->reasons);
	c->reasons = NULL;
	c->nreasons = 0;
}

static void config_add_reason(config *c, const char *code, const char *text)
{
	c->reasons = dk_xrealloc(c->reasons, sizeof *c->reasons * (c->nreasons + 1));
	c->reasons[c->nreasons].code = dk_xstrdup(code);
	c->reasons[c->nreasons].text = dk_xstrdup(text ? text : "");
	c->nreasons++;
}

void config_set_reasons(config *c, const char *const *codes,
			const char *const *texts, size_t n)
{
	config_clear_reasons(c);
	for (size_t i = 0; i < n; i++)
		config_add_reason(c, codes[i], texts ? texts[i] : "");
}

void config_init(config *c)
{
	memset(c, 0, sizeof *c);
	keymap_init(&c->keys);
	c->mouse = 1;
	for (size_t i = 0;
	     i < sizeof config_builtin_reasons / sizeof config_builtin_reasons[0]; i++)
		config_add_reason(c, config_builtin_reasons[i][0],
				  config_builtin_reasons[i][1]);
}

void config_free(config *c)
{
	keymap_free(&c->keys);
	config_clear_reasons(c);
}

const char *config_path(char *buf, size_t len)
{
	const char *env = getenv("DOCKET_CONFIG");
	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return buf;
	}
	const char *xdg = getenv("XDG_CONFIG_HOME");
	if (xdg && *xdg == '/') {
		snprintf(buf, len, "%s/docket/config", xdg);
		return buf;
	}
	const char *home = getenv("HOME");
	if (home && *home) {
		snprintf(buf, len, "%s/.config/docket/config", home);
		return buf;
	}
	return NULL;
}

static int config_reason_ok(const char *code)
{
	for (const char *p = code; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		      *p == '.'))
			return 0;
	return *code != '\0';
}

int config_parse(config *c, const char *text, const char *name, dk_error *err)
{
	/* where each action lost its last key, to name the line if no later
	 * line gives it one back */
	int lost_line[ACT_COUNT] = {0};
	char lost_how[ACT_COUNT][80];
	int lineno = 0;
	const char *p = text;
	char line[1024];
	int got;
	while ((got = dk_next_line(&p, line, sizeof line, &lineno)) != 0) {
		if (got < 0)
			return dk_fail(err, "%s:%d: line too long", name, lineno);
		if (!dk_utf8_valid(line, strlen(line)))
			return dk_fail(err, "%s:%d: not UTF-8", name, lineno);
		/* '#' starts a comment, except as the key of bind/unbind */
		char *save = NULL;
		char *cmd = strtok_r(line, " \t\r", &save);
		if (!cmd || cmd[0] == '#')
			continue;
		char *arg1 = strtok_r(NULL, " \t\r", &save);
		char *rest = save ? save + strspn(save, " \t") : NULL;
		if (rest) {
			char *hash = strchr(rest, '#');
			if (hash)
				*hash = '\0';
			size_t rl = strlen(rest);
			while (rl && (rest[rl - 1] == ' ' || rest[rl - 1] == '\t' ||
				      rest[rl - 1] == '\r'))
				rest[--rl] = '\0';
		}
		if (!strcmp(cmd, "bind") || !strcmp(cmd, "unbind")) {
			int unbind = cmd[0] == 'u';
			if (!arg1)
				return dk_fail(err, "%s:%d: %s: missing key", name,
					       lineno, cmd);
			int key = keymap_key_parse(arg1);
			if (key < 0)
				return dk_fail(err, "%s:%d: %s: unknown key '%s'",
					       name, lineno, cmd, arg1);
			int action = ACT_NONE;
			if (!unbind) {
				if (!rest || !*rest)
					return dk_fail(err,
						       "%s:%d: bind %s: missing action",
						       name, lineno, arg1);
				action = keymap_action_find(rest);
				if (action == ACT_NONE)
					return dk_fail(err,
						       "%s:%d: bind %s: unknown action "
						       "'%s'",
						       name, lineno, arg1, rest);
			} else if (rest && *rest) {
				return dk_fail(err, "%s:%d: unbind %s: unexpected '%s'",
					       name, lineno, arg1, rest);
			}
			int was = keymap_lookup(&c->keys, key), k[1];
			keymap_bind(&c->keys, key, action);
			if (was != ACT_NONE && was != action &&
			    !keymap_keys(&c->keys, was, k, 1)) {
				lost_line[was] = lineno;
				snprintf(lost_how[was], sizeof lost_how[was],
					 "%s %s%s%s", cmd, arg1, unbind ? "" : " ",
					 unbind ? "" : rest);
			}
		} else if (!strcmp(cmd, "reason")) {
			if (!arg1 || arg1[0] == '#')
				return dk_fail(err, "%s:%d: reason: missing code",
					       name, lineno);
			if (!config_reason_ok(arg1))
				return dk_fail(err,
					       "%s:%d: reason '%s': use letters, "
					       "digits, '-', '_' or '.'",
					       name, lineno, arg1);
			if (!c->reasons_from_file) {
				config_clear_reasons(c);
				c->reasons_from_file = 1;
			}
			for (size_t i = 0; i < c->nreasons; i++)
				if (!strcmp(c->reasons[i].code, arg1))
					return dk_fail(err,
						       "%s:%d: reason '%s' given twice",
						       name, lineno, arg1);
			config_add_reason(c, arg1, rest ? rest : "");
		} else if (!strcmp(cmd, "theme")) {
			if (!arg1 || arg1[0] == '#')
				return dk_fail(err, "%s:%d: theme: missing name",
					       name, lineno);
			if (rest && *rest)
				return dk_fail(err, "%s:%d: theme: one name expected",
					       name, lineno);
			/* Cutting it could split a UTF-8 character (found by
			 * fuzz/fuzz_keys.c). */
			if (strlen(arg1) >= sizeof c->theme)
				return dk_fail(err, "%s:%d: theme: name longer than %zu bytes",
					       name, lineno, sizeof c->theme - 1);
			snprintf(c->theme, sizeof c->theme, "%s", arg1);
		} else if (!strcmp(cmd, "mouse")) {
			/* "mouse off" or "mouse = off" */
			const char *v = arg1;
			if (v && !strcmp(v, "=")) {
				v = rest;
				rest = NULL;
			}
			if (!v || (rest && *rest) ||
			    (strcmp(v, "on") && strcmp(v, "off")))
				return dk_fail(err, "%s:%d: mouse: on or off expected",
					       name, lineno);
			c->mouse = !strcmp(v, "on");
		} else {
			return dk_fail(err,
				       "%s:%d: unknown setting '%s' (expected bind, "
				       "unbind, reason, theme or mouse)",
				       name, lineno, cmd);
		}
	}
	/* a screen with no quit key (or help, accept, ...) is a trap: refuse
	 * it, naming the action and the line that took its last key */
	int a = keymap_missing(&c->keys);
	if (a != ACT_NONE) {
		if (lost_line[a])
			return dk_fail(err,
				       "%s:%d: '%s' leaves no key for %s: bind "
				       "another key to %s",
				       name, lost_line[a], lost_how[a],
				       keymap_action_name(a), keymap_action_name(a));
		return dk_fail(err, "%s: no key for %s: bind one to it", name,
			       keymap_action_name(a));
	}
	return DK_OK;
}

int config_load_file(config *c, const char *path, dk_error *err)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT)
			return DK_EMPTY;
		return dk_fail(err, "%s: %s", path, strerror(errno));
	}
	sbuf b = {0};
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0 && b.len < (1 << 20))
		sbuf_add(&b, buf, n);
	fclose(f);
	if (memchr(sbuf_str(&b), '\0', b.len)) {
		sbuf_free(&b);
		return dk_fail(err, "%s: not a text file", path);
	}
	int rc = config_parse(c, sbuf_str(&b), path, err);
	if (rc == DK_OK)
		snprintf(c->path, sizeof c->path, "%s", path);
	sbuf_free(&b);
	return rc;
}

int config_load_user(config *c, dk_error *err)
{
	char path[4096];
	if (!config_path(path, sizeof path))
		return DK_OK;
	int rc = config_load_file(c, path, err);
	return rc == DK_EMPTY ? DK_OK : rc;
}
