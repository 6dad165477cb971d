/* drift.c: the Population Stability Index of a batch against a reference
 * batch, per context field and for the model's outputs, with each batch's
 * bins computed once and kept in drift_bins (see drift.h). */
#include "docket/drift.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "docket/audit.h"
#include "docket/clock.h"
#include "docket/logq.h"
#include "docket/termsafe.h"

/* ---- pure figures ---- */

double drift_psi(const int64_t *ref, const int64_t *cur, size_t n)
{
	double rt = 0, ct = 0;
	for (size_t i = 0; i < n; i++) {
		rt += (double)ref[i];
		ct += (double)cur[i];
	}
	if (rt <= 0 || ct <= 0)
		return 0;
	/* Why smoothing: an empty bin on one side would make ln(0) infinite;
	 * half a case in every bin keeps PSI finite and barely moves it when
	 * counts are large. */
	double rs = rt + DRIFT_SMOOTH * (double)n, cs = ct + DRIFT_SMOOTH * (double)n;
	double psi = 0;
	for (size_t i = 0; i < n; i++) {
		double e = ((double)ref[i] + DRIFT_SMOOTH) / rs;
		double a = ((double)cur[i] + DRIFT_SMOOTH) / cs;
		psi += (a - e) * log(a / e);
	}
	return psi;
}

const char *drift_band(double psi)
{
	if (isnan(psi))
		return "-";
	if (psi < DRIFT_MODERATE)
		return "stable";
	if (psi <= DRIFT_SIGNIFICANT)
		return "moderate";
	return "significant";
}

const char *drift_field_title(const struct drift_field *f)
{
	if (!strcmp(f->name, DRIFT_CONFIDENCE))
		return "model confidence";
	if (!strcmp(f->name, DRIFT_PREDICTION))
		return "model prediction";
	if (!strcmp(f->name, DRIFT_ROUTED))
		return "routed to review";
	if (!strcmp(f->name, DRIFT_REASON))
		return "route reason";
	return f->name;
}

/* ---- a small string table: name -> index, and value counts ---- */

struct dtab {
	char **names;
	int64_t *counts;
	size_t n, cap;
	uint32_t *slots; /* index + 1; 0 empty */
	size_t nslots;
};

static uint64_t drift_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

/* The index of s (added when absent and add is set; SIZE_MAX otherwise). */
static size_t dtab_find(struct dtab *t, const char *s, size_t len, int add)
{
	if (t->nslots == 0) {
		if (!add)
			return SIZE_MAX;
		t->nslots = 64;
		t->slots = calloc(t->nslots, sizeof *t->slots);
	}
	size_t mask = t->nslots - 1, i = (size_t)drift_hash(s, len) & mask;
	while (t->slots[i]) {
		const char *n = t->names[t->slots[i] - 1];
		if (strlen(n) == len && !memcmp(n, s, len))
			return t->slots[i] - 1;
		i = (i + 1) & mask;
	}
	if (!add)
		return SIZE_MAX;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->names = dk_xrealloc(t->names, t->cap * sizeof *t->names);
		t->counts = dk_xrealloc(t->counts, t->cap * sizeof *t->counts);
	}
	char *copy = dk_xmalloc(len + 1);
	memcpy(copy, s, len);
	copy[len] = '\0';
	t->names[t->n] = copy;
	t->counts[t->n] = 0;
	t->slots[i] = (uint32_t)(t->n + 1);
	t->n++;
	if (t->n * 2 > t->nslots) {
		/* grow and re-insert */
		size_t ns = t->nslots * 2;
		uint32_t *sl = calloc(ns, sizeof *sl);
		for (size_t k = 0; k < t->n; k++) {
			size_t j = (size_t)drift_hash(t->names[k], strlen(t->names[k])) & (ns - 1);
			while (sl[j])
				j = (j + 1) & (ns - 1);
			sl[j] = (uint32_t)(k + 1);
		}
		free(t->slots);
		t->slots = sl;
		t->nslots = ns;
	}
	return t->n - 1;
}

static void dtab_free(struct dtab *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->names[i]);
	free(t->names);
	free(t->counts);
	free(t->slots);
	memset(t, 0, sizeof *t);
}

/* ---- bin definitions (cut on the reference) ---- */

struct ddef {
	char *name;
	enum drift_kind kind;
	double *edges; /* numeric: bins (-inf,e0], (e0,e1], ..., (e_k-1, inf) */
	size_t nedges;
	char **top;    /* categorical: the reference's most frequent values */
	size_t ntop;
};

/* Bins of a definition: the value bins, then (other), then (missing). */
static size_t ddef_nbins(const struct ddef *d)
{
	if (d->kind == DRIFT_NUMERIC)
		return d->nedges + 1 + 2;
	if (d->kind == DRIFT_CATEGORICAL)
		return d->ntop + 2;
	return 2; /* a new field: (present), (missing) */
}

static void ddef_free(struct ddef *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(d[i].name);
		free(d[i].edges);
		for (size_t j = 0; j < d[i].ntop; j++)
			free(d[i].top[j]);
		free(d[i].top);
	}
	free(d);
}

static size_t ddef_assign(const struct ddef *d, int isnum, double v, const char *t,
			  size_t len)
{
	if (d->kind == DRIFT_NUMERIC) {
		if (!isnum)
			return d->nedges + 1; /* (other) */
		size_t lo = 0, hi = d->nedges;
		while (lo < hi) { /* the first edge >= v */
			size_t mid = (lo + hi) / 2;
			if (v <= d->edges[mid])
				hi = mid;
			else
				lo = mid + 1;
		}
		return lo;
	}
	for (size_t i = 0; i < d->ntop; i++)
		if (strlen(d->top[i]) == len && !memcmp(d->top[i], t, len))
			return i;
	return d->ntop;
}

/* ---- one scan of a batch ---- */

struct dacc {
	int64_t present, nnum, ntext;
	double *res;     /* define: reservoir sample of the numbers */
	size_t nres, capres;
	uint64_t seen;
	struct dtab vals; /* define: value counts (capped) */
	int overflow;
	int def;         /* count: index into defs, -1 for a new field */
	int64_t *bins;
};

struct dscan {
	int define;
	const struct ddef *defs;
	size_t ndefs;
	struct dtab names;
	struct dacc *acc;
	size_t skipped;  /* context fields beyond DRIFT_MAX_FIELDS */
	int64_t rows;
	uint64_t rng;
};

#define DRIFT_MAX_VALUES 4096 /* distinct values counted per field */

static uint64_t drift_rand(struct dscan *sc)
{
	/* xorshift64*: a fixed seed, so the same batch gives the same cut */
	sc->rng ^= sc->rng >> 12;
	sc->rng ^= sc->rng << 25;
	sc->rng ^= sc->rng >> 27;
	return sc->rng * 2685821657736338717ull;
}

static void dscan_observe(struct dscan *sc, const char *name, size_t nlen, int isnum,
			  double v, const char *t, size_t len)
{
	size_t i = dtab_find(&sc->names, name, nlen, 0);
	if (i == SIZE_MAX) {
		if (name[0] != '@' && sc->names.n >= DRIFT_MAX_FIELDS + 4) {
			sc->skipped++;
			return;
		}
		i = dtab_find(&sc->names, name, nlen, 1);
		sc->acc = dk_xrealloc(sc->acc, sc->names.cap * sizeof *sc->acc);
		struct dacc *a = &sc->acc[i];
		memset(a, 0, sizeof *a);
		a->def = -1;
		if (!sc->define)
			for (size_t k = 0; k < sc->ndefs; k++)
				if (!strcmp(sc->defs[k].name, sc->names.names[i])) {
					a->def = (int)k;
					a->bins = calloc(ddef_nbins(&sc->defs[k]), sizeof *a->bins);
					break;
				}
	}
	struct dacc *a = &sc->acc[i];
	a->present++;
	if (sc->define) {
		if (isnum) {
			a->nnum++;
			a->seen++;
			if (a->nres < DRIFT_SAMPLE) {
				/* grown as needed: most fields of a wide context
				 * are not numbers */
				if (a->nres == a->capres) {
					a->capres = a->capres ? a->capres * 2 : 256;
					if (a->capres > DRIFT_SAMPLE)
						a->capres = DRIFT_SAMPLE;
					a->res = dk_xrealloc(a->res, a->capres * sizeof *a->res);
				}
				a->res[a->nres++] = v;
			} else {
				uint64_t j = drift_rand(sc) % a->seen;
				if (j < DRIFT_SAMPLE)
					a->res[j] = v;
			}
		} else {
			a->ntext++;
		}
		size_t k = dtab_find(&a->vals, t, len, a->vals.n < DRIFT_MAX_VALUES);
		if (k == SIZE_MAX)
			a->overflow = 1;
		else
			a->vals.counts[k]++;
	} else if (a->def >= 0) {
		a->bins[ddef_assign(&sc->defs[a->def], isnum, v, t, len)]++;
	}
}

static void dscan_free(struct dscan *sc)
{
	for (size_t i = 0; i < sc->names.n; i++) {
		free(sc->acc[i].res);
		dtab_free(&sc->acc[i].vals);
		free(sc->acc[i].bins);
	}
	free(sc->acc);
	dtab_free(&sc->names);
}

/* A value is missing when absent, JSON null or empty text (an empty CSV
 * cell). Numbers: JSON numbers, and text that reads as one (CSV). */
static int drift_scan(store *s, int64_t batch, struct dscan *sc, dk_error *err)
{
	sc->rng = 0x9e3779b97f4a7c15ull;
	/* outputs first, so they are always followed */
	db_stmt *q = store_stmt(s,
				     "SELECT confidence, prediction, route_reason FROM cases"
				     " WHERE batch_id = ?1",
				     err);
	if (!q)
		return DK_ERR;
	db_bind_int64(q, 1, batch);
	int rc;
	char buf[64];
	while ((rc = db_step(q)) == DB_ROW) {
		sc->rows++;
		double c = db_col_double(q, 0);
		const char *ct = (const char *)db_col_text(q, 0);
		dscan_observe(sc, DRIFT_CONFIDENCE, strlen(DRIFT_CONFIDENCE), 1, c, ct,
			      (size_t)db_col_bytes(q, 0));
		const char *p = (const char *)db_col_text(q, 1);
		dscan_observe(sc, DRIFT_PREDICTION, strlen(DRIFT_PREDICTION), 0, 0, p,
			      (size_t)db_col_bytes(q, 1));
		const char *r = (const char *)db_col_text(q, 2);
		const char *routed = r ? "routed" : "not routed";
		dscan_observe(sc, DRIFT_ROUTED, strlen(DRIFT_ROUTED), 0, 0, routed,
			      strlen(routed));
		/* the reason code: the route reason's first word */
		size_t rl = r ? strcspn(r, " ") : 0;
		snprintf(buf, sizeof buf, "%.*s", (int)rl, r ? r : "");
		if (!r)
			snprintf(buf, sizeof buf, "(none)");
		dscan_observe(sc, DRIFT_REASON, strlen(DRIFT_REASON), 0, 0, buf, strlen(buf));
	}
	store_done(q);
	if (rc != DB_DONE)
		return store_fail(s, err, "reading a batch");
	/* A context stored as an array (casejson.h) has its keys in the
	 * batch's list: element N's key is the list's Nth, and the pii:
	 * fields among them are left out here as the SQL leaves out an
	 * object's (the prefix exactly, as the importer reads it). */
	q = store_stmt(s, "SELECT j.value FROM batches b, json_each(b.ctx_keys) j"
			  " WHERE b.id = ?1",
		       err);
	if (!q)
		return DK_ERR;
	db_bind_int64(q, 1, batch);
	dk_strset names = {0};
	while ((rc = db_step(q)) == DB_ROW) {
		int added;
		const char *k = (const char *)db_col_text(q, 0);
		dk_strset_add(&names, k ? k : "", k ? (size_t)db_col_bytes(q, 0) : 0,
			      &added);
	}
	store_done(q);
	if (rc != DB_DONE) {
		dk_strset_free(&names);
		return store_fail(s, err, "reading a batch");
	}
	q = store_stmt(s,
		       "SELECT j.key, j.type, CASE WHEN j.type IN ('array', 'object')"
		       " THEN json(j.value) ELSE j.atom END"
		       " FROM cases c, json_each(c.context) j WHERE c.batch_id = ?1"
		       " AND substr(j.key, 1, 4) <> 'pii:'",
		       err);
	if (!q) {
		dk_strset_free(&names);
		return DK_ERR;
	}
	db_bind_int64(q, 1, batch);
	while ((rc = db_step(q)) == DB_ROW) {
		const char *key = (const char *)db_col_text(q, 0);
		size_t klen = (size_t)db_col_bytes(q, 0);
		if (db_col_type(q, 0) == DB_INTEGER) { /* an array's element */
			int64_t at = db_col_int64(q, 0);
			if (at < 0 || (size_t)at >= dk_strset_count(&names))
				continue;
			key = dk_strset_str(&names, (size_t)at, &klen);
			if (klen >= 4 && !strncmp(key, "pii:", 4))
				continue;
		}
		const char *type = (const char *)db_col_text(q, 1);
		if (!key || !type || !strcmp(type, "null"))
			continue;
		const char *t = (const char *)db_col_text(q, 2);
		size_t len = (size_t)db_col_bytes(q, 2);
		if (!t || len == 0)
			continue;
		double v = 0;
		int isnum = !strcmp(type, "integer") || !strcmp(type, "real");
		if (isnum)
			v = db_col_double(q, 2);
		else if (!strcmp(type, "text") && strchr("0123456789+-.", t[0]) &&
			 !dk_parse_double(t, len, &v))
			isnum = 1;
		dscan_observe(sc, key, klen, isnum, v, t, len);
	}
	store_done(q);
	dk_strset_free(&names);
	if (rc != DB_DONE)
		return store_fail(s, err, "reading a batch's context");
	return DK_OK;
}

static int drift_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

struct drift_vc {
	const char *name;
	int64_t n;
};

static int drift_cmp_vc(const void *a, const void *b)
{
	const struct drift_vc *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Definitions from a define scan of the reference. */
static struct ddef *drift_define(struct dscan *sc, size_t *ndefs)
{
	struct ddef *defs = calloc(sc->names.n + 1, sizeof *defs);
	for (size_t i = 0; i < sc->names.n; i++) {
		struct dacc *a = &sc->acc[i];
		struct ddef *d = &defs[i];
		const char *name = sc->names.names[i];
		d->name = dk_xstrdup(name);
		int numeric;
		if (!strcmp(name, DRIFT_CONFIDENCE))
			numeric = a->nnum > 0;
		else if (name[0] == '@')
			numeric = 0;
		else
			numeric = a->nnum > 0 && a->ntext == 0 &&
				  (a->overflow || a->vals.n >= DRIFT_MIN_DISTINCT);
		if (numeric) {
			d->kind = DRIFT_NUMERIC;
			dk_sort(a->res, a->nres, sizeof *a->res, drift_cmp_double);
			d->edges = calloc(9, sizeof *d->edges);
			for (int j = 1; j <= 9; j++) {
				/* the j/10 quantile (lower) of the sample */
				size_t at = (size_t)ceil((double)j * (double)a->nres / 10.0);
				double e = a->res[at ? at - 1 : 0];
				if (!d->nedges || e > d->edges[d->nedges - 1])
					d->edges[d->nedges++] = e;
			}
		} else {
			d->kind = DRIFT_CATEGORICAL;
			struct drift_vc *vc = calloc(a->vals.n + 1, sizeof *vc);
			for (size_t j = 0; j < a->vals.n; j++)
				vc[j] = (struct drift_vc){a->vals.names[j], a->vals.counts[j]};
			dk_sort(vc, a->vals.n, sizeof *vc, drift_cmp_vc);
			size_t nt = a->vals.n < DRIFT_TOP ? a->vals.n : DRIFT_TOP;
			d->top = calloc(nt + 1, sizeof *d->top);
			for (size_t j = 0; j < nt; j++)
				d->top[j] = dk_xstrdup(vc[j].name);
			d->ntop = nt;
			free(vc);
		}
	}
	*ndefs = sc->names.n;
	return defs;
}

/* ---- the kept bins ---- */

static void drift_bin_label(const struct ddef *d, size_t bin, char *buf, size_t len,
			    double *lo, double *hi)
{
	size_t nb = ddef_nbins(d);
	*lo = *hi = NAN;
	if (bin == nb - 1) {
		snprintf(buf, len, "(missing)");
	} else if (d->kind == DRIFT_NEWFIELD) {
		snprintf(buf, len, "(present)");
	} else if (bin == nb - 2) {
		snprintf(buf, len, "(other)");
	} else if (d->kind == DRIFT_CATEGORICAL) {
		snprintf(buf, len, "%s", d->top[bin]);
	} else {
		if (bin > 0)
			*lo = d->edges[bin - 1];
		if (bin < d->nedges)
			*hi = d->edges[bin];
		if (bin == 0)
			snprintf(buf, len, "<= %.6g", *hi);
		else if (bin == d->nedges)
			snprintf(buf, len, "> %.6g", *lo);
		else
			snprintf(buf, len, "%.6g-%.6g", *lo, *hi);
	}
}

static const char *drift_kind_name(enum drift_kind k)
{
	return k == DRIFT_NUMERIC ? "numeric" : k == DRIFT_CATEGORICAL ? "categorical" : "new";
}

/* Replace the kept bins of (batch, ref) with a count scan's, in one write
 * transaction. */
static int drift_save_once(store *s, int64_t batch, int64_t ref, int64_t pv,
			   const struct ddef *defs, size_t ndefs,
			   const struct dscan *sc, dk_error *err)
{
	if (store_begin_write(s, err))
		return DK_ERR;
	int rc = DK_ERR;
	db_stmt *q = store_stmt(s, "DELETE FROM drift_bins WHERE batch_id = ?1"
					" AND ref_batch = ?2", err);
	if (!q)
		goto out;
	db_bind_int64(q, 1, batch);
	db_bind_int64(q, 2, ref);
	if (db_step(q) != DB_DONE) {
		store_done(q);
		store_fail(s, err, "keeping drift bins");
		goto out;
	}
	store_done(q);
	/* every defined field (one the batch lacks: all missing), then the
	 * fields the reference did not have */
	static const struct dacc none = {.def = -2};
	struct dtab *names = (struct dtab *)&sc->names;
	for (size_t i = 0; i < ndefs + sc->names.n; i++) {
		struct ddef nd = {.kind = DRIFT_NEWFIELD};
		const struct ddef *d;
		const struct dacc *a;
		const char *fname;
		if (i < ndefs) {
			d = &defs[i];
			fname = d->name;
			size_t k = dtab_find(names, fname, strlen(fname), 0);
			a = k == SIZE_MAX ? &none : &sc->acc[k];
		} else {
			a = &sc->acc[i - ndefs];
			if (a->def >= 0 || a->present == 0)
				continue;
			d = &nd;
			fname = sc->names.names[i - ndefs];
		}
		size_t nb = ddef_nbins(d);
		for (size_t b = 0; b < nb; b++) {
			char label[1024];
			double lo, hi;
			int64_t n;
			if (b == nb - 1)
				n = sc->rows - a->present;
			else if (a->def == -2)
				n = 0;
			else if (a->def >= 0)
				n = a->bins[b];
			else
				n = a->present;
			drift_bin_label(d, b, label, sizeof label, &lo, &hi);
			q = store_stmt(s,
				       "INSERT INTO drift_bins(batch_id, ref_batch, field, kind,"
				       " bin, label, lo, hi, n) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
				       " ?7, ?8, ?9)",
				       err);
			if (!q)
				goto out;
			db_bind_int64(q, 1, batch);
			db_bind_int64(q, 2, ref);
			db_bind_text(q, 3, fname, -1, DB_STATIC);
			db_bind_text(q, 4, drift_kind_name(d->kind), -1, DB_STATIC);
			db_bind_int64(q, 5, (int64_t)b);
			/* a category's full value: it is how later scans match it */
			if (d->kind == DRIFT_CATEGORICAL && b < d->ntop)
				db_bind_text(q, 6, d->top[b], -1, DB_STATIC);
			else
				db_bind_text(q, 6, label, -1, DB_TRANSIENT);
			if (!isnan(lo))
				db_bind_double(q, 7, lo);
			if (!isnan(hi))
				db_bind_double(q, 8, hi);
			db_bind_int64(q, 9, n);
			int st = db_step(q);
			store_done(q);
			if (st != DB_DONE) {
				store_fail(s, err, "keeping drift bins");
				goto out;
			}
		}
	}
	q = store_stmt(s,
		       "INSERT INTO drift_summaries(batch_id, ref_batch,"
		       " policy_version, rows, computed_at) VALUES (?1, ?2, ?3, ?4, ?5)"
		       " ON CONFLICT (batch_id, ref_batch) DO UPDATE SET"
		       " policy_version = excluded.policy_version,"
		       " rows = excluded.rows, computed_at = excluded.computed_at",
		       err);
	if (!q)
		goto out;
	db_bind_int64(q, 1, batch);
	db_bind_int64(q, 2, ref);
	db_bind_int64(q, 3, pv);
	db_bind_int64(q, 4, sc->rows);
	db_bind_int64(q, 5, clock_now_ms());
	int st = db_step(q);
	store_done(q);
	if (st != DB_DONE) {
		store_fail(s, err, "keeping drift bins");
		goto out;
	}
	rc = store_commit(s, err);
	if (rc == DK_OK)
		return DK_OK;
out:
	store_rollback(s);
	return DK_ERR;
}

/* drift_save_once, run again when the server picked it as a deadlock's
 * victim (store_retry): nothing of it was kept. */
static int drift_save(store *s, int64_t batch, int64_t ref, int64_t pv,
		      const struct ddef *defs, size_t ndefs, const struct dscan *sc,
		      dk_error *err)
{
	int rc, tries = 0;
	do
		rc = drift_save_once(s, batch, ref, pv, defs, ndefs, sc, err);
	while (rc == DK_ERR && store_retry(s, &tries));
	return rc;
}

/* The definitions kept with the reference's own bins. */
static int drift_load_defs(store *s, int64_t ref, struct ddef **out, size_t *nout,
			   dk_error *err)
{
	*out = NULL;
	*nout = 0;
	db_stmt *q = store_stmt(s,
				     "SELECT field, kind, bin, label, hi FROM drift_bins"
				     " WHERE batch_id = ?1 AND ref_batch = ?1"
				     " ORDER BY field, bin",
				     err);
	if (!q)
		return DK_ERR;
	db_bind_int64(q, 1, ref);
	struct ddef *defs = NULL;
	size_t n = 0;
	int rc;
	while ((rc = db_step(q)) == DB_ROW) {
		const char *field = (const char *)db_col_text(q, 0);
		const char *kind = (const char *)db_col_text(q, 1);
		const char *label = (const char *)db_col_text(q, 3);
		if (!n || strcmp(defs[n - 1].name, field)) {
			defs = dk_xrealloc(defs, (n + 1) * sizeof *defs);
			memset(&defs[n], 0, sizeof *defs);
			defs[n].name = dk_xstrdup(field);
			defs[n].kind = !strcmp(kind, "numeric") ? DRIFT_NUMERIC
				       : !strcmp(kind, "new") ? DRIFT_NEWFIELD
							      : DRIFT_CATEGORICAL;
			defs[n].edges = calloc(16, sizeof *defs[n].edges);
			n++;
		}
		struct ddef *d = &defs[n - 1];
		if (d->kind == DRIFT_NUMERIC && db_col_type(q, 4) != DB_NULL &&
		    d->nedges < 16)
			d->edges[d->nedges++] = db_col_double(q, 4);
		if (d->kind == DRIFT_CATEGORICAL) {
			/* every label for now; (other) and (missing) dropped below */
			d->top = dk_xrealloc(d->top, (d->ntop + 1) * sizeof *d->top);
			d->top[d->ntop++] = dk_xstrdup(label ? label : "");
		}
	}
	store_done(q);
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < 2 && defs[i].kind == DRIFT_CATEGORICAL && defs[i].ntop; k++)
			free(defs[i].top[--defs[i].ntop]);
	*out = defs;
	*nout = n;
	if (rc != DB_DONE)
		return store_fail(s, err, "reading drift bins");
	return DK_OK;
}

/* 1 when (batch, ref) has bins kept under policy version pv. */
static int drift_kept(store *s, int64_t batch, int64_t ref, int64_t pv)
{
	db_stmt *q = store_stmt(s,
				     "SELECT policy_version FROM drift_summaries"
				     " WHERE batch_id = ?1 AND ref_batch = ?2",
				     NULL);
	if (!q)
		return 0;
	db_bind_int64(q, 1, batch);
	db_bind_int64(q, 2, ref);
	int kept = db_step(q) == DB_ROW && db_col_int64(q, 0) == pv;
	store_done(q);
	return kept;
}

/* Compute and keep (batch, ref) when not kept yet. The reference's own
 * bins come first: they hold the cut every other batch is counted on. */
static int drift_ensure(store *s, int64_t batch, int64_t ref, int64_t pv, size_t *computed,
			dk_error *err)
{
	if (store_begin_read(s, err))
		return DK_ERR;
	int kept = drift_kept(s, batch, ref, pv);
	store_rollback(s);
	if (kept)
		return DK_OK;
	struct ddef *defs = NULL;
	size_t ndefs = 0;
	struct dscan sc = {0};
	int rc = DK_ERR;
	if (store_begin_read(s, err))
		return DK_ERR;
	if (batch == ref) {
		struct dscan def = {.define = 1};
		rc = drift_scan(s, ref, &def, err);
		if (rc == DK_OK)
			defs = drift_define(&def, &ndefs);
		dscan_free(&def);
	} else {
		rc = drift_load_defs(s, ref, &defs, &ndefs, err);
	}
	if (rc == DK_OK) {
		sc.defs = defs;
		sc.ndefs = ndefs;
		rc = drift_scan(s, batch, &sc, err);
	}
	store_rollback(s);
	if (rc == DK_OK)
		rc = drift_save(s, batch, ref, pv, defs, ndefs, &sc, err);
	if (rc == DK_OK)
		(*computed)++;
	dscan_free(&sc);
	ddef_free(defs, ndefs);
	return rc;
}

/* ---- the report ---- */

struct dpair_field {
	char *name;
	enum drift_kind kind;
	struct drift_bin *bins;
	size_t nbins;
};

struct dpair {
	struct dpair_field *f;
	size_t n;
	int64_t rows;
};

static void dpair_free(struct dpair *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->f[i].name);
		free(p->f[i].bins);
	}
	free(p->f);
	memset(p, 0, sizeof *p);
}

static int drift_load_pair(store *s, int64_t batch, int64_t ref, struct dpair *p,
			   dk_error *err)
{
	memset(p, 0, sizeof *p);
	db_stmt *q = store_stmt(s, "SELECT rows FROM drift_summaries WHERE batch_id = ?1"
					" AND ref_batch = ?2", err);
	if (!q)
		return DK_ERR;
	db_bind_int64(q, 1, batch);
	db_bind_int64(q, 2, ref);
	if (db_step(q) == DB_ROW)
		p->rows = db_col_int64(q, 0);
	if (store_done(q) != DB_OK)
		return store_fail(s, err, "reading a drift summary");
	q = store_stmt(s,
		       "SELECT field, kind, label, lo, hi, n FROM drift_bins"
		       " WHERE batch_id = ?1 AND ref_batch = ?2 ORDER BY field, bin",
		       err);
	if (!q)
		return DK_ERR;
	db_bind_int64(q, 1, batch);
	db_bind_int64(q, 2, ref);
	int rc;
	while ((rc = db_step(q)) == DB_ROW) {
		const char *field = (const char *)db_col_text(q, 0);
		const char *kind = (const char *)db_col_text(q, 1);
		if (!p->n || strcmp(p->f[p->n - 1].name, field)) {
			p->f = dk_xrealloc(p->f, (p->n + 1) * sizeof *p->f);
			struct dpair_field *f = &p->f[p->n++];
			memset(f, 0, sizeof *f);
			f->name = dk_xstrdup(field);
			f->kind = !strcmp(kind, "numeric") ? DRIFT_NUMERIC
				  : !strcmp(kind, "new") ? DRIFT_NEWFIELD
							 : DRIFT_CATEGORICAL;
		}
		struct dpair_field *f = &p->f[p->n - 1];
		f->bins = dk_xrealloc(f->bins, (f->nbins + 1) * sizeof *f->bins);
		struct drift_bin *b = &f->bins[f->nbins++];
		memset(b, 0, sizeof *b);
		snprintf(b->label, sizeof b->label, "%s", (const char *)db_col_text(q, 2));
		b->lo = db_col_type(q, 3) == DB_NULL ? NAN : db_col_double(q, 3);
		b->hi = db_col_type(q, 4) == DB_NULL ? NAN : db_col_double(q, 4);
		b->n = db_col_int64(q, 5);
	}
	store_done(q);
	return rc == DB_DONE ? DK_OK : store_fail(s, err, "reading drift bins");
}

static const struct dpair_field *dpair_find(const struct dpair *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->f[i].name, name))
			return &p->f[i];
	return NULL;
}

/* The figures of one batch's pair against the reference's pair: fields
 * (owned by the caller, in out/nout) with bins, PSI and missing shares. */
static void drift_merge(const struct dpair *rp, const struct dpair *bp,
			struct drift_field **out, size_t *nout)
{
	struct drift_field *fs = calloc(rp->n + bp->n + 1, sizeof *fs);
	size_t n = 0;
	for (int pass = 0; pass < 2; pass++) {
		const struct dpair *src = pass ? bp : rp;
		for (size_t i = 0; i < src->n; i++) {
			const struct dpair_field *bf = pass ? &bp->f[i] : dpair_find(bp, rp->f[i].name);
			const struct dpair_field *rf = pass ? NULL : &rp->f[i];
			if (pass && (bf->kind != DRIFT_NEWFIELD || dpair_find(rp, bf->name)))
				continue;
			struct drift_field *f = &fs[n++];
			f->name = dk_xstrdup(src->f[i].name);
			f->output = f->name[0] == '@';
			f->kind = src->f[i].kind;
			const struct dpair_field *shape = rf ? rf : bf;
			f->nbins = shape->nbins;
			f->bins = calloc(f->nbins + 1, sizeof *f->bins);
			int64_t *rc = calloc(f->nbins + 1, sizeof *rc), *cc = calloc(f->nbins + 1, sizeof *cc);
			for (size_t b = 0; b < f->nbins; b++) {
				f->bins[b] = shape->bins[b];
				f->bins[b].ref_n = rf ? rf->bins[b].n : 0;
				f->bins[b].n = bf && b < bf->nbins ? bf->bins[b].n : 0;
				rc[b] = f->bins[b].ref_n;
				cc[b] = f->bins[b].n;
			}
			if (!rf) /* a new field: the reference had it on no case */
				f->bins[f->nbins - 1].ref_n = rc[f->nbins - 1] = rp->rows;
			f->psi = drift_psi(rc, cc, f->nbins);
			int64_t rmiss = rc[f->nbins - 1], bmiss = cc[f->nbins - 1];
			f->ref_missing = rp->rows ? (double)rmiss / (double)rp->rows : NAN;
			f->missing = bp->rows ? (double)bmiss / (double)bp->rows : NAN;
			f->presence = DRIFT_BOTH;
			if (!f->output && rmiss == rp->rows && bmiss < bp->rows)
				f->presence = DRIFT_NEW;
			else if (!f->output && bmiss == bp->rows && rmiss < rp->rows)
				f->presence = DRIFT_GONE;
			free(rc);
			free(cc);
		}
	}
	*out = fs;
	*nout = n;
}

static void drift_fields_free(struct drift_field *fs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(fs[i].name);
		free(fs[i].bins);
		free(fs[i].trend);
	}
	free(fs);
}

static int drift_cmp_field(const void *a, const void *b)
{
	const struct drift_field *x = a, *y = b;
	if (x->output != y->output)
		return x->output - y->output;
	if (x->output) {
		static const char *const order[] = {DRIFT_CONFIDENCE, DRIFT_PREDICTION,
						    DRIFT_ROUTED, DRIFT_REASON};
		int i = 0, j = 0;
		while (i < 4 && strcmp(order[i], x->name))
			i++;
		while (j < 4 && strcmp(order[j], y->name))
			j++;
		return i - j;
	}
	if (x->psi != y->psi)
		return x->psi > y->psi ? -1 : 1;
	return strcmp(x->name, y->name);
}

static double drift_share_of(const struct drift_field *f, const char *label, int ref)
{
	int64_t t = 0, k = 0;
	for (size_t b = 0; b < f->nbins; b++) {
		int64_t n = ref ? f->bins[b].ref_n : f->bins[b].n;
		t += n;
		if (!strcmp(f->bins[b].label, label))
			k += n;
	}
	return t ? (double)k / (double)t : NAN;
}

/* The per-batch summary of merged fields. */
static void drift_summarise(const struct drift_field *fs, size_t n, struct drift_batch *b)
{
	b->psi_max = b->psi_confidence = b->routed_share = b->missing_share_max = NAN;
	for (size_t i = 0; i < n; i++) {
		const struct drift_field *f = &fs[i];
		if (!f->output) {
			if (isnan(b->psi_max) || f->psi > b->psi_max) {
				b->psi_max = f->psi;
				snprintf(b->psi_max_field, sizeof b->psi_max_field, "%s", f->name);
			}
			if (isnan(b->missing_share_max) || f->missing > b->missing_share_max) {
				b->missing_share_max = f->missing;
				snprintf(b->missing_max_field, sizeof b->missing_max_field, "%s",
					 f->name);
			}
		} else if (!strcmp(f->name, DRIFT_CONFIDENCE)) {
			b->psi_confidence = f->psi;
		} else if (!strcmp(f->name, DRIFT_ROUTED)) {
			b->routed_share = drift_share_of(f, "routed", 0);
		}
	}
}

static int drift_find_model(store *s, const char *model, int64_t *id, int64_t *pv,
			    dk_error *err)
{
	db_stmt *q = store_stmt(s, "SELECT id, policy_version FROM models WHERE name = ?1",
				     err);
	if (!q)
		return DK_ERR;
	db_bind_text(q, 1, model, -1, DB_STATIC);
	*id = 0;
	if (db_step(q) == DB_ROW) {
		*id = db_col_int64(q, 0);
		if (pv)
			*pv = db_col_int64(q, 1);
	}
	if (store_done(q) != DB_OK)
		return store_fail(s, err, "reading the model");
	if (!*id) {
		dk_fail(err, "%s: no model named '%s'", store_path(s), model);
		return DK_USAGE;
	}
	return DK_OK;
}

static int drift_check_batch(store *s, int64_t model_id, int64_t batch, const char *model,
			     dk_error *err)
{
	db_stmt *q = store_stmt(s, "SELECT model_id FROM batches WHERE id = ?1", err);
	if (!q)
		return DK_ERR;
	db_bind_int64(q, 1, batch);
	int64_t m = 0;
	if (db_step(q) == DB_ROW)
		m = db_col_int64(q, 0);
	if (store_done(q) != DB_OK)
		return store_fail(s, err, "reading the batch");
	if (m != model_id) {
		dk_fail(err, "%s: model '%s' has no batch %lld", store_path(s), model,
			(long long)batch);
		return DK_USAGE;
	}
	return DK_OK;
}

int drift_compute(store *s, const char *model, int64_t batch, int64_t against,
		  struct drift_report **out, dk_error *err)
{
	*out = NULL;
	struct drift_report *r = calloc(1, sizeof *r);
	struct dpair rp = {0}, bp = {0};
	int64_t pv = 0;
	int rc = DK_ERR;
	if (store_begin_read(s, err))
		goto fail;
	rc = drift_find_model(s, model, &r->model_id, &pv, err);
	r->model = dk_xstrdup(model);
	if (rc == DK_OK) {
		db_stmt *q = store_stmt(
			s,
			"SELECT id, rows, imported_at FROM batches WHERE model_id = ?1 ORDER BY id",
			err);
		if (!q)
			rc = DK_ERR;
		else
			db_bind_int64(q, 1, r->model_id);
		while (q && db_step(q) == DB_ROW) {
			r->batches = dk_xrealloc(r->batches,
						 (r->nbatches + 1) * sizeof *r->batches);
			struct drift_batch *b = &r->batches[r->nbatches++];
			memset(b, 0, sizeof *b);
			b->id = db_col_int64(q, 0);
			b->rows = db_col_int64(q, 1);
			b->imported_at = db_col_int64(q, 2);
		}
		if (store_done(q) != DB_OK && rc == DK_OK)
			rc = store_fail(s, err, "reading the model's batches");
	}
	if (rc == DK_OK && !r->nbatches) {
		dk_fail(err, "%s: model '%s' has no batch", store_path(s), model);
		rc = DK_USAGE;
	}
	if (rc == DK_OK) {
		r->batch = batch ? batch : r->batches[r->nbatches - 1].id;
		rc = drift_check_batch(s, r->model_id, r->batch, model, err);
	}
	if (rc == DK_OK && against) {
		r->ref = against;
		rc = drift_check_batch(s, r->model_id, r->ref, model, err);
	} else if (rc == DK_OK) {
		db_stmt *q = store_stmt(s, "SELECT batch_id FROM drift_reference"
						" WHERE model_id = ?1", err);
		if (!q)
			rc = DK_ERR;
		else {
			db_bind_int64(q, 1, r->model_id);
			if (db_step(q) == DB_ROW) {
				r->ref = db_col_int64(q, 0);
				r->ref_set = 1;
			}
			if (store_done(q) != DB_OK)
				rc = store_fail(s, err, "reading the reference");
		}
		if (!r->ref)
			r->ref = r->batches[0].id;
	}
	store_rollback(s);
	if (rc)
		goto fail;
	/* the reference first: its bins hold the cut */
	rc = drift_ensure(s, r->ref, r->ref, pv, &r->computed, err);
	for (size_t i = 0; rc == DK_OK && i < r->nbatches; i++)
		rc = drift_ensure(s, r->batches[i].id, r->ref, pv, &r->computed, err);
	if (rc)
		goto fail;
	rc = DK_ERR;
	if (store_begin_read(s, err))
		goto fail;
	if (drift_load_pair(s, r->ref, r->ref, &rp, err))
		goto fail_read;
	/* every batch in turn, then the chosen one in full */
	struct drift_field **per = calloc(r->nbatches + 1, sizeof *per);
	size_t *nper = calloc(r->nbatches + 1, sizeof *nper);
	for (size_t i = 0; i < r->nbatches; i++) {
		if (drift_load_pair(s, r->batches[i].id, r->ref, &bp, err)) {
			for (size_t j = 0; j < i; j++)
				drift_fields_free(per[j], nper[j]);
			free(per);
			free(nper);
			goto fail_read;
		}
		drift_merge(&rp, &bp, &per[i], &nper[i]);
		drift_summarise(per[i], nper[i], &r->batches[i]);
		if (r->batches[i].id == r->batch) {
			r->rows = bp.rows;
			drift_merge(&rp, &bp, &r->fields, &r->nfields);
		}
		dpair_free(&bp);
	}
	r->ref_rows = rp.rows;
	dk_sort(r->fields, r->nfields, sizeof *r->fields, drift_cmp_field);
	for (size_t f = 0; f < r->nfields; f++) {
		struct drift_field *fd = &r->fields[f];
		fd->trend = calloc(r->nbatches + 1, sizeof *fd->trend);
		for (size_t i = 0; i < r->nbatches; i++) {
			fd->trend[i] = NAN;
			for (size_t j = 0; j < nper[i]; j++)
				if (!strcmp(per[i][j].name, fd->name))
					fd->trend[i] = per[i][j].psi;
		}
	}
	for (size_t i = 0; i < r->nbatches; i++)
		drift_fields_free(per[i], nper[i]);
	free(per);
	free(nper);
	/* the metrics of the chosen batch */
	r->psi_max = r->psi_confidence = r->psi_prediction = r->psi_reason = NAN;
	r->routed_share = r->routed_share_ref = r->missing_share_max = NAN;
	for (size_t f = 0; f < r->nfields; f++) {
		struct drift_field *fd = &r->fields[f];
		if (!fd->output) {
			if (isnan(r->psi_max) || fd->psi > r->psi_max) {
				r->psi_max = fd->psi;
				r->psi_max_field = fd->name;
			}
			if (isnan(r->missing_share_max) || fd->missing > r->missing_share_max) {
				r->missing_share_max = fd->missing;
				r->missing_max_field = fd->name;
			}
			r->fields_new += fd->presence == DRIFT_NEW;
			r->fields_gone += fd->presence == DRIFT_GONE;
		} else if (!strcmp(fd->name, DRIFT_CONFIDENCE)) {
			r->psi_confidence = fd->psi;
		} else if (!strcmp(fd->name, DRIFT_PREDICTION)) {
			r->psi_prediction = fd->psi;
		} else if (!strcmp(fd->name, DRIFT_REASON)) {
			r->psi_reason = fd->psi;
		} else if (!strcmp(fd->name, DRIFT_ROUTED)) {
			r->routed_share = drift_share_of(fd, "routed", 0);
			r->routed_share_ref = drift_share_of(fd, "routed", 1);
		}
	}
	store_rollback(s);
	dpair_free(&rp);
	*out = r;
	return DK_OK;
fail_read:
	store_rollback(s);
fail:
	dpair_free(&rp);
	dpair_free(&bp);
	drift_free(r);
	return rc == DK_OK ? DK_ERR : rc;
}

void drift_free(struct drift_report *r)
{
	if (!r)
		return;
	free(r->model);
	drift_fields_free(r->fields, r->nfields);
	free(r->batches);
	free(r);
}

static int drift_set_reference_once(store *s, const char *model, int64_t batch,
				    const char *who, dk_error *err)
{
	if (store_begin_write(s, err))
		return DK_ERR;
	int64_t id = 0, prev = 0;
	int rc = drift_find_model(s, model, &id, NULL, err);
	if (rc == DK_OK)
		rc = drift_check_batch(s, id, batch, model, err);
	db_stmt *q = NULL;
	if (rc == DK_OK) {
		q = store_stmt(s, "SELECT batch_id FROM drift_reference WHERE model_id = ?1", err);
		if (!q)
			rc = DK_ERR;
	}
	if (rc == DK_OK) {
		db_bind_int64(q, 1, id);
		if (db_step(q) == DB_ROW)
			prev = db_col_int64(q, 0);
		if (store_done(q) != DB_OK)
			rc = store_fail(s, err, "reading the reference");
	}
	if (rc == DK_OK) {
		q = store_stmt(s, "INSERT INTO drift_reference(model_id, batch_id)"
				  " VALUES (?1, ?2) ON CONFLICT (model_id)"
				  " DO UPDATE SET batch_id = excluded.batch_id", err);
		if (!q)
			rc = DK_ERR;
	}
	if (rc == DK_OK) {
		db_bind_int64(q, 1, id);
		db_bind_int64(q, 2, batch);
		if (db_step(q) != DB_DONE)
			rc = store_fail(s, err, "setting the reference");
		store_done(q);
	}
	if (rc == DK_OK) {
		sbuf d = {0};
		sbuf_adds(&d, "{\"model\":");
		sbuf_add_json_str(&d, model, strlen(model));
		sbuf_printf(&d, ",\"batch\":%lld,\"previous\":", (long long)batch);
		if (prev)
			sbuf_printf(&d, "%lld}", (long long)prev);
		else
			sbuf_adds(&d, "null}");
		audit_entry e = {.reviewer = who, .action = ACTION_REFERENCE, .seconds = NAN,
				 .detail = sbuf_str(&d)};
		rc = audit_append(s, &e, NULL, NULL, err);
		sbuf_free(&d);
	}
	if (rc == DK_OK)
		rc = store_commit(s, err);
	else
		store_rollback(s);
	return rc;
}

int drift_set_reference(store *s, const char *model, int64_t batch, const char *who,
			dk_error *err)
{
	/* it waits for the chain lock holding the writer lock: a session
	 * holding the one and asking for the other (t_pg_retry) makes it a
	 * deadlock's victim, which wrote nothing: run again (store_retry) */
	int rc, tries = 0;
	do
		rc = drift_set_reference_once(s, model, batch, who, err);
	while (rc == DK_ERR && store_retry(s, &tries));
	return rc;
}

/* ---- metrics and output ---- */

const char *const drift_metric_names[] = {
	"batch",           "reference",         "rows",
	"reference_rows",  "psi_max",           "psi_confidence",
	"psi_prediction",  "psi_reason",        "routed_share",
	"routed_share_reference", "missing_share_max", "fields_new",
	"fields_gone",
};
const size_t drift_metric_count = sizeof drift_metric_names / sizeof drift_metric_names[0];

int drift_metric(const struct drift_report *r, const char *name, double *v)
{
	double x;
	if (!strcmp(name, "batch"))
		x = (double)r->batch;
	else if (!strcmp(name, "reference"))
		x = (double)r->ref;
	else if (!strcmp(name, "rows"))
		x = (double)r->rows;
	else if (!strcmp(name, "reference_rows"))
		x = (double)r->ref_rows;
	else if (!strcmp(name, "psi_max"))
		x = r->psi_max;
	else if (!strcmp(name, "psi_confidence"))
		x = r->psi_confidence;
	else if (!strcmp(name, "psi_prediction"))
		x = r->psi_prediction;
	else if (!strcmp(name, "psi_reason"))
		x = r->psi_reason;
	else if (!strcmp(name, "routed_share"))
		x = r->routed_share;
	else if (!strcmp(name, "routed_share_reference"))
		x = r->routed_share_ref;
	else if (!strcmp(name, "missing_share_max"))
		x = r->missing_share_max;
	else if (!strcmp(name, "fields_new"))
		x = (double)r->fields_new;
	else if (!strcmp(name, "fields_gone"))
		x = (double)r->fields_gone;
	else
		return 1;
	if (isnan(x))
		return 1;
	*v = x;
	return 0;
}

const char *drift_metric_field(const struct drift_report *r, const char *name)
{
	if (!strcmp(name, "psi_max") && r->psi_max_field)
		return r->psi_max_field;
	if (!strcmp(name, "missing_share_max") && r->missing_max_field)
		return r->missing_max_field;
	return "";
}

static void drift_json_num(sbuf *b, double v)
{
	if (isnan(v) || isinf(v))
		sbuf_adds(b, "null");
	else
		sbuf_add_json_num(b, v);
}

static void drift_json_name(sbuf *b, const struct drift_field *f)
{
	const char *n = f->output ? f->name + 1 : f->name;
	sbuf_add_json_str(b, n, strlen(n));
}

void drift_format_json(const struct drift_report *r, sbuf *b)
{
	sbuf_addc(b, '{');
	for (size_t i = 0; i < drift_metric_count; i++) {
		double v;
		sbuf_printf(b, "%s\"%s\":", i ? "," : "", drift_metric_names[i]);
		if (drift_metric(r, drift_metric_names[i], &v))
			sbuf_adds(b, "null");
		else
			sbuf_add_json_num(b, v);
	}
	sbuf_adds(b, ",\"model\":");
	sbuf_add_json_str(b, r->model, strlen(r->model));
	sbuf_printf(b, ",\"reference_set\":%s,\"psi_max_field\":", r->ref_set ? "true" : "false");
	if (r->psi_max_field)
		sbuf_add_json_str(b, r->psi_max_field, strlen(r->psi_max_field));
	else
		sbuf_adds(b, "null");
	sbuf_adds(b, ",\"missing_share_max_field\":");
	if (r->missing_max_field)
		sbuf_add_json_str(b, r->missing_max_field, strlen(r->missing_max_field));
	else
		sbuf_adds(b, "null");
	sbuf_adds(b, ",\"smoothing\":");
	sbuf_add_json_num(b, DRIFT_SMOOTH);
	sbuf_adds(b, ",\"fields\":[");
	for (size_t i = 0; i < r->nfields; i++) {
		const struct drift_field *f = &r->fields[i];
		sbuf_adds(b, i ? ",{\"name\":" : "{\"name\":");
		drift_json_name(b, f);
		sbuf_printf(b, ",\"source\":\"%s\",\"kind\":\"%s\",\"status\":\"%s\",\"psi\":",
			    f->output ? "model" : "context", drift_kind_name(f->kind),
			    f->presence == DRIFT_NEW ? "new"
			    : f->presence == DRIFT_GONE ? "gone" : "both");
		drift_json_num(b, f->psi);
		sbuf_printf(b, ",\"band\":\"%s\",\"missing_share\":", drift_band(f->psi));
		drift_json_num(b, f->missing);
		sbuf_adds(b, ",\"missing_share_reference\":");
		drift_json_num(b, f->ref_missing);
		sbuf_adds(b, ",\"bins\":[");
		for (size_t k = 0; k < f->nbins; k++) {
			const struct drift_bin *bn = &f->bins[k];
			sbuf_adds(b, k ? ",{\"label\":" : "{\"label\":");
			sbuf_add_json_str(b, bn->label, strlen(bn->label));
			sbuf_adds(b, ",\"lo\":");
			drift_json_num(b, bn->lo);
			sbuf_adds(b, ",\"hi\":");
			drift_json_num(b, bn->hi);
			sbuf_printf(b, ",\"reference_n\":%lld,\"n\":%lld}", (long long)bn->ref_n,
				    (long long)bn->n);
		}
		sbuf_adds(b, "],\"trend\":[");
		for (size_t k = 0; k < r->nbatches; k++) {
			if (k)
				sbuf_addc(b, ',');
			drift_json_num(b, f->trend[k]);
		}
		sbuf_adds(b, "]}");
	}
	sbuf_adds(b, "],\"batches\":[");
	for (size_t i = 0; i < r->nbatches; i++) {
		const struct drift_batch *bt = &r->batches[i];
		sbuf_printf(b, "%s{\"batch\":%lld,\"rows\":%lld,\"psi_max\":", i ? "," : "",
			    (long long)bt->id, (long long)bt->rows);
		drift_json_num(b, bt->psi_max);
		sbuf_adds(b, ",\"psi_max_field\":");
		if (bt->psi_max_field[0])
			sbuf_add_json_str(b, bt->psi_max_field, strlen(bt->psi_max_field));
		else
			sbuf_adds(b, "null");
		sbuf_adds(b, ",\"psi_confidence\":");
		drift_json_num(b, bt->psi_confidence);
		sbuf_adds(b, ",\"routed_share\":");
		drift_json_num(b, bt->routed_share);
		sbuf_adds(b, ",\"missing_share_max\":");
		drift_json_num(b, bt->missing_share_max);
		sbuf_addc(b, '}');
	}
	sbuf_adds(b, "]}\n");
}

static void drift_num(char *buf, size_t len, double v, const char *fmt)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, fmt, v);
}

/* Field and bin names come from imported data: the caller passes the text
 * through the terminal-safe writer (cli_write_data). */
void drift_format_table(const struct drift_report *r, sbuf *b)
{
	char t1[32], t2[32], t3[32];
	sbuf_adds(b, "model ");
	termsafe_add(b, r->model, strlen(r->model), 0);
	sbuf_printf(b, ": batch %lld (%lld cases) against reference batch %lld "
		       "(%lld cases, %s)\n",
		    (long long)r->batch, (long long)r->rows, (long long)r->ref,
		    (long long)r->ref_rows,
		    r->ref_set ? "set by a supervisor" : "the model's first batch");
	sbuf_printf(b, "PSI: < %.1f stable, %.1f-%.1f moderate, > %.1f significant "
		       "(each bin's count + %.1f)\n\n",
		    DRIFT_MODERATE, DRIFT_MODERATE, DRIFT_SIGNIFICANT, DRIFT_SIGNIFICANT,
		    DRIFT_SMOOTH);
	sbuf_printf(b, "%-24s %8s  %-12s %9s %9s  %s\n", "field", "PSI", "band", "missing",
		    "(ref)", "");
	for (size_t i = 0; i < r->nfields; i++) {
		const struct drift_field *f = &r->fields[i];
		drift_num(t1, sizeof t1, f->psi, "%.4f");
		drift_num(t2, sizeof t2, f->missing * 100, "%.1f%%");
		drift_num(t3, sizeof t3, f->ref_missing * 100, "%.1f%%");
		if (i && f->output && !r->fields[i - 1].output)
			sbuf_addc(b, '\n');
		logq_cell(b, drift_field_title(f), 24, 0);
		sbuf_printf(b, " %8s  %-12s %9s %9s  %s\n", t1,
			    drift_band(f->psi), f->output ? "" : t2, f->output ? "" : t3,
			    f->presence == DRIFT_NEW ? "new field"
			    : f->presence == DRIFT_GONE ? "field gone" : "");
	}
	drift_num(t1, sizeof t1, r->routed_share * 100, "%.1f%%");
	drift_num(t2, sizeof t2, r->routed_share_ref * 100, "%.1f%%");
	sbuf_printf(b, "routed to review: %s of the batch, %s of the reference\n", t1, t2);
	/* the bins of the fields that moved most */
	for (size_t i = 0, shown = 0; i < r->nfields && shown < 3; i++) {
		const struct drift_field *f = &r->fields[i];
		if (f->output || f->psi < DRIFT_MODERATE)
			continue;
		shown++;
		sbuf_addc(b, '\n');
		termsafe_add(b, f->name, strlen(f->name), 0);
		sbuf_printf(b, " (PSI %.4f)\n  %-24s %10s %10s\n", f->psi, "bin", "reference",
			    "batch");
		int64_t rt = 0, ct = 0;
		for (size_t k = 0; k < f->nbins; k++) {
			rt += f->bins[k].ref_n;
			ct += f->bins[k].n;
		}
		for (size_t k = 0; k < f->nbins; k++) {
			drift_num(t1, sizeof t1, rt ? 100.0 * (double)f->bins[k].ref_n / (double)rt : NAN,
				  "%.1f%%");
			drift_num(t2, sizeof t2, ct ? 100.0 * (double)f->bins[k].n / (double)ct : NAN,
				  "%.1f%%");
			sbuf_adds(b, "  ");
			logq_cell(b, f->bins[k].label, 24, 0);
			sbuf_printf(b, " %10s %10s\n", t1, t2);
		}
	}
	sbuf_printf(b, "\nover time (each batch against the reference)\n"
		       "%8s %10s  %8s %-20s %10s %8s %8s\n",
		    "batch", "cases", "PSI max", "(field)", "confidence", "routed", "missing");
	for (size_t i = 0; i < r->nbatches; i++) {
		const struct drift_batch *bt = &r->batches[i];
		drift_num(t1, sizeof t1, bt->psi_max, "%.4f");
		drift_num(t2, sizeof t2, bt->psi_confidence, "%.4f");
		drift_num(t3, sizeof t3, bt->routed_share * 100, "%.1f%%");
		char t4[32];
		drift_num(t4, sizeof t4, bt->missing_share_max * 100, "%.1f%%");
		sbuf_printf(b, "%8lld %10lld  %8s ", (long long)bt->id, (long long)bt->rows, t1);
		logq_cell(b, bt->psi_max_field, 20, 0);
		sbuf_printf(b, " %10s %8s %8s%s\n", t2, t3, t4,
			    bt->id == r->ref ? "  (reference)" : "");
	}
}
