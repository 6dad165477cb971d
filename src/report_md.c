/* report_md.c: the report as Markdown for a repository or a wiki: the same
 * blocks as the HTML page, charts left to the tables of their numbers.
 * Every string goes through md_esc. */
#include <stdio.h>
#include <string.h>

#include "docket/clock.h"
#include "docket/report.h"
#include "docket/termsafe.h"

/* Text from data as inert Markdown: control and bidi characters visible
 * (termsafe.h, line breaks included), markup characters escaped with a
 * backslash, and < > & as entities, since wikis render raw HTML. */
static void md_esc(sbuf *b, const char *s)
{
	sbuf tmp = {0};
	const char *t = termsafe_str(s, &tmp, 0);
	for (; *t; t++) {
		switch (*t) {
		case '<': sbuf_adds(b, "&lt;"); break;
		case '>': sbuf_adds(b, "&gt;"); break;
		case '&': sbuf_adds(b, "&amp;"); break;
		case '\\': case '`': case '*': case '_': case '[': case ']':
		case '|': case '~': case '#':
			sbuf_addc(b, '\\');
			sbuf_addc(b, *t);
			break;
		default: sbuf_addc(b, *t);
		}
	}
	sbuf_free(&tmp);
}

static void table(sbuf *b, const struct rdoc_block *t)
{
	sbuf_adds(b, "**");
	md_esc(b, t->text);
	sbuf_adds(b, "**\n\n|");
	for (size_t j = 0; j < t->ncols; j++) {
		sbuf_addc(b, ' ');
		md_esc(b, t->cells[j]);
		sbuf_adds(b, " |");
	}
	sbuf_adds(b, "\n|");
	for (size_t j = 0; j < t->ncols; j++)
		sbuf_adds(b, "---|");
	sbuf_addc(b, '\n');
	for (size_t i = 1; i <= t->nrows; i++) {
		sbuf_addc(b, '|');
		for (size_t j = 0; j < t->ncols; j++) {
			sbuf_addc(b, ' ');
			md_esc(b, t->cells[i * t->ncols + j]);
			sbuf_adds(b, " |");
		}
		sbuf_addc(b, '\n');
	}
	if (!t->nrows) {
		sbuf_adds(b, "| none |");
		for (size_t j = 1; j < t->ncols; j++)
			sbuf_adds(b, " |");
		sbuf_addc(b, '\n');
	}
	sbuf_addc(b, '\n');
}

void report_md(const struct report *r, sbuf *b)
{
	struct rdoc d;
	char t[32];
	report_doc(r, &d);
	sbuf_adds(b, "# ");
	md_esc(b, d.title);
	sbuf_adds(b, "\n\nMade by docket at ");
	md_esc(b, clock_format_iso(r->generated_at, t, sizeof t));
	sbuf_adds(b, ".\n\n");
	for (size_t i = 0; i < d.n; i++) {
		const struct rdoc_block *x = &d.b[i];
		switch (x->kind) {
		case RDOC_SECTION:
			sbuf_adds(b, "## ");
			md_esc(b, x->text);
			sbuf_adds(b, "\n\n");
			break;
		case RDOC_SUB:
			sbuf_adds(b, "### ");
			md_esc(b, x->text);
			sbuf_adds(b, "\n\n");
			break;
		case RDOC_PARA:
			md_esc(b, x->text);
			sbuf_adds(b, "\n\n");
			break;
		case RDOC_TABLE: table(b, x); break;
		case RDOC_BARS:
		case RDOC_LINES: break; /* the next table holds the numbers */
		}
	}
	rdoc_free(&d);
}
