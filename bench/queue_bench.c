/* queue_bench.c: claim and decide latency (p50/p99), decisions per second
 * with concurrent processes, and a bare SQLite commit loop as the baseline,
 * on a store made by bench/make-store.sh. Run by bench/queue.sh.
 *   queue_bench latency STORE N DURABLE REVIEWER  -> "claim_p50_us ... "
 *   queue_bench worker STORE SECONDS REVIEWER DURABLE -> "decisions N errors E"
 *   queue_bench rate STORE SECONDS PROCS DURABLE [MODE]
 *       PROCS processes (reviewers w1..wPROCS) claim and decide for SECONDS,
 *       started together -> "decisions N per_s X errors E client_cpu_us C"
 *       (C: the workers' CPU time, user + system, in all). MODE "two"
 *       (default): queue_claim then queue_decide, two write transactions
 *       a decision; "next": one queue_claim, then queue_decide_next (decide
 *       and claim the next case in one transaction), releasing the case
 *       still held when time runs out.
 *   queue_bench bare FILE SECONDS DURABLE
 *       one process, a new WAL database FILE, one INSERT per BEGIN
 *       IMMEDIATE..COMMIT under synchronous FULL (1) or NORMAL (0): what
 *       this machine's SQLite commits per second -> "commits N per_s X"
 *   queue_bench barelat FILE N DURABLE
 *       the same loop N times, each commit timed: the latency baseline
 *       -> "commit_p50_us X commit_p99_us Y n N"
 * STORE may be a PostgreSQL URI (bench/pg.sh): the reviewer is the role
 * logged in there, so a rate worker logs in as its own (PGUSER=wN; the
 * URI must then name no user).
 * Every mode ends its line with "rss_kb K": the peak RSS of the process
 * (rate: of the largest worker).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "docket/store_sqlite.h"
#include "docket/queue.h"

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* peak RSS in KiB of this process (who = RUSAGE_SELF) or of its largest
 * waited-for child (RUSAGE_CHILDREN) */
static long peak_rss_kb(int who)
{
	struct rusage ru;
	return getrusage(who, &ru) ? -1 : ru.ru_maxrss;
}

/* CPU time (user + system) in µs of the waited-for children: the client's
 * share of a rate run's CPU per decision (bench/pg.sh adds the server's) */
static double children_cpu_us(void)
{
	struct rusage ru;
	if (getrusage(RUSAGE_CHILDREN, &ru))
		return -1;
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
	       ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double pct(double *v, int n, double p)
{
	qsort(v, (size_t)n, sizeof *v, cmp);
	int i = (int)(p * (n - 1) + 0.5);
	return v[i];
}

/* A claim+decide loop until `until` (µs, CLOCK_MONOTONIC). next: decide
 * each case with queue_decide_next, which claims the following one; the
 * case held when time runs out is released (not counted). */
static void decide_loop(store *s, const char *who, double until, int next,
			long *done, long *errors)
{
	dk_error err = {{0}};
	queue_case qc = {0};
	int held = 0;
	while (now_us() < until) {
		if (!held) {
			int rc = queue_claim(s, who, NULL, &qc, &err);
			if (rc == DK_EMPTY)
				break;
			if (rc) {
				fprintf(stderr, "claim: %s\n", err.msg);
				(*errors)++;
				continue;
			}
			held = 1;
		}
		queue_decision dec = {.action = ACTION_ACCEPT, .seconds = 1,
				      .token = qc.lease_token};
		int64_t id = qc.case_id;
		queue_case_free(&qc);
		held = 0;
		int rc = next ? queue_decide_next(s, who, id, &dec, NULL, NULL, &qc, &err)
			      : queue_decide(s, who, id, &dec, NULL, &err);
		if (rc == DK_OK || (next && rc == DK_EMPTY)) {
			(*done)++;
			held = next && rc == DK_OK;
			if (next && rc == DK_EMPTY)
				break;
		} else {
			fprintf(stderr, "decide: %s\n", err.msg);
			(*errors)++;
		}
	}
	if (held) {
		queue_case_free(&qc);
		if (queue_release(s, who, NULL, &err)) {
			fprintf(stderr, "release: %s\n", err.msg);
			(*errors)++;
		}
	}
}

/* rate: fork procs workers that open the store, wait for the start signal
 * (a pipe closing), run SECONDS and report "done errors" on a pipe. */
static int bench_rate(const char *path, double secs, int procs, int durable,
		      int next)
{
	int go[2], res[2];
	if (pipe(go) || pipe(res))
		return 1;
	for (int i = 0; i < procs; i++) {
		pid_t pid = fork();
		if (pid < 0)
			return 1;
		if (pid)
			continue;
		close(go[1]);
		close(res[0]);
		store *s;
		dk_error err = {{0}};
		long done = 0, errors = 0;
		char who[32], c, line[64];
		snprintf(who, sizeof who, "w%d", i + 1);
		if (store_target_is_uri(path))
			setenv("PGUSER", who, 1);
		if (store_open(&s, path, 0, &err) || store_set_durable(s, durable, &err)) {
			fprintf(stderr, "%s\n", err.msg);
			errors = 1;
			s = NULL;
		}
		(void)!read(go[0], &c, 1); /* returns 0 when the parent closes go */
		if (s) {
			decide_loop(s, who, now_us() + secs * 1e6, next, &done, &errors);
			store_close(s);
		}
		int n = snprintf(line, sizeof line, "%ld %ld\n", done, errors);
		(void)!write(res[1], line, (size_t)n); /* < PIPE_BUF: atomic */
		_exit(0);
	}
	close(go[0]);
	close(res[1]);
	usleep(200000); /* let every worker open the store */
	double t0 = now_us();
	close(go[1]);
	long done = 0, errors = 0;
	FILE *f = fdopen(res[0], "r");
	long d, e;
	while (fscanf(f, "%ld %ld", &d, &e) == 2) {
		done += d;
		errors += e;
	}
	double t1 = now_us();
	fclose(f);
	while (wait(NULL) > 0)
		;
	printf("decisions %ld per_s %.0f errors %ld client_cpu_us %.0f rss_kb %ld\n",
	       done, done / ((t1 - t0) / 1e6), errors, children_cpu_us(),
	       peak_rss_kb(RUSAGE_CHILDREN));
	return errors ? 1 : 0;
}

/* bare: the machine's SQLite commit rate, one small insert per write
 * transaction, nothing of docket's: for secs seconds, or (count > 0) count
 * commits each timed, printing their p50/p99. */
static int bench_bare(const char *path, double secs, int count, int durable)
{
	sqlite3 *db;
	unlink(path);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return 1;
	char *msg = NULL;
	if (sqlite3_exec(db,
			 durable ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
				   "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);"
				 : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
				   "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);",
			 NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "bare: %s\n", msg);
		return 1;
	}
	sqlite3_stmt *b, *ins, *c;
	sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &b, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO t(v) VALUES ('a decision-sized row of text')",
			   -1, &ins, NULL);
	sqlite3_prepare_v2(db, "COMMIT", -1, &c, NULL);
	long n = 0;
	double *lat = count > 0 ? malloc(sizeof *lat * (size_t)count) : NULL;
	if (count > 0 && !lat)
		return 1;
	double t0 = now_us(), until = t0 + secs * 1e6;
	while (count > 0 ? n < count : now_us() < until) {
		double a = now_us();
		if (sqlite3_step(b) != SQLITE_DONE || sqlite3_step(ins) != SQLITE_DONE ||
		    sqlite3_step(c) != SQLITE_DONE) {
			fprintf(stderr, "bare: %s\n", sqlite3_errmsg(db));
			free(lat);
			return 1;
		}
		sqlite3_reset(b);
		sqlite3_reset(ins);
		sqlite3_reset(c);
		if (lat)
			lat[n] = now_us() - a;
		n++;
	}
	double t1 = now_us();
	sqlite3_finalize(b);
	sqlite3_finalize(ins);
	sqlite3_finalize(c);
	sqlite3_close(db);
	unlink(path);
	char side[4096];
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	if (lat) {
		printf("commit_p50_us %.1f commit_p99_us %.1f n %ld rss_kb %ld\n",
		       pct(lat, (int)n, 0.5), pct(lat, (int)n, 0.99), n,
		       peak_rss_kb(RUSAGE_SELF));
		free(lat);
	} else {
		printf("commits %ld per_s %.0f rss_kb %ld\n", n, n / ((t1 - t0) / 1e6),
		       peak_rss_kb(RUSAGE_SELF));
	}
	return 0;
}

int main(int argc, char **argv)
{
	if ((argc == 6 || argc == 7) && !strcmp(argv[1], "rate")) {
		int next = argc == 7 && !strcmp(argv[6], "next");
		if (argc == 7 && !next && strcmp(argv[6], "two")) {
			fprintf(stderr, "queue_bench rate: MODE is two or next\n");
			return 2;
		}
		return bench_rate(argv[2], atof(argv[3]), atoi(argv[4]), atoi(argv[5]),
				  next);
	}
	if (argc == 5 && !strcmp(argv[1], "bare"))
		return bench_bare(argv[2], atof(argv[3]), 0, atoi(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "barelat") && atoi(argv[3]) > 0)
		return bench_bare(argv[2], 0, atoi(argv[3]), atoi(argv[4]));
	if (argc != 6) {
		fprintf(stderr, "usage: queue_bench latency STORE N DURABLE REVIEWER\n"
				"       queue_bench worker STORE SECONDS REVIEWER DURABLE\n"
				"       queue_bench rate STORE SECONDS PROCS DURABLE [two|next]\n"
				"       queue_bench bare FILE SECONDS DURABLE\n"
				"       queue_bench barelat FILE N DURABLE\n");
		return 2;
	}
	store *s;
	dk_error err = {{0}};
	if (store_open(&s, argv[2], 0, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	if (!strcmp(argv[1], "latency")) {
		int n = atoi(argv[3]);
		const char *who = argv[5];
		store_set_durable(s, atoi(argv[4]), &err);
		double *c = malloc(sizeof *c * (size_t)n), *d = malloc(sizeof *d * (size_t)n);
		int errors = 0;
		for (int i = 0; i < n; i++) {
			queue_case qc;
			double t0 = now_us();
			int rc = queue_claim(s, who, NULL, &qc, &err);
			double t1 = now_us();
			if (rc) {
				fprintf(stderr, "claim: %s\n", err.msg);
				errors++;
				n = i;
				break;
			}
			queue_decision dec = {.action = ACTION_ACCEPT, .seconds = 1,
					      .token = qc.lease_token};
			double t2 = now_us();
			if (queue_decide(s, who, qc.case_id, &dec, NULL, &err)) {
				fprintf(stderr, "decide: %s\n", err.msg);
				errors++;
			}
			double t3 = now_us();
			c[i] = t1 - t0;
			d[i] = t3 - t2;
			queue_case_free(&qc);
		}
		printf("claim_p50_us %.1f claim_p99_us %.1f decide_p50_us %.1f "
		       "decide_p99_us %.1f n %d errors %d rss_kb %ld\n",
		       pct(c, n, 0.5), pct(c, n, 0.99), pct(d, n, 0.5), pct(d, n, 0.99),
		       n, errors, peak_rss_kb(RUSAGE_SELF));
		free(c);
		free(d);
		store_close(s);
		return errors ? 1 : 0;
	}
	/* worker: claim and decide for SECONDS, count decisions and errors */
	store_set_durable(s, atoi(argv[5]), &err);
	long done = 0, errors = 0;
	decide_loop(s, argv[4], now_us() + atof(argv[3]) * 1e6, 0, &done, &errors);
	printf("decisions %ld errors %ld\n", done, errors);
	store_close(s);
	return errors ? 1 : 0;
}
