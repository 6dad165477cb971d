/* caselist.h: listing cases for scripts (`docket cases`): by state, model,
 * reviewer, routing reason and import time, each filter answered from an
 * index where the store has one, streamed row by row. */
#ifndef DOCKET_CASELIST_H
#define DOCKET_CASELIST_H

#include <stdint.h>

#include "docket/store.h"
#include "docket/util.h"

/* What to list. NULL / 0 mean "any". Strings are borrowed.
 *  state: a CASE_* state (store.h);
 *  model: a model name (must exist: caselist_each fails naming it);
 *  reviewer: cases this reviewer holds or has a decision in force on (must
 *    exist);
 *  reason: a routing reason code (ROUTE_*, policy.h): the first word of
 *    cases.route_reason ("confidence 0.53 < 0.8", "gold check");
 *  since: imported at or after since_ms;
 *  limit: at most this many rows (0: all);
 *  shown: the reason read, and filtered by, as reviewers are shown it
 *    (store.h: gold checks and audit samples read "spot check"), not as
 *    stored: a reviewer's listing (on PostgreSQL a reviewer may not read
 *    the stored one). */
struct caselist_filter {
	const char *state, *model, *reviewer, *reason;
	int shown;
	int has_since;
	int64_t since_ms;
	int64_t limit;
};

/* One listed case. Strings point into SQLite's row: valid only during the
 * callback. holder is NULL when no lease exists; lease_live says whether
 * the lease still runs (an expired one is reclaimed by the next claim). */
struct caselist_row {
	const char *ext_id, *model, *state, *holder, *reason, *prediction,
		*final_label;
	double confidence;
	int64_t priority, lease_expires, decided_at, batch_id, imported_at;
	int lease_live, has_decided_at;
};

/* Called once per row; a non-zero return stops the listing and is
 * returned by caselist_each. */
typedef int caselist_fn(const struct caselist_row *r, void *ctx);

/* Order: queued cases in claim order (priority, uncertainty, age); done
 * cases in the order they got their final label; others by case id
 * (import order). Reads in one read transaction of its own. Returns
 * DK_OK, DK_USAGE for an unknown state, DK_ERR (err) for an unknown model
 * or reviewer or a store error, or what fn returned. */
int caselist_each(store *s, const struct caselist_filter *f, caselist_fn *fn,
		  void *ctx, dk_error *err);

/* The query plan caselist_each would use for f (tests check that filtered
 * listings seek an index rather than scan cases). */
int caselist_explain(store *s, const struct caselist_filter *f, sbuf *out,
		     dk_error *err);

#endif
