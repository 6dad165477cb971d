/* export.h: writes the cases with a final human label (corrections for
 * retraining, with lineage) to CSV or JSON Lines, streaming, through a
 * temporary file that is renamed into place, and records every export in
 * the audit chain. */
#ifndef DOCKET_EXPORT_H
#define DOCKET_EXPORT_H

#include <signal.h>
#include <stdint.h>

#include "docket/store.h"
#include "docket/util.h"

enum export_format {
	EXPORT_CSV,
	EXPORT_JSONL,
};

/* Which cases: those with a final human label (REVIEWED), only those whose
 * final label differs from the model's prediction (OVERRIDES), or every case,
 * the ones without a final label marked with action "unreviewed" (ALL). */
enum export_only {
	EXPORT_REVIEWED,
	EXPORT_OVERRIDES,
	EXPORT_ALL,
};

/* Zero-initialise, then set what is needed; since_ms and until_ms must be
 * set to -1 when open (export_opts_init does that). */
struct export_opts {
	const char *out;            /* the file to write (required) */
	enum export_format format;
	enum export_only only;
	const char *model;          /* model name, or NULL for every model */
	const char *model_version;  /* batch model version, or NULL for any */
	int64_t since_ms;           /* decided at or after, or -1 */
	int64_t until_ms;           /* decided before, or -1 */
	const char *since_last;     /* watermark name, or NULL */
	int drop_pii;               /* leave out every pii: field */
	int spreadsheet_safe;       /* CSV: a ' before formula-like cells
				       (dk_csv_formula_like); default exact */
	const char *actor;          /* who exports: a supervisor of the store */
	int page_rows;              /* rows per read transaction; 0: default */
	/* When not NULL and set non-zero (by a signal handler), the export
	 * stops at the next page, removes its temporary file and fails. */
	const volatile sig_atomic_t *cancel;
};

/* What an export did. */
struct export_result {
	int64_t rows;          /* data rows written */
	int64_t withdrawn;     /* of them, --since-last rows of cases whose
				  final label was withdrawn since the last
				  export (action "withdrawn", no label) */
	char sha256[65];       /* lowercase hex SHA-256 of the file */
	int64_t audit_seq;     /* the audit entry recording the export */
	int64_t from_seq;      /* final_seq range taken: (from_seq, to_seq] */
	int64_t to_seq;        /* (for --only all: case id range) */
	int stale_removed;     /* temporary files of killed exports of the
				  same name removed first */
};

/* Defaults: CSV, reviewed, no filters, actor = login name. */
void export_opts_init(struct export_opts *o);

/* Write the export described by o, then record it (audit entry 'export' and,
 * with since_last, the new watermark, in one write transaction). The file is
 * written to a temporary file in the target directory, fsync'd and renamed:
 * on any failure no file is left under o->out nor a temporary one, and err
 * says what failed ("OUT: No space left on device"). Temporary files that
 * killed exports of the same name left behind (no process holds them) are
 * removed first. Returns DK_OK, DK_USAGE
 * (bad filter combination, unknown model, actor not allowed) or DK_ERR. */
int export_run(store *s, const struct export_opts *o, struct export_result *r,
	       dk_error *err);

/* Append the EXPLAIN QUERY PLAN of the export's page queries (reviewed and
 * all; rows and the CSV header pass) to out, each after a "-- SQL" line,
 * so a test can check that every page is a range of an index, never a scan
 * of cases. */
int export_explain(store *s, sbuf *out, dk_error *err);

#endif
