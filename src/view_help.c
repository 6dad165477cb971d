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
	const struct view_help_ctx *h = ctx;
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
	int colw = (scr->w - 2) / cols;
	int i = 0;
	for (int a = 1; a < ACT_COUNT; a++) {
		if (!keys[a][0])
			continue;
		int col = i / ((n + cols - 1) / cols);
		int row = i % ((n + cols - 1) / cols);
		i++;
		if (row >= rows)
			continue;
		int x = 1 + col * colw, y = 2 + row;
		screen_put_cut(scr, y, x, kw, THEME_ROLE_KEY, 0, keys[a], TEXT_NUL);
		screen_put_cut(scr, y, x + kw + 2, colw - kw - 3, THEME_ROLE_NORMAL,
			       0,
			       digits && a == ACT_LABEL_1
				       ? "pick label 1-9 (the model's label accepts)"
				       : keymap_action_help(a),
			       TEXT_NUL);
	}
	int y = 2 + (n + cols - 1) / cols + 1;
	if (y > scr->h - 1 - nnotes)
		y = scr->h - 1 - nnotes;
	for (int k = 0; k < nnotes; k++)
		screen_put_cut(scr, y + k, 1, scr->w - 2, THEME_ROLE_DIM, 0,
			       h->notes[k], TEXT_NUL);
	screen_fill(scr, scr->h - 1, 0, scr->w, THEME_ROLE_FOOTER, 0, " ");
	screen_put_cut(scr, scr->h - 1, 1, scr->w - 2, THEME_ROLE_FOOTER, 0,
		       "any key closes help", TEXT_NUL);
}

/* Any real key closes help (VIEW_QUIT: the owner closes it). */
static int help_handle(void *ctx, int key)
{
	(void)ctx;
	if (key == KEY_DK_IDLE || key == KEY_DK_RESIZE || key == KEY_DK_NONE)
		return VIEW_NONE;
	return VIEW_QUIT;
}

const view_ops view_help = {
	.name = "help",
	.draw = help_draw,
	.handle = help_handle,
};
