/* test_pg.c: the PostgreSQL engine through the store and statement API, on
 * a throwaway cluster (tests/pg/cluster.sh) in $TMPDIR: opening and
 * creating, the ?N rewrite, types of columns as SQLite gives them,
 * parameters bound NULL, changes and ids, errors, plans, the database's
 * "%.17g". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "docket/db.h"
#include "docket/store.h"
#include "docket/util.h"

static char pg_dir[256];
static char pg_host[256];
static char pg_port[16];
static int pg_dbs;

/* Run a shell command; fail the test on a non-zero exit. */
static void sh(const char *cmd)
{
	int rc = system(cmd);
	if (rc != 0)
		fail_msg("%s: exit %d", cmd, rc);
}

/* A URI of a new empty database. */
static void new_db(char *uri, size_t n)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd,
		 "psql -qX -h '%s' -p %s -U postgres -d postgres -c 'CREATE DATABASE t%d'",
		 pg_host, pg_port, ++pg_dbs);
	sh(cmd);
	snprintf(uri, n, "postgresql:///t%d?host=%s&port=%s&user=postgres", pg_dbs,
		 pg_host, pg_port);
}

static int group_setup(void **state)
{
	(void)state;
	const char *t = getenv("TMPDIR");
	t = t && *t ? t : "/tmp";
	/* The server runs as nobody under root (cluster.sh): it must get
	 * through this test's private TMPDIR to its own directory. */
	if (geteuid() == 0 && strcmp(t, "/tmp"))
		chmod(t, 0711);
	snprintf(pg_dir, sizeof pg_dir, "%s/pg", t);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "tests/pg/cluster.sh start '%s'", pg_dir);
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	char line[512];
	while (fgets(line, sizeof line, p)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "PGHOST=", 7))
			snprintf(pg_host, sizeof pg_host, "%.200s", line + 7);
		else if (!strncmp(line, "PGPORT=", 7))
			snprintf(pg_port, sizeof pg_port, "%.15s", line + 7);
	}
	int rc = pclose(p);
	return rc == 0 && pg_host[0] && pg_port[0] ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	char cmd[512];
	snprintf(cmd, sizeof cmd, "tests/pg/cluster.sh stop '%s'", pg_dir);
	return system(cmd) == 0 ? 0 : -1;
}

static store *open_new(void)
{
	char uri[512];
	new_db(uri, sizeof uri);
	store *s = NULL;
	dk_error err = {{0}};
	if (store_open(&s, uri, STORE_CREATE, &err))
		fail_msg("store_open: %s", err.msg);
	return s;
}

/* One row of sql, stepped (parameters bound by the caller in bind). */
static db_stmt *row(store *s, const char *sql)
{
	dk_error err = {{0}};
	db_stmt *st = store_stmt(s, sql, &err);
	if (!st)
		fail_msg("%s: %s", sql, err.msg);
	return st;
}

static void open__no_store__refused_and_nothing_made(void **state)
{
	(void)state;
	char uri[512];
	new_db(uri, sizeof uri);
	store *s = NULL;
	dk_error err = {{0}};
	assert_int_equal(store_open(&s, uri, 0, &err), DK_ERR);
	assert_null(s);
	assert_non_null(strstr(err.msg, "no docket store in this database"));
	assert_non_null(strstr(err.msg, "docket init"));
	/* a second open may create it: the refusal made nothing */
	assert_int_equal(store_open(&s, uri, STORE_CREATE, &err), DK_OK);
	assert_int_equal(store_engine(s), STORE_POSTGRES);
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	char *by = NULL;
	assert_int_equal(store_meta_get(s, "created_by", &by, &err), DK_OK);
	assert_string_equal(by, dk_login_name());
	free(by);
	store_close(s);
	/* and a new store must be new */
	assert_int_equal(store_open(&s, uri, STORE_CREATE | STORE_MUST_BE_NEW, &err),
			 DK_ERR);
	assert_non_null(strstr(err.msg, "already holds a docket store"));
}

static void open__role_without_create__refused_clearly(void **state)
{
	(void)state;
	char uri[512], cmd[512];
	new_db(uri, sizeof uri);
	snprintf(cmd, sizeof cmd,
		 "psql -qX -h '%s' -p %s -U postgres -d t%d -c 'CREATE ROLE plain LOGIN;"
		 " REVOKE CREATE ON SCHEMA public FROM PUBLIC'",
		 pg_host, pg_port, pg_dbs);
	sh(cmd);
	snprintf(uri, sizeof uri, "postgresql:///t%d?host=%s&port=%s&user=plain",
		 pg_dbs, pg_host, pg_port);
	store *s = NULL;
	dk_error err = {{0}};
	assert_int_equal(store_open(&s, uri, STORE_CREATE, &err), DK_ERR);
	if (!strstr(err.msg, "the role plain may not create docket's schema"))
		fail_msg("%s", err.msg);
	assert_null(strstr(err.msg, "current transaction is aborted"));
	/* made by a role that may: plain, granted nothing, may not use it */
	snprintf(uri, sizeof uri, "postgresql:///t%d?host=%s&port=%s&user=postgres",
		 pg_dbs, pg_host, pg_port);
	assert_int_equal(store_open(&s, uri, STORE_CREATE, &err), DK_OK);
	store_close(s);
	snprintf(uri, sizeof uri, "postgresql:///t%d?host=%s&port=%s&user=plain",
		 pg_dbs, pg_host, pg_port);
	assert_int_equal(store_open(&s, uri, 0, &err), DK_ERR);
	if (!strstr(err.msg, "the role plain may not use the docket store"))
		fail_msg("%s", err.msg);
	/* the same words as an unknown reviewer on SQLite, with the way in */
	if (!strstr(err.msg, "unknown reviewer 'plain'") ||
	    !strstr(err.msg, "docket reviewer add "))
		fail_msg("%s", err.msg);
}

static void open__password__not_in_path_or_messages(void **state)
{
	(void)state;
	char uri[512];
	snprintf(uri, sizeof uri,
		 "postgresql://postgres:s3cret@/nosuch?host=%s&port=%s", pg_host, pg_port);
	store *s = NULL;
	dk_error err = {{0}};
	assert_int_equal(store_open(&s, uri, 0, &err), DK_ERR);
	assert_null(strstr(err.msg, "s3cret"));
	assert_non_null(strstr(err.msg, "postgresql://postgres@/nosuch"));
	snprintf(uri, sizeof uri,
		 "postgresql:///nosuch?password=s3cret&host=%s&port=%s", pg_host, pg_port);
	assert_int_equal(store_open(&s, uri, 0, &err), DK_ERR);
	assert_null(strstr(err.msg, "s3cret"));
	assert_non_null(strstr(err.msg, "postgresql:///nosuch?host="));
}

static void open__newer_schema__refused(void **state)
{
	(void)state;
	store *s = open_new();
	char uri[512];
	snprintf(uri, sizeof uri, "postgresql:///t%d?host=%s&port=%s&user=postgres",
		 pg_dbs, pg_host, pg_port);
	dk_error err = {{0}};
	assert_int_equal(store_meta_set(s, "schema_version", "99", &err), DK_OK);
	store_close(s);
	assert_int_equal(store_open(&s, uri, 0, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "store has schema version 99"));
}

static void rewrite__quotes_and_comments__left_alone(void **state)
{
	(void)state;
	store *s = open_new();
	db_stmt *st = row(s, "SELECT '?1 it''s', \"x\"  -- ?2 ?3\n"
			     " FROM (SELECT ?1 || '?' AS \"x\") /* ?4 */ AS t");
	assert_int_equal(db_bind_text(st, 1, "a", -1, DB_STATIC), DB_OK);
	/* only ?1 is a parameter: ?2 is in a comment */
	assert_int_not_equal(db_bind_text(st, 2, "b", -1, DB_STATIC), DB_OK);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal((const char *)db_col_text(st, 0), "?1 it's");
	assert_string_equal((const char *)db_col_text(st, 1), "a?");
	assert_int_equal(db_step(st), DB_DONE);
	store_done(st);
	/* SQLite's planner hints are dropped: a unary + on a column, but
	 * not a binary one */
	st = row(s, "SELECT count(*) FROM reviewers r WHERE +r.role = 'supervisor'"
		    " AND (+r.id) = 1 AND 1 +r.id = 2");
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int64(st, 0), 1);
	store_done(st);
	st = row(s, "SELECT count(*) FROM cases c INDEXED BY cases_queue_model"
		    " WHERE c.state = 'queued' AND c.id NOT IN"
		    " (SELECT id FROM cases NOT INDEXED WHERE id < 0)");
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int64(st, 0), 0);
	store_done(st);
	store_close(s);
}

static void columns__types_as_sqlite_gives_them(void **state)
{
	(void)state;
	store *s = open_new();
	db_stmt *st = row(s, "SELECT 7, 2.5, 'x', NULL, 1 = 1, sum(n), ?1, ?2,"
			     " json_extract('{\"a\":\"s\\u00e9\",\"b\":3,\"c\":[1, 2],"
			     "\"d\":true,\"e\":null}', '$.a'),"
			     " json_extract('{\"b\":3}', '$.b'),"
			     " json_extract('{\"c\":[1, 2]}', '$.c'),"
			     " json_extract('{\"d\":true}', '$.d'),"
			     " json_extract('{\"e\":null}', '$.e'),"
			     " json_extract('{\"f\":1.5}', '$.f')"
			     " FROM (SELECT 3::bigint AS n) AS t");
	db_bind_int64(st, 1, 1700000000123);
	db_bind_double(st, 2, 0.1);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_type(st, 0), DB_INTEGER);
	assert_int_equal(db_col_type(st, 1), DB_FLOAT);
	assert_true(db_col_double(st, 1) == 2.5);
	assert_int_equal(db_col_type(st, 2), DB_TEXT);
	assert_int_equal(db_col_type(st, 3), DB_NULL);
	assert_null(db_col_text(st, 3));
	assert_int_equal(db_col_int(st, 4), 1);
	assert_int_equal(db_col_type(st, 5), DB_INTEGER); /* numeric sum */
	assert_int_equal(db_col_int64(st, 5), 3);
	assert_int_equal(db_col_int64(st, 6), 1700000000123);
	assert_true(db_col_double(st, 7) == 0.1);
	assert_int_equal(db_col_type(st, 8), DB_TEXT);
	assert_string_equal((const char *)db_col_text(st, 8), "s\xc3\xa9");
	assert_int_equal(db_col_bytes(st, 8), 3);
	assert_int_equal(db_col_type(st, 9), DB_INTEGER);
	assert_int_equal(db_col_int64(st, 9), 3);
	assert_string_equal((const char *)db_col_text(st, 10), "[1,2]");
	assert_int_equal(db_col_int(st, 11), 1);
	assert_int_equal(db_col_type(st, 12), DB_NULL);
	assert_int_equal(db_col_type(st, 13), DB_FLOAT);
	store_done(st);
	store_close(s);
}

static void params__null_then_values__types_inferred(void **state)
{
	(void)state;
	store *s = open_new();
	dk_error err = {{0}};
	/* in a transaction too: a failed prepare must not abort it */
	assert_int_equal(store_begin_read(s, &err), DK_OK);
	static const char sql[] =
		"SELECT count(*) FROM reviewers WHERE (?1 IS NULL OR id = ?1)"
		" AND (?2 IS NULL OR name = ?2) AND (?3 IS NULL)"
		" ORDER BY 1 LIMIT ?4";
	db_stmt *st = row(s, sql);
	db_bind_null(st, 1);
	db_bind_null(st, 2);
	db_bind_null(st, 3);
	db_bind_int64(st, 4, -1); /* SQLite: no limit */
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int64(st, 0), 1);
	store_done(st);
	st = row(s, sql);
	db_bind_int64(st, 1, 1);
	db_bind_text(st, 2, dk_login_name(), -1, DB_STATIC);
	db_bind_null(st, 3);
	db_bind_int64(st, 4, 5);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int64(st, 0), 1);
	store_done(st);
	assert_int_equal(store_commit(s, &err), DK_OK);
	store_close(s);
}

static void writes__changes_ids_and_unique__as_sqlite(void **state)
{
	(void)state;
	store *s = open_new();
	dk_error err = {{0}};
	/* a session of its own: the store's creation drew an id */
	char uri[512];
	snprintf(uri, sizeof uri, "postgresql:///t%d?host=%s&port=%s&user=postgres",
		 pg_dbs, pg_host, pg_port);
	store_close(s);
	if (store_open(&s, uri, 0, &err))
		fail_msg("store_open: %s", err.msg);
	assert_int_equal(store_begin_write(s, &err), DK_OK);
	assert_true(store_in_txn(s));
	/* no id drawn yet in this session: 0, and the transaction goes on */
	assert_int_equal(store_last_id(s), 0);
	static const char ins[] = "INSERT INTO reviewers(name, role, added_at, added_by)"
				  " VALUES (?1, 'reviewer', 0, 'x')";
	db_stmt *st = row(s, ins);
	db_bind_text(st, 1, "ann", -1, DB_STATIC);
	assert_int_equal(db_step(st), DB_DONE);
	store_done(st);
	int64_t id = store_last_id(s);
	assert_true(id > 1);
	st = row(s, ins);
	db_bind_text(st, 1, "ann", -1, DB_STATIC);
	assert_int_equal(db_step(st), DB_CONSTRAINT_UNIQUE);
	assert_int_equal(store_done(st), DB_CONSTRAINT_UNIQUE);
	store_rollback(s);
	assert_false(store_in_txn(s));
	st = row(s, ins);
	db_bind_text(st, 1, "bob", -1, DB_STATIC);
	assert_int_equal(db_step(st), DB_DONE);
	store_done(st);
	st = row(s, "UPDATE reviewers SET added_at = 1");
	assert_int_equal(db_step(st), DB_DONE);
	store_done(st);
	assert_int_equal(store_changes(s), 2); /* root and bob: ann rolled back */
	/* the log refuses changes, with the trigger's words */
	st = row(s, "UPDATE decisions SET note = 'x'");
	assert_int_not_equal(db_step(st), DB_DONE);
	store_done(st);
	assert_int_equal(store_fail(s, &err, "changing the log"), DK_ERR);
	assert_non_null(strstr(err.msg, "append-only"));
	store_close(s);
}

/* Text that is not UTF-8 (an id typed on the command line) finds nothing,
 * as on SQLite, where PostgreSQL would refuse the query; a write of it is
 * still refused. */
static void params__text_not_utf8__read_finds_nothing(void **state)
{
	(void)state;
	store *s = open_new();
	db_stmt *st = row(s, "SELECT count(*) FROM reviewers WHERE name = ?1"
			     " OR name = ?2");
	db_bind_text(st, 1, "nope\377", -1, DB_STATIC);
	db_bind_text(st, 2, "x\xC3", 2, DB_TRANSIENT); /* a cut sequence */
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int64(st, 0), 0);
	store_done(st);
	/* valid text is bound as it is: the superuser that made it is found */
	st = row(s, "SELECT count(*) FROM reviewers WHERE name = ?1");
	db_bind_text(st, 1, dk_login_name(), -1, DB_STATIC);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int64(st, 0), 1);
	store_done(st);
	st = row(s, "INSERT INTO reviewers(name, role, added_at, added_by)"
		    " VALUES (?1, 'reviewer', 0, 'x')");
	db_bind_text(st, 1, "nope\377", -1, DB_STATIC);
	assert_int_not_equal(db_step(st), DB_DONE);
	store_done(st);
	store_close(s);
}

static void explain__claim__seeks_the_queue_index(void **state)
{
	(void)state;
	store *s = open_new();
	sbuf out = {0};
	dk_error err = {{0}};
	assert_int_equal(store_explain(s,
				       "SELECT c.id FROM cases c INDEXED BY cases_queue_model"
				       " WHERE c.model_id = 1 AND c.state = 'queued'"
				       " ORDER BY c.priority DESC, c.urgency, c.id LIMIT ?1",
				       &out, &err),
			 DK_OK);
	sbuf_addc(&out, '\0');
	assert_non_null(strstr(out.buf, "cases_queue_model"));
	sbuf_free(&out);
	store_close(s);
}

/* The database hashes an entry's seconds as audit.c does, C's "%.17g"
 * (hash_seconds, engine/pg_roles.c): on 20000 doubles of every kind (any
 * bits but NaN and the infinities: subnormal, huge, negative zero), and of
 * the kinds docket writes (milliseconds, measured times); ties to even
 * included (a quarter above 1e15). Each value goes as its own "%.17g",
 * which reads back as the same double. */
static void hash_seconds__doubles__as_c_printf(void **state)
{
	(void)state;
	store *s = open_new();
	sbuf arr = {0};
	uint64_t x = 0x9e3779b97f4a7c15u;
	int n = 0;
	for (int i = 0; i < 20000; i++) {
		x ^= x << 13; /* xorshift64 */
		x ^= x >> 7;
		x ^= x << 17;
		double v;
		switch (i % 4) {
		case 0:
			memcpy(&v, &x, sizeof v);
			break;
		case 1:
			v = (double)(x % 100000000u) / 1000.0;
			break;
		case 2:
			v = (double)(x % 31536000u) + (double)(x >> 40) / 16777216.0;
			break;
		default:
			v = 1e15 + (double)(x % 4096u) / 4.0;
			break;
		}
		if (v != v || v - v != 0)
			continue; /* NaN, an infinity */
		sbuf_printf(&arr, "%s\"%.17g\"", n++ ? "," : "[", v);
	}
	sbuf_addc(&arr, ']');
	sbuf_addc(&arr, '\0');
	db_stmt *st = row(s, "SELECT v, hash_seconds(CAST(v AS double precision))"
			     " FROM json_array_elements_text(CAST(?1 AS json)) v");
	db_bind_text(st, 1, arr.buf, -1, DB_STATIC);
	int rows = 0;
	while (db_step(st) == DB_ROW) {
		rows++;
		const char *c = (const char *)db_col_text(st, 0);
		const char *sql = (const char *)db_col_text(st, 1);
		if (strcmp(c, sql))
			fail_msg("%%.17g gives %s, hash_seconds %s", c, sql);
	}
	assert_int_equal(store_done(st), DB_OK);
	assert_int_equal(rows, n);
	assert_true(n > 19000);
	sbuf_free(&arr);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(open__no_store__refused_and_nothing_made),
		cmocka_unit_test(open__role_without_create__refused_clearly),
		cmocka_unit_test(open__password__not_in_path_or_messages),
		cmocka_unit_test(open__newer_schema__refused),
		cmocka_unit_test(rewrite__quotes_and_comments__left_alone),
		cmocka_unit_test(columns__types_as_sqlite_gives_them),
		cmocka_unit_test(params__null_then_values__types_inferred),
		cmocka_unit_test(writes__changes_ids_and_unique__as_sqlite),
		cmocka_unit_test(params__text_not_utf8__read_finds_nothing),
		cmocka_unit_test(explain__claim__seeks_the_queue_index),
		cmocka_unit_test(hash_seconds__doubles__as_c_printf),
	};
	return cmocka_run_group_tests_name("pg", tests, group_setup, group_teardown);
}
