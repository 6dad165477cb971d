/* clock.c: the one source of "now" (DOCKET_NOW for tests) and ISO 8601 text. */
#include "docket/clock.h"

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
	const char *env = getenv("DOCKET_NOW");
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

int clock_parse(const char *text, int64_t *ms)
{
	int y, mo, d, h = 0, mi = 0, s = 0, n = 0;
	size_t len = strlen(text);
	if (len == 0)
		return 1;
	if (strspn(text, "0123456789") == len) {
		*ms = (int64_t)strtoll(text, NULL, 10) * 1000;
		return 0;
	}
	if (sscanf(text, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		return 1;
	const char *p = text + n;
	if (*p == 'T' || *p == ' ') {
		int k = 0;
		if (sscanf(p + 1, "%2d:%2d%n", &h, &mi, &k) != 2 || k != 5)
			return 1;
		p += 1 + k;
		if (*p == ':') {
			if (sscanf(p + 1, "%2d%n", &s, &k) != 1 || k != 2)
				return 1;
			p += 1 + k;
		}
		if (*p == 'Z')
			p++;
	}
	if (*p != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || s > 60)
		return 1;
	*ms = ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000 +
	      (int64_t)s * 1000;
	return 0;
}
