/* replay.h: `docket verify`'s replay of the whole audit log: who held which
 * role at each entry, policies, reason codes, export watermarks, batches
 * and times, then the store's tables and every case row compared with
 * what the log says. audit.c checks the chain's hashes; this checks that
 * what the entries say happened is what the store holds. */
#ifndef DOCKET_REPLAY_H
#define DOCKET_REPLAY_H

#include <stdint.h>

#include "docket/store.h"
#include "docket/util.h"

/* An entry dated later than the clock by more than this is an error. */
#define REPLAY_SKEW_MS (5 * 60 * 1000)

/* What replay_verify found. */
typedef struct replay_report {
	int64_t entries;        /* entries replayed (the init entry and after) */
	int64_t legacy_entries; /* entries before the init entry: written by a
				   docket before the replay existed; their
				   hashes are checked, their roles are not */
	int64_t batches;        /* batches whose rows were checked against
				   their import entry's digest */
	int64_t legacy_batches; /* imported before import entries existed:
				   only their row counts are checked */
	int64_t masked_batches; /* PostgreSQL, a session that may not read
				   personal values: batches whose digest
				   (which covers them) was not checked, only
				   their row counts */
	int64_t gold_batches;   /* PostgreSQL, a session that may not read
				   which cases are gold checks (a reviewer):
				   batches holding gold checks, whose digest
				   (which covers the gold labels) was not
				   checked, only their row counts */
	int64_t unrouted;       /* the same session: cases whose routing was
				   not checked (it needs the models' audit
				   salt, and the reasons as stored) */
	int64_t cases;          /* case rows read */
	int64_t bad_seq;        /* the entry the first problem is about (0 when
				   none, or when it is about a table row) */
	char problem[512];      /* the first problem in plain words, "" when ok */
} replay_report;

/* Append the store's init entry (ACTION_INIT) inside the caller's write
 * transaction: a new random store id (also meta store_id) and a snapshot of
 * reviewers and roles, auto-add, reason codes, models with every policy
 * version, export watermarks and batches, which the replay starts from.
 * store.c calls it once, when a store reaches schema version 2: at
 * creation the snapshot holds only the creator, the first supervisor; in a
 * store made by an older docket it follows the entries already there (the
 * legacy entries) and holds what the tables held then. */
int replay_init(store *s, dk_error *err);

/* Replay every entry in seq order, then compare the store with the result.
 * Each action has a row in replay.c's action table: who may write it (any
 * name, a reviewer of the store at that moment, or a supervisor at that
 * moment) and a function applying its detail. Checked: roles at each
 * entry; reason codes of decisions; policies, batches and watermarks move
 * as their entries say (an export's watermark starts where the last one of
 * its name ended); times never fall and none is later than the clock plus
 * REPLAY_SKEW_MS; then the reviewers, models, policies, exports and batches
 * tables and meta store_id, auto_add_reviewers and reason_codes equal the
 * replay, and one pass over the cases in id order recomputes each batch's
 * digest and row count and each case's routing (state, reason, urgency,
 * reviews needed) under the policy version it records. Chain hashes are
 * audit_verify's, per-case decision state queue_check_states'. Reads in one
 * read transaction. Returns DK_OK, or DK_ERR with rep->problem (and err)
 * naming the first problem and rep->bad_seq its entry. */
int replay_verify(store *s, replay_report *rep, dk_error *err);

/* 1 when name is an action the log may hold (a row of the replay's table),
 * else 0; and the list of them as text, "accept, override, ..." (static,
 * built once). The log's filters use these, so they know every action. */
int replay_action_known(const char *name);
const char *replay_actions_text(void);

#endif
