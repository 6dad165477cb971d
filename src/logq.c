/* logq.c: the decision log for supervisors: filtered keyset paging by seq,
 * newest first, a case's history, and the table/CSV/JSON Lines formats. */
#include "docket/logq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docket/clock.h"
#include "docket/queue.h"
#include "docket/replay.h"
#include "docket/termsafe.h"
#include "docket/text.h"

/* The columns every log query returns, in logq_row's order. */
#define LOGQ_COLS                                                              \
	"SELECT d.seq, d.at, d.reviewer, d.case_id, d.action, d.model_label,"  \
	" d.label, d.reason, d.note, d.seconds, d.ref_seq, d.detail, d.hash,"  \
	" c.ext_id, m.name"                                                    \
	" FROM decisions d LEFT JOIN cases c ON c.id = d.case_id"              \
	" LEFT JOIN models m ON m.id = c.model_id"

/* The filters that are not the driving index, checked on each entry the
 * walk passes. ?2 = upper seq bound (exclusive), ?3 = lower (inclusive). */
#define LOGQ_REST                                                              \
	" AND d.seq < ?2 AND d.seq >= ?3"                                      \
	" AND (?4 IS NULL OR d.reviewer = ?4)"                                 \
	" AND (?5 IS NULL OR d.action = ?5)"                                   \
	" AND (?6 IS NULL OR c.model_id = ?6)"                                 \
	" AND (?7 IS NULL OR d.label = ?7)"                                    \
	" AND (?8 IS NULL OR instr(lower(d.note), ?8) > 0)"                    \
	" AND (?9 IS NULL OR d.at >= ?9) AND (?10 IS NULL OR d.at < ?10)"      \
	" ORDER BY d.seq DESC LIMIT ?11"

/* One statement per driving index. Each walks its index backwards from ?2
 * and stops after ?11 matches: a seek, then a walk, never an OFFSET. */
static const char logq_sql_seq[] = LOGQ_COLS " WHERE ?1 IS NULL" LOGQ_REST;
static const char logq_sql_reviewer[] =
	LOGQ_COLS " WHERE d.reviewer = ?1" LOGQ_REST;
static const char logq_sql_action[] = LOGQ_COLS " WHERE d.action = ?1" LOGQ_REST;
/* The (few) cases with the asked id, one per model: decisions_case. */
static const char logq_sql_case[] =
	LOGQ_COLS " WHERE d.case_id IN (SELECT value FROM json_each(?1))" LOGQ_REST;

enum logq_driver { LOGQ_BY_SEQ, LOGQ_BY_REVIEWER, LOGQ_BY_ACTION, LOGQ_BY_CASE };

struct logq {
	store *s;
	struct logq_filter f;
	enum logq_driver driver;
	int64_t model_id; /* 0: any */
	char *case_ids;   /* JSON array of cases.id for the case filter */
	char *text_lower; /* the note filter, lower-cased */
	int64_t lo;       /* lowest seq that can match (inclusive) */
	int64_t hi;       /* highest seq that can match + 1 */
};

void logq_entry_clear(struct logq_entry *e)
{
	free(e->reviewer);
	free(e->ext_id);
	free(e->model);
	free(e->action);
	free(e->model_label);
	free(e->label);
	free(e->reason);
	free(e->note);
	free(e->hash);
	free(e->detail);
	memset(e, 0, sizeof *e);
}

void logq_page_clear(struct logq_page *p)
{
	for (size_t i = 0; i < p->n; i++)
		logq_entry_clear(&p->e[i]);
	p->n = 0;
	p->next_before = 0;
	p->at_end = 0;
}

static char *logq_col_dup(db_stmt *st, int i)
{
	if (db_col_type(st, i) == DB_NULL)
		return NULL;
	const unsigned char *t = db_col_text(st, i);
	return dk_xstrdup(t ? (const char *)t : "");
}

/* Append the current row of a LOGQ_COLS statement to page. */
static void logq_row(db_stmt *st, struct logq_page *p)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->e = dk_xrealloc(p->e, p->cap * sizeof *p->e);
	}
	struct logq_entry *e = &p->e[p->n++];
	memset(e, 0, sizeof *e);
	e->seq = db_col_int64(st, 0);
	e->at = db_col_int64(st, 1);
	e->reviewer = logq_col_dup(st, 2);
	e->case_row = db_col_int64(st, 3);
	e->action = logq_col_dup(st, 4);
	e->model_label = logq_col_dup(st, 5);
	e->label = logq_col_dup(st, 6);
	e->reason = logq_col_dup(st, 7);
	e->note = logq_col_dup(st, 8);
	if (db_col_type(st, 9) != DB_NULL) {
		e->has_seconds = 1;
		e->seconds = db_col_double(st, 9);
	}
	e->ref_seq = db_col_int64(st, 10);
	e->detail = logq_col_dup(st, 11);
	e->hash = logq_col_dup(st, 12);
	e->ext_id = logq_col_dup(st, 13);
	e->model = logq_col_dup(st, 14);
}

/* One seek in decisions_at: the first (or, with last, the last) seq whose
 * time is >= ms (or < ms). Returns the seq, or -1 when none, -2 on error. */
static int64_t logq_seq_at(store *s, int64_t ms, int last, dk_error *err)
{
	db_stmt *st =
		last ? store_stmt(s,
				  "SELECT seq FROM decisions WHERE at < ?1"
				  " ORDER BY at DESC, seq DESC LIMIT 1",
				  err)
		     : store_stmt(s,
				  "SELECT seq FROM decisions WHERE at >= ?1"
				  " ORDER BY at, seq LIMIT 1",
				  err);
	if (!st)
		return -2;
	db_bind_int64(st, 1, ms);
	int64_t seq = -1;
	int rc = db_step(st);
	if (rc == DB_ROW)
		seq = db_col_int64(st, 0);
	else if (rc != DB_DONE)
		seq = -2;
	store_done(st);
	if (seq == -2)
		store_fail(s, err, "reading the log's times");
	return seq;
}

int logq_seq_range(store *s, int has_since, int64_t since_ms, int has_until,
		   int64_t until_ms, int64_t *lo, int64_t *hi, dk_error *err)
{
	*lo = 0;
	*hi = INT64_MAX;
	if (has_since) {
		int64_t seq = logq_seq_at(s, since_ms, 0, err);
		if (seq == -2)
			return DK_ERR;
		if (seq == -1)
			*hi = 0; /* nothing that recent */
		else
			*lo = seq;
	}
	if (has_until) {
		int64_t seq = logq_seq_at(s, until_ms, 1, err);
		if (seq == -2)
			return DK_ERR;
		if (seq == -1)
			*hi = 0;
		else if (seq + 1 < *hi)
			*hi = seq + 1;
	}
	if (*hi < *lo)
		*hi = *lo;
	return DK_OK;
}

int logq_open(logq **out, store *s, const struct logq_filter *f, dk_error *err)
{
	*out = NULL;
	logq *q = dk_xmalloc(sizeof *q);
	memset(q, 0, sizeof *q);
	q->s = s;
	q->f = *f;
	q->lo = 0;
	q->hi = INT64_MAX;
	db_stmt *st;
	if (f->model) {
		st = store_stmt(s, "SELECT id FROM models WHERE name = ?1", err);
		if (!st)
			goto fail;
		db_bind_text(st, 1, f->model, -1, DB_STATIC);
		if (db_step(st) == DB_ROW)
			q->model_id = db_col_int64(st, 0);
		if (store_done(st) != DB_OK) {
			store_fail(s, err, "reading the model");
			goto fail;
		}
		if (!q->model_id) {
			dk_fail(err, "%s: no model named '%s'", store_path(s), f->model);
			logq_close(q);
			return DK_USAGE;
		}
	}
	if (f->case_id) {
		/* One seek per model in the (model_id, ext_id) unique index.
		 * The JSON array built with group_concat: both engines have
		 * it (json_group_array is SQLite's only). */
		st = store_stmt(s,
				"SELECT '[' || coalesce(group_concat("
				"CAST(c.id AS TEXT)), '') || ']' FROM models m"
				" JOIN cases c ON c.model_id = m.id AND c.ext_id = ?1"
				" WHERE ?2 = 0 OR m.id = ?2",
				err);
		if (!st)
			goto fail;
		db_bind_text(st, 1, f->case_id, -1, DB_STATIC);
		db_bind_int64(st, 2, q->model_id);
		int rc = db_step(st);
		if (rc == DB_ROW)
			q->case_ids = logq_col_dup(st, 0);
		store_done(st);
		if (rc != DB_ROW && rc != DB_DONE) {
			/* not "no entries": the lookup failed */
			store_fail(s, err, "finding the case");
			goto fail;
		}
		if (!q->case_ids)
			q->case_ids = dk_xstrdup("[]");
		q->driver = LOGQ_BY_CASE;
	} else if (f->reviewer) {
		q->driver = LOGQ_BY_REVIEWER;
	} else if (f->action) {
		q->driver = LOGQ_BY_ACTION;
	} else {
		q->driver = LOGQ_BY_SEQ;
	}
	if (f->text) {
		q->text_lower = dk_xstrdup(f->text);
		for (char *p = q->text_lower; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
	}
	if (logq_seq_range(s, f->has_since, f->since_ms, f->has_until,
			   f->until_ms, &q->lo, &q->hi, err))
		goto fail;
	/* The walk starts at the head as of now: entries appended later show
	 * when the caller opens a new query (a refresh). */
	int64_t head;
	if (logq_head(s, &head, err))
		goto fail;
	if (head + 1 < q->hi)
		q->hi = head + 1;
	if (q->hi < q->lo)
		q->hi = q->lo;
	*out = q;
	return DK_OK;
fail:
	logq_close(q);
	return DK_ERR;
}

void logq_close(logq *q)
{
	if (!q)
		return;
	free(q->case_ids);
	free(q->text_lower);
	free(q);
}

/* Run the driving statement over seq in [lower, upper), appending up to
 * limit entries. Returns the number appended, or -1 on error. */
static long logq_window(logq *q, int64_t lower, int64_t upper, size_t limit,
			struct logq_page *page, dk_error *err)
{
	static const char *const sql[] = {
		[LOGQ_BY_SEQ] = logq_sql_seq,
		[LOGQ_BY_REVIEWER] = logq_sql_reviewer,
		[LOGQ_BY_ACTION] = logq_sql_action,
		[LOGQ_BY_CASE] = logq_sql_case,
	};
	db_stmt *st = store_stmt(q->s, sql[q->driver], err);
	if (!st)
		return -1;
	switch (q->driver) {
	case LOGQ_BY_SEQ: break;
	case LOGQ_BY_REVIEWER:
		db_bind_text(st, 1, q->f.reviewer, -1, DB_STATIC);
		break;
	case LOGQ_BY_ACTION:
		db_bind_text(st, 1, q->f.action, -1, DB_STATIC);
		break;
	case LOGQ_BY_CASE:
		db_bind_text(st, 1, q->case_ids, -1, DB_STATIC);
		break;
	}
	db_bind_int64(st, 2, upper);
	db_bind_int64(st, 3, lower);
	if (q->f.reviewer)
		db_bind_text(st, 4, q->f.reviewer, -1, DB_STATIC);
	if (q->f.action)
		db_bind_text(st, 5, q->f.action, -1, DB_STATIC);
	if (q->model_id)
		db_bind_int64(st, 6, q->model_id);
	if (q->f.label)
		db_bind_text(st, 7, q->f.label, -1, DB_STATIC);
	if (q->text_lower)
		db_bind_text(st, 8, q->text_lower, -1, DB_STATIC);
	if (q->f.has_since)
		db_bind_int64(st, 9, q->f.since_ms);
	if (q->f.has_until)
		db_bind_int64(st, 10, q->f.until_ms);
	db_bind_int64(st, 11, (int64_t)limit);
	long n = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		logq_row(st, page);
		n++;
	}
	store_done(st);
	if (rc != DB_DONE) {
		store_fail(q->s, err, "reading the log");
		return -1;
	}
	return n;
}

int logq_page(logq *q, int64_t before, size_t limit, int64_t budget,
	      struct logq_page *page, dk_error *err)
{
	logq_page_clear(page);
	int64_t upper = before < q->hi ? before : q->hi;
	int64_t left = budget;
	while (page->n < limit) {
		if (upper <= q->lo)
			break;
		int64_t lower = q->lo;
		if (budget > 0 && upper - left > lower)
			lower = upper - left;
		size_t want = limit - page->n;
		long got = logq_window(q, lower, upper, want, page, err);
		if (got < 0)
			return DK_ERR;
		if ((size_t)got == want) {
			upper = page->e[page->n - 1].seq;
			break;
		}
		/* The window is exhausted. */
		left -= upper - lower;
		upper = lower;
		if (budget > 0 && left <= 0)
			break;
	}
	page->next_before = upper;
	page->at_end = upper <= q->lo;
	return DK_OK;
}

int logq_explain(logq *q, sbuf *out, dk_error *err)
{
	static const char *const sql[] = {
		[LOGQ_BY_SEQ] = logq_sql_seq,
		[LOGQ_BY_REVIEWER] = logq_sql_reviewer,
		[LOGQ_BY_ACTION] = logq_sql_action,
		[LOGQ_BY_CASE] = logq_sql_case,
	};
	return store_explain(q->s, sql[q->driver], out, err);
}

int logq_action_known(const char *a)
{
	return a && replay_action_known(a);
}

const char *logq_actions_text(void)
{
	return replay_actions_text();
}

int logq_head(store *s, int64_t *seq, dk_error *err)
{
	*seq = 0;
	db_stmt *st = store_stmt(s, "SELECT max(seq) FROM decisions", err);
	if (!st)
		return DK_ERR;
	if (db_step(st) == DB_ROW)
		*seq = db_col_int64(st, 0);
	if (store_done(st) != DB_OK)
		return store_fail(s, err, "reading the log's head");
	return DK_OK;
}

int logq_case_history(store *s, int64_t case_row, struct logq_page *page,
		      dk_error *err)
{
	logq_page_clear(page);
	db_stmt *st = store_stmt(
		s, LOGQ_COLS " WHERE d.case_id = ?1 ORDER BY d.seq", err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, case_row);
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		logq_row(st, page);
	store_done(st);
	page->at_end = 1;
	if (rc != DB_DONE)
		return store_fail(s, err, "reading a case's history");
	return DK_OK;
}

int logq_format_parse(const char *name, enum logq_format *out)
{
	if (!strcmp(name, "table"))
		*out = LOGQ_TABLE;
	else if (!strcmp(name, "csv"))
		*out = LOGQ_CSV;
	else if (!strcmp(name, "jsonl"))
		*out = LOGQ_JSONL;
	else
		return 1;
	return 0;
}

static const char *const logq_fields[] = {
	"seq",   "at",     "reviewer", "id",      "model", "action", "model_label",
	"label", "reason", "note",     "seconds", "hash",  "ref_seq"};
#define LOGQ_NFIELDS (sizeof logq_fields / sizeof logq_fields[0])

void logq_format_header(sbuf *b, enum logq_format fmt)
{
	switch (fmt) {
	case LOGQ_TABLE:
		sbuf_printf(b, "%8s  %-20s  %-12s  %-14s  %-10s  %-8s  %-21s  %-12s  %6s  %s\n",
			    "seq", "at", "reviewer", "id", "model", "action",
			    "model -> label", "reason", "secs", "note");
		break;
	case LOGQ_CSV:
	case LOGQ_CSV_EXACT:
		for (size_t i = 0; i < LOGQ_NFIELDS; i++) {
			if (i)
				sbuf_addc(b, ',');
			sbuf_adds(b, logq_fields[i]);
		}
		sbuf_addc(b, '\n');
		break;
	case LOGQ_JSONL: break;
	}
}

void logq_csv_field(sbuf *b, const char *s, int guard)
{
	if (!s)
		return;
	int q = guard && dk_csv_formula_like(s, strlen(s));
	if (!strpbrk(s, ",\"\r\n")) {
		if (q)
			sbuf_addc(b, '\'');
		sbuf_adds(b, s);
		return;
	}
	sbuf_addc(b, '"');
	if (q)
		sbuf_addc(b, '\'');
	for (; *s; s++) {
		if (*s == '"')
			sbuf_addc(b, '"');
		sbuf_addc(b, *s);
	}
	sbuf_addc(b, '"');
}

void logq_cell(sbuf *b, const char *s, int width, int right)
{
	if (!s)
		s = "";
	size_t n = strlen(s);
	int total = text_width(s, n), used = 0;
	size_t keep = text_cut(s, n, total > width ? width - 1 : width, &used);
	int pad = width - used - (total > width);
	for (int i = 0; right && i < pad; i++)
		sbuf_addc(b, ' ');
	/* text_cut measured controls at the width of their visible text */
	termsafe_add(b, s, keep, 0);
	if (total > width)
		sbuf_addc(b, '~');
	for (int i = 0; !right && i < pad; i++)
		sbuf_addc(b, ' ');
}

void logq_format_entry(sbuf *b, enum logq_format fmt, const struct logq_entry *e)
{
	char at[32];
	clock_format_iso(e->at, at, sizeof at);
	char secs[32] = "";
	if (e->has_seconds)
		snprintf(secs, sizeof secs, "%.1f", e->seconds);
	switch (fmt) {
	case LOGQ_TABLE: {
		sbuf_printf(b, "%8lld  %s  ", (long long)e->seq, at);
		logq_cell(b, e->reviewer, 12, 0);
		sbuf_adds(b, "  ");
		logq_cell(b, e->ext_id, 14, 0);
		sbuf_adds(b, "  ");
		logq_cell(b, e->model, 10, 0);
		sbuf_adds(b, "  ");
		logq_cell(b, e->action, 8, 0);
		sbuf_adds(b, "  ");
		sbuf labels = {0};
		if (e->model_label || e->label)
			sbuf_printf(&labels, "%s -> %s",
				    e->model_label ? e->model_label : "-",
				    e->label ? e->label : "-");
		logq_cell(b, sbuf_str(&labels), 21, 0);
		sbuf_free(&labels);
		sbuf_adds(b, "  ");
		logq_cell(b, e->reason, 12, 0);
		sbuf_printf(b, "  %6s  ", secs);
		logq_cell(b, e->note, 40, 0);
		/* Trailing pad is noise in a terminal: trim it. */
		while (b->len && b->buf[b->len - 1] == ' ')
			b->buf[--b->len] = '\0';
		sbuf_addc(b, '\n');
		break;
	}
	case LOGQ_CSV:
	case LOGQ_CSV_EXACT: {
		sbuf_printf(b, "%lld,%s,", (long long)e->seq, at);
		const char *f[] = {e->reviewer, e->ext_id, e->model, e->action,
				   e->model_label, e->label, e->reason, e->note};
		for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
			logq_csv_field(b, f[i], fmt == LOGQ_CSV);
			sbuf_addc(b, ',');
		}
		sbuf_printf(b, "%s,%s,", secs, e->hash ? e->hash : "");
		if (e->ref_seq)
			sbuf_printf(b, "%lld", (long long)e->ref_seq);
		sbuf_addc(b, '\n');
		break;
	}
	case LOGQ_JSONL: {
		sbuf_printf(b, "{\"seq\":%lld,\"at\":\"%s\"", (long long)e->seq, at);
		const char *names[] = {"reviewer", "id",    "model",  "action",
				       "model_label", "label", "reason", "note"};
		const char *vals[] = {e->reviewer, e->ext_id, e->model, e->action,
				      e->model_label, e->label, e->reason, e->note};
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
			sbuf_printf(b, ",\"%s\":", names[i]);
			if (vals[i])
				sbuf_add_json_str(b, vals[i], strlen(vals[i]));
			else
				sbuf_adds(b, "null");
		}
		sbuf_adds(b, ",\"seconds\":");
		if (e->has_seconds)
			sbuf_add_json_num(b, e->seconds);
		else
			sbuf_adds(b, "null");
		sbuf_adds(b, ",\"hash\":");
		sbuf_add_json_str(b, e->hash ? e->hash : "", e->hash ? strlen(e->hash) : 0);
		if (e->ref_seq)
			sbuf_printf(b, ",\"ref_seq\":%lld", (long long)e->ref_seq);
		else
			sbuf_adds(b, ",\"ref_seq\":null");
		/* detail is JSON (reveal and export entries) */
		if (e->detail && *e->detail)
			sbuf_printf(b, ",\"detail\":%s", e->detail);
		sbuf_adds(b, "}\n");
		break;
	}
	}
}

int logq_is_supervisor(store *s, const char *name, dk_error *err)
{
	db_stmt *st = store_stmt(s, "SELECT role FROM reviewers WHERE name = ?1", err);
	if (!st)
		return -1;
	db_bind_text(st, 1, name, -1, DB_STATIC);
	int yes = 0;
	int rc = db_step(st);
	if (rc == DB_ROW)
		yes = !strcmp((const char *)db_col_text(st, 0), "supervisor");
	store_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return store_fail(s, err, "reading reviewers"), -1;
	return yes;
}
