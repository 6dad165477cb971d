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

/* Worked by hand on a store. Reference batch 1: v = 1..20, c = "a";
 * batch 2: v = 100 on every case, no c. Deciles of v: the (2j)th values
 * 2, 4, ..., 18, so 10 bins of 2 cases, then (other) and (missing); batch
 * 2 is all in "> 18". Smoothed shares: reference 2.5/26 (x10), 0.5/26
 * (x2); batch 0.5/26 (x9), 20.5/26, 0.5/26 (x2):
 * PSI = 9 (-2/26) ln(1/5) + (18/26) ln(20.5/2.5) = 2.570935.
 * c: [a, (other), (missing)] = [20, 0, 0] -> [0, 0, 20]:
 * PSI = 2 (20/21.5) ln 41 = 6.908971; c is gone. */
static void drift_compute__hand_worked_store(void **state)
{
	struct fixture *f = *state;
	/* (json_object is SQLite's; PostgreSQL's json_build_object) */
	const char *obj = store_engine(f->s) == STORE_POSTGRES ? "json_build_object"
							      : "json_object";
	char sql[1024];
	snprintf(sql, sizeof sql,
		"INSERT INTO models(id, name, labels, audit_salt, created_at)"
		" VALUES (1, 'm', '[\"a\",\"b\"]', 's', 0);"
		"INSERT INTO batches(id, model_id, source_file, source_sha256, format,"
		" rows, routed, imported_by, imported_at) VALUES"
		" (1, 1, 'a.csv', 'h1', 'csv', 20, 0, 't', 0),"
		" (2, 1, 'b.csv', 'h2', 'csv', 20, 0, 't', 1);"
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20)"
		" INSERT INTO cases(model_id, batch_id, ext_id, line, prediction,"
		" confidence, state, policy_version, urgency, context)"
		" SELECT 1, 1, 'r' || i, i, 'a', 0.9, 'auto', 1, 0.9,"
		"  %s('v', i, 'c', 'a') FROM n"
		" UNION ALL SELECT 1, 2, 'b' || i, i, 'a', 0.9, 'auto', 1, 0.9,"
		"  %s('v', 100) FROM n;", obj, obj);
	fixture_exec(f->s, sql);
	struct drift_report *r = NULL;
	dk_error err = {{0}};
	assert_int_equal(drift_compute(f->s, "m", 0, 0, &r, &err), DK_OK);
	assert_int_equal(r->batch, 2);
	assert_int_equal(r->ref, 1);
	assert_int_equal(r->rows, 20);
	const struct drift_field *v = NULL, *c = NULL;
	for (size_t i = 0; i < r->nfields; i++) {
		if (!strcmp(r->fields[i].name, "v"))
			v = &r->fields[i];
		if (!strcmp(r->fields[i].name, "c"))
			c = &r->fields[i];
	}
	assert_non_null(v);
	assert_non_null(c);
	assert_int_equal(v->kind, DRIFT_NUMERIC);
	assert_int_equal(v->nbins, 12);
	for (size_t b = 0; b < 10; b++)
		assert_int_equal(v->bins[b].ref_n, 2);
	assert_float_equal(v->bins[0].hi, 2, 0);
	assert_float_equal(v->bins[9].lo, 18, 0);
	assert_int_equal(v->bins[9].n, 20);
	assert_float_equal(v->psi, 2.570935, 1e-6);
	assert_float_equal(c->psi, 6.908971, 1e-6);
	assert_int_equal(c->presence, DRIFT_GONE);
	assert_float_equal(c->missing, 1, 0);
	assert_int_equal(r->fields_gone, 1);
	/* fields by PSI, highest first */
	assert_string_equal(r->fields[0].name, "c");
	assert_float_equal(r->psi_max, c->psi, 0);
	assert_string_equal(r->psi_max_field, "c");
	/* the trend: batch 1 against itself, then batch 2 */
	assert_float_equal(v->trend[0], 0, 1e-12);
	assert_float_equal(v->trend[1], v->psi, 0);
	assert_int_equal(r->computed, 2);
	drift_free(r);
	/* kept: a second run computes nothing */
	assert_int_equal(drift_compute(f->s, "m", 0, 0, &r, &err), DK_OK);
	assert_int_equal(r->computed, 0);
	assert_float_equal(r->psi_max, 6.908971, 1e-6);
	drift_free(r);
	/* a batch of another model, and no such model */
	assert_int_equal(drift_compute(f->s, "m", 7, 0, &r, &err), DK_USAGE);
	assert_int_equal(drift_compute(f->s, "nope", 0, 0, &r, &err), DK_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(drift_psi__swap__hand_worked),
		cmocka_unit_test(drift_psi__empty_bin__finite),
		cmocka_unit_test(drift_psi__same_or_empty__zero),
		cmocka_unit_test(drift_band__edges),
		cmocka_unit_test_setup_teardown(drift_compute__hand_worked_store, fixture_setup,
						fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
