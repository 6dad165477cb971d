/* test_report.c: the report's writers keep data inert: names, reasons, file
 * names and case ids holding markup, pipes, line breaks and terminal or
 * bidi controls come out as text in HTML (markup_esc) and in Markdown, the
 * Markdown tables keep their columns, the charts have no NaN in them, and
 * issue 14's figures say when they are not known. */
#include "fixture.h"

#include <math.h>

#include "docket/report.h"
#include "docket/svg.h"

static const char evil[] = "<script>alert(1)</script>|x\n# y\x1b[2J\xe2\x80\xae";

static void markup_esc__markup_and_controls__are_text(void **state)
{
	(void)state;
	sbuf b = {0};
	markup_esc(&b, "a<b>&\"'\x1b\xe2\x80\xae\xff ok");
	assert_string_equal(sbuf_str(&b),
			    "a&lt;b&gt;&amp;&quot;&#39;\\u001b\\u202e\\xff ok");
	sbuf_reset(&b);
	markup_esc(&b, NULL);
	assert_string_equal(sbuf_str(&b), "");
	sbuf_free(&b);
}

static void svg_lines__unknown_values__are_gaps_not_nan(void **state)
{
	(void)state;
	const char *x[] = {"a", "b", "c", "d"};
	double v1[] = {0.1, NAN, 0.3, 0.4}, v2[] = {0.5, 0.5, 0.5, 0.5};
	struct svg_series s[2] = {{"one", v1, 0, 0}, {"two<", v2, 1, 1}};
	sbuf b = {0};
	svg_lines(&b, "T&", "D\"", x, 4, s, 2, 0, 1);
	const char *out = sbuf_str(&b);
	assert_null(strstr(out, "nan"));
	assert_null(strstr(out, "inf"));
	assert_non_null(strstr(out, "<title>T&amp;</title><desc>D&quot;</desc>"));
	assert_non_null(strstr(out, "two&lt;"));
	/* the first series is two pieces: M ... then M ... L ... */
	static const char path[] = "<path class=\"line s1\" d=\"";
	const char *p = strstr(out, path);
	assert_non_null(p);
	p += sizeof path - 1;
	const char *end = strchr(p, '"');
	int moves = 0;
	for (const char *c = p; c < end; c++)
		moves += *c == 'M';
	assert_int_equal(moves, 2);
	/* an empty bar chart draws no NaN either */
	sbuf_reset(&b);
	double z[] = {0, 0};
	svg_bars(&b, "t", "d", x, z, 2);
	assert_null(strstr(sbuf_str(&b), "nan"));
	sbuf_free(&b);
}

/* A report built by hand with hostile strings everywhere data goes. */
struct evil_report {
	struct report r;
	struct stats st;
	struct stats_reviewer rv;
	struct report_batch bt;
	struct report_reason rs;
	struct report_wait w;
	struct report_access ac;
	struct report_policy po;
	char *limit;
};

static void evil_init(struct evil_report *e)
{
	memset(e, 0, sizeof *e);
	e->st.opts.min_n = 10;
	e->st.fleiss_kappa = e->st.kappa_min = NAN;
	e->rv.name = (char *)evil;
	e->rv.median_secs = NAN;
	e->st.reviewers = &e->rv;
	e->st.nreviewers = 1;
	e->r.st = &e->st;
	e->r.opts.min_n = 10;
	e->r.model = (char *)evil;
	e->r.median_wait_secs = NAN;
	e->bt = (struct report_batch){1, 5, 2, 1000, (char *)evil, (char *)evil,
				      (char *)"ab", (char *)evil, 0, 1};
	e->r.batches = &e->bt;
	e->r.nbatches = 1;
	e->rs = (struct report_reason){(char *)"override", (char *)evil, 3};
	e->r.reasons = &e->rs;
	e->r.nreasons = 1;
	e->w.case_id = (char *)evil;
	e->w.raised_at = 1000;
	e->r.waits = &e->w;
	e->r.nwaits = 1;
	e->ac = (struct report_access){7, 1000, (char *)evil, (char *)"export", 3,
				       (char *)evil};
	e->r.access = &e->ac;
	e->r.naccess = 1;
	e->po = (struct report_policy){1, 1000, (char *)evil, (char *)evil};
	e->r.policies = &e->po;
	e->r.npolicies = 1;
	e->limit = (char *)evil;
	e->r.limits = &e->limit;
	e->r.nlimits = 1;
	snprintf(e->r.head_hash, sizeof e->r.head_hash, "%s", "00ff");
}

static void report_html__data_strings__never_become_markup(void **state)
{
	(void)state;
	struct evil_report e;
	evil_init(&e);
	sbuf b = {0};
	report_html(&e.r, &b);
	const char *out = sbuf_str(&b);
	assert_null(strstr(out, "<script"));
	assert_null(strstr(out, "\x1b"));
	assert_null(strstr(out, "\xe2\x80\xae"));
	assert_non_null(strstr(out, "&lt;script&gt;alert(1)&lt;/script&gt;|x\\n# y"
				    "\\u001b[2J\\u202e"));
	/* the title, model, reviewer, batch, reason, wait, access, policy
	 * and limit: each shown, each escaped */
	size_t n = 0;
	for (const char *p = out; (p = strstr(p, "&lt;script&gt;")); p++)
		n++;
	assert_true(n >= 10);
	for (int s = 1; s <= 7; s++) {
		char h[32];
		snprintf(h, sizeof h, "<section><h2>%d. ", s);
		assert_non_null(strstr(out, h));
	}
	assert_non_null(strstr(out, "Input drift is not known"));
	/* the limits are sentences in cells that wrap, not nowrap row
	 * headers (they ran off the screen) */
	const char *lim = strstr(out, "<table class=\"list\"><caption>Limits");
	assert_non_null(lim);
	assert_non_null(strstr(lim, "<tbody><tr><td>&lt;script&gt;"));
	sbuf_free(&b);
}

/* Unescaped pipes in a Markdown line: the column separators. */
static int md_pipes(const char *line, size_t len)
{
	int n = 0;
	for (size_t i = 0; i < len; i++) {
		if (line[i] == '\\') {
			i++;
			continue;
		}
		n += line[i] == '|';
	}
	return n;
}

static void report_md__data_strings__keep_the_tables_whole(void **state)
{
	(void)state;
	struct evil_report e;
	evil_init(&e);
	sbuf b = {0};
	report_md(&e.r, &b);
	const char *out = sbuf_str(&b);
	assert_null(strstr(out, "<script"));
	assert_null(strstr(out, "\x1b"));
	assert_null(strstr(out, "\n# y"));
	assert_non_null(strstr(out, "&lt;script&gt;alert(1)&lt;/script&gt;\\|x\\\\n\\# y"));
	/* each table row has as many separators as its header */
	const char *line = out;
	int cols = -1, rows = 0;
	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		if (len && line[0] == '|') {
			int p = md_pipes(line, len);
			if (cols < 0)
				cols = p;
			assert_int_equal(p, cols);
			rows++;
		} else {
			cols = -1;
		}
		line += len + (nl ? 1 : 0);
	}
	assert_true(rows > 20);
	assert_non_null(strstr(out, "| Largest input drift | not known |"));
	sbuf_free(&b);
}

static void report_text__rates_and_durations(void **state)
{
	(void)state;
	char buf[64];
	assert_string_equal(report_rate_text(1, 4, 10, buf, sizeof buf), "too few");
	assert_string_equal(report_rate_text(3, 12, 10, buf, sizeof buf), "0.250");
	assert_string_equal(report_rate_text(0, 0, 1, buf, sizeof buf), "too few");
	assert_string_equal(report_duration_text(45, buf, sizeof buf), "45 s");
	assert_string_equal(report_duration_text(720, buf, sizeof buf), "12 min");
	assert_string_equal(report_duration_text(3.5 * 3600, buf, sizeof buf), "3.5 h");
	assert_string_equal(report_duration_text(NAN, buf, sizeof buf), "-");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(markup_esc__markup_and_controls__are_text),
		cmocka_unit_test(svg_lines__unknown_values__are_gaps_not_nan),
		cmocka_unit_test(report_html__data_strings__never_become_markup),
		cmocka_unit_test(report_md__data_strings__keep_the_tables_whole),
		cmocka_unit_test(report_text__rates_and_durations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
