/* fair_counts.c: a model's cases counted by one field's value, batch by
 * batch, kept in fair_batches/fair_counts (see fair_counts.h). */
#include "docket/fair_counts.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "docket/stats.h"

/* A part with at most this many rows is always worth keeping; above it,
 * only when it is four times smaller than the cases it counts. */
#define FAIRCOUNT_SMALL 4096
/* log entries after a kept touched part before it is re-dated */
#define FAIRCOUNT_REDATE 1000

struct faircount_keep {
	int64_t batch;
	int part;
	int64_t old_seq; /* re-date only: the kept seq checked valid */
	int redate;
	size_t from, to; /* rows counted fresh: set->rows[from, to) */
	int64_t cases;   /* cases they count */
};

/* The route class of a case, as stats.c's inclusion probability reads its
 * route reason: none, the audit sample ("audit" then a space or the end),
 * or any other rule. ?3 is "audit", ?4 "audit ". */
#define FC_ROUTE                                                                \
	"CASE WHEN route_reason IS NULL THEN 0"                                 \
	" WHEN route_reason = ?3 OR substr(route_reason, 1, length(?4)) = ?4"   \
	" THEN 2 ELSE 1 END"

/* The field's value: SQLite's json_extract gives an SQL value of the JSON
 * value's type. PostgreSQL's (the compat function, pg_schema.c) gives json,
 * which has no equality to group by: it groups by the value as jsonb and
 * reads it back as json. On PostgreSQL personal values live apart from the
 * context (case_pii, src/engine/pg_roles.c), readable by supervisors only:
 * a pii: field is read from the case's row there (which holds the pii:
 * members alone), and from the context for a case that has none. fc_sql
 * picks the statement. */
#define FC_VAL(p) "json_extract(context, " p ")"
/* SQLite: a context stored as an array (casejson.h) holds the field at
 * its place in the batch's key list: ?9 maps each of the model's batches
 * that has the field to its path ({"BATCH":"$[N]"}, fc_bind_field). */
#define FC_VAL_LITE(p)                                                          \
	"json_extract(context, CASE WHEN substr(context, 1, 1) = '['"            \
	" THEN json_extract(?9, '$.\"' || batch_id || '\"') ELSE " p " END)"
#define FC_VAL_PG(p) "json_extract(context, " p ")::jsonb"
#define FC_CTX_PG_FULL                                                          \
	"coalesce((SELECT pii.context FROM docket.case_pii pii"                  \
	" WHERE pii.case_id = id), context)"
#define FC_VAL_PG_FULL(p) "json_extract(" FC_CTX_PG_FULL ", " p ")::jsonb"

#define FC_SQL_SCORED(v, cast)                                                  \
	"SELECT " v cast ", prediction, NULL, " FC_ROUTE ","                      \
	" policy_version, count(*) FROM cases WHERE batch_id = ?1"               \
	" GROUP BY " v ", 2, 4, 5"
/* Moved off the routed state: a final label, or no route reason and not
 * left to the model any more (states as in the cases table's CHECK). */
#define FC_SQL_TOUCHED(v, cast)                                                 \
	"SELECT " v cast ", prediction, final_label, " FC_ROUTE ","               \
	" policy_version, count(*) FROM cases WHERE batch_id = ?1"               \
	" AND state IN ('queued', 'held', 'escalated', 'disputed', 'done')"      \
	" AND (final_label IS NOT NULL OR route_reason IS NULL)"                 \
	" GROUP BY " v ", 2, 3, 4, 5"
#define FC_SQL_WINDOW(v, cast)                                                  \
	"SELECT " v cast ", prediction, final_label, count(*)"                    \
	" FROM cases WHERE final_seq IS NOT NULL AND model_id = ?1"              \
	" AND (?2 IS NULL OR decided_at >= ?2) AND (?3 IS NULL OR decided_at < ?3)" \
	" GROUP BY " v ", 2, 3"

/* [0] SQLite, [1] PostgreSQL, [2] PostgreSQL, a pii: field */
static const char *const fc_sql_scored[3] = {
	FC_SQL_SCORED(FC_VAL_LITE("?2"), ""),
	FC_SQL_SCORED(FC_VAL_PG("?2"), "::json"),
	FC_SQL_SCORED(FC_VAL_PG_FULL("?2"), "::json"),
};
static const char *const fc_sql_touched[3] = {
	FC_SQL_TOUCHED(FC_VAL_LITE("?2"), ""),
	FC_SQL_TOUCHED(FC_VAL_PG("?2"), "::json"),
	FC_SQL_TOUCHED(FC_VAL_PG_FULL("?2"), "::json"),
};
static const char *const fc_sql_window[3] = {
	FC_SQL_WINDOW(FC_VAL_LITE("?5"), ""),
	FC_SQL_WINDOW(FC_VAL_PG("?5"), "::json"),
	FC_SQL_WINDOW(FC_VAL_PG_FULL("?5"), "::json"),
};

static const char *fc_sql(store *s, const char *field, const char *const sql[3])
{
	if (store_engine(s) != STORE_POSTGRES)
		return sql[0];
	return field && !strncmp(field, "pii:", 4) ? sql[2] : sql[1];
}

/* The kept path: every statement below is a seek. */
static const char fc_sql_model[] = "SELECT policy_version FROM models WHERE id = ?1";
static const char fc_sql_seq[] = "SELECT max(seq) FROM decisions";
static const char fc_sql_batches[] =
	"SELECT id, rows FROM batches WHERE model_id = ?1 ORDER BY id";
static const char fc_sql_kept[] =
	"SELECT part, policy_version, seq, rows FROM fair_batches"
	" WHERE batch_id = ?1 AND field = ?2";
/* the batches a log entry after ?1 touched */
static const char fc_sql_since[] =
	"SELECT c.batch_id, d.seq FROM decisions d CROSS JOIN cases c"
	" WHERE d.seq > ?1 AND c.id = d.case_id AND c.model_id = ?2";
static const char fc_sql_rows[] =
	"SELECT value_kind, value_num, value_text, prediction, final_label, route,"
	" policy_version, n FROM fair_counts"
	" WHERE batch_id = ?1 AND field = ?2 AND part = ?3";

static const char *fc_str(struct faircount_set *set, const char *s, size_t len, int intern)
{
	/* labels are few: one copy of each */
	if (intern)
		for (size_t i = 0; i < set->nlabels; i++)
			if (strlen(set->labels[i]) == len && !memcmp(set->labels[i], s, len))
				return set->labels[i];
	char *c = dk_xmalloc(len + 1);
	memcpy(c, s, len);
	c[len] = '\0';
	set->strs = dk_xrealloc(set->strs, (set->nstrs + 1) * sizeof *set->strs);
	set->strs[set->nstrs++] = c;
	if (intern) {
		set->labels = dk_xrealloc(set->labels, (set->nlabels + 1) * sizeof *set->labels);
		set->labels[set->nlabels++] = c;
	}
	return c;
}

static struct faircount_row *fc_push(struct faircount_set *set)
{
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 64;
		set->rows = dk_xrealloc(set->rows, set->cap * sizeof *set->rows);
	}
	struct faircount_row *r = &set->rows[set->n++];
	memset(r, 0, sizeof *r);
	return r;
}

static const char *fc_label(struct faircount_set *set, db_stmt *q, int col)
{
	if (db_col_type(q, col) == DB_NULL)
		return NULL;
	const char *t = (const char *)db_col_text(q, col);
	return fc_str(set, t ? t : "", (size_t)db_col_bytes(q, col), 1);
}

/* One row of a count from the cases: value, prediction, final, route,
 * version, n (route and version absent in a window's rows: ncol 4). */
static void fc_add_counted(struct faircount_set *set, int part, db_stmt *q, int ncol)
{
	struct faircount_row *r = fc_push(set);
	r->part = part;
	int type = db_col_type(q, 0);
	if (type == DB_NULL || (type == DB_TEXT && db_col_bytes(q, 0) == 0)) {
		r->kind = FAIRCOUNT_MISSING;
	} else if (type == DB_INTEGER || type == DB_FLOAT) {
		r->kind = FAIRCOUNT_NUMBER;
		r->num = db_col_double(q, 0);
	} else {
		r->kind = FAIRCOUNT_TEXT;
		const char *t = (const char *)db_col_text(q, 0);
		r->len = (size_t)db_col_bytes(q, 0);
		r->text = fc_str(set, t ? t : "", t ? r->len : 0, 0);
	}
	r->pred = fc_label(set, q, 1);
	if (!r->pred)
		r->pred = fc_str(set, "", 0, 1);
	r->fin = fc_label(set, q, 2);
	if (ncol > 4) {
		r->route = db_col_int(q, 3);
		r->version = db_col_int64(q, 4);
	}
	r->n = db_col_int64(q, ncol - 1);
}

/* Bind field's path in an object to parameter col of q, and on SQLite its
 * path in the array-form contexts of the model's batches to ?9 (FC_VAL_LITE):
 * one lookup per call, over the model's batches (batches_model). */
static int fc_bind_field(store *s, db_stmt *q, int col, int64_t model_id,
			 const char *field, dk_error *err)
{
	sbuf p = {0};
	sbuf_adds(&p, "$.");
	sbuf_add_json_str(&p, field, strlen(field));
	db_bind_text(q, col, sbuf_str(&p), -1, DB_TRANSIENT);
	if (store_engine(s) != STORE_SQLITE) {
		sbuf_free(&p);
		return DK_OK;
	}
	db_stmt *k = store_stmt(s,
				"SELECT json_group_object(b.id, '$[' || j.key || ']')"
				" FROM batches b, json_each(b.ctx_keys) j"
				" WHERE b.model_id = ?1 AND j.value = ?2",
				err);
	if (!k) {
		sbuf_free(&p);
		return DK_ERR;
	}
	db_bind_int64(k, 1, model_id);
	db_bind_text(k, 2, field, -1, DB_STATIC);
	int step = db_step(k);
	if (step == DB_ROW)
		db_bind_text(q, 9, (const char *)db_col_text(k, 0), -1, DB_TRANSIENT);
	store_done(k);
	sbuf_free(&p);
	if (step != DB_ROW)
		return store_fail(s, err, "reading the batches' keys");
	return DK_OK;
}

/* Count part of batch from its cases; *cases gets the cases counted. */
static int fc_count(store *s, struct faircount_set *set, int64_t batch, int part,
		    int64_t *cases, dk_error *err)
{
	db_stmt *q = store_stmt(
		s,
		fc_sql(s, set->field,
		       part == FAIRCOUNT_SCORED ? fc_sql_scored : fc_sql_touched),
		err);
	if (!q)
		return DK_ERR;
	db_bind_int64(q, 1, batch);
	if (fc_bind_field(s, q, 2, set->model_id, set->field, err)) {
		store_done(q);
		return DK_ERR;
	}
	db_bind_text(q, 3, STATS_ROUTE_AUDIT, -1, DB_STATIC);
	db_bind_text(q, 4, STATS_ROUTE_AUDIT " ", -1, DB_STATIC);
	int step;
	*cases = 0;
	while ((step = db_step(q)) == DB_ROW) {
		fc_add_counted(set, part, q, 6);
		*cases += set->rows[set->n - 1].n;
	}
	store_done(q);
	set->fresh++;
	return step == DB_DONE ? DK_OK : store_fail(s, err, "counting cases by field");
}

static int fc_read_kept(store *s, struct faircount_set *set, int64_t batch, int part,
			dk_error *err)
{
	db_stmt *q = store_stmt(s, fc_sql_rows, err);
	if (!q)
		return DK_ERR;
	db_bind_int64(q, 1, batch);
	db_bind_text(q, 2, set->field, -1, DB_STATIC);
	db_bind_int(q, 3, part);
	int step;
	while ((step = db_step(q)) == DB_ROW) {
		struct faircount_row *r = fc_push(set);
		r->part = part;
		r->kind = db_col_int(q, 0);
		if (r->kind == FAIRCOUNT_NUMBER)
			r->num = db_col_double(q, 1);
		if (r->kind == FAIRCOUNT_TEXT) {
			const char *t = (const char *)db_col_text(q, 2);
			r->len = (size_t)db_col_bytes(q, 2);
			r->text = fc_str(set, t ? t : "", t ? r->len : 0, 0);
		}
		r->pred = fc_label(set, q, 3);
		if (!r->pred)
			r->pred = fc_str(set, "", 0, 1);
		r->fin = fc_label(set, q, 4);
		r->route = db_col_int(q, 5);
		r->version = db_col_int64(q, 6);
		r->n = db_col_int64(q, 7);
	}
	store_done(q);
	return step == DB_DONE ? DK_OK : store_fail(s, err, "reading kept counts");
}

static int64_t fc_int(store *s, const char *sql, int64_t arg, dk_error *err, int *rc)
{
	int64_t v = 0;
	db_stmt *q = store_stmt(s, sql, err);
	if (!q) {
		*rc = DK_ERR;
		return 0;
	}
	if (arg)
		db_bind_int64(q, 1, arg);
	int step = db_step(q);
	if (step == DB_ROW)
		v = db_col_int64(q, 0);
	store_done(q);
	if (step != DB_ROW && step != DB_DONE)
		*rc = store_fail(s, err, "reading the store");
	return v;
}

static void fc_keep(struct faircount_set *set, struct faircount_keep k)
{
	set->keep = dk_xrealloc(set->keep, (set->nkeep + 1) * sizeof *set->keep);
	set->keep[set->nkeep++] = k;
}

/* ---- one pass over all the model's cases ---- */

/* When most of a model's cases are to be counted (the first run for a
 * field, or after a policy change), one pass in table order with the rows
 * summed here in a hash table beats a GROUP BY per batch (which sorts). */
#define FC_SQL_ALL(v)                                                           \
	"SELECT batch_id, " v ", prediction, final_label, "                      \
	FC_ROUTE ", policy_version,"                                              \
	" state IN ('queued', 'held', 'escalated', 'disputed', 'done')"          \
	" AND (final_label IS NOT NULL OR route_reason IS NULL)"                 \
	" FROM cases NOT INDEXED WHERE model_id = ?1"
/* (no grouping here: the rows are summed in C) */
static const char *const fc_sql_all[3] = {
	FC_SQL_ALL(FC_VAL_LITE("?2")),
	FC_SQL_ALL(FC_VAL("?2")),
	FC_SQL_ALL("json_extract(" FC_CTX_PG_FULL ", ?2)"),
};

struct fc_entry {
	int64_t batch;
	struct faircount_row r;
};

struct fc_agg {
	struct fc_entry *e;
	size_t n, cap;
	size_t *slot; /* index + 1 into e; 0: empty */
	size_t nslot;
};

#define FC_MIX(h, x) ((h) = ((h) ^ (uint64_t)(x)) * 1099511628211ull)

static uint64_t fc_hash(int64_t batch, const struct faircount_row *r)
{
	uint64_t h = 1469598103934665603ull;
	FC_MIX(h, batch);
	FC_MIX(h, r->part);
	FC_MIX(h, r->kind);
	FC_MIX(h, r->route);
	FC_MIX(h, r->version);
	FC_MIX(h, (uintptr_t)r->pred);
	FC_MIX(h, (uintptr_t)r->fin);
	if (r->kind == FAIRCOUNT_NUMBER) {
		double d = r->num == 0 ? 0.0 : r->num; /* -0 and 0 are one value */
		uint64_t b;
		memcpy(&b, &d, sizeof b);
		FC_MIX(h, b);
	}
	for (size_t i = 0; r->kind == FAIRCOUNT_TEXT && i < r->len; i++)
		FC_MIX(h, (unsigned char)r->text[i]);
	return h;
}

/* Equal as SQL's GROUP BY would have it (labels are interned). */
static int fc_same(const struct fc_entry *e, int64_t batch, const struct faircount_row *r)
{
	const struct faircount_row *a = &e->r;
	if (e->batch != batch || a->part != r->part || a->kind != r->kind ||
	    a->route != r->route || a->version != r->version || a->pred != r->pred ||
	    a->fin != r->fin)
		return 0;
	if (a->kind == FAIRCOUNT_NUMBER)
		return a->num == r->num;
	if (a->kind == FAIRCOUNT_TEXT)
		return a->len == r->len && !memcmp(a->text, r->text, r->len);
	return 1;
}

static void fc_agg_slot(struct fc_agg *g, size_t i)
{
	size_t k = fc_hash(g->e[i].batch, &g->e[i].r) & (g->nslot - 1);
	while (g->slot[k])
		k = (k + 1) & (g->nslot - 1);
	g->slot[k] = i + 1;
}

/* Add r (its text not yet owned) to the sums. */
static void fc_agg_add(struct fc_agg *g, struct faircount_set *set, int64_t batch,
		       const struct faircount_row *r)
{
	if (g->nslot) {
		size_t k = fc_hash(batch, r) & (g->nslot - 1);
		for (; g->slot[k]; k = (k + 1) & (g->nslot - 1))
			if (fc_same(&g->e[g->slot[k] - 1], batch, r)) {
				g->e[g->slot[k] - 1].r.n += r->n;
				return;
			}
	}
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 256;
		g->e = dk_xrealloc(g->e, g->cap * sizeof *g->e);
	}
	struct fc_entry *e = &g->e[g->n++];
	e->batch = batch;
	e->r = *r;
	if (r->kind == FAIRCOUNT_TEXT)
		e->r.text = fc_str(set, r->text, r->len, 0);
	if (g->n * 2 > g->nslot) {
		free(g->slot);
		g->nslot = g->nslot ? g->nslot * 2 : 1024;
		g->slot = calloc(g->nslot, sizeof *g->slot);
		for (size_t i = 0; i < g->n; i++)
			fc_agg_slot(g, i);
	} else {
		fc_agg_slot(g, g->n - 1);
	}
}

static int fc_cmp_entry(const void *a, const void *b)
{
	const struct fc_entry *x = a, *y = b;
	if (x->batch != y->batch)
		return x->batch < y->batch ? -1 : 1;
	return (x->r.part > y->r.part) - (x->r.part < y->r.part);
}

struct fc_batch {
	int64_t id, rows;
	int64_t touched;   /* the newest log seq on one of its cases (since smin) */
	int has[2];        /* kept part valid under this policy version */
	int64_t kseq[2], krows[2];
	unsigned need;     /* parts to count from the cases */
};

static size_t fc_find(const struct fc_batch *b, size_t nb, int64_t id)
{
	size_t lo = 0, hi = nb; /* batches are in id order */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (b[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < nb && b[lo].id == id ? lo : SIZE_MAX;
}

static void fc_keep(struct faircount_set *set, struct faircount_keep k);

/* Count the parts b[i].need asks for, for every batch, in one pass. */
static int fc_count_all(store *s, struct faircount_set *set, struct fc_batch *b, size_t nb,
			int keepable, dk_error *err)
{
	db_stmt *q = store_stmt(s, fc_sql(s, set->field, fc_sql_all), err);
	if (!q)
		return DK_ERR;
	db_bind_int64(q, 1, set->model_id);
	if (fc_bind_field(s, q, 2, set->model_id, set->field, err)) {
		store_done(q);
		return DK_ERR;
	}
	db_bind_text(q, 3, STATS_ROUTE_AUDIT, -1, DB_STATIC);
	db_bind_text(q, 4, STATS_ROUTE_AUDIT " ", -1, DB_STATIC);
	struct fc_agg g = {0};
	int step;
	while ((step = db_step(q)) == DB_ROW) {
		int64_t id = db_col_int64(q, 0);
		size_t i = fc_find(b, nb, id);
		if (i == SIZE_MAX || !b[i].need)
			continue;
		struct faircount_row r = {0};
		int type = db_col_type(q, 1);
		if (type == DB_NULL ||
		    (type == DB_TEXT && db_col_bytes(q, 1) == 0)) {
			r.kind = FAIRCOUNT_MISSING;
		} else if (type == DB_INTEGER || type == DB_FLOAT) {
			r.kind = FAIRCOUNT_NUMBER;
			r.num = db_col_double(q, 1);
		} else {
			r.kind = FAIRCOUNT_TEXT;
			const char *t = (const char *)db_col_text(q, 1);
			r.len = t ? (size_t)db_col_bytes(q, 1) : 0;
			r.text = t ? t : "";
		}
		r.pred = fc_label(set, q, 2);
		if (!r.pred)
			r.pred = fc_str(set, "", 0, 1);
		r.route = db_col_int(q, 4);
		r.version = db_col_int64(q, 5);
		r.n = 1;
		if (b[i].need & (1u << FAIRCOUNT_SCORED)) {
			r.part = FAIRCOUNT_SCORED;
			fc_agg_add(&g, set, id, &r);
		}
		if ((b[i].need & (1u << FAIRCOUNT_TOUCHED)) && db_col_int(q, 6)) {
			r.part = FAIRCOUNT_TOUCHED;
			r.fin = fc_label(set, q, 3);
			fc_agg_add(&g, set, id, &r);
		}
	}
	store_done(q);
	int rc = step == DB_DONE ? DK_OK : store_fail(s, err, "counting cases by field");
	if (rc == DK_OK && g.n)
		dk_sort(g.e, g.n, sizeof *g.e, fc_cmp_entry);
	/* each batch's part as the rows of a count, in a run */
	for (size_t i = 0; rc == DK_OK && i < nb; i++)
		for (int p = FAIRCOUNT_SCORED; p <= FAIRCOUNT_TOUCHED; p++)
			if (b[i].need & (1u << p)) {
				size_t from = set->n;
				int64_t cases = 0;
				struct fc_entry key = {.batch = b[i].id, .r = {.part = p}};
				/* the first entry of (batch, part): entries are sorted */
				size_t lo = 0, hi = g.n;
				while (lo < hi) {
					size_t mid = (lo + hi) / 2;
					if (fc_cmp_entry(&g.e[mid], &key) < 0)
						lo = mid + 1;
					else
						hi = mid;
				}
				for (; lo < g.n && !fc_cmp_entry(&g.e[lo], &key); lo++) {
					*fc_push(set) = g.e[lo].r;
					cases += g.e[lo].r.n;
				}
				set->fresh++;
				size_t nrows = set->n - from;
				if (keepable &&
				    (nrows <= FAIRCOUNT_SMALL || (int64_t)nrows * 4 <= cases))
					fc_keep(set, (struct faircount_keep){.batch = b[i].id, .part = p,
									     .from = from, .to = set->n,
									     .cases = cases});
			}
	free(g.e);
	free(g.slot);
	return rc;
}

int faircount_load(store *s, int64_t model_id, const char *field, unsigned parts,
		   struct faircount_set *set, dk_error *err)
{
	int rc = DK_OK;
	free(set->field);
	set->field = dk_xstrdup(field);
	set->model_id = model_id;
	set->pv = fc_int(s, fc_sql_model, model_id, err, &rc);
	set->seq = fc_int(s, fc_sql_seq, 0, err, &rc);
	if (rc)
		return rc;
	int keepable = strncmp(field, "pii:", 4) != 0;
	struct fc_batch *b = NULL;
	size_t nb = 0;
	db_stmt *q = store_stmt(s, fc_sql_batches, err);
	if (!q)
		return DK_ERR;
	db_bind_int64(q, 1, model_id);
	int step;
	while ((step = db_step(q)) == DB_ROW) {
		b = dk_xrealloc(b, (nb + 1) * sizeof *b);
		memset(&b[nb], 0, sizeof *b);
		b[nb].id = db_col_int64(q, 0);
		b[nb].rows = db_col_int64(q, 1);
		nb++;
	}
	store_done(q);
	if (step != DB_DONE) {
		rc = store_fail(s, err, "reading batches");
		goto out;
	}
	/* what is kept for this field, and the oldest seq a kept touched
	 * part was counted at */
	int64_t smin = set->seq;
	for (size_t i = 0; keepable && i < nb; i++) {
		q = store_stmt(s, fc_sql_kept, err);
		if (!q) {
			rc = DK_ERR;
			goto out;
		}
		db_bind_int64(q, 1, b[i].id);
		db_bind_text(q, 2, field, -1, DB_STATIC);
		while ((step = db_step(q)) == DB_ROW) {
			int p = db_col_int(q, 0);
			if ((p != FAIRCOUNT_SCORED && p != FAIRCOUNT_TOUCHED) ||
			    db_col_int64(q, 1) != set->pv)
				continue;
			b[i].has[p] = 1;
			b[i].kseq[p] = db_col_int64(q, 2);
			b[i].krows[p] = db_col_int64(q, 3);
			if (p == FAIRCOUNT_TOUCHED && b[i].kseq[p] < smin)
				smin = b[i].kseq[p];
		}
		store_done(q);
		if (step != DB_DONE) {
			rc = store_fail(s, err, "reading kept counts");
			goto out;
		}
	}
	/* the batches a decision (or undo, amend, resolve) touched since */
	if (smin < set->seq && (parts & (1u << FAIRCOUNT_TOUCHED))) {
		q = store_stmt(s, fc_sql_since, err);
		if (!q) {
			rc = DK_ERR;
			goto out;
		}
		db_bind_int64(q, 1, smin);
		db_bind_int64(q, 2, model_id);
		while ((step = db_step(q)) == DB_ROW) {
			int64_t id = db_col_int64(q, 0), seq = db_col_int64(q, 1);
			size_t i = fc_find(b, nb, id);
			if (i != SIZE_MAX && seq > b[i].touched)
				b[i].touched = seq;
		}
		store_done(q);
		if (step != DB_DONE) {
			rc = store_fail(s, err, "reading the log");
			goto out;
		}
	}
	int64_t all = 0, counted = 0;
	for (size_t i = 0; i < nb; i++) {
		all += b[i].rows;
		for (int p = FAIRCOUNT_SCORED; p <= FAIRCOUNT_TOUCHED; p++) {
			if (!(parts & (1u << p)))
				continue;
			int valid = b[i].has[p] &&
				    (p == FAIRCOUNT_SCORED ? b[i].krows[p] == b[i].rows
							   : b[i].touched <= b[i].kseq[p]);
			if (valid) {
				if ((rc = fc_read_kept(s, set, b[i].id, p, err)))
					goto out;
				if (p == FAIRCOUNT_TOUCHED && b[i].kseq[p] < set->seq)
					fc_keep(set, (struct faircount_keep){
							     .batch = b[i].id, .part = p,
							     .old_seq = b[i].kseq[p], .redate = 1});
				continue;
			}
			if (p == FAIRCOUNT_SCORED)
				counted += b[i].rows;
			b[i].need |= 1u << p;
		}
	}
	/* Most of the cases to count: one pass; else batch by batch (a
	 * touched part alone reads only the batch's cases off their routed
	 * state, through cases_batch: the recount after decisions). */
	if (counted * 2 > all) {
		rc = fc_count_all(s, set, b, nb, keepable, err);
		goto out;
	}
	for (size_t i = 0; i < nb; i++) {
		for (int p = FAIRCOUNT_SCORED; p <= FAIRCOUNT_TOUCHED; p++) {
			if (!(b[i].need & (1u << p)))
				continue;
			size_t from = set->n;
			int64_t cases;
			if ((rc = fc_count(s, set, b[i].id, p, &cases, err)))
				goto out;
			size_t nrows = set->n - from;
			if (keepable &&
			    (nrows <= FAIRCOUNT_SMALL || (int64_t)nrows * 4 <= cases))
				fc_keep(set, (struct faircount_keep){.batch = b[i].id, .part = p,
								     .from = from, .to = set->n,
								     .cases = cases});
		}
	}
out:
	free(b);
	return rc;
}

int faircount_window(store *s, int64_t model_id, const char *field, int has_since,
		     int64_t since, int has_until, int64_t until,
		     struct faircount_set *set, dk_error *err)
{
	db_stmt *q = store_stmt(s, fc_sql(s, field, fc_sql_window), err);
	if (!q)
		return DK_ERR;
	db_bind_int64(q, 1, model_id);
	if (has_since)
		db_bind_int64(q, 2, since);
	if (has_until)
		db_bind_int64(q, 3, until);
	if (fc_bind_field(s, q, 5, model_id, field, err)) {
		store_done(q);
		return DK_ERR;
	}
	int step;
	while ((step = db_step(q)) == DB_ROW)
		fc_add_counted(set, FAIRCOUNT_TOUCHED, q, 4);
	store_done(q);
	return step == DB_DONE ? DK_OK : store_fail(s, err, "reading reviewed cases");
}

static int fc_exec(db_stmt *q)
{
	int step = db_step(q);
	store_done(q);
	return step == DB_DONE ? DK_OK : DK_ERR;
}

/* Replace the kept part k with the rows counted. */
static int fc_save_part(store *s, struct faircount_set *set, const struct faircount_keep *k)
{
	/* one kept at least as new stays */
	db_stmt *q = store_stmt(s,
				     "SELECT policy_version, seq FROM fair_batches"
				     " WHERE batch_id = ?1 AND field = ?2 AND part = ?3",
				     NULL);
	if (!q)
		return DK_ERR;
	db_bind_int64(q, 1, k->batch);
	db_bind_text(q, 2, set->field, -1, DB_STATIC);
	db_bind_int(q, 3, k->part);
	int newer = db_step(q) == DB_ROW && db_col_int64(q, 0) == set->pv &&
		    db_col_int64(q, 1) >= set->seq;
	store_done(q);
	if (newer)
		return DK_OK;
	q = store_stmt(s, "DELETE FROM fair_counts WHERE batch_id = ?1 AND field = ?2"
			  " AND part = ?3", NULL);
	if (!q)
		return DK_ERR;
	db_bind_int64(q, 1, k->batch);
	db_bind_text(q, 2, set->field, -1, DB_STATIC);
	db_bind_int(q, 3, k->part);
	if (fc_exec(q))
		return DK_ERR;
	for (size_t i = k->from; i < k->to; i++) {
		const struct faircount_row *r = &set->rows[i];
		q = store_stmt(s,
			       "INSERT INTO fair_counts(batch_id, field, part, value_kind,"
			       " value_num, value_text, prediction, final_label, route,"
			       " policy_version, n) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
			       " ?10, ?11)",
			       NULL);
		if (!q)
			return DK_ERR;
		db_bind_int64(q, 1, k->batch);
		db_bind_text(q, 2, set->field, -1, DB_STATIC);
		db_bind_int(q, 3, k->part);
		db_bind_int(q, 4, r->kind);
		if (r->kind == FAIRCOUNT_NUMBER)
			db_bind_double(q, 5, r->num);
		if (r->kind == FAIRCOUNT_TEXT)
			db_bind_text(q, 6, r->text, (int)r->len, DB_STATIC);
		db_bind_text(q, 7, r->pred, -1, DB_STATIC);
		if (r->fin)
			db_bind_text(q, 8, r->fin, -1, DB_STATIC);
		db_bind_int(q, 9, r->route);
		db_bind_int64(q, 10, r->version);
		db_bind_int64(q, 11, r->n);
		if (fc_exec(q))
			return DK_ERR;
	}
	q = store_stmt(s,
		       "INSERT INTO fair_batches(batch_id, field, part, policy_version, seq,"
		       " rows) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
		       " ON CONFLICT (batch_id, field, part) DO UPDATE SET"
		       " policy_version = excluded.policy_version, seq = excluded.seq,"
		       " rows = excluded.rows",
		       NULL);
	if (!q)
		return DK_ERR;
	db_bind_int64(q, 1, k->batch);
	db_bind_text(q, 2, set->field, -1, DB_STATIC);
	db_bind_int(q, 3, k->part);
	db_bind_int64(q, 4, set->pv);
	db_bind_int64(q, 5, set->seq);
	db_bind_int64(q, 6, k->cases);
	return fc_exec(q);
}

/* Re-date a kept touched part found valid at set->seq, unless it changed
 * since it was read (then it is left for the next run to check). */
static int fc_redate(store *s, struct faircount_set *set, const struct faircount_keep *k)
{
	db_stmt *q = store_stmt(s,
				     "UPDATE fair_batches SET seq = ?4 WHERE batch_id = ?1"
				     " AND field = ?2 AND part = ?3 AND seq = ?5"
				     " AND policy_version = ?6",
				     NULL);
	if (!q)
		return DK_ERR;
	db_bind_int64(q, 1, k->batch);
	db_bind_text(q, 2, set->field, -1, DB_STATIC);
	db_bind_int(q, 3, k->part);
	db_bind_int64(q, 4, set->seq);
	db_bind_int64(q, 5, k->old_seq);
	db_bind_int64(q, 6, set->pv);
	return fc_exec(q);
}

size_t faircount_save(store *s, struct faircount_set *set)
{
	size_t counted = 0;
	int64_t oldest = set->seq;
	for (size_t i = 0; i < set->nkeep; i++) {
		counted += !set->keep[i].redate;
		if (set->keep[i].redate && set->keep[i].old_seq < oldest)
			oldest = set->keep[i].old_seq;
	}
	/* Re-dating alone is a write worth doing only once the log has moved
	 * well past: it keeps the look at the log since then short. */
	if (!counted && set->seq - oldest < FAIRCOUNT_REDATE)
		return 0;
	if (store_begin_write_relaxed(s, NULL))
		return 0;
	int rc = DK_OK;
	int64_t pv = fc_int(s, fc_sql_model, set->model_id, NULL, &rc);
	if (rc || pv != set->pv) { /* the policy moved: what was counted is old */
		store_rollback(s);
		return 0;
	}
	for (size_t i = 0; i < set->nkeep && !rc; i++)
		rc = set->keep[i].redate ? fc_redate(s, set, &set->keep[i])
					 : fc_save_part(s, set, &set->keep[i]);
	if (rc || store_commit(s, NULL)) {
		store_rollback(s);
		return 0;
	}
	return counted;
}

void faircount_free(struct faircount_set *set)
{
	for (size_t i = 0; i < set->nstrs; i++)
		free(set->strs[i]);
	free(set->strs);
	free(set->labels);
	free(set->rows);
	free(set->keep);
	free(set->field);
	memset(set, 0, sizeof *set);
}

int faircount_explain(store *s, sbuf *out, dk_error *err)
{
	static const char *const sql[] = {fc_sql_model, fc_sql_seq,   fc_sql_batches,
					  fc_sql_kept,  fc_sql_since, fc_sql_rows};
	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		sbuf_printf(out, "-- %s\n", sql[i]);
		if (store_explain(s, sql[i], out, err))
			return DK_ERR;
	}
	return DK_OK;
}
