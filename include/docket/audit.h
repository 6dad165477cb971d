/* audit.h: the hash-chained decision log: appending entries, the head, and
 * verifying the chain. */
#ifndef DOCKET_AUDIT_H
#define DOCKET_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "docket/sha256.h"
#include "docket/store.h"
#include "docket/util.h"

/* Hex SHA-256 of the entry before the first (the genesis prev_hash). */
#define AUDIT_GENESIS \
	"0000000000000000000000000000000000000000000000000000000000000000"

/* Store-level actions (decisions.action, case_id NULL), beside the case
 * actions of queue.h. Each carries a JSON detail that `docket verify`
 * replays (replay.c, which lists what each holds):
 *   init          the first entry of a store (or, in a store made by an older
 *                 docket, the entry its upgrade appended): a snapshot of
 *                 reviewers and roles, auto-add, reason codes, models with
 *                 their policies, export watermarks and batches
 *   import        one batch: file, sha256, rows, routed, policy version and
 *                 the digest of its case rows (audit_case_digest) with its
 *                 form (digest_form, absent: 1)
 *   policy        a model's new policy version (model, version, policy)
 *   reasons       the reason codes set
 *   role          a reviewer's role changed (name, old, new)
 *   reviewer-add  a reviewer added (name, role; auto: added by auto-add)
 *   auto-add      auto-adding unknown reviewers turned on or off
 *   report        reserved for the review report */
#define ACTION_INIT "init"
#define ACTION_IMPORT "import"
#define ACTION_POLICY "policy"
#define ACTION_REASONS "reasons"
#define ACTION_ROLE "role"
#define ACTION_REVIEWER_ADD "reviewer-add"
#define ACTION_AUTO_ADD "auto-add"
#define ACTION_REPORT "report"

/* One log entry to append. Strings may be NULL (stored as NULL). */
typedef struct audit_entry {
	const char *reviewer;    /* who (required) */
	int64_t case_id;         /* cases.id, or 0 for store-level entries */
	const char *action;      /* ACTION_* (queue.h), e.g. "reveal", "export" */
	const char *model_label; /* the model's prediction, when about a case */
	const char *label;       /* the human label asserted, if any */
	const char *reason;
	const char *note;
	double seconds;          /* NaN = NULL */
	int64_t ref_seq;         /* 0 = NULL; the entry an undo reverses
				    or an amend replaces */
	const char *detail;      /* JSON text or NULL (reveal: which fields;
				    export: file, filters, rows, sha256) */
} audit_entry;

/* Append e to the chain with at = clock_now_ms(), or the previous entry's at
 * when the clock reads earlier (times never fall along the chain, so a time
 * range is a seq range: see audit.c). Must be called inside the
 * caller's write transaction (store_begin_write), so the entry and the change
 * it records commit together; it fails otherwise. *seq and hash (65 bytes,
 * may be NULL) get the new entry's seq and hex hash. */
int audit_append(store *s, const audit_entry *e, int64_t *seq, char *hash,
		 dk_error *err);

/* Append to head and tail, as lowercase hex, the canonical bytes of e's
 * fields from its reviewer to its action and from its reason to its detail:
 * the parts of its entry's hash input known to the client before the
 * chain's head is read. PostgreSQL's one-call decision (queue.c, decide()
 * in engine/pg_roles.c) has the server put the domain, seq and time before
 * them, the model label and label (the case's) between them and the
 * previous hash after them under the chain lock, as audit_append would. */
void audit_middle_split_hex(const audit_entry *e, sbuf *head, sbuf *tail);

/* The head: *seq = 0 and hash = AUDIT_GENESIS for an empty log. hash needs
 * 65 bytes. */
int audit_head(store *s, int64_t *seq, char *hash, dk_error *err);

/* Entries are hashed over a canonical encoding: the domain tag
 * "docket-audit-v1", then every stored field (seq, at, reviewer, case_id,
 * action, model_label, label, reason, note, seconds, ref_seq, detail,
 * prev_hash) as an 8-byte big-endian length (all ones for NULL) followed
 * by its bytes; integers as decimal text, seconds as %.17g. hash is the
 * lowercase hex SHA-256 (libsodium crypto_hash_sha256) of that. */

/* Result of audit_verify. */
typedef struct audit_report {
	int64_t entries;     /* entries checked */
	int64_t head_seq;    /* head (as found) */
	char head_hash[65];
	int64_t bad_seq;     /* first bad entry (0 when ok) */
	char problem[512];   /* what was wrong, "" when ok */
} audit_report;

/* Recompute the whole chain in seq order: each entry's prev_hash must be the
 * previous entry's hash, its hash must match its canonical encoding, seqs
 * must run 1, 2, 3, ... When expect_head ("SEQ:HASH") is given, the entry
 * at SEQ must exist with HASH (a truncated or rewritten tail fails). Reads in
 * one read transaction. Returns DK_OK when the chain is intact, DK_ERR with
 * rep->problem and rep->bad_seq set when not (err gets the same message),
 * DK_USAGE for a malformed expect_head. */
int audit_verify(store *s, const char *expect_head, audit_report *rep,
		 dk_error *err);

/* Check only what was appended after entry seq, which an earlier
 * audit_verify found intact with hash (seq 0 with AUDIT_GENESIS: the whole
 * chain): entry seq must still be there with that hash (its content
 * re-hashed), and every later entry must chain to it as audit_verify
 * checks. Sound for the new entries because each hash covers the previous
 * hash; it trusts that entries before seq are unchanged since they were
 * verified (only audit_verify re-reads them). rep->entries counts entry
 * seq and those after it. Returns DK_OK, or DK_ERR with rep->problem and
 * rep->bad_seq set (err gets the same message). */
int audit_verify_from(store *s, int64_t seq, const char *hash, audit_report *rep,
		      dk_error *err);

/* One case row as an import stores it, for the batch digest. Text fields
 * in the order ext_id, prediction, probs, attributions, context, text,
 * gold: bytes and length, len -1 for SQL NULL. has_features: margin and
 * entropy are stored (the row had p: columns); else both are NULL. */
enum { AUDIT_CASE_TEXTS = 7, AUDIT_CASE_GOLD = 6 /* v[] index */ };
typedef struct audit_case {
	const char *v[AUDIT_CASE_TEXTS];
	int len[AUDIT_CASE_TEXTS];
	int64_t line, priority;
	double confidence;
	int has_features;
	double margin, entropy;
} audit_case;

/* The forms of a batch digest. An import entry records its form as
 * "digest_form" (absent: 1); verify checks each entry by its own form, so
 * stores imported before form 2 keep verifying. */
enum {
	AUDIT_DIGEST_V1 = 1,
	AUDIT_DIGEST_V2 = 2,
	AUDIT_DIGEST_FORM = AUDIT_DIGEST_V2 /* what an import writes */
};

/* Add c to a batch digest: a SHA-256 (st, from dk_sha256_init) over each
 * row's encoding in case id order (the order an import inserts them). A
 * row is a domain tag, then line, each text field, confidence, margin,
 * entropy and priority, each as an 8-byte big-endian length (all ones for
 * NULL) and its bytes: text as stored, integers as 8-byte big-endian two's
 * complement, reals as the 8 bytes of their IEEE 754 binary64 value,
 * big-endian. What routing adds (state, reason, urgency, policy version)
 * is not in it: it changes when a policy re-routes, and verify checks it
 * against the policy instead.
 *   form 1: tag "docket-case-v1", the gold label as stored. The log is read
 *     by every role, and on PostgreSQL a reviewer reads every other field:
 *     hashing the rows with guessed gold labels tested the guesses.
 *   form 2: tag "docket-case-v2", and a gold label enters as the 64
 *     lowercase hex digits of HMAC-SHA256 (libsodium crypto_auth_hmacsha256)
 *     keyed by the model's audit salt (the bytes of models.audit_salt, which
 *     reviewers may not read) over the label's bytes; a NULL gold stays
 *     NULL. Without the salt no guess can be tested, except that a batch
 *     holds no gold check at all (every gold NULL).
 * salt (NUL-terminated) is used by form 2 only, and only for a row with a
 * gold label. */
void audit_case_digest(dk_sha256 *st, const audit_case *c, int form,
		       const char *salt);

/* Form 2's gold field: the lowercase hex HMAC-SHA256 keyed by salt over n
 * bytes of gold into out (65 bytes). */
void audit_gold_mac_hex(const char *salt, const char *gold, size_t n, char *out);

/* Lowercase hex SHA-256 of n bytes of v into out (65 bytes). */
void audit_sha256_hex(const char *v, size_t n, char *out);

#endif
