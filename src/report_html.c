/* report_html.c: the report as one self-contained HTML page: inline CSS
 * (print rules: a page break before each section), charts as inline SVG
 * (svg.c) each followed by a table of its numbers, no scripts and no
 * external references. Every string goes through markup_esc. */
#include <stdio.h>
#include <string.h>

#include "docket/clock.h"
#include "docket/report.h"
#include "docket/svg.h"

static const char css[] =
	"body{font-family:sans-serif;color:#111;background:#fff;max-width:60em;"
	"margin:1em auto;padding:0 1em;line-height:1.4}"
	"h1{font-size:1.6em}h2{font-size:1.3em;border-bottom:2px solid #333;"
	"margin-top:2em}h3{font-size:1.05em;margin-top:1.4em}"
	"table{border-collapse:collapse;margin:.6em 0;font-size:.9em}"
	"caption{text-align:left;font-weight:bold;padding:.2em 0}"
	"th,td{border:1px solid #999;padding:.2em .5em;text-align:left;"
	"vertical-align:top}th{background:#eee}"
	"td.n{text-align:right;font-variant-numeric:tabular-nums}"
	"td.h{font-family:monospace;word-break:break-all;font-size:.85em}"
	"td.t,th[scope=row]{white-space:nowrap}"
	"table.list td{white-space:normal}"
	".chart{width:100%;max-width:40em;height:auto;display:block}"
	".chart text{font-size:11px;fill:#111}.grid{stroke:#ddd}"
	".axis{stroke:#333}.bar{fill:#3465a4}"
	".line{fill:none;stroke-width:2}.s1{stroke:#204a87;fill:#204a87}"
	".s2{stroke:#a40000;fill:#a40000}.line.s1,.line.s2{fill:none}"
	".dashed{stroke-dasharray:6 4}"
	".verdict-act{font-weight:bold}"
	"@media print{body{max-width:none;margin:0}section{break-before:page}"
	"section:first-of-type{break-before:auto}table{break-inside:auto}"
	"tr,figure{break-inside:avoid}}";

static void esc(sbuf *b, const char *s)
{
	markup_esc(b, s);
}

static int numeric(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!strchr("0123456789.-", *s))
			return 0;
	return 1;
}

/* An ISO 8601 time as clock_format_iso writes it. */
static int is_time(const char *s)
{
	return strlen(s) == 20 && s[4] == '-' && s[10] == 'T' && s[19] == 'Z';
}

static void table(sbuf *b, const struct rdoc_block *t)
{
	/* a one-column table is a list of sentences: no row headers */
	int list = t->ncols == 1;
	sbuf_adds(b, list ? "<table class=\"list\"><caption>" : "<table><caption>");
	esc(b, t->text);
	sbuf_adds(b, "</caption><thead><tr>");
	for (size_t j = 0; j < t->ncols; j++) {
		sbuf_adds(b, "<th scope=\"col\">");
		esc(b, t->cells[j]);
		sbuf_adds(b, "</th>");
	}
	sbuf_adds(b, "</tr></thead><tbody>");
	for (size_t i = 1; i <= t->nrows; i++) {
		sbuf_adds(b, "<tr>");
		for (size_t j = 0; j < t->ncols; j++) {
			const char *c = t->cells[i * t->ncols + j];
			const char *m = t->metric[i * t->ncols + j];
			if (j == 0 && !list) {
				sbuf_adds(b, "<th scope=\"row\">");
				esc(b, c);
				sbuf_adds(b, "</th>");
				continue;
			}
			sbuf_adds(b, "<td");
			if (strlen(c) == 64 && strspn(c, "0123456789abcdef") == 64)
				sbuf_adds(b, " class=\"h\"");
			else if (is_time(c))
				sbuf_adds(b, " class=\"t\"");
			else if (numeric(c))
				sbuf_adds(b, " class=\"n\"");
			else if (!strcmp(c, "act"))
				sbuf_adds(b, " class=\"verdict-act\"");
			if (m) {
				sbuf_adds(b, " data-metric=\"");
				esc(b, m);
				sbuf_adds(b, "\"");
			}
			sbuf_adds(b, ">");
			esc(b, c);
			sbuf_adds(b, "</td>");
		}
		sbuf_adds(b, "</tr>");
	}
	if (!t->nrows) {
		sbuf_printf(b, "<tr><td colspan=\"%zu\">none</td></tr>", t->ncols);
	}
	sbuf_adds(b, "</tbody></table>\n");
}

void report_html(const struct report *r, sbuf *b)
{
	struct rdoc d;
	char t[32];
	report_doc(r, &d);
	sbuf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		     "<meta name=\"viewport\" content=\"width=device-width\"><title>");
	esc(b, d.title);
	sbuf_printf(b, "</title><style>%s</style></head>\n<body><header><h1>", css);
	esc(b, d.title);
	sbuf_adds(b, "</h1><p>Made by docket at ");
	esc(b, clock_format_iso(r->generated_at, t, sizeof t));
	sbuf_adds(b, ".</p></header>\n");
	int open = 0;
	for (size_t i = 0; i < d.n; i++) {
		const struct rdoc_block *x = &d.b[i];
		switch (x->kind) {
		case RDOC_SECTION:
			if (open)
				sbuf_adds(b, "</section>\n");
			sbuf_adds(b, "<section><h2>");
			esc(b, x->text);
			sbuf_adds(b, "</h2>\n");
			open = 1;
			break;
		case RDOC_SUB:
			sbuf_adds(b, "<h3>");
			esc(b, x->text);
			sbuf_adds(b, "</h3>\n");
			break;
		case RDOC_PARA:
			sbuf_adds(b, "<p>");
			esc(b, x->text);
			sbuf_adds(b, "</p>\n");
			break;
		case RDOC_TABLE: table(b, x); break;
		case RDOC_BARS:
		case RDOC_LINES:
			if (!x->nrows)
				break;
			sbuf_adds(b, "<figure>");
			if (x->kind == RDOC_BARS)
				svg_bars(b, x->text, x->desc, (const char *const *)x->cells,
					 x->v, x->nrows);
			else {
				struct svg_series s[2];
				for (size_t k = 0; k < x->nseries && k < 2; k++) {
					s[k].name = x->series[k];
					s[k].v = x->v + k * x->nrows;
					s[k].dashed = (int)k;
					s[k].square = (int)k;
				}
				svg_lines(b, x->text, x->desc, (const char *const *)x->cells,
					  x->nrows, s, x->nseries, x->ymin, x->ymax);
			}
			sbuf_adds(b, "<figcaption>");
			esc(b, x->text);
			sbuf_adds(b, " (numbers in the table below)</figcaption></figure>\n");
			break;
		}
	}
	if (open)
		sbuf_adds(b, "</section>\n");
	sbuf_adds(b, "</body></html>\n");
	rdoc_free(&d);
}
