/* csvread.c: streaming CSV records with line numbers, on libcsv in strict
 * mode. The input is fed to libcsv one physical line at a time, so every
 * callback knows the line it happens on, at the cost of one call per line. */
#include "docket/csvread.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "docket/util.h"

/* libcsv's parser states (csv_parser.pstate; the struct is public). */
#define CSVREAD_ROW_NOT_BEGUN 0

struct csvread {
	struct csv_parser p;
	csvread_record_fn *fn;
	void *ctx;
	/* The record being read: field bytes, each followed by a NUL. */
	char *buf;
	size_t len, cap;
	size_t *off;   /* start of field i in buf */
	size_t *flen;  /* length of field i */
	csvread_field *fields;
	size_t nf, capf;
	int64_t line;     /* the line the next byte is on (1-based) */
	int64_t rec_line; /* where the current record started; 0: none yet */
	int64_t records;
	int line_has_bytes; /* bytes seen on the current line */
	int cr_pending;     /* the last byte fed was a CR that ended a record:
			     * a line end unless a LF follows (CRLF) */
	int stop;           /* nonzero: a callback asked to stop */
	int failed;
	const char *errmsg;
	int64_t err_line;
	size_t err_field;
	/* A possible BOM at the start, held until 3 bytes have come. */
	unsigned char head[3];
	int nhead;
	int head_done;
};

/* Fields are text: spaces are data (RFC 4180), so nothing is trimmed. */
static int csvread_no_space(unsigned char c)
{
	(void)c;
	return 0;
}

/* libcsv grows its field buffer through this; refusing past the limit turns
 * a runaway field (say, an unterminated quote in a huge file) into an
 * error instead of unbounded memory. */
static void *csvread_realloc(void *p, size_t n)
{
	if (n > CSVREAD_MAX_RECORD + 4096)
		return NULL;
	return realloc(p, n);
}

static void csvread_fail(csvread *r, const char *msg)
{
	if (r->failed || r->stop)
		return;
	r->failed = 1;
	r->errmsg = msg;
	r->err_line = r->rec_line ? r->rec_line : r->line;
	r->err_field = r->nf + 1;
}

static void csvread_on_field(void *s, size_t n, void *data)
{
	csvread *r = data;
	if (r->stop || r->failed)
		return;
	if (!r->rec_line)
		r->rec_line = r->line;
	if (r->len + n + 1 > CSVREAD_MAX_RECORD) {
		csvread_fail(r, "record longer than 16 MB");
		return;
	}
	if (r->len + n + 1 > r->cap) {
		size_t cap = r->cap ? r->cap : 4096;
		while (cap < r->len + n + 1)
			cap *= 2;
		r->buf = dk_xrealloc(r->buf, cap);
		r->cap = cap;
	}
	if (r->nf == r->capf) {
		r->capf = r->capf ? r->capf * 2 : 64;
		r->off = dk_xrealloc(r->off, r->capf * sizeof *r->off);
		r->flen = dk_xrealloc(r->flen, r->capf * sizeof *r->flen);
		r->fields = dk_xrealloc(r->fields, r->capf * sizeof *r->fields);
	}
	if (n)
		memcpy(r->buf + r->len, s, n);
	r->off[r->nf] = r->len;
	r->flen[r->nf] = n;
	r->nf++;
	r->len += n;
	r->buf[r->len++] = '\0';
}

static void csvread_on_record(int c, void *data)
{
	(void)c;
	csvread *r = data;
	if (r->stop || r->failed)
		return;
	if (!r->rec_line)
		r->rec_line = r->line;
	for (size_t i = 0; i < r->nf; i++) {
		r->fields[i].p = r->buf + r->off[i];
		r->fields[i].len = r->flen[i];
	}
	r->records++;
	r->stop = r->fn(r->ctx, r->fields, r->nf, r->rec_line);
	r->nf = 0;
	r->len = 0;
	r->rec_line = 0;
}

csvread *csvread_new(csvread_record_fn *fn, void *ctx)
{
	csvread *r = dk_xmalloc(sizeof *r);
	memset(r, 0, sizeof *r);
	if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		free(r);
		return NULL;
	}
	csv_set_space_func(&r->p, csvread_no_space);
	csv_set_realloc_func(&r->p, csvread_realloc);
	csv_set_blk_size(&r->p, 4096);
	r->fn = fn;
	r->ctx = ctx;
	r->line = 1;
	return r;
}

void csvread_free(csvread *r)
{
	if (!r)
		return;
	csv_free(&r->p);
	free(r->buf);
	free(r->off);
	free(r->flen);
	free(r->fields);
	free(r);
}

/* What a libcsv error means at this point of the input. */
static void csvread_parse_error(csvread *r)
{
	int e = csv_error(&r->p);
	if (e == CSV_ENOMEM || e == CSV_ETOOBIG)
		csvread_fail(r, "field longer than 16 MB");
	else if (r->p.quoted)
		csvread_fail(r, "unexpected character after a closing quote "
				"(a quote inside a quoted field is written twice: \"\")");
	else
		csvread_fail(r, "quote inside an unquoted field "
				"(quote the whole field and double the quote)");
}

/* The first LF or CR in s[0..n), or NULL. */
static const char *csvread_eol(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n' || s[i] == '\r')
			return s + i;
	return NULL;
}

/* Feed bytes after the BOM check, one physical line per csv_parse call.
 * Lines end with LF, CRLF, or a bare CR that ends a record (libcsv ends
 * records there too; old Mac files): without the last, every record of
 * such a file was "line 1" (found by fuzz/fuzz_csv.c). A CR inside a
 * quoted field is data, as libcsv reads it. */
static int csvread_feed_body(csvread *r, const char *buf, size_t len)
{
	size_t pos = 0;
	while (pos < len && !r->stop && !r->failed) {
		if (r->cr_pending) {
			r->cr_pending = 0;
			if (buf[pos] != '\n') {
				r->line++;
				r->line_has_bytes = 0;
			}
		}
		const char *eol = csvread_eol(buf + pos, len - pos);
		const char *nl = eol && *eol == '\n' ? eol : NULL;
		size_t seg = eol ? (size_t)(eol - (buf + pos)) + 1 : len - pos;
		/* Bytes of this line are seen, even if they fail to parse (so
		 * csvread_lines does not depend on how the input was split;
		 * found by fuzz/fuzz_csv.c). */
		r->line_has_bytes = 1;
		size_t done = csv_parse(&r->p, buf + pos, seg, csvread_on_field,
					csvread_on_record, r);
		if (r->stop)
			break;
		if (done < seg && !r->failed)
			csvread_parse_error(r);
		if (r->failed)
			break;
		if (!r->rec_line && r->p.pstate != CSVREAD_ROW_NOT_BEGUN)
			r->rec_line = r->line;
		pos += seg;
		if (nl) {
			r->line++;
			r->line_has_bytes = 0;
		} else if (eol && r->p.pstate == CSVREAD_ROW_NOT_BEGUN) {
			r->cr_pending = 1; /* ended a record (or an empty line) */
		}
	}
	if (r->stop)
		return r->stop;
	return r->failed ? -1 : 0;
}

static int csvread_flush_head(csvread *r)
{
	r->head_done = 1;
	static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
	if (r->nhead == 3 && !memcmp(r->head, bom, 3))
		return 0;
	return csvread_feed_body(r, (const char *)r->head, (size_t)r->nhead);
}

int csvread_feed(csvread *r, const char *buf, size_t len)
{
	if (r->stop)
		return r->stop;
	if (r->failed)
		return -1;
	if (!r->head_done) {
		while (len && r->nhead < 3) {
			r->head[r->nhead++] = (unsigned char)*buf++;
			len--;
		}
		if (r->nhead < 3)
			return 0;
		int rc = csvread_flush_head(r);
		if (rc)
			return rc;
	}
	return csvread_feed_body(r, buf, len);
}

int csvread_finish(csvread *r)
{
	if (r->stop)
		return r->stop;
	if (r->failed)
		return -1;
	if (!r->head_done) {
		int rc = csvread_flush_head(r);
		if (rc)
			return rc;
	}
	if (csv_fini(&r->p, csvread_on_field, csvread_on_record, r) != 0 &&
	    !r->stop)
		csvread_fail(r, "unterminated quoted field (a quote opens it "
				"and none closes it)");
	if (r->stop)
		return r->stop;
	return r->failed ? -1 : 0;
}

const char *csvread_error(const csvread *r, int64_t *line, size_t *field)
{
	if (line)
		*line = r->err_line;
	if (field)
		*field = r->err_field;
	return r->errmsg ? r->errmsg : "no error";
}

int64_t csvread_lines(const csvread *r)
{
	return r->line_has_bytes ? r->line : r->line - 1;
}

int64_t csvread_records(const csvread *r)
{
	return r->records;
}
