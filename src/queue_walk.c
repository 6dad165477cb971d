/* queue_walk.c: the queue in claim order over several models, as a merge
 * of each model's walk of cases_queue_model (queue_walk.h). */
#include "docket/queue_walk.h"

#include <stdlib.h>
#include <string.h>

/* One model's part: the rows read ahead (keys[head..n)) and where its
 * next read starts. */
struct qw_part {
	int64_t model_id;
	struct queue_walk_key at; /* the last row read */
	int same;                 /* the next read: the rest of at's priority */
	int done;                 /* nothing after the rows read ahead */
	size_t want;              /* rows the next read asks for */
	size_t head, n;
	struct queue_walk_key *keys;
	unsigned char *rows;
};

struct queue_walk {
	store *s;
	const struct queue_walk_ops *ops;
	struct qw_part *part;
	size_t nparts;
};

static void *qw_row(const queue_walk *w, const struct qw_part *p, size_t i)
{
	return p->rows + i * w->ops->row_size;
}

static void qw_add(queue_walk *w, int64_t model_id,
		   const struct queue_walk_key *after)
{
	struct qw_part *p = &w->part[w->nparts++];
	memset(p, 0, sizeof *p);
	p->model_id = model_id;
	/* From the start: every priority below the highest there is (as
	 * the list screen always read the queue). */
	p->at = after ? *after : (struct queue_walk_key){INT64_MAX, 0, 0};
	p->same = after != NULL;
	p->keys = dk_xmalloc(sizeof *p->keys * w->ops->chunk);
	p->rows = dk_xmalloc(w->ops->row_size * w->ops->chunk);
}

/* The first read of each part asks for its share of a chunk (at least 8
 * rows), a read after it for twice the last, up to a chunk: a page of a
 * list reads about a chunk over all models, not a chunk per model, and a
 * model with most of the page's cases soon reads whole chunks. */
static void qw_first_reads(queue_walk *w)
{
	size_t chunk = w->ops->chunk, share = chunk / (w->nparts ? w->nparts : 1);
	for (size_t i = 0; i < w->nparts; i++)
		w->part[i].want = share < 8 ? (chunk < 8 ? chunk : 8) : share;
}

void queue_walk_close(queue_walk *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->nparts; i++) {
		struct qw_part *p = &w->part[i];
		for (size_t j = p->head; w->ops->drop && j < p->n; j++)
			w->ops->drop(qw_row(w, p, j), w->ops->ctx);
		free(p->keys);
		free(p->rows);
	}
	free(w->part);
	free(w);
}

int queue_walk_open(queue_walk **out, store *s, const struct queue_walk_ops *ops,
		    int64_t model_id, const struct queue_walk_key *after,
		    dk_error *err)
{
	*out = NULL;
	queue_walk *w = dk_xmalloc(sizeof *w);
	memset(w, 0, sizeof *w);
	w->s = s;
	w->ops = ops;
	if (model_id) {
		w->part = dk_xmalloc(sizeof *w->part);
		qw_add(w, model_id, after);
		qw_first_reads(w);
		*out = w;
		return DK_OK;
	}
	/* Every model (a model is a name: few rows). */
	db_stmt *st = store_stmt(s, "SELECT id FROM models ORDER BY id", err);
	if (!st) {
		queue_walk_close(w);
		return DK_ERR;
	}
	size_t cap = 0;
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		if (w->nparts == cap) {
			cap = cap ? cap * 2 : 8;
			w->part = dk_xrealloc(w->part, sizeof *w->part * cap);
		}
		qw_add(w, db_col_int64(st, 0), after);
	}
	store_done(st);
	if (step != DB_DONE) {
		queue_walk_close(w);
		return store_fail(s, err, "reading the models");
	}
	qw_first_reads(w);
	*out = w;
	return DK_OK;
}

/* Read p's next chunk once the rows read ahead are used up: the rest of
 * the last row's priority, then the priorities below it. */
static int qw_fill(queue_walk *w, struct qw_part *p, dk_error *err)
{
	const struct queue_walk_ops *o = w->ops;
	while (p->head == p->n && !p->done) {
		int same = p->same;
		db_stmt *st = store_stmt(w->s, same ? o->sql_same : o->sql_lower, err);
		if (!st)
			return DK_ERR;
		o->bind(st, p->model_id, &p->at, same, (int64_t)p->want, o->ctx);
		p->head = p->n = 0;
		int step = DB_DONE;
		while (p->n < p->want && (step = db_step(st)) == DB_ROW) {
			struct queue_walk_key *k = &p->keys[p->n];
			k->priority = db_col_int64(st, 0);
			k->urgency = db_col_double(st, 1);
			k->id = db_col_int64(st, 2);
			o->take(st, qw_row(w, p, p->n), o->ctx);
			p->n++;
		}
		store_done(st);
		if (step != DB_ROW && step != DB_DONE)
			return store_fail(w->s, err, "reading the queue");
		if (p->n)
			p->at = p->keys[p->n - 1];
		if (p->n == p->want) {
			p->same = 1; /* more may follow, from the last row read */
			p->want = p->want * 2 < o->chunk ? p->want * 2 : o->chunk;
		}
		else if (same)
			p->same = 0; /* that priority is read: the lower ones */
		else
			p->done = 1;
	}
	return DK_OK;
}

/* 1 when a comes before b in claim order. */
static int qw_before(const struct queue_walk_key *a, const struct queue_walk_key *b)
{
	if (a->priority != b->priority)
		return a->priority > b->priority;
	if (a->urgency != b->urgency)
		return a->urgency < b->urgency;
	return a->id < b->id;
}

int queue_walk_next(queue_walk *w, void *row, struct queue_walk_key *key,
		    dk_error *err)
{
	struct qw_part *best = NULL;
	for (size_t i = 0; i < w->nparts; i++) {
		struct qw_part *p = &w->part[i];
		if (qw_fill(w, p, err))
			return DK_ERR;
		if (p->head < p->n &&
		    (!best || qw_before(&p->keys[p->head], &best->keys[best->head])))
			best = p;
	}
	if (!best)
		return DK_EMPTY;
	memcpy(row, qw_row(w, best, best->head), w->ops->row_size);
	if (key)
		*key = best->keys[best->head];
	best->head++;
	return DK_OK;
}
