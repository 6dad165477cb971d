/* caselist.c: `docket cases`: one statement per way in (the index that
 * answers the most selective filter), the other filters applied to the
 * rows it yields, one column list for all. */
#include "docket/caselist.h"

#include <stdlib.h>
#include <string.h>

#include "docket/clock.h"
#include "docket/model.h"
#include "docket/queue.h"
#include "docket/queue_walk.h"

/* ?1 state, ?2 model id, ?3 reason, ?4 since, ?5 reviewer id, ?6 now,
 * ?7 limit (-1: all). R: the route reason read and filtered by, as stored
 * (supervisors) or as reviewers are shown it (store.h; on PostgreSQL a
 * reviewer may not read cases.route_reason). */
#define CL_RAW "c.route_reason"
#define CL_SHOWN STORE_REASON_SHOWN("c")
#define CL_LIST(R) \
	"c.ext_id, m.name, c.state, r.name, l.expires_at," \
	" " R ", c.priority, c.prediction, c.confidence," \
	" c.final_label, c.decided_at, c.batch_id, b.imported_at, l.expires_at > ?6" \
	" FROM "
#define CL_COLS(R) "SELECT " CL_LIST(R)
#define CL_JOIN \
	" JOIN models m ON m.id = c.model_id JOIN batches b ON b.id = c.batch_id" \
	" LEFT JOIN leases l ON l.case_id = c.id" \
	" LEFT JOIN reviewers r ON r.id = l.reviewer_id WHERE"
#define CL_MINE \
	"(SELECT case_id FROM leases WHERE reviewer_id = ?5" \
	" UNION SELECT case_id FROM reviews WHERE reviewer_id = ?5)"
#define CL_REST(R) \
	" AND (?1 IS NULL OR c.state = ?1) AND (?2 IS NULL OR c.model_id = ?2)" \
	" AND (?3 IS NULL OR " R " = ?3 OR" \
	"  substr(" R ", 1, length(?3) + 1) = ?3 || ' ')" \
	" AND (?4 IS NULL OR b.imported_at >= ?4)" \
	" AND (?5 IS NULL OR c.id IN " CL_MINE ")"

/* Each way in: the index named makes the statement fail to prepare,
 * rather than silently scan, should the schema ever lose it; CROSS JOIN
 * fixes the join order (SQLite never reorders it), so the small table
 * drives. Each twice: [0] the reason as stored, [1] as shown. */
/* Queued cases: one model's part of the queue index from a position
 * (?8 priority, ?9 urgency, ?10 id), the rest of its priority or the
 * lower ones; queue_walk.h merges the models' parts in claim order. */
#define CL_QUEUED(R, range) \
	"SELECT c.priority, c.urgency, c.id, " CL_LIST(R) \
	"cases c INDEXED BY cases_queue_model" CL_JOIN \
	" c.model_id = ?2 AND c.state = 'queued'" range CL_REST(R) \
	" ORDER BY c.priority DESC, c.urgency, c.id LIMIT ?7"
#define CL_SAME " AND c.priority = ?8 AND (c.urgency, c.id) > (?9, ?10)"
#define CL_LOWER " AND c.priority < ?8"
static const char *const cl_sql_queued[2] = {CL_QUEUED(CL_RAW, CL_SAME),
					     CL_QUEUED(CL_SHOWN, CL_SAME)};
static const char *const cl_sql_queued_lower[2] = {CL_QUEUED(CL_RAW, CL_LOWER),
						   CL_QUEUED(CL_SHOWN, CL_LOWER)};
#define CL_WAITING(R) \
	CL_COLS(R) "cases c INDEXED BY cases_waiting" CL_JOIN \
	" (c.state = 'escalated' OR c.state = 'disputed')" \
	CL_REST(R) " ORDER BY c.state, c.id LIMIT ?7"
static const char *const cl_sql_waiting[2] = {CL_WAITING(CL_RAW),
					      CL_WAITING(CL_SHOWN)};
#define CL_HELD(R) \
	CL_COLS(R) "leases l0 CROSS JOIN cases c ON c.id = l0.case_id" CL_JOIN \
	" c.state = 'held'" CL_REST(R) " ORDER BY c.id LIMIT ?7"
static const char *const cl_sql_held_lite[2] = {CL_HELD(CL_RAW), CL_HELD(CL_SHOWN)};
#define CL_DONE(R) \
	CL_COLS(R) "cases c INDEXED BY cases_final" CL_JOIN \
	" c.final_seq IS NOT NULL" CL_REST(R) " ORDER BY c.final_seq LIMIT ?7"
static const char *const cl_sql_done[2] = {CL_DONE(CL_RAW), CL_DONE(CL_SHOWN)};
#define CL_AUTO(R) \
	CL_COLS(R) "batches b0 CROSS JOIN cases c INDEXED BY cases_batch" \
	" ON c.batch_id = b0.id AND c.state = 'auto'" CL_JOIN " TRUE" \
	CL_REST(R) " ORDER BY b0.id, c.id LIMIT ?7"
static const char *const cl_sql_auto_lite[2] = {CL_AUTO(CL_RAW), CL_AUTO(CL_SHOWN)};
/* PostgreSQL has no CROSS JOIN ... ON (and plans the join order itself). */
#define CL_HELD_PG(R) \
	CL_COLS(R) "leases l0 JOIN cases c ON c.id = l0.case_id" CL_JOIN \
	" c.state = 'held'" CL_REST(R) " ORDER BY c.id LIMIT ?7"
static const char *const cl_sql_held_pg[2] = {CL_HELD_PG(CL_RAW),
					      CL_HELD_PG(CL_SHOWN)};
#define CL_AUTO_PG(R) \
	CL_COLS(R) "batches b0 JOIN cases c" \
	" ON c.batch_id = b0.id AND c.state = 'auto'" CL_JOIN " TRUE" \
	CL_REST(R) " ORDER BY b0.id, c.id LIMIT ?7"
static const char *const cl_sql_auto_pg[2] = {CL_AUTO_PG(CL_RAW),
					      CL_AUTO_PG(CL_SHOWN)};
#define CL_MINE_ALL(R) \
	CL_COLS(R) "cases c" CL_JOIN " c.id IN " CL_MINE CL_REST(R) \
	" ORDER BY c.id LIMIT ?7"
static const char *const cl_sql_mine[2] = {CL_MINE_ALL(CL_RAW),
					   CL_MINE_ALL(CL_SHOWN)};
#define CL_ALL(R) CL_COLS(R) "cases c" CL_JOIN " TRUE" CL_REST(R) " ORDER BY c.id LIMIT ?7"
static const char *const cl_sql_all[2] = {CL_ALL(CL_RAW), CL_ALL(CL_SHOWN)};

/* The statement for f, or NULL for an unknown state. */
static const char *caselist_sql(const struct caselist_filter *f, int pg)
{
	const char *st = f->state;
	int k = f->shown != 0;
	if (!st)
		return f->reviewer ? cl_sql_mine[k] : cl_sql_all[k];
	if (!strcmp(st, CASE_QUEUED))
		return cl_sql_queued[k];
	if (!strcmp(st, CASE_ESCALATED) || !strcmp(st, CASE_DISPUTED))
		return cl_sql_waiting[k];
	if (!strcmp(st, CASE_HELD))
		return pg ? cl_sql_held_pg[k] : cl_sql_held_lite[k];
	if (!strcmp(st, CASE_DONE))
		return cl_sql_done[k];
	if (!strcmp(st, CASE_AUTO))
		return pg ? cl_sql_auto_pg[k] : cl_sql_auto_lite[k];
	return NULL;
}

/* The ids of f's model and reviewer (0 when f names none). */
static int caselist_resolve(store *s, const struct caselist_filter *f,
			    int64_t *model_id, int64_t *reviewer_id, dk_error *err)
{
	*model_id = *reviewer_id = 0;
	if (f->model) {
		model m = {0};
		int rc = model_find(s, f->model, &m, err);
		*model_id = m.id;
		model_free(&m);
		if (rc == DK_EMPTY)
			dk_fail(err, "%s: no model '%s'", store_path(s), f->model);
		if (rc)
			return DK_ERR;
	}
	if (f->reviewer) {
		/* (queue_reviewer_id would add an unknown name under auto-add:
		 * a listing never writes.) */
		int rc = queue_role(s, f->reviewer, NULL, reviewer_id, err);
		if (rc == DK_EMPTY)
			dk_fail(err, "%s: no reviewer '%s'", store_path(s),
				f->reviewer);
		if (rc)
			return DK_ERR;
	}
	return DK_OK;
}

/* Bind f's filters (?1 to ?6) and limit (?7, -1: all) to st. */
static void caselist_bind(db_stmt *st, const struct caselist_filter *f,
			  int64_t model_id, int64_t reviewer_id, int64_t limit)
{
	if (f->state)
		db_bind_text(st, 1, f->state, -1, DB_STATIC);
	if (model_id)
		db_bind_int64(st, 2, model_id);
	if (f->reason)
		db_bind_text(st, 3, f->reason, -1, DB_STATIC);
	if (f->has_since)
		db_bind_int64(st, 4, f->since_ms);
	if (f->reviewer)
		db_bind_int64(st, 5, reviewer_id);
	db_bind_int64(st, 6, clock_now_ms());
	db_bind_int64(st, 7, limit);
}

static const char *cl_text(db_stmt *st, int i)
{
	return (const char *)db_col_text(st, i);
}

/* A row of caselist_row's columns from column first of st, its strings
 * pointing into st's row. */
static struct caselist_row cl_row(db_stmt *st, int first)
{
	int i = first;
	return (struct caselist_row){
		.ext_id = cl_text(st, i), .model = cl_text(st, i + 1),
		.state = cl_text(st, i + 2), .holder = cl_text(st, i + 3),
		.lease_expires = db_col_int64(st, i + 4),
		.reason = cl_text(st, i + 5),
		.priority = db_col_int64(st, i + 6),
		.prediction = cl_text(st, i + 7),
		.confidence = db_col_double(st, i + 8),
		.final_label = cl_text(st, i + 9),
		.has_decided_at = db_col_type(st, i + 10) != DB_NULL,
		.decided_at = db_col_int64(st, i + 10),
		.batch_id = db_col_int64(st, i + 11),
		.imported_at = db_col_int64(st, i + 12),
		.lease_live = db_col_int(st, i + 13),
	};
}

/* The queued cases' walk (queue_walk.h); its rows own copies of their
 * strings. */
struct cl_walk {
	const struct caselist_filter *f;
	int64_t reviewer_id;
};

static const char *cl_dup(const char *v)
{
	return v ? dk_xstrdup(v) : NULL;
}

static void cl_walk_bind(db_stmt *st, int64_t mid, const struct queue_walk_key *at,
			 int same, int64_t limit, void *ctx)
{
	const struct cl_walk *w = ctx;
	caselist_bind(st, w->f, mid, w->reviewer_id, limit);
	db_bind_int64(st, 8, at->priority);
	if (same) {
		db_bind_double(st, 9, at->urgency);
		db_bind_int64(st, 10, at->id);
	}
}

static void cl_walk_take(db_stmt *st, void *out, void *ctx)
{
	(void)ctx;
	struct caselist_row *r = out;
	*r = cl_row(st, 3);
	r->ext_id = cl_dup(r->ext_id);
	r->model = cl_dup(r->model);
	r->state = cl_dup(r->state);
	r->holder = cl_dup(r->holder);
	r->reason = cl_dup(r->reason);
	r->prediction = cl_dup(r->prediction);
	r->final_label = cl_dup(r->final_label);
}

static void cl_walk_drop(void *row, void *ctx)
{
	(void)ctx;
	struct caselist_row *r = row;
	free((char *)r->ext_id);
	free((char *)r->model);
	free((char *)r->state);
	free((char *)r->holder);
	free((char *)r->reason);
	free((char *)r->prediction);
	free((char *)r->final_label);
}

/* Queued cases in claim order over every model, or f's one: a merge of
 * the models' walks of the queue index, never a sort of the queue. */
static int caselist_queued(store *s, const struct caselist_filter *f,
			   int64_t model_id, int64_t reviewer_id, caselist_fn *fn,
			   void *ctx, dk_error *err)
{
	struct cl_walk cw = {f, reviewer_id};
	const struct queue_walk_ops ops = {
		.sql_same = cl_sql_queued[f->shown != 0],
		.sql_lower = cl_sql_queued_lower[f->shown != 0],
		.bind = cl_walk_bind, .take = cl_walk_take, .drop = cl_walk_drop,
		.row_size = sizeof(struct caselist_row),
		.chunk = f->limit > 0 && f->limit < 256 ? (size_t)f->limit : 256,
		.ctx = &cw,
	};
	queue_walk *w;
	if (queue_walk_open(&w, s, &ops, model_id, NULL, err))
		return DK_ERR;
	int rc = DK_OK;
	for (int64_t n = 0; rc == DK_OK && (f->limit <= 0 || n < f->limit); n++) {
		struct caselist_row row;
		rc = queue_walk_next(w, &row, NULL, err);
		if (rc == DK_EMPTY) {
			rc = DK_OK;
			break;
		}
		if (rc == DK_OK) {
			rc = fn(&row, ctx);
			cl_walk_drop(&row, NULL);
		}
	}
	queue_walk_close(w);
	return rc;
}

/* Every other listing: one statement's rows. */
static int caselist_rows(store *s, const char *sql, const struct caselist_filter *f,
			 int64_t model_id, int64_t reviewer_id, caselist_fn *fn,
			 void *ctx, dk_error *err)
{
	db_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return DK_ERR;
	caselist_bind(st, f, model_id, reviewer_id, f->limit > 0 ? f->limit : -1);
	int rc = DK_OK, step = DB_DONE;
	while (rc == DK_OK && (step = db_step(st)) == DB_ROW) {
		struct caselist_row r = cl_row(st, 0);
		rc = fn(&r, ctx);
	}
	if (rc == DK_OK && step != DB_DONE)
		rc = store_fail(s, err, "listing cases");
	store_done(st);
	return rc;
}

int caselist_each(store *s, const struct caselist_filter *f, caselist_fn *fn,
		  void *ctx, dk_error *err)
{
	const char *sql = caselist_sql(f, store_engine(s) == STORE_POSTGRES);
	if (!sql) {
		dk_fail(err, "unknown state '%s' (expected queued, held, escalated, "
			     "disputed, done or auto)", f->state);
		return DK_USAGE;
	}
	if (store_begin_read(s, err))
		return DK_ERR;
	int64_t model_id, reviewer_id;
	int rc = caselist_resolve(s, f, &model_id, &reviewer_id, err);
	if (rc == DK_OK && sql == cl_sql_queued[f->shown != 0])
		rc = caselist_queued(s, f, model_id, reviewer_id, fn, ctx, err);
	else if (rc == DK_OK)
		rc = caselist_rows(s, sql, f, model_id, reviewer_id, fn, ctx, err);
	store_rollback(s); /* ends the read transaction */
	return rc;
}

int caselist_explain(store *s, const struct caselist_filter *f, sbuf *out,
		     dk_error *err)
{
	const char *sql = caselist_sql(f, store_engine(s) == STORE_POSTGRES);
	if (!sql)
		return dk_fail(err, "unknown state '%s'", f->state);
	if (sql == cl_sql_queued[f->shown != 0] &&
	    store_explain(s, cl_sql_queued_lower[f->shown != 0], out, err))
		return DK_ERR;
	return store_explain(s, sql, out, err);
}
