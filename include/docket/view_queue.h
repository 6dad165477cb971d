/* view_queue.h: the review screen's source of cases over the store: claims,
 * decisions, undo, reveal entries, renewals and counts through queue.h and
 * audit.h, turned into the plain review_case the views draw. */
#ifndef DOCKET_VIEW_QUEUE_H
#define DOCKET_VIEW_QUEUE_H

#include "docket/queue.h"
#include "docket/store.h"
#include "docket/view_review.h"

struct view_queue {
	store *s;
	char reviewer[128];
	char model[128]; /* "" : all models */
};

/* Point src at q (q must outlive src). */
void view_queue_source(struct view_queue *q, review_source *src);

/* Convert a claimed or loaded case to what the screen shows: context fields
 * in input order (pii: fields marked, prefix dropped), the label set with
 * each label's probability, attributions largest first. *out is the
 * caller's (review_case_free). Uses s's JSON functions. */
int view_queue_case(store *s, const queue_case *qc, review_case **out,
		    dk_error *err);

/* The reason codes to offer: the config's list when its file set one
 * (codes the store does not know are dropped, and named in *dropped, a
 * malloc'd text or NULL), else the store's. *codes gets a malloc'd
 * NULL-terminated array of malloc'd codes; texts (same length) gets the
 * descriptions. Free both with queue_reasons_free. DK_ERR when the store's
 * list cannot be read. */
int view_queue_reasons(store *s, const config *cfg, char ***codes,
		       char ***texts, char **dropped, dk_error *err);

/* Append the EXPLAIN QUERY PLAN of every statement of the queue list's
 * read, each after a "-- SQL" line: tests check that none scans. */
int view_queue_explain(store *s, sbuf *out, dk_error *err);

#endif
