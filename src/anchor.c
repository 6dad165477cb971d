/* anchor.c: supervisors' Ed25519 keys, signed anchors of the audit chain's
 * head, and their verification. */
#include "docket/anchor.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "docket/audit.h"
#include "docket/clock.h"

#define PK_HEX (2 * crypto_sign_PUBLICKEYBYTES + 1)
#define SK_HEX (2 * crypto_sign_SECRETKEYBYTES + 1)
#define SIG_HEX (2 * crypto_sign_BYTES + 1)

const char *anchor_key_default_path(char *buf, size_t len, int secret)
{
	const char *name = secret ? "anchor.key" : "anchor.pub";
	const char *xdg = getenv("XDG_CONFIG_HOME");
	if (xdg && *xdg == '/') {
		snprintf(buf, len, "%s/docket/%s", xdg, name);
		return buf;
	}
	const char *home = getenv("HOME");
	if (home && *home) {
		snprintf(buf, len, "%s/.config/docket/%s", home, name);
		return buf;
	}
	return NULL;
}

void anchor_key_generate(anchor_key *k)
{
	crypto_sign_keypair(k->pk, k->sk);
	k->has_secret = 1;
}

/* mkdir -p of path's directory, each new level 0700. */
static int anchor_mkdirs(const char *path, dk_error *err)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return DK_OK;
	*slash = '\0';
	for (char *p = dir + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST)
			return dk_fail(err, "%s: cannot create: %s", dir, strerror(errno));
		*p = c;
		if (!c)
			break;
	}
	return DK_OK;
}

/* Write text to path, new (or replaced when force), with mode. O_NOFOLLOW:
 * a planted symlink never redirects a key. */
static int anchor_write_file(const char *path, const char *text, mode_t mode,
			     int force, dk_error *err)
{
	int flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC |
		    (force ? O_TRUNC : O_EXCL);
	int fd = open(path, flags, mode);
	if (fd < 0) {
		if (errno == EEXIST)
			return dk_fail(err, "%s: already exists (a key is never "
					    "overwritten; --force replaces it)", path);
		return dk_fail(err, "%s: cannot create: %s", path, strerror(errno));
	}
	size_t n = strlen(text);
	int ok = write(fd, text, n) == (ssize_t)n && fchmod(fd, mode) == 0 &&
		 fsync(fd) == 0;
	int saved = errno;
	if (close(fd) || !ok)
		return dk_fail(err, "%s: cannot write: %s", path, strerror(saved));
	return DK_OK;
}

void anchor_key_format_public(const anchor_key *k, const char *name, sbuf *out)
{
	char hex[PK_HEX];
	sodium_bin2hex(hex, sizeof hex, k->pk, sizeof k->pk);
	sbuf_printf(out, "%s %s %s", ANCHOR_PUB_TAG, hex, name ? name : "");
}

int anchor_key_write(const anchor_key *k, const char *secret_path,
		     const char *pub_path, const char *comment, int force,
		     dk_error *err)
{
	char hex[SK_HEX];
	sbuf b = {0};
	sodium_bin2hex(hex, sizeof hex, k->sk, sizeof k->sk);
	sbuf_printf(&b, "%s %s\n", ANCHOR_SECRET_TAG, hex);
	sodium_memzero(hex, sizeof hex);
	int rc = anchor_mkdirs(secret_path, err);
	if (!rc)
		rc = anchor_write_file(secret_path, sbuf_str(&b), 0600, force, err);
	sodium_memzero(b.buf, b.len);
	sbuf_reset(&b);
	if (!rc) {
		anchor_key_format_public(k, comment, &b);
		sbuf_addc(&b, '\n');
		rc = anchor_mkdirs(pub_path, err);
		if (!rc)
			rc = anchor_write_file(pub_path, sbuf_str(&b), 0644, 1, err);
	}
	sbuf_free(&b);
	return rc;
}

/* The first line of a key file (at most len-1 bytes, newline cut) into buf.
 * secret: refuse a file that group or others may read. */
static int anchor_read_line(const char *path, int secret, char *buf, size_t len,
			    dk_error *err)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return dk_fail(err, "%s: cannot open: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return dk_fail(err, "%s: not a regular file", path);
	}
	if (secret && (st.st_mode & 077)) {
		close(fd);
		return dk_fail(err, "%s: a secret key must be readable by its owner "
				    "only (chmod 600 %s)", path, path);
	}
	ssize_t n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return dk_fail(err, "%s: cannot read: %s", path, strerror(errno));
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	return DK_OK;
}

/* hex (exactly 2*n digits, then the end or a space) into bin. */
static int anchor_hex(const char *hex, unsigned char *bin, size_t n)
{
	size_t got = 0;
	const char *end = NULL;
	if (sodium_hex2bin(bin, n, hex, strlen(hex), NULL, &got, &end) || got != n)
		return -1;
	return (*end == '\0' || *end == ' ') ? 0 : -1;
}

int anchor_key_read_secret(const char *path, anchor_key *k, dk_error *err)
{
	char line[SK_HEX + 64];
	if (anchor_read_line(path, 1, line, sizeof line, err))
		return DK_ERR;
	size_t tag = strlen(ANCHOR_SECRET_TAG);
	int rc = DK_OK;
	if (strncmp(line, ANCHOR_SECRET_TAG " ", tag + 1) ||
	    anchor_hex(line + tag + 1, k->sk, sizeof k->sk))
		rc = dk_fail(err, "%s:1: not a docket secret key (expected "
				  "'%s' and %d hex digits)", path, ANCHOR_SECRET_TAG,
			     (int)(2 * crypto_sign_SECRETKEYBYTES));
	else if (crypto_sign_ed25519_sk_to_pk(k->pk, k->sk))
		rc = dk_fail(err, "%s: not a valid Ed25519 secret key", path);
	else
		k->has_secret = 1;
	sodium_memzero(line, sizeof line);
	return rc;
}

int anchor_key_read_public(const char *path, anchor_key *k, dk_error *err)
{
	char line[SK_HEX + 256];
	memset(k, 0, sizeof *k);
	size_t tag = strlen(ANCHOR_PUB_TAG);
	if (!*path)
		return dk_fail(err, "an empty key file name");
	/* A secret key file names its public half too; never require a
	 * trusted key file to be secret, so read it without the mode check
	 * only after seeing it is a public one. */
	if (anchor_read_line(path, 0, line, sizeof line, err))
		return DK_ERR;
	if (!strncmp(line, ANCHOR_SECRET_TAG " ", strlen(ANCHOR_SECRET_TAG) + 1)) {
		sodium_memzero(line, sizeof line);
		int rc = anchor_key_read_secret(path, k, err);
		sodium_memzero(k->sk, sizeof k->sk);
		k->has_secret = 0;
		return rc;
	}
	if (strncmp(line, ANCHOR_PUB_TAG " ", tag + 1) ||
	    anchor_hex(line + tag + 1, k->pk, sizeof k->pk))
		return dk_fail(err, "%s:1: not a docket public key (expected '%s' "
				    "and %d hex digits)", path, ANCHOR_PUB_TAG,
			       (int)(2 * crypto_sign_PUBLICKEYBYTES));
	return DK_OK;
}

/* The bytes a signature covers. Text, one field a line, so that a person
 * can check a signature with any Ed25519 tool. */
static void anchor_message(sbuf *b, const char *store_id, int64_t seq,
			   const char *hash, int64_t at, const char *by)
{
	sbuf_reset(b);
	sbuf_printf(b, "%s\nstore=%s\nseq=%" PRId64 "\nhash=%s\nat=%" PRId64
		       "\nby=%s\n", ANCHOR_LINE_TAG, store_id, seq, hash, at, by);
}

/* The store's id (meta store_id) in *id (malloc'd; NULL when there is none
 * and !create), made on first use inside the caller's write transaction. A
 * failed read is DK_ERR, never "no id yet": a new id would orphan the
 * anchors already signed. */
static int anchor_store_id(store *s, int create, char **id, dk_error *err)
{
	if (store_meta_get(s, "store_id", id, err))
		return DK_ERR;
	if (*id || !create)
		return DK_OK;
	unsigned char raw[16];
	char hex[33];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
	if (store_meta_set(s, "store_id", hex, err))
		return DK_ERR;
	*id = dk_xstrdup(hex);
	return DK_OK;
}

static int anchor_sign_head_once(store *s, const anchor_key *k, const char *by,
				 sbuf *line, int64_t *anchor_seq, dk_error *err)
{
	if (store_begin_write(s, err))
		return DK_ERR;
	int64_t seq, at = clock_now_ms();
	char hash[65], pk[PK_HEX], sig_hex[SIG_HEX];
	unsigned char sig[crypto_sign_BYTES];
	sbuf msg = {0}, detail = {0};
	char *id = NULL;
	if (anchor_store_id(s, 1, &id, err) || audit_head(s, &seq, hash, err))
		goto fail;
	if (seq == 0) {
		dk_fail(err, "%s: the log is empty: there is no head to sign",
			store_path(s));
		goto fail;
	}
	anchor_message(&msg, id, seq, hash, at, by);
	crypto_sign_detached(sig, NULL, (const unsigned char *)msg.buf, msg.len,
			     k->sk);
	sodium_bin2hex(pk, sizeof pk, k->pk, sizeof k->pk);
	sodium_bin2hex(sig_hex, sizeof sig_hex, sig, sizeof sig);
	sbuf_printf(&detail, "{\"store\":\"%s\",\"seq\":%" PRId64 ",\"hash\":\"%s\","
			     "\"at\":%" PRId64 ",\"key\":\"%s\",\"sig\":\"%s\"}",
		    id, seq, hash, at, pk, sig_hex);
	audit_entry e = {.reviewer = by, .action = ACTION_ANCHOR,
			 .seconds = NAN, .detail = sbuf_str(&detail)};
	if (audit_append(s, &e, anchor_seq, NULL, err) || store_commit(s, err))
		goto fail;
	sbuf_printf(line, "%s store=%s seq=%" PRId64 " hash=%s at=%" PRId64
			  " key=%s sig=%s by=%s", ANCHOR_LINE_TAG, id, seq, hash,
		    at, pk, sig_hex, by);
	free(id);
	sbuf_free(&msg);
	sbuf_free(&detail);
	return DK_OK;
fail:
	store_rollback(s);
	free(id);
	sbuf_free(&msg);
	sbuf_free(&detail);
	return DK_ERR;
}

int anchor_sign_head(store *s, const anchor_key *k, const char *by, sbuf *line,
		     int64_t *anchor_seq, dk_error *err)
{
	if (!k->has_secret)
		return dk_fail(err, "signing needs a secret key");
	/* it waits for the chain lock holding the writer lock: a session
	 * holding the one and asking for the other (t_pg_retry) makes it a
	 * deadlock's victim, which wrote and printed nothing: it signs the
	 * head afresh (store_retry) */
	int rc, tries = 0;
	do
		rc = anchor_sign_head_once(s, k, by, line, anchor_seq, err);
	while (rc == DK_ERR && store_retry(s, &tries));
	return rc;
}

static int anchor_problem(anchor_report *rep, dk_error *err, int64_t seq,
			  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int anchor_problem(anchor_report *rep, dk_error *err, int64_t seq,
			  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(rep->problem, sizeof rep->problem, fmt, ap);
	va_end(ap);
	rep->bad_seq = seq;
	return dk_fail(err, "%s", rep->problem);
}

static int anchor_trusted(const anchor_key *trusted, size_t n,
			  const unsigned char *pk)
{
	for (size_t i = 0; i < n; i++)
		if (!memcmp(trusted[i].pk, pk, crypto_sign_PUBLICKEYBYTES))
			return 1;
	return 0;
}

/* One signed claim: from an anchor entry or a kept line. */
struct anchor_claim {
	const char *store_id, *hash, *by, *key_hex, *sig_hex;
	int64_t seq, at;
};

/* Check c's signature (and, with trusted keys, its signer). "" when good,
 * else what is wrong, in why. */
static void anchor_check_claim(const struct anchor_claim *c,
			       const anchor_key *trusted, size_t ntrusted,
			       sbuf *msg, char *why, size_t len)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sig[crypto_sign_BYTES];
	why[0] = '\0';
	if (!c->key_hex || !c->sig_hex || !c->hash || !c->store_id || !c->by ||
	    anchor_hex(c->key_hex, pk, sizeof pk) ||
	    anchor_hex(c->sig_hex, sig, sizeof sig)) {
		snprintf(why, len, "malformed (a field is missing or not hex)");
		return;
	}
	anchor_message(msg, c->store_id, c->seq, c->hash, c->at, c->by);
	if (crypto_sign_verify_detached(sig, (const unsigned char *)msg->buf,
					msg->len, pk)) {
		snprintf(why, len, "its signature does not match what it signs "
				   "(seq %" PRId64 ", hash %.12s..., by %s)",
			 c->seq, c->hash, c->by);
		return;
	}
	if (ntrusted && !anchor_trusted(trusted, ntrusted, pk))
		snprintf(why, len, "it is signed by key %.16s..., which is not "
				   "among the trusted keys", c->key_hex);
}

/* The stored hash of entry seq into hash (65; "" when there is no such
 * entry). A failed read is DK_ERR: it must not read as a rewritten log. */
static int anchor_entry_hash(store *s, int64_t seq, char *hash, dk_error *err)
{
	hash[0] = '\0';
	db_stmt *st = store_stmt(s, "SELECT hash FROM decisions WHERE seq = ?1",
				      err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, seq);
	if (db_step(st) == DB_ROW) {
		const char *h = (const char *)db_col_text(st, 0);
		snprintf(hash, 65, "%s", h ? h : "");
	}
	if (store_done(st) != DB_OK)
		return store_fail(s, err, "reading a log entry");
	return DK_OK;
}

/* *in: whether entry seq is the anchor with signature sig_hex. */
static int anchor_in_log(store *s, int64_t seq, const char *sig_hex, int *in,
			 dk_error *err)
{
	*in = 0;
	db_stmt *st = store_stmt(
		s,
		"SELECT 1 FROM decisions WHERE seq = ?1 AND action = 'anchor'"
		" AND detail->>'$.sig' = ?2",
		err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, seq);
	db_bind_text(st, 2, sig_hex, -1, DB_STATIC);
	*in = db_step(st) == DB_ROW;
	if (store_done(st) != DB_OK)
		return store_fail(s, err, "reading a log entry");
	return DK_OK;
}

/* Split a kept line into c (pointing into buf, which it edits). */
static int anchor_parse_line(char *buf, struct anchor_claim *c)
{
	memset(c, 0, sizeof *c);
	size_t tag = strlen(ANCHOR_LINE_TAG);
	if (strncmp(buf, ANCHOR_LINE_TAG " ", tag + 1))
		return -1;
	char *p = buf + tag + 1;
	while (*p) {
		char *eq = strchr(p, '=');
		if (!eq)
			return -1;
		*eq = '\0';
		char *v = eq + 1;
		if (!strcmp(p, "by")) { /* last: a name may hold spaces */
			c->by = v;
			break;
		}
		char *sp = strchr(v, ' ');
		if (sp)
			*sp = '\0';
		if (!strcmp(p, "store"))
			c->store_id = v;
		else if (!strcmp(p, "hash"))
			c->hash = v;
		else if (!strcmp(p, "key"))
			c->key_hex = v;
		else if (!strcmp(p, "sig"))
			c->sig_hex = v;
		else if (!strcmp(p, "seq") || !strcmp(p, "at")) {
			int64_t x;
			if (dk_parse_int64(v, strlen(v), &x))
				return -1;
			*(!strcmp(p, "seq") ? &c->seq : &c->at) = x;
		} else
			return -1;
		if (!sp)
			break;
		p = sp + 1;
	}
	return c->by ? 0 : -1;
}

static const char *col_text(db_stmt *st, int i)
{
	return (const char *)db_col_text(st, i);
}

int anchor_verify(store *s, const anchor_key *trusted, size_t ntrusted,
		  const char *const *lines, size_t nlines, anchor_report *rep,
		  dk_error *err)
{
	memset(rep, 0, sizeof *rep);
	char why[400], hash[65];
	sbuf msg = {0};
	int rc = DK_OK;
	char *id = NULL;
	if (anchor_store_id(s, 0, &id, err))
		return DK_ERR;
	db_stmt *st = store_stmt(
		s,
		"SELECT seq, reviewer, detail->>'$.store', detail->>'$.seq',"
		" detail->>'$.hash', detail->>'$.at', detail->>'$.key',"
		" detail->>'$.sig'"
		" FROM decisions WHERE action = 'anchor' ORDER BY seq",
		err);
	if (!st) {
		free(id);
		return DK_ERR;
	}
	int step;
	while (rc == DK_OK && (step = db_step(st)) == DB_ROW) {
		int64_t seq = db_col_int64(st, 0);
		struct anchor_claim c = {
			.by = col_text(st, 1), .store_id = col_text(st, 2),
			.seq = db_col_int64(st, 3), .hash = col_text(st, 4),
			.at = db_col_int64(st, 5), .key_hex = col_text(st, 6),
			.sig_hex = col_text(st, 7)};
		anchor_check_claim(&c, trusted, ntrusted, &msg, why, sizeof why);
		if (why[0])
			rc = anchor_problem(rep, err, seq, "anchor at entry %" PRId64
					    ": %s", seq, why);
		else if (!id || strcmp(c.store_id, id))
			rc = anchor_problem(rep, err, seq, "anchor at entry %" PRId64
					    " was made in another store (%s)", seq,
					    c.store_id);
		else if (c.seq != seq - 1)
			rc = anchor_problem(rep, err, seq, "anchor at entry %" PRId64
					    " signs entry %" PRId64 ", not the one "
					    "before it: entries were inserted or "
					    "removed", seq, c.seq);
		else if (anchor_entry_hash(s, c.seq, hash, err))
			rc = DK_ERR;
		else if (strcmp(hash, c.hash))
			rc = anchor_problem(rep, err, c.seq, "entry %" PRId64
					    " is not the one anchor %" PRId64 " signed "
					    "(signed hash %.12s..., now %.12s...): the "
					    "log before the anchor was rewritten",
					    c.seq, seq, c.hash, hash);
		else {
			rep->anchors++;
			rep->latest_seq = seq;
		}
	}
	store_done(st);
	if (rc == DK_OK && step != DB_DONE)
		rc = store_fail(s, err, "reading anchors");
	for (size_t i = 0; rc == DK_OK && i < nlines; i++) {
		char *buf = dk_xstrdup(lines[i]);
		struct anchor_claim c;
		int in_log;
		if (anchor_parse_line(buf, &c))
			rc = anchor_problem(rep, err, 0, "kept anchor line %zu is "
					    "not a '%s' line", i + 1, ANCHOR_LINE_TAG);
		else if (!ntrusted)
			rc = anchor_problem(rep, err, 0, "kept anchor lines need "
					    "--trust with the keys that signed them");
		else {
			anchor_check_claim(&c, trusted, ntrusted, &msg, why,
					   sizeof why);
			if (why[0])
				rc = anchor_problem(rep, err, 0, "kept anchor line "
						    "%zu: %s", i + 1, why);
			else if (!id || strcmp(c.store_id, id))
				rc = anchor_problem(rep, err, 0, "kept anchor line "
						    "%zu belongs to another store (%s)",
						    i + 1, c.store_id);
			else if (anchor_entry_hash(s, c.seq, hash, err) ||
				 anchor_in_log(s, c.seq + 1, c.sig_hex, &in_log, err))
				rc = DK_ERR;
			else if (strcmp(hash, c.hash) || !in_log)
				rc = anchor_problem(rep, err, c.seq, "kept anchor "
						    "line %zu signs entry %" PRId64
						    ", which the log no longer holds "
						    "as signed: the log was cut or "
						    "rewritten after it", i + 1, c.seq);
			else
				rep->lines++;
		}
		free(buf);
	}
	if (rc == DK_OK && ntrusted && rep->anchors == 0)
		rc = anchor_problem(rep, err, 0, "trusted keys were given but the "
				    "log holds no anchor ('docket anchor' makes "
				    "one)");
	if (rc == DK_OK && rep->latest_seq) {
		int64_t head;
		if (audit_head(s, &head, hash, err))
			rc = DK_ERR;
		else
			rep->after_latest = head - rep->latest_seq;
	}
	free(id);
	sbuf_free(&msg);
	return rc;
}

int anchor_latest(store *s, int64_t *seq, char *by, int64_t *after,
		  dk_error *err)
{
	*seq = 0;
	*after = 0;
	by[0] = '\0';
	db_stmt *st = store_stmt(
		s,
		"SELECT seq, reviewer, (SELECT max(seq) FROM decisions)"
		" FROM decisions WHERE action = 'anchor' ORDER BY seq DESC LIMIT 1",
		err);
	if (!st)
		return DK_ERR;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*seq = db_col_int64(st, 0);
		snprintf(by, 64, "%s", col_text(st, 1) ? col_text(st, 1) : "");
		*after = db_col_int64(st, 2) - *seq;
	}
	store_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return store_fail(s, err, "reading the latest anchor");
	return DK_OK;
}
