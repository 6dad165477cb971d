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
	char need[64], msg[512];
	snprintf(need, sizeof need, "need %dx%d, have %dx%d", VIEW_MIN_W,
		 VIEW_MIN_H, scr->w, scr->h);
	if (s && s->why)
		snprintf(msg, sizeof msg,
			 "%s would be lost: q again quits without it, or make "
			 "the terminal bigger",
			 s->why);
	else
		snprintf(msg, sizeof msg, "q quits");
	/* the message wraps to the width there is, each line centred */
	int width = scr->w > 2 ? scr->w - 2 : scr->w;
	size_t n = strlen(msg);
	int nmsg = text_wrap_count(msg, n, width);
	int top = (scr->h - 2 - nmsg) / 2;
	if (top < 0)
		top = 0;
	const char *head[2] = {"terminal too small", need};
	int y = top;
	for (int i = 0; i < 2; i++, y++) {
		int x = (scr->w - text_width(head[i], TEXT_NUL)) / 2;
		screen_put_cut(scr, y, x < 0 ? 0 : x, scr->w,
			       i == 0 ? THEME_ROLE_ERROR : THEME_ROLE_NORMAL, 0,
			       head[i], TEXT_NUL);
	}
	int role = s && s->why ? THEME_ROLE_ERROR : THEME_ROLE_NORMAL;
	for (size_t at = 0; at < n && y < scr->h; y++) {
		size_t next, len = text_wrap(msg + at, n - at, width, &next);
		int x = (scr->w - text_width(msg + at, len)) / 2;
		screen_put_cut(scr, y, x < 0 ? 0 : x, scr->w, role, 0, msg + at,
			       len);
		at += next ? next : n;
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
