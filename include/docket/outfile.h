/* outfile.h: the files docket writes where a user names them (--out): a
 * regular file, new or existing, and never a device, FIFO, socket,
 * directory or symbolic link, so an export cannot replace /dev/stdout or
 * /dev/null, write into a FIFO or follow a planted link. Every check is
 * made on the object opened (O_PATH | O_NOFOLLOW, then fstat), not on
 * what the name pointed to a moment before. */
#ifndef DOCKET_OUTFILE_H
#define DOCKET_OUTFILE_H

#include <sys/types.h>

#include "docket/util.h"

/* What was at the name when it was checked. */
struct outfile_target {
	int exists;
	dev_t dev;
	ino_t ino;
};

/* Whether path may be written or replaced: DK_OK when nothing is there or
 * a regular file is (its identity kept in *t); DK_USAGE with "PATH: is a
 * character device; --out writes only regular files ..." in err for
 * anything else, a symbolic link included whatever it points to; DK_ERR
 * when it cannot be looked at. Opens nothing but the name itself: a device
 * is never opened. For writers that go through a temporary file: call
 * before starting, then outfile_replace. */
int outfile_check(const char *path, struct outfile_target *t, dk_error *err);

/* Rename tmp (a file of ours) over path, which must still be what
 * outfile_check found: nothing (then a name that appeared meanwhile is not
 * replaced: renameat2 RENAME_NOREPLACE) or the same regular file. Returns
 * DK_OK; DK_USAGE with a message when path changed; DK_ERR when the rename
 * failed. tmp is left in place on failure. */
int outfile_replace(const char *tmp, const char *path,
		    const struct outfile_target *t, dk_error *err);

/* Open path for writing from its start, creating it with mode: O_NOFOLLOW
 * and O_NONBLOCK (a FIFO opens without waiting for a reader), then fstat on
 * the descriptor itself must show a regular file before anything is
 * truncated or written. Returns the descriptor (O_CLOEXEC), or -1 with the
 * message in err. */
int outfile_open(const char *path, mode_t mode, dk_error *err);

/* 1 when path is the store at store_path or one of its side files (-wal,
 * -shm, -journal), by device and inode: writing there would replace the
 * store with the output. 0 otherwise (also when path does not exist). */
int outfile_is_store(const char *path, const char *store_path);

#endif
