/* keymap.h: the actions a screen knows, and which keys run them. One X-macro
 * list gives the action enum, the names a config file uses and the help
 * text; a flat default {key, action} table can be rebound at run time, and
 * help is drawn from the live table. Keys are terminal-independent codes. */
#ifndef DOCKET_KEYMAP_H
#define DOCKET_KEYMAP_H

#include <stddef.h>

/* Keys: a Unicode code point for a character (Ctrl-A..Ctrl-Z are 1..26,
 * Tab 9, Enter 10, Esc 27), or one of these for keys without a character. */
enum keymap_special {
	KEY_DK_BASE = 0x200000,
	KEY_DK_UP,
	KEY_DK_DOWN,
	KEY_DK_LEFT,
	KEY_DK_RIGHT,
	KEY_DK_PGUP,
	KEY_DK_PGDN,
	KEY_DK_HOME,
	KEY_DK_END,
	KEY_DK_BACKSPACE,
	KEY_DK_DELETE,
	KEY_DK_INSERT,
	KEY_DK_F1, /* F1..F12 follow in order */
	KEY_DK_F12 = KEY_DK_F1 + 11,
	KEY_DK_BTAB,       /* Shift-Tab */
	KEY_DK_WHEEL_UP,   /* the mouse wheel */
	KEY_DK_WHEEL_DOWN,
	/* Not keys: events the terminal layer delivers through the same path. */
	KEY_DK_RESIZE,
	KEY_DK_IDLE, /* no key for a while: refresh, renew leases */
	KEY_DK_NONE,
};
/* A mouse click at row y, column x (each below 4096): one code, so a click
 * travels the key path; keymap_lookup finds no action for it. */
#define KEY_DK_CLICK_BASE 0x300000
#define KEY_DK_CLICK(y, x) (KEY_DK_CLICK_BASE + ((y) << 12) + (x))
#define KEY_DK_IS_CLICK(k) ((k) >= KEY_DK_CLICK_BASE && (k) < KEY_DK_CLICK_BASE + (1 << 24))
#define KEY_DK_CLICK_Y(k) (((k) - KEY_DK_CLICK_BASE) >> 12)
#define KEY_DK_CLICK_X(k) (((k) - KEY_DK_CLICK_BASE) & 0xfff)
#define KEY_DK_ENTER 10
#define KEY_DK_ESC 27
#define KEY_DK_TAB 9
#define KEY_DK_CTRL(c) ((c) & 0x1f)

/* X(ENUM, "config name", "help text") in the order help lists them. */
#define KEYMAP_ACTIONS(X) \
	X(ACCEPT, "accept", "accept the model's label and move on") \
	X(OVERRIDE, "override", "pick the right label from a list") \
	X(LABEL_1, "label-1", "the 1st label (the model's label accepts)") \
	X(LABEL_2, "label-2", "the 2nd label") \
	X(LABEL_3, "label-3", "the 3rd label") \
	X(LABEL_4, "label-4", "the 4th label") \
	X(LABEL_5, "label-5", "the 5th label") \
	X(LABEL_6, "label-6", "the 6th label") \
	X(LABEL_7, "label-7", "the 7th label") \
	X(LABEL_8, "label-8", "the 8th label") \
	X(LABEL_9, "label-9", "the 9th label") \
	X(ESCALATE, "escalate", "send to a supervisor, with a reason") \
	X(SKIP, "skip", "back to the queue, with a reason") \
	X(NOTE, "note", "write a note kept with the next decision") \
	X(UNDO, "undo", "take back your last decision") \
	X(BACK, "back", "re-check an earlier decision; deciding amends it") \
	X(FORWARD, "forward", "next recent decision, then the queue") \
	X(REVEAL, "reveal", "show masked personal fields (logged)") \
	X(SCROLL_DOWN, "scroll-down", "scroll the case down a line") \
	X(SCROLL_UP, "scroll-up", "scroll the case up a line") \
	X(PAGE_DOWN, "page-down", "scroll the case down a page") \
	X(PAGE_UP, "page-up", "scroll the case up a page") \
	X(TOP, "top", "to the top of the case") \
	X(BOTTOM, "bottom", "to the bottom of the case") \
	X(SEARCH, "search", "find text in the case; then n/N next/previous, Esc ends") \
	X(QUEUE_LIST, "queue-list", "the cases waiting for you: filter, jump to one") \
	X(REFRESH, "refresh", "reload counts and redraw the screen") \
	X(HELP, "help", "this help; any key closes it") \
	X(QUIT, "quit", "give back held cases and quit")

enum keymap_action {
	ACT_NONE = 0,
#define KEYMAP_ENUM(e, name, help) ACT_##e,
	KEYMAP_ACTIONS(KEYMAP_ENUM)
#undef KEYMAP_ENUM
	ACT_COUNT
};

struct keymap_binding {
	int key;
	int action;
};

typedef struct keymap {
	struct keymap_binding *b;
	size_t n, cap;
} keymap;

/* Fill km with the default table. Free with keymap_free. */
void keymap_init(keymap *km);
void keymap_free(keymap *km);

/* The action bound to key, or ACT_NONE. */
int keymap_lookup(const keymap *km, int key);

/* Bind key to action, replacing what key did before. action ACT_NONE
 * unbinds the key. */
void keymap_bind(keymap *km, int key, int action);

/* 1 when the screen cannot be used fully without a key for action: every
 * action but label-1..9 (the override picker reaches every label),
 * scroll-up/-down, top and bottom (the page keys reach every line), search
 * and queue-list (helps, not needed) and refresh (the screen refreshes
 * itself). A config may not leave one of these without a key. */
int keymap_action_required(int action);

/* The first required action with no key in km, or ACT_NONE. */
int keymap_missing(const keymap *km);

/* Up to max keys bound to action, in table order. Returns how many. */
size_t keymap_keys(const keymap *km, int action, int *keys, size_t max);

/* Name and help text of an action (NULL when out of range); the action of a
 * name, or ACT_NONE. */
const char *keymap_action_name(int action);
const char *keymap_action_help(int action);
int keymap_action_find(const char *name);

/* The name of key as a config file and help write it: "a", "Enter",
 * "Space", "C-l", "Up", "F1", ... into buf (at least 16 bytes). */
const char *keymap_key_name(int key, char *buf, size_t len);

/* Parse a key name (the forms keymap_key_name writes, also "^L", "<" and a
 * single UTF-8 character). Returns the key or -1. */
int keymap_key_parse(const char *name);

/* All the keys of action joined by "/" ("a/Enter"), or "" when unbound,
 * into buf. */
const char *keymap_keys_text(const keymap *km, int action, char *buf,
			     size_t len);

#endif
