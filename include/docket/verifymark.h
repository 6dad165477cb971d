/* verifymark.h: the record of the last verification of the audit chain, and
 * a full or quick (new entries only) check of the chain that moves it. The
 * record is a file in the user's state directory
 * ($XDG_STATE_HOME/docket/verified/, or ~/.local/state/docket/verified/),
 * one per store (named by a hash of the store's real path), never in the
 * store: whoever can write the store could move a record kept there to
 * the head of a chain they rewrote. */
#ifndef DOCKET_VERIFYMARK_H
#define DOCKET_VERIFYMARK_H

#include <stdint.h>

#include "docket/audit.h"
#include "docket/store.h"
#include "docket/util.h"

/* What the last successful verification found. */
struct verifymark {
	int64_t seq;     /* the chain was intact up to this entry; 0: never */
	char hash[65];   /* that entry's hash (AUDIT_GENESIS when seq is 0) */
	int64_t at;      /* when (ms since the epoch), 0 when never */
	int64_t full_at; /* when every entry was last re-checked, 0 when never */
};

/* The record file's path for s into out (n bytes); 1 when neither
 * XDG_STATE_HOME nor HOME is set (then nothing is recorded). */
int verifymark_path(store *s, char *out, size_t n);

/* Read the record into *m (seq 0 and AUDIT_GENESIS when there is none, or
 * when it does not parse). Returns DK_OK or DK_ERR. */
int verifymark_get(store *s, struct verifymark *m, dk_error *err);

/* Record (the file is replaced atomically) that the chain was found intact up
 * to entry seq with hash, at clock_now_ms(); full = 1 when every entry was
 * checked (also sets verified_full_at). A record of a later entry made
 * meanwhile (another process) is kept: the record never moves back.
 * Returns DK_OK or DK_ERR. */
int verifymark_record(store *s, int64_t seq, const char *hash, int full,
		      dk_error *err);

/* Check the chain and, when it is intact, record it. full = 1 checks every
 * entry (audit_verify); full = 0 only the entries after the record
 * (audit_verify_from), or every entry when there is no record yet.
 * *was_full (may be NULL) says which ran, rep what it found. Returns DK_OK
 * when intact (and recorded), DK_ERR when broken or on a store error (err
 * says which; rep->bad_seq is set when broken). */
int verifymark_check(store *s, int full, int *was_full, audit_report *rep,
		     dk_error *err);

#endif
