/* test_drift.c: the Population Stability Index and its bands, worked by
 * hand (the figures over a store: tests/sh/t_drift.sh). */
#include "fixture.h"

#include <math.h>

#include "docket/drift.h"

/* Two bins, all cases moved from one to the other. With half a case added
 * to each: shares (0.5/11, 10.5/11) against (10.5/11, 0.5/11), so
 * PSI = 2 * (10/11) * ln 21 = 5.535495. */
static void drift_psi__swap__hand_worked(void **state)
{
	(void)state;
	int64_t ref[] = {0, 10}, cur[] = {10, 0};
	assert_float_equal(drift_psi(ref, cur, 2), 20.0 / 11.0 * log(21.0), 1e-12);
	assert_float_equal(drift_psi(ref, cur, 2), 5.535495, 1e-6);
}

/* An empty reference bin stays finite: (30, 10, 0) -> (10, 20, 10):
 * shares (30.5, 10.5, 0.5)/41.5 and (10.5, 20.5, 10.5)/41.5, PSI 1.408741. */
static void drift_psi__empty_bin__finite(void **state)
{
	(void)state;
	int64_t ref[] = {30, 10, 0}, cur[] = {10, 20, 10};
	double p = drift_psi(ref, cur, 3);
	assert_true(isfinite(p));
	assert_float_equal(p, 1.408741, 1e-6);
}

static void drift_psi__same_or_empty__zero(void **state)
{
	(void)state;
	int64_t a[] = {500, 700, 0, 100}, b[] = {1000, 1400, 0, 200}, z[] = {0, 0, 0, 0};
	assert_float_equal(drift_psi(a, a, 4), 0, 1e-15);
	/* the same shares: smoothing moves them apart by a hair only */
	assert_true(drift_psi(a, b, 4) < 1e-3);
	assert_float_equal(drift_psi(z, a, 4), 0, 0);
	assert_float_equal(drift_psi(a, z, 4), 0, 0);
}

static void drift_band__edges(void **state)
{
	(void)state;
	assert_string_equal(drift_band(0.0999), "stable");
	assert_string_equal(drift_band(0.1), "moderate");
	assert_string_equal(drift_band(0.2), "moderate");
	assert_string_equal(drift_band(0.2001), "significant");
	assert_string_equal(drift_band(NAN), "-");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(drift_psi__swap__hand_worked),
		cmocka_unit_test(drift_psi__empty_bin__finite),
		cmocka_unit_test(drift_psi__same_or_empty__zero),
		cmocka_unit_test(drift_band__edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
