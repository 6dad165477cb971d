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

#endif
