/* export.c: streams the cases with a final human label to CSV or JSON Lines
 * through a temporary file renamed into place, and records the export. */
#include "docket/export.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <csv.h>
#include <sodium.h>

#include "docket/audit.h"
#include "docket/casejson.h"
#include "docket/clock.h"
#include "docket/queue.h"
#include "docket/outfile.h"
#include "docket/pii_merge.h"
#include "docket/sha256.h"

#define EXPORT_PAGE_ROWS 4000
#define EXPORT_BUF_SIZE (256 * 1024)

/* ------------------------------------------------------------------ */
/* Output: the rows are formatted into one buffer while a writer thread
 * hashes (SHA-256) and writes the other, so hashing and write(2) overlap
 * with formatting. The first error sticks (errno in errnum); after it
 * nothing more is written. */

struct ewriter {
	int fd;
	char *buf;          /* the producer's buffer */
	size_t len, cap;
	char *wbuf;         /* the writer thread's buffer */
	size_t wlen, wcap;
	int busy;           /* the thread has wbuf to write */
	int stop;
	int errnum;
	int started;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	dk_sha256 sha; /* of the bytes written (sha256.c: the CPU's SHA instructions) */
	int col; /* CSV: fields written on the current line */
	int guard;      /* --spreadsheet-safe: a ' before formula-like cells */
	sbuf guarded;   /* the guarded cell's text */
};

static void *ew_thread(void *arg)
{
	struct ewriter *w = arg;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->busy && !w->stop)
			pthread_cond_wait(&w->cv, &w->mu);
		if (!w->busy)
			break;
		int failed = w->errnum != 0;
		pthread_mutex_unlock(&w->mu);
		int e = 0;
		if (!failed) {
			dk_sha256_update(&w->sha, w->wbuf, w->wlen);
			size_t off = 0;
			while (off < w->wlen) {
				ssize_t k = write(w->fd, w->wbuf + off, w->wlen - off);
				if (k < 0) {
					if (errno == EINTR)
						continue;
					e = errno;
					break;
				}
				off += (size_t)k;
			}
		}
		pthread_mutex_lock(&w->mu);
		if (e && !w->errnum)
			w->errnum = e;
		w->busy = 0;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static int ew_start(struct ewriter *w, int fd, size_t cap)
{
	w->fd = fd;
	w->cap = w->wcap = cap;
	w->buf = dk_xmalloc(cap);
	w->wbuf = dk_xmalloc(cap);
	dk_sha256_init(&w->sha);
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if (pthread_create(&w->thread, NULL, ew_thread, w) != 0)
		return -1;
	w->started = 1;
	return 0;
}

/* Hand the filled buffer to the writer thread (after it finished the last). */
static void ew_flush(struct ewriter *w)
{
	if (w->len == 0)
		return;
	pthread_mutex_lock(&w->mu);
	while (w->busy)
		pthread_cond_wait(&w->cv, &w->mu);
	if (!w->errnum) {
		char *b = w->wbuf;
		size_t c = w->wcap;
		w->wbuf = w->buf;
		w->wcap = w->cap;
		w->wlen = w->len;
		w->buf = b;
		w->cap = c;
		w->busy = 1;
		pthread_cond_broadcast(&w->cv);
	}
	w->len = 0;
	pthread_mutex_unlock(&w->mu);
}

/* Write what is left, stop the thread; returns the first error (errno) or 0. */
static int ew_finish(struct ewriter *w)
{
	if (!w->started)
		return w->errnum;
	ew_flush(w);
	pthread_mutex_lock(&w->mu);
	while (w->busy)
		pthread_cond_wait(&w->cv, &w->mu);
	w->stop = 1;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	w->started = 0;
	return w->errnum;
}

static int ew_failed(struct ewriter *w)
{
	pthread_mutex_lock(&w->mu);
	int e = w->errnum;
	pthread_mutex_unlock(&w->mu);
	return e;
}

/* Room for n more bytes at w->buf + w->len. */
static char *ew_reserve(struct ewriter *w, size_t n)
{
	if (w->len + n > w->cap) {
		ew_flush(w);
		if (n > w->cap) {
			w->buf = dk_xrealloc(w->buf, n);
			w->cap = n;
		}
	}
	return w->buf + w->len;
}

static void ew_add(struct ewriter *w, const char *s, size_t n)
{
	memcpy(ew_reserve(w, n), s, n);
	w->len += n;
}

static void ew_addc(struct ewriter *w, char c)
{
	if (w->len == w->cap)
		ew_flush(w);
	w->buf[w->len++] = c;
}

/* Bytes that make a CSV field need quotes: separator, quote, line ends. A
 * field starting or ending with a space or tab is quoted too, so readers
 * that trim unquoted fields (libcsv does) read it back unchanged. */
static unsigned char csv_special[256];

static void csv_special_init(void)
{
	csv_special[(unsigned char)','] = 1;
	csv_special[(unsigned char)'"'] = 1;
	csv_special[(unsigned char)'\n'] = 1;
	csv_special[(unsigned char)'\r'] = 1;
}

/* One CSV field; quoted with libcsv's writer when it needs quotes. */
static void ew_csv(struct ewriter *w, const char *s, size_t n)
{
	if (w->guard && dk_csv_formula_like(s, n)) {
		sbuf_reset(&w->guarded);
		sbuf_addc(&w->guarded, '\'');
		sbuf_add(&w->guarded, s, n);
		w->guard = 0;
		ew_csv(w, w->guarded.buf, w->guarded.len);
		w->guard = 1;
		return;
	}
	if (w->col++)
		ew_addc(w, ',');
	int quote = n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' ||
			  s[n - 1] == '\t');
	for (size_t i = 0; i < n && !quote; i++)
		quote = csv_special[(unsigned char)s[i]];
	if (!quote) {
		ew_add(w, s, n);
		return;
	}
	size_t room = 2 * n + 2;
	char *dst = ew_reserve(w, room);
	w->len += csv_write2(dst, room, s, n, '"');
}

static void ew_csv_str(struct ewriter *w, const char *s)
{
	ew_csv(w, s ? s : "", s ? strlen(s) : 0);
}

static void ew_csv_end(struct ewriter *w)
{
	ew_addc(w, '\n');
	w->col = 0;
}

/* ------------------------------------------------------------------ */
/* Numbers and times as text. */

/* Shortest %g text of v that reads back equal (15 digits suffice for most
 * values; 17 always do). buf has at least 32 bytes. Returns the length. */
static size_t fmt_double(double v, char *buf)
{
	int n = 0;
	for (int prec = 15; prec <= 17; prec++) {
		n = snprintf(buf, 32, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return (size_t)n;
}

/* ------------------------------------------------------------------ */
/* A scanner over the members of one flat JSON object (the context, probs
 * and attributions columns, written by the importer). Values are returned
 * as their raw JSON text; nested arrays and objects are skipped whole. */

enum jtype { JV_STR, JV_NUM, JV_LIT, JV_NULL, JV_NEST };

struct jmember {
	const char *key; /* raw key text between the quotes */
	size_t keylen;
	int key_escaped; /* the raw key holds a backslash */
	const char *val; /* raw value text (strings with their quotes) */
	size_t vallen;
	enum jtype type;
};

struct jscan {
	const char *p, *end;
	int first;
};

static void js_ws(struct jscan *j)
{
	while (j->p < j->end &&
	       (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

/* j->p at an opening quote: move past the closing one. */
static int js_skip_string(struct jscan *j, int *escaped)
{
	const char *p = j->p + 1;
	*escaped = 0;
	while (p < j->end && *p != '"') {
		if (*p == '\\') {
			*escaped = 1;
			p++;
		}
		p++;
	}
	if (p >= j->end)
		return -1;
	j->p = p + 1;
	return 0;
}

static int js_skip_nested(struct jscan *j)
{
	int depth = 0, esc;
	while (j->p < j->end) {
		char c = *j->p;
		if (c == '"') {
			if (js_skip_string(j, &esc))
				return -1;
			continue;
		}
		if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']')
			depth--;
		j->p++;
		if (depth == 0)
			return 0;
	}
	return -1;
}

/* Start scanning text (n bytes); NULL or empty text is an empty object. */
static int js_begin(struct jscan *j, const char *s, size_t n)
{
	j->p = s ? s : "";
	j->end = j->p + (s ? n : 0);
	j->first = 1;
	js_ws(j);
	if (j->p == j->end) /* NULL column: no members */
		return 0;
	if (*j->p != '{')
		return -1;
	j->p++;
	return 0;
}

/* The next member: 1 and *m filled, 0 at the end, -1 on malformed text. */
static int js_next(struct jscan *j, struct jmember *m)
{
	js_ws(j);
	if (j->p >= j->end || *j->p == '}')
		return j->p < j->end || j->first ? 0 : -1;
	if (!j->first) {
		if (*j->p != ',')
			return -1;
		j->p++;
		js_ws(j);
	}
	j->first = 0;
	if (j->p >= j->end || *j->p != '"')
		return -1;
	const char *k = j->p + 1;
	if (js_skip_string(j, &m->key_escaped))
		return -1;
	m->key = k;
	m->keylen = (size_t)(j->p - 1 - k);
	js_ws(j);
	if (j->p >= j->end || *j->p != ':')
		return -1;
	j->p++;
	js_ws(j);
	if (j->p >= j->end)
		return -1;
	const char *v = j->p;
	int esc;
	switch (*v) {
	case '"':
		if (js_skip_string(j, &esc))
			return -1;
		m->type = JV_STR;
		break;
	case '{':
	case '[':
		if (js_skip_nested(j))
			return -1;
		m->type = JV_NEST;
		break;
	default:
		while (j->p < j->end && *j->p != ',' && *j->p != '}' &&
		       *j->p != ' ' && *j->p != '\n' && *j->p != '\t' &&
		       *j->p != '\r')
			j->p++;
		m->type = *v == 'n' ? JV_NULL
			  : (*v == 't' || *v == 'f') ? JV_LIT
						     : JV_NUM;
	}
	m->val = v;
	m->vallen = (size_t)(j->p - v);
	return 1;
}

/* A pair of the array form (casejson.h) as a member: the key without its
 * quotes, the value's type from its first byte (the form holds scalars). */
static void jmember_of_pair(struct jmember *m, const casejson_pair *p)
{
	m->key = p->key + 1;
	m->keylen = p->klen - 2;
	m->key_escaped = memchr(m->key, '\\', m->keylen) != NULL;
	m->val = p->val;
	m->vallen = p->vlen;
	char v = *p->val;
	m->type = v == '"' ? JV_STR : v == 'n' ? JV_NULL
		  : v == 't' || v == 'f' ? JV_LIT : JV_NUM;
}

static void utf8_put(sbuf *b, uint32_t cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	sbuf_add(b, u, n);
}

static int hex4(const char *s, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* Append the text of the JSON string body s[0..n) (no quotes) to b. */
static int json_unescape(sbuf *b, const char *s, size_t n)
{
	size_t i = 0, run = 0;
	while (i < n) {
		if (s[i] != '\\') {
			i++;
			continue;
		}
		sbuf_add(b, s + run, i - run);
		if (i + 1 >= n)
			return -1;
		char c = s[i + 1];
		i += 2;
		switch (c) {
		case '"': sbuf_addc(b, '"'); break;
		case '\\': sbuf_addc(b, '\\'); break;
		case '/': sbuf_addc(b, '/'); break;
		case 'b': sbuf_addc(b, '\b'); break;
		case 'f': sbuf_addc(b, '\f'); break;
		case 'n': sbuf_addc(b, '\n'); break;
		case 'r': sbuf_addc(b, '\r'); break;
		case 't': sbuf_addc(b, '\t'); break;
		case 'u': {
			uint32_t cp, lo;
			if (i + 4 > n || hex4(s + i, &cp))
				return -1;
			i += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 <= n &&
			    s[i] == '\\' && s[i + 1] == 'u' && !hex4(s + i + 2, &lo) &&
			    lo >= 0xDC00 && lo <= 0xDFFF) {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				i += 6;
			} else if (cp >= 0xD800 && cp <= 0xDFFF) {
				cp = 0xFFFD; /* a lone surrogate has no UTF-8 form */
			}
			utf8_put(b, cp);
			break;
		}
		default:
			return -1;
		}
		run = i;
	}
	sbuf_add(b, s + run, n - run);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Column names of a CSV export: a small open-addressing map from name to
 * column number, and the names in first-seen order. */

struct colset {
	char **names;  /* header names, in order (malloc'd) */
	size_t n, cap;
	int *slots;    /* index + 1 into names, 0 = empty */
	size_t nslots;
	int *last;     /* the columns of the last row's members, in order */
	size_t nlast;
	int *next;     /* header order: a list through the columns */
	int *prv;
	int head, tail; /* -1 when none */
	int *pending;  /* new columns at the start of a row, not yet placed */
	size_t npending;
};

static uint64_t name_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

/* The column of name (n bytes), or -1. */
static int colset_find(const struct colset *c, const char *s, size_t n)
{
	if (!c->nslots)
		return -1;
	size_t mask = c->nslots - 1;
	for (size_t i = name_hash(s, n) & mask;; i = (i + 1) & mask) {
		int k = c->slots[i];
		if (!k)
			return -1;
		const char *name = c->names[k - 1];
		if (!strncmp(name, s, n) && name[n] == '\0')
			return k - 1;
	}
}

static void colset_put_slot(struct colset *c, size_t idx)
{
	size_t mask = c->nslots - 1;
	const char *name = c->names[idx];
	size_t i = name_hash(name, strlen(name)) & mask;
	while (c->slots[i])
		i = (i + 1) & mask;
	c->slots[i] = (int)idx + 1;
}

/* Add name (n bytes) unless present; returns its column. A new column is
 * not in the header order yet: colset_place puts it there. */
static int colset_add(struct colset *c, const char *s, size_t n)
{
	int k = colset_find(c, s, n);
	if (k >= 0)
		return k;
	if (c->n == 0)
		c->head = c->tail = -1;
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 16;
		c->names = dk_xrealloc(c->names, c->cap * sizeof *c->names);
		c->next = dk_xrealloc(c->next, c->cap * sizeof *c->next);
		c->prv = dk_xrealloc(c->prv, c->cap * sizeof *c->prv);
		c->pending = dk_xrealloc(c->pending, c->cap * sizeof *c->pending);
	}
	char *name = dk_xmalloc(n + 1);
	memcpy(name, s, n);
	name[n] = '\0';
	k = (int)c->n;
	c->names[c->n++] = name;
	if (2 * c->n > c->nslots) {
		free(c->slots);
		c->nslots = c->nslots ? 2 * c->nslots : 64;
		c->slots = calloc(c->nslots, sizeof *c->slots);
		if (!c->slots)
			abort();
		for (size_t i = 0; i < c->n; i++)
			colset_put_slot(c, i);
	} else {
		colset_put_slot(c, c->n - 1);
	}
	return k;
}

/* Link column k into the header order after column a (-1: at the end) or,
 * with before set, before column a (-1: at the end). */
static void colset_link(struct colset *c, int k, int a, int before)
{
	if (a < 0) {
		c->prv[k] = c->tail;
		c->next[k] = -1;
		if (c->tail >= 0)
			c->next[c->tail] = k;
		else
			c->head = k;
		c->tail = k;
		return;
	}
	if (before) {
		a = c->prv[a];
		if (a < 0) {
			c->prv[k] = -1;
			c->next[k] = c->head;
			c->prv[c->head] = k;
			c->head = k;
			return;
		}
	}
	c->next[k] = c->next[a];
	c->prv[k] = a;
	if (c->next[a] >= 0)
		c->prv[c->next[a]] = k;
	else
		c->tail = k;
	c->next[a] = k;
}

/* Place the columns of one row's members (cols, in row order; isnew[i] for
 * those just added) in the header order: a new column goes right after the
 * member before it, and new columns that open the row go before the first
 * known member (at the end when none). Rows that each hold some of one
 * file's columns (empty cells are not stored) so come out in that file's
 * order. */
static void colset_place(struct colset *c, int col, int isnew, int prev)
{
	if (isnew && (c->npending || prev < 0)) {
		c->pending[c->npending++] = col;
		return;
	}
	if (isnew) {
		colset_link(c, col, prev, 0);
		return;
	}
	for (size_t i = 0; i < c->npending; i++)
		colset_link(c, c->pending[i], col, 1);
	c->npending = 0;
}

/* The end of a row: new columns with no known member go last. */
static void colset_row_end(struct colset *c)
{
	for (size_t i = 0; i < c->npending; i++)
		colset_link(c, c->pending[i], -1, 0);
	c->npending = 0;
}

/* Renumber the columns in header order (after the first pass). */
static void colset_settle(struct colset *c)
{
	if (c->n == 0)
		return;
	char **names = dk_xmalloc(c->n * sizeof *names);
	size_t i = 0;
	for (int k = c->head; k >= 0; k = c->next[k])
		names[i++] = c->names[k];
	free(c->names);
	c->names = names;
	c->cap = c->n;
	for (i = 0; i < c->n; i++) {
		c->next[i] = i + 1 < c->n ? (int)i + 1 : -1;
		c->prv[i] = (int)i - 1;
	}
	c->head = 0;
	c->tail = (int)c->n - 1;
	memset(c->slots, 0, c->nslots * sizeof *c->slots);
	for (i = 0; i < c->n; i++)
		colset_put_slot(c, i);
	c->nlast = 0;
}

/* The column of the i-th member of a row, named s (n bytes), or -1. Rows
 * of one batch have the same members in the same order, so the column the
 * i-th member had in the last row is tried before the hash. */
static int colset_find_nth(struct colset *c, size_t i, const char *s, size_t n)
{
	if (i < c->nlast && c->last[i] >= 0) {
		const char *name = c->names[c->last[i]];
		/* (its length first: a shorter name ends before s's n bytes) */
		if (strnlen(name, n + 1) == n && !memcmp(name, s, n))
			return c->last[i];
	}
	int k = colset_find(c, s, n);
	if (i >= c->nlast) {
		c->last = dk_xrealloc(c->last, (i + 1) * sizeof *c->last);
		while (c->nlast <= i)
			c->last[c->nlast++] = -1;
	}
	c->last[i] = k;
	return k;
}

static void colset_free(struct colset *c)
{
	free(c->last);
	free(c->next);
	free(c->prv);
	free(c->pending);
	for (size_t i = 0; i < c->n; i++)
		free(c->names[i]);
	free(c->names);
	free(c->slots);
	memset(c, 0, sizeof *c);
}

/* ------------------------------------------------------------------ */
/* The fixed columns (DESIGN.md, "Output that scripts read"). A context field
 * with one of these names is written as "context:NAME" so every header name
 * stays unique and the file imports again. */

static const char *const export_fixed[] = {
	"id", "prediction", "confidence", "human_label", "override", "action",
	"reviewer", "reason", "decided_at", "model", "model_version",
	"policy_version", "source_file", "source_sha256", "text",
};
#define EXPORT_NFIXED (sizeof export_fixed / sizeof export_fixed[0])
#define EXPORT_RENAME "context:"

static int export_is_fixed(const char *s, size_t n)
{
	/* Cheap rejections first: this runs for every context field. */
	if (n < 2 || n > 14 || !strchr("iphoardmst", s[0]))
		return 0;
	for (size_t i = 0; i < EXPORT_NFIXED; i++)
		if (export_fixed[i][0] == s[0] &&
		    strnlen(export_fixed[i], n + 1) == n &&
		    !memcmp(export_fixed[i], s, n))
			return 1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Queries. Rows come in pages of page_rows by keyset (final_seq for the
 * reviewed cases, the case's rowid for --only all), each page in its own
 * short read transaction so the export never pins the WAL. Parameters:
 * ?1 < key <= ?2, ?3 model id or NULL, ?4 model version or NULL, ?5 since,
 * ?6 until (NULL when open), ?7 overrides only, ?8 page size. */

/* Everyone whose decision in force gave the final label, in order. */
#define EXPORT_REVIEWERS_SQL                                                  \
	"(SELECT group_concat(name, ';') FROM (SELECT r.name FROM reviews v"  \
	" JOIN reviewers r ON r.id = v.reviewer_id WHERE v.case_id = c.id"    \
	" AND v.action IN ('accept','override','resolve')"                    \
	" AND coalesce(v.label, c.prediction) = c.final_label ORDER BY v.seq) AS rv)"

/* The context's personal values, read beside it (pii, the last column,
 * and join, how): on SQLite none (NULL); on PostgreSQL they live apart
 * (case_pii, src/engine/pg_roles.c), and job_obj puts them back
 * (pii_merge). Each statement that reads them is written once, for both
 * (export_sql). */
#define EXPORT_PII_LITE ", NULL", ""
#define EXPORT_PII_PG ", p.context", " LEFT JOIN case_pii p ON p.case_id = c.id"
#define EXPORT_APPLY(stmt, args) stmt(args)
#define EXPORT_LITE(stmt) EXPORT_APPLY(stmt, EXPORT_PII_LITE)
#define EXPORT_PG(stmt) EXPORT_APPLY(stmt, EXPORT_PII_PG)

#define EXPORT_COLS_TAIL(pii, join)                                           \
	" d.reason, c.decided_at, m.name, b.model_version, c.policy_version,"   \
	" b.source_file, b.source_sha256, c.text, c.context, c.probs,"          \
	" c.attributions, b.ctx_keys, b.prob_keys, b.attr_keys" pii             \
	" FROM cases c JOIN batches b ON b.id = c.batch_id"                    \
	" JOIN models m ON m.id = c.model_id" join                              \
	" LEFT JOIN decisions d ON d.seq = c.final_seq"

#define EXPORT_WHERE_REVIEWED                                                 \
	" WHERE c.final_seq > ?1 AND c.final_seq <= ?2 AND c.state = 'done'"    \
	" AND (?3 IS NULL OR c.model_id = ?3)"                                  \
	" AND (?4 IS NULL OR b.model_version = ?4)"                             \
	" AND (?5 IS NULL OR c.decided_at >= ?5)"                               \
	" AND (?6 IS NULL OR c.decided_at < ?6)"                                \
	" AND (?7 = 0 OR c.final_label IS DISTINCT FROM c.prediction)"          \
	" ORDER BY c.final_seq LIMIT ?8"

/* --only all: decided time for the reviewed, import time for the rest. */
#define EXPORT_WHERE_ALL                                                      \
	" WHERE c.id > ?1 AND c.id <= ?2"                                       \
	" AND (?3 IS NULL OR c.model_id = ?3)"                                  \
	" AND (?4 IS NULL OR b.model_version = ?4)"                             \
	" AND (?5 IS NULL OR CASE WHEN c.state = 'done' THEN c.decided_at"      \
	"  ELSE b.imported_at END >= ?5)"                                       \
	" AND (?6 IS NULL OR CASE WHEN c.state = 'done' THEN c.decided_at"      \
	"  ELSE b.imported_at END < ?6)"                                        \
	" AND ?7 = 0"                                                           \
	" ORDER BY c.id LIMIT ?8"

/* Columns of a page row. */
enum {
	XC_KEY, XC_ID, XC_PRED, XC_CONF, XC_LABEL, XC_ACTION, XC_REVIEWERS,
	XC_DECIDER, XC_REASON, XC_DECIDED, XC_MODEL, XC_VERSION, XC_POLICY,
	XC_SRC, XC_SHA, XC_TEXT, XC_CONTEXT, XC_PROBS, XC_ATTRS,
	XC_KEYS, /* the batch's key lists: context, probs, attributions */
	XC_PII = XC_KEYS + 3, /* the personal values (EXPORT_PII_PG) */
};

#define EXPORT_SQL_REVIEWED(pii, join)                                             \
	"SELECT c.final_seq, c.ext_id, c.prediction, c.confidence,"             \
	" c.final_label, d.action, " EXPORT_REVIEWERS_SQL ", d.reviewer,"       \
	EXPORT_COLS_TAIL(pii, join) EXPORT_WHERE_REVIEWED
static const char export_sql_reviewed[] = EXPORT_LITE(EXPORT_SQL_REVIEWED);
static const char export_sql_reviewed_pg[] = EXPORT_PG(EXPORT_SQL_REVIEWED);

#define EXPORT_SQL_ALL(pii, join)                                               \
	"SELECT c.id, c.ext_id, c.prediction, c.confidence,"                    \
	" CASE WHEN c.state = 'done' THEN c.final_label END,"                   \
	" CASE WHEN c.state = 'done' THEN d.action END,"                        \
	" CASE WHEN c.state = 'done' THEN " EXPORT_REVIEWERS_SQL " END,"        \
	" CASE WHEN c.state = 'done' THEN d.reviewer END,"                      \
	EXPORT_COLS_TAIL(pii, join) EXPORT_WHERE_ALL
static const char export_sql_all[] = EXPORT_LITE(EXPORT_SQL_ALL);
static const char export_sql_all_pg[] = EXPORT_PG(EXPORT_SQL_ALL);

/* --since-last: a case whose final label the last export took and that has
 * none now (undone, or amended to escalate or skip) gets a row of its own,
 * action 'withdrawn' and no label, so whoever keeps the last row per id
 * drops the case. One case per statement (?1: its id). */
#define EXPORT_SQL_WITHDRAWN(pii, join)                                       \
	"SELECT c.id, c.ext_id, c.prediction, c.confidence, NULL, 'withdrawn',"  \
	" NULL, NULL, NULL, NULL, m.name, b.model_version, c.policy_version,"   \
	" b.source_file, b.source_sha256, c.text, c.context, c.probs,"          \
	" c.attributions, b.ctx_keys, b.prob_keys, b.attr_keys" pii             \
	" FROM cases c JOIN batches b ON b.id = c.batch_id"                    \
	" JOIN models m ON m.id = c.model_id" join " WHERE c.id = ?1"
static const char export_sql_withdrawn[] = EXPORT_LITE(EXPORT_SQL_WITHDRAWN);
static const char export_sql_withdrawn_pg[] = EXPORT_PG(EXPORT_SQL_WITHDRAWN);

/* The cases that may have been withdrawn since the watermark: those with
 * an undo, escalate or skip entry in (?1, ?2] (a range of decisions_action
 * per action, never a scan of cases) and no final label now. */
static const char export_sql_withdrawn_find[] =
	"SELECT DISTINCT c.id, c.reviews_needed, c.prediction FROM decisions d"
	" JOIN cases c ON c.id = d.case_id JOIN batches b ON b.id = c.batch_id"
	" WHERE d.action IN ('undo', 'escalate', 'skip')"
	" AND d.seq > ?1 AND d.seq <= ?2 AND c.state <> 'done'"
	" AND (?3 IS NULL OR c.model_id = ?3)"
	" AND (?4 IS NULL OR b.model_version = ?4)"
	" ORDER BY c.id";

/* The light first pass of a CSV export: what columns the header needs. */
enum {
	XK_KEY, XK_HAS_TEXT, XK_CONTEXT, XK_PROBS, XK_ATTRS, XK_ID, XK_KEYS,
	XK_PII = XK_KEYS + 3
};

#define EXPORT_KEYS_REVIEWED(pii, join)                                       \
	"SELECT c.final_seq, c.text IS NOT NULL, c.context, c.probs,"           \
	" c.attributions, c.ext_id, b.ctx_keys, b.prob_keys, b.attr_keys" pii   \
	" FROM cases c JOIN batches b ON b.id = c.batch_id" join               \
	EXPORT_WHERE_REVIEWED
static const char export_keys_reviewed[] = EXPORT_LITE(EXPORT_KEYS_REVIEWED);
static const char export_keys_reviewed_pg[] = EXPORT_PG(EXPORT_KEYS_REVIEWED);

#define EXPORT_KEYS_ALL(pii, join)                                            \
	"SELECT c.id, c.text IS NOT NULL, c.context, c.probs, c.attributions,"  \
	" c.ext_id, b.ctx_keys, b.prob_keys, b.attr_keys" pii                   \
	" FROM cases c JOIN batches b ON b.id = c.batch_id" join               \
	EXPORT_WHERE_ALL
static const char export_keys_all[] = EXPORT_LITE(EXPORT_KEYS_ALL);
static const char export_keys_all_pg[] = EXPORT_PG(EXPORT_KEYS_ALL);

#define EXPORT_KEYS_WITHDRAWN(pii, join)                                      \
	"SELECT c.id, c.text IS NOT NULL, c.context, c.probs, c.attributions,"  \
	" c.ext_id, b.ctx_keys, b.prob_keys, b.attr_keys" pii                   \
	" FROM cases c JOIN batches b ON b.id = c.batch_id" join " WHERE c.id = ?1"
static const char export_keys_withdrawn[] = EXPORT_LITE(EXPORT_KEYS_WITHDRAWN);
static const char export_keys_withdrawn_pg[] = EXPORT_PG(EXPORT_KEYS_WITHDRAWN);

/* The statement sql (one of those above) as the store's engine reads the
 * context: PostgreSQL's twin, written from the same text. Constants, not
 * a rewrite at run time: nothing to allocate, keep or free (a rewritten
 * copy had to live as long as the statement cache keyed by its address,
 * and stayed reachable at exit). */
static const char *export_sql(store *s, const char *sql)
{
	static const struct {
		const char *lite, *pg;
	} twins[] = {
		{export_sql_reviewed, export_sql_reviewed_pg},
		{export_sql_all, export_sql_all_pg},
		{export_sql_withdrawn, export_sql_withdrawn_pg},
		{export_keys_reviewed, export_keys_reviewed_pg},
		{export_keys_all, export_keys_all_pg},
		{export_keys_withdrawn, export_keys_withdrawn_pg},
	};
	if (store_engine(s) != STORE_POSTGRES)
		return sql;
	for (size_t i = 0; i < sizeof twins / sizeof twins[0]; i++)
		if (twins[i].lite == sql)
			return twins[i].pg;
	return sql;
}

int export_explain(store *s, sbuf *out, dk_error *err)
{
	static const char *const sql[] = {export_sql_reviewed, export_keys_reviewed,
					  export_sql_all, export_keys_all,
					  export_sql_withdrawn_find,
					  export_sql_withdrawn, export_keys_withdrawn};
	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		sbuf_printf(out, "-- %s\n", sql[i]);
		if (store_explain(s, sql[i], out, err))
			return DK_ERR;
	}
	return DK_OK;
}

/* ------------------------------------------------------------------ */

struct export_job {
	store *s;
	const struct export_opts *o;
	dk_error *err;
	int64_t model_id; /* -1: any */
	int64_t lo, hi;   /* key range (lo, hi] */
	int64_t *wd;      /* --since-last: the withdrawn cases' ids */
	size_t nwd;
	struct ewriter w;
	/* CSV columns after the fixed ones */
	int has_text;
	struct colset ctx, probs, attrs;
	struct cell {
		const char *p;
		size_t n;
		enum jtype type;
	} *cells;     /* one per ctx, then probs, then attrs column */
	size_t ncells;
	sbuf scratch; /* unescaped keys and values */
	casejson_keys keys[3]; /* the row's batch's key lists (JC_*) */
	sbuf dec[3];           /* the row's packed values, decoded (JC_*) */
	sbuf ctxfull;          /* the row's context with its personal values */
	sbuf line;    /* a JSONL line */
	sbuf revs;    /* the reviewers of a row */
	int64_t rows;
};

static int job_bind(struct export_job *j, db_stmt *st, int64_t after)
{
	const struct export_opts *o = j->o;
	db_bind_int64(st, 1, after);
	db_bind_int64(st, 2, j->hi);
	if (j->model_id >= 0)
		db_bind_int64(st, 3, j->model_id);
	if (o->model_version)
		db_bind_text(st, 4, o->model_version, -1, DB_STATIC);
	if (o->since_ms >= 0)
		db_bind_int64(st, 5, o->since_ms);
	if (o->until_ms >= 0)
		db_bind_int64(st, 6, o->until_ms);
	db_bind_int(st, 7, o->only == EXPORT_OVERRIDES);
	db_bind_int(st, 8, o->page_rows > 0 ? o->page_rows : EXPORT_PAGE_ROWS);
	return DK_OK;
}

static const char *col_text(db_stmt *st, int i, size_t *n)
{
	const char *t = (const char *)db_col_text(st, i);
	*n = t ? (size_t)db_col_bytes(st, i) : 0;
	return t;
}

static int job_malformed(struct export_job *j, const char *id, const char *what)
{
	return dk_fail(j->err, "%s: case %s: malformed %s JSON in the store",
		       store_path(j->s), id ? id : "?", what);
}

/* The key of member m as plain text (unescaped into scratch when needed). */
static const char *member_key(struct export_job *j, const struct jmember *m,
			      size_t *n)
{
	if (!m->key_escaped) {
		*n = m->keylen;
		return m->key;
	}
	sbuf_reset(&j->scratch);
	if (json_unescape(&j->scratch, m->key, m->keylen))
		return NULL;
	*n = j->scratch.len;
	return j->scratch.buf;
}

static int is_pii(const char *k, size_t n)
{
	return n >= 4 && !memcmp(k, "pii:", 4);
}

/* Strip a "p:" / "attr:" prefix if the importer kept it in the key. */
static const char *strip_prefix(const char *k, size_t *n, const char *prefix)
{
	size_t pl = strlen(prefix);
	if (*n >= pl && !memcmp(k, prefix, pl)) {
		*n -= pl;
		return k + pl;
	}
	return k;
}

/* The three JSON columns of a case, in the order the export writes them. */
enum { JC_CONTEXT, JC_PROBS, JC_ATTRS, JC_N };
static const char *const jc_prefix[JC_N] = {"", "p:", "attr:"};
static const char *const jc_name[JC_N] = {"context", "probabilities",
					   "attributions"};

/* The CSV columns collected for JSON column c (JC_*). */
static struct colset *job_colset(struct export_job *j, int c)
{
	return c == JC_CONTEXT ? &j->ctx : c == JC_PROBS ? &j->probs : &j->attrs;
}

/* JSON column c (JC_*) of row st as stored: *t (*n bytes) is the column's
 * text, NULL for NULL; a value in the array form (casejson.h) gets its
 * batch's key list (column kcol) into j->keys[c] for job_members. */
static int job_obj(struct export_job *j, db_stmt *st, int c, int vcol, int kcol,
		   const char *id, const char **t, size_t *n)
{
	*t = col_text(st, vcol, n);
	/* PostgreSQL: the personal values back in the context (the column
	 * after the key lists, EXPORT_PII_PG) */
	size_t pn;
	const char *p = c == JC_CONTEXT && *t ? col_text(st, kcol + JC_N, &pn) : NULL;
	if (p) {
		if (pii_merge(&j->ctxfull, *t, *n, p, pn))
			return dk_fail(j->err, "%s: case %s: its personal values do "
					       "not fit its context",
				       store_path(j->s), id ? id : "?");
		*t = j->ctxfull.buf;
		*n = j->ctxfull.len;
	}
	if (!casejson_is_array(*t, *n))
		return DK_OK;
	size_t kn;
	const char *k = col_text(st, kcol, &kn);
	if (casejson_keys_set(&j->keys[c], k, kn))
		return dk_fail(j->err, "%s: case %s: malformed key list of its batch",
			       store_path(j->s), id ? id : "?");
	return DK_OK;
}

/* What job_members calls for each member it keeps: k (kn bytes) is the
 * unescaped key without its p:/attr: prefix, nth its place among the kept
 * members of this column, m the member as scanned (raw key and value). */
typedef int job_member_fn(struct export_job *j, int c, size_t nth,
			  const char *k, size_t kn, const struct jmember *m,
			  void *arg);

/* Walk the members of JSON column c (JC_*) held in text t (n bytes) of the
 * case named id, as the export takes them: pii: fields are left out under
 * --drop-pii. Stops at the first non-zero result of fn and returns it;
 * malformed JSON is an error naming the case and the column. */
static int job_members(struct export_job *j, const char *id, int c,
		       const char *t, size_t n, job_member_fn *fn, void *arg)
{
	struct jmember m;
	int r, rc;
	size_t nth = 0;
	struct jscan js = {0};
	casejson_iter it;
	casejson_pair p;
	int array = casejson_is_array(t, n);
	if (array) {
		/* the CSV's cells point at the values until the row is out */
		sbuf *dec = &j->dec[c];
		if (dec->cap < 2 * n) {
			dec->buf = dk_xrealloc(dec->buf, 2 * n);
			dec->cap = 2 * n;
		}
		casejson_iter_start(&it, &j->keys[c], t, n);
		casejson_iter_keep(&it, dec->buf, dec->cap);
	}
	else if (js_begin(&js, t, n))
		return job_malformed(j, id, jc_name[c]);
	/* The array form's pairs are walked as they are stored (casejson.h),
	 * not expanded into an object first and scanned again. */
	while ((r = array ? casejson_iter_next(&it, &p) : js_next(&js, &m)) == 1) {
		if (array)
			jmember_of_pair(&m, &p);
		size_t kn;
		const char *k = member_key(j, &m, &kn);
		if (!k)
			return job_malformed(j, id, jc_name[c]);
		if (c == JC_CONTEXT && j->o->drop_pii && is_pii(k, kn))
			continue;
		k = strip_prefix(k, &kn, jc_prefix[c]);
		if ((rc = fn(j, c, nth++, k, kn, &m, arg)))
			return rc;
	}
	if (array && r)
		return casejson_iter_error(&it, id, jc_name[c], j->err);
	return r < 0 ? job_malformed(j, id, jc_name[c]) : DK_OK;
}

/* CSV first pass: collect the columns of the rows the export will take. */
static int job_collect_member(struct export_job *j, int c, size_t nth,
			      const char *k, size_t kn, const struct jmember *m,
			      void *arg)
{
	(void)m;
	struct colset *set = job_colset(j, c);
	int *prev = arg;
	int col = colset_find_nth(set, nth, k, kn);
	int isnew = col < 0;
	if (isnew)
		col = set->last[nth] = colset_add(set, k, kn);
	colset_place(set, col, isnew, *prev);
	*prev = col;
	return DK_OK;
}

static int job_collect(struct export_job *j, db_stmt *st)
{
	if (db_col_int(st, XK_HAS_TEXT))
		j->has_text = 1;
	static const int cols[JC_N] = {XK_CONTEXT, XK_PROBS, XK_ATTRS};
	const char *id = (const char *)db_col_text(st, XK_ID);
	for (int c = 0; c < JC_N; c++) {
		size_t n;
		const char *t;
		int prev = -1;
		if (job_obj(j, st, c, cols[c], XK_KEYS + c, id, &t, &n) ||
		    job_members(j, id, c, t, n, job_collect_member, &prev))
			return DK_ERR;
		colset_row_end(job_colset(j, c));
	}
	return DK_OK;
}

static void job_csv_header(struct export_job *j)
{
	struct ewriter *w = &j->w;
	sbuf name = {0};
	colset_settle(&j->ctx);
	colset_settle(&j->probs);
	colset_settle(&j->attrs);
	for (size_t i = 0; i < EXPORT_NFIXED - 1; i++)
		ew_csv_str(w, export_fixed[i]);
	if (j->has_text)
		ew_csv_str(w, "text");
	for (size_t i = 0; i < j->ctx.n; i++) {
		const char *k = j->ctx.names[i];
		sbuf_reset(&name);
		if (export_is_fixed(k, strlen(k)))
			sbuf_adds(&name, EXPORT_RENAME);
		sbuf_adds(&name, k);
		ew_csv(w, name.buf, name.len);
	}
	for (size_t i = 0; i < j->probs.n; i++) {
		sbuf_reset(&name);
		sbuf_printf(&name, "p:%s", j->probs.names[i]);
		ew_csv(w, name.buf, name.len);
	}
	for (size_t i = 0; i < j->attrs.n; i++) {
		sbuf_reset(&name);
		sbuf_printf(&name, "attr:%s", j->attrs.names[i]);
		ew_csv(w, name.buf, name.len);
	}
	ew_csv_end(w);
	sbuf_free(&name);
	j->ncells = j->ctx.n + j->probs.n + j->attrs.n;
	j->cells = calloc(j->ncells ? j->ncells : 1, sizeof *j->cells);
	if (!j->cells)
		abort();
}

/* The values of the fixed columns of one row, as text. */
struct fixed_row {
	const char *id, *pred, *label, *action, *reason, *model, *version, *src,
		*sha;
	char conf[32], decided[32], policy[24];
	size_t conflen;
	int override, reviewed;
	sbuf *reviewers;
};

static void job_fixed(db_stmt *st, struct fixed_row *f)
{
	f->id = (const char *)db_col_text(st, XC_ID);
	f->pred = (const char *)db_col_text(st, XC_PRED);
	f->conflen = fmt_double(db_col_double(st, XC_CONF), f->conf);
	f->label = (const char *)db_col_text(st, XC_LABEL);
	f->reviewed = f->label != NULL;
	f->override = f->reviewed && strcmp(f->label, f->pred) != 0;
	/* no label: unreviewed (--only all), unless the row says withdrawn */
	f->action = (const char *)db_col_text(st, XC_ACTION);
	if (!f->action)
		f->action = f->reviewed ? "" : "unreviewed";
	f->reason = (const char *)db_col_text(st, XC_REASON);
	f->decided[0] = '\0';
	if (f->reviewed && db_col_type(st, XC_DECIDED) != DB_NULL)
		clock_format_iso(db_col_int64(st, XC_DECIDED), f->decided,
				 sizeof f->decided);
	f->model = (const char *)db_col_text(st, XC_MODEL);
	f->version = (const char *)db_col_text(st, XC_VERSION);
	snprintf(f->policy, sizeof f->policy, "%lld",
		 (long long)db_col_int64(st, XC_POLICY));
	f->src = (const char *)db_col_text(st, XC_SRC);
	f->sha = (const char *)db_col_text(st, XC_SHA);
	/* Reviewers: those whose decision in force gave the final label; the
	 * decisive entry's author is always among them. */
	sbuf *r = f->reviewers;
	sbuf_reset(r);
	if (!f->reviewed)
		return;
	const char *list = (const char *)db_col_text(st, XC_REVIEWERS);
	const char *decider = (const char *)db_col_text(st, XC_DECIDER);
	if (list)
		sbuf_adds(r, list);
	if (decider) {
		size_t dn = strlen(decider);
		int found = 0;
		for (const char *p = sbuf_str(r); *p && !found;) {
			size_t n = strcspn(p, ";");
			found = n == dn && !memcmp(p, decider, dn);
			p += n + (p[n] == ';');
		}
		if (!found) {
			if (r->len)
				sbuf_addc(r, ';');
			sbuf_adds(r, decider);
		}
	}
}

/* Write one cell of a JSON value into a CSV field: strings unescaped,
 * null empty, anything else (numbers, true/false, nested) as its text. */
static int job_csv_cell(struct export_job *j, const struct cell *c)
{
	if (!c->p || c->type == JV_NULL) {
		ew_csv(&j->w, "", 0);
		return DK_OK;
	}
	if (c->type != JV_STR) {
		ew_csv(&j->w, c->p, c->n);
		return DK_OK;
	}
	const char *body = c->p + 1;
	size_t n = c->n - 2;
	if (!memchr(body, '\\', n)) {
		ew_csv(&j->w, body, n);
		return DK_OK;
	}
	sbuf_reset(&j->scratch);
	if (json_unescape(&j->scratch, body, n))
		return DK_ERR;
	ew_csv(&j->w, j->scratch.buf, j->scratch.len);
	return DK_OK;
}

/* Put member m in its cell of the CSV row (the columns were collected by
 * the first pass; arg is the case's id, for the message). */
static int job_cell_member(struct export_job *j, int c, size_t nth,
			   const char *k, size_t kn, const struct jmember *m,
			   void *arg)
{
	struct colset *set = job_colset(j, c);
	size_t base = c == JC_CONTEXT ? 0
		      : c == JC_PROBS ? j->ctx.n : j->ctx.n + j->probs.n;
	int col = colset_find_nth(set, nth, k, kn);
	if (col < 0)
		return dk_fail(j->err,
			       "%s: case %s: a field appeared while exporting; "
			       "run the export again",
			       store_path(j->s), (const char *)arg);
	struct cell *cell = &j->cells[base + (size_t)col];
	cell->p = m->val;
	cell->n = m->vallen;
	cell->type = m->type;
	return DK_OK;
}

static int job_row_csv(struct export_job *j, db_stmt *st)
{
	struct ewriter *w = &j->w;
	struct fixed_row f;
	f.reviewers = &j->revs;
	job_fixed(st, &f);
	ew_csv_str(w, f.id);
	ew_csv_str(w, f.pred);
	ew_csv(w, f.conf, f.conflen);
	ew_csv_str(w, f.reviewed ? f.label : "");
	ew_csv_str(w, f.override ? "1" : "0");
	ew_csv_str(w, f.action);
	ew_csv(w, sbuf_str(&j->revs), j->revs.len);
	ew_csv_str(w, f.reason);
	ew_csv_str(w, f.decided);
	ew_csv_str(w, f.model);
	ew_csv_str(w, f.version);
	ew_csv_str(w, f.policy);
	ew_csv_str(w, f.src);
	ew_csv_str(w, f.sha);
	if (j->has_text) {
		size_t n;
		const char *t = col_text(st, XC_TEXT, &n);
		ew_csv(w, t ? t : "", n);
	}
	memset(j->cells, 0, j->ncells * sizeof *j->cells);
	static const int cols[JC_N] = {XC_CONTEXT, XC_PROBS, XC_ATTRS};
	for (int c = 0; c < JC_N; c++) {
		size_t n;
		const char *t;
		if (job_obj(j, st, c, cols[c], XC_KEYS + c, f.id, &t, &n) ||
		    job_members(j, f.id, c, t, n, job_cell_member, (void *)f.id))
			return DK_ERR;
	}
	for (size_t i = 0; i < j->ncells; i++)
		if (job_csv_cell(j, &j->cells[i]))
			return job_malformed(j, f.id, "context");
	ew_csv_end(w);
	return DK_OK;
}

static void json_key(sbuf *b, const char *k)
{
	sbuf_addc(b, ',');
	sbuf_add_json_str(b, k, strlen(k));
	sbuf_addc(b, ':');
}

static void json_str_or_null(sbuf *b, const char *k, const char *v)
{
	json_key(b, k);
	if (v)
		sbuf_add_json_str(b, v, strlen(v));
	else
		sbuf_adds(b, "null");
}

/* Append member m to the JSON Lines object in arg (an sbuf) under its
 * export name: the raw key is valid JSON string text already. */
static int job_json_member(struct export_job *j, int c, size_t nth,
			   const char *k, size_t kn, const struct jmember *m,
			   void *arg)
{
	(void)j;
	(void)nth;
	sbuf *b = arg;
	const char *raw = m->key;
	size_t rawn = m->keylen;
	sbuf_add(b, ",\"", 2);
	if (c == JC_CONTEXT && export_is_fixed(k, kn))
		sbuf_adds(b, EXPORT_RENAME);
	raw = strip_prefix(raw, &rawn, jc_prefix[c]);
	sbuf_adds(b, jc_prefix[c]);
	sbuf_add(b, raw, rawn);
	sbuf_add(b, "\":", 2);
	sbuf_add(b, m->val, m->vallen);
	return DK_OK;
}

static int job_row_jsonl(struct export_job *j, db_stmt *st)
{
	sbuf *b = &j->line;
	struct fixed_row f;
	f.reviewers = &j->revs;
	job_fixed(st, &f);
	sbuf_reset(b);
	sbuf_adds(b, "{\"id\":");
	sbuf_add_json_str(b, f.id, strlen(f.id));
	json_str_or_null(b, "prediction", f.pred);
	json_key(b, "confidence");
	sbuf_add(b, f.conf, f.conflen);
	json_str_or_null(b, "human_label", f.reviewed ? f.label : NULL);
	json_key(b, "override");
	sbuf_addc(b, f.override ? '1' : '0');
	json_str_or_null(b, "action", f.action);
	json_str_or_null(b, "reviewer", f.reviewed ? sbuf_str(&j->revs) : NULL);
	json_str_or_null(b, "reason", f.reason);
	json_str_or_null(b, "decided_at", f.decided[0] ? f.decided : NULL);
	json_str_or_null(b, "model", f.model);
	json_str_or_null(b, "model_version", f.version);
	json_key(b, "policy_version");
	sbuf_adds(b, f.policy);
	json_str_or_null(b, "source_file", f.src);
	json_str_or_null(b, "source_sha256", f.sha);
	size_t tn;
	const char *text = col_text(st, XC_TEXT, &tn);
	if (text) {
		json_key(b, "text");
		sbuf_add_json_str(b, text, tn);
	}
	static const int cols[JC_N] = {XC_CONTEXT, XC_PROBS, XC_ATTRS};
	for (int c = 0; c < JC_N; c++) {
		size_t n;
		const char *t;
		if (job_obj(j, st, c, cols[c], XC_KEYS + c, f.id, &t, &n) ||
		    job_members(j, f.id, c, t, n, job_json_member, b))
			return DK_ERR;
	}
	sbuf_add(b, "}\n", 2);
	ew_add(&j->w, b->buf, b->len);
	return DK_OK;
}

/* Run sql page by page over (lo, hi], calling fn on each row. */
static int job_pages(struct export_job *j, const char *sql,
		     int (*fn)(struct export_job *, db_stmt *))
{
	int64_t after = j->lo;
	for (;;) {
		if (j->o->cancel && *j->o->cancel)
			return dk_fail(j->err, "%s: interrupted", j->o->out);
		if (store_begin_read(j->s, j->err))
			return DK_ERR;
		db_stmt *st = store_stmt(j->s, sql, j->err);
		if (!st) {
			store_rollback(j->s);
			return DK_ERR;
		}
		job_bind(j, st, after);
		int rc, n = 0;
		while ((rc = db_step(st)) == DB_ROW) {
			n++;
			after = db_col_int64(st, 0);
			if (fn(j, st)) {
				store_done(st);
				store_rollback(j->s);
				return DK_ERR;
			}
		}
		store_done(st);
		store_rollback(j->s); /* ends the read transaction */
		if (rc != DB_DONE)
			return store_fail(j->s, j->err, "reading cases");
		if (ew_failed(&j->w))
			return DK_OK; /* reported by the caller */
		if (n < (j->o->page_rows > 0 ? j->o->page_rows : EXPORT_PAGE_ROWS))
			return DK_OK;
	}
}

/* Run sql (?1: a case id) for each withdrawn case, a page of them per
 * read transaction, calling fn on each row. */
static int job_withdrawn(struct export_job *j, const char *sql,
			 int (*fn)(struct export_job *, db_stmt *))
{
	size_t page = j->o->page_rows > 0 ? (size_t)j->o->page_rows : EXPORT_PAGE_ROWS;
	for (size_t i = 0; i < j->nwd;) {
		if (j->o->cancel && *j->o->cancel)
			return dk_fail(j->err, "%s: interrupted", j->o->out);
		if (store_begin_read(j->s, j->err))
			return DK_ERR;
		db_stmt *st = store_stmt(j->s, sql, j->err);
		if (!st) {
			store_rollback(j->s);
			return DK_ERR;
		}
		int rc = DB_DONE;
		for (size_t k = 0; k < page && i < j->nwd; k++, i++) {
			db_reset(st);
			db_bind_int64(st, 1, j->wd[i]);
			rc = db_step(st);
			if (rc == DB_ROW && fn(j, st)) {
				store_done(st);
				store_rollback(j->s);
				return DK_ERR;
			}
			if (rc != DB_ROW && rc != DB_DONE)
				break;
		}
		store_done(st);
		store_rollback(j->s);
		if (rc != DB_ROW && rc != DB_DONE)
			return store_fail(j->s, j->err, "reading cases");
		if (ew_failed(&j->w))
			return DK_OK;
	}
	return DK_OK;
}

/* Find the cases withdrawn since the watermark j->lo (inside the caller's
 * read transaction): candidates from the log after it, kept when the
 * replay of their log up to the watermark gave a final label that the
 * name's filters would have taken. */
static int job_withdrawn_find(struct export_job *j)
{
	const struct export_opts *o = j->o;
	db_stmt *st = store_stmt(j->s, export_sql_withdrawn_find, j->err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, j->lo);
	db_bind_int64(st, 2, j->hi);
	if (j->model_id >= 0)
		db_bind_int64(st, 3, j->model_id);
	if (o->model_version)
		db_bind_text(st, 4, o->model_version, -1, DB_STATIC);
	/* the candidates first: the replay below uses statements of its own */
	struct cand {
		int64_t id;
		int needed;
		char *pred;
	} *c = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			c = dk_xrealloc(c, cap * sizeof *c);
		}
		c[n].id = db_col_int64(st, 0);
		c[n].needed = db_col_int(st, 1);
		c[n].pred = dk_xstrdup((const char *)db_col_text(st, 2));
		n++;
	}
	store_done(st);
	int out = rc == DB_DONE ? DK_OK
				    : store_fail(j->s, j->err, "reading the log");
	for (size_t i = 0; i < n; i++) {
		char *label = NULL;
		int64_t at = 0;
		if (out == DK_OK &&
		    (out = queue_final_at(j->s, c[i].id, c[i].needed, j->lo, &label,
					  &at, j->err)) == DK_OK &&
		    label && (o->only != EXPORT_OVERRIDES || strcmp(label, c[i].pred)) &&
		    (o->since_ms < 0 || at >= o->since_ms) &&
		    (o->until_ms < 0 || at < o->until_ms)) {
			j->wd = dk_xrealloc(j->wd, (j->nwd + 1) * sizeof *j->wd);
			j->wd[j->nwd++] = c[i].id;
		}
		free(label);
		free(c[i].pred);
	}
	free(c);
	return out;
}

static int job_count_row(struct export_job *j, db_stmt *st)
{
	int rc = j->o->format == EXPORT_CSV ? job_row_csv(j, st)
					    : job_row_jsonl(j, st);
	if (rc == DK_OK)
		j->rows++;
	return rc;
}

/* ------------------------------------------------------------------ */
/* Who may export, the watermark, and the record of the export. */

static const char *only_name(enum export_only o)
{
	return o == EXPORT_ALL ? "all" : o == EXPORT_OVERRIDES ? "overrides"
							       : "reviewed";
}

/* Exports take every label (and personal data) out of the store: only a
 * supervisor may run one. */
static int export_check_actor(store *s, const char *actor, dk_error *err)
{
	db_stmt *st =
		store_stmt(s, "SELECT role FROM reviewers WHERE name = ?1", err);
	if (!st)
		return DK_ERR;
	db_bind_text(st, 1, actor, -1, DB_STATIC);
	int rc = db_step(st);
	int ok = rc == DB_ROW &&
		 !strcmp((const char *)db_col_text(st, 0), ROLE_SUPERVISOR);
	int known = rc == DB_ROW;
	store_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return store_fail(s, err, "reading reviewers");
	if (ok)
		return DK_OK;
	dk_fail(err,
		"%s: '%s' %s; only supervisors may export (docket reviewer add "
		"%s %s --role supervisor)",
		store_path(s), actor,
		known ? "is a reviewer" : "is not a reviewer of this store",
		store_path(s), actor);
	return DK_USAGE;
}

/* The filters that decide which rows a --since-last name takes, as JSON;
 * a name keeps the filters it was first used with. */
static void export_filters_json(const struct export_opts *o, sbuf *b)
{
	char t[32];
	sbuf_adds(b, "{\"only\":");
	sbuf_add_json_str(b, only_name(o->only), strlen(only_name(o->only)));
	json_str_or_null(b, "model", o->model);
	json_str_or_null(b, "model_version", o->model_version);
	json_str_or_null(b, "since",
			 o->since_ms >= 0 ? clock_format_iso(o->since_ms, t, sizeof t)
					  : NULL);
	json_str_or_null(b, "until",
			 o->until_ms >= 0 ? clock_format_iso(o->until_ms, t, sizeof t)
					  : NULL);
	sbuf_addc(b, '}');
}

/* Read the watermark of name into *seq (0 when new). With filters given,
 * refuse a name that was used with other filters. */
static int export_watermark(store *s, const char *name, const char *filters,
			    int64_t *seq, dk_error *err)
{
	*seq = 0;
	db_stmt *st = store_stmt(
		s, "SELECT last_seq, filters FROM exports WHERE name = ?1", err);
	if (!st)
		return DK_ERR;
	db_bind_text(st, 1, name, -1, DB_STATIC);
	int rc = db_step(st), out = DK_OK;
	if (rc == DB_ROW) {
		*seq = db_col_int64(st, 0);
		const char *was = (const char *)db_col_text(st, 1);
		if (filters && strcmp(was, filters)) {
			dk_fail(err,
				"%s: export '%s' was taken with the filters %s; "
				"use the same filters or another name",
				store_path(s), name, was);
			out = DK_USAGE;
		}
	} else if (rc != DB_DONE) {
		out = store_fail(s, err, "reading the export watermark");
	}
	store_done(st);
	return out;
}

static int64_t export_int(store *s, const char *sql, dk_error *err, int *ok)
{
	db_stmt *st = store_stmt(s, sql, err);
	int64_t v = 0;
	*ok = 0;
	if (!st)
		return 0;
	if (db_step(st) == DB_ROW) {
		v = db_col_int64(st, 0);
		*ok = 1;
	}
	if (store_done(st) != DB_OK) {
		*ok = 0;
		store_fail(s, err, "reading the store");
	}
	return v;
}

/* After the rename: one write transaction appends the audit entry and moves
 * the watermark (refusing if another export of the same name moved it). */
static int export_record_once(store *s, const struct export_opts *o,
			      const char *filters, const char *abs_path,
			      struct export_result *r, dk_error *err)
{
	char t[32];
	sbuf detail = {0};
	sbuf_adds(&detail, "{\"file\":");
	sbuf_add_json_str(&detail, abs_path, strlen(abs_path));
	json_str_or_null(&detail, "format", o->format == EXPORT_CSV ? "csv" : "jsonl");
	json_str_or_null(&detail, "only", only_name(o->only));
	json_str_or_null(&detail, "model", o->model);
	json_str_or_null(&detail, "model_version", o->model_version);
	json_str_or_null(&detail, "since",
			 o->since_ms >= 0 ? clock_format_iso(o->since_ms, t, sizeof t)
					  : NULL);
	json_str_or_null(&detail, "until",
			 o->until_ms >= 0 ? clock_format_iso(o->until_ms, t, sizeof t)
					  : NULL);
	json_str_or_null(&detail, "since_last", o->since_last);
	json_key(&detail, "drop_pii");
	sbuf_adds(&detail, o->drop_pii ? "true" : "false");
	if (o->spreadsheet_safe)
		sbuf_adds(&detail, ",\"spreadsheet_safe\":true");
	sbuf_printf(&detail, ",\"rows\":%lld,\"sha256\":\"%s\"", (long long)r->rows,
		    r->sha256);
	if (o->since_last)
		sbuf_printf(&detail, ",\"withdrawn\":%lld", (long long)r->withdrawn);
	sbuf_printf(&detail, ",\"%s\":%lld,\"%s\":%lld",
		    o->only == EXPORT_ALL ? "case_from" : "seq_from",
		    (long long)r->from_seq,
		    o->only == EXPORT_ALL ? "case_to" : "seq_to", (long long)r->to_seq);
	if (o->since_last) {
		/* The watermark this export moves, and the filters its name
		 * keeps: `docket verify` replays the exports table from these. */
		sbuf_adds(&detail, ",\"watermark\":{\"name\":");
		sbuf_add_json_str(&detail, o->since_last, strlen(o->since_last));
		sbuf_printf(&detail, ",\"from\":%lld,\"to\":%lld,\"filters\":%s}",
			    (long long)r->from_seq, (long long)r->to_seq, filters);
	}
	sbuf_addc(&detail, '}');

	int rc = DK_ERR;
	if (store_begin_write(s, err))
		goto out;
	if (o->since_last) {
		int64_t now_seq;
		if (export_watermark(s, o->since_last, NULL, &now_seq, err))
			goto fail;
		if (now_seq != r->from_seq) {
			dk_fail(err,
				"%s: another export '%s' ran at the same time",
				store_path(s), o->since_last);
			goto fail;
		}
	}
	audit_entry e = {0};
	e.reviewer = o->actor;
	e.case_id = 0;
	e.action = ACTION_EXPORT;
	e.seconds = NAN;
	e.detail = detail.buf;
	if (audit_append(s, &e, &r->audit_seq, NULL, err))
		goto fail;
	if (o->since_last) {
		db_stmt *st = store_stmt(
			s,
			"INSERT INTO exports(name, last_seq, filters, audit_seq, at, by)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (name) DO UPDATE"
			" SET last_seq = excluded.last_seq, audit_seq = excluded.audit_seq,"
			" at = excluded.at, by = excluded.by",
			err);
		if (!st)
			goto fail;
		db_bind_text(st, 1, o->since_last, -1, DB_STATIC);
		db_bind_int64(st, 2, r->to_seq);
		db_bind_text(st, 3, filters, -1, DB_STATIC);
		db_bind_int64(st, 4, r->audit_seq);
		db_bind_int64(st, 5, clock_now_ms());
		db_bind_text(st, 6, o->actor, -1, DB_STATIC);
		int src = db_step(st);
		store_done(st);
		if (src != DB_DONE) {
			store_fail(s, err, "moving the export watermark");
			goto fail;
		}
	}
	/* DK_UNSYNCED: recorded, not yet known to be on disk; the caller
	 * keeps the file (it is on record) and says so. */
	rc = store_commit(s, err);
	goto out;
fail:
	store_rollback(s);
out:
	sbuf_free(&detail);
	return rc;
}

/* export_record_once, run again when the server picked it as a deadlock's
 * victim (it waits for the chain lock holding the writer lock: a session
 * holding the one and asking for the other closes a cycle, t_pg_retry):
 * it wrote nothing, the file in place is the one it records, and the
 * watermark is checked afresh (store_retry). */
static int export_record(store *s, const struct export_opts *o,
			 const char *filters, const char *abs_path,
			 struct export_result *r, dk_error *err)
{
	int rc, tries = 0;
	do
		rc = export_record_once(s, o, filters, abs_path, r, err);
	while (rc == DK_ERR && store_retry(s, &tries));
	return rc;
}

/* ------------------------------------------------------------------ */

void export_opts_init(struct export_opts *o)
{
	memset(o, 0, sizeof *o);
	o->format = EXPORT_CSV;
	o->only = EXPORT_REVIEWED;
	o->since_ms = -1;
	o->until_ms = -1;
	o->actor = dk_login_name();
}

/* A temporary file of an export killed before its rename (kill -9, power
 * loss) stays behind, as large as the export. A running export holds an
 * flock on its own from the moment it exists, which the kernel drops when
 * the process dies: so one we can lock is an orphan. Files younger than
 * STALE_SECS are left alone, which closes the gap between mkostemp and
 * flock in a starting export. Best effort: returns how many were removed. */
#define STALE_SECS 2
static int export_sweep_stale(const char *dir, const char *base)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	char prefix[NAME_MAX + 16];
	int pl = snprintf(prefix, sizeof prefix, ".%s.tmp-", base);
	int removed = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		/* exactly our pattern: the prefix and mkostemp's 6 characters */
		if (pl <= 0 || (size_t)pl >= sizeof prefix ||
		    strncmp(e->d_name, prefix, (size_t)pl) != 0 ||
		    strlen(e->d_name) != (size_t)pl + 6)
			continue;
		int fd = openat(dirfd(d), e->d_name,
				O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
		if (fd < 0)
			continue;
		struct stat st;
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
		    time(NULL) - st.st_mtime >= STALE_SECS &&
		    flock(fd, LOCK_EX | LOCK_NB) == 0 &&
		    unlinkat(dirfd(d), e->d_name, 0) == 0)
			removed++;
		close(fd); /* drops the lock */
	}
	closedir(d);
	return removed;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

int export_run(store *s, const struct export_opts *o, struct export_result *r,
	       dk_error *err)
{
	struct export_job j = {0};
	char *dir = NULL, *tmp = NULL, *filters = NULL;
	sbuf fb = {0};
	int rc = DK_ERR, renamed = 0;
	memset(r, 0, sizeof *r);
	j.s = s;
	j.o = o;
	j.err = err;
	j.w.fd = -1;
	j.model_id = -1;

	if (!o->out || !o->out[0])
		return dk_fail(err, "no output file given"), DK_USAGE;
	if (o->since_last && o->only == EXPORT_ALL)
		return dk_fail(err, "--since-last takes corrections; it cannot be "
				    "combined with --only all"),
		       DK_USAGE;
	if (o->since_last && !o->since_last[0])
		return dk_fail(err, "--since-last needs a name"), DK_USAGE;
	if (o->since_ms >= 0 && o->until_ms >= 0 && o->until_ms <= o->since_ms)
		return dk_fail(err, "--until must be later than --since"), DK_USAGE;
	if (outfile_is_store(o->out, store_path(s)))
		return dk_fail(err, "%s: that is the store; choose another --out",
			       o->out),
		       DK_USAGE;
	/* A regular file or nothing: the rename below would replace a device
	 * node or a link like /dev/stdout with the export. */
	struct outfile_target target;
	int out_rc = outfile_check(o->out, &target, err);
	if (out_rc)
		return out_rc;
	if (sodium_init() < 0)
		return dk_fail(err, "libsodium failed to initialise");
	csv_special_init();
	export_filters_json(o, &fb);
	filters = fb.buf;

	/* Who, which model, and the key range, in one consistent read. */
	if (store_begin_read(s, err))
		goto out;
	int st_rc = export_check_actor(s, o->actor, err);
	if (st_rc) {
		store_rollback(s);
		rc = st_rc;
		goto out;
	}
	if (o->model) {
		db_stmt *st =
			store_stmt(s, "SELECT id FROM models WHERE name = ?1", err);
		if (!st) {
			store_rollback(s);
			goto out;
		}
		db_bind_text(st, 1, o->model, -1, DB_STATIC);
		if (db_step(st) == DB_ROW)
			j.model_id = db_col_int64(st, 0);
		if (store_done(st) != DB_OK) {
			store_fail(s, err, "reading the model");
			store_rollback(s);
			goto out;
		}
		if (j.model_id < 0) {
			store_rollback(s);
			dk_fail(err, "%s: no model named '%s'", store_path(s), o->model);
			rc = DK_USAGE;
			goto out;
		}
	}
	if (o->since_last) {
		st_rc = export_watermark(s, o->since_last, filters, &j.lo, err);
		if (st_rc) {
			store_rollback(s);
			rc = st_rc;
			goto out;
		}
	}
	int ok;
	j.hi = o->only == EXPORT_ALL
		       ? export_int(s, "SELECT coalesce(max(id), 0) FROM cases", err, &ok)
		       : export_int(s, "SELECT coalesce(max(seq), 0) FROM decisions",
				    err, &ok);
	if (ok && o->since_last && j.lo > 0 && job_withdrawn_find(&j))
		ok = 0;
	store_rollback(s);
	if (!ok)
		goto out;
	r->withdrawn = (int64_t)j.nwd;
	r->from_seq = j.lo;
	r->to_seq = j.hi;

	/* The temporary file, beside the target so the rename is atomic. */
	dir = dk_xstrdup(o->out);
	char *slash = strrchr(dir, '/');
	const char *base = o->out;
	if (slash) {
		base = o->out + (slash - dir) + 1;
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
	} else {
		strcpy(dir, ".");
	}
	if (!base[0]) {
		dk_fail(err, "%s: not a file name", o->out);
		rc = DK_USAGE;
		goto out;
	}
	size_t tl = strlen(dir) + strlen(base) + 32;
	tmp = dk_xmalloc(tl);
	snprintf(tmp, tl, "%s/.%s.tmp-XXXXXX", dir, base);
	r->stale_removed = export_sweep_stale(dir, base);
	j.w.fd = mkostemp(tmp, O_CLOEXEC);
	if (j.w.fd < 0) {
		dk_fail(err, "%s: %s", o->out, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	/* Held until the process ends: marks the file as in use (see
	 * export_sweep_stale). Where flock is not supported the file is
	 * merely never swept. */
	(void)flock(j.w.fd, LOCK_EX | LOCK_NB);
	j.w.guard = o->spreadsheet_safe && o->format == EXPORT_CSV;
	if (ew_start(&j.w, j.w.fd, EXPORT_BUF_SIZE)) {
		dk_fail(err, "%s: cannot start the writer: %s", o->out,
			strerror(errno));
		goto out;
	}

	if (o->format == EXPORT_CSV) {
		if (job_pages(&j, export_sql(s, o->only == EXPORT_ALL
							? export_keys_all
							: export_keys_reviewed),
			      job_collect) ||
		    job_withdrawn(&j, export_sql(s, export_keys_withdrawn),
				  job_collect))
			goto out;
		job_csv_header(&j);
	}
	if (job_pages(&j, export_sql(s, o->only == EXPORT_ALL ? export_sql_all
							      : export_sql_reviewed),
		      job_count_row) ||
	    job_withdrawn(&j, export_sql(s, export_sql_withdrawn), job_count_row))
		goto out;
	ew_finish(&j.w);
	if (!j.w.errnum && fsync(j.w.fd) != 0)
		j.w.errnum = errno;
	if (close(j.w.fd) != 0 && !j.w.errnum)
		j.w.errnum = errno;
	j.w.fd = -1;
	if (j.w.errnum) {
		dk_fail(err, "%s: %s", o->out, strerror(j.w.errnum));
		goto out;
	}
	unsigned char h[DK_SHA256_BYTES];
	dk_sha256_final(&j.w.sha, h);
	sodium_bin2hex(r->sha256, sizeof r->sha256, h, sizeof h);
	r->rows = j.rows;

	/* only over what was checked: nothing (and nothing since), or the
	 * same regular file */
	if ((out_rc = outfile_replace(tmp, o->out, &target, err)) != DK_OK) {
		rc = out_rc;
		goto out;
	}
	renamed = 1;
	free(tmp);
	tmp = NULL;
	if (fsync_dir(dir) != 0) {
		dk_fail(err, "%s: %s", dir, strerror(errno));
		goto out;
	}
	char abs_path[PATH_MAX];
	if (!realpath(o->out, abs_path))
		snprintf(abs_path, sizeof abs_path, "%s", o->out);
	int recorded = export_record(s, o, filters, abs_path, r, err);
	if (recorded && recorded != DK_UNSYNCED) {
		/* Every export is on record: one that cannot be recorded is
		 * taken back. */
		size_t ml = strlen(err->msg);
		snprintf(err->msg + ml, sizeof err->msg - ml,
			 " (export not recorded; %s removed)", o->out);
		goto out;
	}
	renamed = 0;
	rc = recorded;
out:
	ew_finish(&j.w);
	if (j.w.fd >= 0)
		close(j.w.fd);
	if (tmp)
		unlink(tmp);
	if (renamed)
		unlink(o->out);
	free(tmp);
	free(dir);
	free(j.w.buf);
	free(j.w.wbuf);
	sbuf_free(&j.w.guarded);
	free(j.cells);
	free(j.wd);
	colset_free(&j.ctx);
	colset_free(&j.probs);
	colset_free(&j.attrs);
	sbuf_free(&j.scratch);
	for (int c = 0; c < 3; c++) {
		casejson_keys_free(&j.keys[c]);
		sbuf_free(&j.dec[c]);
	}
	sbuf_free(&j.ctxfull);
	sbuf_free(&j.line);
	sbuf_free(&j.revs);
	sbuf_free(&fb);
	return rc;
}
