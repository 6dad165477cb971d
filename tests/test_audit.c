/* test_audit.c: the hash chain: the documented encoding, append rules, and
 * verify finding edited, deleted, inserted and truncated entries. */
#include "fixture.h"

#include <math.h>
#include <sodium.h>

#include "docket/audit.h"
#include "docket/clock.h"

static void append(store *s, const char *who, const char *note, int64_t *seq,
		   char *hash)
{
	dk_error err = {{0}};
	audit_entry e = {.reviewer = who, .action = "export", .note = note,
			 .seconds = NAN, .detail = "{\"rows\":3}"};
	assert_int_equal(store_begin_write(s, &err), DK_OK);
	if (audit_append(s, &e, seq, hash, &err) != DK_OK)
		fail_msg("append: %s", err.msg);
	assert_int_equal(store_commit(s, &err), DK_OK);
}

static void put(sbuf *b, const char *v)
{
	uint64_t n = v ? strlen(v) : UINT64_MAX;
	for (int i = 0; i < 8; i++)
		sbuf_addc(b, (char)(n >> (56 - 8 * i)));
	if (v)
		sbuf_adds(b, v);
}

static void audit_append__hash__is_sha256_of_documented_encoding(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	clock_set_ms(1700000000123LL);
	int64_t seq;
	char hash[65];
	audit_entry e = {.reviewer = "ann", .action = "reveal", .label = NULL,
			 .note = "n", .seconds = 1.5, .detail = "{}"};
	assert_int_equal(store_begin_write(f->s, &err), DK_OK);
	assert_int_equal(audit_append(f->s, &e, &seq, hash, &err), DK_OK);
	assert_int_equal(store_commit(f->s, &err), DK_OK);
	clock_set_ms(-1);
	assert_int_equal(seq, 1);
	/* Built here from the description in audit.h, not from audit.c. */
	sbuf b = {0};
	put(&b, "docket-audit-v1");
	put(&b, "1");
	put(&b, "1700000000123");
	put(&b, "ann");
	put(&b, NULL);     /* case_id */
	put(&b, "reveal");
	put(&b, NULL);     /* model_label */
	put(&b, NULL);     /* label */
	put(&b, NULL);     /* reason */
	put(&b, "n");
	put(&b, "1.5");
	put(&b, NULL);     /* ref_seq */
	put(&b, "{}");
	put(&b, AUDIT_GENESIS);
	unsigned char h[32];
	char want[65];
	crypto_hash_sha256(h, (const unsigned char *)b.buf, b.len);
	sodium_bin2hex(want, sizeof want, h, sizeof h);
	sbuf_free(&b);
	assert_string_equal(hash, want);
}

static void audit_append__outside_transaction__refused(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	audit_entry e = {.reviewer = "ann", .action = "export", .seconds = NAN};
	assert_int_equal(audit_append(f->s, &e, NULL, NULL, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "outside a write transaction"));
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM decisions"), 0);
}

static void audit_log__update_delete_replace__refused_by_triggers(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	int64_t seq;
	char hash[65];
	append(f->s, "ann", "x", &seq, hash);
	assert_int_equal(store_exec(f->s, "UPDATE decisions SET note = 'y'", &err), DK_ERR);
	assert_non_null(strstr(err.msg, "append-only"));
	assert_int_equal(store_exec(f->s, "DELETE FROM decisions", &err), DK_ERR);
	/* (SQLite's INSERT OR REPLACE; PostgreSQL's upsert) */
	assert_int_equal(store_exec(f->s, store_engine(f->s) == STORE_POSTGRES ?
		"INSERT INTO decisions(seq, at, reviewer, action, prev_hash, hash)"
		" VALUES (1, 0, 'eve', 'accept', 'x', 'y') ON CONFLICT (seq)"
		" DO UPDATE SET reviewer = 'eve'" :
		"INSERT OR REPLACE INTO decisions(seq, at, reviewer, action, prev_hash,"
		" hash) VALUES (1, 0, 'eve', 'accept', 'x', 'y')", &err), DK_ERR);
	assert_non_null(strstr(err.msg, "append-only"));
}

static void audit_verify__intact__reports_head(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	audit_report rep;
	assert_int_equal(audit_verify(f->s, NULL, &rep, &err), DK_OK);
	assert_int_equal(rep.head_seq, 0);
	assert_string_equal(rep.head_hash, AUDIT_GENESIS);
	int64_t seq;
	char hash[65], head[100];
	for (int i = 0; i < 5; i++)
		append(f->s, "ann", "x", &seq, hash);
	assert_int_equal(audit_verify(f->s, NULL, &rep, &err), DK_OK);
	assert_int_equal(rep.entries, 5);
	assert_int_equal(rep.head_seq, 5);
	assert_string_equal(rep.head_hash, hash);
	snprintf(head, sizeof head, "5:%s", hash);
	assert_int_equal(audit_verify(f->s, head, &rep, &err), DK_OK);
	assert_int_equal(audit_verify(f->s, "5:zz", &rep, &err), DK_USAGE);
}

/* Tamper with the log the way an attacker with the file would: drop the
 * triggers first. */
static void tamper(struct fixture *f, const char *sql)
{
	fixture_forge(f->s, sql);
}

static void expect_bad(struct fixture *f, const char *head, int64_t bad,
		       const char *what)
{
	dk_error err = {{0}};
	audit_report rep;
	assert_int_equal(audit_verify(f->s, head, &rep, &err), DK_ERR);
	assert_int_equal(rep.bad_seq, bad);
	if (!strstr(rep.problem, what))
		fail_msg("problem '%s' lacks '%s'", rep.problem, what);
}

static void audit_verify__bytes_hidden_after_nul__named(void **state)
{
	fixture_sqlite_only("PostgreSQL's text cannot hold a NUL byte");
	struct fixture *f = *state;
	int64_t seq;
	char hash[65];
	for (int i = 0; i < 3; i++)
		append(f->s, "ann", "x", &seq, hash);
	/* "ann" + NUL + more: reads as "ann" in C, so the hash still matched */
	tamper(f, "UPDATE decisions SET reviewer = CAST(X'616e6e00626f62' AS TEXT)"
		  " WHERE seq = 2");
	expect_bad(f, NULL, 2, "reviewer holds a NUL byte");
}

static void audit_verify__text_in_number_column__named(void **state)
{
	fixture_sqlite_only("PostgreSQL's typed columns cannot hold text in a number");
	struct fixture *f = *state;
	int64_t seq;
	char hash[65];
	for (int i = 0; i < 3; i++)
		append(f->s, "ann", "x", &seq, hash);
	/* at = '<same number>abc' read as a number hashed the same */
	tamper(f, "UPDATE decisions SET at = CAST(at AS TEXT) || 'abc' WHERE seq = 3");
	expect_bad(f, NULL, 3, "its at is not a number");
}

static void audit_verify__edited_entry__named(void **state)
{
	struct fixture *f = *state;
	int64_t seq;
	char hash[65];
	for (int i = 0; i < 4; i++)
		append(f->s, "ann", "x", &seq, hash);
	tamper(f, "UPDATE decisions SET note = 'y' WHERE seq = 2");
	expect_bad(f, NULL, 2, "edited");
}

static void audit_verify__replaced_hash__named(void **state)
{
	struct fixture *f = *state;
	int64_t seq;
	char hash[65];
	for (int i = 0; i < 4; i++)
		append(f->s, "ann", "x", &seq, hash);
	/* A hash copied from another entry does not fit the content. */
	tamper(f, "UPDATE decisions SET hash = (SELECT hash FROM decisions"
		  " WHERE seq = 4) WHERE seq = 2");
	expect_bad(f, NULL, 2, "edited");
}

static void audit_verify__deleted_entry__named(void **state)
{
	struct fixture *f = *state;
	int64_t seq;
	char hash[65];
	for (int i = 0; i < 4; i++)
		append(f->s, "ann", "x", &seq, hash);
	tamper(f, "DELETE FROM decisions WHERE seq = 2");
	expect_bad(f, NULL, 3, "missing");
}

static void audit_verify__inserted_entry__named(void **state)
{
	struct fixture *f = *state;
	int64_t seq;
	char hash[65];
	for (int i = 0; i < 3; i++)
		append(f->s, "ann", "x", &seq, hash);
	/* Shift entries up and slip a forged one in at 2. */
	tamper(f, "UPDATE decisions SET seq = seq + 10 WHERE seq >= 2;"
		  "INSERT INTO decisions(seq, at, reviewer, action, prev_hash, hash)"
		  " SELECT 2, 0, 'eve', 'accept', hash, hash FROM decisions WHERE seq = 1;"
		  "UPDATE decisions SET seq = seq - 10 + 1 WHERE seq >= 12;");
	expect_bad(f, NULL, 2, "edited");
}

static void audit_verify__truncated_tail__found_with_expected_head(void **state)
{
	struct fixture *f = *state;
	int64_t seq;
	char hash[65], head[100];
	for (int i = 0; i < 4; i++)
		append(f->s, "ann", "x", &seq, hash);
	snprintf(head, sizeof head, "4:%s", hash);
	tamper(f, "DELETE FROM decisions WHERE seq >= 3");
	dk_error err = {{0}};
	audit_report rep;
	assert_int_equal(audit_verify(f->s, NULL, &rep, &err), DK_OK); /* silent */
	expect_bad(f, head, 3, "removed from the tail");
	/* a tail rewritten with the same length is found too */
	append(f->s, "eve", "x", &seq, hash);
	append(f->s, "eve", "x", &seq, hash);
	expect_bad(f, head, 4, "not the expected head");
}

/* A clock stepped back: the entry records the previous entry's time, so
 * times never fall along the chain (and the chain still verifies). */
static void audit_append__clock_stepped_back__at_never_decreases(void **state)
{
	struct fixture *f = *state;
	int64_t seq;
	char hash[65];
	const int64_t clock[] = {100000, 300000, 200000, 250000, 400000};
	const int64_t want[] = {100000, 300000, 300000, 300000, 400000};
	for (int i = 0; i < 5; i++) {
		clock_set_ms(clock[i]);
		append(f->s, "ann", "x", &seq, hash);
	}
	clock_set_ms(-1);
	for (int i = 0; i < 5; i++) {
		char sql[64];
		snprintf(sql, sizeof sql, "SELECT at FROM decisions WHERE seq = %d", i + 1);
		assert_int_equal(fixture_int(f->s, sql), want[i]);
	}
	dk_error err = {{0}};
	audit_report rep;
	assert_int_equal(audit_verify(f->s, NULL, &rep, &err), DK_OK);
}

static void expect_from(store *s, int64_t seq, const char *hash, int64_t bad,
			const char *what)
{
	dk_error err = {{0}};
	audit_report rep;
	assert_int_equal(audit_verify_from(s, seq, hash, &rep, &err), DK_ERR);
	assert_int_equal(rep.bad_seq, bad);
	if (!strstr(rep.problem, what) || strcmp(err.msg, rep.problem))
		fail_msg("problem '%s' lacks '%s'", rep.problem, what);
}

/* The quick check from a verified head: the new entries, chained to it. */
static void audit_verify_from__new_entries__chain_from_verified_head(void **state)
{
	struct fixture *f = *state;
	int64_t seq;
	char h4[65], h5[65], h8[65];
	for (int i = 0; i < 5; i++)
		append(f->s, "ann", "x", &seq, i == 3 ? h4 : h5);
	dk_error err = {{0}};
	audit_report rep;
	assert_int_equal(audit_verify(f->s, NULL, &rep, &err), DK_OK);
	assert_int_equal(rep.head_seq, 5);
	assert_string_equal(rep.head_hash, h5);
	for (int i = 0; i < 3; i++)
		append(f->s, "bob", "y", &seq, h8);
	assert_int_equal(audit_verify_from(f->s, 5, h5, &rep, &err), DK_OK);
	assert_int_equal(rep.entries, 4); /* 5 (re-hashed) and 6-8 */
	assert_int_equal(rep.head_seq, 8);
	assert_string_equal(rep.head_hash, h8);
	assert_int_equal(audit_verify_from(f->s, 8, h8, &rep, &err), DK_OK);
	assert_int_equal(rep.entries, 1);
	assert_int_equal(audit_verify_from(f->s, 0, AUDIT_GENESIS, &rep, &err), DK_OK);
	assert_int_equal(rep.entries, 8);
	/* a head that is not what was verified, or is no longer there */
	expect_from(f->s, 5, h4, 5, "is not the verified");
	expect_from(f->s, 9, h8, 9, "is gone: the log ends at entry 8");
	expect_from(f->s, 0, h5, 0, "genesis");
	/* an entry before the verified head is trusted (the full check finds
	 * it); one after it is checked */
	tamper(f, "UPDATE decisions SET note = 'z' WHERE seq = 2");
	assert_int_equal(audit_verify_from(f->s, 5, h5, &rep, &err), DK_OK);
	expect_bad(f, NULL, 2, "content does not match");
	tamper(f, "UPDATE decisions SET note = 'z' WHERE seq = 7");
	expect_from(f->s, 5, h5, 7, "content does not match");
	tamper(f, "DELETE FROM decisions WHERE seq = 6");
	expect_from(f->s, 5, h5, 7, "entries 6 to 6 are missing");
	/* the verified head itself edited */
	tamper(f, "UPDATE decisions SET note = 'z' WHERE seq = 5");
	expect_from(f->s, 5, h5, 5, "content does not match");
}

/* --- the batch digest's row encoding (audit_case_digest) ---------------- */

/* put's framing for n raw bytes. */
static void put_n(sbuf *b, const void *v, size_t n)
{
	for (int i = 0; i < 8; i++)
		sbuf_addc(b, (char)((uint64_t)n >> (56 - 8 * i)));
	sbuf_add(b, v, n);
}

static void put_u64(sbuf *b, uint64_t v)
{
	unsigned char x[8];
	for (int i = 0; i < 8; i++)
		x[i] = (unsigned char)(v >> (56 - 8 * i));
	put_n(b, x, 8);
}

static void put_real(sbuf *b, double d)
{
	uint64_t bits;
	memcpy(&bits, &d, 8);
	put_u64(b, bits);
}

/* HMAC-SHA256 (RFC 2104) built from SHA-256 alone, for a key of at most
 * 64 bytes, as lowercase hex: not libsodium's HMAC, which audit.c uses. */
static void hmac_hex(const char *key, const char *msg, char *out)
{
	unsigned char k[64] = {0}, pad[64], inner[32], h[32];
	size_t kn = strlen(key);
	assert_true(kn <= sizeof k);
	memcpy(k, key, kn);
	sbuf b = {0};
	for (int i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x36;
	sbuf_add(&b, (const char *)pad, 64);
	sbuf_adds(&b, msg);
	crypto_hash_sha256(inner, (const unsigned char *)b.buf, b.len);
	b.len = 0;
	for (int i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x5c;
	sbuf_add(&b, (const char *)pad, 64);
	sbuf_add(&b, (const char *)inner, 32);
	crypto_hash_sha256(h, (const unsigned char *)b.buf, b.len);
	sodium_bin2hex(out, 65, h, 32);
	sbuf_free(&b);
}

/* A row without probabilities, built from audit.h's description with the
 * gold field given (NULL: SQL NULL). */
static void row_bytes(sbuf *b, const char *tag, const char *gold)
{
	put(b, tag);
	put_u64(b, 4);       /* line */
	put(b, "c3");        /* ext_id */
	put(b, "good");      /* prediction */
	put(b, NULL);        /* probs */
	put(b, NULL);        /* attributions */
	put(b, "{}");        /* context */
	put(b, "confident"); /* text */
	put(b, gold);
	put_real(b, 0.97);   /* confidence */
	put(b, NULL);        /* margin */
	put(b, NULL);        /* entropy */
	put_u64(b, 0);       /* priority */
}

static void digest_of(const audit_case *c, int form, const char *salt, char *hex)
{
	dk_sha256 st;
	unsigned char h[DK_SHA256_BYTES];
	dk_sha256_init(&st);
	audit_case_digest(&st, c, form, salt);
	dk_sha256_final(&st, h);
	sodium_bin2hex(hex, 65, h, sizeof h);
}

static void expect_digest(const sbuf *b, const char *got)
{
	char want[65];
	audit_sha256_hex(b->buf, b->len, want);
	assert_string_equal(got, want);
}

static void audit_case_digest__both_forms__documented_encoding(void **state)
{
	(void)state;
	static const char salt[] =
		"0d84f7e0ef8617aa0d84f7e0ef8617aa0d84f7e0ef8617aa0d84f7e0ef8617aa";
	audit_case c = {
		.v = {"c3", "good", NULL, NULL, "{}", "confident", "bad"},
		.len = {2, 4, -1, -1, 2, 9, 3},
		.line = 4,
		.priority = 0,
		.confidence = 0.97,
	};
	char got[65], mac[65];
	sbuf b = {0};
	/* form 1: the gold label as stored */
	digest_of(&c, AUDIT_DIGEST_V1, salt, got);
	row_bytes(&b, "docket-case-v1", "bad");
	expect_digest(&b, got);
	/* form 2: its HMAC under the salt, in hex */
	digest_of(&c, AUDIT_DIGEST_V2, salt, got);
	hmac_hex(salt, "bad", mac);
	b.len = 0;
	row_bytes(&b, "docket-case-v2", mac);
	expect_digest(&b, got);
	char other[65];
	audit_gold_mac_hex(salt, "bad", 3, other);
	assert_string_equal(other, mac);
	/* what a guesser without the salt could hash: neither matches */
	b.len = 0;
	row_bytes(&b, "docket-case-v2", "bad");
	audit_sha256_hex(b.buf, b.len, other);
	assert_string_not_equal(got, other);
	/* another salt, another digest */
	char got2[65];
	digest_of(&c, AUDIT_DIGEST_V2, "another salt", got2);
	assert_string_not_equal(got, got2);
	/* a NULL gold stays NULL (no salt needed) */
	c.v[AUDIT_CASE_GOLD] = NULL;
	c.len[AUDIT_CASE_GOLD] = -1;
	digest_of(&c, AUDIT_DIGEST_V2, NULL, got);
	b.len = 0;
	row_bytes(&b, "docket-case-v2", NULL);
	expect_digest(&b, got);
	sbuf_free(&b);
}

/* RFC 4231 test case 2. */
static void audit_gold_mac_hex__rfc4231_vector(void **state)
{
	(void)state;
	static const char msg[] = "what do ya want for nothing?";
	char out[65];
	audit_gold_mac_hex("Jefe", msg, sizeof msg - 1, out);
	assert_string_equal(out, "5bdcc146bf60754e6a042426089575c7"
				 "5a003f089d2739839dec58b964ec3843");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup_no_log, fixture_teardown)
		T(audit_append__hash__is_sha256_of_documented_encoding),
		T(audit_append__outside_transaction__refused),
		T(audit_log__update_delete_replace__refused_by_triggers),
		T(audit_verify__intact__reports_head),
		T(audit_verify__edited_entry__named),
		T(audit_verify__bytes_hidden_after_nul__named),
		T(audit_verify__text_in_number_column__named),
		T(audit_verify__replaced_hash__named),
		T(audit_verify__deleted_entry__named),
		T(audit_verify__inserted_entry__named),
		T(audit_verify__truncated_tail__found_with_expected_head),
		T(audit_append__clock_stepped_back__at_never_decreases),
		T(audit_verify_from__new_entries__chain_from_verified_head),
#undef T
		cmocka_unit_test(audit_case_digest__both_forms__documented_encoding),
		cmocka_unit_test(audit_gold_mac_hex__rfc4231_vector),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
