/* outfile.h: the files docket writes where a user names them (--out): a
 * regular file, new or existing, and never a device, FIFO, socket,
 * directory or symbolic link, so an export cannot replace /dev/stdout or
 * /dev/null, write into a FIFO or follow a planted link. */
#ifndef DOCKET_OUTFILE_H
#define DOCKET_OUTFILE_H

#include <sys/types.h>

#include "docket/util.h"

/* Whether path may be written or replaced: 0 when it does not exist or is
 * a regular file (lstat: a symbolic link is refused whatever it points
 * to); else DK_USAGE with "PATH: is a character device, not a regular
 * file" in err. For writers that go through a temporary file and rename:
 * call before starting and again just before the rename (rename replaces
 * the name itself and never writes through a link). */
int outfile_check(const char *path, dk_error *err);

/* Open path for writing from its start, creating it with mode: O_NOFOLLOW
 * and O_NONBLOCK (a FIFO opens without waiting for a reader), then fstat on
 * the descriptor itself must show a regular file before anything is
 * truncated or written. Returns the descriptor (O_CLOEXEC), or -1 with the
 * message in err. */
int outfile_open(const char *path, mode_t mode, dk_error *err);

#endif
