/* test_logq.c: the decision log: each filter, keyset paging newest first
 * (every entry once, in order), budgets, plans, and the three formats. */
#include "fixture.h"

#include <locale.h>

#include "docket/audit.h"
#include "docket/clock.h"
#include "docket/logq.h"
#include "docket/text.h"
#include "sup_fixture.h"

/* Walk the whole log under f with pages of size page; check it comes
 * newest first with no entry twice, and return the count. */
static size_t walk(store *s, const struct logq_filter *f, size_t size,
		   int64_t budget, int64_t *first, int64_t *last)
{
	logq *q = NULL;
	dk_error err = {{0}};
	if (logq_open(&q, s, f, &err))
		fail_msg("logq_open: %s", err.msg);
	struct logq_page p = {0};
	int64_t before = LOGQ_NEWEST, prev = INT64_MAX;
	size_t n = 0, calls = 0;
	*first = *last = 0;
	for (;;) {
		assert_int_equal(logq_page(q, before, size, budget, &p, &err), DK_OK);
		assert_true(p.n <= size);
		for (size_t i = 0; i < p.n; i++) {
			assert_true(p.e[i].seq < prev);
			prev = p.e[i].seq;
			if (!n)
				*first = prev;
			*last = prev;
			n++;
		}
		if (p.at_end)
			break;
		assert_true(p.next_before < before);
		before = p.next_before;
		assert_true(++calls < 10000);
	}
	logq_page_clear(&p);
	free(p.e);
	logq_close(q);
	return n;
}

static size_t count(store *s, const struct logq_filter *f)
{
	int64_t a, b;
	size_t n = walk(s, f, 7, 0, &a, &b);
	/* the same with one big page and with a small budget */
	assert_int_equal(walk(s, f, 1000, 0, &a, &b), n);
	assert_int_equal(walk(s, f, 7, 5, &a, &b), n);
	return n;
}

static void logq_page__no_filter__every_entry_newest_first(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	struct logq_filter lf = {0};
	int64_t first, last;
	assert_int_equal(walk(f->s, &lf, 10, 0, &first, &last), 113);
	assert_int_equal(first, 113);
	assert_int_equal(last, 1);
	dk_error err = {{0}};
	int64_t head = 0;
	assert_int_equal(logq_head(f->s, &head, &err), DK_OK);
	assert_int_equal(head, 113);
	/* a failed read is an error, never an empty log */
	fixture_exec(f->s, "ALTER TABLE decisions RENAME TO gone");
	assert_int_equal(logq_head(f->s, &head, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "decisions"));
	logq *q = NULL;
	assert_int_equal(logq_open(&q, f->s, &lf, &err), DK_ERR);
	assert_null(q);
}

static void logq_page__filters__counts_by_hand(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	struct logq_filter lf = {0};
	lf.reviewer = "alice";
	assert_int_equal(count(f->s, &lf), 50);
	lf.action = "override";
	assert_int_equal(count(f->s, &lf), 25);
	memset(&lf, 0, sizeof lf);
	lf.action = "escalate";
	assert_int_equal(count(f->s, &lf), 1);
	memset(&lf, 0, sizeof lf);
	lf.label = "bad"; /* alice 25, bob 20, dave 1 */
	assert_int_equal(count(f->s, &lf), 46);
	memset(&lf, 0, sizeof lf);
	lf.case_id = "c7";
	assert_int_equal(count(f->s, &lf), 2);
	lf.reviewer = "bob";
	assert_int_equal(count(f->s, &lf), 1);
	memset(&lf, 0, sizeof lf);
	lf.case_id = "no-such-case";
	assert_int_equal(count(f->s, &lf), 0);
	memset(&lf, 0, sizeof lf);
	lf.model = "credit";
	assert_int_equal(count(f->s, &lf), 113);
	memset(&lf, 0, sizeof lf);
	lf.text = "INCOME"; /* the note is "Looked at Income" */
	assert_int_equal(count(f->s, &lf), 1);
	memset(&lf, 0, sizeof lf);
	lf.has_since = 1;
	lf.since_ms = DAY2; /* cases 21-50 (60), carol 3, dave 10 */
	assert_int_equal(count(f->s, &lf), 73);
	lf.has_since = 0;
	lf.has_until = 1;
	lf.until_ms = DAY2;
	assert_int_equal(count(f->s, &lf), 40);
	lf.has_since = 1;
	lf.since_ms = DAY2 + 21000;
	lf.until_ms = DAY2 + 22000; /* case 21: alice at +0, bob at +500 */
	assert_int_equal(count(f->s, &lf), 2);
	lf.since_ms = DAY2 + 10 * 86400000LL;
	lf.has_until = 0;
	assert_int_equal(count(f->s, &lf), 0);
}

static void logq_open__unknown_model__usage(void **state)
{
	struct fixture *f = *state;
	struct logq_filter lf = {0};
	lf.model = "nope";
	logq *q = NULL;
	dk_error err = {{0}};
	assert_int_equal(logq_open(&q, f->s, &lf, &err), DK_USAGE);
	assert_null(q);
	assert_non_null(strstr(err.msg, "no model named 'nope'"));
}

static void logq_page__budget__short_page_then_continues(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	struct logq_filter lf = {0};
	lf.text = "income"; /* only seq 13 (alice on case 7) */
	logq *q = NULL;
	dk_error err = {{0}};
	assert_int_equal(logq_open(&q, f->s, &lf, &err), DK_OK);
	struct logq_page p = {0};
	assert_int_equal(logq_page(q, LOGQ_NEWEST, 5, 50, &p, &err), DK_OK);
	assert_int_equal(p.n, 0);
	assert_false(p.at_end);
	assert_int_equal(p.next_before, 114 - 50);
	assert_int_equal(logq_page(q, p.next_before, 5, 70, &p, &err), DK_OK);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.e[0].seq, 13);
	assert_string_equal(p.e[0].note, "Looked at Income");
	assert_string_equal(p.e[0].ext_id, "c7");
	assert_string_equal(p.e[0].model, "credit");
	assert_true(p.at_end);
	logq_page_clear(&p);
	free(p.e);
	logq_close(q);
}

static void logq_explain__every_driver__seeks_never_scans(void **state)
{
	struct fixture *f = *state;
	int on_pg = store_engine(f->s) == STORE_POSTGRES;
	struct logq_filter filters[5] = {{0}};
	filters[1].reviewer = "alice";
	filters[2].action = "override";
	filters[3].case_id = "c1";
	filters[4].text = "x";
	filters[4].label = "bad";
	filters[4].model = NULL;
	const char *want[] = {"INTEGER PRIMARY KEY", "decisions_reviewer",
			      "decisions_action", "decisions_case", "INTEGER PRIMARY KEY"};
	for (size_t i = 0; i < 5; i++) {
		logq *q = NULL;
		dk_error err = {{0}};
		assert_int_equal(logq_open(&q, f->s, &filters[i], &err), DK_OK);
		sbuf plan = {0};
		fixture_plan_start(f->s);
		assert_int_equal(logq_explain(q, &plan, &err), DK_OK);
		fixture_plan_end(f->s);
		const char *p = sbuf_str(&plan);
		static const char *const big[] = {"decisions", "cases", NULL};
		char line[200];
		if (on_pg ? fixture_pg_seq_scan(p, big, line, sizeof line) != NULL
			  : !strstr(p, want[i]) || strstr(p, "SCAN d") || strstr(p, "SCAN c") ||
				    (i != 3 && strstr(p, "TEMP B-TREE")))
			fail_msg("filter %zu: plan\n%s", i, p);
		sbuf_free(&plan);
		logq_close(q);
	}
}

static void logq_case_history__oldest_first(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	struct logq_page p = {0};
	dk_error err = {{0}};
	assert_int_equal(logq_case_history(f->s, 52, &p, &err), DK_OK);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.e[0].action, "accept");
	assert_string_equal(p.e[1].action, "undo");
	assert_int_equal(p.e[1].ref_seq, p.e[0].seq);
	logq_page_clear(&p);
	free(p.e);
}

static void logq_format__csv_jsonl_table(void **state)
{
	(void)state;
	struct logq_entry e = {0};
	e.seq = 42;
	e.at = DAY1 + 3723000; /* 01:02:03 */
	e.reviewer = "alice";
	e.ext_id = "app-1";
	e.model = "credit";
	e.action = "override";
	e.model_label = "good";
	e.label = "bad";
	e.reason = "income";
	e.note = "said \"no\", twice\nreally";
	e.has_seconds = 1;
	e.seconds = 4.25;
	e.hash = "ab12";
	sbuf b = {0};
	logq_format_header(&b, LOGQ_CSV);
	logq_format_entry(&b, LOGQ_CSV, &e);
	assert_string_equal(sbuf_str(&b),
		"seq,at,reviewer,id,model,action,model_label,label,reason,note,"
		"seconds,hash,ref_seq\n"
		"42,2026-01-01T01:02:03Z,alice,app-1,credit,override,good,bad,income,"
		"\"said \"\"no\"\", twice\nreally\",4.2,ab12,\n");
	sbuf_reset(&b);
	logq_format_entry(&b, LOGQ_JSONL, &e);
	assert_string_equal(sbuf_str(&b),
		"{\"seq\":42,\"at\":\"2026-01-01T01:02:03Z\",\"reviewer\":\"alice\","
		"\"id\":\"app-1\",\"model\":\"credit\",\"action\":\"override\","
		"\"model_label\":\"good\",\"label\":\"bad\",\"reason\":\"income\","
		"\"note\":\"said \\\"no\\\", twice\\nreally\",\"seconds\":4.25,"
		"\"hash\":\"ab12\",\"ref_seq\":null}\n");
	sbuf_reset(&b);
	logq_format_entry(&b, LOGQ_TABLE, &e);
	assert_non_null(strstr(sbuf_str(&b), "good -> bad"));
	assert_non_null(strstr(sbuf_str(&b), "said \"no\", twice\\nreally"));
	/* one line: the newline in the note is shown as \n */
	assert_ptr_equal(strchr(sbuf_str(&b), '\n'), sbuf_str(&b) + b.len - 1);
	sbuf_free(&b);
}

/* The display column where needle starts in line (text.h widths). */
static int col_of(const char *line, const char *needle)
{
	const char *at = strstr(line, needle);
	if (!at)
		fail_msg("'%s' not in '%s'", needle, line);
	return text_width(line, (size_t)(at - line));
}

static void logq_format__table__lines_up_by_display_width(void **state)
{
	(void)state;
	assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
	text_set_utf8(1);
	/* wide (CJK), combining (e + U+0301) and plain ASCII reviewers */
	const char *who[] = {"\u5c71\u7530\u592a\u90ce", "Zoe\u0308", "alice",
			     "\u6e21\u8fba\u6e21\u8fba\u6e21\u8fba\u6e21\u8fba"};
	sbuf note = {0};
	for (int i = 0; i < 45; i++)
		sbuf_adds(&note, "e\u0301"); /* 45 columns, 90 code points */
	char *lines[4];
	for (int i = 0; i < 4; i++) {
		struct logq_entry e = {0};
		e.seq = i + 1;
		e.at = DAY1;
		e.reviewer = (char *)who[i];
		e.ext_id = "id-1";
		e.model = "\u4fe1\u7528"; /* 4 columns */
		e.action = "override";
		e.model_label = "good";
		e.label = "\u60aa\u3044"; /* "bad", 4 columns */
		e.reason = "r";
		e.note = i == 1 ? (char *)sbuf_str(&note) : "\u5099\u8003 ok";
		sbuf b = {0};
		logq_format_entry(&b, LOGQ_TABLE, &e);
		lines[i] = dk_xstrdup(sbuf_str(&b));
		sbuf_free(&b);
	}
	sbuf h = {0};
	logq_format_header(&h, LOGQ_TABLE);
	/* every column starts where the header's does, whatever the text */
	for (int i = 0; i < 4; i++) {
		assert_int_equal(col_of(lines[i], "id-1"), col_of(sbuf_str(&h), "id"));
		assert_int_equal(col_of(lines[i], "\u4fe1\u7528"),
				 col_of(sbuf_str(&h), "model "));
		assert_int_equal(col_of(lines[i], "override"), col_of(sbuf_str(&h), "action"));
		assert_int_equal(col_of(lines[i], "good -> \u60aa\u3044"),
				 col_of(sbuf_str(&h), "model -> label"));
		const char *n = i == 1 ? "e\u0301" : "\u5099\u8003";
		assert_int_equal(col_of(lines[i], n), col_of(sbuf_str(&h), "note"));
	}
	/* a cut is by columns and marks stay with their letter: 16 columns of
	 * CJK in a 12-column cell keep 5 characters, then "~" and a pad */
	assert_non_null(strstr(lines[3],
		"\u6e21\u8fba\u6e21\u8fba\u6e21~   id-1"));
	/* the 45-column note keeps 39 whole clusters, then "~" */
	sbuf want = {0};
	for (int i = 0; i < 39; i++)
		sbuf_adds(&want, "e\u0301");
	sbuf_adds(&want, "~\n");
	const char *tail = lines[1] + strlen(lines[1]) - want.len;
	assert_string_equal(tail, sbuf_str(&want));
	assert_int_equal(text_width(tail, strlen(tail) - 1), 40);
	for (int i = 0; i < 4; i++)
		free(lines[i]);
	sbuf_free(&want);
	sbuf_free(&note);
	sbuf_free(&h);
}

/* Entries appended while the clock steps back (100 s, 300 s, 200 s, 250 s):
 * --since 220 s must find every entry stamped at or after it, which seq
 * bounds from two seeks do only if times never fall along the chain. */
static void logq_page__clock_stepped_back__time_filter_exact(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	const int64_t clock[] = {100000, 300000, 200000, 250000};
	for (int i = 0; i < 4; i++) {
		audit_entry e = {.reviewer = "ann", .action = "export", .seconds = NAN};
		clock_set_ms(clock[i]);
		assert_int_equal(store_begin_write(f->s, &err), DK_OK);
		assert_int_equal(audit_append(f->s, &e, NULL, NULL, &err), DK_OK);
		assert_int_equal(store_commit(f->s, &err), DK_OK);
	}
	clock_set_ms(-1);
	struct logq_filter lf = {0};
	int64_t first, last;
	lf.has_since = 1;
	lf.since_ms = 220000;
	/* every entry after the one at 100 s is stamped 300 s or later */
	assert_int_equal(walk(f->s, &lf, 10, 0, &first, &last), 3);
	assert_int_equal(first, 4);
	assert_int_equal(last, 2);
	lf.has_since = 0;
	lf.has_until = 1;
	lf.until_ms = 220000;
	assert_int_equal(walk(f->s, &lf, 10, 0, &first, &last), 1);
	assert_int_equal(first, 1);
}

static void logq_is_supervisor__roles(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	dk_error err = {{0}};
	assert_int_equal(logq_is_supervisor(f->s, dk_login_name(), &err), 1);
	assert_int_equal(logq_is_supervisor(f->s, "alice", &err), 0);
	assert_int_equal(logq_is_supervisor(f->s, "nobody", &err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(logq_page__no_filter__every_entry_newest_first,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(logq_page__filters__counts_by_hand,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(logq_open__unknown_model__usage,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(logq_page__budget__short_page_then_continues,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(logq_explain__every_driver__seeks_never_scans,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(logq_case_history__oldest_first,
						fixture_setup, fixture_teardown),
		cmocka_unit_test(logq_format__csv_jsonl_table),
		cmocka_unit_test(logq_format__table__lines_up_by_display_width),
		cmocka_unit_test_setup_teardown(logq_page__clock_stepped_back__time_filter_exact,
						fixture_setup_no_log, fixture_teardown),
		cmocka_unit_test_setup_teardown(logq_is_supervisor__roles,
						fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
