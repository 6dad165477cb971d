/* db.h: statements, engine-neutral. Every module reads and writes the store
 * through these calls on statements it gets from store_stmt (store.h); the
 * engine behind them (src/engine/: SQLite or PostgreSQL) is chosen when the
 * store is opened, and no module outside src/engine/ knows which it is.
 *
 * The calls follow SQLite's statement API, which most of the code was
 * written against, and the constants have SQLite's values: bind, then step
 * until DB_DONE, reading columns while it returns DB_ROW; store_done resets.
 * SQL is written once with ?N parameters; the PostgreSQL engine rewrites
 * them to $N. Where the engines' SQL really differs, a module picks its text
 * by store_engine (store.h), both versions side by side. */
#ifndef DOCKET_DB_H
#define DOCKET_DB_H

#include <stdint.h>

typedef struct db_stmt db_stmt;

/* Results of db_step and db_reset (store_done). */
enum {
	DB_OK = 0,
	DB_ERROR = 1,
	DB_BUSY = 5,
	DB_CONSTRAINT = 19,
	DB_ROW = 100,
	DB_DONE = 101,
	DB_CONSTRAINT_UNIQUE = 2067, /* a UNIQUE or PRIMARY KEY was violated */
};

/* Column types (db_col_type). */
enum { DB_INTEGER = 1, DB_FLOAT = 2, DB_TEXT = 3, DB_BLOB = 4, DB_NULL = 5 };

/* db_bind_text's last argument: DB_STATIC when the text outlives the
 * statement's use (until the next store_done), DB_TRANSIENT to copy it. */
enum { DB_STATIC = 0, DB_TRANSIENT = 1 };

/* Parameters are numbered from 1; len < 0 means NUL-terminated. */
int db_bind_int64(db_stmt *st, int i, int64_t v);
int db_bind_int(db_stmt *st, int i, int v);
int db_bind_double(db_stmt *st, int i, double v);
int db_bind_text(db_stmt *st, int i, const char *v, int len, int copy);
int db_bind_null(db_stmt *st, int i);
/* Bytes that are not text (SQLite stores a BLOB, so that every TEXT value
 * in the store stays valid UTF-8 for other readers: Python's sqlite3,
 * pandas). PostgreSQL keeps no such values: it binds them as text, which
 * fails on bytes that are not UTF-8. copy as for db_bind_text. */
int db_bind_blob(db_stmt *st, int i, const void *v, int len, int copy);

/* DB_ROW, DB_DONE, or an error (DB_CONSTRAINT_UNIQUE, DB_BUSY, DB_ERROR...):
 * store_fail then gives the engine's message. */
int db_step(db_stmt *st);

/* Reset to run again (bindings kept); returns the last step's error or
 * DB_OK. */
int db_reset(db_stmt *st);

/* Columns of the current row, numbered from 0. Text is valid until the next
 * step or reset; NULL for a NULL value. Numbers read from text are parsed as
 * SQLite would (a leading number, else 0). */
int64_t db_col_int64(db_stmt *st, int i);
int db_col_int(db_stmt *st, int i);
double db_col_double(db_stmt *st, int i);
const unsigned char *db_col_text(db_stmt *st, int i);
int db_col_bytes(db_stmt *st, int i);
int db_col_type(db_stmt *st, int i);

#endif
