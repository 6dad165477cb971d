/* queue_bench.c: claim and decide latency (p50/p99) and a decision loop for
 * concurrent runs, on a store made by bench/make-store.sh. Run by
 * bench/queue.sh.
 *   queue_bench latency STORE N DURABLE REVIEWER  -> "claim_p50_us ... "
 *   queue_bench worker STORE SECONDS REVIEWER DURABLE -> "decisions N errors E"
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "docket/queue.h"

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
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

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: queue_bench latency STORE N DURABLE REVIEWER\n"
				"       queue_bench worker STORE SECONDS REVIEWER DURABLE\n");
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
		       "decide_p99_us %.1f n %d errors %d\n",
		       pct(c, n, 0.5), pct(c, n, 0.99), pct(d, n, 0.5), pct(d, n, 0.99),
		       n, errors);
		free(c);
		free(d);
		store_close(s);
		return errors ? 1 : 0;
	}
	/* worker: claim and decide for SECONDS, count decisions and errors */
	store_set_durable(s, atoi(argv[5]), &err);
	double until = now_us() + atof(argv[3]) * 1e6;
	const char *who = argv[4];
	long done = 0, errors = 0;
	while (now_us() < until) {
		queue_case qc;
		int rc = queue_claim(s, who, NULL, &qc, &err);
		if (rc == DK_EMPTY)
			break;
		if (rc) {
			fprintf(stderr, "claim: %s\n", err.msg);
			errors++;
			continue;
		}
		queue_decision dec = {.action = ACTION_ACCEPT, .seconds = 1,
				      .token = qc.lease_token};
		if (queue_decide(s, who, qc.case_id, &dec, NULL, &err)) {
			fprintf(stderr, "decide: %s\n", err.msg);
			errors++;
		} else {
			done++;
		}
		queue_case_free(&qc);
	}
	printf("decisions %ld errors %ld\n", done, errors);
	store_close(s);
	return errors ? 1 : 0;
}
