/* view_sup_chart.c: bars and sparklines for the supervisor's screen, in
 * UTF-8 block glyphs or ASCII when the locale is not UTF-8. */
#include <math.h>

#include "docket/text.h"
#include "docket/theme.h"
#include "docket/view_sup.h"

int sup_bar(screen *scr, int y, int x, int width, double value)
{
	if (width <= 0 || isnan(value))
		return 0;
	if (value < 0)
		value = 0;
	if (value > 1)
		value = 1;
	const struct text_glyphs *g = text_glyphs();
	int eighths = (int)lround(value * width * 8);
	int full = eighths / 8, part = eighths % 8;
	screen_fill(scr, y, x, full, THEME_ROLE_BAR, 0, g->bar);
	int used = full;
	if (part && used < width) {
		/* ASCII has no eighths: half a cell or more shows as '+' */
		screen_fill(scr, y, x + used, 1, THEME_ROLE_BAR, 0, g->bar_part[part]);
		used++;
	}
	if (used < width)
		screen_fill(scr, y, x + used, width - used, THEME_ROLE_BAR_EMPTY, 0,
			    g->bar_empty);
	return width;
}

void sup_spark(screen *scr, int y, int x, const double *v, size_t n)
{
	static const char *const utf8[8] = {"\u2581", "\u2582", "\u2583", "\u2584",
					    "\u2585", "\u2586", "\u2587", "\u2588"};
	static const char *const ascii[8] = {"_", ".", ":", "-", "=", "+", "*", "#"};
	const char *const *g = text_utf8() ? utf8 : ascii;
	for (size_t i = 0; i < n; i++) {
		if (isnan(v[i])) {
			screen_fill(scr, y, x + (int)i, 1, THEME_ROLE_DIM, 0, " ");
			continue;
		}
		double t = v[i] < 0 ? 0 : v[i] > 1 ? 1 : v[i];
		int level = (int)floor(t * 7 + 0.5);
		screen_fill(scr, y, x + (int)i, 1, THEME_ROLE_BAR, 0, g[level]);
	}
}
