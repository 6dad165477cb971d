/* audit.c: the hash-chained decision log: canonical encoding, append, head,
 * verification. */
#include "docket/audit.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "docket/clock.h"

#define AUDIT_DOMAIN "docket-audit-v1"

/* An entry's stored fields, as hashed. has_* = 0 means SQL NULL. */
struct audit_row {
	int64_t seq, at;
	const char *reviewer;
	int has_case;
	int64_t case_id;
	const char *action, *model_label, *label, *reason, *note;
	int has_seconds;
	double seconds;
	int has_ref;
	int64_t ref_seq;
	const char *detail;
	const char *prev_hash;
};

static void audit_field(sbuf *b, const char *v, size_t n, int present)
{
	unsigned char len[8];
	uint64_t l = present ? (uint64_t)n : UINT64_MAX;
	for (int i = 0; i < 8; i++)
		len[i] = (unsigned char)(l >> (56 - 8 * i));
	sbuf_add(b, (const char *)len, 8);
	if (present)
		sbuf_add(b, v, n);
}

static void audit_str(sbuf *b, const char *v)
{
	audit_field(b, v, v ? strlen(v) : 0, v != NULL);
}

static void audit_int(sbuf *b, int64_t v, int present)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof tmp, "%" PRId64, v);
	audit_field(b, tmp, (size_t)n, present);
}

/* The fields of r from the reviewer to the detail, encoded, in the three
 * parts PostgreSQL's one-call decision sends apart (audit_middle_split_hex):
 * up to the action, the model label and label, from the reason on. */
static void audit_middle_head(const struct audit_row *r, sbuf *b)
{
	audit_str(b, r->reviewer);
	audit_int(b, r->case_id, r->has_case);
	audit_str(b, r->action);
}

static void audit_middle_tail(const struct audit_row *r, sbuf *b)
{
	char tmp[40];
	audit_str(b, r->reason);
	audit_str(b, r->note);
	int n = snprintf(tmp, sizeof tmp, "%.17g", r->has_seconds ? r->seconds : 0.0);
	audit_field(b, tmp, (size_t)n, r->has_seconds);
	audit_int(b, r->ref_seq, r->has_ref);
	audit_str(b, r->detail);
}

static void audit_middle(const struct audit_row *r, sbuf *b)
{
	audit_middle_head(r, b);
	audit_str(b, r->model_label);
	audit_str(b, r->label);
	audit_middle_tail(r, b);
}

/* The canonical encoding of r, hashed into hex (65 bytes). PostgreSQL's
 * one-call append (decide(), engine/pg_roles.c) encodes the domain, seq,
 * time and previous hash around audit_middle's bytes the same way;
 * t_pg_decide checks both on awkward values. */
static void audit_hash(const struct audit_row *r, sbuf *b, char *hex)
{
	sbuf_reset(b);
	audit_str(b, AUDIT_DOMAIN);
	audit_int(b, r->seq, 1);
	audit_int(b, r->at, 1);
	audit_middle(r, b);
	audit_str(b, r->prev_hash);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)b->buf, b->len);
	sodium_bin2hex(hex, 65, h, sizeof h);
}

static void digest_len(unsigned char *p, uint64_t l)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(l >> (56 - 8 * i));
}

void audit_gold_mac_hex(const char *salt, const char *gold, size_t n, char *out)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)salt, strlen(salt));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)gold, n);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, 65, mac, sizeof mac);
}

void audit_case_digest(dk_sha256 *st, const audit_case *c, int form,
		       const char *salt)
{
	/* Fixed-size fields go into one buffer and one update with the
	 * text around them: few calls per row (import's hot path). Both
	 * tags are the same length. */
	static const char tag1[] = "docket-case-v1", tag2[] = "docket-case-v2";
	unsigned char head[8 + sizeof tag1 - 1 + 16];
	digest_len(head, sizeof tag1 - 1);
	memcpy(head + 8, form == AUDIT_DIGEST_V1 ? tag1 : tag2, sizeof tag1 - 1);
	unsigned char *p = head + 8 + sizeof tag1 - 1;
	digest_len(p, 8);
	digest_len(p + 8, (uint64_t)c->line);
	dk_sha256_update(st, head, sizeof head);
	for (int i = 0; i < AUDIT_CASE_TEXTS; i++) {
		const char *v = c->v[i];
		int n = c->len[i];
		char mac[65];
		/* form 2: the gold label keyed, so that only a holder of
		 * the salt can test a guess of it against the digest */
		if (i == AUDIT_CASE_GOLD && n >= 0 && form != AUDIT_DIGEST_V1) {
			audit_gold_mac_hex(salt ? salt : "", v, (size_t)n, mac);
			v = mac;
			n = 64;
		}
		unsigned char len[8];
		digest_len(len, n < 0 ? UINT64_MAX : (uint64_t)n);
		dk_sha256_update(st, len, 8);
		if (n > 0)
			dk_sha256_update(st, v, (size_t)n);
	}
	unsigned char tail[4 * 16];
	size_t n = 0;
	double d[3] = {c->confidence, c->margin, c->entropy};
	for (int i = 0; i < 3; i++) {
		if (i > 0 && !c->has_features) {
			digest_len(tail + n, UINT64_MAX);
			n += 8;
			continue;
		}
		uint64_t bits;
		memcpy(&bits, &d[i], 8);
		digest_len(tail + n, 8);
		digest_len(tail + n + 8, bits);
		n += 16;
	}
	digest_len(tail + n, 8);
	digest_len(tail + n + 8, (uint64_t)c->priority);
	n += 16;
	dk_sha256_update(st, tail, n);
}

void audit_sha256_hex(const char *v, size_t n, char *out)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)v, n);
	sodium_bin2hex(out, 65, h, sizeof h);
}

/* The newest entry by sql (seq, hash, at), or the genesis when the log is
 * empty: audit_head's read and the append's. */
static int audit_read_head(store *s, const char *sql, int64_t *seq, char *hash,
			   int64_t *at, dk_error *err)
{
	db_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return DK_ERR;
	*seq = 0;
	*at = 0;
	snprintf(hash, 65, "%s", AUDIT_GENESIS);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		const char *h = (const char *)db_col_text(st, 1);
		*seq = db_col_int64(st, 0);
		snprintf(hash, 65, "%s", h ? h : "");
		*at = db_col_int64(st, 2);
	}
	store_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return store_fail(s, err, "reading the log's head");
	return DK_OK;
}

#define AUDIT_HEAD_SQL "SELECT seq, hash, at FROM decisions ORDER BY seq DESC LIMIT 1"

int audit_head(store *s, int64_t *seq, char *hash, dk_error *err)
{
	int64_t at;
	return audit_read_head(s, AUDIT_HEAD_SQL, seq, hash, &at, err);
}

static void bind_text_or_null(db_stmt *st, int i, const char *v)
{
	if (v)
		db_bind_text(st, i, v, -1, DB_STATIC);
	else
		db_bind_null(st, i);
}

/* The time an entry appended now records: the clock, but never earlier than
 * the previous entry's time. A clock stepped back (NTP, a VM resumed, a
 * fixed DOCKET_NOW) would otherwise make times fall along the chain, and
 * `docket log --since/--until` turns a time range into a seq range with two
 * seeks in decisions_at, which is exact only while times never fall.
 * Trade-off: after a backward step, entries carry the previous entry's time
 * (later than the wall clock, by at most the step) until the clock catches
 * up; a clock that jumped far ahead pins later times until it is reached.
 * The alternative, times as read and a range lookup of min(seq) over every
 * entry at or after --since, keeps wall times but makes the filter a scan
 * of the log's tail. Order is always seq; the hash covers the time stored. */
static int64_t audit_not_before(int64_t last_at, int64_t now)
{
	return last_at > now ? last_at : now;
}

/* The head to append after, and its time (0 for none), in one read. The
 * chain lock comes first: appends by concurrent writers take one order
 * (store.h). */
static int audit_tail(store *s, int64_t *seq, char *hash, int64_t *at,
		      dk_error *err)
{
	/* PostgreSQL: the lock and the read in one round trip (chain_head,
	 * engine/pg_schema.c): every round trip from here to the commit is
	 * time every other writer waits. */
	int pg = store_engine(s) == STORE_POSTGRES;
	if (!pg && store_chain_lock(s, err))
		return DK_ERR;
	return audit_read_head(s, pg ? "SELECT seq, hash, at FROM chain_head()"
				     : AUDIT_HEAD_SQL,
			       seq, hash, at, err);
}

/* The row of an entry to append: what the entry says (seq, at and the
 * previous hash are the chain's, filled in by the caller). */
static struct audit_row audit_row_of(const audit_entry *e)
{
	struct audit_row r = {
		.reviewer = e->reviewer,
		.has_case = e->case_id != 0,
		.case_id = e->case_id,
		.action = e->action,
		.model_label = e->model_label,
		.label = e->label,
		.reason = e->reason,
		.note = e->note,
		.has_seconds = !isnan(e->seconds),
		.seconds = e->seconds,
		.has_ref = e->ref_seq != 0,
		.ref_seq = e->ref_seq,
		.detail = e->detail,
	};
	return r;
}

static void audit_add_hex(sbuf *out, const sbuf *b)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->buf[i];
		sbuf_addc(out, hex[c >> 4]);
		sbuf_addc(out, hex[c & 15]);
	}
}

void audit_middle_split_hex(const audit_entry *e, sbuf *head, sbuf *tail)
{
	struct audit_row r = audit_row_of(e);
	sbuf b = {0};
	audit_middle_head(&r, &b);
	audit_add_hex(head, &b);
	sbuf_reset(&b);
	audit_middle_tail(&r, &b);
	audit_add_hex(tail, &b);
	sbuf_free(&b);
}

int audit_append(store *s, const audit_entry *e, int64_t *seq_out, char *hash_out,
		 dk_error *err)
{
	if (!store_in_txn(s))
		return dk_fail(err, "%s: internal error: audit entry outside a "
				    "write transaction", store_path(s));
	if (!e->reviewer || !e->action)
		return dk_fail(err, "%s: internal error: audit entry without "
				    "reviewer or action", store_path(s));
	int64_t head, last_at;
	char prev[65], hash[65];
	if (audit_tail(s, &head, prev, &last_at, err))
		return DK_ERR;
	struct audit_row r = audit_row_of(e);
	r.seq = head + 1;
	r.at = audit_not_before(last_at, clock_now_ms());
	r.prev_hash = prev;
	sbuf b = {0};
	audit_hash(&r, &b, hash);
	sbuf_free(&b);
	db_stmt *st = store_stmt(
		s,
		"INSERT INTO decisions(seq, at, reviewer, case_id, action,"
		" model_label, label, reason, note, seconds, ref_seq, detail,"
		" prev_hash, hash)"
		" VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)",
		err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, r.seq);
	db_bind_int64(st, 2, r.at);
	db_bind_text(st, 3, r.reviewer, -1, DB_STATIC);
	if (r.has_case)
		db_bind_int64(st, 4, r.case_id);
	db_bind_text(st, 5, r.action, -1, DB_STATIC);
	bind_text_or_null(st, 6, r.model_label);
	bind_text_or_null(st, 7, r.label);
	bind_text_or_null(st, 8, r.reason);
	bind_text_or_null(st, 9, r.note);
	if (r.has_seconds)
		db_bind_double(st, 10, r.seconds);
	if (r.has_ref)
		db_bind_int64(st, 11, r.ref_seq);
	bind_text_or_null(st, 12, r.detail);
	db_bind_text(st, 13, prev, -1, DB_STATIC);
	db_bind_text(st, 14, hash, -1, DB_STATIC);
	int rc = db_step(st);
	store_done(st);
	if (rc != DB_DONE)
		return store_fail(s, err, "appending to the decision log");
	if (seq_out)
		*seq_out = r.seq;
	if (hash_out)
		memcpy(hash_out, hash, 65);
	return DK_OK;
}

static const char *col_text(db_stmt *st, int i)
{
	return db_col_type(st, i) == DB_NULL
		       ? NULL
		       : (const char *)db_col_text(st, i);
}

/* The first numeric column of a decisions row (as verify selects it) that
 * holds something else: verify reads them as numbers, so text such as
 * '3abc' in ref_seq would hash as 3 (found by fuzz/fuzz_verify.c). */
static const char *audit_bad_type(db_stmt *st)
{
	static const struct {
		int col;
		const char *name;
		int real_ok;
	} num_cols[] = {{0, "seq", 0}, {1, "at", 0}, {3, "case_id", 0},
			{9, "seconds", 1}, {10, "ref_seq", 0}};
	for (size_t i = 0; i < sizeof num_cols / sizeof num_cols[0]; i++) {
		int t = db_col_type(st, num_cols[i].col);
		if (t != DB_NULL && t != DB_INTEGER &&
		    !(t == DB_FLOAT && num_cols[i].real_ok))
			return num_cols[i].name;
	}
	return NULL;
}

/* The first text column of a decisions row (as verify selects it) whose
 * value holds a NUL byte, or NULL. Docket never writes one; the encoding
 * hashes a field up to its first NUL, so bytes after it would be data the
 * hash does not cover (found by fuzz/fuzz_verify.c). */
static const char *audit_nul_field(db_stmt *st)
{
	static const struct {
		int col;
		const char *name;
	} text_cols[] = {{2, "reviewer"}, {4, "action"}, {5, "model_label"},
			 {6, "label"}, {7, "reason"}, {8, "note"}, {11, "detail"},
			 {12, "prev_hash"}, {13, "hash"}};
	for (size_t i = 0; i < sizeof text_cols / sizeof text_cols[0]; i++) {
		const char *v = col_text(st, text_cols[i].col);
		if (v && strlen(v) != (size_t)db_col_bytes(st, text_cols[i].col))
			return text_cols[i].name;
	}
	return NULL;
}

/* Parse "SEQ:HASH" (hash: 64 hex digits). */
static int audit_parse_head(const char *text, int64_t *seq, char *hash)
{
	const char *colon = strchr(text, ':');
	if (!colon || dk_parse_int64(text, (size_t)(colon - text), seq) || *seq < 0)
		return 1;
	const char *h = colon + 1;
	if (strlen(h) != 64 || strspn(h, "0123456789abcdefABCDEF") != 64)
		return 1;
	for (int i = 0; i < 64; i++)
		hash[i] = (char)((h[i] >= 'A' && h[i] <= 'F') ? h[i] - 'A' + 'a' : h[i]);
	hash[64] = '\0';
	return 0;
}

static int audit_bad(audit_report *rep, dk_error *err, int64_t seq,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int audit_bad(audit_report *rep, dk_error *err, int64_t seq,
		     const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(rep->problem, sizeof rep->problem, fmt, ap);
	va_end(ap);
	rep->bad_seq = seq;
	return dk_fail(err, "%s", rep->problem);
}

/* Check the chain from entry from (0: from the genesis) with hash
 * from_hash to the head; see audit_verify and audit_verify_from. */
static int audit_check(store *s, int64_t from, const char *from_hash,
		       const char *expect_head, audit_report *rep, dk_error *err)
{
	memset(rep, 0, sizeof *rep);
	snprintf(rep->head_hash, sizeof rep->head_hash, "%s", AUDIT_GENESIS);
	int64_t want_seq = -1;
	char want_hash[65] = "";
	if (expect_head && audit_parse_head(expect_head, &want_seq, want_hash)) {
		dk_fail(err, "--expect-head '%s': expected SEQ:HASH (a number, a "
			     "colon and 64 hex digits), as printed by docket verify",
			expect_head);
		return DK_USAGE;
	}
	if (store_begin_read(s, err))
		return DK_ERR;
	db_stmt *st = store_stmt(
		s,
		"SELECT seq, at, reviewer, case_id, action, model_label, label,"
		" reason, note, seconds, ref_seq, detail, prev_hash, hash"
		" FROM decisions WHERE seq >= ?1 ORDER BY seq",
		err);
	if (!st) {
		store_rollback(s);
		return DK_ERR;
	}
	db_bind_int64(st, 1, from);
	int rc = DK_OK, step;
	char prev[65], hash[65];
	/* from > 0: entry from itself comes first; its own link back was
	 * checked when it was verified, its hash must be the one given */
	int64_t prev_seq = from > 0 ? from - 1 : 0;
	int anchor = from > 0;
	int found_expected = 0;
	memcpy(prev, AUDIT_GENESIS, 65);
	sbuf b = {0};
	while ((step = db_step(st)) == DB_ROW) {
		/* before any column is read as another type (that converts) */
		const char *type = audit_bad_type(st);
		struct audit_row r = {
			.seq = db_col_int64(st, 0),
			.at = db_col_int64(st, 1),
			.reviewer = col_text(st, 2),
			.has_case = db_col_type(st, 3) != DB_NULL,
			.case_id = db_col_int64(st, 3),
			.action = col_text(st, 4),
			.model_label = col_text(st, 5),
			.label = col_text(st, 6),
			.reason = col_text(st, 7),
			.note = col_text(st, 8),
			.has_seconds = db_col_type(st, 9) != DB_NULL,
			.seconds = db_col_double(st, 9),
			.has_ref = db_col_type(st, 10) != DB_NULL,
			.ref_seq = db_col_int64(st, 10),
			.detail = col_text(st, 11),
			.prev_hash = col_text(st, 12),
		};
		const char *stored = col_text(st, 13);
		rep->entries++;
		if (r.seq != prev_seq + 1) {
			rc = audit_bad(rep, err, r.seq,
				       r.seq > prev_seq + 1
					       ? "entry %" PRId64 ": entries %" PRId64
						 " to %" PRId64 " are missing (deleted)"
					       : "entry %" PRId64 ": out of sequence",
				       r.seq, prev_seq + 1, r.seq - 1);
			break;
		}
		const char *nul = audit_nul_field(st);
		if (type) {
			rc = audit_bad(rep, err, r.seq,
				       "entry %" PRId64 ": its %s is not a number, "
				       "hiding bytes from its hash (the entry was "
				       "edited)",
				       r.seq, type);
			break;
		}
		if (nul) {
			rc = audit_bad(rep, err, r.seq,
				       "entry %" PRId64 ": its %s holds a NUL byte, "
				       "hiding bytes from its hash (the entry was "
				       "edited)",
				       r.seq, nul);
			break;
		}
		if (!anchor && (!r.prev_hash || strcmp(r.prev_hash, prev) != 0)) {
			rc = audit_bad(rep, err, r.seq,
				       "entry %" PRId64 ": does not chain to entry %" PRId64
				       " (prev_hash differs: an entry before it was "
				       "removed, inserted or rewritten)",
				       r.seq, prev_seq);
			break;
		}
		audit_hash(&r, &b, hash);
		if (!stored || strcmp(stored, hash) != 0) {
			rc = audit_bad(rep, err, r.seq,
				       "entry %" PRId64 ": content does not match its "
				       "hash (the entry was edited)",
				       r.seq);
			break;
		}
		if (anchor && strcmp(hash, from_hash) != 0) {
			rc = audit_bad(rep, err, r.seq,
				       "entry %" PRId64 ": hash %s is not the verified "
				       "%s (the log was rewritten since it was verified)",
				       r.seq, hash, from_hash);
			break;
		}
		anchor = 0;
		if (r.seq == want_seq) {
			if (strcmp(hash, want_hash) != 0) {
				rc = audit_bad(rep, err, r.seq,
					       "entry %" PRId64 ": hash %s is not the "
					       "expected head %s (the log was rewritten "
					       "from here or before)",
					       r.seq, hash, want_hash);
				break;
			}
			found_expected = 1;
		}
		memcpy(prev, hash, 65);
		prev_seq = r.seq;
		rep->head_seq = r.seq;
		memcpy(rep->head_hash, hash, 65);
	}
	if (rc == DK_OK && step != DB_DONE)
		rc = store_fail(s, err, "reading the decision log");
	store_done(st);
	store_rollback(s);
	sbuf_free(&b);
	if (rc == DK_OK && want_seq > 0 && !found_expected)
		rc = audit_bad(rep, err, rep->head_seq + 1,
			       "the log ends at entry %" PRId64 " but the expected "
			       "head is entry %" PRId64 ": entries %" PRId64
			       " to %" PRId64 " were removed from the tail",
			       rep->head_seq, want_seq, rep->head_seq + 1, want_seq);
	if (rc == DK_OK && want_seq == 0 && strcmp(want_hash, AUDIT_GENESIS) != 0)
		rc = audit_bad(rep, err, 0, "expected head 0 must have the genesis hash");
	if (rc == DK_OK && anchor) {
		int64_t head = 0;
		char head_hash[65];
		audit_head(s, &head, head_hash, err);
		rc = audit_bad(rep, err, from,
			       "entry %" PRId64 " (verified before) is gone: the log "
			       "ends at entry %" PRId64,
			       from, head);
	}
	return rc;
}

int audit_verify(store *s, const char *expect_head, audit_report *rep,
		 dk_error *err)
{
	return audit_check(s, 0, AUDIT_GENESIS, expect_head, rep, err);
}

int audit_verify_from(store *s, int64_t seq, const char *hash, audit_report *rep,
		      dk_error *err)
{
	if (seq == 0 && strcmp(hash, AUDIT_GENESIS) != 0) {
		memset(rep, 0, sizeof *rep);
		return audit_bad(rep, err, 0, "entry 0 must have the genesis hash");
	}
	return audit_check(s, seq, hash, NULL, rep, err);
}
