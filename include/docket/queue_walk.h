/* queue_walk.h: the queued cases in claim order (priority descending, then
 * urgency, then id) over every model or one, merged from walks of each
 * model's part of the one queue index (cases_queue_model), a chunk at a
 * time: no sort, and no scan of the queue. The list screens and `docket
 * cases` read the queue through it. */
#ifndef DOCKET_QUEUE_WALK_H
#define DOCKET_QUEUE_WALK_H

#include <stddef.h>
#include <stdint.h>

#include "docket/store.h"
#include "docket/util.h"

/* A position in claim order. */
struct queue_walk_key {
	int64_t priority;
	double urgency;
	int64_t id;
};

/* What a walk reads, given by its caller. Two statements read up to a
 * limit of rows of one model's queue in claim order from a position at:
 * sql_same the rest of at's priority (after at's urgency and id), sql_lower
 * the priorities below at's. Their first three columns are the case's
 * priority, urgency and id; the rest are the caller's. bind binds all of
 * a statement's parameters (same: 1 for sql_same). take copies the row
 * the statement is on into row (row_size bytes); drop frees what take
 * allocated in a row never handed out (NULL: nothing to free). chunk: rows
 * read per statement at most (at least 1); a walk's first reads ask for a
 * share of it per model, later ones for more. */
struct queue_walk_ops {
	const char *sql_same, *sql_lower;
	void (*bind)(db_stmt *st, int64_t model_id, const struct queue_walk_key *at,
		     int same, int64_t limit, void *ctx);
	void (*take)(db_stmt *st, void *row, void *ctx);
	void (*drop)(void *row, void *ctx);
	size_t row_size, chunk;
	void *ctx;
};

typedef struct queue_walk queue_walk;

/* Start a walk of model model_id's queue (0: every model's, merged) after
 * the position after (NULL: from the start). ops and ctx must outlive the
 * walk. Returns DK_OK, or DK_ERR (err) on a store error. */
int queue_walk_open(queue_walk **out, store *s, const struct queue_walk_ops *ops,
		    int64_t model_id, const struct queue_walk_key *after,
		    dk_error *err);

/* The next row in claim order, copied into row (ops->row_size bytes; what
 * take allocated in it is the caller's now), and its position into *key
 * when key is not NULL. Returns DK_OK, DK_EMPTY at the end of the queue,
 * or DK_ERR (err): a failed read is never taken for the end. */
int queue_walk_next(queue_walk *w, void *row, struct queue_walk_key *key,
		    dk_error *err);

/* End a walk, dropping the rows read ahead. Safe with NULL. */
void queue_walk_close(queue_walk *w);

#endif
