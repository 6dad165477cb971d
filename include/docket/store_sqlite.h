/* store_sqlite.h: the SQLite connection under a store, for the tests,
 * benchmarks and fuzzers that inspect or damage a store file directly (as a
 * user with the sqlite3 shell could). The product's modules never use it:
 * they go through store.h and db.h. */
#ifndef DOCKET_STORE_SQLITE_H
#define DOCKET_STORE_SQLITE_H

#include <sqlite3.h>

#include "docket/store.h"

/* NULL when the store is not an SQLite store. Never close it. */
sqlite3 *store_sqlite_db(store *s);

/* Make empty database db the schema of a store as docket's schema version
 * 1 made it (its tables, no rows), for the tests that migrate one: a new
 * store is made without what later versions drop (sqlite.c). Returns
 * SQLITE_OK or SQLite's error code. */
int store_sqlite_make_v1(sqlite3 *db);

#endif
