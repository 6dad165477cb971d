/* test_failif.c: the --fail-if parser: precedence, parentheses, three-valued
 * evaluation with unknown figures, and messages with a caret under the bad
 * token. */
#include "fixture.h"

#include <math.h>

#include "docket/failif.h"

static const char *const names[] = {"override_rate", "kappa", "decisions",
				    "unreviewed_error_upper"};

/* override_rate 0.25, kappa unknown, decisions 100, upper 0.04 */
static int lookup(void *ctx, const char *name, double *v)
{
	(void)ctx;
	if (!strcmp(name, "override_rate"))
		*v = 0.25;
	else if (!strcmp(name, "decisions"))
		*v = 100;
	else if (!strcmp(name, "unreviewed_error_upper"))
		*v = 0.04;
	else
		return 1;
	return 0;
}

static int holds(const char *text)
{
	failif *f = NULL;
	dk_error err = {{0}};
	if (failif_parse(text, names, 4, &f, &err))
		fail_msg("parse '%s': %s", text, err.msg);
	int r = failif_eval(f, lookup, NULL, NULL);
	failif_free(f);
	return r;
}

/* The error message of a malformed text. */
static const char *bad(const char *text)
{
	static dk_error err;
	failif *f = NULL;
	memset(&err, 0, sizeof err);
	assert_int_equal(failif_parse(text, names, 4, &f, &err), DK_USAGE);
	assert_null(f);
	return err.msg;
}

static void failif_eval__comparisons(void **state)
{
	(void)state;
	assert_true(holds("override_rate > 0.2"));
	assert_false(holds("override_rate > 0.25"));
	assert_true(holds("override_rate >= 0.25"));
	assert_true(holds("override_rate<=0.25"));
	assert_false(holds("override_rate < 0.25"));
	assert_true(holds("decisions == 100"));
	assert_true(holds("decisions = 100"));
	assert_false(holds("decisions != 100"));
	assert_true(holds("decisions > 1e1"));
	assert_true(holds("override_rate > -1"));
}

static void failif_eval__and_binds_tighter_than_or(void **state)
{
	(void)state;
	/* true or (false and false) */
	assert_true(holds("decisions > 1 or decisions < 1 and decisions < 2"));
	/* (true or false) and false */
	assert_false(holds("(decisions > 1 or decisions < 1) and decisions < 2"));
	assert_true(holds("not decisions < 1"));
	assert_true(holds("! (decisions < 1) && override_rate > 0.2 || decisions < 0"));
}

static void failif_eval__unknown_figure__never_holds_alone(void **state)
{
	(void)state;
	assert_false(holds("kappa < 0.6"));
	assert_false(holds("not kappa < 0.6"));
	assert_false(holds("kappa < 0.6 and decisions > 1"));
	assert_true(holds("kappa < 0.6 or decisions > 1"));
	assert_false(holds("kappa < 0.6 or decisions < 1"));
	failif *f = NULL;
	dk_error err = {{0}};
	assert_int_equal(failif_parse("kappa < 0.6 or kappa > 2 or decisions > 1",
				      names, 4, &f, &err), DK_OK);
	sbuf unknown = {0};
	assert_true(failif_eval(f, lookup, NULL, &unknown));
	assert_string_equal(sbuf_str(&unknown), "kappa");
	sbuf_free(&unknown);
	failif_free(f);
}

static void failif_parse__errors__caret_under_bad_token(void **state)
{
	(void)state;
	assert_string_equal(bad("kappa 0.6"),
			    "expected a comparison (<, <=, >, >=, ==, !=) after the "
			    "metric, found '0.6'\n  kappa 0.6\n        ^~~");
	assert_string_equal(bad("overide_rate > 0.2"),
			    "unknown metric 'overide_rate'; the metrics are the "
			    "top-level number keys of 'docket stats --format json': "
			    "override_rate, kappa, decisions, unreviewed_error_upper"
			    "\n  overide_rate > 0.2\n"
			    "  ^~~~~~~~~~~~");
	assert_string_equal(bad("kappa < high"),
			    "expected a number, found 'high'\n  kappa < high\n"
			    "          ^~~~");
	assert_string_equal(bad("(kappa < 0.6"),
			    "expected ')' here, found the end\n  (kappa < 0.6\n"
			    "              ^");
	assert_string_equal(bad("kappa < 0.6 kappa > 1"),
			    "expected 'and', 'or' or the end, found 'kappa'\n"
			    "  kappa < 0.6 kappa > 1\n              ^~~~~");
	assert_string_equal(bad("kappa < 0.6x"),
			    "expected a number, found '0.6x'\n  kappa < 0.6x\n"
			    "          ^~~~");
	assert_string_equal(bad("kappa < 0.6 and"),
			    "expected a metric name or '(', found the end\n"
			    "  kappa < 0.6 and\n                 ^");
	assert_string_equal(bad(""), "empty condition\n  \n  ^");
	assert_non_null(strstr(bad("kappa < 0.6 ; rm"), "found ';'"));
	assert_non_null(strstr(bad("kappa =< 1"), "expected a number, found '<'"));
}

static void failif_parse__deep_nesting__refused_not_crashed(void **state)
{
	(void)state;
	char text[1200];
	memset(text, '(', 1000);
	text[1000] = '\0';
	assert_non_null(strstr(bad(text), "nested too deeply"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(failif_eval__comparisons),
		cmocka_unit_test(failif_eval__and_binds_tighter_than_or),
		cmocka_unit_test(failif_eval__unknown_figure__never_holds_alone),
		cmocka_unit_test(failif_parse__errors__caret_under_bad_token),
		cmocka_unit_test(failif_parse__deep_nesting__refused_not_crashed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
