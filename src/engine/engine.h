/* engine.h: the seam between the store (src/store.c, engine-neutral) and
 * the engines behind it (sqlite.c, pg.c). Private to src/store.c and
 * src/engine/: modules see only store.h and db.h.
 *
 * An engine keeps its connection in store.conn and its statements as
 * structs that begin with a struct db_stmt, so db_* calls dispatch through
 * st->eng with one indirect call. */
#ifndef DOCKET_ENGINE_H
#define DOCKET_ENGINE_H

#include <stddef.h>

#include "docket/db.h"
#include "docket/store.h"
#include "docket/util.h"

struct engine;

struct db_stmt {
	const struct engine *eng;
	store *s;
};

#define STORE_STMT_CACHE 160

struct store {
	const struct engine *eng;
	void *conn;   /* the engine's connection state */
	char *path;   /* what messages name: a file path, or a URI without
			 its password */
	struct {
		const char *sql;
		db_stmt *st;
	} cache[STORE_STMT_CACHE];
	int ncache;
	int raised;   /* opened with a setgid install's group (identity.h) */
	unsigned flags; /* store_open's flags */
};

enum engine_begin {
	ENGINE_WRITE,         /* durable at commit */
	ENGINE_WRITE_RELAXED, /* not synced at commit (store.h says when) */
	ENGINE_WRITE_ROWS,    /* durable, without the writer lock (store.h) */
	ENGINE_WRITE_BULK,    /* durable at commit; a bulk load (store.h) */
	ENGINE_READ,          /* a consistent snapshot for several reads */
};

struct engine {
	enum store_engine kind;
	const char *name;

	/* Connection. open fills s->conn and brings the schema to the current
	 * version (creating it with STORE_CREATE); close frees s->conn. */
	int (*open)(store *s, const char *target, unsigned flags, dk_error *err);
	void (*close)(store *s);
	const char *(*errmsg)(store *s, char *buf, size_t len);

	db_stmt *(*prepare)(store *s, const char *sql, dk_error *err);
	void (*finalize)(db_stmt *st);
	int (*exec)(store *s, const char *sql, dk_error *err);

	int (*begin)(store *s, enum engine_begin kind, dk_error *err);
	int (*commit)(store *s, dk_error *err);
	/* store_step_commit; NULL: step, then commit */
	int (*step_commit)(db_stmt *st, int *step, dk_error *err);
	void (*rollback)(store *s);
	int (*in_txn)(store *s);
	int (*set_durable)(store *s, int durable, dk_error *err);
	int (*chain_lock)(store *s, dk_error *err);
	/* store_retry: the transaction that just failed was rolled back
	 * whole as a deadlock's or a serialization conflict's victim; NULL
	 * where the engine has none (SQLite's writers wait in turn) */
	int (*conflicted)(store *s);

	/* Bulk load (store.h: store_copy_*); NULL where the engine has
	 * none. */
	int (*copy_begin)(store *s, const char *table, const char *columns,
			  dk_error *err);
	void (*copy_row)(store *s, const char *const *v, const int *len, int n);
	int (*copy_end)(store *s);

	int64_t (*changes)(store *s);
	int64_t (*last_id)(store *s);
	int (*explain)(store *s, const char *sql, sbuf *out, dk_error *err);
	int (*schema_version)(store *s);

	int (*bind_int64)(db_stmt *st, int i, int64_t v);
	int (*bind_double)(db_stmt *st, int i, double v);
	int (*bind_text)(db_stmt *st, int i, const char *v, int len, int copy);
	int (*bind_null)(db_stmt *st, int i);
	int (*bind_blob)(db_stmt *st, int i, const void *v, int len, int copy);
	int (*step)(db_stmt *st);
	int (*reset)(db_stmt *st);
	void (*clear)(db_stmt *st);
	int64_t (*col_int64)(db_stmt *st, int i);
	double (*col_double)(db_stmt *st, int i);
	const unsigned char *(*col_text)(db_stmt *st, int i);
	int (*col_bytes)(db_stmt *st, int i);
	int (*col_type)(db_stmt *st, int i);
};

extern const struct engine engine_sqlite;
extern const struct engine engine_pg;

/* Rows written once when a store is created (store.c): who made it and
 * when, and its first supervisor. Engines call it from their migration. */
int store_seed(store *s, dk_error *err);

/* Finalize every cached statement (before an engine closes its
 * connection early). */
void store_cache_clear(store *s);

#endif
