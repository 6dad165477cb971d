/* results.h: the bench programs' machine-readable result lines, the same
 * format as bench/lib.sh's bench_row (appended to $BENCH_RESULTS when it is
 * set; bench/report.sh renders them), and their peak RSS. */
#ifndef BENCH_RESULTS_H
#define BENCH_RESULTS_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

/* Peak RSS of this process in KiB (-1 if unknown). */
static inline long bench_peak_rss_kb(void)
{
	struct rusage ru;
	return getrusage(RUSAGE_SELF, &ru) ? -1 : ru.ru_maxrss;
}

/* Append one tab-separated line of 10 fields to $BENCH_RESULTS: kind,
 * section, figure, value, unit, baseline, baseline value, ratio, peak RSS
 * (KiB), note. fmt is a printf format producing exactly those fields
 * separated by tabs, without the final newline. Does nothing when
 * $BENCH_RESULTS is unset or empty. */
__attribute__((format(printf, 1, 2))) static inline void bench_row(const char *fmt, ...)
{
	const char *path = getenv("BENCH_RESULTS");
	if (!path || !*path)
		return;
	FILE *f = fopen(path, "a");
	if (!f) {
		perror(path);
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fclose(f);
}

#endif
