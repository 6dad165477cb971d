/* logq.h: reading the decision log: filters, keyset paging newest first,
 * a case's history, and the log's text formats (table, CSV, JSON Lines). */
#ifndef DOCKET_LOGQ_H
#define DOCKET_LOGQ_H

#include <stddef.h>
#include <stdint.h>

#include "docket/store.h"
#include "docket/util.h"

/* What to show. NULL strings and has_since/has_until = 0 mean "any".
 * The strings are borrowed: they must outlive the logq opened with them.
 *  reviewer, action, label: exact match (label is the human label the
 *    entry asserts: for accept the model's, for override/resolve the new);
 *  model: a model name; case_id: a case id as imported (all models unless
 *    model is given);
 *  text: case-insensitive (ASCII) substring of the note;
 *  since (inclusive) and until (exclusive): milliseconds since the epoch. */
struct logq_filter {
	const char *reviewer;
	const char *action;
	const char *model;
	const char *label;
	const char *case_id;
	const char *text;
	int has_since, has_until;
	int64_t since_ms, until_ms;
};

/* One log entry. Strings are malloc'd copies (NULL where the store holds
 * NULL) owned by the entry; free with logq_entry_clear. */
struct logq_entry {
	int64_t seq;
	int64_t at;       /* ms since the epoch, UTC */
	int64_t case_row; /* cases.id, 0 for store-level entries (export) */
	int64_t ref_seq;  /* the entry an undo reverses, 0 if none */
	int has_seconds;
	double seconds;
	char *reviewer, *ext_id, *model, *action, *model_label, *label, *reason,
		*note, *hash, *detail;
};

void logq_entry_clear(struct logq_entry *e);

/* A page of entries, newest first. n entries in e[]; owned by the page,
 * free with logq_page_clear (the page can be reused after clearing).
 * next_before is the cursor for the next (older) page; at_end is 1 when
 * nothing older matches. */
struct logq_page {
	struct logq_entry *e;
	size_t n, cap;
	int64_t next_before;
	int at_end;
};

void logq_page_clear(struct logq_page *p);

typedef struct logq logq;

/* Prepare a query over s with filter f: resolves the model name and case
 * id and turns the time range into seq bounds (each an index seek).
 * Returns DK_OK and *out (free with logq_close); DK_USAGE with a message
 * when the model does not exist; DK_ERR on store errors. */
int logq_open(logq **out, store *s, const struct logq_filter *f, dk_error *err);
void logq_close(logq *q);

/* The cursor value that starts at the newest entry. */
#define LOGQ_NEWEST INT64_MAX

/* Fill page (cleared first) with up to limit entries whose seq is below
 * before, newest first. Walks the log by seq through the index that fits
 * the filter (reviewer, action, case, or the log itself) and never skips
 * with OFFSET. budget > 0 bounds how many seq values one call may pass
 * over, so a filter that matches little cannot stall a screen: the page
 * may then come back short with at_end 0, and the caller asks again from
 * next_before. budget <= 0 means no bound. Returns DK_OK or DK_ERR. */
int logq_page(logq *q, int64_t before, size_t limit, int64_t budget,
	      struct logq_page *page, dk_error *err);

/* Turn a time range (since inclusive, until exclusive; has_* = 0: open)
 * into seq bounds [*lo, *hi) with two seeks in decisions_at. Exact because
 * audit_append never lets times fall along the chain (a clock stepped back
 * records the previous entry's time); callers still check the times of the
 * entries they read. *lo == *hi when nothing
 * can match. Returns DK_OK or DK_ERR. */
int logq_seq_range(store *s, int has_since, int64_t since_ms, int has_until,
		   int64_t until_ms, int64_t *lo, int64_t *hi, dk_error *err);

/* Append the query plan of q's driving statement (one line per step) to
 * out: tests check that every filter is a seek and a walk, never a scan. */
int logq_explain(logq *q, sbuf *out, dk_error *err);

/* The actions the log may hold, from the one list the replay checks every
 * entry against (replay.c), so that every filter (docket log --action, the
 * supervisor's action=) knows each action and a misspelt one is an error
 * rather than an empty listing. logq_action_known: 1 when a is one, else
 * 0; logq_actions_text: "accept, override, ..." (static). */
int logq_action_known(const char *a);
const char *logq_actions_text(void);

/* The newest seq in the log (0 when empty): the head. A failed read is
 * DK_ERR, never an empty log. */
int logq_head(store *s, int64_t *seq, dk_error *err);

/* All entries about cases.id case_row, oldest first (the case's history),
 * into page (cleared first). */
int logq_case_history(store *s, int64_t case_row, struct logq_page *page,
		      dk_error *err);

/* Output formats of `docket log`. LOGQ_CSV puts a single quote before a
 * text cell a spreadsheet would run as a formula (dk_csv_formula_like:
 * "=HYPERLINK(...)" becomes "'=HYPERLINK(...)"); LOGQ_CSV_EXACT (log
 * --exact) writes every cell as stored. */
enum logq_format { LOGQ_TABLE, LOGQ_CSV, LOGQ_JSONL, LOGQ_CSV_EXACT };

/* Parse "table", "csv" or "jsonl"; returns 0, or 1 when unknown. */
int logq_format_parse(const char *name, enum logq_format *out);

/* Append the header line of fmt to b (nothing for JSON Lines). */
void logq_format_header(sbuf *b, enum logq_format fmt);

/* Append one entry as one line of fmt (with its newline) to b. CSV is RFC
 * 4180; every format carries seq, at (ISO 8601 UTC), reviewer, id, model,
 * action, model_label, label, reason, note, seconds, hash (the table leaves
 * out the hash and cuts text to its columns by display width with text.h,
 * so it needs text_utf8() on and a UTF-8 LC_CTYPE for wide characters). */
void logq_format_entry(sbuf *b, enum logq_format fmt, const struct logq_entry *e);

/* Append s (NULL: nothing) to b as one CSV field, RFC 4180: quoted when
 * it holds a comma, quote, CR or LF; with guard, a formula-like cell
 * (dk_csv_formula_like) gets a single quote first. */
void logq_csv_field(sbuf *b, const char *s, int guard);

/* Append s (NULL: "") to b as a table cell width display columns wide
 * (text.h: wide characters take two, combining marks none, a character is
 * never split from its marks): a tab becomes a space, other control
 * characters, bidi controls and invalid UTF-8 termsafe.h's visible text, text
 * wider than the cell is cut with "~" in its last column, and the cell is
 * padded with spaces, on the right or (right = 1) on the left. Used by the
 * log and stats tables and the supervisor's screen. */
void logq_cell(sbuf *b, const char *s, int width, int right);

/* 1 if the reviewer named name has the supervisor role, 0 if not (or is
 * unknown). On a store error returns -1 and fills err. */
int logq_is_supervisor(store *s, const char *name, dk_error *err);

#endif
