/* fuzz_import.h: the body of the import targets (fuzz_import_csv.c,
 * fuzz_jsonl.c), which define FUZZ_CSV (1 or 0) and FUZZ_NAME first. Input:
 * byte 0 picks the read size (1-64 bytes), the rest is the file. Each file
 * is imported in full (parse, validation, routing, inserts) as a dry run
 * into one scratch store, twice: in one read, and in reads of that size so
 * that lines and records straddle reads. Properties:
 *  - both give the same result, row counts and message;
 *  - an accepted file yields at least one row, and exactly one per record
 *    (CSV: per record after the header, counted by csvread on its own;
 *    JSON Lines: per line that is not blank);
 *  - every refusal names the file and a line of it: "NAME:LINE:COL: ...",
 *    LINE within the file (or one past its end), COL >= 1;
 *  - JSON Lines: COL is inside the line, and a message about a member names
 *    its key (jsonl_key_check.h). */
#include "fuzz_util.h"

#include "docket/csvread.h"
#include "docket/import.h"
#include "jsonl_key_check.h"

struct outcome {
	int rc;
	import_result res;
	dk_error err;
};

static void import_once(store *s, const char *text, size_t n, size_t read_size,
			struct outcome *out)
{
	/* fmemopen wants a nonzero size; an empty file is /dev/null. */
	FILE *in = n ? fmemopen((void *)text, n, "rb") : fopen("/dev/null", "rb");
	if (!in)
		abort();
	import_opts o;
	memset(&o, 0, sizeof o);
	o.model = "fuzz";
	o.threshold = -1;
	o.format = FUZZ_CSV ? IMPORT_CSV : IMPORT_JSONL;
	o.dry_run = 1;
	o.force = 1;
	o.read_size = read_size;
	memset(&out->err, 0, sizeof out->err);
	out->rc = import_stream(s, in, FUZZ_NAME, &o, &out->res, &out->err);
	fclose(in);
}

#if FUZZ_CSV
static int count_record(void *ctx, const csvread_field *f, size_t nf, int64_t line)
{
	(void)f, (void)nf, (void)line;
	++*(int64_t *)ctx;
	return 0;
}

/* Records after the header, as csvread alone sees them; -1 when the
 * reader refuses the file. */
static int64_t expected_rows(const char *text, size_t n)
{
	int64_t records = 0;
	csvread *r = csvread_new(count_record, &records);
	int rc = csvread_feed(r, text, n);
	if (!rc)
		rc = csvread_finish(r);
	csvread_free(r);
	return rc ? -1 : records - 1;
}
#else
/* Lines that are not blank (a BOM on line 1, spaces, tabs and CRs). */
static int64_t expected_rows(const char *text, size_t n)
{
	int64_t rows = 0;
	size_t i = 0;
	if (n >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		i = 3;
	int blank = 1;
	for (; i <= n; i++) {
		if (i == n || text[i] == '\n') {
			rows += !blank;
			blank = 1;
		} else if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r') {
			blank = 0;
		}
	}
	return rows;
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	store *s = fuzz_store();
	if (size < 1)
		return 0;
	size_t read_size = 1 + data[0] % 64;
	const char *text = (const char *)data + 1;
	size_t n = size - 1;

#if !FUZZ_CSV
	/* The JSON position helpers used for messages stay inside the text. */
	const char *what;
	size_t at = import_json_error(text, n, &what);
	FUZZ_CHECK(at <= n && (what != NULL || at == n), "json_error at %zu of %zu", at, n);
	size_t k, v;
	for (size_t i = 0; i < 4; i++)
		if (!import_json_member(text, n, i, &k, &v))
			FUZZ_CHECK(k < n && v < n && k < v, "member %zu at %zu/%zu of %zu", i,
				   k, v, n);
	/* Every byte is in at most one member, inside the text. */
	for (size_t i = 0; i < n && i < 256; i++) {
		import_json_span m;
		if (!import_json_locate(text, n, i, &m))
			FUZZ_CHECK(m.key_off <= i && m.key_off + m.key_len <= n &&
					   (m.in_key ? i < m.key_off + m.key_len
						     : m.val_off <= i && i < m.val_off + m.val_len &&
							       m.val_off + m.val_len <= n),
				   "byte %zu located in member %zu (key %zu+%zu, value %zu+%zu)",
				   i, m.idx, m.key_off, m.key_len, m.val_off, m.val_len);
	}
	sbuf unq = {0};
	import_json_unquote(text, n, &unq);
	sbuf_free(&unq);
	FUZZ_CHECK(import_json_nul_escape(text, n) <= n, "nul_escape out of range");
#endif

	static struct outcome whole, chunked;
	import_once(s, text, n, 0, &whole);
	import_once(s, text, n, read_size, &chunked);

	FUZZ_CHECK(whole.rc == chunked.rc && whole.res.rows == chunked.res.rows &&
			   whole.res.routed == chunked.res.routed &&
			   !strcmp(whole.err.msg, chunked.err.msg),
		   "read whole: rc %d, %lld rows: %s\nin reads of %zu: rc %d, %lld rows: %s",
		   whole.rc, (long long)whole.res.rows, whole.err.msg, read_size,
		   chunked.rc, (long long)chunked.res.rows, chunked.err.msg);
	if (whole.rc == DK_OK) {
		int64_t want = expected_rows(text, n);
		FUZZ_CHECK(whole.res.rows >= 1, "accepted with %lld rows", (long long)whole.res.rows);
		FUZZ_CHECK(whole.res.rows == want, "%lld rows imported, %lld records in the file",
			   (long long)whole.res.rows, (long long)want);
		FUZZ_CHECK(whole.res.routed >= 0 && whole.res.routed <= whole.res.rows,
			   "routed %lld of %lld", (long long)whole.res.routed,
			   (long long)whole.res.rows);
	} else {
		const char *rest = NULL;
		long line = 0;
		long lines = FUZZ_CSV ? fuzz_lines_cr(text, n) : fuzz_lines(text, n);
		FUZZ_CHECK(whole.res.located &&
				   fuzz_located(whole.err.msg, FUZZ_NAME, lines + 1,
						&line, &rest) &&
				   rest[0] >= '1' && rest[0] <= '9' && strstr(rest, ": "),
			   "refused without FILE:LINE:COL (%ld lines): %s", lines,
			   whole.err.msg);
#if !FUZZ_CSV
		long col = strtol(rest, NULL, 10);
		int in_member;
		const char *bad = jsonl_key_check(text, n, line, col, strstr(rest, ": ") + 2,
						  &in_member);
		FUZZ_CHECK(!bad, "%s: %s", bad ? bad : "", whole.err.msg);
#endif
	}
	return 0;
}
