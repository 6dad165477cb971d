/* test_store.c: opening, schema, migrations, counters, permissions. */
#include "docket/store_sqlite.h"
#include "fixture.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* The store's own schema version as SQL text: what the store really is. */
#define DK_STR_(x) #x
#define DK_STR(x) DK_STR_(x)

static void store_open__creates__private_file_at_current_schema(void **state)
{
	fixture_sqlite_only("the file's mode and the SQLite connection's PRAGMAs");
	struct fixture *f = *state;
	struct stat sb;
	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_mode & 077, 0);
	assert_int_equal(store_schema_version(f->s), STORE_SCHEMA_VERSION);
	assert_int_equal(fixture_int(f->s, "PRAGMA foreign_keys"), 1);
	assert_int_equal(fixture_int(f->s, "PRAGMA synchronous"), 2); /* FULL */
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(store_sqlite_db(f->s), "PRAGMA journal_mode",
					    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
}

static void store_open__seeds__creator_as_supervisor(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM reviewers"
					   " WHERE role = 'supervisor'"), 1);
	char *by = fixture_meta(f->s, "created_by");
	assert_non_null(by);
	assert_string_equal(by, dk_login_name());
	free(by);
}

static void store_open__reopen__keeps_data_and_does_not_reseed(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	assert_int_equal(store_meta_set(f->s, "k", "v", &err), DK_OK);
	store_close(f->s);
	assert_int_equal(store_open(&f->s, f->path, 0, &err), DK_OK);
	char *v = fixture_meta(f->s, "k");
	assert_string_equal(v, "v");
	free(v);
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM reviewers"), 1);
}

/* A store set back to any older schema version (as the tests and
 * benchmarks make "a store of an older docket") opens again and is at the
 * current version: every migration after the first can run over tables it
 * already finds. */
static void store_open__set_back_to_each_older_version__migrates(void **state)
{
	fixture_sqlite_only("SQLite's schema versions (user_version); a PostgreSQL store begins at schema 6");
	struct fixture *f = *state;
	dk_error err = {{0}};
	for (int v = 1; v < STORE_SCHEMA_VERSION; v++) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
		assert_int_equal(store_exec(f->s, sql, &err), DK_OK);
		store_close(f->s);
		if (store_open(&f->s, f->path, 0, &err) != DK_OK)
			fail_msg("reopening a store set back to version %d: %s", v, err.msg);
		assert_int_equal(store_schema_version(f->s), STORE_SCHEMA_VERSION);
	}
}

/* Every entry of db's schema (type, name, table, SQL), one a line, by
 * name. Returns malloc'd text. */
static char *schema_of(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	sbuf b = {0};
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT type, name, tbl_name,"
					    " coalesce(sql, '') FROM sqlite_schema"
					    " ORDER BY type, name", -1, &st, NULL),
			 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		sbuf_printf(&b, "%s|%s|%s|%s\n", sqlite3_column_text(st, 0),
			    sqlite3_column_text(st, 1), sqlite3_column_text(st, 2),
			    sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	sbuf_addc(&b, '\0');
	return b.buf;
}

/* A new store is made at the current schema directly, never with what a
 * later version drops (cases_queue, made by version 1 and dropped by 7,
 * left a free page in every new store), and its schema is, names and SQL
 * alike, the one a store of version 1 is migrated to: the way a new store
 * is made and the migrations cannot drift apart. */
static void store_open__new_store__schema_of_a_store_migrated_from_v1(void **state)
{
	fixture_sqlite_only("SQLite's schema steps (PostgreSQL's: pg_schema.c)");
	struct fixture *f = *state;
	dk_error err = {{0}};
	assert_int_equal(fixture_int(f->s, "PRAGMA freelist_count"), 0);
	char *made = schema_of(store_sqlite_db(f->s));

	char old[sizeof f->dir + 8];
	snprintf(old, sizeof old, "%s/v1.db", f->dir);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(old, &db), SQLITE_OK);
	assert_int_equal(store_sqlite_make_v1(db), SQLITE_OK);
	char *v1 = schema_of(db);
	sqlite3_close(db);
	/* (the index version 7 drops is in version 1) */
	assert_non_null(strstr(v1, "|cases_queue|"));
	store *s = NULL;
	if (store_open(&s, old, 0, &err) != DK_OK)
		fail_msg("opening the version 1 store: %s", err.msg);
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	char *migrated = schema_of(store_sqlite_db(s));
	store_close(s);
	assert_string_equal(made, migrated);
	free(made);
	free(v1);
	free(migrated);
}

static void store_open__missing_file__names_path(void **state)
{
	fixture_sqlite_only("a store that is a file");
	(void)state;
	store *s = NULL;
	dk_error err = {{0}};
	assert_int_equal(store_open(&s, "/tmp/docket-no-such-dir/x.db", 0, &err), DK_ERR);
	assert_null(s);
	assert_non_null(strstr(err.msg, "/tmp/docket-no-such-dir/x.db: no such store"));
}

static void store_open__newer_schema__refused(void **state)
{
	fixture_sqlite_only("SQLite's user_version (PostgreSQL's newer schema: t_fault_newer_schema)");
	struct fixture *f = *state;
	dk_error err = {{0}};
	assert_int_equal(store_exec(f->s, "PRAGMA user_version=99", &err), DK_OK);
	store_close(f->s);
	f->s = NULL;
	assert_int_equal(store_open(&f->s, f->path, 0, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "schema version 99"));
	/* put it back so teardown can close a valid store */
	sqlite3 *db;
	sqlite3_open(f->path, &db);
	sqlite3_exec(db, "PRAGMA user_version=" DK_STR(STORE_SCHEMA_VERSION), NULL, NULL,
		     NULL);
	sqlite3_close(db);
	assert_int_equal(store_open(&f->s, f->path, 0, &err), DK_OK);
}

/* A store made before the monitoring migration (schema 1) is brought
 * forward on open: its data kept, the drift tables and index added. */
static void store_open__schema_1__migrates_monitoring(void **state)
{
	fixture_sqlite_only("an older docket's store is an SQLite file");
	struct fixture *f = *state;
	dk_error err = {{0}};
	assert_int_equal(store_exec(f->s,
				    "DROP TABLE drift_summaries; DROP TABLE drift_bins;"
				    " DROP TABLE drift_reference;"
				    " DROP INDEX cases_auto_version;"
				    " INSERT INTO meta(key, value) VALUES ('kept', 'yes');"
				    " PRAGMA user_version=1",
				    &err),
			 DK_OK);
	store_close(f->s);
	f->s = NULL;
	assert_int_equal(store_open(&f->s, f->path, 0, &err), DK_OK);
	assert_int_equal(store_schema_version(f->s), STORE_SCHEMA_VERSION);
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM sqlite_schema WHERE name IN"
					   " ('drift_summaries', 'drift_bins',"
					   " 'drift_reference', 'cases_auto_version')"), 4);
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM meta WHERE key = 'kept'"), 1);
}

static void store_open__foreign_sqlite_file__refused(void **state)
{
	fixture_sqlite_only("an SQLite file that is not a store");
	struct fixture *f = *state;
	char other[128];
	snprintf(other, sizeof other, "%s/other.db", f->dir);
	sqlite3 *db;
	sqlite3_open(other, &db);
	sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL);
	sqlite3_close(db);
	store *s = NULL;
	dk_error err = {{0}};
	assert_int_equal(store_open(&s, other, 0, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "not a docket store"));
	unlink(other);
}

/* The whole file's bytes, for comparing before and after. */
static char *read_all(const char *path, long *len)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	*len = ftell(fp);
	rewind(fp);
	char *b = malloc((size_t)*len + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)*len, fp), (size_t)*len);
	fclose(fp);
	return b;
}

static void store_open__newer_schema_rollback_journal__file_unchanged(void **state)
{
	fixture_sqlite_only("SQLite's rollback journal");
	struct fixture *f = *state;
	store_close(f->s);
	f->s = NULL;
	/* A newer store, not in WAL mode: turning WAL on would rewrite its
	 * header, so the refusal must come first. */
	sqlite3 *db;
	sqlite3_open(f->path, &db);
	sqlite3_exec(db, "PRAGMA journal_mode=DELETE; PRAGMA user_version=99", NULL,
		     NULL, NULL);
	sqlite3_close(db);
	long n0, n1;
	char *b0 = read_all(f->path, &n0);
	dk_error err = {{0}};
	assert_int_equal(store_open(&f->s, f->path, 0, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "schema version 99"));
	char *b1 = read_all(f->path, &n1);
	assert_int_equal(n0, n1);
	assert_memory_equal(b0, b1, (size_t)n0);
	free(b0);
	free(b1);
	char wal[192];
	snprintf(wal, sizeof wal, "%s-wal", f->path);
	assert_int_not_equal(access(wal, F_OK), 0);
	sqlite3_open(f->path, &db);
	sqlite3_exec(db, "PRAGMA user_version=" DK_STR(STORE_SCHEMA_VERSION), NULL, NULL,
		     NULL);
	sqlite3_close(db);
	assert_int_equal(store_open(&f->s, f->path, 0, &err), DK_OK);
}

static void store_open__not_a_database__clear_error(void **state)
{
	fixture_sqlite_only("a file that is not a database");
	struct fixture *f = *state;
	char other[128];
	snprintf(other, sizeof other, "%s/junk.db", f->dir);
	FILE *fp = fopen(other, "w");
	fputs("this is not sqlite, just some text that is long enough........"
	      "................................................................", fp);
	fclose(fp);
	store *s = NULL;
	dk_error err = {{0}};
	assert_int_equal(store_open(&s, other, 0, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "not a database"));
	unlink(other);
}

static void counters__trigger__moves_counts_on_state_change(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	assert_int_equal(store_exec(f->s,
		"INSERT INTO models(id, name, audit_salt, created_at) VALUES (1, 'm', 's', 0);"
		"INSERT INTO batches(id, model_id, source_file, source_sha256, format, rows,"
		"  routed, imported_by, imported_at) VALUES (1, 1, 'f', 'h', 'csv', 2, 2, 'me', 0);"
		"INSERT INTO cases(model_id, batch_id, ext_id, line, prediction, confidence,"
		"  state, policy_version, urgency) VALUES"
		"  (1, 1, 'a', 2, 'x', 0.5, 'queued', 1, 0.5),"
		"  (1, 1, 'b', 3, 'x', 0.6, 'queued', 1, 0.6);", &err), DK_OK);
	assert_int_equal(store_counter_add(f->s, 1, CASE_QUEUED, 2, &err), DK_OK);
	assert_int_equal(store_exec(f->s,
		"UPDATE cases SET state = 'held' WHERE ext_id = 'a'", &err), DK_OK);
	assert_int_equal(fixture_int(f->s,
		"SELECT n FROM counters WHERE state = 'queued'"), 1);
	assert_int_equal(fixture_int(f->s,
		"SELECT n FROM counters WHERE state = 'held'"), 1);
	/* an UPDATE that keeps the state does not count twice */
	assert_int_equal(store_exec(f->s,
		"UPDATE cases SET priority = 3 WHERE ext_id = 'a'", &err), DK_OK);
	assert_int_equal(fixture_int(f->s,
		"SELECT sum(n) FROM counters"), 2);
}

static void store_stmt__cached__same_handle_reset(void **state)
{
	struct fixture *f = *state;
	static const char sql[] = "SELECT ?1 + 1";
	db_stmt *a = store_stmt(f->s, sql, NULL);
	db_bind_int(a, 1, 41);
	assert_int_equal(db_step(a), DB_ROW);
	assert_int_equal(db_col_int(a, 0), 42);
	db_stmt *b = store_stmt(f->s, sql, NULL);
	assert_ptr_equal(a, b);
	/* bindings were cleared: NULL + 1 is NULL */
	assert_int_equal(db_step(b), DB_ROW);
	assert_int_equal(db_col_type(b, 0), DB_NULL);
	store_done(b);
}

/* A setting that cannot be read is an error naming why, never "absent":
 * callers would take a default (or make a new store id) in its place. */
static void store_meta_get__unreadable__error_not_absent(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	fixture_exec(f->s, "ALTER TABLE meta RENAME TO meta_gone");
	char *v = (char *)"unset";
	assert_int_equal(store_meta_get(f->s, "created_by", &v, &err), DK_ERR);
	assert_null(v);
	assert_non_null(strstr(err.msg, "meta"));
}

static void store_begin_write__rollback__leaves_nothing(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	assert_int_equal(store_begin_write(f->s, &err), DK_OK);
	assert_int_equal(store_meta_set(f->s, "gone", "1", &err), DK_OK);
	store_rollback(f->s);
	assert_null(fixture_meta(f->s, "gone"));
	store_rollback(f->s); /* safe with no transaction open */
}

/* A VFS over the default one that counts xSync calls on WAL files, so the
 * tests can see which commits are synced. Registered as the default VFS
 * for the tests below (store_open uses the default). */
static sqlite3_vfs *real_vfs;
static int wal_syncs;
static int wal_writes; /* xWrite calls of a page or more on WAL files */
static int fail_writes; /* 1: every xWrite fails as a full disk would */

struct cfile {
	sqlite3_file base;
	int is_wal;
	sqlite3_file *real; /* follows this struct in the same allocation */
};

#define REAL(f) (((struct cfile *)(f))->real)
static int c_close(sqlite3_file *f) { return REAL(f)->pMethods->xClose(REAL(f)); }
static int c_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{ return REAL(f)->pMethods->xRead(REAL(f), b, n, o); }
static int c_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
	if (fail_writes)
		return SQLITE_FULL;
	if (((struct cfile *)f)->is_wal && n >= 4096)
		wal_writes++;
	return REAL(f)->pMethods->xWrite(REAL(f), b, n, o);
}
static int c_truncate(sqlite3_file *f, sqlite3_int64 n)
{ return REAL(f)->pMethods->xTruncate(REAL(f), n); }
static int c_sync(sqlite3_file *f, int flags)
{
	if (((struct cfile *)f)->is_wal)
		wal_syncs++;
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int c_size(sqlite3_file *f, sqlite3_int64 *n)
{ return REAL(f)->pMethods->xFileSize(REAL(f), n); }
static int c_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int c_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int c_reserved(sqlite3_file *f, int *r)
{ return REAL(f)->pMethods->xCheckReservedLock(REAL(f), r); }
static int c_fcntl(sqlite3_file *f, int op, void *a)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, a);
}
static int c_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int c_dev(sqlite3_file *f)
{ return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int c_shmmap(sqlite3_file *f, int i, int sz, int ext, void volatile **pp)
{ return REAL(f)->pMethods->xShmMap(REAL(f), i, sz, ext, pp); }
static int c_shmlock(sqlite3_file *f, int off, int n, int fl)
{ return REAL(f)->pMethods->xShmLock(REAL(f), off, n, fl); }
static void c_shmbarrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int c_shmunmap(sqlite3_file *f, int del)
{ return REAL(f)->pMethods->xShmUnmap(REAL(f), del); }

static const sqlite3_io_methods c_methods = {
	2, c_close, c_read, c_write, c_truncate, c_sync, c_size, c_lock,
	c_unlock, c_reserved, c_fcntl, c_sector, c_dev, c_shmmap, c_shmlock,
	c_shmbarrier, c_shmunmap, NULL, NULL,
};

static int c_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f,
		  int flags, int *out)
{
	(void)vfs;
	struct cfile *c = (struct cfile *)f;
	c->real = (sqlite3_file *)(c + 1);
	c->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
	int rc = real_vfs->xOpen(real_vfs, name, c->real, flags, out);
	c->base.pMethods = rc == SQLITE_OK && c->real->pMethods ? &c_methods : NULL;
	return rc;
}

static sqlite3_vfs counting_vfs;

static int counting_vfs_setup(void **state)
{
	if (!real_vfs) {
		real_vfs = sqlite3_vfs_find(NULL);
		counting_vfs = *real_vfs;
		counting_vfs.zName = "counting";
		counting_vfs.szOsFile = (int)sizeof(struct cfile) + real_vfs->szOsFile;
		counting_vfs.xOpen = c_open;
	}
	sqlite3_vfs_register(&counting_vfs, 1);
	return fixture_setup(state);
}

static int counting_vfs_teardown(void **state)
{
	fixture_teardown(state);
	sqlite3_vfs_register(real_vfs, 1);
	return 0;
}

static int sync_level(store *s)
{
	sqlite3_stmt *st = NULL;
	int v = -1;
	if (sqlite3_prepare_v2(store_sqlite_db(s), "PRAGMA synchronous", -1, &st, NULL) ==
		    SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void store_commit__durable__syncs_wal_and_keeps_full_outside(void **state)
{
	fixture_sqlite_only("SQLite's WAL syncs, counted through its VFS");
	struct fixture *f = *state;
	dk_error err = {{0}};
	assert_int_equal(sync_level(f->s), 2); /* FULL between transactions */
	assert_int_equal(store_begin_write(f->s, &err), DK_OK);
	assert_int_equal(sync_level(f->s), 1); /* NORMAL inside: no sync in COMMIT */
	assert_int_equal(store_meta_set(f->s, "k", "1", &err), DK_OK);
	int before = wal_syncs;
	assert_int_equal(store_commit(f->s, &err), DK_OK);
	assert_int_equal(wal_syncs, before + 1); /* synced by store_commit */
	assert_int_equal(sync_level(f->s), 2);
}

static void store_begin_write_relaxed__commit__not_synced(void **state)
{
	fixture_sqlite_only("SQLite's WAL syncs, counted through its VFS");
	struct fixture *f = *state;
	dk_error err = {{0}};
	assert_int_equal(store_begin_write_relaxed(f->s, &err), DK_OK);
	assert_int_equal(store_meta_set(f->s, "k", "1", &err), DK_OK);
	int before = wal_syncs;
	assert_int_equal(store_commit(f->s, &err), DK_OK);
	assert_int_equal(wal_syncs, before);
	assert_int_equal(sync_level(f->s), 2);
	char *v = fixture_meta(f->s, "k");
	assert_string_equal(v, "1");
	free(v);
	/* the next durable commit syncs the WAL, relaxed frames in it */
	assert_int_equal(store_begin_write(f->s, &err), DK_OK);
	assert_int_equal(store_meta_set(f->s, "k", "2", &err), DK_OK);
	assert_int_equal(store_commit(f->s, &err), DK_OK);
	assert_int_equal(wal_syncs, before + 1);
	/* rollback also gives the level back */
	assert_int_equal(store_begin_write_relaxed(f->s, &err), DK_OK);
	store_rollback(f->s);
	assert_int_equal(sync_level(f->s), 2);
}

static void store_set_durable__off__commits_not_synced(void **state)
{
	fixture_sqlite_only("SQLite's WAL syncs, counted through its VFS");
	struct fixture *f = *state;
	dk_error err = {{0}};
	assert_int_equal(store_set_durable(f->s, 0, &err), DK_OK);
	assert_int_equal(sync_level(f->s), 1);
	assert_int_equal(store_begin_write(f->s, &err), DK_OK);
	assert_int_equal(store_meta_set(f->s, "k", "1", &err), DK_OK);
	int before = wal_syncs;
	assert_int_equal(store_commit(f->s, &err), DK_OK);
	assert_int_equal(wal_syncs, before);
	assert_int_equal(sync_level(f->s), 1);
}

/* Bulk rows: n rows of 1000 bytes each appended to table bulk, as an
 * import appends its cases. */
static void bulk_rows(store *s, int from, int n)
{
	char sql[256];
	snprintf(sql, sizeof sql,
		 "WITH RECURSIVE c(i) AS (SELECT %d UNION ALL SELECT i + 1 FROM c"
		 " WHERE i < %d) INSERT INTO bulk(id, v) SELECT i, hex(zeroblob(500))"
		 " FROM c",
		 from, from + n - 1);
	assert_int_equal(sqlite3_exec(store_sqlite_db(s), sql, NULL, NULL, NULL),
			 SQLITE_OK);
}

/* Rows in table bulk, as another connection sees them. */
static int count_bulk(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int n = -1;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM bulk", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* A bulk load's WAL frames reach the file in pieces of many pages (one
 * write call per page otherwise, another per frame header), a small page
 * cache spills them mid-transaction and reads them back, and the commit is
 * synced and seen by another connection. */
static void store_begin_bulk__wal_written_in_large_pieces(void **state)
{
	fixture_sqlite_only("SQLite's WAL writes, through its VFS");
	struct fixture *f = *state;
	dk_error err = {{0}};
	assert_int_equal(sqlite3_exec(store_sqlite_db(f->s),
				      "PRAGMA cache_size=100;"
				      "CREATE TABLE bulk(id INTEGER PRIMARY KEY, v)",
				      NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_begin_write(f->s, &err), DK_OK);
	int before = wal_writes;
	bulk_rows(f->s, 0, 2000); /* about 500 pages */
	assert_int_equal(store_commit(f->s, &err), DK_OK);
	int plain = wal_writes - before;
	assert_true(plain >= 500); /* one per page */

	assert_int_equal(store_begin_bulk(f->s, &err), DK_OK);
	before = wal_writes;
	int syncs = wal_syncs;
	bulk_rows(f->s, 2000, 2000);
	/* spilled frames are read back right */
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM bulk WHERE length(v) = 1000"),
			 4000);
	assert_int_equal(store_commit(f->s, &err), DK_OK);
	int bulk = wal_writes - before;
	assert_true(bulk * 10 < plain);
	assert_true(wal_syncs > syncs);
	assert_int_equal(count_bulk(f->path), 4000);
	assert_int_equal(fixture_int(f->s, "PRAGMA synchronous"), 2);
}

/* A gathered write that fails fails the bulk transaction: nothing of it
 * is committed, the store is intact, and the next transaction works. */
static void store_begin_bulk__failed_write__commit_fails_store_intact(void **state)
{
	fixture_sqlite_only("SQLite's WAL writes, through its VFS");
	struct fixture *f = *state;
	dk_error err = {{0}};
	assert_int_equal(sqlite3_exec(store_sqlite_db(f->s),
				      "CREATE TABLE bulk(id INTEGER PRIMARY KEY, v)",
				      NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_begin_bulk(f->s, &err), DK_OK);
	bulk_rows(f->s, 0, 40); /* under 64 KiB: all of it still gathered */
	fail_writes = 1;
	int rc = store_commit(f->s, &err);
	fail_writes = 0;
	assert_int_equal(rc, DK_ERR);
	assert_int_equal(count_bulk(f->path), 0);
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM bulk"), 0);
	char *ok = NULL;
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(store_sqlite_db(f->s), "PRAGMA integrity_check",
					    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	ok = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	assert_string_equal(ok, "ok");
	free(ok);
	assert_int_equal(store_begin_bulk(f->s, &err), DK_OK);
	bulk_rows(f->s, 0, 40);
	assert_int_equal(store_commit(f->s, &err), DK_OK);
	assert_int_equal(count_bulk(f->path), 40);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
		T(store_open__creates__private_file_at_current_schema),
		T(store_open__seeds__creator_as_supervisor),
		T(store_open__reopen__keeps_data_and_does_not_reseed),
		T(store_open__set_back_to_each_older_version__migrates),
		T(store_open__new_store__schema_of_a_store_migrated_from_v1),
		cmocka_unit_test(store_open__missing_file__names_path),
		T(store_open__schema_1__migrates_monitoring),
		T(store_open__newer_schema__refused),
		T(store_open__newer_schema_rollback_journal__file_unchanged),
		T(store_open__foreign_sqlite_file__refused),
		T(store_open__not_a_database__clear_error),
		T(counters__trigger__moves_counts_on_state_change),
		T(store_stmt__cached__same_handle_reset),
		T(store_begin_write__rollback__leaves_nothing),
		T(store_meta_get__unreadable__error_not_absent),
#define C(fn) cmocka_unit_test_setup_teardown(fn, counting_vfs_setup, \
					      counting_vfs_teardown)
		C(store_commit__durable__syncs_wal_and_keeps_full_outside),
		C(store_begin_write_relaxed__commit__not_synced),
		C(store_set_durable__off__commits_not_synced),
		C(store_begin_bulk__wal_written_in_large_pieces),
		C(store_begin_bulk__failed_write__commit_fails_store_intact),
#undef C
#undef T
	};
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
