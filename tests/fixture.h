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

#include <libpq-fe.h>

#include "docket/db.h"
#include "docket/store.h"
#include "docket/store_sqlite.h"
/* (the engine's own prepare, for one-off SQL the statement cache, keyed
 * by the text's address, must not keep) */
#include "../src/engine/engine.h"

/* The store is an SQLite file in the test's directory, or with
 * DOCKET_TEST_ENGINE=postgres (tests/run-tests.sh's second unit run, with
 * PGHOST/PGPORT/PGUSER naming the cluster it started) the schema of a
 * database of that cluster: one database per test binary, its schema
 * dropped and made again for each test, so every test starts on a new
 * store as on SQLite. */
struct fixture {
	char dir[64];
	char path[160]; /* the store: a file path, or a libpq URI */
	store *s;
};

/* 1 when the tests run on PostgreSQL. */
static inline int fixture_on_pg(void)
{
	const char *e = getenv("DOCKET_TEST_ENGINE");
	return e && !strcmp(e, "postgres");
}

/* A test about the SQLite file itself (its bytes, journal, the sqlite3
 * library's view of it): skipped on PostgreSQL with its reason, as the
 * shell suite's sqlite_only does. */
#define fixture_sqlite_only(why)                                          \
	do {                                                              \
		if (fixture_on_pg()) {                                    \
			print_message("SQLite only: %s\n", why);          \
			skip();                                           \
		}                                                         \
	} while (0)

/* $TMPDIR, or /tmp: where tests put their files. */
static inline const char *fixture_tmp(void)
{
	const char *t = getenv("TMPDIR");
	return t && *t ? t : "/tmp";
}

/* Run sql on the cluster's database db as its superuser (PG* from the
 * environment); fails the test on error. */
static inline void fixture_pg_admin(const char *db, const char *sql)
{
	char conn[96];
	snprintf(conn, sizeof conn, "dbname=%s", db);
	PGconn *c = PQconnectdb(conn);
	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("connecting to %s: %s", db, PQerrorMessage(c));
	PGresult *r = PQexec(c, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		print_error("%s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	if (!ok)
		fail();
}

/* This process's database (made on first use) with no docket schema in
 * it, as a URI in uri. The store is opened as a superuser named after the
 * login name, so the store's first supervisor is the one it is on SQLite;
 * the reviewers the tests add (ann, bob, sue, x) are login roles, made
 * once, as a team's administrator would (`reviewer add` grants them). */
static inline void fixture_pg_fresh(char *uri, size_t n)
{
	static int made;
	char db[32], sql[512];
	snprintf(db, sizeof db, "unit_%ld", (long)getpid());
	if (!made) {
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", db);
		fixture_pg_admin("postgres", sql);
		snprintf(sql, sizeof sql,
			 "DO $$ DECLARE r text; BEGIN"
			 " FOREACH r IN ARRAY ARRAY['%s', 'ann', 'bob', 'sue', 'x'] LOOP"
			 "  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN"
			 "   EXECUTE format('CREATE ROLE %%I LOGIN', r);"
			 "  END IF; END LOOP;"
			 " EXECUTE format('ALTER ROLE %%I SUPERUSER', '%s'); END $$",
			 dk_login_name(), dk_login_name());
		fixture_pg_admin("postgres", sql);
		made = 1;
	}
	fixture_pg_admin(db, "SET client_min_messages = warning;"
			 "DROP SCHEMA IF EXISTS docket CASCADE");
	snprintf(uri, n, "postgresql:///%s?user=%s", db, dk_login_name());
}

/* A new store in a new temp directory, migrated to the current schema. */
static inline struct fixture *fixture_new(void)
{
	struct fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	if ((size_t)snprintf(f->dir, sizeof f->dir, "%s/docket-test-XXXXXX",
			     fixture_tmp()) >= sizeof f->dir)
		fail_msg("TMPDIR is too long: %s", fixture_tmp());
	assert_non_null(mkdtemp(f->dir));
	if (fixture_on_pg())
		fixture_pg_fresh(f->path, sizeof f->path);
	else
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

/* Run sql (several statements, no results) past docket, as the store's
 * owner could; fails the test on error. */
static inline void fixture_exec(store *s, const char *sql)
{
	dk_error err = {{0}};
	if (store_exec(s, sql, &err))
		fail_msg("%s: %s", sql, err.msg);
}

/* A write past the log's append-only triggers, as the store's owner could
 * make it (an attacker with the file, or PostgreSQL's superuser): on
 * SQLite the triggers are dropped for good, on PostgreSQL they are off for
 * the statement. Fails the test on error. */
static inline void fixture_forge(store *s, const char *sql)
{
	if (store_engine(s) == STORE_POSTGRES) {
		fixture_exec(s, "SET session_replication_role = replica");
		fixture_exec(s, sql);
		fixture_exec(s, "SET session_replication_role = origin");
		return;
	}
	fixture_exec(s, "DROP TRIGGER IF EXISTS decisions_no_update;"
		     "DROP TRIGGER IF EXISTS decisions_no_delete;"
		     "DROP TRIGGER IF EXISTS decisions_append_only;");
	fixture_exec(s, sql);
}

/* Empty the decision log (the store's init entry, and any entries the
 * test's set-up wrote), past its append-only trigger (SQLite: dropped and
 * put back as it was; PostgreSQL: the triggers off for the session's
 * delete, as its superuser may): for tests of the chain and of case
 * decisions that number entries from 1. */
static inline void fixture_log_reset(store *s)
{
	if (store_engine(s) == STORE_POSTGRES) {
		fixture_exec(s, "SET session_replication_role = replica;"
			     "DELETE FROM decisions;"
			     "SET session_replication_role = origin");
		return;
	}
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

/* A statement for one-off SQL (a test's text may be built in a buffer
 * reused for other SQL, which store_stmt's cache would take for the same
 * statement); fixture_finalize frees it. Fails the test on a prepare
 * error. */
static inline db_stmt *fixture_prepare(store *s, const char *sql)
{
	dk_error err = {{0}};
	db_stmt *st = s->eng->prepare(s, sql, &err);
	if (!st)
		fail_msg("prepare %s: %s", sql, err.msg);
	return st;
}

static inline void fixture_finalize(db_stmt *st)
{
	if (st)
		st->eng->finalize(st);
}

/* The single integer result of sql (fails the test on error). */
static inline int64_t fixture_int(store *s, const char *sql)
{
	db_stmt *st = fixture_prepare(s, sql);
	int rc = db_step(st);
	if (rc == DB_DONE) {
		fixture_finalize(st);
		fail_msg("%s: no row", sql);
	}
	if (rc != DB_ROW) {
		dk_error err = {{0}};
		store_fail(s, &err, sql);
		fixture_finalize(st);
		fail_msg("%s", err.msg);
	}
	int64_t v = db_col_int64(st, 0);
	fixture_finalize(st);
	return v;
}

/* Plan tests on either engine. PostgreSQL plans a table this small by
 * cost, and would read it whole where a big one would be sought:
 * fixture_plan_start prices sequential scans out (fixture_plan_end puts
 * them back), so a Seq Scan left in a plan explained between them is one
 * no index can serve. Nothing on SQLite, whose planner goes by the
 * indexes. */
static inline void fixture_plan_start(store *s)
{
	if (store_engine(s) == STORE_POSTGRES)
		fixture_exec(s, "SET enable_seqscan = off");
}

static inline void fixture_plan_end(store *s)
{
	if (store_engine(s) == STORE_POSTGRES)
		fixture_exec(s, "RESET enable_seqscan");
}

/* The line of PostgreSQL plan text p that reads all of one of tables
 * (NULL-terminated names) with a Seq Scan, copied into line (n bytes);
 * NULL when none does. */
static inline const char *fixture_pg_seq_scan(const char *p,
					      const char *const *tables,
					      char *line, size_t n)
{
	for (const char *at = p; (at = strstr(at, "Seq Scan on ")); at++) {
		const char *name = at + strlen("Seq Scan on ");
		for (size_t i = 0; tables[i]; i++) {
			size_t k = strlen(tables[i]);
			if (!strncmp(name, tables[i], k) &&
			    (name[k] == ' ' || name[k] == '\n' || !name[k])) {
				const char *eol = strchr(at, '\n');
				snprintf(line, n, "%.*s",
					 (int)(eol ? (size_t)(eol - at) : strlen(at)), at);
				return line;
			}
		}
	}
	return NULL;
}

/* The single text result of sql (malloc'd; NULL for SQL NULL or no row). */
static inline char *fixture_text(store *s, const char *sql)
{
	db_stmt *st = fixture_prepare(s, sql);
	int rc = db_step(st);
	char *v = NULL;
	if (rc == DB_ROW && db_col_type(st, 0) != DB_NULL)
		v = strdup((const char *)db_col_text(st, 0));
	else if (rc != DB_ROW && rc != DB_DONE) {
		dk_error err = {{0}};
		store_fail(s, &err, sql);
		fixture_finalize(st);
		fail_msg("%s", err.msg);
	}
	fixture_finalize(st);
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

/* Rows inserted with their ids (models, batches, cases): on PostgreSQL
 * each table's identity is moved past them, as SQLite's next rowid is. */
static inline void fixture_ids_taken(store *s)
{
	if (store_engine(s) != STORE_POSTGRES)
		return;
	fixture_exec(s,
		"SELECT setval(pg_get_serial_sequence(t, 'id'), m) FROM"
		" (SELECT 'models' AS t, max(id) AS m FROM models"
		"  UNION ALL SELECT 'batches', max(id) FROM batches"
		"  UNION ALL SELECT 'cases', max(id) FROM cases) x WHERE m IS NOT NULL");
}

/* Step st (a statement of the fixture's own) to its end; fails the test
 * with the engine's message on error. */
static inline void fixture_step_done(store *s, db_stmt *st, const char *what)
{
	int rc = db_step(st);
	if (rc != DB_DONE) {
		dk_error err = {{0}};
		store_fail(s, &err, what);
		store_done(st);
		fail_msg("%s", err.msg);
	}
	store_done(st);
}

/* Queue tests (test_queue, test_policy, test_audit): a model, a batch and
 * cases inserted directly, as an import would leave them (counters
 * included). Returns the new row's id. */
static inline int64_t fixture_model(store *s, const char *name, const char *labels)
{
	dk_error err = {{0}};
	db_stmt *st = store_stmt(s,
		"INSERT INTO models(name, labels, audit_salt, created_at)"
		" VALUES (?1, ?2, 'salt-' || ?1, 0)", &err);
	assert_non_null(st);
	db_bind_text(st, 1, name, -1, DB_STATIC);
	db_bind_text(st, 2, labels, -1, DB_STATIC);
	fixture_step_done(s, st, "insert model");
	int64_t mid = store_last_id(s);
	/* (the batch's id is the model's: on PostgreSQL its identity is
	 * moved past it, as SQLite's next rowid would be) */
	st = store_stmt(s,
		"INSERT INTO batches(id, model_id, source_file, source_sha256, format,"
		" rows, routed, imported_by, imported_at)"
		" VALUES (?1, ?1, 'f.csv', 'sha', 'csv', 0, 0, 'test', 0)", &err);
	assert_non_null(st);
	db_bind_int64(st, 1, mid);
	fixture_step_done(s, st, "insert batch");
	if (store_engine(s) == STORE_POSTGRES)
		assert_true(fixture_int(s, "SELECT setval(pg_get_serial_sequence("
			"'batches', 'id'), (SELECT max(id) FROM batches))") > 0);
	return mid;
}

/* A case of model mid (batch mid) in state, with priority and urgency. */
static inline int64_t fixture_case(store *s, int64_t mid, const char *ext_id,
				   const char *prediction, double confidence,
				   const char *state, int priority, double urgency,
				   int reviews_needed)
{
	dk_error err = {{0}};
	/* (json_object is SQLite's; PostgreSQL's json_object takes arrays) */
	db_stmt *st = store_stmt(s, store_engine(s) == STORE_POSTGRES ?
		"INSERT INTO cases(model_id, batch_id, ext_id, line, prediction,"
		" confidence, state, route_reason, policy_version, urgency, priority,"
		" reviews_needed, context, probs)"
		" VALUES (?1, ?1, ?2, 2, ?3, ?4, ?5,"
		"  CASE WHEN ?5 = 'queued' THEN 'confidence' END, 1, ?6, ?7, ?8,"
		"  '{\"f\":\"v\"}', json_build_object(?3::text, ?4::float8)::text)" :
		"INSERT INTO cases(model_id, batch_id, ext_id, line, prediction,"
		" confidence, state, route_reason, policy_version, urgency, priority,"
		" reviews_needed, context, probs)"
		" VALUES (?1, ?1, ?2, 2, ?3, ?4, ?5,"
		"  CASE WHEN ?5 = 'queued' THEN 'confidence' END, 1, ?6, ?7, ?8,"
		"  '{\"f\":\"v\"}', json_object(?3, ?4))", &err);
	assert_non_null(st);
	db_bind_int64(st, 1, mid);
	db_bind_text(st, 2, ext_id, -1, DB_STATIC);
	db_bind_text(st, 3, prediction, -1, DB_STATIC);
	db_bind_double(st, 4, confidence);
	db_bind_text(st, 5, state, -1, DB_STATIC);
	db_bind_double(st, 6, urgency);
	db_bind_int(st, 7, priority);
	db_bind_int(st, 8, reviews_needed);
	fixture_step_done(s, st, ext_id);
	int64_t id = store_last_id(s);
	assert_int_equal(store_counter_add(s, mid, state, 1, &err), DK_OK);
	return id;
}

/* Fails the test unless the counters equal a fresh count of cases. */
static inline void fixture_check_counters(store *s)
{
	assert_int_equal(fixture_int(s,
		"SELECT count(*) FROM (SELECT model_id, state, count(*) AS n FROM cases"
		" GROUP BY 1, 2) c FULL JOIN (SELECT * FROM counters WHERE n <> 0) k"
		" USING (model_id, state) WHERE c.n IS DISTINCT FROM k.n"), 0);
}

#endif
