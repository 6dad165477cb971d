/* outfile.c: --out files are regular files only (see outfile.h). */
#include "docket/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *outfile_kind(mode_t m)
{
	if (S_ISLNK(m))
		return "a symbolic link";
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

static int outfile_refuse(const char *path, mode_t m, dk_error *err)
{
	dk_fail(err, "%s: is %s; --out writes only regular files (new or "
		     "existing), never through a link or to a device",
		path, outfile_kind(m));
	return DK_USAGE;
}

/* The object at the name itself, not followed and not opened for I/O (a
 * device's driver never sees an open). 0, or -1 with errno. */
static int outfile_stat(const char *path, struct stat *st)
{
#ifdef O_PATH
	int fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fstat(fd, st);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
#else
	return lstat(path, st);
#endif
}

int outfile_check(const char *path, struct outfile_target *t, dk_error *err)
{
	struct stat st;
	memset(t, 0, sizeof *t);
	if (outfile_stat(path, &st) != 0) {
		if (errno == ENOENT)
			return DK_OK;
		return dk_fail(err, "%s: %s", path, strerror(errno));
	}
	if (!S_ISREG(st.st_mode))
		return outfile_refuse(path, st.st_mode, err);
	t->exists = 1;
	t->dev = st.st_dev;
	t->ino = st.st_ino;
	return DK_OK;
}

static int outfile_changed(const char *path, dk_error *err)
{
	dk_fail(err, "%s: changed while it was being written (now something "
		     "else is there); not replaced", path);
	return DK_USAGE;
}

int outfile_replace(const char *tmp, const char *path,
		    const struct outfile_target *t, dk_error *err)
{
	struct stat st;
	if (!t->exists) {
		if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
			return DK_OK;
		if (errno == EEXIST)
			return outfile_changed(path, err);
		if (errno != EINVAL && errno != ENOSYS)
			return dk_fail(err, "%s: %s", path, strerror(errno));
		/* a file system without RENAME_NOREPLACE: check, then rename */
		if (outfile_stat(path, &st) == 0 || errno != ENOENT)
			return outfile_changed(path, err);
	} else if (outfile_stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
		   st.st_dev != t->dev || st.st_ino != t->ino) {
		return outfile_changed(path, err);
	}
	if (rename(tmp, path) != 0)
		return dk_fail(err, "%s: %s", path, strerror(errno));
	return DK_OK;
}

int outfile_open(const char *path, mode_t mode, dk_error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
				    O_CLOEXEC, mode);
	if (fd < 0) {
		/* ELOOP (a link), EISDIR, ENXIO (a FIFO with no reader, a
		 * socket): say what the name is */
		int e = errno;
		struct stat ls;
		if (outfile_stat(path, &ls) == 0 && !S_ISREG(ls.st_mode))
			outfile_refuse(path, ls.st_mode, err);
		else
			dk_fail(err, "%s: %s", path, strerror(e));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		dk_fail(err, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		outfile_refuse(path, st.st_mode, err);
		goto fail;
	}
	/* a regular file: blocking writes, from an empty file */
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0 ||
	    ftruncate(fd, 0) != 0) {
		dk_fail(err, "%s: %s", path, strerror(errno));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

int outfile_is_store(const char *path, const char *store_path)
{
	struct stat a, b;
	if (stat(path, &a) != 0)
		return 0;
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	char p[PATH_MAX];
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(p, sizeof p, "%s%s", store_path, suffix[i]);
		if (stat(p, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			return 1;
	}
	return 0;
}
