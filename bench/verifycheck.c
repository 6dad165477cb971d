/* verifycheck.c: the Audit tab's quick check against a full verification.
 * Builds (once) a store whose log is a real hash chain of N entries, records
 * a full verification of it (the baseline, timed), appends NEW entries, then
 * times the quick check of only those (verifymark_check, full = 0).
 * Usage: verifycheck STORE N NEW */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "docket/audit.h"
#include "docket/logq.h"
#include "docket/store.h"
#include "docket/verifymark.h"
#include "results.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Append n export entries, 10000 to a transaction. */
static int append(store *s, long n, dk_error *err)
{
	audit_entry e = {.reviewer = "bench", .action = "export", .seconds = NAN,
			 .note = "bench entry", .detail = "{\"rows\":1}"};
	for (long i = 0; i < n;) {
		if (store_begin_write(s, err))
			return DK_ERR;
		for (long j = 0; j < 10000 && i < n; j++, i++)
			if (audit_append(s, &e, NULL, NULL, err)) {
				store_rollback(s);
				return DK_ERR;
			}
		if (store_commit(s, err))
			return DK_ERR;
	}
	return DK_OK;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: verifycheck STORE N NEW\n");
		return 2;
	}
	long n = atol(argv[2]), fresh = atol(argv[3]);
	store *s = NULL;
	dk_error err = {{0}};
	if (store_open(&s, argv[1], STORE_CREATE, &err))
		goto fail;
	store_set_durable(s, 0, &err);
	int64_t head;
	if (logq_head(s, &head, &err))
		goto fail;
	double b0 = now_ms();
	if (head < n && append(s, n - head, &err))
		goto fail;
	if (head < n)
		bench_row("data\tverify\tverify-%ld.db (a hash chain of %ld entries)\t%.1f\t"
			  "s\t-\t-\t-\t-\tgenerated", n, n, (now_ms() - b0) / 1e3);
	else
		bench_row("data\tverify\tverify-%ld.db (a hash chain of %ld entries)\t-\t"
			  "s\t-\t-\t-\t-\tcached; %lld entries appended by earlier runs",
			  n, n, (long long)(head - n));
	audit_report rep;
	double t0 = now_ms();
	if (verifymark_check(s, 1, NULL, &rep, &err))
		goto fail;
	double full = now_ms() - t0;
	if (append(s, fresh, &err))
		goto fail;
	int was_full = -1;
	t0 = now_ms();
	if (verifymark_check(s, 0, &was_full, &rep, &err) || was_full)
		goto fail;
	double quick = now_ms() - t0;
	printf("verify: full check of %lld entries %.0f ms (baseline); quick check of "
	       "the %ld appended since %.2f ms; ratio %.5f\n",
	       (long long)(rep.head_seq - fresh), full, fresh, quick, quick / full);
	bench_row("fig\tverify\tAudit tab quick check of the %ld entries appended\t%.2f\t"
		  "ms\tfull verification of the chain (%lld entries)\t%.0f\t%.5f\t%ld\t-",
		  fresh, quick, (long long)(rep.head_seq - fresh), full, quick / full,
		  bench_peak_rss_kb());
	store_close(s);
	return 0;
fail:
	fprintf(stderr, "verifycheck: %s\n", err.msg);
	store_close(s);
	return 1;
}
