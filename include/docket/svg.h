/* svg.h: the charts of `docket report` as inline SVG (no scripts, no
 * fonts, no external references), and the one escape every string from
 * data goes through on its way into HTML or SVG. */
#ifndef DOCKET_SVG_H
#define DOCKET_SVG_H

#include <stddef.h>

#include "docket/util.h"

/* Append s (NULL: nothing) to b as HTML/SVG text or attribute value: & < >
 * " ' become entities, and control characters, bidi controls and invalid
 * UTF-8 become termsafe.h's visible escapes (\u202e), so data can neither
 * add markup nor reorder what a reader sees. */
void markup_esc(sbuf *b, const char *s);

/* One line of a line chart. Values may be NaN (a gap: too few cases). */
struct svg_series {
	const char *name;
	const double *v;
	int dashed;  /* 1: a dashed line */
	int square;  /* 1: square markers, 0: round ones */
};

/* A bar chart of values v[0..n) over the labels x[0..n) (a label under
 * every k-th bar so they do not overlap). title and desc are the text
 * alternative (role="img", <title>, <desc>). ymax <= 0: from the data. */
void svg_bars(sbuf *b, const char *title, const char *desc,
	      const char *const *x, const double *v, size_t n);

/* A line chart of ns series over the labels x[0..n), y in [ymin, ymax],
 * with a legend naming each series beside its line style and marker (so
 * colour is not the only way to tell them apart). */
void svg_lines(sbuf *b, const char *title, const char *desc,
	       const char *const *x, size_t n, const struct svg_series *s,
	       size_t ns, double ymin, double ymax);

#endif
