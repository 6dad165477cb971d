/* view_sup_chart.c: bars and sparklines for the supervisor's screen, in
 * the glyphs of text_glyphs() (Unicode blocks, or ASCII when the locale is
 * not UTF-8). */
#include <math.h>

#include "docket/text.h"
#include "docket/theme.h"
#include "docket/view_sup.h"

int sup_bar(screen *scr, int y, int x, int width, double value)
{
	return screen_bar(scr, y, x, width, value, THEME_ROLE_BAR);
}

void sup_spark(screen *scr, int y, int x, const double *v, size_t n)
{
	const struct text_glyphs *g = text_glyphs();
	for (size_t i = 0; i < n; i++) {
		if (isnan(v[i])) {
			screen_fill(scr, y, x + (int)i, 1, THEME_ROLE_DIM, 0, " ");
			continue;
		}
		double t = v[i] < 0 ? 0 : v[i] > 1 ? 1 : v[i];
		int level = (int)floor(t * 7 + 0.5);
		screen_fill(scr, y, x + (int)i, 1, THEME_ROLE_BAR, 0, g->spark[level]);
	}
}
