/* migrate.h: copying a whole store (every table, every column, ids and
 * sequence numbers as they are) from an SQLite store into a new, empty
 * store, SQLite or PostgreSQL, so that the copy verifies to the same head. */
#ifndef DOCKET_MIGRATE_H
#define DOCKET_MIGRATE_H

#include <stddef.h>
#include <stdint.h>

#include "docket/store.h"
#include "docket/util.h"

/* One table migrate copies: its name, the columns of its primary key (rows
 * are copied in that order, so the log goes in by seq and parents before
 * children), and every column as "name:type" with type i (integer), r
 * (real), t (text) or p (text, or the packed form of casejson_pack as a
 * blob), separated by spaces. */
struct migrate_table {
	const char *name;
	const char *key;
	const char *cols;
};

/* The tables of the schema (STORE_SCHEMA_VERSION), in the order they are
 * copied (a table after those its foreign keys name): the one list of what
 * a store holds. migrate_ntables of them. */
extern const struct migrate_table migrate_tables[];
extern const size_t migrate_ntables;

/* Called every few thousand rows copied into table (rows so far) and once
 * more with done = 1 when the table is finished. Returns 0 to go on; any
 * other value stops the copy, which then fails as interrupted (nothing
 * committed). */
typedef int migrate_progress_fn(void *arg, const char *table, int64_t rows,
				int done);

typedef struct migrate_result {
	int64_t rows[32];      /* rows copied, by migrate_tables index */
	int64_t src_seq;       /* the source's head in the snapshot copied */
	char src_hash[65];
	int64_t dst_seq;       /* the destination's head after the copy */
	char dst_hash[65];
	double seconds;        /* how long the copy took */
} migrate_result;

/* Check that src (an SQLite store) has exactly the tables and columns of
 * migrate_tables, with their types: a table or column this list lacks
 * would otherwise be left behind. DK_OK, or DK_ERR naming the first
 * difference. Needs no transaction. */
int migrate_check_source(store *src, dk_error *err);

/* Copy everything in src (an SQLite store) into dst (a store just made
 * with STORE_CREATE | STORE_MUST_BE_NEW | STORE_NO_SEED). src is read
 * under one read transaction, so the copy is one consistent snapshot
 * while others keep writing to it; dst is written in one write
 * transaction, so it gets all of it or nothing. Refuses when src is not
 * SQLite, its tables differ from migrate_tables (migrate_check_source), or
 * any table of dst holds a row. After the copy, dst's head must equal the
 * snapshot's, or nothing is committed. progress may be NULL. Fills *res.
 * src itself is not changed. */
int migrate_copy(store *src, store *dst, migrate_progress_fn *progress,
		 void *arg, migrate_result *res, dk_error *err);

#endif
