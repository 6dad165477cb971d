/* lite_vfs.h: the SQLite engine's VFS: the default one, with writes
 * gathered into large ones while a bulk load asks for it. Private to
 * src/engine/sqlite.c. */
#ifndef DOCKET_LITE_VFS_H
#define DOCKET_LITE_VFS_H

#include <sqlite3.h>

/* The name of the VFS to open stores with: a layer over the current
 * default VFS (registered on first use, not as the default). NULL if it
 * cannot be made: then open with the default. */
const char *lite_vfs_name(void);

/* Gather db's writes to its WAL and its database file (on: 1), or write
 * out what is gathered and stop (on: 0). Gathered bytes are written before
 * any read, sync, size, truncate or close of their file, before SQLite
 * publishes a commit in the shared memory, and whenever 64 KiB are
 * gathered; a commit must run with synchronous=FULL, so that its sync
 * reports a failed write before the commit is published. Returns an SQLite
 * result code (a failed write of gathered bytes). No effect on files of
 * another VFS. */
int lite_vfs_gather(sqlite3 *db, int on);

/* Write calls that reached the file system through this VFS since the
 * process started (for the tests: gathering must cut them). */
long long lite_vfs_writes(void);

#endif
