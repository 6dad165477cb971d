/* test_migrate.c: the table list against the real schema, refusals, and a
 * copy of a store with a row in every table. */
#include "docket/migrate.h"
#include "docket/audit.h"
#include "fixture.h"

/* The schema a fresh store really has (sqlite_schema, pragma_table_info),
 * against migrate_tables, both ways: a table or column added to the schema
 * without being added to the list fails here. */
static void migrate_tables__match__fresh_store_schema(void **state)
{
	fixture_sqlite_only("migrate reads an SQLite store (into PostgreSQL: t_pg_migrate)");
	struct fixture *f = *state;
	sqlite3 *db = store_sqlite_db(f->s);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db,
		"SELECT m.name, p.name, upper(p.type) FROM sqlite_schema m,"
		" pragma_table_info(m.name) p WHERE m.type = 'table'"
		" AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
		" ORDER BY m.name, p.cid", -1, &st, NULL), SQLITE_OK);
	size_t tables = 0, cols = 0;
	char last[64] = "";
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		const char *c = (const char *)sqlite3_column_text(st, 1);
		const char *ty = (const char *)sqlite3_column_text(st, 2);
		const struct migrate_table *mt = NULL;
		for (size_t i = 0; i < migrate_ntables; i++)
			if (!strcmp(migrate_tables[i].name, t))
				mt = &migrate_tables[i];
		if (!mt)
			fail_msg("table %s of the schema is not in migrate_tables", t);
		if (strcmp(last, t)) {
			snprintf(last, sizeof last, "%s", t);
			tables++;
		}
		char want[96];
		snprintf(want, sizeof want, "%s:%c", c,
			 !strcmp(ty, "INTEGER") ? 'i' : !strcmp(ty, "REAL") ? 'r' : 't');
		/* (TEXT that may hold the packed form as a blob: p) */
		if (!strcmp(c, "probs") || !strcmp(c, "attributions"))
			want[strlen(want) - 1] = 'p';
		/* "name:type" as a whole word of the list */
		const char *p = mt->cols;
		size_t n = strlen(want);
		int found = 0;
		while ((p = strstr(p, want))) {
			if ((p == mt->cols || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
				found = 1;
			p += n;
		}
		if (!found)
			fail_msg("column %s.%s (%s) is not in migrate_tables", t, c, ty);
		cols++;
	}
	sqlite3_finalize(st);
	assert_int_equal(tables, migrate_ntables);
	size_t listed = 0;
	for (size_t i = 0; i < migrate_ntables; i++)
		for (const char *p = migrate_tables[i].cols; (p = strchr(p, ':')); p++)
			listed++;
	assert_int_equal(cols, listed);
	dk_error err = {{0}};
	assert_int_equal(migrate_check_source(f->s, &err), DK_OK);
}

static void migrate_check_source__refuses__table_not_in_list(void **state)
{
	fixture_sqlite_only("migrate reads an SQLite store (into PostgreSQL: t_pg_migrate)");
	struct fixture *f = *state;
	dk_error err = {{0}};
	assert_int_equal(store_exec(f->s, "CREATE TABLE extra(x INTEGER)", &err), DK_OK);
	assert_int_equal(migrate_check_source(f->s, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "table extra is not one migrate knows"));
}

static void migrate_check_source__refuses__column_not_in_list(void **state)
{
	fixture_sqlite_only("migrate reads an SQLite store (into PostgreSQL: t_pg_migrate)");
	struct fixture *f = *state;
	dk_error err = {{0}};
	assert_int_equal(store_exec(f->s, "ALTER TABLE cases ADD COLUMN extra TEXT",
				    &err), DK_OK);
	assert_int_equal(migrate_check_source(f->s, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "column cases.extra is not one"));
}

static void exec_ok(store *s, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(store_sqlite_db(s), sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

/* A row (or many) in every table, with NULLs, reals and awkward text. */
static void fill_every_table(store *s)
{
	int64_t mid = fixture_model(s, "m", "[\"a\",\"b\"]");
	for (int i = 0; i < 150; i++) {
		char id[16];
		snprintf(id, sizeof id, "c%d", i);
		fixture_case(s, mid, id, i % 2 ? "a" : "b", 0.1 + i / 1000.0,
			     i < 100 ? CASE_QUEUED : CASE_AUTO, i % 3, 0.3, 1);
	}
	exec_ok(s,
		"INSERT INTO reviewers(name, role, added_at, added_by)"
		"  VALUES ('ann', 'reviewer', 5, 'x');"
		"INSERT INTO policies VALUES (1, 1, '{\"threshold\":0.8}', 'x', 7);"
		"UPDATE cases SET text = 'it''s \"q\" \xc3\xa9 \x01', gold = NULL,"
		"  margin = 0.25, entropy = 1e-300 WHERE ext_id = 'c1';"
		"INSERT INTO leases VALUES (1, 2, 77, 10, 20);"
		"INSERT INTO reviews VALUES (2, 2, 3, 'accept', NULL, 11);"
		"INSERT INTO exports VALUES ('weekly', 3, '{}', 4, 12, 'ann');"
		"INSERT INTO reviewer_seen VALUES ('ann', 2);"
		"INSERT INTO drift_summaries VALUES (1, 1, 1, 150, 13);"
		"INSERT INTO drift_bins VALUES (1, 1, 'f', 'num', 0, '<1', NULL, 1.5, 9);"
		"INSERT INTO drift_reference VALUES (1, 1);"
		"INSERT INTO fair_batches VALUES (1, 'f', 0, 1, 3, 150);"
		"INSERT INTO fair_counts VALUES (1, 'f', 0, 1, 2.5, NULL, 'a', NULL, 1, 1, 9);"
		"INSERT INTO meta VALUES ('x', '');");
	dk_error err = {{0}};
	assert_int_equal(store_begin_write(s, &err), DK_OK);
	for (int i = 0; i < 70; i++) {
		audit_entry e = {.reviewer = "ann", .case_id = 2, .action = "accept",
				 .model_label = "a", .label = "a", .seconds = 1.0 / 3,
				 .note = i % 2 ? "n" : NULL};
		assert_int_equal(audit_append(s, &e, NULL, NULL, &err), DK_OK);
	}
	assert_int_equal(store_commit(s, &err), DK_OK);
}

static store *open_new(struct fixture *f, const char *name, unsigned flags,
		       char *path, size_t len)
{
	snprintf(path, len, "%s/%s", f->dir, name);
	store *d = NULL;
	dk_error err = {{0}};
	if (store_open(&d, path, STORE_CREATE | STORE_MUST_BE_NEW | flags, &err))
		fail_msg("store_open %s: %s", path, err.msg);
	return d;
}

/* Rows of table t in a that b lacks, b attached as "b". */
static int64_t rows_differing(store *a, const char *t)
{
	char sql[256];
	snprintf(sql, sizeof sql,
		 "SELECT (SELECT count(*) FROM (SELECT * FROM main.\"%s\" EXCEPT"
		 " SELECT * FROM b.\"%s\")) + (SELECT count(*) FROM (SELECT * FROM"
		 " b.\"%s\" EXCEPT SELECT * FROM main.\"%s\"))",
		 t, t, t, t);
	return fixture_int(a, sql);
}

static void migrate_copy__copies__every_row_of_every_table(void **state)
{
	fixture_sqlite_only("migrate reads an SQLite store (into PostgreSQL: t_pg_migrate)");
	struct fixture *f = *state;
	fill_every_table(f->s);
	char path[160];
	store *d = open_new(f, "copy.db", STORE_NO_SEED, path, sizeof path);
	migrate_result res;
	dk_error err = {{0}};
	assert_int_equal(migrate_copy(f->s, d, NULL, NULL, &res, &err), DK_OK);
	store_close(d);
	assert_int_equal(res.src_seq, 71); /* the init entry and 70 */
	assert_int_equal(res.dst_seq, 71);
	assert_string_equal(res.src_hash, res.dst_hash);
	char sql[256];
	snprintf(sql, sizeof sql, "ATTACH '%s' AS b", path);
	exec_ok(f->s, sql);
	for (size_t i = 0; i < migrate_ntables; i++) {
		const char *t = migrate_tables[i].name;
		snprintf(sql, sizeof sql, "SELECT count(*) FROM main.\"%s\"", t);
		int64_t n = fixture_int(f->s, sql);
		if (n == 0)
			fail_msg("the test left table %s empty", t);
		assert_int_equal(res.rows[i], n);
		if (rows_differing(f->s, t))
			fail_msg("table %s differs after the copy", t);
	}
	/* Storage classes too: a real stays a real, NULL stays NULL. */
	assert_int_equal(fixture_int(f->s,
		"SELECT count(*) FROM main.cases a JOIN b.cases c USING (id)"
		" WHERE typeof(a.margin) <> typeof(c.margin)"
		" OR typeof(a.confidence) <> typeof(c.confidence)"
		" OR typeof(a.gold) <> typeof(c.gold)"), 0);
	exec_ok(f->s, "DETACH b");
}

static void migrate_copy__refuses__destination_with_rows(void **state)
{
	fixture_sqlite_only("migrate reads an SQLite store (into PostgreSQL: t_pg_migrate)");
	struct fixture *f = *state;
	char path[160];
	/* A seeded store: its first supervisor and init entry. */
	store *d = open_new(f, "seeded.db", 0, path, sizeof path);
	migrate_result res;
	dk_error err = {{0}};
	assert_int_equal(migrate_copy(f->s, d, NULL, NULL, &res, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "not empty (table reviewers has rows)"));
	assert_int_equal(fixture_int(d, "SELECT count(*) FROM decisions"), 1);
	store_close(d);
}

static void migrate_copy__refuses__wrong_type_and_writes_nothing(void **state)
{
	fixture_sqlite_only("migrate reads an SQLite store (into PostgreSQL: t_pg_migrate)");
	struct fixture *f = *state;
	fill_every_table(f->s);
	exec_ok(f->s, "UPDATE cases SET line = 'x' WHERE ext_id = 'c7'");
	char path[160];
	store *d = open_new(f, "copy.db", STORE_NO_SEED, path, sizeof path);
	migrate_result res;
	dk_error err = {{0}};
	assert_int_equal(migrate_copy(f->s, d, NULL, NULL, &res, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "cases.line holds text where the schema "
					"says INTEGER"));
	/* Tables copied before cases were rolled back with it. */
	assert_int_equal(fixture_int(d, "SELECT count(*) FROM models"), 0);
	assert_int_equal(fixture_int(d, "SELECT count(*) FROM meta"), 0);
	store_close(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(migrate_tables__match__fresh_store_schema,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(
			migrate_check_source__refuses__table_not_in_list,
			fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(
			migrate_check_source__refuses__column_not_in_list,
			fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(
			migrate_copy__copies__every_row_of_every_table,
			fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(
			migrate_copy__refuses__destination_with_rows,
			fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(
			migrate_copy__refuses__wrong_type_and_writes_nothing,
			fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
