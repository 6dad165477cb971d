/* fixture.h: shared test fixtures: a fresh store in a private temp dir
 * (under $TMPDIR, which tests/run-tests.sh points at a fresh directory
 * that must be empty when the test binary ends). */
#ifndef DOCKET_TEST_FIXTURE_H
#define DOCKET_TEST_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <ftw.h>
#include <unistd.h>

#include <cmocka.h>

#include "docket/store.h"
#include "docket/store_sqlite.h"

struct fixture {
	char dir[64];
	char path[96];
	store *s;
};

/* $TMPDIR, or /tmp: where tests put their files. */
static inline const char *fixture_tmp(void)
{
	const char *t = getenv("TMPDIR");
	return t && *t ? t : "/tmp";
}

/* A new store file in a new temp directory, migrated to the current schema. */
static inline struct fixture *fixture_new(void)
{
	struct fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	if ((size_t)snprintf(f->dir, sizeof f->dir, "%s/docket-test-XXXXXX",
			     fixture_tmp()) >= sizeof f->dir)
		fail_msg("TMPDIR is too long: %s", fixture_tmp());
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/store.db", f->dir);
	/* The record of the last verification (verifymark.c) goes here,
	 * not into the user's own state directory. */
	char state[sizeof f->dir + 8];
	snprintf(state, sizeof state, "%s/state", f->dir);
	setenv("XDG_STATE_HOME", state, 1);
	dk_error err = {{0}};
	if (store_open(&f->s, f->path, STORE_CREATE, &err) != DK_OK)
		fail_msg("store_open: %s", err.msg);
	return f;
}

static inline int fixture_remove(const char *path, const struct stat *sb,
				 int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	return remove(path) ? errno : 0;
}

/* Closes the store and removes the directory with everything a test put
 * in it (the store, its -wal and -shm, export files, other stores). */
static inline void fixture_free(struct fixture *f)
{
	store_close(f->s);
	int e = nftw(f->dir, fixture_remove, 16, FTW_DEPTH | FTW_PHYS);
	if (e)
		fail_msg("cannot remove %s: %s", f->dir, strerror(e > 0 ? e : errno));
	free(f);
}

static inline int fixture_setup(void **state)
{
	*state = fixture_new();
	return 0;
}

/* fixture_setup with an empty log (fixture_log_reset). */
static inline void fixture_log_reset(store *s);
static inline int fixture_setup_no_log(void **state)
{
	*state = fixture_new();
	fixture_log_reset(((struct fixture *)*state)->s);
	return 0;
}

static inline int fixture_teardown(void **state)
{
	fixture_free(*state);
	return 0;
}

/* Empty the decision log (the store's init entry, and any entries the
 * test's set-up wrote), putting its append-only trigger back as it was: for
 * tests of the chain and of case decisions that number entries from 1. */
static inline void fixture_log_reset(store *s)
{
	sqlite3_stmt *st = NULL;
	char *msg = NULL;
	assert_int_equal(sqlite3_prepare_v2(store_sqlite_db(s),
		"SELECT sql FROM sqlite_schema WHERE name = 'decisions_no_delete'",
		-1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	char *trigger = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (sqlite3_exec(store_sqlite_db(s), "DROP TRIGGER decisions_no_delete;"
		"DELETE FROM decisions", NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(store_sqlite_db(s), trigger, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("resetting the log: %s", msg);
	free(trigger);
}

/* The single integer result of sql (fails the test on error). */
static inline int64_t fixture_int(store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(store_sqlite_db(s), sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(store_sqlite_db(s)));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The setting key (malloc'd, NULL when absent; fails the test on error). */
static inline char *fixture_meta(store *s, const char *key)
{
	dk_error err = {{0}};
	char *v = NULL;
	if (store_meta_get(s, key, &v, &err))
		fail_msg("reading setting %s: %s", key, err.msg);
	return v;
}

/* Queue tests (test_queue, test_policy, test_audit): a model, a batch and
 * cases inserted directly, as an import would leave them (counters
 * included). Returns the new row's id. */
static inline int64_t fixture_model(store *s, const char *name, const char *labels)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(store_sqlite_db(s),
		"INSERT INTO models(name, labels, audit_salt, created_at)"
		" VALUES (?1, ?2, 'salt-' || ?1, 0)", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, labels, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	int64_t mid = sqlite3_last_insert_rowid(store_sqlite_db(s));
	assert_int_equal(sqlite3_prepare_v2(store_sqlite_db(s),
		"INSERT INTO batches(id, model_id, source_file, source_sha256, format,"
		" rows, routed, imported_by, imported_at)"
		" VALUES (?1, ?1, 'f.csv', 'sha', 'csv', 0, 0, 'test', 0)",
		-1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, mid);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	return mid;
}

/* A case of model mid (batch mid) in state, with priority and urgency. */
static inline int64_t fixture_case(store *s, int64_t mid, const char *ext_id,
				   const char *prediction, double confidence,
				   const char *state, int priority, double urgency,
				   int reviews_needed)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(store_sqlite_db(s),
		"INSERT INTO cases(model_id, batch_id, ext_id, line, prediction,"
		" confidence, state, route_reason, policy_version, urgency, priority,"
		" reviews_needed, context, probs)"
		" VALUES (?1, ?1, ?2, 2, ?3, ?4, ?5,"
		"  CASE WHEN ?5 = 'queued' THEN 'confidence' END, 1, ?6, ?7, ?8,"
		"  '{\"f\":\"v\"}', json_object(?3, ?4))",
		-1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, mid);
	sqlite3_bind_text(st, 2, ext_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, prediction, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 4, confidence);
	sqlite3_bind_text(st, 5, state, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 6, urgency);
	sqlite3_bind_int(st, 7, priority);
	sqlite3_bind_int(st, 8, reviews_needed);
	if (sqlite3_step(st) != SQLITE_DONE)
		fail_msg("insert case %s: %s", ext_id, sqlite3_errmsg(store_sqlite_db(s)));
	sqlite3_finalize(st);
	int64_t id = sqlite3_last_insert_rowid(store_sqlite_db(s));
	dk_error err = {{0}};
	assert_int_equal(store_counter_add(s, mid, state, 1, &err), DK_OK);
	return id;
}

/* Fails the test unless the counters equal a fresh count of cases. */
static inline void fixture_check_counters(store *s)
{
	assert_int_equal(fixture_int(s,
		"SELECT count(*) FROM (SELECT model_id, state, count(*) AS n FROM cases"
		" GROUP BY 1, 2) c FULL JOIN (SELECT * FROM counters WHERE n <> 0) k"
		" USING (model_id, state) WHERE c.n IS NOT k.n"), 0);
}

#endif
