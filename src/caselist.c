/* caselist.c: `docket cases`: one statement per way in (the index that
 * answers the most selective filter), the other filters applied to the
 * rows it yields, one column list for all. */
#include "docket/caselist.h"

#include <string.h>

#include "docket/clock.h"
#include "docket/model.h"
#include "docket/queue.h"

/* ?1 state, ?2 model id, ?3 reason, ?4 since, ?5 reviewer id, ?6 now,
 * ?7 limit (-1: all). */
#define CL_COLS \
	"SELECT c.ext_id, m.name, c.state, r.name, l.expires_at," \
	" c.route_reason, c.priority, c.prediction, c.confidence," \
	" c.final_label, c.decided_at, c.batch_id, b.imported_at, l.expires_at > ?6" \
	" FROM "
#define CL_JOIN \
	" JOIN models m ON m.id = c.model_id JOIN batches b ON b.id = c.batch_id" \
	" LEFT JOIN leases l ON l.case_id = c.id" \
	" LEFT JOIN reviewers r ON r.id = l.reviewer_id WHERE"
#define CL_MINE \
	"(SELECT case_id FROM leases WHERE reviewer_id = ?5" \
	" UNION SELECT case_id FROM reviews WHERE reviewer_id = ?5)"
#define CL_REST \
	" AND (?1 IS NULL OR c.state = ?1) AND (?2 IS NULL OR c.model_id = ?2)" \
	" AND (?3 IS NULL OR c.route_reason = ?3 OR"                          \
	"  substr(c.route_reason, 1, length(?3) + 1) = ?3 || ' ')" \
	" AND (?4 IS NULL OR b.imported_at >= ?4)" \
	" AND (?5 IS NULL OR c.id IN " CL_MINE ")"

/* Each way in: the index named makes the statement fail to prepare,
 * rather than silently scan, should the schema ever lose it; CROSS JOIN
 * fixes the join order (SQLite never reorders it), so the small table
 * drives. */
static const char cl_sql_queued[] =
	CL_COLS "cases c INDEXED BY cases_queue" CL_JOIN " c.state = 'queued'"
	CL_REST " ORDER BY c.priority DESC, c.urgency, c.id LIMIT ?7";
static const char cl_sql_waiting[] =
	CL_COLS "cases c INDEXED BY cases_waiting" CL_JOIN
	" (c.state = 'escalated' OR c.state = 'disputed')"
	CL_REST " ORDER BY c.state, c.id LIMIT ?7";
static const char cl_sql_held[] =
	CL_COLS "leases l0 CROSS JOIN cases c ON c.id = l0.case_id" CL_JOIN
	" c.state = 'held'" CL_REST " ORDER BY c.id LIMIT ?7";
static const char cl_sql_done[] =
	CL_COLS "cases c INDEXED BY cases_final" CL_JOIN
	" c.final_seq IS NOT NULL" CL_REST " ORDER BY c.final_seq LIMIT ?7";
static const char cl_sql_auto[] =
	CL_COLS "batches b0 CROSS JOIN cases c INDEXED BY cases_batch"
	" ON c.batch_id = b0.id AND c.state = 'auto'" CL_JOIN " 1"
	CL_REST " ORDER BY b0.id, c.id LIMIT ?7";
static const char cl_sql_mine[] =
	CL_COLS "cases c" CL_JOIN " c.id IN " CL_MINE
	CL_REST " ORDER BY c.id LIMIT ?7";
static const char cl_sql_all[] =
	CL_COLS "cases c" CL_JOIN " 1" CL_REST " ORDER BY c.id LIMIT ?7";

/* The statement for f, or NULL for an unknown state. */
static const char *caselist_sql(const struct caselist_filter *f)
{
	const char *st = f->state;
	if (!st)
		return f->reviewer ? cl_sql_mine : cl_sql_all;
	if (!strcmp(st, CASE_QUEUED))
		return cl_sql_queued;
	if (!strcmp(st, CASE_ESCALATED) || !strcmp(st, CASE_DISPUTED))
		return cl_sql_waiting;
	if (!strcmp(st, CASE_HELD))
		return cl_sql_held;
	if (!strcmp(st, CASE_DONE))
		return cl_sql_done;
	if (!strcmp(st, CASE_AUTO))
		return cl_sql_auto;
	return NULL;
}

/* Prepare and bind the statement for f. */
static db_stmt *caselist_prepare(store *s, const struct caselist_filter *f,
				      dk_error *err)
{
	const char *sql = caselist_sql(f);
	if (!sql) {
		dk_fail(err, "unknown state '%s' (expected queued, held, escalated, "
			     "disputed, done or auto)", f->state);
		return NULL;
	}
	int64_t model_id = 0, reviewer_id = 0;
	if (f->model) {
		model m = {0};
		int rc = model_find(s, f->model, &m, err);
		model_id = m.id;
		model_free(&m);
		if (rc == DK_EMPTY)
			dk_fail(err, "%s: no model '%s'", store_path(s), f->model);
		if (rc)
			return NULL;
	}
	if (f->reviewer) {
		/* (queue_reviewer_id would add an unknown name under auto-add:
		 * a listing never writes.) */
		int rc = queue_role(s, f->reviewer, NULL, &reviewer_id, err);
		if (rc == DK_EMPTY)
			dk_fail(err, "%s: no reviewer '%s'", store_path(s),
				f->reviewer);
		if (rc)
			return NULL;
	}
	db_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return NULL;
	if (f->state)
		db_bind_text(st, 1, f->state, -1, DB_STATIC);
	if (f->model)
		db_bind_int64(st, 2, model_id);
	if (f->reason)
		db_bind_text(st, 3, f->reason, -1, DB_STATIC);
	if (f->has_since)
		db_bind_int64(st, 4, f->since_ms);
	if (f->reviewer)
		db_bind_int64(st, 5, reviewer_id);
	db_bind_int64(st, 6, clock_now_ms());
	db_bind_int64(st, 7, f->limit > 0 ? f->limit : -1);
	return st;
}

static const char *cl_text(db_stmt *st, int i)
{
	return (const char *)db_col_text(st, i);
}

int caselist_each(store *s, const struct caselist_filter *f, caselist_fn *fn,
		  void *ctx, dk_error *err)
{
	if (!caselist_sql(f))
		return caselist_prepare(s, f, err) ? DK_ERR : DK_USAGE;
	if (store_begin_read(s, err))
		return DK_ERR;
	db_stmt *st = caselist_prepare(s, f, err);
	int rc = st ? DK_OK : DK_ERR, step = DB_DONE;
	while (st && rc == DK_OK && (step = db_step(st)) == DB_ROW) {
		struct caselist_row r = {
			.ext_id = cl_text(st, 0), .model = cl_text(st, 1),
			.state = cl_text(st, 2), .holder = cl_text(st, 3),
			.lease_expires = db_col_int64(st, 4),
			.reason = cl_text(st, 5),
			.priority = db_col_int64(st, 6),
			.prediction = cl_text(st, 7),
			.confidence = db_col_double(st, 8),
			.final_label = cl_text(st, 9),
			.has_decided_at = db_col_type(st, 10) != DB_NULL,
			.decided_at = db_col_int64(st, 10),
			.batch_id = db_col_int64(st, 11),
			.imported_at = db_col_int64(st, 12),
			.lease_live = db_col_int(st, 13),
		};
		rc = fn(&r, ctx);
	}
	if (st && rc == DK_OK && step != DB_DONE && step != DB_ROW)
		rc = store_fail(s, err, "listing cases");
	if (st)
		store_done(st);
	store_rollback(s); /* ends the read transaction */
	return rc;
}

int caselist_explain(store *s, const struct caselist_filter *f, sbuf *out,
		     dk_error *err)
{
	const char *sql = caselist_sql(f);
	if (!sql)
		return dk_fail(err, "unknown state '%s'", f->state);
	return store_explain(s, sql, out, err);
}
