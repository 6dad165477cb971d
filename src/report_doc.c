/* report_doc.c: what the report says, in order, as blocks (sections,
 * paragraphs, tables, charts) that report_html.c and report_md.c write.
 * Numbers that `docket stats --format json` also gives come from
 * stats_metric, so the two cannot disagree, and their cells carry the JSON
 * key (tests compare the rendered page with stats). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docket/clock.h"
#include "docket/report.h"

/* The most escalations and disputes listed one by one (all are counted). */
#define REPORT_MAX_WAITS 50

static struct rdoc_block *add(struct rdoc *d, enum rdoc_kind k, const char *text)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->b = dk_xrealloc(d->b, d->cap * sizeof *d->b);
	}
	struct rdoc_block *b = &d->b[d->n++];
	memset(b, 0, sizeof *b);
	b->kind = k;
	b->text = dk_xstrdup(text ? text : "");
	return b;
}

static void para(struct rdoc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void para(struct rdoc *d, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	add(d, RDOC_PARA, buf);
}

/* A table of ncols columns with the given headers; rows are added with
 * row(). */
static struct rdoc_block *table(struct rdoc *d, const char *caption, size_t ncols,
				const char *const *hdr)
{
	struct rdoc_block *b = add(d, RDOC_TABLE, caption);
	b->ncols = ncols;
	b->cells = dk_xmalloc(ncols * sizeof *b->cells);
	b->metric = dk_xmalloc(ncols * sizeof *b->metric);
	for (size_t i = 0; i < ncols; i++) {
		b->cells[i] = dk_xstrdup(hdr[i]);
		b->metric[i] = NULL;
	}
	return b;
}

/* Append a row: ncols strings (NULL: ""). */
static void row(struct rdoc_block *b, const char *const *cells)
{
	size_t at = (b->nrows + 1) * b->ncols;
	b->cells = dk_xrealloc(b->cells, (at + b->ncols) * sizeof *b->cells);
	b->metric = dk_xrealloc(b->metric, (at + b->ncols) * sizeof *b->metric);
	for (size_t i = 0; i < b->ncols; i++) {
		b->cells[at + i] = dk_xstrdup(cells[i] ? cells[i] : "");
		b->metric[at + i] = NULL;
	}
	b->nrows++;
}

/* Mark the last row's cell col as showing stats metric key. */
static void mark(struct rdoc_block *b, size_t col, const char *key)
{
	b->metric[b->nrows * b->ncols + col] = dk_xstrdup(key);
}

static struct rdoc_block *chart(struct rdoc *d, enum rdoc_kind k, const char *title,
				const char *desc, size_t n, size_t nseries)
{
	struct rdoc_block *b = add(d, k, title);
	b->desc = dk_xstrdup(desc);
	b->nrows = n;
	b->nseries = nseries;
	b->cells = dk_xmalloc((n ? n : 1) * sizeof *b->cells);
	b->v = dk_xmalloc((n ? n : 1) * nseries * sizeof *b->v);
	return b;
}

static const char *num(char *buf, size_t len, double v, const char *fmt)
{
	if (isnan(v))
		snprintf(buf, len, "too few");
	else
		snprintf(buf, len, fmt, v);
	return buf;
}

/* A stats metric as the report shows it: rates to 3 decimals, counts
 * whole; "too few" when stats has no figure. */
static const char *metric(const struct report *r, const char *key, char *buf,
			  size_t len, int count)
{
	double v;
	if (stats_metric(r->st, key, &v))
		snprintf(buf, len, "too few");
	else if (count)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.3f", v);
	return buf;
}

static const char *lld(char *buf, size_t len, int64_t v)
{
	snprintf(buf, len, "%lld", (long long)v);
	return buf;
}

static const char *when(char *buf, size_t len, int64_t ms)
{
	return ms ? clock_format_iso(ms, buf, len) : "-";
}

/* ---- issue 14's figures: one function each, so they plug in here ---- */


/* Summary rows for the figures of issue 14 (drift, disparity, the error
 * over everything scored), each with its verdict and threshold. */
static void summary_error_all(struct rdoc_block *t, const struct report *r)
{
	char v[320], a[64], lo[64], hi[64], n[64];
	if (!r->error_all.computed) {
		const char *c[] = {"Estimated error over everything scored",
				   "not known", "-", "needs an audit sample"};
		row(t, c);
		return;
	}
	snprintf(v, sizeof v, "%s (%s to %s)",
		 metric(r, "error_all", a, sizeof a, 0),
		 metric(r, "error_all_low", lo, sizeof lo, 0),
		 metric(r, "error_all_high", hi, sizeof hi, 0));
	(void)n;
	const char *c[] = {"Estimated error over everything scored", v, "-",
			   "Horvitz-Thompson, 95% interval"};
	row(t, c);
	mark(t, 1, "error_all");
}

/* stable / watch / act from the PSI bands of docket drift. */
static const char *drift_verdict(double psi)
{
	const char *b = drift_band(psi);
	return !strcmp(b, "stable") ? "stable" : !strcmp(b, "moderate") ? "watch"
		: !strcmp(b, "significant") ? "act" : "-";
}

static void summary_drift(struct rdoc_block *t, const struct report *r)
{
	char v[200];
	const char *how = "PSI, latest batch: < 0.1 stable, > 0.2 act";
	if (!r->drift.computed || isnan(r->dr->psi_max)) {
		const char *c[] = {"Largest input drift", "not known", "-", how};
		row(t, c);
		return;
	}
	snprintf(v, sizeof v, "%.3f (%.60s)", r->dr->psi_max,
		 r->dr->psi_max_field ? r->dr->psi_max_field : "-");
	const char *c[] = {"Largest input drift", v, drift_verdict(r->dr->psi_max), how};
	row(t, c);
}

/* The largest disparity: over the groups and rates (estimated over
 * everything scored), the ratio to the reference farthest from 1; *g and
 * *k get its group and rate. 0 when there is none. */
static int fair_worst(const struct stats_model *m, size_t *g, int *k)
{
	double worst = 0;
	int found = 0;
	for (size_t i = 0; i < m->ngroups; i++)
		for (int j = 0; j < STATS_FAIR_N; j++) {
			double x = m->fair[i].ratio[j];
			if (i == m->fair_ref || isnan(x) || x <= 0)
				continue;
			double d = fabs(log(x));
			if (!found || d > worst) {
				worst = d;
				*g = i;
				*k = j;
				found = 1;
			}
		}
	return found;
}

/* stable inside [0.8, 1.25]; watch outside it; act outside it with
 * intervals that do not overlap (a difference, not noise). */
static const char *fair_verdict(const struct stats_fair *f, int k)
{
	return !f->flag[k] ? "stable" : f->significant[k] ? "act" : "watch";
}

static void summary_fairness(struct rdoc_block *t, const struct report *r)
{
	char v[200];
	size_t g = 0;
	int k = 0;
	const struct stats_model *m = r->sm;
	if (!r->fairness.computed || !fair_worst(m, &g, &k)) {
		const char *c[] = {"Largest subgroup disparity", "not known", "-",
				   "report --by F --positive L"};
		row(t, c);
		return;
	}
	snprintf(v, sizeof v, "%.2f (%s, %.40s vs %.40s)", m->fair[g].ratio[k],
		 stats_fair_names[k], m->groups[g].key, m->groups[m->fair_ref].key);
	const char *c[] = {"Largest subgroup disparity", v, fair_verdict(&m->fair[g], k),
			   "ratio outside 0.8-1.25: watch; also significant: act"};
	row(t, c);
}

static void section_drift(struct rdoc *d, const struct report *r)
{
	add(d, RDOC_SUB, "Drift");
	if (!r->drift.computed) {
		para(d, "Input drift is not known: %s.", r->drift.why_not);
		return;
	}
	const struct drift_report *dr = r->dr;
	para(d, "Batch %lld against batch %lld%s: the Population Stability Index "
		"of each input field (numbers binned on the reference's deciles, "
		"other values by their most frequent values, half a case added to "
		"every bin) and of the model's outputs. Personal fields are left "
		"out.", (long long)dr->batch, (long long)dr->ref,
	     dr->ref_set ? " (the reference a supervisor set)" : " (the first)");
	const char *hdr[] = {"Field", "PSI", "Verdict", "Missing (reference / batch)"};
	struct rdoc_block *t = table(d, "Input drift by field, largest first", 4, hdr);
	for (size_t i = 0; i < dr->nfields && i < 20; i++) {
		const struct drift_field *f = &dr->fields[i];
		char psi[32], miss[64];
		snprintf(psi, sizeof psi, "%.3f", f->psi);
		snprintf(miss, sizeof miss, "%.3f / %.3f", f->ref_missing, f->missing);
		const char *c[] = {drift_field_title(f), psi, drift_verdict(f->psi), miss};
		row(t, c);
	}
}

static void section_fairness(struct rdoc *d, const struct report *r)
{
	add(d, RDOC_SUB, "Fairness");
	if (!r->fairness.computed) {
		para(d, "Subgroup figures need a field and a positive label chosen by "
			"the reader: 'docket report --by FIELD --positive LABEL' (or "
			"'docket stats' with the same options) gives, per group, the "
			"error, true- and false-positive rates, the positive-prediction "
			"rate and precision, estimated over everything scored, with "
			"intervals and the four-fifths flags.");
		return;
	}
	const struct stats_model *m = r->sm;
	para(d, "Groups of %s, positive label %s, against the reference group "
		"%s. Each rate is estimated over everything scored "
		"(Horvitz-Thompson) with its 95%% interval; the ratio is to the "
		"reference's; a ratio outside 0.8-1.25 (the four-fifths rule) is "
		"flagged, and marked significant when the intervals do not "
		"overlap.", r->opts.by, r->opts.positive, m->groups[m->fair_ref].key);
	const char *hdr[] = {"Group", "Scored", "Reviewed", "Rate", "Estimate (95%)",
			     "Ratio", "Verdict"};
	struct rdoc_block *t = table(d, "Rates by group", 7, hdr);
	for (size_t i = 0; i < m->ngroups; i++) {
		const struct stats_fair *f = &m->fair[i];
		for (int k = 0; k < STATS_FAIR_N; k++) {
			char sc[32], rv[32], est[96], ratio[32];
			snprintf(sc, sizeof sc, "%lld", (long long)f->scored);
			snprintf(rv, sizeof rv, "%lld", (long long)f->reviewed);
			if (isnan(f->all[k].v))
				snprintf(est, sizeof est, "too few (n %lld)",
					 (long long)f->all[k].n);
			else
				snprintf(est, sizeof est, "%.3f (%.3f to %.3f)", f->all[k].v,
					 f->all[k].lo, f->all[k].hi);
			if (i == m->fair_ref)
				snprintf(ratio, sizeof ratio, "reference");
			else if (isnan(f->ratio[k]))
				snprintf(ratio, sizeof ratio, "-");
			else
				snprintf(ratio, sizeof ratio, "%.2f", f->ratio[k]);
			const char *c[] = {k ? "" : m->groups[i].key, k ? "" : sc,
					   k ? "" : rv, stats_fair_names[k], est, ratio,
					   i == m->fair_ref || isnan(f->ratio[k])
						   ? "-" : fair_verdict(f, k)};
			row(t, c);
		}
	}
}

static void section_error_all(struct rdoc *d, const struct report *r)
{
	char a[64], lo[64], hi[64];
	if (!r->error_all.computed) {
		para(d, "The error over everything scored (Horvitz-Thompson) is not "
			"known: too few reviews, or cases were left to the model "
			"with no audit sample.");
		return;
	}
	para(d, "Estimated over everything scored (Horvitz-Thompson: routed "
		"cases count once, audit-sampled ones by the inverse of their "
		"policy's audit rate): error %s, 95%% interval %s to %s.",
	     metric(r, "error_all", a, sizeof a, 0),
	     metric(r, "error_all_low", lo, sizeof lo, 0),
	     metric(r, "error_all_high", hi, sizeof hi, 0));
}

/* ---- 1. summary ---- */

static void sec_summary(struct rdoc *d, const struct report *r)
{
	char p[160], a[64], b[64], c[64], e[160];
	add(d, RDOC_SECTION, "1. Summary");
	para(d, "Model %s, period: %s.", r->model, report_period_text(r, p, sizeof p));
	const char *hdr[] = {"Figure", "Value", "Verdict", "How"};
	struct rdoc_block *t = table(d, "The period at a glance", 4, hdr);
	{
		const char *c1[] = {"Cases scored (batches loaded in the period)",
				    lld(a, sizeof a, r->scored), "-",
				    "rows of the batches imported in the period"};
		row(t, c1);
		const char *c2[] = {"Cases routed to people", lld(a, sizeof a, r->routed),
				    "-", "by the routing policy at import"};
		row(t, c2);
		const char *c3[] = {"Cases reviewed (final human label)",
				    metric(r, "reviewed", a, sizeof a, 1), "-",
				    "cases whose final label was given in the period"};
		row(t, c3);
		mark(t, 1, "reviewed");
		const char *c4[] = {"Decisions", metric(r, "decisions", a, sizeof a, 1), "-",
				    "log entries about the model's cases"};
		row(t, c4);
		mark(t, 1, "decisions");
		const char *c5[] = {"Override rate", metric(r, "override_rate", a, sizeof a, 0),
				    "-", "overrides / (accepts + overrides + escalations)"};
		row(t, c5);
		mark(t, 1, "override_rate");
		const char *c6[] = {"Escalation rate",
				    metric(r, "escalate_rate", a, sizeof a, 0), "-",
				    "escalations / (accepts + overrides + escalations)"};
		row(t, c6);
		mark(t, 1, "escalate_rate");
		const char *c7[] = {"Error of unreviewed predictions",
				    metric(r, "unreviewed_error", a, sizeof a, 0), "-",
				    "wrong / audit-sampled cases"};
		row(t, c7);
		mark(t, 1, "unreviewed_error");
		snprintf(e, sizeof e, "%s to %s",
			 metric(r, "unreviewed_error_lower", b, sizeof b, 0),
			 metric(r, "unreviewed_error_upper", c, sizeof c, 0));
		const char *c8[] = {"  its 95% interval (Wilson)", e, "-",
				    "from the audit sample"};
		row(t, c8);
		const char *c9[] = {"Audit-sampled cases", metric(r, "audit_n", a, sizeof a, 1),
				    "-", "confident cases drawn at random for review"};
		row(t, c9);
		mark(t, 1, "audit_n");
	}
	summary_error_all(t, r);
	summary_drift(t, r);
	summary_fairness(t, r);
	{
		const char *c1[] = {"Reviewer agreement (Fleiss' kappa)",
				    metric(r, "kappa", a, sizeof a, 0), "-",
				    "over the cases two or more people reviewed"};
		row(t, c1);
		mark(t, 1, "kappa");
		const char *c2[] = {"  cases reviewed twice", metric(r, "kappa_n", a, sizeof a, 1),
				    "-", ""};
		row(t, c2);
		mark(t, 1, "kappa_n");
		const char *c3[] = {"Gold accuracy", metric(r, "gold_accuracy", a, sizeof a, 0),
				    "-", "right / gold cases judged"};
		row(t, c3);
		mark(t, 1, "gold_accuracy");
		const char *c4[] = {"Audit chain",
				    !r->verified   ? "not checked"
				    : r->verify_ok ? "intact"
						   : "BROKEN",
				    !r->verified ? "-" : r->verify_ok ? "stable" : "act",
				    "docket verify over the whole chain"};
		row(t, c4);
	}
	para(d, "A figure behind fewer than %lld cases shows as 'too few'. Verdicts: "
		"stable (no action), watch (look again next period), act (someone "
		"should look now).",
	     (long long)r->opts.min_n);
}

/* ---- 2. the model ---- */

static void sec_model(struct rdoc *d, const struct report *r)
{
	char a[64], b[64], c[64], e[64], f[64];
	add(d, RDOC_SECTION, "2. The model");
	size_t inp = 0;
	for (size_t i = 0; i < r->nbatches; i++)
		inp += (size_t)r->batches[i].in_period;
	para(d, "%zu batch%s loaded in the period%s.", inp, inp == 1 ? "" : "es",
	     r->nbatches > inp ? ", and the last one loaded before it" : "");
	const char *hdr[] = {"Batch", "Model version", "File", "SHA-256", "Rows", "Routed",
			     "Loaded by", "Loaded at", "In period"};
	struct rdoc_block *t = table(d, "Batches and their lineage", 9, hdr);
	for (size_t i = 0; i < r->nbatches; i++) {
		const struct report_batch *x = &r->batches[i];
		const char *cells[] = {lld(a, sizeof a, x->id),
				       x->version && *x->version ? x->version : "-",
				       x->file, x->sha256, lld(b, sizeof b, x->rows),
				       lld(c, sizeof c, x->routed), x->by,
				       when(e, sizeof e, x->at),
				       x->in_period ? (x->forced ? "yes (forced)" : "yes")
						    : (snprintf(f, sizeof f, "no"), f)};
		row(t, cells);
	}
	const char *ph[] = {"Version", "Set by", "Set at", "What changed"};
	t = table(d, "Routing policy versions in force in the period", 4, ph);
	for (size_t i = 0; i < r->npolicies; i++) {
		const struct report_policy *p = &r->policies[i];
		const char *cells[] = {lld(a, sizeof a, p->version), p->by,
				       when(e, sizeof e, p->at),
				       *p->changes ? p->changes : "nothing"};
		row(t, cells);
	}
}

/* ---- 3. review ---- */

static void sec_review(struct rdoc *d, const struct report *r)
{
	char a[64], b[64], c[64], e[64], f[64], g[64];
	int64_t mn = r->opts.min_n;
	add(d, RDOC_SECTION, "3. Review");
	struct rdoc_block *ch = chart(d, RDOC_BARS, "Decisions per day",
				      "Bar chart of the decisions recorded on each UTC day "
				      "of the period; the numbers are in the next table.",
				      r->ndays, 1);
	for (size_t i = 0; i < r->ndays; i++) {
		const struct report_day *x = &r->days[i];
		ch->cells[i] = dk_xstrdup(x->day + 5);
		ch->v[i] = (double)(x->accepts + x->overrides + x->escalates + x->skips +
				    x->resolves);
	}
	ch = chart(d, RDOC_LINES, "Override and escalation rates per day",
		   "Line chart of the share of judgements that overrode the model "
		   "(solid line, round marks) and that escalated (dashed line, square "
		   "marks) on each day; days with too few judgements are gaps. The "
		   "numbers are in the next table.",
		   r->ndays, 2);
	ch->series[0] = dk_xstrdup("override rate");
	ch->series[1] = dk_xstrdup("escalation rate");
	ch->ymin = 0;
	ch->ymax = 1;
	const char *hdr[] = {"Day", "Decisions", "Accepts", "Overrides", "Escalations",
			     "Skips", "Resolutions", "Override rate", "Escalation rate"};
	struct rdoc_block *t = table(d, "Review volume and rates per day (UTC)", 9, hdr);
	for (size_t i = 0; i < r->ndays; i++) {
		const struct report_day *x = &r->days[i];
		int64_t judged = x->accepts + x->overrides + x->escalates;
		ch->cells[i] = dk_xstrdup(x->day + 5);
		ch->v[i] = judged >= mn && judged ? (double)x->overrides / (double)judged : NAN;
		ch->v[r->ndays + i] =
			judged >= mn && judged ? (double)x->escalates / (double)judged : NAN;
		char o[32], s[32], rs[32];
		const char *cells[] = {x->day,
				       lld(a, sizeof a, x->accepts + x->overrides +
							       x->escalates + x->skips +
							       x->resolves),
				       lld(b, sizeof b, x->accepts),
				       lld(c, sizeof c, x->overrides),
				       lld(e, sizeof e, x->escalates),
				       lld(f, sizeof f, x->skips),
				       lld(g, sizeof g, x->resolves),
				       report_rate_text(x->overrides, judged, mn, o, sizeof o),
				       report_rate_text(x->escalates, judged, mn, s, sizeof s)};
		(void)rs;
		row(t, cells);
	}
	if (!r->ndays)
		para(d, "No decisions in the period.");

	add(d, RDOC_SUB, "Reasons given");
	const char *rh[] = {"Action", "Reason", "Times"};
	t = table(d, "Reason codes given with overrides, escalations and skips", 3, rh);
	for (size_t i = 0; i < r->nreasons; i++) {
		const char *cells[] = {r->reasons[i].action, r->reasons[i].reason,
				       lld(a, sizeof a, r->reasons[i].n)};
		row(t, cells);
	}

	add(d, RDOC_SUB, "Reviewers");
	const char *vh[] = {"Reviewer", "Decisions", "Override rate", "Escalation rate",
			    "Median time", "Gold accuracy", "Gold cases"};
	t = table(d, "Each reviewer's figures", 7, vh);
	for (size_t i = 0; i < r->st->nreviewers; i++) {
		const struct stats_reviewer *v = &r->st->reviewers[i];
		const char *cells[] = {
			v->name, lld(a, sizeof a, v->decisions),
			report_rate_text(v->override.k, v->override.n, mn, b, sizeof b),
			report_rate_text(v->escalate.k, v->escalate.n, mn, c, sizeof c),
			report_duration_text(v->median_secs, e, sizeof e),
			report_rate_text(v->gold.k, v->gold.n, mn, f, sizeof f),
			lld(g, sizeof g, v->gold.n)};
		row(t, cells);
	}
	add(d, RDOC_SUB, "Agreement");
	para(d, "Fleiss' kappa over %lld cases reviewed by two or more people: %s. "
		"Gold accuracy over %lld gold cases: %s.",
	     (long long)r->st->fleiss_n, metric(r, "kappa", a, sizeof a, 0),
	     (long long)r->gold.n, metric(r, "gold_accuracy", b, sizeof b, 0));
	const char *kh[] = {"Reviewer A", "Reviewer B", "Shared cases", "Cohen's kappa"};
	t = table(d, "Agreement of each pair of reviewers", 4, kh);
	for (size_t i = 0; i < r->st->npairs; i++) {
		const struct stats_pair *p = &r->st->pairs[i];
		const char *cells[] = {r->st->reviewers[p->a].name, r->st->reviewers[p->b].name,
				       lld(a, sizeof a, p->n),
				       num(b, sizeof b, p->kappa, "%.3f")};
		row(t, cells);
	}

	add(d, RDOC_SUB, "Escalations and disputes");
	para(d, "%lld escalation%s and %lld dispute%s raised or resolved in the period; "
		"%lld still open at its end; median wait of the resolved ones: %s.",
	     (long long)r->escalations, r->escalations == 1 ? "" : "s",
	     (long long)r->disputes, r->disputes == 1 ? "" : "s", (long long)r->open,
	     report_duration_text(r->median_wait_secs, a, sizeof a));
	const char *eh[] = {"Case", "Kind", "Reason", "Raised", "Resolved", "Resolved by",
			    "Final label", "Waited"};
	t = table(d, "Escalations and disputes, newest first", 8, eh);
	size_t shown = 0;
	for (size_t i = r->nwaits; i-- > 0 && shown < REPORT_MAX_WAITS; shown++) {
		const struct report_wait *w = &r->waits[i];
		char wt[32];
		const char *cells[] = {
			w->case_id, w->dispute ? "dispute" : "escalation", w->reason,
			when(a, sizeof a, w->raised_at), when(b, sizeof b, w->resolved_at),
			w->resolved_by ? w->resolved_by : "(open)", w->label,
			w->resolved_at
				? report_duration_text(
					  (double)(w->resolved_at - w->raised_at) / 1000, wt,
					  sizeof wt)
				: "-"};
		row(t, cells);
	}
	if (r->nwaits > REPORT_MAX_WAITS)
		para(d, "The %d newest of %zu are listed; `docket log --action escalate` "
			"and `--action resolve` give them all.",
		     REPORT_MAX_WAITS, r->nwaits);
}

/* ---- 4. model quality ---- */

static void sec_quality(struct rdoc *d, const struct report *r)
{
	char a[64], b[64], c[64], e[64];
	int64_t mn = r->opts.min_n;
	const struct stats_model *m = r->sm;
	add(d, RDOC_SECTION, "4. Model quality");
	add(d, RDOC_SUB, "Confusion: the model against the final human label");
	if (!m || !m->nlabels) {
		para(d, "No reviewed cases in the period.");
	} else {
		size_t k = m->nlabels;
		const char **hdr = dk_xmalloc((k + 1) * sizeof *hdr);
		char **tmp = dk_xmalloc((k + 1) * sizeof *tmp);
		hdr[0] = "Model said \\ people said";
		for (size_t j = 0; j < k; j++)
			hdr[j + 1] = m->labels[j];
		struct rdoc_block *t = table(d, "Cases by the model's label (rows) and the "
						"final human label (columns)",
					     k + 1, hdr);
		for (size_t i = 0; i < k; i++) {
			tmp[0] = m->labels[i];
			for (size_t j = 0; j < k; j++) {
				tmp[j + 1] = dk_xmalloc(24);
				snprintf(tmp[j + 1], 24, "%lld", (long long)m->confusion[i * k + j]);
			}
			row(t, (const char *const *)tmp);
			for (size_t j = 0; j < k; j++)
				free(tmp[j + 1]);
		}
		free(tmp);
		free(hdr);
	}

	add(d, RDOC_SUB, "Calibration: confidence against agreement with people");
	struct rdoc_block *ch = chart(
		d, RDOC_LINES, "Observed agreement by confidence",
		"Line chart: for each confidence bin, the share of reviewed cases whose "
		"final human label agreed with the model (solid line, round marks), "
		"against the bin's middle confidence (dashed line, square marks), "
		"which a calibrated model would match. The numbers are in the next table.",
		STATS_CONF_BINS, 2);
	ch->series[0] = dk_xstrdup("observed agreement");
	ch->series[1] = dk_xstrdup("confidence (bin middle)");
	ch->ymin = 0;
	ch->ymax = 1;
	const char *hdr[] = {"Confidence", "Reviewed", "Agreed", "Observed agreement"};
	struct rdoc_block *t = table(d, "Calibration bins", 4, hdr);
	for (size_t i = 0; i < STATS_CONF_BINS; i++) {
		double lo = (double)i / STATS_CONF_BINS, hi = (double)(i + 1) / STATS_CONF_BINS;
		int64_t n = m ? m->conf[i].r.n : 0, k = m ? m->conf[i].r.k : 0;
		snprintf(e, sizeof e, "%.1f-%.1f", lo, hi);
		ch->cells[i] = dk_xstrdup(e);
		ch->v[i] = n >= mn && n ? (double)(n - k) / (double)n : NAN;
		ch->v[STATS_CONF_BINS + i] = (lo + hi) / 2;
		const char *cells[] = {e, lld(a, sizeof a, n), lld(b, sizeof b, n - k),
				       report_rate_text(n - k, n, mn, c, sizeof c)};
		row(t, cells);
	}

	add(d, RDOC_SUB, "Error estimates");
	const char *eh[] = {"Figure", "Value", "Cases"};
	t = table(d, "The error of the model", 3, eh);
	const char *c1[] = {"Final override rate (reviewed cases)",
			    metric(r, "final_override_rate", a, sizeof a, 0),
			    metric(r, "reviewed", b, sizeof b, 1)};
	row(t, c1);
	mark(t, 1, "final_override_rate");
	const char *c2[] = {"Error of unreviewed predictions (audit sample)",
			    metric(r, "unreviewed_error", a, sizeof a, 0),
			    metric(r, "audit_n", b, sizeof b, 1)};
	row(t, c2);
	mark(t, 1, "unreviewed_error");
	const char *c3[] = {"  lower end of its 95% interval",
			    metric(r, "unreviewed_error_lower", a, sizeof a, 0), ""};
	row(t, c3);
	mark(t, 1, "unreviewed_error_lower");
	const char *c4[] = {"  upper end of its 95% interval",
			    metric(r, "unreviewed_error_upper", a, sizeof a, 0), ""};
	row(t, c4);
	mark(t, 1, "unreviewed_error_upper");
	const char *c5[] = {"Cases left to the model (not reviewed)",
			    metric(r, "unreviewed", a, sizeof a, 1), ""};
	row(t, c5);
	mark(t, 1, "unreviewed");
	section_error_all(d, r);
}

/* ---- 5. drift and fairness ---- */

static void sec_drift_fairness(struct rdoc *d, const struct report *r)
{
	add(d, RDOC_SECTION, "5. Drift and fairness");
	section_drift(d, r);
	section_fairness(d, r);
}

/* ---- 6. accountability ---- */

static void sec_accountability(struct rdoc *d, const struct report *r)
{
	char a[64], b[64];
	add(d, RDOC_SECTION, "6. Accountability");
	const char *hh[] = {"Figure", "Value"};
	struct rdoc_block *t = table(d, "The audit chain", 2, hh);
	const char *c1[] = {"Head at the period's end (entry)", lld(a, sizeof a, r->head_seq)};
	row(t, c1);
	const char *c2[] = {"Head hash (SHA-256)", r->head_hash};
	row(t, c2);
	char v[1100];
	if (!r->verified)
		snprintf(v, sizeof v, "not checked");
	else if (r->verify_ok)
		snprintf(v, sizeof v, "passed: %lld entries intact",
			 (long long)r->verify_entries);
	else
		snprintf(v, sizeof v, "FAILED: %s", r->verify_problem);
	const char *c3[] = {"docket verify (whole chain, at the report's time)", v};
	row(t, c3);
	const char *ah[] = {"Entry", "When", "Who", "Action", "Rows", "What"};
	para(d, "%lld export%s, %lld reveal%s of personal fields and %lld report%s in "
		"the period.",
	     (long long)r->exports, r->exports == 1 ? "" : "s", (long long)r->reveals,
	     r->reveals == 1 ? "" : "s", (long long)r->reports, r->reports == 1 ? "" : "s");
	t = table(d, "Exports, reveals and reports in the period, newest first", 6, ah);
	for (size_t i = 0; i < r->naccess; i++) {
		const struct report_access *x = &r->access[i];
		char rows[32];
		const char *cells[] = {lld(a, sizeof a, x->seq), when(b, sizeof b, x->at),
				       x->who, x->action,
				       x->rows >= 0 ? lld(rows, sizeof rows, x->rows) : "-",
				       x->what};
		row(t, cells);
	}
	if (r->exports + r->reveals + r->reports > (int64_t)r->naccess)
		para(d, "The %zu newest are listed; `docket log --action export` (reveal, "
			"report) gives them all.",
		     r->naccess);
}

/* ---- 7. methods and limits ---- */

static void sec_methods(struct rdoc *d, const struct report *r)
{
	add(d, RDOC_SECTION, "7. How the figures were computed, and what this "
			     "report cannot say");
	para(d, "Decisions are the log entries about the model's cases whose time is "
		"in the period; cases reviewed are those whose final human label was "
		"given in it. Rates of judgements count accepts, overrides and "
		"escalations. Figures behind fewer than %lld cases are not shown as "
		"numbers ('too few').",
	     (long long)r->opts.min_n);
	para(d, "Reviewer agreement is Fleiss' kappa over the cases two or more "
		"people reviewed, and Cohen's kappa per pair; gold accuracy counts "
		"the gold cases reviewers judged. The error of unreviewed predictions "
		"is the share of audit-sampled cases (confident ones routed at random "
		"by the policy's audit_rate) whose final human label differs from the "
		"model's, with a 95%% Wilson interval. Calibration compares each "
		"confidence bin's share of reviewed cases where people agreed with "
		"the model against the bin's confidence; reviewed cases were routed "
		"because they were uncertain, so this is not the model's accuracy on "
		"everything.");
	para(d, "Escalations are counted when raised in the period, disputes (two "
		"reviews that disagreed) when resolved in it or still open; a wait "
		"runs from the escalation or the second review to the supervisor's "
		"resolution. The audit chain's head is the last entry before the "
		"period's end; verify checks every entry's hash at the time the "
		"report was made. No personal (pii:) field is read for this report.");
	add(d, RDOC_SUB, "What this report cannot say");
	const char *lh[] = {"Limit"};
	struct rdoc_block *t = table(d, "Limits of this report", 1, lh);
	for (size_t i = 0; i < r->nlimits; i++) {
		const char *cells[] = {r->limits[i]};
		row(t, cells);
	}
}

void report_doc(const struct report *r, struct rdoc *d)
{
	memset(d, 0, sizeof *d);
	snprintf(d->title, sizeof d->title, "Model report: %s", r->model);
	sec_summary(d, r);
	sec_model(d, r);
	sec_review(d, r);
	sec_quality(d, r);
	sec_drift_fairness(d, r);
	sec_accountability(d, r);
	sec_methods(d, r);
}

void rdoc_free(struct rdoc *d)
{
	for (size_t i = 0; i < d->n; i++) {
		struct rdoc_block *b = &d->b[i];
		size_t ncells = b->kind == RDOC_TABLE ? (b->nrows + 1) * b->ncols
			      : (b->kind == RDOC_BARS || b->kind == RDOC_LINES) ? b->nrows
										 : 0;
		for (size_t j = 0; j < ncells; j++) {
			free(b->cells[j]);
			if (b->metric)
				free(b->metric[j]);
		}
		free(b->cells);
		free(b->metric);
		free(b->text);
		free(b->desc);
		free(b->v);
		free(b->series[0]);
		free(b->series[1]);
	}
	free(d->b);
	memset(d, 0, sizeof *d);
}
