/* fair_counts.h: a model's cases counted by the value of one context field,
 * batch by batch, which stats.c cuts the --by groups from and computes the
 * fairness figures with. Two parts per batch:
 *  - scored: every case by (value, prediction, route, policy version). A
 *    batch's cases never change these, except a policy change re-routing
 *    the undecided ones, so this part is kept until the model's policy
 *    version moves.
 *  - touched: the cases decisions have moved off their routed state (a
 *    final label, or left to the model and now open again), by (value,
 *    prediction, final label, route, policy version). Kept with the log
 *    seq it was counted at; a log entry on a case of the batch after it
 *    makes it count again.
 * What is not kept (or no longer holds) is counted from the cases inside
 * the caller's read transaction, so the figures are always those of that
 * snapshot; faircount_save then keeps it, after the read. pii: fields are
 * never kept (no copy of personal values outside the cases), nor a part
 * that would hold about as many rows as cases (a continuous field). */
#ifndef DOCKET_FAIR_COUNTS_H
#define DOCKET_FAIR_COUNTS_H

#include <stddef.h>
#include <stdint.h>

#include "docket/store.h"
#include "docket/util.h"

enum faircount_part { FAIRCOUNT_SCORED = 0, FAIRCOUNT_TOUCHED = 1 };
/* route: no route reason (left to the model), a rule or gold (reviewed
 * for certain), the audit sample (reviewed at its version's audit rate) */
enum faircount_route { FAIRCOUNT_NONE = 0, FAIRCOUNT_RULE = 1, FAIRCOUNT_AUDIT = 2 };
/* the field's value as json_extract gives it: missing (absent, JSON null
 * or an empty CSV cell), a JSON number (or true/false), or text */
enum faircount_kind { FAIRCOUNT_MISSING = 0, FAIRCOUNT_NUMBER = 1, FAIRCOUNT_TEXT = 2 };

struct faircount_row {
	int part, kind, route;
	double num;          /* kind NUMBER */
	const char *text;    /* kind TEXT: the value's bytes (len of them) */
	size_t len;
	const char *pred;    /* the model's label */
	const char *fin;     /* the final human label; NULL when none */
	int64_t version;     /* policy version the case was routed by */
	int64_t n;           /* cases */
};

struct faircount_keep; /* a part counted fresh, or a kept one to re-date */

struct faircount_set {
	struct faircount_row *rows;
	size_t n, cap;
	char **strs; /* owned strings the rows point into */
	size_t nstrs;
	char **labels; /* those of them that are labels (one copy each) */
	size_t nlabels;
	/* for faircount_save */
	int64_t model_id, pv, seq;
	char *field;
	struct faircount_keep *keep;
	size_t nkeep;
	size_t fresh; /* parts counted from the cases (tests, bench) */
};

/* Inside the caller's read transaction: append to set the rows of the
 * parts asked (1 << FAIRCOUNT_SCORED, 1 << FAIRCOUNT_TOUCHED) of every
 * batch of model_id for field. */
int faircount_load(store *s, int64_t model_id, const char *field, unsigned parts,
		   struct faircount_set *set, dk_error *err);

/* Inside the caller's read transaction: append the cases of model_id with
 * a final label decided in [since, until) (a bound not had is open), as
 * touched rows (the --by groups of a stats time range are cut on them). */
int faircount_window(store *s, int64_t model_id, const char *field, int has_since,
		     int64_t since, int has_until, int64_t until,
		     struct faircount_set *set, dk_error *err);

/* After the read transaction: keep what faircount_load counted from the
 * cases. Best effort: a store this user cannot write, or a busy one, is
 * left as it is (the next run counts again). Returns the parts kept. */
size_t faircount_save(store *s, struct faircount_set *set);

void faircount_free(struct faircount_set *set);

/* The query plans of every statement faircount_load runs when the counts
 * are kept (the screens' path): tests check each is a seek. */
int faircount_explain(store *s, sbuf *out, dk_error *err);

#endif
