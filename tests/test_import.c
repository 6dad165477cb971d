/* test_import.c: the CSV reader, the JSON position helpers, models, and
 * import_stream end to end against a real store: rows, validation messages,
 * routing, lineage, and a store unchanged after every failure. */
#include "fixture.h"

#include <dirent.h>
#include <math.h>

#include "docket/csvread.h"
#include "docket/import.h"
#include "docket/model.h"
#include "docket/policy.h"
#include "docket/queue.h"
#include "../fuzz/jsonl_key_check.h"

/* ---- csvread ----------------------------------------------------------- */

struct rec_log {
	char text[4096]; /* "LINE:f1|f2|...\n" per record */
	int stop_at;     /* stop (return 7) on this record number; 0 never */
	int n;
};

static int rec_log_fn(void *ctx, const csvread_field *f, size_t nf, int64_t line)
{
	struct rec_log *l = ctx;
	size_t len = strlen(l->text);
	len += (size_t)snprintf(l->text + len, sizeof l->text - len, "%lld:",
				(long long)line);
	for (size_t i = 0; i < nf; i++) {
		assert_int_equal(f[i].p[f[i].len], '\0');
		len += (size_t)snprintf(l->text + len, sizeof l->text - len, "%s%.*s",
					i ? "|" : "", (int)f[i].len, f[i].p);
	}
	snprintf(l->text + len, sizeof l->text - len, "\n");
	return ++l->n == l->stop_at ? 7 : 0;
}

/* Feed doc in pieces of `piece` bytes (0: all at once). */
static int csv_run(const char *doc, size_t n, size_t piece, struct rec_log *l,
		   int64_t *eline, size_t *efield, const char **what)
{
	csvread *r = csvread_new(rec_log_fn, l);
	assert_non_null(r);
	int rc = 0;
	size_t step = piece ? piece : n;
	for (size_t i = 0; i < n && !rc; i += step)
		rc = csvread_feed(r, doc + i, n - i < step ? n - i : step);
	if (!rc)
		rc = csvread_finish(r);
	if (rc < 0)
		*what = csvread_error(r, eline, efield);
	csvread_free(r);
	return rc;
}

/* doc (n bytes) reads as the records `want` (rec_log_fn's text) however
 * it is split: whole, and in pieces of every size up to n. */
static void expect_records_any_split(const char *doc, size_t n, const char *want)
{
	for (size_t piece = 0; piece <= n + 1; piece++) {
		struct rec_log l = {{0}, 0, 0};
		int64_t line;
		size_t field;
		const char *what = NULL;
		assert_int_equal(csv_run(doc, n, piece, &l, &line, &field, &what), 0);
		assert_string_equal(l.text, want);
	}
}

static void csvread__bom_crlf_quotes__records_with_start_lines(void **state)
{
	(void)state;
	static const char doc[] = "\xEF\xBB\xBFid,text\r\n"
				  "a,\"x, \"\"y\"\"\r\nz\"\r\n"
				  "\r\n"
				  "b, spaced \r\n"
				  "c,";
	const char *want = "1:id|text\n"
			   "2:a|x, \"y\"\r\nz\n"
			   "5:b| spaced \n"
			   "6:c|\n";
	/* The same records however the input is split. */
	expect_records_any_split(doc, sizeof doc - 1, want);
}

static void csvread__bare_cr_line_ends__count_as_lines(void **state)
{
	(void)state;
	/* Old Mac line ends: a CR ends a record and a line; inside quotes a
	 * CR is data; CRLF is one line end. */
	static const char doc[] = "id,text\ra,\"x\ry\"\r\rb,c\r\nd,e\r";
	const char *want = "1:id|text\n"
			   "2:a|x\ry\n"
			   "4:b|c\n"
			   "5:d|e\n";
	expect_records_any_split(doc, sizeof doc - 1, want);
	/* An error names the line after the CR line ends. */
	struct rec_log l = {{0}, 0, 0};
	int64_t line = 0;
	size_t field = 0;
	const char *what = NULL;
	assert_int_equal(csv_run("a,b\rc,d\rx\"y,z\r", 16, 1, &l, &line, &field, &what), -1);
	assert_int_equal(line, 3);
	assert_int_equal(field, 1);
}

static void csvread__unterminated_quote__names_record_line_and_field(void **state)
{
	(void)state;
	static const char doc[] = "id,text\na,b\nc,\"open\nstill\nopen";
	struct rec_log l = {{0}, 0, 0};
	int64_t line = 0;
	size_t field = 0;
	const char *what = NULL;
	assert_int_equal(csv_run(doc, sizeof doc - 1, 3, &l, &line, &field, &what), -1);
	assert_int_equal(line, 3);
	assert_int_equal(field, 2);
	assert_non_null(strstr(what, "unterminated quoted field"));
	assert_string_equal(l.text, "1:id|text\n2:a|b\n");
}

static void csvread__stray_quotes__strict_errors(void **state)
{
	(void)state;
	struct rec_log l = {{0}, 0, 0};
	int64_t line = 0;
	size_t field = 0;
	const char *what = NULL;
	assert_int_equal(csv_run("a,b\nx,y\"z\n", 10, 0, &l, &line, &field, &what), -1);
	assert_int_equal(line, 2);
	assert_int_equal(field, 2);
	assert_non_null(strstr(what, "quote inside an unquoted field"));
	memset(&l, 0, sizeof l);
	assert_int_equal(csv_run("a,b\n\"x\"y,z\n", 11, 0, &l, &line, &field, &what), -1);
	assert_int_equal(line, 2);
	assert_int_equal(field, 1);
	assert_non_null(strstr(what, "after a closing quote"));
}

static void csvread__callback_stop__returns_its_value(void **state)
{
	(void)state;
	struct rec_log l = {{0}, 2, 0};
	int64_t line;
	size_t field;
	const char *what = NULL;
	assert_int_equal(csv_run("a\nb\nc\n", 6, 0, &l, &line, &field, &what), 7);
	assert_string_equal(l.text, "1:a\n2:b\n");
}

/* ---- JSON positions ---------------------------------------------------- */

static void import_json_error__points_at_first_problem(void **state)
{
	(void)state;
	const char *what = NULL;
	const char *ok = "{\"a\": [1, 2.5e3, \"x\\u00e9\"], \"b\": null}";
	assert_int_equal(import_json_error(ok, strlen(ok), &what), strlen(ok));
	assert_null(what);
	const char *bad = "{\"a\":1 \"b\":2}";
	assert_int_equal(import_json_error(bad, strlen(bad), &what), 7);
	assert_string_equal(what, "expected ',' or '}'");
	const char *num = "{\"a\":01}";
	assert_int_equal(import_json_error(num, strlen(num), &what), 6);
	const char *tail = "{} x";
	assert_int_equal(import_json_error(tail, strlen(tail), &what), 3);
	assert_non_null(strstr(what, "after the JSON value"));
}

static void import_json_member__finds_key_and_value_offsets(void **state)
{
	(void)state;
	const char *s = " { \"id\" : \"a\", \"n\":[1,{\"x\":2}], \"z\":3 }";
	size_t k, v;
	assert_int_equal(import_json_member(s, strlen(s), 0, &k, &v), 0);
	assert_int_equal(k, 3);
	assert_int_equal(v, 10);
	assert_int_equal(import_json_member(s, strlen(s), 2, &k, &v), 0);
	assert_int_equal(s[k + 1], 'z');
	assert_int_equal(s[v], '3');
	assert_int_equal(import_json_member(s, strlen(s), 3, &k, &v), 1);
	const char *nul = "{\"a\":\"\\\\u0000\",\"b\":\"x\\u0000\"}";
	assert_int_equal(import_json_nul_escape(nul, strlen(nul)), 21);
}

static void import_json_error__end_of_line__column_inside_the_line(void **state)
{
	(void)state;
	/* An error met at the end of the line points at what is left open,
	 * or at the last byte that is not a space: never past the line. */
	static const struct {
		const char *text;
		size_t at;
		const char *what;
	} cases[] = {
		{"{\"id\":\"x", 6, "unterminated string (no closing quote)"},
		{"{\"id\":\"x\\", 6, "unterminated string (no closing quote)"},
		{"{\"a\":[1,2", 5, "unexpected end of line (no closing ']')"},
		{"{\"a\":1", 0, "unexpected end of line (no closing '}')"},
		{"{\"a\":1.", 5, "bad number (digits must follow '.')"},
		{"{\"a\":-", 5, "bad number"},
		{"{\"a\":  ", 4, "unexpected end of line (a value is missing)"},
		{"{\"a\":1,", 6, "expected a key in double quotes"},
		{"{\"a\" ", 3, "expected ':' after a key"},
		{"", 0, "unexpected end of line (a value is missing)"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *what = NULL;
		size_t n = strlen(cases[i].text);
		size_t at = import_json_error(cases[i].text, n, &what);
		if (at != cases[i].at || !what || strcmp(what, cases[i].what))
			fail_msg("%s: at %zu (%s), want %zu (%s)", cases[i].text, at,
				 what ? what : "none", cases[i].at, cases[i].what);
		assert_true(at < n || n == 0);
	}
}

static void import_json_locate__the_member_a_byte_is_in(void **state)
{
	(void)state;
	const char *s = " {\"id\":\"a\", \"n\":[1,{\"x\":2}] , \"z\":1e999 }";
	size_t n = strlen(s);
	import_json_span m;
	assert_int_equal(import_json_locate(s, n, 3, &m), 0); /* in "id" */
	assert_int_equal(m.idx, 0);
	assert_true(m.in_key && m.key_ok);
	assert_int_equal(m.key_off, 2);
	assert_int_equal(m.key_len, 4);
	assert_int_equal(import_json_locate(s, n, 8, &m), 0); /* in "a" */
	assert_false(m.in_key);
	assert_int_equal(m.val_off, 7);
	assert_int_equal(m.val_len, 3);
	assert_int_equal(import_json_locate(s, n, 10, &m), 1); /* the ',' */
	assert_int_equal(import_json_locate(s, n, 23, &m), 0); /* the 2 */
	assert_int_equal(m.idx, 1);
	assert_int_equal(s[m.val_off + m.val_len - 1], ']');
	assert_int_equal(import_json_locate(s, n, 28, &m), 1); /* space before ',' */
	assert_int_equal(import_json_locate(s, n, n - 1, &m), 1); /* the '}' */
	assert_int_equal(import_json_locate(s, n, 0, &m), 1);
	assert_int_equal(import_json_span_of(s, n, 2, &m), 0);
	assert_int_equal(m.val_len, 5); /* 1e999 as written */
	assert_memory_equal(s + m.val_off, "1e999", 5);
	assert_int_equal(import_json_span_of(s, n, 3, &m), 1);
	/* A member that does not scan owns everything from its start. */
	const char *bad = "{\"a\":1,\"b\":[1,\"x";
	assert_int_equal(import_json_locate(bad, strlen(bad), 14, &m), 0);
	assert_int_equal(m.idx, 1);
	assert_true(m.key_ok && !m.val_ok && !m.in_key);
	const char *badkey = "{\"a\":1,\"b";
	assert_int_equal(import_json_locate(badkey, strlen(badkey), 7, &m), 0);
	assert_true(m.in_key && !m.key_ok);
}

static void import_json_unquote__decodes_escapes(void **state)
{
	(void)state;
	sbuf b = {0};
	const char *s = "caf\\u00e9\\n\\\"\\/x\\ud83d\\ude00|\\ud800|\\q";
	import_json_unquote(s, strlen(s), &b);
	assert_string_equal(sbuf_str(&b), "caf\xc3\xa9\n\"/x\xf0\x9f\x98\x80|\xef\xbf\xbd|\\q");
	sbuf_free(&b);
}

/* ---- models ------------------------------------------------------------ */

static void model_create__salt_policy_and_labels(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	model m;
	assert_int_equal(model_find(f->s, "m", &m, &err), DK_EMPTY);
	assert_int_equal(store_begin_write(f->s, &err), DK_OK);
	assert_int_equal(model_create(f->s, "m", "{\"threshold\":0.5}", &m, &err), DK_OK);
	assert_int_equal(strlen(m.audit_salt), 32);
	char salt[33];
	snprintf(salt, sizeof salt, "%s", m.audit_salt);
	assert_int_equal(model_label_add(&m.labels, "b", 1), 0);
	assert_int_equal(model_label_add(&m.labels, "a", 1), 1);
	assert_int_equal(model_label_add(&m.labels, "b", 1), 0);
	assert_int_equal(model_save_labels(f->s, &m, &err), DK_OK);
	assert_int_equal(store_commit(f->s, &err), DK_OK);
	model_free(&m);
	assert_int_equal(model_find(f->s, "m", &m, &err), DK_OK);
	assert_int_equal(m.labels.n, 2);
	assert_string_equal(m.labels.v[0], "b");
	assert_string_equal(m.policy, "{\"threshold\":0.5}");
	assert_int_equal(m.policy_version, 1);
	/* the salt only when asked for (reviewers may not read it on
	 * PostgreSQL) */
	assert_null(m.audit_salt);
	assert_int_equal(model_read_salt(f->s, &m, &err), DK_OK);
	assert_string_equal(m.audit_salt, salt);
	model_free(&m);
}

/* ---- import_stream ----------------------------------------------------- */

static int import_text(struct fixture *f, const char *name, const char *text,
		       const char *mdl, int force, import_result *res,
		       dk_error *err)
{
	FILE *in = fmemopen((void *)text, strlen(text), "rb");
	if (!strlen(text))
		in = fopen("/dev/null", "rb");
	assert_non_null(in);
	import_opts o;
	memset(&o, 0, sizeof o);
	o.model = mdl;
	o.threshold = -1;
	o.force = force;
	int rc = import_stream(f->s, in, name, &o, res, err);
	fclose(in);
	return rc;
}

/* Everything in the store that an import could touch, as one value. */
static int64_t store_fingerprint(struct fixture *f)
{
	return fixture_int(f->s, "SELECT (SELECT count(*) FROM models) * 1000000"
				 " + (SELECT count(*) FROM batches) * 10000"
				 " + (SELECT count(*) FROM cases) * 100"
				 " + (SELECT count(*) FROM policies) * 10"
				 " + (SELECT count(*) FROM counters)");
}

static void import_stream__csv__cases_counters_and_lineage(void **state)
{
	struct fixture *f = *state;
	import_result res;
	dk_error err = {{0}};
	const char *csv = "id,prediction,confidence,p:yes,p:no,attr:w,text,ctx,pii:nm,gold,priority\n"
			  "a,yes,0.9,0.9,0.1,1.5,hello,c1,Ann,,\n"
			  "b,no,0.6,0.4,0.6,,,c2,Bob,,2\n"
			  "c,yes,0.95,0.95,0.05,,,c3,Cy,no,\n";
	assert_int_equal(import_text(f, "p.csv", csv, "m", 0, &res, &err), DK_OK);
	assert_int_equal(res.rows, 3);
	assert_int_equal(res.routed, 2); /* b below 0.8; c is gold */
	assert_int_equal(res.format, IMPORT_CSV);
	assert_int_equal(strlen(res.sha256), 64);
	if (store_engine(f->s) == STORE_SQLITE) { /* the connection's own settings */
		assert_int_equal(fixture_int(f->s, "PRAGMA foreign_keys"), 1);
		assert_int_equal(fixture_int(f->s, "PRAGMA cache_size"), -16384);
		assert_int_equal(fixture_int(f->s,
			"SELECT count(*) FROM pragma_foreign_key_check"), 0);
	}
	assert_int_equal(fixture_int(f->s, "SELECT n FROM counters WHERE state = 'queued'"), 2);
	assert_int_equal(fixture_int(f->s, "SELECT n FROM counters WHERE state = 'auto'"), 1);
	assert_int_equal(fixture_int(f->s, "SELECT rows * 10 + routed FROM batches"), 32);
	/* the values in the batch's key order (casejson.h; SQLite's form:
	 * PostgreSQL keeps objects), numbers packed ('#', then 4-bit codes:
	 * 1.5 is 2 B 6, 0.9 0.1 is 1 B A 0 1 B 2) ... */
	if (store_engine(f->s) == STORE_SQLITE)
		assert_int_equal(fixture_int(f->s,
			"SELECT context = '[\"c1\",\"Ann\"]' AND hex(attributions) = '23' || '2B60'"
			" AND hex(probs) = '23' || '1BA0' || '1B20'"
			" AND ctx_keys = '[\"ctx\",\"pii:nm\"]'"
			" AND attr_keys = '[\"w\"]' AND prob_keys = '[\"yes\",\"no\"]'"
			" AND text = 'hello' AND line = 2 AND state = 'auto'"
			" FROM cases JOIN batches b ON b.id = batch_id WHERE ext_id = 'a'"), 1);
	/* ... read back as the objects imported */
	queue_case qc;
	assert_int_equal(queue_case_load(f->s, fixture_int(f->s, "SELECT id FROM cases"
				       " WHERE ext_id = 'a'"), &qc, &err), DK_OK);
	/* (on PostgreSQL the personal value stays in case_pii until a reveal) */
	assert_string_equal(qc.context_json, store_engine(f->s) == STORE_POSTGRES
		? "{\"ctx\":\"c1\",\"pii:nm\":\"(masked)\"}"
		: "{\"ctx\":\"c1\",\"pii:nm\":\"Ann\"}");
	assert_string_equal(qc.attributions_json, "{\"w\":1.5}");
	assert_string_equal(qc.probs_json, "{\"yes\":0.9,\"no\":0.1}");
	/* margin and entropy are not stored (schema 8): read back as
	 * routing computed them from the probabilities */
	double pd[2] = {0.9, 0.1}, mg, en;
	policy_features(pd, 2, &mg, &en);
	assert_true(qc.margin == mg && qc.entropy == en);
	queue_case_free(&qc);
	if (store_engine(f->s) == STORE_SQLITE) /* (PostgreSQL keeps objects, and them) */
		assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM cases"
					     " WHERE margin IS NOT NULL OR entropy IS NOT NULL"), 0);
	assert_int_equal(fixture_int(f->s,
		"SELECT attributions IS NULL AND text IS NULL AND priority = 2"
		" AND route_reason LIKE 'confidence 0.60 < 0.8%'"
		" FROM cases WHERE ext_id = 'b'"), 1);
	assert_int_equal(fixture_int(f->s,
		"SELECT gold = 'no' AND state = 'queued' AND route_reason = 'gold check'"
		" FROM cases WHERE ext_id = 'c'"), 1);
	assert_int_equal(fixture_int(f->s,
		"SELECT labels = '[\"yes\",\"no\"]' FROM models"), 1);
}

static void import_stream__numbers__parsed_exactly_like_strtod(void **state)
{
	struct fixture *f = *state;
	static const char *const nums[] = {
		"0.1", "0.123456789012345", "1", "0", "0.30000000000000004",
		"1e-7", "0.5E0", "0.999999999999999999", "00.25", "-0", ".5"};
	char csv[2048] = "id,prediction,confidence\n";
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
		snprintf(csv + strlen(csv), sizeof csv - strlen(csv), "n%zu,x,%s\n", i,
			 nums[i]);
	import_result res;
	dk_error err = {{0}};
	assert_int_equal(import_text(f, "n.csv", csv, "m", 0, &res, &err), DK_OK);
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		char sql[128];
		snprintf(sql, sizeof sql, "SELECT confidence FROM cases WHERE ext_id = 'n%zu'", i);
		db_stmt *st = fixture_prepare(f->s, sql);
		assert_int_equal(db_step(st), DB_ROW);
		double got = db_col_double(st, 0);
		fixture_finalize(st);
		if (got != strtod(nums[i], NULL))
			fail_msg("%s: got %.17g want %.17g", nums[i], got, strtod(nums[i], NULL));
	}
}

static void import_stream__errors__exact_messages_and_store_unchanged(void **state)
{
	struct fixture *f = *state;
	import_result res;
	dk_error err = {{0}};
	assert_int_equal(import_text(f, "base.csv", "id,prediction,confidence\nx1,a,0.5\n",
				     "m", 0, &res, &err), DK_OK);
	int64_t before = store_fingerprint(f);
	static const struct {
		const char *name, *text, *msg;
	} cases[] = {
		{"e.csv", "", "e.csv:1:1: empty file"},
		{"h.csv", "id,prediction,confidence\n", "h.csv:2:1: no rows after the header"},
		{"d.csv", "id,prediction,confidence\nq,a,0.5\nq,a,0.5\n",
		 "d.csv:3:1: id: \"q\" appears earlier in this file, at line 2"},
		{"s.csv", "id,prediction,confidence\nx1,a,0.6\n",
		 "s.csv:2:1: id: \"x1\" is already in the store for model m (batch 1, base.csv line 2)"},
		{"c.csv", "id,prediction,confidence\nq,a,0.5\nr,a,abc\n",
		 "c.csv:3:3: confidence: \"abc\" is not a number"},
		{"p.csv", "id,prediction,p:a,p:b\nq,a,0.5,0.49\n",
		 "p.csv:2:3: p: values sum to 0.99, not 1 (tolerance 0.001)"},
		{"u.csv", "id,prediction,confidence\nq,\xff,0.5\n",
		 "u.csv:2:2: prediction: invalid UTF-8 in \"\\xff\""},
		{"j.jsonl", "{\"id\":\"q\",\"prediction\":\"a\",\"confidence\":0.5,\"k\":[1]}\n",
		 "j.jsonl:1:49: k: a nested value where a single value is expected"},
		{"k.jsonl", "{\"id\":\"q\",\"prediction\":\"a\",\"confidence\":0.5}\n{\"id\":\"r\"\n",
		 "k.jsonl:2:1: invalid JSON: unexpected end of line (no closing '}')"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memset(&err, 0, sizeof err);
		assert_int_equal(import_text(f, cases[i].name, cases[i].text, "m", 0, &res, &err),
				 DK_ERR);
		assert_int_equal(res.located, 1);
		assert_string_equal(err.msg, cases[i].msg);
		assert_int_equal(store_fingerprint(f), before);
		if (store_engine(f->s) == STORE_SQLITE)
			assert_int_equal(fixture_int(f->s, "PRAGMA foreign_keys"), 1);
		/* and a model that did not exist is not left behind */
		if (!strcmp(cases[i].name, "s.csv"))
			continue; /* no clash in another model */
		assert_int_equal(import_text(f, cases[i].name, cases[i].text, "new", 0, &res, &err),
				 DK_ERR);
		assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM models WHERE name = 'new'"), 0);
	}
}

static void import_stream__same_file_twice__refused_unless_forced(void **state)
{
	struct fixture *f = *state;
	import_result res;
	dk_error err = {{0}};
	const char *csv = "id,prediction,confidence\na,x,0.5\n";
	assert_int_equal(import_text(f, "one.csv", csv, "m", 0, &res, &err), DK_OK);
	int64_t before = store_fingerprint(f);
	assert_int_equal(import_text(f, "two.csv", csv, "other", 0, &res, &err), DK_ERR);
	assert_int_equal(res.located, 0);
	assert_non_null(strstr(err.msg, "two.csv: already imported on "));
	assert_non_null(strstr(err.msg, "as batch 1 (model m,"));
	assert_int_equal(store_fingerprint(f), before);
	/* into the same model the ids collide: still the "already imported" news */
	assert_int_equal(import_text(f, "two.csv", csv, "m", 0, &res, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "already imported"));
	assert_int_equal(import_text(f, "two.csv", csv, "other", 1, &res, &err), DK_OK);
	/* (the latest batch: on PostgreSQL a refused import uses up an id) */
	assert_int_equal(fixture_int(f->s, "SELECT forced FROM batches"
					   " ORDER BY id DESC LIMIT 1"), 1);
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM batches"), 2);
}

static void import_stream__non_argmax_prediction__accepted(void **state)
{
	struct fixture *f = *state;
	import_result res;
	dk_error err = {{0}};
	const char *csv = "id,prediction,p:a,p:b\nq,b,0.7,0.3\n";
	assert_int_equal(import_text(f, "x.csv", csv, "m", 0, &res, &err), DK_OK);
	assert_int_equal(fixture_int(f->s, "SELECT confidence = 0.3 AND state = 'queued'"
					   " FROM cases"), 1);
}

static void import_stream__no_p_columns__labels_grow_in_order(void **state)
{
	struct fixture *f = *state;
	import_result res;
	dk_error err = {{0}};
	assert_int_equal(import_text(f, "1.csv", "id,prediction,confidence\na,z,0.9\nb,y,0.9\nc,z,0.9\n",
				     "m", 0, &res, &err), DK_OK);
	assert_int_equal(import_text(f, "2.jsonl", "{\"id\":\"d\",\"prediction\":\"x\",\"confidence\":\"0.9\"}\n",
				     "m", 0, &res, &err), DK_OK);
	assert_int_equal(fixture_int(f->s, "SELECT labels = '[\"z\",\"y\",\"x\"]' FROM models"), 1);
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM batches"), 2);
}

/* An object of nkeys keys (id, prediction, confidence, then f3.. as
 * numbers) for id, or with csv its header and row. dup > 0 makes the last
 * name a second f<dup>. */
static void wide_text(sbuf *b, int csv, size_t nkeys, const char *id, size_t dup)
{
	if (csv) {
		sbuf_adds(b, "id,prediction,confidence");
		for (size_t k = 3; k < nkeys; k++)
			sbuf_printf(b, ",f%zu", dup && k == nkeys - 1 ? dup : k);
		sbuf_printf(b, "\n%s,yes,0.5", id);
		for (size_t k = 3; k < nkeys; k++)
			sbuf_printf(b, ",%zu", k);
		sbuf_addc(b, '\n');
		return;
	}
	sbuf_printf(b, "{\"id\":\"%s\",\"prediction\":\"yes\",\"confidence\":0.5", id);
	for (size_t k = 3; k < nkeys; k++)
		sbuf_printf(b, ",\"f%zu\":%zu", dup && k == nkeys - 1 ? dup : k, k);
	sbuf_adds(b, "}\n");
}

/* Objects and headers of more than 64 keys: c->cols grows while a line is
 * read (a cell that pointed into it read freed memory: SIGSEGV, or a
 * wrong "no \"prediction\""). `make asan` runs this sanitized. */
static void import_stream__wide_objects_and_headers__every_key_kept(void **state)
{
	struct fixture *f = *state;
	static const size_t widths[] = {64, 65, 66, 90, 100, 129, 5000, 100000};
	for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
		size_t nk = widths[w];
		for (int csv = 0; csv <= 1; csv++) {
			sbuf b = {0};
			char id[32], name[32], sql[160];
			snprintf(id, sizeof id, "%s%zu", csv ? "c" : "j", nk);
			wide_text(&b, csv, nk, id, 0);
			if (!csv) { /* a narrow line after a wide one, then wide again */
				sbuf_printf(&b, "{\"id\":\"%s-n\",\"prediction\":\"no\","
					     "\"confidence\":0.9,\"x\":1}\n", id);
				char id2[40];
				snprintf(id2, sizeof id2, "%s-w", id);
				wide_text(&b, 0, nk, id2, 0);
			}
			snprintf(name, sizeof name, "w.%s", csv ? "csv" : "jsonl");
			import_result res;
			dk_error err = {{0}};
			if (import_text(f, name, sbuf_str(&b), "m", 1, &res, &err))
				fail_msg("%zu keys (%s): %s", nk, name, err.msg);
			assert_int_equal(res.rows, csv ? 1 : 3);
			snprintf(sql, sizeof sql,
				 "SELECT count(*) FROM cases, json_each(cases.context)"
				 " WHERE ext_id = '%s'", id);
			assert_int_equal(fixture_int(f->s, sql), (int64_t)nk - 3);
			/* the last key, as a reader sees it */
			snprintf(sql, sizeof sql, "SELECT id FROM cases WHERE ext_id = '%s'", id);
			queue_case qc;
			assert_int_equal(queue_case_load(f->s, fixture_int(f->s, sql), &qc, &err),
					 DK_OK);
			char last[64];
			snprintf(last, sizeof last, csv ? ",\"f%zu\":\"%zu\"}" : ",\"f%zu\":%zu}",
				 nk - 1, nk - 1); /* CSV cells are text */
			size_t cl = strlen(qc.context_json);
			assert_true(cl > strlen(last));
			assert_string_equal(qc.context_json + cl - strlen(last), last);
			queue_case_free(&qc);
			sbuf_free(&b);
		}
	}
}

/* A repeated name at the end of a wide header or object is found (through
 * a hash set, not by comparing every pair) and both places are named. */
static void import_stream__wide_duplicate__both_columns_named(void **state)
{
	struct fixture *f = *state;
	for (int csv = 0; csv <= 1; csv++) {
		sbuf b = {0};
		wide_text(&b, csv, 100000, "d", 7);
		import_result res;
		dk_error err = {{0}};
		assert_int_equal(import_text(f, csv ? "d.csv" : "d.jsonl", sbuf_str(&b), "m",
					     0, &res, &err), DK_ERR);
		if (csv) {
			assert_string_equal(err.msg, "d.csv:1:100000: duplicate column \"f7\" "
						     "(also column 8)");
		} else {
			/* the key's column and the first f7's, as bytes of the line */
			const char *last = strstr(b.buf, ",\"f7\":7,") + 1;
			char want[128];
			snprintf(want, sizeof want,
				 "d.jsonl:1:%zu: duplicate key \"f7\" (also at column %zu)",
				 (size_t)(strrchr(b.buf, ',') - b.buf) + 2,
				 (size_t)(last - b.buf) + 1);
			assert_string_equal(err.msg, want);
		}
		sbuf_free(&b);
	}
}

/* Every JSON Lines file of tests/broken/ is refused with a message that
 * names the key it is about (fuzz/jsonl_key_check.h; fuzz_jsonl checks the
 * same on every input it makes). */
static void import_file__broken_jsonl__messages_name_the_key(void **state)
{
	struct fixture *f = *state;
	DIR *d = opendir("tests/broken");
	assert_non_null(d);
	int checked = 0, named = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 7 || strcmp(e->d_name + len - 6, ".jsonl"))
			continue;
		char path[512];
		snprintf(path, sizeof path, "tests/broken/%s", e->d_name);
		import_opts o;
		memset(&o, 0, sizeof o);
		o.model = "m";
		o.threshold = -1;
		import_result res;
		dk_error err = {{0}};
		assert_int_equal(import_file(f->s, path, &o, &res, &err), DK_ERR);
		/* PATH:LINE:COL: REST */
		size_t pl = strlen(path);
		if (strncmp(err.msg, path, pl) || err.msg[pl] != ':')
			fail_msg("%s: not located: %s", path, err.msg);
		char *end;
		long line = strtol(err.msg + pl + 1, &end, 10);
		assert_int_equal(*end, ':');
		long col = strtol(end + 1, &end, 10);
		if (end[0] != ':' || end[1] != ' ')
			fail_msg("%s: no column: %s", path, err.msg);
		FILE *in = fopen(path, "rb");
		assert_non_null(in);
		static char text[1 << 16];
		size_t n = fread(text, 1, sizeof text, in);
		fclose(in);
		int in_member;
		const char *bad = jsonl_key_check(text, n, line, col, end + 2, &in_member);
		if (bad)
			fail_msg("%s: %s", bad, err.msg);
		named += in_member;
		checked++;
	}
	closedir(d);
	assert_true(checked >= 30);
	assert_true(named >= 15);
}

static void import_stream__dry_run__leaves_nothing(void **state)
{
	struct fixture *f = *state;
	const char *csv = "id,prediction,confidence\na,x,0.5\n";
	FILE *in = fmemopen((void *)csv, strlen(csv), "rb");
	import_opts o;
	memset(&o, 0, sizeof o);
	o.model = "m";
	o.threshold = -1;
	o.dry_run = 1;
	import_result res;
	dk_error err = {{0}};
	assert_int_equal(import_stream(f->s, in, "a.csv", &o, &res, &err), DK_OK);
	fclose(in);
	assert_int_equal(res.rows, 1);
	assert_int_equal(store_fingerprint(f), 0);
}

/* Many batches through the reading/inserting pipeline: every row arrives,
 * in order, and the first problem in file order is the one reported. */
static char *many_rows(int n, int dup_at, int bad_at)
{
	sbuf b = {0};
	sbuf_adds(&b, "id,prediction,confidence,ctx\n");
	for (int i = 1; i <= n; i++) {
		if (i == dup_at)
			sbuf_adds(&b, "r1,x,0.5,again\n");
		else if (i == bad_at)
			sbuf_adds(&b, "rbad,x,oops,c\n");
		else
			sbuf_printf(&b, "r%d,x,0.%d,c%d\n", i, i % 10, i);
	}
	return b.buf;
}

static void import_stream__many_batches__all_rows_and_first_error_wins(void **state)
{
	struct fixture *f = *state;
	import_result res;
	dk_error err = {{0}};
	char *ok = many_rows(20000, 0, 0);
	assert_int_equal(import_text(f, "ok.csv", ok, "m", 0, &res, &err), DK_OK);
	assert_int_equal(res.rows, 20000);
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM cases WHERE line = "
					   "CAST(substr(ext_id, 2) AS INTEGER) + 1"), 20000);
	assert_int_equal(fixture_int(f->s, "SELECT sum(n) FROM counters"), 20000);
	int64_t before = store_fingerprint(f);
	char *dup_first = many_rows(20000, 5000, 15000);
	assert_int_equal(import_text(f, "a.csv", dup_first, "m2", 0, &res, &err), DK_ERR);
	assert_string_equal(err.msg, "a.csv:5001:1: id: \"r1\" appears earlier in this file, at line 2");
	char *bad_first = many_rows(20000, 15000, 5000);
	assert_int_equal(import_text(f, "b.csv", bad_first, "m2", 0, &res, &err), DK_ERR);
	assert_string_equal(err.msg, "b.csv:5001:3: confidence: \"oops\" is not a number");
	/* a clash with the store on the first row of a big file */
	assert_int_equal(import_text(f, "c.csv", bad_first, "m", 0, &res, &err), DK_ERR);
	assert_string_equal(err.msg, "c.csv:2:1: id: \"r1\" is already in the store for model m (batch 1, ok.csv line 2)");
	assert_int_equal(store_fingerprint(f), before);
	free(ok);
	free(dup_first);
	free(bad_first);
}

/* A clash at any place in a group of rows inserted by one statement (16
 * on SQLite, which keeps the rows before the failed one: OR FAIL), in the
 * single-row tail, and against an earlier batch: the message names the
 * right line, and nothing of the file stays. */
static void import_stream__clash_anywhere_in_a_group__right_line_and_nothing_kept(void **state)
{
	struct fixture *f = *state;
	import_result res;
	dk_error err = {{0}};
	char *ok = many_rows(40, 0, 0);
	assert_int_equal(import_text(f, "ok.csv", ok, "m", 0, &res, &err), DK_OK);
	int64_t before = store_fingerprint(f);
	for (int at = 2; at <= 40; at++) {
		/* line at + 1 repeats the id of line 2 (r1) */
		char *dup = many_rows(40, at, 0);
		char want[160];
		assert_int_equal(import_text(f, "d.csv", dup, "m2", 0, &res, &err), DK_ERR);
		snprintf(want, sizeof want,
			 "d.csv:%d:1: id: \"r1\" appears earlier in this file, at line 2",
			 at + 1);
		assert_string_equal(err.msg, want);
		assert_int_equal(store_fingerprint(f), before);
		/* a file of new ids but r1 on line at + 1: it clashes with
		 * batch 1 there */
		sbuf b = {0};
		sbuf_adds(&b, "id,prediction,confidence,ctx\n");
		for (int i = 1; i <= 40; i++)
			sbuf_printf(&b, i == at ? "r1,x,0.5,c\n" : "n%d,x,0.5,c\n", i);
		assert_int_equal(import_text(f, "e.csv", b.buf, "m", 0, &res, &err), DK_ERR);
		snprintf(want, sizeof want,
			 "e.csv:%d:1: id: \"r1\" is already in the store for model m"
			 " (batch 1, ok.csv line 2)",
			 at + 1);
		assert_string_equal(err.msg, want);
		assert_int_equal(store_fingerprint(f), before);
		sbuf_free(&b);
		free(dup);
	}
	free(ok);
}

static void import_format_from_name__extensions(void **state)
{
	(void)state;
	assert_int_equal(import_format_from_name("a/b.CSV"), IMPORT_CSV);
	assert_int_equal(import_format_from_name("x.jsonl"), IMPORT_JSONL);
	assert_int_equal(import_format_from_name("x.ndjson"), IMPORT_JSONL);
	assert_int_equal(import_format_from_name("x.json"), IMPORT_AUTO);
	assert_int_equal(import_format_from_name("dir.csv/x"), IMPORT_AUTO);
}

/* Read system calls this process has made (Linux), -1 if unknown. */
static long long read_calls(void)
{
	FILE *io = fopen("/proc/self/io", "r");
	char line[128];
	long long n = -1;
	while (io && fgets(line, sizeof line, io))
		if (sscanf(line, "syscr: %lld", &n) == 1)
			break;
	if (io)
		fclose(io);
	return n;
}

/* An import bigger than its page cache: the pages it writes at its start
 * and again at its end (the batch row, a new model's row) stay in the
 * cache, so the commit does not reread the WAL. (Spilled to the WAL and
 * written again, such a page made SQLite reread every later frame at
 * commit to rewrite its checksum.) */
static void import_stream__bigger_than_its_cache__commit_rereads_no_wal(void **state)
{
	struct fixture *f = *state;
	enum { ROWS = 5000 };
	sbuf csv = {0};
	sbuf_adds(&csv, "id,prediction,confidence,note\n");
	for (int i = 0; i < ROWS; i++)
		sbuf_printf(&csv, "r%05d,%s,0.%d,%0400d\n", i, i % 3 ? "a" : "b",
			    50 + i % 50, i);
	FILE *in = fmemopen(csv.buf, csv.len, "rb");
	assert_non_null(in);
	import_opts o;
	memset(&o, 0, sizeof o);
	o.model = "big";
	o.threshold = -1;
	o.cache_kib = 1024; /* about 230 pages; the import writes over 600 */
	import_result res;
	dk_error err = {{0}};
	long long before = read_calls();
	int rc = import_stream(f->s, in, "big.csv", &o, &res, &err);
	long long reads = read_calls() - before;
	fclose(in);
	sbuf_free(&csv);
	assert_int_equal(rc, DK_OK);
	assert_int_equal(res.rows, ROWS);
	if (before < 0)
		skip(); /* no /proc/self/io */
	/* the input is read in 256 KiB pieces: under 20 reads */
	assert_true(reads < 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csvread__bom_crlf_quotes__records_with_start_lines),
		cmocka_unit_test(csvread__bare_cr_line_ends__count_as_lines),
		cmocka_unit_test(csvread__unterminated_quote__names_record_line_and_field),
		cmocka_unit_test(csvread__stray_quotes__strict_errors),
		cmocka_unit_test(csvread__callback_stop__returns_its_value),
		cmocka_unit_test(import_json_error__points_at_first_problem),
		cmocka_unit_test(import_json_member__finds_key_and_value_offsets),
		cmocka_unit_test(import_json_error__end_of_line__column_inside_the_line),
		cmocka_unit_test(import_json_locate__the_member_a_byte_is_in),
		cmocka_unit_test(import_json_unquote__decodes_escapes),
		cmocka_unit_test(import_format_from_name__extensions),
		cmocka_unit_test_setup_teardown(model_create__salt_policy_and_labels,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(import_stream__csv__cases_counters_and_lineage,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(import_stream__numbers__parsed_exactly_like_strtod,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(import_stream__errors__exact_messages_and_store_unchanged,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(import_stream__same_file_twice__refused_unless_forced,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(import_stream__non_argmax_prediction__accepted,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(import_stream__no_p_columns__labels_grow_in_order,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(import_stream__many_batches__all_rows_and_first_error_wins,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(import_stream__wide_objects_and_headers__every_key_kept,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(import_stream__clash_anywhere_in_a_group__right_line_and_nothing_kept,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(import_stream__wide_duplicate__both_columns_named,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(import_file__broken_jsonl__messages_name_the_key,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(import_stream__bigger_than_its_cache__commit_rereads_no_wal,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(import_stream__dry_run__leaves_nothing,
						fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
