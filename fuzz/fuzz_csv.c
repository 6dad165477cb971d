/* fuzz_csv.c: libFuzzer target for the streaming CSV reader (csvread.c).
 * Input: byte 0 says how many of the next bytes are chunk sizes (0-15),
 * those bytes (each 0-31; 0 is an empty feed then one byte) are the sizes the file is fed in, cycling; the
 * rest is the file. Properties:
 *  - fed in those chunks (so boundaries fall anywhere, inside quotes, CRLFs
 *    and the BOM), the reader gives the same records, lines, result and
 *    error (text, line, field) as fed whole;
 *  - record lines rise strictly, start at 1 and stay within the file
 *    (lines end with LF, CRLF or a bare CR that ends a record);
 *  - a record function that asks to stop at record K stops there: the
 *    value is returned and nothing more is delivered;
 *  - an accepted file, written back as CSV with every field quoted, reads
 *    back to the same fields.
 * Build and run: make fuzz FUZZ_TARGETS=csv (or build-fuzz/fuzz_csv DIR) */
#include "fuzz_util.h"

#include "docket/csvread.h"
#include "docket/util.h"

struct log {
	sbuf b;          /* every record: line, count, then each field */
	int64_t records; /* delivered */
	int64_t last_line;
	int64_t stop_at; /* return 7 at this record (1-based); 0: never */
	int bad_order;
};

static int on_record(void *ctx, const csvread_field *f, size_t nf, int64_t line)
{
	struct log *l = ctx;
	l->records++;
	if (line <= l->last_line || line < 1)
		l->bad_order = 1;
	l->last_line = line;
	sbuf_printf(&l->b, "@%lld #%zu", (long long)line, nf);
	for (size_t i = 0; i < nf; i++) {
		if (f[i].p[f[i].len] != '\0')
			l->bad_order = 2; /* fields are NUL-terminated */
		sbuf_printf(&l->b, " %zu:", f[i].len);
		sbuf_add(&l->b, f[i].p, f[i].len);
	}
	sbuf_addc(&l->b, '\n');
	return l->stop_at && l->records == l->stop_at ? 7 : 0;
}

struct run {
	int rc;
	const char *what;
	int64_t err_line;
	size_t err_field;
	int64_t lines, records;
};

/* Feed text[0..n) in chunks of sizes[k % nsizes] (whole when nsizes is 0). */
static void read_csv(const char *text, size_t n, const uint8_t *sizes,
		     size_t nsizes, struct log *l, struct run *out)
{
	csvread *r = csvread_new(on_record, l);
	if (!r)
		abort();
	int rc = 0;
	size_t at = 0, k = 0;
	if (!nsizes) {
		rc = csvread_feed(r, text, n);
	} else {
		while (rc == 0 && at < n) {
			size_t c = sizes[k++ % nsizes] % 32;
			if (c == 0) { /* an empty feed, then on by one byte */
				rc = csvread_feed(r, text + at, 0);
				c = 1;
			}
			if (rc)
				break;
			if (c > n - at)
				c = n - at;
			rc = csvread_feed(r, text + at, c);
			at += c;
		}
	}
	if (rc == 0)
		rc = csvread_finish(r);
	out->rc = rc;
	out->what = rc == -1 ? csvread_error(r, &out->err_line, &out->err_field) : NULL;
	out->lines = csvread_lines(r);
	out->records = csvread_records(r);
	csvread_free(r);
}

/* Every field quoted, quotes doubled, records ended by "\n". */
static void write_csv(const char *log, size_t n, sbuf *out)
{
	const char *p = log, *end = log + n;
	while (p < end) {
		long long line;
		size_t nf;
		int used;
		if (sscanf(p, "@%lld #%zu%n", &line, &nf, &used) != 2)
			abort();
		p += used;
		for (size_t i = 0; i < nf; i++) {
			char *e;
			size_t len = strtoul(p + 1, &e, 10);
			p = e + 1;
			sbuf_addc(out, i ? ',' : '"');
			if (i)
				sbuf_addc(out, '"');
			for (size_t j = 0; j < len; j++) {
				if (p[j] == '"')
					sbuf_addc(out, '"');
				sbuf_addc(out, p[j]);
			}
			sbuf_addc(out, '"');
			p += len;
		}
		sbuf_addc(out, '\n');
		p++; /* the log's '\n' */
	}
}

/* The log without its line numbers, for comparing records only. */
static void fields_only(const char *log, size_t n, sbuf *out)
{
	const char *p = log, *end = log + n;
	while (p < end) {
		const char *sp = strchr(p, ' ');
		p = sp + 1; /* skip "@LINE " */
		size_t nf = strtoul(p + 1, NULL, 10);
		const char *q = strchr(p, ' ');
		const char *rec = p;
		for (size_t i = 0; i < nf; i++) {
			char *e;
			size_t len = strtoul(q + 1, &e, 10);
			q = e + 1 + len;
		}
		if (!nf)
			q = strchr(p, '\n');
		sbuf_add(out, rec, (size_t)(q - rec) + 1);
		p = q + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t nsizes = data[0] % 16;
	if (1 + nsizes > size)
		nsizes = size - 1;
	const uint8_t *sizes = data + 1;
	const char *text = (const char *)data + 1 + nsizes;
	size_t n = size - 1 - nsizes;

	struct log whole = {0}, chunked = {0}, stopped = {0};
	struct run rw, rc, rs;
	read_csv(text, n, NULL, 0, &whole, &rw);
	read_csv(text, n, sizes, nsizes, &chunked, &rc);

	FUZZ_CHECK(!whole.bad_order, "record lines not rising or fields not terminated");
	FUZZ_CHECK(rw.rc == 0 || rw.rc == -1, "rc %d", rw.rc);
	FUZZ_CHECK(rw.records == whole.records, "records %lld vs %lld",
		   (long long)rw.records, (long long)whole.records);
	FUZZ_CHECK(rw.lines >= 0 && rw.lines <= fuzz_lines_cr(text, n),
		   "lines %lld of %ld", (long long)rw.lines, fuzz_lines_cr(text, n));
	FUZZ_CHECK(whole.last_line <= rw.lines + 1, "record on line %lld of %lld",
		   (long long)whole.last_line, (long long)rw.lines);
	FUZZ_CHECK(rc.rc == rw.rc && rc.records == rw.records && rc.lines == rw.lines &&
			   chunked.b.len == whole.b.len &&
			   !memcmp(sbuf_str(&chunked.b), sbuf_str(&whole.b), whole.b.len),
		   "chunked differs from whole: rc %d/%d records %lld/%lld lines %lld/%lld",
		   rc.rc, rw.rc, (long long)rc.records, (long long)rw.records,
		   (long long)rc.lines, (long long)rw.lines);
	if (rw.rc == -1) {
		FUZZ_CHECK(rw.err_line >= 1 && rw.err_line <= rw.lines + 1 && rw.err_field >= 1,
			   "error '%s' at line %lld field %zu of %lld lines", rw.what,
			   (long long)rw.err_line, rw.err_field, (long long)rw.lines);
		FUZZ_CHECK(!strcmp(rc.what, rw.what) && rc.err_line == rw.err_line &&
				   rc.err_field == rw.err_field,
			   "chunked error '%s' %lld:%zu, whole '%s' %lld:%zu", rc.what,
			   (long long)rc.err_line, rc.err_field, rw.what,
			   (long long)rw.err_line, rw.err_field);
	}

	/* Stop at a record picked by the input. */
	if (whole.records > 0) {
		stopped.stop_at = 1 + (int64_t)(n ? (uint8_t)text[n / 2] : 0) % whole.records;
		read_csv(text, n, sizes, nsizes, &stopped, &rs);
		FUZZ_CHECK(rs.rc == 7 && stopped.records == stopped.stop_at &&
				   stopped.b.len <= whole.b.len &&
				   !memcmp(sbuf_str(&stopped.b), sbuf_str(&whole.b), stopped.b.len),
			   "stop at %lld: rc %d after %lld records",
			   (long long)stopped.stop_at, rs.rc, (long long)stopped.records);
	}

	/* Accepted: quoted back, it reads the same. */
	if (rw.rc == 0) {
		sbuf csv = {0}, a = {0}, b = {0};
		write_csv(sbuf_str(&whole.b), whole.b.len, &csv);
		struct log again = {0};
		struct run ra;
		read_csv(sbuf_str(&csv), csv.len, NULL, 0, &again, &ra);
		fields_only(sbuf_str(&whole.b), whole.b.len, &a);
		fields_only(sbuf_str(&again.b), again.b.len, &b);
		/* A record of one empty field is an empty line once written
		 * back only if unquoted; it is quoted here, so all must match. */
		FUZZ_CHECK(ra.rc == 0 && a.len == b.len && !memcmp(sbuf_str(&a), sbuf_str(&b), a.len),
			   "written back differs: rc %d\n%s\n---\n%s", ra.rc, sbuf_str(&a),
			   sbuf_str(&b));
		sbuf_free(&csv);
		sbuf_free(&a);
		sbuf_free(&b);
		sbuf_free(&again.b);
	}
	sbuf_free(&whole.b);
	sbuf_free(&chunked.b);
	sbuf_free(&stopped.b);
	return 0;
}
