/* fuzz_util.h: helpers shared by the fuzz targets (fuzz/fuzz_*.c): a
 * NUL-terminated copy of the input, a scratch store removed at exit, and a
 * check that a message starts "NAME:LINE:" with LINE in range. Header-only
 * so each target stays one translation unit (libFuzzer, or fuzz/replay.c). */
#ifndef DOCKET_FUZZ_UTIL_H
#define DOCKET_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "docket/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort with a message: a finding. */
#define FUZZ_CHECK(cond, ...)                                              \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "fuzz property failed: %s (%s:%d)\n", \
				#cond, __FILE__, __LINE__);                \
			fprintf(stderr, __VA_ARGS__);                      \
			fputc('\n', stderr);                               \
			abort();                                           \
		}                                                          \
	} while (0)

/* data[0..size) as a malloc'd C string (cut at the first NUL, as a file
 * read into a C string would be). */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *t = malloc(size + 1);
	if (!t)
		abort();
	if (size)
		memcpy(t, data, size);
	t[size] = '\0';
	return t;
}

/* Physical lines in text: newlines, plus one for a last line without one. */
static inline long fuzz_lines(const char *t, size_t n)
{
	long lines = 0;
	for (size_t i = 0; i < n; i++)
		lines += t[i] == '\n';
	if (n && t[n - 1] != '\n')
		lines++;
	return lines;
}

/* An upper bound of CSV lines in t: line ends are LF, CRLF, and a bare
 * CR where it ends a record (csvread.c), so count every bare CR. */
static inline long fuzz_lines_cr(const char *t, size_t n)
{
	long lines = 0;
	for (size_t i = 0; i < n; i++)
		lines += t[i] == '\n' || (t[i] == '\r' && (i + 1 == n || t[i + 1] != '\n'));
	if (n && t[n - 1] != '\n' && t[n - 1] != '\r')
		lines++;
	return lines;
}

/* 1 when msg is "NAME:LINE:..." with 1 <= LINE <= max_line; *line gets
 * LINE and *rest what follows its colon. */
static inline int fuzz_located(const char *msg, const char *name, long max_line,
			       long *line, const char **rest)
{
	size_t nl = strlen(name);
	if (strncmp(msg, name, nl) || msg[nl] != ':')
		return 0;
	const char *p = msg + nl + 1;
	char *end;
	long v = strtol(p, &end, 10);
	if (end == p || *end != ':' || v < 1 || v > max_line)
		return 0;
	if (line)
		*line = v;
	if (rest)
		*rest = end + 1;
	return 1;
}

static char fuzz_dir[4096];
static char fuzz_db[4200];
static store *fuzz_st;

static inline void fuzz_store_cleanup(void)
{
	static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
	char path[4300];
	store_close(fuzz_st);
	fuzz_st = NULL;
	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		snprintf(path, sizeof path, "%s%s", fuzz_db, sfx[i]);
		unlink(path);
	}
	rmdir(fuzz_dir);
}

/* A scratch store (created once per process under $TMPDIR or /tmp,
 * removed at a normal exit; libFuzzer ends with _Exit, so fuzz/run.sh
 * points TMPDIR into build-fuzz/ and cleans it), not durable: fuzzing
 * rolls back or rewrites it all the time. */
static inline store *fuzz_store(void)
{
	if (fuzz_st)
		return fuzz_st;
	dk_error err = {{0}};
	const char *tmp = getenv("TMPDIR");
	snprintf(fuzz_dir, sizeof fuzz_dir, "%s/docket-fuzz-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(fuzz_dir))
		abort();
	snprintf(fuzz_db, sizeof fuzz_db, "%s/s.db", fuzz_dir);
	if (store_open(&fuzz_st, fuzz_db, STORE_CREATE, &err) ||
	    store_set_durable(fuzz_st, 0, &err)) {
		fprintf(stderr, "fuzz: %s\n", err.msg);
		abort();
	}
	atexit(fuzz_store_cleanup);
	return fuzz_st;
}

#endif
