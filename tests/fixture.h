/* fixture.h: shared test fixtures: a fresh store in a private temp dir. */
#ifndef DOCKET_TEST_FIXTURE_H
#define DOCKET_TEST_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "docket/store.h"

struct fixture {
	char dir[64];
	char path[96];
	store *s;
};

/* A new store file in a new temp directory, migrated to the current schema. */
static inline struct fixture *fixture_new(void)
{
	struct fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/docket-test-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/store.db", f->dir);
	dk_error err = {{0}};
	if (store_open(&f->s, f->path, STORE_CREATE, &err) != DK_OK)
		fail_msg("store_open: %s", err.msg);
	return f;
}

static inline void fixture_free(struct fixture *f)
{
	char p[128];
	store_close(f->s);
	const char *suffix[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < 4; i++) {
		snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
}

static inline int fixture_setup(void **state)
{
	*state = fixture_new();
	return 0;
}

static inline int fixture_teardown(void **state)
{
	fixture_free(*state);
	return 0;
}

/* The single integer result of sql (fails the test on error). */
static inline int64_t fixture_int(store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(store_db(s)));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

#endif
