/* report_write.c: puts a report's file in place (a temporary file beside
 * it, fsync, then a rename over only what outfile_check saw) and records it
 * in the audit chain as an export is recorded: action 'report' with the
 * file, the period and the file's SHA-256, once the file is complete. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "docket/audit.h"
#include "docket/clock.h"
#include "docket/outfile.h"
#include "docket/report.h"

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void json_opt(sbuf *b, const char *key, const char *v)
{
	sbuf_printf(b, ",\"%s\":", key);
	if (v)
		sbuf_add_json_str(b, v, strlen(v));
	else
		sbuf_adds(b, "null");
}

static int record_once(store *s, const struct report *r, enum report_format fmt,
		       const char *abs_path, const char *who,
		       struct report_result *res, dk_error *err)
{
	char t[32];
	sbuf d = {0};
	sbuf_adds(&d, "{\"file\":");
	sbuf_add_json_str(&d, abs_path, strlen(abs_path));
	json_opt(&d, "model", r->model);
	json_opt(&d, "since",
		 r->opts.has_since ? clock_format_iso(r->opts.since_ms, t, sizeof t) : NULL);
	json_opt(&d, "until",
		 r->opts.has_until ? clock_format_iso(r->opts.until_ms, t, sizeof t) : NULL);
	json_opt(&d, "format", fmt == REPORT_HTML ? "html" : "md");
	sbuf_printf(&d, ",\"sha256\":\"%s\",\"bytes\":%lld}", res->sha256,
		    (long long)res->bytes);
	int rc = DK_ERR;
	if (store_begin_write(s, err))
		goto out;
	audit_entry e = {0};
	e.reviewer = who;
	e.action = ACTION_REPORT;
	e.seconds = NAN;
	e.detail = d.buf;
	if (audit_append(s, &e, &res->audit_seq, NULL, err)) {
		store_rollback(s);
		goto out;
	}
	rc = store_commit(s, err);
out:
	sbuf_free(&d);
	return rc;
}

/* record_once, run again when the server picked it as a deadlock's victim
 * (it waits for the chain lock holding the writer lock: a session holding
 * the one and asking for the other closes a cycle, t_pg_retry): it wrote
 * nothing, and the file in place is the one it records (store_retry). */
static int record(store *s, const struct report *r, enum report_format fmt,
		  const char *abs_path, const char *who, struct report_result *res,
		  dk_error *err)
{
	int rc, tries = 0;
	do
		rc = record_once(s, r, fmt, abs_path, who, res, err);
	while (rc == DK_ERR && store_retry(s, &tries));
	return rc;
}

int report_write(store *s, const struct report *r, enum report_format fmt,
		 const char *path, const char *who, const sbuf *text,
		 struct report_result *res, dk_error *err)
{
	memset(res, 0, sizeof *res);
	if (!path || !*path)
		return dk_fail(err, "no output file given"), DK_USAGE;
	if (outfile_is_store(path, store_path(s)))
		return dk_fail(err, "%s: that is the store; choose another --out", path),
		       DK_USAGE;
	struct outfile_target target;
	int rc = outfile_check(path, &target, err);
	if (rc)
		return rc;
	if (sodium_init() < 0)
		return dk_fail(err, "libsodium failed to initialise");

	/* the temporary file beside the target, so the rename is atomic */
	size_t pl = strlen(path);
	char *dir = dk_xstrdup(path), *tmp = dk_xmalloc(pl + 32);
	char *slash = strrchr(dir, '/');
	const char *base = slash ? path + (slash - dir) + 1 : path;
	if (!slash)
		strcpy(dir, ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	int renamed = 0, fd = -1;
	rc = DK_ERR;
	if (!*base) {
		dk_fail(err, "%s: not a file name", path);
		rc = DK_USAGE;
		free(tmp);
		tmp = NULL;
		goto out;
	}
	snprintf(tmp, pl + 32, "%s/.%s.tmp-XXXXXX", dir, base);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		dk_fail(err, "%s: %s", path, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (write_all(fd, text->buf ? text->buf : "", text->len) || fsync(fd)) {
		dk_fail(err, "%s: %s", path, strerror(errno));
		goto out;
	}
	int c = close(fd);
	fd = -1;
	if (c) {
		dk_fail(err, "%s: %s", path, strerror(errno));
		goto out;
	}
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)(text->buf ? text->buf : ""),
			   text->len);
	sodium_bin2hex(res->sha256, sizeof res->sha256, h, sizeof h);
	res->bytes = (int64_t)text->len;
	if ((rc = outfile_replace(tmp, path, &target, err)) != DK_OK)
		goto out;
	rc = DK_ERR;
	renamed = 1;
	free(tmp);
	tmp = NULL;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd)) {
		dk_fail(err, "%s: %s", dir, strerror(errno));
		if (dfd >= 0)
			close(dfd);
		goto out;
	}
	close(dfd);
	char abs_path[PATH_MAX];
	if (!realpath(path, abs_path))
		snprintf(abs_path, sizeof abs_path, "%s", path);
	int recorded = record(s, r, fmt, abs_path, who, res, err);
	if (recorded && recorded != DK_UNSYNCED) {
		/* every report is on record: one that cannot be is taken back */
		size_t ml = strlen(err->msg);
		snprintf(err->msg + ml, sizeof err->msg - ml,
			 " (report not recorded; %s removed)", path);
		goto out;
	}
	renamed = 0;
	rc = recorded;
out:
	if (fd >= 0)
		close(fd);
	if (tmp)
		unlink(tmp);
	if (renamed)
		unlink(path);
	free(tmp);
	free(dir);
	return rc;
}
