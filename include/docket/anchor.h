/* anchor.h: signed checkpoints of the audit chain's head. A supervisor's
 * Ed25519 key (libsodium) signs the store's id, the head's seq and hash and
 * the time; the signature goes into the chain as an "anchor" entry and out
 * as one line to keep elsewhere. With the public keys kept outside the
 * store, verify then finds a forged entry before an anchor, a full re-hash,
 * or (given the kept lines) a tail cut that removed an anchor. */
#ifndef DOCKET_ANCHOR_H
#define DOCKET_ANCHOR_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "docket/store.h"
#include "docket/util.h"

#define ACTION_ANCHOR "anchor"

/* Tags that start a public key file's line, a secret key file's line and a
 * kept anchor line. */
#define ANCHOR_PUB_TAG "docket-ed25519"
#define ANCHOR_SECRET_TAG "docket-ed25519-secret"
#define ANCHOR_LINE_TAG "docket-anchor-v1"

typedef struct anchor_key {
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	unsigned char sk[crypto_sign_SECRETKEYBYTES]; /* zero when public only */
	int has_secret;
} anchor_key;

/* The default place of a key file: $XDG_CONFIG_HOME/docket/NAME, else
 * $HOME/.config/docket/NAME, with NAME "anchor.key" (secret) or
 * "anchor.pub". Returns buf, or NULL when neither variable is set. */
const char *anchor_key_default_path(char *buf, size_t len, int secret);

/* Make a new key pair into k. */
void anchor_key_generate(anchor_key *k);

/* Write k's secret key to secret_path (created new, mode 0600, never over
 * an existing file unless force; its directory is created 0700) and its
 * public key to pub_path (0644). comment (the owner's name) ends the public
 * line. Returns DK_OK, or DK_ERR naming the file. */
int anchor_key_write(const anchor_key *k, const char *secret_path,
		     const char *pub_path, const char *comment, int force,
		     dk_error *err);

/* Read a secret key file (refused when group or others may read it, or
 * when it is not a regular file). Fills k->pk too. */
int anchor_key_read_secret(const char *path, anchor_key *k, dk_error *err);

/* Read a public key file: its first line "docket-ed25519 HEX [NAME]". Also
 * accepts a secret key file (its public half). */
int anchor_key_read_public(const char *path, anchor_key *k, dk_error *err);

/* "docket-ed25519 HEX NAME" for k into out (no newline). */
void anchor_key_format_public(const anchor_key *k, const char *name, sbuf *out);

/* Sign the current head of s as supervisor `by` and append the anchor
 * entry, in one write transaction of its own (the caller holds none).
 * Gives the store an id (meta store_id) on its first anchor. line gets the
 * line to keep elsewhere (no newline); *anchor_seq the new entry's seq. */
int anchor_sign_head(store *s, const anchor_key *k, const char *by, sbuf *line,
		     int64_t *anchor_seq, dk_error *err);

/* What anchor_verify found. */
typedef struct anchor_report {
	int64_t anchors;      /* anchor entries whose signature checked */
	int64_t lines;        /* kept lines found in the chain */
	int64_t latest_seq;   /* the newest anchor entry's seq, 0 if none */
	int64_t after_latest; /* entries appended after it */
	int64_t bad_seq;      /* the entry at fault, 0 when not about one */
	char problem[512];    /* "" when all is well */
} anchor_report;

/* Check every anchor entry of s: its signature over (store id, seq, hash,
 * time, signer) with the key it names, that key among trusted (ntrusted
 * keys; ntrusted 0 checks signatures only), that it signs the entry just
 * before it, and that the chain's entry at that seq still has the signed
 * hash. Then each kept line (nlines of them, as anchor_sign_head printed
 * them) must be signed by a trusted key and stand in the chain. With
 * trusted keys given, a log with no anchor at all fails (removing every
 * anchor and re-hashing must not pass). Run after audit_verify has found
 * every stored hash matching its entry. Returns DK_OK, or DK_ERR with
 * rep->problem (and err) saying what and where. */
int anchor_verify(store *s, const anchor_key *trusted, size_t ntrusted,
		  const char *const *lines, size_t nlines, anchor_report *rep,
		  dk_error *err);

/* The newest anchor: *seq (0 when none), its signer into by (64 bytes),
 * and *after, the entries appended since. For the supervisor's screen. */
int anchor_latest(store *s, int64_t *seq, char *by, int64_t *after,
		  dk_error *err);

#endif
