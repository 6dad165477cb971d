/* tui.c: the main loop shared by the screens: the loop alone draws (views
 * only say what changed), resize redraws at once, a terminal below the
 * minimum size gets the "terminal too small" screen, and a signal ends the
 * loop so the caller can clean up. */
#include "tui.h"

#include <stdlib.h>
#include <time.h>

#include "docket/keymap.h"
#include "term.h"

/* How long to wait for a key before telling the view it is idle. */
#define TUI_IDLE_MS 1000

static double tui_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void tui_record(struct tui_stats *st, double ms)
{
	if (!st)
		return;
	if (st->nkeys == st->capkeys) {
		st->capkeys = st->capkeys ? st->capkeys * 2 : 1024;
		st->key_ms = realloc(st->key_ms, sizeof *st->key_ms * (size_t)st->capkeys);
		if (!st->key_ms)
			abort();
	}
	st->key_ms[st->nkeys++] = ms;
}

int tui_run(const view_ops *v, void *ctx, int exit_after_first_frame,
	    struct tui_stats *stats)
{
	double start = tui_ms();
	int w, h;
	term_size(&w, &h);
	screen *scr = screen_new(w, h);
	int dirty = 1, idle_soon = 0, sig = 0;
	double key_at = -1;
	struct view_small_ctx small_ctx = {NULL};
	for (;;) {
		if (dirty) {
			term_size(&w, &h);
			screen_resize(scr, w, h);
			int small = w < VIEW_MIN_W || h < VIEW_MIN_H;
			if (small)
				view_small.draw(&small_ctx, scr);
			else
				v->draw(ctx, scr);
			term_paint(scr);
			dirty = 0;
			if (stats) {
				if (!stats->frames++)
					stats->first_frame_ms = tui_ms() - start;
				if (key_at >= 0)
					tui_record(stats, tui_ms() - key_at);
			}
			key_at = -1;
			if (exit_after_first_frame)
				break;
		}
		/* Right after a frame the view gets an idle turn at once
		 * (prefetch, counts) unless a key is already waiting. */
		int key = term_key(idle_soon ? 0 : TUI_IDLE_MS);
		idle_soon = 0;
		if ((sig = term_signal()) != 0)
			break;
		if (key == KEY_DK_RESIZE) {
			dirty = 1;
			continue;
		}
		int small = w < VIEW_MIN_W || h < VIEW_MIN_H;
		if (small && key != KEY_DK_IDLE) {
			/* keys do nothing on the small screen but ask to quit,
			 * through the view's one quit path (a typed note) */
			if (view_small.handle(&small_ctx, key) & VIEW_QUIT) {
				if (!v->quit || v->quit(ctx, &small_ctx.why) & VIEW_QUIT)
					break;
				dirty = 1;
			}
			continue;
		}
		if (!small)
			small_ctx.why = NULL;
		if (key != KEY_DK_IDLE)
			key_at = tui_ms();
		int res = v->handle(ctx, key);
		if (res & VIEW_QUIT)
			break;
		if (res & (VIEW_REDRAW | VIEW_RELOAD))
			dirty = 1;
		if (key != KEY_DK_IDLE)
			idle_soon = 1;
		else
			key_at = -1;
	}
	screen_free(scr);
	return sig;
}
