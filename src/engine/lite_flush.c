/* lite_flush.c: while a bulk load (an import) writes hundreds of megabytes
 * into the WAL, and its checkpoint as many into the database file, the
 * kernel keeps all of it in memory (below its dirty thresholds, a few GB)
 * until the syncs at commit, which then wait for the disk to take the
 * whole of it: 0.7 s of a 1M-row import, 0.01 s with this thread. Every
 * LITE_FLUSH_MS it asks the kernel to start writing what is dirty in both
 * files (sync_file_range: no waiting, no barrier). That changes only when
 * bytes reach the disk, which the kernel may choose anyway; SQLite's own
 * syncs still decide what is durable. */
#include "lite_flush.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define LITE_FLUSH_MS 100

struct lite_flush {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
	int fd[2]; /* the WAL and the database file, or -1 */
};

#if defined(__linux__) && defined(SYNC_FILE_RANGE_WRITE)
static void *lite_flush_main(void *arg)
{
	lite_flush *f = arg;
	pthread_mutex_lock(&f->mu);
	while (!f->stop) {
		struct timespec t;
		clock_gettime(CLOCK_REALTIME, &t);
		t.tv_nsec += LITE_FLUSH_MS * 1000000L;
		if (t.tv_nsec >= 1000000000L) {
			t.tv_sec++;
			t.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&f->cv, &f->mu, &t);
		if (f->stop)
			break;
		pthread_mutex_unlock(&f->mu);
		for (int i = 0; i < 2; i++)
			if (f->fd[i] >= 0)
				sync_file_range(f->fd[i], 0, 0, SYNC_FILE_RANGE_WRITE);
		pthread_mutex_lock(&f->mu);
	}
	pthread_mutex_unlock(&f->mu);
	return NULL;
}

static void lite_flush_close(lite_flush *f)
{
	for (int i = 0; i < 2; i++)
		if (f->fd[i] >= 0)
			close(f->fd[i]);
	free(f);
}

/* Any descriptor of a file reaches its pages: SQLite keeps its own to
 * itself, so the files are opened again by the names SQLite uses. */
lite_flush *lite_flush_start(sqlite3 *db)
{
	sqlite3_filename name = sqlite3_db_filename(db, "main");
	if (!name || !name[0])
		return NULL;
	lite_flush *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->fd[0] = open(sqlite3_filename_wal(name), O_RDONLY | O_CLOEXEC);
	f->fd[1] = open(name, O_RDONLY | O_CLOEXEC);
	if (f->fd[0] < 0 && f->fd[1] < 0) {
		lite_flush_close(f);
		return NULL;
	}
	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->cv, NULL);
	if (pthread_create(&f->thread, NULL, lite_flush_main, f)) {
		pthread_cond_destroy(&f->cv);
		pthread_mutex_destroy(&f->mu);
		lite_flush_close(f);
		return NULL;
	}
	return f;
}

void lite_flush_stop(lite_flush *f)
{
	if (!f)
		return;
	pthread_mutex_lock(&f->mu);
	f->stop = 1;
	pthread_cond_signal(&f->cv);
	pthread_mutex_unlock(&f->mu);
	pthread_join(f->thread, NULL);
	pthread_cond_destroy(&f->cv);
	pthread_mutex_destroy(&f->mu);
	lite_flush_close(f);
}
#else
lite_flush *lite_flush_start(sqlite3 *db)
{
	(void)db;
	return NULL;
}

void lite_flush_stop(lite_flush *f)
{
	(void)f;
}
#endif
