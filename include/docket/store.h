/* store.h: the store: opening, statements, transactions, whatever the
 * engine. A store is an SQLite file (the embedded default) or a PostgreSQL
 * database named by a libpq URI; the engines live in src/engine/ behind
 * one seam (src/engine/engine.h). This module is the only owner of the
 * connection: other modules borrow prepared statements from it (db.h) and
 * never open or configure a connection themselves. */
#ifndef DOCKET_STORE_H
#define DOCKET_STORE_H

#include <stdint.h>

#include "docket/db.h"
#include "docket/util.h"

/* The schema version this build writes; stores with a lower version are
 * migrated forward when opened, stores with a higher one are refused. */
#define STORE_SCHEMA_VERSION 11

/* Case states, as stored in cases.state (text, so the store reads well in
 * the sqlite3 shell). */
#define CASE_AUTO "auto"           /* not routed: the model's label stands */
#define CASE_QUEUED "queued"       /* waiting for a reviewer */
#define CASE_HELD "held"           /* claimed under a live lease */
#define CASE_ESCALATED "escalated" /* waiting for a supervisor */
#define CASE_DISPUTED "disputed"   /* double review disagreed: supervisor */
#define CASE_DONE "done"           /* has a final human label */

/* A route reason (the SQL expression COL) as a reviewer is shown it:
 * policy_reason_shown's mapping in SQL. Written here once: of the column
 * route_reason it is the view case_reasons(case_id, reason) of both engines
 * (PostgreSQL's src/engine/pg_roles.c, the schema owner's, where a reviewer
 * may not read cases.route_reason nor cases.gold; SQLite's in its schema
 * since version 11, sqlite.c). */
#define STORE_REASON_SHOWN_OF(COL) \
	"CASE WHEN " COL " LIKE 'gold check; %' THEN substr(" COL ", 13)" \
	" WHEN " COL " IN ('gold check', 'audit sample') THEN 'spot check'" \
	" ELSE " COL " END"
#define STORE_REASON_SHOWN_SQL STORE_REASON_SHOWN_OF("route_reason")
/* The reason shown of the case whose cases row is C (an alias), as a
 * scalar subquery: one seek by the case's key per row, whatever the
 * statement's plan (reviewers' statements read it this way). */
#define STORE_REASON_SHOWN(C) \
	"(SELECT cr.reason FROM case_reasons cr WHERE cr.case_id = " C ".id)"

typedef struct store store;

enum store_engine {
	STORE_SQLITE,   /* a file */
	STORE_POSTGRES, /* postgresql://... or postgres://... */
};

/* 1 when target names a PostgreSQL store (a libpq URI) rather than a
 * file. */
int store_target_is_uri(const char *target);

/* The engine a store was opened with, for the few places whose SQL differs
 * (db.h). */
enum store_engine store_engine(const store *s);

enum store_open_flags {
	STORE_CREATE = 1 << 0,    /* create the file (mode 0600) if missing */
	STORE_MUST_BE_NEW = 1 << 1, /* fail if the file already exists */
	STORE_NO_SEED = 1 << 2,   /* a new store gets the schema only: no first
				     supervisor, no init entry (migrate fills
				     it from another store) */
};

/* Open (and with STORE_CREATE create) the store at path, configure the
 * connection (WAL, foreign keys, busy handler, synchronous FULL) and migrate
 * the schema forward. On success *out owns the connection; free with
 * store_close. On failure returns DK_ERR with a message naming the path
 * (and removes the file if this call created it). A store of a newer schema,
 * or an SQLite file that is not a store, is refused before anything is
 * written to it. */
int store_open(store **out, const char *path, unsigned flags, dk_error *err);

/* Finalize cached statements and close. Safe with NULL. */
void store_close(store *s);

/* The path the store was opened with (a URI without its password). Owned
 * by s. */
const char *store_path(const store *s);

/* Rows changed by the last INSERT/UPDATE/DELETE statement, and the id of the
 * last row inserted into a table with an integer key. */
int64_t store_changes(store *s);
int64_t store_last_id(store *s);

/* 1 inside a transaction. */
int store_in_txn(store *s);

/* Called by the audit log before it reads the chain's head to append: the
 * appends of concurrent writers must take one order. A no-op on SQLite
 * (a write transaction already holds the store's one write lock); a lock
 * held to the end of the transaction on PostgreSQL. */
int store_chain_lock(store *s, dk_error *err);

/* After a failed write transaction: 1 when the server rolled it back
 * whole as the victim of a deadlock or of a serialization conflict
 * (PostgreSQL's SQLSTATE 40P01 and 40001: nothing of it was written) and
 * it has been tried fewer than STORE_RETRIES times; then it is rolled
 * back here, after a short jittered pause, and *tries counts the attempt:
 * run the whole transaction again, reading afresh. 0 for any other
 * failure (and always on SQLite, whose writers wait their turn). The
 * transactions that lock rows without the store's writer lock (claims,
 * decisions) loop on it: another session's locks, taken in another
 * order, may make any of them the victim. */
#define STORE_RETRIES 4
int store_retry(store *s, int *tries);

/* A prepared statement for sql, cached for the life of the store and keyed by
 * the address of sql (pass string literals). It is returned reset with its
 * bindings cleared. Callers must reset it (store_done) when finished
 * so it does not keep a read transaction open. Returns NULL and fills err on
 * a prepare error. */
db_stmt *store_stmt(store *s, const char *sql, dk_error *err);

/* Reset st; returns its last result code (db.h). Safe with NULL. */
int store_done(db_stmt *st);

/* Run SQL without parameters or results (several statements allowed). */
int store_exec(store *s, const char *sql, dk_error *err);

/* Transactions. store_begin_write takes the write lock at once (BEGIN
 * IMMEDIATE) so a writer never fails late as busy; concurrent
 * writers wait their turn (a short jittered retry, up to 30 s). Its
 * store_commit returns DK_OK only once the transaction is on disk: the WAL
 * is synced after the write lock is released, so writers do not queue
 * behind each other's fsyncs (src/engine/sqlite.c says why that is as safe as
 * synchronous=FULL). store_begin_read is a deferred BEGIN for consistent
 * multi-statement reads. Rollback is safe to call when no transaction is
 * open. When the commit went through but the sync after it failed,
 * store_commit returns DK_UNSYNCED (the change stands and others see it;
 * it is not yet known to be on disk) with a message that says so. */
int store_begin_write(store *s, dk_error *err);
int store_begin_read(store *s, dk_error *err);
int store_commit(store *s, dk_error *err);
void store_rollback(store *s);

/* Step st, the transaction's last statement, and commit, in one exchange
 * with the server where the engine can (PostgreSQL: st, COMMIT and the
 * wait for the disk pipelined, so the locks st takes are held for the
 * server's time only; elsewhere db_step, then store_commit). *step gets
 * st's step result (DB_ROW: its first row is read as after db_step, until
 * store_done); returns as store_commit (DK_OK, DK_UNSYNCED, DK_ERR), DK_ERR
 * when st failed (then roll back as after a failed commit). */
int store_step_commit(db_stmt *st, int *step, dk_error *err);
/* A durable write transaction (as store_begin_write) for a change that
 * locks every row it reads before writing on it, and appends to the log
 * under the chain lock (audit_append): a decision on a case held under a
 * lease (its lease row, then its case row). On PostgreSQL it does not take
 * the store's writer lock, so decisions on different cases run side by
 * side and meet only at the chain's head; on SQLite it is
 * store_begin_write (the store has one writer). */
int store_begin_write_rows(store *s, dk_error *err);

/* A write transaction whose commit is not synced to disk. For writes that
 * may be lost on a power failure or OS crash without losing anything a
 * user was told was saved: claims, lease renewals and releases (a lost
 * claim only puts its case back in the queue, and a decision on it is then
 * refused as not held; a lost release leaves the lease to expire). A
 * process crash loses nothing (the WAL is in the OS's cache), the store
 * stays consistent either way, and the next durable commit syncs the WAL
 * file with these frames in it. Never for a decision, an import, an export
 * entry or anything else reported as recorded. */
int store_begin_write_relaxed(store *s, dk_error *err);

/* A write transaction for a bulk load (an import), durable as
 * store_begin_write's: it holds the write lock a long time anyway, so on
 * SQLite its commit syncs under the lock, and its writes go to the files
 * in large pieces (src/engine/lite_vfs.c). Same as store_begin_write on
 * PostgreSQL. */
int store_begin_bulk(store *s, dk_error *err);

/* Bulk load, where the engine has a path for it (PostgreSQL's COPY; SQLite
 * has none: its prepared multi-row INSERT is as fast). Rows of table's
 * columns (a comma-separated list) are streamed in one statement: begin,
 * a row at a time, end. No other statement may run on the store between
 * begin and end. A value is its column's text input form (a number as
 * text), NULL for SQL NULL; len -1 means NUL-terminated. Errors (a
 * duplicate key, a value the column refuses) are known only at the end:
 * store_copy_end returns DB_DONE when every row went in, else a db.h code
 * (DB_CONSTRAINT_UNIQUE...) with the message for store_fail, and the
 * transaction has failed (go back to a savepoint). */
int store_copy_supported(const store *s);
int store_copy_begin(store *s, const char *table, const char *columns,
		     dk_error *err);
void store_copy_row(store *s, const char *const *v, const int *len, int n);
int store_copy_end(store *s);

/* Durability of store_commit: 1 (the default) = on disk before it
 * returns, 0 = not synced (synchronous NORMAL: benchmarks use it to
 * measure the cost of fsync). Must be called outside a transaction. */
int store_set_durable(store *s, int durable, dk_error *err);

/* Fill err with "STORE: what failed: sqlite message". Returns DK_ERR. */
int store_fail(store *s, dk_error *err, const char *what);

/* Key/value settings in the meta table. store_meta_get sets *out to a
 * malloc'd copy (caller frees), or to NULL when the key is absent; a failed
 * read is DK_ERR, never "absent", so no caller takes a default (or writes a
 * new value) because the store could not be read. */
int store_meta_get(store *s, const char *key, char **out, dk_error *err);
int store_meta_set(store *s, const char *key, const char *value, dk_error *err);

/* Add n to the maintained count of cases of model_id in state (counters
 * table). State changes by UPDATE are counted by a trigger; inserts (import)
 * call this once per state per batch instead of once per row. */
int store_counter_add(store *s, int64_t model_id, const char *state, int64_t n,
		      dk_error *err);

/* Append the engine's query plan for sql (one line per step: SQLite's
 * EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN) to out. Tests use it to prove a path seeks an index
 * rather than scanning a table. Parameters need not be bound. */
int store_explain(store *s, const char *sql, sbuf *out, dk_error *err);

/* The schema version recorded in the store (SQLite: PRAGMA user_version). */
int store_schema_version(store *s);

#endif
