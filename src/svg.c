/* svg.c: bar and line charts as inline SVG for the HTML report, and
 * markup_esc, the escape of every data string on its way into markup. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "docket/svg.h"
#include "docket/termsafe.h"

void markup_esc(sbuf *b, const char *s)
{
	if (!s)
		return;
	sbuf tmp = {0};
	const char *t = termsafe_str(s, &tmp, 0);
	for (; *t; t++) {
		switch (*t) {
		case '&': sbuf_adds(b, "&amp;"); break;
		case '<': sbuf_adds(b, "&lt;"); break;
		case '>': sbuf_adds(b, "&gt;"); break;
		case '"': sbuf_adds(b, "&quot;"); break;
		case '\'': sbuf_adds(b, "&#39;"); break;
		default: sbuf_addc(b, *t);
		}
	}
	sbuf_free(&tmp);
}

/* Plot area inside a 640 x 260 view box. */
#define W 640.0
#define H 260.0
#define L 48.0
#define R 12.0
#define T 14.0
#define B 46.0

static void head(sbuf *b, const char *title, const char *desc, double h)
{
	/* no xmlns: inline SVG in HTML needs none, and the file then holds
	 * no URL at all */
	sbuf_printf(b, "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\"><title>",
		    W, h);
	markup_esc(b, title);
	sbuf_adds(b, "</title><desc>");
	markup_esc(b, desc);
	sbuf_adds(b, "</desc>");
}

/* A round top for the axis: 1, 2, 5 times a power of ten. */
static double nice_max(double v)
{
	if (!(v > 0))
		return 1;
	double p = pow(10, floor(log10(v)));
	for (double m = 1; m <= 10; m = m == 1 ? 2 : m == 2 ? 5 : 10)
		if (m * p >= v)
			return m * p;
	return 10 * p;
}

static void y_axis(sbuf *b, double ymin, double ymax)
{
	for (int i = 0; i <= 4; i++) {
		double v = ymin + (ymax - ymin) * i / 4;
		double y = H - B - (H - B - T) * i / 4;
		sbuf_printf(b, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\""
			       " y2=\"%.1f\"/>",
			    L, y, W - R, y);
		sbuf_printf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%g</text>",
			    L - 4, y + 4, v);
	}
	sbuf_printf(b, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
		    L, H - B, W - R, H - B);
}

static void x_labels(sbuf *b, const char *const *x, size_t n, double step)
{
	/* about 8 labels at most */
	size_t every = n > 8 ? (n + 7) / 8 : 1;
	for (size_t i = 0; i < n; i += every) {
		double cx = L + step * ((double)i + 0.5);
		sbuf_printf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
			    cx, H - B + 16);
		markup_esc(b, x[i]);
		sbuf_adds(b, "</text>");
	}
}

void svg_bars(sbuf *b, const char *title, const char *desc,
	      const char *const *x, const double *v, size_t n)
{
	double max = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	max = nice_max(max);
	head(b, title, desc, H);
	y_axis(b, 0, max);
	double step = n ? (W - L - R) / (double)n : 0;
	for (size_t i = 0; i < n; i++) {
		double h = (H - B - T) * (v[i] / max);
		sbuf_printf(b, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\""
			       " height=\"%.1f\"/>",
			    L + step * (double)i + step * 0.1, H - B - h, step * 0.8, h);
	}
	x_labels(b, x, n, step);
	sbuf_adds(b, "</svg>");
}

void svg_lines(sbuf *b, const char *title, const char *desc,
	       const char *const *x, size_t n, const struct svg_series *s,
	       size_t ns, double ymin, double ymax)
{
	double hh = H + 18.0 * (double)ns;
	head(b, title, desc, hh);
	y_axis(b, ymin, ymax);
	double step = n ? (W - L - R) / (double)n : 0;
	for (size_t k = 0; k < ns; k++) {
		const char *cls = k % 2 ? "s2" : "s1";
		/* a path broken where a value is unknown */
		sbuf_printf(b, "<path class=\"line %s%s\" d=\"", cls,
			    s[k].dashed ? " dashed" : "");
		int pen = 0;
		for (size_t i = 0; i < n; i++) {
			if (isnan(s[k].v[i])) {
				pen = 0;
				continue;
			}
			double cx = L + step * ((double)i + 0.5);
			double cy = H - B - (H - B - T) * (s[k].v[i] - ymin) / (ymax - ymin);
			sbuf_printf(b, "%c%.1f %.1f ", pen ? 'L' : 'M', cx, cy);
			pen = 1;
		}
		sbuf_adds(b, "\"/>");
		for (size_t i = 0; i < n; i++) {
			if (isnan(s[k].v[i]))
				continue;
			double cx = L + step * ((double)i + 0.5);
			double cy = H - B - (H - B - T) * (s[k].v[i] - ymin) / (ymax - ymin);
			if (s[k].square)
				sbuf_printf(b, "<rect class=\"mark %s\" x=\"%.1f\" y=\"%.1f\""
					       " width=\"7\" height=\"7\"/>",
					    cls, cx - 3.5, cy - 3.5);
			else
				sbuf_printf(b, "<circle class=\"mark %s\" cx=\"%.1f\" cy=\"%.1f\""
					       " r=\"3.5\"/>",
					    cls, cx, cy);
		}
	}
	x_labels(b, x, n, step);
	/* the legend: line style and marker beside the name */
	for (size_t k = 0; k < ns; k++) {
		const char *cls = k % 2 ? "s2" : "s1";
		double y = H + 18.0 * (double)k - 8;
		sbuf_printf(b, "<line class=\"line %s%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
			    cls, s[k].dashed ? " dashed" : "", L, y, L + 30, y);
		if (s[k].square)
			sbuf_printf(b, "<rect class=\"mark %s\" x=\"%.1f\" y=\"%.1f\" width=\"7\""
				       " height=\"7\"/>",
				    cls, L + 11.5, y - 3.5);
		else
			sbuf_printf(b, "<circle class=\"mark %s\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\"/>",
				    cls, L + 15, y);
		sbuf_printf(b, "<text class=\"legend\" x=\"%.1f\" y=\"%.1f\">", L + 38, y + 4);
		markup_esc(b, s[k].name);
		sbuf_adds(b, "</text>");
	}
	sbuf_adds(b, "</svg>");
}
