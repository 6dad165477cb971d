/* queue.h: the review queue: reviewers and roles, claims under leases with
 * fencing tokens, decisions (each with its audit entry, one transaction),
 * undo, release, the reviewer's recent decisions and header counts. */
#ifndef DOCKET_QUEUE_H
#define DOCKET_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "docket/store.h"
#include "docket/util.h"

/* A lease lasts this long unless renewed (queue_renew, or any decision). */
#define QUEUE_LEASE_MS (10 * 60 * 1000)
/* A case a reviewer skipped is not offered to that reviewer again for this
 * long (others get it at once). Store meta key skip_cooldown_s overrides. */
#define QUEUE_SKIP_COOLDOWN_MS (30 * 60 * 1000)

/* Actions, as stored in decisions.action. reveal and export are audit-only
 * entries written by the screen and export (audit_append). */
#define ACTION_ACCEPT "accept"
#define ACTION_OVERRIDE "override"
#define ACTION_ESCALATE "escalate"
#define ACTION_SKIP "skip"
#define ACTION_UNDO "undo"
#define ACTION_RESOLVE "resolve"
#define ACTION_REVEAL "reveal"
#define ACTION_EXPORT "export"

/* Roles, as in reviewers.role. */
#define ROLE_REVIEWER "reviewer"
#define ROLE_SUPERVISOR "supervisor"

/* Store meta keys this module reads. */
#define QUEUE_META_AUTO_ADD "auto_add_reviewers" /* "on": unknown names are
						    added as reviewers */
#define QUEUE_META_REASONS "reason_codes"        /* JSON array of strings */
#define QUEUE_META_COOLDOWN "skip_cooldown_s"     /* integer seconds */

/* A claimed case: everything the review screen and `docket next` show.
 * All strings are malloc'd and owned by the struct (queue_case_free);
 * JSON fields hold JSON text ("null" never: NULL when absent). */
typedef struct queue_case {
	int64_t case_id;       /* cases.id (internal) */
	char *ext_id;          /* the id as imported */
	int64_t model_id;
	char *model;           /* model name */
	char *model_version;   /* the batch's model version ("" when none) */
	char *labels_json;     /* the model's label set, JSON array */
	char *prediction;
	double confidence;
	double margin;         /* NaN when the case has no p: columns */
	double entropy;        /* NaN when the case has no p: columns */
	char *probs_json;      /* {"label":p,...} or NULL */
	char *context_json;    /* {"field":"value",...}; pii: fields included
				* under their input names (the screen masks) */
	char *attributions_json; /* {"name":value,...} or NULL */
	char *text;            /* NULL when none */
	char *route_reason;    /* as reviewers are shown it (store.h:
				* STORE_REASON_SHOWN; policy_reason_shown),
				* or as stored (queue_case_load_stored) */
	int64_t policy_version;
	int64_t priority;
	char *source_file;     /* the batch's file name */
	int64_t imported_at;   /* ms */
	int64_t lease_token;   /* 0 when not held (undo of a resolve) */
	int64_t lease_expires; /* ms */
	char *state;           /* current state (CASE_HELD after a claim) */
} queue_case;

void queue_case_free(queue_case *c);

/* Reviewers and roles. */

/* Look up name; *role_out (may be NULL) gets ROLE_* (static) and *id_out
 * (may be NULL) the reviewer id. Returns DK_OK, or DK_EMPTY when unknown. */
int queue_role(store *s, const char *name, const char **role_out,
	       int64_t *id_out, dk_error *err);

/* The id of reviewer name for an action on the queue. Unknown names are
 * refused with an error naming `docket reviewer add`, unless the store's
 * auto_add_reviewers meta is "on", in which case they are added with role
 * reviewer (added_by "auto"). Call inside a write transaction when the
 * name may be added. */
int queue_reviewer_id(store *s, const char *name, int64_t *id_out,
		      dk_error *err);

/* Add a reviewer (role ROLE_REVIEWER or ROLE_SUPERVISOR) as `by`, who must be
 * a supervisor; or change an existing reviewer's role (set_role). Own write
 * transaction. DK_ERR with a message when by is not a supervisor, the name
 * exists (add) or is unknown (set_role), or the last supervisor would be
 * demoted. */
int queue_reviewer_add(store *s, const char *name, const char *role,
		       const char *by, dk_error *err);
int queue_reviewer_set_role(store *s, const char *name, const char *role,
			    const char *by, dk_error *err);
/* Turn auto-adding unknown reviewers on or off (by must be a supervisor). */
int queue_set_auto_add(store *s, int on, const char *by, dk_error *err);

/* Reason codes: the store's list (meta reason_codes) or the defaults.
 * *out gets a malloc'd NULL-terminated array of malloc'd strings; free with
 * queue_reasons_free. DK_ERR (and *out NULL) when the store cannot be read:
 * the defaults only stand for a list that was never set. */
int queue_reasons(store *s, char ***out, dk_error *err);
/* The skip cool-down in ms (meta skip_cooldown_s, or the default). */
int queue_cooldown_ms(store *s, int64_t *ms, dk_error *err);
void queue_reasons_free(char **r);
/* The built-in list (when the store sets none), NULL-terminated; static. */
const char *const *queue_reason_defaults(void);
/* Replace the list (by must be a supervisor); codes: n non-empty strings. */
int queue_set_reasons(store *s, const char *const *codes, size_t n,
		      const char *by, dk_error *err);

/* Claims and leases. */

/* Claim the next case for reviewer: in one BEGIN IMMEDIATE transaction,
 * release expired leases (their cases go back to the queue), then take the
 * first queued case in order (priority desc, urgency asc, id asc) that the
 * reviewer has not decided, and that they did not skip within the
 * cool-down, restricted to model (name) when not NULL; mark it held and
 * give it a lease of QUEUE_LEASE_MS with a new fencing token. Both steps
 * are index seeks. The claim is committed without an fsync (relaxed, see
 * store.h); the case's data is read after the commit, outside the write
 * lock. Fills *out (caller frees with queue_case_free). Returns DK_OK,
 * DK_EMPTY when nothing is available for this reviewer, DK_ERR. */
int queue_claim(store *s, const char *reviewer, const char *model,
		queue_case *out, dk_error *err);

/* Claim the one case case_id for reviewer (the queue list, `docket review
 * --case`), by queue_claim's rules in one short write transaction: it must
 * be waiting in the queue (of model, a name, when not NULL), not decided by
 * this reviewer, nor skipped by them within the cool-down; a lease with a
 * new fencing token. A case the reviewer holds already is returned under
 * its lease. Returns DK_OK, DK_EMPTY when another reviewer holds it (err
 * says who), DK_ERR (err says why not). */
int queue_claim_case(store *s, const char *reviewer, int64_t case_id,
		     const char *model, queue_case *out, dk_error *err);

/* Append the EXPLAIN QUERY PLAN of every statement on the claim path
 * (reclaim, claim, claim with a model) to out, each after a "-- SQL" line:
 * tests and `docket queue --explain`-style notes check no step scans. */
int queue_explain(store *s, sbuf *out, dk_error *err);

/* Extend the lease on case_id held by reviewer under token to now +
 * QUEUE_LEASE_MS; *expires (may be NULL) gets the new expiry. Fails with a
 * clear message when the lease expired or belongs to someone else. */
int queue_renew(store *s, const char *reviewer, int64_t case_id, int64_t token,
		int64_t *expires, dk_error *err);

/* Give back every case reviewer holds (quitting the screen, `docket
 * release`): they return to the queue. *n (may be NULL) gets the count. */
int queue_release(store *s, const char *reviewer, int64_t *n, dk_error *err);

/* Decisions. */

typedef struct queue_decision {
	const char *action;  /* ACTION_ACCEPT, _OVERRIDE, _ESCALATE, _SKIP,
				_RESOLVE (undo: queue_undo) */
	const char *label;   /* override, resolve: the human label */
	const char *reason;  /* a reason code; required for escalate and skip */
	const char *note;    /* free text or NULL */
	double seconds;      /* time spent on the case; NaN when unknown */
	int64_t token;       /* the lease token from the claim; 0 = whatever
				lease the reviewer holds on the case (scripts).
				Not used by resolve (no lease needed). */
} queue_decision;

/* What a decision did. */
typedef struct queue_outcome {
	int64_t seq;          /* the audit entry written */
	char hash[65];        /* its hash (hex) */
	const char *state;    /* the case's new state (static CASE_*) */
	int64_t ref_seq;      /* undo: the entry reversed; amend: the entry
				 replaced; 0 otherwise */
} queue_outcome;

/* Record a decision on case_id by reviewer, with its audit entry, in one
 * write transaction that is on disk (store_commit) before returning.
 * accept/override/escalate/skip need the reviewer's live lease (and the
 * token when given: fencing); resolve needs a supervisor and a case in
 * state escalated or disputed. Labels must be in the model's label set;
 * reasons in the reason codes. Double review: the first accept/override
 * sends the case back to the queue for a different reviewer; the second
 * finishes it when the labels agree, or makes it disputed. out may be NULL.
 * Returns DK_OK, DK_USAGE (bad label/reason/action: message says which),
 * DK_ERR (no lease, expired, not allowed, store error). */
int queue_decide(store *s, const char *reviewer, int64_t case_id,
		 const queue_decision *d, queue_outcome *out, dk_error *err);

/* Decide and move on: queue_decide's decision on case_id, then
 * queue_claim's claim of reviewer's next case (restricted to model, a name,
 * when not NULL), both in one write transaction that is on disk before
 * returning (one commit and one WAL sync instead of two transactions).
 * Same checks, fencing and rules as the two calls: the next case is never
 * one the reviewer decided (so never case_id, unless a skip's cool-down
 * is 0), never one skipped within the cool-down, never one held by anyone
 * else. The next case's data is read after the commit, outside the write
 * lock. Returns DK_OK (decision recorded, *next claimed: caller frees with
 * queue_case_free), DK_EMPTY (decision recorded, nothing waiting for this
 * reviewer: *next is empty), DK_USAGE or DK_ERR when the decision was
 * refused or the transaction failed: then nothing at all was recorded or
 * claimed, out->seq is 0. In the one exception, reading the claimed case
 * after the commit failing, it returns DK_ERR with out->seq set (the
 * decision stands; the claimed case is given back) and a message saying
 * so. out may be NULL. */
int queue_decide_next(store *s, const char *reviewer, int64_t case_id,
		      const queue_decision *d, const char *model,
		      queue_outcome *out, queue_case *next, dk_error *err);

/* Undo reviewer's last decision still in force: appends an undo entry
 * (ref_seq = the undone entry), recomputes the case from its log, and gives
 * the case back to the reviewer held under a new lease (an undone resolve
 * returns the case to escalated/disputed, without a lease). Undoing an
 * amend takes it out of force without putting back what it replaced.
 * Refused when someone else has decided the case since, or holds it now.
 * If case_id is not 0 the last decision must be on that case. *back (may
 * be NULL) gets the case; caller frees. */
int queue_undo(store *s, const char *reviewer, int64_t case_id,
	       queue_case *back, queue_outcome *out, dk_error *err);

/* Amend reviewer's decision in force on case_id: append a new entry by the
 * same reviewer, with the action, label, reason and note of d (checked as
 * by queue_decide) and ref_seq = the entry it replaces, then recompute the
 * case from its log in the same write transaction, on disk before
 * returning. The replaced entry stays in the log, out of force. The case
 * follows the same rules as deciding: a done case gets the new final label
 * (and a new final_seq, so exports take it again); a double review is
 * evaluated again (agreement finishes it, disagreement disputes it); an
 * amend to escalate sends it to a supervisor, an amend to skip puts it back
 * in the queue. No lease is needed (d->token is ignored). Refused with a
 * message, nothing recorded: no decision of reviewer's in force on the case
 * (DK_EMPTY); the case resolved by a supervisor (only a supervisor changes
 * it); nothing would change (DK_USAGE); a change that would close the case
 * while another reviewer holds it; a change the log does not allow (a
 * skipped case someone else has decided since). A resolve is amended only
 * by another resolve, by the supervisor who made it. An amend is undone like
 * any decision (queue_undo): the amend goes out of force too, the case
 * comes back to the reviewer to decide again (so a final label only ever
 * moves forward in the log, and exports by final_seq see each change). out
 * may be NULL (out->ref_seq gets the replaced entry). */
int queue_amend(store *s, const char *reviewer, int64_t case_id,
		const queue_decision *d, queue_outcome *out, dk_error *err);

/* Load a case's screen data by id, without claiming (back/forward over
 * recent decisions), its route reason as reviewers are shown it. lease_*
 * are 0. Caller frees. queue_case_load_stored: the same with the reason as
 * stored (gold checks named: the supervise screen; on PostgreSQL only a
 * supervisor may read it). */
int queue_case_load(store *s, int64_t case_id, queue_case *out, dk_error *err);
int queue_case_load_stored(store *s, int64_t case_id, queue_case *out,
			   dk_error *err);

/* Find a case by its imported id; model (name) may be NULL when the id is
 * unique across models. DK_EMPTY when no such case, DK_ERR (message lists
 * the models) when ambiguous. */
int queue_find(store *s, const char *ext_id, const char *model,
	       int64_t *case_id, dk_error *err);

/* queue_find, except that an id in several models (model NULL) is not
 * ambiguous when holder holds exactly one of them under a live lease: that
 * one is found (a reviewer deciding the case they are working on need not
 * name its model). holder NULL: as queue_find. */
int queue_find_for(store *s, const char *ext_id, const char *model,
		   const char *holder, int64_t *case_id, dk_error *err);

/* The reviewer's recent decisions, newest first, for back/forward. */
typedef struct queue_recent_entry {
	int64_t seq;
	int64_t case_id;
	int64_t at;
	char action[16];
	char ext_id[128];
	char label[128];     /* "" when none */
	int undone;          /* 1 when a later undo reversed it */
	int amended;         /* 1 when a later amend replaced it */
	int64_t ref_seq;     /* an amend: the entry it replaced; else 0 */
} queue_recent_entry;

/* Fill up to max entries (newest first); *n gets how many. Index seeks
 * over decisions(reviewer, seq). */
int queue_recent(store *s, const char *reviewer, queue_recent_entry *out,
		 size_t max, size_t *n, dk_error *err);

/* Header counts, from maintained counters and small index ranges. */
typedef struct queue_counts {
	int64_t queued;      /* cases waiting (all models, or model) */
	int64_t held_by_me;  /* live leases of this reviewer */
	int64_t done_today;  /* this reviewer's decisions in force since local
				midnight (skips not counted) */
	int64_t escalated;   /* waiting for a supervisor */
	int64_t disputed;
	int64_t held;        /* held by anyone, this reviewer included */
} queue_counts;

int queue_counts_get(store *s, const char *reviewer, const char *model,
		     queue_counts *out, dk_error *err);

/* Consistency of case states with the log (for `docket verify`): replays
 * every case's decisions and compares the state, final label and final seq
 * with the cases table; also finds decided states with no log. On the
 * first disagreement returns DK_ERR with a message naming the case and its
 * last entry; *checked (may be NULL) gets the number of cases replayed. */
int queue_check_states(store *s, int64_t *checked, dk_error *err);

/* Whether case_id (needing reviews_needed agreeing reviews) had a final
 * human label once the log's entries up to seq (inclusive) were in: the
 * same replay that sets a case's state, cut at seq. *label gets it
 * (malloc'd, caller frees; NULL when the case had none) and *decided_at
 * when it was given. Returns DK_OK or DK_ERR. */
int queue_final_at(store *s, int64_t case_id, int reviews_needed, int64_t seq,
		   char **label, int64_t *decided_at, dk_error *err);

#endif
