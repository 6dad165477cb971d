/* stats.h: reviewer and model health from the decision log and the cases'
 * final labels: rates, medians, gold accuracy, agreement (Cohen's and
 * Fleiss' kappa), confusion, calibration against people, drift by day and
 * by context field, and the error rate of what was not reviewed. */
#ifndef DOCKET_STATS_H
#define DOCKET_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "docket/store.h"
#include "docket/util.h"

/* Defaults of the options below. */
#define STATS_FAST_SECS 3.0 /* an accept quicker than this is not a read */
#define STATS_MIN_N 10      /* fewer cases than this: "too few", no figure */
#define STATS_CONF_BINS 10  /* confidence bins of width 0.1 */
#define STATS_MAX_GROUPS 24 /* --by: text values beyond this are "(other)" */
#define STATS_NUM_BINS 8    /* --by: numeric fields get at most ~this many bins */

/* Route reason code that marks audit-sampled cases (policy.h ROUTE_AUDIT);
 * cases.route_reason holds the code, then figures ("audit sample"). */
#define STATS_ROUTE_AUDIT "audit"

struct stats_opts {
	const char *model;        /* model name or NULL for all */
	int has_since, has_until; /* time range: decisions by their time, */
	int64_t since_ms, until_ms; /* cases by decided_at; until exclusive */
	const char *by;           /* a context field to break overrides down by;
				     a pii: field's values (text or bins)
				     are masked ("•••••••• 1", ...) unless
				     reveal is set: the caller records that
				     reveal (stats_is_pii) */
	int reveal;
	double by_width;          /* > 0: bin width for a numeric --by field */
	const char *positive;     /* with by: the positive label: fairness
				     figures per group (stats_fair) */
	const char *reference;    /* with positive: the reference group's
				     value (NULL: the largest group) */
	double fast_secs;         /* plausible-read threshold, seconds */
	int64_t min_n;            /* below this many cases a figure is unknown */
};

void stats_opts_init(struct stats_opts *o);

/* 1 when field names a personal (pii:) field. */
int stats_is_pii(const char *field);

/* Record in the audit chain that who is shown the values of the personal
 * field o->by (a 'reveal' entry, store-level, detail {"fields":[FIELD],
 * "command":"stats","model":M}), in its own write transaction. Call
 * before the values are shown; nothing is shown if it fails. */
int stats_record_reveal(store *s, const char *who, const struct stats_opts *o,
			dk_error *err);

/* k of n: a rate is known when n >= min_n. */
struct stats_rate {
	int64_t k, n;
};

struct stats_reviewer {
	char *name;
	char *role;       /* "reviewer", "supervisor", or NULL if not listed */
	int64_t decisions; /* accept + override + escalate + skip + resolve */
	int64_t accepts, overrides, escalates, skips, resolves, undos;
	struct stats_rate override; /* overrides / (accept+override+escalate) */
	struct stats_rate escalate; /* escalates / (accept+override+escalate) */
	int64_t timed;              /* decisions with a time recorded */
	double median_secs;         /* NaN when timed == 0 */
	struct stats_rate fast;     /* timed accepts under fast_secs / timed accepts */
	struct stats_rate gold;     /* right on gold cases / gold cases judged */
	struct stats_rate agree;    /* agreed / cases shared with another reviewer */
};

/* Cohen's kappa of two reviewers over the cases both judged. */
struct stats_pair {
	size_t a, b; /* indexes into stats.reviewers */
	int64_t n;   /* shared cases */
	double po;   /* observed agreement */
	double kappa; /* NaN when n < min_n or expected agreement is 1 */
};

struct stats_bin {
	char key[64];  /* "0.5-0.6", "2026-01-02", "married", "30-40" */
	double lo, hi; /* numeric bins: [lo, hi) (confidence, --by numbers) */
	struct stats_rate r; /* overridden / reviewed in the bin */
};

/* The model's figures over everything it scored (not only over the cases
 * people saw), from the routing design: a case routed for uncertainty or
 * gold is reviewed with certainty (inclusion probability 1); a case left
 * to the model was drawn for the audit sample with its policy version's
 * audit rate p. Horvitz-Thompson: each reviewed case weighs 1/p, so the
 * errors over all N settled cases are E_certain + sum over audited errors
 * of 1/p. Cases sampled for review that have no final label yet are
 * "pending" and left out of N; cases reviewed outside the design (no route
 * reason) count in N but their label is not used. The interval: the
 * certain part is exact; the rest's rate q = (sum e/p) / N_rest gets a
 * Wilson score interval at Kish's effective size (sum w)^2 / sum w^2. */
enum stats_est_status {
	STATS_EST_OK = 0,
	STATS_EST_NO_AUDIT,    /* cases were left to the model at audit rate 0 */
	STATS_EST_NO_SAMPLE,   /* no audit-sampled case reviewed yet */
	STATS_EST_EMPTY,       /* nothing settled */
	STATS_EST_TOO_FEW,     /* a group with fewer than min_n reviewed */
};

struct stats_est {
	int64_t scored;        /* cases the model scored */
	int64_t pending;       /* sampled for review, no final label yet */
	int64_t n;             /* N: scored - pending */
	int64_t certain, certain_err; /* routed (or gold) with a final label */
	int64_t audited, audited_err; /* audit-sampled, with a final label */
	int64_t outside;       /* reviewed without a route reason: not used */
	int64_t zero_rate;     /* left to the model under an audit rate of 0 */
	double err_w;          /* sum over audited errors of 1/p */
	double w, w2;          /* sum over audited of 1/p and 1/p^2 */
	double error, lo, hi;  /* NaN unless status is STATS_EST_OK */
	enum stats_est_status status;
};

/* Finish e (error, lo, hi, status) from its counts and sums. */
void stats_est_finish(struct stats_est *e);

/* Wilson score interval for a proportion p observed on an effective sample
 * of n (not necessarily whole) at quantile z. n <= 0 gives [0, 1]. */
void stats_wilson_p(double p, double n, double z, double *lo, double *hi);

/* Fairness by subgroup (--by FIELD --positive L): the rates below per
 * group of the --by field, on the reviewed cases and estimated over
 * everything scored, and their ratio to a reference group. */
enum stats_fair_rate {
	STATS_FAIR_ERROR,     /* prediction != final human label */
	STATS_FAIR_TPR,       /* predicted L, among cases truly L */
	STATS_FAIR_FPR,       /* predicted L, among cases truly not L */
	STATS_FAIR_PPR,       /* predicted L, among cases */
	STATS_FAIR_PRECISION, /* truly L, among cases predicted L */
	STATS_FAIR_N
};
extern const char *const stats_fair_names[STATS_FAIR_N]; /* "error", "tpr", ... */

#define STATS_FAIR_LOW 0.8   /* ratios outside [0.8, 1.25] are flagged */
#define STATS_FAIR_HIGH 1.25 /* (the four-fifths rule, as Aequitas uses) */

/* A rate with its 95% interval and the count behind it; v is NaN when
 * n < min_n (too few) or nothing is known. */
struct stats_fig {
	double v, lo, hi;
	int64_t n;
};

struct stats_fair {
	int64_t scored, routed, reviewed, pending;
	struct stats_rate rev[STATS_FAIR_N]; /* on reviewed cases (k of n) */
	struct stats_fig on_reviewed[STATS_FAIR_N]; /* those with Wilson */
	/* estimated over all scored: error by Horvitz-Thompson (est); PPR
	 * exactly (no label needed); TPR, FPR and precision as ratios of two
	 * HT totals, Wilson at Kish's effective size of the denominator */
	struct stats_fig all[STATS_FAIR_N];
	double wnum[STATS_FAIR_N], wden[STATS_FAIR_N], wden2[STATS_FAIR_N];
	struct stats_est est;
	double ratio[STATS_FAIR_N];     /* all[] / the reference's all[] */
	double ratio_rev[STATS_FAIR_N]; /* on_reviewed[] / the reference's */
	int flag[STATS_FAIR_N];         /* ratio outside [0.8, 1.25] */
	int significant[STATS_FAIR_N];  /* the intervals do not overlap */
};

struct stats_model {
	int64_t id;
	char *name;
	char **labels;      /* labels seen (predictions and final labels) */
	size_t nlabels;
	int64_t *confusion; /* nlabels * nlabels: [predicted][final human] */
	struct stats_rate override; /* final label != prediction / reviewed */
	struct stats_bin conf[STATS_CONF_BINS];
	struct stats_bin *days; /* override rate per UTC day of decided_at */
	size_t ndays;
	struct stats_bin *groups; /* --by FIELD */
	size_t ngroups;
	int by_numeric;           /* groups are numeric bins */
	int64_t unreviewed;       /* cases left to the model (state auto) */
	struct stats_rate audit;  /* wrong / audit-sampled cases with a label */
	double err_lo, err_hi;    /* 95% Wilson interval of audit (n >= 1) */
	struct stats_est est;     /* over everything scored (error_all) */
	struct stats_fair *fair;  /* with opts.positive: parallel to groups */
	size_t fair_ref;          /* the reference group's index */
	int has_fair;
};

struct stats {
	struct stats_opts opts;
	int64_t decisions;
	int64_t accepts, overrides, escalates, skips, resolves, undos;
	struct stats_rate override; /* over all reviewers' judgements */
	struct stats_rate escalate;
	struct stats_rate final_override; /* cases: final label != prediction */
	struct stats_reviewer *reviewers;
	size_t nreviewers;
	struct stats_pair *pairs;
	size_t npairs;
	int64_t fleiss_n;    /* cases judged by two or more reviewers */
	double fleiss_kappa; /* NaN when fleiss_n < min_n */
	double kappa_min;    /* the lowest pairwise kappa that is known */
	struct stats_model *models;
	size_t nmodels;
	int64_t unreviewed;
	struct stats_rate audit;
	double err_lo, err_hi;
	struct stats_est est;  /* all models pooled */
	/* --by: batch parts counted from the cases in this computation, and
	 * those kept for the next (fair_counts.h) */
	size_t counts_fresh, counts_kept;
};

/* Compute every figure for opts in one read transaction. On success *out
 * owns the result (free with stats_free). DK_USAGE when the model named
 * does not exist; DK_ERR on store errors. Reads the log once by seq and
 * the reviewed cases once through the cases_reviewed index. */
int stats_compute(store *s, const struct stats_opts *opts, struct stats **out,
		  dk_error *err);
void stats_free(struct stats *st);

/* Recompute only the --by groups and fairness figures of st (the screen's
 * f and p keys) for field by (NULL: none), numeric bin width by_width
 * (0: automatic) and positive label positive (NULL: no fairness), with
 * st's other options; from the counts kept per batch, so this reads a few
 * rows once they exist. by and positive must outlive st. */
int stats_regroup(store *s, struct stats *st, const char *by, double by_width,
		  const char *positive, dk_error *err);

/* k/n, or NaN when n < min_n (or n == 0). */
double stats_rate_value(struct stats_rate r, int64_t min_n);

/* The top-level number keys of `stats --format json`, in its order: the
 * metrics --fail-if accepts (static; the JSON writer uses this list). */
extern const char *const stats_metric_names[];
extern const size_t stats_metric_count;

/* The value of metric name; returns 0 and sets *v, or 1 when the figure is
 * unknown (too few cases) or the name is not a metric. */
int stats_metric(const struct stats *st, const char *name, double *v);

/* Append the whole result as one JSON object (and a newline) to b. */
void stats_format_json(const struct stats *st, sbuf *b);
/* Append the result as text tables to b. */
void stats_format_table(const struct stats *st, sbuf *b);

/* Pure figures, exposed for tests and the screens. */

/* Wilson score interval for k successes in n trials at normal quantile z
 * (1.959964 for 95%). n == 0 gives [0, 1]. */
void stats_wilson(int64_t k, int64_t n, double z, double *lo, double *hi);

/* Cohen's kappa from a k x k matrix m[i*k+j] of counts (rater A said i,
 * rater B said j). *po gets observed agreement. NaN when empty or when the
 * expected agreement is 1 (both raters always gave one same label). */
double stats_cohen_kappa(const int64_t *m, size_t k, double *po);

/* Fleiss' kappa from nsub x k counts c[s*k+j] (raters who put subject s in
 * category j). Subjects may have different numbers of raters (at least 2
 * each; others are ignored): P_i uses each subject's own n_i and p_j is
 * pooled over all ratings. NaN when no subject has two raters or the
 * expected agreement is 1. */
double stats_fleiss_kappa(const int64_t *c, size_t nsub, size_t k);

/* Median of v[0..n) (sorts v in place). NaN when n == 0. */
double stats_median(double *v, size_t n);

/* Text for a rate: "0.250 (3/12)", or "too few (3/5)" below min_n.
 * Writes into buf (at least 40 bytes) and returns it. */
char *stats_rate_text(struct stats_rate r, int64_t min_n, char *buf, size_t len);

#endif
