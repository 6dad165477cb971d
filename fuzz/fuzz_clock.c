/* fuzz_clock.c: libFuzzer target for clock_parse (DOCKET_NOW, --since,
 * --until). The input is the text. Properties:
 *  - plain digits are epoch seconds: accepted exactly when the value fits
 *    (in milliseconds, int64), and then read exactly;
 *  - other accepted text has the documented shape, digits only in its
 *    fields: YYYY-MM-DD, optionally [T ]HH:MM[:SS] and Z;
 *  - it names a real instant: the calendar fields of the result are the
 *    fields written (no 02-31 or 25:00 rolling over), and the instant
 *    formatted by clock_format_iso parses back to itself. */
#include "fuzz_util.h"

#include <time.h>

#include "docket/clock.h"

static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int num(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *t = fuzz_text(data, size);
	size_t n = strlen(t);
	int64_t ms = 0;
	int rc = clock_parse(t, &ms);
	if (n && digits(t, n)) {
		/* the value, if it fits in int64 milliseconds */
		int64_t v = 0;
		int fits = 1;
		for (size_t i = 0; i < n && fits; i++) {
			int dgt = t[i] - '0';
			if (v > (INT64_MAX / 1000 - dgt) / 10)
				fits = 0;
			else
				v = v * 10 + dgt;
		}
		FUZZ_CHECK(rc == (fits ? 0 : 1), "'%s': rc %d, fits %d", t, rc, fits);
		if (fits)
			FUZZ_CHECK(ms == v * 1000, "'%s' read as %lld ms", t, (long long)ms);
	} else if (rc == 0) {
		FUZZ_CHECK(n >= 10 && digits(t, 4) && t[4] == '-' && digits(t + 5, 2) &&
				   t[7] == '-' && digits(t + 8, 2),
			   "'%s' accepted, not YYYY-MM-DD", t);
		int y = num(t, 4), mo = num(t + 5, 2), d = num(t + 8, 2), h = 0, mi = 0, s = 0;
		size_t at = 10;
		if (at < n && (t[at] == 'T' || t[at] == ' ')) {
			FUZZ_CHECK(n >= at + 6 && digits(t + at + 1, 2) && t[at + 3] == ':' &&
					   digits(t + at + 4, 2),
				   "'%s' accepted, not HH:MM", t);
			h = num(t + at + 1, 2);
			mi = num(t + at + 4, 2);
			at += 6;
			if (at < n && t[at] == ':') {
				FUZZ_CHECK(n >= at + 3 && digits(t + at + 1, 2), "'%s': :SS", t);
				s = num(t + at + 1, 2);
				at += 3;
			}
			if (at < n && t[at] == 'Z')
				at++;
		}
		FUZZ_CHECK(at == n, "'%s' accepted with junk at %zu", t, at);
		time_t secs = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
		struct tm tm;
		FUZZ_CHECK(ms % 1000 == 0 && gmtime_r(&secs, &tm), "'%s': %lld ms", t, (long long)ms);
		FUZZ_CHECK(tm.tm_year + 1900 == y && tm.tm_mon + 1 == mo && tm.tm_mday == d &&
				   tm.tm_hour == h && tm.tm_min == mi && tm.tm_sec == s,
			   "'%s' is %04d-%02d-%02dT%02d:%02d:%02d", t, tm.tm_year + 1900,
			   tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		if (y >= 1000) { /* clock_format_iso writes %Y: 4 digits from 1000 */
			char iso[64];
			int64_t back = -1;
			clock_format_iso(ms, iso, sizeof iso);
			FUZZ_CHECK(clock_parse(iso, &back) == 0 && back == ms,
				   "'%s' -> %s -> %lld", t, iso, (long long)back);
		}
	}
	free(t);
	return 0;
}
