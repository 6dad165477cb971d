/* view_help.c: the help screen, drawn from the live key table so a rebound
 * key shows as it is bound. */
#include "docket/view_review.h"

#include <stdio.h>
#include <string.h>

#include "docket/keymap.h"
#include "docket/text.h"
#include "docket/theme.h"

static void help_draw(void *ctx, screen *scr)
{
	struct view_help_ctx *h = ctx;
	screen_fill(scr, 0, 0, scr->w, THEME_ROLE_HEADER, 0, " ");
	screen_put_cut(scr, 0, 1, scr->w - 2, THEME_ROLE_HEADER, 0,
		       h->title ? h->title : "keys", TEXT_NUL);
	/* one entry per action that has a key */
	int n = 0, kw = 0;
	char keys[ACT_COUNT][64];
	for (int a = 1; a < ACT_COUNT; a++) {
		keymap_keys_text(h->keys, a, keys[a], sizeof keys[a]);
		int w = text_width(keys[a], TEXT_NUL);
		if (w > kw)
			kw = w;
		if (keys[a][0])
			n++;
	}
	/* label-1..label-9 on the digits read as one line */
	int digits = 1;
	for (int a = ACT_LABEL_1; a <= ACT_LABEL_9; a++)
		digits &= keys[a][0] == '1' + (a - ACT_LABEL_1) && !keys[a][1];
	if (digits) {
		snprintf(keys[ACT_LABEL_1], sizeof keys[ACT_LABEL_1], "1-9");
		for (int a = ACT_LABEL_2; a <= ACT_LABEL_9; a++)
			keys[a][0] = '\0';
		n -= 8;
	}
	if (kw > 16)
		kw = 16;
	int nnotes = 0;
	while (h->notes && h->notes[nnotes])
		nnotes++;
	int rows = scr->h - 3 - (nnotes ? nnotes + 1 : 0);
	if (rows < 1)
		rows = 1;
	int cols = scr->w >= 100 && n > rows ? 2 : 1;
	int per = (n + cols - 1) / cols; /* entries per column when all fit */
	if (per > rows)
		per = rows;
	int cap = per * cols;
	if (h->top > n - cap)
		h->top = n - cap > 0 ? n - cap : 0;
	if (h->top < 0)
		h->top = 0;
	int colw = (scr->w - 2) / cols;
	int i = 0, shown = 0;
	for (int a = 1; a < ACT_COUNT; a++) {
		if (!keys[a][0])
			continue;
		int at = i++ - h->top;
		if (at < 0 || at >= cap)
			continue;
		shown++;
		int x = 1 + (at / per) * colw, y = 2 + at % per;
		screen_put_cut(scr, y, x, kw, THEME_ROLE_KEY, 0, keys[a], TEXT_NUL);
		screen_put_cut(scr, y, x + kw + 2, colw - kw - 3, THEME_ROLE_NORMAL,
			       0,
			       digits && a == ACT_LABEL_1
				       ? "pick label 1-9 (the model's label accepts)"
				       : keymap_action_help(a),
			       TEXT_NUL);
	}
	h->shown = shown;
	h->total = n;
	int y = 2 + per + 1;
	if (y > scr->h - 1 - nnotes)
		y = scr->h - 1 - nnotes;
	for (int k = 0; k < nnotes; k++)
		screen_put_cut(scr, y + k, 1, scr->w - 2, THEME_ROLE_DIM, 0,
			       h->notes[k], TEXT_NUL);
	/* a list cut short says so, and how to see the rest */
	const struct text_glyphs *g = text_glyphs();
	int below = n - h->top - shown;
	char foot[160];
	if (below > 0 && h->top > 0)
		snprintf(foot, sizeof foot, "%s %d more (Down), %s %d above (Up); "
			 "other keys close help", g->down, below, g->up, h->top);
	else if (below > 0)
		snprintf(foot, sizeof foot, "%s %d more (Down); other keys close "
			 "help", g->down, below);
	else if (h->top > 0)
		snprintf(foot, sizeof foot, "%s %d above (Up); other keys close "
			 "help", g->up, h->top);
	else
		snprintf(foot, sizeof foot, "any key closes help");
	screen_fill(scr, scr->h - 1, 0, scr->w, THEME_ROLE_FOOTER, 0, " ");
	screen_put_cut(scr, scr->h - 1, 1, scr->w - 2, THEME_ROLE_FOOTER, 0, foot,
		       TEXT_NUL);
}

/* Down/Up, PgDn/PgUp, End/G and Home/g and the wheel scroll a list cut
 * short; any other real key closes help
 * (VIEW_QUIT: the owner closes it). */
static int help_handle(void *ctx, int key)
{
	struct view_help_ctx *h = ctx;
	if (key == KEY_DK_IDLE || key == KEY_DK_NONE)
		return VIEW_NONE;
	if (key == KEY_DK_RESIZE)
		return VIEW_REDRAW;
	int below = h->total - h->top - h->shown;
	int page = h->shown > 1 ? h->shown - 1 : 1;
	if ((key == KEY_DK_DOWN || key == 'j') && below > 0)
		h->top++;
	else if ((key == KEY_DK_PGDN || key == ' ') && below > 0)
		h->top += below < page ? below : page;
	else if ((key == KEY_DK_UP || key == 'k') && h->top > 0)
		h->top--;
	else if (key == KEY_DK_PGUP && h->top > 0)
		h->top -= h->top < page ? h->top : page;
	else if ((key == KEY_DK_END || key == 'G') && below > 0)
		h->top += below;
	else if ((key == KEY_DK_HOME || key == 'g') && h->top > 0)
		h->top = 0;
	else if (key == KEY_DK_WHEEL_DOWN || key == KEY_DK_WHEEL_UP) {
		if (key == KEY_DK_WHEEL_DOWN && below > 0)
			h->top++;
		else if (key == KEY_DK_WHEEL_UP && h->top > 0)
			h->top--;
		else
			return VIEW_NONE; /* the wheel never closes help */
	} else
		return VIEW_QUIT;
	return VIEW_REDRAW;
}

const view_ops view_help = {
	.name = "help",
	.draw = help_draw,
	.handle = help_handle,
};
