/* lite_flush.h: a thread that starts the disk writes of a store's files
 * while a bulk load writes them. Private to src/engine/sqlite.c. */
#ifndef DOCKET_LITE_FLUSH_H
#define DOCKET_LITE_FLUSH_H

#include <sqlite3.h>

typedef struct lite_flush lite_flush;

/* Start flushing the database file of db and its WAL (found by name).
 * NULL when it cannot (not Linux, a file that will not open, no thread):
 * then the syncs at commit do all the writing, as without it. */
lite_flush *lite_flush_start(sqlite3 *db);

/* Stop the thread and free f (NULL is fine). */
void lite_flush_stop(lite_flush *f);

#endif
