/* test_stats.c: every figure of stats.c against values worked out by hand
 * on a small store built row by row (see sup_fixture below), plus the pure
 * formulas against textbook examples. */
#include "docket/store_sqlite.h" /* (the plans: SQLite's) */
#include "fixture.h"

#include <locale.h>
#include <math.h>

#include "docket/audit.h"
#include "docket/fair_counts.h"
#include "docket/stats.h"
#include "docket/text.h"

#include "sup_fixture.h"

static struct stats *sup_stats(store *s, const char *by, double width)
{
	struct stats_opts o;
	stats_opts_init(&o);
	o.by = by;
	o.by_width = width;
	struct stats *st = NULL;
	dk_error err = {{0}};
	if (stats_compute(s, &o, &st, &err))
		fail_msg("stats_compute: %s", err.msg);
	return st;
}

static const struct stats_reviewer *sup_rev(const struct stats *st, const char *name)
{
	for (size_t i = 0; i < st->nreviewers; i++)
		if (!strcmp(st->reviewers[i].name, name))
			return &st->reviewers[i];
	fail_msg("no reviewer %s", name);
	return NULL;
}

static double sup_metric(const struct stats *st, const char *name)
{
	double v;
	if (stats_metric(st, name, &v))
		return NAN;
	return v;
}

static void stats_wilson__zero_of_fifty__upper_0_0713(void **state)
{
	(void)state;
	double lo, hi;
	stats_wilson(0, 50, 1.959963984540054, &lo, &hi);
	assert_float_equal(lo, 0, 1e-12);
	assert_float_equal(hi, 0.0713476, 1e-6); /* z^2 / (n + z^2) */
	stats_wilson(1, 10, 1.959963984540054, &lo, &hi);
	assert_float_equal(lo, 0.0178762, 1e-6);
	assert_float_equal(hi, 0.4041500, 1e-6);
	stats_wilson(0, 0, 1.96, &lo, &hi);
	assert_float_equal(lo, 0, 0);
	assert_float_equal(hi, 1, 0);
}

/* Worked by hand: 100 settled cases; 10 routed and reviewed (3 wrong);
 * 2 drawn for the audit at p = 0.5 (1 wrong). HT errors: 3 + 1/0.5 = 5,
 * error 0.05. The other 90 cases' rate q = 2/90 at Kish n = 4^2/8 = 2:
 * Wilson [0.000251383, 0.672585], scaled: (3 + 90 q) / 100. */
static void stats_est_finish__hand_worked__ht_and_interval(void **state)
{
	(void)state;
	struct stats_est e = {.scored = 100, .n = 100, .certain = 10, .certain_err = 3,
			      .audited = 2, .audited_err = 1, .err_w = 2, .w = 4, .w2 = 8};
	stats_est_finish(&e);
	assert_int_equal(e.status, STATS_EST_OK);
	assert_float_equal(e.error, 0.05, 1e-12);
	assert_float_equal(e.lo, 0.0302262449, 1e-9);
	assert_float_equal(e.hi, 0.6353267594, 1e-9);
	/* every case certain: exact, no interval width */
	struct stats_est all = {.n = 10, .certain = 10, .certain_err = 4};
	stats_est_finish(&all);
	assert_float_equal(all.error, 0.4, 1e-12);
	assert_float_equal(all.lo, 0.4, 1e-12);
	assert_float_equal(all.hi, 0.4, 1e-12);
	/* no error in the audit sample: the lower end is the certain part */
	struct stats_est none = {.n = 100, .certain = 10, .certain_err = 3,
				 .audited = 2, .w = 4, .w2 = 8};
	stats_est_finish(&none);
	assert_float_equal(none.error, 0.03, 1e-12);
	assert_float_equal(none.lo, 0.03, 1e-12);
	assert_true(none.hi > 0.3);
	/* audit rate 0 somewhere, or nothing drawn yet: no estimate */
	struct stats_est zero = e;
	zero.zero_rate = 1;
	stats_est_finish(&zero);
	assert_int_equal(zero.status, STATS_EST_NO_AUDIT);
	assert_true(isnan(zero.error) && isnan(zero.lo) && isnan(zero.hi));
	struct stats_est unsampled = {.n = 100, .certain = 10, .certain_err = 3};
	stats_est_finish(&unsampled);
	assert_int_equal(unsampled.status, STATS_EST_NO_SAMPLE);
	assert_true(isnan(unsampled.error));
}

/* Fairness worked by hand. Policy version 1 samples the confident cases
 * at 0.5 (weight 2). Positive label good.
 *   group x: 1 routed good->good, 2 routed good->bad, 3 routed bad->good,
 *            4 audit good->good, 5 auto good, 6 auto bad
 *   group y: 7 routed bad->bad, 8 audit good->bad, 9 auto good, 10 auto good
 * x on reviewed: error 2/4, TPR 2/3, FPR 1/1, PPR 3/4, precision 2/3.
 * x estimated: error (2 + 0) / 6 = 1/3; TPR (1 + 2) / (1 + 1 + 2) = 0.75;
 *   FPR 1/1; PPR 4/6 (exact); precision (1 + 2) / (1 + 1 + 2) = 0.75.
 * y estimated: error (0 + 2) / 4 = 0.5; TPR none (no positives); FPR
 *   2 / (1 + 2); PPR 3/4; precision 0 / 2 = 0.
 * x is the reference (6 scored); y's ratios: error 1.5 (flagged), FPR
 *   0.667 (flagged), PPR 1.125, precision 0 (flagged). */
static void fair_hand_store(store *s)
{
	sup_exec(s,
		 "INSERT INTO models(id, name, labels, audit_salt, created_at, policy_version)"
		 " VALUES (1, 'm', '[\"good\",\"bad\"]', 'x', 0, 1);"
		 "INSERT INTO policies(model_id, version, policy, set_by, set_at)"
		 " VALUES (1, 1, '{\"threshold\":0.8,\"audit_rate\":0.5}', 'x', 0);"
		 "INSERT INTO batches(id, model_id, source_file, source_sha256,"
		 " format, rows, routed, imported_by, imported_at)"
		 " VALUES (1, 1, 'f.csv', 'h', 'csv', 10, 6, 'me', 0);");
	static const struct { const char *g, *pred, *reason, *state, *fin; } c[] = {
		{"x", "good", "confidence", "done", "good"},
		{"x", "good", "confidence", "done", "bad"},
		{"x", "bad", "confidence", "done", "good"},
		{"x", "good", "audit", "done", "good"},
		{"x", "good", NULL, "auto", NULL},
		{"x", "bad", NULL, "auto", NULL},
		{"y", "bad", "confidence", "done", "bad"},
		{"y", "good", "audit", "done", "bad"},
		{"y", "good", NULL, "auto", NULL},
		{"y", "good", NULL, "auto", NULL},
	};
	for (int i = 0; i < 10; i++) {
		char ctx[32];
		snprintf(ctx, sizeof ctx, "{\"g\":\"%s\"}", c[i].g);
		sup_case(s, i + 1, c[i].pred, 0.9, NULL, c[i].reason, ctx, c[i].state,
			 c[i].fin, DAY1 + i);
	}
	sup_exec(s, "INSERT INTO counters(model_id, state, n)"
		    " SELECT model_id, state, count(*) FROM cases GROUP BY 1, 2");
}

static void stats_compute__fairness__hand_worked(void **state)
{
	struct fixture *f = *state;
	fair_hand_store(f->s);
	struct stats_opts o;
	stats_opts_init(&o);
	o.by = "g";
	o.positive = "good";
	o.min_n = 1;
	struct stats *st = NULL;
	dk_error err = {{0}};
	assert_int_equal(stats_compute(f->s, &o, &st, &err), DK_OK);
	const struct stats_model *m = &st->models[0];
	assert_true(m->has_fair);
	const struct stats_fair *x = NULL, *y = NULL;
	for (size_t g = 0; g < m->ngroups; g++) {
		if (!strcmp(m->groups[g].key, "x"))
			x = &m->fair[g];
		if (!strcmp(m->groups[g].key, "y"))
			y = &m->fair[g];
	}
	assert_non_null(x);
	assert_non_null(y);
	assert_string_equal(m->groups[m->fair_ref].key, "x");
	assert_int_equal(x->scored, 6);
	assert_int_equal(x->routed, 4);
	assert_int_equal(x->reviewed, 4);
	assert_int_equal(y->scored, 4);
	/* on reviewed cases */
	assert_float_equal(x->on_reviewed[STATS_FAIR_ERROR].v, 0.5, 1e-12);
	assert_float_equal(x->on_reviewed[STATS_FAIR_TPR].v, 2.0 / 3, 1e-12);
	assert_float_equal(x->on_reviewed[STATS_FAIR_FPR].v, 1, 1e-12);
	assert_float_equal(x->on_reviewed[STATS_FAIR_PPR].v, 0.75, 1e-12);
	assert_float_equal(x->on_reviewed[STATS_FAIR_PRECISION].v, 2.0 / 3, 1e-12);
	assert_true(isnan(y->on_reviewed[STATS_FAIR_TPR].v));
	assert_int_equal(y->on_reviewed[STATS_FAIR_TPR].n, 0);
	/* estimated over all scored */
	assert_float_equal(x->all[STATS_FAIR_ERROR].v, 1.0 / 3, 1e-12);
	assert_float_equal(x->all[STATS_FAIR_TPR].v, 0.75, 1e-12);
	assert_float_equal(x->all[STATS_FAIR_FPR].v, 1, 1e-12);
	assert_float_equal(x->all[STATS_FAIR_PPR].v, 4.0 / 6, 1e-12);
	assert_float_equal(x->all[STATS_FAIR_PRECISION].v, 0.75, 1e-12);
	assert_float_equal(y->all[STATS_FAIR_ERROR].v, 0.5, 1e-12);
	assert_true(isnan(y->all[STATS_FAIR_TPR].v));
	assert_float_equal(y->all[STATS_FAIR_FPR].v, 2.0 / 3, 1e-12);
	assert_float_equal(y->all[STATS_FAIR_PPR].v, 0.75, 1e-12);
	assert_float_equal(y->all[STATS_FAIR_PRECISION].v, 0, 1e-12);
	/* ratios and flags */
	assert_float_equal(y->ratio[STATS_FAIR_ERROR], 1.5, 1e-12);
	assert_float_equal(y->ratio[STATS_FAIR_FPR], 2.0 / 3, 1e-12);
	assert_float_equal(y->ratio[STATS_FAIR_PPR], 1.125, 1e-12);
	assert_float_equal(y->ratio[STATS_FAIR_PRECISION], 0, 1e-12);
	assert_true(isnan(y->ratio[STATS_FAIR_TPR]));
	assert_true(y->flag[STATS_FAIR_ERROR] && y->flag[STATS_FAIR_FPR] &&
		    y->flag[STATS_FAIR_PRECISION]);
	assert_false(y->flag[STATS_FAIR_PPR] || y->flag[STATS_FAIR_TPR]);
	for (int k = 0; k < STATS_FAIR_N; k++)
		assert_false(x->flag[k]);
	/* the metrics */
	double v;
	assert_int_equal(stats_metric(st, "tpr_ratio_min", &v), 1); /* unknown */
	assert_int_equal(stats_metric(st, "fpr_ratio_max", &v), 0);
	assert_float_equal(v, 2.0 / 3, 1e-12);
	assert_int_equal(stats_metric(st, "ppr_ratio_min", &v), 0);
	assert_float_equal(v, 1.125, 1e-12);
	assert_int_equal(stats_metric(st, "error_ratio_max", &v), 0);
	assert_float_equal(v, 1.5, 1e-12);
	assert_int_equal(stats_metric(st, "fairness_flags", &v), 0);
	assert_float_equal(v, 3, 0);
	/* the model's error over all 10: (2 + 0 + 0 + 2) / 10 */
	assert_int_equal(stats_metric(st, "error_all", &v), 0);
	assert_float_equal(v, 0.4, 1e-12);
	stats_free(st);
}

static void stats_cohen_kappa__textbook_example__0_4(void **state)
{
	(void)state;
	/* Wikipedia "Cohen's kappa": yes/yes 20, yes/no 5, no/yes 10, no/no 15 */
	int64_t m[4] = {20, 5, 10, 15};
	double po;
	assert_float_equal(stats_cohen_kappa(m, 2, &po), 0.4, 1e-12);
	assert_float_equal(po, 0.7, 1e-12);
	/* one label only: expected agreement 1, kappa undefined */
	int64_t same[4] = {9, 0, 0, 0};
	assert_true(isnan(stats_cohen_kappa(same, 2, &po)));
	/* perfect agreement over two labels */
	int64_t perfect[4] = {5, 0, 0, 5};
	assert_float_equal(stats_cohen_kappa(perfect, 2, &po), 1.0, 1e-12);
}

static void stats_fleiss_kappa__textbook_example__0_210(void **state)
{
	(void)state;
	/* Wikipedia "Fleiss' kappa": 10 subjects, 14 raters, 5 categories */
	static const int64_t c[50] = {
		0, 0, 0, 0, 14, 0, 2, 6, 4, 2, 0, 0, 3, 5, 6, 0, 3, 9, 2, 0,
		2, 2, 8, 1, 1,  7, 7, 0, 0, 0, 3, 2, 6, 3, 0, 2, 5, 3, 2, 2,
		6, 5, 2, 1, 0,  0, 2, 2, 3, 7};
	assert_float_equal(stats_fleiss_kappa(c, 10, 5), 0.2099307, 1e-6);
}

static void stats_median__even_and_odd(void **state)
{
	(void)state;
	double a[] = {5, 1, 3};
	assert_float_equal(stats_median(a, 3), 3, 0);
	double b[] = {4, 1, 3, 2};
	assert_float_equal(stats_median(b, 4), 2.5, 0);
	assert_true(isnan(stats_median(b, 0)));
}

static void stats_compute__reviewers__match_hand_counts(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	struct stats *st = sup_stats(f->s, NULL, 0);
	const struct stats_reviewer *a = sup_rev(st, "alice"), *b = sup_rev(st, "bob"),
				    *c = sup_rev(st, "carol"), *d = sup_rev(st, "dave");
	assert_int_equal(a->decisions, 50);
	assert_int_equal(a->accepts, 25);
	assert_int_equal(a->overrides, 25);
	assert_int_equal(a->override.k, 25);
	assert_int_equal(a->override.n, 50);
	assert_float_equal(a->median_secs, 5.0, 0);
	assert_int_equal(a->fast.k, 10);
	assert_int_equal(a->fast.n, 25);
	assert_int_equal(a->gold.k, 5);
	assert_int_equal(a->gold.n, 15);
	assert_int_equal(a->agree.k, 35);
	assert_int_equal(a->agree.n, 50);
	assert_int_equal(b->accepts, 30);
	assert_int_equal(b->overrides, 20);
	assert_float_equal(b->median_secs, 4.0, 0);
	assert_int_equal(b->fast.k, 0);
	assert_int_equal(b->gold.k, 10);
	assert_int_equal(b->gold.n, 15);
	/* carol: one escalate; her accept was undone and does not count */
	assert_int_equal(c->decisions, 1);
	assert_int_equal(c->escalates, 1);
	assert_int_equal(c->accepts, 0);
	assert_int_equal(c->undos, 1);
	assert_float_equal(c->median_secs, 10.0, 0);
	assert_true(isnan(stats_rate_value(c->escalate, st->opts.min_n))); /* 1 < 10 */
	assert_int_equal(d->overrides, 1);
	assert_int_equal(d->accepts, 9);
	/* the store's creator (a supervisor) is listed with nothing done */
	assert_int_equal(sup_rev(st, dk_login_name())->decisions, 0);
	/* totals */
	assert_float_equal(sup_metric(st, "decisions"), 111, 0);
	assert_float_equal(sup_metric(st, "override_rate"), 46.0 / 111, 1e-12);
	assert_float_equal(sup_metric(st, "escalate_rate"), 1.0 / 111, 1e-12);
	assert_float_equal(sup_metric(st, "gold_accuracy"), 15.0 / 30, 1e-12);
	assert_float_equal(sup_metric(st, "fast_accept_rate"), 10.0 / 64, 1e-12);
	assert_float_equal(sup_metric(st, "agreement"), 35.0 / 50, 1e-12);
	stats_free(st);
}

static void stats_compute__agreement__textbook_kappas(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	struct stats *st = sup_stats(f->s, NULL, 0);
	assert_int_equal(st->npairs, 1);
	assert_int_equal(st->pairs[0].n, 50);
	assert_float_equal(st->pairs[0].po, 0.7, 1e-12);
	assert_float_equal(st->pairs[0].kappa, 0.4, 1e-12);
	assert_int_equal(st->fleiss_n, 50);
	assert_float_equal(sup_metric(st, "kappa"), 0.195 / 0.495, 1e-12);
	assert_float_equal(sup_metric(st, "kappa_min"), 0.4, 1e-12);
	assert_float_equal(sup_metric(st, "kappa_n"), 50, 0);
	stats_free(st);
}

static void stats_compute__too_few_cases__figures_unknown(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	struct stats_opts o;
	stats_opts_init(&o);
	o.min_n = 51; /* more than the 50 shared cases */
	struct stats *st = NULL;
	dk_error err = {{0}};
	assert_int_equal(stats_compute(f->s, &o, &st, &err), DK_OK);
	assert_true(isnan(sup_metric(st, "kappa")));
	assert_true(isnan(sup_metric(st, "kappa_min")));
	assert_true(isnan(st->pairs[0].kappa));
	assert_int_equal(st->pairs[0].n, 50); /* the n is still shown */
	assert_true(isnan(sup_metric(st, "unreviewed_error")));
	/* the Wilson bounds are honest at any n */
	assert_false(isnan(sup_metric(st, "unreviewed_error_upper")));
	sbuf b = {0};
	stats_format_json(st, &b);
	assert_non_null(strstr(sbuf_str(&b), "\"kappa\":null"));
	assert_non_null(strstr(sbuf_str(&b), "\"kappa_n\":50"));
	sbuf_reset(&b);
	stats_format_table(st, &b);
	assert_non_null(strstr(sbuf_str(&b), "Fleiss' kappa         too few (n=50)"));
	sbuf_free(&b);
	stats_free(st);
}

/* The table lines up names, labels and --by values by display width:
 * a wide (CJK) reviewer name, label and field value take two columns per
 * character, and a cut never leaves half a character. */
static void stats_format_table__wide_text__lines_up(void **state)
{
	struct fixture *f = *state;
	assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
	text_set_utf8(1);
	sup_fixture(f->s);
	sup_case(f->s, 70, "good", 0.6, NULL, "confidence",
		 "{\"\u5a5a\u59fb\":\"\u65e2\u5a5a\"}", "done",
		 "\u60aa\u3044\u60aa\u3044\u60aa\u3044", DAY2 + 900000);
	sup_decide(f->s, DAY2 + 900000, "\u5c71\u7530\u592a\u90ce", 70, "override", "good",
		   "\u60aa\u3044\u60aa\u3044\u60aa\u3044", 3.0, 0, NULL);
	struct stats *st = sup_stats(f->s, "\u5a5a\u59fb", 0);
	sbuf b = {0};
	stats_format_table(st, &b);
	const char *t = sbuf_str(&b);
	/* 8 columns of name in a 14-column cell, a space, "%9lld" of 1 */
	if (!strstr(t, "\n\u5c71\u7530\u592a\u90ce               1  "))
		fail_msg("reviewer row:\n%s", t);
	if (!strstr(t, "\nalice                 50  "))
		fail_msg("alice's row:\n%s", t);
	/* the --by value: 4 columns in a 24-column cell */
	if (!strstr(t, "\n    \u65e2\u5a5a                     "))
		fail_msg("--by row:\n%s", t);
	/* the 12-column label in the 10-column confusion header: 4 characters
	 * (8 columns), "~" and a pad column on the left */
	if (!strstr(t, "  \u60aa\u3044\u60aa\u3044~\n"))
		fail_msg("confusion header:\n%s", t);
	sbuf_free(&b);
	stats_free(st);
}

static void stats_compute__model__confusion_bins_days_audit(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	struct stats *st = sup_stats(f->s, NULL, 0);
	assert_int_equal(st->nmodels, 1);
	const struct stats_model *m = &st->models[0];
	assert_int_equal(m->nlabels, 2);
	assert_string_equal(m->labels[0], "good");
	assert_string_equal(m->labels[1], "bad");
	/* predicted good: 29 stayed good (1-20, 54-62), 16 became bad */
	assert_int_equal(m->confusion[0], 29);
	assert_int_equal(m->confusion[1], 16);
	assert_int_equal(m->confusion[2], 0);
	assert_int_equal(m->confusion[3], 0);
	assert_int_equal(m->override.k, 16);
	assert_int_equal(m->override.n, 45);
	assert_int_equal(m->conf[5].r.n, 20);
	assert_int_equal(m->conf[5].r.k, 0);
	assert_string_equal(m->conf[5].key, "0.5-0.6");
	assert_int_equal(m->conf[7].r.n, 15);
	assert_int_equal(m->conf[7].r.k, 15);
	assert_int_equal(m->conf[9].r.n, 10);
	assert_int_equal(m->conf[9].r.k, 1);
	assert_int_equal(m->ndays, 2);
	assert_string_equal(m->days[0].key, "2026-01-01");
	assert_int_equal(m->days[0].r.n, 20);
	assert_int_equal(m->days[0].r.k, 0);
	assert_string_equal(m->days[1].key, "2026-01-02");
	assert_int_equal(m->days[1].r.n, 25);
	assert_int_equal(m->days[1].r.k, 16);
	assert_int_equal(m->unreviewed, 100);
	assert_int_equal(m->audit.n, 10);
	assert_int_equal(m->audit.k, 1);
	assert_float_equal(sup_metric(st, "unreviewed_error"), 0.1, 1e-12);
	assert_float_equal(sup_metric(st, "unreviewed_error_lower"), 0.0178762, 1e-6);
	assert_float_equal(sup_metric(st, "unreviewed_error_upper"), 0.4041500, 1e-6);
	assert_float_equal(sup_metric(st, "final_override_rate"), 16.0 / 45, 1e-12);
	assert_float_equal(sup_metric(st, "unreviewed"), 100, 0);
	stats_free(st);
}

static const struct stats_bin *sup_group(const struct stats_model *m, const char *key)
{
	for (size_t i = 0; i < m->ngroups; i++)
		if (!strcmp(m->groups[i].key, key))
			return &m->groups[i];
	fail_msg("no group %s", key);
	return NULL;
}

static void stats_compute__by_text_field__groups(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	struct stats *st = sup_stats(f->s, "Marital", 0);
	const struct stats_model *m = &st->models[0];
	assert_false(m->by_numeric);
	assert_int_equal(m->ngroups, 3);
	const struct stats_bin *g = sup_group(m, "married");
	assert_int_equal(g->r.n, 18);
	assert_int_equal(g->r.k, 8);
	g = sup_group(m, "single");
	assert_int_equal(g->r.n, 17);
	assert_int_equal(g->r.k, 7);
	g = sup_group(m, "(missing)");
	assert_int_equal(g->r.n, 10);
	assert_int_equal(g->r.k, 1);
	stats_free(st);
}

static void stats_compute__by_numeric_field__nice_bins(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	/* Age 1..35: range 34 / 8 bins = 4.25 -> width 5 from 0 */
	struct stats *st = sup_stats(f->s, "Age", 0);
	const struct stats_model *m = &st->models[0];
	assert_true(m->by_numeric);
	assert_int_equal(m->ngroups, 9); /* 0-5 ... 35-40, (missing) */
	assert_int_equal(sup_group(m, "0-5")->r.n, 4);
	assert_int_equal(sup_group(m, "5-10")->r.n, 5);
	assert_int_equal(sup_group(m, "20-25")->r.k, 4);
	assert_int_equal(sup_group(m, "20-25")->r.n, 5);
	assert_int_equal(sup_group(m, "35-40")->r.n, 1);
	assert_int_equal(sup_group(m, "(missing)")->r.n, 10);
	stats_free(st);
	/* an explicit width */
	st = sup_stats(f->s, "Age", 20);
	m = &st->models[0];
	assert_int_equal(sup_group(m, "0-20")->r.n, 19);
	assert_int_equal(sup_group(m, "0-20")->r.k, 0);
	assert_int_equal(sup_group(m, "20-40")->r.n, 16);
	assert_int_equal(sup_group(m, "20-40")->r.k, 15);
	stats_free(st);
}

/* --by takes the field's JSON type from json_extract alone: true/false
 * (1/0), a few distinct numbers (a group each, unless a width is asked),
 * a number written as a string, an object (its JSON text), null. */
static void stats_compute__by_field__json_types_and_few_values(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	static const struct {
		const char *ctx, *final;
	} extra[] = {
		{"{\"Flag\":true,\"Kids\":1,\"Code\":\"42\"}", "good"},
		{"{\"Flag\":true,\"Kids\":2,\"Code\":\"x\"}", "bad"},
		{"{\"Flag\":false,\"Kids\":2,\"Code\":{\"a\":1}}", "good"},
		{"{\"Flag\":false,\"Kids\":3,\"Code\":null}", "good"},
	};
	for (int i = 0; i < 4; i++)
		sup_case(f->s, 101 + i, "good", 0.6, NULL, "confidence", extra[i].ctx,
			 "done", extra[i].final, DAY2 + 500000 + i);
	struct stats *st = sup_stats(f->s, "Flag", 0);
	const struct stats_model *m = &st->models[0];
	assert_false(m->by_numeric);
	assert_int_equal(sup_group(m, "1")->r.n, 2);
	assert_int_equal(sup_group(m, "1")->r.k, 1);
	assert_int_equal(sup_group(m, "0")->r.n, 2);
	assert_int_equal(sup_group(m, "0")->r.k, 0);
	assert_int_equal(sup_group(m, "(missing)")->r.n, 45);
	stats_free(st);
	st = sup_stats(f->s, "Kids", 0);
	m = &st->models[0];
	assert_false(m->by_numeric); /* three values: a group each, not bins */
	assert_int_equal(m->ngroups, 4);
	assert_int_equal(sup_group(m, "1")->r.n, 1);
	assert_int_equal(sup_group(m, "2")->r.n, 2);
	assert_int_equal(sup_group(m, "2")->r.k, 1);
	assert_int_equal(sup_group(m, "3")->r.n, 1);
	stats_free(st);
	st = sup_stats(f->s, "Kids", 2); /* a width asked: bins */
	m = &st->models[0];
	assert_true(m->by_numeric);
	assert_int_equal(sup_group(m, "0-2")->r.n, 1);
	assert_int_equal(sup_group(m, "2-4")->r.n, 3);
	stats_free(st);
	st = sup_stats(f->s, "Code", 0);
	m = &st->models[0];
	assert_false(m->by_numeric); /* mixed: numbers grouped as text */
	assert_int_equal(sup_group(m, "42")->r.n, 1);
	assert_int_equal(sup_group(m, "x")->r.k, 1);
	assert_int_equal(sup_group(m, "{\"a\":1}")->r.n, 1);
	assert_int_equal(sup_group(m, "(missing)")->r.n, 46); /* null too */
	stats_free(st);
}

/* A pii: field's values are masked (the supervise screen and stats
 * without --reveal): each group a mask and a number, in the same order and
 * counts; numeric bins lose their bounds; revealed, the values come back. */
static void stats_compute__by_pii_field__masked_unless_revealed(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	static const char *const ctx[] = {"{\"pii:name\":\"Ann Lee\",\"pii:age\":31}",
					  "{\"pii:name\":\"Ann Lee\",\"pii:age\":33}",
					  "{\"pii:name\":\"Bob Roy\",\"pii:age\":52}"};
	for (int i = 0; i < 3; i++)
		sup_case(f->s, 101 + i, "good", 0.6, NULL, "confidence", ctx[i], "done",
			 i == 2 ? "bad" : "good", DAY2 + 500000 + i);
	text_set_utf8(0); /* the ASCII mask */
	struct stats *st = sup_stats(f->s, "pii:name", 0);
	const struct stats_model *m = &st->models[0];
	assert_int_equal(m->ngroups, 3);
	assert_int_equal(sup_group(m, "******** 1")->r.n, 2);
	assert_int_equal(sup_group(m, "******** 2")->r.n, 1);
	assert_int_equal(sup_group(m, "******** 2")->r.k, 1);
	assert_int_equal(sup_group(m, "(missing)")->r.n, 45);
	sbuf b = {0};
	stats_format_table(st, &b);
	assert_null(strstr(sbuf_str(&b), "Ann"));
	sbuf_reset(&b);
	stats_format_json(st, &b);
	assert_null(strstr(sbuf_str(&b), "Ann"));
	assert_non_null(strstr(sbuf_str(&b), "\"masked\":true"));
	stats_free(st);
	st = sup_stats(f->s, "pii:age", 10);
	m = &st->models[0];
	assert_true(m->by_numeric);
	assert_true(isnan(sup_group(m, "******** 1")->lo));
	sbuf_reset(&b);
	stats_format_table(st, &b);
	assert_null(strstr(sbuf_str(&b), "30-40"));
	stats_free(st);
	/* revealed */
	struct stats_opts o;
	stats_opts_init(&o);
	o.by = "pii:name";
	o.reveal = 1;
	dk_error err = {{0}};
	assert_int_equal(stats_compute(f->s, &o, &st, &err), DK_OK);
	assert_int_equal(sup_group(&st->models[0], "Ann Lee")->r.n, 2);
	stats_free(st);
	text_set_utf8(1);
	sbuf_free(&b);
}

static void stats_compute__since__restricts_log_and_cases(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	struct stats_opts o;
	stats_opts_init(&o);
	o.has_since = 1;
	o.since_ms = DAY2;
	struct stats *st = NULL;
	dk_error err = {{0}};
	assert_int_equal(stats_compute(f->s, &o, &st, &err), DK_OK);
	/* day 2: cases 21-50 (2 decisions each), carol 1, dave 10 */
	assert_float_equal(sup_metric(st, "decisions"), 60 + 1 + 10, 0);
	assert_int_equal(st->models[0].override.n, 25);
	stats_free(st);
}

static void stats_compute__unknown_model__usage(void **state)
{
	struct fixture *f = *state;
	struct stats_opts o;
	stats_opts_init(&o);
	o.model = "nope";
	struct stats *st = NULL;
	dk_error err = {{0}};
	assert_int_equal(stats_compute(f->s, &o, &st, &err), DK_USAGE);
	assert_non_null(strstr(err.msg, "no model named 'nope'"));
}

static void stats_compute__empty_store__no_figures(void **state)
{
	struct fixture *f = *state;
	struct stats *st = sup_stats(f->s, NULL, 0);
	assert_float_equal(sup_metric(st, "decisions"), 0, 0);
	assert_true(isnan(sup_metric(st, "override_rate")));
	assert_true(isnan(sup_metric(st, "unreviewed_error_upper")));
	sbuf b = {0};
	stats_format_json(st, &b);
	assert_non_null(strstr(sbuf_str(&b), "\"override_rate\":null"));
	sbuf_free(&b);
	stats_free(st);
}

static struct stats *fair_stats(store *s)
{
	struct stats_opts o;
	stats_opts_init(&o);
	o.by = "g";
	o.positive = "good";
	o.min_n = 1;
	struct stats *st = NULL;
	dk_error err = {{0}};
	if (stats_compute(s, &o, &st, &err))
		fail_msg("stats_compute: %s", err.msg);
	return st;
}

static char *fair_json(const struct stats *st)
{
	sbuf b = {0};
	stats_format_json(st, &b);
	char *j = dk_xstrdup(sbuf_str(&b));
	sbuf_free(&b);
	return j;
}

/* The hand-worked store: the first run counts both parts of its batch
 * and keeps them; the next reads them (nothing counted) with the same
 * figures, and so does a regroup of the screen's. A log entry on a case
 * of the batch makes its touched part count again (only that part), and
 * the figures are a fresh count's. */
static void stats_compute__fairness__kept_counts_read_then_recounted(void **state)
{
	struct fixture *f = *state;
	fair_hand_store(f->s);
	struct stats *st = fair_stats(f->s);
	assert_int_equal(st->counts_fresh, 2);
	assert_int_equal(st->counts_kept, 2);
	char *first = fair_json(st);
	stats_free(st);
	st = fair_stats(f->s);
	assert_int_equal(st->counts_fresh, 0);
	char *again = fair_json(st);
	assert_string_equal(again, first);
	free(again);
	/* the screen's f and p: the groups alone, from the kept counts */
	dk_error err = {{0}};
	assert_int_equal(stats_regroup(f->s, st, NULL, 0, NULL, &err), DK_OK);
	assert_int_equal(st->models[0].ngroups, 0);
	assert_int_equal(stats_regroup(f->s, st, "g", 0, "good", &err), DK_OK);
	assert_int_equal(st->counts_fresh, 0);
	again = fair_json(st);
	assert_string_equal(again, first);
	free(again);
	stats_free(st);
	/* case 5 (x, auto, good) reviewed outside the design as bad */
	audit_entry e = {.reviewer = "ann", .case_id = 5, .action = "override",
			 .model_label = "good", .label = "bad", .seconds = NAN};
	assert_int_equal(store_begin_write(f->s, &err), DK_OK);
	assert_int_equal(audit_append(f->s, &e, NULL, NULL, &err), DK_OK);
	assert_int_equal(store_commit(f->s, &err), DK_OK);
	sup_exec(f->s, "UPDATE cases SET state = 'done', final_label = 'bad',"
		       " final_seq = (SELECT max(seq) FROM decisions), decided_at = 1"
		       " WHERE id = 5");
	st = fair_stats(f->s);
	assert_int_equal(st->counts_fresh, 1);
	const struct stats_model *m = &st->models[0];
	for (size_t g = 0; g < m->ngroups; g++)
		if (!strcmp(m->groups[g].key, "x")) {
			assert_int_equal(m->fair[g].reviewed, 5);
			assert_int_equal(m->fair[g].est.outside, 1);
		}
	char *kept = fair_json(st);
	stats_free(st);
	sup_exec(f->s, "DELETE FROM fair_counts; DELETE FROM fair_batches");
	st = fair_stats(f->s);
	assert_int_equal(st->counts_fresh, 2);
	char *fresh = fair_json(st);
	assert_string_equal(kept, fresh);
	assert_string_not_equal(kept, first);
	stats_free(st);
	free(kept);
	free(fresh);
	free(first);
}

/* The screens' path once the counts are kept: every statement seeks. */
static void faircount_explain__kept_path__seeks_never_scans(void **state)
{
	struct fixture *f = *state;
	sbuf plan = {0};
	dk_error err = {{0}};
	fixture_plan_start(f->s);
	assert_int_equal(faircount_explain(f->s, &plan, &err), DK_OK);
	fixture_plan_end(f->s);
	const char *p = sbuf_str(&plan);
	if (store_engine(f->s) == STORE_POSTGRES) {
		static const char *const big[] = {"fair_counts", "fair_batches", "batches",
						  "decisions", "cases", NULL};
		char line[200];
		if (fixture_pg_seq_scan(p, big, line, sizeof line))
			fail_msg("the kept path scans: %s\n%s", line, p);
		sbuf_free(&plan);
		return;
	}
	assert_null(strstr(p, "SCAN"));
	assert_non_null(strstr(p, "batches_model"));
	assert_non_null(strstr(p, "fair_counts_batch"));
	assert_non_null(strstr(p, "SEARCH fair_batches USING PRIMARY KEY"));
	assert_non_null(strstr(p, "SEARCH d USING INTEGER PRIMARY KEY (rowid>?)"));
	sbuf_free(&plan);
}

static void stats_compute__plans__read_indexes_not_tables(void **state)
{
	fixture_sqlite_only("a plan of SQLite's query planner (PostgreSQL plans a"
			    " table this small by cost: bench/pg.sh times the seeks)");
	struct fixture *f = *state;
	static const char *const sql[] = {
		"SELECT id, gold FROM cases WHERE gold IS NOT NULL ORDER BY id",
		"SELECT decided_at, prediction, final_label, confidence, route_reason"
		" FROM cases WHERE final_seq IS NOT NULL AND model_id = ?1"
		" AND (?2 IS NULL OR decided_at >= ?2) AND (?3 IS NULL OR decided_at < ?3)"
		" ORDER BY model_id, decided_at",
		/* error_all: every reviewed case, from the index alone */
		"SELECT prediction = final_label, route_reason, NULL"
		" FROM cases INDEXED BY cases_reviewed"
		" WHERE final_seq IS NOT NULL AND model_id = ?1",
	};
	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		char q[1024];
		snprintf(q, sizeof q, "EXPLAIN QUERY PLAN %s", sql[i]);
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(store_sqlite_db(f->s), q, -1, &st, NULL),
				 SQLITE_OK);
		int covering = 0;
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *d = (const char *)sqlite3_column_text(st, 3);
			if (strstr(d, "COVERING INDEX"))
				covering = 1;
			assert_null(strstr(d, "TEMP B-TREE"));
		}
		sqlite3_finalize(st);
		assert_true(covering);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stats_wilson__zero_of_fifty__upper_0_0713),
		cmocka_unit_test(stats_est_finish__hand_worked__ht_and_interval),
		cmocka_unit_test(stats_cohen_kappa__textbook_example__0_4),
		cmocka_unit_test(stats_fleiss_kappa__textbook_example__0_210),
		cmocka_unit_test(stats_median__even_and_odd),
		cmocka_unit_test_setup_teardown(stats_compute__reviewers__match_hand_counts,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(stats_compute__agreement__textbook_kappas,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(stats_compute__too_few_cases__figures_unknown,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(stats_compute__model__confusion_bins_days_audit,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(stats_compute__by_text_field__groups,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(stats_format_table__wide_text__lines_up,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(stats_compute__by_field__json_types_and_few_values,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(stats_compute__by_numeric_field__nice_bins,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(stats_compute__by_pii_field__masked_unless_revealed,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(stats_compute__since__restricts_log_and_cases,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(stats_compute__unknown_model__usage,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(stats_compute__empty_store__no_figures,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(stats_compute__fairness__hand_worked,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(stats_compute__plans__read_indexes_not_tables,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(
			stats_compute__fairness__kept_counts_read_then_recounted, fixture_setup,
			fixture_teardown),
		cmocka_unit_test_setup_teardown(faircount_explain__kept_path__seeks_never_scans,
						fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
