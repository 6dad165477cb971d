/* import.c: prediction files into the store: the column convention,
 * validation with FILE:LINE:COLUMN messages, routing, and one batch per file
 * in one write transaction. */
#include "docket/import.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h> /* as a JSON parser (json_each), not the store */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "docket/audit.h"
#include "docket/casejson.h"
#include "docket/clock.h"
#include "docket/csvread.h"
#include "docket/model.h"
#include "docket/policy.h"
#include "docket/sha256.h"
#include "docket/testhook.h"

#define IMP_CHUNK (256 * 1024)
#define IMP_MAX_LINE CSVREAD_MAX_RECORD
/* Page cache for the import's transaction (KiB): big enough that the
 * indexes being built stay in memory, small enough for the 64 MB bound
 * at 10M rows, where SQLite's WAL index (8 bytes per WAL frame, mapped)
 * adds 15 MB: with 32 MiB the peak was 67 MB; 1M rows then took about 5%
 * more CPU than with 32 MiB. */
#define IMP_CACHE_KIB 24576
/* imp_index_defer: the queue index is built again at the end when the
 * file's rows are at least this many times the cases in the store. The
 * build reads every case, old and new: into a store of 1M cases, a file
 * of 1M rows took the same CPU either way, one of 300k rows 0.7 s more
 * with the build (2.9 s against 2.2 s). */
#define IMP_REINDEX_RATIO 1.0
/* ... and at least this many: below, the index fits the page cache, and
 * its inserts beside the reading thread cost less wall time than a
 * build after it (1M rows into a new store: 3.99 s live against 4.61 s
 * built again; 3M: 14.3 s against 14.0 s, by 3M rows the live index
 * starts to read pages back). The test build takes another minimum from
 * DOCKET_REINDEX_MIN_ROWS, so tests need no 2M-row files. */
#define IMP_REINDEX_MIN_ROWS 2000000
/* The page cache while that index is built (KiB), which also sizes the
 * sort's runs kept in memory. */
#define IMP_SORT_KIB 4096
/* Rows travel from the reading thread to the inserting one in batches of
 * IMP_BATCH_ROWS rows, or fewer once their arena passes IMP_BATCH_BYTES;
 * IMP_NBATCH of them bound the memory in flight. On PostgreSQL a batch is
 * one COPY into cases and one into case_pii, and a COPY statement costs
 * the server a fixed part besides its rows (196 statements of 1024 rows
 * took 0.17 s more than one of 200k): 4096 rows there, server CPU 2.47
 * -> 2.24 s at 200k (bench/RESULTS.md). The bytes stay under 3 MB so the
 * triggers' transition tables (a case's row each) fit the server's
 * default work_mem (4 MB): at 8192 rows they spilled to disk. */
#define IMP_NBATCH 4
#define IMP_BATCH_ROWS 1024
#define IMP_BATCH_BYTES (1u << 20)
#define IMP_PG_BATCH_ROWS 4096
#define IMP_PG_BATCH_BYTES (3u << 20)
/* Cases per INSERT statement (multi-row VALUES): the statement's set-up
 * (cursors on the table and its indexes) is paid once per group. On
 * SQLite the statement is INSERT OR FAIL (imp_insert_sql). */
#define IMP_MULTI 16
#define IMP_NCOLS 19 /* parameters per case */

/* What a column (CSV) or key (JSONL) is, by its name. */
enum imp_kind {
	K_ID,
	K_PRED,
	K_CONF,
	K_PROB,    /* p:LABEL */
	K_ATTR,    /* attr:NAME */
	K_TEXT,
	K_GOLD,
	K_PRIO,
	K_PII,     /* pii:NAME: a context field shown masked */
	K_CONTEXT, /* anything else */
};

/* The three columns with a key list per batch (casejson.h). */
enum { IMP_JCTX, IMP_JATTRS, IMP_JPROBS };

/* A value's type: CSV cells are all text; JSON values keep theirs. */
enum imp_type { T_TEXT, T_INT, T_REAL, T_BOOL, T_NULL, T_NESTED };

struct imp_col {
	enum imp_kind kind;
	const char *name; /* the input name */
	size_t name_len;
	const char *sub; /* after "p:" or "attr:"; else the name */
	size_t sub_len;
	char *jkey; /* CSV: "\"KEY\":" ready to append to JSON; owned */
	size_t jkey_len;
	size_t off; /* JSONL: where name starts in c->arena while it grows */
};

/* Cells name their column by index, never by pointer: JSON Lines grows
 * c->cols while it reads a line (a pointer taken before a realloc read
 * freed memory on objects of more than 64 keys). */
struct imp_cell {
	size_t col;    /* in c->cols */
	size_t off;    /* JSONL: where v starts in c->arena while it grows */
	const char *v; /* bytes (NUL-terminated, may hold NULs) */
	size_t n;
	enum imp_type type;
	double num; /* T_REAL, T_INT from JSON */
	size_t pos; /* CSV: 1-based field number; JSONL: 0-based member index */
};

struct imp_prob {
	const char *label;
	size_t len;
	double p;
};

/* One case as it will be inserted. Pointers borrow from the row. */
struct imp_case {
	const char *id, *pred, *text, *gold;
	size_t id_len, pred_len, text_len, gold_len;
	double confidence, margin, entropy, urgency;
	int has_probs;
	int64_t priority;
	int64_t line;
	const char *state;
	int queued;         /* state is CASE_QUEUED */
	int reviews_needed;
	const char *reason; /* NULL: not routed */
};

/* A validated, routed case on its way to the store: text lives in the
 * batch's arena (offsets; length -1 = NULL). */
struct imp_rec {
	size_t id, pred, probs, attrs, ctx, text, gold, reason, masked, pii;
	int id_len, pred_len, probs_len, attrs_len, ctx_len, text_len, gold_len,
		reason_len, masked_len, pii_len;
	double confidence, margin, entropy, urgency;
	int64_t line, priority;
	size_t id_col; /* the column a message about the id names */
	const char *state;
	int queued, reviews_needed;
};

struct imp_batch {
	sbuf arena;
	struct imp_rec *recs;
	size_t n;
	int end; /* 0: more follow; 1: the input ended; 2: the reader failed */
};

struct imp {
	store *s;
	const import_opts *o;
	const char *name;
	enum import_format fmt;
	FILE *in;
	dk_error *err;
	int located;
	dk_sha256 sha;
	dk_sha256 digest; /* of the rows (audit_case_digest) */
	int created;                     /* this import created the model */
	int64_t bytes;
	model m;
	policy pol;
	const char *salt; /* the model's audit_salt */
	int64_t batch_id;
	int64_t rows, routed;
	db_stmt *ins, *ins_multi;
	/* The columns: CSV, the header's; JSONL, the current line's keys. */
	struct imp_col *cols;
	size_t ncols, cols_cap;
	struct imp_cell *cells; /* one per column */
	dk_strset names;        /* the names in cols, for duplicates */
	/* CSV */
	csvread *csv;
	char *hdr; /* storage for the header's names */
	int have_header;
	/* JSONL */
	const char *line; /* the line being read, for error columns */
	size_t line_len;
	int64_t lineno;
	sbuf carry;       /* a line split across reads */
	sbuf arena;       /* keys and values of the current line */
	int64_t jrecords;
	/* per row */
	sbuf probs, attrs, ctx, msg;
	/* The array form (casejson.h): each column's values, in the order of
	 * the batch's key list klist (a JSON array of the keys, NULL: none);
	 * a row whose keys are not the list is stored as its object. CSV: the
	 * header's columns make the lists, and a row fits when it has all
	 * (rn == nk; an empty attr: cell leaves its key out); JSON Lines: the
	 * first line's keys, and a row fits when its keys (rkeys) are those.
	 * arrays: bit j set when column j (IMP_J*) may take the array form.
	 * On PostgreSQL the context stays an object (case_pii and mask_pii
	 * work on it); probabilities and attributions are arrays there too,
	 * as JSON text, not packed (text columns hold UTF-8 only). */
	unsigned arrays;
	sbuf arr[3], klist[3], rkeys[3];
	sbuf packed; /* the row's column in the packed form (casejson_pack) */
	size_t nk[3], rn[3];
	int kdecided[3];
	/* PostgreSQL: the context as cases stores it, pii: values masked
	 * (ctx, whole, goes into the batch digest, as on SQLite); pii: the
	 * pii: members alone, as in ctx, for case_pii; has_pii: the row has
	 * a pii: field */
	sbuf masked, pii;
	int has_pii;
	struct imp_prob *pv;
	size_t pv_cap;
	double *pd; /* the row's p: values, for policy_features */
	/* The pipeline: a reading thread (read, hash, parse, validate, route)
	 * fills batches that this thread inserts. */
	pthread_t reader;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct imp_batch b[IMP_NBATCH];
	size_t batch_rows, batch_bytes; /* a batch's bounds, by engine */
	size_t head, tail, count; /* slot being filled, consumed; slots full */
	int cancel;               /* the inserter failed: reader, stop */
	dk_error rerr;            /* the reader's error */
	dk_error *uerr;           /* the caller's */
	sqlite3 *jdb;             /* private in-memory SQLite: JSON parsing */
	sqlite3_stmt *jeach;    /* json_each over one line */
	char reason[sizeof ((policy_decision *)0)->text];
};

/* ---- messages ---------------------------------------------------------- */

/* value as "text" for a message: control bytes and invalid UTF-8 as \xNN,
 * NUL as \0, cut after 40 bytes. Returns text in c->msg. */
static const char *imp_quote(struct imp *c, const char *v, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	sbuf_reset(&c->msg);
	sbuf_addc(&c->msg, '"');
	size_t i = 0;
	while (i < n && i < 40) {
		unsigned char ch = (unsigned char)v[i];
		if (ch == 0) {
			sbuf_adds(&c->msg, "\\0");
		} else if (ch == '"' || ch == '\\') {
			sbuf_addc(&c->msg, '\\');
			sbuf_addc(&c->msg, (char)ch);
		} else if (ch < 0x20 || ch == 0x7f) {
			char e[4] = {'\\', 'x', hex[ch >> 4], hex[ch & 15]};
			sbuf_add(&c->msg, e, 4);
		} else if (ch >= 0x80) {
			size_t len = ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : 2;
			if (i + len <= n && dk_utf8_valid(v + i, len)) {
				sbuf_add(&c->msg, v + i, len);
				i += len;
				continue;
			}
			char e[4] = {'\\', 'x', hex[ch >> 4], hex[ch & 15]};
			sbuf_add(&c->msg, e, 4);
		} else {
			sbuf_addc(&c->msg, (char)ch);
		}
		i++;
	}
	if (i < n)
		sbuf_adds(&c->msg, "...");
	sbuf_addc(&c->msg, '"');
	return sbuf_str(&c->msg);
}

__attribute__((format(printf, 4, 5))) static int
imp_fail_at(struct imp *c, int64_t line, size_t col, const char *fmt, ...)
{
	char what[900];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	c->located = 1;
	return dk_fail(c->err, "%s:%lld:%zu: %s", c->name, (long long)line, col,
		       what);
}

/* The column a message about cell names: CSV, the field number; JSONL, the
 * byte where the member's value (or with at_key, its key) starts. */
static size_t imp_cell_col(const struct imp *c, const struct imp_cell *cell,
			   int at_key)
{
	if (!cell)
		return 1;
	if (c->fmt == IMPORT_CSV)
		return cell->pos;
	size_t k, v;
	if (import_json_member(c->line, c->line_len, cell->pos, &k, &v))
		return 1;
	return (at_key ? k : v) + 1;
}

#define imp_fail_cell(c, line, cell, ...) \
	imp_fail_at((c), (line), imp_cell_col((c), (cell), 0), __VA_ARGS__)

static const struct imp_col *imp_col_of(const struct imp *c,
					const struct imp_cell *cell)
{
	return &c->cols[cell->col];
}

/* A cell's value for a message, quoted: a JSON number as written in the
 * line (SQLite's text for 1e999 is "Inf", for 1e5 "100000.0"), anything
 * else as read. Text in c->msg. */
static const char *imp_quote_cell(struct imp *c, const struct imp_cell *cell)
{
	import_json_span m;
	if (c->fmt == IMPORT_JSONL && (cell->type == T_INT || cell->type == T_REAL) &&
	    !import_json_span_of(c->line, c->line_len, cell->pos, &m))
		return imp_quote(c, c->line + m.val_off, m.val_len);
	return imp_quote(c, cell->v, cell->n);
}

/* ---- values ------------------------------------------------------------ */

/* 0: fine text; 1: holds a NUL byte; 2: invalid UTF-8. */
static int imp_text_check(const char *s, size_t n)
{
	size_t i = 0;
	for (; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == 0)
			return 1;
		if (ch >= 0x80)
			break;
	}
	if (i == n)
		return 0;
	if (memchr(s + i, 0, n - i))
		return 1;
	return dk_utf8_valid(s + i, n - i) ? 0 : 2;
}

/* 1 if s[0..n) is a number in JSON's grammar (so it can be copied into JSON
 * as it is). */
static int imp_json_number_shape(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && s[i] == '-')
		i++;
	if (i < n && s[i] == '0')
		i++;
	else if (i < n && s[i] >= '1' && s[i] <= '9')
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	else
		return 0;
	if (i < n && s[i] == '.') {
		size_t d = ++i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == d)
			return 0;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t d = i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == d)
			return 0;
	}
	return i == n;
}

enum imp_num_status { NUM_OK, NUM_BAD, NUM_NONFINITE, NUM_NUL, NUM_EMPTY };

/* Parse decimal text s[0..n) (no spaces, no hex). *json: s can be copied
 * into JSON as it is. Plain decimals of up to 15 digits take a fast exact
 * path (an exact integer over an exact power of ten rounds correctly);
 * anything else goes through strtod. */
static enum imp_num_status imp_number(const char *s, size_t n, double *out,
				      int *json)
{
	static const double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,
				       1e6, 1e7, 1e8,  1e9,  1e10, 1e11,
				       1e12, 1e13, 1e14, 1e15};
	if (n == 0)
		return NUM_EMPTY;
	size_t i = s[0] == '-';
	size_t int_start = i;
	uint64_t m = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		m = m * 10 + (uint64_t)(s[i++] - '0');
	size_t int_digits = i - int_start, frac = 0;
	if (int_digits && i < n && s[i] == '.') {
		size_t f = ++i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			m = m * 10 + (uint64_t)(s[i++] - '0');
		frac = i - f;
		if (!frac)
			i = n + 1; /* "1." : not JSON; let strtod judge */
	}
	if (i == n && int_digits && int_digits + frac <= 15) {
		double v = (double)m / pow10[frac];
		*out = s[0] == '-' ? -v : v;
		*json = !(int_digits > 1 && s[int_start] == '0');
		return NUM_OK;
	}
	if (memchr(s, '\0', n))
		return NUM_NUL;
	char tmp[64];
	if (n >= sizeof tmp)
		return NUM_BAD;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	const char *t = tmp + (tmp[0] == '-' || tmp[0] == '+');
	if (!strcasecmp(t, "nan") || !strcasecmp(t, "inf") ||
	    !strcasecmp(t, "infinity"))
		return NUM_NONFINITE;
	for (size_t k = 0; k < n; k++)
		if (!strchr("0123456789+-.eE", tmp[k]))
			return NUM_BAD;
	char *end;
	errno = 0;
	double v = strtod(tmp, &end);
	if (end != tmp + n || end == tmp)
		return NUM_BAD;
	if (!isfinite(v))
		return NUM_NONFINITE;
	*out = v;
	*json = imp_json_number_shape(s, n);
	return NUM_OK;
}

/* Append v as a JSON number that reads back equal. */
static void imp_json_num(sbuf *b, double v)
{
	char tmp[40];
	int len = snprintf(tmp, sizeof tmp, "%.15g", v);
	if (strtod(tmp, NULL) != v)
		len = snprintf(tmp, sizeof tmp, "%.17g", v);
	sbuf_add(b, tmp, (size_t)len);
}

static const char *imp_type_name(enum imp_type t)
{
	switch (t) {
	case T_TEXT: return "a string";
	case T_INT:
	case T_REAL: return "a number";
	case T_BOOL: return "true/false";
	case T_NULL: return "null";
	case T_NESTED: return "an object or array";
	}
	return "?";
}

/* A numeric cell's value, or an error naming the column. */
static int imp_cell_number(struct imp *c, int64_t line, const struct imp_cell *cell,
			   double *out, int *json)
{
	const char *name = imp_col_of(c, cell)->name;
	if (cell->type == T_INT || cell->type == T_REAL) {
		if (!isfinite(cell->num))
			return imp_fail_cell(c, line, cell, "%s: %s is not a finite number",
					     name, imp_quote_cell(c, cell));
		*out = cell->num;
		*json = cell->type == T_INT;
		return DK_OK;
	}
	if (cell->type != T_TEXT)
		return imp_fail_cell(c, line, cell, "%s: expected a number, got %s",
				     name, imp_type_name(cell->type));
	switch (imp_number(cell->v, cell->n, out, json)) {
	case NUM_OK: return DK_OK;
	case NUM_EMPTY:
		return imp_fail_cell(c, line, cell, "%s: empty, expected a number", name);
	case NUM_NUL:
		return imp_fail_cell(c, line, cell, "%s: %s is not a number (it holds a NUL byte)",
				     name, imp_quote_cell(c, cell));
	case NUM_NONFINITE:
		return imp_fail_cell(c, line, cell, "%s: %s is not a finite number",
				     name, imp_quote_cell(c, cell));
	case NUM_BAD: break;
	}
	return imp_fail_cell(c, line, cell, "%s: %s is not a number", name,
			     imp_quote_cell(c, cell));
}

/* A probability-like value: a number in [0,1]. */
static int imp_cell_unit(struct imp *c, int64_t line, const struct imp_cell *cell,
			 double *out, int *json)
{
	if (imp_cell_number(c, line, cell, out, json))
		return DK_ERR;
	if (*out < 0 || *out > 1)
		return imp_fail_cell(c, line, cell, "%s: %s is outside [0,1]",
				     imp_col_of(c, cell)->name, imp_quote_cell(c, cell));
	return DK_OK;
}

/* Append a numeric cell's value to JSON: its own text when that is JSON. */
static void imp_add_num(sbuf *b, const struct imp_cell *cell, double v, int json)
{
	if (json)
		sbuf_add(b, cell->v, cell->n);
	else
		imp_json_num(b, v);
}

/* A text cell (id, prediction, gold, text, context): no NUL, valid UTF-8;
 * JSON integers are accepted as their decimal text where labels or ids are
 * expected (nonscalar values never). */
static int imp_cell_text(struct imp *c, int64_t line, const struct imp_cell *cell,
			 int allow_int)
{
	const char *name = imp_col_of(c, cell)->name;
	if (cell->type != T_TEXT && !(allow_int && cell->type == T_INT)) {
		if (cell->type != T_INT && cell->type != T_REAL)
			return imp_fail_cell(c, line, cell, "%s: expected a string%s, got %s",
					     name, allow_int ? " or an integer" : "",
					     imp_type_name(cell->type));
		const char *q = imp_quote_cell(c, cell); /* the number as written */
		return imp_fail_cell(c, line, cell,
				     "%s: expected a string%s, got the number %.*s", name,
				     allow_int ? " or an integer" : "",
				     (int)strlen(q) - 2, q + 1);
	}
	switch (imp_text_check(cell->v, cell->n)) {
	case 1:
		return imp_fail_cell(c, line, cell, "%s: holds a NUL byte", name);
	case 2:
		return imp_fail_cell(c, line, cell, "%s: invalid UTF-8 in %s", name,
				     imp_quote_cell(c, cell));
	}
	return DK_OK;
}

/* ---- routing ----------------------------------------------------------- */

/* Route one case by the model's policy (policy.c, loaded once per import):
 * sets state, reason, urgency and reviews_needed. */
static void import_route(struct imp *c, struct imp_case *k)
{
	policy_decision d;
	/* id, prediction and gold are NUL-terminated where they lie (the CSV
	 * reader and the JSON arena both end every value with a NUL). */
	policy_route(&c->pol, c->salt, k->id, k->pred, k->confidence,
		     k->has_probs ? k->margin : NAN,
		     k->has_probs ? k->entropy : NAN, k->gold, &d);
	k->state = d.state;
	k->queued = d.reason != NULL;
	k->urgency = d.urgency;
	k->reviews_needed = d.reviews_needed;
	if (d.reason) {
		memcpy(c->reason, d.text, sizeof d.text);
		k->reason = c->reason;
	} else {
		k->reason = NULL;
	}
}

/* ---- rows -------------------------------------------------------------- */

static int imp_emit(struct imp *c, const struct imp_case *k,
		    const struct imp_cell *idcell);

/* PostgreSQL keeps personal values where reviewers cannot read them
 * (case_pii, src/engine/pg_roles.c): the member of ctx just added (from
 * start, its value from `from`) goes to masked as it is, or for a pii:
 * field with "(masked)" for its value and, byte for byte, to pii (only
 * those: the rest of the context is in cases already). */
static void imp_pii_apart(struct imp *c, const struct imp_col *col, size_t start,
			  size_t from)
{
	const char *m = c->ctx.buf;
	size_t end = c->ctx.len;
	sbuf_add(&c->masked, m + start, from - start);
	if (col->kind != K_PII) {
		sbuf_add(&c->masked, m + from, end - from);
		return;
	}
	sbuf_adds(&c->masked, "\"(masked)\"");
	sbuf_addc(&c->pii, c->pii.len ? ',' : '{');
	sbuf_add(&c->pii, m + start + 1, end - start - 1);
	c->has_pii = 1;
}

/* The member of column j (IMP_J*) just added to object obj (from start,
 * its value from `from`): its value into the row's array form, and for
 * JSON Lines its key into the row's key list. */
static void imp_arr_add(struct imp *c, int j, const sbuf *obj, size_t start,
			size_t from)
{
	if (!(c->arrays >> j & 1))
		return;
	sbuf *a = &c->arr[j];
	sbuf_addc(a, a->len ? ',' : '[');
	sbuf_add(a, obj->buf + from, obj->len - from);
	c->rn[j]++;
	if (c->fmt == IMPORT_JSONL) {
		sbuf *k = &c->rkeys[j];
		sbuf_addc(k, k->len ? ',' : '[');
		sbuf_add(k, obj->buf + start + 1, from - start - 2); /* "KEY" */
	}
}

/* 1 when the row's column j is stored as its array form: its keys are
 * the batch's list (for JSON Lines, the first line's keys make the list). */
static int imp_arr_fits(struct imp *c, int j)
{
	if (!(c->arrays >> j & 1) || !c->arr[j].len)
		return 0;
	sbuf_addc(&c->arr[j], ']');
	if (c->fmt == IMPORT_CSV)
		return c->rn[j] == c->nk[j];
	sbuf_addc(&c->rkeys[j], ']');
	if (!c->kdecided[j]) {
		c->kdecided[j] = 1;
		sbuf_add(&c->klist[j], c->rkeys[j].buf, c->rkeys[j].len);
		return 1;
	}
	return c->klist[j].len == c->rkeys[j].len &&
	       !memcmp(c->klist[j].buf, c->rkeys[j].buf, c->rkeys[j].len);
}

/* Validate one record, build its JSON, route it and insert it. cells are
 * in input order; for CSV every column of the header has one. */
static int imp_row(struct imp *c, const struct imp_cell *cells, size_t ncells,
		   int64_t line)
{
	struct imp_case k;
	memset(&k, 0, sizeof k);
	k.line = line;
	const struct imp_cell *idc = NULL, *predc = NULL, *confc = NULL,
			      *goldc = NULL, *probc = NULL;
	double sum = 0;
	size_t np = 0;
	int json;
	sbuf_reset(&c->probs);
	sbuf_reset(&c->attrs);
	sbuf_reset(&c->ctx);
	sbuf_reset(&c->masked);
	sbuf_reset(&c->pii);
	c->has_pii = 0;
	for (int j = 0; j < 3; j++) {
		sbuf_reset(&c->arr[j]);
		sbuf_reset(&c->rkeys[j]);
		c->rn[j] = 0;
	}

	for (size_t i = 0; i < ncells; i++) {
		const struct imp_cell *cell = &cells[i];
		const struct imp_col *col = imp_col_of(c, cell);
		double v;
		switch (col->kind) {
		case K_ID:
			if (imp_cell_text(c, line, cell, 1))
				return DK_ERR;
			if (!cell->n)
				return imp_fail_cell(c, line, cell, "id: empty");
			idc = cell;
			break;
		case K_PRED:
			if (imp_cell_text(c, line, cell, 1))
				return DK_ERR;
			if (!cell->n)
				return imp_fail_cell(c, line, cell, "prediction: empty");
			predc = cell;
			break;
		case K_CONF:
			if (imp_cell_unit(c, line, cell, &k.confidence, &json))
				return DK_ERR;
			confc = cell;
			break;
		case K_PROB:
			if (imp_cell_unit(c, line, cell, &v, &json))
				return DK_ERR;
			if (np == c->pv_cap) {
				c->pv_cap = c->pv_cap ? c->pv_cap * 2 : 16;
				c->pv = dk_xrealloc(c->pv, c->pv_cap * sizeof *c->pv);
				c->pd = dk_xrealloc(c->pd, c->pv_cap * sizeof *c->pd);
			}
			c->pv[np].label = col->sub;
			c->pv[np].len = col->sub_len;
			c->pv[np].p = v;
			np++;
			sum += v;
			if (!probc)
				probc = cell;
			size_t pstart = c->probs.len;
			sbuf_addc(&c->probs, c->probs.len ? ',' : '{');
			if (col->jkey)
				sbuf_add(&c->probs, col->jkey, col->jkey_len);
			else {
				sbuf_add_json_str(&c->probs, col->sub, col->sub_len);
				sbuf_addc(&c->probs, ':');
			}
			size_t pfrom = c->probs.len;
			imp_add_num(&c->probs, cell, v, json);
			imp_arr_add(c, IMP_JPROBS, &c->probs, pstart, pfrom);
			break;
		case K_ATTR:
			if (cell->type == T_NULL || (cell->type == T_TEXT && !cell->n))
				break; /* absent */
			if (imp_cell_number(c, line, cell, &v, &json))
				return DK_ERR;
			size_t astart = c->attrs.len;
			sbuf_addc(&c->attrs, c->attrs.len ? ',' : '{');
			if (col->jkey)
				sbuf_add(&c->attrs, col->jkey, col->jkey_len);
			else {
				sbuf_add_json_str(&c->attrs, col->sub, col->sub_len);
				sbuf_addc(&c->attrs, ':');
			}
			size_t afrom = c->attrs.len;
			imp_add_num(&c->attrs, cell, v, json);
			imp_arr_add(c, IMP_JATTRS, &c->attrs, astart, afrom);
			break;
		case K_TEXT:
			if (cell->type == T_NULL)
				break;
			if (imp_cell_text(c, line, cell, 0))
				return DK_ERR;
			if (cell->n) {
				k.text = cell->v;
				k.text_len = cell->n;
			}
			break;
		case K_GOLD:
			if (cell->type == T_NULL || (cell->type == T_TEXT && !cell->n))
				break;
			if (imp_cell_text(c, line, cell, 1))
				return DK_ERR;
			goldc = cell;
			break;
		case K_PRIO:
			if (cell->type == T_NULL || (cell->type == T_TEXT && !cell->n))
				break;
			if (cell->type == T_INT || cell->type == T_TEXT) {
				if (!dk_parse_int64(cell->v, cell->n, &k.priority) &&
				    k.priority >= -1000000000 && k.priority <= 1000000000)
					break;
			}
			return imp_fail_cell(c, line, cell,
					     "priority: %s is not an integer (from "
					     "-1000000000 to 1000000000)",
					     imp_quote_cell(c, cell));
		case K_PII:
		case K_CONTEXT:
			if (cell->type == T_NESTED)
				return imp_fail_cell(c, line, cell,
						     "%s: a nested value where a "
						     "single value is expected",
						     col->name);
			size_t start = c->ctx.len;
			sbuf_addc(&c->ctx, c->ctx.len ? ',' : '{');
			if (col->jkey)
				sbuf_add(&c->ctx, col->jkey, col->jkey_len);
			else {
				sbuf_add_json_str(&c->ctx, col->name, col->name_len);
				sbuf_addc(&c->ctx, ':');
			}
			size_t from = c->ctx.len; /* the value's JSON */
			if (cell->type == T_TEXT) {
				if (imp_cell_text(c, line, cell, 0))
					return DK_ERR;
				sbuf_add_json_str(&c->ctx, cell->v, cell->n);
			} else if (cell->type == T_REAL) {
				/* 1e999 is no number JSON can hold */
				if (!isfinite(cell->num))
					return imp_fail_cell(c, line, cell,
							     "%s: %s is not a finite number",
							     col->name, imp_quote_cell(c, cell));
				imp_json_num(&c->ctx, cell->num);
			} else {
				sbuf_add(&c->ctx, cell->v, cell->n); /* int, bool, null */
			}
			imp_arr_add(c, IMP_JCTX, &c->ctx, start, from);
			if (store_engine(c->s) == STORE_POSTGRES)
				imp_pii_apart(c, col, start, from);
			break;
		}
	}
	/* Required keys (a CSV header guarantees the columns exist). */
	if (!idc)
		return imp_fail_at(c, line, 1, "no \"id\"");
	if (!predc)
		return imp_fail_at(c, line, 1, "no \"prediction\"");
	if (!confc && !np)
		return imp_fail_at(c, line, 1,
				   "neither \"confidence\" nor any \"p:LABEL\"");
	k.id = idc->v;
	k.id_len = idc->n;
	k.pred = predc->v;
	k.pred_len = predc->n;

	if (np) {
		if (fabs(sum - 1) > IMPORT_SUM_TOLERANCE)
			return imp_fail_cell(c, line, probc,
					     "p: values sum to %.6g, not 1 (tolerance %g)",
					     sum, IMPORT_SUM_TOLERANCE);
		const struct imp_prob *pp = NULL;
		for (size_t i = 0; i < np; i++) {
			const struct imp_prob *q = &c->pv[i];
			if (q->len == k.pred_len && !memcmp(q->label, k.pred, k.pred_len))
				pp = q;
			c->pd[i] = q->p;
		}
		if (!pp)
			return imp_fail_cell(c, line, predc,
					     "prediction: %s is not one of the p: labels",
					     imp_quote(c, k.pred, k.pred_len));
		if (confc) {
			if (fabs(k.confidence - pp->p) > IMPORT_CONF_TOLERANCE)
				return imp_fail_cell(
					c, line, confc,
					"confidence: %.6g disagrees with p:%.*s = %.6g "
					"(tolerance %g)",
					k.confidence, (int)pp->len, pp->label, pp->p,
					IMPORT_CONF_TOLERANCE);
		} else {
			k.confidence = pp->p;
		}
		k.has_probs = 1;
		policy_features(c->pd, np, &k.margin, &k.entropy);
		sbuf_addc(&c->probs, '}');
		/* JSON Lines may bring new labels on any line. */
		if (c->fmt == IMPORT_JSONL)
			for (size_t i = 0; i < np; i++)
				if (model_label_add(&c->m.labels, c->pv[i].label,
						    c->pv[i].len) < 0)
					return imp_fail_cell(
						c, line, probc,
						"p: more than %d distinct labels",
						MODEL_MAX_LABELS);
		if (goldc) {
			size_t i;
			for (i = 0; i < np; i++)
				if (c->pv[i].len == goldc->n &&
				    !memcmp(c->pv[i].label, goldc->v, goldc->n))
					break;
			if (i == np)
				return imp_fail_cell(c, line, goldc,
						     "gold: %s is not one of the p: labels",
						     imp_quote(c, goldc->v, goldc->n));
		}
	} else {
		if (model_label_add(&c->m.labels, k.pred, k.pred_len) < 0 ||
		    (goldc && model_label_add(&c->m.labels, goldc->v, goldc->n) < 0))
			return imp_fail_cell(c, line, predc,
					     "prediction: more than %d distinct labels",
					     MODEL_MAX_LABELS);
	}
	if (goldc) {
		k.gold = goldc->v;
		k.gold_len = goldc->n;
	}
	if (c->attrs.len)
		sbuf_addc(&c->attrs, '}');
	if (c->ctx.len)
		sbuf_addc(&c->ctx, '}');
	else
		sbuf_adds(&c->ctx, "{}");
	if (c->has_pii) {
		sbuf_addc(&c->masked, '}');
		sbuf_addc(&c->pii, '}');
	}
	import_route(c, &k);
	return imp_emit(c, &k, idc);
}

/* ---- the pipeline ------------------------------------------------------ */

/* Reader side: hand the batch being filled to the inserter (with end
 * set when it is the last), then wait for a free slot. Returns DK_ERR when
 * the inserter has given up. */
static int imp_push(struct imp *c, int end)
{
	pthread_mutex_lock(&c->mu);
	c->b[c->head % IMP_NBATCH].end = end;
	c->head++;
	c->count++;
	pthread_cond_broadcast(&c->cv);
	while (!end && c->count >= IMP_NBATCH && !c->cancel)
		pthread_cond_wait(&c->cv, &c->mu);
	int cancel = c->cancel;
	pthread_mutex_unlock(&c->mu);
	if (!end && !cancel) {
		struct imp_batch *b = &c->b[c->head % IMP_NBATCH];
		b->n = 0;
		sbuf_reset(&b->arena);
	}
	return cancel ? DK_ERR : DK_OK;
}

static size_t imp_put(sbuf *a, const char *v, size_t n)
{
	size_t off = a->len;
	sbuf_add(a, v, n);
	sbuf_addc(a, '\0');
	return off;
}

/* Reader side: case k into the batch's digest, on this thread so the
 * inserting one does not wait for it. Rows are inserted in the order
 * emitted, and any failed insert fails the whole import, so this is the
 * digest of the rows stored, in case id order. It covers the objects (the
 * whole context), whatever form the row is stored in: verify expands the
 * stored values with the batch's key lists (casejson_expand), so an edited
 * key list is caught as an edited value. Gold labels enter keyed by the
 * model's salt (audit.h's form 2): the log is read by every role. */
static void imp_digest(struct imp *c, const struct imp_case *k,
		       const struct imp_rec *r)
{
	audit_case d = {
		.v = {k->id, k->pred, c->probs.buf, c->attrs.buf, c->ctx.buf,
		      k->text, k->gold},
		.len = {(int)k->id_len, (int)k->pred_len,
			k->has_probs ? (int)c->probs.len : -1,
			c->attrs.len ? (int)c->attrs.len : -1, (int)c->ctx.len,
			k->text ? (int)k->text_len : -1,
			k->gold ? (int)k->gold_len : -1},
		.line = r->line,
		.priority = r->priority,
		.confidence = r->confidence,
		.has_features = k->has_probs,
		.margin = r->margin,
		.entropy = r->entropy,
	};
	audit_case_digest(&c->digest, &d, AUDIT_DIGEST_FORM, c->salt);
}

/* Column j's stored form: the row's array form when it fits, else obj;
 * numbers (probabilities, attributions) packed (schema 8), half the bytes. */
static const sbuf *imp_stored(struct imp *c, int j, const sbuf *obj)
{
	if (!imp_arr_fits(c, j))
		return obj;
	if (j != IMP_JCTX && store_engine(c->s) == STORE_SQLITE &&
	    casejson_pack(&c->packed, c->arr[j].buf, c->arr[j].len) == DK_OK)
		return &c->packed;
	return &c->arr[j];
}

/* Reader side: one case into the current batch. */
static int imp_emit(struct imp *c, const struct imp_case *k,
		    const struct imp_cell *idcell)
{
	struct imp_batch *b = &c->b[c->head % IMP_NBATCH];
	struct imp_rec *r = &b->recs[b->n++];
	sbuf *a = &b->arena;
	r->id = imp_put(a, k->id, k->id_len);
	r->id_len = (int)k->id_len;
	r->pred = imp_put(a, k->pred, k->pred_len);
	r->pred_len = (int)k->pred_len;
	r->probs_len = r->attrs_len = r->text_len = r->gold_len = r->reason_len = -1;
	if (k->has_probs) {
		const sbuf *v = imp_stored(c, IMP_JPROBS, &c->probs);
		r->probs = imp_put(a, v->buf, v->len);
		r->probs_len = (int)v->len;
	}
	if (c->attrs.len) {
		const sbuf *v = imp_stored(c, IMP_JATTRS, &c->attrs);
		r->attrs = imp_put(a, v->buf, v->len);
		r->attrs_len = (int)v->len;
	}
	const sbuf *v = imp_stored(c, IMP_JCTX, &c->ctx);
	r->ctx = imp_put(a, v->buf, v->len);
	r->ctx_len = (int)v->len;
	r->masked_len = r->pii_len = -1;
	if (c->has_pii) {
		r->masked = imp_put(a, c->masked.buf, c->masked.len);
		r->masked_len = (int)c->masked.len;
		r->pii = imp_put(a, c->pii.buf, c->pii.len);
		r->pii_len = (int)c->pii.len;
	}
	if (k->text) {
		r->text = imp_put(a, k->text, k->text_len);
		r->text_len = (int)k->text_len;
	}
	if (k->gold) {
		r->gold = imp_put(a, k->gold, k->gold_len);
		r->gold_len = (int)k->gold_len;
	}
	if (k->reason) {
		size_t n = strlen(k->reason);
		r->reason = imp_put(a, k->reason, n);
		r->reason_len = (int)n;
	}
	r->confidence = k->confidence;
	r->margin = k->margin;
	r->entropy = k->entropy;
	r->urgency = k->urgency;
	r->line = k->line;
	r->priority = k->priority;
	r->id_col = imp_cell_col(c, idcell, 0);
	r->state = k->state;
	r->queued = k->queued;
	r->reviews_needed = k->reviews_needed;
	imp_digest(c, k, r);
	if (b->n == c->batch_rows || a->len > c->batch_bytes)
		return imp_push(c, 0);
	return DK_OK;
}

/* ---- the store --------------------------------------------------------- */

/* The id is taken: by an earlier line of this file, or by an earlier batch
 * (then perhaps the whole file was imported before: say that instead).
 * Runs after the reader has stopped. */
static int imp_duplicate(struct imp *c, const struct imp_rec *r, const char *arena);

static void imp_bind_text(db_stmt *st, int i, const char *arena, size_t off,
			  int len)
{
	if (len < 0)
		db_bind_null(st, i);
	else
		db_bind_text(st, i, arena + off, len, DB_STATIC);
}

/* Bind case r to parameters base+1 .. base+IMP_NCOLS of an insert. */
static void imp_bind_rec(struct imp *c, db_stmt *st, int base,
			 const struct imp_rec *r, const char *arena)
{
	db_bind_int64(st, base + 1, c->m.id);
	db_bind_int64(st, base + 2, c->batch_id);
	db_bind_text(st, base + 3, arena + r->id, r->id_len, DB_STATIC);
	db_bind_int64(st, base + 4, r->line);
	db_bind_text(st, base + 5, arena + r->pred, r->pred_len, DB_STATIC);
	db_bind_double(st, base + 6, r->confidence);
	/* No margin and entropy stored (SQLite's schema 8, PostgreSQL's
	 * revision 6): readers compute them from the probabilities
	 * (casefeat_get), 16 bytes a case. */
	db_bind_null(st, base + 7);
	db_bind_null(st, base + 8);
	/* the packed form as a blob (schema 9): its bytes are not UTF-8 */
	casejson_bind(st, base + 9, r->probs_len < 0 ? NULL : arena + r->probs,
		      r->probs_len < 0 ? 0 : (size_t)r->probs_len, DB_STATIC);
	casejson_bind(st, base + 10, r->attrs_len < 0 ? NULL : arena + r->attrs,
		      r->attrs_len < 0 ? 0 : (size_t)r->attrs_len, DB_STATIC);
	if (r->masked_len >= 0)
		imp_bind_text(st, base + 11, arena, r->masked, r->masked_len);
	else
		imp_bind_text(st, base + 11, arena, r->ctx, r->ctx_len);
	imp_bind_text(st, base + 12, arena, r->text, r->text_len);
	imp_bind_text(st, base + 13, arena, r->gold, r->gold_len);
	db_bind_int64(st, base + 14, r->priority);
	db_bind_text(st, base + 15, r->state, -1, DB_STATIC);
	imp_bind_text(st, base + 16, arena, r->reason, r->reason_len);
	db_bind_double(st, base + 17, r->urgency);
	db_bind_int64(st, base + 18, c->pol.version);
	db_bind_int(st, base + 19, r->reviews_needed);
}

/* Inserter side, PostgreSQL: the personal values of case r, just
 * inserted with them masked, into case_pii. */
static int imp_insert_pii(struct imp *c, const struct imp_rec *r,
			  const char *arena)
{
	db_stmt *st = store_stmt(
		c->s,
		"INSERT INTO case_pii(case_id, context) SELECT id, ?3 FROM cases"
		" WHERE model_id = ?1 AND ext_id = ?2",
		c->uerr);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, c->m.id);
	db_bind_text(st, 2, arena + r->id, r->id_len, DB_STATIC);
	db_bind_text(st, 3, arena + r->pii, r->pii_len, DB_STATIC);
	int rc = db_step(st);
	store_done(st);
	return rc == DB_DONE ? DK_OK : DK_ERR;
}

/* Inserter side: n cases (1 or IMP_MULTI) into the store with one
 * statement. Returns DK_OK, or DK_ERR with the error to report after the
 * reader has stopped; *dup says it was the id's uniqueness (for a group,
 * the caller then retries one by one to find the case). *kept: how many of
 * the n went in before the statement failed (on SQLite, OR FAIL keeps
 * them; elsewhere none), counted as imported. */
static int imp_insert(struct imp *c, const struct imp_rec *r, size_t n,
		      const char *arena, int *dup, size_t *kept)
{
	db_stmt *st = n == 1 ? c->ins : c->ins_multi;
	for (size_t i = 0; i < n; i++)
		imp_bind_rec(c, st, (int)i * IMP_NCOLS, &r[i], arena);
	int rc = db_step(st);
	*kept = 0;
	if (rc != DB_DONE && store_engine(c->s) == STORE_SQLITE) {
		int64_t in = store_changes(c->s);
		*kept = in > 0 && (size_t)in < n ? (size_t)in : 0;
	}
	db_reset(st);
	for (size_t i = 0; rc == DB_DONE && i < n; i++)
		if (r[i].masked_len >= 0 && imp_insert_pii(c, &r[i], arena))
			rc = DB_ERROR;
	if (rc == DB_DONE) {
		c->rows += (int64_t)n;
		for (size_t i = 0; i < n; i++)
			c->routed += r[i].queued;
		return DK_OK;
	}
	*dup = rc == DB_CONSTRAINT_UNIQUE;
	if (!*dup)
		store_fail(c->s, c->uerr, "inserting a case");
	c->rows += (int64_t)*kept;
	for (size_t i = 0; i < *kept; i++)
		c->routed += r[i].queued;
	return DK_ERR;
}

/* Inserter side, PostgreSQL: the whole batch b by COPY (store_copy_*),
 * the cases with ids drawn beforehand, so that the personal fields of the
 * cases that have them follow by a second COPY into case_pii. Returns
 * DK_OK, or DK_ERR with *dup set when an id clashed (the caller goes back
 * to the batch's savepoint and finds the row as for an INSERT) and the
 * error in c->uerr otherwise. */
static int imp_copy(struct imp *c, const struct imp_batch *b, int *dup)
{
	const char *a = b->arena.buf;
	int64_t *ids = dk_xmalloc(sizeof *ids * (b->n ? b->n : 1));
	size_t got = 0, npii = 0;
	int rc = DK_ERR;
	*dup = 0;
	/* the sequence looked up once, not per row: per row it was 6 µs of
	 * a catalog lookup, three times the cost of the nextval */
	db_stmt *st = store_stmt(c->s,
				 "WITH q AS MATERIALIZED (SELECT CAST("
				 "pg_get_serial_sequence('cases', 'id') AS regclass) AS s)"
				 " SELECT nextval(q.s) FROM q, generate_series(1, ?1)",
				 c->uerr);
	if (!st)
		goto out;
	db_bind_int64(st, 1, (int64_t)b->n);
	while (got < b->n && db_step(st) == DB_ROW)
		ids[got++] = db_col_int64(st, 0);
	if (store_done(st) != DB_OK || got != b->n) {
		store_fail(c->s, c->uerr, "drawing case ids");
		goto out;
	}
	if (store_copy_begin(c->s, "cases",
			     "id, model_id, batch_id, ext_id, line, prediction,"
			     " confidence, probs, attributions,"
			     " context, text, gold, priority, state, route_reason,"
			     " urgency, policy_version, reviews_needed",
			     c->uerr))
		goto out;
	char num[7][32];
	snprintf(num[1], sizeof num[1], "%lld", (long long)c->m.id);
	snprintf(num[2], sizeof num[2], "%lld", (long long)c->batch_id);
	snprintf(num[6], sizeof num[6], "%lld", (long long)c->pol.version);
	for (size_t i = 0; i < b->n; i++) {
		const struct imp_rec *r = &b->recs[i];
		/* no margin and entropy: imp_bind_rec says why */
		snprintf(num[0], sizeof num[0], "%lld", (long long)ids[i]);
		snprintf(num[3], sizeof num[3], "%lld", (long long)r->line);
		snprintf(num[4], sizeof num[4], "%.17g", r->confidence);
		snprintf(num[5], sizeof num[5], "%.17g", r->urgency);
		char pri[32], rev[16];
		snprintf(pri, sizeof pri, "%lld", (long long)r->priority);
		snprintf(rev, sizeof rev, "%d", r->reviews_needed);
		size_t ctx = r->masked_len >= 0 ? r->masked : r->ctx;
		int ctx_len = r->masked_len >= 0 ? r->masked_len : r->ctx_len;
#define IMP_OPT(off, n) ((n) < 0 ? NULL : a + (off))
		const char *v[18] = {
			num[0], num[1], num[2], a + r->id, num[3], a + r->pred, num[4],
			IMP_OPT(r->probs, r->probs_len), IMP_OPT(r->attrs, r->attrs_len),
			a + ctx, IMP_OPT(r->text, r->text_len), IMP_OPT(r->gold, r->gold_len),
			pri, r->state, IMP_OPT(r->reason, r->reason_len), num[5], num[6], rev,
		};
#undef IMP_OPT
		const int len[18] = {
			-1, -1, -1, r->id_len, -1, r->pred_len, -1,
			r->probs_len, r->attrs_len, ctx_len, r->text_len, r->gold_len,
			-1, -1, r->reason_len, -1, -1, -1,
		};
		store_copy_row(c->s, v, len, 18);
		npii += r->masked_len >= 0;
	}
	int step = store_copy_end(c->s);
	if (step == DB_DONE && npii) {
		if (store_copy_begin(c->s, "case_pii", "case_id, context", c->uerr))
			goto out;
		for (size_t i = 0; i < b->n; i++) {
			const struct imp_rec *r = &b->recs[i];
			if (r->masked_len < 0)
				continue;
			snprintf(num[0], sizeof num[0], "%lld", (long long)ids[i]);
			const char *v[2] = {num[0], a + r->pii};
			const int len[2] = {-1, r->pii_len};
			store_copy_row(c->s, v, len, 2);
		}
		step = store_copy_end(c->s);
	}
	if (step != DB_DONE) {
		*dup = step == DB_CONSTRAINT_UNIQUE;
		if (!*dup)
			store_fail(c->s, c->uerr, "inserting a case");
		goto out;
	}
	c->rows += (int64_t)b->n;
	for (size_t i = 0; i < b->n; i++)
		c->routed += b->recs[i].queued;
	rc = DK_OK;
out:
	free(ids);
	return rc;
}

/* Inserter side, SQLite: keep the pages the import writes at its start
 * and again at its end in SQLite's page cache: the batch row and its
 * batches_sha256 entry (inserted first, their file hash and totals set
 * last) and a new model's row (its labels are saved last). A page the
 * cache spills to the WAL that the transaction then writes again makes
 * SQLite reread every later frame of the WAL at commit to rewrite its
 * checksum (300k rows: 55k reads and 55k writes, a quarter of the WAL's
 * system calls). A read puts a page back at the young end of the cache:
 * one read per batch of rows keeps them out of the WAL until the commit. */
static int imp_keep(struct imp *c)
{
	db_stmt *st = store_stmt(
		c->s,
		"SELECT (SELECT rows FROM batches WHERE id = ?1),"
		" (SELECT id FROM batches INDEXED BY batches_sha256"
		"  WHERE source_sha256 = '' AND id = ?1),"
		" (SELECT length(labels) FROM models WHERE id = ?2)",
		c->uerr);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, c->batch_id);
	db_bind_int64(st, 2, c->m.id);
	int rc = db_step(st);
	store_done(st);
	return rc == DB_ROW ? DK_OK : store_fail(c->s, c->uerr, "reading the batch");
}

/* Read and hash the rest of the input (only on the duplicate-id path). */
static void imp_hash_rest(struct imp *c, unsigned char *out)
{
	char *buf = dk_xmalloc(IMP_CHUNK);
	size_t n;
	while ((n = fread(buf, 1, IMP_CHUNK, c->in)) > 0)
		dk_sha256_update(&c->sha, buf, n);
	free(buf);
	dk_sha256_final(&c->sha, out);
}

/* An earlier batch with this file's SHA-256: fill err and return DK_ERR;
 * DK_OK when there is none (or --force). */
static int imp_check_seen(struct imp *c, const char *hex)
{
	if (c->o->force)
		return DK_OK;
	db_stmt *st = store_stmt(
		c->s,
		"SELECT b.id, b.imported_at, b.imported_by, m.name, b.model_version"
		" FROM batches b JOIN models m ON m.id = b.model_id"
		" WHERE b.source_sha256 = ?1 AND b.id <> ?2 ORDER BY b.id LIMIT 1",
		c->err);
	if (!st)
		return DK_ERR;
	db_bind_text(st, 1, hex, -1, DB_STATIC);
	db_bind_int64(st, 2, c->batch_id);
	int rc = DK_OK;
	if (db_step(st) == DB_ROW) {
		char when[32];
		const char *ver = (const char *)db_col_text(st, 4);
		clock_format_iso(db_col_int64(st, 1), when, sizeof when);
		c->located = 0;
		rc = dk_fail(c->err,
			     "%s: already imported on %s as batch %lld (model %s%s%s, "
			     "by %s; same SHA-256); use --force to import it again",
			     c->name, when, (long long)db_col_int64(st, 0),
			     (const char *)db_col_text(st, 3),
			     ver && ver[0] ? "@" : "", ver ? ver : "",
			     (const char *)db_col_text(st, 2));
	}
	if (store_done(st) != DB_OK)
		rc = store_fail(c->s, c->err, "looking for an earlier import");
	return rc;
}

static int imp_duplicate(struct imp *c, const struct imp_rec *r, const char *arena)
{
	const char *id = arena + r->id;
	size_t id_len = (size_t)r->id_len;
	db_stmt *st = store_stmt(
		c->s,
		"SELECT c.batch_id, c.line, b.source_file FROM cases c"
		" JOIN batches b ON b.id = c.batch_id"
		" WHERE c.model_id = ?1 AND c.ext_id = ?2",
		c->err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, c->m.id);
	db_bind_text(st, 2, id, (int)id_len, DB_STATIC);
	if (db_step(st) != DB_ROW) {
		store_done(st);
		return store_fail(c->s, c->err, "inserting a case");
	}
	int64_t batch = db_col_int64(st, 0), line = db_col_int64(st, 1);
	char *file = dk_xstrdup((const char *)db_col_text(st, 2));
	store_done(st);
	int rc;
	if (batch == c->batch_id) {
		rc = imp_fail_at(c, r->line, r->id_col,
				 "id: %s appears earlier in this file, at line %lld",
				 imp_quote(c, id, id_len), (long long)line);
	} else {
		unsigned char h[DK_SHA256_BYTES];
		char hex[65];
		imp_hash_rest(c, h);
		sodium_bin2hex(hex, sizeof hex, h, sizeof h);
		if (imp_check_seen(c, hex))
			rc = DK_ERR;
		else
			rc = imp_fail_at(c, r->line, r->id_col,
					 "id: %s is already in the store for model %s "
					 "(batch %lld, %s line %lld)",
					 imp_quote(c, id, id_len), c->m.name,
					 (long long)batch, file, (long long)line);
	}
	free(file);
	return rc;
}

/* ---- CSV --------------------------------------------------------------- */

static void imp_classify(struct imp_col *col)
{
	const char *n = col->name;
	size_t len = col->name_len;
	col->sub = n;
	col->sub_len = len;
#define IS(lit) (len == sizeof(lit) - 1 && !memcmp(n, lit, sizeof(lit) - 1))
#define PREFIX(lit) (len >= sizeof(lit) - 1 && !memcmp(n, lit, sizeof(lit) - 1))
	if (IS("id"))
		col->kind = K_ID;
	else if (IS("prediction"))
		col->kind = K_PRED;
	else if (IS("confidence"))
		col->kind = K_CONF;
	else if (IS("text"))
		col->kind = K_TEXT;
	else if (IS("gold"))
		col->kind = K_GOLD;
	else if (IS("priority"))
		col->kind = K_PRIO;
	else if (PREFIX("p:")) {
		col->kind = K_PROB;
		col->sub = n + 2;
		col->sub_len = len - 2;
	} else if (PREFIX("attr:")) {
		col->kind = K_ATTR;
		col->sub = n + 5;
		col->sub_len = len - 5;
	} else if (PREFIX("pii:")) {
		col->kind = K_PII;
		col->sub = n + 4;
		col->sub_len = len - 4;
	} else
		col->kind = K_CONTEXT;
#undef IS
#undef PREFIX
}

/* A column or key name (of cell's column): valid text, not empty, nothing
 * empty after a prefix, not seen before in this header or object. The
 * column of a message is found only when there is one (for JSON Lines
 * that is a walk over the line: per key it would be quadratic). */
static int imp_check_name(struct imp *c, const struct imp_cell *cell, int64_t line)
{
	const struct imp_col *col = imp_col_of(c, cell);
	int problem = imp_text_check(col->name, col->name_len); /* 1, 2 */
	if (!problem && !col->name_len)
		problem = 3;
	if (!problem && !col->sub_len &&
	    (col->kind == K_PROB || col->kind == K_ATTR || col->kind == K_PII))
		problem = 4;
	size_t first = 0;
	if (!problem) {
		int added;
		first = dk_strset_add(&c->names, col->name, col->name_len, &added);
		if (added)
			return DK_OK;
	}
	const char *noun = c->fmt == IMPORT_CSV ? "column" : "key";
	size_t at = imp_cell_col(c, cell, 1);
	const char *q = imp_quote(c, col->name, col->name_len);
	switch (problem) {
	case 1: return imp_fail_at(c, line, at, "a %s name holds a NUL byte", noun);
	case 2: return imp_fail_at(c, line, at, "%s name %s is not valid UTF-8", noun, q);
	case 3: return imp_fail_at(c, line, at, "empty %s name", noun);
	case 4:
		return imp_fail_at(c, line, at, "%s %s names nothing after the prefix",
				   noun, q);
	}
	/* Every name before this one was added: first is its column. */
	return imp_fail_at(c, line, at, "duplicate %s %s (also %s %zu)", noun, q,
			   c->fmt == IMPORT_CSV ? "column" : "at column",
			   imp_cell_col(c, &c->cells[first], 1));
}

static int imp_csv_header(struct imp *c, const csvread_field *f, size_t nf,
			  int64_t line)
{
	size_t total = 0;
	for (size_t i = 0; i < nf; i++)
		total += f[i].len + 1;
	c->hdr = dk_xmalloc(total ? total : 1);
	c->cols = dk_xmalloc(nf * sizeof *c->cols);
	memset(c->cols, 0, nf * sizeof *c->cols);
	c->cells = dk_xmalloc(nf * sizeof *c->cells);
	c->ncols = c->cols_cap = nf;
	char *p = c->hdr;
	int has_id = 0, has_pred = 0, has_conf = 0, nprob = 0;
	for (size_t i = 0; i < nf; i++) {
		struct imp_col *col = &c->cols[i];
		memcpy(p, f[i].p, f[i].len);
		p[f[i].len] = '\0';
		col->name = p;
		col->name_len = f[i].len;
		p += f[i].len + 1;
		imp_classify(col);
		c->cells[i].col = i;
		c->cells[i].type = T_TEXT;
		c->cells[i].pos = i + 1;
		if (imp_check_name(c, &c->cells[i], line))
			return DK_ERR;
		has_id |= col->kind == K_ID;
		has_pred |= col->kind == K_PRED;
		has_conf |= col->kind == K_CONF;
		if (col->kind == K_PROB) {
			nprob++;
			if (model_label_add(&c->m.labels, col->sub, col->sub_len) < 0)
				return imp_fail_at(c, line, i + 1,
						   "%s: more than %d distinct labels",
						   col->name, MODEL_MAX_LABELS);
		}
		/* The JSON key this column's values go under. */
		sbuf key = {0};
		if (col->kind == K_PROB || col->kind == K_ATTR)
			sbuf_add_json_str(&key, col->sub, col->sub_len);
		else
			sbuf_add_json_str(&key, col->name, col->name_len);
		sbuf_addc(&key, ':');
		col->jkey = key.buf;
		col->jkey_len = key.len;
		int j = col->kind == K_PROB ? IMP_JPROBS
			: col->kind == K_ATTR ? IMP_JATTRS
			: col->kind == K_PII || col->kind == K_CONTEXT ? IMP_JCTX
								       : -1;
		if (j >= 0) { /* the batch's key list: the header's keys */
			sbuf *l = &c->klist[j];
			sbuf_addc(l, l->len ? ',' : '[');
			sbuf_add(l, key.buf, key.len - 1);
			c->nk[j]++;
		}
	}
	for (int j = 0; j < 3; j++)
		if (c->klist[j].len)
			sbuf_addc(&c->klist[j], ']');
	const char *missing = !has_id ? "id" : !has_pred ? "prediction" : NULL;
	if (missing) {
		for (size_t i = 0; i < nf; i++)
			if (!strcasecmp(c->cols[i].name, missing))
				return imp_fail_at(c, line, i + 1,
						   "no \"%s\" column (column %s: names "
						   "are case-sensitive)",
						   missing, imp_quote(c, c->cols[i].name,
								      c->cols[i].name_len));
		return imp_fail_at(c, line, 1, "no \"%s\" column", missing);
	}
	if (!has_conf && !nprob)
		return imp_fail_at(c, line, 1,
				   "neither a \"confidence\" column nor \"p:LABEL\" "
				   "columns");
	c->have_header = 1;
	return DK_OK;
}

static int imp_csv_record(void *ctx, const csvread_field *f, size_t nf,
			  int64_t line)
{
	struct imp *c = ctx;
	if (!c->have_header)
		return imp_csv_header(c, f, nf, line) ? 1 : 0;
	if (nf != c->ncols) {
		if (nf < c->ncols)
			return imp_fail_at(c, line, nf + 1,
					   "too few fields: %zu, the header has %zu "
					   "(\"%s\" and after are missing)",
					   nf, c->ncols, c->cols[nf].name) ? 1 : 0;
		return imp_fail_at(c, line, c->ncols + 1,
				   "too many fields: %zu, the header has %zu", nf,
				   c->ncols) ? 1 : 0;
	}
	for (size_t i = 0; i < nf; i++) {
		c->cells[i].v = f[i].p;
		c->cells[i].n = f[i].len;
	}
	return imp_row(c, c->cells, nf, line) ? 1 : 0;
}

static int imp_csv_feed(struct imp *c, const char *buf, size_t n, int last)
{
	int rc = last ? csvread_finish(c->csv) : csvread_feed(c->csv, buf, n);
	if (rc > 0)
		return DK_ERR; /* the record function filled err */
	if (rc < 0) {
		int64_t line;
		size_t field;
		const char *what = csvread_error(c->csv, &line, &field);
		if (c->have_header && field <= c->ncols)
			return imp_fail_at(c, line, field, "%s: %s",
					   c->cols[field - 1].name, what);
		return imp_fail_at(c, line, field, "%s", what);
	}
	return DK_OK;
}

/* ---- JSON Lines -------------------------------------------------------- */

static enum imp_type imp_json_type(const char *t)
{
	switch (t[0]) {
	case 't': return t[1] == 'e' ? T_TEXT : T_BOOL; /* text, true */
	case 'i': return T_INT;
	case 'r': return T_REAL;
	case 'f': return T_BOOL;
	case 'n': return T_NULL;
	default: return T_NESTED; /* object, array */
	}
}

/* Offset of the first byte that is not valid UTF-8, or n. */
static size_t imp_utf8_bad(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x80) {
			i++;
			continue;
		}
		size_t len = ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : ch >= 0xC2 ? 2 : 0;
		if (!len || i + len > n || !dk_utf8_valid(s + i, len))
			return i;
		i += len;
	}
	return n;
}

/* A JSON Lines error about byte off of the line, naming the key it lies
 * in, as CSV messages name the column: in a member's value "KEY: what", in
 * a key (one that scans) 'key "KEY": what'; elsewhere just what. */
__attribute__((format(printf, 4, 5))) static int
imp_fail_json(struct imp *c, int64_t line, size_t off, const char *fmt, ...)
{
	char what[900];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	import_json_span m;
	if (import_json_locate(c->line, c->line_len, off, &m) || !m.key_ok)
		return imp_fail_at(c, line, off + 1, "%s", what);
	sbuf key = {0};
	import_json_unquote(c->line + m.key_off + 1, m.key_len - 2, &key);
	int rc;
	if (m.in_key)
		rc = imp_fail_at(c, line, off + 1, "key %s: %s",
				 imp_quote(c, key.buf, key.len), what);
	else
		rc = imp_fail_at(c, line, off + 1, "%s: %s", sbuf_str(&key), what);
	sbuf_free(&key);
	return rc;
}

/* Invalid UTF-8 at byte off: in a key, in a string value (shown), or
 * elsewhere (outside strings it is invalid JSON as well). */
static int imp_jsonl_bad_utf8(struct imp *c, int64_t line, size_t off)
{
	import_json_span m;
	if (import_json_locate(c->line, c->line_len, off, &m) || !m.key_ok)
		return imp_fail_at(c, line, off + 1, "invalid UTF-8");
	sbuf text = {0};
	int rc;
	if (m.in_key) {
		import_json_unquote(c->line + m.key_off + 1, m.key_len - 2, &text);
		rc = imp_fail_at(c, line, off + 1, "key name %s is not valid UTF-8",
				 imp_quote(c, text.buf, text.len));
	} else if (m.val_ok && c->line[m.val_off] == '"') {
		import_json_unquote(c->line + m.val_off + 1, m.val_len - 2, &text);
		rc = imp_fail_json(c, line, off, "invalid UTF-8 in %s",
				   imp_quote(c, text.buf, text.len));
	} else {
		rc = imp_fail_json(c, line, off, "invalid UTF-8");
	}
	sbuf_free(&text);
	return rc;
}

static int imp_jsonl_line(struct imp *c, const char *s, size_t n)
{
	int64_t line = ++c->lineno;
	if (line == 1 && n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
		s += 3;
		n -= 3;
	}
	if (n && s[n - 1] == '\r')
		n--;
	c->line = s;
	c->line_len = n;
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
		i++;
	if (i == n)
		return DK_OK; /* a blank line */
	c->jrecords++;
	size_t bad = imp_utf8_bad(s, n);
	if (bad < n)
		return imp_jsonl_bad_utf8(c, line, bad);
	const char *what = NULL;
	if (s[i] != '{') {
		size_t at = import_json_error(s, n, &what);
		if (what)
			return imp_fail_at(c, line, at + 1, "invalid JSON: %s", what);
		return imp_fail_at(c, line, i + 1, "not a JSON object");
	}
	if (memmem(s, n, "\\u0000", 6)) {
		size_t at = import_json_nul_escape(s, n);
		if (at < n)
			return imp_fail_json(c, line, at,
					     "\\u0000 (a NUL character) is not allowed");
	}
	sqlite3_stmt *st = c->jeach;
	sqlite3_bind_text(st, 1, s, (int)n, SQLITE_STATIC);
	sbuf_reset(&c->arena);
	dk_strset_reset(&c->names);
	size_t nm = 0;
	int rc;
	/* Keys and values go to the arena, which grows: offsets for now,
	 * pointers once it has stopped. */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (nm == c->cols_cap) {
			c->cols_cap = c->cols_cap ? c->cols_cap * 2 : 64;
			c->cols = dk_xrealloc(c->cols, c->cols_cap * sizeof *c->cols);
			c->cells = dk_xrealloc(c->cells, c->cols_cap * sizeof *c->cells);
		}
		struct imp_col *col = &c->cols[nm];
		struct imp_cell *cell = &c->cells[nm];
		memset(col, 0, sizeof *col);
		memset(cell, 0, sizeof *cell);
		col->off = c->arena.len;
		col->name_len = (size_t)sqlite3_column_bytes(st, 0);
		sbuf_add(&c->arena, (const char *)sqlite3_column_text(st, 0), col->name_len);
		sbuf_addc(&c->arena, '\0');
		cell->type = imp_json_type((const char *)sqlite3_column_text(st, 1));
		cell->num = sqlite3_column_double(st, 2);
		cell->off = c->arena.len;
		const char *atom = (const char *)sqlite3_column_text(st, 2);
		cell->n = (size_t)sqlite3_column_bytes(st, 2);
		if (cell->type == T_BOOL)
			atom = cell->num != 0 ? "true" : "false", cell->n = strlen(atom);
		else if (cell->type == T_NULL)
			atom = "null", cell->n = 4;
		sbuf_add(&c->arena, atom ? atom : "", atom ? cell->n : 0);
		sbuf_addc(&c->arena, '\0');
		cell->col = nm;
		cell->pos = nm;
		nm++;
	}
	sqlite3_reset(st);
	c->ncols = nm;
	if (rc != SQLITE_DONE) {
		size_t at = import_json_error(s, n, &what);
		if (!what)
			return imp_fail_at(c, line, 1, "invalid JSON: %s",
					   sqlite3_errmsg(c->jdb));
		return imp_fail_json(c, line, at, "invalid JSON: %s", what);
	}
	for (size_t m = 0; m < nm; m++) {
		struct imp_col *col = &c->cols[m];
		struct imp_cell *cell = &c->cells[m];
		col->name = c->arena.buf + col->off;
		cell->v = c->arena.buf + cell->off;
		imp_classify(col);
		if (imp_check_name(c, cell, line))
			return DK_ERR;
		if (cell->type == T_NESTED)
			return imp_fail_cell(c, line, cell,
					     "%s: a nested value where a single value "
					     "is expected",
					     col->name);
	}
	return imp_row(c, c->cells, nm, line);
}

static int imp_jsonl_feed(struct imp *c, const char *buf, size_t n, int last)
{
	if (last) {
		if (!c->carry.len)
			return DK_OK;
		int rc = imp_jsonl_line(c, c->carry.buf, c->carry.len);
		sbuf_reset(&c->carry);
		return rc;
	}
	while (n) {
		const char *nl = memchr(buf, '\n', n);
		size_t len = nl ? (size_t)(nl - buf) : n;
		if (c->carry.len + len > IMP_MAX_LINE)
			return imp_fail_at(c, c->lineno + 1, 1, "line longer than 16 MB");
		if (!nl) {
			sbuf_add(&c->carry, buf, len);
			return DK_OK;
		}
		int rc;
		if (c->carry.len) {
			sbuf_add(&c->carry, buf, len);
			rc = imp_jsonl_line(c, c->carry.buf, c->carry.len);
			sbuf_reset(&c->carry);
		} else {
			rc = imp_jsonl_line(c, buf, len);
		}
		if (rc)
			return rc;
		buf += len + 1;
		n -= len + 1;
	}
	return DK_OK;
}

/* ---- the import -------------------------------------------------------- */

enum import_format import_format_from_name(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot || strchr(dot, '/'))
		return IMPORT_AUTO;
	if (!strcasecmp(dot, ".csv"))
		return IMPORT_CSV;
	if (!strcasecmp(dot, ".jsonl") || !strcasecmp(dot, ".ndjson"))
		return IMPORT_JSONL;
	return IMPORT_AUTO;
}

const char *import_format_name(enum import_format f)
{
	return f == IMPORT_JSONL ? "jsonl" : "csv";
}

/* The INSERT of n cases (1 or IMP_MULTI): built once per engine into
 * static storage, so its address keys the store's statement cache.
 * Placeholders only. On SQLite, OR FAIL: a statement that may fail after
 * some of its rows went in needs a statement journal under ABORT (the
 * default), which copies every page the statement changes (a random leaf
 * of the queue index per queued case) and cost the inserting thread about
 * 0.5 s at 1M rows. FAIL keeps the rows before the failure, which is
 * harmless: any failure rolls the whole file back (imp_pipeline counts
 * them to find the failed row). */
static const char *imp_insert_sql(size_t n, int lite)
{
	static char one[2][512], multi[2][IMP_MULTI * 128 + 512];
	char *sql = n == 1 ? one[lite] : multi[lite];
	size_t cap = n == 1 ? sizeof one[0] : sizeof multi[0];
	if (sql[0])
		return sql;
	size_t len = (size_t)snprintf(
		sql, cap,
		"INSERT%s INTO cases(model_id, batch_id, ext_id, line, prediction,"
		" confidence, margin, entropy, probs, attributions, context, text,"
		" gold, priority, state, route_reason, urgency, policy_version,"
		" reviews_needed) VALUES ",
		lite ? " OR FAIL" : "");
	for (size_t r = 0; r < n; r++)
		for (int k = 1; k <= IMP_NCOLS; k++)
			len += (size_t)snprintf(sql + len, cap - len, "%s?%zu%s",
						k == 1 ? (r ? ",(" : "(") : ",",
						r * IMP_NCOLS + (size_t)k,
						k == IMP_NCOLS ? ")" : "");
	return sql;
}

/* The model (found or created), its policy, the batch row. */
static int imp_begin(struct imp *c)
{
	const import_opts *o = c->o;
	int rc = model_find(c->s, o->model, &c->m, c->err);
	if (rc == DK_OK)
		rc = model_read_salt(c->s, &c->m, c->err);
	if (rc == DK_ERR)
		return DK_ERR;
	if (rc == DK_EMPTY) {
		c->created = 1;
		policy_new(&c->pol);
		if (o->threshold >= 0)
			c->pol.threshold = o->threshold;
		sbuf json = {0};
		policy_to_json(&c->pol, &json);
		rc = model_create(c->s, o->model, sbuf_str(&json), &c->m, c->err);
		sbuf_free(&json);
		if (rc)
			return DK_ERR;
	}
	if (policy_load(c->s, c->m.id, &c->pol, c->err))
		return DK_ERR;
	if (o->threshold >= 0 && o->threshold != c->pol.threshold)
		return dk_fail(c->err,
			       "model %s already has a routing policy (version "
			       "%lld, threshold %g): change it with 'docket "
			       "policy', or leave out --threshold",
			       o->model, (long long)c->pol.version, c->pol.threshold);
	c->salt = c->m.audit_salt;
	db_stmt *st = store_stmt(
		c->s,
		"INSERT INTO batches(model_id, model_version, source_file,"
		" source_sha256, format, rows, routed, imported_by, imported_at,"
		" forced) VALUES (?1, ?2, ?3, '', ?4, 0, 0, ?5, ?6, ?7)",
		c->err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, c->m.id);
	db_bind_text(st, 2, o->version ? o->version : "", -1, DB_STATIC);
	db_bind_text(st, 3, c->name, -1, DB_STATIC);
	db_bind_text(st, 4, import_format_name(c->fmt), -1, DB_STATIC);
	db_bind_text(st, 5, dk_login_name(), -1, DB_STATIC);
	db_bind_int64(st, 6, clock_now_ms());
	db_bind_int(st, 7, o->force ? 1 : 0);
	rc = db_step(st);
	store_done(st);
	if (rc != DB_DONE)
		return store_fail(c->s, c->err, "creating the batch");
	c->batch_id = store_last_id(c->s);
	/* The one statement run per row: prepared once, kept bound to this
	 * model, batch and policy version. */
	int lite = store_engine(c->s) == STORE_SQLITE;
	c->ins = store_stmt(c->s, imp_insert_sql(1, lite), c->err);
	if (!c->ins)
		return DK_ERR;
	c->ins_multi = store_stmt(c->s, imp_insert_sql(IMP_MULTI, lite), c->err);
	if (!c->ins_multi)
		return DK_ERR;
	return DK_OK;
}

/* What a file that is not UTF-8 text is, from its first n bytes; NULL
 * when it may be text. (Without this, such files were refused for their
 * first odd byte: "a column name holds a NUL byte" for UTF-16.) */
static const char *imp_sniff(const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)b;
#define HAS(lit) (n >= sizeof(lit) - 1 && !memcmp(p, lit, sizeof(lit) - 1))
	if (HAS("\x1f\x8b"))
		return "is gzip-compressed: decompress it first (gunzip)";
	if (HAS("\xfd" "7zXZ"))
		return "is xz-compressed: decompress it first (unxz)";
	if (HAS("\x28\xb5\x2f\xfd"))
		return "is zstd-compressed: decompress it first (unzstd)";
	if (HAS("BZh") && n >= 10 && !memcmp(p + 4, "1AY&SY", 6))
		return "is bzip2-compressed: decompress it first (bunzip2)";
	if (HAS("PK\x03\x04"))
		return "is a zip archive: extract the file from it first (unzip)";
	if (HAS("\xff\xfe\0\0"))
		return "is UTF-32 text (little-endian): convert it to UTF-8 first "
		       "(iconv -f UTF-32LE -t UTF-8)";
	if (HAS("\0\0\xfe\xff"))
		return "is UTF-32 text (big-endian): convert it to UTF-8 first "
		       "(iconv -f UTF-32BE -t UTF-8)";
	/* With a byte order mark, or ASCII with a NUL after each byte. */
	if (HAS("\xff\xfe") || (n >= 4 && p[0] && !p[1] && p[2] && !p[3]))
		return "is UTF-16 text (little-endian): convert it to UTF-8 first "
		       "(iconv -f UTF-16LE -t UTF-8)";
	if (HAS("\xfe\xff") || (n >= 4 && !p[0] && p[1] && !p[2] && p[3]))
		return "is UTF-16 text (big-endian): convert it to UTF-8 first "
		       "(iconv -f UTF-16BE -t UTF-8)";
#undef HAS
	return NULL;
}

/* Stream the input through the reader, hashing every byte read. The first
 * read takes at least IMP_SNIFF bytes for imp_sniff, then goes to the
 * reader in reads of the usual size. */
#define IMP_SNIFF 16
static int imp_read(struct imp *c)
{
	size_t chunk = c->o->read_size && c->o->read_size < IMP_CHUNK
			       ? c->o->read_size : IMP_CHUNK;
	size_t cap = chunk > IMP_SNIFF ? chunk : IMP_SNIFF;
	char *buf = dk_xmalloc(cap);
	int rc = DK_OK;
	size_t n;
	while (rc == DK_OK && (n = fread(buf, 1, c->bytes ? chunk : cap, c->in)) > 0) {
		dk_sha256_update(&c->sha, buf, n);
		const char *what = c->bytes ? NULL : imp_sniff(buf, n);
		c->bytes += (int64_t)n;
		if (what) {
			rc = imp_fail_at(c, 1, 1, "the file %s", what);
			break;
		}
		for (size_t i = 0; rc == DK_OK && i < n; i += chunk) {
			size_t len = n - i < chunk ? n - i : chunk;
			rc = c->fmt == IMPORT_CSV ? imp_csv_feed(c, buf + i, len, 0)
						  : imp_jsonl_feed(c, buf + i, len, 0);
		}
	}
	free(buf);
	if (rc)
		return rc;
	if (ferror(c->in))
		return dk_fail(c->err, "%s: read error: %s", c->name, strerror(errno));
	return c->fmt == IMPORT_CSV ? imp_csv_feed(c, NULL, 0, 1)
				    : imp_jsonl_feed(c, NULL, 0, 1);
}

/* The batch's key lists (casejson.h), for the rows stored as arrays. */
static int imp_save_keys(struct imp *c)
{
	db_stmt *st = store_stmt(c->s,
				 "UPDATE batches SET ctx_keys = ?2, attr_keys = ?3,"
				 " prob_keys = ?4 WHERE id = ?1",
				 c->err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, c->batch_id);
	for (int j = 0; j < 3; j++)
		if (c->klist[j].len)
			db_bind_text(st, 2 + j, c->klist[j].buf, (int)c->klist[j].len,
				     DB_STATIC);
		else
			db_bind_null(st, 2 + j);
	int rc = db_step(st);
	store_done(st);
	return rc == DB_DONE ? DK_OK : store_fail(c->s, c->err, "saving the batch's keys");
}

/* The batch's audit entry (replay.c reads it back in `docket verify`). */
static int imp_audit(struct imp *c, const char *sha256)
{
	unsigned char h[DK_SHA256_BYTES];
	char digest[65];
	dk_sha256_final(&c->digest, h);
	sodium_bin2hex(digest, sizeof digest, h, sizeof h);
	sbuf d = {0};
	sbuf_printf(&d, "{\"batch\":%lld,\"model\":", (long long)c->batch_id);
	sbuf_add_json_str(&d, c->o->model, strlen(c->o->model));
	sbuf_adds(&d, ",\"model_version\":");
	const char *v = c->o->version ? c->o->version : "";
	sbuf_add_json_str(&d, v, strlen(v));
	sbuf_adds(&d, ",\"file\":");
	sbuf_add_json_str(&d, c->name, strlen(c->name));
	sbuf_printf(&d, ",\"format\":\"%s\",\"sha256\":\"%s\",\"rows\":%lld,"
		       "\"routed\":%lld,\"policy_version\":%lld,\"digest\":\"%s\","
		       "\"digest_form\":%d",
		    import_format_name(c->fmt), sha256, (long long)c->rows,
		    (long long)c->routed, (long long)c->pol.version, digest,
		    AUDIT_DIGEST_FORM);
	if (c->created) {
		char salt[65];
		audit_sha256_hex(c->salt, strlen(c->salt), salt);
		sbuf_printf(&d, ",\"salt_sha256\":\"%s\",\"policy\":", salt);
		policy_to_json(&c->pol, &d);
	}
	sbuf_addc(&d, '}');
	audit_entry e = {.reviewer = dk_login_name(), .action = ACTION_IMPORT,
			 .seconds = NAN, .detail = sbuf_str(&d)};
	int rc = audit_append(c->s, &e, NULL, NULL, c->err);
	sbuf_free(&d);
	return rc;
}

/* After the last row: no empty imports, no file twice, then the batch's
 * lineage, the counters and the label set. */
static int imp_end(struct imp *c, import_result *res)
{
	if (c->bytes == 0)
		return imp_fail_at(c, 1, 1, "empty file");
	if (c->fmt == IMPORT_CSV && !c->have_header)
		return imp_fail_at(c, 1, 1, "no header line");
	if (c->rows == 0) {
		int64_t lines = c->fmt == IMPORT_CSV ? csvread_lines(c->csv) : c->lineno;
		return imp_fail_at(c, lines + 1, 1,
				   c->fmt == IMPORT_CSV ? "no rows after the header"
							: "no JSON objects, only blank lines");
	}
	unsigned char h[DK_SHA256_BYTES];
	dk_sha256_final(&c->sha, h);
	sodium_bin2hex(res->sha256, sizeof res->sha256, h, sizeof h);
	if (imp_check_seen(c, res->sha256))
		return DK_ERR;
	db_stmt *st = store_stmt(
		c->s,
		"UPDATE batches SET source_sha256 = ?2, rows = ?3, routed = ?4"
		" WHERE id = ?1",
		c->err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, c->batch_id);
	db_bind_text(st, 2, res->sha256, -1, DB_STATIC);
	db_bind_int64(st, 3, c->rows);
	db_bind_int64(st, 4, c->routed);
	int rc = db_step(st);
	store_done(st);
	if (rc != DB_DONE)
		return store_fail(c->s, c->err, "finishing the batch");
	if (c->routed &&
	    store_counter_add(c->s, c->m.id, CASE_QUEUED, c->routed, c->err))
		return DK_ERR;
	if (c->rows > c->routed &&
	    store_counter_add(c->s, c->m.id, CASE_AUTO, c->rows - c->routed, c->err))
		return DK_ERR;
	if (model_save_labels(c->s, &c->m, c->err))
		return DK_ERR;
	if (imp_audit(c, res->sha256))
		return DK_ERR;
	res->batch_id = c->batch_id;
	res->rows = c->rows;
	res->routed = c->routed;
	return DK_OK;
}

/* The reading thread: everything up to the insert, then the last batch. */
static void *imp_reader_main(void *arg)
{
	struct imp *c = arg;
	int rc = imp_read(c);
	pthread_mutex_lock(&c->mu);
	int cancel = c->cancel;
	pthread_mutex_unlock(&c->mu);
	if (!cancel)
		imp_push(c, rc ? 2 : 1);
	return NULL;
}

/* Insert the cases the reading thread produces, in file order, until the
 * input ends. On failure the reader is stopped first, then the message is
 * made (in c->uerr): the first problem in file order wins, so an id clash
 * on line 10 is reported before a parse error the reader met on line 5000. */
/* PostgreSQL: the first of b's first n rows that clashes, inserting them
 * again one by one from the batch's savepoint; NULL when none does. */
static const struct imp_rec *imp_find_clash(struct imp *c, const struct imp_batch *b,
					    size_t n, int *dup)
{
	if (store_exec(c->s, "ROLLBACK TO SAVEPOINT imp_batch", c->uerr))
		return &b->recs[0];
	for (size_t j = 0; j < n; j++) {
		if (store_exec(c->s, "SAVEPOINT imp_row", c->uerr))
			return &b->recs[j];
		size_t kept;
		if (imp_insert(c, &b->recs[j], 1, b->arena.buf, dup, &kept)) {
			store_exec(c->s, "ROLLBACK TO SAVEPOINT imp_row", NULL);
			return &b->recs[j];
		}
		if (store_exec(c->s, "RELEASE SAVEPOINT imp_row", c->uerr))
			return &b->recs[j];
	}
	return NULL;
}

static int imp_pipeline(struct imp *c)
{
	int rc = DK_OK, end = 0, dup = 0;
	int pg = store_engine(c->s) == STORE_POSTGRES;
	c->batch_rows = pg ? IMP_PG_BATCH_ROWS : IMP_BATCH_ROWS;
	c->batch_bytes = pg ? IMP_PG_BATCH_BYTES : IMP_BATCH_BYTES;
	for (size_t i = 0; i < IMP_NBATCH; i++)
		c->b[i].recs = dk_xmalloc(c->batch_rows * sizeof *c->b[i].recs);
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	c->err = &c->rerr;
	if (pthread_create(&c->reader, NULL, imp_reader_main, c)) {
		c->err = c->uerr;
		rc = dk_fail(c->uerr, "cannot start the reading thread");
		goto out;
	}
	const struct imp_rec *bad = NULL;
	const struct imp_batch *bb = NULL;
	while (!end) {
		pthread_mutex_lock(&c->mu);
		while (c->count == 0)
			pthread_cond_wait(&c->cv, &c->mu);
		struct imp_batch *b = &c->b[c->tail % IMP_NBATCH];
		pthread_mutex_unlock(&c->mu);
		/* On PostgreSQL a failed statement aborts the transaction: each
		 * batch goes in under a savepoint, and a clash is found by
		 * going back to it and inserting the batch's rows one by one,
		 * each under a savepoint of its own. */
		if (pg && store_exec(c->s, "SAVEPOINT imp_batch", c->uerr)) {
			bad = &b->recs[0];
			bb = b;
			break;
		}
		if (!pg && imp_keep(c)) {
			bad = &b->recs[0];
			bb = b;
			break;
		}
		if (pg && store_copy_supported(c->s) && imp_copy(c, b, &dup)) {
			/* nothing of the batch went in: find the clash from
			 * the savepoint as below */
			bad = dup ? imp_find_clash(c, b, b->n, &dup) : &b->recs[0];
			if (!bad)
				bad = &b->recs[0]; /* cannot happen */
			bb = b;
		}
		for (size_t i = 0; i < b->n && !bad && !pg;) {
			/* IMP_MULTI rows per statement while they last. The
			 * failed statement kept the rows before the one that
			 * failed (OR FAIL); a clash is then confirmed by
			 * retrying the rest one by one. */
			size_t k = b->n - i >= IMP_MULTI ? IMP_MULTI : 1, kept;
			if (!imp_insert(c, &b->recs[i], k, b->arena.buf, &dup, &kept)) {
				i += k;
				continue;
			}
			i += kept;
			k -= kept;
			if (pg && dup) {
				bad = imp_find_clash(c, b, i + k, &dup);
				if (!bad)
					bad = &b->recs[i]; /* cannot happen */
			} else if (k > 1 && dup) {
				for (size_t j = i; j < i + k && !bad; j++)
					if (imp_insert(c, &b->recs[j], 1, b->arena.buf, &dup, &kept))
						bad = &b->recs[j];
				if (!bad)
					bad = &b->recs[i]; /* cannot happen */
			} else {
				bad = &b->recs[i];
			}
			bb = b; /* stays ours: the slot is not given back */
		}
		if (bad)
			break;
		if (pg && store_exec(c->s, "RELEASE SAVEPOINT imp_batch", c->uerr)) {
			bad = &b->recs[0];
			bb = b;
			break;
		}
		end = b->end;
		pthread_mutex_lock(&c->mu);
		c->count--;
		c->tail++;
		pthread_cond_broadcast(&c->cv);
		pthread_mutex_unlock(&c->mu);
	}
	if (bad) {
		pthread_mutex_lock(&c->mu);
		c->cancel = 1;
		pthread_cond_broadcast(&c->cv);
		pthread_mutex_unlock(&c->mu);
	}
	pthread_join(c->reader, NULL);
	c->err = c->uerr;
	if (bad) {
		c->located = 0;
		rc = dup ? imp_duplicate(c, bad, bb->arena.buf) : DK_ERR;
		if (rc == DK_OK) /* the clash vanished: cannot happen in one transaction */
			rc = dk_fail(c->uerr, "%s: inserting a case failed", c->name);
	} else if (end == 2) {
		*c->uerr = c->rerr;
		rc = DK_ERR;
	}
out:
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->mu);
	return rc;
}

static void imp_free(struct imp *c)
{
	csvread_free(c->csv);
	for (size_t i = 0; i < c->ncols; i++)
		free(c->cols[i].jkey);
	free(c->cols);
	free(c->hdr);
	free(c->cells);
	dk_strset_free(&c->names);
	free(c->pv);
	free(c->pd);
	sbuf_free(&c->carry);
	sbuf_free(&c->arena);
	sbuf_free(&c->probs);
	sbuf_free(&c->attrs);
	sbuf_free(&c->ctx);
	sbuf_free(&c->masked);
	sbuf_free(&c->pii);
	sbuf_free(&c->msg);
	sbuf_free(&c->packed);
	for (int j = 0; j < 3; j++) {
		sbuf_free(&c->arr[j]);
		sbuf_free(&c->klist[j]);
		sbuf_free(&c->rkeys[j]);
	}
	model_free(&c->m);
	for (size_t i = 0; i < IMP_NBATCH; i++) {
		free(c->b[i].recs);
		sbuf_free(&c->b[i].arena);
	}
	sqlite3_finalize(c->jeach);
	sqlite3_close(c->jdb);
}

/* SQLite, a large import: the queue index (cases_queue_model) is keyed by
 * urgency, so the queued cases of a file go into it in random order. Once
 * it outgrows the import's page cache every insert reads a leaf back (10M
 * rows took 20x the time of 1M). When the file holds at least as many rows
 * as the store holds cases, the index is dropped inside the import's
 * transaction and built again at its end in one sorted pass (in
 * import_stream), from the text sqlite_master had: the same index. Both
 * are in the one transaction, so a failure or a kill leaves the index as
 * it was, and readers on other connections keep it in their snapshot.
 * The unique (model_id, ext_id) index stays live: it names a duplicate's
 * line. Not after an ANALYZE: the drop would take the index's figures
 * from sqlite_stat1, and the planner's choices with them. *sql: the
 * index's text to build again, NULL when it stays; *row: its rowid in
 * sqlite_master. */
static int imp_index_defer(store *s, FILE *in, char **sql, int64_t *row,
			   dk_error *err)
{
	*sql = NULL;
	/* The file's rows, from its size and the lines in its first block
	 * (regular files only: a pipe's size is unknown, and it keeps the
	 * live index as before). */
	struct stat st;
	int fd = fileno(in);
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size <= 0)
		return DK_OK;
	char buf[16384];
	ssize_t n = pread(fd, buf, sizeof buf, 0);
	if (n <= 0)
		return DK_OK;
	int64_t lines = 1;
	for (ssize_t i = 0; i < n; i++)
		lines += buf[i] == '\n';
	double rows = (double)st.st_size * (double)lines / (double)n;
	const char *min_env = testhook_env("DOCKET_REINDEX_MIN_ROWS");
	if (rows < (min_env ? atof(min_env) : IMP_REINDEX_MIN_ROWS))
		return DK_OK;
	static const char q_lite[] =
		"SELECT (SELECT coalesce(sum(n), 0) FROM counters),"
		" (SELECT sql FROM sqlite_master WHERE type = 'index'"
		"  AND name = 'cases_queue_model' AND NOT EXISTS"
		"  (SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1')),"
		" (SELECT rowid FROM sqlite_master WHERE name = 'cases_queue_model')";
	db_stmt *q = store_stmt(s, q_lite, err);
	if (!q)
		return DK_ERR;
	int rc = db_step(q);
	if (rc == DB_ROW && db_col_text(q, 1) &&
	    rows >= IMP_REINDEX_RATIO * (double)db_col_int64(q, 0)) {
		*sql = dk_xstrdup((const char *)db_col_text(q, 1));
		*row = db_col_int64(q, 2);
	}
	store_done(q);
	if (rc != DB_ROW)
		return store_fail(s, err, "reading the queue index");
	if (*sql && store_exec(s, "DROP INDEX cases_queue_model", NULL)) {
		free(*sql);
		*sql = NULL;
		return store_fail(s, err, "setting the queue index aside");
	}
	return DK_OK;
}

int import_stream(store *s, FILE *in, const char *name, const import_opts *o,
		  import_result *res, dk_error *err)
{
	memset(res, 0, sizeof *res);
	struct imp c;
	memset(&c, 0, sizeof c);
	c.s = s;
	c.o = o;
	c.name = name;
	c.in = in;
	c.err = err;
	c.uerr = err;
	c.arrays = 1u << IMP_JATTRS | 1u << IMP_JPROBS; /* imp_arr_add */
	if (store_engine(s) == STORE_SQLITE)
		c.arrays |= 1u << IMP_JCTX;
	c.fmt = o->format != IMPORT_AUTO ? o->format : import_format_from_name(name);
	res->format = c.fmt;
	if (c.fmt == IMPORT_AUTO)
		return dk_fail(err,
			       "%s: cannot tell the format from the name: use "
			       "--format csv or --format jsonl",
			       name);
	if (!o->model || !o->model[0])
		return dk_fail(err, "no model name given");
	if (sodium_init() < 0)
		return dk_fail(err, "libsodium cannot initialise");
	dk_sha256_init(&c.sha);
	dk_sha256_init(&c.digest);
	if (c.fmt == IMPORT_CSV)
		c.csv = csvread_new(imp_csv_record, &c);
	/* JSON Lines are parsed by SQLite's json_each on a private in-memory
	 * connection: the reading thread must not share the store's. */
	if (c.fmt == IMPORT_JSONL &&
	    (sqlite3_open_v2(":memory:", &c.jdb,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	     sqlite3_prepare_v2(c.jdb, "SELECT key, type, atom FROM json_each(?1)",
				-1, &c.jeach, NULL) != SQLITE_OK)) {
		dk_fail(err, "cannot open SQLite for JSON parsing: %s",
			c.jdb ? sqlite3_errmsg(c.jdb) : "out of memory");
		imp_free(&c);
		return DK_ERR;
	}
	/* For the import's transaction: a bigger page cache, and no foreign
	 * key checks per row: every case refers to the model and batch rows
	 * this transaction found or made, so the two lookups per row would
	 * prove nothing. Temporary files on disk: the sort that builds the
	 * queue index again (imp_index_defer) keeps its runs in memory
	 * without bound under temp_store=MEMORY. (The pragmas only take
	 * effect outside a transaction, and are put back below whatever
	 * happens.) */
	int old_cache = -16384, old_temp = 2;
	int lite = store_engine(s) == STORE_SQLITE; /* the pragmas are SQLite's */
	static const char pragmas_lite[] =
		"SELECT (SELECT cache_size FROM pragma_cache_size),"
		" (SELECT temp_store FROM pragma_temp_store)";
	db_stmt *cs = lite ? store_stmt(s, pragmas_lite, NULL) : NULL;
	/* a failed read shows as the defaults, which are put back */
	if (cs && db_step(cs) == DB_ROW) {
		old_cache = db_col_int(cs, 0);
		old_temp = db_col_int(cs, 1);
	}
	store_done(cs);
	char cache[128], restore[128];
	snprintf(cache, sizeof cache,
		 "PRAGMA cache_size=-%d; PRAGMA foreign_keys=OFF; PRAGMA temp_store=FILE",
		 o->cache_kib > 0 ? o->cache_kib : IMP_CACHE_KIB);
	snprintf(restore, sizeof restore,
		 "PRAGMA cache_size=%d; PRAGMA foreign_keys=ON; PRAGMA temp_store=%d",
		 old_cache, old_temp);
	int rc = lite ? store_exec(s, cache, err) : DK_OK;
	char *qidx = NULL; /* imp_index_defer */
	int64_t qrow = 0;
	if (!rc)
		rc = store_begin_bulk(s, err);
	if (rc) {
		if (lite)
			store_exec(s, restore, NULL);
		imp_free(&c);
		return DK_ERR;
	}
	rc = imp_begin(&c);
	/* after the batch row: the import's first write stays that one */
	if (!rc && lite)
		rc = imp_index_defer(s, in, &qidx, &qrow, err);
	if (!rc)
		rc = imp_pipeline(&c);
	if (!rc)
		rc = imp_save_keys(&c);
	if (!rc)
		rc = imp_end(&c, res);
	/* The sorted pass (imp_index_defer), in the same transaction. Its
	 * sorter keeps runs as large as the page cache in memory (then
	 * merges them from a temporary file): with a small cache for it,
	 * the import stays inside its memory bound. */
	if (!rc && !o->dry_run && qidx) {
		char sort[64];
		snprintf(sort, sizeof sort, "PRAGMA cache_size=-%d", IMP_SORT_KIB);
		if (store_exec(s, sort, NULL) || store_exec(s, qidx, NULL))
			rc = store_fail(s, err, "building the queue index");
		/* Its row back in its place in sqlite_schema (the rowid the
		 * drop freed): a process reading the schema meets the table's
		 * indexes in that order, as the planner does, and .dump lists
		 * them so. Where the library refuses (defensive mode), the
		 * index is the same, at the end of the list. */
		char move[160];
		snprintf(move, sizeof move,
			 "UPDATE sqlite_master SET rowid = %lld"
			 " WHERE name = 'cases_queue_model'",
			 (long long)qrow);
		if (!rc && !store_exec(s, "PRAGMA writable_schema=ON", NULL)) {
			store_exec(s, move, NULL);
			if (store_exec(s, "PRAGMA writable_schema=OFF", NULL))
				rc = store_fail(s, err, "building the queue index");
		}
	}
	free(qidx);
	if (!rc && !o->dry_run)
		rc = store_commit(s, err);
	else
		store_rollback(s);
	if (lite)
		store_exec(s, restore, NULL);
	res->located = rc ? c.located : 0;
	imp_free(&c);
	return rc ? DK_ERR : DK_OK;
}

int import_file(store *s, const char *path, const import_opts *o,
		import_result *res, dk_error *err)
{
	memset(res, 0, sizeof *res);
	FILE *in = fopen(path, "rb");
	if (!in)
		return dk_fail(err, "%s: cannot open: %s", path, strerror(errno));
	int rc = import_stream(s, in, path, o, res, err);
	fclose(in);
	return rc;
}
