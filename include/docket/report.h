/* report.h: `docket report`: one file a risk committee can read, per model
 * and period. report_build gathers every figure into a struct report (no
 * formatting); report_html.c and report_md.c write it; report_write puts
 * the file in place and records it in the audit chain like an export. */
#ifndef DOCKET_REPORT_H
#define DOCKET_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "docket/drift.h"
#include "docket/stats.h"
#include "docket/store.h"
#include "docket/util.h"

/* The audit entry of a report (store-level, like ACTION_EXPORT). */
#define ACTION_REPORT "report"

enum report_format { REPORT_HTML, REPORT_MD };

struct report_opts {
	const char *model;          /* required */
	int has_since, has_until;   /* the period [since, until) */
	int64_t since_ms, until_ms;
	int64_t min_n;              /* figures behind fewer cases: "too few" */
	const char *by, *positive;  /* fairness by this field's groups for
				       this positive label (both or neither;
				       never a pii: field) */
	const char *reference;      /* the reference group, NULL: the largest */
	int verify;                 /* 1: check the whole audit chain */
};

void report_opts_init(struct report_opts *o);

/* The most exports, reveals and reports listed one by one (all counted). */
#define REPORT_MAX_ACCESS 50

/* A batch (import) of the model: those loaded in the period and the last
 * one before it (its cases may be reviewed in the period). */
struct report_batch {
	int64_t id, rows, routed, at;
	char *version, *file, *sha256, *by;
	int forced;
	int in_period; /* imported in [since, until) */
};

/* A policy version in force at some time in the period. */
struct report_policy {
	int64_t version, at;
	char *by;
	char *changes; /* "threshold 0.8 -> 0.7; audit_rate 0 -> 0.05", or
			  "first version", or "" when nothing changed */
};

/* Review volume on one UTC day of the period (the model's cases). */
struct report_day {
	char day[11];
	int64_t accepts, overrides, escalates, skips, resolves;
};

/* A reason code and how often it was given, per action. */
struct report_reason {
	char *action;
	char *reason;
	int64_t n;
};

/* An escalation or dispute: raised in the period, or still open at its end. */
struct report_wait {
	char *case_id;   /* the case id as imported */
	int dispute;     /* 0: escalation, 1: dispute (two reviews disagreed) */
	int64_t raised_at;
	int64_t resolved_at; /* 0: open at the period's end */
	char *resolved_by, *label; /* the resolution (NULL when open) */
	char *reason;    /* the escalation's reason code (NULL for disputes) */
};

/* An export, reveal or report in the period: who saw what. */
struct report_access {
	int64_t seq, at;
	char *who, *action;
	int64_t rows;    /* rows written (exports), -1 when not said */
	char *what;      /* format and file base name, or fields revealed */
};

/* Issue 14's figures (PSI drift per batch, subgroup disparity, the
 * Horvitz-Thompson error over everything scored): computed is 0 when a
 * figure is not known, and the writers say so; why_not says why in words
 * when the reason is not the obvious one (drift: one batch, or a failed
 * computation with its error), else "". */
struct report_pending {
	int computed;
	char why_not[1200];
};

struct report {
	struct report_opts opts;
	char *model;
	int64_t model_id;
	int64_t generated_at;
	struct stats *st;          /* stats_compute for the model and period */
	const struct stats_model *sm; /* st's model (NULL when none reviewed) */
	int64_t scored, routed;    /* cases in batches imported in the period */
	struct report_batch *batches;
	size_t nbatches;
	struct report_policy *policies;
	size_t npolicies;
	struct report_day *days;
	size_t ndays;
	struct report_reason *reasons;
	size_t nreasons;
	struct report_wait *waits;
	size_t nwaits;
	int64_t escalations, disputes, open; /* counts over waits */
	double median_wait_secs;   /* of the resolved ones; NaN when none */
	struct stats_rate gold;    /* right on gold cases, all reviewers */
	struct report_access *access; /* the newest REPORT_MAX_ACCESS, newest
					 first */
	size_t naccess;
	int64_t exports, reveals, reports; /* all of them in the period */
	int64_t head_seq;          /* the chain's head at the period's end */
	char head_hash[65];
	int verified;              /* 1 checked, 0 not asked */
	int verify_ok;
	int64_t verify_entries;
	char verify_problem[1024];
	char **limits;             /* what the report cannot say, in words */
	size_t nlimits;
	struct report_pending drift, fairness, error_all; /* issue 14 */
	struct drift_report *dr; /* the latest batch against the reference,
				    when drift.computed; NULL otherwise */
};

/* Gather every figure for o in read transactions. DK_USAGE when the model
 * does not exist; DK_ERR on store errors. Free with report_free. */
int report_build(store *s, const struct report_opts *o, struct report **out,
		 dk_error *err);
void report_free(struct report *r);

/* The report as a document: the same blocks in the same order for every
 * writer (report_doc.c decides what is said; the writers only how). Every
 * string is plain text from data or docket; writers escape all of it. */
enum rdoc_kind {
	RDOC_SECTION, /* a numbered section (a new page in print) */
	RDOC_SUB,     /* a heading within a section */
	RDOC_PARA,
	RDOC_TABLE,
	RDOC_BARS,    /* a bar chart; its numbers are in the next table */
	RDOC_LINES,   /* a line chart; its numbers are in the next table */
};

struct rdoc_block {
	enum rdoc_kind kind;
	char *text;       /* heading, paragraph, table caption, chart title */
	char *desc;       /* chart: the text alternative */
	size_t ncols, nrows;
	char **cells;     /* table: headers then rows, ncols each; charts: x
			     labels (nrows) */
	char **metric;    /* table: per cell, the stats JSON key the cell
			     shows (data-metric), or NULL */
	double *v;        /* charts: nseries * nrows values (NaN: unknown) */
	size_t nseries;
	char *series[2];  /* line charts: series names */
	double ymin, ymax;
};

struct rdoc {
	struct rdoc_block *b;
	size_t n, cap;
	char title[256];
};

void report_doc(const struct report *r, struct rdoc *d);
void rdoc_free(struct rdoc *d);

/* Write r as one self-contained HTML page (inline CSS and SVG charts, no
 * scripts, no external references) or as Markdown. */
void report_html(const struct report *r, sbuf *b);
void report_md(const struct report *r, sbuf *b);

/* What report_write did. */
struct report_result {
	int64_t bytes;
	char sha256[65];
	int64_t audit_seq;
};

/* Write text to path through a temporary file beside it (outfile_check,
 * fsync, outfile_replace), then append the audit entry 'report' with detail
 * {file, model, since, until, format, sha256, bytes} by who in a write
 * transaction. A file that cannot be recorded is removed. Returns DK_OK,
 * DK_UNSYNCED (recorded, not yet known to be on disk), DK_USAGE (path is
 * not a regular file, or is the store) or DK_ERR. */
int report_write(store *s, const struct report *r, enum report_format fmt,
		 const char *path, const char *who, const sbuf *text,
		 struct report_result *res, dk_error *err);

/* Shared by the writers. */

/* The period in words: "2026-01-01 to 2026-01-31 (until exclusive)", "all
 * time", ... into buf. */
const char *report_period_text(const struct report *r, char *buf, size_t len);

/* "0.250" or "too few" (n < min_n) into buf. */
const char *report_rate_text(int64_t k, int64_t n, int64_t min_n, char *buf,
			     size_t len);

/* A duration in seconds as "45 s", "12 min", "3.5 h", "2.1 d". */
const char *report_duration_text(double secs, char *buf, size_t len);

#endif
