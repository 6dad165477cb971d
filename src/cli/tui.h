/* tui.h: the main loop of a screen: draw the view into the screen model,
 * paint it, read a key, let the view handle it; resize, the "terminal too
 * small" screen and signals are handled here, for every view. */
#ifndef DOCKET_TUI_H
#define DOCKET_TUI_H

#include <stddef.h>

#include "docket/store.h"
#include "docket/theme.h"
#include "docket/view.h"

struct tui_stats {
	int frames;
	double first_frame_ms;   /* from tui_run's start to the first paint */
	double *key_ms;          /* per handled key: key in to frame painted */
	int nkeys, capkeys;
};

/* Run view v over ctx until it returns VIEW_QUIT or a signal arrives.
 * exit_after_first_frame (benchmarks) stops after the first paint. stats
 * may be NULL. The terminal must be started (term_init). Returns 0 when
 * the view quit, or the signal number. */
int tui_run(const view_ops *v, void *ctx, int exit_after_first_frame,
	    struct tui_stats *stats);

#endif

/* The reviewer's screen on an open store (docket review, docket demo). */
struct tui_review_opts {
	const char *reviewer; /* NULL: the login name */
	const char *model;    /* NULL: every model */
	const char *theme;    /* NULL: the config's, else default */
	int64_t case_id;      /* not 0: open this case first (--case) */
};

/* Run it until the reviewer quits or a signal comes; held cases are given
 * back either way. Returns the process exit status. */
int tui_review(store *s, const struct tui_review_opts *o);

/* Load theme NAME for a screen (review and supervise alike): a path, or
 * NAME.theme in the user's config themes/ directory, then next to the
 * binary (tui_find_near_binary); "default" and "mono" are built in. As
 * theme_load: on failure th is the default theme and err the warning. */
int tui_theme_load(theme *th, const char *name, dk_error *err);

/* Look for NAME (a file or directory) next to the binary: DIR/NAME,
 * DIR/../NAME and DIR/../share/docket/NAME where DIR holds the running
 * binary. Writes the first that exists into buf; returns buf or NULL. */
const char *tui_find_near_binary(const char *name, char *buf, size_t len);
