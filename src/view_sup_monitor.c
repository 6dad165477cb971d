/* view_sup_monitor.c: the Model tab's Drift view (fields by PSI, with bars
 * and a sparkline of each field's PSI per batch) and Fairness view (the
 * groups of the f field, with rates, intervals, ratios and flags), drawn
 * into the screen model from drift.c's report and stats.c's figures. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docket/logq.h"
#include "docket/text.h"
#include "docket/theme.h"
#include "docket/view_sup.h"

/* PSI drawn as a bar and a sparkline saturates here (twice the
 * "significant" band). */
#define SUP_PSI_FULL 0.4

void sup_load_stats(sup *c); /* view_sup_health.c */

void sup_load_drift(sup *c)
{
	drift_free(c->drift);
	c->drift = NULL;
	if (!c->st || c->model_i >= c->st->nmodels)
		return;
	dk_error err = {{0}};
	if (drift_compute(c->s, c->st->models[c->model_i].name, 0, 0, &c->drift, &err)) {
		snprintf(c->status, sizeof c->status, "drift: %s", err.msg);
		c->status_role = THEME_ROLE_ERROR;
	}
}

const char *sup_by_field(sup *c, double *width)
{
	*width = 0;
	if (!c->by[0])
		return NULL;
	snprintf(c->by_field, sizeof c->by_field, "%s", c->by);
	/* FIELD:WIDTH as on the command line */
	char *colon = strrchr(c->by_field, ':');
	double wd;
	if (colon && !dk_parse_double(colon + 1, strlen(colon + 1), &wd) && wd > 0) {
		*colon = '\0';
		*width = wd;
	}
	return c->by_field;
}

void sup_load_fairness(sup *c)
{
	if (!c->st) {
		sup_load_stats(c);
		return;
	}
	double wd;
	const char *by = sup_by_field(c, &wd);
	dk_error err = {{0}};
	if (stats_regroup(c->s, c->st, by, wd, c->positive[0] ? c->positive : NULL, &err)) {
		snprintf(c->status, sizeof c->status, "%s", err.msg);
		c->status_role = THEME_ROLE_ERROR;
	}
}

static int sup_band_role(double psi)
{
	if (isnan(psi) || psi < DRIFT_MODERATE)
		return THEME_ROLE_POS;
	return psi <= DRIFT_SIGNIFICANT ? THEME_ROLE_NEG_WEAK : THEME_ROLE_NEG;
}

static void sup_lines_drift(sup *c, screen *scr, struct screen_lines *l)
{
	const struct drift_report *r = c->drift;
	int y;
	if ((y = screen_lines_next(l)) >= 0)
		screen_printf(scr, y, 0, -1, THEME_ROLE_TITLE, SCREEN_BOLD,
			      "drift of model %s: batch %lld (%lld cases) against batch %lld "
			      "(%s, %lld cases)",
			      r->model, (long long)r->batch, (long long)r->rows, (long long)r->ref,
			      r->ref_set ? "the reference" : "the first batch",
			      (long long)r->ref_rows);
	if ((y = screen_lines_next(l)) >= 0)
		screen_printf(scr, y, 0, -1, THEME_ROLE_DIM, 0,
			      "PSI < %.1f stable, %.1f-%.1f moderate, > %.1f significant; bar "
			      "full at %.1f; last column: PSI of each batch in turn",
			      DRIFT_MODERATE, DRIFT_MODERATE, DRIFT_SIGNIFICANT, DRIFT_SIGNIFICANT,
			      SUP_PSI_FULL);
	if ((y = screen_lines_next(l)) >= 0)
		screen_printf(scr, y, 0, -1, THEME_ROLE_RULE, SCREEN_BOLD, "%-20s %8s %-12s %-20s %8s  %s",
			      "field", "PSI", "band", "", "missing", "batches");
	double *v = calloc(r->nbatches + 1, sizeof *v);
	for (size_t i = 0; i < r->nfields; i++) {
		const struct drift_field *f = &r->fields[i];
		if ((y = screen_lines_next(l)) < 0)
			continue;
		sbuf line = {0};
		logq_cell(&line, drift_field_title(f), 20, 0);
		screen_put(scr, y, 0, -1, f->output ? THEME_ROLE_DIM : THEME_ROLE_FIELD, 0,
			   sbuf_str(&line), TEXT_NUL);
		sbuf_free(&line);
		screen_printf(scr, y, 21, -1, THEME_ROLE_NORMAL, 0, "%8.4f", f->psi);
		screen_printf(scr, y, 30, -1, sup_band_role(f->psi), 0, "%-12s", drift_band(f->psi));
		sup_bar(scr, y, 43, 20, fmin(f->psi / SUP_PSI_FULL, 1));
		if (!f->output)
			screen_printf(scr, y, 64, -1, THEME_ROLE_NORMAL, 0, "%7.1f%%",
				      f->missing * 100);
		int x = 74;
		size_t room = scr->w > x ? (size_t)(scr->w - x) : 0;
		size_t from = r->nbatches > room ? r->nbatches - room : 0;
		for (size_t k = from; k < r->nbatches; k++)
			v[k - from] = isnan(f->trend[k]) ? NAN : fmin(f->trend[k] / SUP_PSI_FULL, 1);
		sup_spark(scr, y, x, v, r->nbatches - from);
		if (f->presence != DRIFT_BOTH && x + (int)(r->nbatches - from) + 2 < scr->w)
			screen_put(scr, y, x + (int)(r->nbatches - from) + 1, -1, THEME_ROLE_NEG_WEAK, 0,
				   f->presence == DRIFT_NEW ? "new field" : "field gone", TEXT_NUL);
	}
	free(v);
	if ((y = screen_lines_next(l)) >= 0)
		screen_printf(scr, y, 0, -1, THEME_ROLE_NORMAL, 0,
			      "routed to review: %.1f%% of the batch, %.1f%% of the reference",
			      r->routed_share * 100, r->routed_share_ref * 100);
}

void sup_draw_drift(sup *c, screen *scr, int y0, int y1)
{
	if (!c->drift) {
		screen_put(scr, y0 + 1, 2, -1, THEME_ROLE_DIM, 0,
			   "no drift figures (a model with a batch is needed)", TEXT_NUL);
		return;
	}
	sup_scrolled(c, scr, y0, y1, &c->tscroll[SUPT_MODEL], sup_lines_drift);
}

/* "0.609 [0.473-0.731]", or "few(n)" / "-". */
static const char *sup_fig(const struct stats_fig *f, char *buf, size_t len)
{
	if (!isnan(f->v))
		snprintf(buf, len, "%.3f [%.3f-%.3f]", f->v, f->lo, f->hi);
	else if (f->n)
		snprintf(buf, len, "few(%lld)", (long long)f->n);
	else
		snprintf(buf, len, "%s", SCREEN_MISSING);
	return buf;
}

static void sup_lines_fairness(sup *c, screen *scr, struct screen_lines *l)
{
	static const char *const titles[STATS_FAIR_N] = {"error", "TPR", "FPR", "PPR",
							 "precision"};
	const struct stats *st = c->st;
	const struct stats_model *m = &st->models[c->model_i];
	int y;
	if ((y = screen_lines_next(l)) >= 0)
		screen_printf(scr, y, 0, -1, THEME_ROLE_TITLE, SCREEN_BOLD,
			      "fairness of model %s by %s, positive label %s, reference group %s",
			      m->name, st->opts.by, st->opts.positive,
			      m->fair_ref < m->ngroups ? m->groups[m->fair_ref].key
						       : SCREEN_MISSING);
	if ((y = screen_lines_next(l)) >= 0)
		screen_printf(scr, y, 0, -1, THEME_ROLE_DIM, 0,
			      "estimated over all scored, then on reviewed cases; ratio to the "
			      "reference: ! outside %.2f-%.2f, * 95%% intervals apart",
			      STATS_FAIR_LOW, STATS_FAIR_HIGH);
	char a[64], b[64], n1[32], n2[32];
	for (size_t g = 0; g < m->ngroups; g++) {
		const struct stats_fair *f = &m->fair[g];
		if (!f->scored)
			continue;
		if ((y = screen_lines_next(l)) >= 0) {
			sbuf line = {0};
			logq_cell(&line, m->groups[g].key, 20, 0);
			screen_put(scr, y, 0, -1, THEME_ROLE_FIELD, SCREEN_BOLD, sbuf_str(&line),
				   TEXT_NUL);
			sbuf_free(&line);
			screen_printf(scr, y, 21, -1, THEME_ROLE_NORMAL, 0,
				      "%s%lld scored, %.1f%% routed, %lld reviewed",
				      g == m->fair_ref ? "(reference) " : "", (long long)f->scored,
				      f->scored ? 100.0 * (double)f->routed / (double)f->scored : 0.0,
				      (long long)f->reviewed);
		}
		for (int k = 0; k < STATS_FAIR_N; k++) {
			if ((y = screen_lines_next(l)) < 0)
				continue;
			if (!isnan(f->ratio[k]))
				snprintf(n1, sizeof n1, "x%.2f", f->ratio[k]);
			else
				snprintf(n1, sizeof n1, "%s", SCREEN_MISSING);
			if (!isnan(f->ratio_rev[k]))
				snprintf(n2, sizeof n2, "x%.2f", f->ratio_rev[k]);
			else
				snprintf(n2, sizeof n2, "%s", SCREEN_MISSING);
			screen_printf(scr, y, 2, -1, THEME_ROLE_DIM, 0, "%-10s", titles[k]);
			screen_printf(scr, y, 13, -1, THEME_ROLE_NORMAL, 0, "%-22s",
				      sup_fig(&f->all[k], a, sizeof a));
			sup_bar(scr, y, 36, 12, f->all[k].v);
			screen_printf(scr, y, 49, -1,
				      f->flag[k] ? THEME_ROLE_NEG : THEME_ROLE_NORMAL,
				      f->flag[k] ? SCREEN_BOLD : 0, "%-6s%c%c", n1,
				      f->flag[k] ? '!' : ' ', f->significant[k] ? '*' : ' ');
			screen_printf(scr, y, 59, -1, THEME_ROLE_DIM, 0, "%-22s %s",
				      sup_fig(&f->on_reviewed[k], b, sizeof b), n2);
		}
	}
}

void sup_draw_fairness(sup *c, screen *scr, int y0, int y1)
{
	const struct stats *st = c->st;
	if (!st || c->model_i >= st->nmodels || !st->models[c->model_i].has_fair) {
		screen_put(scr, y0 + 1, 2, -1, THEME_ROLE_DIM, 0,
			   "no fairness figures: f chooses a field, p a positive label", TEXT_NUL);
		return;
	}
	sup_scrolled(c, scr, y0, y1, &c->tscroll[SUPT_MODEL], sup_lines_fairness);
}
