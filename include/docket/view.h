/* view.h: what a screen view is: a table of functions that draw into the
 * screen model and handle keys, returning what changed. The main loop (the
 * terminal layer) alone paints; handlers never draw. */
#ifndef DOCKET_VIEW_H
#define DOCKET_VIEW_H

#include "docket/screen.h"

/* What a key changed, as bits a handler returns. */
enum view_result {
	VIEW_NONE = 0,         /* nothing: no redraw needed */
	VIEW_REDRAW = 1 << 0,  /* draw again from the view's state */
	VIEW_RELOAD = 1 << 1,  /* data changed: reload, then draw */
	VIEW_QUIT = 1 << 2,    /* leave the screen */
};

/* A view. ctx is the view's own state. Each view file ends with its ops as
 * a designated initializer. */
typedef struct view_ops {
	const char *name;
	/* Draw the whole screen from the state (scr is cleared first). */
	void (*draw)(void *ctx, screen *scr);
	/* Handle one key (keymap.h codes, including KEY_DK_IDLE and
	 * KEY_DK_RESIZE); returns view_result bits. */
	int (*handle)(void *ctx, int key);
	/* The user asks to leave (the view's quit key, or q on the "too
	 * small" screen): the one quit path. Returns VIEW_QUIT to leave now;
	 * otherwise *why (the view's) says what leaving would lose, and the
	 * next ask leaves. NULL: leaving loses nothing. */
	int (*quit)(void *ctx, const char **why);
} view_ops;

/* The size below which views are not drawn: the "terminal too small"
 * screen shows instead. */
#define VIEW_MIN_W 40
#define VIEW_MIN_H 12

/* The "terminal too small" screen: says the size needed and the size now,
 * and what quitting would lose once the user asked. */
struct view_small_ctx {
	const char *why; /* NULL, or what q would lose (from the view's quit) */
};
extern const view_ops view_small;

#endif
