/* view_sup_health.c: the supervisor's Reviewers, Model and Audit tabs:
 * figures from stats.c drawn as tables, bars and sparklines, and the audit
 * chain's state with the latest exports and reveals. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docket/anchor.h"
#include "docket/clock.h"
#include "docket/text.h"
#include "docket/theme.h"
#include "docket/view_sup.h"

void sup_draw_reviewers(sup *c, screen *scr, int y0, int y1);
void sup_draw_model(sup *c, screen *scr, int y0, int y1);
void sup_draw_audit(sup *c, screen *scr, int y0, int y1);
void sup_load_stats(sup *c);
void sup_load_audit(sup *c, int verify); /* 0 no, 1 quick, 2 full */
void sup_detail_words(sup *c, const struct logq_entry *e, sbuf *out);

void sup_load_stats(sup *c)
{
	struct stats_opts o;
	stats_opts_init(&o);
	o.by = sup_by_field(c, &o.by_width);
	if (o.by && c->positive[0])
		o.positive = c->positive; /* the Fairness view's */
	dk_error err = {{0}};
	stats_free(c->st);
	c->st = NULL;
	if (stats_compute(c->s, &o, &c->st, &err)) {
		snprintf(c->status, sizeof c->status, "%s", err.msg);
		c->status_role = THEME_ROLE_ERROR;
	}
	if (c->st && c->model_i >= c->st->nmodels)
		c->model_i = 0;
}

/* "0.250" or "few(n)" for a rate, SCREEN_MISSING when there is none. */
static const char *sup_rate(struct stats_rate r, int64_t min_n, char *buf, size_t len)
{
	if (r.n == 0)
		snprintf(buf, len, "%s", SCREEN_MISSING);
	else if (r.n < min_n)
		snprintf(buf, len, "few(%lld)", (long long)r.n);
	else
		snprintf(buf, len, "%.3f", (double)r.k / (double)r.n);
	return buf;
}

/* The table under the Reviewers tab's two heading lines: a line per
 * reviewer, then agreement. */
static void sup_lines_reviewers(sup *c, screen *scr, struct screen_lines *l)
{
	const struct stats *st = c->st;
	int64_t mn = st->opts.min_n;
	char a[32], b[32], d[32], e[32], f[32], g[32], n1[64];
	int y;
	for (size_t i = 0; i < st->nreviewers; i++) {
		const struct stats_reviewer *r = &st->reviewers[i];
		if ((y = screen_lines_next(l)) < 0)
			continue;
		if (isnan(r->median_secs))
			snprintf(d, sizeof d, "%s", SCREEN_MISSING);
		else
			snprintf(d, sizeof d, "%.1f", r->median_secs);
		sbuf line = {0};
		logq_cell(&line, r->name, 12, 0);
		sbuf_printf(&line, " %6lld %-8s", (long long)r->decisions,
			    sup_rate(r->override, mn, a, sizeof a));
		screen_put_cut(scr, y, 0, -1, THEME_ROLE_NORMAL, 0, sbuf_str(&line), TEXT_NUL);
		sbuf_free(&line);
		sup_bar(scr, y, 29, 20, stats_rate_value(r->override, mn));
		sup_printf(scr, y, 51, -1, THEME_ROLE_NORMAL, 0, "%-8s %6s %-8s %-8s %-8s",
			      sup_rate(r->escalate, mn, b, sizeof b), d,
			      sup_rate(r->fast, mn, e, sizeof e),
			      sup_rate(r->gold, mn, f, sizeof f),
			      sup_rate(r->agree, mn, g, sizeof g));
	}
	screen_lines_next(l);
	if ((y = screen_lines_next(l)) >= 0) {
		screen_count(n1, sizeof n1, st->fleiss_n, "case", "cases");
		if (isnan(st->fleiss_kappa))
			snprintf(a, sizeof a, "%s", st->fleiss_n ? "too few" : SCREEN_MISSING);
		else
			snprintf(a, sizeof a, "%.3f", st->fleiss_kappa);
		sup_printf(scr, y, 0, -1, THEME_ROLE_RULE, SCREEN_BOLD,
			      "agreement: Fleiss' kappa %s over %s with two or more reviewers",
			      a, n1);
	}
	for (size_t i = 0; i < st->npairs; i++) {
		const struct stats_pair *p = &st->pairs[i];
		if ((y = screen_lines_next(l)) < 0)
			continue;
		if (isnan(p->kappa))
			snprintf(a, sizeof a, "%s", p->n < mn ? "too few" : "undefined");
		else
			snprintf(a, sizeof a, "%.3f", p->kappa);
		sbuf line = {0};
		logq_cell(&line, st->reviewers[p->a].name, 12, 0);
		sbuf_adds(&line, " with ");
		logq_cell(&line, st->reviewers[p->b].name, 12, 0);
		sbuf_printf(&line, "  %5lld shared  Cohen's kappa %s", (long long)p->n, a);
		screen_put_cut(scr, y, 2, -1, THEME_ROLE_NORMAL, 0, sbuf_str(&line), TEXT_NUL);
		sbuf_free(&line);
	}
}

void sup_draw_reviewers(sup *c, screen *scr, int y0, int y1)
{
	const struct stats *st = c->st;
	if (!st) {
		screen_put_cut(scr, y0 + 1, 2, -1, THEME_ROLE_ERROR, 0, "no figures", TEXT_NUL);
		return;
	}
	char n[64];
	sup_printf(scr, y0, 0, -1, THEME_ROLE_DIM, 0,
		      "fewer than %s: shown as few(n); fast = accept under %gs",
		      screen_count(n, sizeof n, st->opts.min_n, "case", "cases"),
		      st->opts.fast_secs);
	sup_printf(scr, y0 + 1, 0, -1, THEME_ROLE_RULE, SCREEN_BOLD,
		      "%-12s %6s %-8s %-21s %-8s %6s %-8s %-8s %-8s", "reviewer", "decis.",
		      "override", "", "escalate", "med s", "fast", "gold", "agree");
	sup_scrolled(c, scr, y0 + 2, y1, &c->tscroll[SUPT_REV], sup_lines_reviewers);
}

/* A list of bins as "key  rate bar (k/n)" lines. */
static void sup_bins(struct screen_lines *l, screen *scr, const struct stats_bin *bins,
		     size_t n, int64_t mn)
{
	char a[32];
	for (size_t i = 0; i < n; i++) {
		if (!bins[i].r.n)
			continue;
		int y = screen_lines_next(l);
		if (y < 0)
			continue;
		sbuf line = {0};
		logq_cell(&line, bins[i].key, 16, 0);
		sbuf_printf(&line, " %-8s", sup_rate(bins[i].r, mn, a, sizeof a));
		screen_put_cut(scr, y, 2, -1, THEME_ROLE_NORMAL, 0, sbuf_str(&line), TEXT_NUL);
		sbuf_free(&line);
		sup_bar(scr, y, 28, 24, stats_rate_value(bins[i].r, mn));
		sup_printf(scr, y, 54, -1, THEME_ROLE_DIM, 0, "%lld/%lld",
			      (long long)bins[i].r.k, (long long)bins[i].r.n);
	}
}

static void sup_lines_model(sup *c, screen *scr, struct screen_lines *l)
{
	const struct stats *st = c->st;
	const struct stats_model *m = &st->models[c->model_i];
	int64_t mn = st->opts.min_n;
	char a[32], n1[64];
	int y;
	if ((y = screen_lines_next(l)) >= 0)
		sup_printf(scr, y, 0, -1, THEME_ROLE_TITLE, SCREEN_BOLD,
			      "model %s (%zu of %zu): %lld reviewed, override rate %s",
			      m->name, c->model_i + 1, st->nmodels, (long long)m->override.n,
			      sup_rate(m->override, mn, a, sizeof a));
	if ((y = screen_lines_next(l)) >= 0) {
		screen_count(n1, sizeof n1, m->unreviewed, "prediction", "predictions");
		if (m->audit.n)
			sup_printf(scr, y, 0, -1, THEME_ROLE_NORMAL, 0,
				      "unreviewed error: %s of %lld audited, 95%% Wilson %.4f-%.4f; "
				      "%s unreviewed",
				      sup_rate(m->audit, mn, a, sizeof a), (long long)m->audit.n,
				      m->err_lo, m->err_hi, n1);
		else
			sup_printf(scr, y, 0, -1, THEME_ROLE_DIM, 0,
				      "unreviewed error: no audit-sampled case reviewed yet; "
				      "%s unreviewed", n1);
	}
	if ((y = screen_lines_next(l)) >= 0)
		screen_put_cut(scr, y, 0, -1, THEME_ROLE_RULE, SCREEN_BOLD,
			   "confusion: rows the model's label, columns the final human label",
			   TEXT_NUL);
	if ((y = screen_lines_next(l)) >= 0) {
		int x = 18;
		for (size_t k = 0; k < m->nlabels && x < scr->w; k++, x += 11)
			screen_printf(scr, y, x, 10, THEME_ROLE_FIELD, 0, "%10.10s", m->labels[k]);
	}
	for (size_t j = 0; j < m->nlabels; j++) {
		if ((y = screen_lines_next(l)) < 0)
			continue;
		screen_printf(scr, y, 2, 16, THEME_ROLE_FIELD, 0, "%s", m->labels[j]);
		int x = 18;
		for (size_t k = 0; k < m->nlabels && x < scr->w; k++, x += 11)
			screen_printf(scr, y, x, 10, j == k ? THEME_ROLE_POS : THEME_ROLE_NEG, 0,
				      "%10lld", (long long)m->confusion[j * m->nlabels + k]);
	}
	if ((y = screen_lines_next(l)) >= 0)
		screen_put_cut(scr, y, 0, -1, THEME_ROLE_RULE, SCREEN_BOLD,
			   "override rate by confidence (is confidence calibrated against people?)",
			   TEXT_NUL);
	sup_bins(l, scr, m->conf, STATS_CONF_BINS, mn);
	if (m->ndays) {
		/* two lines whether or not they are in sight: the count of
		 * lines never depends on the scroll */
		if ((y = screen_lines_next(l)) >= 0)
			sup_printf(scr, y, 0, -1, THEME_ROLE_RULE, SCREEN_BOLD,
				      "override rate per day, %s to %s", m->days[0].key,
				      m->days[m->ndays - 1].key);
		if ((y = screen_lines_next(l)) >= 0) {
			int room = scr->w - 2;
			size_t from = m->ndays > (size_t)room ? m->ndays - (size_t)room : 0;
			double *v = calloc(m->ndays, sizeof *v);
			for (size_t i = from; i < m->ndays; i++)
				v[i - from] = stats_rate_value(m->days[i].r, mn);
			sup_spark(scr, y, 2, v, m->ndays - from);
			free(v);
		}
	}
	if (st->opts.by) {
		if ((y = screen_lines_next(l)) >= 0)
			sup_printf(scr, y, 0, -1, THEME_ROLE_RULE, SCREEN_BOLD,
				      "override rate by %s%s", st->opts.by,
				      m->by_numeric ? " (bins [lo, hi))" : "");
		sup_bins(l, scr, m->groups, m->ngroups, mn);
	} else if ((y = screen_lines_next(l)) >= 0) {
		screen_put_cut(scr, y, 0, -1, THEME_ROLE_DIM, 0,
			   "f: override rate by a context field (e.g. Marital, Age or Age:10)",
			   TEXT_NUL);
	}
}

void sup_draw_model(sup *c, screen *scr, int y0, int y1)
{
	const struct stats *st = c->st;
	if (!st || !st->nmodels) {
		screen_put_cut(scr, y0 + 1, 2, -1, THEME_ROLE_DIM, 0, "no model in this store",
			   TEXT_NUL);
		return;
	}
	sup_scrolled(c, scr, y0, y1, &c->tscroll[SUPT_MODEL], sup_lines_model);
}

/* verify: 0 only reads the head and the record, 1 checks the entries after
 * the record (quick), 2 every entry; an intact chain is recorded. */
void sup_load_audit(sup *c, int verify)
{
	dk_error err = {{0}};
	c->verified = 0; /* a result shown is from this load: never stale */
	if (verify) {
		memset(&c->rep, 0, sizeof c->rep);
		int rc = verifymark_check(c->s, verify == 2, &c->verify_full, &c->rep, &err);
		c->verified = rc == DK_OK ? 1 : -1;
		if (rc != DK_OK && !c->rep.problem[0]) { /* a store error, not a break */
			c->verified = 0;
			snprintf(c->status, sizeof c->status, "%s", err.msg);
			c->status_role = THEME_ROLE_ERROR;
		}
	}
	if (audit_head(c->s, &c->head_seq, c->head_hash, &err) ||
	    verifymark_get(c->s, &c->mark, &err) ||
	    anchor_latest(c->s, &c->anchor_seq, c->anchor_by, &c->anchor_after, &err)) {
		snprintf(c->status, sizeof c->status, "%s", err.msg);
		c->status_role = THEME_ROLE_ERROR;
	}
	const char *acts[2] = {ACTION_EXPORT, ACTION_REVEAL};
	struct logq_page *pages[2] = {&c->exports, &c->reveals};
	for (int i = 0; i < 2; i++) {
		struct logq_filter f = {0};
		f.action = acts[i];
		logq *q = NULL;
		logq_page_clear(pages[i]);
		if (logq_open(&q, c->s, &f, &err) == DK_OK)
			logq_page(q, LOGQ_NEWEST, 8, 0, pages[i], &err);
		logq_close(q);
	}
}

/* An audit entry's detail (JSON) in words, appended to out. */
typedef void sup_words_fn(sup *c, const struct logq_entry *e, sbuf *out);

/* An export: "12 rows, csv, to /path/file.csv". */
static void sup_export_words(sup *c, const struct logq_entry *e, sbuf *out)
{
	db_stmt *st = store_stmt(c->s,
				      "SELECT json_extract(?1, '$.rows'),"
				      " json_extract(?1, '$.format'),"
				      " json_extract(?1, '$.file')"
				      " WHERE json_valid(?1)",
				      NULL);
	int done = 0;
	if (st) {
		db_bind_text(st, 1, e->detail, -1, DB_STATIC);
		/* JSON taken apart in memory: a failed read shows as missing */
		if (db_step(st) == DB_ROW) {
			char rows[64];
			screen_count(rows, sizeof rows, db_col_int64(st, 0), "row",
				     "rows");
			sbuf_printf(out, "%s, %s, to %s", rows,
				    screen_or_missing((const char *)db_col_text(st, 1)),
				    screen_or_missing((const char *)db_col_text(st, 2)));
			done = 1;
		}
		store_done(st);
	}
	if (!done)
		sbuf_adds(out, SCREEN_MISSING);
}

/* A reveal: the personal fields shown, "name, phone". */
static void sup_reveal_words(sup *c, const struct logq_entry *e, sbuf *out)
{
	db_stmt *st = store_stmt(c->s,
				      "SELECT group_concat(CASE WHEN substr(atom, 1, 4) = 'pii:'"
				      " THEN substr(atom, 5) ELSE atom END, ', ')"
				      " FROM json_each(CASE WHEN json_valid(?1) THEN ?1"
				      " ELSE '{}' END, '$.fields')",
				      NULL);
	const char *words = NULL;
	if (st) {
		db_bind_text(st, 1, e->detail, -1, DB_STATIC);
		/* JSON taken apart in memory: a failed read shows as missing */
		if (db_step(st) == DB_ROW)
			words = (const char *)db_col_text(st, 0);
		sbuf_adds(out, screen_or_missing(words));
		store_done(st);
	} else {
		sbuf_adds(out, SCREEN_MISSING);
	}
}

void sup_detail_words(sup *c, const struct logq_entry *e, sbuf *out)
{
	if (!e->detail || !e->action)
		return;
	if (!strcmp(e->action, ACTION_REVEAL))
		sup_reveal_words(c, e, out);
	else if (!strcmp(e->action, ACTION_EXPORT))
		sup_export_words(c, e, out);
}

/* A titled list of audit entries: seq, time, who, the case (reveals), and
 * the detail in words. */
static void sup_audit_list(sup *c, screen *scr, struct screen_lines *l, const char *title,
			   const struct logq_page *p, int with_case, sup_words_fn *words)
{
	int y;
	if ((y = screen_lines_next(l)) >= 0)
		sup_printf(scr, y, 0, -1, THEME_ROLE_RULE, SCREEN_BOLD, "%s (newest %zu)",
			      title, p->n);
	if (!p->n && (y = screen_lines_next(l)) >= 0)
		screen_put_cut(scr, y, 2, -1, THEME_ROLE_DIM, 0, "none", TEXT_NUL);
	for (size_t i = 0; i < p->n; i++) {
		const struct logq_entry *e = &p->e[i];
		if ((y = screen_lines_next(l)) < 0)
			continue;
		char at[32];
		clock_format_iso(e->at, at, sizeof at);
		sbuf line = {0};
		sbuf_printf(&line, "%6lld %s ", (long long)e->seq, at);
		logq_cell(&line, e->reviewer, 12, 0);
		sbuf_addc(&line, ' ');
		if (with_case) {
			logq_cell(&line, screen_or_missing(e->ext_id), 12, 0);
			sbuf_addc(&line, ' ');
		}
		words(c, e, &line);
		screen_put_cut(scr, y, 2, -1, THEME_ROLE_NORMAL, 0, sbuf_str(&line), TEXT_NUL);
		sbuf_free(&line);
	}
}

/* This session's check, on row y. */
static void sup_audit_result(sup *c, screen *scr, int y)
{
	if (c->verified == 0)
		screen_put_cut(scr, y, 0, -1, THEME_ROLE_DIM, 0,
			   c->mark.seq > 0
				   ? "v checks the entries since then; V re-verifies every entry"
				   : "v or V verifies every entry now",
			   TEXT_NUL);
	else if (c->verified > 0 && c->verify_full)
		sup_printf(scr, y, 0, -1, THEME_ROLE_STATUS_OK, SCREEN_BOLD,
			      "chain intact: verified every entry (%lld), up to entry %lld (%.16s...)",
			      (long long)c->rep.entries, (long long)c->rep.head_seq,
			      c->rep.head_hash);
	else if (c->verified > 0)
		sup_printf(scr, y, 0, -1, THEME_ROLE_STATUS_OK, SCREEN_BOLD,
			      "new entries intact: %lld after the verified head chain to it, "
			      "up to entry %lld (%.16s...)",
			      (long long)(c->rep.entries - 1), (long long)c->rep.head_seq,
			      c->rep.head_hash);
	else
		sup_printf(scr, y, 0, -1, THEME_ROLE_ERROR, SCREEN_BOLD,
			      "CHAIN BROKEN at entry %lld (%s check)", (long long)c->rep.bad_seq,
			      c->verify_full ? "full" : "quick");
}

/* The chain's head, the verification on record and this session's. */
static void sup_audit_state(sup *c, screen *scr, struct screen_lines *l)
{
	char n[64];
	int y;
	if ((y = screen_lines_next(l)) >= 0)
		sup_printf(scr, y, 0, -1, THEME_ROLE_TITLE, SCREEN_BOLD,
			      "head: entry %lld  %s", (long long)c->head_seq, c->head_hash);
	/* the record of the last verification, and what came after it */
	if ((y = screen_lines_next(l)) >= 0 && c->mark.seq > 0) {
		char at[32], full[32] = "never";
		clock_format_iso(c->mark.at, at, sizeof at);
		if (c->mark.full_at)
			clock_format_iso(c->mark.full_at, full, sizeof full);
		int64_t since = c->head_seq - c->mark.seq;
		sup_printf(scr, y, 0, -1, since ? THEME_ROLE_NORMAL : THEME_ROLE_STATUS_OK, 0,
			      "verified up to entry %lld at %s; %s since "
			      "(every entry last re-checked: %s)",
			      (long long)c->mark.seq, at,
			      screen_count(n, sizeof n, since, "entry", "entries"), full);
	} else if (y >= 0) {
		sup_printf(scr, y, 0, -1, THEME_ROLE_DIM, 0, "never verified; %s to check",
			      screen_count(n, sizeof n, c->head_seq, "entry", "entries"));
	}
	if ((y = screen_lines_next(l)) >= 0)
		sup_audit_result(c, scr, y);
	/* the newest signed anchor: what only a supervisor's key can vouch
	 * for, and how much of the log it does not cover yet */
	if ((y = screen_lines_next(l)) >= 0 && c->anchor_seq > 0)
		sup_printf(scr, y, 0, -1, c->anchor_after ? THEME_ROLE_NORMAL
							     : THEME_ROLE_STATUS_OK, 0,
			      "latest anchor: entry %lld, signed by %s; %s after it "
			      "('docket verify --trust' checks the signature)",
			      (long long)c->anchor_seq, c->anchor_by,
			      screen_count(n, sizeof n, c->anchor_after, "entry", "entries"));
	else if (y >= 0)
		sup_printf(scr, y, 0, -1, THEME_ROLE_DIM, 0,
			      "no signed anchor: 'docket anchor' signs the head with a "
			      "supervisor's key");
	if (c->verified < 0 && (y = screen_lines_next(l)) >= 0)
		screen_put_cut(scr, y, 2, -1, THEME_ROLE_ERROR, 0, c->rep.problem, TEXT_NUL);
}

static void sup_lines_audit(sup *c, screen *scr, struct screen_lines *l)
{
	sup_audit_state(c, scr, l);
	screen_lines_next(l);
	sup_audit_list(c, scr, l, "exports", &c->exports, 0, sup_export_words);
	screen_lines_next(l);
	sup_audit_list(c, scr, l, "reveals of personal fields", &c->reveals, 1,
		       sup_reveal_words);
}

void sup_draw_audit(sup *c, screen *scr, int y0, int y1)
{
	sup_scrolled(c, scr, y0, y1, &c->tscroll[SUPT_AUDIT], sup_lines_audit);
}
