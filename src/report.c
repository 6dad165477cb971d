/* report.c: gathers the figures of `docket report` for one model and period
 * into a struct report: the stats of stats.c, the batches and their lineage,
 * the policy versions in force, review volume by day, reasons, escalations
 * and disputes with their waits, exports and reveals, the chain's head and
 * whether it verifies. No formatting here (report_html.c, report_md.c). It
 * never reads a case's context, text or probabilities, so no pii: value can
 * reach a report. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>

#include "docket/audit.h"
#include "docket/clock.h"
#include "docket/logq.h"
#include "docket/policy.h"
#include "docket/report.h"

void report_opts_init(struct report_opts *o)
{
	memset(o, 0, sizeof *o);
	o->min_n = STATS_MIN_N;
	o->verify = 1;
}

static char *col_dup(db_stmt *st, int i)
{
	const unsigned char *t = db_col_text(st, i);
	return t ? dk_xstrdup((const char *)t) : NULL;
}

static void add_limit(struct report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void add_limit(struct report *r, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	r->limits = dk_xrealloc(r->limits, (r->nlimits + 1) * sizeof *r->limits);
	r->limits[r->nlimits++] = dk_xstrdup(buf);
}

static int in_period(const struct report_opts *o, int64_t at)
{
	return (!o->has_since || at >= o->since_ms) &&
	       (!o->has_until || at < o->until_ms);
}

/* ---- batches ---- */

static int load_batches(store *s, struct report *r, dk_error *err)
{
	db_stmt *st = store_stmt(
		s,
		"SELECT id, model_version, source_file, source_sha256, rows, routed,"
		" imported_by, imported_at, forced FROM batches WHERE model_id = ?1"
		" AND (?2 IS NULL OR imported_at < ?2) ORDER BY id",
		err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, r->model_id);
	if (r->opts.has_until)
		db_bind_int64(st, 2, r->opts.until_ms);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (r->nbatches == cap) {
			cap = cap ? cap * 2 : 8;
			r->batches = dk_xrealloc(r->batches, cap * sizeof *r->batches);
		}
		struct report_batch *b = &r->batches[r->nbatches++];
		b->id = db_col_int64(st, 0);
		b->version = col_dup(st, 1);
		b->file = col_dup(st, 2);
		b->sha256 = col_dup(st, 3);
		b->rows = db_col_int64(st, 4);
		b->routed = db_col_int64(st, 5);
		b->by = col_dup(st, 6);
		b->at = db_col_int64(st, 7);
		b->forced = db_col_int(st, 8);
		b->in_period = in_period(&r->opts, b->at);
		/* of those loaded before the period, only the newest stays */
		if (!b->in_period && r->nbatches >= 2 &&
		    !r->batches[r->nbatches - 2].in_period) {
			struct report_batch *old = &r->batches[r->nbatches - 2];
			free(old->version);
			free(old->file);
			free(old->sha256);
			free(old->by);
			*old = *b;
			r->nbatches--;
			b = old;
		}
		if (b->in_period) {
			r->scored += b->rows;
			r->routed += b->routed;
		}
	}
	store_done(st);
	if (rc != DB_DONE)
		return store_fail(s, err, "reading the batches"), DK_ERR;
	return DK_OK;
}

/* ---- policies ---- */

static void change_num(sbuf *b, const char *name, double a, double v)
{
	if (a == v)
		return;
	if (b->len)
		sbuf_adds(b, "; ");
	sbuf_printf(b, "%s %g -> %g", name, a, v);
}

/* What changed from policy a to policy p, in words. */
static char *policy_changes(const policy *a, const policy *p)
{
	sbuf b = {0};
	change_num(&b, "threshold", a->threshold, p->threshold);
	change_num(&b, "margin", a->margin, p->margin);
	change_num(&b, "entropy", a->entropy, p->entropy);
	change_num(&b, "audit_rate", a->audit_rate, p->audit_rate);
	change_num(&b, "double_rate", a->double_rate, p->double_rate);
	for (size_t i = 0; i < p->nlabels; i++) {
		double was = NAN;
		for (size_t j = 0; j < a->nlabels; j++)
			if (!strcmp(a->labels[j].label, p->labels[i].label))
				was = a->labels[j].threshold;
		if (was == p->labels[i].threshold)
			continue;
		if (b.len)
			sbuf_adds(&b, "; ");
		if (isnan(was))
			sbuf_printf(&b, "threshold for %s set to %g", p->labels[i].label,
				    p->labels[i].threshold);
		else
			sbuf_printf(&b, "threshold for %s %g -> %g", p->labels[i].label,
				    was, p->labels[i].threshold);
	}
	for (size_t j = 0; j < a->nlabels; j++) {
		int kept = 0;
		for (size_t i = 0; i < p->nlabels; i++)
			kept |= !strcmp(a->labels[j].label, p->labels[i].label);
		if (!kept) {
			if (b.len)
				sbuf_adds(&b, "; ");
			sbuf_printf(&b, "threshold for %s removed", a->labels[j].label);
		}
	}
	if (!b.len)
		sbuf_adds(&b, "");
	return b.buf ? b.buf : dk_xstrdup("");
}

/* The versions in force at some time in the period: the last one set
 * before it starts and every one set during it. */
static int load_policies(store *s, struct report *r, dk_error *err)
{
	db_stmt *st = store_stmt(s,
				      "SELECT version, policy, set_by, set_at FROM policies"
				      " WHERE model_id = ?1 ORDER BY version",
				      err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, r->model_id);
	policy prev, cur;
	int have_prev = 0, rc;
	size_t cap = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t at = db_col_int64(st, 3);
		const char *json = (const char *)db_col_text(st, 1);
		if (r->opts.has_until && at >= r->opts.until_ms)
			break;
		if (policy_from_json(s, json ? json : "{}", &cur, err)) {
			store_done(st);
			return DK_ERR;
		}
		/* set before the period: only the last such one stays */
		if (r->npolicies && r->opts.has_since && at <= r->opts.since_ms &&
		    r->policies[r->npolicies - 1].at <= r->opts.since_ms) {
			r->npolicies--;
			free(r->policies[r->npolicies].by);
			free(r->policies[r->npolicies].changes);
		}
		if (r->npolicies == cap) {
			cap = cap ? cap * 2 : 8;
			r->policies = dk_xrealloc(r->policies, cap * sizeof *r->policies);
		}
		struct report_policy *p = &r->policies[r->npolicies++];
		p->version = db_col_int64(st, 0);
		p->by = col_dup(st, 2);
		p->at = at;
		p->changes = have_prev ? policy_changes(&prev, &cur)
				       : dk_xstrdup("first version");
		prev = cur;
		have_prev = 1;
	}
	store_done(st);
	if (rc != DB_DONE && rc != DB_ROW)
		return store_fail(s, err, "reading the policies"), DK_ERR;
	return DK_OK;
}

/* ---- the log of the period ---- */

static struct report_day *day_of(struct report *r, int64_t at, size_t *cap)
{
	char d[11];
	time_t t = (time_t)(at / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(d, sizeof d, "%Y-%m-%d", &tm);
	/* entries come in time order: a day is the last one or a new one */
	if (r->ndays && !strcmp(r->days[r->ndays - 1].day, d))
		return &r->days[r->ndays - 1];
	if (r->ndays == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		r->days = dk_xrealloc(r->days, *cap * sizeof *r->days);
	}
	struct report_day *x = &r->days[r->ndays++];
	memset(x, 0, sizeof *x);
	memcpy(x->day, d, sizeof x->day);
	return x;
}

struct reason_tab {
	dk_strset keys; /* "action\x1freason" */
	int64_t *n;
	size_t cap;
};

static void reason_add(struct reason_tab *t, const char *action, const char *reason)
{
	sbuf k = {0};
	sbuf_adds(&k, action);
	sbuf_addc(&k, '\x1f');
	sbuf_adds(&k, reason);
	int added;
	size_t i = dk_strset_add(&t->keys, k.buf, k.len, &added);
	sbuf_free(&k);
	if (i >= t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 16;
		while (nc <= i)
			nc *= 2;
		t->n = dk_xrealloc(t->n, nc * sizeof *t->n);
		memset(t->n + t->cap, 0, (nc - t->cap) * sizeof *t->n);
		t->cap = nc;
	}
	t->n[i]++;
}

static int reason_cmp(const void *a, const void *b)
{
	const struct report_reason *x = a, *y = b;
	int c = strcmp(x->action, y->action);
	if (c)
		return c;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->reason, y->reason);
}

static void reasons_collect(struct report *r, struct reason_tab *t)
{
	size_t n = dk_strset_count(&t->keys);
	r->reasons = n ? dk_xmalloc(n * sizeof *r->reasons) : NULL;
	for (size_t i = 0; i < n; i++) {
		size_t len;
		const char *k = dk_strset_str(&t->keys, i, &len);
		const char *sep = memchr(k, '\x1f', len);
		struct report_reason *x = &r->reasons[i];
		x->action = dk_xmalloc((size_t)(sep - k) + 1);
		memcpy(x->action, k, (size_t)(sep - k));
		x->action[sep - k] = '\0';
		x->reason = dk_xstrdup(sep + 1);
		x->n = t->n[i];
	}
	r->nreasons = n;
	dk_sort(r->reasons, n, sizeof *r->reasons, reason_cmp);
}

static struct report_wait *wait_new(struct report *r, size_t *cap)
{
	if (r->nwaits == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		r->waits = dk_xrealloc(r->waits, *cap * sizeof *r->waits);
	}
	struct report_wait *w = &r->waits[r->nwaits++];
	memset(w, 0, sizeof *w);
	return w;
}

/* The entry a resolve answered: the case's last entry before seq that is
 * not an undo. */
static int resolve_origin(store *s, int64_t case_row, int64_t seq, char *action,
			  size_t alen, int64_t *at, dk_error *err)
{
	db_stmt *st = store_stmt(
		s,
		"SELECT action, at FROM decisions WHERE case_id = ?1 AND seq < ?2"
		" AND action NOT IN ('undo','skip') ORDER BY seq DESC LIMIT 1",
		err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, case_row);
	db_bind_int64(st, 2, seq);
	int rc = db_step(st);
	action[0] = '\0';
	*at = 0;
	if (rc == DB_ROW) {
		const char *a = (const char *)db_col_text(st, 0);
		snprintf(action, alen, "%s", a ? a : "");
		*at = db_col_int64(st, 1);
	}
	store_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return store_fail(s, err, "reading a case's history"), DK_ERR;
	return DK_OK;
}

/* Waits in the order they were raised (ties: by case id). */
static int wait_cmp(const void *a, const void *b)
{
	const struct report_wait *x = a, *y = b;
	if (x->raised_at != y->raised_at)
		return x->raised_at < y->raised_at ? -1 : 1;
	return strcmp(x->case_id ? x->case_id : "", y->case_id ? y->case_id : "");
}

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* One walk of the model's entries in the period (by seq, a range of the
 * log): volume by day, reasons, escalations and their resolutions. */
static int load_log(store *s, struct report *r, int64_t lo, int64_t hi,
		    dk_error *err)
{
	db_stmt *st = store_stmt(
		s,
		"SELECT d.seq, d.at, d.action, d.reason, d.case_id, d.reviewer,"
		" d.label, CASE WHEN d.action IN ('escalate','resolve')"
		" THEN c.ext_id END, c.state"
		" FROM decisions d JOIN cases c ON c.id = d.case_id"
		" WHERE d.seq >= ?1 AND d.seq < ?2 AND c.model_id = ?3"
		" ORDER BY d.seq",
		err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, lo);
	db_bind_int64(st, 2, hi);
	db_bind_int64(st, 3, r->model_id);
	struct reason_tab reasons = {0};
	dk_strset open = {0}; /* case row -> index into open_wait */
	size_t *open_wait = NULL, open_cap = 0, day_cap = 0, wait_cap = 0;
	int rc, ret = DK_ERR;
	char key[24];
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t seq = db_col_int64(st, 0);
		int64_t at = db_col_int64(st, 1);
		const char *action = (const char *)db_col_text(st, 2);
		const char *reason = (const char *)db_col_text(st, 3);
		int64_t case_row = db_col_int64(st, 4);
		if (!action || !in_period(&r->opts, at))
			continue;
		struct report_day *d = day_of(r, at, &day_cap);
		int is_esc = !strcmp(action, "escalate"), is_res = !strcmp(action, "resolve");
		if (!strcmp(action, "accept"))
			d->accepts++;
		else if (!strcmp(action, "override"))
			d->overrides++;
		else if (is_esc)
			d->escalates++;
		else if (!strcmp(action, "skip"))
			d->skips++;
		else if (is_res)
			d->resolves++;
		if (reason && *reason)
			reason_add(&reasons, action, reason);
		if (!is_esc && !is_res)
			continue;
		int klen = snprintf(key, sizeof key, "%lld", (long long)case_row);
		int added;
		size_t k = dk_strset_add(&open, key, (size_t)klen, &added);
		if (k >= open_cap) {
			size_t nc = open_cap ? open_cap * 2 : 16;
			while (nc <= k)
				nc *= 2;
			open_wait = dk_xrealloc(open_wait, nc * sizeof *open_wait);
			for (size_t i = open_cap; i < nc; i++)
				open_wait[i] = SIZE_MAX;
			open_cap = nc;
		}
		if (is_esc) {
			struct report_wait *w = wait_new(r, &wait_cap);
			w->case_id = col_dup(st, 7);
			w->raised_at = at;
			w->reason = reason ? dk_xstrdup(reason) : NULL;
			open_wait[k] = r->nwaits - 1;
			continue;
		}
		/* a resolve: of an escalation seen in the period, or of one
		 * raised before it, or of a dispute */
		struct report_wait *w;
		if (open_wait[k] != SIZE_MAX) {
			w = &r->waits[open_wait[k]];
			open_wait[k] = SIZE_MAX;
		} else {
			char origin[16];
			int64_t oat;
			if (resolve_origin(s, case_row, seq, origin, sizeof origin, &oat,
					   err))
				goto out;
			w = wait_new(r, &wait_cap);
			w->case_id = col_dup(st, 7);
			w->dispute = strcmp(origin, "escalate") != 0;
			w->raised_at = oat;
		}
		w->resolved_at = at;
		w->resolved_by = col_dup(st, 5);
		w->label = col_dup(st, 6);
	}
	if (rc != DB_DONE) {
		store_fail(s, err, "reading the log");
		goto out;
	}
	ret = DK_OK;
out:
	store_done(st);
	if (ret == DK_OK) {
		reasons_collect(r, &reasons);
		double *wv = r->nwaits ? dk_xmalloc(r->nwaits * sizeof *wv) : NULL;
		size_t nw = 0;
		for (size_t i = 0; i < r->nwaits; i++) {
			const struct report_wait *w = &r->waits[i];
			if (w->dispute)
				r->disputes++;
			else
				r->escalations++;
			if (!w->resolved_at)
				r->open++;
			else
				wv[nw++] = (double)(w->resolved_at - w->raised_at) / 1000.0;
		}
		dk_sort(wv, nw, sizeof *wv, dbl_cmp);
		r->median_wait_secs = nw == 0 ? NAN
				      : nw % 2 ? wv[nw / 2]
					       : (wv[nw / 2 - 1] + wv[nw / 2]) / 2;
		free(wv);
	}
	dk_strset_free(&reasons.keys);
	free(reasons.n);
	dk_strset_free(&open);
	free(open_wait);
	return ret;
}

/* Disputes raised in the period and still open: cases of the model that
 * wait for a supervisor because two reviews disagreed. */
static int load_open_disputes(store *s, struct report *r, dk_error *err)
{
	db_stmt *st = store_stmt(
		s,
		"SELECT c.ext_id, (SELECT max(d.at) FROM decisions d"
		"  WHERE d.case_id = c.id AND d.action IN ('accept','override'))"
		" FROM cases c WHERE c.state = 'disputed'"
		" AND (c.state = 'escalated' OR c.state = 'disputed')"
		" AND c.model_id = ?1 ORDER BY c.id",
		err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, r->model_id);
	size_t cap = r->nwaits;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t at = db_col_int64(st, 1);
		if (!in_period(&r->opts, at))
			continue;
		struct report_wait *w = wait_new(r, &cap);
		w->case_id = col_dup(st, 0);
		w->dispute = 1;
		w->raised_at = at;
		r->disputes++;
		r->open++;
	}
	store_done(st);
	if (rc != DB_DONE)
		return store_fail(s, err, "reading the disputes"), DK_ERR;
	return DK_OK;
}

/* ---- exports, reveals, reports ---- */

/* The raw JSON value of top-level "key" in detail (our own JSON): a number
 * or an array as text, a string without its quotes (escapes kept). NULL
 * when absent or null. */
static char *detail_get(const char *detail, const char *key)
{
	if (!detail)
		return NULL;
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\":", key);
	const char *p = strstr(detail, pat);
	if (!p)
		return NULL;
	p += strlen(pat);
	const char *e = p;
	if (*p == '"') {
		p++;
		for (e = p; *e && *e != '"'; e++)
			if (*e == '\\' && e[1])
				e++;
	} else if (*p == '[') {
		int in_str = 0;
		for (; *e; e++) {
			if (in_str) {
				if (*e == '\\' && e[1])
					e++;
				else if (*e == '"')
					in_str = 0;
			} else if (*e == '"')
				in_str = 1;
			else if (*e == ']') {
				e++;
				break;
			}
		}
	} else {
		while (*e && *e != ',' && *e != '}')
			e++;
		if (e - p == 4 && !strncmp(p, "null", 4))
			return NULL;
	}
	char *v = dk_xmalloc((size_t)(e - p) + 1);
	memcpy(v, p, (size_t)(e - p));
	v[e - p] = '\0';
	return v;
}

static int load_access(store *s, struct report *r, int64_t lo, int64_t hi,
		       dk_error *err)
{
	/* how many of each: an index range per action, never the rows */
	db_stmt *st = store_stmt(
		s,
		"SELECT action, count(*) FROM decisions"
		" WHERE action IN ('export','reveal','report') AND seq >= ?1"
		" AND seq < ?2 GROUP BY action",
		err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, lo);
	db_bind_int64(st, 2, hi);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *a = (const char *)db_col_text(st, 0);
		int64_t n = db_col_int64(st, 1);
		if (a && !strcmp(a, "export"))
			r->exports = n;
		else if (a && !strcmp(a, "reveal"))
			r->reveals = n;
		else if (a)
			r->reports = n;
	}
	store_done(st);
	if (rc != DB_DONE)
		return store_fail(s, err, "counting exports and reveals"), DK_ERR;

	st = store_stmt(s,
			"SELECT seq, at, reviewer, action, detail FROM decisions"
			" WHERE action IN ('export','reveal','report') AND seq >= ?1"
			" AND seq < ?2 ORDER BY seq DESC LIMIT ?3",
			err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, lo);
	db_bind_int64(st, 2, hi);
	db_bind_int64(st, 3, REPORT_MAX_ACCESS);
	r->access = dk_xmalloc(REPORT_MAX_ACCESS * sizeof *r->access);
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t at = db_col_int64(st, 1);
		if (!in_period(&r->opts, at))
			continue;
		struct report_access *a = &r->access[r->naccess++];
		memset(a, 0, sizeof *a);
		a->seq = db_col_int64(st, 0);
		a->at = at;
		a->who = col_dup(st, 2);
		a->action = col_dup(st, 3);
		const char *detail = (const char *)db_col_text(st, 4);
		char *rows = detail_get(detail, "rows");
		int64_t n;
		a->rows = rows && !dk_parse_int64(rows, strlen(rows), &n) ? n : -1;
		free(rows);
		/* what was taken, without file paths (they name people's
		 * home directories) */
		sbuf w = {0};
		const char *keys[] = {"format", "only", "model", "fields", "command"};
		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
			char *v = detail_get(detail, keys[i]);
			if (v) {
				sbuf_printf(&w, "%s%s %s", w.len ? ", " : "", keys[i], v);
				free(v);
			}
		}
		a->what = w.buf ? w.buf : dk_xstrdup("");
	}
	store_done(st);
	if (rc != DB_DONE)
		return store_fail(s, err, "reading exports and reveals"), DK_ERR;
	return DK_OK;
}

static int load_head(store *s, struct report *r, int64_t hi, dk_error *err)
{
	db_stmt *st = store_stmt(
		s, "SELECT seq, hash FROM decisions WHERE seq < ?1 ORDER BY seq DESC LIMIT 1",
		err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, hi);
	int rc = db_step(st);
	r->head_seq = 0;
	snprintf(r->head_hash, sizeof r->head_hash, "%s", AUDIT_GENESIS);
	if (rc == DB_ROW) {
		r->head_seq = db_col_int64(st, 0);
		const char *h = (const char *)db_col_text(st, 1);
		snprintf(r->head_hash, sizeof r->head_hash, "%s", h ? h : "");
	}
	store_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return store_fail(s, err, "reading the chain's head"), DK_ERR;
	return DK_OK;
}

/* ---- limits ---- */

static void find_limits(struct report *r)
{
	const struct stats *st = r->st;
	int64_t mn = r->opts.min_n;
	int64_t reviewed = r->sm ? r->sm->override.n : 0;
	if (st->decisions == 0)
		add_limit(r, "No decisions in the period: review figures are empty.");
	if (reviewed < mn)
		add_limit(r,
			  "Too few cases reviewed (%lld, fewer than %lld): the override "
			  "rate, confusion and calibration are not rates anyone should "
			  "act on; they show as 'too few'.",
			  (long long)reviewed, (long long)mn);
	if (st->audit.n == 0)
		add_limit(r, "No audit sample in the period: the error of what the "
			     "model decided alone cannot be estimated (set an "
			     "audit_rate in the routing policy).");
	else if (st->audit.n < mn)
		add_limit(r,
			  "Too few audit-sampled cases (%lld, fewer than %lld): the "
			  "error of unreviewed predictions is not estimated.",
			  (long long)st->audit.n, (long long)mn);
	if (st->fleiss_n < mn)
		add_limit(r,
			  "Too few cases reviewed by two people (%lld, fewer than %lld): "
			  "reviewer agreement (kappa) is not known.",
			  (long long)st->fleiss_n, (long long)mn);
	if (r->gold.n < mn)
		add_limit(r,
			  "Too few gold cases judged (%lld, fewer than %lld): gold "
			  "accuracy is not known.",
			  (long long)r->gold.n, (long long)mn);
	if (!r->drift.computed)
		add_limit(r, "Input drift (PSI per batch) is not known: %s.", r->drift.why_not);
	if (!r->fairness.computed)
		add_limit(r, "Subgroup disparity needs a field and a positive label: "
			     "'docket report --by FIELD --positive LABEL' adds it.");
	if (!r->error_all.computed)
		add_limit(r, "The error over everything scored (Horvitz-Thompson) is "
			     "not known: too few reviews, or confident cases were left "
			     "to the model with no audit sample (audit rate 0).");
}

/* ---- the chain check, beside the figures ---- */

/* audit_verify on a connection of its own, in a thread of its own, while
 * the figures are read: a full check of 1M entries takes about as long as
 * the figures do. */
struct verify_job {
	const char *path;
	pthread_t thread;
	int started;
	int rc;
	audit_report rep;
	dk_error err;
};

static void *verify_thread(void *arg)
{
	struct verify_job *v = arg;
	store *s2 = NULL;
	v->rc = store_open(&s2, v->path, 0, &v->err);
	if (v->rc == DK_OK)
		v->rc = audit_verify(s2, NULL, &v->rep, &v->err);
	store_close(s2);
	return NULL;
}

static void verify_done(store *s, struct report *r, struct verify_job *v)
{
	if (v->started)
		pthread_join(v->thread, NULL);
	else
		v->rc = audit_verify(s, NULL, &v->rep, &v->err);
	r->verified = 1;
	r->verify_ok = v->rc == DK_OK;
	r->verify_entries = v->rep.entries;
	snprintf(r->verify_problem, sizeof r->verify_problem, "%s",
		 r->verify_ok ? "" : v->err.msg);
}

/* ---- build ---- */

int report_build(store *s, const struct report_opts *o, struct report **out,
		 dk_error *err)
{
	*out = NULL;
	if (!o->model)
		return dk_fail(err, "no model given"), DK_USAGE;
	if (o->has_since && o->has_until && o->until_ms <= o->since_ms)
		return dk_fail(err, "--until must be later than --since"), DK_USAGE;
	struct report *r = dk_xmalloc(sizeof *r);
	memset(r, 0, sizeof *r);
	r->opts = *o;
	r->model = dk_xstrdup(o->model);
	r->opts.model = r->model;
	r->generated_at = clock_now_ms();
	r->median_wait_secs = NAN;
	struct verify_job vj;
	memset(&vj, 0, sizeof vj);
	vj.path = store_path(s);
	/* without a thread, the check runs after the figures instead */
	if (o->verify)
		vj.started = pthread_create(&vj.thread, NULL, verify_thread, &vj) == 0;

	struct stats_opts so;
	stats_opts_init(&so);
	so.model = r->model;
	so.has_since = o->has_since;
	so.since_ms = o->since_ms;
	so.has_until = o->has_until;
	so.until_ms = o->until_ms;
	so.min_n = o->min_n;
	so.by = o->by;
	so.positive = o->positive;
	so.reference = o->reference;
	int rc = stats_compute(s, &so, &r->st, err);
	if (rc)
		goto fail;
	for (size_t i = 0; i < r->st->nmodels; i++)
		if (!strcmp(r->st->models[i].name, r->model))
			r->sm = &r->st->models[i];
	for (size_t i = 0; i < r->st->nreviewers; i++) {
		r->gold.k += r->st->reviewers[i].gold.k;
		r->gold.n += r->st->reviewers[i].gold.n;
	}

	rc = DK_ERR;
	if (store_begin_read(s, err))
		goto fail;
	db_stmt *st = store_stmt(s, "SELECT id FROM models WHERE name = ?1", err);
	if (!st)
		goto fail_read;
	db_bind_text(st, 1, r->model, -1, DB_STATIC);
	r->model_id = db_step(st) == DB_ROW ? db_col_int64(st, 0) : -1;
	store_done(st);
	if (r->model_id < 0) {
		dk_fail(err, "%s: no model named '%s'", store_path(s), r->model);
		rc = DK_USAGE;
		goto fail_read;
	}
	int64_t lo, hi;
	if (logq_seq_range(s, o->has_since, o->since_ms, o->has_until, o->until_ms,
			   &lo, &hi, err) ||
	    load_batches(s, r, err) || load_policies(s, r, err) ||
	    load_log(s, r, lo, hi, err) || load_open_disputes(s, r, err) ||
	    load_access(s, r, lo, hi, err) || load_head(s, r, hi, err))
		goto fail_read;
	store_rollback(s);
	/* open disputes were added last: list everything by when it was
	 * raised */
	if (r->nwaits)
		dk_sort(r->waits, r->nwaits, sizeof *r->waits, wait_cmp);

	/* drift of the model's latest batch against its reference (bins kept
	 * in the store: computed once per batch); outside any transaction */
	db_stmt *bst = store_stmt(s, "SELECT count(*) FROM batches WHERE model_id = ?1",
				       err);
	int64_t model_batches = 0;
	rc = DK_ERR;
	if (!bst)
		goto fail;
	db_bind_int64(bst, 1, r->model_id);
	if (db_step(bst) == DB_ROW)
		model_batches = db_col_int64(bst, 0);
	if (store_done(bst) != DB_OK) {
		store_fail(s, err, "counting the model's batches");
		goto fail;
	}
	rc = DK_OK;
	/* A failed computation (a store that cannot be written, a lost
	 * connection) is not "one batch": the report says what failed rather
	 * than fail as a whole, since every other figure stands. */
	snprintf(r->drift.why_not, sizeof r->drift.why_not,
		 "the model has one batch, nothing to compare it with");
	if (model_batches > 1) {
		dk_error derr = {{0}};
		if (drift_compute(s, r->model, 0, 0, &r->dr, &derr) == DK_OK)
			r->drift.computed = 1;
		else
			snprintf(r->drift.why_not, sizeof r->drift.why_not,
				 "computing it failed (%s)", derr.msg);
	}
	double v;
	r->error_all.computed = stats_metric(r->st, "error_all", &v) == 0;
	r->fairness.computed = r->sm && r->sm->has_fair;
	if (o->verify)
		verify_done(s, r, &vj);
	find_limits(r);
	*out = r;
	return DK_OK;
fail_read:
	store_rollback(s);
fail:
	if (vj.started)
		pthread_join(vj.thread, NULL);
	report_free(r);
	return rc;
}

void report_free(struct report *r)
{
	if (!r)
		return;
	stats_free(r->st);
	drift_free(r->dr);
	for (size_t i = 0; i < r->nbatches; i++) {
		free(r->batches[i].version);
		free(r->batches[i].file);
		free(r->batches[i].sha256);
		free(r->batches[i].by);
	}
	free(r->batches);
	for (size_t i = 0; i < r->npolicies; i++) {
		free(r->policies[i].by);
		free(r->policies[i].changes);
	}
	free(r->policies);
	free(r->days);
	for (size_t i = 0; i < r->nreasons; i++) {
		free(r->reasons[i].action);
		free(r->reasons[i].reason);
	}
	free(r->reasons);
	for (size_t i = 0; i < r->nwaits; i++) {
		free(r->waits[i].case_id);
		free(r->waits[i].resolved_by);
		free(r->waits[i].label);
		free(r->waits[i].reason);
	}
	free(r->waits);
	for (size_t i = 0; i < r->naccess; i++) {
		free(r->access[i].who);
		free(r->access[i].action);
		free(r->access[i].what);
	}
	free(r->access);
	for (size_t i = 0; i < r->nlimits; i++)
		free(r->limits[i]);
	free(r->limits);
	free(r->model);
	free(r);
}

/* ---- shared text ---- */

const char *report_period_text(const struct report *r, char *buf, size_t len)
{
	char a[32], b[32];
	const struct report_opts *o = &r->opts;
	if (o->has_since && o->has_until)
		snprintf(buf, len, "%s to %s (end excluded)",
			 clock_format_iso(o->since_ms, a, sizeof a),
			 clock_format_iso(o->until_ms, b, sizeof b));
	else if (o->has_since)
		snprintf(buf, len, "from %s to the report's time",
			 clock_format_iso(o->since_ms, a, sizeof a));
	else if (o->has_until)
		snprintf(buf, len, "everything before %s",
			 clock_format_iso(o->until_ms, b, sizeof b));
	else
		snprintf(buf, len, "all time, up to the report's time");
	return buf;
}

const char *report_rate_text(int64_t k, int64_t n, int64_t min_n, char *buf,
			     size_t len)
{
	if (n < min_n || n == 0)
		snprintf(buf, len, "too few");
	else
		snprintf(buf, len, "%.3f", (double)k / (double)n);
	return buf;
}

const char *report_duration_text(double secs, char *buf, size_t len)
{
	if (isnan(secs))
		snprintf(buf, len, "-");
	else if (secs < 120)
		snprintf(buf, len, "%.0f s", secs);
	else if (secs < 7200)
		snprintf(buf, len, "%.0f min", secs / 60);
	else if (secs < 172800)
		snprintf(buf, len, "%.1f h", secs / 3600);
	else
		snprintf(buf, len, "%.1f d", secs / 86400);
	return buf;
}
