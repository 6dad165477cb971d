/* view_small.c: the screen shown when the terminal is below the minimum
 * size: what is needed, and how to quit. */
#include "docket/view.h"

#include <stdio.h>
#include <string.h>

#include "docket/text.h"
#include "docket/theme.h"

static void small_draw(void *ctx, screen *scr)
{
	(void)ctx;
	static const char *lines[] = {"terminal too small", NULL, "q quits"};
	char need[64];
	snprintf(need, sizeof need, "need %dx%d, have %dx%d", VIEW_MIN_W,
		 VIEW_MIN_H, scr->w, scr->h);
	lines[1] = need;
	int top = (scr->h - 3) / 2;
	if (top < 0)
		top = 0;
	for (int i = 0; i < 3; i++) {
		int w = (int)strlen(lines[i]);
		int x = (scr->w - w) / 2;
		screen_put_cut(scr, top + i, x < 0 ? 0 : x, -1,
			       i == 0 ? THEME_ROLE_ERROR : THEME_ROLE_NORMAL, 0,
			       lines[i], TEXT_NUL);
	}
}

/* Keys are for the main loop (it quits on q and Ctrl-C here). */
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
