/* tui.h: the main loop of a screen: draw the view into the screen model,
 * paint it, read a key, let the view handle it; resize, the "terminal too
 * small" screen and signals are handled here, for every view. */
#ifndef DOCKET_TUI_H
#define DOCKET_TUI_H

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
