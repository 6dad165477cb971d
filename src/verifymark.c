/* verifymark.c: remembers how far the audit chain was verified (meta keys),
 * so a check can read only the entries appended since. */
#include "docket/verifymark.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docket/clock.h"

/* A meta value as a non-negative integer; 0 when missing or malformed. */
static int64_t verifymark_int(store *s, const char *key)
{
	char *v = store_meta_get(s, key);
	int64_t n = 0;
	if (!v || dk_parse_int64(v, strlen(v), &n) || n < 0)
		n = 0;
	free(v);
	return n;
}

int verifymark_get(store *s, struct verifymark *m, dk_error *err)
{
	(void)err;
	memset(m, 0, sizeof *m);
	memcpy(m->hash, AUDIT_GENESIS, 65);
	char *hash = store_meta_get(s, "verified_hash");
	int64_t seq = verifymark_int(s, "verified_seq");
	if (seq > 0 && hash && strlen(hash) == 64 &&
	    strspn(hash, "0123456789abcdef") == 64) {
		m->seq = seq;
		memcpy(m->hash, hash, 65);
		m->at = verifymark_int(s, "verified_at");
	}
	m->full_at = verifymark_int(s, "verified_full_at");
	free(hash);
	return DK_OK;
}

int verifymark_record(store *s, int64_t seq, const char *hash, int full,
		      dk_error *err)
{
	if (store_begin_write(s, err))
		return DK_ERR;
	char num[32], now[32];
	snprintf(num, sizeof num, "%" PRId64, seq);
	snprintf(now, sizeof now, "%" PRId64, clock_now_ms());
	if (verifymark_int(s, "verified_seq") <= seq &&
	    (store_meta_set(s, "verified_seq", num, err) ||
	     store_meta_set(s, "verified_hash", hash, err) ||
	     store_meta_set(s, "verified_at", now, err)))
		goto fail;
	if (full && store_meta_set(s, "verified_full_at", now, err))
		goto fail;
	return store_commit(s, err);
fail:
	store_rollback(s);
	return DK_ERR;
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
