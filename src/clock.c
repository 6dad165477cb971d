/* clock.c: the one source of "now" (DOCKET_NOW for tests) and ISO 8601 text. */
#include "docket/clock.h"
#include "docket/testhook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t clock_override = -1;

void clock_set_ms(int64_t ms)
{
	clock_override = ms;
}

int64_t clock_now_ms(void)
{
	if (clock_override >= 0)
		return clock_override;
	/* Only the test build reads DOCKET_NOW: in an installed docket one
	 * reviewer could otherwise outlive another's lease or date an entry
	 * 2099 and pin every later one there. */
	const char *env = testhook_env("DOCKET_NOW");
	int64_t ms;
	if (env && *env && clock_parse(env, &ms) == 0)
		return ms;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

char *clock_format_iso(int64_t ms, char *buf, size_t len)
{
	time_t t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* 1 when s[0..n) are all digits. */
static int clock_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int clock_num(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* Digits only in the fields, and a date and time that exist: sscanf's %d
 * took signs and spaces ("T-1:00"), and 02-31 or :60 rolled over into the
 * next month or minute; an epoch too big for int64 ms overflowed (all
 * found by fuzz/fuzz_clock.c). */
int clock_parse(const char *text, int64_t *ms)
{
	size_t len = strlen(text);
	if (len == 0)
		return 1;
	if (clock_digits(text, len)) {
		int64_t v = 0;
		for (size_t i = 0; i < len; i++) {
			int d = text[i] - '0';
			if (v > (INT64_MAX / 1000 - d) / 10)
				return 1;
			v = v * 10 + d;
		}
		*ms = v * 1000;
		return 0;
	}
	if (len < 10 || !clock_digits(text, 4) || text[4] != '-' ||
	    !clock_digits(text + 5, 2) || text[7] != '-' || !clock_digits(text + 8, 2))
		return 1;
	int y = clock_num(text, 4), mo = clock_num(text + 5, 2),
	    d = clock_num(text + 8, 2), h = 0, mi = 0, s = 0;
	const char *p = text + 10;
	if (*p == 'T' || *p == ' ') {
		if (!clock_digits(p + 1, 2) || p[3] != ':' || !clock_digits(p + 4, 2))
			return 1;
		h = clock_num(p + 1, 2);
		mi = clock_num(p + 4, 2);
		p += 6;
		if (*p == ':') {
			if (!clock_digits(p + 1, 2))
				return 1;
			s = clock_num(p + 1, 2);
			p += 3;
		}
		if (*p == 'Z')
			p++;
	}
	static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (*p != '\0' || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && !leap) || h > 23 || mi > 59 || s > 59)
		return 1;
	*ms = ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000 +
	      (int64_t)s * 1000;
	return 0;
}
