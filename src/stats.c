/* stats.c: reviewer and model health: one pass over the decision log, one
 * over the reviewed cases (cases_reviewed index), figures computed in C. */
#include "docket/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docket/audit.h"
#include "docket/clock.h"
#include "docket/fair_counts.h"
#include "docket/logq.h"
#include "docket/queue.h"
#include "docket/termsafe.h"
#include "docket/text.h"

void stats_opts_init(struct stats_opts *o)
{
	memset(o, 0, sizeof *o);
	o->fast_secs = STATS_FAST_SECS;
	o->min_n = STATS_MIN_N;
}

/* ---- pure figures ---- */

double stats_rate_value(struct stats_rate r, int64_t min_n)
{
	if (r.n <= 0 || r.n < min_n)
		return NAN;
	return (double)r.k / (double)r.n;
}

void stats_wilson(int64_t k, int64_t n, double z, double *lo, double *hi)
{
	if (n <= 0) {
		*lo = 0;
		*hi = 1;
		return;
	}
	double p = (double)k / (double)n, nn = (double)n, z2 = z * z;
	double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
	double half = z * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / (1 + z2 / nn);
	*lo = centre - half < 0 ? 0 : centre - half;
	*hi = centre + half > 1 ? 1 : centre + half;
	/* exact ends: no successes means the lower bound is 0, and so on */
	if (k == 0)
		*lo = 0;
	if (k == n)
		*hi = 1;
}

void stats_wilson_p(double p, double n, double z, double *lo, double *hi)
{
	if (!(n > 0)) {
		*lo = 0;
		*hi = 1;
		return;
	}
	if (p < 0)
		p = 0;
	if (p > 1)
		p = 1;
	double z2 = z * z;
	double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
	double half = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
	*lo = centre - half < 0 || p == 0 ? 0 : centre - half;
	*hi = centre + half > 1 || p == 1 ? 1 : centre + half;
}

#define STATS_Z95 1.959963984540054

void stats_est_finish(struct stats_est *e)
{
	e->error = e->lo = e->hi = NAN;
	if (e->zero_rate > 0) {
		e->status = STATS_EST_NO_AUDIT;
		return;
	}
	if (e->n <= 0) {
		e->status = STATS_EST_EMPTY;
		return;
	}
	/* the part left to the design's sample: everything not certain */
	int64_t rest = e->n - e->certain;
	if (rest > 0 && e->audited == 0) {
		e->status = STATS_EST_NO_SAMPLE;
		return;
	}
	e->status = STATS_EST_OK;
	double nn = (double)e->n;
	e->error = ((double)e->certain_err + e->err_w) / nn;
	if (rest <= 0) {
		e->lo = e->hi = e->error;
		return;
	}
	double q = e->err_w / (double)rest, ql, qh;
	stats_wilson_p(q, e->w * e->w / e->w2, STATS_Z95, &ql, &qh);
	e->lo = ((double)e->certain_err + (double)rest * ql) / nn;
	e->hi = ((double)e->certain_err + (double)rest * qh) / nn;
}

static void stats_est_add(struct stats_est *to, const struct stats_est *e)
{
	to->scored += e->scored;
	to->pending += e->pending;
	to->n += e->n;
	to->certain += e->certain;
	to->certain_err += e->certain_err;
	to->audited += e->audited;
	to->audited_err += e->audited_err;
	to->outside += e->outside;
	to->zero_rate += e->zero_rate;
	to->err_w += e->err_w;
	to->w += e->w;
	to->w2 += e->w2;
}

/* kappa from n shared cases, agree of them equal, and each rater's label
 * counts ma[], mb[] over k labels. */
static double stats_kappa_marginals(int64_t n, int64_t agree, const int64_t *ma,
				    const int64_t *mb, size_t k, double *po)
{
	if (po)
		*po = n ? (double)agree / (double)n : NAN;
	if (n == 0)
		return NAN;
	/* kappa = (po - pe) / (1 - pe) with po = agree/n, pe = S/n^2 where
	 * S = sum ma*mb: in whole counts (exact in a double up to 2^53) it is
	 * (agree*n - S) / (n^2 - S), so textbook examples come out exact. */
	double S = 0, nn = (double)n;
	for (size_t i = 0; i < k; i++)
		S += (double)ma[i] * (double)mb[i];
	if (nn * nn - S <= 0)
		return NAN;
	return ((double)agree * nn - S) / (nn * nn - S);
}

double stats_cohen_kappa(const int64_t *m, size_t k, double *po)
{
	int64_t *ma = calloc(k ? k : 1, sizeof *ma);
	int64_t *mb = calloc(k ? k : 1, sizeof *mb);
	int64_t n = 0, agree = 0;
	for (size_t i = 0; i < k; i++)
		for (size_t j = 0; j < k; j++) {
			int64_t c = m[i * k + j];
			n += c;
			ma[i] += c;
			mb[j] += c;
			if (i == j)
				agree += c;
		}
	double kappa = stats_kappa_marginals(n, agree, ma, mb, k, po);
	free(ma);
	free(mb);
	return kappa;
}

/* Fleiss' kappa accumulated subject by subject. */
struct stats_fleiss {
	double psum;     /* sum of P_i */
	int64_t nsub;    /* subjects with two or more ratings */
	int64_t ratings; /* total ratings of those subjects */
	int64_t *cat;    /* ratings per category */
	size_t k;
};

/* Add one subject: counts[j] raters put it in category ids[j] (nc pairs). */
static void stats_fleiss_add(struct stats_fleiss *f, const size_t *ids,
			     const int64_t *counts, size_t nc)
{
	int64_t ni = 0;
	double sq = 0;
	for (size_t j = 0; j < nc; j++) {
		ni += counts[j];
		sq += (double)counts[j] * (double)counts[j];
	}
	if (ni < 2)
		return;
	f->psum += (sq - (double)ni) / ((double)ni * (double)(ni - 1));
	f->nsub++;
	f->ratings += ni;
	for (size_t j = 0; j < nc; j++)
		f->cat[ids[j]] += counts[j];
}

static double stats_fleiss_value(const struct stats_fleiss *f)
{
	if (f->nsub == 0)
		return NAN;
	double pbar = f->psum / (double)f->nsub, pe = 0;
	for (size_t j = 0; j < f->k; j++) {
		double pj = (double)f->cat[j] / (double)f->ratings;
		pe += pj * pj;
	}
	if (pe >= 1 - 1e-12)
		return NAN;
	return (pbar - pe) / (1 - pe);
}

double stats_fleiss_kappa(const int64_t *c, size_t nsub, size_t k)
{
	struct stats_fleiss f = {0};
	f.k = k;
	f.cat = calloc(k ? k : 1, sizeof *f.cat);
	size_t *ids = calloc(k ? k : 1, sizeof *ids);
	for (size_t j = 0; j < k; j++)
		ids[j] = j;
	for (size_t s = 0; s < nsub; s++)
		stats_fleiss_add(&f, ids, c + s * k, k);
	double kappa = stats_fleiss_value(&f);
	free(f.cat);
	free(ids);
	return kappa;
}

static int stats_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

double stats_median(double *v, size_t n)
{
	if (n == 0)
		return NAN;
	dk_sort(v, n, sizeof *v, stats_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

char *stats_rate_text(struct stats_rate r, int64_t min_n, char *buf, size_t len)
{
	if (r.n == 0)
		snprintf(buf, len, "-");
	else if (r.n < min_n)
		snprintf(buf, len, "too few (%lld/%lld)", (long long)r.k,
			 (long long)r.n);
	else
		snprintf(buf, len, "%.3f (%lld/%lld)", (double)r.k / (double)r.n,
			 (long long)r.k, (long long)r.n);
	return buf;
}

/* ---- string interning (reviewer names, labels) ---- */

struct stats_intern {
	char **names;
	size_t n, cap;
	uint32_t *slots; /* index + 1, 0 = empty */
	size_t nslots;
};

static uint64_t stats_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static size_t stats_intern_n(struct stats_intern *t, const char *s, size_t len)
{
	if (t->n * 2 >= t->nslots) {
		size_t ns = t->nslots ? t->nslots * 2 : 64;
		uint32_t *slots = calloc(ns, sizeof *slots);
		if (!slots)
			abort();
		for (size_t i = 0; i < t->n; i++) {
			size_t h = stats_hash(t->names[i], strlen(t->names[i])) & (ns - 1);
			while (slots[h])
				h = (h + 1) & (ns - 1);
			slots[h] = (uint32_t)i + 1;
		}
		free(t->slots);
		t->slots = slots;
		t->nslots = ns;
	}
	size_t h = stats_hash(s, len) & (t->nslots - 1);
	while (t->slots[h]) {
		const char *name = t->names[t->slots[h] - 1];
		if (strlen(name) == len && !memcmp(name, s, len))
			return t->slots[h] - 1;
		h = (h + 1) & (t->nslots - 1);
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->names = dk_xrealloc(t->names, t->cap * sizeof *t->names);
	}
	char *copy = dk_xmalloc(len + 1);
	memcpy(copy, s, len);
	copy[len] = '\0';
	t->names[t->n] = copy;
	t->slots[h] = (uint32_t)t->n + 1;
	return t->n++;
}

static void stats_intern_free(struct stats_intern *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->names[i]);
	free(t->names);
	free(t->slots);
	memset(t, 0, sizeof *t);
}

/* ---- growable arrays ---- */

struct stats_dvec {
	double *v;
	size_t n, cap;
};

static void stats_dvec_push(struct stats_dvec *d, double x)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->v = dk_xrealloc(d->v, d->cap * sizeof *d->v);
	}
	d->v[d->n++] = x;
}

/* A verdict in force: reviewer rev gave case case_id the label lab. */
struct stats_verdict {
	int64_t case_id;
	int64_t seq;
	uint32_t rev;
	uint32_t lab;
};

static int stats_cmp_verdict(const void *a, const void *b)
{
	const struct stats_verdict *x = a, *y = b;
	if (x->case_id != y->case_id)
		return x->case_id < y->case_id ? -1 : 1;
	if (x->rev != y->rev)
		return x->rev < y->rev ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int stats_cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* Working state of one computation. */
struct stats_work {
	store *s;
	struct stats *st;
	struct stats_intern revs, labels;
	struct stats_dvec *secs; /* per reviewer (parallel to revs) */
	size_t nsecs;
	struct stats_verdict *v;
	size_t nv, capv;
	int64_t *undone;
	size_t nundone, capundone;
	int64_t model_id; /* 0: all */
	struct faircount_set *sets; /* per model: the --by counts to keep */
	size_t nsets;
};

static size_t stats_reviewer_index(struct stats_work *w, const char *name, size_t len)
{
	size_t i = stats_intern_n(&w->revs, name, len);
	if (i >= w->st->nreviewers) {
		w->st->reviewers = dk_xrealloc(w->st->reviewers,
					       (i + 1) * sizeof *w->st->reviewers);
		w->secs = dk_xrealloc(w->secs, (i + 1) * sizeof *w->secs);
		for (size_t j = w->st->nreviewers; j <= i; j++) {
			memset(&w->st->reviewers[j], 0, sizeof w->st->reviewers[j]);
			memset(&w->secs[j], 0, sizeof w->secs[j]);
			w->st->reviewers[j].name = dk_xstrdup(w->revs.names[j]);
		}
		w->st->nreviewers = i + 1;
		w->nsecs = i + 1;
	}
	return i;
}

static int stats_load_reviewers(struct stats_work *w, dk_error *err)
{
	db_stmt *q = store_stmt(w->s, "SELECT name, role FROM reviewers ORDER BY name",
				     err);
	if (!q)
		return DK_ERR;
	while (db_step(q) == DB_ROW) {
		const char *name = (const char *)db_col_text(q, 0);
		size_t i = stats_reviewer_index(w, name, strlen(name));
		free(w->st->reviewers[i].role);
		w->st->reviewers[i].role =
			dk_xstrdup((const char *)db_col_text(q, 1));
	}
	return store_done(q) == DB_OK ? DK_OK
					  : store_fail(w->s, err, "reading reviewers");
}

/* The entries out of force: those an undo reversed and those an amend
 * (queue_amend: a decision with a ref_seq) replaced, so a decision a
 * reviewer amended counts once. The partial index decisions_ref holds only
 * undo and amend entries. */
static int stats_load_undone(struct stats_work *w, dk_error *err)
{
	db_stmt *q = store_stmt(
		w->s, "SELECT ref_seq FROM decisions WHERE ref_seq IS NOT NULL", err);
	if (!q)
		return DK_ERR;
	while (db_step(q) == DB_ROW) {
		if (w->nundone == w->capundone) {
			w->capundone = w->capundone ? w->capundone * 2 : 64;
			w->undone = dk_xrealloc(w->undone,
						w->capundone * sizeof *w->undone);
		}
		w->undone[w->nundone++] = db_col_int64(q, 0);
	}
	if (store_done(q) != DB_OK)
		return store_fail(w->s, err, "reading undo entries");
	if (w->nundone)
		dk_sort(w->undone, w->nundone, sizeof *w->undone, stats_cmp_i64);
	return DK_OK;
}

static int stats_is_undone(const struct stats_work *w, int64_t seq)
{
	return w->nundone &&
	       bsearch(&seq, w->undone, w->nundone, sizeof seq, stats_cmp_i64);
}

enum stats_action { A_ACCEPT, A_OVERRIDE, A_ESCALATE, A_SKIP, A_RESOLVE, A_UNDO, A_OTHER };

static enum stats_action stats_action(const char *a, int len)
{
	switch (len) {
	case 4:
		if (!memcmp(a, "skip", 4))
			return A_SKIP;
		if (!memcmp(a, "undo", 4))
			return A_UNDO;
		break;
	case 6:
		if (!memcmp(a, "accept", 6))
			return A_ACCEPT;
		break;
	case 7:
		if (!memcmp(a, "resolve", 7))
			return A_RESOLVE;
		break;
	case 8:
		if (!memcmp(a, "override", 8))
			return A_OVERRIDE;
		if (!memcmp(a, "escalate", 8))
			return A_ESCALATE;
		break;
	}
	return A_OTHER;
}

/* Pass A: the log, once, by seq. */
static int stats_pass_log(struct stats_work *w, dk_error *err)
{
	const struct stats_opts *o = &w->st->opts;
	int64_t lo, hi;
	if (logq_seq_range(w->s, o->has_since, o->since_ms, o->has_until,
			   o->until_ms, &lo, &hi, err))
		return DK_ERR;
	db_stmt *q = store_stmt(
		w->s,
		"SELECT d.seq, d.reviewer, d.case_id, d.action, d.label, d.seconds"
		" FROM decisions d WHERE d.seq >= ?1 AND d.seq < ?2"
		" AND (?3 IS NULL OR d.at >= ?3) AND (?4 IS NULL OR d.at < ?4)"
		" AND (?5 = 0 OR EXISTS (SELECT 1 FROM cases c"
		"  WHERE c.id = d.case_id AND c.model_id = ?5))",
		err);
	if (!q)
		return DK_ERR;
	db_bind_int64(q, 1, lo);
	db_bind_int64(q, 2, hi);
	if (o->has_since)
		db_bind_int64(q, 3, o->since_ms);
	if (o->has_until)
		db_bind_int64(q, 4, o->until_ms);
	db_bind_int64(q, 5, w->model_id);
	struct stats *st = w->st;
	int rc;
	while ((rc = db_step(q)) == DB_ROW) {
		int64_t seq = db_col_int64(q, 0);
		const char *name = (const char *)db_col_text(q, 1);
		size_t ri = stats_reviewer_index(w, name, (size_t)db_col_bytes(q, 1));
		struct stats_reviewer *r = &st->reviewers[ri];
		const char *act = (const char *)db_col_text(q, 3);
		enum stats_action a = stats_action(act, db_col_bytes(q, 3));
		if (a == A_UNDO) {
			r->undos++;
			st->undos++;
			continue;
		}
		if (a == A_OTHER || stats_is_undone(w, seq))
			continue;
		r->decisions++;
		st->decisions++;
		switch (a) {
		case A_ACCEPT: r->accepts++; break;
		case A_OVERRIDE: r->overrides++; break;
		case A_ESCALATE: r->escalates++; break;
		case A_SKIP: r->skips++; break;
		case A_RESOLVE: r->resolves++; break;
		default: break;
		}
		if (a != A_RESOLVE && db_col_type(q, 5) != DB_NULL) {
			double secs = db_col_double(q, 5);
			stats_dvec_push(&w->secs[ri], secs);
			if (a == A_ACCEPT) {
				r->fast.n++;
				if (secs < o->fast_secs)
					r->fast.k++;
			}
		}
		if ((a == A_ACCEPT || a == A_OVERRIDE) &&
		    db_col_type(q, 4) != DB_NULL &&
		    db_col_type(q, 2) != DB_NULL) {
			if (w->nv == w->capv) {
				w->capv = w->capv ? w->capv * 2 : 1024;
				w->v = dk_xrealloc(w->v, w->capv * sizeof *w->v);
			}
			struct stats_verdict *v = &w->v[w->nv++];
			v->case_id = db_col_int64(q, 2);
			v->seq = seq;
			v->rev = (uint32_t)ri;
			v->lab = (uint32_t)stats_intern_n(
				&w->labels, (const char *)db_col_text(q, 4),
				(size_t)db_col_bytes(q, 4));
		}
	}
	store_done(q);
	if (rc != DB_DONE)
		return store_fail(w->s, err, "reading the log");
	return DK_OK;
}

/* Gold accuracy and agreement from the verdicts in force (the last of each
 * reviewer on each case), grouped by case. */
static int stats_agreement(struct stats_work *w, dk_error *err)
{
	struct stats *st = w->st;
	if (w->nv)
		dk_sort(w->v, w->nv, sizeof *w->v, stats_cmp_verdict);
	/* gold cases, in id order (cases_gold) */
	int64_t *gold_id = NULL;
	uint32_t *gold_lab = NULL;
	size_t ngold = 0, capgold = 0;
	db_stmt *q = store_stmt(w->s,
				     "SELECT id, gold FROM cases WHERE gold IS NOT NULL"
				     " ORDER BY id",
				     err);
	if (!q)
		return DK_ERR;
	while (db_step(q) == DB_ROW) {
		if (ngold == capgold) {
			capgold = capgold ? capgold * 2 : 64;
			gold_id = dk_xrealloc(gold_id, capgold * sizeof *gold_id);
			gold_lab = dk_xrealloc(gold_lab, capgold * sizeof *gold_lab);
		}
		gold_id[ngold] = db_col_int64(q, 0);
		gold_lab[ngold] = (uint32_t)stats_intern_n(
			&w->labels, (const char *)db_col_text(q, 1),
			(size_t)db_col_bytes(q, 1));
		ngold++;
	}
	if (store_done(q) != DB_OK) {
		free(gold_id);
		free(gold_lab);
		return store_fail(w->s, err, "reading gold cases");
	}
	size_t nr = st->nreviewers, k = w->labels.n;
	/* pair index: pidx[a*nr+b] = pair + 1 */
	size_t *pidx = calloc(nr * nr + 1, sizeof *pidx);
	int64_t **marg = NULL; /* per pair: 2*k label counts */
	int64_t *pagree = NULL;
	size_t npairs = 0;
	struct stats_fleiss fl = {0};
	fl.k = k;
	fl.cat = calloc(k + 1, sizeof *fl.cat);
	size_t *ids = calloc(k + 1, sizeof *ids);
	int64_t *cnt = calloc(k + 1, sizeof *cnt);
	int64_t *seen = calloc(k + 1, sizeof *seen); /* label -> slot+1 in ids */
	struct stats_verdict *inforce = calloc(nr + 1, sizeof *inforce);
	size_t gi = 0;
	for (size_t i = 0; i < w->nv;) {
		size_t j = i;
		size_t m = 0;
		/* one case: keep the last verdict per reviewer (sorted by rev, seq) */
		while (j < w->nv && w->v[j].case_id == w->v[i].case_id) {
			if (j + 1 == w->nv || w->v[j + 1].case_id != w->v[j].case_id ||
			    w->v[j + 1].rev != w->v[j].rev)
				inforce[m++] = w->v[j];
			j++;
		}
		int64_t cid = w->v[i].case_id;
		while (gi < ngold && gold_id[gi] < cid)
			gi++;
		if (gi < ngold && gold_id[gi] == cid)
			for (size_t a = 0; a < m; a++) {
				struct stats_reviewer *r = &st->reviewers[inforce[a].rev];
				r->gold.n++;
				r->gold.k += inforce[a].lab == gold_lab[gi];
			}
		if (m >= 2) {
			for (size_t a = 0; a < m; a++)
				for (size_t b = a + 1; b < m; b++) {
					size_t ra = inforce[a].rev, rb = inforce[b].rev;
					size_t *slot = &pidx[ra * nr + rb];
					if (!*slot) {
						marg = dk_xrealloc(marg, (npairs + 1) * sizeof *marg);
						pagree = dk_xrealloc(pagree, (npairs + 1) * sizeof *pagree);
						st->pairs = dk_xrealloc(st->pairs, (npairs + 1) *
								sizeof *st->pairs);
						marg[npairs] = calloc(2 * k + 1, sizeof **marg);
						pagree[npairs] = 0;
						memset(&st->pairs[npairs], 0, sizeof st->pairs[npairs]);
						st->pairs[npairs].a = ra;
						st->pairs[npairs].b = rb;
						*slot = ++npairs;
					}
					size_t p = *slot - 1;
					int same = inforce[a].lab == inforce[b].lab;
					st->pairs[p].n++;
					marg[p][inforce[a].lab]++;
					marg[p][k + inforce[b].lab]++;
					pagree[p] += same;
					st->reviewers[ra].agree.n++;
					st->reviewers[ra].agree.k += same;
					st->reviewers[rb].agree.n++;
					st->reviewers[rb].agree.k += same;
				}
			size_t nc = 0;
			for (size_t a = 0; a < m; a++) {
				uint32_t l = inforce[a].lab;
				if (!seen[l]) {
					ids[nc] = l;
					cnt[nc] = 0;
					seen[l] = (int64_t)++nc;
				}
				cnt[seen[l] - 1]++;
			}
			stats_fleiss_add(&fl, ids, cnt, nc);
			for (size_t a = 0; a < nc; a++)
				seen[ids[a]] = 0;
		}
		i = j;
	}
	st->npairs = npairs;
	st->kappa_min = NAN;
	for (size_t p = 0; p < npairs; p++) {
		struct stats_pair *pr = &st->pairs[p];
		pr->kappa = stats_kappa_marginals(pr->n, pagree[p], marg[p], marg[p] + k,
						  k, &pr->po);
		if (pr->n < st->opts.min_n)
			pr->kappa = NAN;
		if (!isnan(pr->kappa) && (isnan(st->kappa_min) || pr->kappa < st->kappa_min))
			st->kappa_min = pr->kappa;
		free(marg[p]);
	}
	st->fleiss_n = fl.nsub;
	st->fleiss_kappa = fl.nsub >= st->opts.min_n ? stats_fleiss_value(&fl) : NAN;
	free(marg);
	free(pagree);
	free(pidx);
	free(fl.cat);
	free(ids);
	free(cnt);
	free(seen);
	free(inforce);
	free(gold_id);
	free(gold_lab);
	return DK_OK;
}

/* ---- per model ---- */

static size_t stats_model_label(struct stats_model *m, const char *s, size_t len)
{
	for (size_t i = 0; i < m->nlabels; i++)
		if (strlen(m->labels[i]) == len && !memcmp(m->labels[i], s, len))
			return i;
	size_t k = m->nlabels;
	m->labels = dk_xrealloc(m->labels, (k + 1) * sizeof *m->labels);
	char *copy = dk_xmalloc(len + 1);
	memcpy(copy, s, len);
	copy[len] = '\0';
	m->labels[k] = copy;
	/* grow the confusion matrix from k x k to (k+1) x (k+1) */
	int64_t *c = calloc((k + 1) * (k + 1), sizeof *c);
	for (size_t i = 0; i < k; i++)
		for (size_t j = 0; j < k; j++)
			c[i * (k + 1) + j] = m->confusion[i * k + j];
	free(m->confusion);
	m->confusion = c;
	m->nlabels = k + 1;
	return k;
}

/* --by values of one model before binning, each with the reviewed cases
 * that had it (n) and those of them overridden (k). */
struct stats_byval {
	struct stats_dvec num;     /* numeric values */
	int64_t *num_n, *num_k;    /* parallel to num */
	size_t ncap;
	struct stats_intern text;  /* text values (and numbers when mixed) */
	struct stats_rate *trate;  /* parallel to text.names */
	size_t ntrate;
	struct stats_rate missing;
};

static void stats_byval_text(struct stats_byval *b, const char *s, size_t len, int64_t n,
			     int64_t k)
{
	size_t i = stats_intern_n(&b->text, s, len);
	if (i >= b->ntrate) {
		b->trate = dk_xrealloc(b->trate, (i + 1) * sizeof *b->trate);
		memset(&b->trate[b->ntrate], 0, (i + 1 - b->ntrate) * sizeof *b->trate);
		b->ntrate = i + 1;
	}
	b->trate[i].n += n;
	b->trate[i].k += k;
}

static void stats_byval_num(struct stats_byval *b, double d, int64_t n, int64_t k)
{
	stats_dvec_push(&b->num, d);
	size_t i = b->num.n - 1;
	if (b->ncap != b->num.cap) {
		b->ncap = b->num.cap;
		b->num_n = dk_xrealloc(b->num_n, b->ncap * sizeof *b->num_n);
		b->num_k = dk_xrealloc(b->num_k, b->ncap * sizeof *b->num_k);
	}
	b->num_n[i] = n;
	b->num_k[i] = k;
}

static int stats_cmp_bin_n(const void *a, const void *b)
{
	const struct stats_bin *x = a, *y = b;
	if (x->r.n != y->r.n)
		return x->r.n > y->r.n ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* A "nice" bin width (1, 2 or 5 times a power of ten) giving at most about
 * STATS_NUM_BINS bins over [lo, hi]. */
static double stats_nice_width(double lo, double hi)
{
	double raw = (hi - lo) / STATS_NUM_BINS;
	if (raw <= 0)
		return 1;
	double p = pow(10, floor(log10(raw)));
	if (raw <= p)
		return p;
	if (raw <= 2 * p)
		return 2 * p;
	if (raw <= 5 * p)
		return 5 * p;
	return 10 * p;
}

/* 1 when v[0..n) holds more than k distinct values (stops counting there). */
static int stats_distinct_over(const double *v, size_t n, size_t k)
{
	double seen[STATS_NUM_BINS + 1];
	size_t nseen = 0;
	if (k > STATS_NUM_BINS)
		k = STATS_NUM_BINS;
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;
		while (j < nseen && seen[j] != v[i])
			j++;
		if (j < nseen)
			continue;
		if (nseen == k)
			return 1;
		seen[nseen++] = v[i];
	}
	return 0;
}

static void stats_byval_finish(struct stats_model *m, struct stats_byval *b,
			       double width)
{
	/* Numbers are binned, unless there are only a few distinct values
	 * (JSON true/false, which json_extract gives as 1/0, or a small
	 * count) and no width was asked: then each value is a group. */
	if (b->text.n == 0 && b->num.n > 0 &&
	    (width > 0 || stats_distinct_over(b->num.v, b->num.n, STATS_NUM_BINS))) {
		double lo = b->num.v[0], hi = b->num.v[0];
		for (size_t i = 1; i < b->num.n; i++) {
			if (b->num.v[i] < lo)
				lo = b->num.v[i];
			if (b->num.v[i] > hi)
				hi = b->num.v[i];
		}
		double wd = width > 0 ? width : stats_nice_width(lo, hi);
		double start = floor(lo / wd) * wd;
		size_t nb = (size_t)floor((hi - start) / wd) + 1;
		if (nb > 1000) /* a tiny --by width over a wide range */
			nb = 1000;
		m->by_numeric = 1;
		m->groups = calloc(nb + 1, sizeof *m->groups);
		for (size_t i = 0; i < nb; i++) {
			m->groups[i].lo = start + (double)i * wd;
			m->groups[i].hi = start + (double)(i + 1) * wd;
			snprintf(m->groups[i].key, sizeof m->groups[i].key, "%g-%g",
				 m->groups[i].lo, m->groups[i].hi);
		}
		for (size_t i = 0; i < b->num.n; i++) {
			size_t bi = (size_t)floor((b->num.v[i] - start) / wd);
			if (bi >= nb)
				bi = nb - 1;
			m->groups[bi].r.n += b->num_n[i];
			m->groups[bi].r.k += b->num_k[i];
		}
		m->ngroups = nb;
	} else {
		/* text (numbers among text values are grouped as their text) */
		for (size_t i = 0; i < b->num.n; i++) {
			char t[64];
			snprintf(t, sizeof t, "%g", b->num.v[i]);
			stats_byval_text(b, t, strlen(t), b->num_n[i], b->num_k[i]);
		}
		size_t n = b->text.n;
		struct stats_bin *all = calloc(n + 1, sizeof *all);
		for (size_t i = 0; i < n; i++) {
			snprintf(all[i].key, sizeof all[i].key, "%s", b->text.names[i]);
			all[i].r = b->trate[i];
		}
		if (n)
			dk_sort(all, n, sizeof *all, stats_cmp_bin_n);
		if (n > STATS_MAX_GROUPS) {
			/* the first STATS_MAX_GROUPS values, then "(other)" */
			struct stats_rate rest = {0, 0};
			for (size_t i = STATS_MAX_GROUPS; i < n; i++) {
				rest.n += all[i].r.n;
				rest.k += all[i].r.k;
			}
			struct stats_bin *other = &all[STATS_MAX_GROUPS];
			memset(other, 0, sizeof *other);
			snprintf(other->key, sizeof other->key, "(other)");
			other->r = rest;
			n = STATS_MAX_GROUPS + 1;
		}
		m->groups = all;
		m->ngroups = n;
	}
	if (b->missing.n) {
		m->groups = dk_xrealloc(m->groups, (m->ngroups + 1) * sizeof *m->groups);
		memset(&m->groups[m->ngroups], 0, sizeof *m->groups);
		snprintf(m->groups[m->ngroups].key, sizeof m->groups[0].key, "(missing)");
		m->groups[m->ngroups].r = b->missing;
		m->ngroups++;
	}
	free(b->num.v);
	free(b->num_n);
	free(b->num_k);
	stats_intern_free(&b->text);
	free(b->trate);
}

int stats_is_pii(const char *field)
{
	return field && !strncmp(field, "pii:", 4);
}

static int stats_record_reveal_once(store *s, const char *who,
				    const struct stats_opts *o, dk_error *err)
{
	sbuf d = {0};
	sbuf_adds(&d, "{\"fields\":[");
	sbuf_add_json_str(&d, o->by, strlen(o->by));
	sbuf_adds(&d, "],\"command\":\"stats\",\"model\":");
	if (o->model)
		sbuf_add_json_str(&d, o->model, strlen(o->model));
	else
		sbuf_adds(&d, "null");
	sbuf_addc(&d, '}');
	audit_entry e = {
		.reviewer = who,
		.action = ACTION_REVEAL,
		.seconds = NAN,
		.detail = sbuf_str(&d),
	};
	int rc = store_begin_write(s, err);
	if (rc == DK_OK)
		rc = audit_append(s, &e, NULL, NULL, err);
	if (rc == DK_OK)
		rc = store_commit(s, err);
	else
		store_rollback(s);
	sbuf_free(&d);
	return rc;
}

int stats_record_reveal(store *s, const char *who, const struct stats_opts *o,
			dk_error *err)
{
	/* it waits for the chain lock holding the writer lock: a session
	 * holding the one and asking for the other (t_pg_retry) makes it a
	 * deadlock's victim, which wrote nothing and showed nothing: run
	 * again (store_retry) */
	int rc, tries = 0;
	do
		rc = stats_record_reveal_once(s, who, o, err);
	while (rc == DK_ERR && store_retry(s, &tries));
	return rc;
}

/* Personal values never leave unmasked without a reveal on record: each
 * group of a pii: field is shown as the screen's mask and a number (the
 * groups stay apart, in the same order); "(missing)" and "(other)" are
 * not values and stay. */
static void stats_mask_groups(struct stats_model *m, const struct stats_opts *o)
{
	if (!stats_is_pii(o->by) || o->reveal)
		return;
	char mask[48] = "";
	for (int k = 0; k < 8; k++)
		strcat(mask, text_glyphs()->mask);
	size_t nth = 0;
	for (size_t i = 0; i < m->ngroups; i++) {
		struct stats_bin *g = &m->groups[i];
		if (!strcmp(g->key, "(missing)") || !strcmp(g->key, "(other)"))
			continue;
		snprintf(g->key, sizeof g->key, "%s %zu", mask, ++nth);
		g->lo = g->hi = NAN;
	}
}

/* Pass B for one model: its reviewed cases, by decided_at, from the
 * cases_reviewed index alone (the --by groups: stats_pass_by). */
static int stats_pass_model(struct stats_work *w, struct stats_model *m, dk_error *err)
{
	const struct stats_opts *o = &w->st->opts;
	db_stmt *q = store_stmt(w->s,
				     "SELECT decided_at, prediction, final_label, confidence,"
				     " route_reason"
				     " FROM cases WHERE final_seq IS NOT NULL AND model_id = ?1"
				     " AND (?2 IS NULL OR decided_at >= ?2)"
				     " AND (?3 IS NULL OR decided_at < ?3)"
				     " ORDER BY model_id, decided_at",
				     err);
	if (!q)
		return DK_ERR;
	db_bind_int64(q, 1, m->id);
	if (o->has_since)
		db_bind_int64(q, 2, o->since_ms);
	if (o->has_until)
		db_bind_int64(q, 3, o->until_ms);
	for (int i = 0; i < STATS_CONF_BINS; i++) {
		struct stats_bin *b = &m->conf[i];
		b->lo = (double)i / STATS_CONF_BINS;
		b->hi = (double)(i + 1) / STATS_CONF_BINS;
		snprintf(b->key, sizeof b->key, "%.1f-%.1f", b->lo, b->hi);
	}
	size_t capdays = 0;
	int rc;
	while ((rc = db_step(q)) == DB_ROW) {
		int64_t at = db_col_int64(q, 0);
		size_t pi = stats_model_label(m, (const char *)db_col_text(q, 1),
					      (size_t)db_col_bytes(q, 1));
		size_t fi = stats_model_label(m, (const char *)db_col_text(q, 2),
					      (size_t)db_col_bytes(q, 2));
		int ovr = pi != fi;
		m->confusion[pi * m->nlabels + fi]++;
		m->override.n++;
		m->override.k += ovr;
		double conf = db_col_double(q, 3);
		int bi = (int)floor(conf * STATS_CONF_BINS);
		if (bi < 0)
			bi = 0;
		if (bi >= STATS_CONF_BINS)
			bi = STATS_CONF_BINS - 1;
		m->conf[bi].r.n++;
		m->conf[bi].r.k += ovr;
		const char *reason = (const char *)db_col_text(q, 4);
		/* the code comes first, then figures ("audit sample") */
		size_t al = strlen(STATS_ROUTE_AUDIT);
		if (reason && !strncmp(reason, STATS_ROUTE_AUDIT, al) &&
		    (reason[al] == '\0' || reason[al] == ' ')) {
			m->audit.n++;
			m->audit.k += ovr;
		}
		/* days come in order: decided_at is the index's second column */
		int64_t day = at >= 0 ? at / 86400000 : (at - 86399999) / 86400000;
		if (!m->ndays || (int64_t)m->days[m->ndays - 1].lo != day) {
			if (m->ndays == capdays) {
				capdays = capdays ? capdays * 2 : 32;
				m->days = dk_xrealloc(m->days, capdays * sizeof *m->days);
			}
			struct stats_bin *d = &m->days[m->ndays++];
			memset(d, 0, sizeof *d);
			d->lo = (double)day;
			d->hi = (double)day + 1;
			char iso[32];
			clock_format_iso(day * 86400000, iso, sizeof iso);
			snprintf(d->key, sizeof d->key, "%.10s", iso);
		}
		m->days[m->ndays - 1].r.n++;
		m->days[m->ndays - 1].r.k += ovr;
	}
	store_done(q);
	if (rc != DB_DONE)
		return store_fail(w->s, err, "reading reviewed cases");
	/* cases left to the model: the maintained counter */
	q = store_stmt(w->s, "SELECT n FROM counters WHERE model_id = ?1 AND state = 'auto'",
		       err);
	if (!q)
		return DK_ERR;
	db_bind_int64(q, 1, m->id);
	if (db_step(q) == DB_ROW)
		m->unreviewed = db_col_int64(q, 0);
	if (store_done(q) != DB_OK)
		return store_fail(w->s, err, "reading the counters");
	stats_wilson(m->audit.k, m->audit.n, 1.959963984540054, &m->err_lo, &m->err_hi);
	return DK_OK;
}

/* The audit rate of each policy version of a model: rates[v] for v in
 * 1..*nv (a version never stored was the built-in default: rate 0). */
static int stats_audit_rates(struct stats_work *w, int64_t model_id, double **rates,
			     int64_t *nv, dk_error *err)
{
	*rates = NULL;
	*nv = 0;
	db_stmt *q = store_stmt(w->s, "SELECT policy_version FROM models WHERE id = ?1",
				     err);
	if (!q)
		return DK_ERR;
	db_bind_int64(q, 1, model_id);
	if (db_step(q) == DB_ROW)
		*nv = db_col_int64(q, 0);
	if (store_done(q) != DB_OK)
		return store_fail(w->s, err, "reading the model");
	if (*nv < 1)
		*nv = 1;
	*rates = calloc((size_t)*nv + 1, sizeof **rates);
	q = store_stmt(w->s,
		       "SELECT version, json_extract(policy, '$.audit_rate') FROM policies"
		       " WHERE model_id = ?1",
		       err);
	if (!q)
		return DK_ERR;
	db_bind_int64(q, 1, model_id);
	int rc;
	while ((rc = db_step(q)) == DB_ROW) {
		int64_t v = db_col_int64(q, 0);
		if (v >= 1 && v <= *nv)
			(*rates)[v] = db_col_double(q, 1);
	}
	store_done(q);
	return rc == DB_DONE ? DK_OK : store_fail(w->s, err, "reading policies");
}

/* The inclusion probability of a reviewed case: 1 when a rule (or gold)
 * routed it, its version's audit rate when it was drawn for the audit
 * sample, 0 when it was reviewed outside the design (no route reason). */
/* 1 when a route reason is the audit sample's: the code comes first,
 * then figures ("audit sample"). */
static int stats_reason_is_audit(const char *reason)
{
	size_t al = strlen(STATS_ROUTE_AUDIT);
	return reason && !strncmp(reason, STATS_ROUTE_AUDIT, al) &&
	       (reason[al] == '\0' || reason[al] == ' ');
}

static double stats_inclusion(const char *reason, int64_t version, const double *rates,
			      int64_t nv)
{
	if (!reason)
		return 0;
	if (stats_reason_is_audit(reason))
		return version >= 1 && version <= nv ? rates[version] : 0;
	return 1;
}

/* The estimate over everything model m scored (all time: cases left to the
 * model have no decision time). */
static int stats_pass_estimate(struct stats_work *w, struct stats_model *m, dk_error *err)
{
	struct stats_est *e = &m->est;
	double *rates = NULL;
	int64_t nv = 0;
	int rc = DK_ERR;
	if (stats_audit_rates(w, m->id, &rates, &nv, err))
		goto out;
	db_stmt *q = store_stmt(w->s,
				     "SELECT sum(n), sum(CASE state WHEN 'auto' THEN n ELSE 0 END)"
				     " FROM counters WHERE model_id = ?1",
				     err);
	if (!q)
		goto out;
	db_bind_int64(q, 1, m->id);
	int64_t left = 0;
	if (db_step(q) == DB_ROW) {
		e->scored = db_col_int64(q, 0);
		left = db_col_int64(q, 1);
	}
	if (store_done(q) != DB_OK) {
		store_fail(w->s, err, "reading the counters");
		goto out;
	}
	/* cases left to the model under an audit rate of 0: one seek each */
	for (int64_t v = 1; v <= nv; v++) {
		if (rates[v] > 0)
			continue;
		q = store_stmt(w->s,
			       "SELECT count(*) FROM cases INDEXED BY cases_auto_version"
			       " WHERE model_id = ?1 AND state = 'auto' AND policy_version = ?2",
			       err);
		if (!q)
			goto out;
		db_bind_int64(q, 1, m->id);
		db_bind_int64(q, 2, v);
		if (db_step(q) == DB_ROW)
			e->zero_rate += db_col_int64(q, 0);
		if (store_done(q) != DB_OK) {
			store_fail(w->s, err, "counting the cases left to the model");
			goto out;
		}
	}
	/* Two reads of the cases_reviewed index: every reviewed case from the
	 * index alone, then the row (for its policy version) of the audit
	 * sample only. (Asked for the version of every case, the planner
	 * would walk all the model's cases.) */
	q = store_stmt(w->s,
		       "SELECT prediction = final_label, route_reason, NULL"
		       " FROM cases INDEXED BY cases_reviewed"
		       " WHERE final_seq IS NOT NULL AND model_id = ?1",
		       err);
	if (!q)
		goto out;
	db_bind_int64(q, 1, m->id);
	int64_t reviewed = 0;
	int step, audit_pass = 0;
	for (;;) {
		if ((step = db_step(q)) != DB_ROW) {
			store_done(q);
			if (step != DB_DONE || audit_pass)
				break;
			audit_pass = 1;
			q = store_stmt(w->s,
				       "SELECT prediction = final_label, route_reason,"
				       " policy_version FROM cases INDEXED BY cases_reviewed"
				       " WHERE final_seq IS NOT NULL AND model_id = ?1"
				       " AND route_reason LIKE 'audit%'",
				       err);
			if (!q)
				goto out;
			db_bind_int64(q, 1, m->id);
			continue;
		}
		const char *reason = (const char *)db_col_text(q, 1);
		if (stats_reason_is_audit(reason) != audit_pass)
			continue; /* audit cases are read in the second pass */
		int wrong = !db_col_int(q, 0);
		double p = stats_inclusion(reason, db_col_int64(q, 2), rates, nv);
		reviewed++;
		if (p >= 1) {
			e->certain++;
			e->certain_err += wrong;
		} else if (p > 0) {
			e->audited++;
			e->audited_err += wrong;
			e->w += 1 / p;
			e->w2 += 1 / (p * p);
			if (wrong)
				e->err_w += 1 / p;
		} else {
			e->outside++;
		}
	}
	if (step != DB_DONE) {
		store_fail(w->s, err, "reading reviewed cases");
		goto out;
	}
	e->n = left + reviewed;
	e->pending = e->scored - e->n;
	stats_est_finish(e);
	rc = DK_OK;
out:
	free(rates);
	return rc;
}

/* ---- fairness by subgroup ---- */

const char *const stats_fair_names[STATS_FAIR_N] = {"error", "tpr", "fpr", "ppr",
						     "precision"};

/* The index of the group keyed key, appended (with an empty override
 * rate) when absent. */
static size_t stats_fair_group(struct stats_model *m, const char *key)
{
	for (size_t i = 0; i < m->ngroups; i++)
		if (!strcmp(m->groups[i].key, key))
			return i;
	m->groups = dk_xrealloc(m->groups, (m->ngroups + 1) * sizeof *m->groups);
	m->fair = dk_xrealloc(m->fair, (m->ngroups + 1) * sizeof *m->fair);
	memset(&m->groups[m->ngroups], 0, sizeof *m->groups);
	memset(&m->fair[m->ngroups], 0, sizeof *m->fair);
	snprintf(m->groups[m->ngroups].key, sizeof m->groups[0].key, "%s", key);
	m->groups[m->ngroups].lo = m->groups[m->ngroups].hi = NAN;
	return m->ngroups++;
}

/* A counted value as the --by groups read it: 0 missing, 1 a number (*d),
 * 2 text (*t, *len). Text that is a number (CSV input) is the number
 * (strtod only for what can start a finite number). */
static int stats_value(const struct faircount_row *r, double *d, const char **t, size_t *len)
{
	*d = 0;
	*t = "";
	*len = 0;
	if (r->kind == FAIRCOUNT_MISSING)
		return 0;
	if (r->kind == FAIRCOUNT_NUMBER) {
		*d = r->num;
		return 1;
	}
	*t = r->text ? r->text : "";
	*len = r->text ? r->len : 0;
	if (*len && strchr("0123456789+-.", (*t)[0]) && !dk_parse_double(*t, *len, d))
		return 1;
	return 2;
}

/* The group of one value, as the --by groups were cut on the reviewed
 * cases: numbers outside the bins count in the nearest one; a value none
 * of the groups holds is "(other)". */
static size_t stats_fair_assign(struct stats_model *m, size_t nnum,
				const struct faircount_row *r)
{
	double d;
	const char *t;
	size_t len;
	int kind = stats_value(r, &d, &t, &len);
	if (kind == 0)
		return stats_fair_group(m, "(missing)");
	int isnum = kind == 1;
	if (m->by_numeric) {
		if (!isnum || !nnum)
			return stats_fair_group(m, "(other)");
		size_t lo = 0, hi = nnum; /* the last bin whose lo <= d */
		while (hi - lo > 1) {
			size_t mid = (lo + hi) / 2;
			if (m->groups[mid].lo <= d)
				lo = mid;
			else
				hi = mid;
		}
		return lo;
	}
	char num[64];
	if (isnum) {
		snprintf(num, sizeof num, "%g", d);
		t = num;
		len = strlen(num);
	}
	for (size_t i = 0; i < m->ngroups; i++)
		if (strlen(m->groups[i].key) == len && !memcmp(m->groups[i].key, t, len))
			return i;
	return stats_fair_group(m, "(other)");
}

static void stats_fig_rate(struct stats_fig *f, struct stats_rate r, int64_t min_n)
{
	f->n = r.n;
	f->v = stats_rate_value(r, min_n);
	f->lo = f->hi = NAN;
	if (!isnan(f->v))
		stats_wilson(r.k, r.n, STATS_Z95, &f->lo, &f->hi);
}

/* Rates, intervals, ratios to the reference group, flags. */
static void stats_fair_finish(struct stats_model *m, const struct stats_opts *o)
{
	int64_t mn = o->min_n;
	for (size_t g = 0; g < m->ngroups; g++) {
		struct stats_fair *f = &m->fair[g];
		stats_est_finish(&f->est);
		if (f->est.status == STATS_EST_OK && f->reviewed < mn) {
			f->est.status = STATS_EST_TOO_FEW;
			f->est.error = f->est.lo = f->est.hi = NAN;
		}
		for (int k = 0; k < STATS_FAIR_N; k++) {
			stats_fig_rate(&f->on_reviewed[k], f->rev[k], mn);
			struct stats_fig *a = &f->all[k];
			a->v = a->lo = a->hi = NAN;
			if (k == STATS_FAIR_ERROR) {
				a->n = f->reviewed;
				if (f->reviewed >= mn && f->est.status == STATS_EST_OK) {
					a->v = f->est.error;
					a->lo = f->est.lo;
					a->hi = f->est.hi;
				}
			} else if (k == STATS_FAIR_PPR) {
				/* exact: every scored case has a prediction */
				struct stats_rate r = {(int64_t)f->wnum[k], f->scored};
				stats_fig_rate(a, r, mn);
			} else {
				a->n = f->rev[k].n;
				if (f->rev[k].n >= mn && f->wden[k] > 0 && f->est.zero_rate == 0) {
					a->v = f->wnum[k] / f->wden[k];
					stats_wilson_p(a->v, f->wden[k] * f->wden[k] / f->wden2[k],
						       STATS_Z95, &a->lo, &a->hi);
				}
			}
		}
	}
	/* the reference: the value asked for, else the largest real group */
	m->fair_ref = SIZE_MAX;
	for (size_t g = 0; g < m->ngroups; g++) {
		const char *key = m->groups[g].key;
		if (o->reference) {
			if (!strcmp(key, o->reference))
				m->fair_ref = g;
		} else if (strcmp(key, "(missing)") && strcmp(key, "(other)") &&
			   (m->fair_ref == SIZE_MAX || m->fair[g].scored > m->fair[m->fair_ref].scored)) {
			m->fair_ref = g;
		}
	}
	for (size_t g = 0; g < m->ngroups; g++) {
		struct stats_fair *f = &m->fair[g];
		for (int k = 0; k < STATS_FAIR_N; k++) {
			f->ratio[k] = f->ratio_rev[k] = NAN;
			if (m->fair_ref == SIZE_MAX)
				continue;
			const struct stats_fair *r = &m->fair[m->fair_ref];
			if (r->all[k].v > 0)
				f->ratio[k] = f->all[k].v / r->all[k].v;
			else if (r->all[k].v == 0 && f->all[k].v == 0)
				f->ratio[k] = 1;
			if (r->on_reviewed[k].v > 0)
				f->ratio_rev[k] = f->on_reviewed[k].v / r->on_reviewed[k].v;
			else if (r->on_reviewed[k].v == 0 && f->on_reviewed[k].v == 0)
				f->ratio_rev[k] = 1;
			f->flag[k] = !isnan(f->ratio[k]) &&
				     (f->ratio[k] < STATS_FAIR_LOW || f->ratio[k] > STATS_FAIR_HIGH);
			f->significant[k] = !isnan(f->all[k].v) && !isnan(r->all[k].v) &&
					    (f->all[k].lo > r->all[k].hi || f->all[k].hi < r->all[k].lo);
		}
	}
}

/* One group's counts before weighting. Reviewed cases by cell y * 2 + pp
 * (y: the final label is the positive one; pp: so is the prediction). */
struct stats_facc {
	int64_t rule[4], rule_wrong; /* routed by a rule or gold: reviewed for certain */
	int64_t outside;             /* reviewed with no route reason */
	int64_t (*v)[6]; /* per policy version (0: one never stored): the audit
			    sample's cells, its errors, and the cases left to
			    the model */
};

/* Counts of the cells c of rate k: the cases in its denominator, and in
 * its numerator. */
static void stats_fair_cells(const int64_t *c, int k, int64_t *den, int64_t *num)
{
	switch (k) {
	case STATS_FAIR_TPR: *den = c[2] + c[3]; *num = c[3]; break;
	case STATS_FAIR_FPR: *den = c[0] + c[1]; *num = c[1]; break;
	default: *den = c[1] + c[3]; *num = c[3]; break; /* precision */
	}
}

/* Add one counted row to its group. */
static void stats_fair_add(struct stats_model *m, struct stats_facc **acc, size_t *nacc,
			   size_t nnum, const struct faircount_row *r, const char *pos,
			   int64_t nv)
{
	size_t g = stats_fair_assign(m, nnum, r);
	while (*nacc < m->ngroups) {
		*acc = dk_xrealloc(*acc, (*nacc + 1) * sizeof **acc);
		memset(&(*acc)[*nacc], 0, sizeof **acc);
		(*acc)[*nacc].v = calloc((size_t)nv + 1, sizeof *(*acc)[*nacc].v);
		(*nacc)++;
	}
	struct stats_fair *f = &m->fair[g];
	struct stats_facc *a = &(*acc)[g];
	int64_t n = r->n;
	size_t vi = r->version >= 1 && r->version <= nv ? (size_t)r->version : 0;
	int pp = !strcmp(r->pred, pos);
	if (r->part == FAIRCOUNT_SCORED) {
		f->scored += n;
		if (r->route != FAIRCOUNT_NONE)
			f->routed += n;
		if (pp)
			f->wnum[STATS_FAIR_PPR] += (double)n;
		if (r->route == FAIRCOUNT_NONE)
			a->v[vi][5] += n;
		return;
	}
	if (r->route == FAIRCOUNT_NONE)
		a->v[vi][5] -= n; /* no longer left to the model */
	if (!r->fin)
		return;
	int y = !strcmp(r->fin, pos), wrong = strcmp(r->pred, r->fin) != 0;
	f->reviewed += n;
	/* on reviewed cases: k of n for each rate */
	int in[STATS_FAIR_N] = {1, y, !y, 1, pp};
	int hit[STATS_FAIR_N] = {wrong, pp, pp, pp, y};
	for (int k = 0; k < STATS_FAIR_N; k++)
		if (in[k]) {
			f->rev[k].n += n;
			f->rev[k].k += hit[k] ? n : 0;
		}
	int cell = y * 2 + pp;
	if (r->route == FAIRCOUNT_RULE) {
		a->rule[cell] += n;
		a->rule_wrong += wrong ? n : 0;
	} else if (r->route == FAIRCOUNT_AUDIT) {
		a->v[vi][cell] += n;
		a->v[vi][4] += wrong ? n : 0;
	} else {
		a->outside += n;
	}
}

/* A group's estimate and weighted totals from its counts: a case routed
 * by a rule weighs 1, one of the audit sample 1 / its version's audit
 * rate (Horvitz-Thompson; a rate of 1 is certain, 0 outside the design). */
static void stats_fair_weigh(struct stats_fair *f, const struct stats_facc *a,
			     const double *rates, int64_t nv)
{
	static const int wk[] = {STATS_FAIR_TPR, STATS_FAIR_FPR, STATS_FAIR_PRECISION};
	int64_t left = 0, zero = 0, den, num;
	for (int64_t v = 0; v <= nv; v++) {
		left += a->v[v][5];
		if (!(rates[v] > 0))
			zero += a->v[v][5];
	}
	f->pending = f->scored - f->reviewed - left;
	f->est.scored = f->scored;
	f->est.pending = f->pending;
	f->est.n = f->reviewed + left;
	f->est.zero_rate = zero;
	f->est.outside = a->outside;
	f->est.certain = a->rule[0] + a->rule[1] + a->rule[2] + a->rule[3];
	f->est.certain_err = a->rule_wrong;
	for (size_t i = 0; i < sizeof wk / sizeof wk[0]; i++) {
		stats_fair_cells(a->rule, wk[i], &den, &num);
		f->wden[wk[i]] += (double)den;
		f->wden2[wk[i]] += (double)den;
		f->wnum[wk[i]] += (double)num;
	}
	for (int64_t v = 0; v <= nv; v++) {
		const int64_t *c = a->v[v];
		int64_t cnt = c[0] + c[1] + c[2] + c[3];
		double p = rates[v];
		if (!cnt)
			continue;
		if (!(p > 0)) {
			f->est.outside += cnt;
			continue;
		}
		double wt = 1 / p;
		if (p >= 1) {
			f->est.certain += cnt;
			f->est.certain_err += c[4];
		} else {
			f->est.audited += cnt;
			f->est.audited_err += c[4];
			f->est.w += (double)cnt * wt;
			f->est.w2 += (double)cnt * wt * wt;
			f->est.err_w += (double)c[4] * wt;
		}
		for (size_t i = 0; i < sizeof wk / sizeof wk[0]; i++) {
			stats_fair_cells(c, wk[i], &den, &num);
			f->wden[wk[i]] += (double)den * wt;
			f->wden2[wk[i]] += (double)den * wt * wt;
			f->wnum[wk[i]] += (double)num * wt;
		}
	}
}

/* The fairness figures of model m from the counts of every case it
 * scored (set): its --by group, whether it was routed, reviewed, its
 * final label and its chance of review. */
static int stats_fair_fold(struct stats_work *w, struct stats_model *m,
			   const struct faircount_set *set, dk_error *err)
{
	const struct stats_opts *o = &w->st->opts;
	double *rates = NULL;
	int64_t nv = 0;
	m->has_fair = 1;
	m->fair = calloc(m->ngroups + 1, sizeof *m->fair);
	size_t nnum = 0;
	if (m->by_numeric)
		while (nnum < m->ngroups && strcmp(m->groups[nnum].key, "(missing)"))
			nnum++;
	if (stats_audit_rates(w, m->id, &rates, &nv, err)) {
		free(rates);
		return DK_ERR;
	}
	struct stats_facc *acc = NULL;
	size_t nacc = 0, cut = m->ngroups;
	for (size_t i = 0; i < set->n; i++)
		stats_fair_add(m, &acc, &nacc, nnum, &set->rows[i], o->positive, nv);
	/* Groups only unreviewed cases have ("(missing)", "(other)") come in
	 * the order of the counts' rows: put them in key order, so the output
	 * does not depend on how the counts were read. */
	if (m->ngroups == cut + 2 && strcmp(m->groups[cut].key, m->groups[cut + 1].key) > 0) {
		struct stats_bin gb = m->groups[cut];
		struct stats_fair fb = m->fair[cut];
		struct stats_facc ab = acc[cut];
		m->groups[cut] = m->groups[cut + 1];
		m->fair[cut] = m->fair[cut + 1];
		acc[cut] = acc[cut + 1];
		m->groups[cut + 1] = gb;
		m->fair[cut + 1] = fb;
		acc[cut + 1] = ab;
	}
	for (size_t g = 0; g < m->ngroups; g++) {
		static const struct stats_facc none;
		struct stats_facc empty = none;
		if (g >= nacc)
			empty.v = calloc((size_t)nv + 1, sizeof *empty.v);
		stats_fair_weigh(&m->fair[g], g < nacc ? &acc[g] : &empty, rates, nv);
		if (g >= nacc)
			free(empty.v);
	}
	for (size_t g = 0; g < nacc; g++)
		free(acc[g].v);
	free(acc);
	free(rates);
	stats_fair_finish(m, o);
	return DK_OK;
}

/* The --by groups of model m, cut on its reviewed cases (those decided in
 * the time range when one is given), and with a positive label the
 * fairness figures; from the counts fair_counts.c keeps per batch (or
 * counts in this read when they are not kept). set gets what to keep. */
static int stats_pass_by(struct stats_work *w, struct stats_model *m,
			 struct faircount_set *set, dk_error *err)
{
	const struct stats_opts *o = &w->st->opts;
	int windowed = o->has_since || o->has_until;
	unsigned parts = o->positive ? (1u << FAIRCOUNT_SCORED) | (1u << FAIRCOUNT_TOUCHED)
		       : windowed    ? 0
				     : 1u << FAIRCOUNT_TOUCHED;
	struct faircount_set win = {0};
	const struct faircount_set *cut = set;
	if (parts && faircount_load(w->s, m->id, o->by, parts, set, err))
		return DK_ERR;
	if (windowed) {
		if (faircount_window(w->s, m->id, o->by, o->has_since, o->since_ms,
				     o->has_until, o->until_ms, &win, err)) {
			faircount_free(&win);
			return DK_ERR;
		}
		cut = &win;
	}
	struct stats_byval by = {0};
	for (size_t i = 0; i < cut->n; i++) {
		const struct faircount_row *r = &cut->rows[i];
		if (r->part != FAIRCOUNT_TOUCHED || !r->fin)
			continue;
		int64_t k = strcmp(r->pred, r->fin) ? r->n : 0;
		double d;
		const char *t;
		size_t len;
		int kind = stats_value(r, &d, &t, &len);
		if (kind == 0) {
			by.missing.n += r->n;
			by.missing.k += k;
		} else if (kind == 1) {
			stats_byval_num(&by, d, r->n, k);
		} else {
			stats_byval_text(&by, t, len, r->n, k);
		}
	}
	faircount_free(&win);
	stats_byval_finish(m, &by, o->by_width);
	if (o->positive)
		return stats_fair_fold(w, m, set, err);
	return DK_OK;
}

/* The --by groups (and fairness figures) of model m, masked. */
static int stats_by(struct stats_work *w, struct stats_model *m, dk_error *err)
{
	if (!w->st->opts.by)
		return DK_OK;
	w->sets = dk_xrealloc(w->sets, (w->nsets + 1) * sizeof *w->sets);
	struct faircount_set *set = &w->sets[w->nsets++];
	memset(set, 0, sizeof *set);
	if (stats_pass_by(w, m, set, err))
		return DK_ERR;
	stats_mask_groups(m, &w->st->opts);
	return DK_OK;
}

/* After the read: keep what was counted, and let the sets go. */
static void stats_keep_counts(struct stats_work *w)
{
	for (size_t i = 0; i < w->nsets; i++) {
		w->st->counts_fresh += w->sets[i].fresh;
		w->st->counts_kept += faircount_save(w->s, &w->sets[i]);
		faircount_free(&w->sets[i]);
	}
	free(w->sets);
	w->sets = NULL;
	w->nsets = 0;
}

static int stats_models(struct stats_work *w, dk_error *err)
{
	struct stats *st = w->st;
	db_stmt *q = store_stmt(w->s,
				     "SELECT id, name FROM models"
				     " WHERE ?1 = 0 OR id = ?1 ORDER BY name",
				     err);
	if (!q)
		return DK_ERR;
	db_bind_int64(q, 1, w->model_id);
	while (db_step(q) == DB_ROW) {
		st->models = dk_xrealloc(st->models, (st->nmodels + 1) * sizeof *st->models);
		struct stats_model *m = &st->models[st->nmodels++];
		memset(m, 0, sizeof *m);
		m->id = db_col_int64(q, 0);
		m->name = dk_xstrdup((const char *)db_col_text(q, 1));
	}
	if (store_done(q) != DB_OK)
		return store_fail(w->s, err, "reading models");
	for (size_t i = 0; i < st->nmodels; i++) {
		struct stats_model *m = &st->models[i];
		if (stats_pass_model(w, m, err) || stats_pass_estimate(w, m, err))
			return DK_ERR;
		if (stats_by(w, m, err))
			return DK_ERR;
		stats_est_add(&st->est, &m->est);
		st->final_override.k += m->override.k;
		st->final_override.n += m->override.n;
		st->audit.k += m->audit.k;
		st->audit.n += m->audit.n;
		st->unreviewed += m->unreviewed;
	}
	stats_wilson(st->audit.k, st->audit.n, 1.959963984540054, &st->err_lo, &st->err_hi);
	stats_est_finish(&st->est);
	return DK_OK;
}

static void stats_finish_reviewers(struct stats_work *w)
{
	struct stats *st = w->st;
	for (size_t i = 0; i < st->nreviewers; i++) {
		struct stats_reviewer *r = &st->reviewers[i];
		int64_t judged = r->accepts + r->overrides + r->escalates;
		r->override = (struct stats_rate){r->overrides, judged};
		r->escalate = (struct stats_rate){r->escalates, judged};
		r->timed = (int64_t)w->secs[i].n;
		r->median_secs = stats_median(w->secs[i].v, w->secs[i].n);
		st->accepts += r->accepts;
		st->overrides += r->overrides;
		st->escalates += r->escalates;
		st->skips += r->skips;
		st->resolves += r->resolves;
	}
	int64_t judged = st->accepts + st->overrides + st->escalates;
	st->override = (struct stats_rate){st->overrides, judged};
	st->escalate = (struct stats_rate){st->escalates, judged};
}

int stats_compute(store *s, const struct stats_opts *opts, struct stats **out,
		  dk_error *err)
{
	*out = NULL;
	struct stats *st = dk_xmalloc(sizeof *st);
	memset(st, 0, sizeof *st);
	st->opts = *opts;
	st->fleiss_kappa = NAN;
	st->kappa_min = NAN;
	struct stats_work w = {.s = s, .st = st};
	int rc = DK_ERR;
	if (store_begin_read(s, err))
		goto out;
	if (opts->model) {
		db_stmt *q = store_stmt(s, "SELECT id FROM models WHERE name = ?1", err);
		if (!q)
			goto out;
		db_bind_text(q, 1, opts->model, -1, DB_STATIC);
		if (db_step(q) == DB_ROW)
			w.model_id = db_col_int64(q, 0);
		if (store_done(q) != DB_OK) {
			store_fail(s, err, "reading the model");
			goto out;
		}
		if (!w.model_id) {
			dk_fail(err, "%s: no model named '%s'", store_path(s), opts->model);
			rc = DK_USAGE;
			goto out;
		}
	}
	if (stats_load_reviewers(&w, err) || stats_load_undone(&w, err) ||
	    stats_pass_log(&w, err) || stats_agreement(&w, err) ||
	    stats_models(&w, err))
		goto out;
	stats_finish_reviewers(&w);
	rc = DK_OK;
out:
	store_rollback(s);
	if (rc == DK_OK)
		stats_keep_counts(&w);
	else
		for (size_t i = 0; i < w.nsets; i++)
			faircount_free(&w.sets[i]);
	free(w.sets);
	for (size_t i = 0; i < w.nsecs; i++)
		free(w.secs[i].v);
	free(w.secs);
	free(w.v);
	free(w.undone);
	stats_intern_free(&w.revs);
	stats_intern_free(&w.labels);
	if (rc) {
		stats_free(st);
		return rc;
	}
	*out = st;
	return DK_OK;
}

int stats_regroup(store *s, struct stats *st, const char *by, double by_width,
		  const char *positive, dk_error *err)
{
	st->opts.by = by;
	st->opts.by_width = by_width;
	st->opts.positive = by ? positive : NULL;
	st->counts_fresh = st->counts_kept = 0;
	for (size_t i = 0; i < st->nmodels; i++) {
		struct stats_model *m = &st->models[i];
		free(m->groups);
		free(m->fair);
		m->groups = NULL;
		m->fair = NULL;
		m->ngroups = 0;
		m->by_numeric = m->has_fair = 0;
		m->fair_ref = SIZE_MAX;
	}
	if (!by)
		return DK_OK;
	struct stats_work w = {.s = s, .st = st};
	int rc = store_begin_read(s, err);
	for (size_t i = 0; rc == DK_OK && i < st->nmodels; i++)
		rc = stats_by(&w, &st->models[i], err);
	store_rollback(s);
	if (rc == DK_OK)
		stats_keep_counts(&w);
	for (size_t i = 0; i < w.nsets; i++)
		faircount_free(&w.sets[i]);
	free(w.sets);
	return rc;
}

void stats_free(struct stats *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->nreviewers; i++) {
		free(st->reviewers[i].name);
		free(st->reviewers[i].role);
	}
	free(st->reviewers);
	free(st->pairs);
	for (size_t i = 0; i < st->nmodels; i++) {
		struct stats_model *m = &st->models[i];
		free(m->name);
		for (size_t j = 0; j < m->nlabels; j++)
			free(m->labels[j]);
		free(m->labels);
		free(m->confusion);
		free(m->days);
		free(m->groups);
		free(m->fair);
	}
	free(st->models);
	free(st);
}

/* ---- metrics and output ---- */

/* Overall figures over all reviewers: gold accuracy, fast accepts, median. */
static struct stats_rate stats_sum(const struct stats *st, size_t off)
{
	struct stats_rate t = {0, 0};
	for (size_t i = 0; i < st->nreviewers; i++) {
		const struct stats_rate *r =
			(const struct stats_rate *)((const char *)&st->reviewers[i] + off);
		t.k += r->k;
		t.n += r->n;
	}
	return t;
}

const char *const stats_metric_names[] = {
	"decisions",         "accepts",
	"overrides",         "escalates",
	"skips",             "resolves",
	"undos",             "override_rate",
	"escalate_rate",     "reviewed",
	"final_override_rate", "gold_accuracy",
	"fast_accept_rate",  "agreement",
	"kappa",             "kappa_n",
	"kappa_min",         "unreviewed",
	"audit_n",           "unreviewed_error",
	"unreviewed_error_lower", "unreviewed_error_upper",
	"min_n",             "fast_secs",
	"audit_errors",      "error_all",
	"error_all_low",     "error_all_high",
	"error_all_n",       "scored",
	"pending",           "tpr_ratio_min",
	"fpr_ratio_max",     "ppr_ratio_min",
	"error_ratio_max",   "precision_ratio_min",
	"fairness_flags",
};
const size_t stats_metric_count =
	sizeof stats_metric_names / sizeof stats_metric_names[0];

/* The lowest (want_max 0) or highest ratio of rate k over every group but
 * the reference, of every model with fairness figures; NaN when none is
 * known. */
static double stats_fair_extreme(const struct stats *st, int k, int want_max)
{
	double x = NAN;
	for (size_t i = 0; i < st->nmodels; i++) {
		const struct stats_model *m = &st->models[i];
		for (size_t g = 0; m->has_fair && g < m->ngroups; g++) {
			double r = m->fair[g].ratio[k];
			if (g == m->fair_ref || isnan(r))
				continue;
			if (isnan(x) || (want_max ? r > x : r < x))
				x = r;
		}
	}
	return x;
}

static double stats_fair_flags(const struct stats *st)
{
	int any = 0;
	int64_t n = 0;
	for (size_t i = 0; i < st->nmodels; i++) {
		const struct stats_model *m = &st->models[i];
		any |= m->has_fair;
		for (size_t g = 0; m->has_fair && g < m->ngroups; g++)
			for (int k = 0; k < STATS_FAIR_N; k++)
				n += m->fair[g].flag[k];
	}
	return any ? (double)n : NAN;
}

int stats_metric(const struct stats *st, const char *name, double *v)
{
	int64_t mn = st->opts.min_n;
	double x = NAN;
	if (!strcmp(name, "decisions"))
		x = (double)st->decisions;
	else if (!strcmp(name, "accepts"))
		x = (double)st->accepts;
	else if (!strcmp(name, "overrides"))
		x = (double)st->overrides;
	else if (!strcmp(name, "escalates"))
		x = (double)st->escalates;
	else if (!strcmp(name, "skips"))
		x = (double)st->skips;
	else if (!strcmp(name, "resolves"))
		x = (double)st->resolves;
	else if (!strcmp(name, "undos"))
		x = (double)st->undos;
	else if (!strcmp(name, "override_rate"))
		x = stats_rate_value(st->override, mn);
	else if (!strcmp(name, "escalate_rate"))
		x = stats_rate_value(st->escalate, mn);
	else if (!strcmp(name, "reviewed"))
		x = (double)st->final_override.n;
	else if (!strcmp(name, "final_override_rate"))
		x = stats_rate_value(st->final_override, mn);
	else if (!strcmp(name, "gold_accuracy"))
		x = stats_rate_value(stats_sum(st, offsetof(struct stats_reviewer, gold)), mn);
	else if (!strcmp(name, "fast_accept_rate"))
		x = stats_rate_value(stats_sum(st, offsetof(struct stats_reviewer, fast)), mn);
	else if (!strcmp(name, "agreement")) {
		/* each shared case counts once per pair (reviewers count it twice) */
		struct stats_rate a = stats_sum(st, offsetof(struct stats_reviewer, agree));
		a.k /= 2;
		a.n /= 2;
		x = stats_rate_value(a, mn);
	} else if (!strcmp(name, "kappa"))
		x = st->fleiss_kappa;
	else if (!strcmp(name, "kappa_n"))
		x = (double)st->fleiss_n;
	else if (!strcmp(name, "kappa_min"))
		x = st->kappa_min;
	else if (!strcmp(name, "unreviewed"))
		x = (double)st->unreviewed;
	else if (!strcmp(name, "audit_n"))
		x = (double)st->audit.n;
	else if (!strcmp(name, "unreviewed_error"))
		x = stats_rate_value(st->audit, mn);
	else if (!strcmp(name, "unreviewed_error_lower"))
		x = st->audit.n ? st->err_lo : NAN;
	else if (!strcmp(name, "unreviewed_error_upper"))
		x = st->audit.n ? st->err_hi : NAN;
	else if (!strcmp(name, "min_n"))
		x = (double)mn;
	else if (!strcmp(name, "fast_secs"))
		x = st->opts.fast_secs;
	else if (!strcmp(name, "audit_errors"))
		x = (double)st->audit.k;
	else if (!strcmp(name, "error_all"))
		x = st->est.error;
	else if (!strcmp(name, "error_all_low"))
		x = st->est.lo;
	else if (!strcmp(name, "error_all_high"))
		x = st->est.hi;
	else if (!strcmp(name, "error_all_n"))
		x = (double)st->est.n;
	else if (!strcmp(name, "scored"))
		x = (double)st->est.scored;
	else if (!strcmp(name, "pending"))
		x = (double)st->est.pending;
	else if (!strcmp(name, "tpr_ratio_min"))
		x = stats_fair_extreme(st, STATS_FAIR_TPR, 0);
	else if (!strcmp(name, "fpr_ratio_max"))
		x = stats_fair_extreme(st, STATS_FAIR_FPR, 1);
	else if (!strcmp(name, "ppr_ratio_min"))
		x = stats_fair_extreme(st, STATS_FAIR_PPR, 0);
	else if (!strcmp(name, "error_ratio_max"))
		x = stats_fair_extreme(st, STATS_FAIR_ERROR, 1);
	else if (!strcmp(name, "precision_ratio_min"))
		x = stats_fair_extreme(st, STATS_FAIR_PRECISION, 0);
	else if (!strcmp(name, "fairness_flags"))
		x = stats_fair_flags(st);
	else
		return 1;
	if (isnan(x))
		return 1;
	*v = x;
	return 0;
}

static void stats_json_num(sbuf *b, double v)
{
	if (isnan(v))
		sbuf_adds(b, "null");
	else
		sbuf_add_json_num(b, v);
}

static void stats_json_rate(sbuf *b, const char *name, struct stats_rate r,
			    int64_t min_n)
{
	sbuf_printf(b, "\"%s\":", name);
	stats_json_num(b, stats_rate_value(r, min_n));
	sbuf_printf(b, ",\"%s_k\":%lld,\"%s_n\":%lld", name, (long long)r.k, name,
		    (long long)r.n);
}

static void stats_json_bins(sbuf *b, const struct stats_bin *bins, size_t n,
			    int64_t min_n, int numeric)
{
	sbuf_addc(b, '[');
	for (size_t i = 0; i < n; i++) {
		sbuf_adds(b, i ? ",{\"key\":" : "{\"key\":");
		sbuf_add_json_str(b, bins[i].key, strlen(bins[i].key));
		if (numeric) {
			sbuf_adds(b, ",\"lo\":");
			sbuf_add_json_num(b, bins[i].lo);
			sbuf_adds(b, ",\"hi\":");
			sbuf_add_json_num(b, bins[i].hi);
		}
		sbuf_printf(b, ",\"n\":%lld,\"overrides\":%lld,\"override_rate\":",
			    (long long)bins[i].r.n, (long long)bins[i].r.k);
		stats_json_num(b, stats_rate_value(bins[i].r, min_n));
		sbuf_addc(b, '}');
	}
	sbuf_addc(b, ']');
}

static void stats_json_str(sbuf *b, const char *s)
{
	if (s)
		sbuf_add_json_str(b, s, strlen(s));
	else
		sbuf_adds(b, "null");
}

/* Why an estimate over everything scored is missing, in words. */
static const char *stats_est_note(const struct stats_est *e)
{
	switch (e->status) {
	case STATS_EST_OK: return "ok";
	case STATS_EST_NO_AUDIT:
		return "no estimate over unreviewed cases is possible: cases were "
		       "left to the model with an audit rate of 0";
	case STATS_EST_NO_SAMPLE: return "no audit-sampled case reviewed yet";
	case STATS_EST_EMPTY: return "no case settled";
	case STATS_EST_TOO_FEW: return "too few reviewed cases";
	}
	return "";
}

/* The keys of one estimate, after a comma. */
static void stats_json_est(sbuf *b, const struct stats_est *e)
{
	sbuf_adds(b, "\"error_all\":");
	stats_json_num(b, e->error);
	sbuf_adds(b, ",\"error_all_low\":");
	stats_json_num(b, e->lo);
	sbuf_adds(b, ",\"error_all_high\":");
	stats_json_num(b, e->hi);
	sbuf_printf(b, ",\"error_all_n\":%lld,\"scored\":%lld,\"pending\":%lld,"
		       "\"certain\":%lld,\"certain_errors\":%lld,\"audited\":%lld,"
		       "\"audited_errors\":%lld,\"reviewed_outside\":%lld,"
		       "\"left_at_rate_0\":%lld,\"error_all_status\":",
		    (long long)e->n, (long long)e->scored, (long long)e->pending,
		    (long long)e->certain, (long long)e->certain_err,
		    (long long)e->audited, (long long)e->audited_err,
		    (long long)e->outside, (long long)e->zero_rate);
	stats_json_str(b, stats_est_note(e));
}

static void stats_json_fig(sbuf *b, const char *name, const struct stats_fig *f)
{
	sbuf_printf(b, "\"%s\":{\"rate\":", name);
	stats_json_num(b, f->v);
	sbuf_adds(b, ",\"low\":");
	stats_json_num(b, f->lo);
	sbuf_adds(b, ",\"high\":");
	stats_json_num(b, f->hi);
	sbuf_printf(b, ",\"n\":%lld}", (long long)f->n);
}

/* The fairness figures of model m (after a comma). */
static void stats_json_fair(sbuf *b, const struct stats *st, const struct stats_model *m)
{
	sbuf_adds(b, "\"fairness\":{\"field\":");
	stats_json_str(b, st->opts.by);
	sbuf_adds(b, ",\"positive\":");
	stats_json_str(b, st->opts.positive);
	sbuf_adds(b, ",\"reference\":");
	stats_json_str(b, m->fair_ref < m->ngroups ? m->groups[m->fair_ref].key : NULL);
	sbuf_printf(b, ",\"masked\":%s,\"ratio_low\":%g,\"ratio_high\":%g,\"groups\":[",
		    stats_is_pii(st->opts.by) && !st->opts.reveal ? "true" : "false",
		    STATS_FAIR_LOW, STATS_FAIR_HIGH);
	for (size_t g = 0; g < m->ngroups; g++) {
		const struct stats_fair *f = &m->fair[g];
		sbuf_adds(b, g ? ",{\"key\":" : "{\"key\":");
		stats_json_str(b, m->groups[g].key);
		sbuf_printf(b, ",\"scored\":%lld,\"routed\":%lld,\"routed_share\":",
			    (long long)f->scored, (long long)f->routed);
		stats_json_num(b, f->scored ? (double)f->routed / (double)f->scored : NAN);
		sbuf_printf(b, ",\"reviewed\":%lld,\"pending\":%lld,\"override_rate\":",
			    (long long)f->reviewed, (long long)f->pending);
		stats_json_num(b, stats_rate_value(m->groups[g].r, st->opts.min_n));
		sbuf_printf(b, ",\"override_n\":%lld,\"on_reviewed\":{",
			    (long long)m->groups[g].r.n);
		for (int k = 0; k < STATS_FAIR_N; k++) {
			if (k)
				sbuf_addc(b, ',');
			stats_json_fig(b, stats_fair_names[k], &f->on_reviewed[k]);
		}
		sbuf_adds(b, "},\"estimated\":{");
		for (int k = 0; k < STATS_FAIR_N; k++) {
			if (k)
				sbuf_addc(b, ',');
			stats_json_fig(b, stats_fair_names[k], &f->all[k]);
		}
		sbuf_adds(b, "},\"ratio\":{");
		for (int k = 0; k < STATS_FAIR_N; k++) {
			sbuf_printf(b, "%s\"%s\":", k ? "," : "", stats_fair_names[k]);
			stats_json_num(b, f->ratio[k]);
		}
		sbuf_adds(b, "},\"ratio_on_reviewed\":{");
		for (int k = 0; k < STATS_FAIR_N; k++) {
			sbuf_printf(b, "%s\"%s\":", k ? "," : "", stats_fair_names[k]);
			stats_json_num(b, f->ratio_rev[k]);
		}
		sbuf_adds(b, "},\"flags\":[");
		for (int k = 0, n = 0; k < STATS_FAIR_N; k++)
			if (f->flag[k])
				sbuf_printf(b, "%s\"%s\"", n++ ? "," : "", stats_fair_names[k]);
		sbuf_adds(b, "],\"significant\":[");
		for (int k = 0, n = 0; k < STATS_FAIR_N; k++)
			if (f->significant[k])
				sbuf_printf(b, "%s\"%s\"", n++ ? "," : "", stats_fair_names[k]);
		sbuf_adds(b, "],");
		stats_json_est(b, &f->est);
		sbuf_addc(b, '}');
	}
	sbuf_adds(b, "]}");
}

/* One line of text for an estimate: "estimated over all N scored ...". */
static void stats_table_est(sbuf *b, const char *indent, const struct stats_est *e)
{
	if (e->status == STATS_EST_OK)
		sbuf_printf(b, "%serror estimated over all %lld scored  %.4f, 95%% "
			       "interval %.4f-%.4f (%lld reviewed with certainty, %lld "
			       "of the audit sample%s)\n",
			    indent, (long long)e->n, e->error, e->lo, e->hi,
			    (long long)e->certain, (long long)e->audited,
			    e->pending ? "; pending reviews left out" : "");
	else
		sbuf_printf(b, "%serror estimated over all %lld scored  - (%s)\n", indent,
			    (long long)e->n, stats_est_note(e));
	if (e->status == STATS_EST_OK && e->pending)
		sbuf_printf(b, "%s  (%lld cases waiting for review are not in the %lld)\n",
			    indent, (long long)e->pending, (long long)e->n);
}

void stats_format_json(const struct stats *st, sbuf *b)
{
	int64_t mn = st->opts.min_n;
	sbuf_addc(b, '{');
	for (size_t i = 0; i < stats_metric_count; i++) {
		double v;
		if (i)
			sbuf_addc(b, ',');
		sbuf_printf(b, "\"%s\":", stats_metric_names[i]);
		if (stats_metric(st, stats_metric_names[i], &v))
			sbuf_adds(b, "null");
		else
			sbuf_add_json_num(b, v);
	}
	sbuf_adds(b, ",\"reviewers\":[");
	for (size_t i = 0; i < st->nreviewers; i++) {
		const struct stats_reviewer *r = &st->reviewers[i];
		sbuf_adds(b, i ? ",{\"name\":" : "{\"name\":");
		stats_json_str(b, r->name);
		sbuf_adds(b, ",\"role\":");
		stats_json_str(b, r->role);
		sbuf_printf(b,
			    ",\"decisions\":%lld,\"accepts\":%lld,\"overrides\":%lld,"
			    "\"escalates\":%lld,\"skips\":%lld,\"resolves\":%lld,"
			    "\"undos\":%lld,",
			    (long long)r->decisions, (long long)r->accepts,
			    (long long)r->overrides, (long long)r->escalates,
			    (long long)r->skips, (long long)r->resolves,
			    (long long)r->undos);
		stats_json_rate(b, "override_rate", r->override, mn);
		sbuf_addc(b, ',');
		stats_json_rate(b, "escalate_rate", r->escalate, mn);
		sbuf_printf(b, ",\"timed\":%lld,\"median_seconds\":", (long long)r->timed);
		stats_json_num(b, r->median_secs);
		sbuf_addc(b, ',');
		stats_json_rate(b, "fast_accept_rate", r->fast, mn);
		sbuf_addc(b, ',');
		stats_json_rate(b, "gold_accuracy", r->gold, mn);
		sbuf_addc(b, ',');
		stats_json_rate(b, "agreement", r->agree, mn);
		sbuf_addc(b, '}');
	}
	sbuf_adds(b, "],\"pairs\":[");
	for (size_t i = 0; i < st->npairs; i++) {
		const struct stats_pair *p = &st->pairs[i];
		sbuf_adds(b, i ? ",{\"a\":" : "{\"a\":");
		stats_json_str(b, st->reviewers[p->a].name);
		sbuf_adds(b, ",\"b\":");
		stats_json_str(b, st->reviewers[p->b].name);
		sbuf_printf(b, ",\"n\":%lld,\"agreement\":", (long long)p->n);
		stats_json_num(b, p->n >= mn ? p->po : NAN);
		sbuf_adds(b, ",\"kappa\":");
		stats_json_num(b, p->kappa);
		sbuf_addc(b, '}');
	}
	sbuf_adds(b, "],\"models\":[");
	for (size_t i = 0; i < st->nmodels; i++) {
		const struct stats_model *m = &st->models[i];
		sbuf_adds(b, i ? ",{\"name\":" : "{\"name\":");
		stats_json_str(b, m->name);
		sbuf_printf(b, ",\"reviewed\":%lld,", (long long)m->override.n);
		stats_json_rate(b, "override_rate", m->override, mn);
		sbuf_adds(b, ",\"labels\":[");
		for (size_t j = 0; j < m->nlabels; j++) {
			if (j)
				sbuf_addc(b, ',');
			stats_json_str(b, m->labels[j]);
		}
		sbuf_adds(b, "],\"confusion\":[");
		for (size_t j = 0; j < m->nlabels; j++) {
			sbuf_adds(b, j ? ",[" : "[");
			for (size_t k = 0; k < m->nlabels; k++)
				sbuf_printf(b, k ? ",%lld" : "%lld",
					    (long long)m->confusion[j * m->nlabels + k]);
			sbuf_addc(b, ']');
		}
		sbuf_adds(b, "],\"confidence_bins\":");
		stats_json_bins(b, m->conf, STATS_CONF_BINS, mn, 1);
		sbuf_adds(b, ",\"days\":");
		stats_json_bins(b, m->days, m->ndays, mn, 0);
		if (st->opts.by) {
			sbuf_adds(b, ",\"by\":{\"field\":");
			stats_json_str(b, st->opts.by);
			sbuf_printf(b, ",\"numeric\":%s,\"masked\":%s,\"groups\":",
				    m->by_numeric ? "true" : "false",
				    stats_is_pii(st->opts.by) && !st->opts.reveal
					    ? "true" : "false");
			stats_json_bins(b, m->groups, m->ngroups, mn, m->by_numeric);
			sbuf_addc(b, '}');
		}
		sbuf_printf(b, ",\"unreviewed\":%lld,\"audit_n\":%lld,\"audit_errors\":%lld,"
			       "\"unreviewed_error\":",
			    (long long)m->unreviewed, (long long)m->audit.n,
			    (long long)m->audit.k);
		stats_json_num(b, stats_rate_value(m->audit, mn));
		sbuf_adds(b, ",\"unreviewed_error_lower\":");
		stats_json_num(b, m->audit.n ? m->err_lo : NAN);
		sbuf_adds(b, ",\"unreviewed_error_upper\":");
		stats_json_num(b, m->audit.n ? m->err_hi : NAN);
		sbuf_addc(b, ',');
		stats_json_est(b, &m->est);
		if (m->has_fair) {
			sbuf_addc(b, ',');
			stats_json_fair(b, st, m);
		}
		sbuf_addc(b, '}');
	}
	sbuf_adds(b, "],\"error_all_status\":");
	stats_json_str(b, stats_est_note(&st->est));
	sbuf_adds(b, "}\n");
}

static void stats_table_bins(sbuf *b, const char *title, const struct stats_bin *bins,
			     size_t n, int64_t min_n)
{
	char t[64];
	sbuf_adds(b, "  ");
	termsafe_add(b, title, strlen(title), 0); /* may hold a --by field */
	sbuf_addc(b, '\n');
	for (size_t i = 0; i < n; i++) {
		if (bins[i].r.n == 0)
			continue;
		sbuf_adds(b, "    ");
		logq_cell(b, bins[i].key, 24, 0);
		sbuf_printf(b, " %s\n", stats_rate_text(bins[i].r, min_n, t, sizeof t));
	}
}

static void stats_num_text(char *buf, size_t len, double v, const char *fmt)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, fmt, v);
}

static void stats_fig_text(char *buf, size_t len, const struct stats_fig *f)
{
	if (isnan(f->v))
		snprintf(buf, len, f->n ? "too few (n=%lld)" : "-", (long long)f->n);
	else
		snprintf(buf, len, "%.3f [%.3f-%.3f] n=%lld", f->v, f->lo, f->hi,
			 (long long)f->n);
}

static void stats_table_fair(sbuf *b, const struct stats *st, const struct stats_model *m)
{
	static const char *const titles[STATS_FAIR_N] = {"error", "TPR", "FPR", "PPR",
							 "precision"};
	char t1[80], t2[80], t3[32], t4[32];
	sbuf_adds(b, "  fairness by ");
	termsafe_add(b, st->opts.by, strlen(st->opts.by), 0);
	sbuf_adds(b, " (positive label ");
	termsafe_add(b, st->opts.positive, strlen(st->opts.positive), 0);
	sbuf_adds(b, "; reference group ");
	if (m->fair_ref < m->ngroups)
		termsafe_add(b, m->groups[m->fair_ref].key, strlen(m->groups[m->fair_ref].key), 0);
	else
		sbuf_adds(b, "- (none)");
	sbuf_printf(b, "; ratios outside %.2f-%.2f flagged '!', '*' when the 95%% "
		       "intervals do not overlap)\n",
		    STATS_FAIR_LOW, STATS_FAIR_HIGH);
	for (size_t g = 0; g < m->ngroups; g++) {
		const struct stats_fair *f = &m->fair[g];
		if (!f->scored)
			continue;
		sbuf_adds(b, "    group ");
		termsafe_add(b, m->groups[g].key, strlen(m->groups[g].key), 0);
		sbuf_printf(b, "%s: %lld scored, %.1f%% routed, %lld reviewed, override rate %s\n",
			    g == m->fair_ref ? " (reference)" : "", (long long)f->scored,
			    f->scored ? 100.0 * (double)f->routed / (double)f->scored : 0.0,
			    (long long)f->reviewed,
			    stats_rate_text(m->groups[g].r, st->opts.min_n, t3, sizeof t3));
		sbuf_printf(b, "      %-10s %-34s %7s   %-34s %7s\n", "",
			    "estimated over all scored", "ratio", "on reviewed cases", "ratio");
		for (int k = 0; k < STATS_FAIR_N; k++) {
			stats_fig_text(t1, sizeof t1, &f->all[k]);
			stats_fig_text(t2, sizeof t2, &f->on_reviewed[k]);
			stats_num_text(t3, sizeof t3, f->ratio[k], "%.2f");
			stats_num_text(t4, sizeof t4, f->ratio_rev[k], "%.2f");
			sbuf_printf(b, "      %-10s %-34s %7s%c%c %-34s %7s\n", titles[k], t1, t3,
				    f->flag[k] ? '!' : ' ', f->significant[k] ? '*' : ' ', t2, t4);
		}
		if (f->est.status != STATS_EST_OK)
			sbuf_printf(b, "      (error over all scored: %s)\n", stats_est_note(&f->est));
	}
}

void stats_format_table(const struct stats *st, sbuf *b)
{
	int64_t mn = st->opts.min_n;
	char t1[64], t2[64], t3[64], t4[64], t5[64], t6[64];
	double v;
	sbuf_printf(b, "decisions %lld (accept %lld, override %lld, escalate %lld, "
		       "skip %lld, resolve %lld; %lld undone)\n",
		    (long long)st->decisions, (long long)st->accepts,
		    (long long)st->overrides, (long long)st->escalates,
		    (long long)st->skips, (long long)st->resolves, (long long)st->undos);
	sbuf_printf(b, "override rate         %s\n",
		    stats_rate_text(st->override, mn, t1, sizeof t1));
	sbuf_printf(b, "escalate rate         %s\n",
		    stats_rate_text(st->escalate, mn, t1, sizeof t1));
	sbuf_printf(b, "final override rate   %s   (cases: final label != model's)\n",
		    stats_rate_text(st->final_override, mn, t1, sizeof t1));
	if (stats_metric(st, "kappa", &v))
		sbuf_printf(b, "Fleiss' kappa         %s (n=%lld)\n",
			    st->fleiss_n ? "too few" : "-", (long long)st->fleiss_n);
	else
		sbuf_printf(b, "Fleiss' kappa         %.3f (n=%lld)\n", v,
			    (long long)st->fleiss_n);
	if (st->audit.n)
		sbuf_printf(b, "unreviewed error      %s, 95%% interval %.4f-%.4f; "
			       "%lld predictions unreviewed\n",
			    stats_rate_text(st->audit, mn, t1, sizeof t1), st->err_lo,
			    st->err_hi, (long long)st->unreviewed);
	else
		sbuf_printf(b, "unreviewed error      - (no audit-sampled case "
			       "reviewed); %lld predictions unreviewed\n",
			    (long long)st->unreviewed);
	sbuf_printf(b, "error on reviewed cases  %s\n",
		    stats_rate_text(st->final_override, mn, t1, sizeof t1));
	stats_table_est(b, "", &st->est);
	sbuf_printf(b, "figures behind fewer than %lld cases show as 'too few'; "
		       "fast accept: under %gs\n\n",
		    (long long)mn, st->opts.fast_secs);

	sbuf_printf(b, "%-14s %9s  %-22s %-22s %7s  %-22s %-22s %-22s\n", "reviewer",
		    "decisions", "override rate", "escalate rate", "median s",
		    "fast accepts", "gold accuracy", "agreement");
	for (size_t i = 0; i < st->nreviewers; i++) {
		const struct stats_reviewer *r = &st->reviewers[i];
		stats_num_text(t4, sizeof t4, r->median_secs, "%.1f");
		logq_cell(b, r->name, 14, 0);
		sbuf_printf(b, " %9lld  %-22s %-22s %7s  %-22s %-22s %-22s\n",
			    (long long)r->decisions,
			    stats_rate_text(r->override, mn, t1, sizeof t1),
			    stats_rate_text(r->escalate, mn, t2, sizeof t2), t4,
			    stats_rate_text(r->fast, mn, t3, sizeof t3),
			    stats_rate_text(r->gold, mn, t5, sizeof t5),
			    stats_rate_text(r->agree, mn, t6, sizeof t6));
	}
	if (st->npairs) {
		sbuf_printf(b, "\n%-14s %-14s %7s  %9s  %s\n", "reviewer", "with",
			    "shared", "agreement", "Cohen's kappa");
		for (size_t i = 0; i < st->npairs; i++) {
			const struct stats_pair *p = &st->pairs[i];
			stats_num_text(t1, sizeof t1, p->n >= mn ? p->po : NAN, "%.3f");
			if (isnan(p->kappa))
				snprintf(t2, sizeof t2, "%s",
					 p->n < mn ? "too few" : "undefined (one label)");
			else
				snprintf(t2, sizeof t2, "%.3f", p->kappa);
			logq_cell(b, st->reviewers[p->a].name, 14, 0);
			sbuf_addc(b, ' ');
			logq_cell(b, st->reviewers[p->b].name, 14, 0);
			sbuf_printf(b, " %7lld  %9s  %s\n", (long long)p->n, t1, t2);
		}
	}
	for (size_t i = 0; i < st->nmodels; i++) {
		const struct stats_model *m = &st->models[i];
		sbuf_adds(b, "\nmodel ");
		termsafe_add(b, m->name, strlen(m->name), 0);
		sbuf_printf(b, ": %lld reviewed, override rate %s\n",
			    (long long)m->override.n,
			    stats_rate_text(m->override, mn, t1, sizeof t1));
		if (m->nlabels) {
			sbuf_printf(b, "  confusion (rows: model, columns: final human label)\n"
				       "    %-16s", "");
			for (size_t k = 0; k < m->nlabels; k++) {
				sbuf_addc(b, ' ');
				logq_cell(b, m->labels[k], 10, 1);
			}
			sbuf_addc(b, '\n');
			for (size_t j = 0; j < m->nlabels; j++) {
				sbuf_adds(b, "    ");
				logq_cell(b, m->labels[j], 16, 0);
				for (size_t k = 0; k < m->nlabels; k++)
					sbuf_printf(b, " %10lld",
						    (long long)m->confusion[j * m->nlabels + k]);
				sbuf_addc(b, '\n');
			}
		}
		stats_table_bins(b, "override rate by confidence", m->conf,
				 STATS_CONF_BINS, mn);
		stats_table_bins(b, "override rate by day (UTC)", m->days, m->ndays, mn);
		if (st->opts.by) {
			char title[160];
			snprintf(title, sizeof title, "override rate by %s%s", st->opts.by,
				 m->by_numeric ? " (bins [lo, hi))" : "");
			stats_table_bins(b, title, m->groups, m->ngroups, mn);
		}
		if (m->has_fair)
			stats_table_fair(b, st, m);
		if (m->audit.n)
			sbuf_printf(b, "  unreviewed error %s, 95%% interval %.4f-%.4f "
				       "(%lld unreviewed)\n",
				    stats_rate_text(m->audit, mn, t1, sizeof t1), m->err_lo,
				    m->err_hi, (long long)m->unreviewed);
		else
			sbuf_printf(b, "  unreviewed error - (no audit sample reviewed; "
				       "%lld unreviewed)\n",
				    (long long)m->unreviewed);
		sbuf_printf(b, "  error on reviewed cases  %s\n",
			    stats_rate_text(m->override, mn, t1, sizeof t1));
		stats_table_est(b, "  ", &m->est);
	}
}
