/* test_util.c: line reading, number parsing, UTF-8 checks, JSON strings. */
#include "fixture.h"

#include "docket/clock.h"
#include "docket/util.h"

static void dk_next_line__splits__lines_and_counts_them(void **state)
{
	(void)state;
	const char *p = "a = 1\n\nlast";
	char buf[16];
	int line = 0;
	assert_int_equal(dk_next_line(&p, buf, sizeof buf, &line), 1);
	assert_string_equal(buf, "a = 1");
	assert_int_equal(dk_next_line(&p, buf, sizeof buf, &line), 1);
	assert_string_equal(buf, "");
	assert_int_equal(dk_next_line(&p, buf, sizeof buf, &line), 1);
	assert_string_equal(buf, "last");
	assert_int_equal(line, 3);
	assert_int_equal(dk_next_line(&p, buf, sizeof buf, &line), 0);
}

static void dk_next_line__long_line__refused_with_its_number(void **state)
{
	(void)state;
	const char *p = "ok\n0123456789abcdef\n";
	char buf[16];
	int line = 0;
	assert_int_equal(dk_next_line(&p, buf, sizeof buf, &line), 1);
	assert_int_equal(dk_next_line(&p, buf, sizeof buf, &line), -1);
	assert_int_equal(line, 2);
}

static void dk_parse_double__rejects__junk_nan_inf_nul_space(void **state)
{
	(void)state;
	double v;
	assert_int_equal(dk_parse_double("0.25", 4, &v), 0);
	assert_true(v == 0.25);
	assert_int_equal(dk_parse_double("0.25x", 5, &v), 1);
	assert_int_equal(dk_parse_double("nan", 3, &v), 1);
	assert_int_equal(dk_parse_double("inf", 3, &v), 1);
	assert_int_equal(dk_parse_double("1e999", 5, &v), 1);
	assert_int_equal(dk_parse_double("0.5\0" "1", 5, &v), 1);
	assert_int_equal(dk_parse_double(" 1", 2, &v), 1);
	assert_int_equal(dk_parse_double("", 0, &v), 1);
}

static void dk_utf8_valid__rejects__overlong_surrogate_truncated(void **state)
{
	(void)state;
	assert_true(dk_utf8_valid("caf\xc3\xa9 \xe5\x8f\x8e", 9));
	assert_false(dk_utf8_valid("\xc0\xaf", 2));         /* overlong '/' */
	assert_false(dk_utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
	assert_false(dk_utf8_valid("\xe5\x8f", 2));         /* truncated */
	assert_false(dk_utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
}

static void sbuf_add_json_str__escapes__quotes_controls(void **state)
{
	(void)state;
	sbuf b = {0};
	sbuf_add_json_str(&b, "a\"b\\c\n\x01\xc3\xa9", 9);
	assert_string_equal(sbuf_str(&b), "\"a\\\"b\\\\c\\n\\u0001\xc3\xa9\"");
	sbuf_free(&b);
}

static void clock_parse__forms__agree(void **state)
{
	(void)state;
	int64_t a, b, c;
	assert_int_equal(clock_parse("2026-01-02T03:04:05Z", &a), 0);
	assert_int_equal(clock_parse("1767323045", &b), 0);
	assert_int_equal(a, b);
	assert_int_equal(clock_parse("2026-01-02", &c), 0);
	assert_int_equal(a - c, (3 * 3600 + 4 * 60 + 5) * 1000LL);
	assert_int_equal(clock_parse("2026-13-02", &c), 1);
	char buf[32];
	assert_string_equal(clock_format_iso(a, buf, sizeof buf), "2026-01-02T03:04:05Z");
}

static void dk_csv_formula_like__owasp_starts__not_numbers(void **state)
{
	(void)state;
	const char *yes[] = {"=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+2", "-x",
			     "=HYPERLINK(\"http://x\")", "\tTAB", "\rCR", "-", "+",
			     "-1e", "-0x10", "-1-2"};
	const char *no[] = {"-0.5", "+41", "-1e-3", "+.5", "7", "", "a=b",
			    " =1", "x@y"};
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		assert_true(dk_csv_formula_like(yes[i], strlen(yes[i])));
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		assert_false(dk_csv_formula_like(no[i], strlen(no[i])));
}

static void dk_strset__add_find__index_in_order_of_first_add(void **state)
{
	(void)state;
	dk_strset set = {0};
	char k[32];
	int added;
	/* Enough to grow the table several times; "" and a NUL inside count. */
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 5000; i++) {
			int n = snprintf(k, sizeof k, "k%d", i);
			assert_int_equal(dk_strset_add(&set, k, (size_t)n, &added), (size_t)i);
			assert_int_equal(added, 1);
		}
		assert_int_equal(dk_strset_add(&set, "", 0, &added), 5000);
		assert_int_equal(dk_strset_add(&set, "a\0b", 3, &added), 5001);
		assert_int_equal(dk_strset_add(&set, "a", 1, &added), 5002);
		assert_int_equal(dk_strset_add(&set, "k4999", 5, &added), 4999);
		assert_int_equal(added, 0);
		assert_int_equal(dk_strset_find(&set, "a\0b", 3), 5001);
		assert_int_equal(dk_strset_find(&set, "a\0c", 3), (size_t)-1);
		assert_int_equal(dk_strset_find(&set, "k5000", 5), (size_t)-1);
		size_t n;
		assert_string_equal(dk_strset_str(&set, 1234, &n), "k1234");
		assert_int_equal(n, 5);
		assert_int_equal(dk_strset_count(&set), 5003);
		/* Emptied, it starts again from index 0 and knows nothing. */
		dk_strset_reset(&set);
		assert_int_equal(dk_strset_count(&set), 0);
		assert_int_equal(dk_strset_find(&set, "k1", 2), (size_t)-1);
	}
	dk_strset_free(&set);
	assert_int_equal(dk_strset_find(&set, "k1", 2), (size_t)-1);
}

/* The fast path for plain decimals gives strtod's double, bit for bit
 * (readers recompute margin and entropy from stored text with it, and
 * verify compares their bits with what the import routed with). */
static void dk_parse_double__plain_decimals__strtod_bits(void **state)
{
	(void)state;
	char buf[40];
	uint64_t x = 88172645463325252ull;
	for (int i = 0; i < 200000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift */
		int digits = 1 + (int)(x % 17), frac = (int)((x >> 8) % (unsigned)digits);
		uint64_t lim = 1;
		for (int d = 0; d < digits; d++)
			lim *= 10;
		int n = snprintf(buf, sizeof buf, "%s%0*llu", (x >> 60) & 1 ? "-" : "",
				 digits, (unsigned long long)((x >> 4) % lim));
		if (frac) { /* put the point frac digits from the end */
			memmove(buf + n - frac + 1, buf + n - frac, (size_t)frac + 1);
			buf[n - frac] = '.';
			n++;
		}
		double a, b = strtod(buf, NULL);
		assert_int_equal(dk_parse_double(buf, (size_t)n, &a), 0);
		if (memcmp(&a, &b, sizeof a))
			fail_msg("%s: %.17g, strtod %.17g", buf, a, b);
	}
	double v;
	static const char *const odd[] = {"1.", "-0", "00012", "0.000000000000001", "9007199254740993"};
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		assert_int_equal(dk_parse_double(odd[i], strlen(odd[i]), &v), 0);
		double b = strtod(odd[i], NULL);
		assert_memory_equal(&v, &b, sizeof v);
	}
	assert_int_equal(dk_parse_double("1.x", 3, &v), 1);
	assert_int_equal(dk_parse_double("-", 1, &v), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dk_csv_formula_like__owasp_starts__not_numbers),
		cmocka_unit_test(dk_next_line__splits__lines_and_counts_them),
		cmocka_unit_test(dk_next_line__long_line__refused_with_its_number),
		cmocka_unit_test(dk_parse_double__rejects__junk_nan_inf_nul_space),
		cmocka_unit_test(dk_utf8_valid__rejects__overlong_surrogate_truncated),
		cmocka_unit_test(sbuf_add_json_str__escapes__quotes_controls),
		cmocka_unit_test(clock_parse__forms__agree),
		cmocka_unit_test(dk_strset__add_find__index_in_order_of_first_add),
		cmocka_unit_test(dk_parse_double__plain_decimals__strtod_bits),
	};
	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
