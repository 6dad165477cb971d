/* keymap.c: actions, the default key table, rebinding and key names. */
#include "docket/keymap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "docket/text.h"
#include "docket/util.h"

static const char *const keymap_names[ACT_COUNT] = {
	[ACT_NONE] = "none",
#define KEYMAP_NAME(e, name, help) [ACT_##e] = name,
	KEYMAP_ACTIONS(KEYMAP_NAME)
#undef KEYMAP_NAME
};

static const char *const keymap_helps[ACT_COUNT] = {
	[ACT_NONE] = "does nothing",
#define KEYMAP_HELP(e, name, help) [ACT_##e] = help,
	KEYMAP_ACTIONS(KEYMAP_HELP)
#undef KEYMAP_HELP
};

/* The default keys. Digits pick labels; letters are the actions' initials
 * where that reads well. */
static const struct keymap_binding keymap_defaults[] = {
	{'a', ACT_ACCEPT},
	{'o', ACT_OVERRIDE},
	{'1', ACT_LABEL_1},
	{'2', ACT_LABEL_2},
	{'3', ACT_LABEL_3},
	{'4', ACT_LABEL_4},
	{'5', ACT_LABEL_5},
	{'6', ACT_LABEL_6},
	{'7', ACT_LABEL_7},
	{'8', ACT_LABEL_8},
	{'9', ACT_LABEL_9},
	{'e', ACT_ESCALATE},
	{'s', ACT_SKIP},
	{'n', ACT_NOTE},
	{'u', ACT_UNDO},
	{'[', ACT_BACK},
	{KEY_DK_LEFT, ACT_BACK},
	{']', ACT_FORWARD},
	{KEY_DK_RIGHT, ACT_FORWARD},
	{'r', ACT_REVEAL},
	{'j', ACT_SCROLL_DOWN},
	{KEY_DK_DOWN, ACT_SCROLL_DOWN},
	{'k', ACT_SCROLL_UP},
	{KEY_DK_UP, ACT_SCROLL_UP},
	{KEY_DK_PGDN, ACT_PAGE_DOWN},
	{' ', ACT_PAGE_DOWN},
	{KEY_DK_PGUP, ACT_PAGE_UP},
	{'g', ACT_TOP},
	{KEY_DK_HOME, ACT_TOP},
	{'G', ACT_BOTTOM},
	{KEY_DK_END, ACT_BOTTOM},
	{'/', ACT_SEARCH},
	{'l', ACT_QUEUE_LIST},
	{KEY_DK_CTRL('l'), ACT_REFRESH},
	{'?', ACT_HELP},
	{KEY_DK_F1, ACT_HELP},
	{'q', ACT_QUIT},
};

void keymap_init(keymap *km)
{
	size_t n = sizeof keymap_defaults / sizeof keymap_defaults[0];
	km->cap = n + 16;
	km->b = dk_xmalloc(sizeof *km->b * km->cap);
	memcpy(km->b, keymap_defaults, sizeof keymap_defaults);
	km->n = n;
}

void keymap_free(keymap *km)
{
	free(km->b);
	memset(km, 0, sizeof *km);
}

int keymap_lookup(const keymap *km, int key)
{
	for (size_t i = 0; i < km->n; i++)
		if (km->b[i].key == key)
			return km->b[i].action;
	return ACT_NONE;
}

void keymap_bind(keymap *km, int key, int action)
{
	for (size_t i = 0; i < km->n; i++) {
		if (km->b[i].key != key)
			continue;
		if (action == ACT_NONE) {
			memmove(&km->b[i], &km->b[i + 1],
				sizeof *km->b * (km->n - i - 1));
			km->n--;
		} else {
			km->b[i].action = action;
		}
		return;
	}
	if (action == ACT_NONE)
		return;
	if (km->n == km->cap) {
		km->cap = km->cap ? km->cap * 2 : 16;
		km->b = dk_xrealloc(km->b, sizeof *km->b * km->cap);
	}
	km->b[km->n].key = key;
	km->b[km->n].action = action;
	km->n++;
}

size_t keymap_keys(const keymap *km, int action, int *keys, size_t max)
{
	size_t got = 0;
	for (size_t i = 0; i < km->n && got < max; i++)
		if (km->b[i].action == action)
			keys[got++] = km->b[i].key;
	return got;
}

int keymap_action_required(int action)
{
	if (action <= ACT_NONE || action >= ACT_COUNT)
		return 0;
	if (action >= ACT_LABEL_1 && action <= ACT_LABEL_9)
		return 0;
	/* the page keys reach the top and bottom; search and the queue
	 * list help but are not needed to review */
	return action != ACT_SCROLL_DOWN && action != ACT_SCROLL_UP &&
	       action != ACT_REFRESH && action != ACT_TOP &&
	       action != ACT_BOTTOM && action != ACT_SEARCH &&
	       action != ACT_QUEUE_LIST;
}

int keymap_missing(const keymap *km)
{
	int k[1];
	for (int a = 1; a < ACT_COUNT; a++)
		if (keymap_action_required(a) && !keymap_keys(km, a, k, 1))
			return a;
	return ACT_NONE;
}

const char *keymap_action_name(int action)
{
	return action >= 0 && action < ACT_COUNT ? keymap_names[action] : NULL;
}

const char *keymap_action_help(int action)
{
	return action >= 0 && action < ACT_COUNT ? keymap_helps[action] : NULL;
}

int keymap_action_find(const char *name)
{
	for (int i = 1; i < ACT_COUNT; i++)
		if (!strcmp(keymap_names[i], name))
			return i;
	return ACT_NONE;
}

static const struct {
	int key;
	const char *name;
} keymap_key_names[] = {
	{KEY_DK_ENTER, "Enter"},   {KEY_DK_TAB, "Tab"},
	{KEY_DK_ESC, "Esc"},       {' ', "Space"},
	{KEY_DK_UP, "Up"},         {KEY_DK_DOWN, "Down"},
	{KEY_DK_LEFT, "Left"},     {KEY_DK_RIGHT, "Right"},
	{KEY_DK_PGUP, "PgUp"},     {KEY_DK_PGDN, "PgDn"},
	{KEY_DK_HOME, "Home"},     {KEY_DK_END, "End"},
	{KEY_DK_BACKSPACE, "Backspace"}, {KEY_DK_DELETE, "Delete"},
	{KEY_DK_INSERT, "Insert"}, {KEY_DK_BTAB, "S-Tab"},
	{KEY_DK_WHEEL_UP, "WheelUp"}, {KEY_DK_WHEEL_DOWN, "WheelDown"},
};
#define KEYMAP_NKEYNAMES (sizeof keymap_key_names / sizeof keymap_key_names[0])

const char *keymap_key_name(int key, char *buf, size_t len)
{
	for (size_t i = 0; i < KEYMAP_NKEYNAMES; i++)
		if (keymap_key_names[i].key == key) {
			snprintf(buf, len, "%s", keymap_key_names[i].name);
			return buf;
		}
	if (key >= KEY_DK_F1 && key <= KEY_DK_F12)
		snprintf(buf, len, "F%d", key - KEY_DK_F1 + 1);
	else if (key >= 1 && key <= 26)
		snprintf(buf, len, "C-%c", 'a' + key - 1);
	else if (key > ' ' && key < 0x110000 && key != 0x7f) {
		char u[5];
		size_t n = text_encode((uint32_t)key, u);
		u[n] = '\0';
		snprintf(buf, len, "%s", u);
	} else
		snprintf(buf, len, "<%d>", key);
	return buf;
}

int keymap_key_parse(const char *name)
{
	size_t n = strlen(name);
	if (n == 0)
		return -1;
	for (size_t i = 0; i < KEYMAP_NKEYNAMES; i++)
		if (!strcasecmp(keymap_key_names[i].name, name))
			return keymap_key_names[i].key;
	if (!strcasecmp(name, "Return"))
		return KEY_DK_ENTER;
	if (!strcasecmp(name, "Escape"))
		return KEY_DK_ESC;
	if ((name[0] == 'F' || name[0] == 'f') && n >= 2 && n <= 3 &&
	    name[1] >= '1' && name[1] <= '9') {
		int f = atoi(name + 1);
		if (f >= 1 && f <= 12)
			return KEY_DK_F1 + f - 1;
	}
	if (n == 3 && (name[0] == 'C' || name[0] == 'c') && name[1] == '-') {
		char c = name[2];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c >= 'a' && c <= 'z')
			return KEY_DK_CTRL(c);
		return -1;
	}
	if (n == 2 && name[0] == '^') {
		char c = name[1];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c >= 'A' && c <= 'Z')
			return KEY_DK_CTRL(c);
		return -1;
	}
	uint32_t cp;
	size_t l = text_decode(name, n, &cp);
	if (l == n && cp != 0xfffd && cp > ' ' && cp != 0x7f)
		return (int)cp;
	return -1;
}

const char *keymap_keys_text(const keymap *km, int action, char *buf,
			     size_t len)
{
	size_t at = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < km->n; i++) {
		if (km->b[i].action != action)
			continue;
		char name[32];
		keymap_key_name(km->b[i].key, name, sizeof name);
		int w = snprintf(buf + at, len - at, "%s%s", at ? "/" : "", name);
		if (w < 0 || (size_t)w >= len - at) {
			buf[at] = '\0';
			break;
		}
		at += (size_t)w;
	}
	return buf;
}
