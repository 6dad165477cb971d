/* logpage.c: times the Log tab's paging through the core: open the query,
 * then page newest first to the end, each page timed; prints p50/p99/max
 * per page and the time to the first page. Baseline in the same run: the
 * same filter as one bare sqlite3 statement reading every match at once.
 * Usage: logpage STORE PAGE [--reviewer R | --text T | --action A] */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "docket/logq.h"
#include "docket/store.h"
#include "docket/store_sqlite.h"
#include "results.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: logpage STORE PAGE [--reviewer R|--text T|--action A]\n");
		return 2;
	}
	struct logq_filter f = {0};
	const char *what = "no filter";
	if (argc == 5 && !strcmp(argv[3], "--reviewer"))
		f.reviewer = argv[4], what = "--reviewer";
	else if (argc == 5 && !strcmp(argv[3], "--text"))
		f.text = argv[4], what = "--text";
	else if (argc == 5 && !strcmp(argv[3], "--action"))
		f.action = argv[4], what = "--action";
	size_t page = (size_t)atoi(argv[2]);
	store *s = NULL;
	dk_error err = {{0}};
	if (store_open(&s, argv[1], 0, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	double t0 = now_ms();
	logq *q = NULL;
	if (logq_open(&q, s, &f, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	struct logq_page p = {0};
	size_t cap = 1024, n = 0;
	double *t = malloc(cap * sizeof *t), first = 0;
	long long rows = 0;
	int64_t before = LOGQ_NEWEST;
	for (;;) {
		double a = now_ms();
		/* the screen's budget: a page never passes over more than this */
		if (logq_page(q, before, page, 20000, &p, &err)) {
			fprintf(stderr, "%s\n", err.msg);
			return 1;
		}
		double b = now_ms();
		if (n == 0)
			first = b - t0;
		if (n == cap)
			t = realloc(t, (cap *= 2) * sizeof *t);
		t[n++] = b - a;
		rows += (long long)p.n;
		if (p.at_end)
			break;
		before = p.next_before;
	}
	double total = 0;
	for (size_t i = 0; i < n; i++)
		total += t[i];
	qsort(t, n, sizeof *t, cmp);
	/* Baseline: one bare walk of the log by seq reading the same columns. */
	sqlite3 *db;
	sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL);
	sqlite3_stmt *st;
	/* the same filter as one bare statement, through the same index */
	const char *sql =
		f.reviewer ? "SELECT seq, at, reviewer, case_id, action, model_label,"
			     " label, reason, note, seconds, hash FROM decisions"
			     " WHERE reviewer = ?1 ORDER BY seq DESC"
		: f.text   ? "SELECT seq, at, reviewer, case_id, action, model_label,"
			     " label, reason, note, seconds, hash FROM decisions"
			     " WHERE instr(lower(note), ?1) > 0 ORDER BY seq DESC"
		: f.action ? "SELECT seq, at, reviewer, case_id, action, model_label,"
			     " label, reason, note, seconds, hash FROM decisions"
			     " WHERE action = ?1 ORDER BY seq DESC"
			   : "SELECT seq, at, reviewer, case_id, action, model_label,"
			     " label, reason, note, seconds, hash FROM decisions"
			     " WHERE ?1 IS NULL ORDER BY seq DESC";
	sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	sqlite3_bind_text(st, 1, f.reviewer ? f.reviewer : f.text ? f.text : f.action,
			  -1, SQLITE_STATIC);
	double a = now_ms();
	long long brows = 0;
	while (sqlite3_step(st) == SQLITE_ROW)
		brows++;
	double base = now_ms() - a;
	sqlite3_finalize(st);
	sqlite3_close(db);
	printf("supervise: Log tab (%s), %zu-entry pages: first page %.2f ms after "
	       "open; %zu pages to the end (%lld entries): p50 %.3f ms, p99 %.3f ms, "
	       "max %.3f ms per page (target < 10); all pages %.0f ms vs one bare "
	       "sqlite3 statement with the same filter (%lld rows) %.0f ms (ratio %.2f)\n",
	       what, page, first, n, rows, t[n / 2], t[n * 99 / 100], t[n - 1], total,
	       brows, base, base > 0 ? total / base : 0);
	bench_row("fig\tsupervise\tLog tab, every %zu-entry page to the end (%s)\t%.0f\tms\t"
		  "one bare sqlite3 statement, same filter\t%.0f\t%.2f\t%ld\t"
		  "%zu pages, %lld entries; per page p50 %.3f, p99 %.3f, max %.3f ms "
		  "(target < 10); first page %.2f ms after open",
		  page, what, total, base, base > 0 ? total / base : 0, bench_peak_rss_kb(),
		  n, rows, t[n / 2], t[n * 99 / 100], t[n - 1], first);
	logq_page_clear(&p);
	free(p.e);
	free(t);
	logq_close(q);
	store_close(s);
	return 0;
}
