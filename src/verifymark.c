/* verifymark.c: remembers how far the audit chain was verified, so a check
 * can read only the entries appended since. The record is kept outside the
 * store, in the user's own state directory: anyone who can write the store
 * could move a record kept inside it (a meta row) to the head of a chain
 * they rewrote, and the quick check would then vouch for it. */
#include "docket/verifymark.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "docket/clock.h"

/* The record's directory ($XDG_STATE_HOME/docket/verified, or
 * $HOME/.local/state/docket/verified) into dir; 1 when neither is set. */
static int verifymark_dir(char *dir, size_t n)
{
	const char *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	if (xdg && xdg[0] == '/')
		snprintf(dir, n, "%s/docket/verified", xdg);
	else if (home && home[0])
		snprintf(dir, n, "%s/.local/state/docket/verified", home);
	else
		return 1;
	return 0;
}

int verifymark_path(store *s, char *out, size_t n)
{
	char dir[PATH_MAX], real[PATH_MAX], key[65];
	if (verifymark_dir(dir, sizeof dir))
		return 1;
	const char *p = realpath(store_path(s), real) ? real : store_path(s);
	audit_sha256_hex(p, strlen(p), key);
	snprintf(out, n, "%s/%.32s", dir, key);
	return 0;
}

/* "SEQ HASH AT FULL_AT" from the record file; 0 when read, 1 when there is
 * none or it does not parse. */
static int verifymark_read(store *s, struct verifymark *m)
{
	char path[PATH_MAX], line[256];
	memset(m, 0, sizeof *m);
	memcpy(m->hash, AUDIT_GENESIS, 65);
	if (verifymark_path(s, path, sizeof path))
		return 1;
	FILE *f = fopen(path, "r");
	if (!f)
		return 1;
	int ok = fgets(line, sizeof line, f) != NULL;
	fclose(f);
	char hash[65];
	long long seq, at, full_at;
	if (!ok || sscanf(line, "%lld %64s %lld %lld", &seq, hash, &at, &full_at) != 4 ||
	    seq <= 0 || strlen(hash) != 64 || strspn(hash, "0123456789abcdef") != 64)
		return 1;
	m->seq = seq;
	memcpy(m->hash, hash, 65);
	m->at = at;
	m->full_at = full_at;
	return 0;
}

int verifymark_get(store *s, struct verifymark *m, dk_error *err)
{
	(void)err;
	verifymark_read(s, m);
	return DK_OK;
}

/* mkdir -p of dir, mode 0700. */
static int verifymark_mkdirs(char *dir)
{
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int rc = mkdir(dir, 0700);
		*p = '/';
		if (rc && errno != EEXIST)
			return 1;
	}
	return mkdir(dir, 0700) && errno != EEXIST;
}

int verifymark_record(store *s, int64_t seq, const char *hash, int full,
		      dk_error *err)
{
	char path[PATH_MAX], dir[PATH_MAX], tmp[PATH_MAX + 16];
	if (verifymark_path(s, path, sizeof path) || verifymark_dir(dir, sizeof dir))
		return dk_fail(err, "no place to keep the record of the check (set "
				    "HOME or XDG_STATE_HOME)");
	struct verifymark m;
	int64_t now = clock_now_ms();
	int have = verifymark_read(s, &m) == 0;
	/* a record of a later entry made meanwhile is kept */
	if (!have || m.seq <= seq) {
		m.seq = seq;
		memcpy(m.hash, hash, 65);
		m.at = now;
	}
	if (full)
		m.full_at = now;
	if (verifymark_mkdirs(dir))
		return dk_fail(err, "%s: %s", dir, strerror(errno));
	snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0)
		return dk_fail(err, "%s: %s", tmp, strerror(errno));
	char line[256];
	int n = snprintf(line, sizeof line, "%" PRId64 " %s %" PRId64 " %" PRId64 "\n",
			 m.seq, m.hash, m.at, m.full_at);
	int bad = write(fd, line, (size_t)n) != n;
	if (close(fd))
		bad = 1;
	if (bad || rename(tmp, path)) {
		int e = errno;
		unlink(tmp);
		return dk_fail(err, "%s: %s", path, strerror(e));
	}
	return DK_OK;
}

int verifymark_check(store *s, int full, int *was_full, audit_report *rep,
		     dk_error *err)
{
	struct verifymark m;
	if (verifymark_get(s, &m, err))
		return DK_ERR;
	if (m.seq == 0)
		full = 1;
	if (was_full)
		*was_full = full;
	int rc = full ? audit_verify(s, NULL, rep, err)
		      : audit_verify_from(s, m.seq, m.hash, rep, err);
	if (rc != DK_OK)
		return DK_ERR;
	if (rep->head_seq == 0)
		return DK_OK; /* an empty log: nothing to record */
	return verifymark_record(s, rep->head_seq, rep->head_hash, full, err);
}
