/* test_verifymark.c: the record of the last verification of the audit
 * chain: what full and quick checks record, that it never moves back, and
 * that a broken chain or a malformed record is never taken as verified. */
#include "fixture.h"

#include <math.h>

#include "docket/audit.h"
#include "docket/clock.h"
#include "docket/verifymark.h"

static void append(store *s, int n)
{
	dk_error err = {{0}};
	for (int i = 0; i < n; i++) {
		audit_entry e = {.reviewer = "ann", .action = "export", .seconds = NAN};
		assert_int_equal(store_begin_write(s, &err), DK_OK);
		assert_int_equal(audit_append(s, &e, NULL, NULL, &err), DK_OK);
		assert_int_equal(store_commit(s, &err), DK_OK);
	}
}

static void verifymark_check__quick_then_full__records_head(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	audit_report rep;
	struct verifymark m;
	int full = -1;
	/* an empty log: intact, nothing recorded */
	assert_int_equal(verifymark_check(f->s, 0, &full, &rep, &err), DK_OK);
	assert_int_equal(verifymark_get(f->s, &m, &err), DK_OK);
	assert_int_equal(m.seq, 0);
	assert_string_equal(m.hash, AUDIT_GENESIS);
	append(f->s, 4);
	/* quick with nothing on record checks every entry */
	clock_set_ms(1000000);
	assert_int_equal(verifymark_check(f->s, 0, &full, &rep, &err), DK_OK);
	assert_int_equal(full, 1);
	assert_int_equal(rep.entries, 4);
	assert_int_equal(verifymark_get(f->s, &m, &err), DK_OK);
	assert_int_equal(m.seq, 4);
	assert_string_equal(m.hash, rep.head_hash);
	assert_int_equal(m.at, 1000000);
	assert_int_equal(m.full_at, 1000000);
	append(f->s, 3);
	clock_set_ms(2000000);
	assert_int_equal(verifymark_check(f->s, 0, &full, &rep, &err), DK_OK);
	assert_int_equal(full, 0);
	assert_int_equal(rep.entries, 4); /* entry 4 and 5-7 */
	assert_int_equal(verifymark_get(f->s, &m, &err), DK_OK);
	assert_int_equal(m.seq, 7);
	assert_int_equal(m.at, 2000000);
	assert_int_equal(m.full_at, 1000000); /* quick: not a full check */
	clock_set_ms(3000000);
	assert_int_equal(verifymark_check(f->s, 1, &full, &rep, &err), DK_OK);
	assert_int_equal(full, 1);
	assert_int_equal(rep.entries, 7);
	assert_int_equal(verifymark_get(f->s, &m, &err), DK_OK);
	assert_int_equal(m.full_at, 3000000);
	clock_set_ms(-1);
}

static void verifymark_record__never_moves_back(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	struct verifymark m;
	char h9[65], h3[65];
	memset(h9, '9', 64);
	h9[64] = '\0';
	memset(h3, '3', 64);
	h3[64] = '\0';
	assert_int_equal(verifymark_record(f->s, 9, h9, 0, &err), DK_OK);
	assert_int_equal(verifymark_record(f->s, 3, h3, 1, &err), DK_OK);
	assert_int_equal(verifymark_get(f->s, &m, &err), DK_OK);
	assert_int_equal(m.seq, 9);
	assert_string_equal(m.hash, h9);
	assert_true(m.full_at > 0); /* the full check up to 3 did happen */
}

static void verifymark_check__broken_or_malformed__not_verified(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	audit_report rep;
	struct verifymark m;
	append(f->s, 3);
	assert_int_equal(verifymark_check(f->s, 1, NULL, &rep, &err), DK_OK);
	append(f->s, 2);
	fixture_forge(f->s, "UPDATE decisions SET note = 'x' WHERE seq = 5");
	assert_int_equal(verifymark_check(f->s, 0, NULL, &rep, &err), DK_ERR);
	assert_int_equal(rep.bad_seq, 5);
	assert_int_equal(verifymark_get(f->s, &m, &err), DK_OK);
	assert_int_equal(m.seq, 3); /* unchanged */
	/* a record that does not parse is no record: the check reads all */
	char path[512];
	assert_int_equal(verifymark_path(f->s, path, sizeof path), 0);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("3 nonsense 1 1\n", fp);
	fclose(fp);
	assert_int_equal(verifymark_get(f->s, &m, &err), DK_OK);
	assert_int_equal(m.seq, 0);
	int full = 0;
	assert_int_equal(verifymark_check(f->s, 0, &full, &rep, &err), DK_ERR);
	assert_int_equal(full, 1);
	assert_int_equal(rep.bad_seq, 5);
}

/* The record is not in the store: what anyone with write access to the
 * store writes into meta (the record's old place) is never read. */
static void verifymark_get__meta_values__ignored(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	struct verifymark m;
	audit_report rep;
	append(f->s, 2);
	assert_int_equal(verifymark_check(f->s, 1, NULL, &rep, &err), DK_OK);
	append(f->s, 1);
	char sql[256];
	snprintf(sql, sizeof sql,
		 "INSERT INTO meta(key, value) VALUES ('verified_seq', '9'),"
		 " ('verified_hash', '%064d')"
		 " ON CONFLICT (key) DO UPDATE SET value = excluded.value", 9);
	assert_int_equal(store_exec(f->s, sql, &err), DK_OK);
	assert_int_equal(verifymark_get(f->s, &m, &err), DK_OK);
	assert_int_equal(m.seq, 2);
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM meta WHERE key = 'verified_at'"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup_no_log, fixture_teardown)
		T(verifymark_check__quick_then_full__records_head),
		T(verifymark_record__never_moves_back),
		T(verifymark_check__broken_or_malformed__not_verified),
		T(verifymark_get__meta_values__ignored),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
