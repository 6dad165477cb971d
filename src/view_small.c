/* view_small.c: the screen shown when the terminal is below the minimum
 * size: what is needed, how to quit, and what quitting would lose. */
#include "docket/view.h"

#include <stdio.h>
#include <string.h>

#include "docket/text.h"
#include "docket/theme.h"

static void small_draw(void *ctx, screen *scr)
{
	const struct view_small_ctx *s = ctx;
	char need[64], why[256];
	snprintf(need, sizeof need, "need %dx%d, have %dx%d", VIEW_MIN_W,
		 VIEW_MIN_H, scr->w, scr->h);
	const char *lines[5] = {"terminal too small", need, "q quits"};
	int n = 3;
	if (s && s->why) {
		snprintf(why, sizeof why, "%s would be lost:", s->why);
		lines[2] = why;
		lines[3] = "q again quits without it,";
		lines[4] = "or make the terminal bigger";
		n = 5;
	}
	int top = (scr->h - n) / 2;
	if (top < 0)
		top = 0;
	for (int i = 0; i < n; i++) {
		int w = text_width(lines[i], TEXT_NUL);
		int x = (scr->w - w) / 2;
		screen_put_cut(scr, top + i, x < 0 ? 0 : x, scr->w,
			       i == 0 || (i >= 2 && n > 3) ? THEME_ROLE_ERROR
							   : THEME_ROLE_NORMAL,
			       0, lines[i], TEXT_NUL);
	}
}

/* q asks to quit (the main loop passes it to the view's quit); other keys
 * do nothing here. */
static int small_handle(void *ctx, int key)
{
	(void)ctx;
	return key == 'q' ? VIEW_QUIT : VIEW_NONE;
}

const view_ops view_small = {
	.name = "too-small",
	.draw = small_draw,
	.handle = small_handle,
};
