/* lite_vfs.c: the SQLite engine's VFS: the default one with a layer that,
 * while a bulk load asks for it, gathers writes into large ones.
 *
 * Why: SQLite writes its WAL a frame at a time, a 24-byte header and then
 * a page (two system calls, the page at an offset that is not a multiple
 * of 4 KiB), and a checkpoint writes the database file a page at a time.
 * A 300k-row import made 184k pwrite calls for 450 MB, and the kernel
 * takes about five times as long for 4 KiB writes as for 1 MiB writes of
 * the same bytes (measured: 0.33 s against 0.07 s for 225 MB).
 *
 * What keeps it safe: a file's gathered bytes are written before anything
 * could look at that file's bytes (a read, sync, size, truncate, lock,
 * file control, mapping or close of it), and before SQLite publishes a
 * commit in the WAL index (its shared-memory barrier on the database file
 * writes out the WAL's bytes too). Other processes read only frames a
 * commit published, and database pages a checkpoint copied and synced.
 * A commit under synchronous=FULL syncs the WAL before publishing, so a
 * failed write is reported there and the commit fails; the barrier cannot
 * report one, and gives up the process instead (a crash, which SQLite's
 * recovery handles), which under FULL cannot happen. A failed write of
 * gathered bytes fails every later call on the file until gathering ends:
 * SQLite's pager then rolls the transaction back. */
#include "lite_vfs.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The unix VFS writes at most 128 KiB - 1 bytes per call (its
 * seekAndWriteFd masks the length): gather up to 64 KiB. */
#define GATHER_BYTES (64 * 1024)
#define LITE_VFS_MAX 4 /* layers over distinct default VFSes (tests swap them) */

struct gfile {
	sqlite3_file base;
	sqlite3_file *real; /* the default VFS's file: follows this struct */
	struct gfile *wal;  /* database file: its WAL, while open */
	struct gfile *db;   /* WAL: its database file */
	char *buf;          /* gathered bytes; NULL: not gathering */
	size_t len;
	sqlite3_int64 off; /* where buf[0] goes in the file */
	int err;           /* a write of gathered bytes failed */
};

#define G(f) ((struct gfile *)(f))
#define REAL(f) (G(f)->real)

static struct {
	sqlite3_vfs vfs;
	sqlite3_vfs *under;
	char name[64];
} layers[LITE_VFS_MAX];
static int nlayers;
static pthread_mutex_t layers_mu = PTHREAD_MUTEX_INITIALIZER;
static long long writes; /* atomic */

static int g_real_write(struct gfile *g, const void *p, int n, sqlite3_int64 off)
{
	__atomic_add_fetch(&writes, 1, __ATOMIC_RELAXED);
	return g->real->pMethods->xWrite(g->real, p, n, off);
}

/* Write out g's gathered bytes. */
static int g_flush(struct gfile *g)
{
	if (!g || !g->buf)
		return SQLITE_OK;
	if (g->err)
		return g->err;
	if (!g->len)
		return SQLITE_OK;
	int rc = g_real_write(g, g->buf, (int)g->len, g->off);
	g->len = 0;
	if (rc != SQLITE_OK)
		g->err = rc;
	return rc;
}

/* A database file's gathered bytes and its WAL's. */
static int g_flush_both(struct gfile *g)
{
	int rc = g_flush(g->wal);
	int rc2 = g_flush(g);
	return rc != SQLITE_OK ? rc : rc2;
}

static void g_stop(struct gfile *g, int *rc)
{
	int r = g_flush(g);
	if (*rc == SQLITE_OK)
		*rc = r;
	free(g->buf);
	g->buf = NULL;
	g->len = 0;
	g->err = 0;
}

static int g_close(sqlite3_file *f)
{
	struct gfile *g = G(f);
	int rc = SQLITE_OK;
	g_stop(g, &rc);
	if (g->db)
		g->db->wal = NULL;
	if (g->wal)
		g->wal->db = NULL;
	int rc2 = g->real->pMethods->xClose(g->real);
	return rc != SQLITE_OK ? rc : rc2;
}

static int g_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
	struct gfile *g = G(f);
	if (g->buf) {
		if (g->err)
			return g->err;
		if (g->len && off < g->off + (sqlite3_int64)g->len && off + n > g->off) {
			int rc = g_flush(g);
			if (rc != SQLITE_OK)
				return rc;
		}
	}
	return REAL(f)->pMethods->xRead(REAL(f), p, n, off);
}

static int g_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
	struct gfile *g = G(f);
	if (!g->buf)
		return g_real_write(g, p, n, off);
	if (g->err)
		return g->err;
	sqlite3_int64 end = g->off + (sqlite3_int64)g->len;
	if (g->len && off >= g->off && off + n <= end) {
		/* a frame written again in place (its page changed again) */
		memcpy(g->buf + (off - g->off), p, (size_t)n);
		return SQLITE_OK;
	}
	if (g->len && off == end && g->len + (size_t)n <= GATHER_BYTES) {
		memcpy(g->buf + g->len, p, (size_t)n);
		g->len += (size_t)n;
		return SQLITE_OK;
	}
	/* Bytes elsewhere (an earlier frame written again): in which order
	 * two writes of different bytes reach the file does not matter. */
	if (g->len && off != end && (off >= end || off + n <= g->off))
		return g_real_write(g, p, n, off);
	int rc = g_flush(g);
	if (rc != SQLITE_OK)
		return rc;
	if (n >= GATHER_BYTES)
		return g_real_write(g, p, n, off);
	memcpy(g->buf, p, (size_t)n);
	g->off = off;
	g->len = (size_t)n;
	return SQLITE_OK;
}

static int g_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	int rc = g_flush(G(f));
	return rc != SQLITE_OK ? rc : REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int g_sync(sqlite3_file *f, int flags)
{
	int rc = g_flush(G(f));
	return rc != SQLITE_OK ? rc : REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int g_size(sqlite3_file *f, sqlite3_int64 *size)
{
	int rc = g_flush(G(f));
	return rc != SQLITE_OK ? rc : REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int g_lock(sqlite3_file *f, int level)
{
	int rc = g_flush(G(f));
	return rc != SQLITE_OK ? rc : REAL(f)->pMethods->xLock(REAL(f), level);
}

static int g_unlock(sqlite3_file *f, int level)
{
	int rc = g_flush(G(f));
	int rc2 = REAL(f)->pMethods->xUnlock(REAL(f), level);
	return rc != SQLITE_OK ? rc : rc2;
}

static int g_reserved(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int g_fcntl(sqlite3_file *f, int op, void *arg)
{
	int rc = g_flush(G(f));
	return rc != SQLITE_OK ? rc : REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int g_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int g_dev(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int g_shm_map(sqlite3_file *f, int region, int size, int extend,
		     void volatile **pp)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), region, size, extend, pp);
}

static int g_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	int rc = g_flush_both(G(f));
	int rc2 = REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
	return (flags & SQLITE_SHM_LOCK) && rc != SQLITE_OK ? rc : rc2;
}

/* SQLite publishes a commit in the WAL index between two barriers: the
 * frames must be in the file before. */
static void g_shm_barrier(sqlite3_file *f)
{
	if (g_flush_both(G(f)) != SQLITE_OK) {
		fprintf(stderr, "docket: a write to the store failed where it "
				"cannot be reported; stopping before the store "
				"could see it\n");
		abort();
	}
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int g_shm_unmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static int g_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
	int rc = g_flush(G(f));
	if (rc != SQLITE_OK)
		return rc;
	if (REAL(f)->pMethods->iVersion < 3) {
		*pp = NULL; /* no mapping: SQLite reads instead */
		return SQLITE_OK;
	}
	return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}

static int g_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	if (REAL(f)->pMethods->iVersion < 3)
		return SQLITE_OK;
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods g_methods = {
	3, g_close, g_read, g_write, g_truncate, g_sync, g_size, g_lock,
	g_unlock, g_reserved, g_fcntl, g_sector, g_dev, g_shm_map, g_shm_lock,
	g_shm_barrier, g_shm_unmap, g_fetch, g_unfetch,
};
/* For files whose VFS has no shared memory (SQLite then checks iVersion). */
static const sqlite3_io_methods g_methods_v1 = {
	1, g_close, g_read, g_write, g_truncate, g_sync, g_size, g_lock,
	g_unlock, g_reserved, g_fcntl, g_sector, g_dev, NULL, NULL, NULL, NULL,
	NULL, NULL,
};

static sqlite3_vfs *g_under(sqlite3_vfs *vfs)
{
	for (int i = 0; i < LITE_VFS_MAX; i++)
		if (&layers[i].vfs == vfs)
			return layers[i].under;
	return NULL;
}

static int g_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f,
		  int flags, int *out)
{
	sqlite3_vfs *under = g_under(vfs);
	struct gfile *g = G(f);
	memset(g, 0, sizeof *g);
	g->real = (sqlite3_file *)(g + 1);
	int rc = under->xOpen(under, name, g->real, flags, out);
	if (rc != SQLITE_OK || !g->real->pMethods) {
		g->base.pMethods = NULL;
		return rc;
	}
	g->base.pMethods = g->real->pMethods->iVersion >= 2 ? &g_methods : &g_methods_v1;
	if ((flags & SQLITE_OPEN_WAL) && name) {
		sqlite3_file *db = sqlite3_database_file_object(name);
		if (db && (db->pMethods == &g_methods || db->pMethods == &g_methods_v1)) {
			g->db = G(db);
			G(db)->wal = g;
		}
	}
	return SQLITE_OK;
}

const char *lite_vfs_name(void)
{
	sqlite3_vfs *under = sqlite3_vfs_find(NULL);
	const char *name = NULL;
	if (!under)
		return NULL;
	pthread_mutex_lock(&layers_mu);
	for (int i = 0; i < nlayers && !name; i++)
		if (layers[i].under == under)
			name = layers[i].name;
	if (!name && nlayers < LITE_VFS_MAX) {
		int i = nlayers;
		/* The default's own methods serve everything but opening a file
		 * (they are given this layer's vfs, as any layer's are). */
		layers[i].vfs = *under;
		layers[i].under = under;
		snprintf(layers[i].name, sizeof layers[i].name, "docket-%s",
			 under->zName);
		layers[i].vfs.zName = layers[i].name;
		layers[i].vfs.szOsFile = (int)sizeof(struct gfile) + under->szOsFile;
		layers[i].vfs.xOpen = g_open;
		layers[i].vfs.pNext = NULL;
		if (sqlite3_vfs_register(&layers[i].vfs, 0) == SQLITE_OK) {
			nlayers++;
			name = layers[i].name;
		}
	}
	pthread_mutex_unlock(&layers_mu);
	return name;
}

static struct gfile *g_of(sqlite3 *db, int op)
{
	sqlite3_file *f = NULL;
	if (sqlite3_file_control(db, "main", op, &f) != SQLITE_OK || !f ||
	    (f->pMethods != &g_methods && f->pMethods != &g_methods_v1))
		return NULL;
	return G(f);
}

int lite_vfs_gather(sqlite3 *db, int on)
{
	struct gfile *files[2] = {g_of(db, SQLITE_FCNTL_JOURNAL_POINTER),
				  g_of(db, SQLITE_FCNTL_FILE_POINTER)};
	int rc = SQLITE_OK;
	/* A WAL is gathered only when its database file's barrier writes it
	 * out (g_open linked them). */
	if (on && files[0] && (!files[1] || files[0]->db != files[1]))
		files[0] = NULL;
	for (int i = 0; i < 2; i++) {
		struct gfile *g = files[i];
		if (!g)
			continue;
		if (!on) {
			g_stop(g, &rc);
		} else if (!g->buf) {
			g->buf = malloc(GATHER_BYTES);
			g->len = 0;
			g->err = 0;
		}
	}
	return rc;
}

long long lite_vfs_writes(void)
{
	return __atomic_load_n(&writes, __ATOMIC_RELAXED);
}
